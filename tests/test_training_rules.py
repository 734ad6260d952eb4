"""training-due and training-overdue through `isodocs check`: settings, grace edges, effective dates, people."""

from __future__ import annotations

import pytest

from tests.conftest import BASE_CONFIG, approved

PEOPLE = {
    **BASE_CONFIG["people"],
    "ann": {"name": "Ann Reader", "groups": ["production"]},
    "bob": {"name": "Bob Builder", "groups": ["production"]},
}
POL = "policies/p.md"


def _ack(rid: str, people: list[str], version: str, day: str = "2026-11-01") -> dict:
    return {
        "id": rid,
        "title": f"Training {rid}",
        "type": "training",
        "date": day,
        "method": "classroom",
        "attendees": people,
        "documents": {"POL-001": version},
        "owner": "qm",
        "clauses": {"iso9001": ["7.2"]},
    }


def _training(result) -> list[tuple[str, str]]:
    return [(f.rule, f.message) for f in result.findings if f.rule.startswith("training")]


def _policy(version: str, day: str, audience: list[str], **overrides) -> dict:
    return approved(
        "POL-001", type="policy", version=version, approved_on=day, last_reviewed=day, audience=audience, **overrides
    )


@pytest.mark.parametrize(
    ("approved_on", "rule"),
    [
        ("2026-10-28", "training-due"),  # 30 days before 2026-11-27: the last day of grace
        ("2026-10-27", "training-overdue"),  # 31 days before
    ],
)
def test_grace_period_edges_through_check(repo, run_check, approved_on, rule):
    repo.config(people=PEOPLE)
    repo.doc(POL, _policy("1.0", approved_on, ["production"]))
    assert [r for r, _ in _training(run_check(repo))] == [rule]


def test_grace_days_setting(repo, run_check):
    repo.config(people=PEOPLE, training={"grace_days": 0})
    repo.doc(POL, _policy("1.0", "2026-11-26", ["production"]))
    assert [r for r, _ in _training(run_check(repo))] == ["training-overdue"]


def test_effective_date_counts_and_a_future_one_is_not_checked_yet(repo, run_check):
    repo.config(people=PEOPLE)
    repo.doc(POL, _policy("1.0", "2026-06-01", ["production"], effective_date="2026-11-20"))
    result = _training(run_check(repo))
    assert [r for r, _ in result] == ["training-due"] and "due by 2026-12-20" in result[0][1]
    repo.doc(POL, _policy("1.0", "2026-06-01", ["production"], effective_date="2026-12-01"))
    assert _training(run_check(repo)) == []


@pytest.mark.parametrize(("retrain_on", "expected"), [("major", []), ("minor", ["training-overdue"])])
def test_retrain_on_minor_asks_again_for_every_version(repo, run_check, retrain_on, expected):
    repo.config(people=PEOPLE, training={"retrain_on": retrain_on})
    repo.doc(POL, _policy("1.3", "2026-06-01", ["ann"]))
    repo.doc("records/training/t.md", _ack("TRN-001", ["ann"], "1.2", "2026-05-01"))
    assert [r for r, _ in _training(run_check(repo))] == expected


def test_person_keys_groups_and_everyone_in_one_audience(repo, run_check):
    repo.config(people=PEOPLE)
    repo.doc(POL, _policy("1.0", "2026-06-01", ["production", "qm"]))
    repo.doc("records/training/t.md", _ack("TRN-001", ["ann", "bob"], "1.0"))
    result = _training(run_check(repo))
    assert len(result) == 1 and "1 of 3 people" in result[0][1] and ": qm." in result[0][1]
    repo.doc(POL, _policy("1.0", "2026-06-01", ["everyone"]))
    result = _training(run_check(repo))
    assert "3 of 5 people" in result[0][1] and "qm, md, ciso" in result[0][1]


def test_one_finding_per_document_names_the_first_five_and_a_count(repo, run_check):
    people = {**PEOPLE, **{f"p{n}": {"name": f"P{n}", "groups": ["production"]} for n in range(10)}}
    repo.config(people=people)
    repo.doc(POL, _policy("1.0", "2026-06-01", ["production"]))
    result = _training(run_check(repo))
    assert len(result) == 1
    assert "12 of 12 people" in result[0][1] and "ann, bob, p0, p1, p2 and 7 more" in result[0][1]


def test_drafts_obsolete_documents_and_records_need_no_training(repo, run_check):
    repo.config(people=PEOPLE)
    repo.doc(POL, _policy("1.0", "2026-06-01", ["everyone"], status="draft"))
    repo.doc("policies/o.md", approved("POL-002", type="policy", status="obsolete", audience=["everyone"]))
    assert _training(run_check(repo)) == []


def test_unknown_person_in_attendees_and_trainer(repo, run_check):
    repo.config(people=PEOPLE)
    repo.doc(POL, _policy("1.0", "2026-06-01", ["ann"]))
    record = _ack("TRN-001", ["ann", "anne"], "1.0")
    record["trainer"] = "zed"
    repo.doc("records/training/t.md", record)
    found = [(f.line, f.message) for f in run_check(repo).findings if f.rule == "unknown-person"]
    assert [line for line, _ in found] == [9, 16]  # attendees[1], trainer
    assert "attendees.1: 'anne'" in found[0][1] and "did you mean 'ann'?" in found[0][1]
    assert "trainer: 'zed'" in found[1][1]
