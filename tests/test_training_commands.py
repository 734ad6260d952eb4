"""`isodocs acknowledge` and `isodocs training` on small repositories and on the example."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from isodocs.cli import main
from tests.conftest import BASE_CONFIG, REPO_ROOT, approved
from tests.gitutil import commit, git, init

PEOPLE = {
    **BASE_CONFIG["people"],
    "ann": {"name": "Ann Reader", "groups": ["production"]},
    "bob": {"name": "Bob Builder", "groups": ["production", "test-lab"]},
}
POL = "policies/security.md"
WI = "procedures/soldering.md"


def run(root: Path, *args: str):
    """The command on ``root`` as on 2026-11-27 (``new`` takes no --today: it runs on the real date)."""
    today = [] if args[0] == "new" else ["--today", "2026-11-27"]
    return CliRunner().invoke(main, ["-C", str(root), *args, *today])


@pytest.fixture
def team(repo):
    repo.config(people=PEOPLE)
    repo.doc(POL, approved("POL-001", type="policy", title="Security policy", version="2.0", audience=["everyone"]))
    repo.doc(WI, approved("WI-001", type="work-instruction", title="Soldering", version="1.1", audience=["production"]))
    repo.doc("procedures/draft.md", approved("PRO-009", status="draft", approved_on=None, approved_by=None))
    return repo


def _written(repo, result) -> str:
    assert result.exit_code == 0, result.output
    rel = result.stdout.strip()
    return (repo.root / rel).read_text("utf-8")


def test_acknowledge_writes_one_record_for_the_current_versions(team):
    result = run(team.root, "acknowledge", "POL-001", "WI-001", "--by", "ann", "--date", "2026-11-20")
    text = _written(team, result)
    assert result.stdout.startswith("records/training/2026-11-20-ann-pol-001-2-0-and-1-more.md")
    assert "method: read-and-understood\n" in text and "attendees: [ann]\n" in text
    assert 'documents:\n  POL-001: "2.0"\n  WI-001: "1.1"\n' in text
    assert "Ann Reader has read and understood:" in text and "- WI-001 Soldering, version 1.1" in text
    assert "wrote TRN-" in result.stderr and "ann read and understood POL-001 2.0, WI-001 1.1" in result.stderr
    training = run(team.root, "training", "--person", "ann", "--format", "json")
    assert [d["status"] for d in json.loads(training.stdout)["documents"]] == ["current", "current"]


def test_acknowledge_twice_says_so_and_writes_nothing(team):
    first = run(team.root, "acknowledge", "POL-001", "--by", "ann")
    assert first.exit_code == 0
    files = sorted((team.root / "records").rglob("*.md"))
    again = run(team.root, "acknowledge", "POL-001", "--by", "ann")
    assert again.exit_code == 0 and again.stdout == ""
    assert "has acknowledged POL-001 2.0 already" in again.stderr and "nothing written" in again.stderr
    assert sorted((team.root / "records").rglob("*.md")) == files
    # one new and one known: only the new one is written
    both = run(team.root, "acknowledge", "POL-001", "WI-001", "--by", "ann")
    assert 'WI-001: "1.1"' in _written(team, both) and "POL-001" not in _written(team, both).split("---")[1]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["POL-001", "--by", "zed"], "'zed' is not a key of people"),
        (["PRO-009", "--by", "ann"], "PRO-009 is draft: only an approved document can be acknowledged"),
        (["POL-404", "--by", "ann"], "POL-404 is no document of this repository"),
        (["POL-001", "--by", "ann", "--date", "2026-12-01"], "is in the future"),
    ],
)
def test_acknowledge_refuses(team, args, says):
    result = run(team.root, "acknowledge", *args)
    assert result.exit_code == 2 and says in result.stderr
    assert not (team.root / "records").exists()


def test_acknowledge_never_overwrites(team):
    target = team.root / "records/training/2026-11-27-ann-pol-001-2-0.md"
    team.write("records/training/2026-11-27-ann-pol-001-2-0.md", "my notes\n")
    result = run(team.root, "acknowledge", "POL-001", "--by", "ann")
    assert result.exit_code == 2 and "already exists; not overwritten" in result.stderr
    assert target.read_text() == "my notes\n"


def test_acknowledgements_in_parallel_branches_get_different_ids(team):
    ids = set()
    for person in ("ann", "bob", "qm"):
        text = _written(team, run(team.root, "acknowledge", "POL-001", "--by", person))
        ids.add(text.split("\n")[1])
    assert len(ids) == 3


def test_acknowledged_record_checks_clean_and_counts(team, run_check):
    run(team.root, "acknowledge", "POL-001", "WI-001", "--by", "ann")
    findings = [f for f in run_check(team).findings if f.path.startswith("records/") and f.rule != "unmapped"]
    assert findings == []


def test_training_matrix_formats(team):
    run(team.root, "acknowledge", "POL-001", "--by", "ann")
    text = run(team.root, "training")
    assert text.exit_code == 0
    assert "POL-001    2.0         1/5           0       4  20.0%  2026-07-01 overdue  Security policy" in text.stdout
    assert "production                2     1/4      25.0%" in text.stdout
    data = json.loads(run(team.root, "training", "--format", "json").stdout)
    pol = data["documents"][0]
    assert (pol["id"], pol["required"], pol["current"], pol["missing"], pol["completion"]) == ("POL-001", 5, 1, 4, 20.0)
    assert pol["people"]["ann"]["status"] == "current" and pol["people"]["bob"]["status"] == "missing"
    rows = list(csv.reader(io.StringIO(run(team.root, "training", "--format", "csv").stdout)))
    assert rows[0][-5:] == ["qm", "md", "ciso", "ann", "bob"]
    assert rows[2][0] == "WI-001" and rows[2][-5:] == ["not-required"] * 3 + ["missing", "missing"]


def test_training_narrowed_by_document_group_and_person(team):
    doc = json.loads(run(team.root, "training", "--document", "WI-001", "--format", "json").stdout)
    assert [d["id"] for d in doc["documents"]] == ["WI-001"]
    group = run(team.root, "training", "--group", "test-lab")
    assert "Group test-lab: bob" in group.stdout
    assert run(team.root, "training", "--person", "bob").stdout.count("missing") == 2


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--person", "anne"], "did you mean 'ann'?"),
        (["--group", "prod"], "no person is in group 'prod'"),
        (["--document", "PRO-009"], "PRO-009 names no audience"),
        (["--document", "XYZ-001"], "is no document"),
    ],
)
def test_training_usage_errors(team, args, says):
    result = run(team.root, "training", *args)
    assert result.exit_code == 2 and says in result.stderr


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example management system in a git repository of its own."""
    root = tmp_path / "example"
    root.mkdir()
    for name in ("policies", "procedures", "forms", "records"):
        shutil.copytree(REPO_ROOT / name, root / name)
    for name in ("isodocs.yml", "soa.yml"):
        shutil.copy(REPO_ROOT / name, root / name)
    init(root)
    commit(root, "example")
    return root


