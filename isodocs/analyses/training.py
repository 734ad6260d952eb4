"""Training and awareness as plain data: who must know which document, and who does.

A document names its audience (``audience: [GROUP | PERSON | everyone]``); a
training record names its attendees and the document versions they were
trained on (``documents: {PRO-001: "3.2"}``). From these alone this module
decides, for each person and document, whether the person is trained on the
current version (``current``), only on an earlier one (``outdated``), not at all
(``missing``), or need not be (``not-required``), and builds the training
matrix with its completion figures. Nothing here reads files, git or the
configuration: the callers pass plain values (training_view.py builds them
from a system), so the same functions serve the rules, the report, the site
and the tests.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

EVERYONE = "everyone"
RETRAIN_ON = ("major", "minor")
METHODS = ("read-and-understood", "classroom", "on-the-job", "e-learning", "external")
ACKNOWLEDGEMENT = "read-and-understood"
CURRENT, OUTDATED, MISSING, NOT_REQUIRED = "current", "outdated", "missing", "not-required"
STATUSES = (CURRENT, OUTDATED, MISSING, NOT_REQUIRED)
DEFAULT_GRACE_DAYS = 30

_VERSION = re.compile(r"^(\d+)\.(\d+)$")


def version_parts(version: str | None) -> tuple[int, int] | None:
    """``"3.12"`` -> (3, 12); None for anything that is no MAJOR.MINOR version."""
    match = _VERSION.match(version or "")
    return (int(match[1]), int(match[2])) if match else None


def covers(trained: str, current: str, retrain_on: str = "major") -> bool:
    """Whether training on version ``trained`` covers version ``current``.

    ``major``: the same major version (1.3 covers 1.0 to 1.x); ``minor``: the same version exactly.
    """
    old, new = version_parts(trained), version_parts(current)
    if old is None or new is None:
        return trained == current
    return old == new if retrain_on == "minor" else old[0] == new[0]


@dataclass(frozen=True)
class TrainingRecord:
    """A training record (TRN): who was trained, when, how, on which document versions or topic."""

    id: str
    path: str
    date: dt.date | None
    method: str | None
    attendees: tuple[str, ...]
    documents: Mapping[str, str]  # document id -> version trained on
    trainer: str | None = None
    topic: str | None = None
    title: str = ""


@dataclass(frozen=True)
class Requirement:
    """An approved document with an audience: who must know it, at which version, from when."""

    id: str
    title: str
    version: str
    effective: dt.date | None  # the current version's effective date (or approval date)
    audience: tuple[str, ...]
    path: str = ""


@dataclass(frozen=True)
class Trained:
    """The latest training of one person on one document: the version, the date and the record."""

    version: str
    date: dt.date | None
    record: str


def audience_members(audience: Iterable[str], people: Mapping[str, Iterable[str]]) -> list[str]:
    """The people an audience names, in the order of ``people`` (person key -> their groups).

    An entry is ``everyone``, a person's key or a group; a name that is both names both.
    """
    entries = set(audience)
    if EVERYONE in entries:
        return list(people)
    return [key for key, groups in people.items() if key in entries or not entries.isdisjoint(groups)]


class Audiences:
    """``audience_members`` for many audiences over the same people: each group's members found once."""

    def __init__(self, people: Mapping[str, Iterable[str]]) -> None:
        self.order = {key: index for index, key in enumerate(people)}
        self.by_group: dict[str, set[str]] = {}
        for key, groups in people.items():
            for group in groups:
                self.by_group.setdefault(group, set()).add(key)

    def members(self, audience: Iterable[str]) -> list[str]:
        """The same list as ``audience_members(audience, people)``."""
        entries = set(audience)
        if EVERYONE in entries:
            return list(self.order)
        found: set[str] = set()
        for entry in entries:
            if entry in self.order:
                found.add(entry)
            found |= self.by_group.get(entry, set())
        return sorted(found, key=self.order.__getitem__)


def unknown_audience(audience: Iterable[str], people: Mapping[str, Iterable[str]]) -> list[str]:
    """Entries of an audience that are no person, no group of any person and not ``everyone``."""
    known = {EVERYONE, *people}
    for groups in people.values():
        known.update(groups)
    return [entry for entry in audience if entry not in known]


def trained_index(records: Iterable[TrainingRecord]) -> dict[tuple[str, str], Trained]:
    """(person, document id) -> the person's training on the highest version of that document.

    Records with a version that is no MAJOR.MINOR count only for that exact version string.
    """
    index: dict[tuple[str, str], Trained] = {}
    for record in records:
        for doc_id, version in record.documents.items():
            for person in record.attendees:
                key = (person, doc_id)
                earlier = index.get(key)
                if earlier is None or _later(version, record.date, earlier):
                    index[key] = Trained(version, record.date, record.id)
    return index


