"""``isodocs publish``: deploy a version of the site with mike."""

from __future__ import annotations

import datetime as dt

import click

from isodocs.cli.build import force_option, report_check_failure
from isodocs.cli.common import Repo, as_date, pass_repo, today_option


@click.command()
@click.argument("version")
@click.option("--alias", "aliases", multiple=True, help="Alias to point at this version, e.g. latest (repeatable).")
@click.option("--title", help="Title shown in the version selector (default: VERSION).")
@click.option("--push", is_flag=True, help="Push the gh-pages branch to the remote after the commit.")
@click.option("--branch", default="gh-pages", show_default=True, help="Branch that holds the versioned site.")
@click.option("--remote", default="origin", show_default=True, help="Remote to push to.")
@force_option
@today_option
@pass_repo
def publish(
    repo: Repo,
    version: str,
    aliases: tuple[str, ...],
    title: str | None,
    push: bool,
    branch: str,
    remote: str,
    force: bool,
    today: dt.datetime | None,
) -> None:
    """Publish VERSION of the site to the gh-pages branch with mike.

    Exit status: 0 published, 1 check errors (nothing published), 2 usage error.
    """
    from isodocs.site.build import CheckFailed
    from isodocs.site.publish import PublishOptions, publish

    options = PublishOptions(
        root=repo.root,
        version=version,
        aliases=list(aliases),
        push=push,
        branch=branch,
        remote=remote,
        force=force,
        title=title,
        today=as_date(today),
    )
    try:
        result = publish(options)
    except CheckFailed as error:
        report_check_failure(error)
    alias_text = f" (aliases: {', '.join(result.aliases)})" if result.aliases else ""
    where = f"{remote}/{branch}" if result.pushed else f"the local {branch} branch"
    click.echo(f"isodocs: published version {result.version}{alias_text} to {where}: {result.published} documents")
