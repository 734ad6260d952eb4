"""Human-readable report, grouped by file; or plural by rule (``check --statistics``)."""

from __future__ import annotations

from collections import Counter
from itertools import groupby

import click

from isodocs.app.check import CheckResult
from isodocs.model import Severity
from isodocs.reporters.textsafe import readable
from isodocs.rules import REGISTRY
from isodocs.text.words import plural

COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}
# From this many findings on, the report ends with the rules that gave the most, so a
# first run on an adopted repository says where the bulk is and how to count it.
MANY_FINDINGS = 30
TOP_RULES = 3


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
    if len(result.findings) >= MANY_FINDINGS:
        top = ", ".join(f"{count} {rule}" for (rule, _severity), count in _counts(result)[:TOP_RULES])
        lines.append(f"Most findings: {top} (`isodocs check --statistics` counts them by rule)")
    lines.extend(_totals(result))
    return "\n".join(lines) + "\n"


def render_statistics(result: CheckResult, colour: bool = False) -> str:
    """One line per rule and severity: count, severity, slug, what the rule finds; most first."""
    counts = _counts(result)
    lines: list[str] = []
    if counts:
        width = len(str(counts[0][1]))
        slug_width = max(len(rule) for (rule, _severity), _count in counts)
        for (rule, severity), count in counts:
            label = f"{severity.value:<7}"
            if colour:
                label = click.style(label, fg=COLOURS[severity])
            summary = REGISTRY[rule].summary if rule in REGISTRY else ""
            lines.append(f"{count:>{width}}  {label}  {rule:<{slug_width}}  {summary}".rstrip())
        lines.append("")
    lines.extend(_totals(result))
    return "\n".join(lines) + "\n"


def _counts(result: CheckResult) -> list[tuple[tuple[str, Severity], int]]:
    """(rule, severity) -> number of findings, most first, then errors first, then by slug."""
    counts = Counter((f.rule, f.severity) for f in result.findings)
    order = {Severity.ERROR: 0, Severity.WARNING: 1}
    return sorted(counts.items(), key=lambda item: (-item[1], order.get(item[0][1], 2), item[0][0]))


def _totals(result: CheckResult) -> list[str]:
    """The closing lines: what was left out, and the totals."""
    lines: list[str] = []
    errors, warnings = result.summary["error"], result.summary["warning"]
    documents = f"{result.documents} document{'s' if result.documents != 1 else ''}"
    if result.base:
        documents += f", compared with {result.base}"
    if result.not_shown:
        lines.append(
            f"{plural(result.not_shown, 'finding')} on documents this change does not touch not shown "
            "(they do not fail the check; use --all to see them)"
        )
    if errors or warnings:
        lines.append(
            f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {documents} (today: {result.today})"
        )
    else:
        lines.append(f"No problems in {documents} (today: {result.today}).")
    return lines
