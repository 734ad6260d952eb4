"""``isodocs audits``, ``isodocs nonconformities`` and ``isodocs actions``: rows and formats; the example's cycle."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from isodocs.cli import main
from tests.conftest import REPO_ROOT
from tests.test_rules import AUD, CLOSED_NC, NC, edit, front


def run(repo, *args: str):
    return CliRunner().invoke(main, ["-C", str(repo.root), *args, "--today", "2026-11-27"])


@pytest.fixture
def cycle_repo(repo):
    """An audit (completed), a planned one, an open NC with one open action, a closed NC, an objective's action."""
    repo.write("procedures/doc.md", front(edit(text=_procedure())))
    repo.write("records/audit.md", front(AUD))
    planned = edit(("AUD-001", "AUD-002"), ("status: completed", "status: planned"), text=AUD)
    planned = edit(("end: 2026-05-19", "end: 2026-11-20"), ("conclusion: Conforming.\n", ""), text=planned)
    repo.write("records/planned.md", front(planned))
    repo.write("records/nc.md", front(edit(("due: 2026-12-19}", "due: 2026-11-20}"), text=NC)))  # 7 days overdue
    repo.write(
        "records/closed.md", front(CLOSED_NC.replace("NC-001", "NC-002").replace("grade: minor", "grade: major"))
    )
    repo.write(
        "records/nc3.md",
        front(
            edit(
                ("NC-001", "NC-003"),
                ("grade: minor", "grade: observation"),
                ("owner: qm, due: 2026-12-19}", "owner: md, due: 2027-01-10}"),
                text=NC,
            )
        ),
    )
    return repo


def _procedure() -> str:
    from tests.test_rules import BASE

    return BASE


def test_audits_text_lists_the_programme_and_the_uncovered_clauses(cycle_repo):
    result = run(cycle_repo, "audits")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Audit programme (today 2026-11-27): 2 audits")
    row = next(line for line in lines if line.startswith("AUD-001"))
    assert row.split()[:6] == ["AUD-001", "2026-05-19", "completed", "internal", "ciso", "1/1/1/0"]
    overdue = next(line for line in lines if line.startswith("AUD-002"))
    assert "overdue" in overdue
    assert any(line.startswith("  ISO 9001:2015: 4 of 65 clauses covered (6.1%)") for line in lines)
    assert max(len(line) for line in lines) <= 100


def test_audits_json_and_csv(cycle_repo):
    data = json.loads(run(cycle_repo, "audits", "--format", "json").output)
    first = data["audits"][0]
    assert first["id"] == "AUD-001" and first["findings"] == {
        "major": 1,
        "minor": 1,
        "observation": 1,
        "opportunity": 0,
    }
    assert first["nonconformities"] == ["NC-001", "NC-002", "NC-003"] and first["in_cycle"] is True
    assert data["audits"][1]["overdue"] is True and data["audits"][1]["in_cycle"] is False
    iso9001 = next(c for c in data["coverage"] if c["standard"] == "iso9001")
    assert iso9001["covered"] == 4 and iso9001["uncovered"] == ["4–6", "7.1–7.4", "8–10"]
    assert len(iso9001["uncovered_clauses"]) == 61 and "7.5.1" not in iso9001["uncovered_clauses"]
    rows = list(csv.DictReader(io.StringIO(run(cycle_repo, "audits", "--format", "csv").output)))
    assert [(r["id"], r["status"], r["minor"], r["scope"]) for r in rows] == [
        ("AUD-001", "completed", "1", "iso9001 7.5"),
        ("AUD-002", "planned", "0", "iso9001 7.5"),
    ]


def test_nonconformities_open_first_with_age_actions_and_effectiveness(cycle_repo):
    result = run(cycle_repo, "nonconformities")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert (
        lines[0]
        == "Nonconformities on 2026-11-27: 2 open (major 0, minor 1, observation 1, opportunity 0), 1 closed"
    )
    ids = [line.split()[0] for line in lines if line.startswith("NC-")]
    assert ids == ["NC-001", "NC-003", "NC-002"]
    nc1 = next(line for line in lines if line.startswith("NC-001"))
    assert nc1.split() == [
        "NC-001",
        "open",
        "minor",
        "audit",
        "38d",
        "qm",
        "0/1",
        "2026-11-20",
        "!",
        "due",
        "2027-01-31",
    ]
    assert "effective" in next(line for line in lines if line.startswith("NC-002"))
    late = CliRunner().invoke(main, ["-C", str(cycle_repo.root), "nonconformities", "--today", "2027-02-15"])
    late = late.output.splitlines()  # the effectiveness check overdue too
    assert "due 2027-01-31 (overdue)" in late[3] and max(len(line) for line in late) <= 100
    only_open = run(cycle_repo, "nonconformities", "--open").output
    assert "NC-002" not in only_open and "closed" not in only_open.splitlines()[0]


def test_nonconformities_json_and_csv(cycle_repo):
    data = json.loads(run(cycle_repo, "nonconformities", "--format", "json").output)
    assert data["open_by_grade"] == {"major": 0, "minor": 1, "observation": 1, "opportunity": 0}
    nc1 = data["nonconformities"][0]
    assert (nc1["id"], nc1["age_days"], nc1["overdue_actions"], nc1["next_due"]) == ("NC-001", 38, 1, "2026-11-20")
    rows = list(csv.DictReader(io.StringIO(run(cycle_repo, "nonconformities", "--format", "csv").output)))
    assert [(r["id"], r["status"], r["actions_done"], r["actions_total"], r["effectiveness"]) for r in rows] == [
        ("NC-001", "open", "0", "1", "due 2027-01-31"),
        ("NC-003", "open", "0", "1", "due 2027-01-31"),
        ("NC-002", "closed", "1", "1", "effective"),
    ]


