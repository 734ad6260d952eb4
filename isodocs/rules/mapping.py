"""Clause-mapping rules: every document says which clauses it satisfies, correctly."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from isodocs.model import Document, Severity
from isodocs.model.catalog import Catalog, annex_form
from isodocs.rules.registry import DocumentContext, Hit, document_rule


@document_rule("unmapped", Severity.ERROR)
def unmapped(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """No clause mapping (approved or in-review; a warning on drafts).

    Add `clauses:` mapping each standard in scope to the clause ids the document satisfies, e.g. `iso9001:
    ["7.5"]`.
    """
    if any(doc.clauses.values()) or _evidence_type(doc, context):
        return
    status = doc.effective_status
    if status in ("approved", "in-review"):
        severity = None
    elif status == "draft":
        severity = Severity.WARNING
    else:
        return
    in_scope = ", ".join(context.config.standards) or "a standard"
    yield Hit(
        f"no clause mapping: add clauses: with the clauses of {in_scope} this document satisfies",
        doc.line("clauses") if "clauses" in doc.data else doc.line("type"),
        severity=severity,
    )


@document_rule("unknown-standard", Severity.ERROR)
def unknown_standard(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """A `clauses` key is no known catalogue.

    Use the key of a known catalogue (`iso9001`, `iso14001`, `iso45001`, `iso27001`, or one added under
    `catalogs:` in isodocs.yml).
    """
    for key in doc.clauses:
        if key not in context.catalogs:
            hint = difflib.get_close_matches(key, list(context.catalogs), n=1)
            suggestion = f"did you mean {hint[0]}? " if hint else ""
            yield Hit(
                f"clauses: '{key}' is no known standard; {suggestion}known: {', '.join(sorted(context.catalogs))}",
                doc.line("clauses", key),
            )
    for index, key in _review_standards(doc):  # a management review's `standards`
        if key not in context.catalogs:
            hint = difflib.get_close_matches(key, list(context.catalogs), n=1)
            suggestion = f"did you mean {hint[0]}? " if hint else ""
            yield Hit(
                f"standards: '{key}' is no known standard; {suggestion}known: {', '.join(sorted(context.catalogs))}",
                doc.line("standards", index),
            )


@document_rule("standard-not-in-scope", Severity.WARNING)
def standard_not_in_scope(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """Mapped to a known standard that is not in scope.

    Add the standard to `standards:` in isodocs.yml, or drop its mapping from the document.
    """
    for key in doc.clauses:
        if key in context.catalogs and key not in context.config.standards:
            yield Hit(
                f"mapped to {context.catalogs[key].name}, which is not in standards: of isodocs.yml; "
                "add it to the scope or drop the mapping",
                doc.line("clauses", key),
            )
    for index, key in _review_standards(doc):
        if key in context.catalogs and key not in context.config.standards:
            yield Hit(
                f"the review is held for {context.catalogs[key].name}, which is not in standards: of isodocs.yml; "
                "add it to the scope or drop it from the review's standards",
                doc.line("standards", index),
            )


def _review_standards(doc: Document) -> list[tuple[int, str]]:
    """(index, key) of each standard a management review names in ``standards``."""
    if doc.type != "management-review" or not isinstance(doc.data.get("standards"), list):
        return []
    return [(index, key) for index, key in enumerate(doc.data["standards"]) if isinstance(key, str)]


@document_rule("unknown-clause", Severity.ERROR)
def unknown_clause(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """A clause id is not in that standard's catalogue (message suggests the nearest).

    Use a clause id of that catalogue; the message suggests the nearest. Annex A controls of ISO/IEC 27001 are
    written `A.5.1` to `A.8.34`.
    """
    for field, key, ids in _clause_lists(doc):
        catalog = context.catalogs.get(key)
        if catalog is None:
            continue
        for index, clause_id in enumerate(ids):
            if clause_id in catalog.clauses or (field == "scope" and clause_id in catalog.themes):
                continue
            owner = _control_owner(clause_id, catalog, context) if not catalog.controls else None
            nearest = None if owner else catalog.nearest(clause_id)
            if owner:  # an Annex A control under a standard without controls: say where it belongs
                hint = f"{clause_id} is a control of {owner.name}: list it under {owner.key}"
            elif nearest:
                hint = f"did you mean {nearest} ({catalog.clauses[nearest].title})?"
            else:
                hint = "see `isodocs coverage --standard " + key + "` for the clause list"
            yield Hit(
                f"{field}: {catalog.name} has no clause {clause_id}: {hint}"
                if field != "clauses"
                else f"{catalog.name} has no clause {clause_id}: {hint}",
                doc.line(field, key, index),
            )


def _evidence_type(doc: Document, context: DocumentContext) -> bool:
    """A record of the improvement cycle whose type counts as evidence in a standard in scope (audit: 9.2.2)."""
    catalogs = context.catalogs
    return any(doc.type in catalogs[key].evidence for key in context.config.standards if key in catalogs)


def _clause_lists(doc: Document) -> list[tuple[str, str, list[str]]]:
    """(field, standard key, clause ids) of ``clauses``, an audit's ``scope`` and a nonconformity's ``against``
    (a list: run on every document)."""
    lists = [("clauses", key, ids) for key, ids in doc.clauses.items()]
    if doc.type not in ("audit", "nonconformity"):
        return lists
    for field in ("scope", "against"):
        if isinstance(doc.data.get(field), dict):
            for key, ids in doc.data[field].items():
                if isinstance(ids, list):
                    lists.append((field, str(key), [str(c) for c in ids if isinstance(c, (str, int, float))]))
    return lists


def _control_owner(clause_id: str, catalog: Catalog, context: DocumentContext) -> Catalog | None:
    """The other catalogue whose control ``clause_id`` is (``A.5.1`` under iso9001 belongs to iso27001)."""
    wanted = annex_form(clause_id)
    if not wanted.startswith("A."):
        return None
    for other in context.catalogs.values():
        clause = other.clauses.get(wanted)
        if other is not catalog and clause is not None and clause.is_control:
            return other
    return None
