"""Documents: one controlled document's front matter as written and its typed view.

Plain data: the loader (``isodocs.readers``) builds it, rules read it. Nothing
here reads files or prints.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KeyPath = tuple[str | int, ...]


def line_of(lines: dict[KeyPath, int], key: KeyPath) -> int:
    """Line of a key path, falling back to its nearest recorded parent, then line 1."""
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return 1


# Document types, their id prefixes and the folders they belong in.
TYPE_PREFIX = {
    "policy": "POL",
    "procedure": "PRO",
    "work-instruction": "WI",
    "form": "FRM",
    "record": "REC",
    "external": "EXT",
    "audit": "AUD",
    "nonconformity": "NC",
    "objective": "OBJ",
    "management-review": "MR",
    "training": "TRN",
}
TYPE_FOLDERS: dict[str, tuple[str, ...]] = {
    "policy": ("policies",),
    "procedure": ("procedures",),
    "work-instruction": ("procedures",),
    "form": ("forms", "records"),
    "record": ("records",),
    "external": (),  # any folder
    "audit": ("records",),
    "nonconformity": ("records",),
    "objective": ("objectives",),
    "management-review": ("records",),
    "training": ("records",),
}
# Types that are records: no version or review; final once merged, or once in a final status.
RECORD_TYPES = frozenset({"record", "audit", "nonconformity", "management-review", "training"})
# Records of the improvement cycle that stay open while being worked on: the statuses in which
# they are final (record-modified with --base). A type not listed is final once merged.
FINAL_STATUSES: dict[str, tuple[str, ...]] = {
    "audit": ("completed", "cancelled"),
    "nonconformity": ("closed",),
    "management-review": ("held",),
}
STATUSES = ("draft", "in-review", "approved", "obsolete")
CLASSIFICATIONS = ("public", "internal", "confidential", "restricted")
SECTION_PAGES = ("index.md", "readme.md")


def as_text(value: Any) -> str | None:
    """A front-matter value given as text, else None (a value of another type reads as missing; the schema
    rule reports it)."""
    return value if isinstance(value, str) else None


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus a number of months, clamped to the end of a shorter month.

    Saturates at the first and last representable dates: a review interval of
    10**20 months is a finding for the rules, not an OverflowError.
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class DocumentNotRead(RuntimeError):
    """A program error: a document built from the parse cache was used as if read (see Document)."""


@dataclass
class Document:
    """One controlled document: its front matter as written and a typed view of it.

    ``data`` keeps the front matter exactly as YAML gave it, with dates as strings
    (the form JSON Schema validates). The typed attributes below are filled from it
    by the loader; a field of the wrong type is left ``None`` and the schema rule
    reports it.

    A document of a file that has not changed since an earlier run is built from
    the parse cache's record of it: the typed view only, with ``front_read`` and
    ``body_read`` False, ``data``, ``lines`` and ``raw_scalars`` empty and no
    ``body``. Nothing is loaded on attribute access: whoever needs them calls
    ``ManagementSystem.complete(doc)`` (front matter and body) or
    ``ManagementSystem.with_front(doc)`` (front matter as written and key lines):
    explicit calls owned by the loader, which read the file (once for both) and
    check it is the one recorded. ``line()`` refuses a document whose key lines were not read, and
    ``body`` one whose body was not read (``DocumentNotRead``).
    """

    path: str
    abspath: Path
    data: dict[str, Any]
    lines: dict[KeyPath, int]  # key path -> 1-based line, e.g. ("clauses", "iso9001", 0)
    raw_scalars: dict[str, str]  # top-level scalar values exactly as written
    body: str = field(repr=False)  # a guarded attribute: see _BodyNotRead below the class
    body_line: int  # line number of the first body line

    id: str | None = None
    title: str | None = None
    type: str | None = None
    version: str | None = None
    status: str | None = None
    owner: str | None = None
    approved_by: list[str] = field(default_factory=list)
    approved_on: dt.date | None = None
    effective_date: dt.date | None = None
    last_reviewed: dt.date | None = None
    review_interval: int | None = None
    next_review: dt.date | None = None
    next_review_explicit: bool = False
    classification: str | None = None
    # The front matter gives a classification, text or not: one that is not text reads as None above,
    # and model.publishing withholds the document rather than take the default level.
    classification_given: bool = False
    clauses: dict[str, list[str]] = field(default_factory=dict)
    related: list[str] = field(default_factory=list)
    supersedes: str | None = None
    date: dt.date | None = None
    retention_years: int | None = None
    source: str | None = None
    # Who must know the document (groups, person keys, everyone): see analyses/training.py.
    audience: list[str] = field(default_factory=list)
    # Training records: who was trained, by whom, how, on which document versions (id -> version), or a topic.
    attendees: list[str] = field(default_factory=list)
    trainer: str | None = None
    method: str | None = None
    trained_on: dict[str, str] = field(default_factory=dict)
    topic: str | None = None
    # The cycle's references (broken-reference reads them on every run): a nonconformity's audit, and an
    # audit's documents by position (None for an item that is no text, so that the positions stay).
    audit: str | None = None
    audited_documents: list[str | None] = field(default_factory=list)
    # Set by the loader when the run has a cache (see parsecache.py): a hash of path and text.
    content_key: str | None = field(default=None, repr=False, compare=False)
    # The body's relative links, once someone has looked (rules.references.document_links).
    links: list[tuple[str, int, str, str]] | None = field(default=None, repr=False, compare=False)
    # False for a document built from the parse cache's record: see the class docstring.
    front_read: bool = field(default=True, repr=False, compare=False)
    body_read: bool = field(default=True, repr=False, compare=False)

    def line(self, *key: str | int) -> int:
        """Line of a key path, falling back to its nearest parent, then line 1."""
        if not self.front_read:
            raise DocumentNotRead(f"{self.path}: key lines asked of a document not read; call system.with_front(doc)")
        return line_of(self.lines, key)

    @property
    def is_record(self) -> bool:
        return self.type in RECORD_TYPES

    @property
    def is_final(self) -> bool:
        """A record that may no longer change: any record, an audit completed or cancelled, a closed NC."""
        if not self.is_record:
            return False
        final = FINAL_STATUSES.get(self.type or "")
        return final is None or self.status in final

    @property
    def effective_status(self) -> str | None:
        """Records carry no status: once merged they are final, like approved."""
        return "approved" if self.is_record else self.status

    @property
    def is_approved(self) -> bool:
        return self.effective_status == "approved"

    @property
    def folder(self) -> str:
        return self.path.split("/", 1)[0] if "/" in self.path else ""


class _BodyNotRead:
    """``Document.body`` while it is not in the instance: a non-data descriptor, which Python asks only when
    the instance's own ``__dict__`` has no ``body``. A read body is a plain attribute (the body-scanning rules
    read it tens of thousands of times per run); a missing one raises."""

    def __get__(self, doc: Document | None, owner: type | None = None) -> Any:
        if doc is None:
            return self
        raise DocumentNotRead(f"{doc.path}: body asked of a document not read; call system.complete(doc)")


def _read_abspath(doc: Document) -> Path:
    path = doc.__dict__["abspath"]
    if isinstance(path, str):  # as the loader found it: a Path only for those who ask (most never do)
        path = doc.__dict__["abspath"] = Path(path)
    return path


def _write_abspath(doc: Document, path: Path | str) -> None:
    doc.__dict__["abspath"] = path


# The file's path is kept as the loader's string until someone asks for it: making a Path of each of
# 10,000 paths costs 0.015 s, and only a few rules and the site ask. It reads as a Path in every case.
Document.abspath = property(_read_abspath, _write_abspath, doc="The file's path.")  # type: ignore[assignment]


# The body of a document built from the parse cache is not there until ``system.complete(doc)``: reading it
# before raises (a program error), instead of giving "" and silently wrong results. The value lives in the
# instance's __dict__ under its own name (set by __init__, by assignment, or by a loader filling __dict__);
# a loader leaves it out of a document whose body it has not read (readers.documents.new_document).
Document.body = _BodyNotRead()  # type: ignore[assignment]


_VERSION = re.compile(r"^(\d+)\.(\d+)$")


def version_key(version: str | None) -> tuple[int, int] | None:
    """MAJOR.MINOR as numbers, so 1.10 comes after 1.9; None when not of that form."""
    match = _VERSION.match(version or "")
    return (int(match[1]), int(match[2])) if match else None
