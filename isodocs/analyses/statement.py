"""The Statement of Applicability: each Annex A control joined with its decision and the documents mapped to it."""

from __future__ import annotations

from dataclasses import dataclass

from isodocs.analyses.coverage import DocumentRef, approved_mappings
from isodocs.model import ManagementSystem
from isodocs.model.catalog import Catalog, Clause
from isodocs.model.soa import IMPLEMENTATION_STATUSES, SOA_STANDARD, Decision


@dataclass(frozen=True)
class SoaRow:
    """One Annex A control in the Statement of Applicability."""

    control: Clause
    theme: str  # e.g. "organizational"
    decision: Decision | None  # None: no (usable) decision in soa.yml
    documents: tuple[DocumentRef, ...]  # approved documents mapped to the control
    records: tuple[DocumentRef, ...]  # records mapped to the control

    @property
    def applicability(self) -> str:
        """ "applicable", "excluded" or "undecided"."""
        if self.decision is None or self.decision.applicable is None:
            return "undecided"
        return "applicable" if self.decision.applicable else "excluded"

    @property
    def status(self) -> str | None:
        return self.decision.status if self.decision and self.applicability == "applicable" else None

    @property
    def justification(self) -> str:
        """Why the control is excluded or included, as shown: the justification and the reasons."""
        return self.decision.basis if self.decision else ""

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.decision.reasons if self.decision and self.applicability == "applicable" else ()

    @property
    def notes(self) -> str:
        return self.decision.notes if self.decision else ""


@dataclass
class Statement:
    """The Statement of Applicability: every control of the catalogue, in order."""

    catalog: Catalog
    organization: str
    rows: list[SoaRow]
    soa_found: bool

    def count(self, applicability: str | None = None, status: str | None = None) -> int:
        return sum(
            1 for row in self.rows if applicability in (None, row.applicability) and status in (None, row.status)
        )

    @property
    def summary(self) -> dict[str, int]:
        return {
            "controls": len(self.rows),
            "applicable": self.count("applicable"),
            "excluded": self.count("excluded"),
            "undecided": self.count("undecided"),
            **{status: self.count("applicable", status) for status in IMPLEMENTATION_STATUSES},
        }


def statement(system: ManagementSystem) -> Statement:
    """Join each Annex A control with its decision and the approved documents mapped to it."""
    catalog = system.catalogs[SOA_STANDARD]
    mappings = approved_mappings(system, SOA_STANDARD)
    soa = system.soa
    rows = []
    for control in catalog.controls:
        decision = soa.decisions.get(control.id) if soa else None
        if decision is not None and not decision.valid:
            decision = None
        documents, records = mappings.get(control.id, ((), ()))
        rows.append(SoaRow(control, control.theme or "", decision, tuple(documents), tuple(records)))
    return Statement(catalog, system.config.organization, rows, soa_found=soa is not None)
