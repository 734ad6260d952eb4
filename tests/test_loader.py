"""The loader on every kind of bad input: a clear finding with its line, never a traceback."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import yaml

from isodocs.model import Severity
from isodocs.readers import yamlio
from tests.test_rules import BASE, DOC, edit, front


def only(result, slug):
    found = [f for f in result.findings if f.rule == slug]
    assert len(found) == 1, result.findings
    return found[0]


def test_no_front_matter(repo, run_check):
    repo.write(DOC, "# Procedure\n\nid: PRO-001\n")
    finding = only(run_check(repo), "front-matter-missing")
    assert (finding.line, finding.severity) == (1, Severity.ERROR)
    assert "no front matter" in finding.message


def test_front_matter_not_on_the_first_line(repo, run_check):
    repo.write(DOC, "\n" + front(BASE))
    assert "no front matter" in only(run_check(repo), "front-matter-missing").message


def test_unclosed_front_matter(repo, run_check):
    repo.write(DOC, "---\n" + BASE + "\n# Procedure\n")
    finding = only(run_check(repo), "front-matter-missing")
    assert "front matter is not closed: add a line '---'" in finding.message


def test_opening_line_with_trailing_blanks_is_accepted(repo, run_check):
    repo.write(DOC, "---  \n" + BASE + "--- \n# Procedure\n")
    assert run_check(repo).findings == []


def test_dots_close_front_matter(repo, run_check):
    repo.write(DOC, "---\n" + BASE + "...\n# Procedure\n\n[missing](nowhere.md)\n")
    result = run_check(repo)
    assert [(f.rule, f.line) for f in result.findings] == [("broken-link", 17)]


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("id: PRO-001\ntitle: [unclosed\ntype: procedure\n", 4, "YAML syntax error"),
        ("id: PRO-001\ntitle: Doc\n  type: procedure\n", 4, "mapping values are not allowed"),
        ("id: PRO-001\ntitle: 'open\n", 3, "while scanning a quoted scalar"),
        ("id: PRO-001\n\ttitle: tab\n", 3, "YAML syntax error"),
        ("id: PRO-001\ntitle: *nowhere\n", 3, "undefined alias"),
        ("id: PRO-001\ntitle: !!python/object:os.system x\n", 3, "could not determine a constructor"),
        ("id: PRO-001\n? [a, b]\n: value\n", 3, "YAML"),
        # a tag on the wrong kind of node (the one-walk builder once took these, or crashed)
        ("id: PRO-001\ntitle: !!str {a: b}\n", 3, "expected a scalar node, but found mapping"),
        ("id: PRO-001\ntitle: !!str [a]\n", 3, "expected a scalar node, but found sequence"),
        ("id: PRO-001\nclauses: !!map x\n", 3, "expected a mapping node, but found scalar"),
        ("id: PRO-001\nclauses: !!map [x]\n", 3, "expected a mapping node, but found sequence"),
        ("id: PRO-001\nrelated: !!seq x\n", 3, "expected a sequence node, but found scalar"),
        ("id: PRO-001\nrelated: !!seq {x: y}\n", 3, "expected a sequence node, but found mapping"),
        # "!" makes PyYAML resolve a quoted text as if plain: a boolean it has no value for
        ('id: PRO-001\ndraft: ! "yes\\n"\n', 2, "YAML error: no value for 'yes\\n'"),
    ],
)
def test_yaml_errors_with_their_line(repo, run_check, text, line, says):
    repo.write(DOC, front(text))
    finding = only(run_check(repo), "front-matter-invalid")
    assert finding.line == line, finding
    assert says in finding.message


def test_duplicate_key_reports_the_second_line(repo, run_check):
    repo.write(DOC, front(BASE.replace("title: Document control\n", "title: Document control\ntitle: Again\n")))
    finding = only(run_check(repo), "duplicate-key")
    assert finding.line == 4 and "first on line 3" in finding.message and finding.id == "PRO-001"


def test_nested_duplicate_key(repo, run_check):
    repo.write(DOC, front(BASE + '  iso9001: ["7.5.1"]\n'))
    finding = only(run_check(repo), "duplicate-key")
    assert finding.line == 14 and "'clauses.iso9001' appears twice (first on line 13)" in finding.message


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("- id\n- title\n", "front matter is a list, not a mapping"),
        ("just a sentence\n", "front matter is a str, not a mapping"),
        ("42\n", "front matter is a int, not a mapping"),
        ("", "front matter is empty"),
        ("# only a comment\n", "front matter is empty"),
    ],
)
def test_front_matter_that_is_not_a_mapping(repo, run_check, text, says):
    repo.write(DOC, front(text))
    finding = only(run_check(repo), "front-matter-invalid")
    assert finding.line == 2 and says in finding.message and "write 'key: value' lines" in finding.message


def test_invalid_utf8_names_the_byte_and_line(repo, run_check):
    repo.write(DOC, front(BASE, body="# Title\n\nCaf\xe9\n").encode("utf-8").replace(b"\xc3\xa9", b"\xe9"))
    finding = only(run_check(repo), "encoding")
    assert finding.line == 17 and "byte 0xe9 is not valid UTF-8" in finding.message


def test_invalid_utf8_after_a_bom_names_the_byte_and_line(repo, run_check):
    """The byte and line are those of the file: the BOM dropped before decoding shifts no position
    (decoding with "utf-8-sig" gave positions after the BOM, and named the byte three places earlier)."""
    text = front(BASE, body="# Title\n\nCaf\xe9\n").encode("utf-8").replace(b"\xc3\xa9", b"\xe9")
    repo.write(DOC, b"\xef\xbb\xbf" + text.replace(b"# Title\n\n", b"# Title\n\n\n"))
    finding = only(run_check(repo), "encoding")
    assert finding.line == 18 and "byte 0xe9 is not valid UTF-8" in finding.message, finding.message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_refused(repo, run_check, encoding):
    data = front(BASE).encode(encoding)
    if encoding != "utf-16":  # utf-16 writes its own BOM
        data = ("\ufeff" + front(BASE)).encode(encoding)
    repo.write(DOC, data)
    finding = only(run_check(repo), "encoding")
    assert "UTF-16; save it as UTF-8" in finding.message


def test_utf8_bom_is_accepted_and_lines_stay_right(repo, run_check):
    repo.write(DOC, "\ufeff" + front(edit(("owner: qm", "owner: nobody"))))
    result = run_check(repo)
    assert [(f.rule, f.line) for f in result.findings] == [("unknown-owner", 7)]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_files_are_accepted_and_lines_stay_right(repo, run_check, newline):
    text = front(edit(("owner: qm", "owner: nobody")), body="# T\n\n[x](missing.md)\n")
    repo.write(DOC, text.replace("\n", newline).encode("utf-8"))
    result = run_check(repo)
    assert [(f.rule, f.line) for f in result.findings] == [("unknown-owner", 7), ("broken-link", 17)]


def test_nul_bytes_are_refused_with_their_line(repo, run_check):
    repo.write(DOC, front(BASE, body="# Title\n\nbinary\x00data\n").encode("utf-8"))
    finding = only(run_check(repo), "encoding")
    assert finding.line == 17 and "NUL bytes" in finding.message


@pytest.mark.parametrize(
    ("field", "value", "line"),
    [("approved_on", "2026-02-30", 9), ("last_reviewed", "2026-13-01", 10), ("approved_on", "2025-02-29", 9)],
)
def test_impossible_dates_have_their_line(repo, run_check, field, value, line):
    repo.write(DOC, front(edit((f"{field}: 2026-06-01", f"{field}: {value}"))))
    finding = only(run_check(repo), "schema")
    assert finding.line == line and f"{field}: {value} is not a real calendar date" in finding.message


def test_leap_day_is_a_real_date(repo, run_check):
    repo.write(DOC, front(edit(("approved_on: 2026-06-01", "approved_on: 2024-02-29"))))
    assert run_check(repo).findings == []


def test_date_in_another_format_says_how_to_write_it(repo, run_check):
    repo.write(DOC, front(edit(("approved_on: 2026-06-01", "approved_on: 01/06/2026"))))
    finding = only(run_check(repo), "schema")
    assert finding.line == 9 and "approved_on: '01/06/2026' is not a date; write YYYY-MM-DD" in finding.message


@pytest.mark.parametrize(("written", "read"), [("1.10", "1.1"), ("2", "2"), ("1.0", "1.0")])
def test_unquoted_version_says_to_quote_it_and_shows_what_was_written(repo, run_check, written, read):
    repo.write(DOC, front(edit(('version: "1.0"', f"version: {written}"))))
    finding = only(run_check(repo), "schema")
    assert finding.line == 5
    assert f"version: {written} is a number to YAML (read as {read})" in finding.message
    assert f'quote it: version: "{written}"' in finding.message


BILLION_LAUGHS = """\
id: PRO-001
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_billion_laughs_is_refused_without_expanding(repo, run_check):
    # Expanded, this is 9**9 (387 million) strings: the test completing at all
    # shows the bound is checked before anything expands.
    repo.write(DOC, front(BILLION_LAUGHS))
    finding = only(run_check(repo), "front-matter-invalid")
    assert "expands to more than 50,000 values" in finding.message
    assert 2 <= finding.line <= 11


