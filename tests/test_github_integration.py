"""The command lines of .github/workflows, action.yml and .pre-commit-hooks.yaml, run for real.

Each test reads the shipped file, takes its `run:` scripts (or hook entries) as
written, and runs them with bash, as GitHub does, in a temp clone with a base
branch. The install steps are skipped: isodocs is already installed here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO_ROOT, approved
from tests.gitutil import GIT_ENV, commit, git, init

PRO = "procedures/doc-control.md"
TODAY = dt.date.today()  # the workflows run without --today
RECENT = (TODAY - dt.timedelta(days=30)).isoformat()


def load(rel: str):  # type: ignore[no-untyped-def]
    return yaml.safe_load((REPO_ROOT / rel).read_text("utf-8"))


def steps(rel: str) -> dict[str, dict]:
    workflow = load(rel)
    job = next(iter(workflow["jobs"].values()))
    return {step.get("name", step.get("uses", "")): step for step in job["steps"]}


def bash(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a step's script the way GitHub's `shell: bash` does, with this venv's isodocs first on PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    environment = {**os.environ, **GIT_ENV, "PATH": path, **env}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def pull_request(repo, tmp_path):
    """An upstream repo with main, cloned in full (fetch-depth: 0), on a feature branch."""
    init(repo.root)
    repo.doc(PRO, approved("PRO-001", approved_on=RECENT, last_reviewed=RECENT))
    assert bash("isodocs codeowners", repo.root).returncode == 0
    commit(repo.root, "Approved document control")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"file://{repo.root}", str(clone))
    git(clone, "checkout", "-q", "-b", "feature")
    return clone


def write_doc(root: Path, front: dict, body: str) -> None:
    text = yaml.safe_dump(front, sort_keys=False)
    (root / PRO).write_text(f"---\n{text}---\n{body}", "utf-8")


def test_pull_request_workflow_blocks_an_unbumped_edit_then_passes(pull_request):
    workflow = load(".github/workflows/check.yml")
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    job_steps = steps(".github/workflows/check.yml")
    checkout = next(s for s in job_steps.values() if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    assert next(iter(workflow["jobs"].values()))["env"]["BASE_REF"] == "${{ github.base_ref }}"
    check = job_steps["Check the changed documents"]["run"]
    assert check == 'isodocs check --base "origin/$BASE_REF" --format github'
    sarif = job_steps["SARIF for code scanning"]["run"]
    owners = job_steps["CODEOWNERS matches the document owners"]["run"]
    assert job_steps["Upload SARIF"]["uses"].startswith("github/codeql-action/upload-sarif")

    # The owner edits the approved document without a new version.
    write_doc(pull_request, approved("PRO-001", approved_on=RECENT, last_reviewed=RECENT), "# Edited\n")
    commit(pull_request, "Edit without bump")
    failed = bash(check, pull_request, BASE_REF="main")
    assert failed.returncode == 1, failed.stderr
    assert f"::error file={PRO},line=5,title=version-not-bumped (PRO-001)::" in failed.stdout
    made = bash(sarif, pull_request, BASE_REF="main")
    assert made.returncode == 0, made.stderr  # the SARIF step itself does not fail the job
    results = json.loads((pull_request / "isodocs.sarif").read_text())["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [
        ("version-not-bumped", 5)
    ]
    assert bash(owners, pull_request).returncode == 0

    # Bump and record the new approval: the same command passes.
    today = TODAY.isoformat()
    write_doc(pull_request, approved("PRO-001", version="1.1", approved_on=today, last_reviewed=today), "# Edited\n")
    commit(pull_request, "Version 1.1, approved")
    passed = bash(check, pull_request, BASE_REF="main")
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_pull_request_workflow_fails_when_codeowners_is_stale(pull_request):
    owners = steps(".github/workflows/check.yml")["CODEOWNERS matches the document owners"]["run"]
    write_doc(pull_request, approved("PRO-001", owner="ciso", approved_on=RECENT, last_reviewed=RECENT), "# Body\n")
    assert bash(owners, pull_request).returncode == 1


def test_scheduled_workflow_turns_red_on_an_overdue_review_and_names_the_owner(repo, tmp_path):
    workflow = load(".github/workflows/scheduled-check.yml")
    assert workflow[True]["schedule"][0]["cron"].endswith("* * *")  # daily
    script = steps(".github/workflows/scheduled-check.yml")["Check every document"]["run"]
    long_ago = (TODAY - dt.timedelta(days=800)).isoformat()
    repo.doc(PRO, approved("PRO-001", approved_on=long_ago, last_reviewed=long_ago))
    summary = tmp_path / "summary.md"
    outcome = bash(script, repo.root, GITHUB_STEP_SUMMARY=str(summary))
    assert outcome.returncode == 1
    assert "::error file=procedures/doc-control.md" in outcome.stdout
    assert "title=review-overdue" in outcome.stdout and "Jane Smith (qm)" in outcome.stdout
    assert "review-overdue" in summary.read_text()


def test_reusable_action_runs_the_check_with_its_inputs(pull_request):
    action = load("action.yml")
    assert action["runs"]["using"] == "composite"
    step = next(s for s in action["runs"]["steps"] if s.get("name") == "isodocs check")
    assert set(step["env"]) == {"INPUT_BASE", "INPUT_FORMAT", "INPUT_OUTPUT", "INPUT_ARGS"}
    write_doc(pull_request, approved("PRO-001", approved_on=RECENT, last_reviewed=RECENT), "# Edited\n")
    inputs = {"INPUT_BASE": "origin/main", "INPUT_FORMAT": "github", "INPUT_OUTPUT": "", "INPUT_ARGS": "--all"}
    outcome = bash(step["run"], pull_request, **inputs)
    assert outcome.returncode == 1
    assert "title=version-not-bumped" in outcome.stdout
    full = bash(step["run"], pull_request, **{**inputs, "INPUT_BASE": "", "INPUT_FORMAT": "json"})
    assert full.returncode == 0 and json.loads(full.stdout)["findings"] == []


def test_pre_commit_hook_checks_the_committed_files(repo):
    hooks = {hook["id"]: hook for hook in load(".pre-commit-hooks.yaml")}
    check = hooks["isodocs-check"]
    assert check["entry"] == "isodocs check" and check["language"] == "python"
    repo.doc(PRO, approved("PRO-001", approved_on=RECENT, last_reviewed=RECENT, owner="nobody"))
    repo.doc("procedures/other.md", approved("PRO-002", approved_on=RECENT, last_reviewed=RECENT))
    # pre-commit appends the staged file names that match `files`.
    assert bash(f"{check['entry']} procedures/other.md", repo.root).returncode == 0
    outcome = bash(f"{check['entry']} {PRO}", repo.root)
    assert outcome.returncode == 1 and "unknown-owner" in outcome.stdout
    owners = hooks["isodocs-codeowners"]
    assert owners["pass_filenames"] is False
    assert bash(owners["entry"], repo.root).returncode == 0
    assert (repo.root / ".github/CODEOWNERS").is_file()


def job_of(path: Path) -> dict:
    """The single job of the workflow at ``path``."""
    workflow = yaml.safe_load(path.read_text("utf-8"))
    return next(iter(workflow["jobs"].values()))


def run_job(path: Path, cwd: Path, **env: str) -> list[str]:
    """Run every `run:` step of the workflow's job in order, with the job's and the step's env, as GitHub does.

    The install step is skipped (isodocs is installed here); returns the names of the steps run.
    """
    job = job_of(path)
    ran = []
    for step in job["steps"]:
        if "run" not in step or step.get("name", "").startswith("Install"):
            continue
        outcome = bash(step["run"], cwd, **{**job.get("env", {}), **step.get("env", {}), **env})
        assert outcome.returncode == 0, f"{step.get('name')}: {outcome.stdout}{outcome.stderr}"
        ran.append(step.get("name", step["run"]))
    return ran


def test_generated_publish_workflow_publishes_two_releases_to_the_remote(tmp_path):
    """The publish job of `isodocs init`, run as written on fresh clones: gh-pages reaches the remote."""
    from isodocs.authoring.scaffold import InitOptions, scaffold

    source = tmp_path / "ims"
    scaffold(InitOptions(target=source, standards=["iso9001"], organization="Acme"))
    init(source)
    commit(source, "Management system")
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(source), str(origin))
    workflow = source / ".github/workflows/publish.yml"
    for release in ("v1", "v2"):
        runner = tmp_path / f"runner-{release}"  # each run starts from a fresh checkout
        git(tmp_path, "clone", "-q", f"file://{origin}", str(runner))
        ran = run_job(workflow, runner, GITHUB_REF_NAME=release, GH_TOKEN="not-a-real-token")
        assert ran == ["Check documents", "Fetch the published versions", "Publish", "Push"]
        stored = git(runner, "config", "--local", "--list")
        assert "not-a-real-token" not in stored and "credential" not in stored  # nothing kept in .git/config
    versions = json.loads(git(origin, "show", "gh-pages:versions.json"))
    assert [(v["version"], v["aliases"]) for v in versions] == [("2", ["latest"]), ("1", [])]
    assert "latest/" in git(origin, "show", "gh-pages:index.html")


def test_token_helper_gives_git_the_token_of_the_step_only():
    helper = job_of(REPO_ROOT / ".github/workflows/publish.yml")["env"]["TOKEN_HELPER"]
    generated = job_of(REPO_ROOT / "isodocs/templates/repo/publish.yml")["env"]["TOKEN_HELPER"]
    assert helper == generated
    ask = "printf 'protocol=https\\nhost=github.com\\npath=acme/ims.git\\n\\n' | " + (
        'git -c credential.helper= -c credential.helper="$TOKEN_HELPER" credential fill'
    )
    answer = bash(ask, REPO_ROOT, TOKEN_HELPER=helper, GH_TOKEN="ghs_example", GIT_TERMINAL_PROMPT="0")
    assert answer.returncode == 0, answer.stderr
    assert "username=x-access-token\npassword=ghs_example\n" in answer.stdout
    without = bash(ask, REPO_ROOT, TOKEN_HELPER=helper, GH_TOKEN="", GIT_TERMINAL_PROMPT="0")
    assert "password=ghs_example" not in without.stdout
