"""``isodocs new``: create a draft document from its type's template."""

from __future__ import annotations

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
@click.option("--source", help="External documents: publisher, reference or URL.")
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
    dry_run: bool,
) -> None:
    """Create a draft TYPE document with the next free id and print its path.

    TYPE is policy, procedure, work-instruction, form, record or external. The
    body comes from templates/TYPE.md in the repository when it exists, else
    from the built-in template. Never overwrites a file.
    """
    from isodocs.authoring.new import NewOptions, create_document

    options = NewOptions(
        root=repo.root,
        type=doc_type,
        title=title,
        owner=owner,
        clauses=clauses,
        path=path,
        source=source,
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
