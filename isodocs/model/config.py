"""isodocs.yml as data: the organisation, its people, the standards in scope and the limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from isodocs.model.documents import CLASSIFICATIONS, line_of
from isodocs.model.findings import Severity

CONFIG_FILE = "isodocs.yml"


DEFAULT_PATHS = ["policies", "procedures", "forms", "records"]


DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    role: str = ""
    github: str = ""
    email: str = ""
    groups: tuple[str, ...] = ()  # e.g. (production, test-lab): audiences name them (training)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


@dataclass
class Config:
    organization: str
    standards: list[str]
    people: dict[str, Person]
    catalogs: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=lambda: list(DEFAULT_PATHS))
    review_interval_months: int = 12
    max_interval_months: int = 36
    warn_days: int = 30
    max_classification: str = "internal"
    site: dict[str, Any] = field(default_factory=dict)
    # slug -> severity, or None when the rule is off
    rule_severities: dict[str, Severity | None] = field(default_factory=dict)
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    # The improvement cycle (docs/improvement-cycle.md).
    audit_cycle_months: int = 12
    action_days: int = 30
    retention_years: int = 6
    measure_months: int = 6  # objectives.measure_months: an approved objective's results at least this often
    management_review_months: int = 12  # management_review.interval_months
    # Training: days to read a new version, and which version change needs new training.
    training_grace_days: int = 30
    training_retrain_on: str = "major"
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)

    def line(self, *key: str | int) -> int:
        return line_of(self.lines, key)

    def person_named(self, key: str) -> str:
        """``qm (Daniel Okafor)`` for a key of ``people``; the key alone when it is no person."""
        person = self.people.get(key)
        return f"{key} ({person.name})" if person else key

    def may_publish(self, classification: str | None) -> bool:
        level = CLASSIFICATIONS.index(classification) if classification in CLASSIFICATIONS else 1
        return level <= CLASSIFICATIONS.index(self.max_classification)
