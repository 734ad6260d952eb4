"""Statement of Applicability rules: soa.yml decides every Annex A control, soundly.

They apply when iso27001 is in scope (``soa-invalid`` and ``soa-unknown-control``
whenever a soa.yml exists) and report against soa.yml at the control's line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from isodocs.analyses.coverage import DocumentRef, approved_mappings
from isodocs.model import ManagementSystem, Severity
from isodocs.model.catalog import Clause
from isodocs.model.config import CONFIG_FILE
from isodocs.model.soa import INCLUSION_REASONS, SOA_FILE, SOA_STANDARD, Decision
from isodocs.rules.registry import Hit, loader_rule, system_rule

SOA_INVALID = loader_rule(
    "soa-invalid",
    Severity.ERROR,
    "soa.yml does not parse, or breaks its JSON Schema (schemas/soa.schema.json).",
)


def _in_scope(system: ManagementSystem) -> bool:
    return SOA_STANDARD in system.config.standards and SOA_STANDARD in system.catalogs


@system_rule("soa-missing-control", Severity.ERROR)
def soa_missing_control(system: ManagementSystem) -> Iterator[Hit]:
    """iso27001 is in scope and an Annex A control has no decision in soa.yml."""
    if not _in_scope(system):
        return
    catalog = system.catalogs[SOA_STANDARD]
    soa = system.soa
    if soa is None:
        # One finding, not one per control: the fix is to create the file.
        yield Hit(
            f"{catalog.name} is in scope but there is no {SOA_FILE}: create it with a decision for each of the "
            f"{len(catalog.controls)} Annex A controls, e.g. A.5.1: {{applicable: true, status: implemented}} "
            "(see docs/gap-analysis.md)",
            system.config.line("standards", system.config.standards.index(SOA_STANDARD)),
            path=CONFIG_FILE,
        )
        return
    if not soa.readable:
        return  # soa-invalid says why
    for control in catalog.controls:
        if control.id not in soa.decisions:
            yield Hit(
                f"{control.id} {control.title} has no decision: add it under controls: as "
                f"{{applicable: true, status: implemented|partial|planned}} or "
                f"{{applicable: false, justification: \"...\"}}",
                soa.line("controls"),
                path=SOA_FILE,
            )


@system_rule("soa-unknown-control", Severity.ERROR)
def soa_unknown_control(system: ManagementSystem) -> Iterator[Hit]:
    """A control id in soa.yml is not an Annex A control of the catalogue (message suggests the nearest)."""
    catalog = system.catalogs.get(SOA_STANDARD)
    if system.soa is None or catalog is None:
        return
    for control_id, decision in system.soa.decisions.items():
        if control_id in catalog.clauses and catalog.clauses[control_id].is_control:
            continue
        nearest = _nearest_control(control_id, [c.id for c in catalog.controls])
        if nearest:
            hint = f"did you mean {nearest} ({catalog.clauses[nearest].title})?"
        else:
            hint = "Annex A controls are written A.5.1 to A.8.34"
        yield Hit(f"{control_id} is no Annex A control of {catalog.name}: {hint}", decision.line, path=SOA_FILE)


def _nearest_control(control_id: str, controls: list[str]) -> str | None:
    """The control meant by a mistyped id: "5.1" and "a5.1" mean A.5.1; else the closest id."""
    bare = control_id.upper().removeprefix("A").lstrip(".")
    if f"A.{bare}" in controls:
        return f"A.{bare}"
    matches = difflib.get_close_matches(control_id, controls, n=1, cutoff=0.6)
    return matches[0] if matches else None


def _decided_controls(system: ManagementSystem) -> Iterator[tuple[str, Decision, Clause]]:
    """(id, decision, catalogue control) of each soa.yml decision on a known Annex A control, when iso27001 is in scope.

    Decisions on ids that are no control are soa-unknown-control's.
    """
    if system.soa is None or not _in_scope(system):
        return
    controls = system.catalogs[SOA_STANDARD].clauses
    for control_id, decision in system.soa.decisions.items():
        control = controls.get(control_id)
        if control is not None and control.is_control:
            yield control_id, decision, control


@system_rule("soa-unjustified-exclusion", Severity.ERROR)
def soa_unjustified_exclusion(system: ManagementSystem) -> Iterator[Hit]:
    """A control is excluded without a justification."""
    for control_id, decision, _control in _decided_controls(system):
        if decision.valid and decision.excluded and not decision.justification:
            assert system.soa is not None  # _decided_controls yields only from a soa.yml
            yield Hit(
                f"{control_id} is excluded (applicable: false) without a justification: add "
                "justification: with the reason the control is not needed (ISO/IEC 27001 6.1.3 d)",
                system.soa.line("controls", control_id, "applicable"),
                path=SOA_FILE,
            )


@system_rule("soa-unjustified-inclusion", Severity.WARNING)
def soa_unjustified_inclusion(system: ManagementSystem) -> Iterator[Hit]:
    """An applicable Annex A control has no justification for its inclusion (ISO/IEC 27001 6.1.3 d).

    Say why each applicable control is included: `reasons:` with one or more of risk (the risk
    treatment selected it), legal, contractual and business, or a `justification:` in words, e.g.
    `A.5.1: {applicable: true, status: implemented, reasons: [risk, contractual]}`.
    """
    for control_id, decision, control in _decided_controls(system):
        if decision.valid and decision.applicable is True and not decision.justified:
            yield Hit(
                f"{control_id} {control.title} is applicable without a justification for its "
                f"inclusion: add reasons: [{', '.join(INCLUSION_REASONS)}] (those that apply) or "
                'justification: "..." (ISO/IEC 27001 6.1.3 d)',
                decision.line,
                path=SOA_FILE,
            )


def _applicable_controls(
    system: ManagementSystem,
) -> Iterator[tuple[Clause, Decision, list[DocumentRef], list[DocumentRef]]]:
    """(control, decision, approved documents, records mapped to it) of each Annex A control, in catalogue order,
    that soa.yml validly decides applicable, when iso27001 is in scope."""
    if system.soa is None or not _in_scope(system):
        return
    mappings = approved_mappings(system, SOA_STANDARD)
    for control in system.catalogs[SOA_STANDARD].controls:
        decision = system.soa.decisions.get(control.id)
        if decision is not None and decision.valid and decision.applicable is True:
            documents, records = mappings.get(control.id, ([], []))
            yield control, decision, documents, records


@system_rule("soa-status-stale", Severity.WARNING)
def soa_status_stale(system: ManagementSystem) -> Iterator[Hit]:
    """An applicable control is still planned, without a note why, although approved documents or records map to it.

    When the documents that implement a control are approved, the Statement of Applicability
    should say so: set `status: implemented` (or `partial` while it covers part of the scope).
    A document can map to a control that is still not in operation (a policy that announces
    it, say): then keep `planned` and say in `notes:` what remains and when, e.g.
    `notes: "DLP policies planned for Q1 2027 (risk R-07)"`; the note is shown in the SoA.
    """
    for control, decision, documents, records in _applicable_controls(system):
        if decision.status != "planned" or decision.notes:
            continue  # not planned, or says why it is still planned
        if not documents and not records:
            continue
        assert system.soa is not None  # (_applicable_controls yields only with one)
        labels = [ref.id for ref in (*documents, *records)]
        shown = ", ".join(labels[:3]) + (f" and {len(labels) - 3} more" if len(labels) > 3 else "")
        yield Hit(
            f"{control.id} {control.title} is planned, but approved documents map to it ({shown}): "
            "set status: implemented (or partial) if it is in operation, or say in notes: why it is still planned",
            system.soa.line("controls", control.id, "status"),
            path=SOA_FILE,
        )


@system_rule("soa-unimplemented-control", Severity.WARNING)
def soa_unimplemented_control(system: ManagementSystem) -> Iterator[Hit]:
    """An applicable control has no approved document mapped to it."""
    for control, decision, documents, records in _applicable_controls(system):
        if documents or records:
            continue
        if decision.status == "planned":
            state = "is planned"
        else:
            state = f"is marked {decision.status}"
        yield Hit(
            f"{control.id} {control.title} is applicable and {state}, but no approved document maps to it: "
            f"map the documents that implement it (clauses: {{{SOA_STANDARD}: [\"{control.id}\"]}})",
            decision.line,
            path=SOA_FILE,
        )
