"""The Python-Markdown extension that sanitises every document page of the site.

The staging project is built by an engine (mkdocs-material or Zensical) that
turns Markdown into HTML, raw HTML included. A document can carry raw HTML
(`<script>`, `onerror=`), Markdown links to `javascript:` URLs or attr_list
attributes (`{: onclick=... }`), whatever the `unsafe-html` rule says. So the
HTML of each page goes through ``isodocs.text.sanitize.sanitize_html`` (nh3) as the
last step of the Markdown conversion: after raw HTML is put back, before the
engine's search index and templates see it.

Pages isodocs generates itself (dashboard, register, matrices, SoA, calendar)
carry inline SVG charts, which the sanitiser would drop; they are exempt. They
prove it with a line holding a token made at random in this process, which no
document can know. The line is removed before conversion.

Pages carry blocks of finished HTML isodocs wrote itself (the control block,
the revision table and the print banner of document pages, the tables of the
generated pages; every value in them escaped by isodocs): Markdown would parse
them again for nothing, and they were most of the engine's work on a page.
Such a block stands between two lines that hold the same process token
(``html_block``); the extension takes it out of the text, leaves a placeholder
paragraph (holding the token too) that no other processor reads, and puts the
block in its place once the page is converted and sanitised. A document cannot
forge a block without the token. The blocks are not sanitised again: isodocs
writes those of document pages as the sanitiser writes HTML (site/pages.py), and
a property test checks that sanitising a finished document page changes
nothing, whatever its front matter holds.

It also guards the links of document pages (``site/mdlinks.py``): a link or
image whose target is not a file of the staging project becomes its text and
a "not published" note, whatever Markdown or HTML form produced it.

This is a Python-Markdown extension, not a MkDocs plugin: both engines load it
from the staging mkdocs.yml's ``markdown_extensions``.
"""

from __future__ import annotations

import re
import secrets
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension, Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from isodocs.site import mdlinks
from isodocs.text.sanitize import sanitize_html

EXTENSION = "isodocs.site.mdsanitize"
# One token per process: a live preview re-renders with the same one, so
# unchanged generated pages stay unchanged in the staging project.
PROCESS_TOKEN = secrets.token_hex(16)


def trusted_line(token: str = PROCESS_TOKEN) -> str:
    """The line that exempts a generated page from sanitising."""
    return f"<!-- isodocs-generated {token} -->"


def mark_trusted(markdown: str, token: str = PROCESS_TOKEN) -> str:
    """``markdown`` with the exemption line after its front matter (if any)."""
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 4)
        if end != -1:
            split = end + len("\n---\n")
            return markdown[:split] + trusted_line(token) + "\n" + markdown[split:]
    return trusted_line(token) + "\n" + markdown


def mark_page(body: str, page: str, token: str = PROCESS_TOKEN) -> str:
    """A document's ``body`` with the line that names its page for the link guard (see site/mdlinks.py)."""
    return body.rstrip("\n") + "\n\n" + mdlinks.page_line(page, token) + "\n"


def _block_start(token: str) -> str:
    return f"<!-- isodocs-html {token} -->"


def _block_end(token: str) -> str:
    return f"<!-- /isodocs-html {token} -->"


def html_block(html: str, token: str = PROCESS_TOKEN) -> str:
    """Staged lines that make the extension insert ``html`` as it is, unparsed.

    ``html`` is isodocs' own, with every value escaped (so it cannot hold the
    end line, a comment); it ends up in the page as one block-level element.
    """
    return f"\n{_block_start(token)}\n{html}\n{_block_end(token)}\n\n"


