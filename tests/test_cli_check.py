"""`isodocs check` from the command line: exit codes, options and configuration errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from isodocs.cli import main, missing_dependency
from tests.conftest import REPO_ROOT, approved
from tests.test_rules import BASE, DOC, edit, front

DUE_SOON = front(edit(("last_reviewed: 2026-06-01", "last_reviewed: 2025-12-15")))  # a warning only
UNKNOWN_OWNER = front(edit(("owner: qm", "owner: nobody")))  # an error


def isodocs(repo, *args: str, today: str | None = "2026-11-27"):
    """Run `isodocs -C REPO check ...` in-process; return click's Result."""
    command = ["-C", str(repo.root), "check", *args]
    if today:
        command += ["--today", today]
    return CliRunner().invoke(main, command, catch_exceptions=False)


def test_clean_exits_0(repo):
    repo.write(DOC, front(BASE))
    outcome = isodocs(repo)
    assert outcome.exit_code == 0 and "No problems in 1 document" in outcome.stdout


def test_errors_exit_1(repo):
    repo.write(DOC, UNKNOWN_OWNER)
    outcome = isodocs(repo)
    assert outcome.exit_code == 1
    assert "procedures/doc.md\n" in outcome.stdout and "unknown-owner [PRO-001]" in outcome.stdout


def test_warnings_exit_0_without_strict_and_1_with_it(repo):
    repo.write(DOC, DUE_SOON)
    assert isodocs(repo).exit_code == 0
    strict = isodocs(repo, "--strict")
    assert strict.exit_code == 1 and "review-due-soon" in strict.stdout


def test_no_config_exits_2_and_says_to_run_init(tmp_path):
    (tmp_path / "procedures").mkdir()
    outcome = CliRunner().invoke(main, ["-C", str(tmp_path), "check"])
    assert outcome.exit_code == 2
    assert "no isodocs.yml" in outcome.stderr and "isodocs init" in outcome.stderr
    assert "Traceback" not in outcome.output


def test_broken_config_yaml_exits_2_with_its_line(repo):
    repo.write("isodocs.yml", "organization: X\nstandards: [iso9001\npeople: {}\n")
    outcome = isodocs(repo)
    assert outcome.exit_code == 2
    assert outcome.stderr.startswith("isodocs: error: isodocs.yml:3: YAML syntax error")


def test_config_schema_error_names_the_field(repo):
    repo.config(review={"interval_months": "twelve"})
    outcome = isodocs(repo)
    assert outcome.exit_code == 2
    assert "isodocs.yml:" in outcome.stderr and "review.interval_months: 'twelve' is not of type 'integer'" in (
        outcome.stderr
    )


def test_config_missing_field_exits_2(repo):
    repo.write("isodocs.yml", "organization: X\nstandards: [iso9001]\n")
    outcome = isodocs(repo)
    assert outcome.exit_code == 2 and "'people' is a required property" in outcome.stderr


def test_unknown_standard_in_scope_exits_2(repo):
    repo.config(standards=["iso9001", "iso9002"])
    outcome = isodocs(repo)
    assert outcome.exit_code == 2
    assert "standards: 'iso9002' is no known catalogue" in outcome.stderr and "Did you mean iso9001?" in outcome.stderr


def test_unknown_rule_slug_exits_2(repo):
    repo.config(rules={"self-aproval": "off"})
    outcome = isodocs(repo)
    assert outcome.exit_code == 2 and "Did you mean self-approval?" in outcome.stderr


def test_rule_turned_off_in_config_changes_the_exit_code(repo):
    repo.config(rules={"unknown-owner": "off"})
    repo.write(DOC, UNKNOWN_OWNER)
    assert isodocs(repo).exit_code == 0


def test_output_file_gets_the_report_and_stderr_a_summary(repo, tmp_path):
    repo.write(DOC, UNKNOWN_OWNER)
    report = tmp_path / "report.json"
    outcome = isodocs(repo, "--format", "json", "--output", str(report))
    assert outcome.exit_code == 1
    assert outcome.stdout == ""
    assert f"wrote {report} (1 errors, 0 warnings)" in outcome.stderr
    data = json.loads(report.read_text("utf-8"))
    assert [(f["rule"], f["line"]) for f in data["findings"]] == [("unknown-owner", 7)]


def test_output_text_file_has_no_colour(repo, tmp_path):
    repo.write(DOC, UNKNOWN_OWNER)
    report = tmp_path / "report.txt"
    isodocs(repo, "--output", str(report))
    assert "\x1b[" not in report.read_text("utf-8") and "unknown-owner" in report.read_text("utf-8")


def test_output_to_a_missing_folder_exits_2(repo, tmp_path):
    outcome = isodocs(repo, "--output", str(tmp_path / "no" / "such" / "report.txt"))
    assert outcome.exit_code == 2 and "cannot write the report" in outcome.stderr


