"""Links to withheld files, decided on the page as the engine parsed it.

A published page may link to a file that is not published (a draft, a
confidential procedure). ``site/markdown.py`` rewrites the usual Markdown
forms of such links before the engine sees the page (and collects the
attachments the page needs), but a pattern over lines cannot know every form
Python-Markdown resolves: link text over two lines, a reference definition
inside a block quote or a list, a site-absolute ``/policies/secret.md``, a
``<a href>`` in raw HTML, an ``href`` set with attr_list. So the sanitising
extension (``site/mdsanitize.py``) also runs this guard on every document page:

- after the inline patterns and attr_list, before the table of contents and
  MkDocs' own link rewriting, every ``href`` and ``src`` in the element tree is
  resolved against the page's path; a link whose target is not a file of the
  staging project (which holds only what may be published) becomes its text
  followed by the "not published" note; an image, its alt text and the note;
- after the sanitiser, the same is done for the links of raw HTML (which the
  element tree does not hold) and ``cite`` attributes.

The guard needs the page's path (a line holding the process token and the
path, which ``site/markdown.py`` appends to each document body and which a
document cannot forge) and the list of the staging project's files (the
extension's ``published`` option, written into the staging mkdocs.yml). A page
without that line is not a document (the owner's guide, the rule reference):
its links are isodocs' own and are left alone.
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable
from urllib.parse import quote, unquote, urlsplit

from markdown import util

from isodocs.site.markdown import NOT_PUBLISHED

_PAGE_PREFIX = "<!-- isodocs-page "
# Python-Markdown's placeholder of a backslash-escaped character (as its unescape treeprocessor reads it).
_ESCAPED = re.compile(f"{util.STX}([0-9]+){util.ETX}")


def page_line(page: str, token: str) -> str:
    """The line that tells the guard which page it converts (the path %-encoded: one line, no "-->")."""
    return f"{_PAGE_PREFIX}{token} {quote(page.encode('utf-8', 'surrogateescape'), safe='/')} -->"


def read_page_line(line: str, token: str) -> str | None:
    """The page path of a ``page_line`` of this token, or None when ``line`` is not one."""
    prefix = f"{_PAGE_PREFIX}{token} "
    if not token or not line.startswith(prefix) or not line.endswith(" -->"):
        return None
    return unquote(line[len(prefix) : -len(" -->")])


# The ``published`` list of an extension config -> the same paths as a set. An engine makes
# the extension again for each page with the same list object: the set is built once.
_PUBLISHED_SETS: dict[int, tuple[list[str], frozenset[str]]] = {}


def published_set(paths: list[str]) -> frozenset[str]:
    """``paths`` as a frozenset, kept for the list object (which the entry holds, so its id stays its own)."""
    if not paths:
        return frozenset()
    cached = _PUBLISHED_SETS.get(id(paths))
    if cached is None or cached[0] is not paths:
        if len(_PUBLISHED_SETS) >= 4:  # a live preview's earlier configurations
            _PUBLISHED_SETS.clear()
        cached = (paths, frozenset(paths))
        _PUBLISHED_SETS[id(paths)] = cached
    return cached[1]


def _target_path(page: str, url: str) -> str | None:
    """The staging path a local URL names (None: it leaves the site), "" for a pure anchor or query.

    Backslashes count as slashes, as browsers read them; "/x" is from the site's root.
    """
    parts = urlsplit(url.strip().replace("\\", "/"))
    path = unquote(parts.path)
    if not path:
        return ""
    base = "" if path.startswith("/") else posixpath.dirname(page)
    joined = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    if joined == ".." or joined.startswith("../"):
        return None
    return "" if joined == "." else joined


def is_local(url: str) -> bool:
    """Whether ``url`` names a place on this site (no scheme, no host)."""
    parts = urlsplit(url.strip().replace("\\", "/"))
    return not parts.scheme and not parts.netloc


class LinkGuard:
    """Decides, for the links of one page, whether their targets are published."""

    def __init__(self, published: frozenset[str]) -> None:
        self.published = published
        self.page: str | None = None  # the page being converted, when it is a document
        self.kept: set[str] = set()  # the tree's links it kept, as they end up (the engine may rewrite them)
        self.checked: list[tuple[etree.Element, str]] = []  # the tree's links it kept: element, attribute

    def keeps(self, url: str | None) -> bool:
        """Whether a link to ``url`` (as written in Markdown) may stay on the page."""
        if url is None or self.page is None or not is_local(url):
            return True
        path = _target_path(self.page, url)
        return path == "" or (path is not None and path in self.published)

    def keeps_raw(self, url: str) -> bool:
        """``keeps`` for a link of raw HTML, which the engine does not rewrite: a page's URL form counts too."""
        if url in self.kept or self.keeps(url):  # most of them: the tree's links, checked already
            return True
        path = _target_path(self.page or "", url)
        if not path:
            return False
        stem = path[: -len(".html")] if path.endswith(".html") else path
        guesses = {stem + ".md", posixpath.join(stem, "index.md"), posixpath.join(stem, "README.md")}
        # A URL relative to the page's own URL (a/b.md is served as a/b/): one folder deeper.
        deeper = _target_path(posixpath.join(self.page or "", "x"), url) if not url.startswith("/") else None
        if deeper:
            guesses |= {deeper + ".md", posixpath.join(deeper, "index.md"), posixpath.join(deeper, "README.md")}
        return any(guess in self.published for guess in guesses)


