"""Find document files, parse each once, and build the model.

Front matter is split by hand rather than with python-frontmatter's ``loads``:
findings must point at lines, duplicate keys must be seen, and the YAML must be
parsed with isodocs' bounded safe loader (see ``yamlio``). The delimiters are the
ones python-frontmatter and Jekyll use: a first line ``---`` and a closing
``---`` (or ``...``, as Pandoc allows).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isodocs import safefs
from isodocs.collector import collector_paused
from isodocs.config import Config, load_config
from isodocs.errors import UsageError
from isodocs.model import SECTION_PAGES, Document, Finding, ManagementSystem, Severity, add_months
from isodocs.safefs import inside, is_markdown_name
from isodocs.yamlio import YamlError, parse_yaml

if TYPE_CHECKING:
    from isodocs.parsecache import ParseCache

DATE_FIELDS = ("approved_on", "effective_date", "last_reviewed", "next_review", "date")
# Fields of a Document that are no part of its front matter's typed view.
_NOT_TYPED = frozenset({"path", "body_line", "content_key", "front_key", "links"})


@dataclass(frozen=True)
class LoadProblem:
    """A finding of the loader, before severities are applied."""

    rule: str
    path: str
    line: int
    message: str
    id: str | None = None


def find_root(start: Path) -> Path:
    """The repository root: the nearest folder upwards holding isodocs.yml or .git."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "isodocs.yml").is_file() or (folder / ".git").exists():
            return folder
    return start


def discover(root: Path, paths: list[str], problems: list[LoadProblem] | None = None) -> Iterator[Path]:
    """Every controlled document file under the configured paths, sorted.

    Hidden folders are skipped; section pages (index.md, README.md) are not
    controlled documents. Symlinked folders are never followed: one that leaves
    the repository is reported (``outside-repo``) into ``problems``; one that
    stays inside only repeats files found under their real path.
    """
    for path, _rel in _discover_files(root, paths, problems):
        yield Path(path)


def _discover_files(
    root: Path, paths: list[str], problems: list[LoadProblem] | None = None
) -> Iterator[tuple[str, str]]:
    """``discover`` as strings: (path, path relative to root with "/"). Strings, not
    Paths: with ten thousand files, pathlib's parsing and sorting cost more than the walk."""
    seen: set[str] = set()
    prefix = len(str(root)) + 1
    for name in paths:
        base = root / name
        if base.is_symlink():
            _report_symlinked_folder(root, base, problems)
            continue
        if not base.is_dir():
            continue
        if not inside(root, base):  # e.g. a folder of the path is a symlink to elsewhere
            _report_symlinked_folder(root, base, problems)
            continue
        for path in _walk_sorted(root, str(base), problems):
            if path not in seen:
                seen.add(path)
                yield path, path[prefix:].replace(os.sep, "/")


def _walk_sorted(root: Path, folder: str, problems: list[LoadProblem] | None) -> Iterator[str]:
    """Document files under ``folder`` in the order of sorted Paths (by name, folders in place).

    Hidden folders are skipped, symlinked ones reported and not followed; a folder
    that cannot be listed is skipped, as ``os.walk`` does.
    """
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        try:
            is_folder = entry.is_dir()  # a symlink to a folder too: reported below
        except OSError:
            is_folder = False
        if not is_folder:
            if is_document_name(entry.name):
                yield entry.path
        elif entry.name.startswith("."):
            continue
        elif entry.is_symlink():
            _report_symlinked_folder(root, Path(entry.path), problems)
        else:
            yield from _walk_sorted(root, entry.path, problems)


def _report_symlinked_folder(root: Path, folder: Path, problems: list[LoadProblem] | None) -> None:
    if problems is not None and not inside(root, folder):
        rel = folder.relative_to(root).as_posix()
        problems.append(
            LoadProblem("outside-repo", rel, 1, "folder is a symlink to a place outside the repository; not followed")
        )