def test_modest_aliases_are_fine(repo, run_check):
    repo.write(DOC, front(BASE.replace("approved_by: [md]", "approved_by: &approvers [md]") + "tags: *approvers\n"))
    assert run_check(repo).findings == []


@pytest.mark.parametrize("text", ["id: &x [PRO-001, *x]\n", "id: PRO-001\nloop: &l {self: *l}\n"])
def test_recursive_alias(repo, run_check, text):
    repo.write(DOC, front(text))
    assert "recursive YAML alias" in only(run_check(repo), "front-matter-invalid").message


@pytest.mark.parametrize("depth", [100, 5000])
def test_deep_nesting(repo, run_check, depth):
    repo.write(DOC, front("id: PRO-001\ntags: " + "[" * depth + "]" * depth + "\n"))
    assert "nest" in only(run_check(repo), "front-matter-invalid").message


def test_deep_nesting_with_the_pure_python_parser(monkeypatch):
    """Without libyaml, PyYAML's composer recurses in Python: still a finding, not a crash."""

    class PureLoader(yaml.SafeLoader):
        pass

    PureLoader.add_constructor("tag:yaml.org,2002:timestamp", PureLoader.construct_yaml_str)
    monkeypatch.setattr(yamlio, "_Loader", PureLoader)
    with pytest.raises(yamlio.YamlError, match="nested deeper"):
        yamlio.parse_yaml("a: " + "[" * 5000 + "]" * 5000)
    assert yamlio.parse_yaml("a: [[1]]\nb: 2026-02-30\n").data == {"a": [[1]], "b": "2026-02-30"}


