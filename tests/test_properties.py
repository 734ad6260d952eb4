"""Property-based tests: whatever a document file holds, the pipeline reports, never crashes.

Random bytes, random YAML-like text and random front matter structures go
through the loader, every rule and every reporter. Each run must end with
well-formed findings. The examples are kept few enough for the default run;
raise ``HYPOTHESIS_PROFILE=thorough`` for a longer search.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isodocs.app.check import CheckResult, check_system
from isodocs.app.load import load_system
from isodocs.model import Finding, ManagementSystem, Severity
from isodocs.readers.documents import parse_document
from isodocs.reporters import REPORTERS
from isodocs.rules import REGISTRY
from isodocs.schemas import quick_validity, validator
from tests.conftest import BASE_CONFIG, TODAY, approved

settings.register_profile("default", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


class Pipeline:
    """One repository loaded once; each example replaces its single document."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="isodocs-prop-"))
        (self.root / "isodocs.yml").write_text(yaml.safe_dump(BASE_CONFIG), "utf-8")
        (self.root / "procedures").mkdir()
        (self.root / "procedures" / "other.md").write_text(
            "---\nid: PRO-002\ntitle: Other\ntype: procedure\nversion: '1.0'\nstatus: obsolete\nowner: qm\n---\n",
            "utf-8",
        )
        self.path = self.root / "procedures" / "doc.md"
        self.base, _ = load_system(self.root, TODAY)

    def run(self, content: bytes) -> CheckResult:
        self.path.write_bytes(content)
        other = [d for d in self.base.documents if d.path != "procedures/doc.md"]
        doc, problems = parse_document(self.root, self.path, self.base.config)
        system = ManagementSystem(
            root=self.root,
            config=self.base.config,
            catalogs=self.base.catalogs,
            documents=[*other, doc] if doc else other,
            load_findings=[],
            today=TODAY,
            files=2,
        )
        findings = check_system(system, problems)
        return CheckResult(today=TODAY, documents=2, findings=findings, system=system)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def pipeline():
    built = Pipeline()
    yield built
    built.close()


def assert_well_formed(result: CheckResult) -> None:
    for finding in result.findings:
        assert isinstance(finding, Finding)
        assert finding.rule in REGISTRY
        assert isinstance(finding.severity, Severity)
        assert isinstance(finding.path, str) and finding.path and "\\" not in finding.path
        assert isinstance(finding.line, int) and finding.line >= 1
        assert isinstance(finding.message, str) and finding.message.strip()
        assert finding.id is None or isinstance(finding.id, str)
    for name, render in REPORTERS.items():
        output = render(result)
        assert isinstance(output, str) and output.endswith("\n")
        if name in ("json", "sarif"):
            json.loads(output)


# Pieces of YAML that tend to break parsers and rules: types, anchors, tags,
# quotes, dates good and bad, nested flow collections, odd characters.
YAML_KEYS = st.sampled_from(
    [
        "id", "title", "type", "version", "status", "owner", "approved_by", "approved_on", "effective_date",
        "last_reviewed", "review_interval", "next_review", "classification", "clauses", "related", "supersedes",
        "date", "retention_years", "source", "tags", "x", "<<", "? a", "'id'", "1", "null", "true",
    ]
)  # fmt: skip
# fmt: off
ODD_VALUES = [
    "", "PRO-001", "PRO-002", "REC-001", "procedure", "record", "approved", "draft", "obsolete", "qm", "md",
    "[md]", "[qm, nobody]", "2026-06-01", "2026-02-30", "2026-13-45", "2030-01-01", "1.10", "'1.0'", "1",
    "-3", "0", "1e9", ".inf", "~", "null", "yes", "off", "[]", "{}", "{iso9001: ['7.5']}",
    "{iso27001: [A5.1, '5.1']}", "{nope: [1]}", "[[[]]]", "&a [1, 2]", "*a", "!!binary aGVsbG8=",
    "!!set {a, b}", "!!str 5", "!!int x", "'unterminated", '"esc \\x"', "|\n  block\n", ">-\n  folded\n",
    "[PRO-002, PRO-999]", "{a: {b: {c: {d: [1, {e: f}]}}}}", "\t", "\u00e9\u4e2d\U0001f600", "@x", "`y`",
]
# fmt: on
YAML_VALUES = st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=20))
YAML_LINES = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", YAML_KEYS, YAML_VALUES),
    st.builds(lambda v: f"  - {v}", YAML_VALUES),
    st.builds(lambda k, v: f"  {k}: {v}", YAML_KEYS, YAML_VALUES),
    st.sampled_from(["---", "...", "#", "- a", "? x", ": y", "  ", "%YAML 1.1", "key"]),
)
YAML_TEXT = st.lists(YAML_LINES, max_size=25).map("\n".join)

