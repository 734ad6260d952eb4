"""The internal audit programme: which clauses the audits of the cycle cover.

The core is pure functions over plain data (a ``ClauseTree`` and sets of clause
ids), so the rules, ``isodocs audits`` and the site compute coverage the same way:

- A clause in an audit's ``scope`` covers itself and every clause below it.
- A clause is also covered when all of its sub-clauses are.
- Only internal audits count, by their ``end`` date (default ``start``):
  completed within the last ``audit.cycle_months`` months, or planned within the
  next ones. Cancelled audits, external audits and audits outside that window
  count for nothing.
- Annex A controls count only where soa.yml makes them applicable; a control
  group (``A.5`` ... ``A.8``) stands for its applicable controls.

``compact`` lists what is left uncovered briefly: a clause is named instead of its
sub-clauses only when none of it is covered, and three or more neighbouring
siblings wholly uncovered become a range (``A.8.20–A.8.24``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from isodocs.analyses.cycle import cycle_records
from isodocs.model import DerivedKey, ManagementSystem, add_months
from isodocs.model.catalog import Catalog
from isodocs.model.cycle import Audit

RANGE_DASH = "–"
MIN_RANGE = 3  # neighbours wholly uncovered are written as a range from this many on


@dataclass(frozen=True)
class ClauseTree:
    """The clauses that count for one standard, as plain data.

    ``order`` lists every clause, parents before their children; ``children`` gives
    each clause's sub-clauses in order (leaves map to ``()``); ``roots`` are the
    clauses without a parent; ``position`` is each clause's place among all its
    siblings in the catalogue (a gap means a sibling that does not count, which
    breaks a range).
    """

    roots: tuple[str, ...]
    children: Mapping[str, tuple[str, ...]]
    order: tuple[str, ...]
    position: Mapping[str, int]

    @property
    def leaves(self) -> list[str]:
        return [clause for clause in self.order if not self.children[clause]]


def build_tree(parents: Iterable[tuple[str, str | None]]) -> ClauseTree:
    """A tree from (clause id, parent id) pairs in catalogue order, parents first.

    A clause whose parent is not among the pairs is a root.
    """
    pairs = list(parents)
    known = {clause for clause, _ in pairs}
    children: dict[str, list[str]] = {clause: [] for clause in known}
    roots: list[str] = []
    position: dict[str, int] = {}
    for clause, parent in pairs:
        siblings = children[parent] if parent in known else roots
        position[clause] = len(siblings)
        siblings.append(clause)
    order: list[str] = []

    def visit(clause: str) -> None:
        order.append(clause)
        for child in children[clause]:
            visit(child)

    for root in roots:
        visit(root)
    return ClauseTree(tuple(roots), {k: tuple(v) for k, v in children.items()}, tuple(order), position)


def covered_clauses(tree: ClauseTree, scope: Iterable[str]) -> set[str]:
    """The clauses of ``tree`` that ``scope`` (clause ids) covers: each with its sub-tree, and
    every clause all of whose sub-clauses are covered. Ids not in the tree are ignored."""
    covered: set[str] = set()
    stack = [clause for clause in scope if clause in tree.children]
    while stack:
        clause = stack.pop()
        if clause not in covered:
            covered.add(clause)
            stack.extend(tree.children[clause])
    for clause in reversed(tree.order):  # children before parents
        kids = tree.children[clause]
        if kids and clause not in covered and all(kid in covered for kid in kids):
            covered.add(clause)
    return covered


def compact(tree: ClauseTree, covered: set[str]) -> list[str]:
    """The uncovered clauses of ``tree``, briefly (see the module's docstring)."""
    untouched: dict[str, bool] = {}
    for clause in reversed(tree.order):  # none of it covered: itself and every sub-clause
        untouched[clause] = clause not in covered and all(untouched[kid] for kid in tree.children[clause])
    out: list[str] = []

    def flush(run: list[str]) -> None:
        if len(run) >= MIN_RANGE:
            out.append(f"{run[0]}{RANGE_DASH}{run[-1]}")
        else:
            out.extend(run)
        run.clear()

    def walk(siblings: tuple[str, ...]) -> None:
        run: list[str] = []
        for clause in siblings:
            if clause in covered:
                flush(run)
            elif untouched[clause]:
                if run and tree.position[clause] != tree.position[run[-1]] + 1:
                    flush(run)
                run.append(clause)
            else:
                flush(run)
                walk(tree.children[clause])
        flush(run)

    walk(tree.roots)
    return out


def catalog_tree(catalog: Catalog, applicable: set[str] | None) -> ClauseTree:
    """The clauses of a catalogue that the programme must cover.

    Every requirement clause; of the controls, those in ``applicable`` (None: none),
    under their group (``A.5``) as a parent. A control keeps its place among all the
    controls of its group, so an excluded one between two uncovered ones breaks a range.
    """
    pairs: list[tuple[str, str | None]] = [(c.id, c.parent) for c in catalog.requirements]
    places: dict[str, int] = {}
    for group_index, group in enumerate(catalog.themes):
        members = [c.id for c in catalog.controls if c.parent == group]
        chosen = [(index, control) for index, control in enumerate(members) if applicable and control in applicable]
        if chosen:
            pairs.append((group, None))
            pairs += [(control, group) for _, control in chosen]
            places.update({control: index for index, control in chosen})
            places[group] = 1000 + group_index  # groups never run on from the main clauses
    tree = build_tree(pairs)
    if not places:
        return tree
    return ClauseTree(tree.roots, tree.children, tree.order, {**tree.position, **places})


def counts_in_cycle(audit: Audit, today: dt.date, cycle_months: int) -> bool:
    """Whether an audit counts for the programme: internal, and completed within the last
    ``cycle_months`` or planned within the next, by its end date (default start)."""
    day = audit.date
    if not audit.internal or day is None:
        return False
    if audit.status == "completed":
        return add_months(today, -cycle_months) <= day <= today
    if audit.status == "planned":
        return today <= day <= add_months(today, cycle_months)
    return False


@dataclass
class StandardProgramme:
    """How the audits of the cycle cover one in-scope standard."""

    key: str
    name: str
    tree: ClauseTree
    covered: set[str]
    covered_by: dict[str, list[str]]  # clause -> ids of the counted audits whose scope covers it
    audits: list[str] = field(default_factory=list)  # ids of the audits that count for this standard

    @property
    def leaves(self) -> list[str]:
        return self.tree.leaves

    @property
    def total(self) -> int:
        return len(self.leaves)

    @property
    def covered_count(self) -> int:
        return sum(1 for clause in self.leaves if clause in self.covered)

    @property
    def uncovered(self) -> list[str]:
        """The uncovered clauses, compacted."""
        return compact(self.tree, self.covered)

    @property
    def percent(self) -> float | None:
        if not self.total:
            return None
        return int(self.covered_count * 1000 / self.total) / 10


def applicable_controls(system: ManagementSystem, catalog: Catalog) -> set[str] | None:
    """Controls of ``catalog`` that soa.yml makes applicable (None: no controls, or no soa.yml)."""
    if not catalog.controls or system.soa is None:
        return None
    return {
        control.id
        for control in catalog.controls
        if (decision := system.soa.decisions.get(control.id)) is not None and decision.applicable is True
    }


AUDIT_PROGRAMME: DerivedKey[list[StandardProgramme]] = DerivedKey("audit programme")


def audit_programme(system: ManagementSystem) -> list[StandardProgramme]:
    """Coverage of each in-scope standard by the cycle's internal audits; computed once per run."""
    return system.derived.get(AUDIT_PROGRAMME, lambda: _programme(system))


def _programme(system: ManagementSystem) -> list[StandardProgramme]:
    months = system.config.audit_cycle_months
    counted = [a for a in cycle_records(system).audits if counts_in_cycle(a, system.today, months)]
    found = []
    for key in system.config.standards:
        catalog = system.catalogs.get(key)
        if catalog is None:
            continue
        tree = catalog_tree(catalog, applicable_controls(system, catalog))
        covered_by: dict[str, list[str]] = {}
        audits = []
        for audit in counted:
            scope = audit.scope.get(key)
            if not scope:
                continue
            audits.append(audit.id)
            for clause in covered_clauses(tree, scope):
                covered_by.setdefault(clause, []).append(audit.id)
        covered = covered_clauses(tree, covered_by)
        found.append(StandardProgramme(key, catalog.name, tree, covered, covered_by, audits))
    return found
