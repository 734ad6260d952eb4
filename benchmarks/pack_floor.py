#!/usr/bin/env python3
"""The floor of ``isodocs pack``: WeasyPrint alone laying out the same HTML, in one process.

    pack_floor.py prepare REPO OUT_DIR   # write the HTML of every part isodocs pack lays out (not timed)
    pack_floor.py render OUT_DIR         # lay each one out and write its PDF, one after the other (timed)

``prepare`` uses isodocs' own pack code to make the HTML (the register, every
document, the evidence sections), so ``render`` lays out exactly what the pack
lays out, without checking, reading git, converting Markdown or merging:
what no pack can avoid. benchmarks/run.py times ``render`` as a process.
"""

from __future__ import annotations

import sys
from pathlib import Path


def prepare(repo: Path, out: Path) -> int:
    from isodocs.pack.build import PackOptions, body_parts, opened

    out.mkdir(parents=True, exist_ok=True)
    with opened(PackOptions(root=repo, force=True)) as context:
        manual, evidence = body_parts(context)
        for index, part in enumerate(manual + evidence):
            (out / f"part-{index:05d}.html").write_text(part.html, "utf-8")
    return len(manual) + len(evidence)


def render(folder: Path) -> int:
    import weasyprint

    pages = 0
    for file in sorted(folder.glob("part-*.html")):
        document = weasyprint.HTML(string=file.read_text("utf-8"), base_url=str(folder) + "/").render()
        document.write_pdf(file.with_suffix(".pdf"))
        pages += len(document.pages)
    return pages


if __name__ == "__main__":
    if sys.argv[1:2] == ["prepare"] and len(sys.argv) == 4:
        print(prepare(Path(sys.argv[2]), Path(sys.argv[3])))
    elif sys.argv[1:2] == ["render"] and len(sys.argv) == 3:
        print(render(Path(sys.argv[2])))
    else:
        sys.exit(__doc__)
