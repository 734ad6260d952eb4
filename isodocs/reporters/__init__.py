"""Reporters turn a check result into text for a terminal, a machine or CI."""

from __future__ import annotations

from collections.abc import Callable

from isodocs.app.check import CheckResult
from isodocs.reporters import github, json_report, sarif, text

Reporter = Callable[[CheckResult], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.render,
    "json": json_report.render,
    "github": github.render,
    "sarif": sarif.render,
}
