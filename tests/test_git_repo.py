"""GitRepo: finding the work tree with one rev-parse, and reading blobs through one cat-file process."""

from __future__ import annotations

import pytest

from isodocs.readers import git as git_module
from isodocs.readers.git import GitError, GitRepo, HistoryIndex
from tests.gitutil import commit, git, init, started_processes


def test_open_finds_the_work_tree_prefix_and_head_from_a_subfolder(tmp_path):
    init(tmp_path)
    (tmp_path / "qms/procedures").mkdir(parents=True)
    (tmp_path / "qms/procedures/a.md").write_text("a\n")
    sha = commit(tmp_path, "add")
    repo = GitRepo.open(tmp_path / "qms")
    assert repo is not None
    assert (repo.work_tree, repo.prefix, repo.head, repo.shallow) == (tmp_path.resolve(), "qms/", sha, False)
    assert repo.has_commits()
    assert repo.resolve("HEAD") == sha and repo.resolve("no-such-branch") is None


def test_open_a_repository_without_commits(tmp_path):
    init(tmp_path)
    repo = GitRepo.open(tmp_path)
    assert repo is not None and repo.head is None and not repo.has_commits()


def test_no_repository_for_plain_folders_bare_repositories_and_the_git_folder(tmp_path):
    assert GitRepo.open(tmp_path) is None
    bare = tmp_path / "bare.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    assert GitRepo.open(bare) is None
    work = tmp_path / "work"
    work.mkdir()
    init(work)
    assert GitRepo.open(work / ".git") is None


def test_no_git_executable_means_no_repository_and_a_note(tmp_path, monkeypatch):
    init(tmp_path)
    monkeypatch.setattr(git_module, "GIT_EXECUTABLE", None)
    monkeypatch.setattr(git_module, "GIT_INSTALLED", False)
    assert GitRepo.open(tmp_path) is None
    assert HistoryIndex.build(tmp_path, ["procedures"]).notes == ["git is not installed: there is no revision history"]


def test_shallow_clone_lists_its_boundary_commits(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    init(source)
    for number in range(3):
        (source / "a.md").write_text(f"{number}\n")
        commit(source, f"commit {number}")
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{source}", "clone")
    repo = GitRepo.open(tmp_path / "clone")
    assert repo is not None and repo.shallow_commits == {repo.head}


def test_read_blobs_by_id_and_by_revision_and_path(tmp_path):
    init(tmp_path)
    (tmp_path / "procedures").mkdir()
    (tmp_path / "procedures/with space.md").write_bytes(b"first\n")
    (tmp_path / "procedures/empty.md").write_bytes(b"")
    first = commit(tmp_path, "one")
    (tmp_path / "procedures/with space.md").write_bytes(b"second\r\nno final newline")
    commit(tmp_path, "two")
    repo = GitRepo.open(tmp_path)
    assert repo is not None
    try:
        blob = git(tmp_path, "rev-parse", "HEAD:procedures/with space.md").strip()
        assert repo.read(blob) == b"second\r\nno final newline"
        assert repo.read(f"{first}:procedures/with space.md") == b"first\n"
        assert repo.read("HEAD:procedures/empty.md") == b""
        assert repo.read("HEAD:procedures/missing file.md") is None  # "<ref> missing", the ref holding a space
        assert repo.read("HEAD:procedures") is None  # a tree, not a blob
        assert repo.read("HEAD:procedures/a\nb.md") is None  # cat-file reads one name per line
        assert repo.read(blob) == b"second\r\nno final newline"  # the process still answers in step
    finally:
        repo.close()
    assert repo._cat_file is None


def test_one_cat_file_process_serves_every_read(tmp_path, monkeypatch):
    init(tmp_path)
    for number in range(5):
        (tmp_path / f"{number}.md").write_text(f"{number}\n")
    commit(tmp_path, "five")
    repo = GitRepo.open(tmp_path)
    assert repo is not None
    started = started_processes(monkeypatch)
    assert [repo.read(f"HEAD:{number}.md") for number in range(5)] == [f"{n}\n".encode() for n in range(5)]
    repo.close()
    assert len(started) == 1


def test_a_failing_git_command_is_a_git_error_naming_the_command(tmp_path):
    init(tmp_path)
    repo = GitRepo.open(tmp_path)
    assert repo is not None
    with pytest.raises(GitError, match="git log failed"):
        repo.run("log")  # no commits yet
