"""The library entry point of ``isodocs objectives`` (``management-review prepare`` is in authoring/).

The rows and the draft's content come from the model and analyses
(``model/objectives.py``, ``analyses/planning.py``, ``analyses/review_draft.py``);
here the system is loaded once. Nothing here prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from isodocs.analyses.planning import objectives_of
from isodocs.app.reports import Report, ReportOptions, _load
from isodocs.model.objectives import Objective


@dataclass
class ObjectivesReport(Report):
    today: dt.date = dt.date.min
    objectives: list[Objective] = field(default_factory=list)


def run_objectives(options: ReportOptions) -> ObjectivesReport:
    """Every objective that is not obsolete, with its measure, latest result, target, due date, progress, trend."""
    system, unreadable = _load(options)
    found = [o for o in objectives_of(system) if o.status != "obsolete"]
    return ObjectivesReport(system, unreadable, today=system.today, objectives=found)
