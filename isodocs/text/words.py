"""Words of messages and reports."""

from __future__ import annotations


def counted(count: int, noun: str) -> str:
    """``1 day``, ``3 days``: the count and its noun, plural unless the count is one."""
    return f"{count} {noun}{'s' if count != 1 else ''}"


def shortened(text: str, limit: int) -> str:
    """``text`` on one line (runs of blanks and line breaks as one space), cut to ``limit`` characters with "…"."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
