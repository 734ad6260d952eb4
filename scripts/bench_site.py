"""Measure `isodocs build` against a plain `mkdocs build` of the same Markdown.

    .venv/bin/python scripts/bench_site.py [--documents 1000] [--example]

The plain build copies the document folders as they are (front matter and all)
into a docs/ folder with a minimal mkdocs-material configuration (navigation.prune
on, as isodocs sets it), so the difference is what isodocs adds: loading and
checking, the control blocks, the generated pages and the staging copy.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ["policies", "procedures", "forms", "records"]
PLAIN_CONFIG = """site_name: Plain build
theme:
  name: material
  font: false
  features: [navigation.prune]
markdown_extensions: [tables, attr_list, md_in_html, admonition]
"""


def synthetic(root: Path, count: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    clauses = ["4.1", "4.2", "5.2", "6.1", "7.2", "7.5", "8.1", "8.4", "9.2", "10.2"]
    (root / "isodocs.yml").write_text(
        "organization: Synthetic Ltd\nstandards: [iso9001]\n"
        "people:\n  qm: {name: Jane Smith, role: Quality Manager}\n  md: {name: Raj Patel, role: Managing Director}\n"
    )
    paragraph = "The owner checks each step, records the result and keeps the evidence for the audit. " * 6
    for n in range(1, count + 1):
        # 50 procedures per sub-folder, so the plain build's navigation is nested too
        folder = root / "procedures" / f"area-{(n - 1) // 50 + 1:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"procedure-{n:04d}.md").write_text(
            f'---\nid: PRO-{n:04d}\ntitle: Procedure number {n}\ntype: procedure\nversion: "1.0"\n'
            "status: approved\nowner: qm\napproved_by: [md]\napproved_on: 2026-06-01\nlast_reviewed: 2026-06-01\n"
            f'classification: internal\nclauses: {{iso9001: ["{clauses[n % len(clauses)]}"]}}\n---\n'
            f"# Procedure number {n}\n\n## Purpose\n\n{paragraph}\n\n## Steps\n\n1. Prepare.\n2. Do.\n3. Check.\n"
        )


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def plain_build(root: Path, work: Path) -> float:
    plain = work / "plain"
    for name in FOLDERS:
        if (root / name).is_dir():
            shutil.copytree(root / name, plain / "docs" / name)
    (plain / "docs" / "index.md").write_text("# Home\n")
    (plain / "mkdocs.yml").write_text(PLAIN_CONFIG)
    return timed([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(work / "plain-site")], plain)


def isodocs_build(root: Path, work: Path) -> float:
    isodocs = str(Path(sys.executable).parent / "isodocs")
    command = [isodocs, "-C", str(root), "build", "--force", "--today", "2026-11-27"]
    return timed([*command, "--site-dir", str(work / "isodocs-site")], root)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--example", action="store_true", help="measure the repository's example instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.example:
            root, label = REPO_ROOT, "example"
        else:
            root, label = work / "repo", f"{args.documents} synthetic documents"
            synthetic(root, args.documents)
        plain = plain_build(root, work)
        ours = isodocs_build(root, work)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"{label}: plain mkdocs build {plain:.1f} s, isodocs build {ours:.1f} s, "
            f"ratio {ours / plain:.2f}; peak child memory {peak:.0f} MB"
        )


if __name__ == "__main__":
    main()
