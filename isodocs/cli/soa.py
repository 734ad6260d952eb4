"""``isodocs soa``: the ISO/IEC 27001 Statement of Applicability."""

from __future__ import annotations

import click

from isodocs.cli.common import Repo, format_option, pass_repo, report_notes


@click.command()
@format_option(["md", "csv", "json"])
@pass_repo
def soa(repo: Repo, output_format: str) -> None:
    """Statement of Applicability from soa.yml and the clause mappings.

    Every Annex A control with its theme, applicability, justification,
    implementation status and the approved documents mapped to it. Exit
    status: 0, or 2 when there is no usable soa.yml or configuration.
    """
    from isodocs.app.reports import ReportOptions, run_soa
    from isodocs.reporters.soa import RENDERERS

    report = run_soa(ReportOptions(root=repo.root))
    assert report.statement is not None
    click.echo(RENDERERS[output_format](report.statement), nl=False)
    report_notes(report)
