"""Training and awareness as plain data (isodocs.analyses.training): audiences, coverage of versions, the matrix."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isodocs.analyses.training import (
    CURRENT,
    MISSING,
    NOT_REQUIRED,
    OUTDATED,
    Audiences,
    Requirement,
    TrainingRecord,
    audience_members,
    build_matrix,
    completion,
    covers,
    named,
    overdue,
    trained_index,
    unknown_audience,
)

PEOPLE = {"ann": ("production",), "bob": ("production", "test-lab"), "cat": ("office",), "dan": ()}
DAY = dt.date(2026, 3, 1)


def _record(rid: str, attendees: tuple[str, ...], documents: dict[str, str], day: dt.date = DAY) -> TrainingRecord:
    return TrainingRecord(rid, f"records/{rid}.md", day, "read-and-understood", attendees, documents)


def _req(doc_id: str, version: str, audience: tuple[str, ...], effective: dt.date = DAY) -> Requirement:
    return Requirement(doc_id, doc_id, version, effective, audience)


@pytest.mark.parametrize(
    ("trained", "current", "retrain_on", "expected"),
    [
        ("1.0", "1.0", "major", True),
        ("1.0", "1.4", "major", True),  # a minor change needs no retraining
        ("1.4", "2.0", "major", False),
        ("1.0", "1.1", "minor", False),  # every version needs training
        ("1.1", "1.1", "minor", True),
        ("1.10", "1.10", "minor", True),
        ("2.0", "1.0", "major", False),
    ],
)
def test_covers(trained: str, current: str, retrain_on: str, expected: bool) -> None:
    assert covers(trained, current, retrain_on) is expected


def test_audience_members_everyone_groups_and_person_keys() -> None:
    assert audience_members(["everyone"], PEOPLE) == ["ann", "bob", "cat", "dan"]
    assert audience_members(["production"], PEOPLE) == ["ann", "bob"]
    assert audience_members(["test-lab", "cat"], PEOPLE) == ["bob", "cat"]  # a group and a person key
    assert audience_members(["dan", "dan"], PEOPLE) == ["dan"]
    assert audience_members([], PEOPLE) == []


def test_unknown_audience() -> None:
    assert unknown_audience(["everyone", "production", "cat", "sales", "Ann"], PEOPLE) == ["sales", "Ann"]


def test_trained_index_keeps_the_highest_version() -> None:
    index = trained_index(
        [
            _record("TRN-001", ("ann",), {"POL-001": "2.0"}, dt.date(2026, 1, 1)),
            _record("TRN-002", ("ann", "bob"), {"POL-001": "1.0"}, dt.date(2026, 2, 1)),
            _record("TRN-003", ("ann",), {"POL-001": "2.0"}, dt.date(2026, 3, 1)),
        ]
    )
    assert index[("ann", "POL-001")].record == "TRN-003"  # same version, later
    assert index[("bob", "POL-001")].version == "1.0"


def test_matrix_statuses_and_completion() -> None:
    requirements = [_req("POL-001", "2.0", ("everyone",)), _req("WI-001", "1.1", ("production",))]
    records = [
        _record("TRN-001", ("ann", "bob"), {"POL-001": "2.0", "WI-001": "1.0"}),
        _record("TRN-002", ("cat",), {"POL-001": "1.3"}),
    ]
    matrix = build_matrix(requirements, records, PEOPLE, retrain_on="major")
    pol, wi = matrix.rows
    assert [matrix.cell(pol, p).status for p in PEOPLE] == [CURRENT, CURRENT, OUTDATED, MISSING]
    assert [matrix.cell(wi, p).status for p in PEOPLE] == [CURRENT, CURRENT, NOT_REQUIRED, NOT_REQUIRED]
    assert (pol.current, pol.required) == (2, 4)
    assert pol.untrained == ["cat", "dan"]
    assert matrix.tally(matrix.members("production")) == (4, 4)
    assert matrix.tally(matrix.members("everyone")) == (4, 6)
    assert completion(4, 6) == 66.7 and completion(0, 0) is None
    assert [row.requirement.id for row, _ in matrix.for_person("cat")] == ["POL-001"]
    assert "office" in matrix.groups() and matrix.groups()[-1] == "everyone"


def test_a_new_version_makes_earlier_training_outdated() -> None:
    records = [_record("TRN-001", ("ann",), {"POL-001": "1.2"})]
    for retrain_on, minor, major in (("major", CURRENT, OUTDATED), ("minor", OUTDATED, OUTDATED)):
        for version, expected in (("1.3", minor), ("2.0", major)):
            matrix = build_matrix([_req("POL-001", version, ("ann",))], records, PEOPLE, retrain_on)
            assert matrix.cell(matrix.rows[0], "ann").status == expected, (retrain_on, version)


def test_grace_period_edges() -> None:
    matrix = build_matrix([_req("POL-001", "1.0", ("ann",), dt.date(2026, 3, 1))], [], PEOPLE, grace_days=30)
    row = matrix.rows[0]
    assert row.due == dt.date(2026, 3, 31)
    assert not overdue(row, dt.date(2026, 3, 31))  # the last day of grace
    assert overdue(row, dt.date(2026, 4, 1))
    no_date = build_matrix([_req("POL-001", "1.0", ("ann",), None)], [], PEOPLE).rows[0]  # type: ignore[arg-type]
    assert not overdue(no_date, dt.date(2099, 1, 1))


def test_classroom_record_with_several_attendees_and_no_documents() -> None:
    topic = TrainingRecord("TRN-009", "r.md", DAY, "classroom", ("ann", "bob"), {}, trainer="cat", topic="ESD")
    matrix = build_matrix([_req("POL-001", "1.0", ("everyone",))], [topic], PEOPLE)
    assert matrix.rows[0].current == 0  # a topic alone counts for no document
    classroom = TrainingRecord("TRN-010", "r.md", DAY, "classroom", ("ann", "bob"), {"POL-001": "1.0"})
    matrix = build_matrix([_req("POL-001", "1.0", ("everyone",))], [classroom], PEOPLE)
    assert matrix.rows[0].people(CURRENT) == ["ann", "bob"]


def test_named_lists_the_first_few_and_a_count() -> None:
    assert named(["a", "b"]) == "a, b"
    assert named(list("abcdefg"), shown=5) == "a, b, c, d, e and 2 more"


@given(
    st.dictionaries(
        st.sampled_from(["ann", "bob", "cat", "dan", "eve", "a", "b"]),
        st.lists(st.sampled_from(["a", "b", "team", "ann", "everyone"]), max_size=3),
    ),
    st.lists(st.sampled_from(["a", "b", "team", "ann", "bob", "everyone", "zzz"]), max_size=4),
)
def test_audiences_give_the_same_members_as_audience_members(people, audience):
    assert Audiences(people).members(audience) == audience_members(audience, people)
