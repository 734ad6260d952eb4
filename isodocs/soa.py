"""soa.yml, the ISO/IEC 27001 Statement of Applicability decisions, and the SoA built from it.

``read_soa`` parses and validates the file (JSON Schema ``soa.schema.json``) and
keeps every decision with its line, so rules can point at it. ``statement`` joins
each Annex A control of the catalogue with its decision and the approved
documents mapped to it: the rows of the generated Statement of Applicability.
Nothing here prints.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from isodocs import safefs
from isodocs.catalog import Catalog, Clause
from isodocs.coverage import DocumentRef, approved_mappings
from isodocs.model import ManagementSystem
from isodocs.schemas import load_schema, quick_validity, validator
from isodocs.yamlio import YamlError, line_of, load_yaml_file

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
DECISION_FIELDS = tuple(load_schema("soa")["$defs"]["decision"]["properties"])

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


def read_soa(root: Path, max_bytes: int = 5 * 1024 * 1024) -> tuple[Soa | None, list[SoaProblem]]:
    """Load ``soa.yml`` at the repo root: None when there is no such file."""
    path = root / SOA_FILE
    if not path.is_symlink() and not path.exists():
        return None, []
    text, problem = safefs.read_text(root, path, max_bytes)
    if problem is not None:
        message = {
            "outside": "symlink to a place outside the repository; not followed",
            "too-large": f"file is larger than {max_bytes:,} bytes; not read",
            "encoding": f"{problem.message}",
        }.get(problem.kind, f"{problem.message}")
        return Soa(SOA_FILE, readable=False), [SoaProblem(problem.line, message)]
    assert text is not None
    return parse_soa(text)


def parse_soa(text: str) -> tuple[Soa, list[SoaProblem]]:
    """Parse and validate the text of soa.yml; problems carry lines."""
    try:
        parsed = load_yaml_file(text)
    except YamlError as exc:
        return Soa(SOA_FILE, readable=False), [SoaProblem(exc.line, exc.message)]
    soa = Soa(SOA_FILE, readable=True, lines={tuple(map(_key, k)): v for k, v in parsed.lines.items()})
    problems = [
        SoaProblem(line, f"key '{key}' appears twice (first on line {first}); YAML keeps only the last")
        for key, line, first in parsed.duplicates
    ]
    data = parsed.data
    if not isinstance(data, dict) or not isinstance(data.get("controls"), (dict, type(None))):
        soa.readable = False
        problems.append(
            SoaProblem(
                soa.line("controls"),
                "soa.yml must be a mapping with 'controls:' mapping each Annex A control id to a decision, "
                "e.g. A.5.1: {applicable: true, status: implemented}",
            )
        )
        return soa, problems
    data = {str(k): v for k, v in data.items()}
    controls = data.get("controls") or {}
    data["controls"] = {str(k): v for k, v in controls.items()}
    invalid: set[str] = set()
    errors = [] if quick_validity("soa")(data) else validator("soa").iter_errors(data)
    for error in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
        if "propertyNames" in error.schema_path:
            continue  # unknown control ids are soa-unknown-control, with a suggestion
        path = tuple(map(str, error.absolute_path))
        if len(path) >= 2 and path[0] == "controls":
            invalid.add(path[1])
        problems.append(_schema_problem(error, path, soa))
    for control_id, entry in data["controls"].items():
        line = soa.line("controls", control_id)
        soa.decisions[control_id] = _decision(control_id, entry, line, invalid=control_id in invalid)
    return soa, problems


def _key(part: Any) -> str | int:
    return part if isinstance(part, int) else str(part)


def _schema_problem(error: Any, path: tuple[str, ...], soa: Soa) -> SoaProblem:
    where = ".".join(path) or "(top level)"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = DECISION_FIELDS if len(path) == 2 else ("controls",)
        extras = [str(k) for k in error.instance if str(k) not in allowed]
        if extras:
            hint = difflib.get_close_matches(extras[0], allowed, n=1)
            suggestion = f"did you mean {hint[0]}? " if hint else ""
            return SoaProblem(
                soa.line(*path, extras[0]),
                f"{where}: unknown key '{extras[0]}'; {suggestion}allowed: {', '.join(allowed)}",
            )
    if error.validator == "required" and len(path) == 2 and "status" in str(error.message):
        return SoaProblem(
            soa.line(*path),
            f"{where}: an applicable control needs status: implemented, partial or planned",
        )
    return SoaProblem(soa.line(*path), f"{where}: {error.message}")


def _decision(control_id: str, entry: Any, line: int, invalid: bool) -> Decision:
    if not isinstance(entry, dict):
        return Decision(control_id, line, applicable=None, valid=False)
    applicable = entry.get("applicable")
    status = entry.get("status")
    justification = entry.get("justification")
    notes = entry.get("notes")
    reasons = entry.get("reasons")
    return Decision(
        control=control_id,
        line=line,
        applicable=applicable if isinstance(applicable, bool) else None,
        status=status if status in IMPLEMENTATION_STATUSES else None,
        justification=justification.strip() if isinstance(justification, str) else "",
        notes=notes.strip() if isinstance(notes, str) else "",
        valid=not invalid,
        reasons=tuple(r for r in reasons if r in INCLUSION_REASONS) if isinstance(reasons, list) else (),
    )


# The generated Statement of Applicability


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
