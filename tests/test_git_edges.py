"""`check --base` on the git situations CI meets: detached HEAD, merges, odd paths, submodules, worktrees."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from isodocs.cli import main
from tests.conftest import approved
from tests.gitutil import commit, git, init

ODD = "procedures/contrôle des documents ✓.md"


@pytest.fixture
def base(repo):
    init(repo.root)
    repo.doc("procedures/a.md", approved("PRO-001"))
    repo.doc(ODD, approved("PRO-002"))
    commit(repo.root, "Initial documents")
    return repo


def check(root, *args):
    outcome = CliRunner().invoke(main, ["-C", str(root), "check", "--format", "json", "--today", "2026-11-27", *args])
    assert outcome.exit_code in (0, 1), outcome.output
    return [(f["rule"], f["path"]) for f in json.loads(outcome.stdout)["findings"]]


def test_unicode_and_spaces_in_paths_survive_core_quotepath(base):
    """git quotes such paths ("contr\\303\\264le...") unless read with -z; findings must name the real file."""
    git(base.root, "config", "core.quotepath", "true")
    git(base.root, "checkout", "-q", "-b", "change")
    base.doc(ODD, approved("PRO-002"), body="# Changed\n")
    assert check(base.root, "--base", "main") == [("version-not-bumped", ODD)]


def test_detached_head(base):
    git(base.root, "checkout", "-q", "-b", "change")
    base.doc("procedures/a.md", approved("PRO-001"), body="# Changed\n")
    commit(base.root, "change")
    git(base.root, "checkout", "-q", "--detach", "HEAD")  # what actions/checkout does for pull requests
    assert check(base.root, "--base", "main") == [("version-not-bumped", "procedures/a.md")]


def test_merge_commit_on_the_branch(base):
    git(base.root, "checkout", "-q", "-b", "change")
    base.doc("procedures/a.md", approved("PRO-001", version="1.1", approved_on="2026-07-01"), body="# New\n")
    commit(base.root, "bump PRO-001")
    git(base.root, "checkout", "-q", "main")
    base.doc("procedures/c.md", approved("PRO-003"))
    commit(base.root, "new PRO-003 on main")
    git(base.root, "checkout", "-q", "change")
    git(base.root, "merge", "-q", "--no-edit", "main")
    assert check(base.root, "--base", "main") == []


def test_missing_base_is_exit_2_with_the_revision_named(base):
    outcome = CliRunner().invoke(main, ["-C", str(base.root), "check", "--base", "does-not-exist"])
    assert outcome.exit_code == 2
    assert outcome.output.startswith("isodocs: error: ") and "does-not-exist" in outcome.output
    assert "Traceback" not in outcome.output


def test_repository_with_a_submodule(base, tmp_path):
    library = tmp_path / "library"
    library.mkdir()
    init(library)
    (library / "notes.md").write_text("# Not a document of this repository\n")
    commit(library, "library")
    git(base.root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(library), "procedures/vendor")
    commit(base.root, "add submodule")
    git(base.root, "checkout", "-q", "-b", "change")
    base.doc("procedures/a.md", approved("PRO-001"), body="# Changed\n")
    assert check(base.root, "--base", "main") == [("version-not-bumped", "procedures/a.md")]
    # the submodule's files sit in a document folder, so a full check reads them like any other file there
    assert ("front-matter-missing", "procedures/vendor/notes.md") in check(base.root)


def test_linked_worktree(base, tmp_path):
    git(base.root, "branch", "change")
    worktree = tmp_path / "wt"
    git(base.root, "worktree", "add", "-q", str(worktree), "change")
    (worktree / "procedures/a.md").write_text((base.root / "procedures/a.md").read_text() + "\nChanged.\n")
    assert check(worktree, "--base", "main") == [("version-not-bumped", "procedures/a.md")]
