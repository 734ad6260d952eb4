"""isodocs.yml: load, validate and expose the configuration as a dataclass."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from isodocs.errors import UsageError
from isodocs.model import Severity
from isodocs.model.config import CONFIG_FILE, DEFAULT_MAX_FILE_BYTES, DEFAULT_PATHS, Config, Person
from isodocs.model.documents import line_of
from isodocs.readers.safefs import is_relative_inside, read_repo_text
from isodocs.readers.yamlio import YamlError, load_yaml_file
from isodocs.schemas import quick_validity, validator


def find_config(root: Path) -> Path:
    path = root / CONFIG_FILE
    if not path.exists() and not path.is_symlink():
        raise UsageError(
            f"no {CONFIG_FILE} in {root}: this is not an isodocs repository. "
            "Run `isodocs init` to create one, or pass -C DIR."
        )
    return path


def load_config(root: Path) -> Config:
    """Read and validate ``isodocs.yml`` of the repository at ``root``."""
    find_config(root)
    text = read_repo_text(root, CONFIG_FILE)
    try:
        parsed = load_yaml_file(text)
    except YamlError as exc:
        raise UsageError(exc.message, CONFIG_FILE, exc.line) from None
    if parsed.duplicates:
        key, line, first = parsed.duplicates[0]
        raise UsageError(f"key '{key}' appears twice (first on line {first}); keep one", CONFIG_FILE, line)
    data = parsed.data
    if not isinstance(data, dict):
        raise UsageError("must be a YAML mapping (organization:, standards:, people: ...)", CONFIG_FILE, 1)
    errors = []
    if not quick_validity("config")(data):  # the full validator only to explain what is wrong
        errors = sorted(validator("config").iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        error = errors[0]
        where = ".".join(map(str, error.absolute_path)) or "(top level)"
        line = line_of(parsed.lines, tuple(error.absolute_path))
        raise UsageError(f"{where}: {error.message}", CONFIG_FILE, line)
    for index, name in enumerate(data.get("paths") or []):
        if not is_relative_inside(name):
            raise UsageError(
                f"paths: {name} leaves the repository; list folders inside it, e.g. policies",
                CONFIG_FILE,
                line_of(parsed.lines, ("paths", index)),
            )
    return _build(data, parsed.lines)


def _build(data: dict[str, Any], lines: dict[tuple[str | int, ...], int]) -> Config:
    review = data.get("review") or {}
    site = data.get("site") or {}
    people = {
        key: Person(
            key=key,
            name=value["name"],
            role=value.get("role", ""),
            github=value.get("github", "").lstrip("@"),
            email=value.get("email", ""),
            groups=tuple(dict.fromkeys(value.get("groups") or ())),
        )
        for key, value in (data.get("people") or {}).items()
    }
    severities: dict[str, Severity | None] = {}
    for slug, value in (data.get("rules") or {}).items():
        severities[slug] = None if value in ("off", False) else Severity(value)
    config = Config(
        organization=data["organization"],
        standards=list(data.get("standards") or []),
        people=people,
        catalogs=list(data.get("catalogs") or []),
        paths=list(data.get("paths") or DEFAULT_PATHS),
        review_interval_months=review.get("interval_months", 12),
        max_interval_months=review.get("max_interval_months", 36),
        warn_days=review.get("warn_days", 30),
        max_classification=site.get("max_classification", "internal"),
        site=site,
        rule_severities=severities,
        max_file_bytes=(data.get("limits") or {}).get("max_file_bytes", DEFAULT_MAX_FILE_BYTES),
        audit_cycle_months=(data.get("audit") or {}).get("cycle_months", 12),
        action_days=(data.get("improvement") or {}).get("action_days", 30),
        retention_years=(data.get("records") or {}).get("retention_years", 6),
        measure_months=(data.get("objectives") or {}).get("measure_months", 6),
        management_review_months=(data.get("management_review") or {}).get("interval_months", 12),
        training_grace_days=(data.get("training") or {}).get("grace_days", 30),
        training_retrain_on=(data.get("training") or {}).get("retrain_on", "major"),
        lines=lines,
    )
    if config.review_interval_months > config.max_interval_months:
        raise UsageError(
            f"review.interval_months ({config.review_interval_months}) is longer than "
            f"review.max_interval_months ({config.max_interval_months})",
            CONFIG_FILE,
            config.line("review", "interval_months"),
        )
    return config
