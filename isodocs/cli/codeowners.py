"""``isodocs codeowners``: write CODEOWNERS so that owners approve changes to their documents."""

from __future__ import annotations

import sys

import click

from isodocs.cli.common import Repo, pass_repo


@click.command()
@click.option("--check", "check_only", is_flag=True, help="Write nothing; exit 1 when the file is stale.")
@click.option(
    "--approvers/--owners-only",
    default=None,
    help="List each document's approvers (approved_by) after its owner, or the owner only. "
    "Default: as the existing block does (owners only for a new one).",
)
@pass_repo
def codeowners(repo: Repo, check_only: bool, approvers: bool | None) -> None:
    """Write the isodocs block of CODEOWNERS: each document's owner (their github handle).

    Lines outside the block between '# BEGIN isodocs' and '# END isodocs' are
    kept. Turn on "Require review from Code Owners" in branch protection so a
    code owner's approval is required. GitHub needs the review of one code owner
    of each file: with --approvers, the owner or a recorded approver.
    """
    from isodocs.authoring.codeowners import CodeownersOptions, update_codeowners

    result = update_codeowners(CodeownersOptions(root=repo.root, check=check_only, approvers=approvers))
    listed = "documents, owners and approvers" if result.approvers else "documents"
    messages = {
        "created": f"isodocs: wrote {result.path} ({result.entries} {listed})",
        "updated": f"isodocs: updated the isodocs block of {result.path} ({result.entries} {listed})",
        "unchanged": f"isodocs: {result.path} is up to date ({result.entries} {listed})",
        "stale": f"isodocs: {result.path} is out of date with the document owners: run `isodocs codeowners`",
    }
    click.echo(messages[result.status], err=result.status == "stale")
    if result.unowned:
        click.echo(
            f"isodocs: warning: {len(result.unowned)} document(s) have no owner with a github handle in "
            f"isodocs.yml, so no one is required to approve changes to them: {', '.join(result.unowned[:5])}"
            + (" ..." if len(result.unowned) > 5 else ""),
            err=True,
        )
    sys.exit(result.exit_code)
