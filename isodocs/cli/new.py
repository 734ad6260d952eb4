"""``isodocs new``: create a draft document from its type's template."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from isodocs.cli.common import Repo, pass_repo
from isodocs.model import TYPE_PREFIX


@click.command()
@click.argument("doc_type", metavar="TYPE", type=click.Choice(list(TYPE_PREFIX)))
@click.option("--title", "-t", required=True, help="The document's title; also gives the file name.")
@click.option("--owner", "-o", required=True, help="Key of the owner in people: of isodocs.yml.")
@click.option(
    "--clauses",
    default="",
    metavar="STD:CLAUSE,...",
    help="Clauses it satisfies, e.g. iso9001:7.5,iso27001:A.5.33 (required for records).",
)
@click.option(
    "--path",
    "path",
    type=click.Path(path_type=Path),
    help="Folder (or .md file) to create it in; default: the type's folder.",
)
@click.option(
    "--source",
    help="External documents: publisher, reference or URL. Nonconformities: audit, incident, complaint, "
    "management-review, process, supplier or other.",
)
@click.option("--grade", help="Nonconformities: major, minor (default), observation or opportunity.")
@click.option("--audit", "audit_id", metavar="AUD-ID", help="Nonconformities: the audit that raised it.")
@click.option("--attendees", metavar="KEY,...", help="Training: keys of people who were trained.")
@click.option("--trainer", metavar="KEY", help="Training: key of the person who gave it.")
@click.option(
    "--method",
    default="classroom",
    show_default=True,
    help="Training: read-and-understood, classroom, on-the-job, e-learning or external.",
)
@click.option("--documents", metavar="ID,...", help="Training: the documents it covered (at their current versions).")
@click.option("--topic", help="Training: what it was about, with or without documents.")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Records: the date; audits: the first day; nonconformities: the day raised; training: when it was "
    "given (default: today).",
)
@click.option("--dry-run", is_flag=True, help="Print the document instead of writing it.")
@pass_repo
def new(
    repo: Repo,
    doc_type: str,
    title: str,
    owner: str,
    clauses: str,
    path: Path | None,
    source: str | None,
    grade: str | None,
    audit_id: str | None,
    attendees: str | None,
    trainer: str | None,
    method: str,
    documents: str | None,
    topic: str | None,
    day: dt.datetime | None,
    dry_run: bool,
) -> None:
    """Create a draft TYPE document with the next free id and print its path.

    TYPE is policy, procedure, work-instruction, form, record, external, audit
    (planned; --clauses is its scope), nonconformity (open; --clauses are the
    requirements not met, with --source, --audit and --grade), objective (a
    draft with its plan), management-review (planned on --date, one heading
    per input the standards in scope require) or training (a record of training
    given: --attendees, --trainer, --method, --documents at their current
    versions and/or --topic). The
    body comes from templates/TYPE.md in the repository when it exists, else
    from the built-in template. Never overwrites a file.
    """
    from isodocs.authoring.new import NewOptions, create_document
    from isodocs.authoring.training_record import TrainingFields

    options = NewOptions(
        root=repo.root,
        type=doc_type,
        title=title,
        owner=owner,
        clauses=clauses,
        path=path,
        source=source,
        grade=grade,
        audit=audit_id,
        date=day.date() if day else None,
        training=TrainingFields(
            attendees=_keys(attendees),
            trainer=trainer,
            method=method,
            documents=_keys(documents),
            topic=topic,
            date=day.date() if day else None,
        )
        if doc_type == "training"
        else None,
        dry_run=dry_run,
    )
    result = create_document(options)
    if dry_run:
        click.echo(result.text, nl=False)
        click.echo(f"isodocs: would create {result.path} ({result.id}); nothing written (--dry-run)", err=True)
        return
    click.echo(result.path)
    click.echo(f"isodocs: created {result.id} from the {result.template}", err=True)
    for note in result.notes:
        click.echo(f"isodocs: {note}", err=True)


def _keys(value: str | None) -> list[str]:
    """``a, b,c`` -> [a, b, c]."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]
