"""Helpers shared by the commands that write documents: ``new``, ``init`` and ``import``.

They never decide whether to write; they turn titles into file names, allocate
ids, validate clause references against the catalogues and emit front matter
that isodocs' own loader reads back unchanged.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from isodocs.errors import UsageError
from isodocs.model import TYPE_FOLDERS, ManagementSystem
from isodocs.model.catalog import Catalog
from isodocs.model.config import Config
from isodocs.readers.yamlio import load_yaml_file

ID_NUMBER = re.compile(r"^([A-Z]+)-([0-9]+)$")
# Front matter keys in the order isodocs writes them (the order of the templates in templates/documents/).
KEY_ORDER = (
    "id", "title", "type", "version", "status", "kind", "grade", "owner", "lead_auditor", "auditors", "auditees",
    "start", "end", "scope", "documents", "audit", "raised", "raised_by", "against", "approved_by", "approved_on",
    "effective_date",
    "last_reviewed", "review_interval", "next_review", "date", "retention_years", "corrects", "source",
    "classification", "clauses", "related", "supersedes", "aliases", "description", "tags",
)  # fmt: skip


def slugify(title: str, max_length: int = 60) -> str:
    """A file name stem from a title: ASCII, lower case, words joined by hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "document"


class IdAllocator:
    """Hands out the next free id per prefix: the highest number in use plus one.

    Numbers are zero-padded to three digits (``PRO-004``); an id with more digits
    keeps them (``WI-1042`` is followed by ``WI-1043``).
    """

    def __init__(self, ids: Iterable[str]) -> None:
        self.taken: set[str] = set(ids)
        self.highest: dict[str, int] = {}
        for doc_id in self.taken:
            match = ID_NUMBER.match(doc_id)
            if match:
                prefix, number = match.group(1), int(match.group(2))
                self.highest[prefix] = max(self.highest.get(prefix, 0), number)

    @classmethod
    def for_system(cls, system: ManagementSystem) -> IdAllocator:
        return cls(system.by_id)

    def next(self, prefix: str) -> str:
        number = self.highest.get(prefix, 0) + 1
        self.highest[prefix] = number
        doc_id = f"{prefix}-{number:03d}"
        self.taken.add(doc_id)
        return doc_id

    def claim(self, doc_id: str) -> bool:
        """Take a given id if it is free; False when it is already used."""
        if doc_id in self.taken:
            return False
        self.taken.add(doc_id)
        match = ID_NUMBER.match(doc_id)
        if match:
            prefix, number = match.group(1), int(match.group(2))
            self.highest[prefix] = max(self.highest.get(prefix, 0), number)
        return True


# --- clause references -------------------------------------------------------------------------


@dataclass
class ClauseProblem:
    reference: str
    message: str


@dataclass
class ClauseMapping:
    clauses: dict[str, list[str]] = field(default_factory=dict)
    problems: list[ClauseProblem] = field(default_factory=list)

    def add(self, standard: str, clause_id: str) -> None:
        ids = self.clauses.setdefault(standard, [])
        if clause_id not in ids:
            ids.append(clause_id)


def check_clause(standard: str, clause_id: str, catalogs: dict[str, Catalog], config: Config) -> str | None:
    """Why ``standard:clause_id`` cannot be used in this repository, or None when it can."""
    catalog = catalogs.get(standard)
    if catalog is None:
        hint = difflib.get_close_matches(standard, list(catalogs), n=1)
        suggestion = f"did you mean {hint[0]}? " if hint else ""
        return f"'{standard}' is no known standard; {suggestion}known: {', '.join(sorted(catalogs))}"
    if standard not in config.standards:
        return f"{catalog.name} is not in standards: of isodocs.yml (in scope: {', '.join(config.standards)})"
    if clause_id not in catalog.clauses:
        nearest = catalog.nearest(clause_id)
        hint = f"; did you mean {nearest} ({catalog.clauses[nearest].title})?" if nearest else ""
        return f"{catalog.name} has no clause {clause_id}{hint}"
    return None


@dataclass(frozen=True)
class Note:
    """A remark about one imported file or one clause reference."""

    kind: str  # unmapped | flagged | converted | guessed | mapped
    text: str  # the remark about this file
    # Routine remarks share a topic, which the import report shows once with a count; a remark
    # whose details matter (which clause, which link) has none and is grouped only with its twins.
    topic: str = ""


