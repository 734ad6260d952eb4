"""Git, read once per run: one ``git log`` pass and one ``git cat-file`` process.

Git is the audit trail of the management system: every change to a document is
a commit. This module turns the repository's history into plain data without
one subprocess per file:

- ``HistoryIndex.build`` runs a single ``git log --raw -M -z`` over the document
  folders and indexes every change by path (renames included), so the history
  of any document is a dictionary lookup;
- file contents at a revision come from one persistent ``git cat-file --batch``
  process (GitPython's object database), by blob id or ``REV:path``, or, for
  many blobs known in advance, from one ``git cat-file --batch`` run fed them all.

Paths are NUL-separated (``-z``), so spaces, quotes and non-ASCII names arrive
exactly as written. Everything here works, with a note instead of history, on a
repository without commits and outside any repository; a shallow clone is
detected and said to be incomplete rather than shown as the whole history.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

try:
    import git
except ImportError:  # GitPython refuses to import when there is no git executable
    git = None  # type: ignore[assignment]

GIT_INSTALLED = git is not None
GitCommandError: type[Exception] = git.GitCommandError if git is not None else OSError

# Separators of our --format: a record starts with RS, fields are split by US.
_RECORD, _FIELD = "\x1e", "\x1f"
_LOG_FORMAT = "%x1e%H%x1f%aI%x1f%an%x1f%ae%x1f%s"

SHALLOW_HINT = (
    "this is a shallow clone, so history before {date} is missing: run `git fetch --unshallow`, "
    "or in GitHub Actions check out with `fetch-depth: 0`"
)


@dataclass
class GitRepo:
    """A git work tree holding the management system, possibly in a subfolder."""

    repo: git.Repo
    prefix: str  # the isodocs root inside the work tree: "" or "sub/dir/"
    shallow_commits: frozenset[str]  # boundary commits of a shallow clone

    @classmethod
    def open(cls, root: Path) -> GitRepo | None:
        """The repository containing ``root``, or None when there is none (or no git)."""
        if git is None:
            return None
        try:
            repo = git.Repo(root, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            return None
        if repo.bare or repo.working_tree_dir is None:
            return None
        work_tree = Path(repo.working_tree_dir).resolve()
        try:
            inside = root.resolve().relative_to(work_tree).as_posix()
        except ValueError:
            return None
        prefix = "" if inside in ("", ".") else inside + "/"
        shallow_file = Path(repo.common_dir) / "shallow"
        shallow = frozenset(shallow_file.read_text().split()) if shallow_file.is_file() else frozenset()
        return cls(repo, prefix, shallow)

    @property
    def shallow(self) -> bool:
        return bool(self.shallow_commits)

    def has_commits(self) -> bool:
        return self.repo.head.is_valid()

    def to_git(self, rel: str) -> str:
        return self.prefix + rel

    def from_git(self, path: str) -> str | None:
        """A work-tree path relative to the isodocs root; None when outside it."""
        if not self.prefix:
            return path
        return path[len(self.prefix) :] if path.startswith(self.prefix) else None

    def pathspecs(self, folders: list[str]) -> list[str]:
        return [self.to_git(folder.strip("/")) for folder in folders] or ["."]

    def resolve(self, rev: str) -> str | None:
        """The commit a revision names, or None when it names none."""
        try:
            return self.repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        except GitCommandError:
            return None

    def read(self, ref: str) -> bytes | None:
        """Contents of a blob (by id or ``REV:path``) via the persistent cat-file process."""
        try:
            _sha, kind, _size, data = self.repo.git.get_object_data(ref)
        except ValueError:  # missing object
            return None
        return data if kind in (b"blob", "blob") else None

    def read_many(self, ids: list[str]) -> dict[str, bytes]:
        """Contents of many blobs by id, from one ``git cat-file --batch`` run fed all of them at once.

        The persistent process answers one object per round trip (write, flush, wait,
        read): for the ten thousand old revisions of a large site, that waiting and
        the two processes' per-object overhead cost more than the reading. Missing
        objects and other kinds are left out; so is everything when git fails.
        """
        if not ids:
            return {}
        try:
            done = subprocess.run(  # fixed argv, no shell
                [git.Git.GIT_PYTHON_GIT_EXECUTABLE or "git", "cat-file", "--batch", "--buffer"],
                cwd=self.repo.working_tree_dir,
                input="".join(f"{oid}\n" for oid in ids).encode("ascii"),
                capture_output=True,
                check=False,
            )
        except OSError:
            return {}
        if done.returncode != 0:
            return {}
        out, found, position = done.stdout, {}, 0
        while position < len(out):
            line_end = out.index(b"\n", position)
            header = out[position:line_end].split()
            position = line_end + 1
            if len(header) != 3:  # "<id> missing"
                continue
            size = int(header[2])
            if header[1] == b"blob":
                found[header[0].decode("ascii")] = out[position : position + size]
            position += size + 1  # the object and its newline
        return found

    def close(self) -> None:
        self.repo.close()


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # author date, ISO 8601
    author: str
    email: str
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:8]

    @property
    def day(self) -> str:
        return self.date[:10]


class FileChange(NamedTuple):
    """One path changed by one commit (a named tuple: the log of a large repository holds tens of thousands)."""

    commit: Commit
    order: int  # position in the log, 0 = newest
    status: str  # A added, M modified, D deleted, R renamed, T type changed
    path: str  # relative to the isodocs root; for D the path that was deleted
    old_path: str | None  # the path before a rename
    blob: str | None  # contents after the commit; None when deleted


@dataclass
class HistoryIndex:
    """Every change to the document folders, indexed by path, from one git log."""

    git: GitRepo | None
    commits: list[Commit] = field(default_factory=list)  # newest first
    by_path: dict[str, list[FileChange]] = field(default_factory=dict)  # newest first
    notes: list[str] = field(default_factory=list)
    _read: dict[str, bytes] = field(default_factory=dict, repr=False)  # blob id -> contents, from prefetch

    @classmethod
    def build(cls, root: Path, folders: list[str]) -> HistoryIndex:
        """Index the history of ``folders`` (relative to ``root``) with one git log."""
        repo = GitRepo.open(root)
        if repo is None and not GIT_INSTALLED:
            return cls(None, notes=["git is not installed: there is no revision history"])
        if repo is None:
            return cls(None, notes=["not a git repository: there is no revision history (run `git init`)"])
        index = cls(repo)
        if not repo.has_commits():
            index.notes.append("the repository has no commits yet: history starts with the first commit")
            return index
        output = repo.repo.git.log(
            "-z", "--raw", "--no-abbrev", "-M", "--no-color", f"--format={_LOG_FORMAT}", "--", *repo.pathspecs(folders)
        )
        index._parse(output)
        if repo.shallow:
            oldest = index.commits[-1].day if index.commits else "the clone"
            index.notes.append(SHALLOW_HINT.format(date=oldest))
        return index

    @property
    def complete(self) -> bool:
        return self.git is not None and not self.git.shallow

    def _parse(self, output: str) -> None:
        assert self.git is not None
        for order, record in enumerate(output.split(_RECORD)[1:]):
            header, _, raw = record.partition("\0")
            sha, date, author, email, subject = header.split(_FIELD, 4)
            commit = Commit(sha, date, author, email, subject)
            self.commits.append(commit)
            tokens = raw.lstrip("\n").split("\0")
            position = 0
            while position < len(tokens) and tokens[position].startswith(":"):
                meta = tokens[position].split()
                status, new_blob = meta[-1], meta[3]
                if status[0] in "RC":
                    old, new = tokens[position + 1], tokens[position + 2]
                    position += 3
                else:
                    old, new = None, tokens[position + 1]
                    position += 2
                path = self.git.from_git(new)
                if path is None:
                    continue
                old_path = self.git.from_git(old) if old else None
                blob = None if status == "D" else new_blob
                change = FileChange(commit, order, status[0], path, old_path, blob)
                self.by_path.setdefault(path, []).append(change)

    def file_history(self, path: str) -> list[FileChange]:
        """Changes to the file now at ``path``, newest first, following renames back."""
        result: list[FileChange] = []
        current: str | None = path
        after = -1  # only changes older than the rename we came through
        while current is not None:
            previous, current = current, None
            for change in self.by_path.get(previous, []):
                if change.order <= after:
                    continue
                result.append(change)
                if change.status == "R" and change.old_path:
                    current, after = change.old_path, change.order
                    break
                if change.status == "A":
                    return result
        return result

    def prefetch(self, changes: list[FileChange]) -> None:
        """Read the contents of ``changes`` in one go; ``read`` then answers from memory."""
        if self.git is not None:
            self._read.update(self.git.read_many(sorted({c.blob for c in changes if c.blob})))

    def read(self, change: FileChange) -> bytes | None:
        if self.git is None or change.blob is None:
            return None
        data = self._read.get(change.blob)
        return data if data is not None else self.git.read(change.blob)

    def is_boundary(self, commit: Commit) -> bool:
        """Whether history before this commit was not fetched (shallow clone)."""
        return self.git is not None and commit.sha in self.git.shallow_commits

    def close(self) -> None:
        if self.git is not None:
            self.git.close()
