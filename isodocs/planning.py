"""The library entry points of ``isodocs objectives`` and ``isodocs management-review prepare``.

Rows and the draft's content are computed by the pure modules (objectives.py,
management_reviews.py, review_draft.py); here the system is loaded once and
their inputs gathered. Nothing here prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from isodocs.cycle import cycle_records
from isodocs.errors import UsageError
from isodocs.management_reviews import last_held, reviews
from isodocs.model import ManagementSystem, parse_actions
from isodocs.objectives import Objective, read_objective
from isodocs.reports import Report, ReportOptions, _load
from isodocs.review_draft import ActionOf, RepositoryFacts, soa_status

ACTION_TYPES = ("objective", "nonconformity", "management-review")
REVIEWED_STATUSES = ("approved", "in-review")


def objectives_of(system: ManagementSystem, approved_only: bool = False) -> list[Objective]:
    """The objectives of the run by id (only the approved ones with ``approved_only``)."""
    found = [
        read_objective(doc)
        for doc in system.documents
        if doc.type == "objective" and (not approved_only or doc.status == "approved")
    ]
    return sorted(found, key=lambda o: o.id)


@dataclass
class ObjectivesReport(Report):
    today: dt.date = dt.date.min
    objectives: list[Objective] = field(default_factory=list)


def run_objectives(options: ReportOptions) -> ObjectivesReport:
    """Every objective that is not obsolete, with its measure, latest result, target, due date, progress, trend."""
    system, unreadable = _load(options)
    found = [o for o in objectives_of(system) if o.status != "obsolete"]
    return ObjectivesReport(system, unreadable, today=system.today, objectives=found)


def repository_facts(system: ManagementSystem, before: dt.date | None = None) -> RepositoryFacts:
    """What the repository records for a management review held on ``before`` (default today)."""
    today = before or system.today
    records = cycle_records(system)
    actions = tuple(
        ActionOf(doc.id or doc.path, action)
        for doc in system.documents
        if doc.type in ACTION_TYPES
        for action in parse_actions(doc.data.get("actions"))
    )
    overdue = tuple(
        doc.id or doc.path
        for doc in system.documents
        if not doc.is_record
        and doc.status in REVIEWED_STATUSES
        and doc.next_review is not None
        and doc.next_review < system.today
    )
    decisions = system.soa.decisions.values() if system.soa is not None else ()
    return RepositoryFacts(
        today=system.today,
        last_review=last_held(reviews(system), today),
        actions=actions,
        audits=tuple(records.audits),
        nonconformities=tuple(records.nonconformities),
        objectives=tuple(objectives_of(system, approved_only=True)),
        reviews_overdue=overdue,
        soa_status=soa_status((d.applicable, d.status, d.valid) for d in decisions),
    )


@dataclass
class PrepareOptions:
    root: Path
    owner: str | None = None  # default: the owner of the last review held
    title: str | None = None  # default: "Management review, <Month YYYY>"
    date: dt.date | None = None  # the meeting's date (default today)
    path: Path | None = None
    today: dt.date | None = None
    dry_run: bool = False


def prepare_review(options: PrepareOptions):  # type: ignore[no-untyped-def]
    """Write a planned management review whose agenda holds what the repository records since the last one."""
    from isodocs.loader import load_system
    from isodocs.new import NewOptions, create_document

    system, _ = load_system(options.root, options.today)
    day = options.date or system.today
    facts = repository_facts(system, day)
    owner = options.owner or (facts.last_review.owner if facts.last_review else None)
    if not owner:
        raise UsageError("no management review held yet to take its owner from: pass --owner PERSON")
    title = options.title or f"Management review, {day.strftime('%B %Y')}"
    return create_document(
        NewOptions(
            root=options.root,
            type="management-review",
            title=title,
            owner=owner,
            path=options.path,
            date=day,
            today=options.today,
            dry_run=options.dry_run,
            review_facts=facts,
        )
    )
