"""The run's findings that withhold a document whatever ``build --force`` says: errors in its front matter.

``model.publishing.withheld_reason`` takes the mapping made here; it lives
here, above the rules, because which findings count is a matter of the rule
families (the loader's and the schema's).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from isodocs.rules import REGISTRY

# Families of rules whose findings mean the front matter itself cannot be trusted.
FRONT_MATTER_FAMILIES = ("loader", "schema")
FRONT_MATTER_RULES = frozenset(slug for slug, rule in REGISTRY.items() if rule.family in FRONT_MATTER_FAMILIES)


class Problem(Protocol):
    """A finding or a loader problem: what the decision reads of either."""

    @property
    def rule(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def message(self) -> str: ...


def front_matter_problems(problems: Iterable[Problem]) -> dict[str, str]:
    """Document path -> the first problem of its front matter (rule, line, message), for the documents that have one."""
    found: dict[str, tuple[int, str]] = {}
    for problem in problems:
        if problem.rule in FRONT_MATTER_RULES:
            described = (problem.line, f"{problem.rule} on line {problem.line}: {problem.message}")
            found[problem.path] = min(found.get(problem.path, described), described)
    return {path: text for path, (_line, text) in found.items()}
