"""`isodocs rules` and docs/rules.md, both generated from the rule registry."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from isodocs.cli import main
from isodocs.reporters.ruledocs import render_rules
from isodocs.rules import REGISTRY
from isodocs.rules.registry import _paragraphs
from tests.conftest import REPO_ROOT

CORE_LOADER_SLUGS = {"front-matter-missing", "front-matter-invalid", "duplicate-key", "encoding", "file-too-large",
                     "outside-repo"}  # fmt: skip


def test_docs_rules_md_is_generated_from_the_registry():
    committed = (REPO_ROOT / "docs" / "rules.md").read_text("utf-8")
    assert committed == render_rules("md"), (
        "docs/rules.md is stale: regenerate it with `make rules-doc` "
        "(or `python -m isodocs rules --format md > docs/rules.md`)"
    )


def test_docs_say_they_are_generated_and_how_to_regenerate():
    head = render_rules("md").splitlines()[0:3]
    assert "Generated" in head[0] and "isodocs rules --format md" in head[0] and "make rules-doc" in head[1]


@pytest.mark.parametrize("slug", list(REGISTRY))
def test_every_rule_is_listed_in_every_format(slug):
    assert f"\n### {slug}\n" in render_rules("md")
    assert any(line.split()[0] == slug for line in render_rules("text").splitlines()[1:])
    assert slug in {item["slug"] for item in json.loads(render_rules("json"))}


@pytest.mark.parametrize("slug", [s for s, r in REGISTRY.items() if r.scope == "document"] + sorted(CORE_LOADER_SLUGS))
def test_core_rules_say_how_to_fix(slug):
    rule = REGISTRY[slug]
    assert rule.summary and rule.fix
    assert f"**How to fix:** {rule.fix}" in render_rules("md")


def test_every_rule_has_a_summary():
    assert all(rule.summary for rule in REGISTRY.values())


def test_json_entries():
    items = {item["slug"]: item for item in json.loads(render_rules("json"))}
    assert items["review-overdue"] == {
        "slug": "review-overdue",
        "severity": "error",
        "scope": "document",
        "family": "dates",
        "summary": REGISTRY["review-overdue"].summary,
        "fix": REGISTRY["review-overdue"].fix,
    }
    assert items["wrong-folder"]["severity"] == "warning"


def test_text_table_columns():
    lines = render_rules("text").splitlines()
    assert lines[0].split() == ["rule", "default", "scope/family", "summary"]
    row = next(line for line in lines if line.startswith("self-approval "))
    assert row.split()[1:3] == ["warning", "document/people"]


def test_docstring_paragraphs_become_summary_and_fix():
    doc = """First line
    continued.

    How to fix it,
    on two lines.

    Anything else is not shown.
    """
    assert _paragraphs(doc)[:2] == ["First line continued.", "How to fix it, on two lines."]


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        render_rules("html")


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
def test_cli_rules_works_outside_a_repository(tmp_path, fmt):
    outcome = CliRunner().invoke(main, ["-C", str(tmp_path), "rules", "--format", fmt])
    assert outcome.exit_code == 0
    assert outcome.stdout == render_rules(fmt)


def test_cli_rules_refuses_an_unknown_format():
    assert CliRunner().invoke(main, ["rules", "--format", "html"]).exit_code == 2


def test_the_command_offers_every_format_of_the_reporter():
    from isodocs.cli import rules as rules_command
    from isodocs.reporters import ruledocs

    assert tuple(rules_command.FORMATS) == tuple(ruledocs.FORMATS)
