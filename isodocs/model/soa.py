"""soa.yml as data: the decision recorded for each Annex A control."""

from __future__ import annotations

from dataclasses import dataclass, field

from isodocs.model.documents import line_of

SOA_FILE = "soa.yml"


SOA_STANDARD = "iso27001"  # the catalogue whose controls need decisions


IMPLEMENTATION_STATUSES = ("implemented", "partial", "planned")


# Why an applicable control is included (ISO/IEC 27001 6.1.3 d): `reasons:` in soa.yml -> as the SoA shows it.
INCLUSION_REASONS = {
    "risk": "risk treatment",
    "legal": "legal or regulatory requirement",
    "contractual": "contractual obligation",
    "business": "business requirement",
}


Lines = dict[tuple[str | int, ...], int]


@dataclass(frozen=True)
class Decision:
    """The decision soa.yml records for one control, as written."""

    control: str
    line: int
    applicable: bool | None  # None when the entry is unusable
    status: str | None = None
    justification: str = ""
    notes: str = ""
    valid: bool = True  # False when the entry broke the schema (already reported)
    reasons: tuple[str, ...] = ()  # why an applicable control is included: keys of INCLUSION_REASONS

    @property
    def excluded(self) -> bool:
        return self.applicable is False

    @property
    def justified(self) -> bool:
        """The decision says why: a justification, or (for an inclusion) reasons."""
        return bool(self.justification or (self.applicable and self.reasons))

    @property
    def basis(self) -> str:
        """The justification as the Statement of Applicability shows it: the text, then the reasons."""
        reasons = "; ".join(INCLUSION_REASONS[r] for r in self.reasons) if self.applicable else ""
        if reasons:
            reasons = f"Included for: {reasons}."
        return " ".join(part for part in (self.justification, reasons) if part)


@dataclass
class Soa:
    """soa.yml as loaded. ``readable`` is False when the file could not be parsed at all."""

    path: str
    readable: bool
    decisions: dict[str, Decision] = field(default_factory=dict)
    lines: Lines = field(default_factory=dict)

    def line(self, *key: str | int) -> int:
        return line_of(self.lines, key)

    def excluded(self, control_id: str) -> bool:
        decision = self.decisions.get(control_id)
        return bool(decision and decision.valid and decision.excluded)


@dataclass(frozen=True)
class SoaProblem:
    """Something wrong in soa.yml, before severities are applied (slug ``soa-invalid``)."""

    line: int
    message: str
    rule: str = "soa-invalid"
