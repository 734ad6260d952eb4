"""``isodocs import``: bring an existing set of Markdown documents in as drafts.

Every source file becomes a draft of one type in the type's folder, under the
same relative path and file name (so links between the imported files keep
working), with the body byte for byte as it was. The front matter is built from:

- nothing, when the file has none: the title from the first heading, the next id;
- another tool's front matter, mapped field by field: comply-style
  ``name``/``acronym``/``satisfies: {TSC: [...]}``, the ``title``/``owner``/
  ``version``/``status``/``controls: [iso27001:A.5.1]``/``next_review`` style of
  docs-site ISMS repositories, and isodocs' own fields. ISO/IEC 27001:2013
  control ids are translated to their 2022 successors (``data/iso27001-2013-to-2022.yml``).

What could not be mapped is dropped from the front matter (isodocs' schema
allows no unknown keys) and listed in the report. Sources are only read. Imported
documents are always drafts: whatever the old tool said, approval happens again
through a pull request.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import frontmatter

from isodocs import safefs
from isodocs.authoring import IdAllocator, check_clause, check_owner, document_text, dump_front_matter, relative
from isodocs.catalog import Catalog
from isodocs.config import Config
from isodocs.errors import UsageError
from isodocs.loader import load_system
from isodocs.model import CLASSIFICATIONS, SECTION_PAGES, TYPE_FOLDERS, TYPE_PREFIX, ManagementSystem
from isodocs.rules.references import relative_links
from isodocs.yamlio import YamlError, load_yaml_file, parse_yaml

# Our fields that --map may target; "ignore" drops a foreign key without a report line.
MAP_TARGETS = (
    "id", "title", "owner", "version", "classification", "clauses", "controls", "description", "tags",
    "review_interval", "date", "retention_years", "source", "ignore",
)  # fmt: skip
# Foreign key (lower case) -> our field, for the styles of the tools users come from.
ALIASES = {
    "id": "id", "document_id": "id", "doc_id": "id", "docid": "id", "reference": "id", "ref": "id",
    "title": "title", "name": "title", "document_title": "title", "doc_title": "title",
    "owner": "owner", "document_owner": "owner", "doc_owner": "owner", "policy_owner": "owner",
    "responsible": "owner", "maintainer": "owner",
    "version": "version", "revision": "version", "rev": "version",
    "classification": "classification", "confidentiality": "classification", "sensitivity": "classification",
    "clauses": "clauses", "controls": "controls", "satisfies": "controls", "iso_controls": "controls",
    "annex_a": "controls", "requirements": "controls",
    "description": "description", "summary": "description", "abstract": "description",
    "tags": "tags", "keywords": "tags", "acronym": "tags", "categories": "tags",
    "review_interval": "review_interval", "date": "date", "retention_years": "retention_years",
    "source": "source", "url": "source", "publisher": "source",
}  # fmt: skip
# Fields a draft does not carry over: the document is approved again after import.
APPROVAL_FIELDS = (
    "status", "state", "approved_by", "approver", "approvers", "approved_on", "approval_date", "approved",
    "effective_date", "effective", "last_reviewed", "reviewed", "review_date", "last_review", "next_review",
    "next_review_date", "review_due",
)  # fmt: skip
CLASSIFICATION_SYNONYMS = {
    "open": "public", "unclassified": "public", "internal use": "internal", "internal only": "internal",
    "company confidential": "confidential", "sensitive": "confidential", "private": "confidential",
    "secret": "restricted", "strictly confidential": "restricted", "highly confidential": "restricted",
}  # fmt: skip
YAML_DELIMITER = re.compile(r"^-{3,}\s*$")
TOML_DELIMITER = re.compile(r"^\+{3,}\s*$")
ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
CONTROL_2013 = re.compile(r"^A\.(5|6|7|8|9|1[0-8])\.\d+\.\d+$")
OBJECTIVE_2013 = re.compile(r"^A\.(9|1[0-8])\.\d+$")  # 2013 groups with no 2022 namesake
VERSION = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.\d+)*$", re.IGNORECASE)


@dataclass
class ImportOptions:
    root: Path
    source: Path
    type: str
    owner: str | None = None
    mappings: dict[str, str] = field(default_factory=dict)  # foreign key -> our field (--map)
    clauses: str = ""  # added to every file: "iso9001:7.5,iso27001:A.5.33"
    dest: Path | None = None  # folder; default: the type's folder
    today: dt.date | None = None
    dry_run: bool = False


@dataclass(frozen=True)
class Note:
    kind: str  # mapped | guessed | flagged | unmapped
    text: str


@dataclass
class ImportedFile:
    source: str  # relative to the source folder
    target: str | None = None  # relative to the repo root
    id: str | None = None
    title: str | None = None
    foreign: bool = False  # the source had front matter
    notes: list[Note] = field(default_factory=list)
    skipped: str | None = None  # why nothing is written for it
    foreign_id: str | None = None
    no_catalogue: dict[str, list[str]] = field(default_factory=dict)  # standard -> ids, reported once
    data: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    assets: list[tuple[Path, Path]] = field(default_factory=list)  # (source file, target file) to copy

    def note(self, kind: str, text: str) -> None:
        self.notes.append(Note(kind, text))

    @property
    def text(self) -> str:
        return document_text(dump_front_matter(self.data), self.body)


@dataclass
class ImportResult:
    files: list[ImportedFile]
    written: bool

    def count(self, kind: str) -> int:
        return sum(1 for f in self.files for n in f.notes if n.kind == kind)

    @property
    def imported(self) -> list[ImportedFile]:
        return [f for f in self.files if not f.skipped]


# --- ISO 27001:2013 -> 2022 -------------------------------------------------------------------


@dataclass(frozen=True)
class Successor:
    to: tuple[str, ...]
    merged: bool


@cache
def iso27001_2013_to_2022() -> dict[str, Successor]:
    text = resources.files("isodocs").joinpath("data", "iso27001-2013-to-2022.yml").read_text("utf-8")
    data = load_yaml_file(text).data["controls"]
    return {k: Successor(tuple(v["to"]), bool(v.get("merged"))) for k, v in data.items()}


# --- reading sources ---------------------------------------------------------------------------


class _BoundedYAMLHandler(frontmatter.YAMLHandler):
    """python-frontmatter's YAML handler with isodocs' bounded safe loader (dates stay strings)."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return parse_yaml(fm).data


