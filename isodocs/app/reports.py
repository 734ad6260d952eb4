"""Library entry points of the report commands: ``coverage``, ``soa`` and ``reviews``.

Each loads the repository once and returns plain data for a reporter. Problems
that stop a report (no isodocs.yml, an unknown standard, no usable soa.yml) raise
UsageError (exit 2); broken document files are left out and counted, so the CLI
can say to run ``isodocs check``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path

from isodocs.analyses.coverage import StandardCoverage, compute_coverage
from isodocs.analyses.reviews import ReviewCalendar, review_calendar
from isodocs.analyses.statement import Statement, statement
from isodocs.app.load import load_system
from isodocs.errors import UsageError
from isodocs.model import ManagementSystem
from isodocs.model.soa import SOA_FILE, SOA_STANDARD


@dataclass
class ReportOptions:
    root: Path
    today: dt.date | None = None


@dataclass
class CoverageOptions(ReportOptions):
    standard: str | None = None  # one standard (any known catalogue); default: every one in scope


@dataclass
class ReviewsOptions(ReportOptions):
    within_days: int | None = None  # default: review.warn_days of isodocs.yml


@dataclass
class Report:
    """What a report command prints, plus what the run could not use."""

    system: ManagementSystem
    unreadable: int  # document files left out because they could not be parsed
    warnings: list[str] = field(default_factory=list)


@dataclass
class CoverageReport(Report):
    coverages: list[StandardCoverage] = field(default_factory=list)


@dataclass
class SoaReport(Report):
    statement: Statement | None = None


@dataclass
class ReviewsReport(Report):
    calendar: ReviewCalendar | None = None


def _load(options: ReportOptions) -> tuple[ManagementSystem, int]:
    system, _problems = load_system(options.root, options.today)
    return system, system.files - len(system.documents)


def run_coverage(options: CoverageOptions) -> CoverageReport:
    system, unreadable = _load(options)
    if options.standard is None:
        keys = list(system.config.standards)
        if not keys:
            raise UsageError("no standards in scope: add their keys to standards: in isodocs.yml", "isodocs.yml")
    elif options.standard in system.catalogs:
        keys = [options.standard]
    else:
        hint = difflib.get_close_matches(options.standard, list(system.catalogs), n=1)
        suggestion = f"did you mean {hint[0]}? " if hint else ""
        raise UsageError(
            f"--standard {options.standard}: no such catalogue; {suggestion}known: {', '.join(sorted(system.catalogs))}"
        )
    coverages = list(compute_coverage(system, keys).values())
    return CoverageReport(system, unreadable, coverages=coverages)


def run_soa(options: ReportOptions) -> SoaReport:
    system, unreadable = _load(options)
    if SOA_STANDARD not in system.catalogs:
        raise UsageError(f"no {SOA_STANDARD} catalogue: the Statement of Applicability lists its Annex A controls")
    soa = system.soa
    if soa is None:
        raise UsageError(
            f"no {SOA_FILE} in {system.root}: create it with a decision for each Annex A control "
            "(see docs/gap-analysis.md)"
        )
    if not soa.readable:
        raise UsageError(f"{SOA_FILE} cannot be read; run `isodocs check {SOA_FILE}` for the problem and its line")
    report = SoaReport(system, unreadable, statement=statement(system))
    invalid = sum(1 for decision in soa.decisions.values() if not decision.valid)
    if invalid:
        report.warnings.append(
            f"{invalid} decision(s) in {SOA_FILE} break its schema and are shown as not decided; "
            f"run `isodocs check {SOA_FILE}`"
        )
    if SOA_STANDARD not in system.config.standards:
        report.warnings.append(f"{SOA_STANDARD} is not in standards: of isodocs.yml")
    return report


def run_reviews(options: ReviewsOptions) -> ReviewsReport:
    system, unreadable = _load(options)
    within = system.config.warn_days if options.within_days is None else options.within_days
    return ReviewsReport(system, unreadable, calendar=review_calendar(system, within))