@dataclass(frozen=True)
class Successor:
    to: tuple[str, ...]
    merged: bool


@cache
def iso27001_2013_to_2022() -> dict[str, Successor]:
    """ISO/IEC 27001:2013 Annex A control -> its 2022 successors (``data/iso27001-2013-to-2022.yml``)."""
    text = resources.files("isodocs").joinpath("data", "iso27001-2013-to-2022.yml").read_text("utf-8")
    data = load_yaml_file(text).data["controls"]
    return {k: Successor(tuple(v["to"]), bool(v.get("merged"))) for k, v in data.items()}


CONTROL_2013 = re.compile(r"^A\.(5|6|7|8|9|1[0-8])\.\d+\.\d+$")
OBJECTIVE_2013 = re.compile(r"^A\.(9|1[0-8])\.\d+$")  # 2013 groups with no 2022 namesake
ZERO_PADDED = re.compile(r"(^|[.\s])0\d")  # A.05.01: no standard writes its ids so


def standard_key(name: str) -> tuple[str, str | None]:
    """'ISO/IEC 27001:2013' -> ('iso27001', '2013'); '27001' -> ('iso27001', None); 'TSC' -> ('tsc', None)."""
    text = name.strip().lower().replace("iso/iec", "iso")
    edition = None
    match = re.search(r"[:\s_-](\d{4})$", text)
    if match and re.search(r"\d{4,5}", text[: match.start()]):
        edition, text = match.group(1), text[: match.start()]
    key = re.sub(r"[^a-z0-9]", "", text)
    return ("iso" + key if key.isdigit() else key), edition


def control_id(clause_id: str) -> str:
    """'A5.1' / 'a.5.1' / 'A 5.1' -> 'A.5.1'."""
    match = re.match(r"^[Aa]\.?\s?(\d[\d.]*)$", clause_id.strip())
    return f"A.{match.group(1)}" if match else clause_id.strip()


def _control_order(clause_id: str) -> tuple[int, ...]:
    return tuple(int(p) for p in clause_id[2:].split(".") if p.isdigit())


Resolved = list[tuple[str, str]]  # (standard key, clause id)


