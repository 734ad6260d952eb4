"""``isodocs coverage`` output: the clause matrix as text, JSON or CSV."""

from __future__ import annotations

from typing import Any

import click

from isodocs.analyses.coverage import COVERED, EXCLUDED, GAP, MANDATORY_GAP, ClauseCoverage, StandardCoverage, percent
from isodocs.reporters.tables import WIDTH, fit, show_percent, to_csv, to_json, wrap
from isodocs.text.words import plural

STATUS_TEXT = {COVERED: "covered", GAP: "GAP", MANDATORY_GAP: "MANDATORY GAP", EXCLUDED: "excluded"}
STATUS_COLOUR = {GAP: "yellow", MANDATORY_GAP: "red"}
REQUIRED_TEXT = {("maintain",): "maintain", ("retain",): "retain", ("maintain", "retain"): "both"}
NEEDS = {"maintain": "an approved document (maintained)", "retain": "a record (retained)"}

# Column widths of the text matrix; with two spaces between columns they add up to WIDTH.
CLAUSE_W, TITLE_W, REQUIRED_W, STATUS_W = 10, 34, 8, 13
DOCUMENTS_W = WIDTH - CLAUSE_W - TITLE_W - REQUIRED_W - STATUS_W - 2 * 4


def _totals(coverages: list[StandardCoverage]) -> dict[str, Any]:
    total = sum(c.total for c in coverages)
    covered = sum(c.covered for c in coverages)
    mandatory = sum(c.mandatory_total for c in coverages)
    met = sum(c.mandatory_met for c in coverages)
    return {
        "clauses": total,
        "covered": covered,
        "percent": percent(covered, total),
        "mandatory": mandatory,
        "mandatory_met": met,
        "mandatory_percent": percent(met, mandatory),
    }


def _headline(coverage: StandardCoverage) -> list[str]:
    gaps = len(coverage.mandatory_gaps)
    return [
        f"Clauses covered: {coverage.covered} of {coverage.total} ({show_percent(coverage.percent)})",
        f"Mandatory documented information: {coverage.mandatory_met} of {coverage.mandatory_total} met "
        f"({show_percent(coverage.mandatory_percent)}), {plural(gaps, 'mandatory gap')}",
    ]


def pack(labels: list[str], width: int) -> list[str]:
    """Labels joined with ", " into lines of at most ``width``, never splitting a label."""
    lines: list[str] = []
    for label in labels:
        if lines and len(lines[-1]) + 2 + len(label) <= width:
            lines[-1] += ", " + label
        else:
            if lines:
                lines[-1] += ","
            lines.append(label)
    return lines or [""]


def _row(item: ClauseCoverage, colour: bool) -> list[str]:
    clause = item.clause
    indent = " " * clause.depth
    documents = [ref.label for ref in (*item.documents, *item.records)]
    status = STATUS_TEXT[item.status]
    padded = f"{status:<{STATUS_W}}"
    if colour and item.status in STATUS_COLOUR:
        padded = click.style(padded, fg=STATUS_COLOUR[item.status], bold=True)
    lines = []
    for index, chunk in enumerate(pack(documents, DOCUMENTS_W - 1)):
        if index == 0:
            cells = [
                (indent + fit(clause.id, CLAUSE_W - len(indent))).ljust(CLAUSE_W),
                fit(clause.title, TITLE_W).ljust(TITLE_W),
                REQUIRED_TEXT.get(item.required, "").ljust(REQUIRED_W),
                padded,
                chunk,
            ]
        else:
            cells = [" " * CLAUSE_W, " " * TITLE_W, " " * REQUIRED_W, " " * STATUS_W, chunk]
        lines.append("  ".join(cells).rstrip())
    return lines


