"""``isodocs check``: load the repository, run every rule, collect the findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from isodocs.app.load import load_system
from isodocs.errors import UsageError
from isodocs.model import Finding, ManagementSystem, Severity
from isodocs.rules import REGISTRY
from isodocs.rules.registry import Hit
from isodocs.rules.run import make_finding, run_document_rules, run_system_rules


@dataclass
class CheckOptions:
    root: Path
    paths: list[Path] = field(default_factory=list)  # report only findings under these (relative: to root)
    today: dt.date | None = None
    strict: bool = False
    base: str | None = None  # compare with this git revision: change-control rules run
    all: bool = False  # with base: also report per-document findings on untouched documents


@dataclass
class CheckResult:
    today: dt.date
    documents: int
    findings: list[Finding]
    system: ManagementSystem | None = None
    base: str | None = None  # the revision compared with (check --base)
    not_shown: int = 0  # findings on documents the change does not touch, left out (--base without --all)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def summary(self) -> dict[str, int]:
        return {"error": self.count(Severity.ERROR), "warning": self.count(Severity.WARNING)}

    def exit_code(self, strict: bool = False) -> int:
        if self.count(Severity.ERROR) or (strict and self.count(Severity.WARNING)):
            return 1
        return 0


def check_system(system: ManagementSystem, load_problems: list) -> list[Finding]:
    """All findings for a loaded system, sorted by path, line and rule."""
    findings: list[Finding] = []
    for problem in load_problems:
        hit = Hit(problem.message, problem.line, path=problem.path, id=problem.id)
        finding = make_finding(REGISTRY[problem.rule], hit, system)
        if finding:
            findings.append(finding)
    findings.extend(run_document_rules(system))
    findings.extend(run_system_rules(system))
    if system.base is not None:
        findings.extend(run_system_rules(system, "change"))
    if system.cache is not None:
        system.cache.save()
    return sorted(set(findings))


# Per-document rules whose finding on an unchanged document can be caused by a
# change elsewhere (a renamed id, a deleted file, a new duplicate). With --base
# they still block, wherever they land.
CROSS_DOCUMENT_RULES = frozenset(slug for slug, rule in REGISTRY.items() if rule.cross_document)


def split_untouched(findings: list[Finding], system: ManagementSystem) -> tuple[list[Finding], list[Finding]]:
    """(findings that block the change, per-document findings on documents it does not touch).

    Repository-wide and change-control findings always block. A change to
    isodocs.yml or a catalogue can alter any document's findings, so then
    every document counts as touched.
    """
    base = system.base
    if base is None or base.config_changed:
        return findings, []
    touched = base.touched
    blocking, untouched = [], []
    for finding in findings:
        rule = REGISTRY.get(finding.rule)
        per_document = rule is not None and rule.scope in ("document", "loader")
        if per_document and finding.path not in touched and finding.rule not in CROSS_DOCUMENT_RULES:
            untouched.append(finding)
        else:
            blocking.append(finding)
    return blocking, untouched


def run_check(options: CheckOptions) -> CheckResult:
    """Validate the repository at ``options.root``. Raises UsageError (exit 2)."""
    wanted = [_relative(options.root, p) for p in options.paths]
    system, problems = load_system(options.root, options.today, save_cache=False)
    if options.base is not None:
        from isodocs.readers.changes import load_base  # only here: reading git needs git installed

        system.base = load_base(options.root, options.base, system.config, system.documents)
    findings = check_system(system, problems)
    not_shown = 0
    if not options.all:
        findings, untouched = split_untouched(findings, system)
        not_shown = len(untouched)
    if wanted:
        findings = [f for f in findings if any(_under(f.path, w) for w in wanted)]
    return CheckResult(
        today=system.today,
        documents=system.files,
        findings=findings,
        system=system,
        base=options.base,
        not_shown=not_shown,
    )


def _relative(root: Path, path: Path) -> str:
    """A path to report on (relative paths are relative to ``root``) as "a/b"; exit 2 if unusable."""
    absolute = path if path.is_absolute() else root / path
    if not absolute.exists():
        raise UsageError(f"{path}: no such file or folder")
    try:
        return absolute.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"{path}: outside the repository {root}") from None


def _under(path: str, wanted: str) -> bool:
    return wanted in ("", ".") or path == wanted or path.startswith(wanted.rstrip("/") + "/")
