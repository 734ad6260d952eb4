"""The link guard of document pages (site/mdlinks.py), on pages converted as the engines convert them.

tests/test_site_build.py builds sites with both engines; these tests convert one page in-process.
"""

from __future__ import annotations

import markdown
import pytest
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from isodocs.site import mdlinks, mdsanitize
from isodocs.site.markdown import NOT_PUBLISHED
from isodocs.site.mkdocs_config import REQUIRED_EXTENSIONS
from tests.test_site_build import LINK_FORMS

PAGE = "procedures/visible.md"
PUBLISHED = [PAGE, "procedures/ok.md", "index.md", "forms/form.pdf", "procedures/sub/index.md"]


def convert(
    body: str, page: str | None = PAGE, token: str = mdsanitize.PROCESS_TOKEN, extra: list | None = None
) -> str:
    """``body`` as a document page of the staging project (``page=None``: a page that is not a document)."""
    names = [next(iter(e)) if isinstance(e, dict) else e for e in REQUIRED_EXTENSIONS]
    configs = {next(iter(e)): next(iter(e.values())) for e in REQUIRED_EXTENSIONS if isinstance(e, dict)}
    configs[mdsanitize.EXTENSION] = {"token": mdsanitize.PROCESS_TOKEN, "published": PUBLISHED}
    md = markdown.Markdown(extensions=[*names, *(extra or []), mdsanitize.EXTENSION], extension_configs=configs)
    return md.convert(mdsanitize.mark_page(body, page, token) if page else body)


@pytest.mark.parametrize("form", sorted(LINK_FORMS))
def test_every_form_of_a_link_to_an_unpublished_file_becomes_text(form):
    html = convert(LINK_FORMS[form].replace("xylodraftmarker", "secret"))
    assert "secret" not in html
    assert NOT_PUBLISHED in html
    assert "the draft" in html


KEPT = {
    "page": ("[ok](ok.md)", 'href="ok.md"'),
    "page with anchor": ("[ok](ok.md#scope)", 'href="ok.md#scope"'),
    "folder index": ("[sub](sub/index.md)", 'href="sub/index.md"'),
    "site root page": ("[home](../index.md)", 'href="../index.md"'),
    "site-absolute page": ("[ok](/procedures/ok.md)", 'href="/procedures/ok.md"'),
    "attachment": ("[form](../forms/form.pdf)", 'href="../forms/form.pdf"'),
    "anchor": ("[top](#top)", 'href="#top"'),
    "external": ("[iso](https://www.iso.org/x.md)", 'href="https://www.iso.org/x.md"'),
    "mail": ("<mailto:qm@example.org>", "mailto:"),
    "raw html page": ('<a href="ok.md">ok</a>', 'href="ok.md"'),
    "raw html page url": ('<a href="../ok/">ok</a>', 'href="../ok/"'),
    "raw html image": ('<img alt="f" src="../forms/form.pdf">', 'src="../forms/form.pdf"'),
}


@pytest.mark.parametrize("case", sorted(KEPT))
def test_links_to_published_files_stay_links(case):
    body, expected = KEPT[case]
    html = convert(body)
    assert expected in html and NOT_PUBLISHED not in html


class _RewriteLikeMkDocs(Treeprocessor):
    """What MkDocs' "relpath" does: a link to a source file becomes its URL, relative to the page's URL."""

    def run(self, root):
        for element in root.iter("a"):
            element.set("href", element.get("href", "").replace("ok.md", "../ok/"))


class _MkDocsLike(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_RewriteLikeMkDocs(md), "relpath", 0)


def test_links_the_engine_rewrote_are_not_taken_for_raw_html():
    html = convert("[ok](ok.md) and [secret](secret.md)", extra=[_MkDocsLike()])
    assert 'href="../ok/"' in html and "secret.md" not in html and html.count(NOT_PUBLISHED) == 1


def test_a_page_that_is_not_a_document_is_left_alone():
    # The owner's guide and the rule reference carry no page line: isodocs' own links.
    assert 'href="rules.md"' in convert("[rules](rules.md)", page=None)


def test_a_page_line_with_another_token_is_not_believed():
    forged = mdlinks.page_line("index.md", "0" * 32)  # as if the page were at the root, where secret.md ...
    html = convert(f"{forged}\n\n[x](secret.md)")
    assert "secret.md" not in html and "isodocs-page" not in html


def test_ordinary_pages_convert_as_before():
    # The guard changes nothing on a page whose links are all published (the output of isodocs so far).
    body = "# T\n\nSee [ok](ok.md), [form](../forms/form.pdf), [top](#top) and <https://example.org>.\n"
    assert convert(body) == convert(body, page=None)


def test_the_published_set_is_built_once_per_configuration():
    paths = ["a.md", "b.md"]
    assert mdlinks.published_set(paths) is mdlinks.published_set(paths)
    assert mdlinks.published_set(list(paths)) == frozenset(paths)


class _LinkAfterTheGuard(Treeprocessor):
    """An extension that adds a link to the tree after the guard's pass (between it and MkDocs' relpath)."""

    def run(self, root):
        paragraph = root.find("p")
        link = paragraph.makeelement("a", {"href": "secret.md"})
        link.text = "late"
        paragraph.append(link)


class _LateLinks(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_LinkAfterTheGuard(md), "late_link", 3)


def test_a_link_added_after_the_tree_pass_is_still_checked():
    html = convert("Text.", extra=[_LateLinks()])
    assert "secret.md" not in html and "late " + NOT_PUBLISHED in html
