"""The training matrix as text, JSON and CSV (``isodocs training``)."""

from __future__ import annotations

from typing import Any

from isodocs.analyses.training import CURRENT, MISSING, NOT_REQUIRED, OUTDATED, Cell, DocumentRow, overdue
from isodocs.app.training import Tally, TrainingReport
from isodocs.reporters.tables import fit, show_percent, to_csv, to_json
from isodocs.reporters.textsafe import readable
from isodocs.text.words import plural

# One character per status in the text matrix of a group's members.
MARKS = {CURRENT: "✓", OUTDATED: "o", MISSING: "✗", NOT_REQUIRED: "·"}


def _date(day: Any) -> str:
    return day.isoformat() if day else "-"


def _due(report: TrainingReport, row: DocumentRow) -> str:
    if row.due is None:
        return "-"
    return f"{row.due.isoformat()}{' overdue' if overdue(row, report.today) else ''}"


def _header(report: TrainingReport) -> str:
    matrix = report.matrix
    retrain = "every new version" if matrix.retrain_on == "minor" else "a new major version"
    return (
        f"Training on {report.today.isoformat()}: {retrain} needs new training, "
        f"within {plural(matrix.grace_days, 'day')} of its effective date\n"
    )


def render_text(report: TrainingReport) -> str:
    """The matrix by document and by group; with --group, by member; with --person, that person's list."""
    if report.person is not None:
        return _person_text(report)
    lines = [_header(report)]
    if report.document is not None:
        return "\n".join(lines + _document_text(report)) + "\n"
    if report.group is not None:
        lines += _members_text(report)
    lines.append(
        f"{'DOCUMENT':<10} {'VERSION':<8} {'TRAINED':>9} {'OUTDATED':>8} {'MISSING':>7} {'DONE':>6}  DUE / TITLE"
    )
    for row in report.rows:
        tally = report.document_tally(row)
        if not tally.required:
            continue
        lines.append(
            f"{fit(row.requirement.id, 10):<10} {fit(row.requirement.version, 8):<8} "
            f"{tally.current:>4}/{tally.required:<4} {tally.outdated:>8} {tally.missing:>7} "
            f"{show_percent(tally.completion):>6}  {_due(report, row) if tally.current < tally.required else 'done'}"
            f"  {fit(readable(row.requirement.title), 40)}"
        )
    lines.append("")
    lines.append(f"{'GROUP':<20} {'PEOPLE':>6} {'TRAINED':>11} {'DONE':>6}")
    for tally in report.group_tallies():
        lines.append(_tally_line(tally))
    if report.group is None:
        lines += _groups_matrix(report)
    return "\n".join(lines) + "\n"


def _groups_matrix(report: TrainingReport) -> list[str]:
    """Documents x groups: trained/required of each group's members in the document's audience."""
    groups = [group for group in report.matrix.groups() if group != "everyone"]
    if not groups or not report.rows:
        return []
    width = min(9, max(7, *(len(group) for group in groups)))  # eight groups fit in 100 columns
    lines = ["", "By document and group (trained of those in the audience; · not in it):", ""]
    lines.append(f"{'DOCUMENT':<10} " + " ".join(f"{fit(group, width):>{width}}" for group in groups))
    for row in report.rows:
        tallies = {tally.name: tally for tally in report.groups_of(row)}
        cells = [f"{tallies[g].current}/{tallies[g].required}" if g in tallies else "·" for g in groups]
        lines.append(f"{fit(row.requirement.id, 10):<10} " + " ".join(f"{cell:>{width}}" for cell in cells))
    return lines


def _document_text(report: TrainingReport) -> list[str]:
    """One document: its figures, then each person of its audience with their status."""
    people = report.system.config.people
    lines: list[str] = []
    for row in report.rows:
        tally = report.document_tally(row)
        requirement = row.requirement
        lines += [
            f"{requirement.id} {readable(requirement.title)}, version {requirement.version}: "
            f"{tally.current} of {tally.required} trained ({show_percent(tally.completion)}); "
            f"audience: {', '.join(requirement.audience)}"
            + (f"; due by {_due(report, row)}" if tally.current < tally.required else ""),
            "",
            f"{'STATUS':<9} {'PERSON':<10} {'READ':<8} {'RECORD':<16} {'DATE':<10} NAME",
        ]
        order = {"missing": 0, "outdated": 1, "current": 2}
        for person, cell in sorted(report.cells(row).items(), key=lambda item: order[item[1].status]):
            trained = cell.trained
            person_name = people[person].name if person in people else person
            lines.append(
                f"{cell.status:<9} {fit(person, 10):<10} {fit(trained.version if trained else '-', 8):<8} "
                f"{fit(trained.record if trained else '-', 16):<16} {_date(trained.date if trained else None):<10} "
                f"{fit(readable(person_name), 30)}"
            )
    return lines


def _tally_line(tally: Tally) -> str:
    trained = f"{tally.current:>5}/{tally.required:<5}"
    return f"{fit(tally.name, 20):<20} {tally.people:>6} {trained} {show_percent(tally.completion):>6}"


