"""The review calendar: which documents are overdue or due for review, by owner.

Approved documents and documents in review have a next review date (written, or
last_reviewed plus the review interval). Records, drafts and obsolete documents
are never reviewed. Nothing here prints: the CLI and the site render it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from isodocs.model import Document, ManagementSystem
from isodocs.model.config import Person

REVIEWED_STATUSES = ("approved", "in-review")
OVERDUE, DUE = "overdue", "due"


@dataclass(frozen=True)
class ReviewItem:
    id: str
    title: str
    version: str | None
    status: str
    path: str
    next_review: dt.date
    days_left: int  # negative when overdue; 0 when due today

    @property
    def state(self) -> str:
        return OVERDUE if self.days_left < 0 else DUE

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)


@dataclass
class OwnerReviews:
    """The reviews one owner has to do, earliest first."""

    key: str  # the owner key of the front matter ("" when a document has none)
    person: Person | None  # None when the key is not in people:
    items: list[ReviewItem] = field(default_factory=list)

    @property
    def name(self) -> str:
        if self.person:
            return self.person.name
        return f"unknown owner '{self.key}'" if self.key else "no owner"

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.state == OVERDUE)

    @property
    def due(self) -> int:
        return len(self.items) - self.overdue


@dataclass
class ReviewCalendar:
    today: dt.date
    within_days: int | None  # None: every scheduled review
    owners: list[OwnerReviews]

    @property
    def until(self) -> dt.date | None:
        return None if self.within_days is None else self.today + dt.timedelta(days=self.within_days)

    @property
    def items(self) -> list[ReviewItem]:
        return [item for owner in self.owners for item in owner.items]

    @property
    def summary(self) -> dict[str, int]:
        return {"overdue": sum(o.overdue for o in self.owners), "due": sum(o.due for o in self.owners)}


def _reviewed(doc: Document) -> bool:
    return not doc.is_record and doc.status in REVIEWED_STATUSES and doc.next_review is not None


def review_calendar(system: ManagementSystem, within_days: int | None) -> ReviewCalendar:
    """Reviews overdue or due within ``within_days`` of today (all of them when None).

    Owners come in the order of ``people:`` in isodocs.yml, then unknown owners by key;
    each owner's documents by next review date, then id.
    """
    calendar = ReviewCalendar(system.today, within_days, [])
    until = calendar.until
    by_owner: dict[str, OwnerReviews] = {}
    for doc in system.documents:
        if not _reviewed(doc):
            continue
        assert doc.next_review is not None
        if until is not None and doc.next_review > until:
            continue
        key = doc.owner or ""
        owner = by_owner.setdefault(key, OwnerReviews(key, system.config.people.get(key)))
        owner.items.append(
            ReviewItem(
                id=doc.id or doc.path,
                title=doc.title or "",
                version=doc.version,
                status=doc.status or "",
                path=doc.path,
                next_review=doc.next_review,
                days_left=(doc.next_review - system.today).days,
            )
        )
    order = {key: index for index, key in enumerate(system.config.people)}
    calendar.owners = sorted(by_owner.values(), key=lambda o: (o.key not in order, order.get(o.key, 0), o.key))
    for owner in calendar.owners:
        owner.items.sort(key=lambda item: (item.next_review, item.id))
    return calendar
