"""Errors that stop a run before any document is checked (exit status 2)."""

from __future__ import annotations


class UsageError(Exception):
    """Bad configuration or arguments: the run cannot start. Exit status 2."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.path and self.line else f"{self.path}: " if self.path else ""
        return f"{where}{self.message}"
