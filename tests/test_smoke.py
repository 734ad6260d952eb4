"""End-to-end smoke test of the check command on a tiny repository."""

from click.testing import CliRunner

from isodocs.cli import main
from tests.conftest import approved


def test_clean_repo_exits_zero(repo, run_check):
    repo.doc("procedures/doc-control.md", approved())
    result = run_check(repo)
    assert [f.rule for f in result.findings] == []
    outcome = CliRunner().invoke(main, ["-C", str(repo.root), "check", "--today", "2026-11-27"])
    assert outcome.exit_code == 0, outcome.output
    assert "No problems in 1 document" in outcome.output
