"""The loaded management system: everything one run knows, and the values derived from it once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from isodocs.model.catalog import Catalog
from isodocs.model.changes import BaseSnapshot
from isodocs.model.config import Config
from isodocs.model.documents import Document
from isodocs.model.findings import Finding
from isodocs.model.soa import Soa

T = TypeVar("T")


@dataclass(frozen=True)
class DerivedKey(Generic[T]):
    """The name and type of one value derived from a system, declared once beside the code that computes it.

    E.g. ``APPROVED_MAPPINGS: DerivedKey[dict[str, Mappings]] = DerivedKey("approved mappings")`` in
    analyses/coverage.py: every user of the value goes through that constant, so its type is checked.
    """

    name: str


class Derived:
    """Values derived from a system, each computed once by whoever asks first; read-only for their users."""

    def __init__(self) -> None:
        self._values: dict[DerivedKey[Any], Any] = {}

    def get(self, key: DerivedKey[T], compute: Callable[[], T]) -> T:
        """The value of ``key``, computed by ``compute()`` the first time it is asked for."""
        try:
            value: T = self._values[key]
        except KeyError:
            value = self._values[key] = compute()
        return value


class DocumentSource(Protocol):
    """The loader's way to read what a document from the parse cache holds as written (readers/loader.py)."""

    def read_front(self, doc: Document) -> None: ...

    def read_body(self, doc: Document) -> None: ...


class ResultsCache(Protocol):
    """What the rule runner asks of the parse cache (readers/parsecache.py implements it)."""

    def document_results(self, key: str, context: str) -> tuple[list[tuple[Any, ...]], list[Any]] | None: ...

    def put_document_results(
        self, key: str, context: str, findings: list[tuple[Any, ...]], links: list[Any] | None
    ) -> None: ...

    def blob_version(self, blob: str) -> str | None: ...

    def put_blob_version(self, blob: str, version: str) -> None: ...

    def save(self) -> None: ...


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
    cache: ResultsCache | None = field(default=None, repr=False, compare=False)
    # Views derived from the documents and computed once per run by whoever needs them first
    # (e.g. coverage mappings, asked for by several rules), each under its typed DerivedKey.
    derived: Derived = field(default_factory=Derived, repr=False, compare=False)
    # Reads the front matter as written and the body of documents built from the parse cache.
    source: DocumentSource | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.by_id: dict[str, list[Document]] = {}
        for doc in self.documents:
            if doc.id:
                self.by_id.setdefault(doc.id, []).append(doc)

    def get(self, doc_id: str) -> Document | None:
        docs = self.by_id.get(doc_id)
        return docs[0] if docs else None

    def complete(self, doc: Document) -> Document:
        """``doc`` with its front matter as written and its body read (an explicit call: it may read the file).

        Raises UsageError when the file changed since the run read its status.
        """
        if not doc.body_read:
            assert self.source is not None, "a document not read comes from a loader with a source"
            self.source.read_body(doc)
        return self.with_front(doc)

    def with_front(self, doc: Document) -> Document:
        """``doc`` with its front matter as written and its key lines (an explicit call: it may read the file)."""
        if not doc.front_read:
            assert self.source is not None, "a document not read comes from a loader with a source"
            self.source.read_front(doc)
        return doc

    @cached_property
    def by_path(self) -> dict[str, Document]:
        """Each document by its path."""
        return {doc.path: doc for doc in self.documents}

    @cached_property
    def document_paths(self) -> frozenset[str]:
        """The paths of the documents that parsed."""
        return frozenset(doc.path for doc in self.documents)
