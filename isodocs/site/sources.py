"""Gather what the site shows besides the documents: coverage, SoA and revision history.

This is the one place that knows the other modules' result types; it turns
them into the small views of ``isodocs.site.inputs``. The site never computes
coverage or history itself.
"""

from __future__ import annotations

import datetime as dt

from isodocs.model import Finding, ManagementSystem
from isodocs.site.inputs import Revision, SiteInputs, SoaRow, StandardCoverage


def collect(system: ManagementSystem, findings: list[Finding], build_date: dt.date | None = None) -> SiteInputs:
    return SiteInputs(
        system=system,
        findings=findings,
        history=history_views(system),
        coverage=coverage_views(system),
        soa=soa_views(system),
        build_date=build_date or dt.date.today(),
    )


def history_views(system: ManagementSystem) -> dict[str, list[Revision]] | None:
    """Revisions of every document from the Git history index; None outside Git."""
    return None  # wired to isodocs.history when the history index lands


def coverage_views(system: ManagementSystem) -> list[StandardCoverage] | None:
    return None  # wired to isodocs.coverage when the gap analysis lands


def soa_views(system: ManagementSystem) -> list[SoaRow] | None:
    return None  # wired to isodocs.soa when the gap analysis lands
