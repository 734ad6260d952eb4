"""``isodocs pack``: the certification audit pack of one git revision, as one reproducible zip.

The repository is read as it was at the revision (``revision.checkout``), loaded
and checked as ``isodocs check`` would with the commit's date as today, and the
site's own selection decides what enters: approved documents and records within
the classification level (``site.publishing``). The manual and the evidence are
laid out as PDF (``html`` and ``pdf``); the records, the CSVs and a manifest with
the SHA-256 of every file go beside them (``archive``). Every date in the pack is
the commit's, never the clock's, so the same revision gives the same bytes.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from isodocs import __version__
from isodocs.app.check import check_system
from isodocs.app.load import load_system
from isodocs.errors import UsageError
from isodocs.model import CLASSIFICATIONS, RECORD_TYPES, Document, Finding, Severity
from isodocs.model.config import CONFIG_FILE
from isodocs.pack import archive
from isodocs.pack.context import PackContext, visible_findings
from isodocs.pack.deps import require_weasyprint
from isodocs.pack.html import (
    Entry,
    LinkPolicy,
    Part,
    esc,
    front_part,
    markdown_plain,
    page,
    scope_statement,
)
from isodocs.pack.pdf import Job, Placed, merge, render_all
from isodocs.pack.revision import RevisionInfo, checkout
from isodocs.site import pages, training_page
from isodocs.site.sources import collect
from isodocs.text.words import plural

MANUAL = "manual.pdf"
EVIDENCE = "evidence.pdf"


@dataclass
class PackOptions:
    root: Path
    at: str = "HEAD"
    output: Path | None = None  # default: isodocs-pack-<short commit>.zip in the current directory
    classification: str | None = None  # default: site.max_classification
    force: bool = False
    workers: int | None = None  # default: the CPU count


@dataclass
class PackResult:
    output: Path
    revision: RevisionInfo
    classification: str
    documents: int  # in the manual
    records: int
    withheld: int
    manual_pages: int
    evidence_pages: int
    sha256: str
    findings: list[Finding] = field(default_factory=list)  # what check found at the revision (with --force)


class CheckRefused(UsageError):
    """``check`` has errors at the revision and --force was not given: no pack (exit 2)."""

    def __init__(self, errors: list[Finding], info: RevisionInfo) -> None:
        self.errors = errors
        count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
        super().__init__(
            f"isodocs check found {count} at commit {info.short} ({info.rev}), so no pack was written: "
            f"fix them (run `git checkout {info.short} && isodocs check`), or pass --force to write the pack "
            "with the findings in it"
        )


def _level(options: PackOptions, configured: str) -> str:
    level = options.classification or configured
    if level not in CLASSIFICATIONS:
        where = "--classification" if options.classification else "site.max_classification"
        raise UsageError(f"{where} {level}: not a classification level; use one of {', '.join(CLASSIFICATIONS)}")
    return level


def _order(doc: Document) -> tuple[int, str, str]:
    types = list(pages.TYPE_TITLES)
    return (types.index(doc.type) if doc.type in types else len(types), doc.id or "", doc.path)


def manual_parts(context: PackContext) -> list[Part]:
    """The register, then every document of the manual, each from a new page, grouped by type."""
    parts = [context.section("Document register", pages.register_page(context.inputs, directory_urls=False))]
    for doc in context.manual:
        parts.append(context.part(doc, pages.TYPE_TITLES.get(doc.type or "", "Other documents")))
    return parts


# The evidence PDF is a list of sections; each gives its parts, or none when it has nothing
# to show. The improvement cycle's pages (audit programme and audits, nonconformities,
# management reviews, objectives, training matrix) are added here as they land.
EvidenceSection = Callable[[PackContext], list[Part]]


def _matrices(context: PackContext) -> list[Part]:
    return [
        context.section(
            f"{coverage.catalog.name} clause matrix",
            pages.coverage_page(context.inputs, coverage, directory_urls=False),
            "Clause matrices",
        )
        for coverage in context.inputs.coverage or []
    ]


def _soa(context: PackContext) -> list[Part]:
    if context.inputs.soa is None:
        return []
    return [context.section("Statement of Applicability", pages.soa_page(context.inputs, directory_urls=False))]


def _calendar(context: PackContext) -> list[Part]:
    return [context.section("Review calendar", pages.calendar_page(context.inputs, directory_urls=False))]


def _training(context: PackContext) -> list[Part]:
    """The training matrix: completion per document and group, as the site's training page shows it."""
    if not training_page.has_page(context.inputs):
        return []
    return [context.section("Training matrix", training_page.training_page(context.inputs, directory_urls=False))]


