"""``isodocs rules``: list every rule with its default severity, scope and summary."""

from __future__ import annotations

import click

from isodocs.cli.common import format_option

# reporters/ruledocs.py's FORMATS (tests/test_ruledocs.py keeps them equal): importing the
# reporters package here would load every rule family at the start of every command.
FORMATS = ("text", "md", "json")


@click.command("rules")
@format_option(FORMATS, help="text: a table; md: the reference of docs/rules.md; json: for tools.")
def rules_command(output_format: str) -> None:
    """List every rule of `isodocs check`: slug, default severity, scope and summary."""
    from isodocs.reporters.ruledocs import render_rules

    click.echo(render_rules(output_format), nl=False)
