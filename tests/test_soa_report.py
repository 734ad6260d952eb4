"""``isodocs soa``: the generated Statement of Applicability."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from isodocs.cli import main
from isodocs.readers.catalog import builtin_catalogs
from tests.conftest import approved, record

ISO27001 = builtin_catalogs()["iso27001"]
EXCLUSIONS = {
    "A.7.4": "No premises of our own; the landlord monitors the building",
    "A.8.31": "Pipes | and backslashes \\ stay in their cell",
}


def write_soa(repo) -> None:
    lines = ["controls:"]
    for control in ISO27001.controls:
        if control.id in EXCLUSIONS:
            lines.append(f"  {control.id}: {{applicable: false, justification: {json.dumps(EXCLUSIONS[control.id])}}}")
        elif control.id == "A.5.7":
            lines.append(f"  {control.id}: {{applicable: true, status: planned, justification: Threat feeds needed}}")
        else:
            lines.append(f"  {control.id}: {{applicable: true, status: implemented}}")
    repo.write("soa.yml", "\n".join(lines) + "\n")


def soa(repo, *args):
    return CliRunner().invoke(main, ["-C", str(repo.root), "soa", *args])


def setup_isms(repo):
    write_soa(repo)
    repo.doc("policies/isms.md", approved("POL-004", type="policy", clauses={"iso27001": ["A.5.1", "A.5.2"]}))
    repo.doc("policies/draft.md", approved("POL-009", type="policy", status="draft", clauses={"iso27001": ["A.5.1"]}))
    repo.doc("records/review.md", record("REC-003", clauses={"iso27001": ["A.5.1"]}))


def test_json_has_93_rows_and_joins_documents(repo):
    setup_isms(repo)
    result = soa(repo, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["standard", "name", "organization", "summary", "controls"]
    assert data["summary"] == {
        "controls": 93, "applicable": 91, "excluded": 2, "undecided": 0,
        "implemented": 90, "partial": 0, "planned": 1,
    }  # fmt: skip
    rows = data["controls"]
    assert len(rows) == 93
    assert [row["id"] for row in rows] == [c.id for c in ISO27001.controls]
    assert {row["theme"] for row in rows} == {"organizational", "people", "physical", "technological"}
    first = rows[0]
    assert list(first) == [
        "id", "title", "theme", "applicability", "applicable", "status", "justification", "reasons", "notes",
        "documents", "records",
    ]  # fmt: skip
    assert first["id"] == "A.5.1" and first["status"] == "implemented" and first["applicable"] is True
    assert [d["id"] for d in first["documents"]] == ["POL-004"]  # the draft does not count
    assert [r["id"] for r in first["records"]] == ["REC-003"]
    excluded = [row for row in rows if row["applicability"] == "excluded"]
    assert {row["id"] for row in excluded} == set(EXCLUSIONS)
    assert all(row["justification"] and row["status"] is None and row["applicable"] is False for row in excluded)


def test_markdown_table(repo):
    setup_isms(repo)
    result = soa(repo)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "# Statement of Applicability: Test Ltd"
    rows = [line for line in lines if line.startswith("| A.")]
    assert len(rows) == 93
    assert all(row.count(" | ") == 6 for row in rows if "\\|" not in row)
    a51 = (
        "| A.5.1 | Policies for information security | Organizational | Yes | implemented |  | "
        "POL-004 v1.0, REC-003 |"
    )
    assert a51 in rows
    a74 = next(row for row in rows if row.startswith("| A.7.4 |"))
    assert "| Physical | No |  | No premises of our own; the landlord monitors the building |" in a74
    a831 = next(row for row in rows if row.startswith("| A.8.31 |"))
    assert "Pipes \\| and backslashes \\\\ stay in their cell" in a831
    assert "93 controls: 91 applicable (90 implemented, 0 partial, 1 planned), 2 excluded." in lines


def test_csv(repo):
    setup_isms(repo)
    result = soa(repo, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 93
    assert list(rows[0]) == [
        "control", "title", "theme", "applicable", "status", "justification", "notes", "documents", "records",
    ]  # fmt: skip
    assert rows[0]["documents"] == "POL-004 v1.0" and rows[0]["records"] == "REC-003"
    a74 = next(row for row in rows if row["control"] == "A.7.4")
    assert (a74["applicable"], a74["status"], a74["justification"]) == ("no", "", EXCLUSIONS["A.7.4"])


def test_undecided_and_invalid_controls_show_as_not_decided(repo):
    repo.write("soa.yml", "controls:\n  A.5.1: {applicable: true, status: implemented}\n  A.5.2: {applicable: maybe}\n")
    result = soa(repo, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["undecided"] == 92
    assert data["controls"][1]["applicability"] == "undecided" and data["controls"][1]["applicable"] is None
    assert "break its schema" in result.stderr


def test_no_soa_file_exits_2(repo):
    result = soa(repo)
    assert result.exit_code == 2
    assert "no soa.yml" in result.output


def test_unreadable_soa_file_exits_2(repo):
    repo.write("soa.yml", "controls: [\n")
    result = soa(repo)
    assert result.exit_code == 2
    assert "isodocs check soa.yml" in result.output


def test_reasons_for_an_inclusion_show_as_its_justification(repo):
    """ISO/IEC 27001 6.1.3 d: the SoA gives the justification of inclusions, from reasons: or justification:."""
    repo.write(
        "soa.yml",
        "controls:\n"
        "  A.5.1: {applicable: true, status: implemented, reasons: [risk, contractual]}\n"
        "  A.5.2: {applicable: true, status: implemented, justification: Roles are needed, reasons: [legal]}\n",
    )
    data = json.loads(soa(repo, "--format", "json").stdout)
    a51, a52 = data["controls"][:2]
    assert (a51["reasons"], a51["justification"]) == (["risk", "contractual"], None)  # JSON: as written
    assert (a52["reasons"], a52["justification"]) == (["legal"], "Roles are needed")
    markdown = soa(repo).output
    assert "| Yes | implemented | Included for: risk treatment; contractual obligation. |" in markdown
    assert "| Roles are needed Included for: legal or regulatory requirement. |" in markdown
    rows = list(csv.DictReader(io.StringIO(soa(repo, "--format", "csv").stdout)))
    assert rows[0]["justification"] == "Included for: risk treatment; contractual obligation."


def test_reasons_outside_the_list_break_the_schema(repo):
    repo.write("soa.yml", "controls:\n  A.5.1: {applicable: true, status: implemented, reasons: [whim]}\n")
    result = soa(repo, "--format", "json")
    assert "break its schema" in result.stderr
    assert json.loads(result.stdout)["controls"][0]["applicability"] == "undecided"


def isms_check(repo, run_check, soa_lines: dict[str, str]):
    """Findings of the SoA rules on a soa.yml deciding every control, with ``soa_lines`` replacing some."""
    repo.config(
        standards=["iso27001"],
        gap_rules=True,
        rules={"mandatory-document-missing": "off", "mandatory-record-missing": "off"},
    )
    controls = [c.id for c in ISO27001.controls]
    repo.doc("policies/isms.md", approved("POL-001", type="policy", clauses={"iso27001": controls[:-1]}))
    repo.doc("policies/draft.md", approved("POL-002", type="policy", status="draft", clauses={"iso27001": controls}))
    lines = ["controls:"]
    for control in controls:
        default = "{applicable: true, status: implemented, reasons: [risk]}"
        lines.append(f"  {control}: {soa_lines.get(control, default)}")
    repo.write("soa.yml", "\n".join(lines) + "\n")
    return [f for f in run_check(repo).findings if f.rule != "soa-unimplemented-control"]


def test_soa_unjustified_inclusion(repo, run_check):
    findings = isms_check(
        repo,
        run_check,
        {
            "A.5.1": "{applicable: true, status: implemented}",
            "A.5.2": "{applicable: true, status: implemented, justification: '  '}",
            "A.5.3": "{applicable: true, status: implemented, justification: Segregation required by customers}",
            "A.5.4": "{applicable: false, justification: No management}",  # an exclusion is another rule's
        },
    )
    assert [(f.rule, f.severity, f.path, f.line) for f in findings] == [
        ("soa-unjustified-inclusion", "warning", "soa.yml", 2),
        ("soa-unjustified-inclusion", "warning", "soa.yml", 3),
    ]
    assert "A.5.1 Policies for information security is applicable without a justification" in findings[0].message
    assert "reasons: [risk, legal, contractual, business]" in findings[0].message


def test_soa_status_stale(repo, run_check):
    last = ISO27001.controls[-1].id  # no approved document maps to it (only the draft)
    findings = isms_check(
        repo,
        run_check,
        {"A.5.1": "{applicable: true, status: planned, reasons: [risk]}",
         "A.5.2": "{applicable: true, status: planned, reasons: [risk], notes: Tooling due in Q1 2027}",
         last: "{applicable: true, status: planned, reasons: [risk]}"},
    )  # fmt: skip
    assert [(f.rule, f.severity, f.line) for f in findings] == [("soa-status-stale", "warning", 2)]
    assert "A.5.1 Policies for information security is planned, but approved documents map to it (POL-001)" in (
        findings[0].message
    )
    assert "status: implemented" in findings[0].message and "notes:" in findings[0].message


def test_the_sites_soa_rows_carry_the_reasons(repo):
    """The site's SoA page shows the justification column from the same rows: reasons included."""
    from isodocs.app.load import load_system
    from isodocs.site.sources import soa_views

    repo.config(standards=["iso27001"])
    repo.write("soa.yml", "controls:\n  A.5.1: {applicable: true, status: implemented, reasons: [legal]}\n")
    system, _ = load_system(repo.root)
    views = soa_views(system)
    assert views is not None
    assert views[0].justification == "Included for: legal or regulatory requirement."
