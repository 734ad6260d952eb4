"""``isodocs objectives`` and ``isodocs management-review prepare``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from isodocs.cli.common import Repo, as_date, format_option, pass_repo, today_option
from isodocs.cli.cycle import _render


@click.command()
@today_option
@format_option(["text", "json", "csv"])
@pass_repo
def objectives(repo: Repo, today: dt.datetime | None, output_format: str) -> None:
    """Objectives with their measure, latest result and its date, target, due date, progress and trend.

    The trend compares the latest result with the one before, in the objective's
    direction. Exit status: 0 (a report: `isodocs check` fails on objectives past
    their due date), or 2 on a usage or configuration error.
    """
    from isodocs.app.planning import run_objectives
    from isodocs.app.reports import ReportOptions
    from isodocs.reporters import objectives as reporter

    report = run_objectives(ReportOptions(root=repo.root, today=as_date(today)))
    renderers = (reporter.render_objectives_text, reporter.render_objectives_json, reporter.render_objectives_csv)
    _render(report, output_format, renderers)


@click.group("management-review")
def management_review() -> None:
    """Management reviews: prepare the next one from what the repository records."""


@management_review.command()
@click.option("--owner", "-o", help="Key of its owner in people (default: the owner of the last review held).")
@click.option("--title", "-t", help='Its title (default: "Management review, <Month YYYY>").')
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The day of the meeting (default: today); the period under review runs from the last review to it.",
)
@click.option("--path", type=click.Path(path_type=Path), help="Folder (or .md file) to write it in.")
@today_option
@click.option("--dry-run", is_flag=True, help="Print the draft instead of writing it.")
@pass_repo
def prepare(
    repo: Repo,
    owner: str | None,
    title: str | None,
    day: dt.datetime | None,
    path: Path | None,
    today: dt.datetime | None,
    dry_run: bool,
) -> None:
    """Write a planned management review whose agenda is pre-filled from the repository.

    Each input the standards in scope require is a heading; under it, what isodocs
    knows since the last review held: actions opened and closed, audits and their
    findings, nonconformities, objectives' latest results, documents past their
    review, the Statement of Applicability. Never overwrites a file; prints its path.
    """
    from isodocs.authoring.prepare_review import PrepareOptions, prepare_review

    result = prepare_review(
        PrepareOptions(
            root=repo.root,
            owner=owner,
            title=title,
            date=day.date() if day else None,
            path=path,
            today=as_date(today),
            dry_run=dry_run,
        )
    )
    if dry_run:
        click.echo(result.text, nl=False)
        click.echo(f"isodocs: would create {result.path} ({result.id}); nothing written (--dry-run)", err=True)
        return
    click.echo(result.path)
    click.echo(f"isodocs: prepared {result.id}: planned; fill in the minutes and inputs when it is held", err=True)