BODIES = st.sampled_from(
    [
        "",
        "# T\n",
        "[a](missing.md) [b](other.md) [c](../procedures/other.md#x) ![i](img.png)\n",
        "```\n[a](x.md)\n",
        "[ref]: ../../outside.md\n",
        "[q](%zz) [r](<a b.md>) [s]()\n",
    ]
)


@given(content=st.binary(max_size=600))
def test_random_bytes_as_a_document(pipeline, content):
    assert_well_formed(pipeline.run(content))


@given(content=st.binary(max_size=300))
def test_random_bytes_after_a_front_matter_opening(pipeline, content):
    assert_well_formed(pipeline.run(b"---\n" + content + b"\n---\n"))


@given(front=YAML_TEXT, body=BODIES)
def test_random_yaml_like_front_matter(pipeline, front, body):
    content = f"---\n{front}\n---\n{body}"
    assert_well_formed(pipeline.run(content.encode("utf-8", "surrogatepass")))


@given(front=st.text(max_size=300), newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_random_text_front_matter(pipeline, front, newline):
    content = f"---{newline}{front}{newline}---{newline}body"
    assert_well_formed(pipeline.run(content.encode("utf-8", "surrogatepass")))


# Structured front matter: valid YAML with values of every JSON-ish type.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(["PRO-001", "PRO-002", "qm", "md", "approved", "record", "2026-06-01", "7.5", "A.5.1"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(["iso9001", "iso27001", "x", "7.5"]), children, max_size=3),
    ),
    max_leaves=10,
)
FIELDS = st.sampled_from(
    [
        "id", "title", "type", "version", "status", "owner", "approved_by", "approved_on", "effective_date",
        "last_reviewed", "review_interval", "next_review", "classification", "clauses", "related", "supersedes",
        "date", "retention_years", "source", "tags", "description", "corrects", "extra",
    ]
)  # fmt: skip
FRONT_MATTER = st.dictionaries(FIELDS, VALUES, max_size=12)


def near_valid(data: dict) -> dict:
    """Start from a valid document so that random fields reach the deeper rules."""
    base = approved("PRO-001", title="T", classification=None)
    return {**base, **data}


@given(data=FRONT_MATTER, start_valid=st.booleans(), body=BODIES)
def test_random_front_matter_structures(pipeline, data, start_valid, body):
    front = near_valid(data) if start_valid else data
    text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    assert_well_formed(pipeline.run(f"---\n{text}---\n{body}".encode("utf-8", "surrogatepass")))


@given(data=FRONT_MATTER, start_valid=st.booleans())
def test_quick_validity_never_passes_what_the_schema_rejects(data, start_valid):
    """The fast schema gate may only skip the full validation of valid data."""
    front = near_valid(data) if start_valid else data
    if quick_validity("front-matter")(front):
        assert list(validator("front-matter").iter_errors(front)) == []


def test_quick_validity_agrees_on_known_cases():
    quick = quick_validity("front-matter")
    valid = near_valid({})
    assert quick(valid) and validator("front-matter").is_valid(valid)
    for bad in ({**valid, "version": 1.1}, {**valid, "extra": 1}, {**valid, "approved_on": "x"}, {"id": "PRO-001"}):
        assert not quick(bad)


def _parse_both(text: str, max_nodes: int = 50_000):
    """parse_yaml's one-walk builder and its general way (check, record, construct), as results or errors."""
    from isodocs.readers import yamlio

    def outcome():
        try:
            parsed = yamlio.parse_yaml(text, line_offset=1, max_nodes=max_nodes)
            return ("ok", parsed.data, parsed.lines, parsed.raw_scalars, parsed.duplicates)
        except yamlio.YamlError as exc:
            return ("error", exc.message, exc.line)

    fast = outcome()
    original = yamlio._TreeBuilder.build
    yamlio._TreeBuilder.build = lambda self, root: (_ for _ in ()).throw(yamlio._Unusual())  # type: ignore[method-assign]
    try:
        general = outcome()
    finally:
        yamlio._TreeBuilder.build = original  # type: ignore[method-assign]
    return fast, general


@given(text=YAML_TEXT)
def test_one_walk_yaml_builder_equals_the_general_way(text):
    fast, general = _parse_both(text)
    assert fast == general
    if fast[0] == "ok":  # and both equal what PyYAML alone gives, dates kept as text
        assert repr(fast[1]) == repr(yaml.load(text, Loader=_TextDates))

