"""Output of ``isodocs objectives``: text, JSON and CSV.

The text form gives each objective two lines (id, title, progress; then measure,
latest result and date, target, due date and trend) to fit a 100-column terminal;
JSON and CSV carry every field in full.
"""

from __future__ import annotations

from typing import Any

import click

from isodocs.app.planning import ObjectivesReport
from isodocs.model.objectives import Objective, format_value, target_text
from isodocs.reporters.tables import WIDTH, fit, to_csv, to_json
from isodocs.text.words import plural

PROGRESS_COLOURS = {"on-track": "green", "achieved": "green", "at-risk": "yellow", "missed": "red"}


def _latest(objective: Objective) -> str:
    latest = objective.latest
    return f"{format_value(latest.value, objective.unit)} on {latest.date.isoformat()}" if latest else "no result yet"


def _progress(objective: Objective, report: ObjectivesReport) -> str:
    text = objective.progress or "progress not set"
    return f"{text}, OVERDUE" if objective.overdue(report.today) else text


def render_objectives_text(report: ObjectivesReport, colour: bool = False) -> str:
    if not report.objectives:
        return f"No objectives (today {report.today}).\n"
    on_track = sum(1 for o in report.objectives if o.on_track)
    count = plural(len(report.objectives), "objective")
    lines = [f"Objectives (today {report.today}): {count}, {on_track} on track or achieved", ""]
    for objective in report.objectives:
        progress = _progress(objective, report)
        tone = "red" if "OVERDUE" in progress else PROGRESS_COLOURS.get(objective.progress or "")
        styled = click.style(progress, fg=tone) if colour and tone else progress
        head = fit(f"{objective.id:<8} {objective.title}", WIDTH - len(progress) - 2)
        lines.append(f"{head:<{WIDTH - len(progress) - 2}}  {styled}")
        due = objective.due.isoformat() if objective.due else "-"
        detail = f"latest {_latest(objective)}; target {target_text(objective)} by {due}; trend {objective.trend}"
        lines.append(f"         {fit(detail, WIDTH - 9)}")
        if objective.measure:
            lines.append(f"         {fit(objective.measure, WIDTH - 9)}")
    return "\n".join(lines) + "\n"


def _objective_dict(objective: Objective, report: ObjectivesReport) -> dict[str, Any]:
    latest = objective.latest
    return {
        "id": objective.id,
        "title": objective.title,
        "path": objective.path,
        "status": objective.status,
        "owner": objective.owner,
        "measure": objective.measure,
        "unit": objective.unit,
        "baseline": objective.baseline,
        "target": objective.target,
        "direction": objective.direction,
        "due": objective.due.isoformat() if objective.due else None,
        "progress": objective.progress,
        "overdue": objective.overdue(report.today),
        "latest": {"date": latest.date.isoformat(), "value": latest.value} if latest else None,
        "met": objective.met,
        "trend": objective.trend,
        "results": [
            {"date": r.date.isoformat(), "value": r.value, "note": r.note or None} for r in objective.dated_results
        ],
        "open_actions": sum(1 for action in objective.actions if action.is_open),
    }


def render_objectives_json(report: ObjectivesReport) -> str:
    return to_json(
        {
            "today": report.today.isoformat(),
            "objectives": [_objective_dict(objective, report) for objective in report.objectives],
        }
    )


OBJECTIVES_CSV_HEADER = (
    "id", "title", "owner", "status", "measure", "unit", "baseline", "target", "direction", "due", "progress",
    "overdue", "latest_date", "latest_value", "met", "trend", "path",
)  # fmt: skip


def render_objectives_csv(report: ObjectivesReport) -> str:
    rows = []
    for objective in report.objectives:
        latest = objective.latest
        rows.append(
            (
                objective.id, objective.title, objective.owner or "", objective.status or "", objective.measure,
                objective.unit, objective.baseline, objective.target, objective.direction,
                objective.due.isoformat() if objective.due else "", objective.progress or "",
                objective.overdue(report.today), latest.date.isoformat() if latest else "",
                latest.value if latest else "", objective.met, objective.trend, objective.path,
            )
        )  # fmt: skip
    return to_csv(OBJECTIVES_CSV_HEADER, rows)
