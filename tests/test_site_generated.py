"""The generated pages (dashboard, register, matrices, SoA, review calendar).

They are exempt from the sanitiser (their charts would not survive it), so every
value isodocs writes into them must be escaped by isodocs itself.
"""

from __future__ import annotations

import re

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from isodocs.app.load import load_system
from isodocs.site import pages
from isodocs.site.inputs import Revision, SiteInputs
from isodocs.site.markdown import escape, html_text
from isodocs.site.mkdocs_config import _KeepTagsLoader
from isodocs.site.render import stage
from tests.conftest import TODAY, approved

ATTRIBUTES = ' {: onclick="alert(1)" }'
EVENT_ATTRIBUTE = re.compile(r"<[a-z0-9]+\s[^>]*onclick=")


def convert_staged(project, path: str) -> str:
    """A staged page converted with the staging mkdocs.yml's extensions, as the engine converts it."""
    config = yaml.load(project.files["mkdocs.yml"], Loader=_KeepTagsLoader)
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name = next(iter(entry)) if isinstance(entry, dict) else entry
        names.append(name)
        if isinstance(entry, dict):
            configs[name] = entry[name] or {}
    text = project.files[f"docs/{path}"]
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    return markdown.Markdown(extensions=names, extension_configs=configs).convert(text)


def test_escape_keeps_attr_list_from_reading_braces():
    value = escape(ATTRIBUTES)
    for source in (f"# Title{value}", f"Text{value}", f"| a |\n|:--|\n| b{value} |"):
        out = markdown.markdown(source, extensions=["attr_list", "tables"])
        assert not EVENT_ATTRIBUTE.search(out) and '{: onclick="alert(1)" }' in out


def test_values_cannot_add_attributes_to_a_generated_page(repo):
    repo.config(organization="Acme" + ATTRIBUTES, people={"eve": {"name": "Eve" + ATTRIBUTES}})
    repo.doc("procedures/a.md", approved("PRO-001", title="A" + ATTRIBUTES, version="1.0" + ATTRIBUTES, owner="eve"))
    system, _ = load_system(repo.root, TODAY)
    history = {"procedures/a.md": [Revision("1.0", TODAY, "Mallory" + ATTRIBUTES, "Fix" + ATTRIBUTES)]}
    project = stage(SiteInputs(system=system, history=history, build_date=TODAY), site_dir="out")
    for page in ("index.md", "register.md", "reviews.md"):
        out = convert_staged(project, page)
        assert not EVENT_ATTRIBUTE.search(out) and '{: onclick="alert(1)" }' in out, page


# -- the tables: finished HTML, the same as the Markdown tables they replace ---------------------

# Text of any kind but tabs and carriage returns (Markdown expands and normalises those first) and
# "~", which ``escape`` escapes for pymdownx.tilde but plain Python-Markdown then shows as "\~".
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\r~"), max_size=40)


@settings(max_examples=400, deadline=None)
@given(TEXT, TEXT)
def test_a_table_cell_is_what_python_markdown_makes_of_the_escaped_text(text, label):
    """``_html_table`` with ``html_text`` cells: the bytes the Markdown table with ``escape`` gave."""
    source = f"| Head |\n|:--|\n| {escape(text)} |\n| [{escape(label)}](a/b.md) |\n"
    expected = markdown.markdown(source, extensions=["tables", "attr_list", "md_in_html"])
    link = f'<a href="a/b.md">{html_text(label)}</a>'
    assert pages._html_table(["Head"], [[html_text(text)], [link]]) == expected


@pytest.mark.parametrize("align", [None, ["left", "right"]])
def test_an_empty_table_is_what_python_markdown_makes_of_it(align):
    separator = "|:--|--:|" if align else "|:--|:--|"
    expected = markdown.markdown(f"| A | B |\n{separator}\n", extensions=["tables"])
    assert pages._html_table(["A", "B"], [], align) == expected


