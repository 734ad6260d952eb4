"""Gap-analysis rules: the documented information each in-scope standard requires exists.

They read the coverage model (``isodocs.analyses.coverage``), so ``isodocs check`` and
``isodocs coverage`` always agree on what is missing. Findings are reported
against the standard's line in ``standards:`` of isodocs.yml.
"""

from __future__ import annotations

from collections.abc import Iterator

from isodocs.analyses.coverage import MAINTAIN, RETAIN, ClauseCoverage, compute_coverage
from isodocs.model import ManagementSystem, Severity
from isodocs.model.config import CONFIG_FILE
from isodocs.rules.registry import Hit, system_rule


def _missing(system: ManagementSystem, kind: str) -> Iterator[tuple[str, int, ClauseCoverage]]:
    """(standard key, line in isodocs.yml, clause) for each in-scope clause missing ``kind``."""
    for index, (key, coverage) in enumerate(compute_coverage(system).items()):
        for clause in coverage.clauses:
            if kind in clause.missing and not clause.excluded:
                yield key, system.config.line("standards", index), clause


def _what(clause: ClauseCoverage) -> str:
    return f" ({clause.clause.required.rstrip('.')})" if clause.clause.required else ""


@system_rule("mandatory-document-missing", Severity.ERROR)
def mandatory_document_missing(system: ManagementSystem) -> Iterator[Hit]:
    """An in-scope clause needs documented information maintained and no approved document maps to it."""
    for key, line, clause in _missing(system, MAINTAIN):
        name = system.catalogs[key].name
        yield Hit(
            f"{name} {clause.clause.id} {clause.clause.title} requires documented information to be "
            f"maintained{_what(clause)}, and no approved document maps to it: approve a document "
            f"with clauses: {{{key}: [\"{clause.clause.id}\"]}}",
            line,
            path=CONFIG_FILE,
        )


@system_rule("mandatory-record-missing", Severity.WARNING)
def mandatory_record_missing(system: ManagementSystem) -> Iterator[Hit]:
    """An in-scope clause needs documented information retained and no record maps to it."""
    for key, line, clause in _missing(system, RETAIN):
        name = system.catalogs[key].name
        yield Hit(
            f"{name} {clause.clause.id} {clause.clause.title} requires documented information to be "
            f"retained{_what(clause)}, and no record maps to it: add a record (type: record) "
            f"with clauses: {{{key}: [\"{clause.clause.id}\"]}}",
            line,
            path=CONFIG_FILE,
        )
