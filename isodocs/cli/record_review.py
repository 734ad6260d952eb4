"""``isodocs review``: record a periodic review that changes no content."""

from __future__ import annotations

import datetime as dt

import click

from isodocs.cli.common import Repo, as_date, pass_repo, today_option


@click.command()
@click.argument("document")
@click.option("--by", "by", required=True, metavar="PERSON", help="Who reviewed it: a key of people in isodocs.yml.")
@click.option(
    "--date",
    "date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date of the review (YYYY-MM-DD); default: today.",
)
@today_option
@pass_repo
def review(repo: Repo, document: str, by: str, date: dt.datetime | None, today: dt.datetime | None) -> None:
    """Record that DOCUMENT (an id) was reviewed and confirmed unchanged.

    Sets last_reviewed (and next_review, where the document writes one) and
    reviewed_by; every other byte of the file stays as it was. Commit the
    change: a review is not a new version, so no version bump is needed.
    """
    from isodocs.authoring.record_review import ReviewOptions, review_document

    options = ReviewOptions(root=repo.root, document=document, by=by, date=as_date(date), today=as_date(today))
    result = review_document(options)
    click.echo(f"isodocs: wrote {result.path}: review of {result.id} by {result.by} on {result.date}")
    for change in result.changes:
        click.echo(f"  {change}")
