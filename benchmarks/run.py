#!/usr/bin/env python3
"""Time isodocs against the floor of what it must do, on generated repositories.

    .venv/bin/python benchmarks/run.py [--sizes 1000,10000] [--commits 2000] [--repeat 1]

For each size N, ``benchmarks/generate.py`` builds a management-system repository
(N documents, M commits), then each step runs as its own process, as a user or
CI would run it, and is timed from start to exit with the peak memory (maximum
resident set size) of that process:

    (a) floor: read every document and parse its front matter with PyYAML's C loader
    (b) isodocs check, without the parse cache (CI on a fresh clone) and with it (the next run)
    (c) isodocs check --base HEAD, with 10 documents revised in the working tree
    (d) isodocs coverage
    (e) isodocs history ID of the document with the longest history
        (and, for its own floor, one `git log --raw -M` of the document folders)
    (f) floor: a plain `mkdocs build` of the documents isodocs would publish, as plain
        Markdown (no control blocks, no generated pages), with the same theme
    (g) isodocs build
    (h) floor: WeasyPrint alone laying out the HTML that `isodocs pack` lays out, one
        part after the other in one process (benchmarks/pack_floor.py)
    (i) isodocs pack --force (every size in --pack-sizes; skipped without WeasyPrint)

Each time is also given as a ratio to its floor: (a) for b-e, (f) for g, (h) for i; and for
(e) to `git log` too. Startup rows show what any Python command costs before it
reads a file. Commands that this checkout of isodocs does not have yet are
reported as "not available". Nothing here asserts a time: the figures are for
people to read (and for README's Performance section).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
TODAY = "2026-11-27"  # generate.py's dates are relative to this day
CHANGED_DOCUMENTS = 10

FLOOR_SCRIPT = r"""
import os, sys, yaml
root, paths = sys.argv[1], sys.argv[2:]
loader = yaml.CSafeLoader
count = 0
for base in paths:
    for folder, dirs, files in os.walk(os.path.join(root, base)):
        for name in files:
            if name.endswith(".md") and name.lower() not in ("index.md", "readme.md"):
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    text = handle.read()
                end = text.find("\n---", 3)
                yaml.load(text[4:end], Loader=loader)
                count += 1
print(count)
"""


@dataclass
class Measure:
    seconds: float | None  # wall time; None: not available
    cpu: float | None = None  # user + system time of the process and its children
    peak_mb: float | None = None
    note: str = ""


def run_process(argv: list[str], cwd: Path, repeat: int = 1, ok: tuple[int, ...] = (0,)) -> Measure:
    """Run ``argv`` ``repeat`` times: the fastest run's wall and CPU time, and the largest peak RSS."""
    best, best_cpu, peak = float("inf"), float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert process.stderr is not None
        stderr = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in ok:
            message = stderr.decode(errors="replace").strip().splitlines()[-3:]
            raise RuntimeError(f"{' '.join(argv)} exited {process.returncode}: {' / '.join(message)}")
        best, peak = min(best, elapsed), max(peak, usage.ru_maxrss)  # ru_maxrss: KiB on Linux
        best_cpu = min(best_cpu, usage.ru_utime + usage.ru_stime)
    return Measure(best, best_cpu, peak / 1024)


def fastest(first: Measure, second: Measure) -> Measure:
    if first.seconds is None or second.seconds is None:
        return second if first.seconds is None else first
    return Measure(min(first.seconds, second.seconds), min(first.cpu, second.cpu), max(first.peak_mb, second.peak_mb))


def compile_isodocs() -> None:
    """Write the bytecode of the isodocs that the steps import, as ``pip install`` does.

    ``make test`` installs isodocs editable, where Python writes bytecode on first
    import, unless PYTHONDONTWRITEBYTECODE is set (as on some CI images and
    sandboxes): then every step would compile isodocs' modules again (0.05-0.1 s
    of each process), which a user never pays. Python reads bytecode either way.
    """
    where = "import isodocs, os; print(os.path.dirname(isodocs.__file__))"
    package = subprocess.run([sys.executable, "-c", where], capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=True)


def isodocs_commands(isodocs: str) -> set[str]:
    """The subcommands this isodocs has, from its --help."""
    text = subprocess.run([isodocs, "--help"], capture_output=True, text=True, check=True).stdout
    commands = text.split("Commands:", 1)[-1]
    return {line.split()[0] for line in commands.splitlines() if line.startswith("  ") and line.split()}


# -- preparing the repositories ---------------------------------------------------------------


