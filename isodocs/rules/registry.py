"""The kinds of rule, and the decorators that make them.

Each rule is a small pure function with a stable slug, a default severity and a
one-line summary (its docstring's first line). Its kind is in its type, and the
kind decides what the function is given, so that a rule cannot read more than
its cached result may depend on:

- ``DocumentRule`` (``@document_rule``): a function of one document and a
  ``DocumentContext`` (the configuration, the catalogues, today). It sees no
  other document and no file, so its findings are cached per document
  (rules/run.py) and reused while the document's text and the context are the same.
- ``CrossDocumentRule`` (``@cross_document_rule``): a function of one document and
  the whole ``ManagementSystem`` (other documents' ids, files on disk). Its
  findings can change when another file does: it runs on every run, never cached.
- ``SystemRule`` (``@system_rule``): a function of the whole system, run once
  ("repository" scope) or only with ``check --base`` ("change" scope).
- ``LoaderRule`` (``loader_rule``): a slug the readers report while reading
  files, registered so that its severity is configurable and its docs exist.

Every rule function yields ``Hit``s; the runner (rules/run.py) turns them into
``Finding``s with the severity the configuration sets. The registry itself is
the explicit table in rules/__init__.py.

A per-document rule that can only find something in documents of some types
says so: ``types=("audit",)``. The runner then never calls it on a document of
another type (nor on one without a type): at 10,000 documents, calling every rule
on every document to have it return at once costs more than the rules' work.
Give ``types`` only to a rule whose function returns without a hit for every
other type (it starts with ``if doc.type != "audit": return``); the tests check
that the declaration and the function agree.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from isodocs.model import TYPE_PREFIX, Document, KeyPath, ManagementSystem, Severity
from isodocs.model.catalog import Catalog
from isodocs.model.config import Config

Scope = Literal["loader", "document", "repository", "change"]
# The document types of the model (model/documents.py), which a rule's ``types`` may name.
DOCUMENT_TYPES = frozenset(TYPE_PREFIX)


@dataclass(frozen=True)
class Hit:
    """What a rule found. Path and id default to the document's.

    A cross-document rule gives the key path of what it found (``key``) rather
    than a line: the runner resolves it, reading the document's key lines only
    when there is a finding (a document from the parse cache has not read them).
    """

    message: str
    line: int = 1
    severity: Severity | None = None  # overrides the rule's default (e.g. unmapped drafts)
    path: str | None = None
    id: str | None = None
    key: KeyPath | None = None  # the key path whose line to report (instead of ``line``)


@dataclass(frozen=True)
class DocumentContext:
    """Everything a per-document rule may read besides its document; its cached findings depend on this alone.

    Built once per run by the runner; the parse cache keys the findings it stores
    with a hash of it (rules/run.py ``document_context``).
    """

    config: Config
    catalogs: dict[str, Catalog]
    today: dt.date

    @classmethod
    def of(cls, system: ManagementSystem) -> DocumentContext:
        return cls(system.config, system.catalogs, system.today)


DocumentCheck = Callable[[Document, DocumentContext], Iterable[Hit]]
CrossDocumentCheck = Callable[[Document, ManagementSystem], Iterable[Hit]]
SystemCheck = Callable[[ManagementSystem], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """What every kind of rule has: the slug, default severity and docs."""

    slug: str
    severity: Severity
    summary: str  # one line: what the rule finds
    family: str
    scope: Scope
    fix: str = ""  # one paragraph: how to fix a finding (docs/rules.md, `isodocs rules`)

    @property
    def cross_document(self) -> bool:
        """Findings on a document can come from a change elsewhere (never cached; block with --base)."""
        return False


@dataclass(frozen=True)
class PerDocumentRule(Rule):
    """What the two kinds of per-document rule have: the document types they apply to."""

    # None: every document; else the rule is run only on documents of these types (see the module's docstring).
    types: frozenset[str] | None = None

    def applies_to(self, doc_type: str | None) -> bool:
        """Whether the runner runs this rule on a document of type ``doc_type`` (None: no type, or not text)."""
        return self.types is None or doc_type in self.types


@dataclass(frozen=True)
class LoaderRule(Rule):
    """A slug the readers report (no check function)."""


@dataclass(frozen=True)
class DocumentRule(PerDocumentRule):
    """A rule of one document and the context: cached per document."""

    check: DocumentCheck = lambda doc, context: ()

    def __call__(self, doc: Document, context: DocumentContext) -> Iterable[Hit]:
        return self.check(doc, context)


@dataclass(frozen=True)
class CrossDocumentRule(PerDocumentRule):
    """A rule of one document that also reads other documents or files: never cached."""

    check: CrossDocumentCheck = lambda doc, system: ()

    @property
    def cross_document(self) -> bool:
        return True

    def __call__(self, doc: Document, system: ManagementSystem) -> Iterable[Hit]:
        return self.check(doc, system)


@dataclass(frozen=True)
class SystemRule(Rule):
    """A rule of the whole system (scope "repository", or "change" with check --base)."""

    check: SystemCheck = lambda system: ()

    def __call__(self, system: ManagementSystem) -> Iterable[Hit]:
        return self.check(system)


def _paragraphs(doc: str) -> list[str]:
    """A docstring's paragraphs, each on one line: the summary, then how to fix."""
    return [" ".join(block.split()) for block in inspect.cleandoc(doc).split("\n\n") if block.strip()]


