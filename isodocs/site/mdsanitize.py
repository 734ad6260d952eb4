"""The Python-Markdown extension that sanitises every document page of the site.

The staging project is built by an engine (mkdocs-material or Zensical) that
turns Markdown into HTML, raw HTML included. A document can carry raw HTML
(`<script>`, `onerror=`), Markdown links to `javascript:` URLs or attr_list
attributes (`{: onclick=... }`), whatever the `unsafe-html` rule says. So the
HTML of each page goes through ``isodocs.sanitize.sanitize_html`` (nh3) as the
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
(``html_block``); the extension hands it to Python-Markdown's HTML stash, which
puts it back unparsed after conversion. A document cannot forge a block without
the token, and a document page is still sanitised as a whole afterwards, blocks
included.

This is a Python-Markdown extension, not a MkDocs plugin: both engines load it
from the staging mkdocs.yml's ``markdown_extensions``.
"""

from __future__ import annotations

import secrets
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from isodocs.sanitize import sanitize_html

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
    """Moves each ``html_block`` into the HTML stash, leaving its placeholder as a paragraph."""

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
            placeholder = self.md.htmlStash.store("\n".join(lines[begin + 1 : finish]))
            out += ["", placeholder, ""]
            position = finish + 1
        out += lines[position:]
        return out


class _TrustMarker(Preprocessor):
    def __init__(self, md: Markdown, extension: SanitizeExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        marker = trusted_line(self.extension.getConfig("token"))
        self.extension.trusted = marker in lines
        return [line for line in lines if line != marker] if self.extension.trusted else lines


class _Sanitize(Postprocessor):
    def __init__(self, md: Markdown, extension: SanitizeExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        return text if self.extension.trusted else sanitize_html(text)


class SanitizeExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"token": ["", "Token of the generated pages exempt from sanitising"]}
        self.trusted = False
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # Preprocessors run highest priority first: look before anything else does.
        md.preprocessors.register(_TrustMarker(md, self), "isodocs_trust", 100)
        # After whitespace normalisation (30), which deletes the stash's placeholder
        # characters, and before fenced code (25) and raw HTML (20) see the lines.
        md.preprocessors.register(_HtmlBlocks(md, self), "isodocs_html_blocks", 29.5)
        # Postprocessors too: raw HTML comes back at 30; sanitise after everything.
        md.postprocessors.register(_Sanitize(md, self), "isodocs_sanitize", 0)
        md.registerExtension(self)

    def reset(self) -> None:
        self.trusted = False


def makeExtension(**kwargs: Any) -> SanitizeExtension:
    return SanitizeExtension(**kwargs)
