"""Standard catalogues: the clauses and controls documents map to.

The four ISO standards ship inside the package (``isodocs/catalogs/*.yml``);
more load from files named under ``catalogs:`` in isodocs.yml.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from isodocs.config import CONFIG_FILE, Config
from isodocs.errors import UsageError
from isodocs.safefs import read_repo_text
from isodocs.schemas import validator
from isodocs.yamlio import YamlError, load_yaml_file


@dataclass(frozen=True)
class Clause:
    """A clause of the requirements, or a control of a control set (Annex A)."""

    id: str
    title: str
    parent: str | None = None
    children: tuple[str, ...] = ()
    documented_information: frozenset[str] = frozenset()  # {"maintain", "retain"}
    required: str = ""
    note: str = ""
    untitled: bool = False
    is_control: bool = False
    theme: str | None = None  # control theme, e.g. "organizational"
    depth: int = 0

    @property
    def needs_document(self) -> bool:
        return "maintain" in self.documented_information

    @property
    def needs_record(self) -> bool:
        return "retain" in self.documented_information


@dataclass(frozen=True)
class ReviewInput:
    """One input a standard's management review requires: ``9.3 d) 5)``, ``worker-consultation``."""

    ref: str  # the clause and list item, e.g. "9.3.2 c) 6)"
    slug: str  # the shared vocabulary's slug (DESIGN.md "Management review")
    title: str  # short label, e.g. "consultation and participation of workers"


@dataclass
class Catalog:
    key: str
    title: str
    standard: str
    edition: str
    source: str
    path: str  # where it was loaded from, for messages
    clauses: dict[str, Clause] = field(default_factory=dict)  # requirement clauses, then controls, in order
    themes: dict[str, str] = field(default_factory=dict)  # control group id -> title
    # Record type of the improvement cycle -> the clause it is evidence for (e.g. audit -> 9.2.2).
    evidence: dict[str, str] = field(default_factory=dict)
    # The inputs its management review (9.3) requires, in the standard's order.
    review_inputs: tuple[ReviewInput, ...] = ()

    @property
    def name(self) -> str:
        """Designation with edition, e.g. 'ISO 9001:2015'."""
        return f"{self.standard}:{self.edition}" if self.edition else self.standard

    @property
    def controls(self) -> list[Clause]:
        return [c for c in self.clauses.values() if c.is_control]

    @property
    def requirements(self) -> list[Clause]:
        return [c for c in self.clauses.values() if not c.is_control]

    def nearest(self, clause_id: str) -> str | None:
        """The valid id closest to a mistyped one, for 'did you mean'.

        Typing slips are undone first (``A5.1``, ``a.5.1``, ``7.5.``); then a
        missing clause is matched to its family before its spelling: ``7.5.4``
        suggests the nearest sibling ``7.5.3`` and ``8.5.1.2`` its parent
        ``8.5.1``, where plain string similarity would jump to ``8.5.4``.
        """
        wanted = annex_form(clause_id)
        if wanted in self.clauses:
            return wanted
        if f"A.{wanted}" in self.clauses:  # a control written without its "A."
            return f"A.{wanted}"
        parent, _, last = wanted.rpartition(".")
        siblings = [c.id for c in self.clauses.values() if c.parent == parent] if parent else []
        if siblings:
            return _closest_number(last, siblings)
        if parent in self.clauses:
            return parent
        matches = difflib.get_close_matches(wanted, list(self.clauses), n=1, cutoff=0.5)
        return matches[0] if matches else None


def annex_form(clause_id: str) -> str:
    """A clause id with typing slips undone: blanks and a final "." dropped, ``a5.1`` and ``A 5.1`` as ``A.5.1``."""
    wanted = clause_id.strip().rstrip(".")
    annex = re.fullmatch(r"[Aa]\.?\s*(\d.*)", wanted)
    return "A." + annex.group(1) if annex else wanted


def _closest_number(last: str, siblings: list[str]) -> str:
    """The sibling whose last number is closest to ``last`` (the lower one on a tie)."""
    if not last.isdigit():
        return (difflib.get_close_matches(last, siblings, n=1, cutoff=0) or siblings)[0]

    def distance(sibling: str) -> tuple[int, int]:
        number = sibling.rpartition(".")[2]
        value = int(number) if number.isdigit() else 10**9
        return abs(value - int(last)), value

    return min(siblings, key=distance)


