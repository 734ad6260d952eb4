"""``isodocs history``: a document's revision history, read from git.

Each commit that changed the document is one revision: its date, author and
subject, and the version and status the front matter had at that commit (read
with the same loader as the working tree). A commit that changed the status is
marked, e.g. ``draft -> approved``: that is the approval trail an auditor asks for.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from isodocs.errors import UsageError
from isodocs.model.config import Config
from isodocs.readers import safefs
from isodocs.readers.config import load_config
from isodocs.readers.discover import discover, is_document_path
from isodocs.readers.documents import decode_text, parse_document, parse_text
from isodocs.readers.git import FileChange, HistoryIndex


@dataclass
class HistoryOptions:
    root: Path
    document: str  # an id (PRO-003) or a path relative to the root


@dataclass
class Revision:
    sha: str
    date: str  # YYYY-MM-DD, author date
    author: str
    subject: str
    path: str
    change: str  # created | edited | renamed | deleted
    old_path: str | None
    version: str | None
    status: str | None
    status_change: str | None  # "draft -> approved" when this commit changed it
    boundary: bool = False  # a shallow clone's oldest commit: earlier history is missing

    def as_dict(self) -> dict[str, Any]:
        return {
            "sha": self.sha,
            "date": self.date,
            "author": self.author,
            "subject": self.subject,
            "path": self.path,
            "change": self.change,
            "old_path": self.old_path,
            "version": self.version,
            "status": self.status,
            "status_change": self.status_change,
            "history_truncated_here": self.boundary,
        }


@dataclass
class HistoryResult:
    id: str | None
    path: str
    revisions: list[Revision] = field(default_factory=list)  # newest first
    notes: list[str] = field(default_factory=list)
    complete: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "complete": self.complete,
            "notes": self.notes,
            "revisions": [revision.as_dict() for revision in self.revisions],
        }


CHANGE_NAMES = {"A": "created", "M": "edited", "T": "edited", "R": "renamed", "D": "deleted"}


def document_history(options: HistoryOptions) -> HistoryResult:
    """The revision history of one document. Raises UsageError (exit 2)."""
    config = load_config(options.root)
    doc_id, path = _locate(options.root, options.document, config)
    index = HistoryIndex.build(options.root, config.paths, on_demand=True)
    try:
        revisions = file_revisions(index, path, config)
    finally:
        index.close()
    return HistoryResult(id=doc_id, path=path, revisions=revisions, notes=index.notes, complete=index.complete)


# A blob's id -> (version, status) already known for it, e.g. from the loaded working tree.
KnownBlobs = dict[str, tuple[str | None, str | None]]


def blob_id(data: bytes) -> str:
    """The id git gives a file with these bytes (SHA-1 object ids)."""
    import hashlib  # here: only the site asks, and OpenSSL's loading is a few ms of every history

    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def file_revisions(index: HistoryIndex, path: str, config: Config, known: KnownBlobs | None = None) -> list[Revision]:
    """The revisions of the file now at ``path``, newest first, from an index built once.

    Build one ``HistoryIndex`` per run and call this for each document (e.g. for
    every page of the published site): git is not asked again per file. A blob
    in ``known`` (the same bytes as a file already parsed) is not read again.
    """
    revisions = [_revision(index, change, config, known) for change in index.file_history(path)]
    # Status changes read oldest to newest; the oldest revision has nothing before it.
    for older, newer in zip(revisions[1:], revisions[:-1], strict=False):
        if older.status != newer.status and older.status and newer.status:
            newer.status_change = f"{older.status} -> {newer.status}"
    return revisions


def _locate(root: Path, document: str, config: Config) -> tuple[str | None, str]:
    """(id, path) of the document named by id or by path."""
    if "/" in document or document.endswith(".md"):
        path = Path(document)
        absolute = path if path.is_absolute() else Path.cwd() / path
        if not absolute.exists():
            absolute = root / path  # relative to the repo root, e.g. a deleted document
        try:
            rel = absolute.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            raise UsageError(f"{document} is not inside the repository {root}") from None
        doc, _ = parse_document(root, root / rel, config) if (root / rel).is_file() else (None, [])
        return (doc.id if doc else None), rel
    # Only files that mention the id are parsed: found by git grep, or by reading every file.
    for candidates in (_grep(root, document, config.paths), _scan(root, document, config)):
        for file in candidates or ():
            doc, _ = parse_document(root, file, config)
            if doc is not None and doc.id == document:
                return doc.id, doc.path
    raise UsageError(f"no document has id {document}; give its id as written in the front matter, or its path")


def _scan(root: Path, text: str, config: Config) -> Iterator[Path]:
    """Document files containing ``text``, in ``discover`` order, by reading each (safefs: no FIFO, no way out)."""
    for file in discover(root, config.paths):
        raw, _problem = safefs.read_bytes(root, file, config.max_file_bytes, folders_checked=True, documents_only=True)
        if raw is not None and text in raw.decode("utf-8", errors="replace"):
            yield file


def _grep(root: Path, text: str, paths: list[str]) -> list[Path] | None:
    """Document files containing ``text``, in ``discover`` order, from one ``git grep``.

    Reading every file in Python took most of `isodocs history` on a large
    repository; git grep searches the tracked and untracked files in threads.
    None when git cannot answer (no git, not a repository); files git does not
    see (ignored ones, symlinks) are then found by ``_scan``, which runs
    whenever this finds no match.
    """
    git = shutil.which("git")
    if git is None or not text:
        return None
    try:
        result = subprocess.run(
            [git, "-C", str(root), "grep", "-l", "-z", "-F", "--untracked", "--no-color", "-e", text, "--", *paths],
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:  # 1: no match; more: an error
        return None
    found = [name for name in result.stdout.decode("utf-8", "surrogateescape").split("\0") if name]
    ordered: list[Path] = []
    seen: set[str] = set()
    for base in paths:  # discover's order: each configured folder in turn, sorted within it
        prefix = base.strip("/") + "/"
        under = [Path(name) for name in found if name.startswith(prefix) and name not in seen]
        for path in sorted(under):
            rel = path.as_posix()
            if is_document_path(rel, paths):
                seen.add(rel)
                ordered.append(root / path)
    return ordered


def _revision(index: HistoryIndex, change: FileChange, config: Config, known: KnownBlobs | None = None) -> Revision:
    version = status = None
    if known is not None and change.blob in known:
        version, status = known[change.blob]
        raw = None
    else:
        raw = index.read(change)
    if raw is not None:
        text, problem = decode_text(raw, change.path)
        if text is not None and problem is None:
            doc, _ = parse_text(change.path, Path(change.path), text, config)
            if doc is not None:
                version, status = doc.version, doc.effective_status
    commit = change.commit
    return Revision(
        sha=commit.sha,
        date=commit.day,
        author=commit.author,
        subject=commit.subject,
        path=change.path,
        change=CHANGE_NAMES.get(change.status, "edited"),
        old_path=change.old_path,
        version=version,
        status=status,
        status_change=None,
        boundary=index.is_boundary(commit),
    )