def _members_text(report: TrainingReport) -> list[str]:
    """Documents x members of the group, one mark per cell."""
    people = report.people
    lines = [f"Group {report.group}: {', '.join(people)}", ""]
    width = max((len(p) for p in people), default=1)
    for offset in range(width):  # the people's keys written downwards over their columns
        lines.append(" " * 11 + " ".join(p[offset] if offset < len(p) else " " for p in people))
    for row in report.rows:
        marks = " ".join(MARKS[report.matrix.cell(row, person).status] for person in people)
        lines.append(f"{fit(row.requirement.id, 10):<10} {marks}")
    lines.append(
        f"\n{MARKS[CURRENT]} current  {MARKS[OUTDATED]} outdated (an earlier version)  "
        f"{MARKS[MISSING]} missing  {MARKS[NOT_REQUIRED]} not required\n"
    )
    return lines


def _person_text(report: TrainingReport) -> str:
    assert report.person is not None
    person = report.system.config.people[report.person]
    items = report.for_person()
    todo = [item for item in items if item[1].status != CURRENT]
    lines = [
        _header(report),
        f"What {report.person} ({readable(person.name)}) must read: {plural(len(items), 'document')}, "
        f"{len(todo)} to read now",
        "",
        f"{'STATUS':<9} {'DOCUMENT':<10} {'VERSION':<8} {'READ':<8} {'DUE':<19} TITLE",
    ]
    for row, cell in items:
        read = cell.trained.version if cell.trained else "-"
        due = _due(report, row) if cell.status != CURRENT else "-"
        lines.append(
            f"{cell.status:<9} {fit(row.requirement.id, 10):<10} {fit(row.requirement.version, 8):<8} "
            f"{fit(read, 8):<8} {due:<19} {fit(readable(row.requirement.title), 40)}"
        )
    if todo:
        ids = " ".join(row.requirement.id for row, _ in todo)
        lines += ["", f"When read: isodocs acknowledge {ids} --by {report.person}"]
    return "\n".join(lines) + "\n"


def _cell_dict(cell: Cell) -> dict[str, Any]:
    trained = cell.trained
    return {
        "status": cell.status,
        "version": trained.version if trained else None,
        "date": _date(trained.date) if trained and trained.date else None,
        "record": trained.record if trained else None,
    }


def _row_dict(report: TrainingReport, row: DocumentRow) -> dict[str, Any]:
    tally = report.document_tally(row)
    requirement = row.requirement
    return {
        "id": requirement.id,
        "title": requirement.title,
        "path": requirement.path,
        "version": requirement.version,
        "effective": _date(requirement.effective) if requirement.effective else None,
        "due": _date(row.due) if row.due else None,
        "overdue": overdue(row, report.today) and tally.current < tally.required,
        "audience": list(requirement.audience),
        "required": tally.required,
        "current": tally.current,
        "outdated": tally.outdated,
        "missing": tally.missing,
        "completion": tally.completion,
        "groups": {group.name: _tally_dict(group, "group") for group in report.groups_of(row)},
        "people": {person: _cell_dict(cell) for person, cell in report.cells(row).items()},
    }


def _tally_dict(tally: Tally, key: str) -> dict[str, Any]:
    return {
        key: tally.name,
        "people": tally.people,
        "required": tally.required,
        "current": tally.current,
        "outdated": tally.outdated,
        "missing": tally.missing,
        "completion": tally.completion,
    }


def render_json(report: TrainingReport) -> str:
    data: dict[str, Any] = {
        "today": report.today.isoformat(),
        "retrain_on": report.matrix.retrain_on,
        "grace_days": report.matrix.grace_days,
    }
    if report.person is not None:
        data["person"] = report.person
        data["documents"] = [
            {
                "status": cell.status,
                "id": row.requirement.id,
                "title": row.requirement.title,
                "version": row.requirement.version,
                "trained_version": cell.trained.version if cell.trained else None,
                "record": cell.trained.record if cell.trained else None,
                "due": _date(row.due) if row.due else None,
                "overdue": cell.status != CURRENT and overdue(row, report.today),
            }
            for row, cell in report.for_person()
        ]
        return to_json(data)
    data["group"] = report.group
    data["documents"] = [_row_dict(report, row) for row in report.rows]
    data["groups"] = [_tally_dict(tally, "group") for tally in report.group_tallies()]
    data["people"] = [_tally_dict(tally, "person") for tally in report.person_tallies()]
    data["warnings"] = report.warnings
    return to_json(data)


def render_csv(report: TrainingReport) -> str:
    """One row per document, one column per person (their status); with --person, that person's list."""
    if report.person is not None:
        header = ["status", "id", "title", "version", "trained_version", "record", "due"]
        rows = [
            [
                cell.status,
                row.requirement.id,
                row.requirement.title,
                row.requirement.version,
                cell.trained.version if cell.trained else None,
                cell.trained.record if cell.trained else None,
                _date(row.due) if row.due else None,
            ]
            for row, cell in report.for_person()
        ]
        return to_csv(header, rows)
    header = ["id", "title", "version", "due", "required", "current", "completion", *report.people]
    out = []
    for row in report.rows:
        tally = report.document_tally(row)
        out.append(
            [
                row.requirement.id,
                row.requirement.title,
                row.requirement.version,
                _date(row.due) if row.due else None,
                tally.required,
                tally.current,
                tally.completion,
                *(report.matrix.cell(row, person).status for person in report.people),
            ]
        )
    return to_csv(header, out)