class _TextDates(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


_TextDates.add_constructor("tag:yaml.org,2002:timestamp", _TextDates.construct_yaml_str)


@pytest.mark.parametrize(
    "text",
    ["id: !!int x", "a: [1, !!float y]", "a: !!set {x}", "? [a]\n: b", "a: .nan\nb: -.inf", "1: x\ntrue: y", "a: 0x1F"],
)
def test_one_walk_yaml_builder_on_values_it_hands_back(text):
    """Values the walk leaves to PyYAML's constructor or the general way, errors included."""
    fast, general = _parse_both(text)
    assert fast == general


# Nested front matter for the one-walk builder: block and flow mappings and lists
# four levels deep (lines are recorded down to three), string keys with repeats
# (duplicates at every level), keys that are no strings, and values of every
# kind the walk takes itself or hands back: tags, tags on the wrong kind of node,
# dates, non-finite numbers, anchors without aliases.
NESTED_SCALARS = st.sampled_from(
    [
        "a", "b", "x y", "'q'", '"d"', "1", "012", "0x1F", "1_000", "1:30", "1.5", ".nan", "-.inf", "2026-01-02",
        "2026-02-30 10:00:00", "yes", "No", "~", "null", "", "!!str 5", "!!int 7", "!!int x", "!!float 1",
        "!!bool yes", "! 12", "! 'yes'", '! "yes\\n"', "!!set {a}", "!!binary aGk=", "&a b", "=", "<x",
        "!!str [a]", "!!str {a: b}", "!!map x", "!!map [x]", "!!seq x", "!!seq {x: y}",
    ]
)  # fmt: skip
NESTED_KEYS = st.sampled_from(["a", "b", "c", "a", "1", "'1'", "true", "null", "~", "1.5", "2026-01-01", "!!str 1"])


def _flow_yaml(depth: int) -> st.SearchStrategy[str]:
    if depth >= 4:
        return NESTED_SCALARS
    inner = st.deferred(lambda: _flow_yaml(depth + 1))
    return st.one_of(
        NESTED_SCALARS,
        st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        st.lists(st.tuples(NESTED_KEYS, inner), max_size=4).map(
            lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"
        ),
    )


def _block_yaml(indent: int, depth: int) -> st.SearchStrategy[str]:
    pad, leaf = " " * indent, st.one_of(NESTED_SCALARS, _flow_yaml(2)).map(lambda v: " " + v)
    if depth >= 4:
        return leaf
    inner = st.one_of(leaf, st.deferred(lambda: _block_yaml(indent + 2, depth + 1)))
    mapping = st.lists(st.tuples(NESTED_KEYS, inner), min_size=1, max_size=5).map(
        lambda pairs: "\n" + "\n".join(f"{pad}{k}:{v}" for k, v in pairs)
    )
    items = st.lists(inner, min_size=1, max_size=4).map(lambda values: "\n" + "\n".join(f"{pad}-{v}" for v in values))
    return st.one_of(mapping, items)


NESTED_YAML = st.one_of(_block_yaml(0, 0).map(lambda text: text.lstrip("\n")), _flow_yaml(0))


def _node_count(text: str) -> int:
    """Nodes of PyYAML's tree for ``text`` (no aliases), what MAX_NODES bounds."""
    stack, count = [yaml.compose(text, Loader=yaml.SafeLoader)], 0
    if stack[0] is None:  # no document
        return 0
    while stack:
        node = stack.pop()
        count += 1
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
    return count


@given(text=NESTED_YAML)
def test_one_walk_yaml_builder_equals_the_general_way_on_nested_yaml(text):
    """Values, key lines, duplicates, raw scalars and errors: as the general way and as yaml.load."""
    fast, general = _parse_both(text)
    assert fast == general
    if fast[0] == "ok":
        assert repr(fast[1]) == repr(yaml.load(text, Loader=_TextDates))


@given(text=NESTED_YAML, below=st.integers(1, 3))
def test_one_walk_yaml_builder_counts_every_node(text, below):
    """More nodes than max_nodes is an error at the first line, wherever the walk meets the excess."""
    from isodocs.readers import yamlio

    try:
        yamlio.parse_yaml(text)
    except yamlio.YamlError:
        return
    count = _node_count(text)
    if count == 0:
        return
    assert _parse_both(text, max_nodes=count) == _parse_both(text)
    fast, general = _parse_both(text, max_nodes=count - below)
    assert fast == general
    assert fast[:2] == ("error", f"YAML has more than {count - below:,} values")


@pytest.mark.parametrize("depth", [62, 63, 64, 65, 66])
@pytest.mark.parametrize(
    ("shape", "below"),  # nested ``depth`` levels, and its deepest node that much lower
    [
        (lambda n: "[" * n + "a, b" + "]" * n, 0),
        (lambda n: "{a: " * n + "x" + "}" * n, 0),
        (lambda n: "- " * n + "x", 0),
        (lambda n: "{a: " * n + "[x, {b: y}]" + "}" * n, 2),
        (lambda n: "{a: " * n + "!!int 5" + "}" * n, 0),
    ],
)
def test_one_walk_yaml_builder_at_the_depth_bound(shape, below, depth):
    """Nested to just under, at and over MAX_DEPTH (the walk takes strings itself only above it)."""
    from isodocs.readers import yamlio

    fast, general = _parse_both(shape(depth))
    assert fast == general
    assert (fast[0] == "error") == (depth + below > yamlio.MAX_DEPTH)


@given(value=st.text(alphabet="0123456789+-._:eExXoObB~ ntrufalsyeNYTFO<=\n", max_size=12))
def test_resolver_equals_pyyamls(value):
    """The tag of a scalar, plain or quoted, as PyYAML's own resolver gives it, asked twice (remembered)."""
    from isodocs.readers import yamlio

    loader = yamlio._Loader("")
    try:
        for kind in (yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode):
            for implicit in ((True, False), (False, True)):
                expected = yaml.resolver.BaseResolver.resolve(loader, kind, value, implicit)
                assert yamlio._resolve(loader, kind, value, implicit) == expected
                assert yamlio._resolve(loader, kind, value, implicit) == expected
    finally:
        loader.dispose()


def test_resolver_remembers_a_bounded_number_of_words(monkeypatch):
    from isodocs.readers import yamlio

    monkeypatch.setattr(yamlio, "_RESOLVED", {})
    monkeypatch.setattr(yamlio, "_RESOLVED_MAX", 3)
    words = ["true", "12", "2026-01-01", "no", "1.5", "0x1F", "t" * 40]
    tags = [yamlio._resolve(None, yaml.ScalarNode, word, (True, False)) for word in words + words]
    assert tags[:7] == tags[7:] and tags[:3] == [f"tag:yaml.org,2002:{t}" for t in ("bool", "int", "timestamp")]
    assert list(yamlio._RESOLVED) == ["true", "12", "2026-01-01"]


def test_one_walk_yaml_builder_on_every_example_document():
    from isodocs.readers.documents import split_front_matter

    root = Path(__file__).resolve().parent.parent
    fronts = [
        split_front_matter(path.read_text("utf-8"))[0]
        for folder in ("policies", "procedures", "forms", "records")
        for path in sorted((root / folder).rglob("*.md"))
        if split_front_matter(path.read_text("utf-8"))
    ]
    assert len(fronts) > 50
    for front in fronts:
        fast, general = _parse_both(front)
        assert fast[0] == "ok" and fast == general


@given(body=st.text(alphabet="[]():`~ \t\nab#<>", max_size=200))
def test_prose_lines_with_equals_filtering_every_prose_line(body):
    from isodocs.text.mdtext import prose_lines, prose_lines_with

    needles = ("](", "]:")
    for indented in (True, False):
        expected = [(i, line) for i, line in prose_lines(body, indented) if any(n in line for n in needles)]
        found = [(i, line) for i, line in prose_lines_with(body, needles, indented) if any(n in line for n in needles)]
        assert found == expected


def _split_by_lines(text: str):
    """The plain definition of split_front_matter: split into lines, find the closing one."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


@given(text=st.text(alphabet="-.\n \t\x0b\xa0\u2028ab:", max_size=80).map(lambda t: "---" + t))
def test_split_front_matter_equals_splitting_into_lines(text):
    from isodocs.readers.documents import split_front_matter

    assert split_front_matter(text) == _split_by_lines(text)
    assert split_front_matter(text[3:]) == _split_by_lines(text[3:])


@settings(max_examples=300, deadline=None)
@given(content=st.binary(max_size=200), bom=st.booleans())
def test_utf8_decoding_equals_the_utf8_sig_codec(content, bom):
    """safefs.decode_text (the BOM dropped, then the C UTF-8 codec) gives the text "utf-8-sig" gives, and
    for bytes it refuses, the byte and line where the UTF-8 error is in the file."""
    from isodocs.readers.safefs import decode_text

    raw = (b"\xef\xbb\xbf" if bom else b"") + content
    text, problem = decode_text(raw, keep_line_endings=True)
    try:
        expected = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        assert text is None and problem is not None
        if problem.kind == "encoding" and "not valid UTF-8" in problem.message:
            start = exc.start + (3 if bom else 0)  # utf-8-sig counts after the BOM
            assert problem.message.startswith(f"byte 0x{raw[start]:02x} ")
            assert problem.line == raw.count(b"\n", 0, start) + 1
        return
    if problem is None:
        assert text == expected
    else:  # refused before decoding: NUL bytes, a UTF-16 BOM
        assert b"\x00" in raw or raw.startswith((b"\xff\xfe", b"\xfe\xff"))
