"""``isodocs reviews``: overdue and upcoming reviews grouped by owner."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from isodocs.analyses.reviews import review_calendar
from isodocs.app.load import load_system
from isodocs.cli import main
from tests.conftest import TODAY, approved, record

# TODAY is 2026-11-27; next_review is written explicitly to keep the arithmetic visible.


def setup_docs(repo):
    repo.doc("procedures/a.md", approved("PRO-001", owner="qm", next_review="2026-11-17"))  # 10 days overdue
    repo.doc("procedures/b.md", approved("PRO-002", owner="qm", next_review="2026-12-07"))  # 10 days left
    repo.doc("procedures/c.md", approved("PRO-003", owner="ciso", status="in-review", next_review="2026-11-27"))
    repo.doc("procedures/d.md", approved("PRO-004", owner="md", next_review="2027-03-01"))  # outside 30 days
    repo.doc("procedures/e.md", approved("PRO-005", owner="md", status="draft", next_review="2026-01-01"))
    repo.doc("procedures/f.md", approved("PRO-006", owner="md", status="obsolete", next_review="2026-01-01"))
    repo.doc("records/r.md", record("REC-001", owner="md"))
    repo.doc("procedures/g.md", approved("PRO-007", owner="ghost", next_review="2026-11-26"))


def calendar_of(repo, within):
    system, _ = load_system(repo.root, TODAY)
    return review_calendar(system, within)


def test_groups_by_owner_in_people_order_with_days(repo):
    setup_docs(repo)
    calendar = calendar_of(repo, 30)
    assert [owner.key for owner in calendar.owners] == ["qm", "ciso", "ghost"]
    qm = calendar.owners[0]
    assert qm.name == "Jane Smith" and qm.person.role == "Quality Manager"
    assert [(i.id, i.state, i.days_left, i.days_overdue) for i in qm.items] == [
        ("PRO-001", "overdue", -10, 10),
        ("PRO-002", "due", 10, 0),
    ]
    assert [(i.id, i.state, i.days_left) for i in calendar.owners[1].items] == [("PRO-003", "due", 0)]
    assert calendar.owners[2].person is None and calendar.owners[2].name == "unknown owner 'ghost'"
    assert calendar.summary == {"overdue": 2, "due": 2}


def test_within_limits_the_window(repo):
    setup_docs(repo)
    assert [i.id for i in calendar_of(repo, 0).items] == ["PRO-001", "PRO-003", "PRO-007"]
    assert "PRO-004" in [i.id for i in calendar_of(repo, 94).items]  # 2027-03-01 is 94 days away
    assert "PRO-004" not in [i.id for i in calendar_of(repo, 93).items]
    assert len(calendar_of(repo, None).items) == 5


def test_next_review_defaults_from_last_reviewed(repo):
    repo.doc("procedures/a.md", approved("PRO-001", last_reviewed="2025-11-20", approved_on="2025-11-20"))
    [item] = calendar_of(repo, 30).items
    assert (item.next_review.isoformat(), item.days_overdue) == ("2026-11-20", 7)


def reviews(repo, *args):
    return CliRunner().invoke(main, ["-C", str(repo.root), "reviews", "--today", TODAY.isoformat(), *args])


def test_text_output(repo):
    setup_docs(repo)
    result = reviews(repo)
    assert result.exit_code == 0, result.output  # a report: overdue reviews do not fail it
    lines = result.output.splitlines()
    assert lines[0] == "Reviews overdue or due by 2026-12-27 (today 2026-11-27, within 30 days): 2 overdue, 2 due"
    assert "Jane Smith (qm): 1 overdue, 1 due · Quality Manager" in lines
    assert any(line.startswith("  PRO-001   v1.0") and line.endswith("2026-11-17  10 days overdue") for line in lines)
    assert any(line.endswith("2026-12-07  10 days left") for line in lines)
    assert any(line.endswith("2026-11-27  due today") for line in lines)
    assert "unknown owner 'ghost': 1 overdue, 0 due" in lines
    assert max(len(line) for line in lines) <= 100


def test_nothing_due(repo):
    repo.doc("procedures/a.md", approved("PRO-001", next_review="2027-06-01"))
    result = reviews(repo, "--within", "7")
    assert result.exit_code == 0
    assert result.output == "No reviews overdue or due by 2026-12-04 (today 2026-11-27, within 7 days).\n"


def test_json_output(repo):
    setup_docs(repo)
    result = reviews(repo, "--format", "json", "--within", "10")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["today", "within_days", "until", "summary", "owners"]
    assert (data["today"], data["within_days"], data["until"]) == ("2026-11-27", 10, "2026-12-07")
    qm = data["owners"][0]
    assert list(qm) == ["owner", "name", "role", "email", "github", "overdue", "due", "reviews"]
    assert (qm["owner"], qm["name"], qm["github"]) == ("qm", "Jane Smith", "jsmith")
    assert qm["reviews"][0] == {
        "id": "PRO-001", "title": "Procedure PRO-001", "version": "1.0", "status": "approved",
        "path": "procedures/a.md", "next_review": "2026-11-17", "state": "overdue", "days_overdue": 10,
        "days_left": None,
    }  # fmt: skip
    assert qm["reviews"][1]["days_left"] == 10 and qm["reviews"][1]["days_overdue"] is None


def test_csv_output(repo):
    setup_docs(repo)
    result = reviews(repo, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "owner", "owner_name", "owner_role", "owner_email", "id", "title", "version", "status", "path",
        "next_review", "state", "days_overdue", "days_left",
    ]  # fmt: skip
    assert [(r["owner"], r["id"], r["state"], r["days_overdue"], r["days_left"]) for r in rows] == [
        ("qm", "PRO-001", "overdue", "10", ""),
        ("qm", "PRO-002", "due", "", "10"),
        ("ciso", "PRO-003", "due", "", "0"),
        ("ghost", "PRO-007", "overdue", "1", ""),
    ]


def test_negative_within_is_a_usage_error(repo):
    result = reviews(repo, "--within", "-1")
    assert result.exit_code == 2