def test_example_person_list(example):
    result = run(example, "training", "--person", "scm")
    assert result.exit_code == 0
    assert "What scm (Claire Hughes) must read: 8 documents, 1 to read now" in result.stdout
    assert "missing   PRO-022" in result.stdout and "isodocs acknowledge PRO-022 --by scm" in result.stdout


def test_example_major_version_in_a_branch_makes_acknowledgements_outdated(example):
    git(example, "checkout", "-q", "-b", "policy-3")
    path = example / "policies/acceptable-use-policy.md"
    text = path.read_text("utf-8")
    text = text.replace('version: "2.1"', 'version: "3.0"').replace(
        "approved_on: 2026-02-23", "approved_on: 2026-11-26"
    )
    path.write_text(text.replace("last_reviewed: 2026-02-23", "last_reviewed: 2026-11-26") + "\nA new rule.\n")
    result = CliRunner().invoke(main, ["-C", str(example), "check", "--today", "2026-11-27", "--base", "main"])
    due = [line for line in result.stdout.splitlines() if "training-due [POL-008]" in line]
    assert len(due) == 1
    assert "16 of 16 people" in due[0] and "md, qm, hsm, em, ciso and 11 more" in due[0]
    assert "16 of them trained on an earlier version" in due[0]
    assert "training-version-unknown" not in result.stdout


