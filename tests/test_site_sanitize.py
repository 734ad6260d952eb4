"""No script from a document reaches the built site, whatever the unsafe-html rule says."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from isodocs.site.build import BuildOptions, build_site
from isodocs.site.mdsanitize import mark_trusted, trusted_line
from tests.conftest import TODAY, approved
from tests.test_site_build import site_files

HOSTILE_BODY = """\
# Hostile procedure

Text before.

<script>alert("isodocs-xss-script")</script>

<img src="pic.png" onerror="alert('isodocs-xss-onerror')">

[click me](javascript:alert('isodocs-xss-mdlink'))

<a href="javascript:alert('isodocs-xss-rawlink')">raw link</a>

<iframe src="https://example.org/isodocs-xss-iframe"></iframe>

## Heading with attributes {: onclick="alert('isodocs-xss-attrlist')" }

<div markdown="1" onmouseover="alert('isodocs-xss-div')">**bold text**</div>

<details><summary>More</summary>Safe details stay visible.</details>

[diagram](diagram.svg) and [page](attachment.html)
"""


class _ActiveContent(HTMLParser):
    """Collects what could run script: script elements, on* handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")


def active_content(html: str) -> list[str]:
    parser = _ActiveContent()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_no_script_from_a_document_reaches_the_site_with_unsafe_html_off(repo, engine):
    repo.config(rules={"unsafe-html": "off"})
    repo.doc("procedures/hostile.md", approved("PRO-001", title="Hostile procedure"), HOSTILE_BODY)
    repo.write("procedures/diagram.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    repo.write("procedures/attachment.html", "<script>alert(1)</script>")
    result = build_site(BuildOptions(root=repo.root, engine=engine, today=TODAY))
    files = site_files(result.site_dir)
    page_name = next(name for name in files if name.startswith("procedures/hostile") and name.endswith(".html"))
    page = files[page_name]
    assert "safe details stay visible" in page and "<strong>bold text</strong>" in page  # safe HTML is kept
    content = page.split('class="isodocs-control"', 1)[1].rsplit("</article>", 1)[0]  # the theme's own scripts follow
    assert "hostile procedure" in content
    assert active_content(content) == []
    for name, text in files.items():
        if name.endswith((".html", ".json", ".xml")):
            assert "isodocs-xss-script" not in text, name
            assert "alert('isodocs-xss-onerror')" not in text, name
            assert "onclick" not in text and "onmouseover" not in text, name
    # Attachments a browser would run as a page are never copied; their links read "not published".
    assert not any(name.endswith(("diagram.svg", "attachment.html")) for name in files)
    assert page.count("(not published)") >= 2
    # Generated pages are exempt: the dashboard keeps its SVG chart.
    assert '<svg class="isodocs-chart' in files["index.html"]


def test_the_exemption_line_goes_after_front_matter_and_uses_the_token():
    page = mark_trusted("---\ntitle: Dashboard\n---\n\n# Dashboard\n", token="abc")
    assert page == f"---\ntitle: Dashboard\n---\n{trusted_line('abc')}\n\n# Dashboard\n"
    assert mark_trusted("# Register\n", token="abc").startswith(trusted_line("abc") + "\n")


def test_a_document_cannot_exempt_itself_with_a_guessed_token():
    import markdown

    body = trusted_line("0" * 32) + "\n\n<script>alert(1)</script>\n\nText.\n"
    html = markdown.markdown(body, extensions=["isodocs.site.mdsanitize"], extension_configs={})
    assert "<script" not in html and "Text." in html