def _unescape(value: str) -> str:
    """An attribute of the tree as the browser will read it: Python-Markdown's placeholders and references decoded.

    (An e-mail autolink's href is character references behind AMP_SUBSTITUTE; "&#120;" in a
    link is written out as it is, and read as "x".)
    """
    if util.STX in value:
        value = _ESCAPED.sub(lambda m: chr(int(m.group(1))), value.replace(util.AMP_SUBSTITUTE, "&"))
    return html.unescape(value) if "&" in value else value


def _note() -> etree.Element:
    """The "not published" note as an element."""
    return etree.fromstring(NOT_PUBLISHED)


def _add_text(parent: etree.Element, index: int, text: str) -> None:
    """Add ``text`` where the child at ``index`` of ``parent`` would start (after the child before it)."""
    if not text:
        return
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        before = parent[index - 1]
        before.tail = (before.tail or "") + text


def unpublish_in_tree(parent: etree.Element, element: etree.Element) -> None:
    """Replace a link or image of ``parent`` with its text (an image: its alt text) and the note."""
    index = list(parent).index(element)
    parent.remove(element)
    if element.tag == "img":
        text, children = (element.get("alt") or "").strip() or "image", []
    else:
        text, children = element.text or "", list(element)
        if not children and not text.strip():
            text = "link"
    _add_text(parent, index, text)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    note = _note()
    note.tail = element.tail
    position = index + len(children)
    _add_text(parent, position, " ")
    parent.insert(position, note)


def guard_tree(root: etree.Element, guard: LinkGuard) -> None:
    """Rewrite the tree's links and images to files that are not published."""
    withheld: list[tuple[etree.Element, etree.Element]] = []
    for parent in root.iter():
        for child in parent:
            for name in ("href", "src"):
                value = child.get(name)
                if value is None:
                    continue
                if guard.keeps(_unescape(value)):
                    guard.checked.append((child, name))
                    continue
                if child.tag in ("a", "img") and (name == "href") == (child.tag == "a"):
                    withheld.append((parent, child))
                else:
                    del child.attrib[name]  # e.g. attr_list's {: src=... } on an element that is no link
    for parent, child in withheld:
        unpublish_in_tree(parent, child)


def collect_kept(guard: LinkGuard) -> None:
    """Remember the links the tree pass kept as they end up, so the raw-HTML pass knows them for its own.

    Only those: a link another extension added to the tree after the guard's pass is not believed.
    """
    for element, name in guard.checked:
        value = element.get(name)
        if value is not None:
            guard.kept.add(value)
    guard.checked = []


# Sanitised HTML is regular (html5ever's serialiser): attributes as name="value" with " escaped,
# and no <a> inside an <a>. So these patterns read it exactly; they never see raw input.
_RAW_LINK = re.compile(r'<a\b([^>]*?)\shref="([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)
_RAW_IMAGE = re.compile(r'<img\b([^>]*?)\ssrc="([^"]*)"([^>]*)>')
_ALT = re.compile(r'\salt="([^"]*)"')
_CITE = re.compile(r'\scite="([^"]*)"')


def guard_html(text: str, guard: LinkGuard) -> str:
    """Sanitised HTML with its links (from raw HTML) to unpublished files replaced by their text and the note."""
    if guard.page is None or ("href=" not in text and "src=" not in text and "cite=" not in text):
        return text

    def link(match: re.Match[str]) -> str:
        if guard.keeps_raw(html.unescape(match.group(2))):
            return match.group(0)
        inner = match.group(4)
        return f"{inner if inner.strip() else 'link'} {NOT_PUBLISHED}"

    def image(match: re.Match[str]) -> str:
        if guard.keeps_raw(html.unescape(match.group(2))):
            return match.group(0)
        alt = _ALT.search(match.group(1) + match.group(3))
        return f"{alt.group(1).strip() if alt and alt.group(1).strip() else 'image'} {NOT_PUBLISHED}"

    def cite(match: re.Match[str]) -> str:
        return match.group(0) if guard.keeps_raw(html.unescape(match.group(1))) else ""

    text = _RAW_LINK.sub(link, text) if "href=" in text else text
    text = _RAW_IMAGE.sub(image, text) if "src=" in text else text
    return _CITE.sub(cite, text) if "cite=" in text else text


def published_paths(files: Iterable[str], docs: str = "docs") -> list[str]:
    """The staging project's files under ``docs/``, as paths from there: what a link may point to."""
    prefix = docs + "/"
    return sorted(path[len(prefix) :] for path in files if path.startswith(prefix))
