"""Repository-wide gap-analysis rules: mandatory documents and records, the SoA decisions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from isodocs.readers.catalog import builtin_catalogs
from tests.conftest import REPO_ROOT, approved, record

ISO9001 = builtin_catalogs()["iso9001"]
ISO27001 = builtin_catalogs()["iso27001"]


def complete_iso9001(repo):
    """A tiny repo that meets every documented-information requirement of ISO 9001."""
    repo.config(standards=["iso9001"], gap_rules=True)
    maintain = [c.id for c in ISO9001.clauses.values() if c.needs_document and c.id != "5.2.2"]
    retain = [c.id for c in ISO9001.clauses.values() if c.needs_record]
    repo.doc("procedures/manual.md", approved("PRO-001", clauses={"iso9001": maintain}))
    repo.doc("policies/quality-policy.md", approved("POL-001", type="policy", clauses={"iso9001": ["5.2.2"]}))
    repo.doc("records/evidence.md", record("REC-001", clauses={"iso9001": retain}))


def line_of(repo, rel: str, text: str) -> int:
    """1-based line of the first line of ``rel`` containing ``text``."""
    lines = (repo.root / rel).read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def rules_of(result, *slugs):
    return [f for f in result.findings if f.rule in slugs]


def test_complete_repo_has_no_gap_findings(repo, run_check):
    complete_iso9001(repo)
    result = run_check(repo)
    assert result.findings == []
    assert result.exit_code() == 0


def test_deleting_the_quality_policy_fails_with_mandatory_document_missing(repo, run_check):
    complete_iso9001(repo)
    (repo.root / "policies/quality-policy.md").unlink()
    result = run_check(repo)
    assert result.exit_code() == 1
    [finding] = result.findings
    assert finding.rule == "mandatory-document-missing"
    assert finding.severity == "error"
    assert finding.path == "isodocs.yml"
    assert finding.line == line_of(repo, "isodocs.yml", "- iso9001")
    assert "ISO 9001:2015 5.2.2 Communicating the quality policy" in finding.message
    assert "The quality policy" in finding.message
    assert "clauses: {iso9001: [\"5.2.2\"]}" in finding.message


@pytest.mark.parametrize("status", ["draft", "in-review", "obsolete"])
def test_a_quality_policy_that_is_not_approved_does_not_count(repo, run_check, status):
    complete_iso9001(repo)
    repo.doc(
        "policies/quality-policy.md", approved("POL-001", type="policy", status=status, clauses={"iso9001": ["5.2.2"]})
    )
    assert {f.rule for f in rules_of(run_check(repo), "mandatory-document-missing")} == {"mandatory-document-missing"}


def test_mapping_the_parent_does_not_meet_a_childs_requirement(repo, run_check):
    complete_iso9001(repo)
    repo.doc("policies/quality-policy.md", approved("POL-001", type="policy", clauses={"iso9001": ["5.2"]}))
    [finding] = rules_of(run_check(repo), "mandatory-document-missing")
    assert " 5.2.2 " in finding.message


def test_a_record_does_not_meet_a_maintain_requirement(repo, run_check):
    complete_iso9001(repo)
    (repo.root / "policies/quality-policy.md").unlink()
    repo.doc("records/policy-memo.md", record("REC-002", clauses={"iso9001": ["5.2.2"]}))
    assert len(rules_of(run_check(repo), "mandatory-document-missing")) == 1


def test_mandatory_record_missing(repo, run_check):
    complete_iso9001(repo)
    retain = [c.id for c in ISO9001.clauses.values() if c.needs_record and c.id != "9.2.2"]
    repo.doc("records/evidence.md", record("REC-001", clauses={"iso9001": retain}))
    # A procedure on 9.2.2 is not a record of the audit programme.
    repo.doc("procedures/audit.md", approved("PRO-002", clauses={"iso9001": ["9.2.2"]}))
    result = run_check(repo)
    [finding] = result.findings
    assert finding.rule == "mandatory-record-missing"
    assert finding.severity == "warning"
    assert (finding.path, finding.line) == ("isodocs.yml", line_of(repo, "isodocs.yml", "- iso9001"))
    assert "ISO 9001:2015 9.2.2 Internal audit" in finding.message and "record" in finding.message
    assert result.exit_code() == 0 and result.exit_code(strict=True) == 1


def test_gap_findings_point_at_each_standards_line(repo, run_check):
    repo.config(standards=["iso9001", "iso14001"], gap_rules=True)
    lines = {f.message.split(" ")[1]: f.line for f in rules_of(run_check(repo), "mandatory-document-missing")}
    assert lines == {
        "9001:2015": line_of(repo, "isodocs.yml", "- iso9001"),
        "14001:2015": line_of(repo, "isodocs.yml", "- iso14001"),
    }
    assert lines["9001:2015"] != lines["14001:2015"]


def test_gap_rules_can_be_turned_off(repo, run_check):
    repo.config(
        standards=["iso9001"],
        gap_rules=True,
        rules={"mandatory-document-missing": "off", "mandatory-record-missing": "off"},
    )
    assert run_check(repo).findings == []


# soa.yml


def soa_text(skip=(), **entries: str) -> str:
    """soa.yml deciding every control as implemented, except ``skip``; ``entries`` replace lines."""
    lines = ["controls:"]
    for control in ISO27001.controls:
        if control.id in skip:
            continue
        value = entries.get(control.id.replace(".", "_"), "{applicable: true, status: implemented, reasons: [risk]}")
        lines.append(f"  {control.id}: {value}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def isms(repo):
    """iso27001 in scope, gap rules on, mandatory-* off: only the SoA rules speak."""
    repo.config(
        standards=["iso27001"],
        gap_rules=True,
        rules={"mandatory-document-missing": "off", "mandatory-record-missing": "off"},
    )
    controls = [c.id for c in ISO27001.controls]
    repo.doc("policies/isms.md", approved("POL-001", type="policy", owner="ciso", clauses={"iso27001": controls}))
    return repo


def test_complete_soa_is_clean(isms, run_check):
    isms.write("soa.yml", soa_text())
    assert run_check(isms).findings == []


def test_no_soa_file_is_one_finding_against_isodocs_yml(isms, run_check):
    [finding] = run_check(isms).findings
    assert finding.rule == "soa-missing-control"
    assert (finding.path, finding.line) == ("isodocs.yml", line_of(isms, "isodocs.yml", "- iso27001"))
    assert "no soa.yml" in finding.message and "93 Annex A controls" in finding.message


def test_soa_missing_control_names_the_control(isms, run_check):
    isms.write("soa.yml", soa_text(skip={"A.5.7", "A.8.34"}))
    findings = run_check(isms).findings
    assert [f.rule for f in findings] == ["soa-missing-control"] * 2
    assert {f.path for f in findings} == {"soa.yml"}
    assert {f.line for f in findings} == {1}  # the controls: line
    assert "A.5.7 Threat intelligence has no decision" in findings[0].message + findings[1].message


def test_no_soa_rules_when_iso27001_is_out_of_scope(repo, run_check):
    repo.config(standards=["iso9001"], gap_rules=True, rules={"mandatory-document-missing": "off",
                                                                "mandatory-record-missing": "off"})  # fmt: skip
    assert run_check(repo).findings == []
    repo.write("soa.yml", "controls:\n  A.7.4: {applicable: false}\n")
    assert run_check(repo).findings == []


def test_soa_unjustified_exclusion(isms, run_check):
    isms.write("soa.yml", soa_text(A_7_4="{applicable: false}", A_7_5="{applicable: false, justification: '  '}"))
    findings = run_check(isms).findings
    assert [f.rule for f in findings] == ["soa-unjustified-exclusion"] * 2
    assert findings[0].path == "soa.yml"
    lines = (isms.root / "soa.yml").read_text().splitlines()
    assert lines[findings[0].line - 1].startswith("  A.7.4:")
    assert "A.7.4 is excluded" in findings[0].message and "justification" in findings[0].message


def test_justified_exclusion_is_fine(isms, run_check):
    isms.write("soa.yml", soa_text(A_7_4="{applicable: false, justification: No premises of our own}"))
    assert run_check(isms).findings == []


def test_soa_unimplemented_control(isms, run_check):
    controls = [c.id for c in ISO27001.controls if c.id not in ("A.8.1", "A.8.2")]
    isms.doc("policies/isms.md", approved("POL-001", type="policy", owner="ciso", clauses={"iso27001": controls}))
    # A record mapped to a control shows it implemented too.
    isms.doc("records/access-review.md", record("REC-001", owner="ciso", clauses={"iso27001": ["A.8.2"]}))
    isms.write("soa.yml", soa_text())
    [finding] = run_check(isms).findings
    assert finding.rule == "soa-unimplemented-control"
    assert finding.severity == "warning"
    assert "A.8.1 User end point devices is applicable and is marked implemented" in finding.message
    lines = (isms.root / "soa.yml").read_text().splitlines()
    assert lines[finding.line - 1].startswith("  A.8.1:")


def test_unimplemented_ignores_excluded_and_drafts_do_not_count(isms, run_check):
    controls = [c.id for c in ISO27001.controls if c.id != "A.8.1"]
    isms.doc("policies/isms.md", approved("POL-001", type="policy", owner="ciso", clauses={"iso27001": controls}))
    draft = approved("POL-002", type="policy", status="draft", clauses={"iso27001": ["A.8.1"]})
    isms.doc("policies/endpoint.md", draft)
    isms.write("soa.yml", soa_text(A_8_1="{applicable: false, justification: No endpoints}"))
    assert run_check(isms).findings == []
    isms.write("soa.yml", soa_text(A_8_1="{applicable: true, status: planned, reasons: [risk]}"))
    [finding] = run_check(isms).findings
    assert finding.rule == "soa-unimplemented-control" and "is planned" in finding.message


def test_soa_unknown_control_suggests_the_nearest(isms, run_check):
    extra = "  A.8.35: {applicable: true, status: implemented}\n  5.1: {applicable: false}\n"
    isms.write("soa.yml", soa_text() + extra)
    findings = run_check(isms).findings
    assert [f.rule for f in findings] == ["soa-unknown-control"] * 2  # not also an unjustified exclusion
    messages = {f.message for f in findings if f.rule == "soa-unknown-control"}
    assert any(m.startswith("A.8.35 is no Annex A control") for m in messages)
    assert any(m.startswith("5.1 is no Annex A control") and "did you mean A.5.1" in m for m in messages)


def test_soa_yaml_error_is_a_finding_with_its_line(isms, run_check):
    isms.write("soa.yml", "controls:\n  A.5.1: {applicable: true, status: implemented\n  A.5.2: x\n")
    findings = run_check(isms).findings
    assert [f.rule for f in findings] == ["soa-invalid"]
    assert findings[0].path == "soa.yml" and findings[0].line >= 2


@pytest.mark.parametrize(
    ("entry", "line_of", "text"),
    [
        ("{applicable: true, status: implementd}", "A.5.1", "'implementd' is not one of"),
        ("{applicable: true}", "A.5.1", "needs status: implemented, partial or planned"),
        ("{applicable: yes please}", "A.5.1", "is not of type 'boolean'"),
        (
            "{applicable: false, justifcation: x}",
            "justifcation",
            "unknown key 'justifcation'; did you mean justification?",
        ),
        ("true", "A.5.1", "is not of type 'object'"),
    ],
)
def test_soa_schema_errors(isms, run_check, entry, line_of, text):
    isms.write("soa.yml", soa_text(A_5_1=entry))
    findings = run_check(isms).findings
    assert [f.rule for f in findings] == ["soa-invalid"], findings  # no second finding for the same entry
    lines = (isms.root / "soa.yml").read_text().splitlines()
    assert line_of in lines[findings[0].line - 1]
    assert text in findings[0].message


def test_soa_not_a_mapping(isms, run_check):
    isms.write("soa.yml", "- A.5.1\n")
    [finding] = run_check(isms).findings
    assert finding.rule == "soa-invalid" and "controls:" in finding.message


def test_soa_duplicate_control(isms, run_check):
    isms.write("soa.yml", soa_text() + "  A.5.1: {applicable: true, status: partial, reasons: [risk]}\n")
    [finding] = run_check(isms).findings
    assert finding.rule == "soa-invalid" and "appears twice" in finding.message


EXAMPLE_PARTS = ("policies", "procedures", "forms", "records", "isodocs.yml", "soa.yml")


@pytest.mark.skipif(
    not (REPO_ROOT / "policies" / "quality-policy.md").is_file(), reason="the example management system is not here"
)
def test_deleting_the_example_quality_policy_fails_check(tmp_path: Path):
    from isodocs.app.check import CheckOptions, run_check

    for part in EXAMPLE_PARTS:
        source = REPO_ROOT / part
        if source.is_dir():
            shutil.copytree(source, tmp_path / part)
        elif source.is_file():
            shutil.copy(source, tmp_path / part)
    before = run_check(CheckOptions(root=tmp_path))
    assert not [f for f in before.findings if f.rule == "mandatory-document-missing" and " 5.2.2 " in f.message]
    (tmp_path / "policies" / "quality-policy.md").unlink()
    after = run_check(CheckOptions(root=tmp_path))
    assert after.exit_code() == 1
    missing = [f for f in after.findings if f.rule == "mandatory-document-missing"]
    assert any(f.message.startswith("ISO 9001:2015 5.2.2 ") for f in missing), missing
    assert all(f.path == "isodocs.yml" for f in missing)
