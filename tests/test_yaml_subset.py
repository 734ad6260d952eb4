"""yamlio's fast path for the usual front matter (``_parse_subset``) gives what the exact path gives.

The exact path is parse_yaml with the fast path switched off (as benchmarks/fast_paths.py
does): PyYAML's node tree and _TreeBuilder. Compared by ``repr`` of the whole ParsedYaml,
so True is not 1, 1.0 is not 1, and the order of every dict counts; errors by message,
line and kind.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from isodocs.readers import yamlio
from isodocs.readers.documents import split_front_matter

ROOT = Path(__file__).resolve().parent.parent

# Characters a scalar of the subset may hold, and characters it may not (each class of
# YAML indicator, escape, whitespace other than a space, line break, non-ASCII, control).
INSIDE = "aZq09 -_.;/()&'+%,"
OUTSIDE = ":#\"\\[]{}!*?|>@`=<~\t\r\x0b\x00\x7f\x85\xa0\u2028\u2029\ufeff\xe9\U0001f600"
# Plain words YAML 1.1 reads as something else than a string, or as a date, or nearly.
WORDS = [
    "1", "0", "-1", "+1", "012", "08", "0o17", "0x1F", "0b101", "0b_", "1_000", "1__", "190:20:30",
    "1.5", "1.", "1e5", "1.0e+5", "1.0e+400", "1.0e-400", "-1.0e+400", ".5", ".inf", "-.inf", ".nan", "NaN",
    "2026-11-27", "2026-02-30", "2026-1-2", "2001-12-14t21:59:43.10-05:00", "2026-11-27 10:00",
    "yes", "Yes", "YES", "no", "No", "on", "ON", "off", "Off", "true", "True", "false", "FALSE", "y", "n",
    "null", "Null", "NULL", "~", "=", "<<", "-", "a", "1a", "a1", "internal", "PRO-001",
]
# Pieces that change the meaning of what follows or precedes them in a scalar.
PIECES = [": ", ":", " #", "#", " :", ": x", " - ", "- ", "? ", " &a", " *a", " !t", "\\n", "\\", "\n ", "\n  ", "\n"]
KEYS = ["id", "title", "type", "clauses", "iso9001", "a", "a.b", "a-b", "_k", "k1", *WORDS[:12], "yes", "on",
        "null", "true", "2026-11-27", "1.5", "y", "x" * 128, "x" * 1100]


@contextmanager
def fast_path_off() -> Iterator[None]:
    """parse_yaml without the fast path: the exact way for every text."""
    original = yamlio._parse_subset
    yamlio._parse_subset = lambda text, line_offset, max_nodes: None  # type: ignore[assignment]
    try:
        yield
    finally:
        yamlio._parse_subset = original  # type: ignore[assignment]


def outcome(text: str, max_nodes: int = yamlio.MAX_NODES) -> tuple[str, ...]:
    """parse_yaml's whole result (every field, by repr) or its error."""
    try:
        return ("ok", repr(yamlio.parse_yaml(text, line_offset=1, max_nodes=max_nodes)))
    except yamlio.YamlError as exc:
        return ("error", exc.message, str(exc.line), exc.kind)


def assert_both_ways_equal(text: str, max_nodes: int = yamlio.MAX_NODES) -> bool:
    """The fast and the exact way agree on ``text``; whether the fast path took it."""
    fast = outcome(text, max_nodes)
    with fast_path_off():
        exact = outcome(text, max_nodes)
    assert fast == exact
    return yamlio._parse_subset(text, 1, max_nodes) is not None


# -- front matter in the subset and just outside it -------------------------------------------

def buildable(word: str) -> bool:
    """PyYAML builds the plain scalar ``word`` into plain JSON data (no error, no infinity or NaN)."""
    try:
        built = yaml.load(f"[{word}]", Loader=yamlio._Loader)[0]
    except Exception:  # e.g. int("", 2) for 0b_
        return False
    return not (isinstance(built, float) and not math.isfinite(built))


IN_PLAIN = r"-A-Za-z0-9_.;/()&'+%"
SUBSET_PLAIN = st.from_regex(rf"[A-Za-z0-9](?:[{IN_PLAIN} ]{{0,6}}[{IN_PLAIN}])?", fullmatch=True).filter(buildable)
SUBSET_QUOTED = st.text(alphabet=[chr(c) for c in range(32, 127) if chr(c) not in "\"\\\\*<"], max_size=8)


