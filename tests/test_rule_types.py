"""Rules that declare the document types they apply to (``types=`` in rules/registry.py).

The runner never calls such a rule on a document of another type. That is only
a saving, never a change of findings, when the rule's function itself finds
nothing in a document of another type: these tests check it for every rule that
declares ``types``, on the documents its bad fixture (tests/test_rules.py) makes
it report, with every other type, no type and an unknown one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from isodocs.app.load import load_system
from isodocs.model import Document, Severity
from isodocs.rules import REGISTRY
from isodocs.rules.registry import (
    DOCUMENT_TYPES,
    CrossDocumentRule,
    DocumentContext,
    DocumentRule,
    Hit,
    PerDocumentRule,
    document_rule,
)
from isodocs.rules.run import run_document_rules
from tests.conftest import TODAY, RepoBuilder
from tests.test_rules import BAD, BASE, build

TYPED = sorted(slug for slug, rule in REGISTRY.items() if isinstance(rule, PerDocumentRule) and rule.types)


def _hits(rule: PerDocumentRule, doc: Document, context: DocumentContext, system: Any) -> list[Hit]:
    """What the rule's function yields for ``doc``, called directly (not through the runner)."""
    if isinstance(rule, DocumentRule):
        return list(rule.check(system.complete(doc), context))
    assert isinstance(rule, CrossDocumentRule)
    return list(rule.check(system.complete(doc), system))


def test_rules_declare_types():
    """The rules of the improvement cycle's types declare them (a sign the runner's selection is in use)."""
    assert {"audit-overdue", "nonconformity-closed-early", "objective-overdue", "unknown-review-input"} <= set(TYPED)
    assert REGISTRY["audit-overdue"].types == frozenset({"audit"})  # type: ignore[attr-defined]


@pytest.mark.parametrize("slug", TYPED)
def test_a_rule_finds_nothing_in_documents_of_other_types(slug, repo, monkeypatch):
    """Each document the rule reports, given any type it does not declare, gives no hit: declaring the
    types loses no finding."""
    rule = REGISTRY[slug]
    assert isinstance(rule, PerDocumentRule) and rule.types
    build(repo, BAD[slug])
    monkeypatch.setenv("ISODOCS_NO_CACHE", "1")
    system, _problems = load_system(repo.root, TODAY)
    context = DocumentContext.of(system)
    reported = [doc for doc in system.documents if _hits(rule, doc, context, system)]
    assert reported, f"the bad fixture of {slug} gives no hit: nothing to test"
    for doc in reported:
        assert doc.type in rule.types
        for other in [*sorted(DOCUMENT_TYPES - rule.types), None, "no-such-type"]:
            doc.type = other
            doc.data["type"] = other
            assert _hits(rule, doc, context, system) == [], (slug, doc.path, other)


def _system_with(repo: RepoBuilder, documents: dict[str, str]) -> Any:
    for rel, text in documents.items():
        repo.write(rel, text)
    system, _problems = load_system(repo.root, TODAY)
    return system


PROCEDURE = f"---\n{BASE}---\nBody.\n"  # the rules tests' approved procedure


def _calls(monkeypatch: pytest.MonkeyPatch, types: tuple[str, ...] | None) -> list[str | None]:
    """The types of the documents the runner calls a rule of ``types`` on (the rule put in the registry)."""
    called: list[str | None] = []

    @document_rule("unknown-owner", Severity.ERROR, types=types)
    def probe(doc: Document, context: DocumentContext) -> Iterator[Hit]:
        """A probe."""
        called.append(doc.type)
        yield from ()

    monkeypatch.setitem(REGISTRY, "unknown-owner", probe)
    return called


@pytest.mark.parametrize(
    ("types", "expected"),
    [(None, ["procedure", "record", None]), (("record",), ["record"]), (("procedure", "audit"), ["procedure"])],
)
def test_the_runner_calls_a_rule_only_on_documents_of_its_types(repo, monkeypatch, types, expected):
    monkeypatch.setenv("ISODOCS_NO_CACHE", "1")
    system = _system_with(
        repo,
        {
            "procedures/a.md": PROCEDURE,
            "records/b.md": PROCEDURE.replace("type: procedure", "type: record").replace("PRO-001", "REC-001"),
            "procedures/c.md": PROCEDURE.replace("type: procedure", "type: [procedure]").replace("001", "002"),
        },
    )
    called = _calls(monkeypatch, types)
    list(run_document_rules(system))
    assert sorted(called, key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("types", [("audti",), (), ("audit", "Procedure")])
def test_types_must_name_document_types(types):
    with pytest.raises(ValueError, match="names no document type"):

        @document_rule("x", Severity.ERROR, types=types)
        def rule(doc: Document, context: DocumentContext) -> Iterator[Hit]:
            """A rule of a misspelt type."""
            yield from ()