def is_document_name(name: str) -> bool:
    """Whether a file name is a controlled document (Markdown, not a section page, not hidden).

    The suffix in any case: ``Secret.MD`` is a document like ``secret.md`` (on a
    case-insensitive file system it is the same file), never an attachment.
    """
    return is_markdown_name(name) and name.lower() not in SECTION_PAGES and not name.startswith(".")


def is_document_path(rel: str, paths: list[str]) -> bool:
    """Whether a repo-relative path is a document file ``discover`` would find."""
    parts = rel.split("/")
    if not is_document_name(parts[-1]) or any(part.startswith(".") for part in parts[:-1]):
        return False
    return any(rel.startswith(base.strip("/") + "/") for base in paths)


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
    if doc.effective_date is None:
        doc.effective_date = doc.approved_on
    if doc.next_review is not None:
        doc.next_review_explicit = True
    elif doc.last_reviewed is not None and not doc.is_record:
        interval = doc.review_interval or config.review_interval_months
        doc.next_review = add_months(doc.last_reviewed, interval)
    return problems


def _fill_training(doc: Document, data: dict[str, Any]) -> None:
    """The typed view of a training record: attendees, trainer, method, topic, documents (id -> version)."""
    doc.attendees = _strings(data.get("attendees"))
    doc.trainer = _str(data.get("trainer"))
    doc.method = _str(data.get("method"))
    doc.topic = _str(data.get("topic"))
    documents = data.get("documents")
    if isinstance(documents, dict):
        doc.trained_on = {str(k): v for k, v in documents.items() if isinstance(v, str)}


# The typed view of a document as the cache's files table keeps it (dates as day numbers).
TYPED_FIELDS = tuple(
    f.name for f in dataclasses.fields(Document) if f.name not in Document.DEFERRED and f.name not in _NOT_TYPED
)

_typed_values = operator.attrgetter(*TYPED_FIELDS)  # doc -> tuple of its typed fields
_DATE_SLOTS = tuple(TYPED_FIELDS.index(name) for name in DATE_FIELDS)
_from_ordinal = dt.date.fromordinal


class _KnownFiles:
    """Documents of the files that have not changed since an earlier run, from the cache's record.

    A file whose status (size, mtime, ctime, inode) is the one recorded is not read:
    its document gets the recorded typed view and load problems, and the rest
    (``Document.DEFERRED``) when something asks. Any other file is read and parsed,
    and recorded for the next run. See parsecache.py for why the status can be trusted.
    """

    def __init__(self, root: Path, config: Config, cache: ParseCache) -> None:
        from isodocs.parsecache import code_fingerprint, context_hash, stable_repr

        self.root, self.config, self.cache = root, config, cache
        # What the loader's result depends on besides the file: its code and the configuration.
        self.context = context_hash(code_fingerprint(), stable_repr(config))

    def load(self, path: str, rel: str) -> tuple[Document | None, list[LoadProblem]]:
        try:
            info = os.lstat(path)  # before reading: a later write then changes what was recorded
        except OSError:
            info = None
        regular = info is not None and stat.S_ISREG(info.st_mode)  # not a symlink: those take the long way
        if regular:
            assert info is not None
            known = self.cache.known_file(rel, info, self.context)
            if known is not None:
                return self._from_record(rel, known)
        doc, problems = _parse_discovered(self.root, path, rel, self.config, self.cache)
        if regular and doc is not None and doc.content_key and doc.front_key:
            assert info is not None
            typed = list(_typed_values(doc))
            for slot in _DATE_SLOTS:
                if typed[slot] is not None:
                    typed[slot] = typed[slot].toordinal()
            record = [doc.content_key, doc.front_key, doc.body_line, typed, [_as_list(p) for p in problems]]
            self.cache.put_file(rel, info, self.context, record)
        return doc, problems

    def _from_record(self, rel: str, known: list[Any]) -> tuple[Document, list[LoadProblem]]:
        content_key, front_key, body_line, typed, problems = known
        values = dict(zip(TYPED_FIELDS, typed, strict=True))
        for name in DATE_FIELDS:  # (the record is saved again at the end of the run: left as it is)
            if values[name] is not None:
                values[name] = _from_ordinal(values[name])
        values["content_key"], values["front_key"] = content_key, front_key
        doc = Document.deferred(rel, body_line, values, self._fill_deferred)
        return doc, [LoadProblem(*problem) for problem in problems]

    def _fill_deferred(self, doc: Document, name: str) -> None:
        """Set the deferred attribute ``name`` of a document built from a record."""
        if name == "abspath":
            doc.abspath = self.root / doc.path
        elif name == "body":
            split = split_front_matter(self._current_text(doc))
            assert split is not None  # the text is the one recorded, which had front matter
            doc.body = split[1]
        else:
            assert doc.front_key is not None
            parsed = self.cache.get(doc.front_key)  # known_file checked that the entry is there
            if parsed is None or not isinstance(parsed.data, dict):
                raise UsageError(f"{doc.path}: the parse cache is inconsistent; run again with ISODOCS_NO_CACHE=1")
            doc.data = {str(k): v for k, v in parsed.data.items()}
            doc.lines, doc.raw_scalars = parsed.lines, parsed.raw_scalars

    def _current_text(self, doc: Document) -> str:
        text, _problem = read_text(doc.abspath, doc.path, self.config.max_file_bytes, self.root)
        if text is None or self.cache.document_key(doc.path, text) != doc.content_key:
            raise UsageError(f"{doc.path} changed while isodocs was reading the repository: run the command again")
        return text