class _HtmlBlocks(Preprocessor):
    """Takes each ``html_block`` out of the lines, leaving a placeholder paragraph in its place."""

    def __init__(self, md: Markdown, extension: SanitizeExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        token = self.extension.getConfig("token")
        start = _block_start(token)
        if not token or start not in lines:  # no token configured: nothing can be trusted
            return lines
        end = _block_end(token)
        out: list[str] = []
        position = 0
        while True:
            try:
                begin = lines.index(start, position)
                finish = lines.index(end, begin + 1)
            except ValueError:
                break
            out += lines[position:begin]
            out += ["", self.extension.store("\n".join(lines[begin + 1 : finish])), ""]
            position = finish + 1
        out += lines[position:]
        return out


class _BlockParagraph(BlockProcessor):
    """A block that is one of isodocs' placeholders becomes a paragraph no other processor reads.

    The same ``<p>`` the paragraph processor would make, with its text atomic: the
    block processors' tests and the inline patterns would only find nothing in it.
    """

    def __init__(self, parser: BlockParser, extension: SanitizeExtension) -> None:
        super().__init__(parser)
        self.extension = extension

    def test(self, parent: etree.Element, block: str) -> bool:
        return block in self.extension.placeholders

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        etree.SubElement(parent, "p").text = AtomicString(blocks.pop(0))


class _TrustMarker(Preprocessor):
    def __init__(self, md: Markdown, extension: SanitizeExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        marker = trusted_line(self.extension.getConfig("token"))
        self.extension.trusted = marker in lines
        return [line for line in lines if line != marker] if self.extension.trusted else lines


class _PageLine(Preprocessor):
    """Takes out the line naming the document page being converted, and tells the link guard."""

    def __init__(self, md: Markdown, extension: SanitizeExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        token = self.extension.getConfig("token")
        guard = self.extension.guard
        guard.page = None
        out = []
        for line in lines:
            page = mdlinks.read_page_line(line, token) if line.startswith("<!-- isodocs-page ") else None
            if page is None:
                out.append(line)
            else:
                guard.page = page
        return out


class _GuardTree(Treeprocessor):
    """Links of the element tree to files that are not published become text (see site/mdlinks.py)."""

    def __init__(self, md: Markdown, extension: SanitizeExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        if self.extension.guard.page is not None:
            mdlinks.guard_tree(root, self.extension.guard)


class _KeptLinks(Treeprocessor):
    """Remembers the tree's links as the engine left them, for the raw-HTML pass."""

    def __init__(self, md: Markdown, extension: SanitizeExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        if self.extension.guard.page is not None:
            mdlinks.collect_kept(self.extension.guard)


class _Sanitize(Postprocessor):
    """Sanitises the page (unless it is trusted), then puts isodocs' blocks in.

    The blocks are isodocs' own, every value escaped and written as the sanitiser
    writes it (tests check that sanitising a finished page changes nothing), so
    they are inserted after it: sanitising them again cost a third of its time.
    """

    def __init__(self, md: Markdown, extension: SanitizeExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        if not self.extension.trusted:
            text = mdlinks.guard_html(sanitize_html(text), self.extension.guard)
        return self.extension.insert_blocks(text) if self.extension.blocks else text


class SanitizeExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "token": ["", "Token of the generated pages exempt from sanitising"],
            "published": [[], "The staging project's files under docs/: what a document's link may point to"],
        }
        self.trusted = False
        self.blocks: list[str] = []  # isodocs' HTML blocks of the page being converted
        self.placeholders: dict[str, int] = {}  # placeholder -> index in blocks
        super().__init__(**kwargs)
        self.guard = mdlinks.LinkGuard(mdlinks.published_set(self.getConfig("published")))

    def store(self, html: str) -> str:
        """The placeholder that stands for ``html`` until the page is sanitised."""
        placeholder = f"isodocs-html-{self.getConfig('token')}-{len(self.blocks)}"
        self.placeholders[placeholder] = len(self.blocks)
        self.blocks.append(html)
        return placeholder

    def insert_blocks(self, text: str) -> str:
        # As a paragraph of its own, where the block parser put it (the sanitiser keeps
        # such a paragraph as it is); anywhere else (in a code block of a document that
        # leaves a fence open, say), as Python-Markdown's HTML stash would put it.
        # The postprocessors also run on each heading for the table of contents: most
        # texts hold no placeholder.
        prefix = f"isodocs-html-{self.getConfig('token')}-"
        if prefix not in text:
            return text

        def block(match: re.Match[str]) -> str:
            index = self.placeholders.get(match.group(1) or match.group(2))
            return match.group(0) if index is None else self.blocks[index]

        placeholder = re.escape(prefix) + "[0-9]+"
        return re.sub(f"<p>({placeholder})</p>|({placeholder})", block, text)

    def extendMarkdown(self, md: Markdown) -> None:
        # Preprocessors run highest priority first: look before anything else does.
        md.preprocessors.register(_TrustMarker(md, self), "isodocs_trust", 100)
        md.preprocessors.register(_PageLine(md, self), "isodocs_page", 99)
        # After whitespace normalisation (30), so that the blocks are taken as written,
        # and before fenced code (25) and raw HTML (20) see the lines.
        md.preprocessors.register(_HtmlBlocks(md, self), "isodocs_html_blocks", 29.5)
        # Before every other block processor (the highest, "empty", is 100).
        md.parser.blockprocessors.register(_BlockParagraph(md.parser, self), "isodocs_html_blocks", 110)
        # Links: after the inline patterns (20) and attr_list (8), before the table of contents (5)
        # and MkDocs' link rewriting ("relpath", 0); what they became is read after both.
        md.treeprocessors.register(_GuardTree(md, self), "isodocs_links", 6)
        md.treeprocessors.register(_KeptLinks(md, self), "isodocs_kept_links", -1)
        # Postprocessors too: raw HTML comes back at 30; sanitise after everything.
        md.postprocessors.register(_Sanitize(md, self), "isodocs_sanitize", 0)
        md.registerExtension(self)

    def reset(self) -> None:
        self.guard.page = None
        self.guard.kept = set()
        self.guard.checked = []
        self.trusted = False
        self.blocks = []
        self.placeholders = {}


def makeExtension(**kwargs: Any) -> SanitizeExtension:
    return SanitizeExtension(**kwargs)
