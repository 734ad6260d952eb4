"""Date rules: approvals in the past, effective dates after approval, reviews on time."""

from __future__ import annotations

from collections.abc import Iterator

from isodocs.model import Document, Severity, add_months
from isodocs.rules.registry import DocumentContext, Hit, document_rule

REVIEWED_STATUSES = ("approved", "in-review")


@document_rule("date-in-future", Severity.ERROR)
def date_in_future(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """approved_on, last_reviewed (or a record's date) is after today.

    Write the date the approval, review or record actually happened. To check as of another day, run `isodocs
    check --today DATE`.
    """
    for name in ("approved_on", "last_reviewed", "date"):
        value = getattr(doc, name)
        if value and value > context.today:
            yield Hit(
                f"{name} {value} is after today ({context.today}): a date can only record what happened", doc.line(name)
            )


@document_rule("effective-before-approval", Severity.ERROR)
def effective_before_approval(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """effective_date is before approved_on.

    Set `effective_date` on or after `approved_on`, or leave it out: it defaults to `approved_on`.
    """
    if doc.approved_on and doc.effective_date and doc.effective_date < doc.approved_on:
        yield Hit(
            f"effective_date {doc.effective_date} is before approved_on {doc.approved_on}: "
            "a version cannot take effect before it is approved",
            doc.line("effective_date"),
        )


def _review_line(doc: Document) -> int:
    return doc.line("next_review") if doc.next_review_explicit else doc.line("last_reviewed")


def _owner(doc: Document, context: DocumentContext) -> str:
    person = context.config.people.get(doc.owner or "")
    return f"{person.name} ({doc.owner})" if person else (doc.owner or "no owner")


@document_rule("review-overdue", Severity.ERROR)
def review_overdue(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """The next review date is before today (approved and in-review documents).

    The owner reviews the document and updates `last_reviewed` (with a new version and approval if it changed),
    or sets `status: obsolete` when it is no longer needed.
    """
    if doc.status in REVIEWED_STATUSES and not doc.is_record and doc.next_review and doc.next_review < context.today:
        days = (context.today - doc.next_review).days
        yield Hit(
            f"review was due on {doc.next_review}, {days} day{'s' if days != 1 else ''} ago; "
            f"owner {_owner(doc, context)} should review it and update last_reviewed",
            _review_line(doc),
        )


@document_rule("review-due-soon", Severity.WARNING)
def review_due_soon(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """The next review date is within review.warn_days of today.

    Plan the review with the owner before the due date. `review.warn_days` in isodocs.yml sets how early this
    warning starts.
    """
    if doc.status in REVIEWED_STATUSES and not doc.is_record and doc.next_review:
        days = (doc.next_review - context.today).days
        if 0 <= days <= context.config.warn_days:
            yield Hit(
                f"review is due on {doc.next_review}, in {days} day{'s' if days != 1 else ''}; "
                f"owner {_owner(doc, context)} should plan it",
                _review_line(doc),
            )


@document_rule("review-interval-too-long", Severity.ERROR)
def review_interval_too_long(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """The next review is more than review.max_interval_months after last_reviewed.

    Shorten `review_interval` or move `next_review` earlier, to at most `review.max_interval_months` after
    `last_reviewed`.
    """
    limit = context.config.max_interval_months
    if doc.review_interval and doc.review_interval > limit:
        yield Hit(
            f"review_interval {doc.review_interval} months is longer than the maximum of {limit} "
            "(review.max_interval_months): shorten it",
            doc.line("review_interval"),
        )
    elif doc.last_reviewed and doc.next_review and doc.next_review > add_months(doc.last_reviewed, limit):
        yield Hit(
            f"next_review {doc.next_review} is more than {limit} months after last_reviewed {doc.last_reviewed}: "
            f"set it no later than {add_months(doc.last_reviewed, limit)}",
            _review_line(doc),
        )
