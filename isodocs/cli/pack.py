"""``isodocs pack``: the certification audit pack for an external auditor."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from isodocs.cli.common import Repo, pass_repo
from isodocs.model import CLASSIFICATIONS


def _verify(path: Path) -> None:
    from isodocs.pack.archive import verify_pack

    result = verify_pack(path)
    tags = f" (tag {', '.join(result.tags)})" if result.tags else ""
    origin = f"commit {result.commit}{tags} of {result.organization}, committed {result.committed}"
    if result.intact:
        click.echo(f"isodocs: {path} is intact: {result.files} files match manifest.json; {origin}")
        click.echo(f"sha256 of the zip: {result.sha256}")
        return
    for problem in result.problems:
        click.echo(f"{path}: {problem}", err=True)
    click.echo(f"isodocs: {path} is NOT intact: {len(result.problems)} problem(s); it claims {origin}", err=True)
    sys.exit(1)


@click.command()
@click.option("--at", "at", default="HEAD", show_default=True, help="Revision to pack: a tag, branch or commit.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Zip to write (default: isodocs-pack-<commit>.zip in the current directory).",
)
@click.option(
    "--classification",
    type=click.Choice(list(CLASSIFICATIONS)),
    help="Highest classification to include (default: site.max_classification).",
)
@click.option("--force", is_flag=True, help="Write the pack despite check errors; the findings go into it.")
@click.option("--jobs", type=click.IntRange(min=1), help="Documents laid out at once (default: the CPU count).")
@click.option(
    "--verify",
    "verify",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Check a pack against its manifest instead of writing one.",
)
@pass_repo
def pack(
    repo: Repo,
    at: str,
    output: Path | None,
    classification: str | None,
    force: bool,
    jobs: int | None,
    verify: Path | None,
) -> None:
    """Write the certification audit pack: manual.pdf, evidence.pdf, records, CSVs and manifest.json.

    Reads the repository at --at (never the working tree). Only approved documents
    and records within the classification level enter it. The same revision gives
    a byte-identical zip. Exit status: 0 written (or intact with --verify),
    1 not intact (--verify), 2 not written (check errors without --force, a
    missing dependency, a bad revision).
    """
    if verify is not None:
        _verify(repo.path(verify))
        return
    from isodocs.pack.deps import require_weasyprint

    require_weasyprint()  # before the modules that need Python-Markdown and pypdf are imported
    from isodocs.pack.build import CheckRefused, PackOptions, build_pack

    options = PackOptions(
        root=repo.root,
        at=at,
        output=repo.path(output) if output else None,
        classification=classification,
        force=force,
        workers=jobs,
    )
    try:
        result = build_pack(options)
    except CheckRefused as error:
        for finding in error.errors[:20]:
            click.echo(f"{finding.path}:{finding.line}: {finding.rule}: {finding.message}", err=True)
        if len(error.errors) > 20:
            click.echo(f"... and {len(error.errors) - 20} more", err=True)
        raise
    errors = sum(1 for f in result.findings if f.severity.value == "error")
    if errors:
        click.echo(f"isodocs: warning: packed despite {errors} check errors (--force); they are in the pack", err=True)
    info = result.revision
    tags = f" (tag {', '.join(info.tags)})" if info.tags else ""
    click.echo(
        f"isodocs: wrote {result.output}: commit {info.short}{tags} of {info.issued.isoformat()}, "
        f"{result.documents} documents ({result.manual_pages} pages) and {result.records} records "
        f"({result.evidence_pages} pages of evidence) up to {result.classification}; {result.withheld} withheld"
    )
    click.echo(f"sha256 of the zip: {result.sha256}")