class ClauseResolver:
    """The one way every command turns a clause reference into isodocs clause ids.

    ``resolve`` returns the (standard, clause) pairs and remarks: ``mapped`` (done,
    e.g. a 2013 control translated), ``guessed`` (the standard inferred), ``flagged``
    (done but to check) and ``unmapped`` (nothing resolved: the reference maps to no
    clause). A reference that maps to nothing is never "flagged".
    """

    def __init__(self, catalogs: dict[str, Catalog], config: Config) -> None:
        self.catalogs = catalogs
        self.config = config

    def resolve(self, standard: str | None, clause_id: str) -> tuple[Resolved, list[Note]]:
        """(standard, clause) pairs for one reference, and the remarks about it."""
        written = f"{standard}:{clause_id}" if standard else clause_id
        key, edition = standard_key(standard) if standard else (None, None)
        notes: list[Note] = []
        if key is None and re.match(r"^[Aa]\.?\s?\d", clause_id):
            key = "iso27001"
        if key is None:
            in_scope = [
                k for k in self.config.standards if k in self.catalogs and clause_id in self.catalogs[k].clauses
            ]
            if len(in_scope) != 1:
                why = "several standards in scope have it" if in_scope else "no standard in scope has it"
                text = f"{written}: names no standard ({why}); write it as STANDARD:CLAUSE"
                return [], [Note("unmapped", text)]
            key = in_scope[0]
            text = f"{written} -> {key}:{clause_id} (the only standard in scope with it)"
            notes.append(Note("guessed", text, "standard of a bare clause id inferred"))
        if key == "tsc" and key not in self.catalogs and "soc2" in self.catalogs:
            key = "soc2"
        if key == "iso27001":
            return self._iso27001(written, clause_id, edition, notes)
        return self._checked(key, clause_id, written, notes)

    def _iso27001(
        self, written: str, clause_id: str, edition: str | None, notes: list[Note]
    ) -> tuple[Resolved, list[Note]]:
        if ZERO_PADDED.search(clause_id):
            text = (
                f"{written}: zero-padded numbering, ambiguous: no ISO/IEC 27001 control (2022 or 2013) is written so; "
                "it looks like the source's own document numbering: write the control, e.g. A.5.15, by hand"
            )
            return [], [*notes, Note("unmapped", text)]
        table = iso27001_2013_to_2022()
        if edition == "2013" and clause_id[:1].isdigit() and f"A.{clause_id}" in table:
            clause_id = f"A.{clause_id}"
        clause_id = control_id(clause_id)
        if CONTROL_2013.match(clause_id) or (edition == "2013" and clause_id.startswith("A.")):
            return self._from_2013(written, clause_id, notes)
        if OBJECTIVE_2013.match(clause_id):
            successors = sorted(
                {t for c, s in table.items() if c.startswith(clause_id + ".") for t in s.to}, key=_control_order
            )
            if not successors:
                text = f"{written}: no ISO/IEC 27001 control or 2013 control objective {clause_id}; map it by hand"
                return [], [*notes, Note("unmapped", text)]
            found: Resolved = []
            for target in successors:
                found.extend(self._checked("iso27001", target, written, [])[0])
            text = (
                f"{written} is a 2013 control objective: mapped to the 2022 successors of its controls "
                f"({', '.join(t for _, t in found)}); keep only those the document really covers"
            )
            return found, [*notes, Note("flagged", text)]
        return self._checked("iso27001", clause_id, written, notes)

    def _from_2013(self, written: str, clause_id: str, notes: list[Note]) -> tuple[Resolved, list[Note]]:
        successor = iso27001_2013_to_2022().get(clause_id)
        if successor is None:
            text = f"{written}: no ISO/IEC 27001:2013 control {clause_id}; map it by hand"
            return [], [*notes, Note("unmapped", text)]
        found: Resolved = []
        for target in successor.to:
            found.extend(self._checked("iso27001", target, written, notes)[0])
        targets = ", ".join(successor.to)
        if len(successor.to) > 1:  # a split: the document may cover only some of them
            text = f"{written} (27001:2013) -> {targets} (27001:2022, split): keep those the document covers"
            return found, [*notes, Note("flagged", text)]
        how = ", merged with other 2013 controls" if successor.merged else ""
        text = f"{written} (27001:2013) -> {targets} (27001:2022{how})"
        return found, [*notes, Note("mapped", text, "ISO/IEC 27001:2013 controls translated to 2022")]

    def _checked(self, key: str, clause_id: str, written: str, notes: list[Note]) -> tuple[Resolved, list[Note]]:
        problem = check_clause(key, clause_id, self.catalogs, self.config)
        if problem:
            return [], [*notes, Note("unmapped", f"{written}: {problem}")]
        if written != f"{key}:{clause_id}" and not notes:
            notes = [Note("mapped", f"{written} -> {key}:{clause_id}", "clause references rewritten")]
        return [(key, clause_id)], notes


def parse_clause_option(
    value: str, catalogs: dict[str, Catalog], config: Config, option: str = "--clauses"
) -> tuple[dict[str, list[str]], list[Note]]:
    """``iso9001:7.5,iso27001:A.5.33`` as a clauses mapping and the resolver's remarks.

    Goes through the same ``ClauseResolver`` as ``import``: a bare ``A.5.18`` is
    ISO/IEC 27001, a 2013 control becomes its 2022 successor (with a remark to show),
    a clause id without standard is taken when exactly one standard in scope has it.
    Anything that maps to nothing is a UsageError.
    """
    resolver = ClauseResolver(catalogs, config)
    mapping = ClauseMapping()
    remarks: list[Note] = []
    for reference in (part.strip() for part in value.split(",")):
        if not reference:
            continue
        standard, sep, clause_id = reference.rpartition(":")
        if sep and not clause_id.strip():
            raise UsageError(f"{option}: '{reference}' must be STANDARD:CLAUSE, e.g. iso9001:7.5 or iso27001:A.5.33")
        resolved, notes = resolver.resolve(standard.strip() or None, clause_id.strip())
        problems = [n.text for n in notes if n.kind == "unmapped"]
        if problems or not resolved:
            raise UsageError(f"{option}: {'; '.join(problems) or reference + ' maps to no clause'}")
        for key, target in resolved:
            mapping.add(key, target)
        remarks.extend(notes)
    return mapping.clauses, remarks


