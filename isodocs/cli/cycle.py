"""``isodocs audits``, ``isodocs nonconformities`` and ``isodocs actions``: the improvement cycle's reports."""

from __future__ import annotations

import datetime as dt
import sys

import click

from isodocs.cli.common import Repo, as_date, format_option, pass_repo, report_notes, today_option


def _render(report, output_format: str, renderers) -> None:  # type: ignore[no-untyped-def]
    """Print a report in the chosen format (renderers: text, json, csv) and the notes of the run."""
    text, as_json, as_csv = renderers
    if output_format == "json":
        output = as_json(report)
    elif output_format == "csv":
        output = as_csv(report)
    else:
        output = text(report, colour=sys.stdout.isatty())
    click.echo(output, nl=False)
    report_notes(report)


@click.command()
@today_option
@format_option(["text", "json", "csv"])
@pass_repo
def audits(repo: Repo, today: dt.datetime | None, output_format: str) -> None:
    """The audit programme: audits by date, status, lead auditor, scope and findings by grade,
    then the clauses of each standard in scope that no audit of the cycle covers.

    The cycle is the internal audits completed in the last audit.cycle_months months
    or planned in the next ones (isodocs.yml; default 12). Exit status: 0 (a report:
    `isodocs check` fails on gaps), or 2 on a usage or configuration error.
    """
    from isodocs.app.cycle import run_audits
    from isodocs.app.reports import ReportOptions
    from isodocs.reporters import cycle as reporter

    report = run_audits(ReportOptions(root=repo.root, today=as_date(today)))
    _render(
        report, output_format, (reporter.render_audits_text, reporter.render_audits_json, reporter.render_audits_csv)
    )


@click.command()
@click.option("--open", "open_only", is_flag=True, help="Only the open nonconformities.")
@today_option
@format_option(["text", "json", "csv"])
@pass_repo
def nonconformities(repo: Repo, open_only: bool, today: dt.datetime | None, output_format: str) -> None:
    """The nonconformity register: grade, source, age in days, owner, actions done of all,
    the next due date and the effectiveness check; open ones first.

    Exit status: 0, or 2 on a usage or configuration error.
    """
    from isodocs.app.cycle import NonconformitiesOptions, run_nonconformities
    from isodocs.reporters import cycle as reporter

    report = run_nonconformities(NonconformitiesOptions(root=repo.root, today=as_date(today), open_only=open_only))
    renderers = (
        reporter.render_nonconformities_text,
        reporter.render_nonconformities_json,
        reporter.render_nonconformities_csv,
    )
    _render(report, output_format, renderers)


@click.command()
@click.option("--owner", metavar="PERSON", help="Only the actions of this person (a key of people).")
@click.option(
    "--within",
    "within_days",
    type=click.IntRange(min=0),
    metavar="DAYS",
    help="Only actions due within DAYS of today; overdue ones are always listed.",
)
@today_option
@format_option(["text", "json", "csv"])
@pass_repo
def actions(
    repo: Repo, owner: str | None, within_days: int | None, today: dt.datetime | None, output_format: str
) -> None:
    """Every open action of objectives, nonconformities and management reviews, by owner, overdue first.

    Exit status: 0 (a report: `isodocs check` fails on overdue actions), or 2 on a
    usage or configuration error (such as an --owner that is no person).
    """
    from isodocs.app.cycle import ActionsOptions, run_actions
    from isodocs.reporters import cycle as reporter

    report = run_actions(ActionsOptions(root=repo.root, today=as_date(today), owner=owner, within_days=within_days))
    _render(
        report, output_format, (reporter.render_actions_text, reporter.render_actions_json, reporter.render_actions_csv)
    )
