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
from pathlib import Path
from typing import Any

import yaml

from isodocs.catalog import Catalog
from isodocs.config import Config
from isodocs.errors import UsageError
from isodocs.model import ManagementSystem

ID_NUMBER = re.compile(r"^([A-Z]+)-([0-9]+)$")
# Front matter keys in the order isodocs writes them (the order of DESIGN.md).
KEY_ORDER = (
    "id", "title", "type", "version", "status", "owner", "approved_by", "approved_on", "effective_date",
    "last_reviewed", "review_interval", "next_review", "date", "retention_years", "corrects", "source",
    "classification", "clauses", "related", "supersedes", "description", "tags",
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


def parse_clause_option(value: str, catalogs: dict[str, Catalog], config: Config) -> dict[str, list[str]]:
    """``iso9001:7.5,iso27001:A.5.33`` as a clauses mapping; any bad entry is a UsageError."""
    mapping = ClauseMapping()
    for reference in (part.strip() for part in value.split(",")):
        if not reference:
            continue
        standard, sep, clause_id = reference.partition(":")
        if not sep or not clause_id.strip():
            raise UsageError(f"--clauses: '{reference}' must be STANDARD:CLAUSE, e.g. iso9001:7.5 or iso27001:A.5.33")
        problem = check_clause(standard.strip(), clause_id.strip(), catalogs, config)
        if problem:
            raise UsageError(f"--clauses: {problem}")
        mapping.add(standard.strip(), clause_id.strip())
    return mapping.clauses


def check_owner(owner: str, config: Config, option: str = "--owner") -> None:
    if owner in config.people:
        return
    known = ", ".join(sorted(config.people)) or "(none yet)"
    hint = difflib.get_close_matches(owner, list(config.people), n=1, cutoff=0.5)
    suggestion = f" Did you mean {hint[0]}?" if hint else ""
    raise UsageError(
        f"{option}: '{owner}' is not a key of people: in isodocs.yml (known: {known}).{suggestion} "
        "Add the person there first."
    )


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
