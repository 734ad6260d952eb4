"""Reading and parsing one document file: its text, its front matter, its typed view.

Front matter is split by hand rather than with python-frontmatter's ``loads``:
findings must point at lines, duplicate keys must be seen, and the YAML must be
parsed with isodocs' bounded safe loader (see ``yamlio``). The delimiters are the
ones python-frontmatter and Jekyll use: a first line ``---`` and a closing
``---`` (or ``...``, as Pandoc allows).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isodocs.model import RECORD_TYPES, Document, KeyPath, add_months, as_text, line_of
from isodocs.model.config import Config
from isodocs.readers import safefs
from isodocs.readers.cycle import impossible_dates
from isodocs.readers.yamlio import YamlError, parse_yaml

if TYPE_CHECKING:
    from isodocs.readers.parsecache import ParseCache

# Types whose front matter holds the improvement cycle's structured fields (readers/cycle.py).
CYCLE_TYPES = frozenset({"audit", "nonconformity", "objective", "management-review"})
DATE_FIELDS = ("approved_on", "effective_date", "last_reviewed", "next_review", "date")


@dataclass(frozen=True)
class LoadProblem:
    """A finding of the loader, before severities are applied."""

    rule: str
    path: str
    line: int
    message: str
    id: str | None = None


# A closing delimiter: a line of "---" or "..." and trailing blanks (what str.rstrip() removes), found by
# the newline before it: a pattern that starts with a fixed character is searched for that character,
# where one that starts with a multi-line "^" is tried at every position (5x slower on a front matter).
CLOSING_LINE = re.compile(r"\n(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line of the first body line), or None without front matter.

    ``text`` has "\\n" line endings. The opening delimiter must be the first line.
    The closing one is found by one search, not by splitting the whole file into lines.
    """
    first_end = text.find("\n")
    if first_end < 0 or not _is_opening_line(text[:first_end]):
        return None
    closing = CLOSING_LINE.search(text, first_end)  # the newline of the opening line may start it
    if closing is None:
        return None
    start = closing.start() + 1  # where the closing line starts
    front = text[first_end + 1 : start - 1] if start > first_end + 1 else ""
    line_end = text.find("\n", start)
    body = "" if line_end < 0 else text[line_end + 1 :]
    return front, body, text.count("\n", 0, start) + 2


def _is_opening_line(line: str) -> bool:
    """``---``, trailing blanks allowed (as Jekyll and python-frontmatter allow)."""
    return line.rstrip() == "---"


# The loader's slug for each kind of safefs.ReadProblem.
_READ_RULES = {"outside": "outside-repo", "encoding": "encoding", "too-large": "file-too-large"}


def _load_problem(problem: safefs.ReadProblem, rel: str) -> LoadProblem:
    """A reader's problem as the loader's finding (slug by kind; the rest is unreadable)."""
    message = problem.message
    if problem.kind == "too-large":
        message += " (limits.max_file_bytes); move attachments out of the document"
    elif problem.kind == "encoding" and "NUL" in message:
        message = "file contains NUL bytes (binary?); documents must be UTF-8 text"
    return LoadProblem(_READ_RULES.get(problem.kind, "unreadable"), rel, problem.line, message)


def read_text(
    path: Path | str, rel: str, max_bytes: int, root: Path | str | None = None, *, folders_checked: bool = False
) -> tuple[str | None, LoadProblem | None]:
    """The file as text with "\\n" line endings, or the reason it cannot be read (safefs's rules).

    ``root`` defaults to ``path`` without ``rel``; ``folders_checked`` as in ``safefs.read_bytes``.
    """
    if root is None:
        text_path = os.fspath(path)
        root = text_path[: len(text_path) - len(rel) - 1] if text_path.endswith(rel) else os.path.dirname(text_path)
    text, problem = safefs.read_text(root, path, max_bytes, folders_checked=folders_checked, documents_only=True)
    return (text, None) if problem is None else (None, _load_problem(problem, rel))


def read_discovered_text(
    root: Path, path: str, rel: str, max_bytes: int
) -> tuple[str | None, LoadProblem | None, os.stat_result | None]:
    """``read_text`` of a file ``discover`` found (``folders_checked``), and its status as read
    (``safefs.read_bytes_and_status``: taken before reading; None when a symlink was followed)."""
    raw, problem, status = safefs.read_bytes_and_status(
        root, path, max_bytes, folders_checked=True, documents_only=True
    )
    if raw is None:
        assert problem is not None
        return None, _load_problem(problem, rel), None
    text, decode_problem = decode_text(raw, rel)
    return text, decode_problem, status if decode_problem is None else None


def decode_text(raw: bytes, rel: str) -> tuple[str | None, LoadProblem | None]:
    """Bytes of a document (a file, or a blob from git) as text with "\\n" line endings."""
    text, problem = safefs.decode_text(raw)
    return (text, None) if problem is None else (None, _load_problem(problem, rel))


