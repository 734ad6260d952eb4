"""``isodocs init``: a new repository that passes ``isodocs check`` at once."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from isodocs.app.check import CheckOptions, run_check
from isodocs.authoring.scaffold import InitOptions, chosen_requirement, default_requirement, scaffold
from isodocs.cli import main
from isodocs.errors import UsageError
from isodocs.readers.catalog import builtin_catalogs
from tests.conftest import TODAY
from tests.gitutil import commit, git, init

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
    """A freshly initialised repository builds its site."""
    target = tmp_path / "ims"
    scaffold(InitOptions(target=target, standards=ALL, organization="Acme Ltd", with_examples=True))
    result = CliRunner().invoke(main, ["-C", str(target), "build", "--site-dir", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output


def requirement_lines(root) -> list[str]:
    """The requirement lines of a generated requirements.txt (comments dropped)."""
    text = (root / "requirements.txt").read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_requirements_install_the_site_engine_from_where_this_isodocs_came_from(tmp_path):
    from packaging.requirements import Requirement

    result = scaffold(InitOptions(target=tmp_path / "r", standards=["iso9001"]))
    (line,) = requirement_lines(tmp_path / "r")
    assert line == result.requirement == chosen_requirement(None).line
    parsed = Requirement(line)  # what pip reads: PEP 508
    assert parsed.name == "isodocs" and "site" in parsed.extras  # `isodocs build` needs mkdocs-material and mike
    workflows = [(tmp_path / "r/.github/workflows" / name).read_text("utf-8") for name in ("check.yml", "publish.yml")]
    assert all("python -m pip install -r requirements.txt" in text for text in workflows)


def test_from_a_package_index_the_version_is_pinned():
    requirement = default_requirement(None, "1.2.3")
    assert requirement.line == "isodocs[site]==1.2.3" and requirement.warning is None


@pytest.mark.parametrize(
    "url",
    ["https://github.com/acme/isodocs.git", "ssh://git@github.com/acme/isodocs.git", "git@github.com:acme/isodocs.git"],
)
def test_from_a_git_url_the_installed_commit_is_pinned_over_https(url):
    commit_id = "0123456789abcdef0123456789abcdef01234567"
    installed = {"url": url, "vcs_info": {"vcs": "git", "commit_id": commit_id}}
    requirement = default_requirement(installed)
    assert requirement.line == f"isodocs[site] @ git+https://github.com/acme/isodocs.git@{commit_id}"
    assert requirement.warning is None


def local_checkout(root):
    """A clone-like checkout of isodocs: one commit; returns its commit."""
    init(root)
    (root / "pyproject.toml").write_text("[project]\nname = 'isodocs'\n")
    return commit(root, "isodocs")


def test_from_a_pushed_local_checkout_its_remote_and_commit_are_pinned(tmp_path):
    head = local_checkout(tmp_path)
    git(tmp_path, "remote", "add", "origin", "git@github.com:acme/isodocs.git")
    git(tmp_path, "update-ref", "refs/remotes/origin/main", head)  # what a clone or a push leaves
    requirement = default_requirement({"url": tmp_path.as_uri(), "dir_info": {"editable": True}})
    assert requirement.line == f"isodocs[site] @ git+https://github.com/acme/isodocs.git@{head}"
    assert requirement.warning is None


def test_from_an_unpushed_checkout_or_a_file_the_version_is_pinned_with_a_warning(tmp_path):
    head = local_checkout(tmp_path)
    git(tmp_path, "remote", "add", "origin", "https://github.com/acme/isodocs.git")
    for installed in (
        {"url": tmp_path.as_uri(), "dir_info": {"editable": True}},  # the commit is on no remote branch
        {"url": (tmp_path / "isodocs-0.1.0-py3-none-any.whl").as_uri(), "archive_info": {}},
        {"url": (tmp_path / "nowhere").as_uri(), "dir_info": {}},
    ):
        requirement = default_requirement(installed, "0.1.0")
        assert requirement.line == "isodocs[site]==0.1.0"
        assert requirement.warning and "--requirement" in requirement.warning and head not in requirement.line


def test_requirement_option_is_written_and_checked(tmp_path):
    line = "isodocs[site] @ git+https://github.com/acme/isodocs@0123456789abcdef0123456789abcdef01234567"
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(tmp_path / "r"), "--requirement", line])
    assert result.exit_code == 0, result.output
    assert requirement_lines(tmp_path / "r") == [line]
    assert f"`{line}`" in (tmp_path / "r/README.md").read_text("utf-8")  # the users' README says what CI installs
    assert f"CI installs {line}" in result.stderr and "warning" not in result.stderr
    for bad in ("mkdocs", "isodocs==0.1.0", "isodocs[site]==0.1\n--index-url http://evil", " "):
        refused = runner.invoke(main, ["init", str(tmp_path / "s"), "--requirement", bad])
        assert refused.exit_code == 2 and "--requirement" in refused.stderr, (bad, refused.output)
        assert not (tmp_path / "s").exists()


def test_cli_warns_when_ci_may_not_install_the_version(tmp_path, monkeypatch):
    unsure = default_requirement({"url": "file:///nowhere", "dir_info": {}}, "9.9.9")
    monkeypatch.setattr("isodocs.authoring.scaffold.default_requirement", lambda installed: unsure)
    result = CliRunner().invoke(main, ["init", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert "isodocs: warning: requirements.txt installs isodocs[site]==9.9.9" in result.stderr
    assert requirement_lines(tmp_path / "r") == ["isodocs[site]==9.9.9"]


def test_a_new_repository_has_an_objectives_folder_for_new_objective(tmp_path):
    """`isodocs new objective` writes into objectives/, which init lists in paths: and creates."""
    from isodocs.authoring.new import NewOptions, create_document

    target = tmp_path / "ims"
    scaffold(InitOptions(target=target, standards=["iso9001"], organization="Acme Ltd"))
    assert "objectives" in yaml.safe_load((target / "isodocs.yml").read_text("utf-8"))["paths"]
    assert (target / "objectives/index.md").is_file()
    result = create_document(
        NewOptions(root=target, type="objective", title="Orders on time", owner="qm", clauses="iso9001:6.2")
    )
    assert result.path.startswith("objectives/")
    report = run_check(CheckOptions(root=target, today=TODAY))
    assert report.summary["error"] == 0, [f.message for f in report.findings if f.severity.value == "error"]
