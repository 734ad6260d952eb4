"""``isodocs reviews``: overdue and upcoming reviews, grouped by owner."""

from __future__ import annotations

import datetime as dt
import sys

import click

from isodocs.cli.common import Repo, as_date, format_option, pass_repo, report_notes, today_option


@click.command()
@click.option(
    "--within",
    "within_days",
    type=click.IntRange(min=0),
    metavar="DAYS",
    help="List reviews due within DAYS of today (default: review.warn_days of isodocs.yml).",
)
@today_option
@format_option(["text", "json", "csv"])
@pass_repo
def reviews(repo: Repo, within_days: int | None, today: dt.datetime | None, output_format: str) -> None:
    """Overdue and upcoming reviews by owner, with days overdue or left.

    Lists approved documents and documents in review whose next review is
    overdue or within DAYS. Exit status: 0 (it is a report: `isodocs check`
    fails on overdue reviews), or 2 on a usage or configuration error.
    """
    from isodocs.app.reports import ReviewsOptions, run_reviews
    from isodocs.reporters import reviews as reporter

    report = run_reviews(ReviewsOptions(root=repo.root, today=as_date(today), within_days=within_days))
    assert report.calendar is not None
    if output_format == "json":
        output = reporter.render_json(report.calendar)
    elif output_format == "csv":
        output = reporter.render_csv(report.calendar)
    else:
        output = reporter.render_text(report.calendar, colour=sys.stdout.isatty())
    click.echo(output, nl=False)
    report_notes(report)
