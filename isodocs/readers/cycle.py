"""Typed views of the improvement cycle's records, read from a document's front matter as written.

``read_audit`` and ``read_nonconformity`` read the fields of ``doc.data`` into
the plain dataclasses of ``model/cycle.py``, tolerating a field of the wrong type
(the ``schema`` rule reports it; here it is None). The caller passes a document
whose front matter was read (``ManagementSystem.with_front``). Also here: where
the cycle's fields hold dates (checked by the loader) and people (checked by
``unknown-person``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from isodocs.model import Document, KeyPath, as_text
from isodocs.model.cycle import Audit, Effectiveness, Nonconformity, parse_actions, parse_date


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _clause_map(value: Any) -> dict[str, tuple[str, ...]]:
    """A ``clauses``-shaped mapping (standard -> clause ids); other shapes give nothing."""
    if not isinstance(value, dict):
        return {}
    return {
        str(k): tuple(str(c) for c in v if isinstance(c, (str, int, float)))
        for k, v in value.items()
        if isinstance(v, list)
    }


def read_audit(doc: Document) -> Audit:
    """The typed view of an audit document's front matter."""
    data = doc.data
    kind = as_text(data.get("kind")) or "internal"
    return Audit(
        id=doc.id or doc.path,
        title=doc.title or "",
        path=doc.path,
        status=doc.status,
        kind=kind,
        owner=doc.owner,
        lead_auditor=as_text(data.get("lead_auditor")),
        auditors=_strings(data.get("auditors")),
        auditees=_strings(data.get("auditees")),
        start=parse_date(data.get("start")),
        end=parse_date(data.get("end")),
        scope=_clause_map(data.get("scope")),
        documents=_strings(data.get("documents")),
        conclusion=as_text(data.get("conclusion")),
        classification=doc.classification,
    )


def read_nonconformity(doc: Document) -> Nonconformity:
    """The typed view of a nonconformity document's front matter."""
    data = doc.data
    check = data.get("effectiveness")
    effectiveness = None
    if isinstance(check, dict):
        effectiveness = Effectiveness(
            due=parse_date(check.get("due")),
            checked=parse_date(check.get("checked")),
            by=as_text(check.get("by")),
            result=as_text(check.get("result")),
        )
    return Nonconformity(
        id=doc.id or doc.path,
        title=doc.title or "",
        path=doc.path,
        status=doc.status,
        grade=as_text(data.get("grade")),
        source=as_text(data.get("source")),
        audit=as_text(data.get("audit")),
        raised=parse_date(data.get("raised")),
        raised_by=as_text(data.get("raised_by")),
        owner=doc.owner,
        against=_clause_map(data.get("against")),
        correction=as_text(data.get("correction")),
        root_cause=as_text(data.get("root_cause")),
        actions=tuple(parse_actions(data.get("actions"))),
        effectiveness=effectiveness,
        closed=parse_date(data.get("closed")),
        classification=doc.classification,
    )


# Fields of the cycle's records that hold dates, as key paths ("*": every item of a list).
DATE_PATHS: tuple[KeyPath, ...] = (
    ("start",),
    ("end",),
    ("raised",),
    ("closed",),
    ("effectiveness", "due"),
    ("effectiveness", "checked"),
    ("actions", "*", "due"),
    ("actions", "*", "done"),
    ("due",),
    ("results", "*", "date"),
)

# Fields that name people (keys of `people`), as key paths; unknown-person checks them.
PERSON_PATHS: tuple[KeyPath, ...] = (
    ("lead_auditor",),
    ("auditors", "*"),
    ("auditees", "*"),
    ("raised_by",),
    ("effectiveness", "by"),
    ("chair",),
    ("attendees", "*"),  # management reviews and training records
    ("actions", "*", "owner"),
    ("trainer",),
)


def values_at(data: Any, path: KeyPath, prefix: KeyPath = ()) -> Iterator[tuple[KeyPath, Any]]:
    """(key path, value) of every value at ``path`` in ``data`` ("*" walks a list)."""
    if not path:
        yield prefix, data
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from values_at(item, rest, (*prefix, index))
    elif isinstance(data, dict) and head in data:
        yield from values_at(data[head], rest, (*prefix, head))


def impossible_dates(data: dict[str, Any]) -> Iterator[tuple[KeyPath, str]]:
    """(key path, text) of each date of the cycle's fields that has the form YYYY-MM-DD but is no day."""
    for path in DATE_PATHS:
        for key, value in values_at(data, path):
            if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
                if parse_date(value) is None:
                    yield key, value


PERSON_ROOTS = frozenset(str(path[0]) for path in PERSON_PATHS)


def people_named(data: dict[str, Any]) -> list[tuple[KeyPath, str]]:
    """(key path, person key) of each person the cycle's fields name (a list: run on every document)."""
    if PERSON_ROOTS.isdisjoint(data):  # most documents: no field of the cycle at all
        return []
    return [(key, value) for path in PERSON_PATHS for key, value in values_at(data, path) if isinstance(value, str)]
