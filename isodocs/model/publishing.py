"""Which documents may be published.

The rule of docs/site.md: only approved documents and records whose classification
is at most ``site.max_classification``. Everything else is withheld: it never
enters the staging project, so it cannot reach a page, the navigation, the
search index or the sitemap.
"""

from __future__ import annotations

from isodocs.model.config import Config
from isodocs.model.documents import CLASSIFICATIONS, Document

DEFAULT_CLASSIFICATION = "internal"


def withheld_reason(doc: Document, config: Config) -> str | None:
    """Why ``doc`` is not published, or None when it may be."""
    if not doc.id or not doc.title:
        return "has no id or title"
    status = doc.effective_status
    if status != "approved":
        return f"is {status or 'without a status'}"
    classification = doc.classification or DEFAULT_CLASSIFICATION
    if classification not in CLASSIFICATIONS:
        # A misspelt level could be anything: withhold rather than guess.
        return f"has an unknown classification '{classification}'"
    limit = config.max_classification if config.max_classification in CLASSIFICATIONS else DEFAULT_CLASSIFICATION
    if CLASSIFICATIONS.index(classification) > CLASSIFICATIONS.index(limit):
        return f"is {classification}, above site.max_classification ({limit})"
    return None


def is_publishable(doc: Document, config: Config) -> bool:
    return withheld_reason(doc, config) is None
