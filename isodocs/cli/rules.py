"""``isodocs rules``: list every rule with its default severity, scope and summary."""

from __future__ import annotations

import click

from isodocs.cli import main
from isodocs.ruledocs import FORMATS, render_rules


@main.command("rules")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: a table; md: the reference of docs/rules.md; json: for tools.",
)
def rules_command(output_format: str) -> None:
    """List every rule of `isodocs check`: slug, default severity, scope and summary."""
    click.echo(render_rules(output_format), nl=False)
