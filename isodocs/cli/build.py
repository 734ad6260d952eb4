"""``isodocs build``: render the publishable documents and build the site."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from isodocs.cli.common import Repo, as_date, pass_repo, today_option


def engine_option(func):  # type: ignore[no-untyped-def]
    return click.option(
        "--engine",
        type=click.Choice(["mkdocs", "zensical"]),
        default="mkdocs",
        show_default=True,
        help="Static-site engine that builds the staging project.",
    )(func)


def force_option(func):  # type: ignore[no-untyped-def]
    return click.option("--force", is_flag=True, help="Build even when `isodocs check` reports errors.")(func)


def report_check_failure(error: Exception) -> None:
    """Print the errors that stopped a build, then exit 1."""
    from isodocs.reporters.textsafe import readable

    errors = getattr(error, "errors", [])
    for finding in errors[:20]:
        click.echo(f"{readable(finding.path)}:{finding.line}: {finding.rule}: {readable(finding.message)}", err=True)
    if len(errors) > 20:
        click.echo(f"... and {len(errors) - 20} more", err=True)
    click.echo(f"isodocs: error: {error}", err=True)
    sys.exit(1)


def report_withheld_for_problems(withheld: list[tuple[str, str]]) -> None:
    """Name each document withheld because its front matter (or file name) is wrong, and why."""
    from isodocs.reporters.textsafe import readable

    for path, reason in withheld:
        click.echo(f"isodocs: warning: withheld {readable(path)}: it {readable(reason)}", err=True)


@click.command()
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: site/ in the repository).",
)
@engine_option
@force_option
@today_option
@pass_repo
def build(repo: Repo, site_dir: Path | None, engine: str, force: bool, today: dt.datetime | None) -> None:
    """Build the published manual: only approved documents within site.max_classification.

    Uses the repository's mkdocs.yml when there is one, built-in defaults
    otherwise. Exit status: 0 built, 1 check errors (nothing built), 2 usage error.
    """
    from isodocs.site.build import BuildOptions, CheckFailed, build_site

    options = BuildOptions(root=repo.root, site_dir=site_dir, engine=engine, force=force, today=as_date(today))
    try:
        result = build_site(options)
    except CheckFailed as error:
        report_check_failure(error)
    for warning in result.engine_warnings:
        click.echo(f"{engine}: {warning}", err=True)
    report_withheld_for_problems(result.withheld_for_problems)
    errors = sum(1 for f in result.findings if f.severity.value == "error")
    if errors:
        click.echo(f"isodocs: warning: built despite {errors} check errors (--force)", err=True)
    documents = f"{result.published} document{'s' if result.published != 1 else ''}"
    click.echo(
        f"isodocs: built {result.site_dir} with {engine}: {documents} published, "
        f"{result.withheld} withheld, {result.withheld_links} links to withheld documents made plain text "
        f"({result.seconds['total']:.1f} s)"
    )
