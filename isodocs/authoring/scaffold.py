"""``isodocs init``: scaffold a management-system repository that passes ``isodocs check`` at once.

Writes isodocs.yml, the document folders with their section pages, mkdocs.yml,
soa.yml (when ISO 27001 is in scope), the check and publish workflows, a
pre-commit configuration, requirements.txt and a README for the people who will
use the repository; with examples, starter drafts for the chosen standards.
Existing files are never overwritten, not even with ``force``.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from isodocs import __version__
from isodocs.authoring.common import IdAllocator, document_text, dump_front_matter, slugify, yaml_scalar
from isodocs.authoring.new import fill, load_template
from isodocs.errors import UsageError
from isodocs.model import TYPE_PREFIX
from isodocs.model.catalog import Catalog
from isodocs.model.config import CONFIG_FILE, DEFAULT_PATHS
from isodocs.readers.catalog import builtin_catalogs

DEFAULT_STANDARDS = ["iso9001"]
# Example people: the README tells the user to replace them.
PEOPLE = {
    "qm": ("Quality Manager", "Management system manager"),
    "top": ("Managing Director", "Top management"),
}
SECTION_TITLES = {
    "policies": ("Policies", "The policies of {org}: the commitments top management makes, the scope and the manual."),
    "procedures": ("Procedures", "How {org} does things: procedures and the work instructions that detail them."),
    "forms": ("Forms", "Forms and templates used by the procedures of {org}."),
    "records": ("Records", "Retained records of {org}: audits, management reviews, training, corrective actions."),
    "objectives": ("Objectives", "The objectives of {org}: what is measured, the target, the plan and the results."),
}
# The folders a new repository gets: the default document folders and objectives (`isodocs new objective`).
INIT_PATHS = [*DEFAULT_PATHS, "objectives"]


@dataclass(frozen=True)
class Example:
    """A starter draft: written when one of ``clauses``' standards is in scope."""

    type: str
    title: str
    clauses: dict[str, list[str]]
    only_for: str | None = None  # written only when this standard is in scope


ALL = ("iso9001", "iso14001", "iso45001", "iso27001")
EXAMPLES = (
    Example("policy", "Management system scope", {k: ["4.3"] for k in ALL}),
    Example("policy", "Quality policy", {"iso9001": ["5.2", "5.2.1", "5.2.2"]}, "iso9001"),
    Example("policy", "Environmental policy", {"iso14001": ["5.2"]}, "iso14001"),
    Example("policy", "Occupational health and safety policy", {"iso45001": ["5.2", "5.4"]}, "iso45001"),
    Example("policy", "Information security policy", {"iso27001": ["5.2", "A.5.1"]}, "iso27001"),
    Example(
        "procedure",
        "Control of documented information",
        {"iso9001": ["7.5"], "iso14001": ["7.5"], "iso45001": ["7.5"], "iso27001": ["7.5", "A.5.37"]},
    ),
    Example("procedure", "Internal audit", {k: ["9.2"] for k in ALL}),
    Example("procedure", "Management review", {k: ["9.3"] for k in ALL}),
    Example("procedure", "Nonconformity and corrective action", {k: ["10.2"] for k in ALL}),
    Example(
        "procedure", "Environmental aspects and compliance obligations", {"iso14001": ["6.1.2", "6.1.3"]}, "iso14001"
    ),
    Example("procedure", "Hazard identification and risk assessment", {"iso45001": ["6.1.2", "6.1.3"]}, "iso45001"),
    Example("procedure", "Emergency preparedness and response", {"iso14001": ["8.2"], "iso45001": ["8.2"]}),
    Example(
        "procedure",
        "Information security risk assessment and treatment",
        {"iso27001": ["6.1.2", "6.1.3", "8.2", "8.3"]},
        "iso27001",
    ),
    Example("form", "Internal audit report", {k: ["9.2.2"] for k in ALL}),
)


@dataclass
class InitOptions:
    target: Path
    standards: list[str] = field(default_factory=lambda: list(DEFAULT_STANDARDS))
    organization: str | None = None
    with_examples: bool = False
    force: bool = False
    dry_run: bool = False
    requirement: str | None = None  # the requirements.txt line installing isodocs; None: where this one came from


