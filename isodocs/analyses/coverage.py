"""Coverage of the standards by the approved documents: the gap analysis.

For each in-scope standard and each of its clauses this says which approved
documents and records are mapped to it, whether the standard requires
documented information there, and whether that is met. The same model feeds
``isodocs coverage``, the gap rules of ``isodocs check`` and the site's clause
matrices, so nothing here prints.

How a clause counts (docs/gap-analysis.md says the same for users):

- Only approved documents and records count; drafts, documents in review and
  obsolete documents do not.
- A mapping counts for the clause it names. A parent clause is covered when it
  or any of its sub-clauses is mapped; a mapping to a parent does not cover its
  sub-clauses.
- A clause that requires documented information to be *maintained* is met when
  an approved document that is not a record is mapped to it or to one of its
  sub-clauses; one that requires it to be *retained* is met when a record is.
  Until then it is a mandatory gap, whatever else is mapped to it.
- An Annex A control excluded in soa.yml is "excluded" and left out of the
  percentages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from isodocs.model import DerivedKey, Document, ManagementSystem
from isodocs.model.catalog import Catalog, Clause

COVERED = "covered"
GAP = "gap"
MANDATORY_GAP = "mandatory-gap"
EXCLUDED = "excluded"
STATUSES = (COVERED, GAP, MANDATORY_GAP, EXCLUDED)

MAINTAIN, RETAIN = "maintain", "retain"


class DocumentRef(NamedTuple):
    """What a table needs to name a document. (A named tuple: one is made per approved
    document in every run, and a frozen dataclass costs several times more to make.)"""

    id: str
    title: str
    type: str
    version: str | None
    path: str

    @classmethod
    def of(cls, doc: Document) -> DocumentRef:
        version = None if doc.is_record else doc.version
        return cls(doc.id or doc.path, doc.title or "", doc.type or "", version, doc.path)

    @property
    def label(self) -> str:
        """``PRO-003 v2.1``, or just the id for records."""
        return f"{self.id} v{self.version}" if self.version else self.id

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "type": self.type, "version": self.version, "path": self.path}


@dataclass(frozen=True)
class ClauseCoverage:
    clause: Clause
    documents: tuple[DocumentRef, ...]  # approved documents (not records) mapped to this clause
    records: tuple[DocumentRef, ...]  # records mapped to this clause
    mapped: bool  # this clause or a sub-clause has an approved document or record
    missing: tuple[str, ...]  # required documented information not met: "maintain", "retain"
    excluded: bool = False  # an Annex A control excluded in soa.yml

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(kind for kind in (MAINTAIN, RETAIN) if kind in self.clause.documented_information)

    @property
    def mandatory(self) -> bool:
        """The standard requires documented information here (and it is not excluded)."""
        return bool(self.required) and not self.excluded

    @property
    def status(self) -> str:
        if self.excluded:
            return EXCLUDED
        if self.missing:
            return MANDATORY_GAP
        return COVERED if self.mapped else GAP


@dataclass
class StandardCoverage:
    catalog: Catalog
    in_scope: bool
    clauses: list[ClauseCoverage] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.catalog.key

    def _counted(self) -> list[ClauseCoverage]:
        return [c for c in self.clauses if not c.excluded]

    @property
    def total(self) -> int:
        return len(self._counted())

    @property
    def covered(self) -> int:
        return sum(1 for c in self.clauses if c.status == COVERED)

    @property
    def mandatory_total(self) -> int:
        return sum(1 for c in self.clauses if c.mandatory)

    @property
    def mandatory_met(self) -> int:
        return sum(1 for c in self.clauses if c.mandatory and not c.missing)

    @property
    def gaps(self) -> list[ClauseCoverage]:
        return [c for c in self.clauses if c.status in (GAP, MANDATORY_GAP)]

    @property
    def mandatory_gaps(self) -> list[ClauseCoverage]:
        return [c for c in self.clauses if c.status == MANDATORY_GAP]

    @property
    def percent(self) -> float | None:
        return percent(self.covered, self.total)

    @property
    def mandatory_percent(self) -> float | None:
        return percent(self.mandatory_met, self.mandatory_total)


def percent(part: int, whole: int) -> float | None:
    """Percentage rounded down to one decimal, so 99.96 never shows as 100; None of nothing."""
    if whole == 0:
        return None
    return math.floor(part * 1000 / whole) / 10


Mappings = dict[str, tuple[list[DocumentRef], list[DocumentRef]]]
# Standard key -> its mappings, for every standard in one pass (the gap and SoA rules ask nine times).
APPROVED_MAPPINGS: DerivedKey[dict[str, Mappings]] = DerivedKey("approved mappings")


def approved_mappings(system: ManagementSystem, key: str) -> Mappings:
    """Clause id -> (approved documents, records) mapped to it in standard ``key``, by id.

    Computed for every standard in one pass the first time a run asks (the gap and
    SoA rules ask nine times) and shared: callers must not modify the result.
    """
    return system.derived.get(APPROVED_MAPPINGS, lambda: _all_approved_mappings(system)).get(key, {})


def evidence_clauses(
    doc_type: str | None, clauses: dict[str, list[str]], evidence: dict[str, dict[str, str]]
) -> dict[str, list[str]]:
    """A document's clauses plus those its type is evidence for (``evidence``: standard in scope ->
    record type -> clause, from the catalogues), e.g. an audit counts for 9.2.2 of each standard."""
    implied = {key: [types[doc_type]] for key, types in evidence.items() if doc_type in types}
    if not implied:
        return clauses
    merged = {key: list(ids) for key, ids in clauses.items()}
    for key, ids in implied.items():
        merged[key] = ids + merged.get(key, [])
    return merged


def _all_approved_mappings(system: ManagementSystem) -> dict[str, Mappings]:
    every: dict[str, Mappings] = {}
    evidence = {
        key: catalog.evidence
        for key, catalog in system.catalogs.items()
        if catalog.evidence and key in system.config.standards
    }
    implied_types = {doc_type for types in evidence.values() for doc_type in types}
    approved = [doc for doc in system.documents if doc.is_approved and (doc.clauses or doc.type in implied_types)]
    for doc in sorted(approved, key=lambda d: (d.id or "", d.path)):
        ref = DocumentRef.of(doc)
        side = 1 if doc.is_record else 0  # (documents, records)
        clauses = evidence_clauses(doc.type, doc.clauses, evidence) if doc.type in implied_types else doc.clauses
        for key, clause_ids in clauses.items():
            mappings = every.setdefault(key, {})
            for clause_id in dict.fromkeys(clause_ids):  # a clause listed twice counts once
                pair = mappings.get(clause_id)
                if pair is None:
                    pair = mappings[clause_id] = ([], [])
                pair[side].append(ref)
    return every


def standard_coverage(system: ManagementSystem, key: str) -> StandardCoverage:
    """Clause-by-clause coverage of one standard (any known catalogue, in scope or not)."""
    catalog = system.catalogs[key]
    mappings = approved_mappings(system, key)
    # Only the SoA's own standard has exclusions (soa.SOA_STANDARD; not imported: soa imports this module).
    soa = system.soa if key == "iso27001" else None
    # Kinds of documented information mapped to each clause or its sub-clauses. The
    # catalogue lists parents before children, so one pass in reverse fills the tree.
    kinds: dict[str, set[str]] = {clause_id: set() for clause_id in catalog.clauses}
    for clause_id in reversed(catalog.clauses):
        documents, records = mappings.get(clause_id, ([], []))
        if documents:
            kinds[clause_id].add(MAINTAIN)
        if records:
            kinds[clause_id].add(RETAIN)
        parent = catalog.clauses[clause_id].parent
        if parent in kinds:
            kinds[parent] |= kinds[clause_id]
    result = StandardCoverage(catalog, in_scope=key in system.config.standards)
    for clause_id, clause in catalog.clauses.items():
        documents, records = mappings.get(clause_id, ([], []))
        found = kinds[clause_id]
        required = clause.documented_information
        result.clauses.append(
            ClauseCoverage(
                clause=clause,
                documents=tuple(documents),
                records=tuple(records),
                mapped=bool(found),
                missing=tuple(kind for kind in (MAINTAIN, RETAIN) if kind in required and kind not in found),
                excluded=bool(clause.is_control and soa is not None and soa.excluded(clause_id)),
            )
        )
    return result


# Standard key -> its coverage, filled as runs ask for standards (both gap rules ask).
STANDARD_COVERAGE: DerivedKey[dict[str, StandardCoverage]] = DerivedKey("standard coverage")


def compute_coverage(system: ManagementSystem, standards: list[str] | None = None) -> dict[str, StandardCoverage]:
    """Coverage of each standard in ``standards`` (default: the in-scope ones), in that order.

    Computed once per run and standard (both gap rules ask), and shared: callers must not modify it.
    """
    keys = system.config.standards if standards is None else standards
    known = system.derived.get(STANDARD_COVERAGE, dict)
    for key in keys:
        if key not in known:
            known[key] = standard_coverage(system, key)
    return {key: known[key] for key in keys}
