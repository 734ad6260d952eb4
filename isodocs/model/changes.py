"""A change as data: the documents a change touches, as they were at the base revision (check --base)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from isodocs.model.documents import Document


@dataclass(frozen=True)
class PathChange:
    status: str  # A added, M modified, R renamed, D deleted
    base_path: str | None  # None when added
    path: str | None  # in the working tree; None when deleted


@dataclass
class BaseSnapshot:
    """The documents a change touches, as they were at the base revision."""

    rev: str  # as the user wrote it, e.g. origin/main
    sha: str  # the commit compared with (merge base of rev and HEAD)
    changes: list[PathChange] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)  # base path -> document at base
    texts: dict[str, str] = field(default_factory=dict)  # base path -> text at base
    current_texts: dict[str, str] = field(default_factory=dict)  # path -> text now, of changed files
    config_changed: bool = False  # isodocs.yml or a catalogue changed: every document is affected
    # path -> the days (author dates) of the commits between the base and HEAD that change it;
    # read only for a new version that keeps the previous approval's date (see reapproval-missing).
    change_days: dict[str, set[dt.date]] = field(default_factory=dict)

    @property
    def touched(self) -> set[str]:
        """Paths the change touches: current paths, and base paths of deleted files."""
        return {change.path or change.base_path or "" for change in self.changes}
