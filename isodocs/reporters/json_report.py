"""The JSON report of `check --format json` (docs/change-control.md): today, documents, summary, findings."""

from __future__ import annotations

import json

from isodocs.app.check import CheckResult
from isodocs.reporters.textsafe import readable_data


def as_dict(result: CheckResult) -> dict[str, object]:
    report: dict[str, object] = {
        "today": result.today.isoformat(),
        "documents": result.documents,
        "summary": result.summary,
        "findings": [readable_data(finding.as_dict()) for finding in result.findings],
    }
    if result.base:  # check --base: what was compared, and what was left out
        report["base"] = result.base
        report["not_shown"] = result.not_shown
    return report


def render(result: CheckResult) -> str:
    return json.dumps(as_dict(result), indent=2, ensure_ascii=False) + "\n"
