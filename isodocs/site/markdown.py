"""Markdown helpers for the staging project: escaping, and rewriting links to withheld files.

A published page may link to a document that is not published (a draft, a
confidential procedure). Such a link must not reach the site as a broken link,
nor carry the withheld file's name in an ``href``: it is rewritten to its plain
link text followed by a "not published" note.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Callable, Sequence
from urllib.parse import quote, unquote

from isodocs.rules.references import SCHEME
from isodocs.text.mdtext import FENCE, code_spans

NOT_PUBLISHED = (
    '<span class="isodocs-unpublished" title="This document is not published on this site">(not published)</span>'
)

# [text](target "title") and ![alt](target); group 1 "!" or "", 2 text, 3 target
# Link text without bare "[" (one nested level allowed) and bounded targets and titles, as in
# rules/references.py: a line of 4 MB of "[" or "[a](" must not make the match quadratic.
INLINE_LINK = re.compile(
    r"(?<!\\)(!?)\[((?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)\]\(\s*(<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))+)"
    r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)"""
)
# [label]: target "title"
REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[([^\[\]]+)\]:\s*(<[^>]*>|\S+)")
# [text][label], [label][] and [label]
REFERENCE_USE = re.compile(r"(?<![\\\]])(!?)\[((?:[^\]\\]|\\.)*)\](?:\[([^\]]*)\])?(?![(:\[])")

# Braces too: attr_list reads a trailing "{: onclick=... }" in a heading, paragraph or table cell as attributes.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}|~])")

# Resolves a link target, relative to the page, to True (keep the link) or False (withheld).
Resolver = Callable[[str], bool]


