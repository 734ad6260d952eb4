"""``isodocs coverage``: the clause-by-clause coverage matrix of each standard."""

from __future__ import annotations

import sys

import click

from isodocs.cli.common import Repo, format_option, pass_repo, report_notes


@click.command()
@click.option("--standard", "standard", metavar="KEY", help="Only this standard (a catalogue key, e.g. iso9001).")
@format_option(["text", "json", "csv"])
@pass_repo
def coverage(repo: Repo, standard: str | None, output_format: str) -> None:
    """Clause-by-clause coverage: documents per clause, gaps, percent covered.

    A clause is covered when an approved document or record maps to it or to
    one of its sub-clauses; a mandatory gap is documented information the
    standard requires (a maintained document or a retained record) that no
    approved document provides. Exit status: 0, or 2 on a usage or
    configuration error.
    """
    from isodocs.app.reports import CoverageOptions, run_coverage
    from isodocs.reporters import coverage as reporter

    report = run_coverage(CoverageOptions(root=repo.root, standard=standard))
    if output_format == "json":
        output = reporter.render_json(report.coverages)
    elif output_format == "csv":
        output = reporter.render_csv(report.coverages)
    else:
        output = reporter.render_text(report.coverages, colour=sys.stdout.isatty())
    click.echo(output, nl=False)
    report_notes(report)