def test_values_are_escaped_in_the_generated_tables(repo):
    evil = "<script>alert(1)</script> & *stars* \x02wzxhzdk:0\x03"
    repo.config(people={"eve": {"name": "Eve <b>", "role": "<img src=x onerror=alert(1)>"}})
    repo.doc(
        "procedures/evil.md",
        approved(
            "PRO-001",
            title=evil,
            version="1.0<i>",
            owner="eve",
            next_review="2026-12-01",
            clauses={"iso9001": ["7.5"], "iso27001": ["A.5.1"]},
        ),
    )
    repo.write("soa.yml", "controls:\n  A.5.1: {applicable: true, status: '<u>x</u>', justification: '<s>y</s>'}\n")
    system, _ = load_system(repo.root, TODAY)
    from isodocs.site.sources import coverage_views, soa_views

    history = {"procedures/evil.md": [Revision("1.0<i>", TODAY, "Mallory <b>", "Fix <script>x()</script>")]}
    inputs = SiteInputs(
        system=system, history=history, coverage=coverage_views(system), soa=soa_views(system), build_date=TODAY
    )
    project = stage(inputs, site_dir="out")
    pages_seen = 0
    for path in ("index.md", "register.md", "reviews.md", "soa.md", "coverage/iso9001.md", "coverage/iso27001.md"):
        staged = project.files[f"docs/{path}"]
        out = convert_staged(project, path)
        for text in (staged, out):
            for tag in ("<script", "<img", "<b>", "<i>", "<u>", "<s>", "\x02"):
                assert tag not in text, (path, tag)
        pages_seen += "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *stars* wzxhzdk:0" in out
    assert pages_seen >= 5  # all but the SoA's page name the document


# -- issue 19: titles, latest changes, SoA notes -------------------------------------------------


def _inputs(repo, **views):
    system, _ = load_system(repo.root, TODAY)
    return SiteInputs(system=system, build_date=TODAY, **views)


def _converted_body(repo, path: str, **views) -> str:
    return convert_staged(stage(_inputs(repo, **views), site_dir="out"), path)


def test_document_page_h1_is_the_title_and_a_body_h1_becomes_a_section(repo):
    """An imported body starts with "# Purpose and Scope": the page's H1 is still the document's title."""
    body = "# Purpose and Scope\n\nWhy.\n\n## Details\n\n```\n# not a heading\n```\n\n# Responsibilities\n\nWho.\n"
    repo.doc("procedures/a.md", approved("PRO-001", title="Access control"), body)
    out = _converted_body(repo, "procedures/a.md")
    assert re.findall(r"<h1[^>]*>(.*?)<", out) == ["Access control"]
    assert re.findall(r"<h2[^>]*>(.*?)<", out) == ["Purpose and Scope", "Responsibilities", "Revision history"]
    assert re.findall(r"<h3[^>]*>(.*?)<", out) == ["Details"]
    assert "# not a heading" in out  # code is left as it is


def test_a_body_h1_that_repeats_the_title_is_shown_once(repo):
    repo.doc("procedures/a.md", approved("PRO-001", title="Access control"), "# Access  control\n\n## Scope\n\nAll.\n")
    out = _converted_body(repo, "procedures/a.md")
    assert re.findall(r"<h1[^>]*>(.*?)<", out) == ["Access control"]
    assert re.findall(r"<h2[^>]*>(.*?)<", out)[0] == "Scope"  # the body's outline unchanged
    assert "Access  control" not in out


def test_demote_headings_handles_setext_and_fences():
    body = "Title\n=====\n\n~~~\n# code\n~~~\n\n###### six\n"
    assert pages.demote_headings(body) == "Title\n-----\n\n~~~\n# code\n~~~\n\n###### six\n"


