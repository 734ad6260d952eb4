"""Objectives (OBJ) as plain data, and what their results say.

The typed view is read from a document's front matter by ``readers/planning.py``
(``read_objective``), tolerating fields of the wrong type (the ``schema`` rule
reports them; here they are None). The latest result, the
trend and whether the target is met are computed from the results alone, in
the objective's ``direction``. Nothing here prints or reads files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from isodocs.model.cycle import Action, parse_date
from isodocs.model.documents import add_months, as_text

PROGRESS = ("on-track", "at-risk", "achieved", "missed", "cancelled")
# A progress with which an objective is finished: no longer overdue, no more results needed.
CLOSED_PROGRESS = frozenset({"achieved", "missed", "cancelled"})
DIRECTIONS = ("increase", "decrease")
# The trend of the last two results, in the objective's direction.
IMPROVING, WORSENING, UNCHANGED, NO_TREND = "improving", "worsening", "unchanged", "-"


def as_number(value: Any) -> float | None:
    """A number as YAML gives it (int or float, never a bool), else None."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class Result:
    """One measurement of an objective; ``index`` is its position in ``results``."""

    index: int
    date: dt.date
    value: float
    note: str = ""


@dataclass(frozen=True)
class Objective:
    """An objective's measure, target, plan and results."""

    id: str
    title: str
    path: str
    status: str | None
    owner: str | None
    approved_on: dt.date | None
    measure: str
    unit: str
    baseline: float | None
    target: float | None
    direction: str  # increase: the target is a minimum; decrease: a maximum
    due: dt.date | None
    progress: str | None
    results: tuple[Result, ...]  # as written (oldest first by convention)
    actions: tuple[Action, ...]
    classification: str | None

    @property
    def dated_results(self) -> list[Result]:
        """The results by date (the order written breaks ties)."""
        return sorted(self.results, key=lambda r: (r.date, r.index))

    @property
    def latest(self) -> Result | None:
        results = self.dated_results
        return results[-1] if results else None

    @property
    def closed(self) -> bool:
        """Achieved, missed or cancelled: finished with."""
        return self.progress in CLOSED_PROGRESS

    def meets(self, value: float | None) -> bool | None:
        """Whether ``value`` reaches the target in the objective's direction (None without both)."""
        if value is None or self.target is None:
            return None
        return value <= self.target if self.direction == "decrease" else value >= self.target

    @property
    def met(self) -> bool | None:
        """Whether the latest result reaches the target (None without a result)."""
        latest = self.latest
        return self.meets(latest.value if latest else None)

    @property
    def trend(self) -> str:
        """improving, worsening or unchanged from the result before the latest; ``-`` with fewer than two."""
        results = self.dated_results
        if len(results) < 2:
            return NO_TREND
        before, last = results[-2].value, results[-1].value
        if last == before:
            return UNCHANGED
        better = last < before if self.direction == "decrease" else last > before
        return IMPROVING if better else WORSENING

    def overdue(self, today: dt.date) -> bool:
        """Approved, its due date passed, and not achieved, missed or cancelled."""
        return self.status == "approved" and self.due is not None and self.due < today and not self.closed

    def measured_since(self) -> dt.date | None:
        """The day the measuring clock starts: the latest result's date, or approval while it has none."""
        latest = self.latest
        return latest.date if latest else self.approved_on

    def unmeasured(self, today: dt.date, measure_months: int) -> bool:
        """Approved, open, and no result in the last ``measure_months`` months (counted from approval)."""
        if self.status != "approved" or self.closed:
            return False
        since = self.measured_since()
        return since is not None and add_months(since, measure_months) < today

    @property
    def on_track(self) -> bool | None:
        """The owner's judgement: on track or achieved (True), at risk or missed (False), else None."""
        if self.progress in ("on-track", "achieved"):
            return True
        if self.progress in ("at-risk", "missed"):
            return False
        return None


def parse_results(value: Any) -> tuple[Result, ...]:
    """The typed view of a ``results`` list: entries without a real date or a number are skipped."""
    if not isinstance(value, list):
        return ()
    results = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            continue
        day, number = parse_date(item.get("date")), as_number(item.get("value"))
        if day is None or number is None:
            continue
        results.append(Result(index, day, number, as_text(item.get("note")) or ""))
    return tuple(results)


def format_value(value: float | None, unit: str = "") -> str:
    """``95``, ``94.1 %``, ``3 420 kWh``: a value as people write it (integers without .0)."""
    if value is None:
        return "-"
    text = f"{value:g}" if abs(value) < 1e15 else f"{value:.6g}"
    if unit in ("%",):
        return f"{text} %"
    return f"{text} {unit}".rstrip()


def target_text(objective: Objective) -> str:
    """``>= 95 %`` or ``<= 3``: the target with its direction."""
    sign = "<=" if objective.direction == "decrease" else ">="
    return f"{sign} {format_value(objective.target, objective.unit)}" if objective.target is not None else "-"