SUBSET_WORDS = [word for word in WORDS if re.fullmatch(r"[A-Za-z0-9][-+.0-9a-z]*", word) and buildable(word)]
SUBSET_KEY = st.from_regex(r"[a-d][a-d0-9_.-]{0,5}", fullmatch=True)


class Choices:
    """The choices of one generated front matter: the subset's, or, when ``wild``, at one or two of them another."""

    def __init__(self, draw: st.DrawFn, wild: bool) -> None:
        self.draw, self.made = draw, 0
        # Which choices deviate (counted in order): one near miss, now and then a second one.
        self.deviations = set(draw(st.lists(st.integers(0, 12), min_size=1, max_size=2))) if wild else set()

    def pick(self, usual: st.SearchStrategy[str], other: st.SearchStrategy[str]) -> str:
        """A drawing from ``usual``, or, at a deviating choice, from ``other``."""
        self.made += 1
        return self.draw(other if self.made - 1 in self.deviations else usual)

    def plain(self) -> str:
        """A plain scalar of the subset; wild: with a piece from outside it, or a word YAML reads as no string."""
        return self.pick(st.one_of(st.sampled_from(SUBSET_WORDS), SUBSET_PLAIN), st.one_of(
            st.tuples(SUBSET_PLAIN, st.one_of(st.sampled_from(PIECES), st.sampled_from(OUTSIDE)),
                      st.one_of(SUBSET_PLAIN, st.sampled_from(["", *SUBSET_WORDS]))).map("".join),
            st.sampled_from(WORDS),
            st.text(alphabet=INSIDE + OUTSIDE, max_size=8),
        ))

    def quoted(self) -> str:
        return '"' + self.pick(SUBSET_QUOTED, st.text(alphabet=INSIDE + OUTSIDE + "\\", max_size=8)) + '"'

    def value(self) -> str:
        """What follows a key's colon on its line: a plain or quoted scalar, a flow list (wild: or nothing)."""
        kind = self.pick(st.sampled_from(["plain", "quoted", "list"]), st.just("empty"))
        if kind == "list":
            items = [self.plain() if self.draw(st.booleans()) else self.quoted()
                     for _ in range(self.draw(st.integers(0, 4)))]
            return "[" + self.pick(st.just(", "), st.sampled_from([",", " , ", ",  ", ", \n  "])).join(items) + "]"
        return {"plain": self.plain, "quoted": self.quoted, "empty": str}[kind]()

    def key(self) -> str:
        return self.pick(SUBSET_KEY, st.sampled_from(KEYS))

    def colon(self) -> str:
        return self.pick(st.just(": "), st.sampled_from([":  ", ":", ":\t", " : ", ":  # c"]))


@st.composite
def front_matter(draw: st.DrawFn, wild: bool) -> str:
    """Top-level keys, some with a nested mapping, in the subset; ``wild``: now and then just outside it."""
    pick = Choices(draw, wild)
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        if draw(st.booleans()):
            lines.append(pick.key() + pick.colon() + pick.value())
            continue
        lines.append(pick.key() + ":" + pick.pick(st.just(""), st.sampled_from([" ", " # c", "\t"])))
        for _ in range(draw(st.integers(1, 3))):
            indent = pick.pick(st.just("  "), st.sampled_from([" ", "   ", "    ", "\t", "  - ", "- "]))
            lines.append(indent + pick.key() + pick.colon() + pick.value())
    text = "\n".join(lines)
    # One character more anywhere, blank lines, a comment, a document marker...
    extra = pick.pick(st.just(""), st.sampled_from([*INSIDE, *OUTSIDE, "\n", "\n\n", " #x", ": ", "\n---\n", "..."]))
    position = draw(st.integers(0, len(text)))
    text = text[:position] + extra + text[position:]
    text = pick.pick(st.just(""), st.sampled_from(["---\n", " ", "\n", "%YAML 1.1\n---\n"])) + text
    return text + pick.pick(st.sampled_from(["", "\n"]), st.sampled_from(["\n\n", " ", "\n#", "\n..."]))


@settings(max_examples=1000, deadline=None)
@given(text=front_matter(wild=True), max_nodes=st.sampled_from([yamlio.MAX_NODES, yamlio.MAX_NODES, 4, 9]))
def test_fast_path_equals_the_exact_way_in_and_around_the_subset(text, max_nodes):
    assert_both_ways_equal(text, max_nodes)


