"""Output of ``isodocs audits``, ``isodocs nonconformities`` and ``isodocs actions``: text, JSON and CSV.

The text form is a table that fits a 100-column terminal; JSON and CSV carry
every field in full.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from isodocs.analyses.improvement import ActionRow, AuditRow, NonconformityRow, OwnerActions, open_by_grade, scope_text
from isodocs.app.cycle import ActionsReport, AuditsReport, NonconformitiesReport
from isodocs.model import add_months
from isodocs.reporters.tables import WIDTH, days_phrase, fit, owner_line, show_percent, to_csv, to_json, wrap
from isodocs.text.words import plural


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _style(text: str, colour: bool, **style: Any) -> str:
    return click.style(text, **style) if colour else text


# --- isodocs audits ---

GRADE_LETTERS = "major/minor/observation/opportunity"
SCOPE_COLUMN = 61  # where the scope column starts in the text table


def _findings(row: AuditRow) -> str:
    return "/".join(str(count) for count in row.findings.values())


def _audit_status(row: AuditRow) -> str:
    return "overdue" if row.overdue else row.status


def render_audits_text(report: AuditsReport, colour: bool = False) -> str:
    since = add_months(report.today, -report.cycle_months)
    until = add_months(report.today, report.cycle_months)
    head = (
        f"Audit programme (today {report.today}): {plural(len(report.audits), 'audit')}; the cycle counts internal "
        f"audits completed since {since} or planned until {until}"
    )
    lines = [*wrap(head, WIDTH), ""]
    if report.audits:
        header = f"{'ID':<9} {'Date':<10}  {'Status':<9} {'Kind':<13} {'Lead':<6} {'Findings':<8} Scope"
        lines.append(_style(header, colour, bold=True))
        scope_width = WIDTH - SCOPE_COLUMN
        for row in report.audits:
            status = _audit_status(row)
            shown = _style(f"{status:<9}", colour, fg="red") if row.overdue else f"{status:<9}"
            outside = row.kind == "internal" and row.status != "cancelled" and not row.in_cycle
            scope = wrap(scope_text(row.scope) + (" (outside the cycle)" if outside else ""), scope_width)
            lines.append(
                f"{fit(row.id, 9):<9} {_day(row.date):<10}  {shown} {fit(row.kind, 13):<13} "
                f"{fit(row.lead_auditor or '-', 6):<6} {_findings(row):<8} {scope[0]}"
            )
            lines += [f"{'':<{SCOPE_COLUMN}}{more}" for more in scope[1:]]
            lines.append(f"{'':<10}{fit(row.title, WIDTH - 10)}")
        lines += [f"Findings: {GRADE_LETTERS} (nonconformities naming the audit)", ""]
    else:
        lines += ["No audit files: add one with `isodocs new audit`.", ""]
    lines.append(_style("Coverage of the cycle", colour, bold=True))
    for programme in report.programme:
        summary = (
            f"{programme.name}: {programme.covered_count} of {programme.total} clauses covered "
            f"({show_percent(programme.percent)})"
        )
        uncovered = programme.uncovered
        if not uncovered:
            lines.append(f"  {summary}; every clause is covered")
            continue
        lines.append(f"  {summary}; not covered:")
        lines += [f"    {line}" for line in wrap(", ".join(uncovered), WIDTH - 4)]
    return "\n".join(lines) + "\n"


def _audit_dict(row: AuditRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "path": row.path,
        "kind": row.kind,
        "status": row.status,
        "overdue": row.overdue,
        "start": _day(row.start) or None,
        "end": _day(row.date) or None,
        "lead_auditor": row.lead_auditor,
        "auditors": list(row.auditors),
        "scope": {key: list(ids) for key, ids in row.scope.items()},
        "in_cycle": row.in_cycle,
        "findings": row.findings,
        "nonconformities": list(row.nonconformities),
    }


def render_audits_json(report: AuditsReport) -> str:
    return to_json(
        {
            "today": report.today.isoformat(),
            "cycle_months": report.cycle_months,
            "audits": [_audit_dict(row) for row in report.audits],
            "coverage": [
                {
                    "standard": programme.key,
                    "name": programme.name,
                    "clauses": programme.total,
                    "covered": programme.covered_count,
                    "percent": programme.percent,
                    "uncovered": programme.uncovered,  # compact: parents and ranges
                    "uncovered_clauses": [c for c in programme.leaves if c not in programme.covered],
                    "audits": programme.audits,
                }
                for programme in report.programme
            ],
        }
    )


AUDITS_CSV_HEADER = (
    "id", "title", "path", "kind", "status", "overdue", "start", "end", "lead_auditor", "auditors", "scope",
    "in_cycle", "major", "minor", "observation", "opportunity", "nonconformities",
)  # fmt: skip


def render_audits_csv(report: AuditsReport) -> str:
    """One row per audit (the coverage of the cycle is in the text and JSON forms)."""
    rows = [
        (
            row.id,
            row.title,
            row.path,
            row.kind,
            row.status,
            row.overdue,
            _day(row.start),
            _day(row.date),
            row.lead_auditor,
            " ".join(row.auditors),
            scope_text(row.scope),
            row.in_cycle,
            *row.findings.values(),
            " ".join(row.nonconformities),
        )
        for row in report.audits
    ]
    return to_csv(AUDITS_CSV_HEADER, rows)


# --- isodocs nonconformities ---


def _actions(row: NonconformityRow) -> str:
    return f"{row.actions_done}/{row.actions_total}"


def render_nonconformities_text(report: NonconformitiesReport, colour: bool = False) -> str:
    rows = report.rows
    open_rows = [row for row in rows if row.is_open]
    grades = ", ".join(f"{grade} {count}" for grade, count in open_by_grade(rows).items())
    what = "open nonconformities" if report.open_only else "nonconformities"
    if not rows:
        return f"No {what} (today {report.today}).\n"
    head = f"Nonconformities on {report.today}: {len(open_rows)} open ({grades})"
    if not report.open_only:
        head += f", {len(rows) - len(open_rows)} closed"
    lines = [*wrap(head, WIDTH), ""]
    header = (
        f"{'ID':<8} {'Status':<6} {'Grade':<11} {'Source':<12} {'Age':>5} {'Owner':<6} {'Actions':<7} "
        f"{'Next due':<10} Effectiveness"
    )
    lines.append(_style(header, colour, bold=True))
    for row in rows:
        age = f"{row.age_days}d" if row.age_days is not None else ""
        due = _day(row.next_due)
        if row.overdue_actions:
            due = _style(f"{due:<10}", colour, fg="red") + " !"
        else:
            due = f"{due:<12}"
        effect = fit(row.effectiveness + (" (overdue)" if row.effectiveness_overdue else ""), WIDTH - 75)
        lines.append(
            f"{fit(row.id, 8):<8} {row.status:<6} {fit(row.grade, 11):<11} {fit(row.source, 12):<12} {age:>5} "
            f"{fit(row.owner or '-', 6):<6} {_actions(row):<7} {due} {effect}"
        )
        lines.append(f"{'':<9}{fit(row.title, WIDTH - 9)}")
    lines.append("")
    if any(row.overdue_actions for row in rows):
        lines.append("! an action is overdue: `isodocs actions` lists them by owner")
    return "\n".join(lines) + "\n"


def _nc_dict(row: NonconformityRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "path": row.path,
        "status": row.status,
        "grade": row.grade,
        "source": row.source,
        "audit": row.audit,
        "raised": _day(row.raised) or None,
        "age_days": row.age_days,
        "owner": row.owner,
        "actions_done": row.actions_done,
        "actions_total": row.actions_total,
        "overdue_actions": row.overdue_actions,
        "next_due": _day(row.next_due) or None,
        "effectiveness": row.effectiveness,
        "effectiveness_overdue": row.effectiveness_overdue,
        "closed": _day(row.closed) or None,
    }


def render_nonconformities_json(report: NonconformitiesReport) -> str:
    return to_json(
        {
            "today": report.today.isoformat(),
            "open_only": report.open_only,
            "open_by_grade": open_by_grade(report.rows),
            "nonconformities": [_nc_dict(row) for row in report.rows],
        }
    )


NC_CSV_HEADER = (
    "id", "title", "path", "status", "grade", "source", "audit", "raised", "age_days", "owner", "actions_done",
    "actions_total", "overdue_actions", "next_due", "effectiveness", "effectiveness_overdue", "closed",
)  # fmt: skip


def render_nonconformities_csv(report: NonconformitiesReport) -> str:
    return to_csv(NC_CSV_HEADER, [tuple(_nc_dict(row).values()) for row in report.rows])


# --- isodocs actions ---


ACTION_COLUMN = 42  # where the action's text starts in the text form


def _when(row: ActionRow) -> str:
    return "no due date" if row.days_left is None else days_phrase(row.days_left)


def _owner_line(group: OwnerActions) -> str:
    return owner_line(group.name, group.key, group.person, f"{len(group.actions)} open, {group.overdue} overdue")


def _window(report: ActionsReport) -> str:
    parts = [f"today {report.today}"]
    if report.within_days is not None:
        parts.append(f"due within {plural(report.within_days, 'day')} or overdue")
    if report.owner:
        parts.append(f"owner {report.owner}")
    return ", ".join(parts)


def render_actions_text(report: ActionsReport, colour: bool = False) -> str:
    actions = report.actions
    if not actions:
        return f"No open actions ({_window(report)}).\n"
    overdue = sum(1 for row in actions if row.overdue)
    lines = [f"Open actions ({_window(report)}): {len(actions)} open, {overdue} overdue", ""]
    for group in report.owners:
        heading = fit(_owner_line(group), WIDTH)
        lines.append(_style(heading, colour, bold=True))
        for row in group.actions:
            when = f"{_when(row):<17}"
            if row.overdue:
                when = _style(when, colour, fg="red")
            text = wrap(row.action, WIDTH - ACTION_COLUMN)
            lines.append(f"  {fit(row.doc_id, 9):<9} {_day(row.due):<10}  {when} {text[0]}")
            lines += [f"{'':<{ACTION_COLUMN}}{more}" for more in text[1:]]
        lines.append("")
    return "\n".join(lines)


def _action_dict(row: ActionRow) -> dict[str, Any]:
    return {
        "document": row.doc_id,
        "document_title": row.doc_title,
        "document_type": row.doc_type,
        "path": row.path,
        "number": row.index + 1,
        "action": row.action,
        "owner": row.owner or None,
        "due": _day(row.due) or None,
        "overdue": row.overdue,
        "days_overdue": -row.days_left if row.overdue and row.days_left is not None else None,
        "days_left": row.days_left if not row.overdue else None,
    }


def render_actions_json(report: ActionsReport) -> str:
    return to_json(
        {
            "today": report.today.isoformat(),
            "owner": report.owner,
            "within_days": report.within_days,
            "summary": {"open": len(report.actions), "overdue": sum(1 for row in report.actions if row.overdue)},
            "owners": [
                {
                    "owner": group.key or None,
                    "name": group.person.name if group.person else None,
                    "email": group.person.email or None if group.person else None,
                    "open": len(group.actions),
                    "overdue": group.overdue,
                    "actions": [_action_dict(row) for row in group.actions],
                }
                for group in report.owners
            ],
        }
    )


ACTIONS_CSV_HEADER = (
    "owner", "owner_name", "document", "document_title", "document_type", "path", "number", "action", "due",
    "overdue", "days_overdue", "days_left",
)  # fmt: skip


def render_actions_csv(report: ActionsReport) -> str:
    rows = []
    for group in report.owners:
        for row in group.actions:
            data = _action_dict(row)
            rows.append(
                (
                    group.key,
                    group.person.name if group.person else "",
                    row.doc_id,
                    row.doc_title,
                    row.doc_type,
                    row.path,
                    data["number"],
                    row.action,
                    data["due"],
                    row.overdue,
                    data["days_overdue"],
                    data["days_left"],
                )
            )
    return to_csv(ACTIONS_CSV_HEADER, rows)
