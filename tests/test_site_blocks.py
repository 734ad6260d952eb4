"""isodocs' own HTML blocks on document pages (control block, revision table, print banner).

They reach the engine as finished HTML that Markdown does not parse (site/mdsanitize.py
``html_block``), so isodocs writes their links as the engine would, escapes every value
itself, and no document can make the extension insert HTML of its choosing.
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from isodocs.app.load import load_system
from isodocs.errors import UsageError
from isodocs.site.build import BuildOptions, build_site
from isodocs.site.inputs import Revision, SiteInputs
from isodocs.site.markdown import page_href
from isodocs.site.mdsanitize import SanitizeExtension, html_block, mark_trusted
from isodocs.site.mkdocs_config import _KeepTagsLoader, directory_urls, read_repo_config
from isodocs.site.render import stage
from tests import gitutil
from tests.conftest import TODAY, RepoBuilder, approved, record

TOKEN = "0123456789abcdef0123456789abcdef"


def convert(text: str, token: str = TOKEN) -> str:
    md = markdown.Markdown(extensions=["tables", "md_in_html", SanitizeExtension(token=token)])
    return md.convert(text)


# -- the extension ------------------------------------------------------------------------------


def test_a_block_with_the_token_is_inserted_unparsed():
    block = html_block('<div class="isodocs-control">*not emphasis* | a |\n\n# not a heading</div>', token=TOKEN)
    out = convert("Before.\n" + block + "After.\n")
    assert '<div class="isodocs-control">*not emphasis* | a |\n\n# not a heading</div>' in out
    assert "<em>" not in out and "<h1" not in out and "isodocs-html" not in out  # nor the marker lines
    assert "<p>Before.</p>" in out and "<p>After.</p>" in out


def test_the_page_is_sanitised_and_the_blocks_go_in_after():
    # isodocs writes its blocks as the sanitiser would (see the property test below), so
    # the sanitiser does not read them again: what a block holds is what the page shows.
    block = '<div class="x"><span class="kept" data-x="1">isodocs</span></div>'
    out = convert("<script>alert(1)</script><p onclick='x()'>Doc</p>\n" + html_block(block, token=TOKEN))
    assert "<script" not in out and "onclick" not in out and "<p>Doc</p>" in out
    assert block in out


def test_blocks_go_into_a_trusted_page_too():
    out = convert(mark_trusted("<svg><circle r='1'/></svg>\n\n" + html_block("<table></table>", token=TOKEN), TOKEN))
    assert "<svg>" in out and "<table></table>" in out and "isodocs-" not in out


def test_a_block_in_a_fence_a_document_leaves_open_is_still_put_in():
    out = convert("```\nunclosed code\n" + html_block("<div>mine</div>", token=TOKEN))
    assert out.count("<div>mine</div>") == 1 and "isodocs-html" not in out


@pytest.mark.parametrize("token", ["f" * 32, "", TOKEN.upper(), TOKEN + " "])
def test_a_block_forged_without_the_token_is_parsed_as_the_document(token):
    forged = html_block("*parsed*", token=token)
    out = convert("Text.\n\n" + forged)
    assert "<em>parsed</em>" in out and "*parsed*" not in out


def test_no_token_configured_trusts_no_block():
    out = convert(html_block("*parsed*", token=""), token="")
    assert "<em>parsed</em>" in out


def test_a_document_cannot_name_a_placeholder():
    # isodocs' placeholders hold the process token; Python-Markdown's own are \x02wzxhzdk:N\x03,
    # whose marks the whitespace step deletes from the source.
    guesses = [f"isodocs-html-{'f' * 32}-0", "isodocs-html--0", "isodocs-html-0", "\x02wzxhzdk:0\x03"]
    out = convert("\n\n".join(guesses) + "\n" + html_block("<div>mine</div>", token=TOKEN))
    assert out.count("<div>mine</div>") == 1
    assert f"<p>isodocs-html-{'f' * 32}-0</p>" in out and "<p>wzxhzdk:0</p>" in out


# -- the staged page ------------------------------------------------------------------------------


def test_values_from_front_matter_are_escaped_in_the_blocks(repo):
    repo.config(people={"eve": {"name": "Eve <b>", "role": "<img src=x onerror=alert(1)>"}})
    evil = "<script>alert(1)</script> & *stars*"
    repo.doc(
        "procedures/evil.md",
        approved("PRO-001", title=evil, version="1.0<i>", owner="eve", related=["PRO-9<b>"]),
        "# Title\n\n<!-- isodocs-html 00000000000000000000000000000000 -->\n<script>x()</script>\n",
    )
    system, _ = load_system(repo.root, TODAY)
    page = stage(SiteInputs(system=system, build_date=TODAY), site_dir="out").files["docs/procedures/evil.md"]
    block = page.split('<div class="isodocs-control" data-search-exclude="">', 1)[1].split("</div>", 1)[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *stars*" in block
    assert "<script" not in block and "<img" not in block and "<b>" not in block and "<i>" not in block
    assert "Eve &lt;b&gt;" in block and "1.0&lt;i&gt;" in block and "PRO-9&lt;b&gt;" in block


def test_use_directory_urls_is_the_repositorys_or_mkdocs_default(repo):
    assert directory_urls({}) is True
    assert directory_urls({"use_directory_urls": False}) is False
    repo.write("mkdocs.yml", "use_directory_urls: !ENV [PRETTY_URLS, false]\n")
    with pytest.raises(UsageError, match=r"mkdocs\.yml:1: use_directory_urls: !ENV is not taken"):
        read_repo_config(repo.root)  # not evaluated, not guessed: refused (tests/test_site_config.py)
    repo.write("mkdocs.yml", "use_directory_urls: false\n")
    assert directory_urls(read_repo_config(repo.root)) is False
    repo.doc("procedures/a.md", approved("PRO-001"))
    system, _ = load_system(repo.root, TODAY)
    config = stage(SiteInputs(system=system, build_date=TODAY), site_dir="out").files["mkdocs.yml"]
    assert yaml.load(config, Loader=_KeepTagsLoader)["use_directory_urls"] is False  # what the links assume


# -- links: as the engine writes them --------------------------------------------------------------

SEGMENT = st.sampled_from(["a", "b", "index", "README", "x-y", "ü"])


@st.composite
def page_paths(draw) -> str:
    folders = draw(st.lists(SEGMENT.filter(lambda s: s not in ("index", "README")), max_size=3))
    return "/".join([*folders, draw(SEGMENT) + ".md"])


@settings(max_examples=300, deadline=None)
@given(page_paths(), page_paths(), st.booleans())
def test_page_href_is_the_link_mkdocs_writes(from_page, to_page, use_directory_urls):
    from mkdocs.structure.files import File

    source = File(from_page, "docs", "site", use_directory_urls)
    target = File(to_page, "docs", "site", use_directory_urls)
    assert page_href(from_page, to_page, use_directory_urls) == target.url_relative_to(source)


def test_page_href_for_zensical_is_the_source_link():
    assert page_href("procedures/a.md", "coverage/iso9001.md", None, "clause-4") == "../coverage/iso9001.md#clause-4"


class _Links(HTMLParser):
    """The links of isodocs' own HTML on a built page: in the control block, and in tables."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # inside .isodocs-control
        self.tables = 0  # inside a table
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        self.tables += tag == "table"
        if self.depth:
            self.depth += tag == "div"
        elif tag == "div" and "isodocs-control" in (values.get("class") or ""):
            self.depth = 1
        if (self.depth or self.tables) and tag == "a" and values.get("href"):
            self.hrefs.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        self.tables -= tag == "table"
        if self.depth and tag == "div":
            self.depth -= 1


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text("utf-8"))
    return parser


