"""What ``isodocs import`` changes in a source body so that the site renders it as its tool did.

Every change is reported (``BodyChange``); nothing else in the body is touched.

- Lists: comply (rendered by pandoc) writes ordered lists with letter and roman
  markers (``a.``, ``i.``) and nests them by 2 to 4 spaces. Python-Markdown, which
  builds the site, knows only ``1.``/``-`` markers and nests by 4 spaces: ``a.``
  became a literal paragraph and a nested item after a blank line an indented code
  block that cut the text off. Letter and roman markers become ``1.`` (an ordered
  list renders with or without ``pymdownx.fancylists``) and each nesting level is
  indented by 4 spaces.
- Headings: comply's bodies start with their first section as ``# Purpose and
  Scope`` while the title is in the front matter; the site takes a leading H1 as
  the page heading. The title becomes the H1 and the body's headings move one
  level down.
- What still will not render (Docusaurus admonitions, MDX imports and components,
  comply's ``{{.Name}}`` template fields) is listed, not changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FENCE = re.compile(r"^\s*(```|~~~)")
LIST_ITEM = re.compile(
    r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)]|[a-zA-Z][.)]|[ivxIVX]{2,6}[.)])(?P<rest>[ \t]+\S.*)$"
)
FANCY_MARKER = re.compile(r"^([a-zA-Z]|[ivxIVX]{2,6})[.)]$")
ATX = re.compile(r"^(#{1,6})(\s+\S.*|\s*)$")
THEMATIC_BREAK = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")  # "* * *" and "- - -" are rules, not list items
NOT_RENDERED = (
    (re.compile(r"^\s*:::\s*\w"), "Docusaurus admonitions (:::note ... :::); rewrite them as !!! note blocks"),
    (re.compile(r"^\s*(import|export)\s+.+\s+from\s+['\"]"), "MDX import/export lines; remove them"),
    (re.compile(r"^\s*<[A-Z][A-Za-z]*[\s/>]"), "MDX components (<Tabs>, <TabItem> ...); rewrite them as Markdown"),
    (re.compile(r"\{\{\s*\.\w+\s*\}\}"), "comply template fields ({{.Name}}); write the value in"),
)


@dataclass(frozen=True)
class BodyChange:
    kind: str  # converted | flagged
    text: str
    topic: str


def _indent_width(indent: str) -> int:
    return len(indent.expandtabs(4))


def convert_lists(body: str) -> tuple[str, list[BodyChange]]:
    """Letter/roman list markers as ``1.`` and nested list items indented 4 spaces per level."""
    lines = body.splitlines(keepends=True)
    fancy = sum(1 for line in lines if (m := LIST_ITEM.match(line)) and FANCY_MARKER.match(m.group("marker")))
    convert_fancy = fancy >= 2 or any(re.match(r"^\s*[a-z][.)]\s", line) for line in lines)  # "A. Smith" is prose
    stack: list[int] = []  # source indents of the open list items, outermost first
    in_fence = in_code = False
    previous_blank = True
    markers = reindented = 0
    out: list[str] = []
    for line in lines:
        text = line.rstrip("\r\n")
        ending = line[len(text) :]
        if FENCE.match(text):
            in_fence = not in_fence
        if in_fence or FENCE.match(text):
            out.append(line)
            previous_blank = False
            continue
        if not text.strip():
            out.append(line)
            previous_blank = True
            continue
        width = _indent_width(text[: len(text) - len(text.lstrip())])
        if (in_code and width >= 4) or (not stack and width >= 4 and previous_blank):
            in_code = True  # an indented code block outside lists (and its lines) stays as written
            out.append(line)
            previous_blank = False
            continue
        in_code = False
        match = None if THEMATIC_BREAK.match(text) else LIST_ITEM.match(text)
        is_fancy = bool(match and FANCY_MARKER.match(match.group("marker")))
        if match and ((is_fancy and not convert_fancy) or not (stack or previous_blank)):
            match = None  # not a list item, or one that continues a paragraph (no list starts there)
        if match:
            while stack and width < stack[-1] - 1:
                stack.pop()
            if stack and width <= stack[-1] + 1:
                stack.pop()  # a sibling of the item it replaces
            level = len(stack)
            stack.append(width)
            marker = "1." if is_fancy else match.group("marker")
            markers += is_fancy
            new = " " * (4 * level) + marker + match.group("rest")
            reindented += width != 4 * level
            out.append(new + ending)
        elif stack and width > 0 and not previous_blank:
            out.append(line)  # a lazy continuation line of the current item: as it is
        elif stack and width > 0:
            while stack and width <= stack[-1]:
                stack.pop()
            new_width = 4 * len(stack)  # a further paragraph of the item: indented to its level
            reindented += new_width != width
            out.append(" " * new_width + text.lstrip() + ending)
        else:
            if previous_blank or ATX.match(text):
                stack.clear()
            out.append(line)
        previous_blank = False
    changes: list[BodyChange] = []
    if markers:
        changes.append(
            BodyChange(
                "converted",
                f"{markers} a./i. list markers written as 1. (numbered lists)",
                "comply-style a./i. list markers written as numbered lists",
            )
        )
    if reindented:
        changes.append(
            BodyChange(
                "converted",
                f"{reindented} list lines indented 4 spaces per nesting level",
                "nested lists re-indented to 4 spaces (else code blocks)",
            )
        )
    return "".join(out), changes


def title_heading(body: str, title: str) -> tuple[str, list[BodyChange]]:
    """Put the title first as the H1 when the body starts with another H1 (its first section)."""
    lines = body.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return body, []
    match = ATX.match(lines[first].rstrip("\r\n"))
    if not match or len(match.group(1)) != 1 or match.group(2).strip().rstrip("#").strip() == title:
        return body, []
    in_fence = False
    for index, line in enumerate(lines):
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (heading := ATX.match(line.rstrip("\r\n"))) and len(heading.group(1)) < 6:
            lines[index] = "#" + line
    ending = "\r\n" if lines[first].endswith("\r\n") else "\n"
    text = f"# {title}{ending}{ending}" + "".join(lines)
    change = BodyChange(
        "converted",
        f"title {title!r} added as the first heading; the body's headings moved down a level",
        "title added as the first heading, the body's headings one level down",
    )
    return text, [change]


def not_rendered(body: str) -> list[BodyChange]:
    """What the site will show as plain text: one remark per kind found."""
    found: list[BodyChange] = []
    in_fence = False
    seen: set[str] = set()
    for number, line in enumerate(body.splitlines(), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for pattern, what in NOT_RENDERED:
            if what not in seen and pattern.search(line):
                seen.add(what)
                found.append(
                    BodyChange("flagged", f"will not render: {what} (body line {number})", f"will not render: {what}")
                )
    return found
