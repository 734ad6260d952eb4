"""``isodocs build``: check, render the staging project, build it with an engine, swap it in.

The site is built into a temporary folder beside the target and swapped in
only when the engine succeeded, so a failed build leaves the previous site as
it was and a reader never sees half a site. Nothing under the repository's
document folders is written.
"""

from __future__ import annotations

import datetime as dt
import glob
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; builds there must not overlap
    fcntl = None  # type: ignore[assignment]

from isodocs.app.check import check_system
from isodocs.app.load import load_system
from isodocs.errors import UsageError
from isodocs.model import Finding, Severity
from isodocs.readers.repo_mkdocs import load_repo_mkdocs
from isodocs.site.inputs import SiteInputs
from isodocs.site.render import stage, write_staging
from isodocs.site.sources import collect

ENGINES = ("mkdocs", "zensical")
ENGINE_MODULES = {"mkdocs": ("mkdocs", "material"), "zensical": ("zensical",)}
INSTALL_HINT = {
    "mkdocs": "pip install --upgrade isodocs (mkdocs and mkdocs-material)",
    "zensical": "pip install 'isodocs[zensical]'",
}
STAGED_SITE = "_site"  # site_dir of the staging project, relative to it
SITE_MARKERS = ("index.html", "sitemap.xml", "versions.json", "404.html")
# Written into every temporary folder a build makes beside the site (its work folder, the
# previous site it moves aside): the next build removes a leftover only when it carries this.
WORK_MARKER = ".isodocs-build-leftover"


class CheckFailed(Exception):
    """The repository has errors, so nothing is built (exit status 1)."""

    def __init__(self, findings: list[Finding]) -> None:
        self.errors = [f for f in findings if f.severity == Severity.ERROR]
        super().__init__(
            f"isodocs check found {len(self.errors)} error{'s' if len(self.errors) != 1 else ''}: "
            "the site was not built. Fix them (run `isodocs check`), or pass --force to build anyway."
        )


@dataclass
class BuildOptions:
    root: Path
    site_dir: Path | None = None  # default: <root>/site
    engine: str = "mkdocs"
    force: bool = False
    today: dt.date | None = None


@dataclass
class BuildResult:
    site_dir: Path
    engine: str
    published: int
    withheld: int
    withheld_links: int
    findings: list[Finding]
    # (path, reason) of documents withheld because something about them is wrong (even under --force).
    withheld_for_problems: list[tuple[str, str]] = field(default_factory=list)
    engine_warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # render, engine, total


def require_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}': use one of {', '.join(ENGINES)}")
    for module in ENGINE_MODULES[engine]:
        if importlib.util.find_spec(module) is None:
            raise UsageError(f"the {engine} engine is not installed: {INSTALL_HINT[engine]}")


def engine_command(engine: str, config_file: Path, out_dir: Path) -> list[str]:
    if engine == "mkdocs":
        return [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(config_file), "-d", str(out_dir)]
    # Zensical takes site_dir from the config file, which the renderer set to out_dir.
    return [sys.executable, "-m", "zensical", "build", "--clean", "-f", str(config_file)]