def linked_repo(repo: RepoBuilder) -> RepoBuilder:
    repo.doc("policies/old.md", approved("POL-001", type="policy", title="Old policy", clauses={"iso9001": ["5.2"]}))
    repo.doc(
        "policies/new.md",
        approved("POL-002", type="policy", title="New policy", supersedes="POL-001", related=["PRO-001", "PRO-002"]),
    )
    repo.doc("procedures/handling.md", approved("PRO-001", title="Handling", related=["POL-002", "REC-001"],
                                                 next_review="2026-12-10",
                                                 clauses={"iso9001": ["7.5"], "iso27001": ["A.5.1"]}))  # fmt: skip
    repo.doc("procedures/hidden.md", approved("PRO-002", title="Quokkahidden", status="draft"))
    repo.doc("records/audit.md", record("REC-001", title="Audit", clauses={"iso9001": ["9.2"]}))
    gitutil.init(repo.root)
    gitutil.commit(repo.root, "The documents", date="2026-11-02")  # the dashboard's latest changes
    return repo


GENERATED = ["index.html", "register", "reviews", "soa", "coverage/iso9001", "coverage/iso27001"]


@pytest.mark.parametrize(
    ("engine", "use_directory_urls"), [("mkdocs", True), ("mkdocs", False), ("zensical", True), ("zensical", False)]
)
def test_links_in_isodocs_html_lead_to_pages_of_the_site(repo, engine, use_directory_urls):
    """The control blocks' links and those of the generated pages' tables, under both engines and URL styles."""
    linked_repo(repo).write("mkdocs.yml", f"use_directory_urls: {str(use_directory_urls).lower()}\n")
    site = build_site(BuildOptions(root=repo.root, engine=engine, today=TODAY, force=True)).site_dir
    pages = sorted(p for p in site.rglob("*.html") if "isodocs-control" in p.read_text("utf-8"))
    assert len(pages) == 4  # the published documents
    generated = [
        site / (name if name.endswith(".html") else f"{name}/index.html" if use_directory_urls else f"{name}.html")
        for name in GENERATED
    ]
    followed: dict[str, int] = {}
    for page in pages + generated:
        for href in parse(page).hrefs:
            path, _, anchor = href.partition("#")
            target = (page.parent / path).resolve()
            if href.endswith("/") or path.endswith("/") or target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(site)}: {href} leads nowhere"
            assert target.suffix == ".html"
            if anchor:
                assert anchor in parse(target).ids, f"{page.relative_to(site)}: {href}: no such anchor"
            followed[page.relative_to(site).as_posix()] = followed.get(page.relative_to(site).as_posix(), 0) + 1
    # POL-002: supersedes, 2 related (one withheld, not linked); PRO-001: 2 related; POL-001: superseded by,
    # one clause; REC-001: one clause
    assert sum(followed[p.relative_to(site).as_posix()] for p in pages) >= 6
    # The register links the 4 published documents, the calendar the 3 with a review date, the SoA and
    # the matrices the documents mapped; the dashboard the one due for review, latest changes, two matrices.
    counts = [followed.get(p.relative_to(site).as_posix(), 0) for p in generated]
    assert counts[0] >= 1 + 4 + 2 and counts[1:4] == [4, 3, 1] and counts[4] >= 3 and counts[5] >= 1, counts
    text = "".join(p.read_text("utf-8") for p in pages + generated)
    assert "Quokkahidden" not in text and re.search(r"PRO-002 <span class=\"isodocs-unpublished\"", text)
    suffix = "/" if use_directory_urls else ".html"
    new = next(p for p in pages if posixpath.basename(str(p.parent if use_directory_urls else p)).startswith("new"))
    assert any(h.endswith("old" + suffix) for h in parse(new).hrefs)


