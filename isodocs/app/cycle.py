"""Library entry points of ``isodocs audits``, ``isodocs nonconformities`` and ``isodocs actions``.

Each loads the repository once and returns plain rows (``analyses/improvement.py``)
for a reporter. An ``--owner`` that is no person is a UsageError (exit 2).
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field

from isodocs.analyses.cycle import cycle_records
from isodocs.analyses.improvement import (
    ActionRow,
    AuditRow,
    NonconformityRow,
    OwnerActions,
    action_rows,
    audit_rows,
    by_owner,
    nonconformity_rows,
)
from isodocs.analyses.programme import StandardProgramme, audit_programme
from isodocs.app.reports import Report, ReportOptions, _load
from isodocs.errors import UsageError


@dataclass
class AuditsReport(Report):
    today: dt.date = dt.date.min
    cycle_months: int = 12
    audits: list[AuditRow] = field(default_factory=list)
    programme: list[StandardProgramme] = field(default_factory=list)


def run_audits(options: ReportOptions) -> AuditsReport:
    system, unreadable = _load(options)
    records = cycle_records(system)
    months = system.config.audit_cycle_months
    return AuditsReport(
        system,
        unreadable,
        today=system.today,
        cycle_months=months,
        audits=audit_rows(records.audits, records.nonconformities, system.today, months),
        programme=audit_programme(system),
    )


@dataclass
class NonconformitiesReport(Report):
    today: dt.date = dt.date.min
    open_only: bool = False
    rows: list[NonconformityRow] = field(default_factory=list)


@dataclass
class NonconformitiesOptions(ReportOptions):
    open_only: bool = False


def run_nonconformities(options: NonconformitiesOptions) -> NonconformitiesReport:
    system, unreadable = _load(options)
    rows = nonconformity_rows(cycle_records(system).nonconformities, system.today, options.open_only)
    return NonconformitiesReport(system, unreadable, today=system.today, open_only=options.open_only, rows=rows)


@dataclass
class ActionsOptions(ReportOptions):
    owner: str | None = None
    within_days: int | None = None


@dataclass
class ActionsReport(Report):
    today: dt.date = dt.date.min
    owner: str | None = None
    within_days: int | None = None
    owners: list[OwnerActions] = field(default_factory=list)

    @property
    def actions(self) -> list[ActionRow]:
        return [row for group in self.owners for row in group.actions]


def run_actions(options: ActionsOptions) -> ActionsReport:
    system, unreadable = _load(options)
    people = system.config.people
    if options.owner is not None and options.owner not in people:
        hint = difflib.get_close_matches(options.owner, list(people), n=1)
        suggestion = f"did you mean {hint[0]}? " if hint else ""
        raise UsageError(
            f"--owner {options.owner}: no such key of people in isodocs.yml; {suggestion}known: {', '.join(people)}"
        )
    report = ActionsReport(system, unreadable, today=system.today, owner=options.owner, within_days=options.within_days)
    report.owners = by_owner(action_rows(system), system.config.people, options.owner, options.within_days)
    return report
