"""The rule registry.

Each rule is a small pure function with a stable slug, a default severity and a
one-line summary (its docstring's first line). Document rules take one document;
repository rules take the whole management system. Both yield ``Hit``s; the
runner turns them into ``Finding``s with the severity the configuration sets.

Rule families live in their own modules and register on import (see the bottom
of this file). Some slugs are produced by the loader rather than by a function;
they are registered too, so their severity is configurable and their docs exist.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from isodocs.config import CONFIG_FILE, Config
from isodocs.errors import UsageError
from isodocs.model import Document, Finding, ManagementSystem, Severity

Scope = Literal["loader", "document", "repository", "change"]


@dataclass(frozen=True)
class Hit:
    """What a rule found. Path and id default to the document's."""

    message: str
    line: int = 1
    severity: Severity | None = None  # overrides the rule's default (e.g. unmapped drafts)
    path: str | None = None
    id: str | None = None


DocumentCheck = Callable[[Document, ManagementSystem], Iterable[Hit]]
SystemCheck = Callable[[ManagementSystem], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    slug: str
    severity: Severity
    summary: str  # one line: what the rule finds
    family: str
    scope: Scope
    check: Callable[..., Iterable[Hit]] | None = None
    fix: str = ""  # one paragraph: how to fix a finding (docs/rules.md, `isodocs rules`)
    # A per-document rule that also looks at other documents (ids, files): its findings
    # can change when another file does, so they are never cached (see run_document_rules).
    cross_document: bool = False


REGISTRY: dict[str, Rule] = {}


def _register(
    slug: str,
    severity: Severity,
    scope: Scope,
    check: Callable[..., Iterable[Hit]] | None,
    doc: str | None,
    family: str,
    fix: str | None = None,
    cross_document: bool = False,
) -> None:
    if slug in REGISTRY:
        raise ValueError(f"rule {slug} registered twice")
    paragraphs = _paragraphs(doc or "")
    summary = paragraphs[0] if paragraphs else ""
    fix = " ".join(fix.split()) if fix else (paragraphs[1] if len(paragraphs) > 1 else "")
    REGISTRY[slug] = Rule(slug, severity, summary, family, scope, check, fix, cross_document)


def _paragraphs(doc: str) -> list[str]:
    """A docstring's paragraphs, each on one line: the summary, then how to fix."""
    return [" ".join(block.split()) for block in inspect.cleandoc(doc).split("\n\n") if block.strip()]


def document_rule(
    slug: str, severity: Severity, fix: str | None = None, cross_document: bool = False
) -> Callable[[DocumentCheck], DocumentCheck]:
    """Register a function of (document, system) as a per-document rule.

    The docstring's first paragraph is the rule's one-line summary, its second
    how to fix a finding (or pass ``fix=``); both go into docs/rules.md. A rule
    that reads anything beyond the document, the configuration, the catalogues
    and today's date (other documents, other files) must say ``cross_document=True``.
    """

    def decorate(func: DocumentCheck) -> DocumentCheck:
        family = func.__module__.rsplit(".", 1)[-1]
        _register(slug, severity, "document", func, func.__doc__, family, fix, cross_document)
        return func

    return decorate


def system_rule(
    slug: str, severity: Severity, scope: Scope = "repository", fix: str | None = None
) -> Callable[[SystemCheck], SystemCheck]:
    """Register a function of the whole system as a repository-wide rule (docstring as for document_rule)."""

    def decorate(func: SystemCheck) -> SystemCheck:
        _register(slug, severity, scope, func, func.__doc__, func.__module__.rsplit(".", 1)[-1], fix)
        return func

    return decorate


def loader_rule(slug: str, severity: Severity, summary: str, fix: str | None = None) -> None:
    """Register a slug that the loader reports (no check function)."""
    _register(slug, severity, "loader", None, summary, "loader", fix)


def severity_of(rule: Rule, hit_severity: Severity | None, overrides: dict[str, Severity | None]) -> Severity | None:
    """Configured severity wins; then the hit's own; then the rule's default. None: off."""
    if rule.slug in overrides:
        return overrides[rule.slug]
    return hit_severity or rule.severity


def make_finding(rule: Rule, hit: Hit, system: ManagementSystem, doc: Document | None = None) -> Finding | None:
    severity = severity_of(rule, hit.severity, system.config.rule_severities)
    if severity is None:
        return None
    return Finding(
        path=hit.path or (doc.path if doc else "isodocs.yml"),
        line=max(1, hit.line),
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
    """Every per-document rule on every document.

    With a cache (see parsecache.py), the findings of the rules that look at the
    document alone are taken from an earlier run when the document's text and
    the context (``document_context``) are the same; cross-document rules always run.
    """
    rules = [r for r in REGISTRY.values() if r.scope == "document" and _enabled(r, system)]
    own_rules = [r for r in rules if not r.cross_document]
    cross_rules = [r for r in rules if r.cross_document]
    cache = system.cache
    context = document_context(system) if cache is not None else ""
    for doc in system.documents:
        key = doc.content_key if cache is not None else None
        stored = cache.document_results(key, context) if cache is not None and key else None
        if stored is not None:
            found, doc.links = stored
            for path, line, slug, severity, message, doc_id in found:
                yield Finding(path, line, slug, Severity(severity), message, doc_id)
            yield from _apply(cross_rules, doc, system)
            continue
        fresh = list(_apply(own_rules, doc, system))
        yield from fresh
        yield from _apply(cross_rules, doc, system)  # before storing: broken-link fills doc.links
        if cache is not None and key:
            found = [(f.path, f.line, f.rule, f.severity.value, f.message, f.id) for f in fresh]
            cache.put_document_results(key, context, found, doc.links)


def _apply(rules: list[Rule], doc: Document, system: ManagementSystem) -> Iterator[Finding]:
    for rule in rules:
        assert rule.check is not None
        for hit in rule.check(doc, system):
            finding = make_finding(rule, hit, system, doc)
            if finding:
                yield finding


def document_context(system: ManagementSystem) -> str:
    """A hash of everything but the document that per-document rules read.

    The configuration (people, severities, limits, ...), the catalogues, today's
    date and isodocs' own code (an edited rule must not be served old findings).
    Computed once per run.
    """
    cached: str | None = system.derived.get("document_context")
    if cached is None:
        from isodocs.parsecache import code_fingerprint, context_hash, stable, stable_repr

        cached = system.derived["document_context"] = context_hash(
            system.today.isoformat(),
            stable_repr(system.config),
            repr(stable(sorted(system.catalogs.items()))),
            code_fingerprint(),
        )
    return cached


def run_system_rules(system: ManagementSystem, scope: Scope = "repository") -> Iterator[Finding]:
    for rule in REGISTRY.values():
        if rule.scope == scope and rule.check is not None and _enabled(rule, system):
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


# Rule families register themselves on import; the order here is the docs' order.
from isodocs.rules import loading, schema, identity, people, dates, mapping, references, content, gaps, soa  # noqa: E402,F401,I001
from isodocs.rules import site, changes  # noqa: E402, F401
from isodocs.rules import sitelinks  # noqa: E402,F401  (after references: it uses its link patterns)
from isodocs.rules import training  # noqa: E402,F401  (training and awareness: audiences, acknowledgements)
