"""Words of messages and reports."""

from __future__ import annotations


def plural(count: int, word: str, plural_form: str | None = None) -> str:
    """``1 day``, ``3 days``: the count and its word, in the plural (``plural_form``, else word + "s") unless one."""
    return f"{count} {word if count == 1 else plural_form or word + 's'}"


def shortened(text: str, limit: int) -> str:
    """``text`` on one line (runs of blanks and line breaks as one space), cut to ``limit`` characters with "…"."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