def _improvement(context: PackContext) -> list[Part]:
    """The audit programme, the nonconformity register and the open actions (site/cycle_pages.py)."""
    from isodocs.site import cycle_pages

    render = {cycle_pages.PROGRAMME: cycle_pages.programme_page, cycle_pages.REGISTER: cycle_pages.register_page}
    render[cycle_pages.ACTIONS] = cycle_pages.actions_page
    return [
        context.section(label, render[page](context.inputs, directory_urls=False), "Improvement")
        for label, page in cycle_pages.nav_entries(context.inputs)
    ]


def _planning(context: PackContext) -> list[Part]:
    """The objectives with their charts and the management reviews' inputs (site/planning_pages.py)."""
    from isodocs.site import planning_pages

    return [
        context.section(label, planning_pages.render_page(context.inputs, page, directory_urls=False), "Improvement")
        for label, page in planning_pages.nav_entries(context.inputs)
    ]


def _records(context: PackContext) -> list[Part]:
    # Grouped by kind: records, then the audits and nonconformities of the improvement cycle.
    return [context.part(doc, pages.TYPE_TITLES.get(doc.type or "", "Records")) for doc in context.records]


def _findings(context: PackContext) -> list[Part]:
    if not context.forced:
        return []
    shown, hidden = visible_findings(context.inputs)
    rows = "".join(
        f"<tr><td>{esc(f['severity'])}</td><td>{esc(f['rule'])}</td><td>{esc(f['path'])}:{f['line']}</td>"
        f"<td>{esc(f['message'])}</td></tr>"
        for f in shown
    )
    note = (
        f"<p>and {hidden} finding{'s' if hidden != 1 else ''} about documents not in this pack.</p>" if hidden else ""
    )
    body = (
        "<h1>Findings of isodocs check</h1>"
        f"<p>This pack was written with <code>--force</code> although <code>isodocs check</code> reported errors "
        f"at commit {esc(context.info.short)} (checked as of {context.info.issued.isoformat()}).</p>"
        '<table class="isodocs-findings"><thead><tr><th>Severity</th><th>Rule</th><th>Where</th>'
        "<th>Message</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>{note}"
    )
    header = '<span class="isodocs-header-id">Findings of isodocs check</span>'
    return [Part("Findings of isodocs check", None, page("Findings", header, body, context.info), "about:blank")]


EVIDENCE_SECTIONS: list[EvidenceSection] = [
    _matrices,
    _soa,
    _calendar,
    _improvement,
    _planning,
    _training,
    _records,
    _findings,
]


def _contents(placed: list[Placed]) -> list[Entry]:
    """Contents lines and the page label each part starts on (the front matter is numbered apart)."""
    entries, label = [], 1
    for item in placed:
        entries.append((item.part.outline, item.part.group, str(label)))
        label += item.pages
    return entries


def _metadata(context: PackContext, what: str) -> dict[str, str]:
    stamp = "D:" + context.info.utc.strftime("%Y%m%d%H%M%S") + "Z"
    organization = context.inputs.system.config.organization
    return {
        "/Title": f"{organization}: {what}",
        "/Author": organization,
        "/Subject": f"Controlled copy of commit {context.info.sha}",
        "/Creator": f"isodocs {__version__}",
        "/CreationDate": stamp,
        "/ModDate": stamp,
    }


def _workers(options: PackOptions) -> int:
    return max(1, options.workers or os.cpu_count() or 1)