def render_standard(coverage: StandardCoverage, colour: bool = False) -> list[str]:
    catalog = coverage.catalog
    scope = "" if coverage.in_scope else " (not in scope)"
    lines = [click.style(f"{catalog.name}{scope}", bold=True) if colour else f"{catalog.name}{scope}"]
    lines.append(fit(catalog.title, WIDTH))
    lines += _headline(coverage)
    lines.append("")
    header = "  ".join(
        [
            "Clause".ljust(CLAUSE_W),
            "Title".ljust(TITLE_W),
            "Required".ljust(REQUIRED_W),
            "Status".ljust(STATUS_W),
            "Documents and records",
        ]
    )
    lines += [header, "-" * WIDTH]
    theme = None
    for item in coverage.clauses:
        if item.clause.is_control and item.clause.parent != theme:
            theme = item.clause.parent
            lines.append(f"{theme} {catalog.themes.get(theme or '', '')}".rstrip())
        lines += _row(item, colour)
    gaps = coverage.mandatory_gaps
    if gaps:
        lines += ["", "Mandatory gaps (the standard requires documented information here):"]
        for item in gaps:
            needs = " and ".join(NEEDS[kind] for kind in item.missing)
            lines += wrap(f"  {item.clause.id} {item.clause.title}: needs {needs}", WIDTH)
            if item.clause.required:
                lines += ["      " + line for line in wrap(item.clause.required, WIDTH - 6)]
    return lines


def render_text(coverages: list[StandardCoverage], colour: bool = False) -> str:
    lines: list[str] = []
    for coverage in coverages:
        lines += render_standard(coverage, colour)
        lines.append("")
    if len(coverages) > 1:
        lines += [
            f"{'Standard':<24}  {'Clauses':>7}  {'Covered':>7}  {'Percent':>7}  "
            f"{'Mandatory':>9}  {'Met':>5}  {'Percent':>7}",
            "-" * 80,
        ]
        for coverage in coverages:
            lines.append(
                f"{fit(coverage.catalog.name, 24):<24}  {coverage.total:>7}  {coverage.covered:>7}  "
                f"{show_percent(coverage.percent):>7}  {coverage.mandatory_total:>9}  {coverage.mandatory_met:>5}  "
                f"{show_percent(coverage.mandatory_percent):>7}"
            )
        totals = _totals(coverages)
        lines.append(
            f"{'All standards':<24}  {totals['clauses']:>7}  {totals['covered']:>7}  "
            f"{show_percent(totals['percent']):>7}  {totals['mandatory']:>9}  {totals['mandatory_met']:>5}  "
            f"{show_percent(totals['mandatory_percent']):>7}"
        )
    return "\n".join(lines).rstrip("\n") + "\n"


def clause_dict(item: ClauseCoverage) -> dict[str, Any]:
    clause = item.clause
    return {
        "id": clause.id,
        "title": clause.title,
        "parent": clause.parent,
        "depth": clause.depth,
        "control": clause.is_control,
        "theme": clause.theme,
        "required": list(item.required),
        "required_text": clause.required or None,
        "status": item.status,
        "missing": list(item.missing),
        "documents": [ref.as_dict() for ref in item.documents],
        "records": [ref.as_dict() for ref in item.records],
    }


def standard_dict(coverage: StandardCoverage) -> dict[str, Any]:
    return {
        "key": coverage.key,
        "name": coverage.catalog.name,
        "title": coverage.catalog.title,
        "in_scope": coverage.in_scope,
        "clauses_total": coverage.total,
        "clauses_covered": coverage.covered,
        "percent": coverage.percent,
        "mandatory_total": coverage.mandatory_total,
        "mandatory_met": coverage.mandatory_met,
        "mandatory_percent": coverage.mandatory_percent,
        "clauses": [clause_dict(item) for item in coverage.clauses],
    }


def render_json(coverages: list[StandardCoverage]) -> str:
    return to_json({"standards": [standard_dict(c) for c in coverages], "summary": _totals(coverages)})


CSV_HEADER = ("standard", "clause", "title", "parent", "depth", "required", "status", "missing", "documents", "records")


def render_csv(coverages: list[StandardCoverage]) -> str:
    rows = (
        (
            coverage.key,
            item.clause.id,
            item.clause.title,
            item.clause.parent,
            item.clause.depth,
            " ".join(item.required),
            item.status,
            " ".join(item.missing),
            "; ".join(ref.label for ref in item.documents),
            "; ".join(ref.label for ref in item.records),
        )
        for coverage in coverages
        for item in coverage.clauses
    )
    return to_csv(CSV_HEADER, rows)