def parse_document(
    root: Path, path: Path, config: Config, cache: ParseCache | None = None
) -> tuple[Document | None, list[LoadProblem]]:
    """Parse one file into a Document, or say why it cannot be used."""
    rel = path.relative_to(root).as_posix()
    text, problem = read_text(path, rel, config.max_file_bytes, root)
    if problem:
        return None, [problem]
    assert text is not None
    return parse_text(rel, path, text, config, cache)


def _parse_discovered(
    root: Path, path: str, rel: str, config: Config, cache: ParseCache | None
) -> tuple[Document | None, list[LoadProblem], os.stat_result | None]:
    """``parse_document`` for a file ``discover`` found: its folders are real folders inside
    the repository (discovery follows no symlinked folder), so only the file itself can lead out.

    Also the file's status as read (``safefs.read_bytes_and_status``: None through a symlink).
    """
    text, problem, status = read_discovered_text(root, path, rel, config.max_file_bytes)
    if problem:
        return None, [problem], None
    assert text is not None
    doc, problems = parse_text(rel, path, text, config, cache)
    return doc, problems, status


def parse_text(
    rel: str, path: Path | str, text: str, config: Config, cache: ParseCache | None = None
) -> tuple[Document | None, list[LoadProblem]]:
    """Parse a document's text (as ``read_text`` gives it) into a Document.

    Used for files on disk and for the same file at an older git revision, so
    both are read by exactly the same rules.
    """
    split = split_front_matter(text)
    if split is None:
        message = (
            "front matter is not closed: add a line '---' after the last key"
            if _is_opening_line(text.split("\n", 1)[0])
            else "no front matter: start the file with '---', the document's keys (id, title, type, ...) and '---'"
        )
        return None, [LoadProblem("front-matter-missing", rel, 1, message)]
    front, body, body_line = split
    try:
        parsed = parse_yaml(front, line_offset=1)
    except YamlError as exc:
        return None, [LoadProblem("front-matter-invalid", rel, exc.line, exc.message)]
    if not isinstance(parsed.data, dict):
        kind = "empty" if parsed.data is None else f"a {type(parsed.data).__name__}, not a mapping"
        return None, [LoadProblem("front-matter-invalid", rel, 2, f"front matter is {kind}: write 'key: value' lines")]
    data: dict[str, Any] = parsed.data
    if not set(map(type, data)) <= {str}:  # (YAML keys are text but for a few: 1: x, true: y)
        data = {str(k): v for k, v in data.items()}
    typed = typed_view(data, config)
    date_problems = _fill_dates(rel, data, parsed.lines, typed, config)
    doc = new_document(
        typed,
        path=rel,
        abspath=path,
        data=data,
        lines=parsed.lines,  # keys are already str (YAML scalar text) and int (list positions)
        raw_scalars=parsed.raw_scalars,
        body=body,
        body_line=body_line,
        content_key=cache.document_key(rel, text) if cache is not None else None,
        read=True,
    )
    if cache is not None and doc.content_key and not parsed.by_subset:  # costly to parse again: kept
        cache.put_front(doc.content_key, doc.data, parsed.lines, parsed.raw_scalars)
    problems = [
        LoadProblem(
            "duplicate-key",
            rel,
            line,
            f"key '{key}' appears twice (first on line {first}); YAML keeps only the last",
            as_text(data.get("id")),
        )
        for key, line, first in parsed.duplicates
    ]
    problems += date_problems
    if not rel.endswith(".md"):  # .MD, .Md: a document, but the site engines make only .md a page
        problems.append(
            LoadProblem(
                "markdown-suffix",
                rel,
                1,
                f"file name ends in {rel[-3:]}: rename it to end in .md (the site shows only .md files as pages)",
                doc.id,
            )
        )
    return doc, problems


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _count(value: Any) -> int | None:
    """A whole number (YAML's true and false are no counts)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def typed_view(data: dict[str, Any], config: Config) -> dict[str, Any]:
    """The typed view of a front matter: every typed field of a Document (known_files.TYPED_FIELDS) by name.

    A field of the wrong type is None (or empty): the schema rule reports it. Dates
    are filled by ``_fill_dates``, which also reports the impossible ones.
    """
    get = data.get
    doc_type = as_text(get("type"))
    clauses = get("clauses")
    typed: dict[str, Any] = {
        "id": as_text(get("id")),
        "title": as_text(get("title")),
        "type": doc_type,
        "version": as_text(get("version")),
        "status": as_text(get("status")),
        "owner": as_text(get("owner")),
        "approved_by": _strings(get("approved_by")),
        "approved_on": None,
        "effective_date": None,
        "last_reviewed": None,
        "review_interval": _count(get("review_interval")),
        "next_review": None,
        "next_review_explicit": False,
        "classification": as_text(get("classification")),
        "classification_given": get("classification") is not None,  # even when not text: see model.publishing
        "clauses": _clauses(clauses) if isinstance(clauses, dict) else {},
        "related": _strings(get("related")),
        "supersedes": as_text(get("supersedes")),
        "date": None,
        "retention_years": _count(get("retention_years")),
        "source": as_text(get("source")),
        "audience": _strings(get("audience")),
        "attendees": [],
        "trainer": None,
        "method": None,
        "trained_on": {},
        "topic": None,
        "audit": None,
        "audited_documents": [],
    }
    if doc_type == "training":
        _fill_training(typed, data)
    elif doc_type in ("audit", "nonconformity"):
        typed["audit"] = as_text(get("audit"))
        documents = get("documents")
        if isinstance(documents, list):
            by_position: list[str | None] = [item if isinstance(item, str) else None for item in documents]
            typed["audited_documents"] = by_position
    return typed


def _clauses(clauses: dict[Any, Any]) -> dict[str, list[str]]:
    """``clauses``: standard -> the clause ids given as text or numbers."""
    return {
        str(k): [str(c) for c in v if isinstance(c, (str, int, float))]
        for k, v in clauses.items()
        if isinstance(v, list)
    }


def _fill_dates(
    rel: str, data: dict[str, Any], lines: dict[KeyPath, int], typed: dict[str, Any], config: Config
) -> list[LoadProblem]:
    """Fill the dates of the typed view (and the next review they give); impossible dates are problems."""
    problems = []
    for name in DATE_FIELDS:
        value = data.get(name)
        if isinstance(value, str):
            try:
                typed[name] = dt.date.fromisoformat(value)
            except ValueError:
                if len(value) == 10 and value[4] == "-" and value[7] == "-":
                    message = f"{name}: {value} is not a real calendar date"
                    problems.append(LoadProblem("schema", rel, line_of(lines, (name,)), message, typed["id"]))
    doc_type = typed["type"]
    if doc_type in CYCLE_TYPES:  # the dates inside the cycle's fields (audit start, action due, ...)
        problems += _cycle_date_problems(rel, data, lines, typed["id"])
    if typed["effective_date"] is None:
        typed["effective_date"] = typed["approved_on"]
    if typed["next_review"] is not None:
        typed["next_review_explicit"] = True
    elif typed["last_reviewed"] is not None and doc_type not in RECORD_TYPES:
        interval = typed["review_interval"] or config.review_interval_months
        typed["next_review"] = add_months(typed["last_reviewed"], interval)
    return problems


def _cycle_date_problems(
    rel: str, data: dict[str, Any], lines: dict[KeyPath, int], doc_id: str | None
) -> list[LoadProblem]:
    """Dates of the cycle's fields that have the form YYYY-MM-DD but are no day (as for the top-level dates)."""
    return [
        LoadProblem(
            "schema",
            rel,
            line_of(lines, key),
            f"{'.'.join(map(str, key))}: {value} is not a real calendar date",
            doc_id,
        )
        for key, value in impossible_dates(data)
    ]