def test_actions_grouped_by_owner_overdue_first(cycle_repo):
    result = run(cycle_repo, "actions")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Open actions (today 2026-11-27): 2 open, 1 overdue"
    assert lines[2].startswith("Jane Smith (qm): 1 open, 1 overdue · Quality Manager")
    assert lines[3].split()[:4] == ["NC-001", "2026-11-20", "7", "days"] and "overdue" in lines[3]
    assert lines[5].startswith("Raj Patel (md): 1 open, 0 overdue")


def test_actions_owner_and_within(cycle_repo):
    assert "NC-003" not in run(cycle_repo, "actions", "--owner", "qm").output
    within = run(cycle_repo, "actions", "--within", "10").output
    assert "NC-001" in within and "NC-003" not in within  # overdue always shown; 2027-01-10 is 44 days away
    assert "NC-003" in run(cycle_repo, "actions", "--within", "44").output
    bad = run(cycle_repo, "actions", "--owner", "qmm")
    assert (
        bad.exit_code == 2 and "--owner qmm: no such key of people" in bad.output and "did you mean qm?" in bad.output
    )


def test_actions_json_and_csv(cycle_repo):
    data = json.loads(run(cycle_repo, "actions", "--format", "json").output)
    assert data["summary"] == {"open": 2, "overdue": 1}
    first = data["owners"][0]["actions"][0]
    assert (first["document"], first["number"], first["overdue"], first["days_overdue"]) == ("NC-001", 1, True, 7)
    rows = list(csv.DictReader(io.StringIO(run(cycle_repo, "actions", "--format", "csv").output)))
    assert [(r["owner"], r["document"], r["due"], r["overdue"]) for r in rows] == [
        ("qm", "NC-001", "2026-11-20", "True"),
        ("md", "NC-003", "2027-01-10", "False"),
    ]


def test_reports_on_a_repository_without_cycle_records(repo):
    assert run(repo, "audits").exit_code == 0
    assert run(repo, "nonconformities").output == "No nonconformities (today 2026-11-27).\n"
    assert run(repo, "actions").output == "No open actions (today 2026-11-27).\n"


# --- the example repository's cycle ---


@pytest.fixture
def example(tmp_path) -> Path:
    """A copy of the example management system (the documents, configuration and SoA)."""
    root = tmp_path / "example"
    root.mkdir()
    for name in ("policies", "procedures", "forms", "records", "objectives"):
        shutil.copytree(REPO_ROOT / name, root / name)
    for name in ("isodocs.yml", "soa.yml"):
        shutil.copy(REPO_ROOT / name, root / name)
    return root


def check(root: Path, *args: str):
    return CliRunner().invoke(main, ["-C", str(root), "check", "--today", "2026-11-27", *args])


def test_the_example_checks_clean_with_its_whole_cycle(example):
    result = check(example, "--format", "json")
    # Clean but for two procedures whose new versions the example leaves deliberately within their
    # training grace period (docs/training.md): the site shows real completion figures.
    findings = json.loads(result.output)["findings"]
    assert result.exit_code == 0, result.output
    assert sorted((f["rule"], f["id"]) for f in findings) == [("training-due", "PRO-016"), ("training-due", "PRO-022")]
    audits = json.loads(
        CliRunner().invoke(main, ["-C", str(example), "audits", "--format", "json", "--today", "2026-11-27"]).output
    )
    statuses = {row["status"] for row in audits["audits"]}
    assert statuses == {"completed", "planned"} and all(not c["uncovered"] for c in audits["coverage"])
    ncs = json.loads(CliRunner().invoke(main, ["-C", str(example), "nonconformities", "--format", "json"]).output)
    states = {(nc["status"], nc["effectiveness"]) for nc in ncs["nonconformities"]}
    assert ("closed", "effective") in states
    assert any(nc["status"] == "open" and 0 < nc["actions_done"] < nc["actions_total"] for nc in ncs["nonconformities"])


def test_deleting_the_audits_of_clause_8_fails_with_the_gap(example):
    for path in (example / "records" / "audits").glob("*.md"):
        text = path.read_text("utf-8")
        if 'iso9001: ["8' in text or 'iso9001: ["7.1.5", "8' in text:
            path.unlink()
    result = check(example, "--format", "json")
    gaps = [f for f in json.loads(result.output)["findings"] if f["rule"] == "audit-programme-gap"]
    iso9001 = next(f for f in gaps if f["message"].startswith("ISO 9001:2015"))
    assert result.exit_code == 1
    assert "24 of 65 clauses" in iso9001["message"] and ": 8. Plan an audit" in iso9001["message"]


def test_an_action_due_in_the_past_fails_on_its_line(example):
    path = next((example / "records" / "nonconformities").glob("nc-006-*.md"))
    text = path.read_text("utf-8")
    path.write_text(text.replace("due: 2026-12-18}", "due: 2026-11-02}"), "utf-8")
    line = next(n for n, t in enumerate(path.read_text("utf-8").splitlines(), 1) if "due: 2026-11-02" in t)
    result = check(example, "--format", "json")
    [finding] = [f for f in json.loads(result.output)["findings"] if f["rule"] == "action-overdue"]
    assert result.exit_code == 1 and finding["line"] == line and finding["id"] == "NC-006"
    assert "kn (Kamil Nowak) was due 2026-11-02 (25 days ago)" in finding["message"]
