"""Ownership and approval rules: every name is a known person, approvals are complete."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from isodocs.model import Document, Severity
from isodocs.rules.registry import DocumentContext, Hit, document_rule


def _unknown(key: str, context: DocumentContext) -> str:
    hint = difflib.get_close_matches(key, list(context.config.people), n=1)
    suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
    return f"'{key}' is not a key of people in isodocs.yml{suggestion}: use a listed key or add the person there"


@document_rule("unknown-owner", Severity.ERROR)
def unknown_owner(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """The owner is not a key of `people` in isodocs.yml.

    Use a key of `people` in isodocs.yml as the owner (the message suggests the nearest), or add the person
    there.
    """
    if doc.owner and doc.owner not in context.config.people:
        yield Hit(f"owner {_unknown(doc.owner, context)}", doc.line("owner"))


@document_rule("unknown-approver", Severity.ERROR)
def unknown_approver(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """An approved_by entry is not a key of `people` in isodocs.yml.

    Use keys of `people` in isodocs.yml in `approved_by`, or add the person there.
    """
    for index, key in enumerate(doc.approved_by):
        if key not in context.config.people:
            yield Hit(f"approved_by {_unknown(key, context)}", doc.line("approved_by", index))


@document_rule("self-approval", Severity.WARNING)
def self_approval(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """The owner approved their own document.

    Have someone other than the owner approve the document, and list them in `approved_by`.
    """
    if doc.owner and doc.owner in doc.approved_by:
        index = doc.approved_by.index(doc.owner)
        yield Hit(
            f"owner {doc.owner} also approved the document: have someone independent approve it",
            doc.line("approved_by", index),
        )


@document_rule("approval-missing", Severity.ERROR)
def approval_missing(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """Status is approved without approved_by, approved_on or last_reviewed.

    Record the approval (`approved_by`, `approved_on` and `last_reviewed`), or set `status: in-review` until the
    document is approved.
    """
    if doc.status != "approved" or doc.is_record:
        return
    missing = [name for name in ("approved_by", "approved_on", "last_reviewed") if not doc.data.get(name)]
    if missing:
        yield Hit(
            f"status is approved but {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing: "
            "record who approved it and when, or set status: in-review",
            doc.line("status"),
        )


@document_rule("unknown-reviewer", Severity.ERROR)
def unknown_reviewer(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """reviewed_by (set by `isodocs review`) is not a key of `people` in isodocs.yml.

    Use the key of the person who did the review, as listed under people:, or add them there.
    """
    key = doc.data.get("reviewed_by")
    if isinstance(key, str) and key not in context.config.people:
        yield Hit(f"reviewed_by {_unknown(key, context)}", doc.line("reviewed_by"))
