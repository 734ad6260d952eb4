"""The improvement cycle's records as plain data: actions, audits, nonconformities.

An action (``{action, owner, due, done}``) is one structure wherever it appears
(nonconformities now; objectives and management reviews carry the same): the
schema's ``$defs/action``, ``Action`` and ``parse_actions`` here. The typed views
of audits and nonconformities are made from a document's front matter by
``readers/cycle.py``. Imports nothing of isodocs but the model.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

AUDIT_STATUSES = ("planned", "completed", "cancelled")
AUDIT_KINDS = ("internal", "certification", "surveillance", "supplier")
NC_STATUSES = ("open", "closed")
GRADES = ("major", "minor", "observation", "opportunity")
# Grades that need a corrective action, a root cause and an effectiveness check.
CORRECTIVE_GRADES = ("major", "minor")
SOURCES = ("audit", "incident", "complaint", "management-review", "process", "supplier", "other")
EFFECTIVENESS_RESULTS = ("effective", "not-effective")


@dataclass(frozen=True)
class Action:
    """One action of an objective, nonconformity or management review: ``{action, owner, due, done}``.

    ``index`` is its position in the document's ``actions`` list, so a finding can point at
    ``("actions", index, "due")``. A field of the wrong type (the schema reports it) is None.
    """

    index: int
    action: str
    owner: str | None
    due: dt.date | None
    done: dt.date | None

    @property
    def is_open(self) -> bool:
        return self.done is None

    def overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due is not None and self.due < today


def parse_date(value: Any) -> dt.date | None:
    """A date as YAML gives it to isodocs (an ISO string), or None when it is none or impossible."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def parse_actions(value: Any) -> list[Action]:
    """The typed view of an ``actions`` list as written (entries that are no mapping are skipped)."""
    if not isinstance(value, list):
        return []
    actions = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            continue
        text, owner = item.get("action"), item.get("owner")
        actions.append(
            Action(
                index=index,
                action=text if isinstance(text, str) else "",
                owner=owner if isinstance(owner, str) else None,
                due=parse_date(item.get("due")),
                done=parse_date(item.get("done")),
            )
        )
    return actions


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
