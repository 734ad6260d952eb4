"""``isodocs check``: validate the repository and report findings."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from isodocs.cli.common import Repo, as_date, format_option, pass_repo, today_option
from isodocs.errors import UsageError


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@today_option
@format_option(["text", "json", "github", "sarif"], help="Report format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to FILE.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option(
    "--base",
    metavar="REV",
    help="Compare with git revision REV (e.g. origin/main): run the change-control rules and "
    "report per-document findings only on the documents the change touches.",
)
@click.option("--all", "all_documents", is_flag=True, help="With --base: report findings on untouched documents too.")
@click.option(
    "--statistics",
    is_flag=True,
    help="Count the findings by rule (most first) instead of listing them; text format only.",
)
@pass_repo
def check(
    repo: Repo,
    paths: tuple[Path, ...],
    today: dt.datetime | None,
    output_format: str,
    output: Path | None,
    strict: bool,
    base: str | None,
    all_documents: bool,
    statistics: bool,
) -> None:
    """Validate the documents; report only findings under PATHS when given.

    With --base REV, the working tree is compared with REV (its merge base with
    HEAD): changed approved documents need a new version and approval, records
    stay unchanged, ids stay the same.

    Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage or
    configuration error.
    """
    from isodocs.app.check import CheckOptions, run_check
    from isodocs.reporters import REPORTERS, text

    if statistics and output_format != "text":
        raise UsageError(f"--statistics is a text report: drop --format {output_format}, or drop --statistics")

    options = CheckOptions(
        root=repo.root,
        paths=[repo.path(p) for p in paths],
        today=as_date(today),
        strict=strict,
        base=base,
        all=all_documents,
    )
    result = run_check(options)
    if output_format == "text":
        render = text.render_statistics if statistics else text.render
        report = render(result, colour=output is None and sys.stdout.isatty())
    else:
        report = REPORTERS[output_format](result)
    if output:
        try:
            output.write_text(report, "utf-8")
        except OSError as error:
            raise UsageError(f"cannot write the report: {error.strerror}", str(output)) from None
        click.echo(
            f"isodocs: wrote {output} ({result.summary['error']} errors, {result.summary['warning']} warnings)",
            err=True,
        )
    else:
        click.echo(report, nl=False)
    sys.exit(result.exit_code(strict))
