"""The repository as it was at one git revision, read without touching the working tree.

``isodocs pack --at REV`` must show what REV held, not what the working tree
holds now, and must leave the working tree, the index and the refs of the
repository alone. A shared clone (``git clone --shared --no-checkout``) in a
temporary folder borrows the repository's objects instead of copying them;
checking REV out there gives a complete repository whose HEAD is REV: the
loader, the rules and the site's revision history (``git log`` from HEAD, so
history up to REV and no later) then read it exactly as they read any
repository. The temporary folder is removed when the pack is written.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from isodocs.errors import UsageError
from isodocs.readers.git import GIT_EXECUTABLE, GitError, GitRepo


@dataclass(frozen=True)
class RevisionInfo:
    """The commit a pack is made from."""

    rev: str  # as the user named it (HEAD, a tag, a branch, a commit)
    sha: str
    committed: dt.datetime  # the committer date, with its time zone: the pack's issue date
    tags: tuple[str, ...]  # tags that point at the commit, sorted

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def issued(self) -> dt.date:
        return self.committed.date()

    @property
    def utc(self) -> dt.datetime:
        return self.committed.astimezone(dt.timezone.utc)


def describe(repo: GitRepo, rev: str) -> RevisionInfo:
    """The commit ``rev`` names in ``repo``. Raises UsageError (exit 2) when it names none."""
    sha = repo.resolve(rev) if not rev.startswith("-") else None
    if sha is None:
        hint = " This is a shallow clone: fetch the history first." if repo.shallow else ""
        raise UsageError(f"--at {rev}: no such revision; name a tag, a branch or a commit of this repository.{hint}")
    committed = repo.run("show", "-s", "--no-color", "--format=%cI", sha).strip()
    tags = repo.run("tag", "--points-at", sha).split()
    return RevisionInfo(rev=rev, sha=sha, committed=dt.datetime.fromisoformat(committed), tags=tuple(sorted(tags)))


def _git(cwd: Path, *args: str) -> None:
    assert GIT_EXECUTABLE is not None
    # No hooks and no user-wide filters: the clone only reads what git stores.
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_LFS_SKIP_SMUDGE": "1"}
    done = subprocess.run([GIT_EXECUTABLE, *args], cwd=cwd, capture_output=True, env=env, check=False)
    if done.returncode != 0:
        raise GitError(f"git {args[0]} failed: {os.fsdecode(done.stderr).strip()}")


@contextmanager
def checkout(root: Path, rev: str) -> Iterator[tuple[Path, RevisionInfo]]:
    """(the isodocs root as it was at ``rev``, the commit), in a temporary folder removed afterwards.

    Raises UsageError (exit 2) outside a git repository and for a revision that names no commit.
    """
    repo = GitRepo.open(root)
    if GIT_EXECUTABLE is None:
        raise UsageError("isodocs pack reads the repository at a git revision, and no git executable was found")
    if repo is None:
        raise UsageError(f"isodocs pack reads the repository at a git revision, and {root} is not in a git repository")
    work = Path(tempfile.mkdtemp(prefix="isodocs-pack-"))
    try:
        try:
            info = describe(repo, rev)
            clone = work / "tree"
            _git(work, "clone", "--quiet", "--shared", "--no-checkout", "--", str(repo.work_tree), str(clone))
            _git(clone, "-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", info.sha)
        except GitError as error:
            raise UsageError(f"--at {rev}: cannot read that revision: {error}") from None
        finally:
            repo.close()
        yield (clone / repo.prefix if repo.prefix else clone), info
    finally:
        shutil.rmtree(work, ignore_errors=True)
