"""GitHub Actions workflow commands: one annotation per finding, on its line."""

from __future__ import annotations

from isodocs.app.check import CheckResult
from isodocs.reporters.textsafe import readable


def _escape_data(value: str) -> str:
    return readable(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(result: CheckResult) -> str:
    lines = []
    for finding in result.findings:
        title = f"{finding.rule} ({finding.id})" if finding.id else finding.rule
        lines.append(
            f"::{finding.severity.value} file={_escape_property(finding.path)},line={finding.line},"
            f"title={_escape_property(title)}::{_escape_data(finding.message)}"
        )
    summary = result.summary
    not_shown = (
        f"; {result.not_shown} finding(s) on documents the change does not touch not shown (--all shows them)"
        if result.not_shown
        else ""
    )
    lines.append(
        f"isodocs: {summary['error']} error(s), {summary['warning']} warning(s) in {result.documents} documents"
        f"{not_shown}"
    )
    return "\n".join(lines) + "\n"