def test_section_pages_are_not_documents(repo, run_check):
    for name in ("policies/index.md", "procedures/README.md", "procedures/sub/readme.md", "records/INDEX.md"):
        repo.write(name, "# Section\n\nNo front matter, and none needed.\n")
    repo.write(DOC, front(BASE))
    result = run_check(repo)
    assert result.findings == [] and result.documents == 1


def test_hidden_folders_and_files_are_skipped(repo, run_check):
    repo.write("procedures/.drafts/scratch.md", "no front matter")
    repo.write("procedures/.scratch.md", "no front matter")
    repo.write("procedures/notes.txt", "not markdown")
    repo.write(DOC, front(BASE))
    result = run_check(repo)
    assert result.findings == [] and result.documents == 1


def test_only_configured_paths_are_read(repo, run_check):
    repo.write("docs/guide.md", "no front matter")
    repo.write("README.md", "# The repo")
    repo.write(DOC, front(BASE))
    assert run_check(repo).documents == 1


def test_documents_in_subfolders_are_found(repo, run_check):
    repo.write("procedures/quality/deep/doc.md", front(edit(("owner: qm", "owner: nobody"))))
    [finding] = run_check(repo).findings
    assert finding.path == "procedures/quality/deep/doc.md"


def test_symlink_outside_the_repository_is_not_followed(repo, run_check):
    secret = repo.root.parent / "secret.md"
    secret.write_text("no front matter: reading it would be a finding of another rule", "utf-8")
    (repo.root / "procedures").mkdir()
    os.symlink(secret, repo.root / "procedures" / "secret.md")
    finding = only(run_check(repo), "outside-repo")
    assert finding.path == "procedures/secret.md" and finding.line == 1
    assert [f.rule for f in run_check(repo).findings] == ["outside-repo"]


