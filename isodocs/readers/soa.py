"""soa.yml, the ISO/IEC 27001 Statement of Applicability decisions, and the SoA built from it.

``read_soa`` parses and validates the file (JSON Schema ``soa.schema.json``) and
keeps every decision with its line, so rules can point at it. ``statement`` joins
each Annex A control of the catalogue with its decision and the approved
documents mapped to it: the rows of the generated Statement of Applicability.
Nothing here prints.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from isodocs.model.soa import IMPLEMENTATION_STATUSES, INCLUSION_REASONS, SOA_FILE, Decision, Soa, SoaProblem
from isodocs.readers import safefs
from isodocs.readers.yamlio import YamlError, load_yaml_file
from isodocs.schemas import load_schema, quick_validity, validator

DECISION_FIELDS = tuple(load_schema("soa")["$defs"]["decision"]["properties"])


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


