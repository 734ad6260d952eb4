"""``isodocs serve``: live preview that re-renders the staging project when a source changes.

The engine's own development server watches the staging project; isodocs
watches the repository (documents, isodocs.yml, mkdocs.yml, soa.yml and the
files mkdocs.yml names: CSS, JavaScript, logo, custom_dir) and
re-renders into the staging project when one of them changes, writing only
the files whose content changed so the engine rebuilds what it must. A preview
shows the site even when the check has errors (it says how many), as
``build --force`` would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from isodocs.errors import UsageError
from isodocs.model import Severity
from isodocs.readers.repo_mkdocs import load_repo_mkdocs
from isodocs.site.build import BuildOptions, load_inputs, require_engine
from isodocs.site.render import stage, write_staging

WATCHED_FILES = ("isodocs.yml", "mkdocs.yml", "soa.yml")


@dataclass
class ServeOptions:
    root: Path
    engine: str = "mkdocs"
    address: str = "127.0.0.1:8000"
    poll_seconds: float = 1.0


def snapshot(root: Path, paths: list[str]) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file the site is rendered from (``paths``: folders and files)."""
    seen: dict[str, tuple[int, int]] = {}
    candidates = [root / name for name in WATCHED_FILES]
    for name in paths:
        if (root / name).is_file():
            candidates.append(root / name)
            continue
        for folder, dirs, files in os.walk(root / name):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            candidates += [Path(folder, f) for f in files if not f.startswith(".")]
    for path in candidates:
        try:
            stat = path.stat()
        except OSError:
            continue
        seen[path.as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return seen


def render_into(root: Path, staging_dir: Path, engine: str) -> tuple[list[str], int, list[str]]:
    """Render the staging project; (changed files, check errors, paths to watch)."""
    inputs = load_inputs(BuildOptions(root=root, force=True))
    project = stage(inputs, site_dir="_site", engine=engine)
    changed = write_staging(project, staging_dir)
    errors = sum(1 for f in inputs.findings if f.severity == Severity.ERROR)
    theme_files = load_repo_mkdocs(root, inputs.system.config.paths).sources  # vetted: CSS, logo, custom_dir
    return changed, errors, [*inputs.system.config.paths, *theme_files]


def serve_command(engine: str, config_file: Path, address: str) -> list[str]:
    if engine == "mkdocs":
        return [sys.executable, "-m", "mkdocs", "serve", "-f", str(config_file), "-a", address]
    return [sys.executable, "-m", "zensical", "serve", "-f", str(config_file), "-a", address]


def serve(options: ServeOptions, say: Callable[[str], None], stop: Callable[[], bool] = lambda: False) -> None:
    """Run the preview until interrupted (or until ``stop()`` is true, for tests)."""
    require_engine(options.engine)
    with tempfile.TemporaryDirectory(prefix="isodocs-serve-") as tmp:
        staging = Path(tmp)
        _, errors, paths = render_into(options.root, staging, options.engine)
        if errors:
            say(f"isodocs: preview shows the site despite {errors} check errors; `isodocs build` would refuse")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        process = subprocess.Popen(serve_command(options.engine, staging / "mkdocs.yml", options.address), env=env)
        say(f"isodocs: serving a preview on http://{options.address}/ (Ctrl+C to stop)")
        state = snapshot(options.root, paths)
        try:
            while process.poll() is None and not stop():
                time.sleep(options.poll_seconds)
                current = snapshot(options.root, paths)
                if current == state:
                    continue
                state = current
                try:
                    changed, errors, paths = render_into(options.root, staging, options.engine)
                except UsageError as error:
                    say(f"isodocs: error: {error}")
                    continue
                say(f"isodocs: re-rendered {len(changed)} files ({errors} check errors)")
        except KeyboardInterrupt:
            pass
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    if process.returncode not in (0, None, -15) and not stop():
        raise UsageError(f"{options.engine} serve stopped (exit {process.returncode})")