def test_symlinked_document_folder_outside_the_repository(repo, run_check):
    outside = repo.root.parent / "shared-procedures"
    outside.mkdir()
    (outside / "doc.md").write_text(front(BASE), "utf-8")
    os.symlink(outside, repo.root / "procedures")
    finding = only(run_check(repo), "outside-repo")  # the folder itself: nothing outside is even listed
    assert finding.path == "procedures"


def test_symlinked_subfolder_is_not_walked(repo, run_check):
    outside = repo.root.parent / "elsewhere"
    outside.mkdir()
    (outside / "doc.md").write_text("no front matter", "utf-8")
    (repo.root / "procedures").mkdir()
    os.symlink(outside, repo.root / "procedures" / "linked")
    finding = only(run_check(repo), "outside-repo")
    assert finding.path == "procedures/linked" and "not followed" in finding.message
    assert [f.rule for f in run_check(repo).findings] == ["outside-repo"]  # doc.md was never read


def test_configured_path_through_a_symlinked_folder_is_not_walked(repo, run_check):
    """paths: [docs/procedures] where docs links out: the path itself is no symlink, one of its folders is."""
    outside = repo.root.parent / "elsewhere-docs"
    (outside / "procedures").mkdir(parents=True)
    (outside / "procedures" / "doc.md").write_text("no front matter", "utf-8")
    os.symlink(outside, repo.root / "docs")
    repo.config(paths=["docs/procedures"])
    finding = only(run_check(repo), "outside-repo")
    assert finding.path == "docs/procedures"
    assert [f.rule for f in run_check(repo).findings] == ["outside-repo"]  # doc.md was never read


def test_dangling_symlink_is_a_finding_not_a_crash(repo, run_check):
    (repo.root / "procedures").mkdir()
    os.symlink(repo.root / "procedures" / "gone.md", repo.root / "procedures" / "link.md")
    finding = only(run_check(repo), "unreadable")
    assert "broken symlink" in finding.message


def test_one_bad_file_does_not_hide_the_others(repo, run_check):
    repo.write("procedures/a.md", b"\xff\xfe")
    repo.write("procedures/b.md", front(edit(("PRO-001", "PRO-002"), ("owner: qm", "owner: nobody"))))
    repo.write("procedures/c.md", front("- a list\n"))
    result = run_check(repo)
    assert [(f.path, f.rule) for f in result.findings] == [
        ("procedures/a.md", "encoding"),
        ("procedures/b.md", "unknown-owner"),
        ("procedures/c.md", "front-matter-invalid"),
    ]
    assert result.documents == 3


def test_too_many_values_without_aliases(repo, run_check):
    repo.write(DOC, front("id: PRO-001\ntags: [" + ", ".join(["x"] * 50_001) + "]\n"))
    finding = only(run_check(repo), "front-matter-invalid")
    assert "more than 50,000 values" in finding.message


