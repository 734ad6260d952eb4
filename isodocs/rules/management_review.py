"""Rules of management reviews (MR): every input each standard requires, and held as often as isodocs.yml asks.

See DESIGN.md "Management review". The inputs each standard requires are in its
catalogue (``review_inputs``); management_reviews.py computes the checklists.
``action-overdue`` covers a review's actions (rules/cycle.py), ``record-modified``
a held review changed (rules/changes.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from isodocs.analyses.planning import reviews
from isodocs.model import Document, ManagementSystem, Severity, add_months
from isodocs.model.management_review import checklists, last_held, missing_text, nearest_slug, vocabulary
from isodocs.readers.planning import read_review
from isodocs.rules.registry import DocumentContext, Hit, document_rule, system_rule
from isodocs.text.words import plural


def _date_line(system: ManagementSystem, path: str) -> int:
    """The line of a review's ``date`` (its key lines read only for a finding)."""
    doc = system.by_path.get(path)
    return system.with_front(doc).line("date") if doc is not None else 1


@document_rule("management-review-input-missing", Severity.ERROR, types=("management-review",))
def management_review_input_missing(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """A held management review does not address an input its standards require (one finding per review, naming
    standard, clause and input).

    Minute where the meeting addressed each input named and write it under `inputs:` (`worker-consultation: H&S
    committee report, section 3`). An integrated review addresses a slug once for every standard that requires it.
    """
    if doc.type != "management-review" or doc.status != "held":
        return
    review = read_review(doc)
    standards = review.standards_in(context.config.standards)
    gaps = missing_text(checklists(review.inputs, standards, context.catalogs))
    if not gaps:
        return
    line = doc.line("inputs") if "inputs" in doc.data else doc.line("status")
    listed = "; ".join(gaps)
    yield Hit(
        f"{review.id}: {listed} not addressed: write under inputs: where the meeting addressed "
        f"{'it' if len(gaps) == 1 else 'each'} (input slug: minutes section, report or ids)",
        line,
    )


@document_rule("unknown-review-input", Severity.ERROR, types=("management-review",))
def unknown_review_input(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """An `inputs` key of a management review is no input slug (the message suggests the nearest).

    Use a slug a catalogue lists (`isodocs new management-review` writes them all as headings), e.g.
    `previous-actions`, `audit-results`, `worker-consultation`.
    """
    if doc.type != "management-review":
        return
    inputs = doc.data.get("inputs")
    if not isinstance(inputs, dict):
        return
    known = vocabulary(context.catalogs.values())
    for key in inputs:
        if str(key) in known:
            continue
        hint = nearest_slug(str(key), known)
        suggestion = f"did you mean '{hint}'? " if hint else ""
        yield Hit(
            f"inputs: '{key}' is no input of a management review: {suggestion}the catalogues' inputs are "
            f"{', '.join(known)}",
            doc.line("inputs", key),
        )


@system_rule("management-review-overdue", Severity.ERROR)
def management_review_overdue(system: ManagementSystem) -> Iterator[Hit]:
    """No management review was held in the last `management_review.interval_months` months, or a planned one's
    date has passed.

    Hold the review and record it (`status: held`, with its inputs and actions), or give the planned one its new
    date. Applies once the repository keeps its reviews as management-review files (while the first is still
    planned, only its date counts).
    """
    found = reviews(system)
    if not found:
        return
    today, months = system.today, system.config.management_review_months
    for review in found:
        if review.status == "planned" and review.date is not None and review.date < today:
            yield Hit(
                f"management review {review.id} was planned for {review.date.isoformat()} "
                f"({plural((today - review.date).days, 'day')} ago) and is not recorded as held: "
                "set status: held with its inputs and actions, or a new date",
                _date_line(system, review.path),
                path=review.path,
                id=review.id,
            )
    last = last_held(found, today)  # None while every review is still planned: each is reported above
    if last is None or last.date is None or add_months(last.date, months) >= today:
        return
    yield Hit(
        f"no management review was held since {add_months(today, -months).isoformat()} "
        f"(management_review.interval_months: {months}); the last was {last.id} on {last.date.isoformat()}: "
        "hold one and record it (status: held, its inputs and actions)",
        _date_line(system, last.path),
        path=last.path,
        id=last.id,
    )
