"""Human-readable report, grouped by file."""

from __future__ import annotations

from itertools import groupby

import click

from isodocs.check import CheckResult
from isodocs.model import Severity
from isodocs.reporters.textsafe import readable

COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}


def render(result: CheckResult, colour: bool = False) -> str:
    lines: list[str] = []
    for path, findings in groupby(result.findings, key=lambda f: readable(f.path)):
        lines.append(click.style(path, bold=True) if colour else path)
        for finding in findings:
            severity = f"{finding.severity.value:<7}"
            if colour:
                severity = click.style(severity, fg=COLOURS[finding.severity])
            doc_id = f" [{finding.id}]" if finding.id else ""
            lines.append(f"  {finding.line:>4}  {severity}  {finding.rule}{doc_id}: {readable(finding.message)}")
        lines.append("")
    errors, warnings = result.summary["error"], result.summary["warning"]
    documents = f"{result.documents} document{'s' if result.documents != 1 else ''}"
    if result.base:
        documents += f", compared with {result.base}"
    if result.not_shown:
        lines.append(
            f"{_plural(result.not_shown, 'finding')} on documents this change does not touch not shown "
            "(they do not fail the check; use --all to see them)"
        )
    if errors or warnings:
        lines.append(
            f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {documents} (today: {result.today})"
        )
    else:
        lines.append(f"No problems in {documents} (today: {result.today}).")
    return "\n".join(lines) + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"
