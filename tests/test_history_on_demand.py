"""The history index read per path on demand gives what the full index gives.

``isodocs history`` builds ``HistoryIndex.build(..., on_demand=True)``: the
folder log without diffs, then one small log per path a history visits. These
tests generate histories with branches and merges (including merges that throw
a side's changes away, and cherry-picks, where git's history simplification
prunes differently for one file than for the folders), renames, a deleted file
renamed twice (a rename and a copy), deletions, re-creations, type changes and
files outside the document folders, and compare ``file_history`` of every path
with the full index's.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from isodocs.readers.git import HistoryIndex
from tests.gitutil import git, init

FOLDERS = ["procedures", "policies"]


def try_git(root: Path, *args: str, date: str | None = None) -> bool:
    try:
        git(root, *args, date=date)
    except AssertionError:
        return False
    return True


class HistoryMaker:
    """Random commits on random branches of the repository at ``root``, under ``prefix``."""

    def __init__(self, root: Path, seed: int, prefix: str = "") -> None:
        self.root, self.prefix = root, prefix
        self.random = random.Random(seed)
        self.counter = 0
        self.day = 0

    def text(self) -> str:
        self.counter += 1
        lines = [f"line {self.counter}-{n} {self.random.random()}" for n in range(12)]
        return "\n".join(lines) + "\n"

    def files(self) -> list[str]:
        """The regular files of the working tree (what the next commit holds)."""
        found = []
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = [name for name in dirs if name != ".git"]
            for name in names:
                path = Path(folder, name)
                if not path.is_symlink() and name != "isodocs.yml":
                    found.append(path.relative_to(self.root).as_posix())
        return sorted(found)

    def new_path(self) -> str:
        folder = self.random.choice([*FOLDERS, "outside", "procedures/sub"])
        return f"{self.prefix}{folder}/f{self.random.randrange(40)}.md"

    def write(self, path: str, text: str) -> None:
        file = self.root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        if file.is_symlink():
            file.unlink()
        file.write_text(text)

    def change(self) -> None:
        """One to three random changes to the working tree."""
        for _ in range(self.random.choice([1, 1, 2, 3])):
            self.one_change()

    def one_change(self) -> None:
        files = self.files()
        kind = self.random.choice(
            ["edit", "edit", "add", "rename", "rename-edit", "delete", "copy", "split", "recreate", "symlink"]
        )
        if not files or kind == "add":
            path = self.new_path()
            self.write(path, self.text())
            return
        source = self.random.choice(files)
        target = self.new_path()
        if kind == "edit":
            with open(self.root / source, "a") as handle:
                handle.write(f"edit {self.counter}\n")
            self.counter += 1
        elif kind in ("rename", "rename-edit") and not (self.root / target).exists():
            (self.root / target).parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.root / source, self.root / target)
            if kind == "rename-edit":
                with open(self.root / target, "a") as handle:
                    handle.write("renamed and edited\n")
        elif kind == "delete":
            (self.root / source).unlink()
        elif kind == "copy" and not (self.root / target).exists():
            self.write(target, (self.root / source).read_text())
        elif kind == "split":  # the source goes; two files take its contents (a rename and a copy)
            text = (self.root / source).read_text()
            (self.root / source).unlink()
            for path in {self.new_path() for _ in range(2)}:
                if not (self.root / path).exists():
                    self.write(path, text)
        elif kind == "recreate":  # delete, commit, then the same path again later
            (self.root / source).unlink()
            self.commit()
            self.write(source, self.text())
        elif kind == "symlink":
            (self.root / source).unlink()
            (self.root / source).symlink_to("elsewhere.md")

    def commit(self) -> None:
        self.day += 1
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "--allow-empty", "-m", f"change {self.day}", date=self._date())

    def _date(self) -> str:
        return f"2026-{1 + self.day // 28 % 12:02d}-{1 + self.day % 28:02d}"

    def branch_and_merge(self, name: str) -> None:
        """A side branch, commits on both sides, then a merge of one of several kinds."""
        git(self.root, "checkout", "-q", "-b", name)
        side_commits = []
        for _ in range(self.random.randrange(1, 4)):
            self.change()
            self.commit()
            side_commits.append(git(self.root, "rev-parse", "HEAD").strip())
        git(self.root, "checkout", "-q", "main")
        for _ in range(self.random.randrange(0, 3)):
            self.change()
            self.commit()
        how = self.random.choice(["merge", "merge", "ours", "cherry-pick"])
        if how == "cherry-pick":  # the same change on both sides: each side changed the file
            if not try_git(self.root, "cherry-pick", "--allow-empty", side_commits[0], date=self._date()):
                try_git(self.root, "cherry-pick", "--abort")
        strategy = ["-s", "ours"] if how == "ours" else ["-X", "theirs"]
        if not try_git(self.root, "merge", "-q", "--no-edit", *strategy, name, date=self._date()):
            # a conflict -X theirs cannot settle (e.g. a rename against a deletion)
            try_git(self.root, "merge", "--abort")
            git(self.root, "merge", "-q", "--no-edit", "-s", "ours", name, date=self._date())

    def make(self, commits: int) -> None:
        init(self.root)
        self.change()
        self.commit()
        for number in range(commits):
            if self.random.random() < 0.25:
                self.branch_and_merge(f"side{number}")
            else:
                self.change()
                self.commit()


def assert_same_histories(root: Path, extra: list[str] = ()) -> int:
    """Compare the two indexes for every path any commit touched, inside the folders or not."""
    touched = git(root, "log", "--all", "-z", "--name-only", "--format=", "--relative").split("\0")
    full = HistoryIndex.build(root, FOLDERS)
    lazy = HistoryIndex.build(root, FOLDERS, on_demand=True)
    try:
        assert lazy.on_demand is not None and not lazy.by_path
        assert lazy.commits == full.commits and lazy.notes == full.notes
        paths = sorted({*full.by_path, *extra, *(path.strip() for path in touched if path.strip())})
        for path in paths:
            assert lazy.file_history(path) == full.file_history(path), path
        for path in full.by_path:  # every change the on-demand index read is one the full index holds
            assert lazy.by_path.get(path, full.by_path[path]) == full.by_path[path], path
        return len(paths)
    finally:
        full.close()
        lazy.close()


@pytest.mark.parametrize("seed", range(4))
def test_on_demand_index_equals_full_index_on_generated_histories(tmp_path, seed):
    maker = HistoryMaker(tmp_path, seed)
    maker.make(30)
    assert git(tmp_path, "rev-list", "--merges", "HEAD").strip(), "the history should hold merges"
    outside = ["outside/f1.md", "procedures", "procedures/nothing-here.md"]
    assert assert_same_histories(tmp_path, outside) > 10


def test_on_demand_index_equals_full_index_below_the_work_tree_root(tmp_path):
    maker = HistoryMaker(tmp_path, seed=11, prefix="qms/")
    maker.make(20)
    (tmp_path / "qms/isodocs.yml").write_text("organization: X\n")
    assert assert_same_histories(tmp_path / "qms", ["../outside.md"]) > 5


def test_on_demand_index_equals_full_index_in_a_shallow_clone(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    HistoryMaker(source, seed=3).make(20)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "8", f"file://{source}", str(clone))
    assert assert_same_histories(clone) > 3


def test_a_deleted_file_in_two_new_files_is_followed_as_the_full_index_does(tmp_path):
    """A deleted file whose contents reappear in two new files: git pairs it with one of them."""
    init(tmp_path)
    maker = HistoryMaker(tmp_path, seed=0)
    maker.write("procedures/a.md", maker.text())
    maker.commit()
    text = (tmp_path / "procedures/a.md").read_text()
    (tmp_path / "procedures/a.md").unlink()
    maker.write("procedures/b.md", text)
    maker.write("policies/c.md", text)
    maker.commit()
    lazy = HistoryIndex.build(tmp_path, FOLDERS, on_demand=True)
    statuses = {
        path: [change.status for change in lazy.file_history(path)] for path in ("procedures/b.md", "policies/c.md")
    }
    assert sorted(statuses.values()) == [["A"], ["R", "A"]]
    lazy.close()
    assert_same_histories(tmp_path, ["procedures/a.md"])


def test_globbing_folders_fall_back_to_the_full_log(tmp_path):
    init(tmp_path)
    maker = HistoryMaker(tmp_path, seed=0)
    maker.write("procedures/a.md", maker.text())
    maker.commit()
    index = HistoryIndex.build(tmp_path, ["proc*"], on_demand=True)
    assert index.on_demand is None
    assert [change.path for change in index.file_history("procedures/a.md")] == ["procedures/a.md"]
    index.close()


def test_odd_file_names_give_the_same_history_on_demand(tmp_path):
    """Spaces, non-ASCII letters, glob characters (``a[1].md`` would match ``a1.md``) and a colon."""
    init(tmp_path)
    maker = HistoryMaker(tmp_path, seed=0)
    names = ["procedures/a[1].md", "procedures/a1.md", "procedures/*.md", "procedures/:(icase)x.md", "policies/ä b?.md"]
    for name in names:
        maker.write(name, maker.text())
        maker.commit()
    for name in names:
        with open(tmp_path / name, "a") as handle:
            handle.write("edited\n")
        maker.commit()
    os.replace(tmp_path / "procedures/a[1].md", tmp_path / "policies/a[1] moved.md")
    maker.commit()
    lazy = HistoryIndex.build(tmp_path, FOLDERS, on_demand=True)
    assert [change.status for change in lazy.file_history("policies/a[1] moved.md")] == ["R", "M", "A"]
    lazy.close()
    assert assert_same_histories(tmp_path) == len(names) + 1