def test_deep_nesting_with_an_alias(repo, run_check):
    # an alias anywhere takes the memoised walk; it must bound depth too
    repo.write(DOC, front("id: &i PRO-001\nx: *i\ntags: " + "[" * 100 + "]" * 100 + "\n"))
    assert "nested deeper than 64" in only(run_check(repo), "front-matter-invalid").message


def test_a_parsed_document_has_every_field_of_the_dataclass(repo):
    """The loader builds a Document field by field (``new_document``), not through ``__init__``: none may be
    missing, and the typed view is the parse cache's record of it (``TYPED_FIELDS``)."""
    import dataclasses
    from pathlib import Path

    from isodocs.model import Document
    from isodocs.readers.config import load_config
    from isodocs.readers.documents import parse_text, typed_view
    from isodocs.readers.known_files import TYPED_FIELDS

    config = load_config(repo.root)
    doc, problems = parse_text(DOC, Path(DOC), front(BASE), config)
    assert doc is not None and problems == []
    assert set(doc.__dict__) == {f.name for f in dataclasses.fields(Document)}
    assert set(typed_view({}, config)) == set(TYPED_FIELDS)
    assert doc == Document(**{f.name: getattr(doc, f.name) for f in dataclasses.fields(Document)})
    assert (doc.id, doc.approved_on, doc.next_review) == ("PRO-001", dt.date(2026, 6, 1), dt.date(2027, 6, 1))
    assert doc.abspath == Path(DOC) and isinstance(doc.abspath, Path)  # kept as given, read as a Path


def test_front_matter_keys_that_are_no_text_become_text(repo, run_check):
    """YAML keys such as 1 or null are keys of the document's data as text (as JSON Schema sees them)."""
    from pathlib import Path

    from isodocs.readers.config import load_config
    from isodocs.readers.documents import parse_text

    doc, _problems = parse_text(DOC, Path(DOC), front(BASE + "1: one\nnull: x\n"), load_config(repo.root))
    assert doc is not None and {"1", "None"} <= set(doc.data) and all(type(key) is str for key in doc.data)


@pytest.mark.parametrize("relative_root", [".", "./"])
def test_a_relative_root_gives_the_same_paths_as_an_absolute_one(tmp_path, monkeypatch, relative_root):
    """A library caller may pass Path("."): paths were cut by len("."), "policies/a.md" read "licies/a.md"."""
    from pathlib import Path

    from isodocs.app.load import load_system
    from tests.conftest import RepoBuilder, approved

    repo = RepoBuilder(tmp_path)
    repo.config()
    repo.doc("policies/quality.md", approved("POL-001", type="policy", title="Quality policy"))
    repo.doc(
        "procedures/sub/handling.md",
        approved("PRO-001", title="Handling"),
        "See [the policy](../../policies/quality.md).\n",
    )
    monkeypatch.chdir(tmp_path)
    relative, _ = load_system(Path(relative_root), dt.date(2026, 11, 27))
    absolute, _ = load_system(tmp_path, dt.date(2026, 11, 27))
    assert [d.path for d in relative.documents] == [d.path for d in absolute.documents]
    assert [d.path for d in relative.documents] == ["policies/quality.md", "procedures/sub/handling.md"]


def test_isodocs_yml_is_read_once_per_load(tmp_path, monkeypatch):
    """load_system checks the rules: settings and hands the configuration on: the file is not read twice."""
    from isodocs.app.load import load_system
    from isodocs.readers import config as config_reader
    from tests.conftest import RepoBuilder, approved

    repo = RepoBuilder(tmp_path)
    repo.config()
    repo.doc("procedures/a.md", approved("PRO-001"))
    read: list[str] = []
    original = config_reader.read_repo_text
    monkeypatch.setattr(
        config_reader, "read_repo_text", lambda root, name, *a, **k: read.append(name) or original(root, name, *a, **k)
    )
    system, _ = load_system(tmp_path, dt.date(2026, 11, 27))
    assert read.count("isodocs.yml") == 1 and [d.path for d in system.documents] == ["procedures/a.md"]
