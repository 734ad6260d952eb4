"""broken-link's fast way to a link target agrees with the exact way (exists() and a full resolve)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from isodocs.app.load import load_system
from isodocs.readers.safefs import inside as _inside
from isodocs.rules.references import _link_state
from tests.conftest import TODAY, approved

TARGETS = [
    "b.md",  # a sibling
    "missing.md",
    "../forms/f.md",  # another folder
    "../forms/../procedures/b.md",
    "sub/",  # a folder
    ".",
    "..",
    "../..",  # the repository root's parent: outside
    "../../outside.md",  # a file outside the repository
    "linked-out.md",  # a symlink to a file outside
    "linked-in.md",  # a symlink to a file inside
    "dangling.md",  # a symlink to nothing
    "linkdir/x.md",  # through a symlinked folder that leads outside
    "linkdir-in/b.md",  # through a symlinked folder inside
    "sub/../b.md",
    "with space.md",
    "nul\x00.md",
    "b.md/",
]


@pytest.fixture
def tree(repo, tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.md").write_text("x")
    (tmp_path / "outside.md").write_text("x")
    repo.doc("procedures/a.md", approved("PRO-001"))
    repo.doc("procedures/b.md", approved("PRO-002"))
    repo.write("procedures/with space.md", "x")
    repo.write("forms/f.md", "x")
    (repo.root / "procedures" / "sub").mkdir()
    os.symlink(tmp_path / "outside.md", repo.root / "procedures" / "linked-out.md")
    os.symlink(repo.root / "forms" / "f.md", repo.root / "procedures" / "linked-in.md")
    os.symlink(repo.root / "nowhere.md", repo.root / "procedures" / "dangling.md")
    os.symlink(outside, repo.root / "procedures" / "linkdir")
    os.symlink(repo.root / "procedures", repo.root / "procedures" / "linkdir-in")
    return repo


@pytest.mark.parametrize("target", TARGETS)
def test_fast_and_exact_ways_agree(tree, target):
    system, _ = load_system(tree.root, TODAY)
    folder = tree.root / "procedures"
    path = folder / target
    try:
        exists = path.exists()
    except ValueError:
        exists = False
    exact = "missing" if not exists else ("ok" if _inside(tree.root, path) else "outside")
    assert _link_state(system, folder, target) == exact


def test_findings_of_broken_and_outside_links(tree, run_check):
    body = "# A\n\n[ok](b.md) [gone](missing.md) [out](linked-out.md) [dir out](linkdir/x.md) [up](../../outside.md)\n"
    tree.doc("procedures/a.md", approved("PRO-001"), body)
    findings = [(f.rule, f.message.split(":")[0]) for f in run_check(tree).findings if f.path == "procedures/a.md"]
    assert ("broken-link", "link to missing.md points to no file (procedures/missing.md)") in findings
    assert ("broken-link", "link to linked-out.md leaves the repository") in findings
    assert ("broken-link", "link to linkdir/x.md leaves the repository") in findings
    assert ("broken-link", "link to ../../outside.md leaves the repository") in findings
    assert not any("b.md" in message for _, message in findings)
