"""What a change does to the documents: the working tree compared with a base revision.

``isodocs check --base REV`` compares the working tree with REV (precisely: with
the merge base of REV and HEAD, so a branch that is behind REV is not blamed for
what landed on REV since). Git says which document paths were added, modified,
renamed or deleted (one ``git diff``); each changed document is read at the base
through the persistent ``git cat-file`` process and parsed with the same loader
functions as the working tree. The change-control rules compare the two.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from isodocs.errors import UsageError
from isodocs.model import Document
from isodocs.model.changes import BaseSnapshot, PathChange
from isodocs.model.config import CONFIG_FILE, Config
from isodocs.model.documents import version_key
from isodocs.readers.discover import is_document_path
from isodocs.readers.documents import decode_text, parse_text, read_text
from isodocs.readers.git import GIT_INSTALLED, GitError, GitRepo


def load_base(root: Path, rev: str, config: Config, current: list[Document]) -> BaseSnapshot:
    """Compare the working tree at ``root`` with ``rev``. Raises UsageError (exit 2)."""
    repo = GitRepo.open(root)
    if not GIT_INSTALLED:
        raise UsageError(f"--base {rev} needs git, and no git executable was found; install git")
    if repo is None:
        raise UsageError(f"--base {rev} needs a git repository, and {root} is not inside one")
    try:
        return _load(repo, root, rev, config, current)
    finally:
        repo.close()


def _load(repo: GitRepo, root: Path, rev: str, config: Config, current: list[Document]) -> BaseSnapshot:
    resolved = repo.resolve(rev)
    if resolved is None:
        hint = (
            " This is a shallow clone: check out with `fetch-depth: 0` (or `git fetch --unshallow`)."
            if repo.shallow
            else " Fetch it first (e.g. `git fetch origin main`) or name an existing branch, tag or commit."
        )
        raise UsageError(f"--base {rev}: no such revision.{hint}")
    base = resolved
    if repo.has_commits():
        try:
            base = repo.run("merge-base", resolved, "HEAD").strip()
        except GitError:
            if repo.shallow:
                raise UsageError(
                    f"--base {rev}: no common ancestor with HEAD in this shallow clone; "
                    "check out with `fetch-depth: 0` (or `git fetch --unshallow`)"
                ) from None
            # Unrelated histories: compare with the revision itself.
    snapshot = BaseSnapshot(rev=rev, sha=base)
    config_files = [CONFIG_FILE, *config.catalogs]
    pathspecs = repo.pathspecs(config.paths) + [repo.to_git(name) for name in config_files]
    output = repo.run("diff", "-z", "--name-status", "-M", "--no-color", base, "--", *pathspecs)
    untracked = repo.run("ls-files", "-z", "--others", "--exclude-standard", "--", *repo.pathspecs(config.paths))
    changes = _parse_name_status(output, repo)
    changes += [PathChange("A", None, p) for p in map(repo.from_git, untracked.split("\0")) if p]
    for change in changes:
        if change.base_path in config_files or change.path in config_files:
            snapshot.config_changed = True
    changes = [c for c in changes if _is_document(c, config.paths)]
    for change in changes:
        if change.base_path:
            _read_base(repo, snapshot, change.base_path, config)
    snapshot.changes = _pair_by_id(changes, snapshot, current)
    for change in snapshot.changes:
        if change.path:
            text, _problem = read_text(root / change.path, change.path, config.max_file_bytes)
            if text is not None:
                snapshot.current_texts[change.path] = text
    same_day = _same_day_approvals(snapshot, current)
    if same_day and repo.has_commits():
        snapshot.change_days = _change_days(repo, snapshot.sha, same_day)
    return snapshot


def _same_day_approvals(snapshot: BaseSnapshot, current: list[Document]) -> list[PathChange]:
    """Changes that raise an approved document's version and keep the approval date of the base."""

    by_path = {doc.path: doc for doc in current}
    found = []
    for change in snapshot.changes:
        before, after = snapshot.documents.get(change.base_path or ""), by_path.get(change.path or "")
        if before is None or after is None or before.approved_on is None:
            continue
        old, new = version_key(before.version), version_key(after.version)
        if old is not None and new is not None and new > old and after.approved_on == before.approved_on:
            found.append(change)
    return found


def _change_days(repo: GitRepo, base: str, changes: list[PathChange]) -> dict[str, set[dt.date]]:
    """Current path -> author days of the commits in base..HEAD touching it (one git log)."""
    wanted = {repo.to_git(p): c.path for c in changes for p in (c.path, c.base_path) if p and c.path}
    output = repo.run(
        "-c", "core.quotePath=false", "log", "--format=@%ad", "--date=short", "--name-only",
        f"{base}..HEAD", "--", *wanted,
    )  # fmt: skip
    days: dict[str, set[dt.date]] = {}
    day: dt.date | None = None
    for line in output.splitlines():
        if line.startswith("@"):
            try:
                day = dt.date.fromisoformat(line[1:])
            except ValueError:
                day = None
        elif line and day is not None and line in wanted:
            days.setdefault(wanted[line] or "", set()).add(day)
    return days


def _parse_name_status(output: str, repo: GitRepo) -> list[PathChange]:
    tokens = output.split("\0")
    changes: list[PathChange] = []
    position = 0
    while position < len(tokens) and tokens[position]:
        status = tokens[position][0]
        if status in "RC":
            old, new = tokens[position + 1], tokens[position + 2]
            position += 3
        else:
            old = new = tokens[position + 1]
            position += 2
        base_path, path = repo.from_git(old), repo.from_git(new)
        if status == "A":
            changes.append(PathChange("A", None, path))
        elif status == "D":
            changes.append(PathChange("D", base_path, None))
        elif status == "C":
            changes.append(PathChange("A", None, path))
        else:  # M, T, R, U (unmerged)
            changes.append(PathChange("R" if status == "R" else "M", base_path, path))
    return changes


def _is_document(change: PathChange, folders: list[str]) -> bool:
    return any(p is not None and is_document_path(p, folders) for p in (change.base_path, change.path))


def _read_base(repo: GitRepo, snapshot: BaseSnapshot, path: str, config: Config) -> None:
    raw = repo.read(f"{snapshot.sha}:{repo.to_git(path)}")
    if raw is None:
        return
    text, problem = decode_text(raw, path)
    if text is None or problem is not None:
        return
    doc, _ = parse_text(path, repo_path(repo, path), text, config)
    snapshot.texts[path] = text
    if doc is not None:
        snapshot.documents[path] = doc


def repo_path(repo: GitRepo, path: str) -> Path:
    return repo.work_tree / repo.to_git(path)


def _pair_by_id(changes: list[PathChange], snapshot: BaseSnapshot, current: list[Document]) -> list[PathChange]:
    """Follow renames git did not see (edited too much, or not yet added): same id, new path.

    A deleted document whose id reappears on an added file was moved, not deleted.
    """
    by_path = {doc.path: doc for doc in current}
    added_by_id: dict[str, PathChange] = {}
    for change in changes:
        doc = by_path.get(change.path or "")
        if change.status == "A" and doc is not None and doc.id:
            added_by_id.setdefault(doc.id, change)
    paired: list[PathChange] = []
    used: set[str] = set()
    for change in changes:
        base_doc = snapshot.documents.get(change.base_path or "")
        if change.status == "D" and base_doc is not None and base_doc.id in added_by_id:
            added = added_by_id.pop(base_doc.id)
            used.add(added.path or "")
            paired.append(PathChange("R", change.base_path, added.path))
        else:
            paired.append(change)
    return [c for c in paired if not (c.status == "A" and c.path in used)]
