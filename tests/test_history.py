"""The one-pass git history index and `isodocs history`."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from isodocs.analyses.history import HistoryOptions, document_history
from isodocs.cli import main
from isodocs.readers.git import HistoryIndex
from tests.conftest import approved
from tests.gitutil import commit, git, init

PRO = "procedures/doc-control.md"


def history(root, *args):
    return CliRunner().invoke(main, ["-C", str(root), "history", *args])


def build_lifecycle(repo):
    """draft 0.1 -> approved 1.0 -> renamed -> approved 1.1, one commit each."""
    init(repo.root)
    repo.doc(PRO, approved("PRO-001", version="0.1", status="draft"))
    commit(repo.root, "Draft document control", date="2026-01-10")
    repo.doc(PRO, approved("PRO-001"))
    commit(repo.root, "Approve document control", date="2026-06-01")
    new = "procedures/contrôle des documents.md"
    git(repo.root, "mv", PRO, new)
    commit(repo.root, "Rename", date="2026-07-01")
    repo.doc(new, approved("PRO-001", version="1.1", approved_on="2026-08-01"), body="# Revised\n")
    commit(repo.root, "Revise document control", date="2026-08-01")
    return new


def test_history_follows_renames_and_reads_version_at_each_commit(repo):
    new = build_lifecycle(repo)
    result = document_history(HistoryOptions(root=repo.root, document="PRO-001"))
    assert result.path == new and result.complete and result.notes == []
    rows = [(r.date, r.version, r.status, r.status_change, r.change, r.subject) for r in result.revisions]
    assert rows == [
        ("2026-08-01", "1.1", "approved", None, "edited", "Revise document control"),
        ("2026-07-01", "1.0", "approved", None, "renamed", "Rename"),
        ("2026-06-01", "1.0", "approved", "draft -> approved", "edited", "Approve document control"),
        ("2026-01-10", "0.1", "draft", None, "created", "Draft document control"),
    ]
    assert result.revisions[1].old_path == PRO
    assert all(r.author == "Jane Smith" for r in result.revisions)


def test_history_command_text_and_json(repo):
    build_lifecycle(repo)
    text = history(repo.root, "PRO-001")
    assert text.exit_code == 0, text.output
    assert "draft -> approved" in text.output
    assert "renamed from procedures/doc-control.md" in text.output
    data = json.loads(history(repo.root, "PRO-001", "--format", "json").output)
    assert [r["version"] for r in data["revisions"]] == ["1.1", "1.0", "1.0", "0.1"]
    assert data["complete"] is True


def test_history_by_path_of_a_deleted_document(repo):
    init(repo.root)
    repo.doc(PRO, approved("PRO-001"))
    commit(repo.root, "add")
    git(repo.root, "rm", "-q", PRO)
    commit(repo.root, "remove")
    data = json.loads(history(repo.root, PRO, "--format", "json").output)
    assert [r["change"] for r in data["revisions"]] == ["deleted", "created"]


def test_a_path_recreated_after_a_rename_keeps_its_own_history(repo):
    init(repo.root)
    repo.doc(PRO, approved("PRO-001"))
    commit(repo.root, "first")
    git(repo.root, "mv", PRO, "procedures/moved.md")
    commit(repo.root, "move")
    repo.doc(PRO, approved("PRO-002", title="Another document entirely", clauses={"iso9001": ["8.1"]}), "# Other\n")
    commit(repo.root, "new document at the old path")
    moved = document_history(HistoryOptions(root=repo.root, document="PRO-001"))
    assert [r.subject for r in moved.revisions] == ["move", "first"]
    other = document_history(HistoryOptions(root=repo.root, document="PRO-002"))
    assert [r.subject for r in other.revisions] == ["new document at the old path"]


def test_no_git_repository_gives_empty_history_with_a_note(repo):
    repo.doc(PRO, approved("PRO-001"))
    result = document_history(HistoryOptions(root=repo.root, document="PRO-001"))
    assert result.revisions == [] and not result.complete
    assert "not a git repository" in result.notes[0]
    outcome = history(repo.root, "PRO-001")
    assert outcome.exit_code == 0
    assert "not a git repository" in outcome.output


def test_repository_without_commits_gives_empty_history_with_a_note(repo):
    init(repo.root)
    repo.doc(PRO, approved("PRO-001"))
    result = document_history(HistoryOptions(root=repo.root, document="PRO-001"))
    assert result.revisions == []
    assert "no commits yet" in result.notes[0]


def test_shallow_clone_is_detected_and_said_to_be_incomplete(repo, tmp_path):
    build_lifecycle(repo)
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))
    result = document_history(HistoryOptions(root=clone, document="PRO-001"))
    assert not result.complete
    assert "fetch-depth: 0" in result.notes[0]
    assert len(result.revisions) == 1 and result.revisions[0].boundary
    outcome = history(clone, "PRO-001")
    assert "earlier history not fetched" in outcome.output
    assert "fetch-depth: 0" in outcome.output


def test_unknown_id_is_a_usage_error(repo):
    init(repo.root)
    outcome = history(repo.root, "PRO-404")
    assert outcome.exit_code == 2
    assert "no document has id PRO-404" in outcome.output


def test_index_is_built_from_one_git_log(repo):
    init(repo.root)
    for number in range(1, 6):
        repo.doc(f"procedures/p {number}.md", approved(f"PRO-{number:03d}"))
        commit(repo.root, f"add {number}")
    index = HistoryIndex.build(repo.root, ["procedures"])
    assert len(index.commits) == 5
    assert sorted(index.by_path) == [f"procedures/p {n}.md" for n in range(1, 6)]
    assert index.read(index.file_history("procedures/p 3.md")[0]).startswith(b"---\nid: PRO-003")
    index.close()


def test_prefetched_blobs_come_from_one_git_run_and_read_answers_from_memory(repo, monkeypatch):
    from isodocs.readers.git import GitRepo

    new = build_lifecycle(repo)
    repo.write("procedures/empty.md", "")  # an empty blob, and a path with a space and a non-ASCII letter
    commit(repo.root, "Empty")
    index = HistoryIndex.build(repo.root, ["procedures"])
    changes = index.file_history(new) + index.file_history("procedures/empty.md")
    expected = {change.blob: index.read(change) for change in changes}
    index.prefetch(changes)
    monkeypatch.setattr(GitRepo, "read", lambda self, ref: (_ for _ in ()).throw(AssertionError("read one by one")))
    assert {change.blob: index.read(change) for change in changes} == expected
    assert expected[index.file_history("procedures/empty.md")[0].blob] == b""
    assert len(expected) == 4 and all(data is not None for data in expected.values())
    # Unknown ids and other kinds of object are left out; read_many then reads nothing for them.
    tree = git(repo.root, "rev-parse", "HEAD^{tree}").strip()
    assert index.git is not None
    assert set(index.git.read_many(["0" * 40, tree, changes[0].blob])) == {changes[0].blob}
    index.close()


def test_repository_in_a_subfolder_of_the_work_tree(repo):
    init(repo.root)
    (repo.root / "README.md").write_text("top\n")
    system = repo.root / "qms"
    system.mkdir()
    (repo.root / "isodocs.yml").rename(system / "isodocs.yml")
    repo.doc("qms/" + PRO, approved("PRO-001"))
    commit(repo.root, "add")
    result = document_history(HistoryOptions(root=system, document="PRO-001"))
    assert result.path == PRO
    assert [r.subject for r in result.revisions] == ["add"]


def test_id_lookup_by_git_grep_skips_files_that_only_refer_to_the_id(repo, monkeypatch):
    """The document is found among the files mentioning its id; the others are not read."""
    init(repo.root)
    repo.doc("policies/a.md", approved("POL-001", type="policy", related=["PRO-002"]))
    repo.doc("procedures/b.md", approved("PRO-002"))
    repo.doc("procedures/c.md", approved("PRO-003"))
    commit(repo.root, "Add", date="2026-06-01")
    import isodocs.analyses.history as history_module

    read: list[str] = []
    original = history_module.parse_document

    def spy(root, path, config, *args):
        read.append(path.relative_to(root).as_posix())
        return original(root, path, config, *args)

    def no_scan(*args):
        raise AssertionError("every file was read")
        yield

    monkeypatch.setattr(history_module, "parse_document", spy)
    monkeypatch.setattr(history_module, "_scan", no_scan)
    result = document_history(HistoryOptions(root=repo.root, document="PRO-002"))
    assert result.path == "procedures/b.md"
    assert read == ["policies/a.md", "procedures/b.md"]  # discover's order; procedures/c.md never read


def test_id_lookup_finds_untracked_ignored_and_non_git_documents(repo):
    repo.doc("procedures/untracked.md", approved("PRO-010"))
    repo.doc("procedures/ignored.md", approved("PRO-011"))
    outside_git = document_history(HistoryOptions(root=repo.root, document="PRO-011"))
    assert outside_git.path == "procedures/ignored.md"
    init(repo.root)
    repo.write(".gitignore", "procedures/ignored.md\n")
    assert document_history(HistoryOptions(root=repo.root, document="PRO-010")).path == "procedures/untracked.md"
    assert document_history(HistoryOptions(root=repo.root, document="PRO-011")).path == "procedures/ignored.md"


def test_history_command_imports_no_rules_no_schema_validator_no_gitpython(repo):
    """Startup is most of `isodocs history` on a small repository: it loads only what it uses."""
    build_lifecycle(repo)
    script = (
        "import sys\n"
        "from isodocs.cli import main\n"
        "try:\n"
        "    main(['-C', sys.argv[1], 'history', 'PRO-001'])\n"
        "except SystemExit as stop:\n"
        "    assert stop.code == 0, stop.code\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(repo.root)], capture_output=True, text=True, check=True)
    modules = set(done.stdout.splitlines()[-1].split())
    assert "isodocs.analyses.history" in modules and "isodocs.readers.git" in modules
    unwanted = {"git", "jsonschema", "isodocs.rules", "isodocs.app.check", "isodocs.readers.catalog",
                "isodocs.site"}
    assert not unwanted & modules, unwanted & modules
