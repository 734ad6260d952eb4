"""How long history and change control take on a large repository.

Builds a temp repository with 1,000 documents and 2,000 commits (with
``git fast-import``, in seconds), then times, best of a few runs:

- one ``git log --raw -M`` over the document folders (the floor: git itself);
- ``isodocs history ID`` for one document (library call and the CLI);
- ``isodocs check`` and ``isodocs check --base REV`` with 50 documents changed;
- for comparison, ``git log -- FILE`` per document, the approach isodocs avoids,
  measured on 20 files and scaled to 1,000.

Run: .venv/bin/python benchmarks/git_history.py [--documents N] [--commits N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
}
CONFIG = """\
organization: Benchmark Ltd
standards: [iso9001]
people:
  qm: {name: Jane Smith, github: jsmith}
  md: {name: Raj Patel, github: rpatel}
"""


def document(number: int, version: int) -> str:
    return (
        f"---\nid: PRO-{number:04d}\ntitle: Procedure {number}\ntype: procedure\n"
        f'version: "1.{version}"\nstatus: approved\nowner: qm\napproved_by: [md]\n'
        f"approved_on: 2026-06-01\nlast_reviewed: 2026-06-01\nclassification: internal\n"
        f'clauses: {{iso9001: ["7.5"]}}\n---\n# Procedure {number}\n\nRevision {version}.\n'
    )


def build(root: Path, documents: int, commits: int) -> None:
    """One fast-import stream: a commit adding every document, then one edit per commit."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=ENV)
    stream: list[bytes] = []

    def data(text: str) -> None:
        raw = text.encode()
        stream.append(f"data {len(raw)}\n".encode() + raw + b"\n")

    def path(number: int) -> str:
        return f"procedures/{number // 100:02d}/pro-{number:04d}.md"

    versions = [0] * documents
    for index in range(commits):
        stamp = 1_750_000_000 + index * 3600
        stream.append(f"commit refs/heads/main\nmark :{index + 1}\n".encode())
        stream.append(f"committer Bench <bench@example.org> {stamp} +0000\n".encode())
        if index == 0:
            data("Add the documents")
            stream.append(b"M 100644 inline isodocs.yml\n")
            data(CONFIG)
            for number in range(documents):
                stream.append(f"M 100644 inline {path(number)}\n".encode())
                data(document(number, 0))
        else:
            number = index % documents
            versions[number] += 1
            data(f"Revise PRO-{number:04d} to 1.{versions[number]}")
            stream.append(f"from :{index}\n".encode())
            stream.append(f"M 100644 inline {path(number)}\n".encode())
            data(document(number, versions[number]))
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True, env=ENV)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True, env=ENV)


def best(func: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, env=ENV, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=2000)
    options = parser.parse_args()

    from isodocs.analyses.history import HistoryOptions, document_history
    from isodocs.app.check import CheckOptions, run_check
    from isodocs.readers.changes import load_base
    from isodocs.readers.config import load_config

    isodocs = str(Path(sys.executable).parent / "isodocs")
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "repo"
        start = time.perf_counter()
        build(root, options.documents, options.commits)
        print(f"built {options.documents} documents, {options.commits} commits in {time.perf_counter() - start:.1f} s")
        target = "PRO-0500" if options.documents > 500 else "PRO-0001"

        figures = {
            "git log --raw -M over procedures/ (one pass)": best(
                lambda: run("git", "log", "-z", "--raw", "--no-abbrev", "-M", "--", "procedures", cwd=root)
            ),
            f"history {target}: library call": best(
                lambda: document_history(HistoryOptions(root=root, document=target))
            ),
            f"isodocs history {target}: CLI, incl. Python start": best(
                lambda: run(isodocs, "history", target, cwd=root)
            ),
            "check: library call, no --base": best(lambda: run_check(CheckOptions(root=root))),
        }
        # A change touching 50 documents, not committed.
        for number in range(0, 50):
            file = root / f"procedures/{number // 100:02d}/pro-{number:04d}.md"
            file.write_text(file.read_text() + "\nEdited.\n")
        base = "HEAD~50"
        figures[f"check --base {base} (50 changed): library call"] = best(
            lambda: run_check(CheckOptions(root=root, base=base))
        )
        config = load_config(root)
        figures[f"--base {base}: the git part alone (diff + base blobs)"] = best(
            lambda: load_base(root, base, config, [])
        )
        figures[f"isodocs check --base {base}: CLI, incl. Python start"] = best(
            lambda: run(isodocs, "check", "--base", base, cwd=root)
        )
        step = max(1, options.documents // 20)
        sample = [f"procedures/{n // 100:02d}/pro-{n:04d}.md" for n in range(0, options.documents, step)]
        per_file = best(lambda: [run("git", "log", "--format=%H", "--", p, cwd=root) for p in sample], runs=1)
        figures[f"git log -- FILE for each of {options.documents} files (scaled from {len(sample)})"] = (
            per_file / len(sample) * options.documents
        )
        for name, seconds in figures.items():
            print(f"{seconds:8.3f} s  {name}")


if __name__ == "__main__":
    main()
