"""Words of messages and reports."""

from __future__ import annotations


def counted(count: int, noun: str) -> str:
    """``1 day``, ``3 days``: the count and its noun, plural unless the count is one."""
    return f"{count} {noun}{'s' if count != 1 else ''}"