class _TOMLHandler:
    """TOML front matter (Hugo's ``+++``): the standard library's parser, else python-frontmatter's."""

    def load(self, fm: str) -> Any:
        try:
            import tomllib
        except ImportError:  # Python 3.10: python-frontmatter's handler works when `toml` is installed
            if frontmatter.TOMLHandler is None:
                raise ValueError("TOML front matter needs Python 3.11 or the toml package") from None
            return frontmatter.TOMLHandler().load(fm)
        return tomllib.loads(fm)


@dataclass
class SourceParts:
    metadata: dict[str, Any] | None  # None: no front matter
    body: str  # exactly as written after the closing delimiter line
    problem: str | None = None
    fatal: bool = False  # the front matter exists but cannot be read: skip the file


def split_source(text: str) -> SourceParts:
    """Split a source file into its front matter (YAML ``---`` or TOML ``+++``) and body.

    The split is done here, not by ``frontmatter.loads``, because that strips the
    body and the body must come through byte for byte; the front matter itself is
    parsed by python-frontmatter's handlers.
    """
    lines = text.splitlines(keepends=True)
    if not lines:
        return SourceParts(None, text)
    first = lines[0].rstrip("\r\n")
    handlers: tuple[tuple[re.Pattern[str], Any], ...] = (
        (YAML_DELIMITER, _BoundedYAMLHandler()),
        (TOML_DELIMITER, _TOMLHandler()),
    )
    for delimiter, handler in handlers:
        if not delimiter.match(first):
            continue
        is_yaml = isinstance(handler, _BoundedYAMLHandler)
        closing = next(
            (i for i in range(1, len(lines))
             if delimiter.match(lines[i].rstrip("\r\n")) or (is_yaml and lines[i].rstrip("\r\n") == "...")),
            None,
        )  # fmt: skip
        if closing is None:
            problem = "starts with a front matter delimiter that is never closed; all kept as body"
            return SourceParts(None, text, problem)
        front, body = "".join(lines[1:closing]), "".join(lines[closing + 1 :])
        try:
            metadata = handler.load(front)
        except YamlError as exc:
            return SourceParts(None, body, f"front matter does not parse (line {exc.line + 1}: {exc.message})", True)
        except Exception as exc:  # TOML errors, or no TOML parser installed
            return SourceParts(None, body, f"front matter cannot be read ({type(exc).__name__}: {exc})", True)
        if metadata is None:
            return SourceParts({}, body)
        if not isinstance(metadata, dict):
            return SourceParts(None, body, "front matter is not a mapping of keys", True)
        return SourceParts(metadata, body)
    return SourceParts(None, text)


