"""The ``isodocs`` command line: parse options, call one library function, print.

Nothing here decides anything about documents; see the library modules.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from isodocs import __version__
from isodocs.errors import UsageError
from isodocs.loader import find_root

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Repo:
    """What the group's options give every command."""

    def __init__(self, directory: Path | None) -> None:
        self.root = find_root(directory or Path.cwd())


pass_repo = click.make_pass_decorator(Repo)


def fail(error: UsageError) -> None:
    click.echo(f"isodocs: error: {error}", err=True)
    sys.exit(2)


def today_option(func):  # type: ignore[no-untyped-def]
    return click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="Date to check against (YYYY-MM-DD); default: the local date.",
    )(func)


def as_date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="isodocs")
@click.option(
    "-C",
    "directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Repository to work on (default: the one holding the current directory).",
)
@click.pass_context
def main(ctx: click.Context, directory: Path | None) -> None:
    """Document control for ISO management systems kept as Markdown in Git."""
    ctx.obj = Repo(directory)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@today_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github", "sarif"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to FILE.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@pass_repo
def check(
    repo: Repo,
    paths: tuple[Path, ...],
    today: dt.datetime | None,
    output_format: str,
    output: Path | None,
    strict: bool,
) -> None:
    """Validate the documents; report only findings under PATHS when given.

    Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage or
    configuration error.
    """
    from isodocs.check import CheckOptions, run_check
    from isodocs.reporters import REPORTERS, text

    options = CheckOptions(root=repo.root, paths=list(paths), today=as_date(today), strict=strict)
    try:
        result = run_check(options)
    except UsageError as error:
        fail(error)
    if output_format == "text" and output is None:
        report = text.render(result, colour=sys.stdout.isatty())
    else:
        report = REPORTERS[output_format](result)
    if output:
        output.write_text(report, "utf-8")
        click.echo(
            f"isodocs: wrote {output} ({result.summary['error']} errors, {result.summary['warning']} warnings)",
            err=True,
        )
    else:
        click.echo(report, nl=False)
    sys.exit(result.exit_code(strict))


if __name__ == "__main__":
    main()
