"""The run's objectives and management reviews, and what the repository records for the next review.

Read once per run (``DerivedKey``) and shared by the rules, the reports, the site
and ``management-review prepare``; each document is read through
``system.with_front`` (a document from the parse cache holds no front matter).
"""

from __future__ import annotations

import datetime as dt

from isodocs.analyses.cycle import cycle_records
from isodocs.analyses.review_draft import ActionOf, RepositoryFacts, soa_status
from isodocs.model import DerivedKey, ManagementSystem
from isodocs.model.cycle import parse_actions
from isodocs.model.management_review import ManagementReview, last_held
from isodocs.model.objectives import Objective
from isodocs.readers.planning import read_objective, read_review

# Types whose front matter carries `actions` (DESIGN.md: objectives, nonconformities, management reviews).
ACTION_TYPES = ("objective", "nonconformity", "management-review")
REVIEWED_STATUSES = ("approved", "in-review")  # documents with a periodic review

REVIEWS: DerivedKey[list[ManagementReview]] = DerivedKey("management reviews")
OBJECTIVES: DerivedKey[list[Objective]] = DerivedKey("objectives")


def reviews(system: ManagementSystem) -> list[ManagementReview]:
    """Every management review of the run, by date (read once per run and shared, read-only)."""

    def read() -> list[ManagementReview]:
        found = [read_review(system.with_front(d)) for d in system.documents if d.type == "management-review"]
        return sorted(found, key=lambda r: (r.date or dt.date.max, r.id))

    return system.derived.get(REVIEWS, read)


def objectives_of(system: ManagementSystem, approved_only: bool = False) -> list[Objective]:
    """The objectives of the run by id (only the approved ones with ``approved_only``)."""

    def read() -> list[Objective]:
        found = [read_objective(system.with_front(d)) for d in system.documents if d.type == "objective"]
        return sorted(found, key=lambda o: o.id)

    found = system.derived.get(OBJECTIVES, read)
    return [o for o in found if o.status == "approved"] if approved_only else list(found)


def repository_facts(system: ManagementSystem, before: dt.date | None = None) -> RepositoryFacts:
    """What the repository records for a management review held on ``before`` (default today)."""
    records = cycle_records(system)
    actions = tuple(
        ActionOf(doc.id or doc.path, action)
        for doc in system.documents
        if doc.type in ACTION_TYPES
        for action in parse_actions(system.with_front(doc).data.get("actions"))
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
        last_review=last_held(reviews(system), before or system.today),
        actions=actions,
        audits=tuple(records.audits),
        nonconformities=tuple(records.nonconformities),
        objectives=tuple(objectives_of(system, approved_only=True)),
        reviews_overdue=overdue,
        soa_status=soa_status((d.applicable, d.status, d.valid) for d in decisions),
    )