def escape(text: str) -> str:
    """Text shown literally in Markdown, also inside a table cell."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False)).replace("\n", " ")


def attr(text: str) -> str:
    return html.escape(str(text), quote=True)


# What html_text changes, in either form.
_HTML_TEXT_SPECIAL = re.compile("[&<>\r\n\x02\x03\x00\xa0]")


def html_text(text: str, sanitised: bool = False) -> str:
    """Text shown literally in HTML (isodocs' own blocks, which Markdown does not parse).

    Without the characters that mark Python-Markdown's placeholders (STX, ETX), which
    it deletes from Markdown too. ``sanitised``: written as the sanitiser writes text
    (a no-break space as ``&nbsp;``, no NUL), for blocks the sanitiser does not see.
    """
    text = str(text)
    if not _HTML_TEXT_SPECIAL.search(text):  # most values: names, dates, titles
        return text
    text = html.escape(text, quote=False).replace("\r", " ").replace("\n", " ")
    if "\x02" in text or "\x03" in text:
        text = text.replace("\x02", "").replace("\x03", "")
    if sanitised and ("\xa0" in text or "\x00" in text):
        text = text.replace("\xa0", "&nbsp;").replace("\x00", "")
    return text


def html_attr(value: str, sanitised: bool = False) -> str:
    """An attribute value of isodocs' own HTML; ``sanitised``: as the sanitiser writes it (``'`` as it is)."""
    if not sanitised:
        return attr(value)
    value = html.escape(str(value), quote=False).replace('"', "&quot;")
    return value.replace("\xa0", "&nbsp;").replace("\x00", "\ufffd") if "\xa0" in value or "\x00" in value else value


def page_url(page: str, directory_urls: bool) -> str:
    """The URL of a staging page from the site's root, as MkDocs' ``File.url`` (and Zensical) make it.

    ``a/b.md`` is ``a/b/`` with directory URLs and ``a/b.html`` without;
    ``index.md`` and ``README.md`` are their folder's index.
    """
    folder, name = posixpath.split(page)
    stem = posixpath.splitext(name)[0]
    if stem == "README":
        stem = "index"
    if not directory_urls:
        return posixpath.join(folder, stem + ".html")
    if stem == "index":
        return (folder or ".") + "/"
    return posixpath.join(folder, stem) + "/"


def page_href(from_page: str, to_page: str, directory_urls: bool | None, anchor: str = "") -> str:
    """The ``href`` of a link from one staging page to another in HTML isodocs writes itself.

    MkDocs rewrites the ``.md`` links of the Markdown it converts (in the element
    tree), not those of stashed HTML: for it the link is the final URL, relative to
    the page's URL, for its ``use_directory_urls``. Zensical rewrites every relative
    link of the converted HTML as a link to a source file: for it
    (``directory_urls=None``) the link stays the ``.md`` path, as in Markdown.
    """
    if directory_urls is None:
        href = relative_url(from_page, to_page)
        if ":" in href.split("/", 1)[0]:  # "javascript:x.md" would read as a URL scheme
            href = "./" + href
        return href + (f"#{anchor}" if anchor else "")
    base = _url_parts(from_page, directory_urls)[0]
    _, target, folder = _url_parts(to_page, directory_urls)
    href = _relative_parts(base, target)
    if folder:
        href += "/"
    return quote(href) + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=1 << 16)
def _url_parts(page: str, directory_urls: bool) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """(parts of the folder a page's URL is relative to, parts of the URL, whether it ends with "/").

    Kept: a large site links each page from a dozen others (100,000 links at 10,000 documents).
    """
    url = page_url(page, directory_urls)
    folder = url.endswith("/")
    base = url if folder else posixpath.dirname(url)
    return (
        tuple(p for p in base.split("/") if p not in ("", ".")),
        tuple(p for p in url.split("/") if p not in ("", ".")),
        folder,
    )


def _is_plain_path(path: str) -> bool:
    """A relative path with no empty, "." or ".." part (nor a part starting with a dot)."""
    return bool(path) and not path.startswith("/") and not path.endswith("/") and "//" not in path and (
        "." not in path or "/." not in "/" + path
    )


def relative_url(from_page: str, to_page: str) -> str:
    """Relative link from one staging page (path under docs/) to another.

    The same as ``posixpath.relpath(to_page, dirname(from_page))``, which resolves
    both paths against the working directory first: a site links every page to
    others tens of thousands of times, so plain paths (all of them, in practice)
    are compared part by part instead.
    """
    if not (_is_plain_path(from_page) and _is_plain_path(to_page)):
        return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return _relative_parts(from_page.split("/")[:-1], to_page.split("/"))


def _relative_parts(start: Sequence[str], target: Sequence[str]) -> str:
    """The relative path from the folder whose parts are ``start`` to the path whose parts are ``target``."""
    common = 0
    for a, b in zip(start, target, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + list(target[common:])) or "."


def link_target_path(page: str, target: str) -> str | None:
    """The docs-relative path a relative link target names, or None when it leaves the project.

    ``target`` is as written (may carry an anchor, a query, <> or %-escapes).
    Returns "" for a pure anchor.
    """
    target = target.strip().strip("<>")
    file_part = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not file_part:
        return ""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), file_part))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined


def is_relative_link(target: str) -> bool:
    target = target.strip().strip("<>")
    return bool(target) and not target.startswith(("#", "/")) and not SCHEME.match(target)


def _outside_code(body: str) -> list[tuple[bool, str]]:
    """The body as (is_prose, line) pairs; fenced and indented code lines are not prose."""
    lines: list[tuple[bool, str]] = []
    fence: str | None = None
    may_fence = "```" in body or "~~~" in body  # what FENCE needs: most bodies have no fence
    for line in body.split("\n"):
        match = FENCE.match(line) if may_fence else None
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
            elif marker.startswith(fence):
                fence = None
            lines.append((False, line))
            continue
        lines.append((fence is None and not line.startswith("    "), line))
    return lines


def _map_prose(line: str, func: Callable[[str], str]) -> str:
    """Apply ``func`` to the parts of a line outside code spans."""
    out, last = [], 0
    for start, end in code_spans(line):  # linear: a regex for spans backtracks on long backtick runs
        out.append(func(line[last:start]))
        out.append(line[start:end])
        last = end
    out.append(func(line[last:]))
    return "".join(out)


def _plain(text: str) -> str:
    """Link text shown without its link."""
    return text.strip() or "link"


def rewrite_withheld_links(body: str, keep: Resolver) -> tuple[str, int]:
    """Replace relative links that ``keep`` rejects with their text and a note.

    Returns the new body and how many links were rewritten. Every link, reference
    definition and reference holds "[": lines without one are left as they are.
    """
    if "[" not in body:
        return body, 0
    lines = _outside_code(body)
    withheld_labels: set[str] = set()
    for prose, line in lines:
        if prose and "[" in line:
            definition = REFERENCE_DEFINITION.match(line)
            if definition and is_relative_link(definition.group(2)) and not keep(definition.group(2)):
                withheld_labels.add(definition.group(1).strip().lower())
    count = 0

    def inline(segment: str) -> str:
        def replace(match: re.Match[str]) -> str:
            nonlocal count
            target = match.group(3)
            if not is_relative_link(target) or keep(target):
                return match.group(0)
            count += 1
            return f"{_plain(match.group(2))} {NOT_PUBLISHED}"

        segment = INLINE_LINK.sub(replace, segment)
        if withheld_labels:

            def replace_reference(match: re.Match[str]) -> str:
                nonlocal count
                text, label = match.group(2), match.group(3)
                key = (label or text).strip().lower()
                if key not in withheld_labels:
                    return match.group(0)
                count += 1
                return f"{_plain(text)} {NOT_PUBLISHED}"

            segment = REFERENCE_USE.sub(replace_reference, segment)
        return segment

    out: list[str] = []
    for prose, line in lines:
        if not prose or "[" not in line:
            out.append(line)
            continue
        definition = REFERENCE_DEFINITION.match(line)
        if definition and definition.group(1).strip().lower() in withheld_labels:
            count += 0  # the uses were counted; the definition itself just goes
            continue
        out.append(_map_prose(line, inline))
    return "\n".join(out), count


def relative_targets(body: str) -> list[str]:
    """Every relative link target of a body, outside code."""
    targets: list[str] = []
    for prose, line in _outside_code(body):
        if not prose:
            continue
        definition = REFERENCE_DEFINITION.match(line)
        if definition:
            targets.append(definition.group(2))

        def collect(segment: str) -> str:
            targets.extend(m.group(3) for m in INLINE_LINK.finditer(segment))
            return segment

        _map_prose(line, collect)
    return [t for t in targets if is_relative_link(t)]


def first_heading(body: str) -> tuple[str | None, str]:
    """(text of a leading H1, body without it), or (None, body) when it does not start with one."""
    stripped = body.lstrip("\n")
    first, _, rest = stripped.partition("\n")
    if first.startswith("# ") and not first.startswith("#!"):
        return first[2:].strip().rstrip("#").strip(), rest
    return None, body
