"""``isodocs training``: the training matrix, for everyone or one person, document or group.

Loads the repository once and returns the matrix (analyses/training.py) narrowed to what
was asked, as plain data for reporters/training.py and the site.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from isodocs.analyses.training import (
    CURRENT,
    EVERYONE,
    MISSING,
    OUTDATED,
    Cell,
    DocumentRow,
    TrainingMatrix,
    completion,
)
from isodocs.analyses.training_view import training_matrix
from isodocs.app.load import load_system
from isodocs.errors import UsageError
from isodocs.model import ManagementSystem

STATUS_ORDER = {MISSING: 0, OUTDATED: 1, CURRENT: 2}


@dataclass
class TrainingOptions:
    root: Path
    today: dt.date | None = None
    person: str | None = None
    document: str | None = None
    group: str | None = None


@dataclass
class Tally:
    """Trained (current) out of required for a document, a group or a person."""

    name: str
    people: int
    required: int
    current: int
    outdated: int = 0
    missing: int = 0

    @property
    def completion(self) -> float | None:
        return completion(self.current, self.required)


@dataclass
class TrainingReport:
    system: ManagementSystem
    unreadable: int
    matrix: TrainingMatrix
    rows: list[DocumentRow]  # the documents shown
    people: list[str]  # the people shown (columns), in the order of isodocs.yml
    today: dt.date
    person: str | None = None
    group: str | None = None
    document: str | None = None
    warnings: list[str] = field(default_factory=list)

    def cells(self, row: DocumentRow) -> dict[str, Cell]:
        """The row's cells of the people shown (audience members only)."""
        return {person: row.cells[person] for person in self.people if person in row.cells}

    def document_tally(self, row: DocumentRow) -> Tally:
        return _tally(row.requirement.id, len(self.cells(row)), list(self.cells(row).values()))

    def groups_of(self, row: DocumentRow) -> list[Tally]:
        """The document's completion for each group (and everyone) with a member in its audience."""
        tallies = []
        for group in [self.group] if self.group else self.matrix.groups():
            cells = [row.cells[person] for person in self.matrix.members(group) if person in row.cells]
            if cells:
                tallies.append(_tally(group, len(cells), cells))
        return tallies

    def group_tallies(self) -> list[Tally]:
        """Completion per group (and everyone) over the documents shown."""
        groups = [self.group] if self.group else self.matrix.groups()
        tallies = []
        for group in groups:
            members = set(self.matrix.members(group))
            cells = [cell for row in self.rows for person, cell in row.cells.items() if person in members]
            tallies.append(_tally(group, len(members), cells))
        return tallies

    def person_tallies(self) -> list[Tally]:
        """Completion per person over the documents shown."""
        return [
            _tally(person, 1, [row.cells[person] for row in self.rows if person in row.cells]) for person in self.people
        ]

    def for_person(self) -> list[tuple[DocumentRow, Cell]]:
        """What the person must read: missing first, then outdated, then current; by due date and id."""
        assert self.person is not None
        items = self.matrix.for_person(self.person)
        return sorted(
            items,
            key=lambda item: (STATUS_ORDER[item[1].status], item[0].due or dt.date.max, item[0].requirement.id),
        )


def _tally(name: str, people: int, cells: list[Cell]) -> Tally:
    statuses = [cell.status for cell in cells]
    return Tally(name, people, len(cells), statuses.count(CURRENT), statuses.count(OUTDATED), statuses.count(MISSING))


def run_training(options: TrainingOptions) -> TrainingReport:
    """The training matrix narrowed by the options. UsageError for an unknown person, document or group."""
    system, _problems = load_system(options.root, options.today)
    matrix = training_matrix(system)
    people = list(matrix.people)
    rows = matrix.rows
    if options.person is not None and options.person not in matrix.people:
        raise UsageError(
            f"--person: '{options.person}' is not a key of people in isodocs.yml{_hint(options.person, people)}"
        )
    if options.group is not None:
        groups = matrix.groups()
        if options.group not in groups:
            raise UsageError(
                f"--group: no person is in group '{options.group}'{_hint(options.group, groups)}; "
                f"groups: {', '.join(groups)}"
            )
        people = matrix.members(options.group)
    if options.document is not None:
        rows = [row for row in rows if row.requirement.id == options.document]
        if not rows:
            doc = system.get(options.document)
            why = (
                "is no document of this repository"
                if doc is None
                else "names no audience"
                if not doc.audience
                else f"is {doc.effective_status or 'not approved'}: only approved documents need training"
            )
            raise UsageError(f"--document: {options.document} {why}")
    report = TrainingReport(
        system,
        system.files - len(system.documents),
        matrix,
        rows,
        people,
        system.today,
        person=options.person,
        group=options.group if options.group != EVERYONE else None,
        document=options.document,
    )
    if not matrix.rows:
        report.warnings.append("no approved document names an audience: add `audience: [everyone]` (or groups)")
    return report


def _hint(name: str, choices: list[str]) -> str:
    near = difflib.get_close_matches(name, choices, n=1)
    return f" (did you mean '{near[0]}'?)" if near else ""
