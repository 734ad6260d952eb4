"""Catalogues as data: the clauses and controls of a standard."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Clause:
    """A clause of the requirements, or a control of a control set (Annex A)."""

    id: str
    title: str
    parent: str | None = None
    children: tuple[str, ...] = ()
    documented_information: frozenset[str] = frozenset()  # {"maintain", "retain"}
    required: str = ""
    note: str = ""
    untitled: bool = False
    is_control: bool = False
    theme: str | None = None  # control theme, e.g. "organizational"
    depth: int = 0

    @property
    def needs_document(self) -> bool:
        return "maintain" in self.documented_information

    @property
    def needs_record(self) -> bool:
        return "retain" in self.documented_information


@dataclass
class Catalog:
    key: str
    title: str
    standard: str
    edition: str
    source: str
    path: str  # where it was loaded from, for messages
    clauses: dict[str, Clause] = field(default_factory=dict)  # requirement clauses, then controls, in order
    themes: dict[str, str] = field(default_factory=dict)  # control group id -> title
    # Record type of the improvement cycle -> the clause it is evidence for (e.g. audit -> 9.2.2).
    evidence: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """Designation with edition, e.g. 'ISO 9001:2015'."""
        return f"{self.standard}:{self.edition}" if self.edition else self.standard

    @property
    def controls(self) -> list[Clause]:
        return [c for c in self.clauses.values() if c.is_control]

    @property
    def requirements(self) -> list[Clause]:
        return [c for c in self.clauses.values() if not c.is_control]

    def nearest(self, clause_id: str) -> str | None:
        """The valid id closest to a mistyped one, for 'did you mean'.

        Typing slips are undone first (``A5.1``, ``a.5.1``, ``7.5.``); then a
        missing clause is matched to its family before its spelling: ``7.5.4``
        suggests the nearest sibling ``7.5.3`` and ``8.5.1.2`` its parent
        ``8.5.1``, where plain string similarity would jump to ``8.5.4``.
        """
        wanted = annex_form(clause_id)
        if wanted in self.clauses:
            return wanted
        if f"A.{wanted}" in self.clauses:  # a control written without its "A."
            return f"A.{wanted}"
        parent, _, last = wanted.rpartition(".")
        siblings = [c.id for c in self.clauses.values() if c.parent == parent] if parent else []
        if siblings:
            return _closest_number(last, siblings)
        if parent in self.clauses:
            return parent
        matches = difflib.get_close_matches(wanted, list(self.clauses), n=1, cutoff=0.5)
        return matches[0] if matches else None


def annex_form(clause_id: str) -> str:
    """A clause id with typing slips undone: blanks and a final "." dropped, ``a5.1`` and ``A 5.1`` as ``A.5.1``."""
    wanted = clause_id.strip().rstrip(".")
    annex = re.fullmatch(r"[Aa]\.?\s*(\d.*)", wanted)
    return "A." + annex.group(1) if annex else wanted


def _closest_number(last: str, siblings: list[str]) -> str:
    """The sibling whose last number is closest to ``last`` (the lower one on a tie)."""
    if not last.isdigit():
        return (difflib.get_close_matches(last, siblings, n=1, cutoff=0) or siblings)[0]

    def distance(sibling: str) -> tuple[int, int]:
        number = sibling.rpartition(".")[2]
        value = int(number) if number.isdigit() else 10**9
        return abs(value - int(last)), value

    return min(siblings, key=distance)