def first_heading(body: str) -> str | None:
    in_fence = False
    lines = body.splitlines()
    for index, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        match = ATX_HEADING.match(line)
        if match:
            return match.group(1).strip()
        # setext: a text line underlined with === or ---
        if line.strip() and index + 1 < len(lines) and re.match(r"^\s{0,3}(=+|-+)\s*$", lines[index + 1]):
            return line.strip()
    return None


# --- mapping fields ----------------------------------------------------------------------------


def _date_text(value: Any) -> str | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            return None
    return None


def normalise_version(value: Any) -> tuple[str | None, str | None]:
    """(MAJOR.MINOR, a remark) from what other tools write as a version."""
    if isinstance(value, bool) or value is None:
        return None, None
    if isinstance(value, float):
        return f"{value}", f"version {value} was an unquoted number; check it (1.10 reads as 1.1)"
    match = VERSION.match(str(value).strip())
    if not match:
        return None, None
    text = f"{match.group(1)}.{match.group(2) or 0}"
    return text, (None if text == str(value).strip() else f'version {value!r} written as "{text}"')


# "iso27001:A.5.1", "ISO/IEC 27001:2013 A.9.2.1", "iso9001: 7.5", "A.5.1", "CC6.1"
REFERENCE = re.compile(
    r"^(?:(?P<standard>[A-Za-z][\w/ .-]*?(?::\d{4})?)\s*[:\s]\s*)?(?P<id>[A-Za-z]{0,3}\.?\s?\d[\w.]*)$"
)


def _standard_key(name: str) -> tuple[str, str | None]:
    """'ISO/IEC 27001:2013' -> ('iso27001', '2013'); '27001' -> ('iso27001', None); 'TSC' -> ('tsc', None)."""
    text = name.strip().lower().replace("iso/iec", "iso")
    edition = None
    match = re.search(r"[:\s_-](\d{4})$", text)
    if match and re.search(r"\d{4,5}", text[: match.start()]):
        edition, text = match.group(1), text[: match.start()]
    key = re.sub(r"[^a-z0-9]", "", text)
    return ("iso" + key if key.isdigit() else key), edition


def _split_reference(reference: str, standard: str | None) -> tuple[str | None, str]:
    """(standard as written or inherited, clause id as written)."""
    reference = reference.strip()
    match = REFERENCE.match(reference)
    if not match:
        return standard, reference
    return match.group("standard") or standard, match.group("id")


def _control_id(clause_id: str) -> str:
    """'A5.1' / 'a.5.1' / 'A 5.1' -> 'A.5.1'."""
    match = re.match(r"^[Aa]\.?\s?(\d[\d.]*)$", clause_id.strip())
    return f"A.{match.group(1)}" if match else clause_id.strip()


