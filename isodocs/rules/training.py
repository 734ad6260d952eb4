"""Training and awareness rules (ISO 9001 7.2, 7.3; ISO/IEC 27001 A.5.1, A.6.3).

Who must know a document (its ``audience``), whether they are trained on its
current version (analyses/training.py decides), and whether the training records hold
up: the versions they name existed, and an acknowledgement was committed by
the person it names.
"""

from __future__ import annotations

from collections.abc import Iterator

from isodocs.analyses.training import (
    ACKNOWLEDGEMENT,
    OUTDATED,
    DocumentRow,
    named,
    overdue,
    unknown_audience,
    version_parts,
)
from isodocs.analyses.training_view import people_groups, requirement_of, training_matrix
from isodocs.model import DerivedKey, Document, ManagementSystem, Severity
from isodocs.readers.git import GitRepo
from isodocs.readers.training_git import VersionHistory, adding_commits, authored_by, document_versions
from isodocs.rules.registry import DocumentContext, Hit, cross_document_rule, document_rule, system_rule
from isodocs.text.words import plural


@document_rule("unknown-audience", Severity.ERROR)
def unknown_audience_rule(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """An `audience` entry is no group of any person, no person and not `everyone`.

    Name a group listed under some person's `groups` in isodocs.yml, a key of `people`, or `everyone`; or add
    the group to the people who belong to it.
    """
    if not doc.audience:
        return
    groups = people_groups(context.config)
    for entry in unknown_audience(doc.audience, groups):
        index = doc.audience.index(entry)
        known = sorted({g for person_groups in groups.values() for g in person_groups})
        listed = ", ".join(known) if known else "none yet: add `groups: [...]` to people in isodocs.yml"
        yield Hit(
            f"audience: '{entry}' is no group, no person and not everyone (groups: {listed})",
            doc.line("audience", index),
        )


def _row(doc: Document, system: ManagementSystem) -> DocumentRow | None:
    """The matrix row of an approved, effective document with an audience that someone is missing."""
    requirement = requirement_of(doc)
    if requirement is None or (requirement.effective and requirement.effective > system.today):
        return None
    row = training_matrix(system).by_id.get(requirement.id)
    return row if row is not None and row.requirement.path == doc.path and row.untrained else None


def _untrained(row: DocumentRow) -> str:
    """The message body naming the people missing: the first few and a count, and how to fix it."""
    people = row.untrained
    outdated = row.people(OUTDATED)
    earlier = f"; {len(outdated)} of them trained on an earlier version" if outdated else ""
    requirement = row.requirement
    return (
        f"{len(people)} of {row.required} people in the audience of {requirement.id} are not trained on its "
        f"version {requirement.version}: {named(people)}{earlier}. Each reads it and runs `isodocs acknowledge "
        f"{requirement.id} --by PERSON`, or the training is recorded (`isodocs new training`)"
    )


@cross_document_rule("training-due", Severity.WARNING)
def training_due(doc: Document, system: ManagementSystem) -> Iterator[Hit]:
    """A person in a document's `audience` has no training record for its current version, within
    `training.grace_days` of the effective date.

    The people named read the document and acknowledge it (`isodocs acknowledge ID --by PERSON`, in a pull
    request of their own), or attend training recorded in a training record naming this version.
    """
    row = _row(doc, system)
    if row is None or row.due is None or overdue(row, system.today):
        return
    left = (row.due - system.today).days
    yield Hit(f"due by {row.due.isoformat()} ({plural(left, 'day')} left): {_untrained(row)}", key=("audience",))


@cross_document_rule("training-overdue", Severity.ERROR)
def training_overdue(doc: Document, system: ManagementSystem) -> Iterator[Hit]:
    """The same as training-due, after `training.grace_days`.

    As for training-due; the owner of the document follows up with the people named (or, for someone who left,
    removes them from `people` or from the group).
    """
    row = _row(doc, system)
    if row is None or row.due is None or not overdue(row, system.today):
        return
    late = (system.today - row.due).days
    yield Hit(f"was due by {row.due.isoformat()} ({plural(late, 'day')} ago): {_untrained(row)}", key=("audience",))


DOCUMENT_VERSIONS: DerivedKey[VersionHistory] = DerivedKey("every version of each document in git")


def _version_history(system: ManagementSystem) -> VersionHistory:
    """Every version of each document that a record names at an earlier version: one ``git log`` per run."""
    return system.derived.get(
        DOCUMENT_VERSIONS, lambda: document_versions(system.root, system.config.paths, _older(system), system.cache)
    )


def _older(system: ManagementSystem) -> list[str]:
    """Paths of the documents some training record names at a version earlier than the current one."""
    paths = []
    for doc in system.documents:
        if doc.type != "training":
            continue
        for doc_id, version in doc.trained_on.items():
            target = system.get(doc_id)
            if target is not None and target.version and _earlier(version, target.version):
                paths.append(target.path)
    return paths


def _earlier(version: str, current: str) -> bool:
    trained, now = version_parts(version), version_parts(current)
    return trained is not None and now is not None and trained < now


@cross_document_rule("training-version-unknown", Severity.ERROR, types=("training",))
def training_version_unknown(doc: Document, system: ManagementSystem) -> Iterator[Hit]:
    """A training record names a version of a document that it never had.

    Write the version the person was trained on: the document's current version, or an earlier one from its
    history (`isodocs history ID`). Records are final once merged: correct a merged one with a new record that
    names it in `corrects`.
    """
    if doc.type != "training":
        return
    for doc_id, version in doc.trained_on.items():
        target = system.get(doc_id)
        if target is None or target.is_record or not target.version or version == target.version:
            continue
        trained, current = version_parts(version), version_parts(target.version)
        if trained is None or current is None:
            continue
        if trained > current:
            reason = f"its current version is {target.version}"
        else:
            history = _version_history(system)
            if not history.knows(target.path) or version in history.versions.get(target.path, set()):
                continue
            had = sorted(
                history.versions.get(target.path, set()) | {target.version}, key=lambda v: version_parts(v) or (-1, -1)
            )
            reason = f"it has had versions {', '.join(had)}"
        yield Hit(f"{doc_id} never had version {version}: {reason}", key=("documents", doc_id))


@system_rule("acknowledgement-not-by-person", Severity.WARNING, scope="change")
def acknowledgement_not_by_person(system: ManagementSystem) -> Iterator[Hit]:
    """A read-and-understood record added by the change was committed by someone other than the person it names.

    An acknowledgement is the person's own statement: they open the pull request that adds it (`isodocs
    acknowledge ID --by ME`). Checked where the person has an `email` or `github` in `people`; commits by
    another author are named. If someone else had to commit it, say so in the pull request.
    """
    base = system.base
    if base is None:
        return
    added = {change.path for change in base.changes if change.status == "A" and change.path}
    records = [
        doc
        for doc in system.documents
        if doc.path in added and doc.type == "training" and doc.method == ACKNOWLEDGEMENT
    ]
    people = system.config.people
    checked = [
        doc
        for doc in records
        if any((p := people.get(key)) is not None and (p.email or p.github) for key in doc.attendees)
    ]
    repo = GitRepo.open(system.root) if checked else None
    if repo is None:
        return
    commits = adding_commits(repo, base.sha, [doc.path for doc in checked])
    for doc in checked:
        persons = [people[key] for key in doc.attendees if key in people]
        others = [
            commit
            for commit in commits.get(doc.path, [])
            if not any(authored_by(commit, p.email, p.github) for p in persons)
        ]
        if others:
            who = ", ".join(sorted({f"{c.author} <{c.email}>" for c in others}))
            names = ", ".join(p.key for p in persons)
            yield Hit(
                f"acknowledgement {doc.id or doc.path} of {names} was committed by {who}, not by "
                f"{'them' if len(persons) > 1 else 'the person'}: an acknowledgement is committed by the person "
                "who read the document",
                system.with_front(doc).line("attendees"),
                path=doc.path,
                id=doc.id,
            )
