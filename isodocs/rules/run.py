"""Running the rules: Hits to Findings, with the configured severities, and the per-document cache.

Per-document rules (``DocumentRule``) see one document and the ``DocumentContext``;
their findings are stored in the parse cache under the document's content key
and a hash of the context, and reused while both are the same. Cross-document
rules run on every document every time; system rules once per run.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from isodocs.errors import UsageError
from isodocs.model import Document, Finding, ManagementSystem, Severity
from isodocs.model.config import CONFIG_FILE, Config
from isodocs.rules import REGISTRY
from isodocs.rules.registry import (
    CrossDocumentRule,
    DocumentContext,
    DocumentRule,
    Hit,
    Rule,
    Scope,
    SystemRule,
)


def severity_of(rule: Rule, hit_severity: Severity | None, overrides: dict[str, Severity | None]) -> Severity | None:
    """Configured severity wins; then the hit's own; then the rule's default. None: off."""
    if rule.slug in overrides:
        return overrides[rule.slug]
    return hit_severity or rule.severity


def make_finding(rule: Rule, hit: Hit, system: ManagementSystem, doc: Document | None = None) -> Finding | None:
    severity = severity_of(rule, hit.severity, system.config.rule_severities)
    if severity is None:
        return None
    line = hit.line
    if hit.key is not None and doc is not None:
        line = system.with_front(doc).line(*hit.key)
    return Finding(
        path=hit.path or (doc.path if doc else CONFIG_FILE),
        line=max(1, line),
        rule=rule.slug,
        severity=severity,
        message=shorten(hit.message),
        id=hit.id or (doc.id if doc else None),
    )


MAX_MESSAGE = 500


def shorten(message: str, limit: int = MAX_MESSAGE) -> str:
    """Cut the middle of a long message: it may quote a 4 MB value, and its end says what to do."""
    if len(message) <= limit:
        return message
    keep = (limit - 5) // 2
    return f"{message[:keep]} ... {message[-keep:]}"


def run_document_rules(system: ManagementSystem) -> Iterator[Finding]:
    """Every per-document rule on every document of a type it applies to (``types``, see rules/registry.py).

    With a cache (see readers/parsecache.py), the findings of the ``DocumentRule``s
    are taken from an earlier run when the document's text and the context
    (``document_context``) are the same; ``CrossDocumentRule``s always run.
    """
    own_rules = _RulesByType([r for r in REGISTRY.values() if isinstance(r, DocumentRule) and _enabled(r, system)])
    cross_rules = _RulesByType(
        [r for r in REGISTRY.values() if isinstance(r, CrossDocumentRule) and _enabled(r, system)]
    )
    context = DocumentContext.of(system)
    cache = system.cache
    context_key = document_context(context) if cache is not None else ""
    for doc in system.documents:
        key = doc.content_key if cache is not None else None
        stored = cache.document_results(key, context_key) if cache is not None and key else None
        if stored is not None:
            found, doc.links = stored
            for path, line, slug, severity, message, doc_id in found:
                yield Finding(path, line, slug, Severity(severity), message, doc_id)
            yield from _apply(cross_rules.of(doc.type), doc, system, system)
            continue
        fresh = _apply(own_rules.of(doc.type), system.complete(doc), context, system)
        yield from fresh
        yield from _apply(cross_rules.of(doc.type), doc, system, system)  # before storing: broken-link fills doc.links
        if cache is not None and key:
            found = [(f.path, f.line, f.rule, f.severity.value, f.message, f.id) for f in fresh]
            cache.put_document_results(key, context_key, found, doc.links)


# A rule and its function, as the runner calls it for each document.
_Checks = tuple[tuple[Rule, Callable[[Document, Any], Iterable[Hit]]], ...]


class _RulesByType:
    """The rules that apply to each document type, in registry order, worked out once per type."""

    def __init__(self, rules: Sequence[DocumentRule | CrossDocumentRule]) -> None:
        self.rules = rules
        self.by_type: dict[str | None, _Checks] = {}

    def of(self, doc_type: str | None) -> _Checks:
        """The rules (with their functions) to run on a document of type ``doc_type``."""
        checks = self.by_type.get(doc_type)
        if checks is None:
            checks = self.by_type[doc_type] = tuple((r, r.check) for r in self.rules if r.applies_to(doc_type))
        return checks


def _apply(checks: _Checks, doc: Document, argument: Any, system: ManagementSystem) -> list[Finding]:
    """The findings of ``checks`` on ``doc``; ``argument`` is what the rules take besides the document
    (the ``DocumentContext``, or the system for cross-document rules). A list, not a generator:
    most documents have no finding, and one loop per document costs less than one generator."""
    found: list[Finding] = []
    for rule, check in checks:
        for hit in check(doc, argument):
            finding = make_finding(rule, hit, system, doc)
            if finding:
                found.append(finding)
    return found


def document_context(context: DocumentContext) -> str:
    """A hash of everything but the document that per-document rules read.

    The configuration (people, severities, limits, ...), the catalogues, today's
    date and isodocs' own code (an edited rule must not be served old findings).
    """
    from isodocs.readers.parsecache import code_fingerprint, context_hash, stable, stable_repr

    return context_hash(
        context.today.isoformat(),
        stable_repr(context.config),
        repr(stable(sorted(context.catalogs.items()))),
        code_fingerprint(),
    )


def run_system_rules(system: ManagementSystem, scope: Scope = "repository") -> Iterator[Finding]:
    for rule in REGISTRY.values():
        if isinstance(rule, SystemRule) and rule.scope == scope and _enabled(rule, system):
            for hit in rule.check(system):
                finding = make_finding(rule, hit, system)
                if finding:
                    yield finding


def check_rule_settings(config: Config) -> None:
    """Refuse a slug under ``rules:`` of isodocs.yml that names no registered rule.

    A misspelt slug would otherwise silently leave the rule at its default.
    Raises UsageError (exit 2) naming the nearest slug.
    """
    for slug in config.rule_severities:
        if slug not in REGISTRY:
            hint = difflib.get_close_matches(slug, list(REGISTRY), n=1)
            suggestion = f" Did you mean {hint[0]}?" if hint else ""
            raise UsageError(
                f"rules: '{slug}' is no rule of isodocs.{suggestion} `isodocs rules` lists them all.",
                CONFIG_FILE,
                config.line("rules", slug),
            )


def _enabled(rule: Rule, system: ManagementSystem) -> bool:
    return system.config.rule_severities.get(rule.slug, rule.severity) is not None
