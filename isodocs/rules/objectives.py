"""Rules of objectives (OBJ): reached by their due date, and measured as often as isodocs.yml asks.

See DESIGN.md "Objectives (planning)". ``action-overdue`` covers an objective's
actions (rules/cycle.py); the change rules let progress be recorded without a new
version (analyses/cycle_edits.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from isodocs.model import Document, Severity, add_months
from isodocs.model.config import Config
from isodocs.model.objectives import format_value, target_text
from isodocs.readers.planning import read_objective
from isodocs.rules.registry import DocumentContext, Hit, document_rule


def _who(key: str | None, config: Config) -> str:
    """``qm (Daniel Okafor)`` (Config.person_named), or "its owner" without a key."""
    return config.person_named(key) if key else "its owner"


@document_rule("objective-overdue", Severity.ERROR, types=("objective",))
def objective_overdue(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """An approved objective's `due` date has passed and its `progress` is not achieved, missed or cancelled.

    Record the outcome: `progress: achieved` or `missed` (with the final result in `results`), or `cancelled`
    with the reason in the body; an objective carried on gets a new version with a new `due` date.
    """
    if doc.type != "objective" or doc.status != "approved":
        return
    objective = read_objective(doc)
    if not objective.overdue(context.today):
        return
    assert objective.due is not None
    latest = objective.latest
    result = (
        f"latest result {format_value(latest.value, objective.unit)} on {latest.date.isoformat()}"
        if latest
        else "no result recorded"
    )
    owner = _who(objective.owner, context.config)
    yield Hit(
        f"{objective.id} was due {objective.due.isoformat()} (target {target_text(objective)}; {result}) and its "
        f"progress is {objective.progress or 'not set'}: {owner} should record progress: "
        "achieved, missed or cancelled, or issue a new version with a new due date",
        doc.line("due"),
    )


@document_rule("objective-unmeasured", Severity.WARNING, types=("objective",))
def objective_unmeasured(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """An approved objective has no result in the last `objectives.measure_months` months (counted from
    `approved_on` while it has none).

    Measure it and append the result to `results` (`- {date: DATE, value: NUMBER}`): recording results needs no new
    version.
    """
    if doc.type != "objective" or doc.status != "approved":
        return
    objective = read_objective(doc)
    months = context.config.measure_months
    if not objective.unmeasured(context.today, months):
        return
    since = objective.measured_since()
    assert since is not None
    latest = objective.latest
    what = f"its latest result is of {since.isoformat()}" if latest else f"it has no result since approval on {since}"
    owner = _who(objective.owner, context.config)
    yield Hit(
        f"{objective.id} needs a result at least every {months} months (objectives.measure_months) and {what}, "
        f"due again by {add_months(since, months).isoformat()}: {owner} should measure it and "
        "append {date, value} to results",
        doc.line("results") if "results" in doc.data else doc.line("approved_on"),
    )
