"""Synthetic speed check of ``run_check`` (not a test).

Writes N small valid documents (default 10,000) with an isodocs.yml into a
temporary folder, then times one ``run_check`` over them:

    .venv/bin/python benchmarks/quick_check.py [N] [--profile]

``--profile`` prints a cProfile summary of the run (top 25 by cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import tempfile
import time
from pathlib import Path

from isodocs.app.check import CheckOptions, run_check

CONFIG = """\
organization: Benchmark Ltd
standards: [iso9001, iso27001]
paths: [policies, procedures, forms, records]
people:
  qm: {name: Jane Smith, role: Quality Manager}
  md: {name: Raj Patel, role: Managing Director}
"""

DOCUMENT = """\
---
id: PRO-{number:05d}
title: Procedure {number}
type: procedure
version: "1.{minor}"
status: approved
owner: qm
approved_by: [md]
approved_on: 2026-06-01
last_reviewed: 2026-06-01
classification: internal
clauses:
  iso9001: ["7.5", "7.5.2"]
  iso27001: ["A.5.1"]
related: [PRO-{previous:05d}]
---
# Procedure {number}

See [the previous procedure](proc-{previous:05d}.md).
"""


def write_repo(root: Path, count: int) -> None:
    (root / "isodocs.yml").write_text(CONFIG, "utf-8")
    folder = root / "procedures"
    folder.mkdir()
    for number in range(1, count + 1):
        previous = max(1, number - 1)
        text = DOCUMENT.format(number=number, minor=number % 10, previous=previous)
        (folder / f"proc-{number:05d}.md").write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=10_000, help="documents to write (default 10000)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_repo(root, args.count)
        options = CheckOptions(root=root, today=dt.date(2026, 11, 27))
        profiler = cProfile.Profile() if args.profile else None
        start, cpu_start = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        result = run_check(options)
        if profiler:
            profiler.disable()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(
        f"{result.documents} documents, {len(result.findings)} findings, "
        f"{elapsed:.2f} s wall, {cpu:.2f} s CPU ({cpu / max(1, result.documents) * 1000:.3f} ms CPU per document)"
    )
    if result.findings:
        print("first finding:", result.findings[0])
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
