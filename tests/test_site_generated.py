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
