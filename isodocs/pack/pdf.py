"""Laying the parts out with WeasyPrint, in parallel, and merging them into one PDF with pypdf.

Each part (a document, the register, an evidence section) is laid out on its
own, in a pool of worker processes: WeasyPrint keeps the whole layout of what it
renders in memory, so one 1,000-document HTML would need gigabytes, while one
document at a time needs little, and two cores lay out two documents at once.
Each part is written to a file; pypdf then puts the files together, adds the
bookmarks and the page labels (the front matter i, ii, ...; then 1, 2, ... as
the contents list them), and writes the metadata from the commit. Nothing here
reads the date or the clock: the same parts give the same bytes.

WeasyPrint fetches what a page links (images, style sheets). ``PackFetcher``
refuses everything but the files the pack allowed (images beside published
documents in the checkout): no network, no other file.
"""

from __future__ import annotations

import logging
import mimetypes
import multiprocessing
import posixpath
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from isodocs.pack.deps import require_weasyprint
from isodocs.pack.html import BASE_URL, Part
from isodocs.readers import safefs

# What a worker may load: the checkout, and the files in it the pack allowed (repository path -> real file).
_ROOT: Path | None = None
_ALLOWED: dict[str, str] = {}


def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class PackFetcher(URLFetcher):  # type: ignore[misc]
        """Loads only the files the pack allowed; refuses every other URL (no network, nothing else on disk)."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if not url.startswith(BASE_URL) or _ROOT is None:
                raise ValueError("isodocs pack loads nothing from outside the repository")
            path = posixpath.normpath(unquote(urlsplit(url).path[len(urlsplit(BASE_URL).path) :]))
            if path not in _ALLOWED:
                raise ValueError("isodocs pack loads only images beside the published documents")
            data, problem = safefs.read_bytes(_ROOT, _ALLOWED[path], safefs.MAX_ATTACHMENT_BYTES)
            if data is None:
                raise ValueError(f"{path}: {problem.message if problem else 'cannot be read'}")
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=data, headers={"Content-Type": kind})

    return PackFetcher


@dataclass(frozen=True)
class Job:
    html: str
    base_url: str
    output: str  # where the part's PDF goes


def _init_worker(root: Path, allowed: dict[str, str]) -> None:
    global _ROOT, _ALLOWED
    _ROOT, _ALLOWED = root, allowed
    # A missing image is a warning of WeasyPrint's on stderr; the pack is still right without it.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def render(job: Job) -> int:
    """Lay one part out and write its PDF; the number of its pages."""
    weasyprint = require_weasyprint()
    fetcher = _fetcher_class()()
    document = weasyprint.HTML(string=job.html, base_url=job.base_url, url_fetcher=fetcher).render()
    document.write_pdf(job.output)
    return len(document.pages)


def render_all(jobs: list[Job], root: Path, allowed: dict[str, str], workers: int) -> list[int]:
    """Render every job, ``workers`` at a time; their page counts, in order.

    ``allowed``: the files (repository path -> real file under ``root``) a part may load.
    """
    allowed_set = dict(allowed)
    if workers <= 1 or len(jobs) <= 1:
        _init_worker(root, allowed_set)
        return [render(job) for job in jobs]
    # fork: the workers start with WeasyPrint already imported (half a second each otherwise).
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(root, allowed_set)
    ) as pool:
        return list(pool.map(render, jobs, chunksize=max(1, min(16, len(jobs) // (workers * 8)))))


@dataclass
class Placed:
    """A rendered part and where it sits in the merged PDF."""

    part: Part
    file: Path
    pages: int
    first: int = 0  # index of its first page in the merged PDF


def merge(front: Placed, body: list[Placed], metadata: dict[str, str], output: Path) -> None:
    """One PDF: the front matter (pages i, ii, ...), then the parts (1, 2, ...), with a bookmark for each."""
    from pypdf import PdfWriter
    from pypdf.constants import PageLabelStyle

    writer = PdfWriter()
    for placed in [front, *body]:
        placed.first = len(writer.pages)
        writer.append(str(placed.file), import_outline=False)
    writer.set_page_label(0, front.pages - 1, style=PageLabelStyle.LOWERCASE_ROMAN, start=1)
    if body:
        writer.set_page_label(front.pages, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, start=1)
    writer.add_outline_item(title="Cover", page_number=0)
    if front.pages > 1:
        writer.add_outline_item(title="Contents", page_number=1)
    groups: dict[str, Any] = {}
    for placed in body:
        parent = None
        if placed.part.group is not None:
            parent = groups.get(placed.part.group)
            if parent is None:
                parent = groups[placed.part.group] = writer.add_outline_item(
                    title=placed.part.group, page_number=placed.first, is_open=False
                )
        writer.add_outline_item(title=placed.part.outline, page_number=placed.first, parent=parent)
    writer.add_metadata(metadata)
    writer.page_mode = "/UseOutlines"
    with output.open("wb") as file:
        writer.write(file)


def page_label(placed: Placed, front_pages: int) -> str:
    """The label of a part's first page, as the contents print it and a viewer shows it."""
    return str(placed.first - front_pages + 1)