@dataclass
class InitResult:
    target: Path
    created: list[str] = field(default_factory=list)  # paths relative to target
    kept: list[str] = field(default_factory=list)  # existed already: left alone
    organization: str = ""
    standards: list[str] = field(default_factory=list)
    dry_run: bool = False
    requirement: str = ""  # what requirements.txt installs
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Requirement:
    """The requirements.txt line that installs isodocs in CI, where it comes from, and a warning if it may not work."""

    line: str
    source: str  # a comment for requirements.txt
    warning: str | None = None


REQUIREMENT_EXAMPLE = "isodocs[site] @ git+https://github.com/ORG/isodocs@COMMIT"
_SITE_EXTRA = re.compile(r"^isodocs\s*\[[^\]]*\bsite\b[^\]]*\]", re.IGNORECASE)
_SCP_REMOTE = re.compile(r"^(?:[\w.-]+@)?([\w.-]+):(?!//)(.+)$")  # git@github.com:org/isodocs.git


def https_remote(url: str) -> str | None:
    """The https form of a Git remote URL (CI has no SSH key), or None for a local or unknown one."""
    url = url.strip()
    if url.startswith("https://"):
        return url
    if url.startswith("ssh://"):
        host_path = url[len("ssh://") :].split("@", 1)[-1]
        host, _, path = host_path.partition("/")
        return f"https://{host.split(':', 1)[0]}/{path}" if path else None
    scp = _SCP_REMOTE.match(url)
    if scp and "/" not in scp.group(1):
        return f"https://{scp.group(1)}/{scp.group(2)}"
    return None


def _git_output(folder: Path, *args: str) -> str | None:
    """A local, read-only git command's output in ``folder``, or None when it fails."""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def published_checkout(folder: Path) -> tuple[str, str] | None:
    """(https URL, commit) of a Git checkout whose HEAD is on a branch of its remote, else None.

    Only remote-tracking branches are looked at (nothing is fetched): a commit that
    is on one has been pushed, so CI can install it from there.
    """
    head = _git_output(folder, "rev-parse", "--verify", "HEAD^{commit}")
    if not head or not re.fullmatch(r"[0-9a-f]{40}", head):
        return None
    containing = _git_output(folder, "branch", "-r", "--contains", head, "--format=%(refname:lstrip=2)") or ""
    for remote in dict.fromkeys(line.split("/", 1)[0] for line in containing.splitlines() if "/" in line):
        url = https_remote(_git_output(folder, "remote", "get-url", remote) or "")
        if url:
            return url, head
    return None


def _installed_from() -> dict[str, Any] | None:
    """The installed isodocs' PEP 610 record (direct_url.json), None when it came from a package index."""
    try:
        text = metadata.distribution("isodocs").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    try:
        record = json.loads(text) if text else None
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def default_requirement(installed: dict[str, Any] | None, version: str = __version__) -> Requirement:
    """How CI installs the isodocs that runs ``init``: the same code, from where it came from.

    From a package index: that version. From a Git URL: that URL at the installed
    commit. From a local folder: the folder's Git remote at its HEAD commit, if it
    is pushed. Otherwise the version from a package index, with a warning, since
    no index may serve it.
    """
    pinned = f"isodocs[site]=={version}"
    if installed is None:
        return Requirement(pinned, "isodocs from the package index (PyPI), this version")
    url = str(installed.get("url", ""))
    vcs = installed.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        remote = https_remote(url) or (url if url.startswith("http://") else None)
        if remote:
            return Requirement(
                f"isodocs[site] @ git+{remote}@{vcs['commit_id']}", "isodocs from its Git repository, at one commit"
            )
    if "dir_info" in installed and url.startswith("file://"):
        checkout = published_checkout(Path(url[len("file://") :]))
        if checkout:
            return Requirement(
                f"isodocs[site] @ git+{checkout[0]}@{checkout[1]}", "isodocs from its Git repository, at one commit"
            )
    warning = (
        f"requirements.txt installs {pinned} from the package index, but this isodocs was installed from "
        f"{url or 'a file'}, and the index may not serve that version: if CI cannot install it, "
        f"run init with --requirement '{REQUIREMENT_EXAMPLE}' or edit requirements.txt (docs/authoring.md)"
    )
    return Requirement(pinned, "isodocs from the package index (PyPI), this version", warning)


