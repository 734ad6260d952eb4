"""``isodocs soa`` output: the Statement of Applicability as Markdown, CSV or JSON."""

from __future__ import annotations

from typing import Any

from isodocs.analyses.statement import SoaRow, Statement
from isodocs.model.soa import IMPLEMENTATION_STATUSES
from isodocs.reporters.tables import to_csv, to_json

APPLICABLE_TEXT = {"applicable": "Yes", "excluded": "No", "undecided": "Not decided"}


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|")


def _reason(row: SoaRow) -> str:
    return " ".join(part for part in (row.justification, row.notes) if part)


def summary_sentence(statement: Statement) -> str:
    counts = statement.summary
    statuses = ", ".join(f"{counts[s]} {s}" for s in IMPLEMENTATION_STATUSES)
    sentence = (
        f"{counts['controls']} controls: {counts['applicable']} applicable ({statuses}), {counts['excluded']} excluded"
    )
    if counts["undecided"]:
        sentence += f", {counts['undecided']} not decided"
    return sentence + "."


def render_markdown(statement: Statement) -> str:
    catalog = statement.catalog
    lines = [
        f"# Statement of Applicability: {statement.organization}",
        "",
        f"{catalog.name} Annex A. Decisions from `soa.yml`; documents are the approved documents "
        "and records mapped to each control.",
        "",
        summary_sentence(statement),
        "",
        "| Control | Title | Theme | Applicable | Status | Justification | Documents |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in statement.rows:
        documents = ", ".join(ref.label for ref in (*row.documents, *row.records))
        lines.append(
            "| "
            + " | ".join(
                [
                    row.control.id,
                    _cell(row.control.title),
                    row.theme.capitalize(),
                    APPLICABLE_TEXT[row.applicability],
                    row.status or "",
                    _cell(_reason(row)),
                    _cell(documents),
                ]
            )
            + " |"
        )
    return "\n".join(lines) + "\n"


def row_dict(row: SoaRow) -> dict[str, Any]:
    return {
        "id": row.control.id,
        "title": row.control.title,
        "theme": row.theme,
        "applicability": row.applicability,
        "applicable": None if row.applicability == "undecided" else row.applicability == "applicable",
        "status": row.status,
        "justification": (row.decision.justification if row.decision else "") or None,  # as written
        "reasons": list(row.reasons),
        "notes": row.notes or None,
        "documents": [ref.as_dict() for ref in row.documents],
        "records": [ref.as_dict() for ref in row.records],
    }


def render_json(statement: Statement) -> str:
    return to_json(
        {
            "standard": statement.catalog.key,
            "name": statement.catalog.name,
            "organization": statement.organization,
            "summary": statement.summary,
            "controls": [row_dict(row) for row in statement.rows],
        }
    )


CSV_HEADER = ("control", "title", "theme", "applicable", "status", "justification", "notes", "documents", "records")


def render_csv(statement: Statement) -> str:
    applicable = {"applicable": "yes", "excluded": "no", "undecided": ""}
    return to_csv(
        CSV_HEADER,
        (
            (
                row.control.id,
                row.control.title,
                row.theme,
                applicable[row.applicability],
                row.status,
                row.justification,
                row.notes,
                "; ".join(ref.label for ref in row.documents),
                "; ".join(ref.label for ref in row.records),
            )
            for row in statement.rows
        ),
    )


RENDERERS = {"md": render_markdown, "json": render_json, "csv": render_csv}