class ClauseResolver:
    """Turns foreign clause and control references into isodocs clause ids, with notes."""

    def __init__(self, catalogs: dict[str, Catalog], config: Config) -> None:
        self.catalogs = catalogs
        self.config = config

    def resolve(self, standard: str | None, clause_id: str, item: ImportedFile, clauses: dict[str, list[str]]) -> None:
        written = f"{standard}:{clause_id}" if standard else clause_id
        key, edition = _standard_key(standard) if standard else (None, None)
        if key is None and re.match(r"^[Aa]\.?\s?\d", clause_id):
            key = "iso27001"
        if key is None:
            in_scope = [k for k in self.config.standards if clause_id in self.catalogs[k].clauses]
            if len(in_scope) != 1:
                item.note("unmapped", f"{written}: names no standard; write it as STANDARD:CLAUSE under clauses:")
                return
            key = in_scope[0]
            item.note("guessed", f"{written} -> {key}:{clause_id} (the only standard in scope with that clause)")
        if key == "tsc" and key not in self.catalogs and "soc2" in self.catalogs:
            key = "soc2"
        if key == "iso27001":
            if edition == "2013" and clause_id[:1].isdigit() and f"A.{clause_id}" in iso27001_2013_to_2022():
                clause_id = f"A.{clause_id}"
            clause_id = _control_id(clause_id)
            if CONTROL_2013.match(clause_id) or (edition == "2013" and clause_id.startswith("A.")):
                self._from_2013(written, clause_id, item, clauses)
                return
            if OBJECTIVE_2013.match(clause_id):
                successors = sorted(
                    {t for c, s in iso27001_2013_to_2022().items() if c.startswith(clause_id + ".") for t in s.to},
                    key=_control_order,
                )
                for target in successors:
                    self._add("iso27001", target, written, item, clauses, quiet=True)
                item.note(
                    "flagged",
                    f"{written} is a 2013 control objective: mapped to the 2022 successors of its controls "
                    f"({', '.join(successors)}); keep only those the document really covers",
                )
                return
        self._add(key, clause_id, written, item, clauses)

    def _from_2013(self, written: str, clause_id: str, item: ImportedFile, clauses: dict[str, list[str]]) -> None:
        successor = iso27001_2013_to_2022().get(clause_id)
        if successor is None:
            item.note("unmapped", f"{written}: no ISO/IEC 27001:2013 control {clause_id}; map it by hand")
            return
        for target in successor.to:
            self._add("iso27001", target, written, item, clauses, quiet=True)
        targets = ", ".join(successor.to)
        if successor.merged or len(successor.to) > 1:
            how = "merged with other 2013 controls" if successor.merged else "split"
            item.note("flagged", f"{written} (27001:2013) -> {targets} (27001:2022, {how}): check the mapping")
        else:
            item.note("mapped", f"{written} (27001:2013) -> {targets} (27001:2022)")

    def _add(
        self, key: str, clause_id: str, written: str, item: ImportedFile, clauses: dict[str, list[str]], quiet=False
    ) -> None:
        problem = check_clause(key, clause_id, self.catalogs, self.config)
        if problem:
            if key not in self.catalogs:
                item.no_catalogue.setdefault(written.rpartition(":")[0] or key, []).append(clause_id)
                return
            item.note("unmapped", f"{written}: {problem}")
            return
        ids = clauses.setdefault(key, [])
        if clause_id not in ids:
            ids.append(clause_id)
        if not quiet and written != f"{key}:{clause_id}":
            item.note("mapped", f"{written} -> {key}:{clause_id}")


def _control_order(clause_id: str) -> tuple[int, ...]:
    return tuple(int(p) for p in clause_id[2:].split(".") if p.isdigit())


def _references(value: Any, standard: str | None = None) -> list[tuple[str | None, str]]:
    """Flatten lists, dicts of lists and comma-separated strings of clause references."""
    if isinstance(value, dict):
        return [ref for key, sub in value.items() for ref in _references(sub, str(key))]
    if isinstance(value, list):
        return [ref for sub in value for ref in _references(sub, standard)]
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [_split_reference(part, standard) for part in re.split(r"[,;]", str(value)) if part.strip()]
    return []


def _person(value: Any, config: Config) -> str | None:
    """The people key a foreign owner names: a key, a name, a GitHub handle or an e-mail."""
    if not isinstance(value, str):
        return None
    text = value.strip().lstrip("@").lower()
    for key, person in config.people.items():
        candidates = {key.lower(), person.name.lower(), person.github.lower(), person.email.lower()}
        if text in candidates - {""}:
            return key
    return None


# --- the import --------------------------------------------------------------------------------


