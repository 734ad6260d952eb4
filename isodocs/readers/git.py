"""Git, read once per run: ``git log`` and one ``git cat-file`` process.

Git is the audit trail of the management system: every change to a document is
a commit. This module turns the repository's history into plain data without
one subprocess per file:

- ``HistoryIndex.build`` runs a single ``git log --raw -M -z`` over the document
  folders and indexes every change by path (renames included), so the history
  of any document is a dictionary lookup (the site, which shows every one);
- ``HistoryIndex.build(..., on_demand=True)`` is the same index for a few
  documents (``isodocs history``): the folder log without its diffs, then for
  each path a history visits, a log of that one path; see ``_load_path``;
- file contents at a revision come from one persistent ``git cat-file --batch``
  process, by blob id or ``REV:path``, or, for many blobs known in advance,
  from one ``git cat-file --batch`` run fed them all.

Git runs as a plain subprocess (``GitRepo.run``): GitPython, used before, took
a tenth of a second to import, more than the history of one document costs.

Paths are NUL-separated (``-z``), so spaces, quotes and non-ASCII names arrive
exactly as written. Everything here works, with a note instead of history, on a
repository without commits and outside any repository; a shallow clone is
detected and said to be incomplete rather than shown as the whole history.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, NamedTuple

GIT_EXECUTABLE = shutil.which("git")
GIT_INSTALLED = GIT_EXECUTABLE is not None

# Separators of our --format: a record starts with RS, fields are split by US.
_RECORD, _FIELD = "\x1e", "\x1f"
_LOG_FORMAT = "%x1e%H%x1f%aI%x1f%an%x1f%ae%x1f%s"

# Where the work tree is, where a shallow clone lists its boundary commits, and the commit
# HEAD names: one process for what GitRepo.open needs.
_FIND_REPOSITORY = ("rev-parse", "--show-toplevel", "--git-path", "shallow", "--verify", "-q", "HEAD^{commit}")

SHALLOW_HINT = (
    "this is a shallow clone, so history before {date} is missing: run `git fetch --unshallow`, "
    "or in GitHub Actions check out with `fetch-depth: 0`"
)


class GitError(Exception):
    """A git command failed (a damaged repository, not a missing one)."""


@dataclass
class GitRepo:
    """A git work tree holding the management system, possibly in a subfolder."""

    work_tree: Path
    prefix: str  # the isodocs root inside the work tree: "" or "sub/dir/"
    shallow_commits: frozenset[str]  # boundary commits of a shallow clone
    head: str | None  # the commit HEAD names; None before the first commit
    _cat_file: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    @classmethod
    def open(cls, root: Path) -> GitRepo | None:
        """The repository containing ``root``, or None when there is none (or no git)."""
        if GIT_EXECUTABLE is None:
            return None
        try:
            found = subprocess.run(
                [GIT_EXECUTABLE, *_FIND_REPOSITORY],
                cwd=root,
                capture_output=True,
            )
        except OSError:
            return None
        # Status 1 and no commit: HEAD names none yet. Any other failure (128): outside a
        # work tree (no repository, a bare one, inside .git, a repository of another owner).
        lines = os.fsdecode(found.stdout).split("\n")
        if (found.returncode, len(lines)) not in ((0, 4), (1, 3)):
            return None
        work_tree = Path(lines[0]).resolve()
        try:
            inside = root.resolve().relative_to(work_tree).as_posix()
        except ValueError:
            return None
        prefix = "" if inside in ("", ".") else inside + "/"
        shallow_file = root / lines[1]  # relative to root when not absolute
        shallow = frozenset(shallow_file.read_text().split()) if shallow_file.is_file() else frozenset()
        return cls(work_tree, prefix, shallow, lines[2] or None)

    @property
    def shallow(self) -> bool:
        return bool(self.shallow_commits)

    def run(self, *args: str, input: bytes | None = None) -> str:
        """The output of ``git ARGS`` in the work tree; GitError when git fails."""
        assert GIT_EXECUTABLE is not None
        # stderr goes to a file: with one pipe, Python reads the output in one loop instead of
        # polling two pipes for every chunk git writes (a log writes one per commit).
        with tempfile.TemporaryFile() as errors:
            done = subprocess.run(
                [GIT_EXECUTABLE, *args], cwd=self.work_tree, input=input, stdout=subprocess.PIPE, stderr=errors
            )
            if done.returncode != 0:
                errors.seek(0)
                raise GitError(f"git {args[0]} failed: {os.fsdecode(errors.read()).strip()}")
        return os.fsdecode(done.stdout)

    def has_commits(self) -> bool:
        return self.head is not None

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
            return self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}").strip()
        except GitError:
            return None

    def read(self, ref: str) -> bytes | None:
        """Contents of a blob (by id or ``REV:path``) via the persistent cat-file process."""
        if "\n" in ref:  # cat-file reads one name per line
            return None
        process = self._blob_process()
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(os.fsencode(ref) + b"\n")
        process.stdin.flush()
        # "<id> <type> <size>", or "<ref> missing" / "<ref> ambiguous" (the ref may hold spaces)
        header = process.stdout.readline().split()
        if not header:
            raise GitError("git cat-file stopped answering")
        if len(header) != 3 or not header[2].isdigit():
            return None
        data = _read_exactly(process.stdout, int(header[2]) + 1)[:-1]  # the contents, then a newline
        return data if header[1] == b"blob" else None

    def _blob_process(self) -> subprocess.Popen[bytes]:
        if self._cat_file is None:
            assert GIT_EXECUTABLE is not None
            self._cat_file = subprocess.Popen(
                [GIT_EXECUTABLE, "cat-file", "--batch"],
                cwd=self.work_tree,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        return self._cat_file

    def read_many(self, ids: list[str]) -> dict[str, memoryview]:
        """Contents of many blobs by id, from one ``git cat-file --batch`` run fed all of them at once.

        The persistent process answers one object per round trip (write, flush, wait,
        read): for the ten thousand old revisions of a large site, that waiting and
        the two processes' per-object overhead cost more than the reading. Missing
        objects and other kinds are left out; so is everything when git fails. The
        contents are views into git's one output, not copies of it (at 10,000
        documents, 35 MB of old revisions held twice raised a build's peak memory).
        """
        if not ids:
            return {}
        try:
            assert GIT_EXECUTABLE is not None
            done = subprocess.run(  # fixed argv, no shell
                [GIT_EXECUTABLE, "cat-file", "--batch", "--buffer"],
                cwd=self.work_tree,
                input="".join(f"{oid}\n" for oid in ids).encode("ascii"),
                capture_output=True,
                check=False,
            )
        except OSError:
            return {}
        if done.returncode != 0:
            return {}
        out, view = done.stdout, memoryview(done.stdout)
        found: dict[str, memoryview] = {}
        position = 0
        while position < len(out):
            line_end = out.index(b"\n", position)
            header = out[position:line_end].split()
            position = line_end + 1
            if len(header) != 3:  # "<id> missing"
                continue
            size = int(header[2])
            if header[1] == b"blob":
                found[header[0].decode("ascii")] = view[position : position + size]
            position += size + 1  # the object and its newline
        return found

    def close(self) -> None:
        if self._cat_file is not None:
            assert self._cat_file.stdin is not None and self._cat_file.stdout is not None
            self._cat_file.stdin.close()
            self._cat_file.wait()
            self._cat_file.stdout.close()
            self._cat_file = None


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise GitError("git cat-file stopped in the middle of an object")
    return data


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
    status: str  # A added, M modified, D deleted, R renamed, C copied, T type changed
    path: str  # relative to the isodocs root; for D the path that was deleted
    old_path: str | None  # the path before a rename
    blob: str | None  # contents after the commit; None when deleted


class RawChange(NamedTuple):
    """One line of ``git log --raw``, paths as git gives them (relative to the work tree)."""

    status: str  # as git writes it, e.g. "M" or "R087"
    path: str
    old_path: str | None  # renames and copies
    blob: str  # contents after the commit (zeros when deleted)


def parse_log(output: str) -> Iterator[tuple[str, list[RawChange]]]:
    """(header, changes) of each commit of ``git log -z [--raw] --format=%x1e...``."""
    for record in output.split(_RECORD)[1:]:
        header, _, raw = record.partition("\0")
        tokens = raw.lstrip("\n").split("\0")
        changes: list[RawChange] = []
        position = 0
        while position < len(tokens) and tokens[position].startswith(":"):
            meta = tokens[position].split()
            status = meta[-1]
            if status[0] in "RC":
                changes.append(RawChange(status, tokens[position + 2], tokens[position + 1], meta[3]))
                position += 3
            else:
                changes.append(RawChange(status, tokens[position + 1], None, meta[3]))
                position += 2
        yield header, changes


@dataclass
class HistoryIndex:
    """Every change to the document folders, indexed by path, from one git log."""

    git: GitRepo | None
    commits: list[Commit] = field(default_factory=list)  # newest first
    by_path: dict[str, list[FileChange]] = field(default_factory=dict)  # newest first
    notes: list[str] = field(default_factory=list)
    pathspecs: list[str] = field(default_factory=list)
    # Set when changes are read per path, on demand: each commit of the folder log -> its order.
    on_demand: dict[str, int] | None = None
    _read: dict[str, memoryview] = field(default_factory=dict, repr=False)  # blob id -> contents, from prefetch

    @classmethod
    def build(cls, root: Path, folders: list[str], on_demand: bool = False) -> HistoryIndex:
        """Index the history of ``folders`` (relative to ``root``) with one git log.

        With ``on_demand``, the log lists the commits only, and the changes of a
        path are read when ``file_history`` first asks for them: for a few
        documents, not all. ``file_history`` gives the same either way.
        """
        repo = GitRepo.open(root)
        if repo is None and not GIT_INSTALLED:
            return cls(None, notes=["git is not installed: there is no revision history"])
        if repo is None:
            return cls(None, notes=["not a git repository: there is no revision history (run `git init`)"])
        index = cls(repo, pathspecs=repo.pathspecs(folders))
        if not repo.has_commits():
            index.notes.append("the repository has no commits yet: history starts with the first commit")
            return index
        on_demand = on_demand and all(map(_plain, index.pathspecs))
        diffs = () if on_demand else ("--raw", "--no-abbrev", "-M")
        output = repo.run("log", "-z", *diffs, "--no-color", f"--format={_LOG_FORMAT}", "--", *index.pathspecs)
        index._parse(output)
        if on_demand:
            index.on_demand = {commit.sha: order for order, commit in enumerate(index.commits)}
        if repo.shallow:
            oldest = index.commits[-1].day if index.commits else "the clone"
            index.notes.append(SHALLOW_HINT.format(date=oldest))
        return index

    @property
    def complete(self) -> bool:
        return self.git is not None and not self.git.shallow

    def _parse(self, output: str) -> None:
        assert self.git is not None
        for order, (header, changes) in enumerate(parse_log(output)):
            sha, date, author, email, subject = header.split(_FIELD, 4)
            commit = Commit(sha, date, author, email, subject)
            self.commits.append(commit)
            for change in changes:
                self._add(commit, order, change)

    def _add(self, commit: Commit, order: int, change: RawChange) -> None:
        assert self.git is not None
        path = self.git.from_git(change.path)
        if path is None:
            return
        old_path = self.git.from_git(change.old_path) if change.old_path else None
        blob = None if change.status == "D" else change.blob
        self.by_path.setdefault(path, []).append(FileChange(commit, order, change.status[0], path, old_path, blob))

    def _changes(self, path: str) -> list[FileChange]:
        if self.on_demand is not None and path not in self.by_path:
            self._load_path(path)
        return self.by_path.get(path, [])

    def _load_path(self, path: str) -> None:
        """Read the changes of ``path`` that the full index would hold, with two small logs.

        The full index holds, for each non-merge commit of the folder log, the
        entries of its diff with ``-M``. A log of the one path (``--full-history``:
        every commit that changed it, whichever way a merge went; those the folder
        log left out are dropped) gives the same entries, except where a rename
        pairs the path with another file: only an added or deleted path can be
        in one, so those few commits are diffed again over the folders with
        ``-M``, as the full log diffs them.
        """
        assert self.git is not None and self.on_demand is not None
        self.by_path[path] = []
        target = self.git.to_git(path)
        if not any(_covers(spec, target) for spec in self.pathspecs):
            return  # the folder log never shows it
        output = self.git.run(
            "log", "--full-history", "--no-follow", "--no-renames", "-z", "--raw", "--no-abbrev", "--no-color",
            "--format=%x1e%H", "--", f":(literal){target}",
        )  # fmt: skip
        found: dict[str, RawChange] = {}
        for sha, changes in parse_log(output):
            if sha in self.on_demand:
                found.update((sha, change) for change in changes if change.path == target)
        paired = [sha for sha, change in found.items() if change.status in ("A", "D")]
        if paired:
            output = self.git.run(
                "log", "--no-walk", "--stdin", "-z", "--raw", "--no-abbrev", "-M", "--no-color", "--format=%x1e%H",
                "--", *self.pathspecs, input="\n".join(paired).encode(),
            )  # fmt: skip
            for sha in paired:
                del found[sha]
            for sha, changes in parse_log(output):
                found.update((sha, change) for change in changes if change.path == target)
        for sha, change in sorted(found.items(), key=lambda item: self.on_demand[item[0]]):  # type: ignore[index]
            order = self.on_demand[sha]
            self._add(self.commits[order], order, change)

    def file_history(self, path: str) -> list[FileChange]:
        """Changes to the file now at ``path``, newest first, following renames back."""
        result: list[FileChange] = []
        current: str | None = path
        after = -1  # only changes older than the rename we came through
        while current is not None:
            previous, current = current, None
            for change in self._changes(previous):
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
        return bytes(data) if data is not None else self.git.read(change.blob)

    def is_boundary(self, commit: Commit) -> bool:
        """Whether history before this commit was not fetched (shallow clone)."""
        return self.git is not None and commit.sha in self.git.shallow_commits

    def close(self) -> None:
        self._read.clear()  # the prefetched contents: one buffer of every old revision
        if self.git is not None:
            self.git.close()


def _plain(pathspec: str) -> bool:
    """Whether git matches this pathspec as a plain path: itself and what is under it."""
    return pathspec not in ("", ".") and not pathspec.startswith(":") and not any(c in pathspec for c in "*?[\\")


def _covers(pathspec: str, path: str) -> bool:
    """Whether the plain ``pathspec`` matches ``path``, as git matches it."""
    return path == pathspec or path.startswith(pathspec.rstrip("/") + "/")
