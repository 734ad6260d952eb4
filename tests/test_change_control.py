"""Change control with `check --base REV` against real git repositories made in the test."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from isodocs.cli import main
from isodocs.errors import UsageError
from isodocs.model import version_key
from tests.conftest import approved, record
from tests.gitutil import commit, git, init, started_processes

PRO = "procedures/doc-control.md"
REC = "records/audit-2026.md"


@pytest.fixture
def base(repo):
    """A repo whose main branch holds an approved procedure and a record; work happens on a branch."""
    init(repo.root)
    repo.doc(PRO, approved("PRO-001"))
    repo.doc(REC, record("REC-001"))
    commit(repo.root, "Initial documents")
    git(repo.root, "checkout", "-q", "-b", "change")
    return repo


def rules(result):
    return [(f.rule, f.path, f.line) for f in result.findings]


def test_edit_without_bump_is_reported_on_the_version_line(base, run_check):
    base.doc(PRO, approved("PRO-001"), body="# Changed\n")
    result = run_check(base, base="main")
    assert rules(result) == [("version-not-bumped", PRO, 5)]
    assert "version 1.0" in result.findings[0].message and '"1.1"' in result.findings[0].message


def test_edit_in_front_matter_without_bump_is_reported(base, run_check):
    base.doc(PRO, approved("PRO-001", title="A new title"))
    assert rules(run_check(base, base="main")) == [("version-not-bumped", PRO, 5)]


def test_bump_and_reapproval_pass(base, run_check):
    base.doc(PRO, approved("PRO-001", version="1.1", approved_on="2026-11-01", last_reviewed="2026-11-01"), "# New\n")
    assert rules(run_check(base, base="main")) == []


def test_bump_without_new_approval_date_is_reapproval_missing(base, run_check):
    base.doc(PRO, approved("PRO-001", version="2.0"), body="# New\n")
    assert rules(run_check(base, base="main")) == [("reapproval-missing", PRO, 10)]


def test_versions_compare_as_numbers(base, run_check):
    assert version_key("1.10") > version_key("1.9")
    git(base.root, "checkout", "-q", "main")
    base.doc(PRO, approved("PRO-001", version="1.9"))
    commit(base.root, "1.9")
    git(base.root, "checkout", "-q", "change")
    git(base.root, "merge", "-q", "main")
    base.doc(PRO, approved("PRO-001", version="1.10", approved_on="2026-11-01"), body="# New\n")
    assert rules(run_check(base, base="main")) == []


def test_draft_may_change_without_bump(repo, run_check):
    init(repo.root)
    repo.doc(PRO, approved("PRO-001", status="draft"))
    commit(repo.root, "draft")
    repo.doc(PRO, approved("PRO-001", status="draft"), body="# More\n")
    assert rules(run_check(repo, base="HEAD")) == []


def test_withdrawing_a_document_is_not_a_new_version(base, run_check):
    base.doc(PRO, approved("PRO-001", status="obsolete"))
    assert "version-not-bumped" not in [f.rule for f in run_check(base, base="main").findings]


def test_uncommitted_and_committed_changes_are_both_compared(base, run_check):
    base.doc(PRO, approved("PRO-001"), body="# Changed\n")
    commit(base.root, "edit")
    assert rules(run_check(base, base="main")) == [("version-not-bumped", PRO, 5)]


def test_record_edit_is_reported_on_the_first_changed_line(base, run_check):
    base.doc(REC, record("REC-001", title="Changed title"))
    result = run_check(base, base="main")
    assert rules(result) == [("record-modified", REC, 3)]
    assert "corrects: REC-001" in result.findings[0].message


def test_record_deletion_is_reported_at_its_old_path(base, run_check):
    (base.root / REC).unlink()
    result = run_check(base, base="main")
    assert rules(result) == [("record-modified", REC, 1)]
    assert "deleted" in result.findings[0].message


def test_record_disposed_after_its_retention_period_is_allowed(repo, run_check):
    init(repo.root)
    repo.doc(REC, record("REC-001", date="2019-01-01", retention_years=6))
    commit(repo.root, "old record")
    (repo.root / REC).unlink()
    assert rules(run_check(repo, base="HEAD")) == []


def test_record_moved_unchanged_is_not_modified(base, run_check):
    (base.root / "records/2026").mkdir()
    git(base.root, "mv", REC, "records/2026/audit.md")
    assert rules(run_check(base, base="main")) == []


def test_rename_is_followed_not_reported_as_delete_and_add(base, run_check):
    new = "procedures/control of documents.md"
    git(base.root, "mv", PRO, new)
    base.doc(new, approved("PRO-001"), body="# Title\n\nBody text, edited.\n")
    commit(base.root, "rename and edit")
    assert rules(run_check(base, base="main")) == [("version-not-bumped", new, 5)]
    assert "renamed from procedures/doc-control.md" in run_check(base, base="main").findings[0].message


def test_rename_git_cannot_see_is_followed_by_id(base, run_check):
    # Moved and rewritten beyond git's similarity threshold, and not yet added.
    (base.root / PRO).unlink()
    base.doc("procedures/new-name.md", approved("PRO-001"), body="# Entirely new text\n" * 20)
    assert rules(run_check(base, base="main")) == [("version-not-bumped", "procedures/new-name.md", 5)]


def test_id_change_is_reported_on_the_id_line(base, run_check):
    base.doc(PRO, approved("PRO-002", version="1.1", approved_on="2026-11-01"))
    result = run_check(base, base="main")
    assert rules(result) == [("id-changed", PRO, 2)]
    assert "PRO-001" in result.findings[0].message


def test_findings_on_untouched_documents_do_not_block(base, run_check):
    # PRO-002 is overdue for review (due 2025-06-01) but this change does not touch it.
    git(base.root, "checkout", "-q", "main")
    base.doc("procedures/old.md", approved("PRO-002", last_reviewed="2024-06-01", approved_on="2024-06-01"))
    commit(base.root, "old document")
    git(base.root, "checkout", "-q", "change")
    git(base.root, "merge", "-q", "main")
    base.doc(PRO, approved("PRO-001", title="Better title", version="1.1", approved_on="2026-11-02"))
    result = run_check(base, base="main")
    assert rules(result) == []
    assert result.not_shown == 1 and result.exit_code() == 0
    every = run_check(base, base="main", all=True)
    assert [f.rule for f in every.findings] == ["review-overdue"]
    # The text report says what it left out.
    outcome = CliRunner().invoke(main, ["-C", str(base.root), "check", "--base", "main", "--today", "2026-11-27"])
    assert outcome.exit_code == 0
    assert "1 finding on documents this change does not touch not shown" in outcome.output
    # Without --base, everything is checked (the scheduled workflow).
    assert [f.rule for f in run_check(base).findings] == ["review-overdue"]


def test_findings_on_touched_documents_block(base, run_check):
    base.doc(PRO, approved("PRO-001", owner="nobody"))
    assert {f.rule for f in run_check(base, base="main").findings} == {"unknown-owner", "version-not-bumped"}


def test_broken_reference_caused_by_the_change_blocks(base, run_check):
    git(base.root, "checkout", "-q", "main")
    base.doc("procedures/other.md", approved("PRO-002", related=["PRO-001"]))
    commit(base.root, "other")
    git(base.root, "checkout", "-q", "change")
    git(base.root, "merge", "-q", "main")
    git(base.root, "rm", "-q", PRO)
    result = run_check(base, base="main")
    assert ("broken-reference", "procedures/other.md") in [(f.rule, f.path) for f in result.findings]


def test_config_change_counts_as_touching_every_document(base, run_check):
    base.config(people={"md": {"name": "Raj Patel", "github": "rpatel"}})  # qm removed
    result = run_check(base, base="main")
    assert ("unknown-owner", PRO) in [(f.rule, f.path) for f in result.findings]


def test_branch_behind_base_is_not_blamed_for_newer_commits(base, run_check):
    git(base.root, "checkout", "-q", "main")
    base.doc(PRO, approved("PRO-001", version="1.1", approved_on="2026-11-01"), body="# Newer on main\n")
    commit(base.root, "newer version on main")
    git(base.root, "checkout", "-q", "change")
    base.doc("procedures/new.md", approved("PRO-003"))
    assert rules(run_check(base, base="main")) == []


def test_unknown_base_revision_is_a_usage_error(base, run_check):
    with pytest.raises(UsageError, match="no such revision"):
        run_check(base, base="origin/nope")
    outcome = CliRunner().invoke(main, ["-C", str(base.root), "check", "--base", "origin/nope"])
    assert outcome.exit_code == 2
    assert "--base origin/nope: no such revision" in outcome.output


def test_base_outside_a_git_repository_is_a_usage_error(repo):
    repo.doc(PRO, approved("PRO-001"))
    outcome = CliRunner().invoke(main, ["-C", str(repo.root), "check", "--base", "main"])
    assert outcome.exit_code == 2
    assert "needs a git repository" in outcome.output


def test_shallow_clone_without_the_base_says_fetch_depth(base, tmp_path):
    commit(base.root, "second", date="2026-07-01")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "change", f"file://{base.root}", str(clone))
    outcome = CliRunner().invoke(main, ["-C", str(clone), "check", "--base", "HEAD~1"])
    assert outcome.exit_code == 2
    assert "fetch-depth: 0" in outcome.output


def test_review_only_change_does_not_need_a_new_version(base, run_check):
    outcome = CliRunner().invoke(
        main, ["-C", str(base.root), "review", "PRO-001", "--by", "md", "--date", "2026-11-20", "--today", "2026-11-27"]
    )
    assert outcome.exit_code == 0, outcome.output
    assert git(base.root, "diff", "--stat", "main").strip()  # the file did change
    assert rules(run_check(base, base="main")) == []


def test_check_base_uses_few_git_processes(base, run_check, monkeypatch):
    """Git is read with a constant number of processes, however many documents changed."""
    for number in range(2, 32):
        base.doc(f"procedures/p{number}.md", approved(f"PRO-{number:03d}"))
    commit(base.root, "thirty documents")
    git(base.root, "checkout", "-q", "-b", "edit-all")
    for number in range(2, 32):
        base.doc(f"procedures/p{number}.md", approved(f"PRO-{number:03d}"), body="# Edited\n")
    started = started_processes(monkeypatch)
    result = run_check(base, base="change")
    assert len([f for f in result.findings if f.rule == "version-not-bumped"]) == 30
    assert 2 <= len(started) <= 6, started  # at least: git diff, the cat-file batch


def test_pull_request_flow_on_the_command_line(base):
    """Branch, edit an approved document without a bump: fails on the version line; bump and reapprove: passes."""
    command = ["-C", str(base.root), "check", "--base", "main", "--today", "2026-11-27"]
    base.doc(PRO, approved("PRO-001"), body="# Title\n\nA changed step.\n")
    commit(base.root, "Change a step")
    failed = CliRunner().invoke(main, [*command, "--format", "github"])
    assert failed.exit_code == 1
    assert failed.output.startswith(f"::error file={PRO},line=5,title=version-not-bumped (PRO-001)::")
    base.doc(PRO, approved("PRO-001", version="1.1", approved_on="2026-11-26"), body="# Title\n\nA changed step.\n")
    commit(base.root, "Version 1.1, approved by md")
    passed = CliRunner().invoke(main, command)
    assert passed.exit_code == 0, passed.output
    assert "compared with main" in passed.output


@pytest.fixture
def approved_today(repo):
    """Version 1.0 approved on 2026-11-27 and merged that day; a branch for a fix."""
    init(repo.root)
    repo.doc(PRO, approved("PRO-001", approved_on="2026-11-27", last_reviewed="2026-11-27"))
    commit(repo.root, "Version 1.0, approved by md", date="2026-11-27")
    git(repo.root, "checkout", "-q", "-b", "typo")
    return repo


def fix_typo(repo, approved_on: str = "2026-11-27") -> None:
    repo.doc(PRO, approved("PRO-001", version="1.1", approved_on=approved_on, last_reviewed="2026-11-27"), "# Fixed\n")


def test_a_second_approval_on_the_day_of_the_first_passes(approved_today, run_check):
    """Approve 1.0 today, fix a typo as 1.1 approved today too: not reapproval-missing."""
    fix_typo(approved_today)
    assert rules(run_check(approved_today, base="main", today=dt.date(2026, 11, 27))) == []  # uncommitted
    commit(approved_today.root, "Version 1.1, approved by md", date="2026-11-27")
    assert rules(run_check(approved_today, base="main", today=dt.date(2026, 11, 27))) == []


def test_the_same_day_approval_still_passes_when_ci_runs_a_day_later(approved_today, run_check):
    """The pull request was made and approved on the 27th; CI reruns (or it merges) on the 28th."""
    fix_typo(approved_today)
    commit(approved_today.root, "Version 1.1, approved by md", date="2026-11-27")
    assert rules(run_check(approved_today, base="main", today=dt.date(2026, 11, 28))) == []
    git(approved_today.root, "checkout", "-q", "main")
    git(approved_today.root, "merge", "-q", "--no-ff", "-m", "Merge typo", "typo", date="2026-11-28")
    assert rules(run_check(approved_today, base="HEAD^", today=dt.date(2026, 11, 28))) == []  # push to main


def test_a_new_version_made_days_later_with_the_old_date_is_reapproval_missing(approved_today, run_check):
    """The fix was written on the 30th but kept the 27th's approval date: it needs its own approval."""
    fix_typo(approved_today)
    commit(approved_today.root, "Version 1.1", date="2026-11-30")
    result = run_check(approved_today, base="main", today=dt.date(2026, 11, 30))
    assert rules(result) == [("reapproval-missing", PRO, 10)]
    assert "approved_on is still 2026-11-27" in result.findings[0].message


def test_a_same_day_approval_reads_git_only_when_needed(approved_today, run_check, monkeypatch):
    """The commits' days are read (one git log) only for a new version that keeps the old date."""
    fix_typo(approved_today, approved_on="2026-11-28")
    commit(approved_today.root, "Version 1.1", date="2026-11-28")
    started = started_processes(monkeypatch)
    assert rules(run_check(approved_today, base="main", today=dt.date(2026, 11, 28))) == []
    assert not [argv for argv in started if "log" in argv]
    fix_typo(approved_today)
    commit(approved_today.root, "Version 1.1, the 27th's date", date="2026-11-28")
    assert rules(run_check(approved_today, base="main", today=dt.date(2026, 11, 28))) == [
        ("reapproval-missing", PRO, 10)
    ]
    assert len([argv for argv in started if "log" in argv]) == 1
