"""Which edits of the improvement cycle's documents are not a change of their content.

Pure functions of the front matter (as written) and body before and after a
change (``check --base``). An objective is a controlled document, but recording
its progress is its purpose: appending results, changing ``progress`` and
filling the ``done`` date of an action need no new version. A held management
review is a final record, except that its actions are closed as they are done.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Fields a periodic review touches (rules/changes.REVIEW_FIELDS): never content.
REVIEW_FIELDS = frozenset({"last_reviewed", "next_review", "reviewed_by"})


def actions_only_completed(before: Any, after: Any) -> bool:
    """The same actions, in the same order, except that some open ones gained a ``done`` date."""
    if before == after:
        return True
    if not isinstance(before, list) or not isinstance(after, list) or len(before) != len(after):
        return False
    for old, new in zip(before, after, strict=True):
        if old == new:
            continue
        if not isinstance(old, dict) or not isinstance(new, dict) or "done" in old or "done" not in new:
            return False
        if {k: v for k, v in new.items() if k != "done"} != old:
            return False
    return True


def results_only_appended(before: Any, after: Any) -> bool:
    """The results before are the first results after, unchanged (new ones only at the end)."""
    if before is None:
        before = []
    if not isinstance(before, list) or not isinstance(after, list):
        return before == after
    return after[: len(before)] == before


def _rest(data: Mapping[str, Any], ignore: frozenset[str]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in ignore}


def objective_progress_only(
    before: Mapping[str, Any], after: Mapping[str, Any], before_body: str, after_body: str
) -> bool:
    """An objective changed only by new results, its ``progress``, ``done`` dates (and review fields)."""
    ignore = REVIEW_FIELDS | {"results", "progress", "actions"}
    return (
        before_body.rstrip() == after_body.rstrip()
        and _rest(before, ignore) == _rest(after, ignore)
        and results_only_appended(before.get("results"), after.get("results"))
        and actions_only_completed(before.get("actions"), after.get("actions"))
    )


def review_actions_completed_only(
    before: Mapping[str, Any], after: Mapping[str, Any], before_body: str, after_body: str
) -> bool:
    """A held management review changed only by ``done`` dates of its actions."""
    return (
        before_body.rstrip() == after_body.rstrip()
        and _rest(before, frozenset({"actions"})) == _rest(after, frozenset({"actions"}))
        and actions_only_completed(before.get("actions"), after.get("actions"))
    )
