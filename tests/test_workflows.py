"""The GitHub workflows isodocs ships and the ones `isodocs init` writes: audited by zizmor.

zizmor (https://docs.zizmor.sh, in the `test` extra) runs offline at its strictest
persona (`auditor`, which includes the `pedantic` and `regular` findings), with no
configuration file and no inline ignore honoured, so nothing can be waved through
quietly. Every finding fails the test. Beside it, plain checks of what zizmor
does not insist on: every action pinned to one known commit with its release in a
comment, no job holding more permission than listed here, and the token reaching
only the git steps that fetch and push gh-pages.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from isodocs.authoring.scaffold import InitOptions, scaffold
from tests.conftest import REPO_ROOT

# The one commit of each action, confirmed against the release tags (see SECURITY.md, "Workflows").
PINS = {
    "actions/checkout": ("de0fac2e4500dabe0009e67214ff5f5447ce83dd", "v6.0.2"),
    "actions/setup-python": ("a309ff8b426b58ec0e2a45f0f869d46889d02405", "v6.2.0"),
    "github/codeql-action/upload-sarif": ("89a39a4e59826350b863aa6b6252a07ad50cf83e", "v4.32.4"),
}
SHIPPED = [".github/workflows/check.yml", ".github/workflows/publish.yml", ".github/workflows/scheduled-check.yml"]
GENERATED = [".github/workflows/check.yml", ".github/workflows/publish.yml"]
# Each job's permissions, in full: a new grant has to be added here on purpose.
PERMISSIONS = {
    ".github/workflows/check.yml": {"check": {"contents": "read", "security-events": "write"}},
    ".github/workflows/publish.yml": {"publish": {"contents": "write"}},
    ".github/workflows/scheduled-check.yml": {"check": {"contents": "read"}},
    "generated/.github/workflows/check.yml": {"check": {"contents": "read"}},
    "generated/.github/workflows/publish.yml": {"publish": {"contents": "write"}},
}
USES = re.compile(r"^\s*-?\s*uses:\s*(\S+)(.*)$", re.MULTILINE)


def zizmor_binary() -> str:
    """zizmor from this interpreter's environment (pip install -e '.[test]'), else from PATH."""
    beside = Path(sys.executable).parent / "zizmor"
    found = str(beside) if beside.is_file() else shutil.which("zizmor")
    if not found:
        pytest.fail("zizmor is not installed: pip install -e '.[test]' (it is in the test extra)")
    return found


def zizmor(*inputs: Path, cwd: Path) -> tuple[list[dict], set[str]]:
    """Audit ``inputs`` offline at the auditor persona: (findings, files audited)."""
    strictest = ["--offline", "--persona=auditor", "--no-config", "--no-ignores", "--strict-collection"]
    completed = subprocess.run(
        [zizmor_binary(), *strictest, "--format=json", *map(str, inputs)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    # 0: no findings; 10-14: findings of the highest severity; anything else: zizmor itself failed.
    assert completed.returncode == 0 or 10 <= completed.returncode <= 14, completed.stderr
    audited = set(re.findall(r"completed (\S+)", completed.stderr))
    return json.loads(completed.stdout), audited


def describe(findings: list[dict]) -> str:
    """One line per finding: rule, file and line, for a readable failure."""
    lines = []
    for finding in findings:
        where = finding["locations"][0]
        path = where["symbolic"]["key"]["Local"]["verbatim_path"]
        row = where["concrete"]["location"]["start_point"]["row"] + 1
        lines.append(f"{finding['ident']}: {path}:{row}: {finding['desc']}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A repository as `isodocs init` writes it, every standard in scope."""
    target = tmp_path_factory.mktemp("init") / "ims"
    scaffold(InitOptions(target=target, standards=["iso9001", "iso14001", "iso45001", "iso27001"]))
    return target


def test_shipped_workflows_and_action_have_no_zizmor_findings():
    findings, audited = zizmor(Path(".github/workflows"), Path("action.yml"), Path(".pre-commit-hooks.yaml"),
                               cwd=REPO_ROOT)  # fmt: skip
    assert audited == {*SHIPPED, "action.yml", ".pre-commit-hooks.yaml"}  # every file was read
    assert findings == [], describe(findings)


def test_generated_workflows_have_no_zizmor_findings(generated):
    findings, audited = zizmor(Path(".github/workflows"), Path(".pre-commit-config.yaml"), cwd=generated)
    assert audited == {*GENERATED, ".pre-commit-config.yaml"}
    assert findings == [], describe(findings)


@pytest.mark.parametrize(
    ("rel", "change", "rule"),
    [
        ("check.yml", ("@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2", "@v6"), "unpinned-uses"),
        ("publish.yml", ("persist-credentials: false", "persist-credentials: true"), "artipacked"),
        ("publish.yml", ("permissions: {}", "permissions: write-all"), "excessive-permissions"),
        ("check.yml", ('"origin/$BASE_REF"', '"origin/${{ github.head_ref }}"'), "template-injection"),
    ],
)
def test_zizmor_run_catches_what_it_guards(generated, tmp_path, rel, change, rule):
    """The audit above is real: each weakening of a generated workflow is reported."""
    workflows = tmp_path / ".github/workflows"
    workflows.mkdir(parents=True)
    text = (generated / ".github/workflows" / rel).read_text("utf-8")
    assert change[0] in text
    (workflows / rel).write_text(text.replace(change[0], change[1]), "utf-8")
    findings, _ = zizmor(Path(".github/workflows"), cwd=tmp_path)
    assert rule in {finding["ident"] for finding in findings}, describe(findings)


def workflow_files(generated: Path) -> dict[str, Path]:
    """Every workflow and action isodocs ships or generates: label -> file."""
    files = {rel: REPO_ROOT / rel for rel in [*SHIPPED, "action.yml"]}
    files.update({f"generated/{rel}": generated / rel for rel in GENERATED})
    return files


def test_every_action_is_pinned_to_its_known_commit_with_the_release(generated):
    seen = set()
    for label, path in workflow_files(generated).items():
        for reference, comment in USES.findall(path.read_text("utf-8")):
            action, _, ref = reference.partition("@")
            assert action in PINS, f"{label}: {action} is not in PINS (pin it by commit and add it here)"
            sha, release = PINS[action]
            assert ref == sha, f"{label}: {action}@{ref} is not pinned to {sha} ({release})"
            assert comment.strip() == f"# {release}", f"{label}: {action} must name its release: # {release}"
            seen.add(action)
    assert seen == set(PINS)  # no stale entry


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def test_no_job_holds_more_than_it_needs(generated):
    for label, path in workflow_files(generated).items():
        if label == "action.yml":
            continue
        workflow = load(path)
        assert workflow["permissions"] == {}, f"{label}: the workflow grants nothing by default"
        granted = {name: job.get("permissions") for name, job in workflow["jobs"].items()}
        assert granted == PERMISSIONS[label], label


def test_the_token_reaches_only_the_git_steps_that_talk_to_github(generated):
    for label, path in workflow_files(generated).items():
        if label == "action.yml":
            continue
        for job in load(path)["jobs"].values():
            assert "GH_TOKEN" not in job.get("env", {}) and "secrets" not in json.dumps(job)
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, label
                if "github.token" in json.dumps(step):
                    assert step["env"] == {"GH_TOKEN": "${{ github.token }}"}, label
                    assert step["run"].startswith('git -c credential.helper= -c credential.helper="$TOKEN_HELPER" '), (
                        label
                    )
