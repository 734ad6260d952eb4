"""``isodocs check``: load the repository, run every rule, collect the findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from isodocs.errors import UsageError
from isodocs.loader import load_system
from isodocs.model import Finding, ManagementSystem, Severity
from isodocs.rules import REGISTRY, Hit, make_finding, run_document_rules, run_system_rules


@dataclass
class CheckOptions:
    root: Path
    paths: list[Path] = field(default_factory=list)  # report only findings under these (relative: to root)
    today: dt.date | None = None
    strict: bool = False


@dataclass
class CheckResult:
    today: dt.date
    documents: int
    findings: list[Finding]
    system: ManagementSystem | None = None

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
    return sorted(set(findings))


def run_check(options: CheckOptions) -> CheckResult:
    """Validate the repository at ``options.root``. Raises UsageError (exit 2)."""
    wanted = [_relative(options.root, p) for p in options.paths]
    system, problems = load_system(options.root, options.today)
    findings = check_system(system, problems)
    if wanted:
        findings = [f for f in findings if any(_under(f.path, w) for w in wanted)]
    return CheckResult(today=system.today, documents=system.files, findings=findings, system=system)


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