def _later(version: str, day: dt.date | None, than: Trained) -> bool:
    """Whether training on ``version`` at ``day`` supersedes ``than``: a higher version, or the same one later."""
    new, old = version_parts(version) or (-1, -1), version_parts(than.version) or (-1, -1)
    if new != old:
        return new > old
    return (day or dt.date.min) > (than.date or dt.date.min)


def status_of(trained: Trained | None, current: str, retrain_on: str) -> str:
    """current, outdated or missing for a person who must know a document at version ``current``."""
    if trained is None:
        return MISSING
    return CURRENT if covers(trained.version, current, retrain_on) else OUTDATED


@dataclass(frozen=True)
class Cell:
    """One person's status for one document, with the training it rests on (None when missing)."""

    status: str
    trained: Trained | None = None


@dataclass
class DocumentRow:
    """A document of the matrix: its audience's members and each one's status."""

    requirement: Requirement
    due: dt.date | None  # end of the grace period for those not yet trained on this version
    cells: dict[str, Cell] = field(default_factory=dict)  # person -> cell, members of the audience only

    @property
    def required(self) -> int:
        return len(self.cells)

    @property
    def current(self) -> int:
        return sum(1 for cell in self.cells.values() if cell.status == CURRENT)

    def people(self, status: str) -> list[str]:
        return [person for person, cell in self.cells.items() if cell.status == status]

    @property
    def untrained(self) -> list[str]:
        """Members not trained on the current version (outdated or missing), in people order."""
        return [person for person, cell in self.cells.items() if cell.status != CURRENT]


def completion(current: int, required: int) -> float | None:
    """The share trained, 0-100, or None when no one is required."""
    return round(100 * current / required, 1) if required else None


@dataclass
class TrainingMatrix:
    """Documents x people: who must know what and who does, with completion per document, person and group."""

    people: dict[str, tuple[str, ...]]  # person key -> groups, in the order of the configuration
    rows: list[DocumentRow]
    retrain_on: str
    grace_days: int

    @cached_property
    def by_id(self) -> dict[str, DocumentRow]:
        """Each row by its document's id."""
        return {row.requirement.id: row for row in self.rows}

    def cell(self, row: DocumentRow, person: str) -> Cell:
        return row.cells.get(person) or Cell(NOT_REQUIRED)

    def groups(self) -> list[str]:
        """Every group of any person, sorted, then ``everyone``."""
        return [*sorted({group for groups in self.people.values() for group in groups}), EVERYONE]

    def members(self, group: str) -> list[str]:
        """The people of a group (``everyone``: all)."""
        return audience_members([group], self.people)

    def tally(self, people: Iterable[str]) -> tuple[int, int]:
        """(current, required) over every document for these people."""
        wanted = set(people)
        current = required = 0
        for row in self.rows:
            for person, cell in row.cells.items():
                if person in wanted:
                    required += 1
                    current += cell.status == CURRENT
        return current, required

    def for_person(self, person: str) -> list[tuple[DocumentRow, Cell]]:
        """What one person must know: each document of which they are in the audience, with their status."""
        return [(row, row.cells[person]) for row in self.rows if person in row.cells]


def build_matrix(
    requirements: Iterable[Requirement],
    records: Iterable[TrainingRecord],
    people: Mapping[str, Iterable[str]],
    retrain_on: str = "major",
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> TrainingMatrix:
    """The training matrix of these documents and records for these people (key -> groups)."""
    groups = {key: tuple(value) for key, value in people.items()}
    index = trained_index(records)
    audiences = Audiences(groups)
    rows = []
    for requirement in sorted(requirements, key=lambda r: r.id):
        due = requirement.effective + dt.timedelta(days=grace_days) if requirement.effective else None
        row = DocumentRow(requirement, due)
        for person in audiences.members(requirement.audience):
            trained = index.get((person, requirement.id))
            row.cells[person] = Cell(status_of(trained, requirement.version, retrain_on), trained)
        rows.append(row)
    return TrainingMatrix(groups, rows, retrain_on, grace_days)


def overdue(row: DocumentRow, today: dt.date) -> bool:
    """Whether the grace period of the row's current version has ended (due: within it)."""
    return row.due is not None and today > row.due


def named(people: list[str], shown: int = 5) -> str:
    """``a, b, c`` or ``a, b, c, d, e and 7 more``: the first few names and a count of the rest."""
    if len(people) <= shown:
        return ", ".join(people)
    return f"{', '.join(people[:shown])} and {len(people) - shown} more"
