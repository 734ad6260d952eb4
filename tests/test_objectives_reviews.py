"""Objectives and management reviews: typed views, progress and trend, review inputs per standard, change control."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from isodocs.analyses.cycle_edits import actions_only_completed, objective_progress_only, review_actions_completed_only
from isodocs.model.management_review import INPUT_SLUGS, agenda, checklists, missing_text, nearest_slug, vocabulary
from isodocs.model.objectives import IMPROVING, NO_TREND, UNCHANGED, WORSENING, Objective, parse_results
from isodocs.readers.catalog import builtin_catalogs
from tests.conftest import REPO_ROOT
from tests.gitutil import commit, git, init
from tests.test_cycle_reports import check
from tests.test_rules import MR, MR_DOC, OBJ, OBJ_DOC, OBJECTIVES_PATHS, edit, front

FOUR = ["iso9001", "iso14001", "iso45001", "iso27001"]


@pytest.fixture(scope="module")
def catalogs():
    return builtin_catalogs()  # the four shipped catalogues


def objective(direction: str = "increase", values: tuple[float, ...] = (92.8, 94.1), target: float = 95) -> Objective:
    results = [{"date": f"2026-{month:02d}-28", "value": v} for month, v in enumerate(values, start=1)]
    return Objective(
        id="OBJ-001", title="t", path="objectives/o.md", status="approved", owner="qm", approved_on=None,
        measure="m", unit="%", baseline=None, target=target, direction=direction, due=dt.date(2026, 12, 31),
        progress="on-track", results=parse_results(results), actions=(), classification=None,
    )  # fmt: skip


# --- objectives: latest result, target met, trend ---


def test_trend_follows_the_direction():
    assert objective(values=(92.8, 94.1)).trend == IMPROVING
    assert objective(values=(94.1, 92.8)).trend == WORSENING
    assert objective("decrease", (5.1, 4.2), 3).trend == IMPROVING
    assert objective("decrease", (4.2, 5.1), 3).trend == WORSENING
    assert objective(values=(93, 93)).trend == UNCHANGED
    assert objective(values=(93,)).trend == NO_TREND


def test_the_target_is_a_minimum_or_with_decrease_a_maximum():
    assert objective(values=(95,)).met is True and objective(values=(94.9,)).met is False
    assert objective("decrease", (3,), 3).met is True and objective("decrease", (3.1,), 3).met is False
    assert objective(values=()).met is None


def test_results_are_read_by_date_and_bad_entries_skipped():
    results = parse_results(
        [{"date": "2026-06-30", "value": 2}, {"date": "2026-03-31", "value": 1}, {"date": "2026-02-30", "value": 9},
         {"date": "2026-04-30", "value": "high"}, {"date": "2026-05-31", "value": True}, "x"]
    )  # fmt: skip
    assert [(r.index, r.value) for r in results] == [(0, 2.0), (1, 1.0)]


def test_unmeasured_counts_from_approval_while_there_is_no_result():
    obj = objective(values=())
    obj = Objective(**{**obj.__dict__, "approved_on": dt.date(2026, 5, 1)})
    assert obj.unmeasured(dt.date(2026, 11, 2), 6) and not obj.unmeasured(dt.date(2026, 11, 1), 6)


# --- change control of objectives: recording progress is no new version ---


def test_progress_only_changes():
    before = {"target": 95, "progress": "on-track", "results": [{"date": "2026-03-31", "value": 92.8}],
              "actions": [{"action": "a", "owner": "qm", "due": "2026-03-01"}]}  # fmt: skip
    appended = {**before, "results": [*before["results"], {"date": "2026-06-30", "value": 94.1}]}
    assert objective_progress_only(before, appended, "b", "b")
    assert objective_progress_only(before, {**before, "progress": "at-risk"}, "b", "b")
    done = {**before, "actions": [{"action": "a", "owner": "qm", "due": "2026-03-01", "done": "2026-02-20"}]}
    assert objective_progress_only(before, done, "b", "b")
    assert objective_progress_only(before, {**done, "last_reviewed": "2026-07-01"}, "b", "b")
    # anything else is a new version
    assert not objective_progress_only(before, {**before, "target": 96}, "b", "b")
    assert not objective_progress_only(before, appended, "b", "body changed")
    assert not objective_progress_only(before, {**before, "results": [{"date": "2026-03-31", "value": 93}]}, "b", "b")
    assert not objective_progress_only(before, {**before, "results": []}, "b", "b")  # a result removed
    moved = {**before, "actions": [{"action": "a", "owner": "qm", "due": "2026-04-01"}]}
    assert not objective_progress_only(before, moved, "b", "b")
    added = {**before, "actions": [*before["actions"], {"action": "b", "owner": "qm", "due": "2026-05-01"}]}
    assert not objective_progress_only(before, added, "b", "b")


def test_a_done_date_may_be_added_never_changed_or_removed():
    open_, done = {"action": "a", "due": "2026-03-01"}, {"action": "a", "due": "2026-03-01", "done": "2026-02-20"}
    assert actions_only_completed([open_], [done])
    assert not actions_only_completed([done], [open_])
    assert not actions_only_completed([done], [{**done, "done": "2026-02-21"}])
    assert review_actions_completed_only({"status": "held", "actions": [open_]}, {"status": "held", "actions": [done]},
                                         "m", "m")  # fmt: skip
    assert not review_actions_completed_only({"inputs": {}, "actions": [open_]}, {"inputs": {"x": "y"},
                                             "actions": [done]}, "m", "m")  # fmt: skip


@pytest.fixture
def based(repo):
    repo.config(**OBJECTIVES_PATHS)
    init(repo.root)
    repo.write(OBJ_DOC, front(OBJ))
    repo.write(MR_DOC, front(MR))
    commit(repo.root, "base")
    git(repo.root, "checkout", "-q", "-b", "change")
    return repo


def change_findings(repo, run_check):
    return sorted(
        (f.rule, f.path, f.line)
        for f in run_check(repo, base="main").findings
        if f.rule in ("version-not-bumped", "record-modified")
    )


def test_recording_an_objectives_progress_needs_no_new_version(based, run_check):
    recorded = edit(
        ("value: 94.1}\n", "value: 94.1}\n  - {date: 2026-11-26, value: 95.2}\n"),
        ("progress: on-track", "progress: achieved"),
        ("due: 2026-12-15}", "due: 2026-12-15, done: 2026-11-20}"),
        text=OBJ,
    )  # fmt: skip
    based.write(OBJ_DOC, front(recorded))
    assert change_findings(based, run_check) == []


def test_any_other_change_of_an_objective_needs_a_new_version(based, run_check):
    based.write(OBJ_DOC, front(edit(("target: 95", "target: 96"), text=OBJ)))
    assert change_findings(based, run_check) == [("version-not-bumped", OBJ_DOC, 5)]


def test_a_held_review_may_only_have_its_actions_closed(based, run_check):
    based.write(MR_DOC, front(edit(("due: 2027-01-31}", "due: 2027-01-31, done: 2026-11-20}"), text=MR)))
    assert change_findings(based, run_check) == []
    based.write(MR_DOC, front(edit(("  resources: section 10", "  resources: section 4"), text=MR)))
    assert change_findings(based, run_check) == [("record-modified", MR_DOC, 21)]


# --- management review inputs per standard ---


def test_each_shipped_catalogue_lists_its_inputs_with_slugs_of_the_vocabulary(catalogs):
    counts = {key: len(catalogs[key].review_inputs) for key in FOUR}
    assert counts == {"iso9001": 12, "iso14001": 14, "iso45001": 16, "iso27001": 10}
    for key in FOUR:
        assert {item.slug for item in catalogs[key].review_inputs} <= set(INPUT_SLUGS)
    assert "worker-consultation" in {i.slug for i in catalogs["iso45001"].review_inputs}
    assert "worker-consultation" not in {i.slug for i in catalogs["iso9001"].review_inputs}
    assert "risk-treatment" in {i.slug for i in catalogs["iso27001"].review_inputs}
    assert "environmental-aspects" in {i.slug for i in catalogs["iso14001"].review_inputs}


def test_one_slug_satisfies_every_standard_that_requires_it(catalogs):
    everything = {slug: "minutes" for slug in INPUT_SLUGS}
    lists = checklists(everything, FOUR, catalogs)
    assert [c.name for c in lists] == ["ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018", "ISO/IEC 27001:2022"]
    assert missing_text(lists) == []
    without = {k: v for k, v in everything.items() if k != "audit-results"}
    assert missing_text(checklists(without, FOUR, catalogs)) == [
        "ISO 9001:2015 9.3.2 c) 6) audit results (audit-results)",
        "ISO 14001:2015 9.3 d) 4) audit results (audit-results)",
        "ISO 45001:2018 9.3 d) 4) audit results (audit-results)",
        "ISO/IEC 27001:2022 9.3.2 d) 3) audit results (audit-results)",
    ]


def test_an_input_one_standard_alone_requires(catalogs):
    without = {slug: "minutes" for slug in INPUT_SLUGS if slug != "worker-consultation"}
    assert missing_text(checklists(without, FOUR, catalogs)) == [
        "ISO 45001:2018 9.3 d) 5) consultation and participation of workers (worker-consultation)"
    ]
    assert missing_text(checklists(without, ["iso9001", "iso27001"], catalogs)) == []
    assert missing_text(checklists({**without, "worker-consultation": "  "}, ["iso45001"], catalogs)) != []


def test_the_agenda_names_each_slug_once_with_every_requirement(catalogs):
    sections = agenda(FOUR, catalogs)
    slugs = [s.slug for s in sections]
    assert sorted(slugs) == sorted(INPUT_SLUGS)  # all twenty, each once
    previous = sections[0]
    assert previous.slug == "previous-actions" and previous.refs == (
        "ISO 9001:2015 9.3.2 a); ISO 14001:2015 9.3 a); ISO 45001:2018 9.3 a); ISO/IEC 27001:2022 9.3.2 a)"
    )
    risks = next(s for s in sections if s.slug == "risks-opportunities")
    assert "ISO 45001:2018 9.3 b) 3); ISO 45001:2018 9.3 d) 6)" in risks.refs


def test_a_users_catalogue_may_add_an_input(catalogs):
    import dataclasses

    from isodocs.model.catalog import ReviewInput

    drills = ReviewInput("9.3 x)", "cyber-drills", "drills")
    own = dataclasses.replace(catalogs["iso9001"], key="own", review_inputs=(drills,))
    assert vocabulary([own])[-1] == "cyber-drills"
    assert missing_text(checklists({}, ["own"], {"own": own})) == ["ISO 9001:2015 9.3 x) drills (cyber-drills)"]


@pytest.mark.parametrize(
    ("written", "nearest"),
    [("worker-consulation", "worker-consultation"), ("audit-result", "audit-results"),
     ("consultation", "worker-consultation"), ("previous_actions", "previous-actions"), ("zzz", None)],
)  # fmt: skip
def test_nearest_slug(written, nearest):
    assert nearest_slug(written, INPUT_SLUGS) == nearest


# --- the example: its objectives and its October 2026 review ---

MR_EXAMPLE = "records/management-reviews/mr-2026-02-october-2026.md"
EXAMPLE_PARTS = ("policies", "procedures", "forms", "records", "objectives", "isodocs.yml", "soa.yml")


@pytest.fixture
def example(tmp_path):
    """A copy of the example management system."""
    for part in EXAMPLE_PARTS:
        source = REPO_ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / part)
    return tmp_path


def test_the_example_review_addresses_every_input_of_the_four_standards(example):
    result = check(example, "--format", "json")
    errors = [f for f in json.loads(result.output)["findings"] if f["severity"] == "error"]
    assert result.exit_code == 0 and errors == [], result.output  # (training-due warnings are the example's own)
    path = example / MR_EXAMPLE
    text = path.read_text("utf-8")
    assert "status: held" in text and "owner: hsm, due: 2026-12-31}" in text  # an open action, not overdue
    path.write_text("".join(line for line in text.splitlines(True) if "worker-consultation:" not in line), "utf-8")
    result = check(example, "--format", "json")
    [finding] = [f for f in json.loads(result.output)["findings"] if f["severity"] == "error"]
    assert result.exit_code == 1 and finding["rule"] == "management-review-input-missing"
    gap = "ISO 45001:2018 9.3 d) 5) consultation and participation of workers (worker-consultation) not addressed"
    assert gap in finding["message"]


def test_the_example_objectives_are_measured(example):
    from isodocs.app.check import CheckOptions, run_check
    from isodocs.readers.planning import read_objective

    system = run_check(CheckOptions(root=example, today=dt.date(2026, 11, 27))).system
    objectives = [read_objective(doc) for doc in system.documents if doc.type == "objective"]
    assert len(objectives) == 18 and all(o.latest is not None for o in objectives)
    assert {o.progress for o in objectives} == {"on-track", "at-risk", "achieved"}


@pytest.mark.parametrize(
    ("status", "day", "found"),
    [
        ("planned", "2026-12-10", []),  # the first review, planned: nothing held yet to be overdue from
        ("planned", "2026-11-20", ["management review MR-001 was planned for 2026-11-20 (7 days ago)"]),
        ("held", "2025-11-28", []),  # within twelve months
        ("held", "2025-11-26", ["no management review was held since 2025-11-27"]),
    ],
)
def test_management_review_overdue(repo, run_check, status, day, found):
    text = edit(("status: held", f"status: {status}"), ("date: 2026-10-14", f"date: {day}"), text=MR)
    repo.write(MR_DOC, front(text))
    messages = [f.message for f in run_check(repo).findings if f.rule == "management-review-overdue"]
    assert len(messages) == len(found) and all(m.startswith(want) for m, want in zip(messages, found, strict=True))


def test_a_reviews_standards_are_known_and_in_scope(repo, run_check):
    text = edit(
        ("attendees: [qm, ciso]\n", "attendees: [qm, ciso]\nstandards: [iso9001, iso9002, iso45001]\n"), text=MR
    )
    repo.write(MR_DOC, front(text))  # standards on line 10
    found = {
        f.rule: (f.line, f.message) for f in run_check(repo).findings if f.rule.startswith(("unknown-s", "standard"))
    }
    assert (
        found["unknown-standard"][0] == 10
        and "standards: 'iso9002' is no known standard" in found["unknown-standard"][1]
    )
    assert found["standard-not-in-scope"][0] == 10 and "held for ISO 45001:2018" in found["standard-not-in-scope"][1]