# -- the blocks are written as the sanitiser writes them ------------------------------------------

# Any text but surrogates (front matter is UTF-8); the odd characters come often.
ODD = "<>&\"' \xa0\x00\x02\x03\r\n\t:#?%/*_`[]{}|~"
VALUE = st.text(st.one_of(st.sampled_from(ODD), st.characters(blacklist_categories=("Cs",))), max_size=20)
PATH_PART = st.one_of(
    st.sampled_from(["javascript:alert(1)", "a:b", "a b"]),  # a name before ":" reads as a URL scheme
    st.text(st.sampled_from("ab-_. :&<>\"'#?%\xa0ü"), min_size=1, max_size=6).filter(lambda p: p.strip(".")),
)


@pytest.fixture(scope="module")
def linked_inputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("repo")
    builder = RepoBuilder(root)
    builder.config()
    repo = linked_repo(builder)
    system, _ = load_system(repo.root, TODAY)
    return system


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(VALUE, min_size=8, max_size=8),
    paths=st.lists(st.tuples(st.sampled_from(["p", "p/q", "r"]), PATH_PART), min_size=2, max_size=2),
    directory_urls=st.sampled_from([True, False, None]),
)
def test_sanitising_a_finished_document_page_changes_nothing(linked_inputs, values, paths, directory_urls):
    """The blocks skip the sanitiser: what they hold must be what it would have let through, as it writes it."""
    from isodocs.site.pages import document_page
    from isodocs.text.sanitize import sanitize_html

    system = linked_inputs
    docs = {d.id: d for d in system.documents}
    new, old = docs["POL-002"], docs["POL-001"]
    new.path, old.path = (f"{folder}/{name}.md" for folder, name in paths)
    new.title, new.version, new.owner, new.source, new.classification = values[:5]
    new.related = [values[5], "PRO-001", "PRO-002"]
    new.clauses = {"iso9001": [values[6], "7.5"]}
    history = {new.path: [Revision(values[7], TODAY, values[0], values[1]), Revision(None, TODAY, "a", "b")]}
    inputs = SiteInputs(system=system, history=history, build_date=TODAY)
    inputs.published = [d for d in inputs.published]  # the mutated paths
    page = document_page(inputs, new, "# Title\n\nBody text.\n", directory_urls)
    token = page.split("<!-- isodocs-html ", 1)[1].split(" ", 1)[0]
    out = convert(page.split("\n---\n", 1)[1], token=token)
    assert "isodocs-html" not in out
    assert sanitize_html(out) == out
