"""``isodocs publish``: deploy one version of the site with mike to the gh-pages branch.

mike builds the staging project with mkdocs and commits the result under
``VERSION/`` on the branch, keeps ``versions.json`` (which the material version
selector reads) and makes aliases such as ``latest``. Aliases are redirects
(``alias_type: redirect``): symlinks are not served by every Pages host.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from isodocs.errors import UsageError
from isodocs.site.build import BuildOptions, load_inputs, require_engine
from isodocs.site.render import stage, write_staging

MIKE_MAIN = "import sys; from mike.driver import main; sys.argv[0] = 'mike'; sys.exit(main())"
VERSION_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass
class PublishOptions:
    root: Path
    version: str
    aliases: list[str] = field(default_factory=list)
    push: bool = False
    branch: str = "gh-pages"
    remote: str = "origin"
    force: bool = False
    title: str | None = None
    today: dt.date | None = None


@dataclass
class PublishResult:
    version: str
    aliases: list[str]
    branch: str
    pushed: bool
    published: int
    output: str


def _mike(args: list[str], root: Path) -> subprocess.CompletedProcess[str]:
    # mike runs `mkdocs` from PATH: make it this interpreter's.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = {**os.environ, "PATH": path, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    return subprocess.run(  # fixed argv, no shell
        [sys.executable, "-c", MIKE_MAIN, *args], cwd=root, capture_output=True, text=True, env=env, check=False
    )


def publish(options: PublishOptions) -> PublishResult:
    """Check, render and deploy ``options.version``. Raises CheckFailed or UsageError."""
    require_engine("mkdocs")
    for name in (options.version, *options.aliases):
        if not VERSION_PATTERN.match(name):
            raise UsageError(f"'{name}' is not a usable version or alias: use letters, digits, '.', '_' and '-'")
    inside = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"], cwd=options.root, capture_output=True, text=True, check=False
    )
    if inside.stdout.strip() != "true":
        raise UsageError(f"{options.root} is not a Git repository: mike publishes to its {options.branch} branch")
    inputs = load_inputs(BuildOptions(root=options.root, force=options.force, today=options.today))
    with tempfile.TemporaryDirectory(prefix="isodocs-publish-") as tmp:
        staging = Path(tmp)
        write_staging(stage(inputs, site_dir="_site", versioned=True), staging)
        config = str(staging / "mkdocs.yml")
        deploy = ["deploy", "-F", config, "-b", options.branch, "-r", options.remote, "--alias-type", "redirect"]
        deploy += ["-m", f"Publish the management system manual {options.version}"]
        if options.title:
            deploy += ["-t", options.title]
        if options.aliases:
            deploy.append("--update-aliases")
        if options.push:
            deploy.append("--push")
        completed = _mike([*deploy, options.version, *options.aliases], options.root)
        output = completed.stdout + completed.stderr
        if completed.returncode != 0:
            raise UsageError(f"mike deploy failed (exit {completed.returncode}):\n{output.strip()}")
        if options.aliases:
            # The site root redirects to the first alias (e.g. latest), so the newest is the default.
            default = ["set-default", "-F", config, "-b", options.branch, "-r", options.remote]
            default += ["--push"] if options.push else []
            completed = _mike([*default, options.aliases[0]], options.root)
            output += completed.stdout + completed.stderr
            if completed.returncode != 0:
                raise UsageError(f"mike set-default failed (exit {completed.returncode}):\n{output.strip()}")
    return PublishResult(
        version=options.version,
        aliases=options.aliases,
        branch=options.branch,
        pushed=options.push,
        published=len(inputs.published),
        output=output,
    )