def run_engine(engine: str, config_file: Path, out_dir: Path) -> list[str]:
    """Build the staging project; return the engine's warning lines. Raises UsageError on failure."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1", "NO_MKDOCS_2_WARNING": "1"}
    completed = subprocess.run(  # fixed argv, no shell
        engine_command(engine, config_file, out_dir),
        cwd=config_file.parent,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    output = (completed.stdout or "") + (completed.stderr or "")
    if completed.returncode != 0 or not (out_dir / "index.html").is_file():
        tail = "\n".join(output.strip().splitlines()[-20:])
        raise UsageError(f"{engine} build failed (exit {completed.returncode}):\n{tail}")
    return [line.strip() for line in output.splitlines() if "WARNING" in line or "warning:" in line.lower()]


def check_site_dir(root: Path, site_dir: Path, document_paths: list[str]) -> None:
    """Refuse a target that would replace the repository or its documents, or foreign files."""
    target, repo = site_dir.resolve(), root.resolve()
    if target == repo or repo.is_relative_to(target):
        raise UsageError(f"--site-dir {site_dir} would replace the repository itself; choose a folder inside it")
    for name in document_paths:
        folder = (repo / name).resolve()
        if target == folder or target.is_relative_to(folder) or folder.is_relative_to(target):
            raise UsageError(f"--site-dir {site_dir} overlaps the document folder {name}/; choose another folder")
    if target.exists() and not target.is_dir():
        raise UsageError(f"--site-dir {site_dir} is a file; choose a folder")
    if target.is_dir() and any(target.iterdir()) and not any((target / m).exists() for m in SITE_MARKERS):
        raise UsageError(
            f"--site-dir {site_dir} exists and does not hold a built site; remove it or choose another folder"
        )


@contextmanager
def swap_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock while swapping ``target``, so two builds swap one after the other.

    Without it, two builds finishing together could interleave their renames and
    one would fail after the other had moved the site away. The lock is taken on
    the folder holding the target (flock works on directories), so no lock file
    is ever written into the repository.
    """
    if fcntl is None:
        yield
        return
    descriptor = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` with the finished build ``new`` (same file system: two renames)."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.rename(target, old)
        try:
            mark_leftover(old)  # killed before this line, the folder stays: never removed by name alone
        except OSError:
            pass  # then it is left behind, not removed: the safe side
    try:
        os.rename(new, target)
    except OSError:
        if old is not None:
            os.rename(old, target)  # put the previous site back
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def mark_leftover(folder: Path) -> None:
    """Mark ``folder`` as one this tool made, so that a later build may remove it if it is left behind."""
    (folder / WORK_MARKER).write_text("A temporary folder of `isodocs build`; removed by the next build.\n", "utf-8")


def _is_marked(folder: Path) -> bool:
    """Whether ``folder`` is a real folder (not a symlink) holding the marker as a regular file."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    marker = folder / WORK_MARKER
    return marker.is_file() and not marker.is_symlink()


def remove_abandoned(target: Path) -> None:
    """Remove what builds killed mid-way left beside ``target`` (``.site.build-PID-*``, ``.site.old-PID``).

    Only folders carrying the marker this tool writes into them (``WORK_MARKER``)
    are removed: a folder of the repository that merely has such a name is not
    isodocs' to delete. Each name carries the process id of its build; a folder
    whose process is still running belongs to a build in progress and is left alone.
    """
    for prefix in (f".{target.name}.build-", f".{target.name}.old-"):
        for folder in target.parent.glob(glob.escape(prefix) + "*"):
            pid = folder.name[len(prefix) :].split("-", 1)[0]
            if pid.isdigit() and _is_marked(folder) and not _running(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process
        return True
    return True


def load_inputs(options: BuildOptions) -> SiteInputs:
    """Load and check the repository; what the site is rendered from. Raises CheckFailed."""
    system, problems = load_system(options.root, options.today, save_cache=False)
    # A refused mkdocs.yml is a usage problem of the build (exit 2), before the check's findings.
    load_repo_mkdocs(system.root, system.config.paths).raise_first()
    findings = check_system(system, problems)
    if not options.force and any(f.severity == Severity.ERROR for f in findings):
        raise CheckFailed(findings)
    # The loader's problems as well as the findings: a duplicate key withholds its document
    # even when isodocs.yml turns the rule off (site/publishing.py).
    return collect(system, findings, load_problems=problems)


def build_site(options: BuildOptions) -> BuildResult:
    """Check, render and build the site at ``options.site_dir``. Raises CheckFailed or UsageError."""
    require_engine(options.engine)
    started = time.perf_counter()
    root = options.root
    target = (options.site_dir or root / "site").absolute()
    inputs = load_inputs(options)
    check_site_dir(root, target, inputs.system.config.paths)
    target.parent.mkdir(parents=True, exist_ok=True)
    # The staging project and the engine's output live in one temporary folder beside
    # the target: the same file system, so the finished site is swapped in by renaming
    # (and Zensical wants site_dir inside the project).
    remove_abandoned(target)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-{os.getpid()}-", dir=target.parent))
    try:
        mark_leftover(work)
        staging_dir = work / "staging"
        out_dir = staging_dir / STAGED_SITE
        project = stage(inputs, site_dir=STAGED_SITE, engine=options.engine)
        write_staging(project, staging_dir)
        rendered = time.perf_counter()
        warnings = run_engine(options.engine, staging_dir / "mkdocs.yml", out_dir)
        built = time.perf_counter()
        with swap_lock(target):
            swap_in(out_dir, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BuildResult(
        site_dir=target,
        engine=options.engine,
        published=len(inputs.published),
        withheld=len(inputs.withheld),
        withheld_links=project.withheld_links,
        findings=inputs.findings,
        withheld_for_problems=inputs.withheld_for_problems(),
        engine_warnings=warnings,
        seconds={
            "render": rendered - started,
            "engine": built - rendered,
            "total": time.perf_counter() - started,
        },
    )
