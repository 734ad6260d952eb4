"""Findings: what a rule or a reader found, located by file and line."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found, located as precisely as the input allows."""

    path: str  # relative to the repo root, with "/"
    line: int  # 1-based
    rule: str
    severity: Severity
    message: str
    id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "id": self.id,
            "message": self.message,
        }