# --- people ------------------------------------------------------------------------------------

# What portals write where nobody is named yet: never a person.
PLACEHOLDERS = re.compile(r"^\W*(tbd|tba|todo|n/?a|none|null|unknown|owner|name|role(/name)?|xxx+|\?+|-+)?\W*$", re.I)


def is_placeholder(value: Any) -> bool:
    """Whether a foreign value is a placeholder (``TBD``, ``[TBD]``, ``<Role/Name>``, empty)."""
    if value is None:
        return True
    if isinstance(value, list):
        return all(is_placeholder(v) for v in value)
    text = str(value).strip()
    return bool(PLACEHOLDERS.match(text)) or (text.startswith("<") and text.endswith(">"))


def resolve_person(value: Any, config: Config) -> str | None:
    """The people key a value names, for every command: a key, a name, a GitHub handle or an
    e-mail (all case-insensitive), or a role that exactly one person holds."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().lstrip("@").lower()
    for key, person in config.people.items():
        if text in {key.lower(), person.name.lower(), person.github.lower(), person.email.lower()} - {""}:
            return key
    by_role = [key for key, person in config.people.items() if person.role and person.role.lower() == text]
    return by_role[0] if len(by_role) == 1 else None


def check_owner(owner: str, config: Config, option: str = "--owner") -> str:
    """The people key ``owner`` names (see ``resolve_person``); a UsageError when it names nobody."""
    key = resolve_person(owner, config)
    if key is not None:
        return key
    known = ", ".join(sorted(config.people)) or "(none yet)"
    hint = difflib.get_close_matches(owner, list(config.people), n=1, cutoff=0.5)
    suggestion = f" Did you mean {hint[0]}?" if hint else ""
    raise UsageError(
        f"{option}: '{owner}' is not a key of people: in isodocs.yml (known: {known}).{suggestion} "
        "Add the person there first."
    )


def default_folder(doc_type: str, paths: list[str]) -> str:
    """Where ``new`` and ``import`` put a type's documents when no folder is given.

    External documents may live in any folder (DESIGN): they go to ``external/``
    under the first document folder, apart from the organisation's own documents.
    """
    folders = [f for f in TYPE_FOLDERS[doc_type] if f in paths] or list(TYPE_FOLDERS[doc_type])
    if folders:
        return folders[0]
    return f"{(paths or ['procedures'])[0].rstrip('/')}/external"


# --- writing front matter ----------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.,()/&+'-]*$")


def yaml_scalar(value: Any, quote: bool = False) -> str:
    """A scalar as YAML that reads back as the same value and type."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if not quote and _PLAIN.match(text) and not text.endswith(" ") and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow_list(values: list[Any], quote: bool = False) -> str:
    return "[" + ", ".join(yaml_scalar(v, quote) for v in values) + "]"


def dump_front_matter(data: dict[str, Any], comments: dict[str, str] | None = None) -> str:
    """Front matter text (without the ``---`` lines) in isodocs' key order.

    Versions and clause ids are always quoted: YAML would read ``1.10`` or ``7.5``
    as numbers. ``comments`` maps a key to a comment written after its line.
    """
    comments = comments or {}
    order = [k for k in KEY_ORDER if k in data] + [k for k in data if k not in KEY_ORDER]
    lines: list[str] = []
    for key in order:
        value = data[key]
        note = f"  # {comments[key]}" if key in comments else ""
        if isinstance(value, dict):
            lines.append(f"{key}:{note}")
            for sub_key, sub_value in value.items():
                rendered = _flow_list(sub_value, quote=True) if isinstance(sub_value, list) else yaml_scalar(sub_value)
                lines.append(f"  {sub_key}: {rendered}")
        elif isinstance(value, list):
            lines.append(f"{key}: {_flow_list(value)}{note}")
        else:
            lines.append(f"{key}: {yaml_scalar(value, quote=key == 'version')}{note}")
    return "\n".join(lines) + "\n"


def document_text(front_matter: str, body: str) -> str:
    return f"---\n{front_matter}---\n{body}"


def relative(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
