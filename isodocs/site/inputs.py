"""What the site renderer is given: the model, and views of coverage, SoA and history.

The renderer does not compute coverage, the Statement of Applicability or the
revision history itself: ``isodocs.analyses.coverage``, ``isodocs.readers.soa`` and the Git
history index do, and ``collect`` (in ``sources``) turns their results into the
small views below. A view left ``None`` means "not available" and the page
says so instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from isodocs.app.withheld import front_matter_problems
from isodocs.model import Document, Finding, ManagementSystem
from isodocs.model.catalog import Catalog, Clause
from isodocs.model.publishing import problem_reason, withheld_reason


@dataclass(frozen=True)
class Revision:
    """One entry of a document's revision history."""

    version: str | None
    date: dt.date
    author: str
    summary: str
    commit: str = ""


@dataclass(frozen=True)
class ClauseRow:
    """One row of a clause matrix."""

    clause: Clause
    documents: tuple[str, ...]  # ids of approved documents mapped to it (published or not)
    gap: bool  # the clause needs documented information that nothing provides
    gap_reason: str = ""
    excluded: bool = False  # an Annex A control the SoA excludes
    covered: bool = False  # it or one of its sub-clauses has an approved document or record


@dataclass(frozen=True)
class StandardCoverage:
    catalog: Catalog
    rows: tuple[ClauseRow, ...]
    covered: int  # clauses with at least one approved document
    total: int  # clauses in scope of the matrix (excluded controls left out)
    reported_percent: float | None = None  # as isodocs.analyses.coverage reports it (rounded down)
    mandatory_met: int = 0  # clauses requiring documented information that have it
    mandatory_total: int = 0

    @property
    def percent(self) -> float:
        if self.reported_percent is not None:
            return self.reported_percent
        return 100.0 * self.covered / self.total if self.total else 100.0

    @property
    def gaps(self) -> int:
        return sum(1 for row in self.rows if row.gap)


@dataclass(frozen=True)
class SoaRow:
    control: Clause
    applicable: bool | None
    status: str | None
    justification: str
    documents: tuple[str, ...]
    notes: str = ""  # soa.yml's free-text notes on the control (e.g. what is planned)


@dataclass
class SiteInputs:
    system: ManagementSystem
    findings: list[Finding] = field(default_factory=list)
    history: dict[str, list[Revision]] | None = None  # document path -> revisions, newest first
    coverage: list[StandardCoverage] | None = None
    soa: list[SoaRow] | None = None
    build_date: dt.date | None = None
    # Document path -> the first error of its front matter (site/publishing.py); from ``findings`` when not given.
    problems: dict[str, str] | None = None

    def __post_init__(self) -> None:
        config = self.system.config
        if self.problems is None:
            self.problems = front_matter_problems(self.findings)
        self.published: list[Document] = []
        self.withheld: list[Document] = []
        for doc in self.system.documents:
            publishable = withheld_reason(doc, config, self.problems) is None
            (self.published if publishable else self.withheld).append(doc)
        self.published_by_id: dict[str, Document] = {d.id: d for d in self.published if d.id}
        self.published_paths: set[str] = {d.path for d in self.published}
        # id -> the published documents that supersede it, in register order: one pass here
        # rather than a scan of every document for every page (quadratic: minutes at 10,000).
        self.successors: dict[str, list[Document]] = {}
        for doc in self.published:
            if doc.supersedes:
                self.successors.setdefault(doc.supersedes, []).append(doc)

    def reason(self, doc: Document) -> str | None:
        return withheld_reason(doc, self.system.config, self.problems)

    def withheld_for_problems(self) -> list[tuple[str, str]]:
        """(path, reason) of the documents withheld because something about them is wrong, whatever --force says."""
        found = ((doc.path, problem_reason(doc, self.problems)) for doc in self.withheld)
        return [(path, reason) for path, reason in found if reason]

    @property
    def today(self) -> dt.date:
        return self.system.today