@contextmanager
def opened(options: PackOptions) -> Iterator[PackContext]:
    """The repository at ``options.at``, loaded, checked and selected. Raises UsageError (exit 2)."""
    with checkout(options.root, options.at) as (tree, info):
        if not (tree / CONFIG_FILE).is_file():
            raise UsageError(f"--at {options.at}: commit {info.short} has no {CONFIG_FILE}; name a later revision")
        # Today is the commit's date: the same revision is checked the same way whenever it is packed.
        system, problems = load_system(tree, info.issued, save_cache=False)
        findings = check_system(system, problems)
        errors = [f for f in findings if f.severity == Severity.ERROR]
        if errors and not options.force:
            raise CheckRefused(errors, info)
        level = _level(options, system.config.max_classification)
        system.config.max_classification = level  # the selection below, and the history read, follow it
        inputs = collect(system, findings, build_date=info.issued)
        published = sorted(inputs.published, key=_order)
        yield PackContext(
            inputs=inputs,
            info=info,
            tree=tree,
            level=level,
            policy=LinkPolicy(tree, frozenset(p.strip("/") for p in system.config.paths), set(inputs.published_paths)),
            manual=[d for d in published if d.type not in RECORD_TYPES],
            records=[d for d in published if d.type in RECORD_TYPES],
            forced=options.force,
        )


def build_pack(options: PackOptions) -> PackResult:
    """Write the audit pack of ``options.at``. Raises UsageError (exit 2) when it cannot be written."""
    require_weasyprint()
    if options.output is not None:
        archive.check_output(options.output.absolute())
    with opened(options) as context, tempfile.TemporaryDirectory(prefix="isodocs-pack-pdf-") as work:
        files, (manual_pages, evidence_pages) = _write_pdfs(context, Path(work), _workers(options))
        files.update(archive.data_files(context))
        output = (options.output or Path.cwd() / f"isodocs-pack-{context.info.short}.zip").absolute()
        digest = archive.write_zip(output, files, archive.manifest(context, files), context.info)
    return PackResult(
        output=output,
        revision=context.info,
        classification=context.level,
        documents=len(context.manual),
        records=len(context.records),
        withheld=len(context.inputs.withheld),
        manual_pages=manual_pages,
        evidence_pages=evidence_pages,
        sha256=digest,
        findings=context.inputs.findings,
    )


def body_parts(context: PackContext) -> tuple[list[Part], list[Part]]:
    """The parts of the manual and of the evidence, without their fronts (cover and contents)."""
    return manual_parts(context), [part for section in EVIDENCE_SECTIONS for part in section(context)]


def _write_pdfs(context: PackContext, work: Path, workers: int) -> tuple[dict[str, bytes], tuple[int, int]]:
    """Lay out both PDFs (their bodies in one pool) and merge them: {name: bytes}, and their page counts."""
    manual, evidence = body_parts(context)
    body = manual + evidence
    jobs = [Job(part.html, part.base_url, str(work / f"part-{i:05d}.pdf")) for i, part in enumerate(body)]
    allowed = context.policy.assets
    counts = render_all(jobs, context.tree, allowed, workers)
    placed = [Placed(part, Path(job.output), count) for part, job, count in zip(body, jobs, counts, strict=True)]
    manual_placed, evidence_placed = placed[: len(manual)], placed[len(manual) :]
    scope = scope_statement(context.manual, markdown_plain)
    fronts = [
        front_part(context.inputs, context.info, what, context.level, scope, count, _contents(items))
        for what, count, items in (
            ("Management system manual", plural(len(context.manual), "document"), manual_placed),
            ("Management system evidence", plural(len(context.records), "record"), evidence_placed),
        )
    ]
    front_jobs = [Job(part.html, part.base_url, str(work / f"front-{i}.pdf")) for i, part in enumerate(fronts)]
    front_counts = render_all(front_jobs, context.tree, allowed, min(workers, 2))
    out: dict[str, bytes] = {}
    totals: list[int] = []
    for name, front, job, count, items, what in (
        (MANUAL, fronts[0], front_jobs[0], front_counts[0], manual_placed, "Management system manual"),
        (EVIDENCE, fronts[1], front_jobs[1], front_counts[1], evidence_placed, "Management system evidence"),
    ):
        target = work / name
        merge(Placed(front, Path(job.output), count), items, _metadata(context, what), target)
        out[name] = target.read_bytes()
        totals.append(count + sum(item.pages for item in items))
    return out, (totals[0], totals[1])