@pytest.mark.parametrize("fmt", ["json", "github", "sarif"])
def test_formats_on_stdout(repo, fmt):
    repo.write(DOC, UNKNOWN_OWNER)
    outcome = isodocs(repo, "--format", fmt)
    assert outcome.exit_code == 1
    if fmt == "github":
        assert outcome.stdout.startswith("::error file=procedures/doc.md,line=7,")
    else:
        json.loads(outcome.stdout)


def test_paths_restrict_reported_findings(repo):
    repo.write(DOC, UNKNOWN_OWNER)
    repo.write("policies/policy.md", front(edit(("PRO-001", "POL-002"), ("type: procedure", "type: policy"))))
    only_policies = isodocs(repo, "--format", "json", "policies")
    assert only_policies.exit_code == 0
    assert json.loads(only_policies.stdout)["findings"] == []
    only_doc = isodocs(repo, "--format", "json", DOC)
    assert only_doc.exit_code == 1
    assert {f["path"] for f in json.loads(only_doc.stdout)["findings"]} == {DOC}


def test_paths_still_see_the_whole_repository(repo):
    # PRO-002 exists outside the reported path, so the reference is not broken
    repo.write(DOC, front(BASE + "related: [PRO-002]\n"))
    repo.write("policies/policy.md", front(edit(("PRO-001", "PRO-002"), ("owner: qm", "owner: nobody"))))
    outcome = isodocs(repo, "--format", "json", "procedures")
    assert outcome.exit_code == 0, outcome.stdout


def test_paths_are_relative_to_the_current_directory(repo, monkeypatch):
    repo.write(DOC, UNKNOWN_OWNER)
    monkeypatch.chdir(repo.root / "procedures")
    outcome = CliRunner().invoke(main, ["check", "--today", "2026-11-27", "--format", "json", "doc.md"])
    assert outcome.exit_code == 1 and json.loads(outcome.stdout)["findings"][0]["path"] == DOC


def test_paths_are_relative_to_dash_c(repo, tmp_path, monkeypatch):
    repo.write(DOC, UNKNOWN_OWNER)
    monkeypatch.chdir(tmp_path)
    assert isodocs(repo, "procedures").exit_code == 1
    assert isodocs(repo, "records", today="2026-11-27").exit_code == 2  # no such folder: a usage error


def test_a_path_that_does_not_exist_exits_2(repo):
    repo.write(DOC, UNKNOWN_OWNER)
    outcome = isodocs(repo, "procedure")  # a typo must not pass silently
    assert outcome.exit_code == 2 and "procedure: no such file or folder" in outcome.stderr


def test_a_path_outside_the_repository_exits_2(repo, tmp_path):
    outcome = isodocs(repo, str(tmp_path))
    assert outcome.exit_code == 2 and "outside the repository" in outcome.stderr


def test_dash_c_finds_the_root_from_a_subfolder(repo, monkeypatch, tmp_path):
    repo.write(DOC, UNKNOWN_OWNER)
    monkeypatch.chdir(tmp_path)
    outcome = CliRunner().invoke(main, ["-C", str(repo.root / "procedures"), "check", "--today", "2026-11-27"])
    assert outcome.exit_code == 1 and "unknown-owner" in outcome.stdout


def test_without_dash_c_the_current_directory_is_used(repo, monkeypatch):
    repo.write(DOC, UNKNOWN_OWNER)
    monkeypatch.chdir(repo.root)
    assert CliRunner().invoke(main, ["check", "--today", "2026-11-27"]).exit_code == 1


def test_today_option_moves_the_date_rules(repo):
    repo.write(DOC, front(BASE))  # next review 2027-06-01
    assert isodocs(repo, today="2027-05-01").exit_code == 0  # due soon: a warning
    assert isodocs(repo, "--strict", today="2027-05-10").exit_code == 1
    late = isodocs(repo, "--format", "json", today="2027-06-02")
    assert late.exit_code == 1
    report = json.loads(late.stdout)
    assert report["today"] == "2027-06-02" and report["findings"][0]["rule"] == "review-overdue"


def test_bad_today_is_a_usage_error(repo):
    outcome = isodocs(repo, "--today", "27.11.2026", today=None)
    assert outcome.exit_code == 2 and "--today" in outcome.output