def _di(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    return frozenset([value] if isinstance(value, str) else value)


def build_catalog(data: dict[str, Any], path: str) -> Catalog:
    """Turn validated catalogue data into a Catalog; duplicate ids are an error."""
    catalog = Catalog(
        key=data["key"],
        title=data["title"],
        standard=data.get("standard", data["key"]),
        edition=str(data.get("edition", "")),
        source=data.get("source", ""),
        path=path,
        evidence={str(k): str(v) for k, v in (data.get("evidence") or {}).items()},
        review_inputs=tuple(
            ReviewInput(ref=str(item["ref"]), slug=str(item["input"]), title=str(item["title"]))
            for item in data.get("review_inputs") or []
        ),
    )

    def add(clause: Clause) -> None:
        if clause.id in catalog.clauses:
            raise UsageError(f"catalogue {catalog.key}: clause id {clause.id} appears twice", path)
        catalog.clauses[clause.id] = clause

    def walk(items: list[dict[str, Any]], parent: str | None, depth: int) -> None:
        for item in items:
            children = item.get("clauses") or []
            add(
                Clause(
                    id=str(item["id"]),
                    title=item["title"],
                    parent=parent,
                    children=tuple(str(c["id"]) for c in children),
                    documented_information=_di(item.get("documented_information")),
                    required=item.get("required", ""),
                    note=item.get("note", ""),
                    untitled=bool(item.get("untitled", False)),
                    depth=depth,
                )
            )
            walk(children, str(item["id"]), depth + 1)

    walk(data.get("clauses") or [], None, 0)
    for group in data.get("controls") or []:
        catalog.themes[str(group["id"])] = group["title"]
        for control in group.get("controls") or []:
            add(
                Clause(
                    id=str(control["id"]),
                    title=control["title"],
                    parent=str(group["id"]),
                    is_control=True,
                    theme=group.get("theme", group["title"]),
                    documented_information=_di(control.get("documented_information")),
                    required=control.get("required", ""),
                    note=control.get("note", ""),
                    depth=1,
                )
            )
    return catalog


def _parse(text: str, path: str, validate: bool = True) -> Catalog:
    try:
        parsed = load_yaml_file(text)
    except YamlError as exc:
        raise UsageError(f"catalogue: {exc.message}", path, exc.line) from None
    data = parsed.data
    if not isinstance(data, dict):
        raise UsageError("catalogue must be a YAML mapping with key, title and clauses", path, 1)
    errors = list(validator("catalog").iter_errors(data)) if validate else []
    if errors:
        error = min(errors, key=lambda e: len(e.absolute_path))
        where = ".".join(map(str, error.absolute_path)) or "(top level)"
        key = tuple(error.absolute_path)
        line = next((parsed.lines[key[:n]] for n in range(len(key), 0, -1) if key[:n] in parsed.lines), 1)
        raise UsageError(f"catalogue {where}: {error.message}", path, line)
    return build_catalog(data, path)


def builtin_catalogs() -> dict[str, Catalog]:
    """The catalogues shipped in the package, by key (a new dict; the catalogues are shared)."""
    return dict(_builtin_catalogs())


@cache
def _builtin_catalogs() -> dict[str, Catalog]:
    # Parsed once per process. The shipped files are validated against the
    # schema by the test suite (tests/test_catalog_data.py), not on every run:
    # that validation took longer than checking a hundred documents.
    folder = resources.files("isodocs").joinpath("catalogs")
    catalogs: dict[str, Catalog] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yml"):
            catalog = _parse(entry.read_text("utf-8"), f"isodocs/catalogs/{entry.name}", validate=False)
            catalogs[catalog.key] = catalog
    return catalogs


def load_catalogs(config: Config, root: Path) -> dict[str, Catalog]:
    """Built-in catalogues plus the repo's own; an unknown standard in scope exits 2."""
    catalogs = builtin_catalogs()
    for index, name in enumerate(config.catalogs):
        text = read_repo_text(root, name, cited_in=CONFIG_FILE, cited_line=config.line("catalogs", index))
        catalog = _parse(text, name)
        catalogs[catalog.key] = catalog
    for index, key in enumerate(config.standards):
        if key not in catalogs:
            known = ", ".join(sorted(catalogs))
            hint = difflib.get_close_matches(key, list(catalogs), n=1)
            suggestion = f" Did you mean {hint[0]}?" if hint else ""
            raise UsageError(
                f"standards: '{key}' is no known catalogue (known: {known}).{suggestion} "
                "Add its catalogue file under catalogs:.",
                CONFIG_FILE,
                config.line("standards", index),
            )
    return catalogs
