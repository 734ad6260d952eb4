"""sanitize_html: nothing that can run script survives, whatever the input; Markdown output does."""

from __future__ import annotations

from html.parser import HTMLParser

import nh3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isodocs.text import sanitize
from isodocs.text.sanitize import sanitize_html

ACTIVE_ELEMENTS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "style",
                   "form", "svg", "math", "link"}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def assert_inert(html: str) -> None:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    for tag, attributes in parser.tags:
        assert tag not in ACTIVE_ELEMENTS, html
        for name, value in attributes:
            assert not name.startswith("on"), html
            if name in URL_ATTRIBUTES and value:
                cleaned = "".join(value.split()).lower()
                assert not cleaned.startswith(("javascript:", "vbscript:", "data:")), html
            assert name != "style" or "url(" not in (value or ""), html


ATTACKS = [
    "<script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</script>",
    "<p onclick=alert(1)>x</p>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x61;script:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "<svg onload=alert(1)><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<object data=x></object><embed src=x><applet code=x></applet>",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">b</button></form>',
    '<th style="background:url(javascript:alert(1))">h</th>',
    '<input type="text" onfocus=alert(1) autofocus>',
    "<!--<img src=x onerror=alert(1)>-->",
    "<div><style>@import 'https://evil.example/x.css';</style></div>",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_attacks_are_neutralised(attack):
    cleaned = sanitize_html(attack)
    assert_inert(cleaned)


@pytest.mark.parametrize(
    "html",
    [
        '<h2 id="purpose">Purpose<a class="headerlink" href="#purpose" title="Permanent link">¶</a></h2>',
        '<div class="admonition warning"><p class="admonition-title">Warning</p><p>Text</p></div>',
        '<table><thead><tr><th style="text-align:left">A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>',
        '<p><a href="../procedures/internal-audit.md#scope">audit</a> and <a href="mailto:qm@example.org">QM</a></p>',
        '<p><img src="img/flow.png" alt="Flow" width="400"></p>',
        '<details class="note" open=""><summary>More</summary><p>Hidden</p></details>',
        '<ul class="task-list"><li class="task-list-item">'
        '<input type="checkbox" disabled="" checked=""> done</li></ul>',
        '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>',
        '<div class="highlight"><pre><span></span><code><span class="k">def</span> f</code></pre></div>',
        '<p><abbr title="Statement of Applicability">SoA</abbr>, <kbd>Ctrl</kbd>, <mark>new</mark></p>',
    ],
)
def test_markdown_output_survives(html):
    cleaned = sanitize_html(html)
    parser_in, parser_out = _Tags(), _Tags()
    parser_in.feed(html)
    parser_out.feed(cleaned)
    assert [t for t, _ in parser_in.tags] == [t for t, _ in parser_out.tags]
    for (_, before), (_, after) in zip(parser_in.tags, parser_out.tags, strict=True):
        assert {k for k, _ in before} <= {k for k, _ in after}, (html, cleaned)


def test_links_get_noopener():
    assert 'rel="noopener noreferrer"' in sanitize_html('<a href="https://example.org">x</a>')


TAG_NAMES = st.sampled_from(["a", "img", "p", "div", "script", "svg", "iframe", "input", "td", "style", "x-y", "math"])
ATTR_NAMES = st.sampled_from(["href", "src", "onclick", "onerror", "style", "class", "id", "type", "srcdoc", "action"])
ATTR_VALUES = st.sampled_from(
    ["javascript:alert(1)", "jav&#x61;script:x", " java\tscript:x", "data:text/html,x", "https://a.example", "x.md",
     "alert(1)", "url(javascript:x)", "checkbox", "text", ""]
)  # fmt: skip


@st.composite
def html_fragments(draw):
    parts = []
    for _ in range(draw(st.integers(0, 8))):
        choice = draw(st.integers(0, 3))
        if choice == 0:
            parts.append(draw(st.text(max_size=20)))
        elif choice == 1:
            tag = draw(TAG_NAMES)
            attrs = draw(st.lists(st.tuples(ATTR_NAMES, ATTR_VALUES), max_size=3))
            quote = draw(st.sampled_from(['"', "'", ""]))
            parts.append(f"<{tag}" + "".join(f" {k}={quote}{v}{quote}" for k, v in attrs) + ">")
        elif choice == 2:
            parts.append(f"</{draw(TAG_NAMES)}>")
        else:
            parts.append(draw(st.sampled_from(["<!--", "-->", "<", ">", "&", "&#x3c;", "<![CDATA[", "]]>"])))
    return "".join(parts)


@settings(max_examples=300, deadline=None)
@given(html_fragments())
def test_fuzzed_html_comes_out_inert(html):
    assert_inert(sanitize_html(html))


@settings(max_examples=200, deadline=None)
@given(html_fragments())
def test_reused_cleaner_cleans_as_a_fresh_one(html):
    """The cleaner built once at import applies the same allow-lists as nh3.clean per call."""
    assert sanitize._CLEANER is not None  # the installed nh3 has Cleaner: the fast path is the one tested
    assert sanitize_html(html) == nh3.clean(html, **sanitize._cleaner_options())


ODD = "<>&;#\x00\r\n\xa0\t\x0c\x01'\"=/ab"
PLAIN_OR_NOT = st.one_of(st.sampled_from(ODD), st.characters(blacklist_categories=("Cs",)))


@settings(max_examples=1000, deadline=None)
@given(st.text(PLAIN_OR_NOT))
def test_text_the_cleaner_would_leave_alone_is_not_sent_to_it(text):
    """Plain text (a heading, for the table of contents) is given back without a call to nh3, unchanged by it."""
    assert sanitize_html(text) == nh3.clean(text, **sanitize._cleaner_options())


@pytest.mark.parametrize("attack", ATTACKS)
def test_attacks_are_neutralised_without_a_reusable_cleaner(attack, monkeypatch):
    monkeypatch.setattr(sanitize, "_CLEANER", None)  # an nh3 older than Cleaner
    assert_inert(sanitize_html(attack))
