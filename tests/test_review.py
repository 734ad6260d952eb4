"""`isodocs review`: a byte-preserving edit of the review fields only."""

from __future__ import annotations

from click.testing import CliRunner

from isodocs.cli import main
from tests.conftest import approved, record

PRO = "procedures/doc-control.md"

# Comments, odd key order, both quote styles, flow and block lists: all must survive.
HAND_WRITTEN = """\
---
# Owner: quality team
title: 'Control of documented information'   # the name staff use
id: PRO-001
type: procedure
version: "2.1"
status: approved
owner: qm
approved_by:
  - md
approved_on: 2026-03-02
last_reviewed: '2026-03-02'  # annual review
review_interval: 6
next_review: 2026-09-02
classification: internal
clauses: {iso9001: ["7.5", "7.5.3"]}
---
# Control of documented information

Body text.
"""


def review(repo, *args):
    return CliRunner().invoke(main, ["-C", str(repo.root), "review", *args, "--today", "2026-11-27"])


def test_only_the_review_lines_change(repo):
    path = repo.write(PRO, HAND_WRITTEN)
    outcome = review(repo, "PRO-001", "--by", "md", "--date", "2026-11-20")
    assert outcome.exit_code == 0, outcome.output
    assert f"wrote {PRO}" in outcome.output
    expected = HAND_WRITTEN.replace(
        "last_reviewed: '2026-03-02'  # annual review", "last_reviewed: '2026-11-20'  # annual review\nreviewed_by: md"
    ).replace("next_review: 2026-09-02", "next_review: 2027-05-20")
    assert path.read_text("utf-8") == expected


def test_crlf_and_bom_are_preserved(repo):
    raw = ("\ufeff" + HAND_WRITTEN).replace("\n", "\r\n").encode("utf-8")
    path = repo.write(PRO, raw)
    assert review(repo, "PRO-001", "--by", "md", "--date", "2026-11-20").exit_code == 0
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf---\r\n")
    assert b"last_reviewed: '2026-11-20'  # annual review\r\nreviewed_by: md\r\n" in after
    assert after.count(b"\n") == after.count(b"\r\n") == raw.count(b"\n") + 1


def test_implicit_next_review_stays_implicit_and_reviewer_is_replaced(repo):
    path = repo.doc(PRO, approved("PRO-001", reviewed_by="ciso"))
    before = path.read_text()
    assert review(repo, "PRO-001", "--by", "md").exit_code == 0  # date defaults to today
    after = path.read_text()
    assert "next_review" not in after
    assert after == before.replace("last_reviewed: '2026-06-01'", "last_reviewed: '2026-11-27'").replace(
        "reviewed_by: ciso", "reviewed_by: md"
    )


def test_reviewed_document_checks_clean(repo, run_check):
    repo.write(PRO, HAND_WRITTEN)
    review(repo, "PRO-001", "--by", "md", "--date", "2026-11-20")
    assert [f.rule for f in run_check(repo).findings] == []


def test_refuses_what_cannot_be_reviewed(repo):
    repo.doc(PRO, approved("PRO-001"))
    repo.doc("procedures/draft.md", approved("PRO-002", status="draft"))
    repo.doc("records/r.md", record("REC-001"))
    cases = {
        ("PRO-002", "--by", "md"): "only approved documents",
        ("REC-001", "--by", "md"): "is a record",
        ("PRO-001", "--by", "mdd"): "did you mean 'md'",
        ("PRO-001", "--by", "md", "--date", "2026-12-01"): "after today",
        ("PRO-001", "--by", "md", "--date", "2026-01-01"): "before the last review",
        ("PRO-404", "--by", "md"): "no document has id PRO-404",
    }
    before = {p: p.read_bytes() for p in repo.root.rglob("*.md")}
    for args, message in cases.items():
        outcome = review(repo, *args)
        assert outcome.exit_code == 2, args
        assert message in outcome.output, (args, outcome.output)
    assert before == {p: p.read_bytes() for p in repo.root.rglob("*.md")}


def test_refuses_a_value_it_cannot_edit_in_place(repo):
    path = repo.doc(PRO, approved("PRO-001"))
    path.write_text(path.read_text().replace("last_reviewed: '2026-06-01'", "last_reviewed:\n  '2026-06-01'"))
    before = path.read_bytes()
    outcome = review(repo, "PRO-001", "--by", "md")
    assert outcome.exit_code == 2
    assert "write it on one line" in outcome.output
    assert path.read_bytes() == before


def test_unknown_reviewer_is_a_finding(repo, run_check):
    repo.doc(PRO, approved("PRO-001", reviewed_by="nobody"))
    assert [(f.rule, f.line) for f in run_check(repo).findings] == [("unknown-reviewer", 16)]


def test_records_may_not_carry_reviewed_by(repo, run_check):
    repo.doc("records/r.md", record("REC-001", reviewed_by="md"))
    assert "schema" in [f.rule for f in run_check(repo).findings]


def test_a_document_from_the_parse_cache_is_reviewed_as_written(repo, monkeypatch):
    """After a check recorded the files, review's document comes from the cache's record: it reads it explicitly."""
    import subprocess

    from isodocs.readers import parsecache

    subprocess.run(["git", "init", "-q", str(repo.root)], check=True)  # the cache's signing key lives in .git
    git_repo = repo
    real = parsecache._now_ns
    monkeypatch.setattr(parsecache, "_now_ns", lambda: real() + 60 * 1_000_000_000)  # the files are not racy
    path = git_repo.write(PRO, HAND_WRITTEN)
    checked = CliRunner().invoke(main, ["-C", str(git_repo.root), "check", "--today", "2026-11-27"])
    assert PRO in parsecache.ParseCache(git_repo.root).files, checked.output  # recorded: the next load skips it
    outcome = review(git_repo, "PRO-001", "--by", "md", "--date", "2026-11-20")
    assert outcome.exit_code == 0, outcome.output
    assert "last_reviewed: '2026-11-20'  # annual review\nreviewed_by: md\n" in path.read_text("utf-8")
