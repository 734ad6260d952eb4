"""Content rules: what the text of a document must not hold.

- ``unsafe-html``: raw HTML that could run script in the published site;
- ``title-markup``, ``name-markup``: HTML markup or a line break in a document's title,
  or in a name isodocs.yml or a catalogue gives (organisation, people, standard);
- ``secret-in-document``: a credential pasted into a document;
- ``placeholder``: an approved document that still holds template or to-do text.

All scanning is linear in the size of the body (see ``isodocs.text.mdtext``): no
regular expression here can backtrack over a long line, so a hostile 4 MB
document is checked in well under a second.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator

from isodocs.model import Document, ManagementSystem, Severity
from isodocs.model.config import CONFIG_FILE
from isodocs.rules.references import INLINE_LINK, REFERENCE_DEFINITION
from isodocs.rules.registry import DocumentContext, Hit, document_rule, system_rule
from isodocs.text.mdtext import prose_lines

# --------------------------------------------------------------------------- unsafe-html

# Elements that run or embed active content, or redirect the page (base, meta refresh).
UNSAFE_ELEMENTS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta")
# A tag runs from "<name" to the next ">" or "<" (so the scan never backtracks); it may span lines.
TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)(>?)")
EVENT_HANDLER = re.compile(r"(?:^|[\s/\"'])(on[a-z]+)\s*=", re.IGNORECASE)
# Python-Markdown's attr_list syntax puts attributes on elements: "# Title {: onclick=... }".
ATTR_LIST = re.compile(r"\{:?([^{}\n]*)\}")
AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]*)>")
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
# Browsers ignore tabs, newlines and control characters inside a URL scheme ("java\tscript:").
URL_NOISE = re.compile(r"[\x00-\x20]+")


def _dangerous_url(value: str) -> bool:
    cleaned = URL_NOISE.sub("", html.unescape(value)).lower()
    return cleaned.startswith(DANGEROUS_SCHEMES) or any(
        f"={quote}{scheme}" in cleaned for scheme in DANGEROUS_SCHEMES for quote in ('"', "'", "")
    )


def _without_comments(text: str) -> str:
    """HTML comments blanked out (kept the same length, so offsets still map to lines)."""
    out, position = [], 0
    while True:
        start = text.find("<!--", position)
        if start < 0:
            break
        end = text.find("-->", start + 4)
        end = len(text) if end < 0 else end + 3
        out.append(text[position:start])
        out.append("".join(c if c == "\n" else " " for c in text[start:end]))
        position = end
    out.append(text[position:])
    return "".join(out)


def unsafe_html_problems(body: str) -> Iterator[tuple[int, str]]:
    """(0-based line, what) for every piece of raw HTML in ``body`` that could run script.

    Code blocks and code spans are skipped (they are shown, not rendered); lines
    indented by four spaces are scanned, since inside a list they are HTML.
    """
    if not _may_hold_html(body):
        return
    lines = [""] * (body.count("\n") + 1)
    for index, text in prose_lines(body, indented_code=False):
        lines[index] = text
    prose = _without_comments("\n".join(lines))
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", prose))

    def line_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset) - 1

    for match in TAG.finditer(prose):
        name, attributes = match.group(1).lower(), match.group(2)
        if name in UNSAFE_ELEMENTS:
            yield line_of(match.start()), f"<{name}> element"
            continue
        if not match.group(3):  # "<y and z" without ">" is text, not a tag
            continue
        handler = EVENT_HANDLER.search(attributes)
        if handler:
            yield line_of(match.start()), f"{handler.group(1).lower()}= event handler on <{name}>"
        elif _dangerous_url(attributes):
            yield line_of(match.start()), f"script URL in an attribute of <{name}>"
    for index, text in enumerate(prose.split("\n")):
        if "{" in text:
            for match in ATTR_LIST.finditer(text):
                handler = EVENT_HANDLER.search(match.group(1))
                if handler:
                    yield index, f"{handler.group(1).lower()}= event handler in an attribute list"
                elif _dangerous_url(match.group(1)):
                    yield index, "script URL in an attribute list"
        lowered = text.lower()
        # Every dangerous URL holds "script" or "data:" unless written with character references.
        if "script" not in lowered and "data:" not in lowered and "&" not in text:
            continue
        targets = [m.group(2) for m in INLINE_LINK.finditer(text)]
        targets += [m.group(1) for m in AUTOLINK.finditer(text)]
        definition = REFERENCE_DEFINITION.match(text)
        if definition:
            targets.append(definition.group(1))
        if any(_dangerous_url(target.strip("<>")) for target in targets):
            yield index, "link to a script URL (javascript:)"


def _may_hold_html(body: str) -> bool:
    """Whether ``body`` holds any character sequence the scan below looks for.

    Most documents hold none: one pass over the whole text then saves splitting
    it into lines and scanning each (the check's largest cost at 10,000 documents).
    Prose lines are pieces of the body, so what is not in the body is in no line.
    """
    if "<" in body or "{" in body or "&" in body:
        return True
    # What is left is a link to a dangerous URL: each scheme ends in ":", and without a "&" no character
    # reference can write one, nor can lower() or dropping control characters make one. Most bodies hold
    # no ":" at all, and this one-character search spares lowering the body and two searches.
    if ":" not in body:
        return False
    lowered = body.lower()
    return "script" in lowered or "data:" in lowered


@document_rule("unsafe-html", Severity.ERROR)
def unsafe_html(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """Raw HTML that could run script on the published site (script tags, on*= handlers, javascript: URLs).

    Remove the element or attribute; to show a video or a form, link to it instead. The site strips such
    HTML anyway, so leaving it in means readers do not see the document as it was approved.
    """
    reported: set[int] = set()
    for index, what in unsafe_html_problems(doc.body):
        if index in reported:
            continue
        reported.add(index)
        yield Hit(
            f"{what}: raw HTML that could run script on the published site; remove it. "
            "The site strips it anyway, so readers would not see the document as approved",
            doc.body_line + index,
        )


# --------------------------------------------------------------------------- title-markup, name-markup

# What a browser would read as markup in text: a tag, a comment or declaration, or a
# character reference. A lone "<" ("a < b") or "&" ("Health & Safety") is text.
MARKUP = re.compile(r"<[A-Za-z/!?]|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
# Line breaks of any kind (YAML keeps them in a quoted "\n" or a block scalar).
LINE_BREAK = re.compile("[\r\n\x0b\x0c\x85\u2028\u2029]")


def label_problem(text: str) -> tuple[Severity, str] | None:
    """What is wrong with a one-line label shown as text on the site (a title, a name), or None.

    An error for a line break (a label is one line: it broke the Zensical build) and for
    markup that could run script; a warning for other markup (shown as literal text).
    """
    found = LINE_BREAK.search(text)
    if found:
        # A folded ">" block keeps the final line break: the text itself is on one line.
        hint = " (a folded '>' block ends with one: use '>-')" if found.start() == len(text.rstrip("\r\n")) else ""
        return Severity.ERROR, f"holds a line break; write it on one line{hint}"
    if not MARKUP.search(text):
        return None
    script = next(unsafe_html_problems(text), None)
    if script is not None:
        return Severity.ERROR, (
            f"holds HTML that could run script ({script[1]}); the site shows it as text and never runs it, "
            "but remove it"
        )
    return Severity.WARNING, (
        "holds HTML markup; the site shows it as literal text, not as formatting: write it as plain text"
    )


@document_rule("title-markup", Severity.WARNING)
def title_markup(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """The title holds HTML markup or a line break.

    Write the title as plain text on one line. The site shows markup in a title as literal text
    (it never runs); a line break is an error, as is markup that could run script.
    """
    if not isinstance(doc.title, str):
        return
    problem = label_problem(doc.title)
    if problem is not None:
        severity, what = problem
        yield Hit(f"title {what}", doc.line("title"), severity=severity)


@system_rule("name-markup", Severity.WARNING)
def name_markup(system: ManagementSystem) -> Iterator[Hit]:
    """The organisation, a person's name or role, or a repository catalogue's name holds HTML markup or a line break.

    Write the name as plain text on one line in isodocs.yml (organization, people) or in the
    catalogue file (standard, edition, title). The site shows markup there as literal text; a line
    break is an error, as is markup that could run script.
    """
    for where, value, path, line in _shown_names(system):
        problem = label_problem(value) if isinstance(value, str) else None
        if problem is not None:
            severity, what = problem
            yield Hit(f"{where} {what}", line, severity=severity, path=path)


def _shown_names(system: ManagementSystem) -> Iterator[tuple[str, str, str, int]]:
    """(what, value, file, line) of each name from isodocs.yml or a repository catalogue that the site shows."""
    config = system.config
    yield "organization", config.organization, CONFIG_FILE, config.line("organization")
    for key, person in config.people.items():
        for field in ("name", "role"):
            yield f"people.{key}.{field}", getattr(person, field), CONFIG_FILE, config.line("people", key, field)
    repository_catalogs = set(config.catalogs)
    for catalog in system.catalogs.values():
        if catalog.path in repository_catalogs:  # the built-in ones are isodocs' own
            for field in ("standard", "edition", "title"):
                yield f"{field} of catalogue {catalog.key}", getattr(catalog, field), catalog.path, 1


# --------------------------------------------------------------------------- secret-in-document

# Runs of characters credentials are made of; each run is tested with anchored
# patterns, which keeps the scan linear however the line is built.
TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+/.-")
# Where a token pattern can start; only starts at the beginning of a token count.
TOKEN_START = re.compile(r"AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|xox[abposr]-|AIza|[rs]k_live_|eyJ")
TOKEN_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an AWS access key id", re.compile(r"(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}")),
    ("a GitHub token", re.compile(r"gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}")),
    ("a Slack token", re.compile(r"xox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a Google API key", re.compile(r"AIza[0-9A-Za-z_-]{35}")),
    ("a Stripe secret key", re.compile(r"[rs]k_live_[0-9A-Za-z]{20,}")),
    ("a JSON Web Token", re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
)
# A piece of every match of TOKEN_START that holds "_" (tried only when the text holds "_").
_UNDERSCORE_PIECES = ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "k_live_")
# The other starts of TOKEN_START: "AKIA", "ASIA", "ABIA", "ACCA", "AIza" by one pattern that begins with
# a literal "A" (the engine skips from one "A" to the next in C: a third of one substring search), "xox"
# and "eyJ" behind a character they need that prose seldom holds (a one-character search is nearly free).
_AWS_OR_GOOGLE_START = re.compile(r"A(?:KIA|SIA|BIA|CCA|Iza)")
PRIVATE_KEY = re.compile(r"-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----")
SLACK_WEBHOOK = re.compile(r"hooks\.slack\.com/(?:services|workflows)/T[A-Z0-9]{6,}/[A-Z0-9]{6,}/[A-Za-z0-9]{16,}")
URL_CREDENTIALS = re.compile(r"[A-Za-z0-9._~%!$&*+;=-]{1,128}:([^/\s:@]{1,128})@[A-Za-z0-9.-]")
# key = value, key: value, "key": "value" for keys that name a credential.
ASSIGNMENT = re.compile(
    r"(?<![A-Za-z0-9])(pass(?:word|wd|phrase)|pwd|secret(?:[_-]?key)?|client[_-]?secret|api[_-]?key|"
    r"access[_-]?key|(?:access|auth|api|bearer|refresh)?[_-]?token)[\"']?[ \t]*([:=])[ \t]*",
    re.IGNORECASE,
)
# A piece of every key ASSIGNMENT matches (api_key and access_key hold "key", client_secret "secret").
ASSIGNMENT_WORDS = ("pass", "pwd", "secret", "key", "token")
# How every key ASSIGNMENT matches ends (password, passwd and pwd, passphrase, secret, api_key and the
# like, token): the key, maybe a quote, blanks, then the ":" or "=".
ASSIGNMENT_KEY_ENDS = ("word", "wd", "phrase", "secret", "key", "token")
# How far before a ":" or "=" the key's end is looked for (a quote and the longest end take 7 characters,
# the rest is for blanks). Looking there costs about what one search per key word costs over a hundred
# characters: a text with more operators than one per 200 characters (a front matter's few lines, a
# table of times) is searched word by word instead.
_KEY_WINDOW, _CHARACTERS_PER_OPERATOR = 24, 200
NOT_SECRETS = {
    "none", "null", "nil", "true", "false", "yes", "no", "required", "optional", "redacted", "hidden",
    "n/a", "tbd", "todo", "unset", "empty", "secret", "password", "string", "value",
}  # fmt: skip


def _looks_like_value(value: str, password: bool) -> bool:
    """Whether the value of a credential key is a credential rather than a placeholder or prose."""
    bare = value.strip("\"'`,;")
    if len(bare) < 6 or bare.lower() in NOT_SECRETS or "example" in bare.lower():
        return False
    if bare[0] in "<{[($%*" or set(bare) <= set("*xX.•#-_"):
        return False
    if password:
        return True
    has_digit = any(c.isdigit() for c in bare)
    has_alpha = any(c.isalpha() for c in bare)
    return (has_digit and has_alpha and len(bare) >= 8) or len(bare) >= 20


def _assignment_secret(line: str) -> bool:
    for match in ASSIGNMENT.finditer(line):
        key, operator = match.group(1).lower(), match.group(2)
        rest = line[match.end() :]
        if rest[:1] in ("'", '"'):
            end = rest.find(rest[0], 1)
            if end < 0:
                continue
            value, after = rest[1:end], ""
        else:
            value, _, after = rest.partition(" ")
        # "Password: at least 14 characters" is prose: with ':' the value must end the line.
        if operator == ":" and after.strip(" |"):
            continue
        if _looks_like_value(value, password=key.startswith(("pass", "pwd"))):
            return True
    return False


def secret_kind(line: str) -> str | None:
    """What kind of credential ``line`` holds, or None. Linear in the line."""
    if "PRIVATE KEY" in line and PRIVATE_KEY.search(line):
        return "a private key"
    for start in TOKEN_START.finditer(line):
        position = start.start()
        if position and line[position - 1] in TOKEN_CHARS:
            continue  # inside a longer token: each token is tried once, so the scan stays linear
        for kind, pattern in TOKEN_PATTERNS:
            found = pattern.match(line, position)
            if found and (found.end() == len(line) or not line[found.end()].isalnum()):
                if "EXAMPLE" not in found.group():  # AWS's documented sample keys end in EXAMPLE
                    return kind
    if "hooks.slack.com" in line and SLACK_WEBHOOK.search(line):
        return "a Slack webhook URL"
    position = line.find("://")
    while position >= 0:
        window = line[position + 3 : position + 260]
        credentials = URL_CREDENTIALS.match(window)
        if credentials and _looks_like_value(credentials.group(1), password=True):
            return "a password in a URL"
        position = line.find("://", position + 3)
    if ("=" in line or ":" in line) and _assignment_secret(line):
        return "a password or token"
    return None


def _may_hold_secret(text: str) -> bool:
    """Whether any line of ``text`` could hold what ``secret_kind`` looks for.

    One pass over the whole body instead of one call per line: each test below is
    necessary for its branch of ``secret_kind``, and none of these patterns
    crosses a line end, so a miss on the whole text is a miss on every line.
    Substring tests, not the patterns: a regular expression search of a whole body
    costs up to a hundred times as much. A search for one character costs a tenth of
    a longer one, so each longer search waits behind a character its needle holds
    that prose seldom does (most bodies hold none of "Y", "@", "_", "J", ":", "=").
    """
    if "Y" in text and "PRIVATE KEY" in text:  # PRIVATE_KEY holds "PRIVATE KEY"
        return True
    if "hooks.slack.com" in text:  # SLACK_WEBHOOK holds it
        return True
    if "@" in text and "://" in text:  # URL_CREDENTIALS matches "user:password@host" after a "://"
        return True
    # Every match of TOKEN_START holds one of the pieces below or starts with a match of _AWS_OR_GOOGLE_START.
    if "_" in text:
        for piece in _UNDERSCORE_PIECES:
            if piece in text:
                return True
    if _AWS_OR_GOOGLE_START.search(text):
        return True
    if ("x" in text and "xox" in text) or ("J" in text and "eyJ" in text):
        return True
    return _may_hold_assignment(text)


def _may_hold_assignment(text: str) -> bool:
    """Whether a ":" or "=" in ``text`` stands after the end of a credential key, as in every ASSIGNMENT match.

    Most documents hold few of either (none: then nothing is searched at all), and
    looking just before each is several times cheaper than a search per key word
    over the whole text, and far more selective: "pass" and "key" are in much prose.
    Past a budget of operators (see ``_CHARACTERS_PER_OPERATOR``) the word search
    decides, which is a necessary condition too (every key holds one of the words).
    ASSIGNMENT ignores case; casefold() maps every character that the pattern takes
    for a letter of these words to that letter (checked over all of Unicode), and
    maps each character on its own, so the folded text before the operator ends as
    the folded key does.
    """
    seen, budget = 0, len(text) // _CHARACTERS_PER_OPERATOR
    for operator in (":", "="):
        position = text.find(operator)
        while position >= 0:
            seen += 1
            if seen > budget:  # many of them: one search per word instead, linear whatever the text
                folded = text.casefold()
                for word in ASSIGNMENT_WORDS:
                    if word in folded:
                        return True
                return False
            before = text[max(0, position - _KEY_WINDOW) : position].rstrip(" \t")
            if len(before) < 7 and position > _KEY_WINDOW:
                return True  # blanks fill the window: the key may stand further back
            if before.endswith(("'", '"')):
                before = before[:-1]
            if before.casefold().endswith(ASSIGNMENT_KEY_ENDS):
                return True
            position = text.find(operator, position + 1)
    return False


def _secret_message(kind: str) -> str:
    return (
        f"this looks like {kind}: remove it from the document and rotate the credential now. "
        "Git keeps every committed version, so deleting the line does not take it back"
    )


@document_rule("secret-in-document", Severity.ERROR)
def secret_in_document(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """A credential is pasted into a document (private key, cloud key, token, password).

    Remove it and rotate the credential at once: Git keeps every committed version, so deleting the line
    does not take it back. Keep secrets in a password manager or vault and name the entry instead.
    """
    scalars = {key: f"{key}: {raw}" for key, raw in doc.raw_scalars.items()}
    if _may_hold_secret("\n".join(scalars.values())):
        for key, line in scalars.items():
            kind = secret_kind(line)
            if kind:
                yield Hit(_secret_message(kind), doc.line(key))
    if not _may_hold_secret(doc.body):
        return
    for index, line in enumerate(doc.body.split("\n")):  # code blocks too: a key in a code block is still a key
        kind = secret_kind(line)
        if kind:
            yield Hit(_secret_message(kind), doc.body_line + index)


# --------------------------------------------------------------------------- placeholder

TEMPLATE_MARKER = re.compile(r"isodocs[:-]template")
PLACEHOLDER_WORDS = re.compile(r"\[TBD\]|\b(?:TBD|TBC|TODO|FIXME|XXX)\b|\b[Ll]orem ipsum\b")
MUSTACHE = re.compile(r"\{\{[^{}\n]{0,200}\}\}")
ANGLE = re.compile(r"<([A-Za-z][^<>\n]{0,150})>")
# Element names that may appear in documents as real HTML; "<details open>" is not a placeholder.
HTML_ELEMENTS = frozenset(
    """a abbr address article aside audio b bdi bdo blockquote br button caption center cite code col colgroup
    data dd del details dfn div dl dt em fieldset figcaption figure font footer h1 h2 h3 h4 h5 h6 header hr i
    img input ins kbd label legend li main mark nav ol optgroup option p picture pre q s samp section select
    small source span strong sub summary sup table tbody td template textarea tfoot th thead time tr track u
    ul var video wbr""".split()
)


def placeholder_in(line: str) -> str | None:
    """The first placeholder in a line of prose, as written, or None."""
    if "template" in line and TEMPLATE_MARKER.search(line):
        return "isodocs template text"
    found = PLACEHOLDER_WORDS.search(line) or ("{{" in line and MUSTACHE.search(line))
    if found:
        return found.group()
    if "<" not in line:
        return None
    for match in ANGLE.finditer(line):
        if line[match.start() - 1 : match.start()] == "(":  # a link destination: [text](<file name.md>)
            continue
        inner = match.group(1)
        words = inner.split()
        # "<describe the purpose>" is a placeholder; "<a href=...>", "<br/>", "<https://x>" are not.
        if len(words) < 2 or words[0].lower().rstrip("/") in HTML_ELEMENTS:
            continue
        if any(c in inner for c in "=/:@\"'"):
            continue
        return match.group()
    return None


@document_rule("placeholder", Severity.ERROR)
def placeholder(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """An approved document still holds placeholder text ([TBD], TODO, XXX, Lorem ipsum, template text).

    Replace the placeholder with the real text or remove the empty section; if the document is not
    finished, set its status back to draft.

    Detected, outside code blocks and code spans: ``[TBD]`` and the words TBD, TBC,
    TODO, FIXME and XXX in capitals; "Lorem ipsum"; ``{{ ... }}``; text in angle
    brackets of two or more words that is no HTML tag, such as ``<describe the
    purpose>``; and any line holding the marker ``isodocs-template`` (or
    ``isodocs:template``), which a template can put in an HTML comment on text
    the author must replace. A section whose only content is an HTML comment
    (the guidance ``isodocs new`` writes under each heading) is reported too,
    except in records, which ``isodocs new`` creates final.
    The title is checked as well.
    """
    if not doc.is_approved:
        return
    fix = "replace it with the real text, or set the status back to draft"
    if doc.title:
        found = placeholder_in(doc.title)
        if found:
            yield Hit(f"title holds placeholder text ({found}): {fix}", doc.line("title"))
    lines = prose_lines(doc.body) if _may_hold_placeholder(doc.body) else ()
    for index, text in lines:
        # the template marker sits in an HTML comment: look for it before comments are dropped
        marker = "template" in text and TEMPLATE_MARKER.search(text)
        found = "isodocs template text" if marker else placeholder_in(_without_comments(text))
        if found:
            yield Hit(f"placeholder text ({_short(found)}) in an approved document: {fix}", doc.body_line + index)
    if doc.is_record:
        return  # `isodocs new record` writes a final record from the template: its sections are the author's call
    for index, heading in comment_only_sections(doc.body):
        yield Hit(
            f"section '{_short(heading)}' holds only the template's guidance comment, which the site does not "
            "show: write the section or remove it",
            doc.body_line + index,
        )


# What ``placeholder_in`` finds outside the angle brackets and "{{": template text, the words in capitals,
# "Lorem ipsum". Prose lines are the body's text with code and comments replaced by spaces, so a match with
# no space in it, or a piece of one, is in the body too (the marker; "ipsum" of "Lorem ipsum").
# The capitals TBD, TBC and TODO by one pattern that begins with a literal "T" (the engine skips from
# one "T" to the next in C: half of one substring search); FIXME and XXX need an "X", which prose seldom holds.
_TBD_TBC_TODO = re.compile(r"T(?:BD|BC|ODO)")
# "ipsum" holds "psum" and the marker's "template" holds "plate": one pattern from a literal "p" for both.
_PSUM_OR_PLATE = re.compile(r"p(?:sum|late)")


def _may_hold_placeholder(body: str) -> bool:
    """Whether ``body`` can hold a placeholder; most approved documents cannot, and then no line is scanned.

    Each test is necessary for one kind of placeholder (see the pieces above); one-character
    searches first, since they cost a tenth of a longer one.
    """
    if "<" in body or ("{" in body and "{{" in body):  # ANGLE, MUSTACHE
        return True
    if "X" in body and ("FIXME" in body or "XXX" in body):
        return True
    if _TBD_TBC_TODO.search(body):
        return True
    if not _PSUM_OR_PLATE.search(body):
        return False
    return "ipsum" in body or bool(TEMPLATE_MARKER.search(body))  # not "isodocs" alone: documents name the tool


HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$")


def comment_only_sections(body: str) -> Iterator[tuple[int, str]]:
    """(0-based line, heading) of every section whose only content is an HTML comment.

    That is what ``isodocs new`` leaves: a heading and the template's guidance
    comment, which the site does not show, so the section reads as empty.
    """
    if "<" not in body or "<!--" not in body:  # no comment, so no section holds only one (one character first: cheap)
        return
    original = body.split("\n")
    without = _without_comments(body).split("\n")
    fenced = set(range(len(original))) - {index for index, _ in prose_lines(body, indented_code=False)}
    heading: tuple[int, str] | None = None
    has_comment = has_text = False
    for index, line in enumerate([*original, "# end"]):
        match = HEADING.match(line) if index not in fenced else None
        if match or index == len(original):
            if heading and has_comment and not has_text:
                yield heading
            heading = (index, match.group(1)) if match else None
            has_comment = has_text = False
            continue
        if without[index].strip() or index in fenced:
            has_text = True
        elif line.strip():
            has_comment = True


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


__all__ = ["placeholder_in", "secret_kind", "unsafe_html_problems"]


# --- nested lists: the site's Markdown nests by four spaces ---------------------------------------

LIST_ITEM = re.compile(r"( *)((?:[-*+]|\d{1,9}[.)])[ \t]+)\S")
# A body with no list item indented by one to three spaces cannot have the problem: most bodies. Searched
# from a newline (a literal the engine finds fast), six times faster than a multi-line "^" over 10,000 bodies;
# a body's first line is a heading or text, and is matched apart.
SHALLOW_ITEM = re.compile(r"\n {1,3}(?:[-*+]|\d{1,9}[.)])[ \t]")
FIRST_SHALLOW_ITEM = re.compile(r" {1,3}(?:[-*+]|\d{1,9}[.)])[ \t]")


@document_rule("list-indent", Severity.WARNING)
def list_indent(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """A nested list item is indented by fewer than four spaces under its parent, so the site shows it flat.

    The site's Markdown (Python-Markdown) nests a list inside a list item only when it is indented by
    four spaces per level; two or three spaces, as GitHub and CommonMark allow, leave the item at the
    outer level (or break an ordered list in two). Indent nested items by four spaces per level.
    """
    if not SHALLOW_ITEM.search(doc.body) and not FIRST_SHALLOW_ITEM.match(doc.body):
        return
    # The open list items, innermost last: [indent, column where its text starts, nested items reported].
    items: list[list[int]] = []
    after_blank = False
    for index, line in prose_lines(doc.body, indented_code=False):
        if not line.strip():
            after_blank = True
            continue
        item = LIST_ITEM.match(line)
        if item is None:
            if after_blank and not line.startswith((" ", "\t")):
                items = []  # a paragraph after a blank line ends the list
        else:
            indent = len(item.group(1))
            while items and items[-1][0] >= indent:
                items.pop()
            parent = items[-1] if items else None
            # Nested as GitHub reads it (at or past the parent's text), but not as the site does.
            if parent is not None and parent[1] <= indent < parent[0] + 4 and not parent[2]:
                parent[2] = 1  # one finding per nested list
                yield Hit(
                    f"nested list item indented {indent - parent[0]} space(s) under its parent: the site shows it "
                    "at the outer level; indent nested items by four spaces per level",
                    doc.body_line + index,
                )
            items.append([indent, indent + len(item.group(2)), 0])
        after_blank = False