def chosen_requirement(given: str | None) -> Requirement:
    """``--requirement`` checked (one line naming isodocs with its site extra), or the default."""
    if given is None:
        return default_requirement(_installed_from())
    line = given.strip()
    if not line or "\n" in line or "\r" in line:
        raise UsageError(f"--requirement must be one requirement line, e.g. '{REQUIREMENT_EXAMPLE}'")
    if not _SITE_EXTRA.match(line):
        raise UsageError(
            f"--requirement must install isodocs with its site extra (build and publish need it), "
            f"e.g. '{REQUIREMENT_EXAMPLE}'; got '{line}'"
        )
    return Requirement(line, "isodocs as given to `isodocs init --requirement`")


def _is_empty(folder: Path) -> bool:
    # A fresh clone holds only .git: that still counts as empty.
    return not any(entry.name != ".git" for entry in folder.iterdir())


def _repo_template(name: str) -> str:
    return resources.files("isodocs").joinpath("templates", "repo", name).read_text("utf-8")


def config_text(organization: str, standards: list[str]) -> str:
    people = "\n".join(
        f"  {key}: {{name: {yaml_scalar(name)}, role: {yaml_scalar(role)}}}" for key, (name, role) in PEOPLE.items()
    )
    return f"""\
# isodocs configuration of this management system. Every key is explained in the
# isodocs docs; `isodocs check` says on which line anything is wrong.
organization: {yaml_scalar(organization)}
standards: [{", ".join(standards)}]   # in scope: iso9001, iso14001, iso45001, iso27001
catalogs: []                  # your own catalogue files, e.g. [standards/soc2.yml]
paths: [{", ".join(INIT_PATHS)}]
review:
  interval_months: 12         # default time between reviews of a document
  max_interval_months: 36     # longest a document may go without review
  warn_days: 30               # reviews due within this many days are reported
people:
  # Everyone who owns or approves documents. Documents name them by key (owner: qm).
  # Replace these examples with real people; add github: HANDLE to each for CODEOWNERS,
  # and groups: [production, office] for the documents that name them in audience:.
{people}
# training:                   # who must read a document (audience:) and by when
#   grace_days: 30            # days to read a new version before training-overdue
#   retrain_on: major         # major: a new major version asks again; minor: every version
site:
  max_classification: internal   # nothing classified above this is ever published
rules:
  # While documents are being brought in, a missing mandatory document is a warning.
  # Delete this line once they are approved, so that a gap blocks a pull request.
  mandatory-document-missing: warning
"""


def soa_text(organization: str, catalog: Catalog) -> str:
    lines = [
        f"# Statement of Applicability decisions of {organization} ({catalog.name} Annex A).",
        "# One decision per control: applicable: true with status implemented, partial or planned;",
        '# or applicable: false with a justification: "why it does not apply".',
        "# Every control starts as planned: set each from your risk treatment plan.",
        "# reasons: why an applicable control is included (ISO/IEC 27001 6.1.3 d): risk, legal,",
        "# contractual, business. Every control starts as selected by the risk treatment: correct",
        '# the reasons from your risk treatment plan, or add justification: "..." in words.',
        "controls:",
    ]
    width = max(len(c.id) for c in catalog.controls) + 1
    for control in catalog.controls:
        key = f"{control.id}:".ljust(width)
        lines.append(f"  {key} {{applicable: true, status: planned, reasons: [risk]}}   # {control.title}")
    return "\n".join(lines) + "\n"


def section_page(folder: str, organization: str) -> str:
    title, text = SECTION_TITLES.get(folder, (folder.capitalize(), "Documents of {org}."))
    return f"# {title}\n\n{text.format(org=organization)}\n"


