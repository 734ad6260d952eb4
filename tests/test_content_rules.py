"""unsafe-html, secret-in-document and placeholder: what fires, what must not, and where."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isodocs.rules.content import (
    _may_hold_placeholder,
    _may_hold_secret,
    placeholder_in,
    secret_kind,
    unsafe_html_problems,
)
from tests.conftest import approved

# Credentials are assembled at run time, so that no secret scanner flags this file.
AWS_KEY = "AKIA" + "Z7QW2ERT5YUI8OPL"
GITHUB_TOKEN = "ghp_" + "a1B2c3D4" * 4 + "e5F6"
SLACK_TOKEN = "xoxb-" + "1234567890-0987654321-" + "AbCdEfGhIjKlMnOp"
GOOGLE_KEY = "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"
PRIVATE_KEY = "-----BEGIN RSA " + "PRIVATE KEY-----"
JWT = "eyJ" + "hbGciOiJIUzI1NiJ9" + ".eyJ" + "zdWIiOiIxMjM0NTY3ODkwIn0" + ".dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"


def findings(result, rule):
    return [f for f in result.findings if f.rule == rule]


# --------------------------------------------------------------------------- secret-in-document


@pytest.mark.parametrize(
    "line, kind",
    [
        ("password: hunter2", "a password or token"),
        ("DB_PASSWORD=Tr0ub4dor&3", "a password or token"),
        ('"password": "correct horse battery"', "a password or token"),
        ("api_key = 7f3a9b2c1d4e5f60", "a password or token"),
        (PRIVATE_KEY, "a private key"),
        ("-----BEGIN OPENSSH " + "PRIVATE KEY-----", "a private key"),
        ("-----BEGIN " + "PRIVATE KEY-----", "a private key"),
        (f"access key id {AWS_KEY} for the backup user", "an AWS access key id"),
        (f"export TOKEN={GITHUB_TOKEN}", "a GitHub token"),
        (f"bot token `{SLACK_TOKEN}`", "a Slack token"),
        (f"maps key {GOOGLE_KEY}", "a Google API key"),
        (f"Authorization: Bearer {JWT}", "a JSON Web Token"),
        ("sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc", "a Stripe secret key"),
        ("https://hooks.slack.com/services/" + "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "a Slack webhook URL"),
        ("DATABASE_URL=postgres://app:" + "s3cretpw@db.internal/erp", "a password in a URL"),
        ("PaSsWoRd = hunter2xyz", "a password or token"),
        ("API_\u212aEY = 7f3a9b2c1d4e5f60", "a password or token"),  # Kelvin sign: the pattern ignores case
        ("pa\u017f\u017fword: hunter2xyz99", "a password or token"),  # long s
    ],
)
def test_secret_kinds(line, kind):
    assert secret_kind(line) == kind
    # the whole-body pre-test must let through whatever the line scan finds
    assert _may_hold_secret(f"Some prose.\n{line}\nMore prose.")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="pPaAsSwWdDkKeEyYtToOnN_-:= \n\u212a\u017f\u0131h1x", max_size=40))
def test_secret_pre_test_never_hides_a_secret(text):
    if any(secret_kind(line) for line in text.split("\n")):
        assert _may_hold_secret(text)


# Whole credentials, the pieces of each needle and gate of the pre-test ("Y" of PRIVATE KEY, "@" and "://"
# of a URL's password, "_", the "A" of AKIA/ASIA/ABIA/ACCA/AIza, the "x" of xox, the "J" of eyJ, ":" and
# "=" of an assignment) and what cuts them apart, so that the pre-test's gates are hit one by one.
_SECRET_PIECES = st.sampled_from([
    AWS_KEY, "ASIA" + "Z7QW2ERT5YUI8OPL", "ABIA" + "Z7QW2ERT5YUI8OPL", "ACCA" + "Z7QW2ERT5YUI8OPL", GOOGLE_KEY,
    GITHUB_TOKEN, "gho_" + "a1B2c3D4" * 5, "github_pat_" + "a1B2c3D4_" * 3, SLACK_TOKEN, "xoxp-" + "1234567890ab",
    "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc", "rk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc", JWT, PRIVATE_KEY,
    "-----BEGIN ", "PRIVATE KEY", "-----", "https://hooks.slack.com/services/" + "T0000000/B0000000/" + "X" * 20,
    "hooks.slack.com", "postgres://app:" + "s3cretpw@db", "://", "@", "user:", "AKIA", "ASIA", "AIza", "A", "K",
    "I", "Y", "J", "x", "xox", "eyJ", "_", "ghp_", "k_live_", "password", "PaSsWoRd", "pa\u017f\u017fword",
    "api_\u212aey", "pwd", "secret", "token", "key", ":", "=", " = ", ": ", '"', "'", "hunter2xyz", "7f3a9b2c1d4e5f60",
    " ", "\n", ".", "/", "-", "\t", " " * 10, ":" * 70, "09:00 " * 20, "passphrase", "client-secret", "refresh_token",
])  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(_SECRET_PIECES, max_size=12).map("".join), st.sampled_from(["", "A line of prose.\n" * 30]))
def test_secret_pre_test_never_hides_a_secret_built_of_its_needles(text, prose):
    text = prose + text  # long enough, the operators are looked at one by one
    # the exact way: every line through secret_kind; the pre-test may only skip text where it finds nothing
    if any(secret_kind(line) for line in text.split("\n")):
        assert _may_hold_secret(text)


def test_casefold_maps_what_the_assignment_pattern_takes_for_a_key_letter_to_that_letter():
    # the pre-test finds keys in casefolded text; the pattern ignores case, which takes the Kelvin
    # sign for "k" and the long s for "s" (and two more characters for "i", which no key end holds)
    import re
    import sys

    from isodocs.rules.content import ASSIGNMENT_KEY_ENDS, ASSIGNMENT_WORDS

    letters = sorted(set("".join(ASSIGNMENT_WORDS + ASSIGNMENT_KEY_ENDS)))
    everything = "".join(chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF)
    for letter in letters:
        for char in re.findall(letter, everything, re.IGNORECASE):
            assert char.casefold() == letter, (letter, hex(ord(char)))


@pytest.mark.parametrize(
    "text",
    [
        "password" + " " * 40 + ": hunter2xyz",  # blanks past the window before the operator
        "Times: " + "09:00, " * 400 + "\npassword: hunter2xyz",  # more operators than are looked at one by one
        'config "api_key" = "7f3a9b2c1d4e5f60"',
        "pa\u017f\u017fword: hunter2xyz99",
        "API_\u212aEY = 7f3a9b2c1d4e5f60",
        # each end of a key: word, wd, phrase, secret, key, token
        "password: hunter2xyz", "passwd: hunter2xyz", "pwd=hunter2xyz", "passphrase: correct-horse-battery",
        "client-secret = 7f3a9b2c1d4e5f60", "secret: 7f3a9b2c1d4e5f60", "secret_key: 7f3a9b2c1d4e5f60",
        "access_key: 7f3a9b2c1d4e5f60", "refresh_token: 7f3a9b2c1d4e5f60", "'token'\t= 7f3a9b2c1d4e5f60",
    ],
)  # fmt: skip
@pytest.mark.parametrize("prose", ["", "A line of prose in a policy.\n" * 40])  # short: word search; long: windows
def test_assignment_pre_test_lets_awkward_assignments_through(text, prose):
    text = prose + text
    assert any(secret_kind(line) for line in text.split("\n"))
    assert _may_hold_secret(text)


def test_assignment_pre_test_skips_prose_that_only_names_a_key():
    # "pass" and "key" in prose, with ":" elsewhere: no line scan
    prose = "A line of prose in a policy.\n" * 20
    assert not _may_hold_secret(prose + "Key results: the audit passed.\nNote: passwords are kept in the vault.\n")


@pytest.mark.parametrize(
    "line",
    [
        PRIVATE_KEY, "https://hooks.slack.com/services/" + "T0000000/B0000000/" + "X" * 20,
        "postgres://app:" + "s3cretpw@db", AWS_KEY, "ASIA" + "Z7QW2ERT5YUI8OPL", "ABIA" + "Z7QW2ERT5YUI8OPL",
        "ACCA" + "Z7QW2ERT5YUI8OPL", GOOGLE_KEY, GITHUB_TOKEN, "github_pat_" + "a1B2c3D4_" * 3, SLACK_TOKEN, JWT,
        "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc", "password: hunter2", "api_key = 7f3a9b2c1d4e5f60",
    ],
)  # fmt: skip
def test_each_gate_of_the_secret_pre_test_lets_its_secret_through(line):
    # one credential of each kind alone in a body of prose holding none of the gates' characters
    assert secret_kind(line)
    assert _may_hold_secret(f"Some prose of a policy.\n{line}\nMore prose.")
    assert not _may_hold_secret("Some prose of a policy.\nMore prose.")


@pytest.mark.parametrize(
    "line",
    [
        "Passwords must be at least 14 characters, screened against breached password lists.",
        "Password: at least 14 characters and never reused.",
        "- Password: see the password manager entry",
        "Secrets used by applications are held in AWS Secrets Manager and rotated every 90 days.",
        "GitHub secret scanning blocks pushes holding a token.",
        "password: ********",
        "password: <your password>",
        "password=$DB_PASSWORD",
        "password: ${{ secrets.DB_PASSWORD }}",
        "token: 5 minutes",
        "secret: confidential",
        "AKIAIOSFODNN7EXAMPLE",  # AWS's documented sample key
        "https://example.org/path:with@sign",
        "postgres://app:${DB_PASSWORD}@db.internal/erp",
        "ghp_short",
        "",
    ],
)
def test_prose_and_placeholders_are_not_secrets(line):
    assert secret_kind(line) is None


def test_secret_reported_on_its_body_line_with_rotation_advice(repo, run_check):
    body = "# Backup\n\nSteps:\n\n```\n" + f"aws configure set aws_access_key_id {AWS_KEY}\n" + "```\n"
    repo.doc("procedures/backup.md", approved(), body)
    [finding] = findings(run_check(repo), "secret-in-document")
    text = (repo.root / "procedures/backup.md").read_text().split("\n")
    assert AWS_KEY in text[finding.line - 1]  # the line of the key itself, code block included
    assert "rotate" in finding.message and "Git" in finding.message
    assert AWS_KEY not in finding.message  # findings go to CI logs: never repeat the secret
    assert finding.severity == "error"


def test_secret_in_front_matter(repo, run_check):
    repo.doc("procedures/a.md", approved(title=f"Key {AWS_KEY}"))
    [finding] = findings(run_check(repo), "secret-in-document")
    assert finding.line == 3  # the title line


def test_secret_in_a_draft_is_still_reported(repo, run_check):
    repo.doc("procedures/a.md", approved(status="draft"), f"{PRIVATE_KEY}\nMIIE...\n")
    assert findings(run_check(repo), "secret-in-document")


def test_secret_rule_can_be_turned_off(repo, run_check):
    repo.config(rules={"secret-in-document": "off"})
    repo.doc("procedures/a.md", approved(), "password: hunter2\n")
    assert not findings(run_check(repo), "secret-in-document")


# --------------------------------------------------------------------------- unsafe-html

BAD_HTML = [
    ("<script>alert(1)</script>", "<script> element"),
    ("<SCRIPT src=//evil.example></SCRIPT>", "<script> element"),
    ('<iframe src="https://evil.example"></iframe>', "<iframe> element"),
    ("<object data=x></object>", "<object> element"),
    ("<embed src=x>", "<embed> element"),
    ('<img src=x onerror="alert(1)">', "onerror= event handler on <img>"),
    ("<div\n  class=x\n  onmouseover=alert(1)>", "onmouseover= event handler on <div>"),
    ('<a href="javascript:alert(1)">x</a>', "script URL in an attribute of <a>"),
    ('<a href="jav&#x61;script:alert(1)">x</a>', "script URL in an attribute of <a>"),
    ('<a href="java\tscript:alert(1)">x</a>', "script URL in an attribute of <a>"),
    ("[click](javascript:alert(1))", "link to a script URL (javascript:)"),
    ("[click][x]\n\n[x]: javascript:alert(1)", "link to a script URL (javascript:)"),
    ('## Heading {: onclick="alert(1)" }', "onclick= event handler in an attribute list"),
]


@pytest.mark.parametrize("body, what", BAD_HTML)
def test_unsafe_html_detected(body, what):
    assert what in [found for _, found in unsafe_html_problems(body)]


@pytest.mark.parametrize(
    "body",
    [
        "Use `<script>` tags only in the intranet theme.",
        "```html\n<script>alert(1)</script>\n```",
        "~~~\n<iframe src=x>\n~~~",
        "<!-- <script>alert(1)</script> -->",
        '<a href="https://example.org">site</a> and <img src="chart.png" alt="chart">',
        "<details open><summary>More</summary>text</details>",
        "[javascript: the language](https://developer.mozilla.org/docs/Web/JavaScript)",
        "Scores x<y and the onset = 5 are compared.",
        "The JavaScript: a language, not a URL.",
    ],
)
def test_safe_html_and_code_are_not_reported(body):
    assert list(unsafe_html_problems(body)) == []


def test_unsafe_html_finding_on_its_line(repo, run_check):
    repo.doc("procedures/a.md", approved(), "# Title\n\nText\n\n<script>alert(1)</script>\n")
    [finding] = findings(run_check(repo), "unsafe-html")
    lines = (repo.root / "procedures/a.md").read_text().split("\n")
    assert lines[finding.line - 1] == "<script>alert(1)</script>"
    assert "remove" in finding.message


# --------------------------------------------------------------------------- placeholder


@pytest.mark.parametrize(
    "line, found",
    [
        ("Owner of the register: [TBD]", "[TBD]"),
        ("Owner: TBD", "TBD"),
        ("TODO: describe the escalation", "TODO"),
        ("Contact XXX for details", "XXX"),
        ("Lorem ipsum dolor sit amet", "Lorem ipsum"),
        ("Approved by {{ approver }}", "{{ approver }}"),
        ("<describe the purpose of this procedure>", "<describe the purpose of this procedure>"),
        ("Replace this text <!-- isodocs-template -->", "isodocs template text"),
    ],
)
def test_placeholder_found(line, found):
    assert placeholder_in(line) == found
    assert _may_hold_placeholder(f"Prose.\n{line}\n")  # the whole-body pre-test lets it through


@pytest.mark.parametrize(
    "line",
    ["FIXME: owner", "Due: TBC", "Owner: [TBD]", "TODO", "lorem ipsum dolor", "Lorem`x`ipsum", "{{ owner }}",
     "<name of the owner>", "Write here <!-- isodocs:template -->", "isodocs-template"],
)  # fmt: skip
def test_each_gate_of_the_placeholder_pre_test_lets_its_placeholder_through(line):
    prose = "The plan and the template of this policy are kept in isodocs; Plate 3 shows it.\n"
    assert not _may_hold_placeholder(prose)  # "template", "isodocs", "plate" alone: no line scan
    assert _may_hold_placeholder(prose + line + "\n")


def test_placeholder_split_by_a_code_span_is_still_found(repo, run_check):
    # code spans become a space: "Lorem`x`ipsum" reads "Lorem ipsum"
    repo.doc("procedures/a.md", approved(), "# Purpose\n\nLorem`x`ipsum dolor\n")
    assert findings(run_check(repo), "placeholder")


@pytest.mark.parametrize(
    "line",
    [
        "Keep a todo list of open actions.",
        "<details open>",
        '<a href="x.md">x</a>',
        "<https://example.org/a b>",
        "<jane@example.org>",
        "a < b and c > d",
        "Mastodon, XXXL sizes and TBDs",
    ],
)
def test_not_placeholders(line):
    assert placeholder_in(line) is None


def test_placeholder_only_on_approved_documents(repo, run_check):
    body = "# Purpose\n\nTODO: write the purpose\n\n```\nTODO in code is fine\n```\n"
    repo.doc("procedures/a.md", approved("PRO-001"), body)
    repo.doc("procedures/b.md", approved("PRO-002", status="draft"), body)
    result = run_check(repo)
    [finding] = findings(result, "placeholder")
    assert finding.path == "procedures/a.md"
    lines = (repo.root / "procedures/a.md").read_text().split("\n")
    assert lines[finding.line - 1] == "TODO: write the purpose"
    assert "draft" in finding.message


def test_placeholder_in_title(repo, run_check):
    repo.doc("procedures/a.md", approved(title="<title of the procedure>"))
    [finding] = findings(run_check(repo), "placeholder")
    assert finding.line == 3


def test_template_marker_in_a_comment(repo, run_check):
    repo.doc("procedures/a.md", approved(), "# Scope\n\n<!-- isodocs-template: say what this covers -->\n")
    assert findings(run_check(repo), "placeholder")


# --------------------------------------------------------------------------- speed on hostile bodies


@pytest.mark.parametrize(
    "piece", ["<", "<a ", "[a](", "`", "``a`", "eyJ", "password=", "://a:", "{{", "<!--", "-----BEGIN "]
)
def test_content_rules_are_linear(piece):
    line = piece * (400_000 // len(piece))
    started = time.perf_counter()
    list(unsafe_html_problems(line))
    secret_kind(line)
    placeholder_in(line)
    assert time.perf_counter() - started < 3


# --------------------------------------------------------------------------- supersedes-cycle


def test_supersedes_cycle_reported_on_each_member(repo, run_check):
    repo.doc("procedures/a.md", approved("PRO-001", supersedes="PRO-002"))
    repo.doc("procedures/b.md", approved("PRO-002", supersedes="PRO-003"))
    repo.doc("procedures/c.md", approved("PRO-003", supersedes="PRO-001"))
    repo.doc("procedures/d.md", approved("PRO-004", supersedes="PRO-001"))  # leads into the loop, not part of it
    cycle = findings(run_check(repo), "supersedes-cycle")
    assert sorted(f.path for f in cycle) == ["procedures/a.md", "procedures/b.md", "procedures/c.md"]
    assert all("PRO-001 -> PRO-002 -> PRO-003 -> PRO-001" in f.message for f in cycle)


def test_document_superseding_itself(repo, run_check):
    repo.doc("procedures/a.md", approved("PRO-001", supersedes="PRO-001"))
    [finding] = findings(run_check(repo), "supersedes-cycle")
    assert finding.line == (repo.root / "procedures/a.md").read_text().split("\n").index("supersedes: PRO-001") + 1


def test_supersedes_chain_without_loop_is_fine(repo, run_check):
    repo.doc("procedures/a.md", approved("PRO-001", supersedes="PRO-002"))
    repo.doc("procedures/b.md", approved("PRO-002", status="obsolete", supersedes="PRO-003"))
    repo.doc("procedures/c.md", approved("PRO-003", status="obsolete"))
    assert not findings(run_check(repo), "supersedes-cycle")


def test_sections_left_with_only_the_template_comment(repo, run_check):
    body = (
        "# Title\n\n## Purpose\n\n<!-- Why this exists. -->\n\n## Scope\n\n<!-- What it covers,\n"
        "over two lines. -->\nAll sites.\n\n## Records\n\n<!--\nWhich records.\n-->\n"
    )
    repo.doc("procedures/a.md", approved(), body)
    repo.doc("procedures/b.md", approved("PRO-002", status="draft"), body)
    found = findings(run_check(repo), "placeholder")
    lines = (repo.root / "procedures/a.md").read_text().split("\n")
    assert [(f.path, lines[f.line - 1]) for f in found] == [
        ("procedures/a.md", "## Purpose"),
        ("procedures/a.md", "## Records"),
    ]


def test_a_document_made_by_isodocs_new_is_flagged_once_approved(repo, run_check):
    from click.testing import CliRunner

    from isodocs.cli import main

    result = CliRunner().invoke(main, ["-C", str(repo.root), "new", "procedure", "--title", "Backups", "--owner", "qm"])
    assert result.exit_code == 0, result.output
    [path] = (repo.root / "procedures").glob("*.md")
    text = path.read_text().replace(
        "status: draft", "status: approved\napproved_by: [md]\napproved_on: 2026-06-01\nlast_reviewed: 2026-06-01"
    )
    path.write_text(text)
    assert findings(run_check(repo), "placeholder")


# The whole-body pre-tests of unsafe-html and placeholder (fast paths, docs/architecture.md):
# with them, the rules find exactly what the line scans find without them.
_HTML_PIECES = st.sampled_from([
    "<", ">", "script", "SCRIPT", "on", "click", "onclick=", "javascript:", "data:", "&", "&#106;", "avascript:", "{",
    "{:", "}", ":", "`", "```", "<!--", "-->", "[a](", ")", "\n", " ", "x", "=", '"', "href", "<a href=", "    ",
    "{: onclick=x}", "[a](&#106;avascript:x)", "{: href=javascript:x}",
])
_PLACEHOLDER_PIECES = st.sampled_from([
    "template", "TBD", "TBC", "TODO", "FIXME", "XXX", "Lorem", "ipsum", "Lorem ipsum", "lorem ipsum", "{{", "}}",
    "{{ name }}", "<", ">", "<describe the purpose>", "<!--", "-->", "isodocs", "\n", " ", "#", "`", "x", "[", "]", "_",
    # the gates' characters and the pieces of the needles, apart: "X", "T", "{", "isodocs-template"
    "X", "XX", "FIX", "ME", "T", "TB", "D", "C", "ODO", "{", "}", "isodocs-template", "isodocs:template", "-", ":",
    "Lorem`x`ipsum", "[TBD]", "```", "    ",
])


@settings(max_examples=500, deadline=None)
@given(st.lists(_HTML_PIECES, max_size=30).map("".join))
def test_unsafe_html_pre_test_never_hides_a_finding(body):
    from isodocs.rules import content

    found = list(unsafe_html_problems(body))
    gate = content._may_hold_html
    content._may_hold_html = lambda text: True  # the exact way: every line scanned
    try:
        assert list(unsafe_html_problems(body)) == found
    finally:
        content._may_hold_html = gate


@settings(max_examples=500, deadline=None)
@given(st.lists(_PLACEHOLDER_PIECES, max_size=30).map("".join))
def test_placeholder_pre_test_never_hides_a_finding(body):
    import datetime as dt

    from isodocs.model import Document
    from isodocs.model.config import Config
    from isodocs.rules import content
    from isodocs.rules.registry import DocumentContext

    doc = Document(
        path="procedures/a.md", abspath=Path("a.md"), data={}, lines={}, raw_scalars={}, body=body, body_line=10,
        status="approved", type="procedure",
    )
    context = DocumentContext(Config(organization="o", standards=[], people={}), {}, dt.date(2026, 1, 1))
    found = list(content.placeholder(doc, context))
    gate = content._may_hold_placeholder
    content._may_hold_placeholder = lambda text: True
    try:
        assert list(content.placeholder(doc, context)) == found
    finally:
        content._may_hold_placeholder = gate


# --- the pre-tests of list-indent and root-relative links (docs/architecture.md, fast paths) ---


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=" \n\t-*+1.)aA#`", max_size=60))
def test_list_indent_pre_test_never_hides_a_shallow_nested_item(body):
    import re

    from isodocs.rules import content

    exact = re.compile(r"^ {1,3}(?:[-*+]|\d{1,9}[.)])[ \t]", re.MULTILINE)  # the pre-test's meaning, by lines
    fast = bool(content.SHALLOW_ITEM.search(body) or content.FIRST_SHALLOW_ITEM.match(body))
    assert fast == bool(exact.search(body))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="[]()<>/: \n`x#", max_size=60))
def test_root_link_pre_test_never_hides_a_root_link(body):
    from isodocs.rules import references

    needles = ("](/", "](</", "]: /", "]: </")
    assert bool(references.ROOT_LINK_START.search(body)) == any(needle in body for needle in needles)
