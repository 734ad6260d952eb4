"""The coverage model: which clauses count as covered, which mandatory ones are met, the percentages."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from isodocs.analyses.coverage import COVERED, EXCLUDED, GAP, MANDATORY_GAP, compute_coverage, percent
from isodocs.app.load import load_system
from isodocs.cli import main
from tests.conftest import TODAY, approved, record


def coverage_of(repo, key="iso9001"):
    system, _ = load_system(repo.root, TODAY)
    return {item.clause.id: item for item in compute_coverage(system)[key].clauses}


def test_subclause_mapping_covers_itself_and_its_parents_only(repo):
    repo.doc("procedures/a.md", approved(clauses={"iso9001": ["7.5.3.1"]}))
    clauses = coverage_of(repo)
    assert clauses["7.5.3.1"].status == COVERED
    assert [ref.id for ref in clauses["7.5.3.1"].documents] == ["PRO-001"]
    # Parents are covered through the child but list no documents of their own.
    for parent in ("7.5.3", "7.5", "7"):
        assert clauses[parent].status == COVERED
        assert clauses[parent].documents == ()
    # Siblings and the parent's other children are not.
    assert clauses["7.5.3.2"].status == GAP
    assert clauses["7.5.1"].status == GAP
    assert clauses["7.4"].status == GAP


def test_parent_mapping_does_not_cover_children(repo):
    repo.doc("procedures/a.md", approved(clauses={"iso9001": ["7.5"]}))
    clauses = coverage_of(repo)
    assert clauses["7.5"].status == COVERED
    assert clauses["7.5.1"].status == GAP
    assert clauses["7.5.3.1"].status == GAP


def test_mandatory_clause_needs_the_right_kind_of_documented_information(repo):
    # 5.2.2 needs a maintained document; 9.2.2 a retained record; 4.4.2 both.
    repo.doc("records/audit.md", record("REC-001", clauses={"iso9001": ["5.2.2", "9.2.2", "4.4.2"]}))
    clauses = coverage_of(repo)
    assert clauses["9.2.2"].status == COVERED
    assert clauses["5.2.2"].status == MANDATORY_GAP
    assert clauses["5.2.2"].missing == ("maintain",)
    assert clauses["4.4.2"].missing == ("maintain",)
    repo.doc("policies/quality.md", approved("POL-001", type="policy", clauses={"iso9001": ["5.2.2", "4.4.2"]}))
    clauses = coverage_of(repo)
    assert clauses["5.2.2"].status == COVERED
    assert clauses["4.4.2"].status == COVERED
    assert clauses["4.4.2"].required == ("maintain", "retain")


@pytest.mark.parametrize("status", ["draft", "in-review", "obsolete"])
def test_only_approved_documents_count(repo, status):
    repo.doc("policies/quality.md", approved("POL-001", type="policy", status=status, clauses={"iso9001": ["5.2.2"]}))
    clauses = coverage_of(repo)
    assert clauses["5.2.2"].status == MANDATORY_GAP
    assert clauses["5.2.2"].documents == ()
    assert clauses["5.2"].status == GAP


def test_one_document_counts_for_each_standard_it_maps(repo):
    repo.config(standards=["iso9001", "iso14001", "iso27001"])
    repo.doc("procedures/doc-control.md", approved(clauses={"iso9001": ["7.5.1"], "iso27001": ["7.5.1", "A.5.37"]}))
    system, _ = load_system(repo.root, TODAY)
    coverage = compute_coverage(system)
    assert list(coverage) == ["iso9001", "iso14001", "iso27001"]  # in-scope order
    assert {c.clause.id: c.status for c in coverage["iso9001"].clauses}["7.5.1"] == COVERED
    by_id = {c.clause.id: c for c in coverage["iso27001"].clauses}
    assert by_id["7.5.1"].status == COVERED and by_id["A.5.37"].status == COVERED
    assert coverage["iso14001"].covered == 0
    # A clause listed twice still names the document once.
    repo.doc("procedures/doc-control.md", approved(clauses={"iso9001": ["7.5.1", "7.5.1"]}))
    assert len(coverage_of(repo)["7.5.1"].documents) == 1


def test_percentages(repo):
    repo.config(standards=["iso9001"])
    repo.doc("policies/quality.md", approved("POL-001", type="policy", clauses={"iso9001": ["5.2.2"]}))
    system, _ = load_system(repo.root, TODAY)
    coverage = compute_coverage(system)["iso9001"]
    # 5.2.2 and its ancestors 5.2 and 5 are covered.
    assert coverage.covered == 3
    assert coverage.total == len(system.catalogs["iso9001"].clauses) == 91
    assert coverage.percent == percent(3, 91) == 3.2
    mandatory = [c for c in system.catalogs["iso9001"].clauses.values() if c.documented_information]
    assert coverage.mandatory_total == len(mandatory) == 25
    assert coverage.mandatory_met == 1
    assert coverage.mandatory_percent == 4.0
    assert [c.clause.id for c in coverage.mandatory_gaps][:2] == ["4.3", "4.4.2"]


def test_percent_rounds_down_and_handles_nothing():
    assert percent(2, 3) == 66.6
    assert percent(9999, 10000) == 99.9
    assert percent(1, 1) == 100.0
    assert percent(0, 0) is None


def test_requirement_met_by_a_subclause_mapping_in_a_custom_catalogue(repo):
    # No built-in clause with a documented-information requirement has sub-clauses,
    # so the rule that a sub-clause's document meets its parent's requirement is
    # shown with a catalogue of the repo's own.
    repo.write(
        "standards/demo.yml",
        "key: demo\ntitle: Demo\nclauses:\n"
        "  - id: '1'\n    title: Policies\n    documented_information: maintain\n    required: Policies.\n"
        "    clauses:\n      - id: '1.1'\n        title: Specific policy\n"
        "      - id: '1.2'\n        title: Other policy\n        documented_information: maintain\n"
        "        required: The other policy.\n",
    )
    repo.config(standards=["demo"], catalogs=["standards/demo.yml"])
    repo.doc("policies/p.md", approved("POL-001", type="policy", clauses={"demo": ["1.1"]}))
    clauses = coverage_of(repo, "demo")
    assert clauses["1"].status == COVERED  # met through 1.1
    assert clauses["1.2"].status == MANDATORY_GAP  # a parent's mapping never meets a child's
    repo.doc("policies/p.md", approved("POL-001", type="policy", clauses={"demo": ["1"]}))
    clauses = coverage_of(repo, "demo")
    assert clauses["1"].status == COVERED
    assert clauses["1.2"].status == MANDATORY_GAP


def test_excluded_controls_leave_the_percentages(repo):
    repo.config(standards=["iso27001"])
    repo.write("soa.yml", "controls:\n  A.7.4: {applicable: false, justification: Landlord monitors}\n")
    system, _ = load_system(repo.root, TODAY)
    coverage = compute_coverage(system)["iso27001"]
    by_id = {c.clause.id: c for c in coverage.clauses}
    assert by_id["A.7.4"].status == EXCLUDED
    assert coverage.total == len(system.catalogs["iso27001"].clauses) - 1


def run_cli(repo, *args):
    return CliRunner().invoke(main, ["-C", str(repo.root), *args])


def test_cli_text_marks_gaps_and_fits_100_columns(repo):
    repo.doc("procedures/a.md", approved(clauses={"iso9001": ["7.5", "7.5.1", "7.5.2", "7.5.3", "4.3", "9.2.2"]}))
    repo.doc("records/audit.md", record("REC-001"))
    result = run_cli(repo, "coverage", "--standard", "iso9001")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert lines[0] == "ISO 9001:2015"
    row = next(line for line in lines if line.startswith(" 5.2 "))
    assert "GAP" in row
    row = next(line for line in lines if line.startswith("  5.2.2 "))
    assert "MANDATORY GAP" in row and "maintain" in row
    row = next(line for line in lines if line.startswith("  9.2.2 "))
    assert "covered" in row and "PRO-001 v1.0, REC-001" in row
    assert "Mandatory gaps" in result.output
    assert "5.2.2 Communicating the quality policy: needs an approved document (maintained)" in result.output


def test_cli_all_standards_has_a_summary(repo):
    result = run_cli(repo, "coverage")
    assert result.exit_code == 0, result.output
    assert "ISO 9001:2015" in result.output and "ISO/IEC 27001:2022" in result.output
    assert "All standards" in result.output


def test_cli_json_shape(repo):
    repo.doc("procedures/a.md", approved(clauses={"iso9001": ["5.2.2"]}))
    result = run_cli(repo, "coverage", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["standards", "summary"]
    assert [s["key"] for s in data["standards"]] == ["iso9001", "iso27001"]
    iso9001 = data["standards"][0]
    assert list(iso9001) == [
        "key", "name", "title", "in_scope", "clauses_total", "clauses_covered", "percent",
        "mandatory_total", "mandatory_met", "mandatory_percent", "clauses",
    ]  # fmt: skip
    clause = next(c for c in iso9001["clauses"] if c["id"] == "5.2.2")
    assert clause["status"] == "covered"
    assert clause["required"] == ["maintain"]
    assert clause["documents"] == [
        {"id": "PRO-001", "title": "Procedure PRO-001", "type": "procedure", "version": "1.0",
         "path": "procedures/a.md"}
    ]  # fmt: skip
    assert data["summary"]["clauses"] == iso9001["clauses_total"] + data["standards"][1]["clauses_total"]


def test_cli_csv_shape(repo):
    repo.doc("procedures/a.md", approved(clauses={"iso9001": ["5.2.2"]}))
    result = run_cli(repo, "coverage", "--format", "csv", "--standard", "iso9001")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 91
    assert list(rows[0]) == [
        "standard", "clause", "title", "parent", "depth", "required", "status", "missing", "documents", "records",
    ]  # fmt: skip
    row = next(r for r in rows if r["clause"] == "5.2.2")
    assert row == {
        "standard": "iso9001", "clause": "5.2.2", "title": "Communicating the quality policy", "parent": "5.2",
        "depth": "2", "required": "maintain", "status": "covered", "missing": "", "documents": "PRO-001 v1.0",
        "records": "",
    }  # fmt: skip
    assert next(r for r in rows if r["clause"] == "4.3")["status"] == "mandatory-gap"


def test_cli_standard_out_of_scope_is_allowed_and_unknown_exits_2(repo):
    result = run_cli(repo, "coverage", "--standard", "iso14001")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ISO 14001:2015 (not in scope)")
    result = run_cli(repo, "coverage", "--standard", "iso9010")
    assert result.exit_code == 2
    assert "did you mean iso9001?" in result.output


def test_cli_without_config_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["-C", str(tmp_path), "coverage"])
    assert result.exit_code == 2
    assert "isodocs init" in result.output
