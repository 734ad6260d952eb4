"""Training rules that read git: versions a document never had, acknowledgements committed by someone else."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import BASE_CONFIG, approved
from tests.gitutil import commit, git, init

POL = "policies/security.md"
TRN = "records/training/trn-001.md"
PEOPLE = {
    **BASE_CONFIG["people"],
    "ann": {"name": "Ann Reader", "github": "areader", "email": "ann@example.org", "groups": ["staff"]},
    "bob": {"name": "Bob Nomail", "groups": ["staff"]},
}


def _policy(version: str, day: str) -> dict:
    return approved(
        "POL-001",
        type="policy",
        version=version,
        approved_on=day,
        last_reviewed=day,
        audience=["staff"],
        clauses={"iso27001": ["5.2"]},
    )


def _ack(rid: str, person: str, version: str) -> dict:
    return {
        "id": rid,
        "title": f"Read and understood, POL-001 {version}",
        "type": "training",
        "date": "2026-11-20",
        "method": "read-and-understood",
        "attendees": [person],
        "documents": {"POL-001": version},
        "owner": "qm",
        "clauses": {"iso9001": ["7.2"]},
    }


def _commit_as(root: Path, message: str, author: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", f"--author={author}", "-m", message)


@pytest.fixture
def history(repo):
    """A policy at 1.0, then 1.1 (both committed): versions 1.0 and 1.1 existed, 1.2 did not."""
    repo.config(people=PEOPLE, rules={"training-due": "off", "training-overdue": "off"})
    init(repo.root)
    repo.doc(POL, _policy("1.0", "2026-01-10"))
    commit(repo.root, "POL-001 1.0")
    repo.doc(POL, _policy("1.1", "2026-03-10"))
    commit(repo.root, "POL-001 1.1")
    repo.doc(POL, _policy("2.0", "2026-11-20"))
    commit(repo.root, "POL-001 2.0")
    return repo


def _rules(result, slug):
    return [(f.path, f.line, f.message) for f in result.findings if f.rule == slug]


def test_a_version_from_history_is_known_and_one_never_written_is_not(history, run_check):
    history.doc("records/training/trn-001.md", _ack("TRN-001", "ann", "1.1"))
    history.doc("records/training/trn-002.md", _ack("TRN-002", "bob", "1.2"))
    history.doc("records/training/trn-003.md", _ack("TRN-003", "bob", "3.0"))
    found = _rules(run_check(history), "training-version-unknown")
    assert [(path, line) for path, line, _ in found] == [
        ("records/training/trn-002.md", 10),
        ("records/training/trn-003.md", 10),
    ]
    assert "has had versions 1.0, 1.1, 2.0" in found[0][2]
    assert "current version is 2.0" in found[1][2]


def test_versions_come_from_one_git_log_for_all_records(history, run_check, monkeypatch):
    from tests.gitutil import started_processes

    for index in range(5):
        history.doc(f"records/training/trn-00{index}.md", _ack(f"TRN-00{index}", "ann", "1.0"))
    started = started_processes(monkeypatch)
    run_check(history)
    git_runs = [argv[1] for argv in started if "git" in str(argv[0]) and argv[1] in ("log", "cat-file")]
    assert git_runs.count("log") == 1 and git_runs.count("cat-file") == 1


def test_no_history_is_read_when_every_record_names_the_current_version(history, run_check, monkeypatch):
    from tests.gitutil import started_processes

    history.doc("records/training/trn-001.md", _ack("TRN-001", "ann", "2.0"))
    started = started_processes(monkeypatch)
    run_check(history)
    assert not [argv for argv in started if "log" in argv]


def test_a_renamed_document_keeps_the_versions_of_its_old_name(history, run_check):
    git(history.root, "mv", POL, "policies/information-security.md")
    commit(history.root, "rename")
    history.doc("records/training/trn-001.md", _ack("TRN-001", "ann", "1.0"))
    history.doc("records/training/trn-002.md", _ack("TRN-002", "bob", "1.5"))
    found = _rules(run_check(history), "training-version-unknown")
    assert [(path, line) for path, line, _ in found] == [("records/training/trn-002.md", 10)]


def test_outside_git_an_earlier_version_is_taken_as_written(repo, run_check):
    repo.config(people=PEOPLE, rules={"training-due": "off", "training-overdue": "off"})
    repo.doc(POL, _policy("2.0", "2026-11-20"))
    repo.doc("records/training/trn-001.md", _ack("TRN-001", "ann", "1.7"))
    repo.doc("records/training/trn-002.md", _ack("TRN-002", "ann", "2.1"))
    found = _rules(run_check(repo), "training-version-unknown")
    assert [(path, line) for path, line, _ in found] == [("records/training/trn-002.md", 10)]


@pytest.fixture
def branch(history):
    git(history.root, "checkout", "-q", "-b", "ack")
    return history


def test_an_acknowledgement_committed_by_the_person_passes(branch, run_check):
    branch.doc(TRN, _ack("TRN-001", "ann", "2.0"))
    _commit_as(branch.root, "ack", "Ann Reader <ann@example.org>")
    assert _rules(run_check(branch, base="main"), "acknowledgement-not-by-person") == []


def test_github_noreply_address_counts_as_the_person(branch, run_check):
    branch.doc(TRN, _ack("TRN-001", "ann", "2.0"))
    _commit_as(branch.root, "ack", "Ann R <12345+areader@users.noreply.github.com>")
    assert _rules(run_check(branch, base="main"), "acknowledgement-not-by-person") == []


def test_an_acknowledgement_committed_by_someone_else_is_warned(branch, run_check):
    branch.doc(TRN, _ack("TRN-001", "ann", "2.0"))
    _commit_as(branch.root, "ack for ann", "Mallory <mallory@example.org>")
    result = run_check(branch, base="main")
    found = _rules(result, "acknowledgement-not-by-person")
    assert [(path, line) for path, line, _ in found] == [(TRN, 7)]
    assert "committed by Mallory <mallory@example.org>" in found[0][2]
    assert [f.severity.value for f in result.findings if f.rule == "acknowledgement-not-by-person"] == ["warning"]


def test_a_person_without_email_or_github_is_not_checked(branch, run_check):
    branch.doc(TRN, _ack("TRN-001", "bob", "2.0"))
    _commit_as(branch.root, "ack for bob", "Mallory <mallory@example.org>")
    assert _rules(run_check(branch, base="main"), "acknowledgement-not-by-person") == []


def test_a_major_version_in_a_branch_makes_acknowledgements_outdated(repo, run_check):
    repo.config(people=PEOPLE)
    init(repo.root)
    repo.doc(POL, _policy("1.0", "2026-10-01"))
    repo.doc("records/training/trn-001.md", _ack("TRN-001", "ann", "1.0"))
    repo.doc("records/training/trn-002.md", _ack("TRN-002", "bob", "1.0"))
    commit(repo.root, "policy and acknowledgements")
    assert [f.rule for f in run_check(repo).findings] == []
    git(repo.root, "checkout", "-q", "-b", "v2")
    repo.doc(POL, _policy("2.0", "2026-11-25"), body="# Security\n\nNew rules.\n")
    found = [f for f in run_check(repo, base="main").findings if f.rule.startswith("training")]
    assert [(f.rule, f.path) for f in found] == [("training-due", POL)]
    assert "ann, bob" in found[0].message and "2 of them trained on an earlier version" in found[0].message


def test_a_merged_training_record_is_final(branch, run_check):
    git(branch.root, "checkout", "-q", "main")
    branch.doc(TRN, _ack("TRN-001", "ann", "2.0"))
    commit(branch.root, "ack")
    git(branch.root, "checkout", "-q", "-b", "edit")
    branch.doc(TRN, _ack("TRN-001", "bob", "2.0"))
    assert [f.rule for f in run_check(branch, base="main").findings] == ["record-modified"]


def test_adding_an_audience_to_an_approved_document_needs_no_new_version(history, run_check):
    git(history.root, "checkout", "-q", "-b", "audience")
    policy = _policy("2.0", "2026-11-20")
    policy["audience"] = ["staff", "qm"]
    history.doc(POL, policy)
    assert "version-not-bumped" not in [f.rule for f in run_check(history, base="main").findings]


def test_versions_of_old_revisions_are_remembered_by_blob_in_the_parse_cache(history, run_check, monkeypatch):
    from tests.gitutil import started_processes

    history.doc("records/training/trn-001.md", _ack("TRN-001", "ann", "1.1"))
    history.doc("records/training/trn-002.md", _ack("TRN-002", "bob", "1.2"))
    first = _rules(run_check(history), "training-version-unknown")
    started = started_processes(monkeypatch)
    assert _rules(run_check(history), "training-version-unknown") == first
    assert [argv for argv in started if "cat-file" in argv] == []  # no old revision read again
    assert [argv[1] for argv in started if "log" in argv] == ["log"]  # which blobs: the folder log only
