"""Which documents may be published.

The rule of docs/site.md: only approved documents and records whose classification
is at most ``site.max_classification``. Everything else is withheld: it never
enters the staging project, so it cannot reach a page, the navigation, the
search index or the sitemap.

Fail-safe under ``build --force``: a document whose front matter isodocs
reports as wrong is withheld too, whatever ``--force`` says. Its status and
classification cannot be trusted: with a key written twice YAML keeps the last
(``classification: confidential`` then ``classification: internal`` reads as
internal), a value of the wrong type is read as absent (and an absent
classification as the default). Every finding of the loader and schema
families on the document withholds it, at whatever severity isodocs.yml sets
(``app/withheld.py`` gathers them: the rule families are above the model);
the loader's own problems (``duplicate-key``, an impossible date) withhold it
even when the rule is turned off (``build`` passes them, before severities). A document whose file name is not valid
UTF-8 is withheld as well: no page URL, navigation entry or search index can
carry that name.
"""

from __future__ import annotations

from collections.abc import Mapping

from isodocs.model.config import Config
from isodocs.model.documents import CLASSIFICATIONS, Document

DEFAULT_CLASSIFICATION = "internal"
def _valid_file_name(path: str) -> bool:
    """Whether the path is valid Unicode (a name of undecodable bytes holds surrogate escapes)."""
    if path.isascii():
        return True
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def problem_reason(doc: Document, problems: Mapping[str, str] | None = None) -> str | None:
    """Why ``doc`` is withheld because something about it is wrong (not merely unapproved), or None."""
    if not _valid_file_name(doc.path):
        return "has a file name that is not valid UTF-8 (rename the file)"
    if problems and doc.path in problems:
        return f"has errors in its front matter ({problems[doc.path]})"
    if doc.classification is None and doc.classification_given:
        # Written, but not as text ([confidential], a mapping): read as absent it would be the
        # default level. Withheld whatever the schema rule's severity, even off.
        return "has a classification that is not text (write one of the levels)"
    return None


def withheld_reason(doc: Document, config: Config, problems: Mapping[str, str] | None = None) -> str | None:
    """Why ``doc`` is not published, or None when it may be.

    ``problems``: ``app.withheld.front_matter_problems`` of the run; a document listed there is withheld.
    """
    wrong = problem_reason(doc, problems)
    if wrong:
        return wrong
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


def is_publishable(doc: Document, config: Config, problems: Mapping[str, str] | None = None) -> bool:
    return withheld_reason(doc, config, problems) is None
