"""Shared fixtures: build small management-system repositories in a temp dir."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

TODAY = dt.date(2026, 11, 27)
REPO_ROOT = Path(__file__).resolve().parent.parent

BASE_CONFIG: dict[str, Any] = {
    "organization": "Test Ltd",
    "standards": ["iso9001", "iso27001"],
    "paths": ["policies", "procedures", "forms", "records"],
    "review": {"interval_months": 12, "max_interval_months": 36, "warn_days": 30},
    "people": {
        "qm": {"name": "Jane Smith", "role": "Quality Manager", "github": "jsmith"},
        "md": {"name": "Raj Patel", "role": "Managing Director", "github": "rpatel"},
        "ciso": {"name": "Ann Lee", "role": "CISO", "github": "alee"},
    },
    "site": {"max_classification": "internal"},
}

# Repository-wide gap rules that a tiny test repo (a handful of documents, no
# soa.yml) always breaks. They are off unless a test asks for them with
# ``repo.config(gap_rules=True)``, so tests of other rules see only their own findings.
GAP_RULES_OFF: dict[str, str] = {
    "mandatory-document-missing": "off",
    "mandatory-record-missing": "off",
    "soa-missing-control": "off",
    "soa-unimplemented-control": "off",
    "soa-unjustified-inclusion": "off",
    "soa-status-stale": "off",
    "audit-programme-gap": "off",
}


def approved(doc_id: str = "PRO-001", **overrides: Any) -> dict[str, Any]:
    """Front matter of a valid approved procedure; override any field, None deletes it."""
    data: dict[str, Any] = {
        "id": doc_id,
        "title": f"Procedure {doc_id}",
        "type": "procedure",
        "version": "1.0",
        "status": "approved",
        "owner": "qm",
        "approved_by": ["md"],
        "approved_on": "2026-06-01",
        "last_reviewed": "2026-06-01",
        "classification": "internal",
        "clauses": {"iso9001": ["7.5"]},
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def record(doc_id: str = "REC-001", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": doc_id,
        "title": f"Record {doc_id}",
        "type": "record",
        "date": "2026-05-01",
        "retention_years": 6,
        "owner": "qm",
        "classification": "internal",
        "clauses": {"iso9001": ["9.2.2"]},
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@dataclass
class RepoBuilder:
    """A temporary management-system repository that tests write into."""

    root: Path

    def config(self, gap_rules: bool = False, **overrides: Any) -> Path:
        """Write isodocs.yml: BASE_CONFIG with ``overrides``; ``rules`` are merged, not replaced."""
        data = {**BASE_CONFIG, **overrides}
        rules = {**({} if gap_rules else GAP_RULES_OFF), **(overrides.get("rules") or {})}
        if rules:
            data["rules"] = rules
        return self.write("isodocs.yml", yaml.safe_dump(data, sort_keys=False))

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, "utf-8")
        return path

    def doc(self, rel: str, front: dict[str, Any] | str, body: str = "# Title\n\nBody text.\n") -> Path:
        """Write a document; ``front`` is a dict (dumped as YAML) or raw YAML text."""
        if isinstance(front, dict):
            front_text = yaml.safe_dump(front, sort_keys=False, allow_unicode=True)
        else:
            front_text = textwrap.dedent(front).lstrip("\n")
        return self.write(rel, f"---\n{front_text}---\n{body}")


@pytest.fixture
def repo(tmp_path: Path) -> RepoBuilder:
    """An empty repo with a valid isodocs.yml (iso9001 and iso27001 in scope)."""
    builder = RepoBuilder(tmp_path / "repo")
    builder.root.mkdir()
    builder.config()
    return builder


@pytest.fixture
def run_check() -> Callable[..., Any]:
    """Run the check library function on a repo with today fixed to TODAY."""
    from isodocs.app.check import CheckOptions, run_check

    def run(builder: RepoBuilder, **kwargs: Any) -> Any:
        kwargs.setdefault("today", TODAY)
        return run_check(CheckOptions(root=builder.root, **kwargs))

    return run


# The ways a document is withheld from the site and the pack (each test gives each a marker word).
WITHHELD = {
    "draft": {"status": "draft"},
    "review": {"status": "in-review"},
    "obsolete": {"status": "obsolete"},
    "confidential": {"classification": "confidential"},
    "restricted": {"classification": "restricted"},
}


def write_withheld(repo: RepoBuilder, marker: Callable[[str], str]) -> None:
    """One procedure per kind of WITHHELD (PRO-010, ...) whose file name, title and text hold ``marker(kind)``."""
    for number, (kind, overrides) in enumerate(WITHHELD.items(), start=10):
        word = marker(kind)
        repo.doc(
            f"procedures/{word}.md",
            approved(f"PRO-{number:03d}", title=f"Procedure {word}", **overrides),
            f"# Procedure {word}\n\nThe {word} steps.\n",
        )
