"""``isodocs training``: the training matrix (documents x people), or what one person must read."""

from __future__ import annotations

import datetime as dt

import click

from isodocs.cli.common import Repo, as_date, format_option, pass_repo, report_notes, today_option


@click.command()
@click.option("--person", metavar="PERSON", help="What this person (a key of people) must read, and their status.")
@click.option("--document", metavar="ID", help="One document: each person of its audience and their status.")
@click.option("--group", metavar="GROUP", help="The members of one group (or everyone) as columns.")
@today_option
@format_option(["text", "json", "csv"])
@pass_repo
def training(
    repo: Repo,
    person: str | None,
    document: str | None,
    group: str | None,
    today: dt.datetime | None,
    output_format: str,
) -> None:
    """The training matrix: who must know each approved document with an audience, and who does.

    Each person in a document's audience is current (trained on its current
    version, or its major version with training.retrain_on: major), outdated
    (trained on an earlier one), or missing; completion per document and per
    group. Exit status: 0 (a report: `isodocs check` fails on overdue
    training), or 2 on a usage or configuration error.
    """
    from isodocs.app.training import TrainingOptions, run_training
    from isodocs.reporters import training as reporter

    report = run_training(
        TrainingOptions(root=repo.root, today=as_date(today), person=person, document=document, group=group)
    )
    if output_format == "json":
        output = reporter.render_json(report)
    elif output_format == "csv":
        output = reporter.render_csv(report)
    else:
        output = reporter.render_text(report)
    click.echo(output, nl=False)
    report_notes(report)