def _docs(doc: str | None, fix: str | None) -> tuple[str, str]:
    """(summary, fix) from a docstring and an explicit ``fix=``."""
    paragraphs = _paragraphs(doc or "")
    summary = paragraphs[0] if paragraphs else ""
    return summary, " ".join(fix.split()) if fix else (paragraphs[1] if len(paragraphs) > 1 else "")


def _family(func: Callable[..., object]) -> str:
    return func.__module__.rsplit(".", 1)[-1]


def _require_second_parameter(func: Callable[..., object], wanted: str, decorator: str) -> None:
    """Refuse a rule function whose second parameter is not annotated ``wanted``: the kind must be chosen."""
    parameters = list(inspect.signature(func).parameters.values())
    annotation = parameters[1].annotation if len(parameters) == 2 else None
    name = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", None)
    if name != wanted:
        raise TypeError(
            f"{func.__module__}.{func.__name__}: a @{decorator} takes (doc: Document, _: {wanted}); "
            "a rule that reads other documents is a @cross_document_rule (of the whole ManagementSystem)"
        )


def _document_types(func: Callable[..., object], types: tuple[str, ...] | None) -> frozenset[str] | None:
    """A rule's ``types=`` as a set, refusing a name that is no document type of the model (a typo would
    silently turn the rule off)."""
    if types is None:
        return None
    unknown = sorted(set(types) - DOCUMENT_TYPES) if types else ["(none given)"]
    if unknown:
        raise ValueError(
            f"{func.__module__}.{func.__name__}: types={types!r} names no document type: {', '.join(unknown)} "
            f"(known: {', '.join(sorted(DOCUMENT_TYPES))})"
        )
    return frozenset(types)


def document_rule(
    slug: str, severity: Severity, fix: str | None = None, types: tuple[str, ...] | None = None
) -> Callable[[DocumentCheck], DocumentRule]:
    """A function of (document, DocumentContext) as a per-document rule, cached per document.

    The docstring's first paragraph is the rule's one-line summary, its second
    how to fix a finding (or pass ``fix=``); both go into docs/rules.md.
    ``types``: the document types the rule can find something in (see the module's docstring).
    """

    def decorate(func: DocumentCheck) -> DocumentRule:
        _require_second_parameter(func, "DocumentContext", "document_rule")
        summary, how = _docs(func.__doc__, fix)
        kinds = _document_types(func, types)
        return DocumentRule(slug, severity, summary, _family(func), "document", how, kinds, func)

    return decorate


def cross_document_rule(
    slug: str, severity: Severity, fix: str | None = None, types: tuple[str, ...] | None = None
) -> Callable[[CrossDocumentCheck], CrossDocumentRule]:
    """A function of (document, ManagementSystem) as a per-document rule that reads other documents or files."""

    def decorate(func: CrossDocumentCheck) -> CrossDocumentRule:
        _require_second_parameter(func, "ManagementSystem", "cross_document_rule")
        summary, how = _docs(func.__doc__, fix)
        kinds = _document_types(func, types)
        return CrossDocumentRule(slug, severity, summary, _family(func), "document", how, kinds, func)

    return decorate


def system_rule(
    slug: str, severity: Severity, scope: Scope = "repository", fix: str | None = None
) -> Callable[[SystemCheck], SystemRule]:
    """A function of the whole system as a repository-wide rule (docstring as for document_rule)."""

    def decorate(func: SystemCheck) -> SystemRule:
        summary, how = _docs(func.__doc__, fix)
        return SystemRule(slug, severity, summary, _family(func), scope, how, func)

    return decorate


def loader_rule(slug: str, severity: Severity, summary: str, fix: str | None = None) -> LoaderRule:
    """A slug that the readers report (no check function)."""
    text, how = _docs(summary, fix)
    return LoaderRule(slug, severity, text, "loader", "loader", how)
