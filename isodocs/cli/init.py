"""``isodocs init``: scaffold a new management-system repository."""

from __future__ import annotations

from pathlib import Path

import click

from isodocs.cli.common import Repo, pass_repo


@click.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--standards",
    default="iso9001",
    show_default=True,
    metavar="KEY,...",
    help="Standards in scope: iso9001, iso14001, iso45001, iso27001.",
)
@click.option("--organization", help="The organisation's name (default: the folder's name).")
@click.option("--with-examples", is_flag=True, help="Add starter drafts (scope, policies, core procedures).")
@click.option("--force", is_flag=True, help="Add the missing files to a non-empty folder; never overwrites.")
@click.option("--dry-run", is_flag=True, help="List the files it would write; write nothing.")
@click.option(
    "--requirement",
    metavar="SPEC",
    help="The requirements.txt line CI installs isodocs with, e.g. "
    "'isodocs[site] @ git+https://github.com/ORG/isodocs@COMMIT' "
    "(default: the source this isodocs was installed from).",
)
@pass_repo
def init(
    repo: Repo,
    directory: Path | None,
    standards: str,
    organization: str | None,
    with_examples: bool,
    force: bool,
    dry_run: bool,
    requirement: str | None,
) -> None:
    """Create a management-system repository in DIRECTORY (default: the current folder).

    The result passes `isodocs check` at once. A folder that is not empty (a .git
    folder alone is fine) is refused unless --force, which adds only the files
    that are missing.
    """
    from isodocs.authoring.scaffold import InitOptions, scaffold

    target = directory or repo.directory or Path.cwd()
    options = InitOptions(
        target=target,
        standards=[s.strip() for s in standards.split(",") if s.strip()],
        organization=organization,
        with_examples=with_examples,
        force=force,
        dry_run=dry_run,
        requirement=requirement,
    )
    result = scaffold(options)
    verb = "would create" if dry_run else "created"
    for rel in result.created:
        click.echo(f"{verb}  {target / rel}")
    for rel in result.kept:
        click.echo(f"kept     {target / rel} (exists; not overwritten)")
    summary = f"{len(result.created)} files {verb}"
    if result.kept:
        summary += f", {len(result.kept)} existing files kept"
    click.echo(f"isodocs: {summary} for {result.organization} ({', '.join(result.standards)})", err=True)
    if "requirements.txt" in result.created:
        click.echo(f"isodocs: CI installs {result.requirement} (requirements.txt)", err=True)
    for warning in result.warnings:
        click.echo(f"isodocs: warning: {warning}", err=True)
    if not dry_run:
        click.echo(
            f"isodocs: next: edit people: in {target / 'isodocs.yml'}, run `isodocs check`, "
            f"and follow {target / 'README.md'}",
            err=True,
        )