def test_new_training_with_attendees_trainer_documents_and_topic(team, run_check):
    result = run(
        team.root, "new", "training", "--title", "Soldering refresher", "--owner", "qm",
        "--attendees", "ann, bob", "--trainer", "qm", "--method", "on-the-job",
        "--documents", "WI-001", "--topic", "Lead-free soldering", "--date", "2026-11-02",
    )  # fmt: skip
    text = _written(team, result)
    assert result.stdout.strip() == "records/training/soldering-refresher.md"
    assert "id: TRN-001\n" in text and "method: on-the-job\n" in text and "attendees: [ann, bob]\n" in text
    assert 'documents:\n  WI-001: "1.1"\n' in text and "topic: Lead-free soldering\n" in text
    assert "## Assessment" in text
    findings = [f for f in run_check(team).findings if f.path.startswith("records/") and f.rule != "unmapped"]
    assert findings == []
    matrix = json.loads(run(team.root, "training", "--document", "WI-001", "--format", "json").stdout)
    assert matrix["documents"][0]["people"]["bob"] == {
        "status": "current", "version": "1.1", "date": "2026-11-02", "record": "TRN-001",
    }  # fmt: skip


def test_new_training_on_a_topic_alone_and_after_acknowledgements(team):
    run(team.root, "acknowledge", "POL-001", "--by", "ann")
    result = run(team.root, "new", "training", "-t", "Fire warden course", "-o", "qm", "--attendees", "bob",
                 "--method", "external", "--topic", "Fire warden")  # fmt: skip
    text = _written(team, result)
    assert "id: TRN-001\n" in text and "documents" not in text.split("---")[1]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--topic", "x"], "pass --attendees"),
        (["--attendees", "ann"], "--documents ID,ID"),
        (["--attendees", "zed", "--topic", "x"], "--attendees: 'zed' is not a key of people"),
        (["--attendees", "ann", "--documents", "PRO-009"], "PRO-009 is draft"),
        (["--attendees", "ann", "--topic", "x", "--method", "osmosis"], "--method osmosis: one of"),
    ],
)
def test_new_training_refuses(team, args, says):
    result = run(team.root, "new", "training", "-t", "T", "-o", "qm", *args)
    assert result.exit_code == 2 and says in result.stderr
    assert not (team.root / "records").exists()


def test_training_by_document_lists_each_person_and_groups_in_json(team):
    run(team.root, "acknowledge", "WI-001", "--by", "bob")
    text = run(team.root, "training", "--document", "WI-001").stdout
    assert "WI-001 Soldering, version 1.1: 1 of 2 trained (50.0%); audience: production" in text
    lines = text.splitlines()
    assert lines[-2].startswith("missing   ann ") and lines[-1].startswith("current   bob        1.1")
    data = json.loads(run(team.root, "training", "--format", "json").stdout)
    wi = next(d for d in data["documents"] if d["id"] == "WI-001")
    assert wi["groups"]["production"]["current"] == 1 and wi["groups"]["production"]["required"] == 2
    assert "test-lab" in wi["groups"] and "qm" not in wi["people"]
    matrix = run(team.root, "training").stdout
    assert "By document and group" in matrix and matrix.splitlines()[-1].split() == ["WI-001", "1/2", "1/1"]


def test_acknowledge_without_by_is_the_person_git_commits_as(team):
    people = {**PEOPLE, "ann": {**PEOPLE["ann"], "email": "Ann@Example.org"}}
    people["bob"] = {**PEOPLE["bob"], "github": "bobb"}
    team.config(people=people)
    init(team.root)
    git(team.root, "config", "user.email", "ann@example.org")
    text = _written(team, run(team.root, "acknowledge", "POL-001"))
    assert "attendees: [ann]\n" in text
    git(team.root, "config", "user.email", "123+bobb@users.noreply.github.com")
    assert "attendees: [bob]\n" in _written(team, run(team.root, "acknowledge", "POL-001"))
    git(team.root, "config", "user.email", "mallory@example.org")
    refused = run(team.root, "acknowledge", "WI-001")
    assert refused.exit_code == 2 and "git's user.email mallory@example.org matches no person" in refused.stderr