def _fill_training(typed: dict[str, Any], data: dict[str, Any]) -> None:
    """The typed view of a training record: attendees, trainer, method, topic, documents (id -> version)."""
    typed["attendees"] = _strings(data.get("attendees"))
    typed["trainer"] = as_text(data.get("trainer"))
    typed["method"] = as_text(data.get("method"))
    typed["topic"] = as_text(data.get("topic"))
    documents = data.get("documents")
    if isinstance(documents, dict):
        typed["trained_on"] = {str(k): v for k, v in documents.items() if isinstance(v, str)}


def new_document(
    typed: dict[str, Any],
    *,
    path: str,
    abspath: Path | str,
    data: dict[str, Any],
    lines: dict[KeyPath, int],
    raw_scalars: dict[str, str],
    body: str | None,
    body_line: int,
    content_key: str | None,
    read: bool,
) -> Document:
    """A Document of its typed view (``typed_view``) and what its file holds, every field given.

    The one way the loaders make a Document: each field is set in its ``__dict__``
    directly, without the dataclass's ``__init__`` and its keyword handling (tens of
    thousands per run). ``read``: False for a document built from the parse cache's
    record (see model.Document), whose ``body`` is None: left out, so that reading it raises.
    """
    doc = Document.__new__(Document)
    fields = doc.__dict__
    fields.update(typed)
    fields.update(
        path=path,
        abspath=abspath,
        data=data,
        lines=lines,
        raw_scalars=raw_scalars,
        body_line=body_line,
        content_key=content_key,
        links=None,
        front_read=read,
        body_read=read,
    )
    if body is not None:
        fields["body"] = body  # (under its own name: see model.documents)
    return doc


__all__ = [
    "LoadProblem",
    "decode_text",
    "new_document",
    "parse_document",
    "parse_text",
    "read_text",
    "split_front_matter",
    "typed_view",
]
