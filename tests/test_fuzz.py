"""Fuzzing: generated front matter, bodies and whole repositories through every stage.

Loader, rules, coverage, SoA, reviews and every reporter run on what hypothesis
generates: valid-ish front matter with wrong types mixed in, broken YAML, hostile
Markdown, random bytes, odd file names. No exception may escape (a broken
isodocs.yml may only stop the run with UsageError), and every finding must be
complete: a known rule, a severity, a relative path, a line >= 1, a message.

The site's staging project is fuzzed too, with hostile titles and names (nav, front
matter and pages must hold them as text).

The default run is quick (FUZZ_EXAMPLES, default 150 per test). The long run:
``FUZZ_EXAMPLES=10000 pytest -m slow tests/test_fuzz.py`` (or ``make fuzz``).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isodocs.analyses.coverage import compute_coverage
from isodocs.analyses.reviews import review_calendar
from isodocs.analyses.statement import statement
from isodocs.app.check import CheckResult, check_system
from isodocs.app.load import load_system
from isodocs.errors import UsageError
from isodocs.model import Finding, Severity
from isodocs.model.soa import SOA_STANDARD
from isodocs.readers import catalog
from isodocs.reporters import REPORTERS, text
from isodocs.reporters import coverage as coverage_report
from isodocs.reporters import reviews as reviews_report
from isodocs.reporters import soa as soa_report
from isodocs.rules import REGISTRY
from isodocs.site import mdsanitize
from isodocs.site.mkdocs_config import REQUIRED_EXTENSIONS
from isodocs.site.render import stage
from isodocs.site.sources import collect
from isodocs.text.sanitize import sanitize_html
from tests.conftest import BASE_CONFIG

TODAY = dt.date(2026, 11, 27)
QUICK = int(os.environ.get("FUZZ_EXAMPLES", "150"))
LONG = int(os.environ.get("FUZZ_EXAMPLES", "10000"))
FUZZ = settings(
    max_examples=QUICK,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

# --------------------------------------------------------------------------- strategies

FIELDS = [
    "id", "title", "type", "version", "status", "owner", "approved_by", "approved_on", "effective_date",
    "last_reviewed", "review_interval", "next_review", "classification", "clauses", "related", "supersedes",
    "date", "retention_years", "source", "corrects", "tags",
]  # fmt: skip
VALID_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "id": st.sampled_from(["PRO-001", "PRO-002", "POL-001", "WI-1042", "REC-001", "FRM-001", "EXT-001", "PRO-1"]),
    "title": st.text(max_size=40),
    "type": st.sampled_from(["policy", "procedure", "work-instruction", "form", "record", "external", "memo"]),
    "version": st.sampled_from(["1.0", "2.1", "1.10", "0.1", "1", "v2"]),
    "status": st.sampled_from(["draft", "in-review", "approved", "obsolete", "final"]),
    "owner": st.sampled_from(["qm", "md", "ciso", "nobody", ""]),
    "approved_by": st.lists(st.sampled_from(["qm", "md", "ciso", "ghost"]), max_size=3),
    "classification": st.sampled_from(["public", "internal", "confidential", "restricted", "secret"]),
    "clauses": st.dictionaries(
        st.sampled_from(["iso9001", "iso27001", "iso14001", "soc2"]),
        st.lists(st.sampled_from(["7.5", "7.5.2", "A.5.1", "A.8.34", "9.2.2", "4.4", "99.9", "A.9.9"]), max_size=4),
        max_size=3,
    ),
    "related": st.lists(st.sampled_from(["PRO-001", "PRO-002", "POL-001", "PRO-999"]), max_size=3),
    "supersedes": st.sampled_from(["PRO-001", "PRO-002", "PRO-999"]),
    "corrects": st.sampled_from(["REC-001", "REC-002"]),
    "source": st.text(max_size=20),
}
DATE_TEXT = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.sampled_from(["2026-02-30", "2026-13-01", "0000-01-01", "2026-1-1", "yesterday", "2026-06-01T10:00:00"]),
)
for name in ("approved_on", "effective_date", "last_reviewed", "next_review", "date"):
    VALID_VALUES[name] = DATE_TEXT
for name in ("review_interval", "retention_years"):
    VALID_VALUES[name] = st.one_of(st.integers(-5, 400), st.just(10**20))

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates().map(dt.date.isoformat),
)
ANY_VALUE = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def front_matter_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """Mostly-right front matter: each field valid-ish, or of any type, or missing; sometimes extra keys."""
    data: dict[str, Any] = {}
    for name in FIELDS:
        choice = draw(st.integers(0, 9))
        if choice <= 5 and name in VALID_VALUES:
            data[name] = draw(VALID_VALUES[name])
        elif choice == 6:
            data[name] = draw(ANY_VALUE)
    if draw(st.booleans()):
        data.update(draw(st.dictionaries(st.text(max_size=10), ANY_VALUE, max_size=3)))
    return data


YAML_NOISE = ["\t", ":", "- ", "&a ", "*a", "!!python/object:os.system ", "!x ", "[", "]", "{", "}", '"', "'",
              "#", "|", ">", "%", "@", "`", "? ", "\n", "  ", "---", "...", "<<: *a", "\x07", "\ufeff"]  # fmt: skip


@st.composite
def front_matter_texts(draw: st.DrawFn) -> str:
    """YAML text: a dump of a generated dict, often mangled, or arbitrary text."""
    kind = draw(st.integers(0, 3))
    if kind == 3:
        return draw(st.text(max_size=200))
    text = yaml.safe_dump(draw(front_matter_dicts()), sort_keys=False, allow_unicode=True)
    for _ in range(draw(st.integers(0, 4) if kind else st.just(0))):
        position = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:position] + draw(st.sampled_from(YAML_NOISE)) + text[position:]
        else:
            text = text[:position] + text[position + draw(st.integers(1, 5)) :]
    return text


MARKDOWN_PIECES = [
    "# Heading\n", "## Sub {: onclick=alert(1) }\n", "\n", "```\n", "~~~\n", "    indented\n", "`code`", "``",
    "[link](other.md)", "[bad](missing.md)", "[up](../../../etc/passwd)", "![img](x.png)", "[x](javascript:alert(1))",
    "[ref]: target.md\n", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<!-- note -->", "<!--",
    "-->", "[TBD]", "TODO", "{{ title }}", "<describe the scope>", "password: hunter2", "-----BEGIN PRIVATE KEY-----",
    "AKIA" + "ABCDEFGHIJKLMNOP", "ghp_" + "x" * 36, "|a|b|\n|---|---|\n", "> quote\n", "- item\n", "---\n", "[", "]",
    "(", ")", "<", ">", "&#x61;", "\u202e", "🚒", "\r\n", "\r",
]  # fmt: skip


@st.composite
def bodies(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.one_of(st.sampled_from(MARKDOWN_PIECES), st.text(max_size=20)), max_size=25))
    return "".join(pieces)


@st.composite
def document_bytes(draw: st.DrawFn) -> bytes:
    """A whole document file: usually front matter and body, sometimes broken at the byte level."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.binary(max_size=300))
    front = draw(front_matter_texts())
    closing = draw(st.sampled_from(["---", "...", "--- ", ""]))
    text = f"---\n{front}\n{closing}\n{draw(bodies())}" if kind != 1 else draw(bodies())
    if kind == 2:
        text = text.replace("\n", "\r\n")
    encoding = draw(st.sampled_from(["utf-8"] * 8 + ["utf-8-sig", "utf-16", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    if kind == 3:
        position = draw(st.integers(0, len(data)))
        data = data[:position] + draw(st.binary(min_size=1, max_size=4)) + data[position:]
    return data


FILE_NAMES = st.one_of(
    st.sampled_from(["a.md", "b.md", "index.md", "README.md", ".hidden.md", "with space.md", "été ✓.md", "x.txt"]),
    # Not UTF-8: Linux allows any bytes; Python reads them with surrogate escapes.
    st.sampled_from([os.fsdecode(b"bad\xff.md"), os.fsdecode(b"\xe9t\xe9 latin-1.md"), os.fsdecode(b"a\x80%20b.md")]),
    st.text(alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=["Cs"]), min_size=1, max_size=12)
    .filter(lambda n: n not in (".", ".."))
    .map(lambda n: n + ".md"),
)
FOLDERS = st.sampled_from(["policies", "procedures", "forms", "records", "procedures/sub", "other", ".git", ""])


@st.composite
def configs(draw: st.DrawFn) -> dict[str, Any]:
    config = dict(BASE_CONFIG)
    config["standards"] = draw(
        st.lists(st.sampled_from(["iso9001", "iso14001", "iso45001", "iso27001"]), unique=True, max_size=4)
    )
    if draw(st.booleans()):
        config["rules"] = draw(
            st.dictionaries(
                st.sampled_from(["placeholder", "review-due-soon", "unmapped", "schema", "unsafe-html"]),
                st.sampled_from(["error", "warning", "off", False]),
                max_size=3,
            )
        )
    if draw(st.integers(0, 9)) == 0:
        config[draw(st.sampled_from(["review", "people", "paths", "site"]))] = draw(ANY_VALUE)
    return config


SOA_TEXTS = st.one_of(
    st.none(),
    st.just("controls:\n  A.5.1: {applicable: true, status: implemented}\n  A.7.4: {applicable: false}\n"),
    st.text(max_size=60),
    front_matter_texts(),
)

# --------------------------------------------------------------------------- the harness


@pytest.fixture(autouse=True, scope="module")
def _parse_builtin_catalogues_once() -> Iterator[None]:
    """Parsing the four built-in catalogues takes 0.1 s, most of one example's time; they never change."""
    original = catalog.builtin_catalogs
    parsed = original()
    catalog.builtin_catalogs = lambda: dict(parsed)
    yield
    catalog.builtin_catalogs = original



@contextmanager
def repository(files: dict[str, bytes], config: dict[str, Any] | str | None = None) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config_text = yaml.safe_dump(config or BASE_CONFIG) if not isinstance(config, str) else config
        (root / "isodocs.yml").write_text(config_text, "utf-8")
        for rel, data in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_dir():
                path.write_bytes(data)
        yield root


def assert_complete(finding: Finding, root: Path) -> None:
    assert finding.rule in REGISTRY, finding
    assert isinstance(finding.severity, Severity), finding
    assert isinstance(finding.path, str) and finding.path and not Path(finding.path).is_absolute(), finding
    assert ".." not in Path(finding.path).parts, finding
    assert isinstance(finding.line, int) and finding.line >= 1, finding
    assert isinstance(finding.message, str) and finding.message.strip() and len(finding.message) <= 500, finding


def exercise(root: Path) -> list[Finding]:
    """Everything a run can do with a repository, short of git and the site."""
    try:
        system, problems = load_system(root, TODAY)
    except UsageError as error:
        assert str(error).strip()
        return []
    findings = check_system(system, problems)
    for finding in findings:
        assert_complete(finding, root)
    result = CheckResult(today=TODAY, documents=system.files, findings=findings, system=system)
    for render in REPORTERS.values():
        assert render(result).encode("utf-8")  # valid UTF-8 whatever the file names
    text.render(result, colour=True)
    coverages = list(compute_coverage(system, list(system.config.standards)).values())
    for render_coverage in (coverage_report.render_text, coverage_report.render_json, coverage_report.render_csv):
        render_coverage(coverages)
    if SOA_STANDARD in system.catalogs:
        rows = statement(system)
        for render_soa in soa_report.RENDERERS.values():
            render_soa(rows)
    calendar = review_calendar(system, system.config.warn_days)
    for render_reviews in (reviews_report.render_text, reviews_report.render_json, reviews_report.render_csv):
        render_reviews(calendar)
    for doc in system.documents:
        sanitize_html(doc.body)
    _stage_site(system, findings, problems)
    return findings


def _stage_site(system: Any, findings: list[Finding], problems: list[Any]) -> None:
    """The staging project of the site (what ``build --force`` renders): nothing withheld or unwritable in it."""
    try:
        project = stage(collect(system, findings, TODAY, problems), site_dir="out")
    except UsageError as error:  # a document named like a generated page
        assert str(error).strip()
        return
    staged = {path.removeprefix("docs/") for path in project.files}
    for doc in system.documents:
        if doc.path in staged:
            doc.path.encode("utf-8")  # a name that is not UTF-8 is withheld
            assert not any(f.path == doc.path and REGISTRY[f.rule].family in ("loader", "schema") for f in findings)
    project.files["mkdocs.yml"].encode("utf-8")


# --------------------------------------------------------------------------- the fuzz tests


def _document_case(data: bytes) -> None:
    with repository({"procedures/doc.md": data}) as root:
        exercise(root)


def _repository_case(files: list[tuple[str, str, bytes]], config: dict[str, Any], soa: str | None) -> None:
    layout = {f"{folder}/{name}".lstrip("/"): data for folder, name, data in files}
    if soa is not None:
        layout["soa.yml"] = soa.encode()
    with repository(layout, config) as root:
        exercise(root)


REPOSITORIES = st.lists(st.tuples(FOLDERS, FILE_NAMES, document_bytes()), max_size=6)


@FUZZ
@given(document_bytes())
def test_fuzzed_documents(data: bytes) -> None:
    _document_case(data)


@FUZZ
@given(
    st.builds(
        lambda fm, body: f"---\n{yaml.safe_dump(fm, allow_unicode=True)}---\n{body}", front_matter_dicts(), bodies()
    )
)
def test_fuzzed_well_formed_front_matter(text_: str) -> None:
    """Parsable YAML of every shape: all rules run on it (no loader short-cut)."""
    _document_case(text_.encode("utf-8", errors="replace"))


@FUZZ
@given(REPOSITORIES, configs(), SOA_TEXTS)
def test_fuzzed_repositories(files: list[tuple[str, str, bytes]], config: dict[str, Any], soa: str | None) -> None:
    _repository_case(files, config, soa)


@FUZZ
@given(st.one_of(front_matter_texts(), st.text(max_size=300)))
def test_fuzzed_configs(config_text: str) -> None:
    with repository({"procedures/a.md": b"---\nid: PRO-001\n---\n"}, config_text) as root:
        exercise(root)


LONG_RUN = settings(FUZZ, max_examples=LONG)


@pytest.mark.slow
@LONG_RUN
@given(st.one_of(document_bytes(), front_matter_texts().map(lambda t: f"---\n{t}---\n".encode())))
def test_long_fuzz_documents(data: bytes) -> None:
    _document_case(data)


@pytest.mark.slow
@LONG_RUN
@given(REPOSITORIES, configs(), SOA_TEXTS)
def test_long_fuzz_repositories(files: list[tuple[str, str, bytes]], config: dict[str, Any], soa: str | None) -> None:
    _repository_case(files, config, soa)


# --------------------------------------------------------------------------- links to withheld files

# Pieces of Markdown and HTML that make links, in any order: the page's links may point
# only to published files, whatever form the engine's parser finds in them.
LINK_PIECES = st.sampled_from(
    [
        "[", "]", "(", ")", "xylosecret.md", "/procedures/xylosecret.md", "..\\procedures\\xylosecret.md",
        "%78ylosecret.md", "&#120;ylosecret.md", "\n", "\n\n", "> ", "    ", "- ", "1. ", "[r]: ", "[r]", "[r][]",
        '<a href="', '">', "</a>", "<img src=", "![", "{: href=xylosecret.md }", "text", " ", "`", "<div>",
        "</div>", "<div markdown>", "ok.md", "#a", '"', "'", "<", ">", "<xylosecret.md>", "*",
    ]
)  # fmt: skip
STAGED_PAGE = "procedures/visible.md"
STAGED_FILES = [STAGED_PAGE, "procedures/ok.md", "index.md"]


URL_ATTRIBUTES = frozenset({"href", "src", "cite", "srcset", "poster", "data", "action", "formaction", "longdesc"})


class _Attributes(HTMLParser):
    """Every URL attribute value of an HTML text, as a browser reads it (character references decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.values += [value for name, value in attrs if value and name in URL_ATTRIBUTES]


def staged_page_html(body: str) -> str:
    """``body`` converted as the engines convert a document page of the staging project."""
    names = [next(iter(e)) if isinstance(e, dict) else e for e in REQUIRED_EXTENSIONS]
    configs = {next(iter(e)): next(iter(e.values())) for e in REQUIRED_EXTENSIONS if isinstance(e, dict)}
    configs[mdsanitize.EXTENSION] = {"token": mdsanitize.PROCESS_TOKEN, "published": STAGED_FILES}
    md = markdown.Markdown(extensions=[*names, mdsanitize.EXTENSION], extension_configs=configs)
    return md.convert(mdsanitize.mark_page(body, STAGED_PAGE))


@FUZZ
@given(st.lists(LINK_PIECES, max_size=40).map("".join))
def test_fuzzed_links_never_point_to_a_withheld_file(body: str) -> None:
    parser = _Attributes()
    parser.feed(staged_page_html(body))
    for value in parser.values:
        if not value.startswith("#"):  # an anchor on the page (a heading's id) is made of text, not a file name
            assert "ylosecret" not in unquote(value), (body, value)


# --------------------------------------------------------------------------- values the site's templates print

# Pieces of hostile labels: markup, the front matter delimiter, line breaks of every kind,
# YAML and Markdown syntax, Python-Markdown's placeholder characters, the trust comment.
HOSTILE_PIECES = [
    "<img src=x onerror=window.__pwned=1>", "<script>window.__pwned=1</script>", "\n---\n", "---", "\n", "\r\n",
    "\u2028", "\x85", "\t", '"', "'", "\\", "&", "&amp;", "&lt;", "&#60;", "{: onclick=x }", "[x](javascript:x)",
    "<!--", "-->", "<!-- isodocs-generated x -->", "\x02", "\x03", "`", "*", ": ", "# ", "|", "...", "\ufeff",
]  # fmt: skip
HOSTILE_TEXT = st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=6)), min_size=1, max_size=6).map(
    "".join
)
SITE_RAW_MARKUP = ("<img src=x", "<script>window")


def _nav_labels(nav: list[Any]) -> Iterator[str]:
    for entry in nav:
        for label, target in entry.items():
            yield label
            if isinstance(target, list):
                yield from _nav_labels(target)


def _staged_site_case(title: str, organization: str, person: str, standard: str, subject: str) -> None:
    """Stage the site of a repository holding the hostile values; check nav, front matter and pages."""
    from mkdocs.utils import meta as mkdocs_meta

    from isodocs.site.inputs import Revision, SiteInputs
    from isodocs.site.mkdocs_config import _KeepTagsLoader
    from isodocs.site.pages import doc_label, template_text
    from isodocs.site.render import stage
    from isodocs.site.sources import coverage_views

    config = {
        **BASE_CONFIG,
        "organization": organization,
        "standards": ["iso9001", "house"],
        "catalogs": ["house.yml"],
        "people": {**BASE_CONFIG["people"], "qm": {"name": person, "role": person}},
    }
    clauses = [{"id": "1", "title": "S"}]
    house = {"key": "house", "title": standard, "standard": standard, "edition": standard, "clauses": clauses}
    document = {
        "id": "PRO-001", "title": title, "type": "procedure", "version": "1.0", "status": "approved", "owner": "qm",
        "approved_by": ["md"], "approved_on": "2026-06-01", "last_reviewed": "2026-06-01",
        "classification": "internal", "clauses": {"iso9001": ["7.5"], "house": ["1"]},
    }  # fmt: skip
    files = {
        "house.yml": yaml.safe_dump(house, allow_unicode=True).encode(),
        "procedures/a.md": f"---\n{yaml.safe_dump(document, allow_unicode=True)}---\n# A\n\nBody.\n".encode(),
    }
    with repository(files, yaml.safe_dump(config, allow_unicode=True)) as root:
        try:
            system, _ = load_system(root, TODAY)
        except UsageError:
            return  # a value isodocs.yml or the catalogue refuses (e.g. an empty organisation)
        history = {d.path: [Revision("1.0", TODAY, person, subject)] for d in system.documents}
        inputs = SiteInputs(system=system, history=history, coverage=coverage_views(system), build_date=TODAY)
        project = stage(inputs, site_dir="o")
        staged = yaml.load(project.files["mkdocs.yml"], Loader=_KeepTagsLoader)
        labels = list(_nav_labels(staged["nav"]))
        for label in [*labels, staged["site_name"]]:
            assert not set(label) & set("<>\n\r\u2028"), label
        assert staged["site_name"] == template_text(f"{system.config.organization} management system")
        published = {d.path: d for d in inputs.published}
        if "procedures/a.md" in published:
            assert template_text(doc_label(published["procedures/a.md"])) in labels
        for path, text in project.files.items():
            if not path.endswith(".md") or path.startswith("docs/about/") or not isinstance(text, str):
                continue
            assert not any(marker in text for marker in SITE_RAW_MARKUP), path
            if text.startswith("---\n"):
                body, meta = mkdocs_meta.get_data(text)
                assert list(meta) == ["title"] and not set(meta["title"]) & set("<>\n"), (path, meta)
                if path == "docs/index.md":
                    assert body.startswith("<!-- isodocs-generated ")  # the trust token after the real front matter


@FUZZ
@given(HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT)
def test_fuzzed_titles_and_names_reach_the_staged_site_as_text(
    title: str, organization: str, person: str, standard: str, subject: str
) -> None:
    """Titles, the organisation, people, catalogue names and commit subjects: escaped in nav, front matter and pages."""
    _staged_site_case(title, organization, person, standard, subject)
