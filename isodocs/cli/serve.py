"""``isodocs serve``: live preview of the published manual."""

from __future__ import annotations

from pathlib import Path

import click

from isodocs.cli.build import engine_option
from isodocs.cli.common import Repo, pass_repo


@click.command()
@engine_option
@click.option(
    "--dev-addr",
    "-a",
    "address",
    default="127.0.0.1:8000",
    show_default=True,
    help="Address and port to serve the preview on.",
)
@pass_repo
def serve(repo: Repo, engine: str, address: str) -> None:
    """Preview the site; re-render when a document, isodocs.yml or mkdocs.yml changes.

    The preview is shown even when the check has errors (it says how many).
    """
    from isodocs.site.serve import ServeOptions, serve

    serve(ServeOptions(root=Path(repo.root), engine=engine, address=address), say=click.echo)