def _sources(source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    found = [p for p in source.rglob("*.md") if not any(part.startswith(".") for part in p.relative_to(source).parts)]
    return sorted(found)


def _map_fields(item: ImportedFile, metadata: dict[str, Any], options: ImportOptions) -> dict[str, Any]:
    """Foreign metadata -> {our field: value}; reports every key it does not carry."""
    fields: dict[str, Any] = {}
    for key, value in metadata.items():
        name = str(key)
        target = options.mappings.get(name) or ALIASES.get(name.lower())
        if target == "ignore":
            continue
        if name.lower() == "type" and target is None:
            if value != options.type:
                item.note("flagged", f"type {value!r} in the source; imported as {options.type} (--type)")
            continue
        if target is None:
            if name.lower() in APPROVAL_FIELDS:
                shown = _date_text(value) or value
                item.note("flagged", f"{name}: {shown!s} not carried over: approve the draft again")
            else:
                item.note("unmapped", f"{name}: no isodocs field; dropped (--map {name}=FIELD to keep it)")
            continue
        if target in ("controls", "clauses"):
            fields.setdefault("references", []).append((name, value))
        elif target == "tags":
            values = value if isinstance(value, list) else [value]
            fields.setdefault("tags", []).extend(str(v) for v in values if v is not None)
            if target != name.lower():
                item.note("mapped", f"{name} -> tags")
        elif target in fields:
            item.note("unmapped", f"{name}: {target} already taken from another key; dropped")
        else:
            fields[target] = (name, value)
    return fields


def plan_file(
    path: Path, rel: str, options: ImportOptions, system: ManagementSystem, resolver: ClauseResolver
) -> ImportedFile:
    item = ImportedFile(source=rel)
    # The one reader: regular files inside the source folder only, as the loader will read the result.
    source_root = options.source if options.source.is_dir() else options.source.parent
    text, problem = safefs.read_text(source_root, path, system.config.max_file_bytes, keep_line_endings=True)
    if problem is not None:
        item.skipped = f"{problem.message}; fix the source and import again"
        return item
    assert text is not None
    parts = split_source(text)
    if parts.fatal:
        item.skipped = f"{parts.problem}; fix the source and import again"
        return item
    if parts.problem:
        item.note("flagged", parts.problem)
    metadata, body = parts.metadata or {}, parts.body
    item.foreign = parts.metadata is not None
    item.body = body
    fields = _map_fields(item, metadata, options)
    config = system.config
    doc_type = options.type
    data: dict[str, Any] = {}

    # title
    title_field = fields.get("title")
    if title_field and isinstance(title_field[1], str) and title_field[1].strip():
        data["title"] = title_field[1].strip()
        if title_field[0] != "title":
            item.note("mapped", f"{title_field[0]} -> title")
    else:
        heading = first_heading(body)
        if heading:
            data["title"] = heading
            item.note("guessed", f"title from the first heading: {heading!r}")
        else:
            data["title"] = path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled"
            item.note("guessed", f"title from the file name: {data['title']!r}")
    item.title = data["title"]

    # id: claimed in a first pass (see run_import); here only remembered
    id_field = fields.get("id")
    item.foreign_id = str(id_field[1]).strip() if id_field else None
    data["type"] = doc_type

    if doc_type != "record":
        version_field = fields.get("version")
        version, remark = normalise_version(version_field[1]) if version_field else (None, None)
        if version:
            data["version"] = version
            item.note("flagged" if remark else "mapped", remark or f"version {version}")
        else:
            data["version"] = "0.1"
            if version_field:
                item.note("unmapped", f"version {version_field[1]!r} is not MAJOR.MINOR; set version 0.1")
        data["status"] = "draft"

    # owner
    owner_field = fields.get("owner")
    owner = _person(owner_field[1], config) if owner_field else None
    if owner:
        item.note("mapped", f"owner {owner_field[1]!r} -> {owner}")  # type: ignore[index]
    elif options.owner:
        owner = options.owner
        what = f"owner {owner_field[1]!r} is no person in isodocs.yml; " if owner_field else ""
        item.note("guessed", f"{what}owner {owner} (from --owner)")
    elif owner_field:
        item.note("unmapped", f"owner {owner_field[1]!r} is no person in isodocs.yml: pass --owner KEY")
    else:
        item.note("unmapped", "no owner: pass --owner KEY")
    if owner:
        data["owner"] = owner

    # record and external specifics
    if doc_type == "record":
        date_field = fields.get("date")
        date = _date_text(date_field[1]) if date_field else None
        data["date"] = date or system.today.isoformat()
        if not date:
            item.note("guessed", f"date {data['date']} (today): set the day the record was made")
        retention = fields.get("retention_years")
        if retention and isinstance(retention[1], int) and not isinstance(retention[1], bool) and retention[1] >= 0:
            data["retention_years"] = retention[1]
        else:
            data["retention_years"] = 6
            item.note("guessed", "retention_years 6: set the period your retention schedule gives")
    if doc_type == "external":
        source_field = fields.get("source")
        if source_field and str(source_field[1]).strip():
            data["source"] = str(source_field[1]).strip()
        else:
            data["source"] = "unknown: record the publisher and reference"
            item.note("guessed", "source unknown: record the publisher, reference or URL")

    # classification
    classification_field = fields.get("classification")
    level = None
    if classification_field and isinstance(classification_field[1], str):
        written = classification_field[1].strip().lower()
        level = written if written in CLASSIFICATIONS else CLASSIFICATION_SYNONYMS.get(written)
        if level:
            item.note("mapped", f"classification {classification_field[1]!r} -> {level}")
    if level is None:
        level = "internal"
        if classification_field:
            item.note("guessed", f"classification {classification_field[1]!r} unknown; set internal")
    data["classification"] = level

    # clauses
    clauses: dict[str, list[str]] = {}
    for name, value in fields.get("references", []):
        refs = _references(value)
        if not refs:
            item.note("unmapped", f"{name}: no clause references found in it")
        for standard, clause_id in refs:
            resolver.resolve(standard, clause_id, item, clauses)
    for standard, clause_id in _references(options.clauses):
        resolver.resolve(standard, clause_id, item, clauses)
    for standard, ids in item.no_catalogue.items():
        item.note(
            "unmapped",
            f"{standard}: {', '.join(ids)}: no catalogue '{_standard_key(standard)[0]}' in this repository; "
            "add one under catalogs: in isodocs.yml and import again, or map them by hand",
        )
    if clauses:
        data["clauses"] = clauses

    # simple optional fields
    for name in ("description", "review_interval"):
        if name in fields:
            foreign_name, value = fields[name]
            ok = isinstance(value, str) if name == "description" else isinstance(value, int) and value >= 1
            if ok and not isinstance(value, bool):
                data[name] = value.strip() if isinstance(value, str) else value
            else:
                item.note("unmapped", f"{foreign_name}: {value!r} is not a valid {name}; dropped")
    if "tags" in fields:
        data["tags"] = list(dict.fromkeys(t for t in fields["tags"] if t.strip()))
    item.data.update(data)
    return item


def _assets(item: ImportedFile, source_file: Path, source_root: Path, target_file: Path) -> None:
    """Copy the relative non-Markdown files a document links to (images, attachments)."""
    for link, _ in relative_links(item.body):
        file_part = link.split("#", 1)[0].split("?", 1)[0]
        if not file_part:
            continue
        linked = (source_file.parent / file_part).resolve()
        if file_part.endswith(".md") or not linked.is_file():
            continue
        try:
            inside = linked.relative_to(source_root.resolve())
        except ValueError:
            item.note("flagged", f"link to {link} points outside the imported folder; copy the file in by hand")
            continue
        destination = target_file.parent / file_part
        item.assets.append((source_root / inside, destination))


def run_import(options: ImportOptions) -> ImportResult:
    """Plan (and unless dry_run, write) the import. Raises UsageError for bad input."""
    if options.type not in TYPE_PREFIX:
        raise UsageError(f"--type: unknown type '{options.type}'; one of: {', '.join(TYPE_PREFIX)}")
    for key, target in options.mappings.items():
        if target not in MAP_TARGETS:
            raise UsageError(f"--map {key}={target}: no field {target}; one of: {', '.join(MAP_TARGETS)}")
    source = options.source
    if not source.exists():
        raise UsageError(f"{source}: no such file or folder")
    system, _ = load_system(options.root, options.today)
    config = system.config
    if options.owner:
        check_owner(options.owner, config)
    if options.clauses:
        from isodocs.authoring import parse_clause_option

        parse_clause_option(options.clauses, system.catalogs, config)  # refuse bad --clauses up front
    source_root = source if source.is_dir() else source.parent
    for folder in config.paths:
        base = (options.root / folder).resolve()
        if source.resolve() == base or source.resolve().is_relative_to(base):
            raise UsageError(
                f"{source} is inside the document folder {folder}/; move the old documents out of it "
                "(e.g. to import/) and import from there"
            )
    dest_folder = options.dest or Path((TYPE_FOLDERS[options.type] or ("procedures",))[0])
    dest = dest_folder if dest_folder.is_absolute() else options.root / dest_folder
    dest_rel = relative(options.root, dest)
    if not any(dest_rel == p or dest_rel.startswith(p.rstrip("/") + "/") for p in config.paths):
        raise UsageError(f"--dest: {dest_rel} is outside the document folders (paths: {', '.join(config.paths)})")

    resolver = ClauseResolver(system.catalogs, config)
    ids = IdAllocator.for_system(system)
    prefix = TYPE_PREFIX[options.type]
    items: list[ImportedFile] = []
    targets: set[Path] = set()
    for path in _sources(source):
        rel = path.relative_to(source_root).as_posix()
        if path.name.lower() in SECTION_PAGES:
            items.append(ImportedFile(source=rel, skipped="section page (index.md / README.md), not a document"))
            continue
        item = plan_file(path, rel, options, system, resolver)
        target = dest / rel
        if not item.skipped:
            if target.exists():
                item.skipped = f"{relative(options.root, target)} already exists; not overwritten"
            elif target in targets:
                item.skipped = f"{relative(options.root, target)} is the target of another source file"
            else:
                targets.add(target)
                item.target = relative(options.root, target)
                _assets(item, path, source_root, target)
        items.append(item)

    # ids: first keep every foreign id that fits the type and is free, then number the rest
    planned = [item for item in items if not item.skipped]
    for item in planned:
        if item.foreign_id and re.fullmatch(rf"{prefix}-\d{{3,}}", item.foreign_id) and ids.claim(item.foreign_id):
            item.id = item.foreign_id
            item.note("mapped", f"id {item.id}")
    for item in planned:
        if item.id is None:
            item.id = ids.next(prefix)
            if item.foreign_id:
                item.note("flagged", f"id {item.foreign_id!r} does not fit {prefix}-nnn or is taken: new id {item.id}")
        item.data["id"] = item.id

    missing_owner = [i.source for i in items if not i.skipped and "owner" not in i.data]
    if missing_owner and not options.dry_run:
        shown = ", ".join(missing_owner[:5]) + (" ..." if len(missing_owner) > 5 else "")
        raise UsageError(
            f"{len(missing_owner)} file(s) name no owner known in isodocs.yml ({shown}): "
            "pass --owner KEY for them; nothing written"
        )
    if not options.dry_run:
        for item in items:
            if item.skipped or item.target is None:
                continue
            target = options.root / item.target
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("x", encoding="utf-8", newline="") as handle:
                handle.write(item.text)
            for asset_source, asset_target in item.assets:
                if not asset_target.exists():
                    asset_target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(asset_source, asset_target)
    return ImportResult(files=items, written=not options.dry_run)


def format_report(result: ImportResult) -> str:
    """What the import mapped, guessed and could not map, file by file, and a summary."""
    lines: list[str] = []
    for item in result.files:
        if item.skipped:
            lines.append(f"skipped  {item.source}: {item.skipped}")
            continue
        origin = "front matter mapped" if item.foreign else "no front matter"
        lines.append(f"{item.target}  <- {item.source}  {item.id} {item.title!r} ({origin})")
        for note in item.notes:
            lines.append(f"  {note.kind:<8} {note.text}")
        for _, asset in item.assets:
            lines.append(f"  {'asset':<8} copies linked file {asset.name}")
    imported = result.imported
    foreign = sum(1 for f in imported if f.foreign)
    skipped = len(result.files) - len(imported)
    verb = "imported" if result.written else "would import"
    summary = (
        f"{verb} {len(imported)} files as drafts ({foreign} with front matter, {len(imported) - foreign} without), "
        f"{skipped} skipped; {result.count('mapped')} mapped, {result.count('guessed')} guessed, "
        f"{result.count('flagged')} to check, {result.count('unmapped')} not mapped"
    )
    if not result.written:
        summary += "; nothing written (--dry-run)"
    lines.append("")
    lines.append(summary)
    return "\n".join(lines) + "\n"
