"""Line-level scanning of Markdown bodies: which lines are prose, with code removed.

Rules that look for things in the text (links, raw HTML, placeholders) must skip
code: a fenced block or a code span showing ``<script>`` is an example, not HTML.
Everything here is linear in the length of the body, whatever it holds: a
contributor can push a 4 MB line of backticks or brackets, and a check must not
hang on it (no regular expression here can backtrack quadratically).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
BACKTICKS = re.compile(r"`+")


def prose_lines(body: str, indented_code: bool = True) -> Iterator[tuple[int, str]]:
    """(0-based line index, text) of the lines outside fenced code blocks, code spans removed.

    With ``indented_code`` a line indented by four spaces or a tab is taken as an
    indented code block and skipped (the cautious reading for links; a rule that
    looks for danger passes False, since inside a list the same line is HTML).
    """
    fence: str | None = None
    may_fence = may_hold_fence(body)  # most bodies hold none, and then no line needs the pattern
    for index, line in enumerate(body.split("\n")):
        match = FENCE.match(line) if may_fence else None
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
            elif marker.startswith(fence) and not line[match.end() :].strip():
                fence = None
            continue
        if fence is not None:
            continue
        if indented_code and line.startswith(("    ", "\t")):
            continue
        yield index, strip_code_spans(line)


def may_hold_fence(body: str) -> bool:
    """Whether ``body`` holds three backticks or tildes, which every fence starts with.

    A one-character search first: it costs a tenth of a three-character one, and
    most bodies hold no backtick and no tilde at all.
    """
    return ("`" in body and "```" in body) or ("~" in body and "~~~" in body)


@functools.cache
def _any_of(needles: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a few needles (the callers' all start with "]": the engine skips from one "]" to the next)."""
    return re.compile("|".join(re.escape(needle) for needle in needles))


def prose_lines_with(body: str, needles: tuple[str, ...], indented_code: bool = True) -> Iterator[tuple[int, str]]:
    """``prose_lines`` that hold any of ``needles`` in the body's text.

    Without a fence in the body no line's meaning depends on the lines before it,
    so only the lines holding a needle are looked at: found by one search for all
    the needles over the whole body, not by a Python loop over every line. (A needle
    found in a line may sit in a code span; the caller looks again in the stripped text.)
    """
    if may_hold_fence(body):
        for index, line in prose_lines(body, indented_code):
            if any(needle in line for needle in needles):
                yield index, line
        return
    if not needles:
        return
    pattern = _any_of(needles)
    found = pattern.search(body)
    index, counted = 0, 0
    while found:
        start = body.rfind("\n", 0, found.start()) + 1
        end = body.find("\n", found.end())
        index += body.count("\n", counted, start)
        counted = start
        line = body[start:] if end < 0 else body[start:end]
        if not (indented_code and line.startswith(("    ", "\t"))):
            yield index, strip_code_spans(line)
        # on from the next line: each line once, and the scan stays linear however long the line
        found = pattern.search(body, end + 1) if end >= 0 else None


def code_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each code span in a line, backticks included (CommonMark pairing, linear)."""
    if "`" not in line:
        return []
    runs = [(m.start(), m.end()) for m in BACKTICKS.finditer(line)]
    next_same: list[int | None] = [None] * len(runs)
    last_of_length: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        next_same[index] = last_of_length.get(length)
        last_of_length[length] = index
    spans = []
    index = 0
    while index < len(runs):
        closing = next_same[index]
        if closing is None:
            index += 1
            continue
        spans.append((runs[index][0], runs[closing][1]))
        index = closing + 1
    return spans


def strip_code_spans(line: str) -> str:
    """The line with its code spans removed (CommonMark: a run of n backticks up to the next run of n).

    A run with no closing run of the same length is literal text. Each span
    becomes one space, which keeps the words around it apart.
    """
    if "`" not in line:  # most lines: nothing to strip, and this runs for every line of every document
        return line
    pieces: list[str] = []
    position = 0
    for start, end in code_spans(line):
        pieces.append(line[position:start])
        pieces.append(" ")
        position = end
    pieces.append(line[position:])
    return "".join(pieces)