@settings(max_examples=300, deadline=None)
@given(text=front_matter(wild=False))
def test_fast_path_takes_the_subset_and_equals_the_exact_way(text):
    assert assert_both_ways_equal(text), text


NEAR = 'id: PRO-001\ntitle: "Q: a, b"\nclauses:\n  iso9001: ["4.1", x y]\n  iso14001: 6.1\nrelated: [a, b]\nn: 5'


def test_every_character_class_at_every_position():
    """Each character and piece of both sets, put at each position of a front matter in the subset."""
    assert assert_both_ways_equal(NEAR)
    taken = 0
    for position in range(len(NEAR) + 1):
        for piece in (*INSIDE, *OUTSIDE, *PIECES, "\n", "  ", "\n\n"):
            taken += assert_both_ways_equal(NEAR[:position] + piece + NEAR[position:])
    assert taken > 1000  # many of them are still in the subset


def test_what_yaml_reads_as_no_string_is_built_as_pyyaml_builds_it():
    for word in WORDS:
        for text in (f"a: {word}", f"a: [{word}, x]", f"{word}: a", f"a:\n  {word}: [{word}]", f'a: "{word}"'):
            assert_both_ways_equal(text)
    assert yamlio._parse_subset("a: 12\nb: yes\nc: null\nd: 1.5\ne: 2026-11-27", 1, 100) is not None
    assert yamlio._parse_subset("1: a", 1, 100) is None  # a key that is no string: the exact way


def test_duplicates_and_lines_of_nested_and_repeated_keys():
    text = 'a: x\nb:\n  c: [p, "q, r"]\n  c: 1\na: "y"\nb: [s]\nd:\n  e: f\nd:\n  g: h'
    assert assert_both_ways_equal(text)
    parsed = yamlio.parse_yaml(text, line_offset=1)
    assert parsed.duplicates == [("b.c", 5, 4), ("a", 6, 2), ("b", 7, 3), ("d", 10, 8)]
    assert parsed.raw_scalars == {"a": "x"}


def test_bounds_and_limits_are_left_to_the_exact_way():
    many = "a: [" + ", ".join(["x"] * 30) + "]"
    assert yamlio._parse_subset(many, 1, 10) is None
    assert not assert_both_ways_equal(many, 10)  # the exact way reports it
    assert assert_both_ways_equal(many, 33) and not assert_both_ways_equal(many, 32)  # root, key, list, 30 items
    assert assert_both_ways_equal("x" * 128 + ": v")
    assert not assert_both_ways_equal("x" * 1100 + ": v")  # libyaml refuses a key past 1,024 characters
    long = "a: " + "x" * yamlio._SUBSET_MAX
    assert yamlio._parse_subset(long, 1, 10) is None and assert_both_ways_equal(long) is False


# -- real front matter: the fast path pays ----------------------------------------------------

# The shapes the subset leaves out on purpose that real front matter has: a list of flow
# mappings (a nonconformity's actions, an objective's measurements) and comments.
BY_DESIGN_OUTSIDE = re.compile(r"^ *(?:- |#)", re.MULTILINE)


def assert_taken_unless_outside_by_design(fronts: list[str]) -> None:
    """Every front matter is read alike both ways, and taken by the fast path unless it has a shape left out."""
    for front in fronts:
        taken = assert_both_ways_equal(front)
        assert taken != bool(BY_DESIGN_OUTSIDE.search(front)), front


def fronts_under(root: Path, folders: tuple[str, ...]) -> list[str]:
    """The front matters of the documents in ``folders`` of ``root``."""
    paths = [path for folder in folders for path in sorted((root / folder).rglob("*.md"))]
    splits = [split_front_matter(path.read_text("utf-8")) for path in paths]
    return [split[0] for split in splits if split]


def test_fast_path_takes_the_example_repository():
    fronts = fronts_under(ROOT, ("policies", "procedures", "forms", "records", "objectives"))
    assert len(fronts) > 100
    assert_taken_unless_outside_by_design(fronts)
    assert sum(not BY_DESIGN_OUTSIDE.search(front) for front in fronts) > 80


def test_fast_path_takes_the_benchmark_repository(tmp_path):
    out = tmp_path / "repo"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(out), "--docs", "600",
                    "--commits", "5"], check=True, capture_output=True)
    fronts = fronts_under(out, ("policies", "procedures", "forms", "records"))
    assert len(fronts) == 600
    assert_taken_unless_outside_by_design(fronts)
    assert sum(not BY_DESIGN_OUTSIDE.search(front) for front in fronts) > 550
