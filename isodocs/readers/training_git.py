"""What git knows about training: the versions each document ever had, and who added an acknowledgement.

Both come from one ``git log`` each, for the whole repository, never one per
record: ``document_versions`` reads every ``version:`` a document file ever had
(the folder log that ``isodocs history`` reads, then the old blobs in one
batch), and ``adding_commits`` the commits between the base and HEAD that
added a file, with their authors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from isodocs.model.system import ResultsCache
from isodocs.readers.git import Commit, GitRepo, HistoryIndex, parse_log

_LOG_FORMAT = "%x1e%H%x1f%aI%x1f%an%x1f%ae%x1f%s"
_VERSION_LINE = re.compile(r"""^version:[ \t]*["']?([^"'\s#]+)""", re.MULTILINE)
_NOREPLY = re.compile(r"^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$", re.IGNORECASE)


@dataclass
class VersionHistory:
    """path -> every version its front matter ever had in git; ``created`` paths were followed back to creation."""

    versions: dict[str, set[str]] = field(default_factory=dict)
    created: set[str] = field(default_factory=set)  # paths whose whole history (renames followed) is known
    available: bool = True  # False outside git or in a shallow clone: nothing can be said

    def knows(self, path: str) -> bool:
        """Whether the whole history of ``path`` is known (so a version not in it never existed)."""
        return self.available and path in self.created


def document_versions(
    root: Path, folders: list[str], paths: Iterable[str], known: ResultsCache | None = None
) -> VersionHistory:
    """Every ``version:`` value each of ``paths`` had in any commit, renames followed back.

    One ``git log --raw -M`` of the document folders (``HistoryIndex``) says which
    blobs each file had; the blobs of ``paths`` are read by one ``git cat-file
    --batch``, except those whose version ``known`` (the parse cache: a blob id
    names its content) remembers. Nothing is run when ``paths`` is empty.
    """
    wanted = sorted(set(paths))
    if not wanted:
        return VersionHistory()
    index = HistoryIndex.build(root, folders)
    try:
        history = VersionHistory(available=index.complete and bool(index.commits))
        if not history.available:
            return history
        changes = {path: index.file_history(path) for path in wanted}
        remembered = {}
        for found in changes.values():
            for change in found:
                if change.blob and known is not None and (version := known.blob_version(change.blob)) is not None:
                    remembered[change.blob] = version
        index.prefetch([change for found in changes.values() for change in found if change.blob not in remembered])
        for path, found in changes.items():
            if found and found[-1].status == "A":
                history.created.add(path)
            for change in found:
                if change.blob is None:
                    continue
                version = remembered.get(change.blob)
                if version is None:
                    data = index.read(change)
                    version = (_front_version(data) if data is not None else None) or ""
                    if known is not None:
                        known.put_blob_version(change.blob, version)
                        remembered[change.blob] = version
                if version:
                    history.versions.setdefault(path, set()).add(version)
        return history
    finally:
        index.close()


def _front_version(data: bytes) -> str | None:
    """The ``version:`` of a file's front matter as written (a quick read of its first lines)."""
    text = data[:4096].decode("utf-8", "replace")
    end = text.find("\n---", 3)
    match = _VERSION_LINE.search(text[: end if end > 0 else len(text)])
    return match[1] if match else None


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