def test_subprocess_python_dash_m(repo):
    repo.write(DOC, UNKNOWN_OWNER)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "isodocs", "-C", str(repo.root), "check", "--today", "2026-11-27", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert json.loads(run.stdout)["summary"] == {"error": 1, "warning": 0}
    clean = subprocess.run(
        [sys.executable, "-m", "isodocs", "-C", str(repo.root), "check", "procedures/none.md"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert clean.returncode == 2 and "no such file or folder" in clean.stderr and "Traceback" not in clean.stderr


def test_reporting_commands_run_without_the_cyclic_collector(repo, monkeypatch):
    # A full collection walks every loaded document: at the default thresholds that
    # cost 10-20% of a check at 10,000 documents (docs/performance.md). The site
    # commands keep it, less often; either way the state is restored afterwards.
    import gc

    from isodocs.app import check as check_module
    from isodocs.cli import COLLECTOR_THRESHOLDS, ENGINE_COMMANDS

    seen: list[tuple[bool, tuple[int, int, int]]] = []
    original = check_module.run_check

    def spy(options):
        seen.append((gc.isenabled(), gc.get_threshold()))
        return original(options)

    monkeypatch.setattr(check_module, "run_check", spy)
    repo.write(DOC, front(BASE))
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        assert isodocs(repo).exit_code == 0
        assert seen == [(False, (700, 10, 10))]
        assert gc.isenabled() and gc.get_threshold() == (700, 10, 10)  # restored
        assert {"build", "pack", "publish", "serve"} == ENGINE_COMMANDS
        assert COLLECTOR_THRESHOLDS[0] >= 100 * 700
    finally:
        gc.set_threshold(*before)
        gc.enable()


def test_the_site_packages_are_default_dependencies_and_site_stays_an_extra():
    """`pip install isodocs` then `isodocs build` works: mkdocs, material and mike come by default."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+

    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    names = {dep.split(">")[0].split("<")[0].split("=")[0].strip() for dep in project["dependencies"]}
    assert {"mkdocs", "mkdocs-material", "mike"} <= names
    assert project["optional-dependencies"]["site"] == []  # `isodocs[site]` still resolves


def test_a_missing_package_exits_2_naming_what_to_install(repo, monkeypatch):
    """A package the command imports is missing: exit 2 with a pip command, never a traceback."""
    repo.write(DOC, front(BASE))
    for name in [m for m in sys.modules if m == "markdown" or m.startswith(("markdown.", "isodocs.site"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "markdown", None)  # import markdown raises ModuleNotFoundError
    outcome = CliRunner().invoke(main, ["-C", str(repo.root), "build", "--today", "2026-11-27"])
    assert outcome.exit_code == 2, outcome.output
    assert "'markdown'" in outcome.stderr and "pip install" in outcome.stderr
    assert "Traceback" not in outcome.output


def test_an_unknown_missing_module_is_still_a_bug(monkeypatch):
    """Only packages an install can lack become usage errors; a missing module of isodocs is a bug."""
    with pytest.raises(ModuleNotFoundError):
        missing_dependency(ModuleNotFoundError("No module named 'isodocs.nothing'", name="isodocs.nothing"))


def many_findings(repo, count: int = 31) -> None:
    """``count`` documents with an unknown owner (errors), and one review due soon (a warning)."""
    for number in range(1, count + 1):
        repo.doc(f"procedures/p{number}.md", approved(f"PRO-{number:03d}", owner="nobody"))
    due_soon = edit(("id: PRO-001", "id: PRO-900"), ("last_reviewed: 2026-06-01", "last_reviewed: 2025-12-15"))
    repo.write(DOC, front(due_soon))


def test_statistics_counts_findings_by_rule_most_first(repo):
    """Like ruff --statistics: one line per rule with its count, severity and what it finds."""
    many_findings(repo)
    outcome = isodocs(repo, "--statistics")
    assert outcome.exit_code == 1  # the exit status is the check's
    lines = outcome.stdout.splitlines()
    assert lines[0].split(None, 3)[:3] == ["31", "error", "unknown-owner"]
    assert lines[1].split(None, 3)[:3] == ["1", "warning", "review-due-soon"]
    assert "procedures/p1.md" not in outcome.stdout  # counted, not listed
    assert lines[-1] == "31 errors, 1 warning in 32 documents (today: 2026-11-27)"


def test_a_long_report_ends_with_the_rules_that_gave_the_most(repo):
    many_findings(repo)
    lines = isodocs(repo).stdout.splitlines()
    assert lines[-2] == (
        "Most findings: 31 unknown-owner, 1 review-due-soon (`isodocs check --statistics` counts them by rule)"
    )
    repo.write(DOC, front(BASE))
    for number in range(2, 32):
        (repo.root / f"procedures/p{number}.md").unlink()
    assert "Most findings" not in isodocs(repo).stdout  # a short report needs no tally


def test_statistics_with_another_format_exits_2(repo):
    repo.write(DOC, front(BASE))
    outcome = isodocs(repo, "--statistics", "--format", "json")
    assert outcome.exit_code == 2 and "--statistics is a text report" in outcome.stderr
