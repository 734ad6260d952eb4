"""What git knows about training: the versions each document ever had, and who added an acknowledgement.

Both come from one ``git log`` each, for the whole repository, never one per
record: ``document_versions`` lists every ``version:`` line a document file ever
had (``-G`` keeps only the commits that changed one), and ``adding_authors``
the author of each commit between the base and HEAD that added a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from isodocs.readers.git import Commit, GitError, GitRepo, parse_log

_LOG_FORMAT = "%x1e%H%x1f%aI%x1f%an%x1f%ae%x1f%s"
_VERSION_LINE = re.compile(r"""^[+-]version:\s*["']?([^"'\s#]+)["']?\s*(?:#.*)?$""")
_NOREPLY = re.compile(r"^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$", re.IGNORECASE)


@dataclass
class VersionHistory:
    """path -> every version its front matter ever had in git; ``complete`` paths were seen from creation."""

    versions: dict[str, set[str]] = field(default_factory=dict)
    created: set[str] = field(default_factory=set)  # paths whose creation is in the log
    available: bool = True  # False outside git or in a shallow clone: nothing can be said

    def knows(self, path: str) -> bool:
        """Whether the whole history of ``path`` is known (so a version not in it never existed)."""
        return self.available and path in self.created


def document_versions(repo: GitRepo | None, folders: Iterable[str]) -> VersionHistory:
    """Every ``version:`` value each file of ``folders`` had in any commit, from one ``git log -p -G``.

    The log covers the folders, not single paths, so that git pairs a rename (-M):
    a path renamed keeps its earlier versions under its old name, is not marked
    ``created`` and so is not judged.
    """
    wanted = repo.pathspecs(list(folders)) if repo else []
    history = VersionHistory(available=repo is not None and repo.has_commits() and not repo.shallow)
    if repo is None or not history.available or not wanted:
        return history
    try:
        output = repo.run(
            *("-c", "core.quotePath=false", "log", "-p", "-M", "--no-color", "--unified=0", "--no-ext-diff"),
            *("-G", "^version:", "--format=%x1e", "--", *wanted),
        )
    except GitError:
        history.available = False
        return history
    path: str | None = None
    new_file = False
    for line in output.split("\n"):
        if line.startswith("diff --git "):
            path, new_file = None, False
        elif line.startswith("new file mode"):
            new_file = True
        elif line.startswith("+++ ") and path is None:
            target = line[4:]
            path = repo.from_git(target[2:]) if target.startswith("b/") else None
            if path is not None and new_file:
                history.created.add(path)
        elif path is not None and (match := _VERSION_LINE.match(line)):
            history.versions.setdefault(path, set()).add(match[1])
    return history


def adding_commits(repo: GitRepo, base: str, paths: Iterable[str]) -> dict[str, list[Commit]]:
    """path -> the commits between ``base`` and HEAD that added it (one ``git log``)."""
    wanted = {repo.to_git(path): path for path in paths}
    if not wanted or not repo.has_commits():
        return {}
    output = repo.run(
        "log",
        "-z",
        "--raw",
        "--no-abbrev",
        "--diff-filter=A",
        "--no-renames",
        "--no-color",
        f"--format={_LOG_FORMAT}",
        f"{base}..HEAD",
        "--",
        *wanted,
    )
    added: dict[str, list[Commit]] = {}
    for header, changes in parse_log(output):
        sha, date, author, email, subject = header.split("\x1f", 4)
        commit = Commit(sha, date, author, email, subject)
        for change in changes:
            if change.path in wanted:
                added.setdefault(wanted[change.path], []).append(commit)
    return added


def authored_by(commit: Commit, email: str, github: str) -> bool:
    """Whether the commit's author is the person with this email or GitHub login.

    GitHub's web editor and many clients commit as ``[ID+]LOGIN@users.noreply.github.com``.
    """
    author_email = commit.email.strip().lower()
    if email and author_email == email.strip().lower():
        return True
    if github:
        login = github.strip().lower()
        noreply = _NOREPLY.match(author_email)
        if (noreply and noreply[1].lower() == login) or commit.author.strip().lower() == login:
            return True
    return False
