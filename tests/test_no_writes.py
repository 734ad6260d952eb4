"""Reporting commands never write to the sources: the tree's hashes are the same before and after.

`check`, `coverage`, `soa` and `reviews` run (in every format) on a copy of this
repository's example management system plus hostile corpus files; every file's
bytes, mode and mtime, and the set of files, must be unchanged. The copy is a
Git repository, so the parse cache is on: its own folder (`.isodocs-cache/`,
ignored by Git) is the one thing a run may add, and `git status` must stay clean.
`build` joins this list when its no-write test is written.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from isodocs.cli import main
from tests.conftest import REPO_ROOT
from tests.gitutil import commit, git, init

CORPUS = REPO_ROOT / "tests" / "corpus" / "documents"
TODAY = ["--today", "2026-11-27"]
COMMANDS = (
    [["check", "--format", fmt, *TODAY] for fmt in ("text", "json", "github", "sarif")]
    + [["coverage", "--format", fmt] for fmt in ("text", "json", "csv")]
    + [["soa", "--format", fmt] for fmt in ("md", "json", "csv")]
    + [["reviews", "--format", fmt, *TODAY] for fmt in ("text", "json", "csv")]
)


def snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    """Path -> (sha256, mode, mtime in ns) of every source file, symlink and folder under root."""
    state = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in (".git", ".isodocs-cache")]
        for name in dirs + files:
            path = Path(folder) / name
            info = path.lstat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() and not path.is_symlink() else ""
            state[path.relative_to(root).as_posix()] = (digest, info.st_mode, info.st_mtime_ns)
    return state


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "example system"  # a space in the repository path, too
    root.mkdir()
    for name in ("isodocs.yml", "soa.yml"):
        shutil.copy2(REPO_ROOT / name, root / name)
    for folder in ("policies", "procedures", "forms", "records", "objectives"):
        if (REPO_ROOT / folder).is_dir():
            shutil.copytree(REPO_ROOT / folder, root / folder, copy_function=shutil.copy2)
    hostile = root / "procedures" / "hostile ünïcode"
    hostile.mkdir(parents=True)
    for name in ("alias-bomb.md", "utf16-le-bom.md", "nul-byte.md", "unsafe-html.md", "crlf.md", "tab-indent.md"):
        shutil.copy2(CORPUS / name, hostile / name)
    init(root)
    commit(root, "example")
    return root


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_command_leaves_sources_untouched(example: Path, command: list[str]) -> None:
    before = snapshot(example)
    for _ in range(2):  # the second run reads the parse cache the first one wrote
        result = CliRunner().invoke(main, ["-C", str(example), *command])
        assert result.exit_code in (0, 1), result.output
    assert snapshot(example) == before
    assert git(example, "status", "--porcelain", "--ignored=no") == ""


def test_check_paths_with_spaces_and_unicode(example: Path) -> None:
    """PATHS holding spaces and non-ASCII letters select exactly the files under them."""
    result = CliRunner().invoke(
        main, ["-C", str(example), "check", "--format", "json", "--today", "2026-11-27", "procedures/hostile ünïcode"]
    )
    assert result.exit_code == 1, result.output
    paths = {finding["path"] for finding in json.loads(result.stdout)["findings"]}
    assert paths and all(path.startswith("procedures/hostile ünïcode/") for path in paths)
    assert "procedures/hostile ünïcode/alias-bomb.md" in paths
