"""``isodocs import``: bring an existing set of Markdown documents in as drafts.

Every source file becomes a draft of one type in the type's folder, under the
same relative path and file name (so links between the imported files keep
working). The front matter is built from:

- nothing, when the file has none: the title from the first heading, the next id;
- another tool's front matter, mapped field by field: comply's header (written
  as comply writes it, *without* an opening ``---``: ``name``/``acronym``/
  ``satisfies: {TSC: [...]}``/``majorRevisions`` then a ``---`` line), the
  ``title``/``owner``/``version``/``status``/``controls: [iso27001:A.5.1]``/
  ``next_review`` style of Docusaurus and MkDocs ISMS portals, and isodocs' own
  fields. Clause references go through the one ``ClauseResolver`` of every
  command (ISO/IEC 27001:2013 ids become their 2022 successors), owners through
  the one person resolver (``authoring.resolve_person``).

The body is kept as written except for what the site would otherwise render
wrongly (``import_body``: comply's ``a.``/``i.`` lists and 2-3-space nesting, a
first H1 that is a section rather than the title) and links the site could not
follow (root-relative links into the source site's ``static/`` folder: the file
is copied and the link made relative). Every change is in the report.

What could not be mapped is dropped from the front matter (isodocs' schema
allows no unknown keys) and listed in the report. Sources are only read. Imported
documents are always drafts: whatever the old tool said, approval happens again
through a pull request.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import frontmatter

from isodocs.app.load import load_system
from isodocs.authoring import import_body
from isodocs.authoring.common import (
    ClauseResolver,
    IdAllocator,
    Note,
    check_owner,
    default_folder,
    document_text,
    dump_front_matter,
    is_placeholder,
    iso27001_2013_to_2022,
    relative,
    resolve_person,
    slugify,
    standard_key,
)
from isodocs.errors import UsageError
from isodocs.model import CLASSIFICATIONS, SECTION_PAGES, TYPE_PREFIX, ManagementSystem
from isodocs.readers import safefs
from isodocs.readers.yamlio import YamlError, parse_yaml
from isodocs.rules.references import relative_links, root_link_path, root_links

__all__ = ["ImportOptions", "ImportResult", "format_report", "iso27001_2013_to_2022", "run_import", "split_source"]

# Our fields that --map may target; "ignore" drops a foreign key without a report line.
MAP_TARGETS = (
    "id", "title", "owner", "version", "classification", "clauses", "controls", "description", "tags",
    "review_interval", "date", "retention_years", "source", "aliases", "ignore",
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
    "aliases": "aliases", "alias": "aliases", "source_id": "aliases", "legacy_id": "aliases",
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
VERSION = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.\d+)*$", re.IGNORECASE)


# comply writes its header without an opening ---: "name: ..." on line 1, closed by a --- line.
HEADER_KEY = re.compile(r"^[A-Za-z_][\w-]*:(\s|$)")
# "ISMS.05.01 - Access Control Policy", "SOP-17: User access", "P 02 4 30 - Risk Assessment"
NUMBERED_TITLE = re.compile(
    r"^(?P<id>(?!ISO\b|IEC\b|SOC\b|NIST\b)[A-Z][A-Za-z]{0,9}(?:[ .-]?\d+)+)\s*[-\u2013\u2014:]\s+(?P<title>\S.*)$"
)
RECORD_DATES = ("date", "effective_date", "effective", "approved_on", "approval_date")  # a record's date, in order
STATUS_FIELDS = ("status", "state")
# Page settings of the source site's generator (Docusaurus, MkDocs, Jekyll, Hugo) and comply's
# publishing switch: the isodocs site orders and names pages itself, so they are dropped quietly.
SITE_KEYS = (
    "sidebar_position", "sidebar_label", "sidebar_class_name", "slug", "hide_title", "hide_table_of_contents",
    "pagination_label", "pagination_next", "pagination_prev", "custom_edit_url", "displayed_sidebar",
    "toc_min_heading_level", "toc_max_heading_level", "nav_order", "parent", "has_children", "layout", "permalink",
    "weight", "hide", "live",
)  # fmt: skip
ATTACHMENTS = "attachments"  # under the destination folder: files root-relative links named


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
    section_pages: bool = False  # import index.md / README.md as documents too


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
    aliases: list[str] = field(default_factory=list)  # the source's own ids (ISMS.05.01, SOP-17)
    no_catalogue: dict[str, list[str]] = field(default_factory=dict)  # standard -> ids, reported once
    data: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    assets: list[tuple[Path, Path]] = field(default_factory=list)  # (source file, target file) to copy

    def note(self, kind: str, text: str, topic: str = "") -> None:
        self.notes.append(Note(kind, text, topic))

    @property
    def text(self) -> str:
        return document_text(dump_front_matter(self.data), self.body)


@dataclass
class ImportResult:
    files: list[ImportedFile]
    written: bool

    def count(self, kind: str) -> int:
        """Notes of one kind over the files imported (a skipped file's notes are not counted)."""
        return sum(1 for f in self.imported for n in f.notes if n.kind == kind)

    @property
    def imported(self) -> list[ImportedFile]:
        return [f for f in self.files if not f.skipped]


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
    front: str = ""  # the front matter as written (a version is read from it as written)
    headerless: bool = False  # comply's header: no opening ---


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
            return SourceParts({}, body, front=front)
        if not isinstance(metadata, dict):
            return SourceParts(None, body, "front matter is not a mapping of keys", True)
        return SourceParts(metadata, body, front=front)
    return _headerless(lines) or SourceParts(None, text)


def _headerless(lines: list[str]) -> SourceParts | None:
    """comply's header as comply writes it: YAML from line 1 up to a ``---`` line, no opening ``---``.

    Taken only when line 1 is ``key:`` and the lines parse as a mapping with a key
    the importer knows (``name``, ``title``, ``status``, ``majorRevisions`` ...):
    a setext heading such as "Note: read this" over ``---``, or prose that happens
    to read as YAML, stays body.
    """
    if not HEADER_KEY.match(lines[0]):
        return None
    closing = next((i for i in range(1, len(lines)) if YAML_DELIMITER.match(lines[i].rstrip("\r\n"))), None)
    if closing is None:
        return None
    front = "".join(lines[:closing])
    try:
        metadata = parse_yaml(front).data
    except YamlError:
        return None
    known = (*ALIASES, *APPROVAL_FIELDS, *SITE_KEYS, "majorrevisions")
    if not isinstance(metadata, dict) or not any(str(k).lower() in known for k in metadata):
        return None  # "Purpose: ...\nScope: ..." over a rule is prose: nothing of it may be dropped
    return SourceParts(metadata, "".join(lines[closing + 1 :]), front=front, headerless=True)


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


def shown(value: Any) -> str:
    """A foreign value as the user wrote it (a YAML list as ``a, b``, not a Python repr)."""
    if isinstance(value, list):
        return ", ".join(shown(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {shown(v)}" for k, v in value.items())
    return _date_text(value) or str(value)


def normalise_version(value: Any, written: str | None = None) -> tuple[str | None, str | None]:
    """(MAJOR.MINOR, a remark) from what other tools write as a version.

    ``written`` is the value as it stands in the source: YAML reads ``1.10`` as 1.1,
    so an unquoted number is taken as written, not as YAML read it.
    """
    if isinstance(value, bool) or value is None:
        return None, None
    if isinstance(value, (int, float)) and written and VERSION.match(written):
        value = written
    elif isinstance(value, float):
        return f"{value}", f"version {value} was an unquoted number; check it (1.10 reads as 1.1)"
    match = VERSION.match(str(value).strip())
    if not match:
        return None, None
    text = f"{match.group(1)}.{match.group(2) or 0}"
    return text, (None if text == str(value).strip() else f'version {value!s} written as "{text}"')


def _written_scalar(front: str, key: str) -> str | None:
    """The text of a top-level ``key: value`` line as it stands in the front matter."""
    match = re.search(rf"^{re.escape(key)}\s*:[ \t]*([^#\r\n]*?)[ \t]*(#.*)?$", front, re.MULTILINE)
    return match.group(1).strip("'\"") if match else None


# "iso27001:A.5.1", "ISO/IEC 27001:2013 A.9.2.1", "iso9001: 7.5", "A.5.1", "CC6.1"
REFERENCE = re.compile(
    r"^(?:(?P<standard>[A-Za-z][\w/ .-]*?(?::\d{4})?)\s*[:\s]\s*)?(?P<id>[A-Za-z]{0,3}\.?\s?\d[\w.]*)$"
)


def _split_reference(reference: str, standard: str | None) -> tuple[str | None, str]:
    """(standard as written or inherited, clause id as written)."""
    reference = reference.strip()
    match = REFERENCE.match(reference)
    if not match:
        return standard, reference
    return match.group("standard") or standard, match.group("id")


def _references(value: Any, standard: str | None = None) -> list[tuple[str | None, str]]:
    """Flatten lists, dicts of lists and comma-separated strings of clause references."""
    if isinstance(value, dict):
        return [ref for key, sub in value.items() for ref in _references(sub, str(key))]
    if isinstance(value, list):
        return [ref for sub in value for ref in _references(sub, standard)]
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [_split_reference(part, standard) for part in re.split(r"[,;]", str(value)) if part.strip()]
    return []


def _approval_note(item: ImportedFile, name: str, value: Any, doc_type: str) -> None:
    """Say what approval state is not carried over; nothing when nothing is lost."""
    if is_placeholder(value):
        return  # [TBD]: nothing to carry over
    if name.lower() in STATUS_FIELDS:
        if doc_type == "record" or str(value).strip().lower() == "draft":
            return  # a record has no status; a draft stays a draft
        item.note(
            "flagged",
            f"{name}: {shown(value)} not carried over: approve the draft again",
            f"status {shown(value)} not carried over (imported as draft): approve again",
        )
        return
    item.note(
        "flagged",
        f"{name}: {shown(value)} not carried over",
        "approval and review fields not carried over (set again on approval)",
    )


def _map_fields(item: ImportedFile, metadata: dict[str, Any], options: ImportOptions) -> dict[str, Any]:
    """Foreign metadata -> {our field: (foreign key, value)}; reports every key it does not carry."""
    fields: dict[str, Any] = {}
    for key, value in metadata.items():
        name = str(key)
        target = options.mappings.get(name) or ALIASES.get(name.lower())
        if target == "ignore":
            continue
        if options.type == "record" and name.lower() in RECORD_DATES:
            fields.setdefault("dates", []).append((name, value))  # a record's date (date, else effective_date)
            continue
        if name.lower() == "type" and target is None:
            if value != options.type:
                item.note(
                    "flagged",
                    f"type {value!r} in the source; imported as {options.type} (--type)",
                    "the source's type replaced by --type",
                )
            continue
        if target is None and name.lower() in SITE_KEYS:
            text = f"{name}: a page setting of the source site; dropped"
            item.note("mapped", text, "the source site's page settings (sidebar_position, slug, live ...) dropped")
            continue
        if target is None:
            if name.lower() in APPROVAL_FIELDS:
                _approval_note(item, name, value, options.type)
            else:
                item.note(
                    "unmapped",
                    f"{name}: no isodocs field; dropped (--map {name}=FIELD to keep it)",
                    f"{name}: no isodocs field; dropped (--map {name}=FIELD to keep it)",
                )
            continue
        if target in ("controls", "clauses"):
            fields.setdefault("references", []).append((name, value))
        elif target in ("tags", "aliases"):
            values = value if isinstance(value, list) else [value]
            fields.setdefault(target, []).extend(str(v) for v in values if v is not None and not is_placeholder(v))
            if target != name.lower():
                item.note("mapped", f"{name} -> {target}", f"{name} -> {target}")
        elif target in fields:
            item.note("unmapped", f"{name}: {target} already taken from another key; dropped")
        else:
            fields[target] = (name, value)
    return fields


# --- planning one file: one function per field -----------------------------------------------------


@dataclass
class Plan:
    """What every field's function needs: the options, the repository, the foreign fields."""

    options: ImportOptions
    system: ManagementSystem
    resolver: ClauseResolver
    fields: dict[str, Any]
    front: str  # the source's front matter as written
    path: Path


def _plan_title(item: ImportedFile, plan: Plan) -> None:
    """Title from title/name, else the first heading, else the file name; a leading number is an alias."""
    title_field = plan.fields.get("title")
    if (
        title_field
        and isinstance(title_field[1], str)
        and title_field[1].strip()
        and not is_placeholder(title_field[1])
    ):
        title = title_field[1].strip()
        if title_field[0] != "title":
            item.note("mapped", f"{title_field[0]} -> title", f"{title_field[0]} -> title")
        numbered = NUMBERED_TITLE.match(title)
        if numbered:
            title = numbered.group("title").strip()
            item.aliases.append(numbered.group("id"))
            item.note(
                "mapped",
                f"title's number {numbered.group('id')} kept under aliases: title {title!r}",
                "the source's document numbers moved from the title to aliases",
            )
    else:
        heading = first_heading(item.body)
        if heading:
            title = heading
            item.note("guessed", f"title from the first heading: {heading!r}", "title from the first heading")
        else:
            title = plan.path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled"
            item.note("guessed", f"title from the file name: {title!r}", "title from the file name")
    item.data["title"] = item.title = title
    item.data["type"] = plan.options.type


def _plan_id(item: ImportedFile, plan: Plan) -> None:
    """Remember the foreign id: claimed in a first pass over all files (see run_import)."""
    id_field = plan.fields.get("id")
    if id_field and not is_placeholder(id_field[1]):
        item.foreign_id = str(id_field[1]).strip()


def _plan_version(item: ImportedFile, plan: Plan) -> None:
    """Version as MAJOR.MINOR, read as written (1.10 stays 1.10); every import is a draft."""
    if plan.options.type == "record":
        return
    version_field = plan.fields.get("version")
    version, remark = (None, None)
    if version_field and not is_placeholder(version_field[1]):
        written = _written_scalar(plan.front, version_field[0])
        version, remark = normalise_version(version_field[1], written)
    if version:
        item.data["version"] = version
        if remark and re.search(r"\d+\.\d+\.\d+", str(version_field and version_field[1])):
            item.note("flagged", remark)  # 1.0.3 -> 1.0 drops a part: to check
        elif remark:
            item.note("mapped", remark, "versions written as MAJOR.MINOR")
    else:
        item.data["version"] = "0.1"
        if version_field and not is_placeholder(version_field[1]):
            item.note(
                "unmapped",
                f"version {shown(version_field[1])!r} is not MAJOR.MINOR; set version 0.1",
                "version not MAJOR.MINOR: set 0.1",
            )
    item.data["status"] = "draft"


def _plan_owner(item: ImportedFile, plan: Plan) -> None:
    """Owner through the one person resolver; --owner where the source names nobody known."""
    owner_field = plan.fields.get("owner")
    written = shown(owner_field[1]) if owner_field else ""
    placeholder = owner_field is not None and is_placeholder(owner_field[1])
    owner = None if placeholder or not owner_field else resolve_person(owner_field[1], plan.system.config)
    fallback = plan.options.owner and check_owner(plan.options.owner, plan.system.config)
    if owner:
        if written != owner:
            item.note("mapped", f"owner {written!r} -> {owner}", "owners matched to people of isodocs.yml")
    elif fallback:
        owner = fallback
        if placeholder:
            item.note(
                "guessed",
                f"owner {written!r} is a placeholder; owner {owner} (from --owner)",
                f"owner a placeholder in the source; {owner} from --owner",
            )
        elif owner_field:
            item.note(
                "guessed",
                f"owner {written!r} is no person in isodocs.yml; owner {owner} (from --owner)",
                f"owner unknown in isodocs.yml; {owner} from --owner",
            )
        else:
            item.note(
                "guessed",
                f"no owner in the source; owner {owner} (from --owner)",
                f"no owner in the source; {owner} from --owner",
            )
    else:
        why = f"owner {written!r} is no person in isodocs.yml" if owner_field and not placeholder else "no owner"
        item.note("unmapped", f"{why}: pass --owner KEY", "no owner known in isodocs.yml: pass --owner KEY")
    if owner:
        item.data["owner"] = owner


def _plan_record(item: ImportedFile, plan: Plan) -> None:
    """A record's date (from date, else effective_date ...) and retention."""
    if plan.options.type != "record":
        return
    dates = sorted(plan.fields.get("dates", []), key=lambda f: RECORD_DATES.index(f[0].lower()))
    found = next(((name, _date_text(value)) for name, value in dates if _date_text(value)), None)
    if found:
        item.data["date"] = found[1]
        if found[0].lower() != "date":
            item.note("mapped", f"{found[0]} -> date {found[1]}", f"{found[0]} -> date")
    else:
        item.data["date"] = plan.system.today.isoformat()
        item.note(
            "guessed",
            f"date {item.data['date']} (today): set the day the record was made",
            "record date: today (no date in the source)",
        )
    retention = plan.fields.get("retention_years")
    value = retention[1] if retention else None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        item.data["retention_years"] = value
    else:
        item.data["retention_years"] = 6
        item.note(
            "guessed",
            "retention_years 6: set the period your retention schedule gives",
            "retention_years 6: set your retention schedule's period",
        )


def _plan_external(item: ImportedFile, plan: Plan) -> None:
    """An external document's source (publisher, reference or URL)."""
    if plan.options.type != "external":
        return
    source_field = plan.fields.get("source")
    if source_field and str(source_field[1]).strip():
        item.data["source"] = str(source_field[1]).strip()
    else:
        item.data["source"] = "unknown: record the publisher and reference"
        item.note("guessed", "source unknown: record the publisher, reference or URL", "external source unknown")


def _plan_classification(item: ImportedFile, plan: Plan) -> None:
    """Classification by name or synonym; internal when absent or unknown."""
    classification_field = plan.fields.get("classification")
    level = None
    if classification_field and isinstance(classification_field[1], str):
        written = classification_field[1].strip().lower()
        level = written if written in CLASSIFICATIONS else CLASSIFICATION_SYNONYMS.get(written)
        if level and level != classification_field[1]:
            item.note("mapped", f"classification {classification_field[1]!r} -> {level}", "classification mapped")
    if level is None:
        level = "internal"
        if classification_field and not is_placeholder(classification_field[1]):
            item.note(
                "guessed",
                f"classification {shown(classification_field[1])!r} unknown; set internal",
                "classification unknown: set internal",
            )
    item.data["classification"] = level


def _plan_clauses(item: ImportedFile, plan: Plan) -> None:
    """Clause references of the source and of --clauses, through the one ClauseResolver."""
    clauses: dict[str, list[str]] = {}
    references: list[tuple[str | None, str]] = []
    for name, value in plan.fields.get("references", []):
        refs = _references(value)
        if not refs:
            item.note("unmapped", f"{name}: no clause references found in it", "no clause references found")
        references.extend(refs)
    references.extend(_references(plan.options.clauses))
    catalogs = plan.system.catalogs
    for standard, clause_id in references:
        key = standard_key(standard)[0] if standard else None
        if key == "tsc" and "tsc" not in catalogs and "soc2" in catalogs:
            key = "soc2"
        if key is not None and key not in catalogs:
            item.no_catalogue.setdefault(standard or key, []).append(clause_id)
            continue
        resolved, notes = plan.resolver.resolve(standard, clause_id)
        item.notes.extend(notes)
        for std, target in resolved:
            ids = clauses.setdefault(std, [])
            if target not in ids:
                ids.append(target)
    for standard, ids in item.no_catalogue.items():
        key = standard_key(standard)[0]
        item.note(
            "unmapped",
            f"{standard}: {', '.join(ids)}: no catalogue '{key}' in this repository; add one under "
            "catalogs: in isodocs.yml and import again, or map them by hand",
            f"no catalogue '{key}' in this repository: {standard} references not mapped",
        )
    if clauses:
        item.data["clauses"] = clauses


def _plan_optional(item: ImportedFile, plan: Plan) -> None:
    """description, review_interval, tags and aliases when the source has valid ones."""
    for name in ("description", "review_interval"):
        if name in plan.fields:
            foreign_name, value = plan.fields[name]
            ok = isinstance(value, str) if name == "description" else isinstance(value, int) and value >= 1
            if ok and not isinstance(value, bool):
                item.data[name] = value.strip() if isinstance(value, str) else value
            else:
                item.note("unmapped", f"{foreign_name}: {shown(value)!r} is not a valid {name}; dropped")
    if "tags" in plan.fields:
        item.data["tags"] = list(dict.fromkeys(t for t in plan.fields["tags"] if t.strip()))
    item.aliases.extend(plan.fields.get("aliases", []))


PLANNERS: tuple[Callable[[ImportedFile, Plan], None], ...] = (
    _plan_title, _plan_id, _plan_version, _plan_owner, _plan_record, _plan_external, _plan_classification,
    _plan_clauses, _plan_optional,
)  # fmt: skip


def _read_source(path: Path, options: ImportOptions, max_bytes: int) -> tuple[str | None, str | None]:
    """(text, None) of a source file, or (None, why it is skipped).

    The one reader (safefs): regular files inside the source folder only, as the loader will read the result.
    """
    source_root = options.source if options.source.is_dir() else options.source.parent
    text, problem = safefs.read_text(source_root, path, max_bytes, keep_line_endings=True)
    if problem is not None:
        return None, f"{problem.message}; fix the source and import again"
    return text, None


def plan_file(
    path: Path, rel: str, options: ImportOptions, system: ManagementSystem, resolver: ClauseResolver
) -> ImportedFile:
    """The front matter and body one source file becomes, with its notes (nothing written)."""
    item = ImportedFile(source=rel)
    text, skipped = _read_source(path, options, system.config.max_file_bytes)
    if text is None:
        item.skipped = skipped
        return item
    assert text is not None
    parts = split_source(text)
    if parts.fatal:
        item.skipped = f"{parts.problem}; fix the source and import again"
        return item
    if parts.problem:
        item.note("flagged", parts.problem)
    if parts.headerless:
        item.note("mapped", "comply header (no opening ---) read as front matter", "comply headers read")
    item.foreign = parts.metadata is not None
    item.body = parts.body
    plan = Plan(options, system, resolver, _map_fields(item, parts.metadata or {}, options), parts.front, path)
    for planner in PLANNERS:
        planner(item, plan)
    _plan_body(item, from_front_matter="title" in plan.fields)
    return item


def _plan_body(item: ImportedFile, from_front_matter: bool) -> None:
    """Lists the site would misrender converted, the title as first heading; what will not render listed."""
    body, changes = import_body.convert_lists(item.body)
    if from_front_matter and item.title:
        body, more = import_body.title_heading(body, item.title)
        changes += more
    changes += import_body.not_rendered(body)
    item.body = body
    for change in changes:
        item.note(change.kind, change.text, change.topic)


# --- links and attachments ---------------------------------------------------------------------


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
            item.note(
                "flagged",
                f"link to {link} points outside the imported folder; copy the file in by hand",
                "links to files outside the imported folder: copy them by hand",
            )
            continue
        destination = target_file.parent / file_part
        item.assets.append((source_root / inside, destination))


def site_static_roots(source: Path) -> list[tuple[Path, str]]:
    """The folders a source site serves at its root: Docusaurus ``static/``, MkDocs ``docs_dir``.

    Found from the source folder upwards: the first folder with a
    ``docusaurus.config.*`` or ``mkdocs.yml`` is the site's.
    """
    start = (source if source.is_dir() else source.parent).resolve()
    for folder in (start, *start.parents):
        if any(folder.glob("docusaurus.config.*")):
            return [(folder / "static", "Docusaurus static/")]
        for name in ("mkdocs.yml", "mkdocs.yaml"):
            if (folder / name).is_file():
                try:
                    config = parse_yaml((folder / name).read_text("utf-8")).data or {}
                except (YamlError, OSError, UnicodeDecodeError):
                    config = {}
                docs_dir = config.get("docs_dir", "docs") if isinstance(config, dict) else "docs"
                return [(folder / str(docs_dir), f"MkDocs {docs_dir}/")]
    return []


def _served_file(root: Path, path: str) -> Path | None:
    """The file a site serving ``root`` gives for ``path``, or None; never one outside ``root``.

    A link such as ``/../../etc/passwd`` (or a symlink out of ``static/``) must not
    copy a file from outside the source site into the repository.
    """
    if not path or ".." in path.split("/"):
        return None
    file = (root / path).resolve()
    return file if file.is_file() and file.is_relative_to(root.resolve()) else None


def _root_assets(item: ImportedFile, roots: list[tuple[Path, str]], dest: Path, target_file: Path) -> None:
    """Root-relative links (``/policies/x.pdf``): copy the file the source site serves, link it relatively."""
    rewritten: dict[str, str] = {}
    for target, _ in root_links(item.body):
        if target in rewritten:
            continue
        path = root_link_path(target)
        found = next(((file, name) for root, name in roots if (file := _served_file(root, path))), None)
        if found is None:
            where = " or ".join(name for _, name in roots) or "no source site (no docusaurus.config.* or mkdocs.yml)"
            item.note(
                "unmapped",
                f"link to {target}: no such file in {where}; the site would give a 404: fix the link",
            )
            continue
        copy = dest / ATTACHMENTS / path
        item.assets.append((found[0], copy))
        new = quote(posixpath.relpath(copy.as_posix(), target_file.parent.as_posix()))
        fragment = target[len(target.split("#", 1)[0].split("?", 1)[0]) :]
        rewritten[target] = new + fragment
        item.note(
            "converted",
            f"link to {target}: {found[1]} file copied; link rewritten to {new}",
            f"root-relative links: files copied from the source site to {ATTACHMENTS}/, links made relative",
        )
    for old, new in rewritten.items():
        item.body = re.sub(
            r"(\]\(\s*<?|^\s{0,3}\[[^\]]+\]:\s*<?)" + re.escape(old) + r"(?=[>)\s]|$)",
            lambda m, new=new: m.group(1) + new,
            item.body,
            flags=re.MULTILINE,
        )


# --- the import --------------------------------------------------------------------------------


def _sources(source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    found = [p for p in source.rglob("*.md") if not any(part.startswith(".") for part in p.relative_to(source).parts)]
    return sorted(found)


def _skip_reason(path: Path, options: ImportOptions) -> str | None:
    """Why a source file is no document: a template partial, or a section page unless asked for."""
    if path.name.startswith("_"):
        return "template or partial (name starts with _; Docusaurus does not publish it either)"
    if path.name.lower() in SECTION_PAGES and not options.section_pages:
        return "section page (index.md / README.md); --section-pages imports it as a document"
    return None


def _target(path: Path, rel: str, dest: Path, item: ImportedFile) -> Path:
    """Where a source file goes: the same relative path; a section page under a name from its title."""
    target = dest / rel
    if path.name.lower() in SECTION_PAGES:  # isodocs reads index.md / README.md as section pages
        target = target.with_name(f"{slugify(item.title or target.parent.name or 'overview')}.md")
        item.note(
            "converted",
            f"section page imported as a document named {target.name}",
            "section pages imported as documents under a name from their title",
        )
    return target


def _check_options(options: ImportOptions) -> None:
    if options.type not in TYPE_PREFIX:
        raise UsageError(f"--type: unknown type '{options.type}'; one of: {', '.join(TYPE_PREFIX)}")
    for key, target in options.mappings.items():
        if target not in MAP_TARGETS:
            raise UsageError(f"--map {key}={target}: no field {target}; one of: {', '.join(MAP_TARGETS)}")
    if not options.source.exists():
        raise UsageError(f"{options.source}: no such file or folder")


def _destination(options: ImportOptions, system: ManagementSystem) -> Path:
    """The folder to write to, refused when it or the source is in the wrong place."""
    config = system.config
    source = options.source
    for folder in config.paths:
        base = (options.root / folder).resolve()
        if source.resolve() == base or source.resolve().is_relative_to(base):
            raise UsageError(
                f"{source} is inside the document folder {folder}/; move the old documents out of it "
                "(e.g. to import/) and import from there"
            )
    dest_folder = options.dest or Path(default_folder(options.type, config.paths))
    dest = dest_folder if dest_folder.is_absolute() else options.root / dest_folder
    dest_rel = relative(options.root, dest)
    if not any(dest_rel == p or dest_rel.startswith(p.rstrip("/") + "/") for p in config.paths):
        raise UsageError(f"--dest: {dest_rel} is outside the document folders (paths: {', '.join(config.paths)})")
    return dest


def _assign_ids(items: list[ImportedFile], ids: IdAllocator, prefix: str) -> None:
    """Keep every foreign id that fits the type and is free, number the rest; other ids become aliases."""
    planned = [item for item in items if not item.skipped]
    for item in planned:
        if item.foreign_id and re.fullmatch(rf"{prefix}-\d{{3,}}", item.foreign_id) and ids.claim(item.foreign_id):
            item.id = item.foreign_id
            item.note("mapped", f"id {item.id}", "ids kept")
    for item in planned:
        if item.id is None:
            item.id = ids.next(prefix)
            if item.foreign_id:
                item.aliases.insert(0, item.foreign_id)
                item.note(
                    "mapped",
                    f"id {item.foreign_id!r} kept under aliases; new id {item.id}",
                    "the source's ids kept under aliases (they do not fit isodocs' ids)",
                )
        item.data["id"] = item.id
        aliases = [a for a in dict.fromkeys(item.aliases) if a != item.id]
        if aliases:
            item.data["aliases"] = aliases


def _refuse_incomplete(items: list[ImportedFile], options: ImportOptions) -> None:
    """Owners, and a record's clauses (a record is final once merged), are needed before writing."""
    planned = [i for i in items if not i.skipped]
    if options.type == "record":
        for item in planned:
            if "clauses" not in item.data:
                item.note(
                    "unmapped",
                    "a record needs its clauses now (it is final once merged): pass --clauses",
                    "records without clauses: pass --clauses (a record is final once merged)",
                )
    if options.dry_run:
        return
    missing_owner = [i.source for i in planned if "owner" not in i.data]
    if missing_owner:
        raise UsageError(
            f"{len(missing_owner)} file(s) name no owner known in isodocs.yml ({_some(missing_owner)}): "
            "pass --owner KEY for them; nothing written"
        )
    no_clauses = [i.source for i in planned if options.type == "record" and "clauses" not in i.data]
    if no_clauses:
        raise UsageError(
            f"{len(no_clauses)} record(s) map to no clause ({_some(no_clauses)}): a record is final once merged, "
            "so it needs its clauses now: pass --clauses, e.g. iso9001:9.2.2; nothing written"
        )


def _some(names: list[str]) -> str:
    return ", ".join(names[:5]) + (" ..." if len(names) > 5 else "")


def _write(items: list[ImportedFile], root: Path) -> None:
    for item in items:
        if item.skipped or item.target is None:
            continue
        target = root / item.target
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8", newline="") as handle:
            handle.write(item.text)
        for asset_source, asset_target in item.assets:
            if not asset_target.exists():
                asset_target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(asset_source, asset_target)


def run_import(options: ImportOptions) -> ImportResult:
    """Plan (and unless dry_run, write) the import. Raises UsageError for bad input."""
    _check_options(options)
    system, _ = load_system(options.root, options.today)
    if options.owner:
        check_owner(options.owner, system.config)
    if options.clauses:
        from isodocs.authoring.common import parse_clause_option

        parse_clause_option(options.clauses, system.catalogs, system.config)  # refuse bad --clauses up front
    source = options.source
    source_root = source if source.is_dir() else source.parent
    dest = _destination(options, system)
    roots = site_static_roots(source)
    resolver = ClauseResolver(system.catalogs, system.config)
    items: list[ImportedFile] = []
    targets: set[Path] = set()
    for path in _sources(source):
        rel = path.relative_to(source_root).as_posix()
        reason = _skip_reason(path, options)
        if reason:
            items.append(ImportedFile(source=rel, skipped=reason))
            continue
        item = plan_file(path, rel, options, system, resolver)
        items.append(item)
        if item.skipped:
            continue
        target = _target(path, rel, dest, item)
        if target.exists():
            item.skipped = f"{relative(options.root, target)} already exists; not overwritten"
        elif target in targets:
            item.skipped = f"{relative(options.root, target)} is the target of another source file"
        else:
            targets.add(target)
            item.target = relative(options.root, target)
            _assets(item, path, source_root, target)
            _root_assets(item, roots, dest, target)
    _assign_ids(items, IdAllocator.for_system(system), TYPE_PREFIX[options.type])
    _refuse_incomplete(items, options)
    if not options.dry_run:
        _write(items, options.root)
    return ImportResult(files=items, written=not options.dry_run)


# --- the report --------------------------------------------------------------------------------

SECTIONS = (
    ("unmapped", "Not mapped: fix these by hand"),
    ("flagged", "To check"),
    ("converted", "Changed in the body or links (so the site renders it)"),
    ("guessed", "Guessed"),
    ("mapped", "Mapped"),
)


def _grouped(files: list[ImportedFile], kind: str) -> list[str]:
    """One line per remark; a remark made on several files once, with their count."""
    groups: dict[str, list[tuple[ImportedFile, Note]]] = {}
    for item in files:
        for note in item.notes:
            if note.kind == kind:
                groups.setdefault(note.topic or note.text, []).append((item, note))
    lines: list[str] = []
    for topic, members in sorted(groups.items(), key=lambda g: -len(g[1])):
        if len(members) == 1:
            item, note = members[0]
            lines.append(f"  {item.source}: {note.text}")
        else:
            sources = list(dict.fromkeys(item.source for item, _ in members))
            lines.append(f"  {len(members)} x {topic} ({len(sources)} files: {_some(sources)})")
    return lines


def format_report(result: ImportResult, verbose: bool = False) -> str:
    """Problems first, each remark once with its count; then the files (with every note when verbose)."""
    imported = result.imported
    lines: list[str] = []
    for kind, heading in SECTIONS:
        grouped = _grouped(imported, kind)
        if grouped:
            lines += [f"{heading}:", *grouped, ""]
    lines.append("Files:")
    for item in result.files:
        if item.skipped:
            lines.append(f"  skipped  {item.source}: {item.skipped}")
            continue
        origin = "front matter mapped" if item.foreign else "no front matter"
        lines.append(f"  {item.target}  <- {item.source}  {item.id} {item.title!r} ({origin})")
        if verbose:
            lines += [f"      {note.kind:<9} {note.text}" for note in item.notes]
        for _, asset in item.assets:
            lines.append(f"      {'asset':<9} copies linked file {asset.name}")
    foreign = sum(1 for f in imported if f.foreign)
    skipped = len(result.files) - len(imported)
    verb = "imported" if result.written else "would import"
    summary = (
        f"{verb} {len(imported)} files as drafts ({foreign} with front matter, {len(imported) - foreign} without), "
        f"{skipped} skipped; {result.count('unmapped')} not mapped, {result.count('flagged')} to check, "
        f"{result.count('converted')} changed, {result.count('guessed')} guessed, {result.count('mapped')} mapped"
    )
    if not result.written:
        summary += "; nothing written (--dry-run)"
    lines += ["", summary]
    return "\n".join(lines) + "\n"
