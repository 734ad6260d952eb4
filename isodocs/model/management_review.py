"""Management reviews (MR) as plain data: the inputs each standard requires, and what a review covers.

Each catalogue lists the inputs its clause 9.3 requires (``Catalog.review_inputs``:
clause reference and a slug of the shared vocabulary). One integrated review
addresses a slug once for every standard that requires it. Everything here is a
pure function of the typed views (``readers/planning.py``) and the catalogues; nothing prints or reads files.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from isodocs.model.catalog import Catalog, ReviewInput
from isodocs.model.cycle import Action
from isodocs.model.documents import add_months

REVIEW_STATUSES = ("planned", "held")
# The shared vocabulary of input slugs (DESIGN.md "Management review"); a catalogue may add its own.
INPUT_SLUGS = (
    "previous-actions",
    "context-changes",
    "interested-parties",
    "legal-requirements",
    "compliance-evaluation",
    "environmental-aspects",
    "risks-opportunities",
    "risk-treatment",
    "objectives",
    "customer-satisfaction",
    "process-performance",
    "nonconformities",
    "incidents",
    "monitoring-results",
    "audit-results",
    "external-providers",
    "worker-consultation",
    "resources",
    "communications",
    "improvement",
)


# A neutral label of each slug for the agenda of an integrated review (a catalogue's own are worded for its
# standard, e.g. "quality objectives"); a slug only a user's catalogue lists takes that catalogue's label.
INPUT_TITLES = {
    "previous-actions": "status of actions from previous management reviews",
    "context-changes": "changes in external and internal issues",
    "interested-parties": "changes in the needs and expectations of interested parties",
    "legal-requirements": "changes in legal requirements and compliance obligations",
    "compliance-evaluation": "evaluation of compliance with legal and other requirements",
    "environmental-aspects": "significant environmental aspects",
    "risks-opportunities": "risks and opportunities, and the actions taken to address them",
    "risk-treatment": "results of risk assessment and status of the risk treatment plan",
    "objectives": "the extent to which objectives have been met",
    "customer-satisfaction": "customer satisfaction and feedback from interested parties",
    "process-performance": "process performance and conformity of products and services",
    "nonconformities": "nonconformities and corrective actions",
    "incidents": "incidents",
    "monitoring-results": "monitoring and measurement results",
    "audit-results": "audit results",
    "external-providers": "performance of external providers",
    "worker-consultation": "consultation and participation of workers",
    "resources": "adequacy of resources",
    "communications": "relevant communications and feedback from interested parties, including complaints",
    "improvement": "opportunities for continual improvement",
}


@dataclass(frozen=True)
class ManagementReview:
    """A management review: planned or held, with the inputs it addressed and the actions it decided."""

    id: str
    title: str
    path: str
    status: str | None
    date: dt.date | None
    owner: str | None
    chair: str | None
    attendees: tuple[str, ...]
    standards: tuple[str, ...]  # as written; empty: every standard in scope
    inputs: dict[str, str]  # slug -> where the meeting addressed it
    actions: tuple[Action, ...]
    classification: str | None

    @property
    def held(self) -> bool:
        return self.status == "held"

    def standards_in(self, in_scope: Iterable[str]) -> tuple[str, ...]:
        """The standards the review is held for: those it names, or every standard in scope."""
        return self.standards or tuple(in_scope)


def vocabulary(catalogs: Iterable[Catalog]) -> list[str]:
    """Every known input slug: the shared vocabulary, then those only a catalogue lists."""
    slugs = dict.fromkeys(INPUT_SLUGS)
    for catalog in catalogs:
        slugs.update(dict.fromkeys(item.slug for item in catalog.review_inputs))
    return list(slugs)


def nearest_slug(slug: str, known: Iterable[str]) -> str | None:
    """The known slug closest to a misspelt one (``worker-consulation`` -> ``worker-consultation``)."""
    candidates = list(known)
    match = difflib.get_close_matches(slug, candidates, n=1, cutoff=0.5)
    if match:
        return match[0]
    # A word of it may name the input (``consultation`` -> ``worker-consultation``).
    words = set(slug.replace("_", "-").split("-"))
    for candidate in candidates:
        if words & set(candidate.split("-")):
            return candidate
    return None


@dataclass(frozen=True)
class InputCheck:
    """One required input of one standard and whether the review addressed it (and where)."""

    requirement: ReviewInput
    where: str | None  # what the review wrote for the slug; None: not addressed

    @property
    def addressed(self) -> bool:
        return bool(self.where)


@dataclass(frozen=True)
class StandardChecklist:
    """The inputs one standard requires of a review, each addressed or missing."""

    key: str
    name: str  # e.g. ISO 45001:2018
    items: tuple[InputCheck, ...]

    @property
    def missing(self) -> list[InputCheck]:
        return [item for item in self.items if not item.addressed]


def checklists(
    inputs: Mapping[str, str], standards: Iterable[str], catalogs: Mapping[str, Catalog]
) -> list[StandardChecklist]:
    """For each standard (that has a catalogue), every input it requires, addressed or missing."""
    lists = []
    for key in standards:
        catalog = catalogs.get(key)
        if catalog is None:
            continue  # unknown-standard / standard-not-in-scope report it
        items = tuple(InputCheck(item, (inputs.get(item.slug) or "").strip() or None) for item in catalog.review_inputs)
        lists.append(StandardChecklist(key, catalog.name, items))
    return lists


def missing_text(lists: Iterable[StandardChecklist]) -> list[str]:
    """``ISO 45001:2018 9.3 d) 5) consultation and participation of workers (worker-consultation)``, one a gap."""
    return [
        f"{checklist.name} {item.requirement.ref} {item.requirement.title} ({item.requirement.slug})"
        for checklist in lists
        for item in checklist.missing
    ]


@dataclass(frozen=True)
class Section:
    """One input slug of a review's agenda, with every standard's requirement it answers."""

    slug: str
    title: str  # the first standard's label
    requirements: tuple[tuple[str, ReviewInput], ...]  # (standard name, requirement)

    @property
    def refs(self) -> str:
        """``ISO 9001:2015 9.3.2 a); ISO 45001:2018 9.3 a)``."""
        return "; ".join(f"{name} {item.ref}" for name, item in self.requirements)


def agenda(standards: Iterable[str], catalogs: Mapping[str, Catalog]) -> list[Section]:
    """The inputs of the standards in the order they first appear, each slug once (an integrated review)."""
    sections: dict[str, tuple[str, list[tuple[str, ReviewInput]]]] = {}
    for key in standards:
        catalog = catalogs.get(key)
        if catalog is None:
            continue
        for item in catalog.review_inputs:
            _title, requirements = sections.setdefault(item.slug, (INPUT_TITLES.get(item.slug, item.title), []))
            if not any(name == catalog.name and ref.ref == item.ref for name, ref in requirements):
                requirements.append((catalog.name, item))
    return [Section(slug, title, tuple(requirements)) for slug, (title, requirements) in sections.items()]


def last_held(found: Iterable[ManagementReview], before: dt.date | None = None) -> ManagementReview | None:
    """The latest review held (on or before ``before`` when given)."""
    held = [r for r in found if r.held and r.date is not None and (before is None or r.date <= before)]
    return max(held, key=lambda r: (r.date, r.id)) if held else None


def next_due(found: Iterable[ManagementReview], interval_months: int) -> dt.date | None:
    """When the next review is due: the last held one plus the interval (None before any was held)."""
    last = last_held(found)
    return add_months(last.date, interval_months) if last and last.date else None


def next_planned(found: Iterable[ManagementReview], today: dt.date) -> ManagementReview | None:
    """The earliest planned review on or after today."""
    planned = [r for r in found if r.status == "planned" and r.date is not None and r.date >= today]
    return min(planned, key=lambda r: (r.date, r.id)) if planned else None
