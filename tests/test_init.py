"""``isodocs init``: a new repository that passes ``isodocs check`` at once."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from isodocs.catalog import builtin_catalogs
from isodocs.check import CheckOptions, run_check
from isodocs.cli import main
from isodocs.errors import UsageError
from isodocs.scaffold import InitOptions, scaffold
from tests.conftest import TODAY

ALL = ["iso9001", "iso14001", "iso45001", "iso27001"]


def check(root):
    return run_check(CheckOptions(root=root, today=TODAY))


@pytest.mark.parametrize("standards", [["iso9001"], ["iso27001"], ["iso14001", "iso45001"], ALL])
@pytest.mark.parametrize("with_examples", [False, True])
def test_initialised_repo_passes_check(tmp_path, standards, with_examples):
    target = tmp_path / "ims"
    result = scaffold(InitOptions(target=target, standards=standards, organization="Acme Ltd",
                                  with_examples=with_examples))  # fmt: skip
    assert result.kept == []
    outcome = check(target)
    assert outcome.exit_code() == 0
    assert [f for f in outcome.findings if f.severity.value == "error"] == []
    # starter drafts are mapped, so not even the drafts' "unmapped" warning
    assert [f for f in outcome.findings if f.rule in ("unmapped", "unknown-clause", "schema")] == []
    for rel in ("isodocs.yml", "mkdocs.yml", "README.md", ".github/workflows/check.yml",
                ".github/workflows/publish.yml", ".pre-commit-config.yaml", "policies/index.md"):  # fmt: skip
        assert (target / rel).is_file(), rel
    assert (target / "soa.yml").is_file() == ("iso27001" in standards)
    if with_examples:
        assert outcome.documents >= 5
        docs = outcome.system.documents
        assert all(doc.status == "draft" and doc.owner == "qm" for doc in docs)
        mapped = {key for doc in docs for key in doc.clauses}
        assert mapped == set(standards)  # starter documents for every chosen standard, none other
    else:
        assert outcome.documents == 0


def test_soa_has_a_decision_for_every_annex_a_control(tmp_path):
    scaffold(InitOptions(target=tmp_path / "r", standards=["iso27001"]))
    soa = yaml.safe_load((tmp_path / "r/soa.yml").read_text("utf-8"))
    controls = [c.id for c in builtin_catalogs()["iso27001"].controls]
    assert list(soa["controls"]) == controls and len(controls) == 93
    assert all(d == {"applicable": True, "status": "planned", "reasons": ["risk"]} for d in soa["controls"].values())


def test_generated_yaml_files_parse(tmp_path):
    scaffold(InitOptions(target=tmp_path / "r", standards=ALL, organization='Smith & Sons: "Tools"'))
    for rel in ("isodocs.yml", "mkdocs.yml", ".github/workflows/check.yml", ".github/workflows/publish.yml",
                ".pre-commit-config.yaml", "soa.yml"):  # fmt: skip
        assert isinstance(yaml.safe_load((tmp_path / "r" / rel).read_text("utf-8")), dict), rel
    config = yaml.safe_load((tmp_path / "r/isodocs.yml").read_text("utf-8"))
    assert config["organization"] == 'Smith & Sons: "Tools"'
    publish = (tmp_path / "r/.github/workflows/publish.yml").read_text("utf-8")
    assert "isodocs publish" in publish
    mkdocs = yaml.safe_load((tmp_path / "r/mkdocs.yml").read_text("utf-8"))
    assert mkdocs["theme"]["name"] == "material"


def test_refuses_non_empty_folder_without_force(tmp_path):
    target = tmp_path / "r"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    with pytest.raises(UsageError, match="not empty"):
        scaffold(InitOptions(target=target))
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


def test_force_adds_missing_files_and_never_overwrites(tmp_path):
    target = tmp_path / "r"
    (target / "policies").mkdir(parents=True)
    (target / "README.md").write_text("our readme")
    (target / "policies/index.md").write_text("our index")
    result = scaffold(InitOptions(target=target, force=True))
    assert sorted(result.kept) == ["README.md", "policies/index.md"]
    assert (target / "README.md").read_text() == "our readme"
    assert (target / "policies/index.md").read_text() == "our index"
    assert (target / "isodocs.yml").is_file()
    again = scaffold(InitOptions(target=target, force=True))
    assert again.created == []


def test_a_folder_holding_only_git_counts_as_empty(tmp_path):
    (tmp_path / "r/.git").mkdir(parents=True)
    assert "isodocs.yml" in scaffold(InitOptions(target=tmp_path / "r")).created


def test_dry_run_writes_nothing(tmp_path):
    result = scaffold(InitOptions(target=tmp_path / "r", standards=ALL, with_examples=True, dry_run=True))
    assert "soa.yml" in result.created and not (tmp_path / "r").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [({"standards": ["iso9002"]}, "no built-in standard"), ({"standards": []}, "at least one"),
     ({"organization": " "}, "must not be empty")],
)  # fmt: skip
def test_bad_options(tmp_path, options, message):
    with pytest.raises(UsageError, match=message):
        scaffold(InitOptions(target=tmp_path / "r", **options))
    assert not (tmp_path / "r").exists()


def test_cli_init_then_new_then_check(tmp_path):
    runner = CliRunner()
    target = tmp_path / "acme"
    result = runner.invoke(main, ["init", str(target), "--standards", "iso9001,iso27001", "--organization", "Acme"])
    assert result.exit_code == 0, result.output
    assert "created" in result.stdout and "isodocs.yml" in result.stdout
    created = runner.invoke(main, ["-C", str(target), "new", "procedure", "-t", "Access control", "-o", "qm",
                                   "--clauses", "iso27001:A.5.15"])  # fmt: skip
    assert created.exit_code == 0, created.output
    assert created.stdout.strip() == "procedures/access-control.md"
    checked = runner.invoke(main, ["-C", str(target), "check", "--today", "2026-11-27"])
    assert checked.exit_code == 0, checked.output
    refused = runner.invoke(main, ["init", str(target)])
    assert refused.exit_code == 2 and "not empty" in refused.stderr


def test_init_uses_dash_c_folder(tmp_path):
    target = tmp_path / "here"
    target.mkdir()
    result = CliRunner().invoke(main, ["-C", str(target), "init"])
    assert result.exit_code == 0, result.output
    assert (target / "isodocs.yml").is_file()


def test_initialised_repo_builds(tmp_path):
    """Runs once `isodocs build` (the site) is on the branch; until then it is skipped."""
    if "build" not in main.commands:
        pytest.skip("isodocs build is not available yet")
    target = tmp_path / "ims"
    scaffold(InitOptions(target=target, standards=ALL, organization="Acme Ltd", with_examples=True))
    result = CliRunner().invoke(main, ["-C", str(target), "build", "--site-dir", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output


def test_requirements_install_the_site_engine(tmp_path):
    from isodocs import __version__

    scaffold(InitOptions(target=tmp_path / "r", standards=["iso9001"]))
    lines = (tmp_path / "r" / "requirements.txt").read_text("utf-8").splitlines()
    assert f"isodocs[site]=={__version__}" in lines  # `isodocs build` needs mkdocs-material and mike