def generate(workdir: Path, docs: int, commits: int, seed: int) -> tuple[Path, float]:
    """The generated repository, reused when ``workdir`` already holds one with these parameters."""
    repo = workdir / f"repo-n{docs}-c{commits}-s{seed}"
    marker = repo / ".git" / "benchmark-generated"
    if marker.is_file():
        return repo, 0.0
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate.py"),
            str(repo),
            "--docs",
            str(docs),
            "--commits",
            str(commits),
            "--seed",
            str(seed),
            "--force",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    marker.write_text("ok\n")
    return repo, time.perf_counter() - started


def front_matter(text: str) -> dict:
    import yaml

    end = text.find("\n---", 3)
    return yaml.load(text[4:end], Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


def document_files(repo: Path) -> list[Path]:
    return sorted(
        p
        for base in ("policies", "procedures", "forms", "records")
        for p in (repo / base).rglob("*.md")
        if p.name.lower() not in ("index.md", "readme.md")
    )


def longest_history(repo: Path) -> tuple[str, str]:
    """(id, path) of the document that most commits touched."""
    log = subprocess.run(
        ["git", "log", "--format=", "--name-only", "--", "policies", "procedures", "forms"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counts: dict[str, int] = {}
    for line in log.splitlines():
        if line:
            counts[line] = counts.get(line, 0) + 1
    path = max(sorted(counts), key=lambda p: counts[p])
    return str(front_matter((repo / path).read_text("utf-8"))["id"]), path


def revise_documents(repo: Path, count: int) -> list[str]:
    """Revise ``count`` approved documents in the working tree, as a pull request would."""
    chosen: list[str] = []
    files = document_files(repo)
    for path in files[:: max(1, len(files) // (count * 3))]:
        text = path.read_text("utf-8")
        data = front_matter(text)
        if data.get("status") != "approved" or len(chosen) == count:
            continue
        major, minor = str(data["version"]).split(".")
        text = text.replace(f'version: "{major}.{minor}"', f'version: "{major}.{int(minor) + 1}"', 1)
        text = re.sub(r"(?m)^approved_on: .*$", f"approved_on: {TODAY}", text, count=1)
        text = re.sub(r"(?m)^last_reviewed: .*$", f"last_reviewed: {TODAY}", text, count=1)
        path.write_text(text + "\nA sentence added in this revision.\n", "utf-8")
        chosen.append(path.relative_to(repo).as_posix())
    return chosen


def restore(repo: Path) -> None:
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=repo, check=True)


def plain_mkdocs_project(repo: Path, target: Path) -> int:
    """A plain MkDocs project of the documents isodocs publishes; returns how many."""
    if target.exists():
        shutil.rmtree(target)
    docs = target / "docs"
    published = 0
    for path in document_files(repo):
        text = path.read_text("utf-8")
        data = front_matter(text)
        approved = data.get("type") == "record" or data.get("status") == "approved"
        if not approved or data.get("classification") not in ("public", "internal"):
            continue
        body = text[text.find("\n---", 3) + 4 :].lstrip("\n")
        out = docs / path.relative_to(repo)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(body, "utf-8")
        published += 1
    (docs / "index.md").write_text("# Management system\n", "utf-8")
    # The theme, features, extensions and plugins isodocs' staging project uses (isodocs/site).
    (target / "mkdocs.yml").write_text(
        "site_name: Plain build\n"
        "theme:\n  name: material\n  font: false\n  language: en\n"
        "  features: [navigation.prune, navigation.top, navigation.tracking, search.highlight, toc.follow]\n"
        "plugins: [search]\n"
        "markdown_extensions:\n  - tables\n  - attr_list\n  - md_in_html\n  - admonition\n  - def_list\n"
        "  - toc: {permalink: true}\n  - pymdownx.details\n  - pymdownx.superfences\n",
        "utf-8",
    )
    return published


# -- the run ----------------------------------------------------------------------------------


def measure_size(args: argparse.Namespace, workdir: Path, docs: int, available: set[str]) -> dict[str, Measure]:
    bin_dir = Path(sys.executable).parent
    isodocs = str(bin_dir / "isodocs")
    python = sys.executable
    repeat = args.repeat
    repo, generated_in = generate(workdir, docs, args.commits, args.seed)
    results: dict[str, Measure] = {"generate": Measure(generated_in or None, note="reused" if not generated_in else "")}

    results["startup-python"] = run_process([python, "-c", "pass"], repo, repeat=3)
    results["startup-isodocs"] = run_process([isodocs, "--version"], repo, repeat=3)
    results["a"] = run_process(
        [python, "-c", FLOOR_SCRIPT, str(repo), "policies", "procedures", "forms", "records"], repo, repeat
    )
    check_ok = (0, 1)  # the generated repositories hold a few deliberate findings
    # Cold: no parse cache, as in CI on a fresh clone. Warm: the owner's next run (see isodocs/parsecache.py).
    check = [isodocs, "check", "--today", TODAY]
    results["b"] = Measure(None)
    for _ in range(repeat):
        shutil.rmtree(repo / ".isodocs-cache", ignore_errors=True)
        results["b"] = fastest(results["b"], run_process(check, repo, 1, ok=check_ok))
    results["b-warm"] = run_process(check, repo, repeat, ok=check_ok)

    if "--base" in subprocess.run([isodocs, "check", "--help"], capture_output=True, text=True).stdout:
        revise_documents(repo, CHANGED_DOCUMENTS)
        try:
            results["c"] = run_process(
                [isodocs, "check", "--today", TODAY, "--base", "HEAD"], repo, repeat, ok=check_ok
            )
        finally:
            restore(repo)
    else:
        results["c"] = Measure(None)

    results["d"] = (
        run_process([isodocs, "coverage"], repo, repeat, ok=(0, 1)) if "coverage" in available else Measure(None)
    )

    doc_id, doc_path = longest_history(repo)
    # The floor the target names: one log of every change to the document folders (what
    # isodocs history read until it read one path's changes on demand; isodocs/git.py).
    folders = ["policies", "procedures", "forms", "records"]
    git_log = ["git", "log", "-z", "--raw", "--no-abbrev", "-M", "--no-color", "--format=%H%aI%an%ae%s", "--"]
    results["e-git"] = run_process([*git_log, *folders], repo, repeat)
    results["e"] = run_process([isodocs, "history", doc_id], repo, repeat) if "history" in available else Measure(None)
    results["e"].note = f"history of {doc_id} ({doc_path})"

    results.update(measure_pack(args, workdir, repo, docs, available))

    mkdocs = bin_dir / "mkdocs"
    if args.no_site:
        results["f"] = Measure(None, note="--no-site")
        results["g"] = Measure(None, note="--no-site")
        return results
    site_steps: dict[str, tuple[list[str], Path]] = {}
    if mkdocs.exists():
        plain = workdir / f"plain-n{docs}"
        published = plain_mkdocs_project(repo, plain)
        site_steps["f"] = ([str(mkdocs), "build", "-q", "-d", str(plain / "site")], plain)
    if "build" in available:
        site = workdir / f"site-n{docs}"
        site_steps["g"] = ([isodocs, "build", "--force", "--today", TODAY, "--site-dir", str(site)], repo)
    # The two site builds are most of the run's time. With two cores or more they run side by
    # side: each is one process, and their ratio is of CPU times, which running together barely
    # moves (--serial-site runs them one after the other, for wall times).
    together = not args.serial_site and (os.cpu_count() or 1) >= 2 and len(site_steps) == 2
    with ThreadPoolExecutor(max_workers=2 if together else 1) as pool:
        futures = {key: pool.submit(run_process, argv, cwd, repeat) for key, (argv, cwd) in site_steps.items()}
        for key in ("f", "g"):
            results[key] = futures[key].result() if key in futures else Measure(None)
    if "f" in futures:
        results["f"].note = f"{published:,} pages" + ("; built side by side with (g)" if together else "")
    else:
        results["f"].note = "mkdocs not installed"
    return results


def weasyprint_usable() -> bool:
    """Whether WeasyPrint imports here (it needs Pango from the operating system)."""
    probe = subprocess.run([sys.executable, "-c", "import weasyprint, pypdf"], capture_output=True, check=False)
    return probe.returncode == 0


def measure_pack(
    args: argparse.Namespace, workdir: Path, repo: Path, docs: int, available: set[str]
) -> dict[str, Measure]:
    """(h) WeasyPrint alone on the pack's HTML, and (i) `isodocs pack`."""
    skipped = (
        "--no-pack" if args.no_pack
        else f"not in --pack-sizes ({args.pack_sizes})" if docs not in parse_sizes(args.pack_sizes)
        else "isodocs has no pack command" if "pack" not in available
        else "WeasyPrint or pypdf not installed (pip install 'isodocs[pack]')" if not weasyprint_usable()
        else ""
    )  # fmt: skip
    if skipped:
        return {"h": Measure(None, note=skipped), "i": Measure(None, note=skipped)}
    floor = HERE / "pack_floor.py"
    html = workdir / f"pack-html-n{docs}"
    shutil.rmtree(html, ignore_errors=True)
    parts = subprocess.run(
        [sys.executable, str(floor), "prepare", str(repo), str(html)], capture_output=True, text=True, check=True
    ).stdout.strip()
    results = {"h": run_process([sys.executable, str(floor), "render", str(html)], repo, args.repeat)}
    results["h"].note = f"{parts} parts, one process"
    isodocs = str(Path(sys.executable).parent / "isodocs")
    output = workdir / f"pack-n{docs}.zip"
    results["i"] = run_process([isodocs, "pack", "--force", "--output", str(output)], repo, args.repeat)
    results["i"].note = f"{os.cpu_count()} workers; zip {output.stat().st_size / 1e6:.0f} MB"
    shutil.rmtree(html, ignore_errors=True)
    return results


def parse_sizes(text: str) -> list[int]:
    return [int(s.replace("_", "")) for s in text.split(",") if s.strip()]


# key, label, floor key for the ratio, target
ROWS = [
    ("startup-python", "python startup (`python -c pass`)", None, ""),
    ("startup-isodocs", "isodocs startup (`isodocs --version`)", None, ""),
    ("a", "(a) floor: read + parse front matter (C loader)", None, ""),
    ("b", "(b) `isodocs check`, no parse cache (CI)", "a", "<= 1.5x (a)"),
    ("b-warm", "(b) `isodocs check`, parse cache warm (the next run)", "a", "<= 1.5x (a)"),
    ("c", f"(c) `isodocs check --base HEAD`, {CHANGED_DOCUMENTS} documents changed", "a", "< 1 s"),
    ("d", "(d) `isodocs coverage`", "a", ""),
    ("e-git", "(e) floor: one `git log --raw -M` of the document folders", None, ""),
    ("e", "(e) `isodocs history ID`", "e-git", "<= 2x git log"),
    ("f", "(f) floor: plain `mkdocs build`", None, ""),
    ("g", "(g) `isodocs build`", "f", "<= 1.3x (f)"),
    ("h", "(h) floor: WeasyPrint alone, the pack's HTML", None, ""),
    ("i", "(i) `isodocs pack`", "h", "<= 1.5x (h), < 1 GB"),
]


def table(n: int, results: dict[str, Measure]) -> str:
    """One size's figures as a Markdown table. Ratios are of CPU time: a shared machine disturbs it less."""
    lines = [
        f"| N={n:,} | wall s | CPU s | ratio | peak MB | target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for key, label, floor, target in ROWS:
        result = results[key]
        if result.seconds is None:
            note = f" ({result.note})" if result.note else ""
            lines.append(f"| {label} | not available{note} | | | | {target} |")
            continue
        ratio = ""
        base = results.get(floor) if floor else None
        if base is not None and base.cpu:
            ratio = f"{result.cpu / base.cpu:.2f}x"
        if key == "e":  # the ratios are to (a) for b-e; history's own floor is git log
            ratio += f" ({result.cpu / results['a'].cpu:.2f}x (a))"
        lines.append(
            f"| {label} | {result.seconds:.2f} | {result.cpu:.2f} | {ratio} | {result.peak_mb:.0f} | {target} |"
        )
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} "
        f"{platform.release()}; load average {load:.1f} at the start"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="document counts, comma-separated (default 1000,10000)")
    parser.add_argument("--commits", type=int, default=2000, help="commits of each generated history (default 2000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each step; the fastest counts (default 1)")
    parser.add_argument("--workdir", type=Path, help="keep generated repositories here and reuse them")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--no-site", action="store_true", help="skip (f) and (g), the site builds (most of the time)")
    parser.add_argument(
        "--serial-site", action="store_true", help="run (f) and (g) one after the other (default: side by side)"
    )
    parser.add_argument("--no-pack", action="store_true", help="skip (h) and (i), the audit pack")
    parser.add_argument(
        "--pack-sizes", default="1000", help="sizes at which to time the pack (default 1000: minutes per thousand)"
    )
    args = parser.parse_args(argv)
    sizes = parse_sizes(args.sizes)

    isodocs = Path(sys.executable).parent / "isodocs"
    if not isodocs.exists():
        parser.error(f"{isodocs} not found: run `make test` first, then this script with .venv/bin/python")
    compile_isodocs()
    available = isodocs_commands(str(isodocs))
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="isodocs-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    machine_text = machine()
    print(f"machine: {machine_text}", flush=True)
    all_results: dict[int, dict[str, Measure]] = {}
    try:
        for n in sizes:
            print(f"N={n:,}: generating and measuring ...", flush=True)
            all_results[n] = measure_size(args, workdir, n, available)
            generated = all_results[n]["generate"]
            if generated.seconds:
                print(f"  generated in {generated.seconds:.1f} s", flush=True)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    for n in sizes:
        print()
        print(table(n, all_results[n]))
    print()
    for n in sizes:
        notes = [f"{key}: {m.note}" for key, m in all_results[n].items() if m.note]
        print(f"N={n:,}: " + "; ".join(notes))
    print(f"total {time.perf_counter() - started:.0f} s; load average now {os.getloadavg()[0]:.1f}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": machine_text,
                    "commits": args.commits,
                    "results": {str(n): {k: vars(m) for k, m in results.items()} for n, results in all_results.items()},
                },
                indent=2,
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
