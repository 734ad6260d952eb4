"""``isodocs acknowledge``: a read-and-understood record for one person and the documents' current versions."""

from __future__ import annotations

import datetime as dt

import click

from isodocs.cli.common import Repo, as_date, pass_repo, today_option


@click.command()
@click.argument("document_ids", metavar="ID...", nargs=-1, required=True)
@click.option(
    "--by",
    "person",
    metavar="PERSON",
    help="Key in people: of isodocs.yml of who read them; default: the person whose email (or GitHub "
    "noreply address) is git's user.email.",
)
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="When they were read (YYYY-MM-DD); default: today.",
)
@click.option("--dry-run", is_flag=True, help="Print the record instead of writing it.")
@today_option
@pass_repo
def acknowledge(
    repo: Repo,
    document_ids: tuple[str, ...],
    person: str | None,
    day: dt.datetime | None,
    dry_run: bool,
    today: dt.datetime | None,
) -> None:
    """Record that PERSON has read and understood the current versions of the documents ID...

    Writes one training record (method read-and-understood) under
    records/training/ and prints its path. Refuses unknown people and
    documents that are not approved; a version the person has acknowledged
    already is said and left out (nothing is written when all were). Never
    overwrites a file. Commit the record yourself, in a pull request of your
    own: `check --base` warns when someone else committed it.
    """
    from isodocs.authoring.acknowledge import AcknowledgeOptions
    from isodocs.authoring.acknowledge import acknowledge as write_acknowledgement

    result = write_acknowledgement(
        AcknowledgeOptions(
            root=repo.root,
            documents=list(document_ids),
            person=person,
            date=as_date(day),
            today=as_date(today),
            dry_run=dry_run,
        )
    )
    for doc_id, version, record in result.already:
        click.echo(f"isodocs: {result.person} has acknowledged {doc_id} {version} already ({record})", err=True)
    if not result.acknowledged:
        click.echo("isodocs: nothing to acknowledge; nothing written", err=True)
        return
    listed = ", ".join(f"{doc_id} {version}" for doc_id, version in result.acknowledged)
    if dry_run:
        click.echo(result.text, nl=False)
        click.echo(f"isodocs: would write {result.path} ({result.id}): {listed}; nothing written (--dry-run)", err=True)
        return
    click.echo(result.path)
    click.echo(f"isodocs: wrote {result.id}: {result.person} read and understood {listed}", err=True)
    click.echo(f"isodocs: commit it and open a pull request: git add {result.path}", err=True)
