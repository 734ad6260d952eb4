"""``isodocs history``: a document's revision history from git."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from isodocs.cli.common import Repo, format_option, pass_repo

if TYPE_CHECKING:
    from isodocs.analyses.history import HistoryResult


@click.command()
@click.argument("document")
@format_option(["text", "json"], help="Report format.")
@pass_repo
def history(repo: Repo, document: str, output_format: str) -> None:
    """Revision history of DOCUMENT (an id such as PRO-003, or a path).

    One line per commit that changed the document, newest first, following
    renames: date, version and status at that commit, author and subject.
    """
    from isodocs.analyses.history import HistoryOptions, document_history

    result = document_history(HistoryOptions(root=repo.root, document=document))
    if output_format == "json":
        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(render_text(result))
    for note in result.notes:
        click.echo(f"isodocs: note: {note}", err=True)
    sys.exit(0)


def render_text(result: HistoryResult) -> str:
    title = f"{result.id} ({result.path})" if result.id else result.path
    lines = [f"History of {title}"]
    if not result.revisions:
        lines.append("  no commits touch this document" + ("" if result.notes else " yet"))
    for revision in result.revisions:
        version = revision.version or "-"
        status = revision.status_change or revision.status or "-"
        lines.append(
            f"  {revision.date}  {revision.sha[:8]}  {version:<6} {status:<20} {revision.author}: {revision.subject}"
        )
        if revision.change == "renamed":
            lines.append(f"{'':34}renamed from {revision.old_path}")
        if revision.boundary:
            lines.append(f"{'':34}(earlier history not fetched: shallow clone)")
    return "\n".join(lines)
