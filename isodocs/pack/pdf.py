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

import contextlib
import io
import logging
import mimetypes
import multiprocessing
import posixpath
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from isodocs.errors import UsageError
from isodocs.pack.html import BASE_URL, Part

DEBIAN_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
PANGO_HINT = (
    "WeasyPrint, which isodocs pack uses to write PDF, needs the Pango library of the operating system, "
    f"and it could not be loaded ({{reason}}). On Debian or Ubuntu: apt-get install {DEBIAN_PACKAGES}; "
    "on other systems see https://doc.courtbouillon.org/weasyprint/stable/first_steps.html"
)
INSTALL_HINT = "isodocs pack needs WeasyPrint, pypdf and Python-Markdown: pip install 'isodocs[pack]'"


def require_weasyprint() -> Any:
    """The weasyprint module, or UsageError (exit 2) naming what to install.

    WeasyPrint loads Pango when it is imported: without it the import raises
    OSError, after printing a banner of its own (kept off our output).
    """
    try:
        import markdown  # noqa: F401
        import pypdf  # noqa: F401
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    banner = io.StringIO()
    try:
        with contextlib.redirect_stdout(banner):
            import weasyprint
    except ImportError as error:
        if getattr(error, "name", "") and not str(error.name).startswith("weasyprint"):
            raise UsageError(f"{INSTALL_HINT} ({error})") from None
        raise UsageError(INSTALL_HINT) from None
    except OSError as error:
        raise UsageError(PANGO_HINT.format(reason=str(error).strip() or type(error).__name__)) from None
    return weasyprint


# What a worker may load: the checkout, and the files in it the pack allowed (repository paths).
_ROOT: Path | None = None
_ALLOWED: frozenset[str] = frozenset()


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
            data = (_ROOT / path).read_bytes()
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=data, headers={"Content-Type": kind})

    return PackFetcher


@dataclass(frozen=True)
class Job:
    html: str
    base_url: str
    output: str  # where the part's PDF goes


def _init_worker(root: Path, allowed: frozenset[str]) -> None:
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


def render_all(jobs: list[Job], root: Path, allowed: Iterable[str], workers: int) -> list[int]:
    """Render every job, ``workers`` at a time; their page counts, in order.

    ``allowed``: the repository paths (under ``root``) a part may load.
    """
    allowed_set = frozenset(allowed)
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
