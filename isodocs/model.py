"""The data model: findings, documents and the loaded management system.

Everything here is plain data. The loader builds it, rules read it, reporters
print what rules found. Nothing in this module reads files or prints.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from isodocs.yamlio import KeyPath, line_of

if TYPE_CHECKING:
    from isodocs.catalog import Catalog
    from isodocs.changes import BaseSnapshot
    from isodocs.config import Config
    from isodocs.parsecache import ParseCache
    from isodocs.soa import Soa


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found, located as precisely as the input allows."""

    path: str  # relative to the repo root, with "/"
    line: int  # 1-based
    rule: str
    severity: Severity
    message: str
    id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "id": self.id,
            "message": self.message,
        }


# Document types, their id prefixes and the folders they belong in.
TYPE_PREFIX = {
    "policy": "POL",
    "procedure": "PRO",
    "work-instruction": "WI",
    "form": "FRM",
    "record": "REC",
    "external": "EXT",
    "training": "TRN",
}
TYPE_FOLDERS: dict[str, tuple[str, ...]] = {
    "policy": ("policies",),
    "procedure": ("procedures",),
    "work-instruction": ("procedures",),
    "form": ("forms", "records"),
    "record": ("records",),
    "external": (),  # any folder
    "training": ("records",),
}
# Types that are records: no version or review; final once merged.
RECORD_TYPES = frozenset({"record", "training"})
STATUSES = ("draft", "in-review", "approved", "obsolete")
CLASSIFICATIONS = ("public", "internal", "confidential", "restricted")
SECTION_PAGES = ("index.md", "readme.md")


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


@dataclass
class Document:
    """One controlled document: its front matter as written and a typed view of it.

    ``data`` keeps the front matter exactly as YAML gave it, with dates as strings
    (the form JSON Schema validates). The typed attributes below are filled from it
    by the loader; a field of the wrong type is left ``None`` and the schema rule
    reports it.

    A document of a file that has not changed since an earlier run is built from
    the cache's record of it (``Document.deferred``): the typed view only. What
    it holds as written (``data``, ``lines``, ``raw_scalars``), its ``body`` and
    ``abspath`` are then filled on first use, most often never.
    """

    path: str
    abspath: Path
    data: dict[str, Any]
    lines: dict[KeyPath, int]  # key path -> 1-based line, e.g. ("clauses", "iso9001", 0)
    raw_scalars: dict[str, str]  # top-level scalar values exactly as written
    body: str
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
    clauses: dict[str, list[str]] = field(default_factory=dict)
    related: list[str] = field(default_factory=list)
    supersedes: str | None = None
    date: dt.date | None = None
    retention_years: int | None = None
    source: str | None = None
    # Who must know the document (groups, person keys, everyone): see training.py.
    audience: list[str] = field(default_factory=list)
    # Training records: who was trained, by whom, how, on which document versions (id -> version), or a topic.
    attendees: list[str] = field(default_factory=list)
    trainer: str | None = None
    method: str | None = None
    trained_on: dict[str, str] = field(default_factory=dict)
    topic: str | None = None
    # Set by the loader when the run has a cache (see parsecache.py): a hash of path and text,
    # and one of the front matter's text.
    content_key: str | None = field(default=None, repr=False, compare=False)
    front_key: str | None = field(default=None, repr=False, compare=False)
    # The body's relative links, once someone has looked (rules.references.document_links).
    links: list[tuple[str, int, str, str]] | None = field(default=None, repr=False, compare=False)

    DEFERRED: ClassVar[frozenset[str]] = frozenset({"abspath", "data", "lines", "raw_scalars", "body"})

    @classmethod
    def deferred(
        cls, path: str, body_line: int, typed: dict[str, Any], load: Callable[[Document, str], None]
    ) -> Document:
        """A document of its typed view alone (``typed``: every field but those in DEFERRED).

        ``load(doc, name)`` sets the attribute ``name`` (one of DEFERRED) the first time it is read.
        """
        doc = cls.__new__(cls)
        doc.__dict__.update(typed)
        doc.path, doc.body_line, doc.links = path, body_line, None
        doc.__dict__["_load"] = load
        return doc

    def __getattr__(self, name: str) -> Any:
        # Python calls this only for an attribute not set: here, the deferred ones.
        load = self.__dict__.get("_load")
        if load is None or name not in Document.DEFERRED:
            raise AttributeError(f"'Document' object has no attribute '{name}'")
        load(self, name)
        return self.__dict__[name]

    def line(self, *key: str | int) -> int:
        """Line of a key path, falling back to its nearest parent, then line 1."""
        return line_of(self.lines, key)

    @property
    def is_record(self) -> bool:
        return self.type in RECORD_TYPES

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


@dataclass
class ManagementSystem:
    """Everything one run knows: config, catalogues and the documents that parsed."""

    root: Path
    config: Config
    catalogs: dict[str, Catalog]
    documents: list[Document]
    load_findings: list[Finding]
    today: dt.date
    files: int = 0  # document files found, parsed or not
    base: BaseSnapshot | None = None  # with `check --base REV`: the touched documents at REV
    soa: Soa | None = None  # soa.yml, None when the repository has none
    # Parsed front matter and per-document findings of earlier runs; None without one.
    cache: ParseCache | None = field(default=None, repr=False, compare=False)
    # Views derived from the documents and computed once per run by whoever needs them first
    # (e.g. coverage mappings, asked for by several rules). Read-only for their users.
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.by_id: dict[str, list[Document]] = {}
        for doc in self.documents:
            if doc.id:
                self.by_id.setdefault(doc.id, []).append(doc)

    def get(self, doc_id: str) -> Document | None:
        docs = self.by_id.get(doc_id)
        return docs[0] if docs else None
