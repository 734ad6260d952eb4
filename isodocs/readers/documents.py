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

from isodocs.model import Document, add_months
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


# A closing delimiter: a line of "---" or "..." and trailing blanks (what str.rstrip() removes).
CLOSING_LINE = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line of the first body line), or None without front matter.

    ``text`` has "\\n" line endings. The opening delimiter must be the first line.
    The closing one is found by one search, not by splitting the whole file into lines.
    """
    first_end = text.find("\n")
    if first_end < 0 or not _is_opening_line(text[:first_end]):
        return None
    closing = CLOSING_LINE.search(text, first_end + 1)
    if closing is None:
        return None
    start = closing.start()
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
) -> tuple[Document | None, list[LoadProblem]]:
    """``parse_document`` for a file ``discover`` found: its folders are real folders inside
    the repository (discovery follows no symlinked folder), so only the file itself can lead out."""
    text, problem = read_text(path, rel, config.max_file_bytes, root, folders_checked=True)
    if problem:
        return None, [problem]
    assert text is not None
    return parse_text(rel, Path(path), text, config, cache)


def parse_text(
    rel: str, path: Path, text: str, config: Config, cache: ParseCache | None = None
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
    front_key = cache.front_key(front) if cache is not None else None
    parsed = cache.get(front_key) if cache is not None and front_key else None
    if parsed is None:
        try:
            parsed = parse_yaml(front, line_offset=1)
        except YamlError as exc:
            return None, [LoadProblem("front-matter-invalid", rel, exc.line, exc.message)]
        if cache is not None and front_key and not cache.put(front_key, parsed):
            front_key = None  # not plain data: not cached
    if not isinstance(parsed.data, dict):
        kind = "empty" if parsed.data is None else f"a {type(parsed.data).__name__}, not a mapping"
        return None, [LoadProblem("front-matter-invalid", rel, 2, f"front matter is {kind}: write 'key: value' lines")]
    data: dict[str, Any] = {str(k): v for k, v in parsed.data.items()}
    doc = Document(
        path=rel,
        abspath=path,
        data=data,
        lines=parsed.lines,  # keys are already str (YAML scalar text) and int (list positions)
        raw_scalars=parsed.raw_scalars,
        body=body,
        body_line=body_line,
    )
    if cache is not None:
        doc.content_key = cache.document_key(rel, text)
        doc.front_key = front_key
    problems = [
        LoadProblem(
            "duplicate-key",
            rel,
            line,
            f"key '{key}' appears twice (first on line {first}); YAML keeps only the last",
            _str(data.get("id")),
        )
        for key, line, first in parsed.duplicates
    ]
    problems += _fill(doc, config)
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


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _fill(doc: Document, config: Config) -> list[LoadProblem]:
    """Fill the typed view of the front matter; impossible dates are problems."""
    data, problems = doc.data, []
    doc.id = _str(data.get("id"))
    doc.title = _str(data.get("title"))
    doc.type = _str(data.get("type"))
    doc.version = _str(data.get("version"))
    doc.status = _str(data.get("status"))
    doc.owner = _str(data.get("owner"))
    doc.approved_by = _strings(data.get("approved_by"))
    doc.classification = _str(data.get("classification"))
    doc.classification_given = data.get("classification") is not None  # even when not text: see model.publishing
    doc.related = _strings(data.get("related"))
    doc.supersedes = _str(data.get("supersedes"))
    doc.source = _str(data.get("source"))
    doc.audience = _strings(data.get("audience"))
    if doc.type == "training":
        _fill_training(doc, data)
    clauses = data.get("clauses")
    if isinstance(clauses, dict):
        doc.clauses = {
            str(k): [str(c) for c in v if isinstance(c, (str, int, float))]
            for k, v in clauses.items()
            if isinstance(v, list)
        }
    for name in ("review_interval", "retention_years"):
        value = data.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            setattr(doc, name, value)
    for name in DATE_FIELDS:
        value = data.get(name)
        if isinstance(value, str):
            try:
                setattr(doc, name, dt.date.fromisoformat(value))
            except ValueError:
                if len(value) == 10 and value[4] == "-" and value[7] == "-":
                    problems.append(
                        LoadProblem(
                            "schema", doc.path, doc.line(name), f"{name}: {value} is not a real calendar date", doc.id
                        )
                    )
    if doc.type in CYCLE_TYPES:  # the dates inside the cycle's fields (audit start, action due, ...)
        problems += _cycle_date_problems(doc)
    if doc.effective_date is None:
        doc.effective_date = doc.approved_on
    if doc.next_review is not None:
        doc.next_review_explicit = True
    elif doc.last_reviewed is not None and not doc.is_record:
        interval = doc.review_interval or config.review_interval_months
        doc.next_review = add_months(doc.last_reviewed, interval)
    return problems


def _cycle_date_problems(doc: Document) -> list[LoadProblem]:
    """Dates of the cycle's fields that have the form YYYY-MM-DD but are no day (as for the top-level dates)."""
    return [
        LoadProblem(
            "schema",
            doc.path,
            doc.line(*key),
            f"{'.'.join(map(str, key))}: {value} is not a real calendar date",
            doc.id,
        )
        for key, value in impossible_dates(doc.data)
    ]


def _fill_training(doc: Document, data: dict[str, Any]) -> None:
    """The typed view of a training record: attendees, trainer, method, topic, documents (id -> version)."""
    doc.attendees = _strings(data.get("attendees"))
    doc.trainer = _str(data.get("trainer"))
    doc.method = _str(data.get("method"))
    doc.topic = _str(data.get("topic"))
    documents = data.get("documents")
    if isinstance(documents, dict):
        doc.trained_on = {str(k): v for k, v in documents.items() if isinstance(v, str)}


__all__ = ["LoadProblem", "decode_text", "parse_document", "parse_text", "read_text", "split_front_matter"]
