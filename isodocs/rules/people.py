"""Ownership and approval rules: every name is a known person, approvals are complete."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from isodocs.model import Document, ManagementSystem, Severity
from isodocs.rules import Hit, document_rule


def _unknown(key: str, system: ManagementSystem) -> str:
    hint = difflib.get_close_matches(key, list(system.config.people), n=1)
    suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
    return f"'{key}' is not a key of people in isodocs.yml{suggestion}: use a listed key or add the person there"


@document_rule("unknown-owner", Severity.ERROR)
def unknown_owner(doc: Document, system: ManagementSystem) -> Iterator[Hit]:
    """The owner is not a key of `people` in isodocs.yml.

    Use a key of `people` in isodocs.yml as the owner (the message suggests the nearest), or add the person
    there.
    """
    if doc.owner and doc.owner not in system.config.people:
        yield Hit(f"owner {_unknown(doc.owner, system)}", doc.line("owner"))


@document_rule("unknown-approver", Severity.ERROR)
def unknown_approver(doc: Document, system: ManagementSystem) -> Iterator[Hit]:
    """An approved_by entry is not a key of `people` in isodocs.yml.

    Use keys of `people` in isodocs.yml in `approved_by`, or add the person there.
    """
    for index, key in enumerate(doc.approved_by):
        if key not in system.config.people:
            yield Hit(f"approved_by {_unknown(key, system)}", doc.line("approved_by", index))


@document_rule("self-approval", Severity.WARNING)
def self_approval(doc: Document, system: ManagementSystem) -> Iterator[Hit]:
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
def approval_missing(doc: Document, system: ManagementSystem) -> Iterator[Hit]:
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
def unknown_reviewer(doc: Document, system: ManagementSystem) -> Iterator[Hit]:
    """reviewed_by (set by `isodocs review`) is not a key of `people` in isodocs.yml.

    Use the key of the person who did the review, as listed under people:, or add them there.
    """
    key = doc.data.get("reviewed_by")
    if isinstance(key, str) and key not in system.config.people:
        yield Hit(f"reviewed_by {_unknown(key, system)}", doc.line("reviewed_by"))
