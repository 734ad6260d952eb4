"""Gather what the site shows besides the documents: coverage, SoA, reviews and revision history.

This is the one place that knows the other modules' result types
(``isodocs.analyses.coverage``, ``isodocs.readers.soa``, ``isodocs.analyses.reviews``, the Git history
index); it turns them into the small views of ``isodocs.site.inputs``. The
site never computes coverage, applicability or history itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from isodocs.analyses import coverage as cov
from isodocs.analyses.history import KnownBlobs, blob_id, file_revisions
from isodocs.analyses.statement import statement
from isodocs.app.withheld import Problem, front_matter_problems
from isodocs.model import Document, Finding, ManagementSystem
from isodocs.model.publishing import is_publishable
from isodocs.model.soa import SOA_STANDARD
from isodocs.readers import safefs
from isodocs.readers.git import HistoryIndex
from isodocs.site.inputs import ClauseRow, Revision, SiteInputs, SoaRow, StandardCoverage

MISSING_TEXT = {cov.MAINTAIN: "no approved document maintained", cov.RETAIN: "no record retained"}


def collect(
    system: ManagementSystem,
    findings: list[Finding],
    build_date: dt.date | None = None,
    load_problems: Iterable[Problem] = (),
) -> SiteInputs:
    """The site's inputs.

    ``load_problems``: the loader's own, before isodocs.yml's severities; they withhold
    their documents even when a rule is turned off (see site/publishing.py).
    """
    inputs = SiteInputs(
        system=system,
        findings=findings,
        coverage=coverage_views(system),
        soa=soa_views(system),
        build_date=build_date or dt.date.today(),
        problems=front_matter_problems([*load_problems, *findings]),
    )
    inputs.history = history_views(system, inputs.published)
    return inputs


def history_views(
    system: ManagementSystem, published: list[Document] | None = None
) -> dict[str, list[Revision]] | None:
    """Revisions of every published document, from one Git history index; None outside Git."""
    index = HistoryIndex.build(system.root, system.config.paths)
    try:
        if index.git is None:
            return None
        views: dict[str, list[Revision]] = {}
        if published is None:
            published = [doc for doc in system.documents if is_publishable(doc, system.config)]
        # A withheld document's history is never read (only which commits changed it). A
        # document unchanged since its last commit has that commit's blob: its version and
        # status are the ones just loaded, so that blob is neither read from git nor parsed
        # again (half of them on a clean checkout).
        known = _working_tree_blobs(system, published)
        index.prefetch([c for doc in published for c in index.file_history(doc.path) if c.blob not in known])
        withheld = _commits_touching_unpublished(index, published)
        for doc in published:
            views[doc.path] = [
                Revision(
                    version=revision.version,
                    date=dt.date.fromisoformat(revision.date),
                    author=revision.author,
                    summary=_summary(revision.subject, revision.status_change, revision.sha in withheld),
                    commit=revision.sha,
                )
                for revision in file_revisions(index, doc.path, system.config, known)
            ]
        return views
    finally:
        index.close()


# A commit subject is written for the whole commit: one that also changed a withheld
# document can name it ("Draft the redundancy plan; fix a typo in the leave policy").
WITHHELD_SUBJECT = "(commit message not shown: the commit also changed a document not published on this site)"


def _commits_touching_unpublished(index: HistoryIndex, published: list[Document]) -> set[str]:
    """The commits that changed a Markdown file of the document folders that is not published.

    Fail-closed: a withheld document (draft, confidential, ...), a deleted one (whose
    classification is not known any more) or any other ``.md`` file there; the earlier
    names of a published document (renames) count as published. From the log already
    in memory (the full index, not ``on_demand``): no file content is read.
    """
    names = set()
    for doc in published:
        for change in index.file_history(doc.path):
            names.add(change.path)
            if change.old_path:
                names.add(change.old_path)
    return {
        change.commit.sha
        for path, changes in index.by_path.items()
        if path.lower().endswith(".md") and path not in names
        for change in changes
    }


def _summary(subject: str, status_change: str | None, withheld: bool) -> str:
    """A revision's summary: the commit subject (unless it also changed a withheld document), then the status change."""
    text = WITHHELD_SUBJECT if withheld else subject
    return f"{text} ({status_change})" if status_change else text


def _working_tree_blobs(system: ManagementSystem, docs: list[Document]) -> KnownBlobs:
    """Git's blob id of each document file as it is on disk -> its loaded version and status."""
    known: KnownBlobs = {}
    root, max_bytes = system.root, system.config.max_file_bytes
    for doc in docs:
        data, _problem = safefs.read_bytes(root, doc.abspath, max_bytes, folders_checked=True, documents_only=True)
        if data is None:
            continue
        known[blob_id(data)] = (doc.version, doc.effective_status)
    return known


def _ids(refs: tuple[cov.DocumentRef, ...]) -> tuple[str, ...]:
    return tuple(ref.id for ref in refs)


def coverage_views(system: ManagementSystem) -> list[StandardCoverage]:
    """One clause matrix per in-scope standard whose catalogue is known."""
    keys = [key for key in system.config.standards if key in system.catalogs]
    views = []
    for result in cov.compute_coverage(system, keys).values():
        rows = tuple(
            ClauseRow(
                clause=clause.clause,
                documents=_ids(clause.documents) + _ids(clause.records),
                gap=clause.status in (cov.GAP, cov.MANDATORY_GAP),
                gap_reason="; ".join(MISSING_TEXT[kind] for kind in clause.missing),
                excluded=clause.excluded,
                covered=clause.status == cov.COVERED,
            )
            for clause in result.clauses
        )
        views.append(
            StandardCoverage(
                catalog=result.catalog,
                rows=rows,
                covered=result.covered,
                total=result.total,
                reported_percent=result.percent,
                mandatory_met=result.mandatory_met,
                mandatory_total=result.mandatory_total,
            )
        )
    return views


def soa_views(system: ManagementSystem) -> list[SoaRow] | None:
    """The Statement of Applicability, when ISO/IEC 27001 is in scope."""
    if SOA_STANDARD not in system.config.standards or SOA_STANDARD not in system.catalogs:
        return None
    return [
        SoaRow(
            control=row.control,
            applicable={"applicable": True, "excluded": False}.get(row.applicability),
            status=row.status,
            justification=row.justification,
            documents=_ids(row.documents) + _ids(row.records),
            notes=row.notes,
        )
        for row in statement(system).rows
    ]
