"""``isodocs rules``: list every rule with its default severity, scope and summary."""

from __future__ import annotations

import click

from isodocs.cli import format_option, main
from isodocs.ruledocs import FORMATS, render_rules


@main.command("rules")
@format_option(FORMATS, help="text: a table; md: the reference of docs/rules.md; json: for tools.")
def rules_command(output_format: str) -> None:
    """List every rule of `isodocs check`: slug, default severity, scope and summary."""
    click.echo(render_rules(output_format), nl=False)
