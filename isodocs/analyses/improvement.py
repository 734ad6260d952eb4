"""The rows of the improvement cycle's reports: the audit programme, the nonconformity register, the actions.

Pure functions of the typed views (``model/cycle.py``) to plain rows; the
library entry points of ``isodocs audits``, ``nonconformities`` and ``actions``
are in ``app/cycle.py``, and the site builds its pages from the same rows.
Nothing here prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from isodocs.analyses.programme import counts_in_cycle
from isodocs.model import ManagementSystem
from isodocs.model.config import Person
from isodocs.model.cycle import GRADES, Audit, Nonconformity, parse_actions

# Types whose front matter carries `actions` (DESIGN.md: objectives, nonconformities, management reviews).
ACTION_TYPES = frozenset({"objective", "nonconformity", "management-review"})


def scope_text(scope: dict[str, tuple[str, ...]]) -> str:
    """``iso9001 8.4, 7.1.5; iso27001 A.5.19`` (a scope or ``against`` mapping on one line)."""
    return "; ".join(f"{key} {', '.join(ids)}" for key, ids in scope.items() if ids)


# --- the audit programme ---


@dataclass(frozen=True)
class AuditRow:
    id: str
    title: str
    path: str
    kind: str
    status: str
    start: dt.date | None
    end: dt.date | None
    lead_auditor: str | None
    auditors: tuple[str, ...]
    scope: dict[str, tuple[str, ...]]
    findings: dict[str, int]  # grade -> number of nonconformities naming the audit
    in_cycle: bool  # counts for the programme's coverage
    overdue: bool  # planned, and its date has passed
    classification: str | None
    nonconformities: tuple[str, ...]  # ids of its findings

    @property
    def date(self) -> dt.date | None:
        return self.end or self.start


def audit_rows(
    audits: Iterable[Audit], nonconformities: Iterable[Nonconformity], today: dt.date, cycle_months: int
) -> list[AuditRow]:
    """One row per audit, by date, with its findings counted by grade."""
    by_audit: dict[str, list[Nonconformity]] = {}
    for nc in nonconformities:
        if nc.audit:
            by_audit.setdefault(nc.audit, []).append(nc)
    rows = []
    for audit in audits:
        found = by_audit.get(audit.id, [])
        counts = {grade: sum(1 for nc in found if nc.grade == grade) for grade in GRADES}
        rows.append(
            AuditRow(
                id=audit.id,
                title=audit.title,
                path=audit.path,
                kind=audit.kind,
                status=audit.status or "",
                start=audit.start,
                end=audit.end,
                lead_auditor=audit.lead_auditor,
                auditors=audit.auditors,
                scope=audit.scope,
                findings=counts,
                in_cycle=counts_in_cycle(audit, today, cycle_months),
                overdue=audit.status == "planned" and audit.date is not None and audit.date < today,
                classification=audit.classification,
                nonconformities=tuple(nc.id for nc in found),
            )
        )
    rows.sort(key=lambda row: (row.date or dt.date.max, row.id))
    return rows


# --- the nonconformity register ---


@dataclass(frozen=True)
class NonconformityRow:
    id: str
    title: str
    path: str
    status: str
    grade: str
    source: str
    audit: str | None
    raised: dt.date | None
    age_days: int | None
    owner: str | None
    actions_done: int
    actions_total: int
    next_due: dt.date | None
    overdue_actions: int
    effectiveness: str  # effective | not-effective | due DATE | pending | not needed
    effectiveness_overdue: bool
    closed: dt.date | None
    classification: str | None

    @property
    def is_open(self) -> bool:
        return self.status != "closed"

    @property
    def overdue(self) -> bool:
        """Something on it is late: an action, or the effectiveness check."""
        return self.is_open and (self.overdue_actions > 0 or self.effectiveness_overdue)


def nonconformity_rows(
    nonconformities: Iterable[Nonconformity], today: dt.date, open_only: bool = False
) -> list[NonconformityRow]:
    """One row per nonconformity: open ones first, then by date raised."""
    rows = []
    for nc in nonconformities:
        if open_only and not nc.is_open:
            continue
        check = nc.effectiveness
        rows.append(
            NonconformityRow(
                id=nc.id,
                title=nc.title,
                path=nc.path,
                status=nc.status or "",
                grade=nc.grade or "",
                source=nc.source or "",
                audit=nc.audit,
                raised=nc.raised,
                age_days=nc.age(today),
                owner=nc.owner,
                actions_done=nc.actions_done,
                actions_total=len(nc.actions),
                next_due=nc.next_due,
                overdue_actions=sum(1 for action in nc.actions if action.overdue(today)),
                effectiveness=nc.effectiveness_state,
                effectiveness_overdue=bool(
                    nc.is_open and check and check.checked is None and check.due and check.due < today
                ),
                closed=nc.closed,
                classification=nc.classification,
            )
        )
    rows.sort(key=lambda row: (not row.is_open, row.raised or dt.date.max, row.id))
    return rows


def open_by_grade(rows: Iterable[NonconformityRow]) -> dict[str, int]:
    """Open nonconformities per grade (every grade listed, most serious first)."""
    counts = dict.fromkeys(GRADES, 0)
    for row in rows:
        if row.is_open and row.grade in counts:
            counts[row.grade] += 1
    return counts


# --- the action tracker ---


@dataclass(frozen=True)
class ActionRow:
    """An open action, with the document it belongs to."""

    doc_id: str
    doc_title: str
    doc_type: str
    path: str
    index: int  # position in the document's actions list
    action: str
    owner: str  # "" when it has none
    due: dt.date | None
    days_left: int | None  # negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


@dataclass
class OwnerActions:
    key: str
    person: Person | None
    actions: list[ActionRow] = field(default_factory=list)

    @property
    def name(self) -> str:
        if self.person:
            return self.person.name
        return f"unknown person '{self.key}'" if self.key else "no owner"

    @property
    def overdue(self) -> int:
        return sum(1 for action in self.actions if action.overdue)


def action_rows(system: ManagementSystem) -> list[ActionRow]:
    """Every open action of every document that carries actions."""
    rows = []
    for doc in system.documents:
        if doc.type not in ACTION_TYPES:
            continue
        for action in parse_actions(system.with_front(doc).data.get("actions")):
            if not action.is_open:
                continue
            rows.append(
                ActionRow(
                    doc_id=doc.id or doc.path,
                    doc_title=doc.title or "",
                    doc_type=doc.type or "",
                    path=doc.path,
                    index=action.index,
                    action=action.action,
                    owner=action.owner or "",
                    due=action.due,
                    days_left=(action.due - system.today).days if action.due else None,
                )
            )
    return rows


def by_owner(
    rows: Iterable[ActionRow], people: dict[str, Person], owner: str | None = None, within_days: int | None = None
) -> list[OwnerActions]:
    """Actions grouped by owner, overdue first: owners by their earliest due date, each's actions by due date.

    ``owner``: only that person's; ``within_days``: only those due within that many days (overdue ones always).
    """
    owners: dict[str, OwnerActions] = {}
    for row in rows:
        if owner is not None and row.owner != owner:
            continue
        if within_days is not None and row.days_left is not None and row.days_left > within_days:
            continue
        group = owners.get(row.owner)
        if group is None:
            group = owners[row.owner] = OwnerActions(row.owner, people.get(row.owner))
        group.actions.append(row)
    for group in owners.values():
        group.actions.sort(key=lambda row: (row.due or dt.date.max, row.doc_id, row.index))
    return sorted(owners.values(), key=lambda group: (group.actions[0].due or dt.date.max, group.key))
