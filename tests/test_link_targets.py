"""broken-link's fast way to a link target agrees with the exact way (exists() and a full resolve)."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isodocs.app.load import load_system
from isodocs.readers.safefs import inside as _inside
from isodocs.rules.references import INLINE_LINK, REFERENCE_DEFINITION, SCHEME, _link_state, relative_links, root_links
from isodocs.text.mdtext import prose_lines
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


# --- the link scan's fast paths against their plain definitions (docs/architecture.md, "Fast paths") ---

_PLAIN_TEXT = r"(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*"
_PLAIN_TARGET = r"<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))+"
_TITLE = r"""\s+(?:"[^"]*"|'[^']*'|\([^()]*\))"""
# INLINE_LINK as first written: one loop turn per character
PLAIN_INLINE_LINK = re.compile(
    r"(?<!\\)!?\[(" + _PLAIN_TEXT + r")\]\(\s*(" + _PLAIN_TARGET + r")(?:" + _TITLE + r")?\s*\)"
)
_LINK_TEXT = st.lists(
    st.sampled_from(["[", "]", "(", ")", "<", ">", "\\", " ", "\t", '"', "'", "!", "x", "#", "/", ":", "](", "[a](b)",
                     "![i](p.png)", "[a]: ", ' "t"', "\\]", "\\[", "((", "))", "\n"]),
    max_size=16,
).map("".join)


@settings(max_examples=2000, deadline=None)
@given(_LINK_TEXT)
def test_unrolled_inline_link_pattern_matches_as_the_plain_one(text):
    def spans(pattern: re.Pattern[str]) -> list[tuple[tuple[int, int], ...]]:
        return [(m.span(), m.span(1), m.span(2)) for m in pattern.finditer(text)]

    assert spans(INLINE_LINK) == spans(PLAIN_INLINE_LINK)


def _plain_targets(body: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Relative and root-relative targets by the plain way: every prose line, every pattern."""
    relative, root = [], []
    raw = body.split("\n")
    fenced = "```" in body or "~~~" in body  # prose_lines_with then looks for the needles in the stripped line
    for number, line in prose_lines(body):
        inline = list(PLAIN_INLINE_LINK.finditer(line))
        inner = [[i.group(2) for i in PLAIN_INLINE_LINK.finditer(m.group(1))] for m in inline]
        definition = REFERENCE_DEFINITION.match(line)
        found = [t for m, images in zip(inline, inner, strict=True) for t in (m.group(2), *images)]
        found += [definition.group(1)] if definition else []
        for target in (t.strip("<>") for t in found):
            if target and not target.startswith(("#", "/")) and not SCHEME.match(target):
                relative.append((target, number))
        # root-relative links: as root_links reads them, on the lines holding one of its four needles
        if any(needle in (line if fenced else raw[number]) for needle in ("](/", "](</", "]: /", "]: </")):
            outer = [m.group(2) for m in inline] + [t for images in inner for t in images]
            outer += [definition.group(1)] if definition else []
            root += [(t.strip("<>"), number) for t in outer if t.strip("<>").startswith("/")
                     and not t.strip("<>").startswith("//")]
    return relative, root


_BODY = st.lists(
    st.sampled_from(["[a](b.md)", "[a](<c d.md>)", "![i](p.png)", "[![i](p.png)](q.md)", "[a](/r.md)", "[a](</s.md>)",
                     "[a](#x)", "[a](https://x)", "[a](mailto:x)", "[a]: t.md", "[a]: /u.md", "[a]: <v.md>", "]",
                     "( /w.md)", "(", ")", "](", "]:", "`", "```", "~~~", "\n", "\n    ", "\n\t", " ", "x", "[", "\\"]),
    max_size=20,
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(_BODY)
def test_relative_and_root_links_are_those_of_every_prose_line(body):
    relative, root = _plain_targets(body)
    assert list(relative_links(body)) == relative
    if not any(needle in body for needle in ("](/", "](</", "]: /", "]: </")):
        root = []  # root_links' pre-test: the body holds none of the needles it looks for in a line
    assert list(root_links(body)) == root


@settings(max_examples=500, deadline=None)
@given(_BODY)
def test_prose_lines_are_the_same_whether_or_not_a_fence_was_looked_for(body):
    from isodocs.text import mdtext

    found = list(prose_lines(body)), list(prose_lines(body, indented_code=False))
    gate = mdtext.may_hold_fence
    mdtext.may_hold_fence = lambda text: True  # the exact way: every line tried as a fence
    try:
        assert (list(prose_lines(body)), list(prose_lines(body, indented_code=False))) == found
        if "```" in body or "~~~" in body:
            assert gate(body)
    finally:
        mdtext.may_hold_fence = gate


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="#?%2fFa0/.é ", max_size=20))
def test_file_part_is_the_target_cut_at_fragment_and_query_then_unquoted(target):
    from urllib.parse import unquote

    from isodocs.rules.references import _file_part

    assert _file_part(target) == unquote(target.split("#", 1)[0].split("?", 1)[0])


@settings(max_examples=300, deadline=None)
@given(_BODY, st.sampled_from([(), ("",), ("](",), ("](", "]:"), ("x", "[a]"), ("`",)]))
def test_prose_lines_with_any_needles_equals_filtering_every_prose_line(body, needles):
    from isodocs.text.mdtext import prose_lines_with

    for indented in (True, False):
        expected = [(i, line) for i, line in prose_lines(body, indented) if any(n in line for n in needles)]
        found = [(i, line) for i, line in prose_lines_with(body, needles, indented) if any(n in line for n in needles)]
        assert found == expected
        if not needles:
            assert not list(prose_lines_with(body, needles, indented))  # no needle: no line
        if needles == ("",):  # every line holds it, each once (at most one more than there are lines: no hang)
            lines = list(prose_lines(body, indented))
            assert list(itertools.islice(prose_lines_with(body, needles, indented), len(lines) + 1)) == lines
