"""Time each in-process fast path against its exact path on a generated repository.

    .venv/bin/python benchmarks/generate.py /tmp/repo --docs 2000 --commits 10
    .venv/bin/python benchmarks/fast_paths.py /tmp/repo

The figures are those of docs/architecture.md ("Fast paths"): each line switches
one fast path off (the exact path alone) and times the same work, best of five.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import fastjsonschema

from isodocs import schemas
from isodocs.readers import yamlio
from isodocs.readers.collector import collector_paused
from isodocs.readers.documents import split_front_matter
from isodocs.rules import content, references
from isodocs.text import mdtext


def best(work: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def documents(repo: Path) -> list[tuple[str, str, int]]:
    texts = [
        path.read_text("utf-8")
        for base in ("policies", "procedures", "forms", "records")
        for path in sorted((repo / base).rglob("*.md"))
        if path.name.lower() not in ("index.md", "readme.md")
    ]
    return [split for split in map(split_front_matter, texts) if split]


def compile_time() -> float:
    """Generating and running the three precompiled modules' code, in a fresh process (median of five)."""
    code = (
        "import time; t = time.perf_counter(); import fastjsonschema; from isodocs import schemas\n"
        "for n in schemas.PRECOMPILED: schemas._run(schemas.precompiled_source(n), n)\n"
        "print(time.perf_counter() - t)"
    )
    runs = sorted(float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)
                  for _ in range(5))
    return runs[2]


def main(repo: Path) -> None:
    found = documents(repo)
    fronts, bodies = [front for front, _, _ in found], [body for _, body, _ in found]
    print(f"{len(found)} documents of {repo}")

    print(f"yamlio one-walk builder    {yaml_builder(fronts)}")
    print(f"yamlio subset (no PyYAML)  {yaml_subset(fronts)}")

    datas = [yamlio.parse_yaml(f).data for f in fronts]
    quick, full = schemas.quick_validity("front-matter"), schemas.validator("front-matter")
    fast = best(lambda: [quick(d) for d in datas])
    exact = best(lambda: [list(full.iter_errors(d)) for d in datas], 2)
    print(f"schema quick validity      {fast:.3f} s   exact {exact:.3f} s")
    whole = schemas._passes(fastjsonschema.compile(schemas._draft7(schemas.load_schema("front-matter"))))
    exact = best(lambda: [whole(d) for d in datas])
    print(f"quick validity by type     {fast:.3f} s   whole schema {exact:.3f} s")
    print(f"precompiled validators     0.000 s   compiled at run time {compile_time():.3f} s")

    def placeholders(body: str) -> list[str | None]:
        lines = content.prose_lines(body) if content._may_hold_placeholder(body) else ()
        return [content.placeholder_in(content._without_comments(text)) for _, text in lines]

    def secrets(body: str) -> list[str | None]:
        if not content._may_hold_secret(body):
            return []
        return [content.secret_kind(line) for line in body.split("\n")]

    def html(body: str) -> list[tuple[int, str]]:
        return list(content.unsafe_html_problems(body))

    def relative(body: str) -> list[tuple[str, int]]:
        return list(references.relative_links(body))

    def prose(body: str) -> list[tuple[int, str]]:
        return list(mdtext.prose_lines(body))

    def every_prose_line_with(body: str, needles: tuple[str, ...], indented_code: bool = True) -> object:
        """prose_lines_with's exact path: every prose line, kept when it holds a needle."""
        return ((i, line) for i, line in mdtext.prose_lines(body, indented_code) if any(n in line for n in needles))

    for name, module, gate, scan, exact_way in (
        ("secret pre-test", content, "_may_hold_secret", secrets, lambda body: True),
        ("placeholder pre-test", content, "_may_hold_placeholder", placeholders, lambda body: True),
        ("unsafe-html pre-test", content, "_may_hold_html", html, lambda body: True),
        ("links' line search", references, "prose_lines_with", relative, every_prose_line_with),
        ("fence pre-test", mdtext, "may_hold_fence", prose, lambda body: True),
    ):
        print(f"{name:26} {gated(bodies, module, gate, scan, exact_way)}")


def yaml_builder(fronts: list[str]) -> str:
    """parse_yaml on every front matter, with the one-walk builder and with the general way alone.

    With the cyclic collector paused, as the loader parses them (readers/collector.py):
    its passes over the parsed data that piles up are not the parser's cost. The
    subset's fast path is switched off: PyYAML's way is what this compares.
    """
    builder, subset = yamlio._TreeBuilder, yamlio._parse_subset

    class Unusual(builder):  # type: ignore[misc, valid-type]
        def build(self, node):  # type: ignore[no-untyped-def]
            raise yamlio._Unusual

    yamlio._parse_subset = lambda text, line_offset, max_nodes: None  # type: ignore[assignment]
    try:
        with collector_paused():
            fast = best(lambda: [yamlio.parse_yaml(f) for f in fronts])
            yamlio._TreeBuilder = Unusual  # type: ignore[misc]
            try:
                exact = best(lambda: [yamlio.parse_yaml(f) for f in fronts])
            finally:
                yamlio._TreeBuilder = builder  # type: ignore[misc]
    finally:
        yamlio._parse_subset = subset  # type: ignore[assignment]
    return f"{fast:.3f} s   exact {exact:.3f} s"


def yaml_subset(fronts: list[str]) -> str:
    """parse_yaml on every front matter, with the subset's fast path and without it (collector paused)."""
    subset = yamlio._parse_subset
    with collector_paused():
        fast = best(lambda: [yamlio.parse_yaml(f) for f in fronts])
        yamlio._parse_subset = lambda text, line_offset, max_nodes: None  # type: ignore[assignment]
        try:
            exact = best(lambda: [yamlio.parse_yaml(f) for f in fronts])
        finally:
            yamlio._parse_subset = subset  # type: ignore[assignment]
    taken = sum(subset(f, 0, yamlio.MAX_NODES) is not None for f in fronts)
    return f"{fast:.3f} s   exact {exact:.3f} s   ({taken} of {len(fronts)} front matters taken)"


def gated(
    bodies: list[str], module: ModuleType, gate: str, scan: Callable[[str], object], exact_way: Callable[..., object]
) -> str:
    """The scan of every body with its fast path, then with ``exact_way`` in its place (a pre-test: always yes)."""
    original = getattr(module, gate)
    fast = best(lambda: [scan(body) for body in bodies])
    setattr(module, gate, exact_way)
    try:
        exact = best(lambda: [scan(body) for body in bodies])
    finally:
        setattr(module, gate, original)
    return f"{fast:.3f} s   exact {exact:.3f} s"

if __name__ == "__main__":
    main(Path(sys.argv[1]))
