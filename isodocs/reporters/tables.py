"""Helpers shared by the table reporters (coverage, SoA, reviews): CSV, JSON, fixed-width text."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

from isodocs.model.config import Person
from isodocs.reporters.textsafe import readable, readable_data
from isodocs.text.words import plural

WIDTH = 100  # text tables fit a 100-column terminal


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """RFC 4180 CSV with a header row; None becomes an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([readable(v) if isinstance(v, str) else "" if v is None else v for v in row])
    return buffer.getvalue()


def to_json(data: Any) -> str:
    """Indented JSON; keys stay in the order the reporter built them."""
    return json.dumps(readable_data(data), indent=2, ensure_ascii=False) + "\n"


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters (at least one line, maybe empty)."""
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def days_phrase(days_left: int) -> str:
    """"3 days overdue", "due today" or "5 days left": a date's distance from today, for a text table."""
    if days_left < 0:
        return f"{plural(-days_left, 'day')} overdue"
    return "due today" if days_left == 0 else f"{plural(days_left, 'day')} left"


def owner_line(name: str, key: str, person: Person | None, counts: str) -> str:
    """An owner's heading line: name, key and counts first (a narrow terminal cuts the role and e-mail)."""
    who = f"{name} ({key})" if person else name
    line = f"{who}: {counts}"
    details = [person.role, f"<{person.email}>" if person.email else ""] if person else []
    details = [text for text in details if text]
    return f"{line} · {' '.join(details)}" if details else line


def show_percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}%"
