"""Typed views of the improvement cycle's records: audits (AUD) and nonconformities (NC).

The loader keeps a document's front matter as written (``Document.data``); these
functions read the cycle's fields from it into plain dataclasses, tolerating a
field of the wrong type (the ``schema`` rule reports it; here it is None). The
shared ``actions`` structure is ``model.Action`` and is read by
``model.parse_actions``. Nothing here prints or reads files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from isodocs.model import Action, Document, ManagementSystem, parse_actions, parse_date

AUDIT_STATUSES = ("planned", "completed", "cancelled")
AUDIT_KINDS = ("internal", "certification", "surveillance", "supplier")
NC_STATUSES = ("open", "closed")
GRADES = ("major", "minor", "observation", "opportunity")
# Grades that need a corrective action, a root cause and an effectiveness check.
CORRECTIVE_GRADES = ("major", "minor")
SOURCES = ("audit", "incident", "complaint", "management-review", "process", "supplier", "other")
EFFECTIVENESS_RESULTS = ("effective", "not-effective")

KeyPath = tuple[str | int, ...]


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


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


@dataclass(frozen=True)
class Audit:
    """An audit file: planned, completed or cancelled; internal or external."""

    id: str
    title: str
    path: str
    status: str | None
    kind: str
    owner: str | None
    lead_auditor: str | None
    auditors: tuple[str, ...]
    auditees: tuple[str, ...]
    start: dt.date | None
    end: dt.date | None  # as written; ``date`` is the end, or the start without one
    scope: dict[str, tuple[str, ...]]
    documents: tuple[str, ...]
    conclusion: str | None
    classification: str | None

    @property
    def date(self) -> dt.date | None:
        """The day the audit counts by: its end, or its start."""
        return self.end or self.start

    @property
    def internal(self) -> bool:
        return self.kind == "internal"

    @property
    def auditor_keys(self) -> tuple[str, ...]:
        """The lead auditor and the auditors, each once."""
        lead = (self.lead_auditor,) if self.lead_auditor else ()
        return tuple(dict.fromkeys(lead + self.auditors))


@dataclass(frozen=True)
class Effectiveness:
    """The check that a corrective action worked."""

    due: dt.date | None
    checked: dt.date | None
    by: str | None
    result: str | None

    @property
    def effective(self) -> bool:
        return self.checked is not None and self.result == "effective"


@dataclass(frozen=True)
class Nonconformity:
    """A nonconformity, observation or opportunity and its corrective action."""

    id: str
    title: str
    path: str
    status: str | None
    grade: str | None
    source: str | None
    audit: str | None
    raised: dt.date | None
    raised_by: str | None
    owner: str | None
    against: dict[str, tuple[str, ...]]
    correction: str | None
    root_cause: str | None
    actions: tuple[Action, ...]
    effectiveness: Effectiveness | None
    closed: dt.date | None
    classification: str | None

    @property
    def is_open(self) -> bool:
        return self.status != "closed"

    @property
    def corrective(self) -> bool:
        """Major and minor nonconformities need actions, a root cause and an effectiveness check."""
        return self.grade in CORRECTIVE_GRADES

    @property
    def open_actions(self) -> list[Action]:
        return [action for action in self.actions if action.is_open]

    @property
    def actions_done(self) -> int:
        return sum(1 for action in self.actions if not action.is_open)

    @property
    def next_due(self) -> dt.date | None:
        """The earliest due date of an open action."""
        dues = [action.due for action in self.actions if action.is_open and action.due]
        return min(dues) if dues else None

    def age(self, today: dt.date) -> int | None:
        """Days from raised to closed (or to today while open)."""
        if self.raised is None:
            return None
        end = self.closed if not self.is_open and self.closed else today
        return (end - self.raised).days

    @property
    def effectiveness_state(self) -> str:
        """effective, not-effective, due DATE, pending, or not needed (observations, opportunities)."""
        check = self.effectiveness
        if check is not None and check.checked is not None:
            return check.result or "checked"
        if check is not None and check.due is not None:
            return f"due {check.due.isoformat()}"
        return "pending" if self.corrective else "not needed"


def read_audit(doc: Document) -> Audit:
    """The typed view of an audit document's front matter."""
    data = doc.data
    kind = _str(data.get("kind")) or "internal"
    return Audit(
        id=doc.id or doc.path,
        title=doc.title or "",
        path=doc.path,
        status=doc.status,
        kind=kind,
        owner=doc.owner,
        lead_auditor=_str(data.get("lead_auditor")),
        auditors=_strings(data.get("auditors")),
        auditees=_strings(data.get("auditees")),
        start=parse_date(data.get("start")),
        end=parse_date(data.get("end")),
        scope=_clause_map(data.get("scope")),
        documents=_strings(data.get("documents")),
        conclusion=_str(data.get("conclusion")),
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
            by=_str(check.get("by")),
            result=_str(check.get("result")),
        )
    return Nonconformity(
        id=doc.id or doc.path,
        title=doc.title or "",
        path=doc.path,
        status=doc.status,
        grade=_str(data.get("grade")),
        source=_str(data.get("source")),
        audit=_str(data.get("audit")),
        raised=parse_date(data.get("raised")),
        raised_by=_str(data.get("raised_by")),
        owner=doc.owner,
        against=_clause_map(data.get("against")),
        correction=_str(data.get("correction")),
        root_cause=_str(data.get("root_cause")),
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
    ("attendees", "*"),
    ("actions", "*", "owner"),
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


def people_named(data: dict[str, Any]) -> Iterator[tuple[KeyPath, str]]:
    """(key path, person key) of each person the cycle's fields name."""
    if PERSON_ROOTS.isdisjoint(data):  # most documents: no field of the cycle at all
        return
    for path in PERSON_PATHS:
        for key, value in values_at(data, path):
            if isinstance(value, str):
                yield key, value


@dataclass
class CycleRecords:
    """Every audit and nonconformity of a run, with the nonconformities of each audit."""

    audits: list[Audit] = field(default_factory=list)
    nonconformities: list[Nonconformity] = field(default_factory=list)

    def findings_of(self, audit_id: str) -> list[Nonconformity]:
        return [nc for nc in self.nonconformities if nc.audit == audit_id]


def cycle_records(system: ManagementSystem) -> CycleRecords:
    """The run's audits and nonconformities, by date; read once per run and shared (read-only)."""
    records: CycleRecords | None = system.derived.get("cycle_records")
    if records is None:
        records = CycleRecords()
        for doc in system.documents:
            if doc.type == "audit":
                records.audits.append(read_audit(doc))
            elif doc.type == "nonconformity":
                records.nonconformities.append(read_nonconformity(doc))
        records.audits.sort(key=lambda a: (a.date or dt.date.max, a.id))
        records.nonconformities.sort(key=lambda n: (n.raised or dt.date.max, n.id))
        system.derived["cycle_records"] = records
    return records
