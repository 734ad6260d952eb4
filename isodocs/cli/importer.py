"""``isodocs import``: bring existing Markdown documents in as drafts."""

from __future__ import annotations

from pathlib import Path

import click

from isodocs.cli.common import Repo, pass_repo
from isodocs.errors import UsageError
from isodocs.model import TYPE_PREFIX


@click.command("import")
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@click.option("--type", "doc_type", required=True, type=click.Choice(list(TYPE_PREFIX)), help="Type of every file.")
@click.option("--owner", "-o", help="Owner (key of people:) where a file names no known owner.")
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="KEY=FIELD",
    help="Map a foreign front matter key to an isodocs field, e.g. --map doc_owner=owner; FIELD ignore drops it.",
)
@click.option("--clauses", default="", metavar="STD:CLAUSE,...", help="Clauses to add to every imported file.")
@click.option(
    "--dest", type=click.Path(file_okay=False, path_type=Path), help="Folder to write to; default: the type's folder."
)
@click.option(
    "--section-pages",
    is_flag=True,
    help="Import index.md and README.md as documents too (named after their title); by default they are skipped.",
)
@click.option("--dry-run", is_flag=True, help="Print the report only; write nothing.")
@click.option("--verbose", "-v", is_flag=True, help="List every file's notes, not only the grouped summary.")
@pass_repo
def import_(
    repo: Repo,
    source: Path,
    doc_type: str,
    owner: str | None,
    mappings: tuple[str, ...],
    clauses: str,
    dest: Path | None,
    section_pages: bool,
    dry_run: bool,
    verbose: bool,
) -> None:
    """Import the Markdown files under SOURCE (a folder or one file) as draft documents.

    Front matter of other tools is mapped where isodocs knows the field (title,
    name, owner, version, controls, satisfies, ...), including comply's header
    without an opening ---; ISO 27001:2013 controls are translated to 2022. Lists
    and headings the site would misrender are converted, and files that
    root-relative links name in the source site's static/ folder are copied. The
    report lists problems first, each remark once with the number of files.
    Source files are never modified and no existing file is overwritten.
    """
    from isodocs.authoring.importer import ImportOptions, format_report, run_import

    parsed: dict[str, str] = {}
    for item in mappings:
        key, sep, field = item.partition("=")
        if not sep or not key.strip() or not field.strip():
            raise UsageError(f"--map {item}: write KEY=FIELD, e.g. --map doc_owner=owner")
        parsed[key.strip()] = field.strip()
    options = ImportOptions(
        root=repo.root,
        source=source,
        type=doc_type,
        owner=owner,
        mappings=parsed,
        clauses=clauses,
        dest=dest,
        dry_run=dry_run,
        section_pages=section_pages,
    )
    result = run_import(options)
    click.echo(format_report(result, verbose=verbose), nl=False)
    if result.written and result.imported:
        click.echo("isodocs: next: run `isodocs check`, add clauses: where missing, and propose the drafts", err=True)
