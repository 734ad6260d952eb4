"""Change-control rules (ISO 9001 7.5.3.2): only with ``check --base REV``.

They compare each document the change touches with the same document at REV
(renames followed): a changed approved document needs a new version and a new
approval, records are never edited, and ids are permanent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from isodocs.analyses.cycle_edits import objective_progress_only, review_actions_completed_only
from isodocs.model import Document, ManagementSystem, Severity, add_months, version_key
from isodocs.rules.registry import Hit, system_rule

if TYPE_CHECKING:
    from isodocs.model.changes import BaseSnapshot, PathChange

# A periodic review that confirms a document unchanged touches only these;
# it is not a new version (see `isodocs review`). Who must know the document (`audience`)
# is no part of its content either: naming it needs no new version (docs/decisions.md).
REVIEW_FIELDS = frozenset({"last_reviewed", "next_review", "reviewed_by", "audience"})


def _content(doc: Document, ignore: frozenset[str] = REVIEW_FIELDS) -> tuple[dict[str, Any], str]:
    return {k: v for k, v in doc.data.items() if k not in ignore}, doc.body.rstrip()


def _pairs(system: ManagementSystem) -> Iterator[tuple[PathChange, Document | None, Document | None]]:
    """(change, document at base, document now) for every touched document."""
    base: BaseSnapshot | None = system.base
    if base is None:
        return
    by_path = system.by_path  # four rules ask, once each
    for change in base.changes:
        after = by_path.get(change.path or "")
        # The rules compare what the files hold as written: read it for a document from the parse cache.
        yield change, base.documents.get(change.base_path or ""), system.complete(after) if after else None


def _at(system: ManagementSystem) -> str:
    assert system.base is not None
    return system.base.rev


def _renamed(change: PathChange) -> str:
    return f" (renamed from {change.base_path})" if change.status == "R" else ""


@system_rule("version-not-bumped", Severity.ERROR, scope="change")
def version_not_bumped(system: ManagementSystem) -> Iterator[Hit]:
    """A document approved at the base revision changed but its version did not increase.

    Raise `version` and record the new approval. Recording an objective's progress is no new version: appending
    `results`, changing `progress` and adding `done` dates to its actions pass.
    """
    for change, before, after in _pairs(system):
        if before is None or after is None or before.is_record or before.status != "approved":
            continue
        if _content(before) == _content(after):
            continue  # unchanged, or a review that confirmed it unchanged
        if before.type == "objective" and objective_progress_only(before.data, after.data, before.body, after.body):
            continue  # progress recorded, as a review records a review
        withdrawal = REVIEW_FIELDS | {"status"}
        if after.status == "obsolete" and _content(before, withdrawal) == _content(after, withdrawal):
            continue  # withdrawing a document is not a new version of it
        old, new = version_key(before.version), version_key(after.version)
        if old is None or new is None or new > old:
            continue  # a malformed version is the schema rule's finding
        suggestion = f"{old[0]}.{old[1] + 1}"
        name = before.id or "the document"
        yield Hit(
            f"{name} was approved as version {before.version} at {_at(system)}{_renamed(change)} "
            f'and its content changed, but version is {after.version}: raise it (e.g. to "{suggestion}") '
            "and record the new approval",
            after.line("version"),
            path=after.path,
            id=after.id,
        )


@system_rule("reapproval-missing", Severity.ERROR, scope="change")
def reapproval_missing(system: ManagementSystem) -> Iterator[Hit]:
    """The version increased but approved_on did not move forward.

    Set approved_on (and approved_by) to the day the new version was approved. The same date
    as the previous version passes only for a second approval on the day of the first: that
    date is today, or the day of a commit of the change that edits the document.
    """
    for _change, before, after in _pairs(system):
        if before is None or after is None or before.is_record or after.status != "approved":
            continue
        old, new = version_key(before.version), version_key(after.version)
        if old is None or new is None or new <= old or before.approved_on is None:
            continue
        if after.approved_on is None:
            continue  # approval-missing reports it
        if after.approved_on == before.approved_on and _approved_again_that_day(system, after):
            continue  # a second approval on the day of the first
        if after.approved_on <= before.approved_on:
            yield Hit(
                f"version went from {before.version} to {after.version} but approved_on is still "
                f"{after.approved_on} (as at {_at(system)}): version {after.version} needs its own approval; "
                "set approved_on (and approved_by) when it is approved",
                after.line("approved_on"),
                path=after.path,
                id=after.id,
            )


def _approved_again_that_day(system: ManagementSystem, after: Document) -> bool:
    """The new version was made on the day the previous one was approved, so it may share the date.

    That day is today (an uncommitted change, or a check run on the day), or the author date
    of a commit between the base and HEAD that changes the document: a pull request opened
    and approved on that day still passes when CI runs again, or merges, days later.
    """
    assert system.base is not None and after.approved_on is not None
    days = system.base.change_days.get(after.path, set())
    return after.approved_on == system.today or after.approved_on in days


@system_rule("record-modified", Severity.ERROR, scope="change")
def record_modified(system: ManagementSystem) -> Iterator[Hit]:
    """A record that exists at the base revision was changed or deleted.

    Records of the improvement cycle are final once in a final status at the base revision: an audit completed
    or cancelled, a nonconformity closed, a management review held (adding `done` dates to its actions is allowed).
    Until then they are worked on like any file.
    """
    for change, before, after in _pairs(system):
        if before is None or not before.is_final:
            continue
        assert change.base_path is not None
        if change.path is None or (after is None and not _exists(system, change.path)):
            if _retention_over(before, system):
                continue  # disposal at the end of the retention period is allowed
            yield Hit(
                f"record {before.id or change.base_path} was deleted; records are retained "
                f"{_retention(before)} and never deleted: restore {change.base_path}",
                1,
                path=change.base_path,
                id=before.id,
            )
            continue
        if _review_actions_closed(before, after):
            continue  # a held review's actions are closed as they are done
        line = _first_difference(system, change.base_path, change.path)
        if line is not None:
            yield Hit(
                f"record {before.id or change.base_path}{_renamed(change)} was modified; {_final(before)}: "
                "restore it and write a new record with `corrects: "
                f"{before.id or 'REC-...'}` instead",
                line,
                path=change.path,
                id=before.id,
            )


@system_rule("id-changed", Severity.ERROR, scope="change")
def id_changed(system: ManagementSystem) -> Iterator[Hit]:
    """A file kept its path (or was renamed) but its id changed."""
    for change, before, after in _pairs(system):
        if before is None or after is None or not before.id or not after.id or before.id == after.id:
            continue
        yield Hit(
            f"id was {before.id} at {_at(system)}{_renamed(change)} and is now {after.id}: ids are permanent "
            f"(references, records and audits cite them); restore {before.id}, or create {after.id} as a new "
            f"document and mark {before.id} obsolete",
            after.line("id"),
            path=after.path,
            id=after.id,
        )


def _review_actions_closed(before: Document, after: Document | None) -> bool:
    """A held management review whose only change is ``done`` dates added to its actions."""
    if after is None or before.type != "management-review" or after.type != "management-review":
        return False
    return review_actions_completed_only(before.data, after.data, before.body, after.body)


def _final(doc: Document) -> str:
    """Why the record may not change: merged, or (the cycle's records) in a final status."""
    if not doc.type or doc.type == "record" or not doc.status:
        return "a record is final once merged"
    article = "an" if doc.type[0] in "aeiou" else "a"
    return f"{article} {doc.type} is final once {doc.status}"


def _exists(system: ManagementSystem, path: str) -> bool:
    return (system.root / path).is_file()


def _retention(doc: Document) -> str:
    return f"for {doc.retention_years} years" if doc.retention_years is not None else "for their retention period"


def _retention_over(doc: Document, system: ManagementSystem) -> bool:
    if doc.date is None or doc.retention_years is None:
        return False
    return add_months(doc.date, 12 * doc.retention_years) <= system.today


def _first_difference(system: ManagementSystem, base_path: str, path: str) -> int | None:
    """1-based line of the first difference between the base text and the file; None if equal."""
    assert system.base is not None
    before = system.base.texts.get(base_path)
    after = system.base.current_texts.get(path)
    if before is None or after is None:
        return 1
    if before == after:
        return None
    old_lines, new_lines = before.split("\n"), after.split("\n")
    for number, (old, new) in enumerate(zip(old_lines, new_lines, strict=False), start=1):
        if old != new:
            return number
    return min(len(old_lines) + 1, len(new_lines))