def example_documents(standards: list[str], organization: str) -> dict[str, str]:
    """Starter drafts for the standards in scope: path -> text."""
    ids = IdAllocator([])
    owner = "{} ({})".format(*PEOPLE["qm"])
    files: dict[str, str] = {}
    for example in EXAMPLES:
        clauses = {k: v for k, v in example.clauses.items() if k in standards}
        if not clauses or (example.only_for and example.only_for not in standards):
            continue
        doc_id = ids.next(TYPE_PREFIX[example.type])
        template = load_template(None, example.type)  # the built-in one
        data: dict[str, Any] = {
            "id": doc_id,
            "title": example.title,
            "type": example.type,
            "version": "0.1",
            "status": "draft",
            "owner": "qm",
            **template.defaults,
            "clauses": clauses,
        }
        body = fill(template.body, {"title": example.title, "id": doc_id, "owner": owner, "organization": organization})
        folder = {"policy": "policies", "procedure": "procedures", "form": "forms"}[example.type]
        files[f"{folder}/{slugify(example.title)}.md"] = document_text(dump_front_matter(data), body)
    return files


def plan(options: InitOptions, requirement: Requirement | None = None) -> dict[str, str]:
    """Every file init would write: path relative to the target -> text."""
    requirement = requirement or chosen_requirement(options.requirement)
    catalogs = builtin_catalogs()
    organization = options.organization or options.target.resolve().name
    standards = options.standards
    in_scope = ", ".join(catalogs[s].name for s in standards)
    values = {
        "organization": organization,
        "site_name": yaml_scalar(f"{organization} management system"),
        "standards": in_scope,
        "version": __version__,
        "requirement": requirement.line,
        "requirement_source": requirement.source,
    }
    has_soa = "iso27001" in standards
    values["soa_row"] = (
        "| `soa.yml` | the ISO 27001 Statement of Applicability: a decision per Annex A control | |\n"
        if has_soa
        else ""
    )
    values["soa_day"] = "- `isodocs soa`: the Statement of Applicability from `soa.yml`.\n" if has_soa else ""
    files: dict[str, str] = {
        CONFIG_FILE: config_text(organization, standards),
        "README.md": fill(_repo_template("README.md"), values),
        "mkdocs.yml": fill(_repo_template("mkdocs.yml"), values),
        "requirements.txt": fill(_repo_template("requirements.txt"), values),
        ".gitignore": _repo_template("gitignore"),
        ".pre-commit-config.yaml": _repo_template("pre-commit-config.yaml"),
        ".github/workflows/check.yml": _repo_template("check.yml"),
        ".github/workflows/publish.yml": _repo_template("publish.yml"),
    }
    for folder in INIT_PATHS:
        files[f"{folder}/index.md"] = section_page(folder, organization)
    if has_soa:
        files["soa.yml"] = soa_text(organization, catalogs["iso27001"])
    if options.with_examples:
        files.update(example_documents(standards, organization))
    return files


def scaffold(options: InitOptions) -> InitResult:
    """Create the repository at ``options.target``. Raises UsageError for bad input."""
    known = builtin_catalogs()
    standards: list[str] = []
    for key in options.standards:
        if key not in known:
            raise UsageError(f"--standards: '{key}' is no built-in standard; one of: {', '.join(sorted(known))}")
        if key not in standards:
            standards.append(key)
    if not standards:
        raise UsageError("--standards: name at least one standard, e.g. iso9001")
    options.standards = standards
    if options.organization is not None and not options.organization.strip():
        raise UsageError("--organization must not be empty")
    target = options.target
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file, not a folder")
    if target.is_dir() and not _is_empty(target) and not options.force:
        raise UsageError(
            f"{target} is not empty; use --force to add the missing files (existing files are never overwritten)"
        )
    requirement = chosen_requirement(options.requirement)
    result = InitResult(target=target, standards=standards, dry_run=options.dry_run, requirement=requirement.line)
    result.organization = options.organization or target.resolve().name
    for rel, text in plan(options, requirement).items():
        path = target / rel
        if path.exists():
            result.kept.append(rel)
            continue
        result.created.append(rel)
        if options.dry_run:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    if requirement.warning and "requirements.txt" in result.created:
        result.warnings.append(requirement.warning)
    return result
