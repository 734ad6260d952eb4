"""isodocs objectives, isodocs new objective | management-review, isodocs management-review prepare, the pack."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from isodocs.cli import main
from tests.test_rules import AUD, BASE, DOC, MR, MR_DOC, NC, OBJ, OBJ_DOC, OBJECTIVES_PATHS, edit, front


def run(repo, *args: str):
    return CliRunner().invoke(main, ["-C", str(repo.root), *args])


def findings(result):
    return [f"{f.rule} {f.path}:{f.line} {f.message}" for f in result.findings]


@pytest.fixture
def cycle(repo):
    """A procedure, an audit before the last review and one after, a nonconformity it raised, a held review
    of 2026-10-14 with an open action, and an objective with two results."""
    repo.config(**OBJECTIVES_PATHS)
    repo.write(DOC, front(BASE))
    repo.write("records/audits/a1.md", front(AUD))  # completed 2026-05-19: before the last review
    later = edit(
        ("AUD-001", "AUD-002"),
        ("start: 2026-05-18", "start: 2026-11-09"),
        ("end: 2026-05-19", "end: 2026-11-10"),
        ("title: Internal audit of document control", "title: Internal audit of records"),
        text=AUD,
    )
    repo.write("records/audits/a2.md", front(later))
    repo.write("records/ncs/nc1.md", front(edit(("audit: AUD-001", "audit: AUD-002"), text=NC)))  # raised 2026-10-20
    repo.write(MR_DOC, front(MR))
    repo.write(OBJ_DOC, front(OBJ))
    return repo


# --- isodocs objectives ---


def test_objectives_text_json_and_csv(cycle):
    text = run(cycle, "objectives", "--today", "2026-11-27")
    assert text.exit_code == 0, text.output
    assert "OBJ-001 Orders shipped on time" in text.output and "on-track" in text.output
    assert "latest 94.1 % on 2026-10-31; target >= 95 % by 2026-12-31; trend improving" in text.output
    data = json.loads(run(cycle, "objectives", "--format", "json", "--today", "2026-11-27").output)
    [row] = data["objectives"]
    assert row["latest"] == {"date": "2026-10-31", "value": 94.1} and row["met"] is False
    assert row["trend"] == "improving" and row["open_actions"] == 1 and len(row["results"]) == 2
    rows = list(csv.DictReader(io.StringIO(run(cycle, "objectives", "--format", "csv").output)))
    assert rows[0]["id"] == "OBJ-001" and rows[0]["latest_value"] == "94.1" and rows[0]["target"] == "95.0"


def test_objectives_without_any(repo):
    result = run(repo, "objectives", "--today", "2026-11-27")
    assert result.exit_code == 0 and result.output == "No objectives (today 2026-11-27).\n"


def test_an_objective_past_its_due_date_says_so(cycle):
    path = cycle.root / OBJ_DOC
    path.write_text(path.read_text("utf-8").replace("due: 2026-12-31", "due: 2026-11-01"), "utf-8")
    assert "on-track, OVERDUE" in run(cycle, "objectives", "--today", "2026-11-27").output


# --- isodocs new objective | management-review ---


def test_new_objective_is_a_draft_with_its_plan_and_checks_clean(repo, run_check):
    repo.config(**OBJECTIVES_PATHS)
    result = run(repo, "new", "objective", "--title", "Scrap rate", "--owner", "qm", "--clauses", "iso9001:6.2")
    assert result.exit_code == 0, result.output
    text = (repo.root / "objectives/scrap-rate.md").read_text("utf-8")
    assert "id: OBJ-001\n" in text and "type: objective" in text and "status: draft" in text
    assert "# measure: " in text and "# target: 95" in text and "## Plan" in text
    assert findings(run_check(repo)) == []


def test_new_management_review_lists_every_input_of_the_standards_in_scope(repo, run_check):
    repo.config(standards=["iso9001", "iso45001"])
    result = run(repo, "new", "management-review", "--title", "Management review April 2027", "--owner", "qm",
                 "--date", "2027-04-14")  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (repo.root / "records/management-reviews/management-review-april-2027.md").read_text("utf-8")
    assert "id: MR-001\n" in text and "status: planned" in text and 'date: "2027-04-14"' in text
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    slugs = [line.rsplit("(`", 1)[1].rstrip("`)") for line in headings]
    assert len(slugs) == len(set(slugs)) == 18  # ISO 9001: 12 slugs; ISO 45001 adds 6 of its 15
    assert "worker-consultation" in slugs and "risk-treatment" not in slugs
    assert "Required by ISO 9001:2015 9.3.2 c) 6); ISO 45001:2018 9.3 d) 4)." in text  # audit results
    assert findings(run_check(repo)) == []


# --- isodocs management-review prepare ---


def test_prepare_writes_a_planned_review_with_what_happened_since_the_last(cycle, run_check):
    result = run(cycle, "management-review", "prepare", "--date", "2026-12-02", "--today", "2026-11-27")
    assert result.exit_code == 0, result.output
    path = cycle.root / result.output.splitlines()[0]
    text = path.read_text("utf-8")
    assert "id: MR-002\n" in text and "status: planned" in text and "owner: qm" in text
    assert "title: Management review, December 2026" in text

    def section(slug: str) -> str:
        start = text.index(f"(`{slug}`)")
        end = text.find("\n### ", start)
        return text[start : end if end > 0 else None]

    previous = section("previous-actions")
    assert "MR-001 (2026-10-14): 0 of 1 actions done" in previous
    assert "MR-001: Second source for the power supply (ciso): open, due 2027-01-31" in previous
    assert "NC-001: Link the ancillary tools to their stations (qm): open, due 2026-12-19" in previous
    assert "OBJ-001: Daily dispatch stand-up (qm): open, due 2026-12-15" in previous
    audits = section("audit-results")
    assert "AUD-002 Internal audit of records, 2026-11-10: Conforming. Findings: 1 minor" in audits
    assert "AUD-001" not in audits  # held before the last review
    ncs = section("nonconformities")
    assert "Raised since 2026-10-14: 1; closed since 2026-10-14: 0; open now: 1" in ncs
    assert "NC-001 (minor, audit, raised 2026-10-20) Torque driver used past its calibration date: open" in ncs
    objectives = section("objectives")
    assert "OBJ-001 Orders shipped on time: 94.1 % on 2026-10-31 (target >= 95 % by 2026-12-31)" in objectives
    assert "Documents past their periodic review: none" in section("monitoring-results")
    assert "isodocs records nothing for this input" in section("context-changes")
    assert findings(run_check(cycle)) == []  # a planned review: check accepts the draft


def test_prepare_without_a_held_review_needs_an_owner(repo):
    result = run(repo, "management-review", "prepare")
    assert result.exit_code == 2 and "pass --owner PERSON" in result.output


def test_the_example_prepared_review_is_accepted_and_lists_the_real_records(tmp_path):
    import shutil

    from tests.conftest import REPO_ROOT
    from tests.test_objectives_reviews import EXAMPLE_PARTS

    for part in EXAMPLE_PARTS:
        source = REPO_ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / part)
    runner = CliRunner()
    result = runner.invoke(main, ["-C", str(tmp_path), "management-review", "prepare", "--today", "2026-11-27"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / result.output.splitlines()[0]).read_text("utf-8")
    for fact in ("MR-002 (2026-10-14): 3 of 8 actions done", "AUD-010", "NC-006", "NC-005: Review the legal register",
                 "OBJ-018 Reportable personal data breaches"):  # fmt: skip
        assert fact in text, fact
    checked = runner.invoke(main, ["-C", str(tmp_path), "check", "--today", "2026-11-27"])
    assert checked.exit_code == 0 and "0 errors" in checked.output, checked.output


def test_new_objective_says_to_add_its_folder_to_paths(repo):
    result = run(repo, "new", "objective", "--title", "Scrap rate", "--owner", "qm")
    assert result.exit_code == 2
    assert "objective documents go in objectives/" in result.output and "add objectives to paths:" in result.output
