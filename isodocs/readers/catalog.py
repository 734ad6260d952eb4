"""Standard catalogues: the clauses and controls documents map to.

The four ISO standards ship inside the package (``isodocs/catalogs/*.yml``);
more load from files named under ``catalogs:`` in isodocs.yml.
"""

from __future__ import annotations

import difflib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from isodocs.errors import UsageError
from isodocs.model.catalog import Catalog, Clause
from isodocs.model.config import CONFIG_FILE, Config
from isodocs.readers.safefs import read_repo_text
from isodocs.readers.yamlio import YamlError, load_yaml_file
from isodocs.schemas import validator


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