def _as_list(problem: LoadProblem) -> list[Any]:
    return [problem.rule, problem.path, problem.line, problem.message, problem.id]


def load_system(
    root: Path, today: dt.date | None = None, save_cache: bool = True
) -> tuple[ManagementSystem, list[LoadProblem]]:
    """Load config, catalogues and every document of the repository at ``root``.

    With ``save_cache=False`` the parse cache is left for the caller to save
    (``check_system`` does, once the rules have added their findings to it).
    Raises UsageError (exit 2) when the configuration cannot be used.
    """
    config = load_config(root)
    # Here, not at the top: the rule registry (every rule family), the catalogues and the
    # SoA are what commands that parse only a few documents (history) need not pay for at start.
    from isodocs.catalog import load_catalogs
    from isodocs.parsecache import ParseCache
    from isodocs.rules import check_rule_settings
    from isodocs.soa import SOA_FILE, read_soa

    check_rule_settings(config)
    catalogs = load_catalogs(config, root)
    documents: list[Document] = []
    problems: list[LoadProblem] = []
    files = 0
    with collector_paused():
        cache = ParseCache.open(root)  # what earlier runs made of the files (see parsecache.py)
        load = _KnownFiles(root, config, cache).load if cache is not None else None
        for path, rel in _discover_files(root, config.paths, problems):
            files += 1
            if load is not None:
                doc, doc_problems = load(path, rel)
            else:
                doc, doc_problems = _parse_discovered(root, path, rel, config, None)
            problems.extend(doc_problems)
            if doc is not None:
                documents.append(doc)
    if cache is not None and save_cache:
        cache.save()
    soa, soa_problems = read_soa(root, config.max_file_bytes)
    problems.extend(LoadProblem(p.rule, SOA_FILE, p.line, p.message) for p in soa_problems)
    system = ManagementSystem(
        root=root,
        config=config,
        catalogs=catalogs,
        documents=documents,
        load_findings=[],
        today=today or dt.date.today(),
        files=files,
        soa=soa,
        cache=cache,
    )
    return system, problems


__all__ = [
    "Finding",
    "LoadProblem",
    "Severity",
    "decode_text",
    "discover",
    "find_root",
    "is_document_name",
    "is_document_path",
    "load_system",
    "parse_document",
    "parse_text",
]
