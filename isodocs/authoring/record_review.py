"""``isodocs review``: record a periodic review that confirms a document unchanged.

A review that finds nothing to change is not a new version (ISO 9001 7.5.2 c
asks for review for suitability; 7.5.3.2 c for control of changes, and there is
none). It moves ``last_reviewed`` (and ``next_review`` where the document writes
one), records who reviewed it in ``reviewed_by``, and leaves every other byte of
the file as it was: comments, key order, quoting, line endings. The edit is made
on the text of the value's own line, never by dumping YAML again, and the result
is parsed again and compared before anything is written.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from isodocs.app.load import load_system
from isodocs.errors import UsageError
from isodocs.model import Document, add_months
from isodocs.model.config import Config
from isodocs.readers import safefs
from isodocs.readers.documents import decode_text, parse_text

REVIEW_FIELDS = ("last_reviewed", "next_review", "reviewed_by")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


@dataclass
class ReviewOptions:
    root: Path
    document: str  # the document's id
    by: str  # key of `people` in isodocs.yml
    date: dt.date | None = None  # default: today
    today: dt.date | None = None


@dataclass
class ReviewResult:
    id: str
    path: str
    date: dt.date
    by: str
    changes: list[str] = field(default_factory=list)  # "last_reviewed: 2026-06-01 -> 2026-11-27", ...


def review_document(options: ReviewOptions) -> ReviewResult:
    """Record the review in the document's file. Raises UsageError (exit 2) when it cannot."""
    today = options.today or dt.date.today()
    date = options.date or today
    system, _problems = load_system(options.root, today)
    docs = system.by_id.get(options.document, [])
    if not docs:
        raise UsageError(f"no document has id {options.document}")
    if len(docs) > 1:
        raise UsageError(f"id {options.document} is used by {', '.join(d.path for d in docs)}; fix duplicate-id first")
    doc = system.complete(docs[0])  # its front matter as written, key lines and body (it may come from the cache)
    people = system.config.people
    if options.by not in people:
        hint = difflib.get_close_matches(options.by, list(people), n=1)
        suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise UsageError(f"--by {options.by} is not a key of people in isodocs.yml{suggestion}")
    if doc.is_record:
        raise UsageError(f"{doc.id} is a record: records are final once merged and are not reviewed", doc.path)
    if doc.status != "approved":
        raise UsageError(
            f"{doc.id} is {doc.status or 'without a status'}: only approved documents have periodic reviews; "
            "a draft is reviewed as part of its approval",
            doc.path,
        )
    if date > today:
        raise UsageError(f"--date {date} is after today ({today}): record a review once it has happened")
    if doc.last_reviewed and date < doc.last_reviewed:
        raise UsageError(f"--date {date} is before the last review ({doc.last_reviewed})", doc.path)

    raw, problem = safefs.read_bytes(system.root, doc.abspath, system.config.max_file_bytes, documents_only=True)
    if raw is None:
        raise UsageError(problem.message if problem else "not read", doc.path)
    text = raw.decode("utf-8")  # the loader read it, so it is UTF-8; a BOM stays as U+FEFF
    if "\r" in text.replace("\r\n", ""):
        raise UsageError("file uses old Mac (CR) line endings; save it with LF or CRLF first", doc.path)
    lines = text.split("\n")
    result = ReviewResult(id=doc.id or options.document, path=doc.path, date=date, by=options.by)

    old = _set_scalar(lines, doc, "last_reviewed", date.isoformat())
    result.changes.append(f"last_reviewed: {old} -> {date}")
    if doc.next_review_explicit:
        interval = doc.review_interval or system.config.review_interval_months
        next_review = add_months(date, interval).isoformat()
        old = _set_scalar(lines, doc, "next_review", next_review)
        result.changes.append(f"next_review: {old} -> {next_review} ({interval} months)")
    if "reviewed_by" in doc.data:
        old = _set_scalar(lines, doc, "reviewed_by", options.by, _yaml_key(options.by))
        result.changes.append(f"reviewed_by: {old} -> {options.by}")
    else:
        index = doc.line("last_reviewed") - 1
        ending = "\r" if lines[index].endswith("\r") else ""
        lines.insert(index + 1, f"reviewed_by: {_yaml_key(options.by)}{ending}")
        result.changes.append(f"reviewed_by: {options.by} (added)")

    new_text = "\n".join(lines)
    _verify(doc, new_text, system.config, date, options.by)
    doc.abspath.write_bytes(new_text.encode("utf-8"))
    return result


_SCALAR_LINE = re.compile(
    r"^(?P<head>(?P<key>[A-Za-z_]+)[ \t]*:[ \t]*)(?P<quote>['\"]?)(?P<value>[^'\"#\s][^'\"#]*?)(?P=quote)"
    r"(?P<tail>[ \t]*(?:#.*)?\r?)$"
)


def _set_scalar(lines: list[str], doc: Document, key: str, value: str, plain: str | None = None) -> str:
    """Replace the value of a top-level ``key: value`` line in place; return the old value.

    The old quoting is kept; ``plain`` is how to write the value unquoted when it differs.
    """
    index = doc.line(key) - 1
    match = _SCALAR_LINE.match(lines[index]) if (key,) in doc.lines and 0 <= index < len(lines) else None
    if match is None or match["key"] != key:
        raise UsageError(
            f"cannot edit {key} here: write it on one line as `{key}: value` and run the command again",
            doc.path,
            doc.line(key),
        )
    quote = match["quote"]
    written = f"{quote}{value}{quote}" if quote and quote not in value else (plain or value)
    lines[index] = f"{match['head']}{written}{match['tail']}"
    return match["value"]


def _yaml_key(key: str) -> str:
    """A people key as a YAML scalar: plain when that reads back as the same string."""
    if _PLAIN_KEY.match(key) and key.lower() not in _YAML_WORDS:
        return key
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _verify(doc: Document, new_text: str, config: Config, date: dt.date, by: str) -> None:
    """Parse the edited text again: only the review fields may differ, and they must read right."""
    text, problem = decode_text(new_text.encode("utf-8"), doc.path)
    edited, problems = parse_text(doc.path, doc.abspath, text or "", config) if problem is None else (None, [])
    ok = (
        edited is not None
        and not [p for p in problems if p.rule != "schema"]
        and edited.last_reviewed == date
        and edited.data.get("reviewed_by") == by
        and edited.body == doc.body
        and {k: v for k, v in edited.data.items() if k not in REVIEW_FIELDS}
        == {k: v for k, v in doc.data.items() if k not in REVIEW_FIELDS}
    )
    if not ok:
        raise UsageError(
            "could not record the review without changing anything else; nothing was written. "
            "Edit last_reviewed by hand",
            doc.path,
        )