def test_latest_changes_has_one_row_per_commit(repo):
    for number in range(1, 24):
        repo.doc(f"procedures/p{number:02}.md", approved(f"PRO-{number:03}", title=f"Procedure {number}"))
    system, _ = load_system(repo.root, TODAY)
    approval = "Approve the manual (in-review -> approved)"
    history = {
        doc.path: [Revision("1.0", TODAY, "Ann", approval, commit="c0ffee")] for doc in system.documents
    }
    history["procedures/p01.md"].append(Revision("0.9", TODAY.replace(day=1), "Bob", "Draft", commit="beef"))
    page = pages.dashboard_page(SiteInputs(system=system, history=history, build_date=TODAY))
    changes = page.split("## Latest changes", 1)[1]
    rows = changes.count("<tr>") - 1  # less the header
    assert rows == 2, changes
    assert changes.count(html_text(approval)) == 1 and "and 18 more documents" in changes
    assert changes.index(html_text(approval)) < changes.index("Draft")  # newest commit first


def test_soa_page_shows_the_notes(repo):
    repo.write(
        "soa.yml",
        "controls:\n  A.8.12: {applicable: true, status: planned, reasons: [risk], justification: 'Treats R-07.',"
        " notes: 'DLP for email is planned <soon>.'}\n",
    )
    from isodocs.site.sources import soa_views

    system, _ = load_system(repo.root, TODAY)
    page = pages.soa_page(SiteInputs(system=system, soa=soa_views(system), build_date=TODAY))
    row = next(line for line in page.split("<tr>") if "A.8.12" in line)
    assert "Treats R-07." in row and "DLP for email is planned &lt;soon&gt;." in row


def test_matrix_h1_is_the_standard_name_and_the_dashboard_title_names_the_organisation_once(repo):
    from isodocs.site.sources import coverage_views

    repo.doc("procedures/a.md", approved("PRO-001"))
    system, _ = load_system(repo.root, TODAY)
    inputs = SiteInputs(system=system, coverage=coverage_views(system), build_date=TODAY)
    coverage = next(c for c in inputs.coverage or [] if c.catalog.key == "iso27001")
    matrix = pages.coverage_page(inputs, coverage)
    assert f"\n# {escape(coverage.catalog.name)} clause matrix\n" in matrix
    assert f"*{escape(coverage.catalog.title)}*" in matrix  # the full title under it
    dashboard = pages.dashboard_page(inputs)
    assert dashboard.startswith('---\n"title": "Dashboard"\n---\n')


def test_print_banner_names_the_organisation(repo):
    repo.doc("procedures/a.md", approved("PRO-001", version="2.1"))
    inputs = _inputs(repo)
    organization = escape(inputs.system.config.organization)
    for page in (pages.register_page(inputs), stage(inputs, site_dir="o").files["docs/procedures/a.md"]):
        assert "Uncontrolled when printed · " in page
        banner = page.split("Uncontrolled when printed · ", 1)[1]
        assert banner.startswith(organization)


def test_missing_engine_hint_names_the_default_install(monkeypatch):
    """The site's packages are default dependencies: the hint is an upgrade, not the old `[site]` extra."""
    import importlib.util

    from isodocs.errors import UsageError
    from isodocs.site import build

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "material" else real(name, *a))
    with pytest.raises(UsageError) as error:
        build.require_engine("mkdocs")
    assert "pip install --upgrade isodocs" in str(error.value) and "[site]" not in str(error.value)


def test_lettered_and_roman_lists_written_by_hand_render_as_lists(repo):
    """pandoc's "a." / "i." markers (pymdownx.fancylists): not literal "a." paragraphs."""
    body = "# Steps\n\na. Plan the audit\nb. Hold it\n\n    i. open\n    ii. close\n"
    repo.doc("procedures/a.md", approved("PRO-001", title="Steps"), body)
    out = _converted_body(repo, "procedures/a.md")
    assert '<ol type="a">' in out and '<ol type="i">' in out
    assert "<li>Plan the audit</li>" in out and "a. Plan" not in out
