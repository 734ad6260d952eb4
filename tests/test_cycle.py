"""The improvement cycle: audits, nonconformities and actions (types, schema, rules, programme coverage)."""

from __future__ import annotations

import datetime as dt

import pytest

from isodocs.analyses.programme import build_tree, compact, counts_in_cycle, covered_clauses
from isodocs.model.cycle import Audit
from tests.conftest import TODAY
from tests.gitutil import commit, git, init
from tests.test_rules import AUD, AUD_DOC, CLOSED_NC, NC, NC_DOC, cycle, edit

# --- the coverage computation (pure) ---

# 8 with 8.1 and 8.2 (8.2.1, 8.2.2, 8.2.3), 8.3, 8.4, 8.5; 9 with 9.1, 9.2
TREE = build_tree(
    [
        ("8", None),
        ("8.1", "8"),
        ("8.2", "8"),
        ("8.2.1", "8.2"),
        ("8.2.2", "8.2"),
        ("8.2.3", "8.2"),
        ("8.3", "8"),
        ("8.4", "8"),
        ("8.5", "8"),
        ("9", None),
        ("9.1", "9"),
        ("9.2", "9"),
    ]
)


def test_a_parent_in_scope_covers_its_children():
    assert covered_clauses(TREE, ["8.2"]) == {"8.2", "8.2.1", "8.2.2", "8.2.3"}


def test_all_children_in_scope_cover_the_parent_up_the_tree():
    covered = covered_clauses(TREE, ["8.1", "8.2.1", "8.2.2", "8.2.3", "8.3", "8.4", "8.5"])
    assert "8.2" in covered and "8" in covered and "9" not in covered


def test_some_children_do_not_cover_the_parent():
    covered = covered_clauses(TREE, ["8.2.1", "8.2.2"])
    assert "8.2" not in covered and "8" not in covered


def test_ids_outside_the_tree_are_ignored():
    assert covered_clauses(TREE, ["7.5", "A.5.1"]) == set()


def test_compact_names_a_parent_only_when_none_of_it_is_covered():
    assert compact(TREE, covered_clauses(TREE, [])) == ["8", "9"]
    # 8.2.2 covered: 8 and 8.2 are partly covered, so their uncovered parts are listed
    assert compact(TREE, covered_clauses(TREE, ["8.2.2", "9.1"])) == ["8.1", "8.2.1", "8.2.3", "8.3–8.5", "9.2"]


def test_compact_writes_three_or_more_wholly_uncovered_neighbours_as_a_range():
    assert compact(TREE, covered_clauses(TREE, ["8.1", "9"])) == ["8.2–8.5"]
    assert compact(TREE, covered_clauses(TREE, ["8.1", "8.4", "9"])) == ["8.2", "8.3", "8.5"]


def test_a_sibling_that_does_not_count_breaks_a_range():
    # Controls A.5.1 ... A.5.5 with A.5.3 not applicable: positions keep the gap.
    from isodocs.analyses.programme import ClauseTree

    tree = ClauseTree(
        roots=("A.5",),
        children={"A.5": ("A.5.1", "A.5.2", "A.5.4", "A.5.5"), "A.5.1": (), "A.5.2": (), "A.5.4": (), "A.5.5": ()},
        order=("A.5", "A.5.1", "A.5.2", "A.5.4", "A.5.5"),
        position={"A.5": 1000, "A.5.1": 0, "A.5.2": 1, "A.5.4": 3, "A.5.5": 4},
    )
    assert compact(tree, {"A.5.5"}) == ["A.5.1", "A.5.2", "A.5.4"]


def audit(status: str = "completed", kind: str = "internal", end: str = "2026-05-19") -> Audit:
    return Audit(
        id="AUD-001", title="t", path="records/a.md", status=status, kind=kind, owner="qm", lead_auditor="ciso",
        auditors=(), auditees=(), start=dt.date.fromisoformat(end), end=None, scope={"iso9001": ("8",)},
        documents=(), conclusion="ok", classification="internal",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("status", "kind", "end", "counts"),
    [
        ("completed", "internal", "2026-05-19", True),
        ("completed", "internal", "2025-11-27", True),  # exactly cycle_months ago
        ("completed", "internal", "2025-11-26", False),  # before the cycle
        ("planned", "internal", "2027-11-27", True),  # exactly cycle_months ahead
        ("planned", "internal", "2027-11-28", False),  # after the cycle
        ("planned", "internal", "2026-11-26", False),  # overdue: audit-overdue, not coverage
        ("cancelled", "internal", "2026-05-19", False),
        ("completed", "certification", "2026-05-19", False),
        ("completed", "supplier", "2026-05-19", False),
    ],
)
def test_which_audits_count_for_the_cycle(status, kind, end, counts):
    assert counts_in_cycle(audit(status, kind, end), TODAY, 12) is counts


# --- types, schema and references ---


def findings(result, slug=None):
    return [f for f in result.findings if slug is None or f.rule == slug]


def test_the_cycle_fixture_is_clean(repo, run_check):
    for rel, text in cycle().items():
        repo.write(rel, text)
    assert findings(run_check(repo)) == []


def test_a_closed_nonconformity_with_its_check_is_clean(repo, run_check):
    for rel, text in cycle(CLOSED_NC).items():
        repo.write(rel, text)
    assert findings(run_check(repo)) == []


def write(repo, nc=NC, audit_text=AUD):
    for rel, text in cycle(nc, audit_text).items():
        repo.write(rel, text)


@pytest.mark.parametrize(
    ("nc", "audit_text", "path", "says"),
    [
        (NC, edit(("conclusion: Conforming.\n", ""), text=AUD), AUD_DOC, "missing required field: conclusion"),
        (NC, edit(("lead_auditor: ciso\n", ""), text=AUD), AUD_DOC, "missing required field: lead_auditor"),
        (NC, edit(("status: completed", "status: held"), text=AUD), AUD_DOC, "status: 'held' is not one of planned"),
        (edit(("status: open", "status: closed"), text=NC), AUD, NC_DOC, "missing required field: closed"),
        (edit(("audit: AUD-001\n", ""), text=NC), AUD, NC_DOC, "missing required field: audit"),
        (edit(("grade: minor", "grade: serious"), text=NC), AUD, NC_DOC, "grade: 'serious' is not one of major"),
        (edit(("source: audit", "source: gossip"), text=NC), AUD, NC_DOC, "source: 'gossip' is not one of audit"),
        (edit((", due: 2026-12-19}", "}"), text=NC), AUD, NC_DOC, "actions.0: missing required field: due"),
        (edit(("due: 2026-12-19", "due: 2026-02-30"), text=NC), AUD, NC_DOC, "actions.0.due: 2026-02-30 is not a real"),
        (NC + 'version: "1.0"\n', AUD, NC_DOC, "version: not allowed on a nonconformity"),
    ],
)
def test_schema_of_the_cycle_records(repo, run_check, nc, audit_text, path, says):
    write(repo, nc, audit_text)
    found = [f for f in findings(run_check(repo), "schema") if f.path == path]
    assert found and says in found[0].message, found


def test_an_unknown_audit_or_document_is_a_broken_reference(repo, run_check):
    write(
        repo, edit(("audit: AUD-001", "audit: AUD-009"), text=NC), edit(("[PRO-001]", "[PRO-001, PRO-404]"), text=AUD)
    )
    found = [(f.path, f.line, f.message.split(" ")[0]) for f in findings(run_check(repo), "broken-reference")]
    assert found == [(AUD_DOC, 14, "PRO-404"), (NC_DOC, 8, "AUD-009")]


def test_an_nc_naming_a_document_that_is_no_audit_is_told_so(repo, run_check):
    write(repo, edit(("audit: AUD-001", "audit: PRO-001"), text=NC))
    [found] = findings(run_check(repo), "broken-reference")
    assert "PRO-001 is a procedure, not an audit" in found.message


def test_cycle_records_need_no_clauses_and_count_as_evidence(repo, run_check):
    repo.config(gap_rules=True)
    write(repo)
    missing = {f.message.split(" requires")[0] for f in findings(run_check(repo), "mandatory-record-missing")}
    assert findings(run_check(repo), "unmapped") == []
    # 9.2.2 and 10.2.2 of ISO 9001, 9.2.2 and 10.2 of ISO/IEC 27001 are met by the audit and the NC
    assert not any(clause in text for text in missing for clause in (" 9.2.2 ", " 10.2.2 ", " 10.2 "))
    assert any(" 7.2 " in text for text in missing)  # still missing: no training record


def test_unknown_clause_in_scope_and_against(repo, run_check):
    write(repo, edit(('["7.1.5.1"]', '["7.1.5.9"]'), text=NC), edit(('["7.5"]', '["7.5", "7.9"]'), text=AUD))
    found = [(f.path, f.line) for f in findings(run_check(repo), "unknown-clause")]
    assert found == [(AUD_DOC, 13), (NC_DOC, 12)]


def test_an_auditor_among_the_auditees_is_not_independent(repo, run_check):
    write(repo, audit_text=edit(("auditees: [qm]", "auditees: [ciso]"), text=AUD))
    [found] = findings(run_check(repo), "auditor-not-independent")
    assert found.line == 7 and "lead auditor ciso (Ann Lee) is also an auditee" in found.message


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (("result: effective", "result: not-effective"), "found it not-effective"),
        (("closed: 2026-11-21", "closed: 2026-11-19"), "before its effectiveness was checked"),
        (("root_cause: Ancillary tools were not linked to their stations.\n", ""), "without a root_cause"),
    ],
)
def test_closing_needs_an_effective_check_after_it_and_a_root_cause(repo, run_check, change, says):
    write(repo, edit(change, text=CLOSED_NC))
    [found] = findings(run_check(repo), "nonconformity-closed-early")
    assert says in found.message


def test_an_observation_closes_without_check_or_root_cause(repo, run_check):
    nc = edit(
        ("grade: minor", "grade: observation"),
        ("root_cause: Ancillary tools were not linked to their stations.\n", ""),
        ("effectiveness:\n  due: 2027-01-31\n", "closed: 2026-11-20\n"),
        ("status: open", "status: closed"),
        ("due: 2026-12-19}", "due: 2026-12-19, done: 2026-11-01}"),
        text=NC,
    )
    write(repo, nc)
    assert findings(run_check(repo)) == []


def test_action_overdue_covers_every_open_action_not_those_of_a_closed_nc(repo, run_check):
    two = edit(("due: 2026-12-19}", "due: 2026-11-01}\n  - {action: Second, owner: md, due: 2026-10-01}"), text=NC)
    write(repo, two)
    assert [f.line for f in findings(run_check(repo), "action-overdue")] == [15, 16]
    write(
        repo,
        edit(
            ("status: open", "status: closed"),
            ("  due: 2027-01-31\n", "  due: 2027-01-31\nclosed: 2026-11-20\n"),
            text=two,
        ),
    )
    assert findings(run_check(repo), "action-overdue") == []


# --- audit-programme-gap ---

PROGRAMME_CONFIG = {"standards": ["iso9001"], "rules": {"audit-programme-gap": "error"}}


def audit_file(
    doc_id: str, scope: str, status: str = "completed", end: str = "2026-05-19", kind: str = "internal"
) -> str:
    text = edit(
        ("AUD-001", doc_id), ("status: completed", f"status: {status}"), ("end: 2026-05-19", f"end: {end}"),
        ('  iso9001: ["7.5"]', f"  iso9001: {scope}"), text=AUD,
    )  # fmt: skip
    if status != "completed":
        text = text.replace("conclusion: Conforming.\n", "")
    return f"---\n{text}kind: {kind}\n---\n# Audit\n"


ALL_BUT_8 = '["4", "5", "6", "7", "9", "10"]'


def test_no_gap_when_the_cycle_covers_every_clause(repo, run_check):
    repo.config(**PROGRAMME_CONFIG)
    repo.write("records/a1.md", audit_file("AUD-001", ALL_BUT_8))
    repo.write("records/a2.md", audit_file("AUD-002", '["8"]', status="planned", end="2027-03-01"))
    assert findings(run_check(repo), "audit-programme-gap") == []


def test_gap_names_the_uncovered_clauses_compactly(repo, run_check):
    repo.config(**PROGRAMME_CONFIG)
    repo.write("records/a1.md", audit_file("AUD-001", ALL_BUT_8))
    repo.write("records/a2.md", audit_file("AUD-002", '["8.1", "8.2", "8.3", "8.5.1"]'))
    [found] = findings(run_check(repo), "audit-programme-gap")
    assert found.path == "isodocs.yml" and found.line == 3  # the standard's line in standards:
    assert "ISO 9001:2015: 11 of 65 clauses" in found.message  # 8.4.1-3, 8.5.2-6, 8.6, 8.7.1-2
    assert "8.4, 8.5.2–8.5.6, 8.6, 8.7." in found.message
    assert "completed since 2025-11-27 or planned until 2027-11-27" in found.message
    assert "programme owner qm (Jane Smith)" in found.message


@pytest.mark.parametrize(
    ("status", "end", "kind"),
    [("cancelled", "2026-05-19", "internal"), ("completed", "2025-10-01", "internal"),
     ("planned", "2028-01-10", "internal"), ("completed", "2026-05-19", "surveillance")],
)  # fmt: skip
def test_audits_that_do_not_count_leave_their_clauses_uncovered(repo, run_check, status, end, kind):
    repo.config(**PROGRAMME_CONFIG)
    repo.write("records/a1.md", audit_file("AUD-001", ALL_BUT_8))
    repo.write("records/a2.md", audit_file("AUD-002", '["8"]', status=status, end=end, kind=kind))
    [found] = findings(run_check(repo), "audit-programme-gap")
    assert found.message.endswith(
        ": 8. Plan an audit (programme owner qm (Jane Smith)) with scope: {iso9001: [...]} naming them"
    )


def test_annex_a_counts_only_applicable_controls(repo, run_check):
    repo.config(standards=["iso27001"], rules={"audit-programme-gap": "error"})
    decisions = "\n".join(
        f"  A.{theme}.{n}: {{applicable: {'false' if (theme, n) == (5, 3) else 'true'}, justification: x}}"
        for theme, count in ((5, 37), (6, 8), (7, 14), (8, 34))
        for n in range(1, count + 1)
    )
    repo.write("soa.yml", f"controls:\n{decisions}\n")
    scope = '["4", "5", "6", "7", "8", "9", "10", "A.5.1", "A.5.2", "A.5.5", "A.6", "A.7", "A.8"]'
    repo.write("records/a1.md", audit_file("AUD-001", scope).replace("iso9001:", "iso27001:"))
    [found] = findings(run_check(repo), "audit-programme-gap")
    # A.5.3 is excluded: A.5.4 alone; from A.5.6 the rest of A.5 is a range
    assert ": A.5.4, A.5.6–A.5.37. Plan" in found.message


def test_no_programme_gap_without_audit_files(repo, run_check):
    repo.config(**PROGRAMME_CONFIG)
    repo.doc("procedures/p.md", {"id": "PRO-001", "title": "P", "type": "procedure", "version": "1.0",
                                 "status": "draft", "owner": "qm", "clauses": {"iso9001": ["7.5"]}})  # fmt: skip
    assert findings(run_check(repo), "audit-programme-gap") == []


# --- record-modified: the cycle's records are final only in a final status ---


@pytest.fixture
def based(repo):
    init(repo.root)
    write(repo, audit_text=edit(("status: completed", "status: planned"), ("conclusion: Conforming.\n", ""), text=AUD))
    repo.write("records/closed.md", front_of(CLOSED_NC.replace("NC-001", "NC-002")))
    repo.write("records/done.md", "---\n" + AUD.replace("AUD-001", "AUD-002") + "---\n# Done\n")
    commit(repo.root, "base")
    git(repo.root, "checkout", "-q", "-b", "change")
    return repo


def front_of(text: str) -> str:
    return f"---\n{text}---\n# Title\n"


def test_open_and_planned_records_may_change(based, run_check):
    based.write(AUD_DOC, front_of(AUD))  # planned -> completed
    based.write(NC_DOC, front_of(edit(("due: 2026-12-19}", "due: 2026-12-19, done: 2026-11-20}"), text=NC)))
    assert findings(run_check(based, base="main"), "record-modified") == []


def test_a_completed_audit_and_a_closed_nc_are_final(based, run_check):
    based.write(
        "records/done.md", "---\n" + AUD.replace("AUD-001", "AUD-002").replace("Conforming.", "Fine.") + "---\n# Done\n"
    )
    based.write(
        "records/closed.md", front_of(CLOSED_NC.replace("NC-001", "NC-002").replace("status: closed", "status: open"))
    )
    found = sorted(
        (f.path, f.line, f.message.split(";")[1].split(":")[0])
        for f in findings(run_check(based, base="main"), "record-modified")
    )
    assert found == [
        ("records/closed.md", 5, " a nonconformity is final once closed"),
        ("records/done.md", 15, " an audit is final once completed"),
    ]


# --- isodocs new audit | nonconformity ---


def new(repo, *args: str):
    from click.testing import CliRunner

    from isodocs.cli import main

    return CliRunner().invoke(main, ["-C", str(repo.root), "new", *args])


def test_new_audit_is_planned_with_its_scope_and_checks_clean(repo, run_check):
    write(repo)
    result = new(repo, "audit", "--title", "Audit of purchasing", "--owner", "qm", "--clauses", "iso9001:8.4",
                 "--date", "2027-02-01")  # fmt: skip
    assert result.exit_code == 0, result.output
    path = repo.root / "records/audits/audit-of-purchasing.md"
    text = path.read_text("utf-8")
    assert "id: AUD-002\n" in text and "status: planned" in text and 'iso9001: ["8.4"]' in text
    assert 'start: "2027-02-01"' in text and "# lead_auditor: PERSON" in text
    assert "## Findings" in text and "--audit AUD-002" in text
    assert findings(run_check(repo)) == []


def test_new_nonconformity_from_an_audit_has_the_sections_of_a_corrective_action(repo, run_check):
    write(repo)
    result = new(repo, "nonconformity", "--title", "Gauge past due", "--owner", "md", "--audit", "AUD-001",
                 "--clauses", "iso9001:7.1.5.1", "--grade", "major", "--date", "2026-11-20")  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (repo.root / "records/nonconformities/gauge-past-due.md").read_text("utf-8")
    assert "id: NC-002\n" in text and "grade: major" in text and "source: audit" in text and "audit: AUD-001" in text
    assert 'raised: "2026-11-20"' in text and 'iso9001: ["7.1.5.1"]' in text
    sections = [line for line in text.splitlines() if line.startswith("## ")]
    assert sections == ["## Description", "## Correction and containment", "## Root cause", "## Actions",
                        "## Effectiveness"]  # fmt: skip
    assert findings(run_check(repo)) == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("audit", "--title", "A", "--owner", "qm"), "an audit needs its scope: pass --clauses"),
        (("nonconformity", "--title", "N", "--owner", "qm", "--source", "audit"), "pass --audit AUD-"),
        (("nonconformity", "--title", "N", "--owner", "qm", "--audit", "PRO-001"), "PRO-001 is a procedure"),
        (("nonconformity", "--title", "N", "--owner", "qm", "--grade", "huge"), "--grade huge: one of major"),
        (("nonconformity", "--title", "N", "--owner", "qm", "--source", "rumour"), "--source rumour"),
    ],
)
def test_new_refuses_what_would_make_an_invalid_record(repo, args, says):
    write(repo)
    result = new(repo, *args)
    assert result.exit_code == 2 and says in result.output, result.output


# --- hostile values: a finding, never a crash ---

JUNK = ["text", 7, 1.5, True, None, [], {}, [1, "a", None], {"a": {"b": [1]}}, "2026-02-30", "9999-99-99"]
CYCLE_FIELDS = [
    "kind", "lead_auditor", "auditors", "auditees", "start", "end", "scope", "documents", "conclusion", "grade",
    "audit", "raised", "raised_by", "against", "correction", "root_cause", "actions", "effectiveness", "closed",
]  # fmt: skip


@pytest.mark.parametrize("field", CYCLE_FIELDS)
def test_any_value_of_a_cycle_field_is_a_finding_not_a_crash(repo, run_check, field):
    import yaml

    for value in JUNK:
        for text, path in ((AUD, AUD_DOC), (NC, NC_DOC)):
            data = yaml.safe_load(text)
            data[field] = value
            repo.write(path, "---\n" + yaml.safe_dump(data, sort_keys=False) + "---\n# T\n")
        result = run_check(repo)  # every rule ran on both documents
        assert all(f.line >= 1 for f in result.findings)
        reports(repo)  # and the reports and the site's pages read them
    for value in ([{"action": 1, "owner": [], "due": "2026-02-30", "done": {}}], [{"x": 1}], ["text"]):
        data = yaml.safe_load(NC)
        data["actions"] = value
        repo.write(NC_DOC, "---\n" + yaml.safe_dump(data, sort_keys=False) + "---\n# T\n")
        assert any(f.rule == "schema" for f in run_check(repo).findings)


def reports(repo) -> None:
    """Run the three reports in every format and stage the site's cycle pages."""
    from isodocs.app.cycle import ActionsOptions, NonconformitiesOptions, run_actions, run_audits, run_nonconformities
    from isodocs.app.load import load_system
    from isodocs.app.reports import ReportOptions
    from isodocs.reporters import cycle as out
    from isodocs.site import cycle_pages
    from isodocs.site.inputs import SiteInputs
    from isodocs.site.pages import dashboard_page, document_page

    audits = run_audits(ReportOptions(root=repo.root, today=TODAY))
    ncs = run_nonconformities(NonconformitiesOptions(root=repo.root, today=TODAY))
    actions = run_actions(ActionsOptions(root=repo.root, today=TODAY))
    for report, renderers in (
        (audits, (out.render_audits_text, out.render_audits_json, out.render_audits_csv)),
        (ncs, (out.render_nonconformities_text, out.render_nonconformities_json, out.render_nonconformities_csv)),
        (actions, (out.render_actions_text, out.render_actions_json, out.render_actions_csv)),
    ):
        for render in renderers:
            assert render(report)
    system, _ = load_system(repo.root, TODAY)
    inputs = SiteInputs(system=system, build_date=TODAY)
    for page in (cycle_pages.programme_page, cycle_pages.register_page, cycle_pages.actions_page, dashboard_page):
        assert page(inputs, True)
    for doc in inputs.published:
        assert document_page(inputs, doc, "# T\n", True)


def test_the_cycle_rules_find_the_same_from_the_parse_cache(repo, run_check, monkeypatch):
    """Documents built from the cache's record read their front matter only when asked (cross-document rules,
    the programme): the findings of a warm run are those of a cold one."""
    import subprocess

    from isodocs.readers import parsecache

    subprocess.run(["git", "init", "-q", str(repo.root)], check=True)
    real = parsecache._now_ns
    monkeypatch.setattr(parsecache, "_now_ns", lambda: real() + 60 * 1_000_000_000)  # the files are not racy
    repo.config(standards=["iso9001"], rules={"audit-programme-gap": "error"})
    audit = edit(("auditors: [md]", "auditors: [qm]"), ("[PRO-001]", "[PRO-001, PRO-404]"), text=AUD)
    write(repo, edit(("due: 2026-12-19", "due: 2026-11-01"), ("audit: AUD-001", "audit: PRO-001"), text=NC), audit)
    cold = [(f.rule, f.path, f.line, f.message) for f in run_check(repo).findings]
    opened: list[parsecache.ParseCache] = []
    original = parsecache.ParseCache.open

    def spy(root):  # type: ignore[no-untyped-def]
        cache = original(root)
        opened.append(cache)
        return cache

    monkeypatch.setattr(parsecache.ParseCache, "open", spy)
    warm = [(f.rule, f.path, f.line, f.message) for f in run_check(repo).findings]
    # every document built from its record (the audit's and the nonconformity's front matter read again
    # from their files only for the findings that need their key lines)
    assert opened[0].file_hits == 3
    expected = {"broken-reference", "auditor-not-independent", "action-overdue", "audit-programme-gap"}
    assert warm == cold and expected <= {rule for rule, *_ in cold}
    monkeypatch.setenv("ISODOCS_NO_CACHE", "1")
    assert [(f.rule, f.path, f.line, f.message) for f in run_check(repo).findings] == cold


@pytest.mark.parametrize(
    ("nc", "audit_text", "path", "line", "field"),
    [
        (NC, edit(("lead_auditor: ciso", "lead_auditor: cisoo"), text=AUD), AUD_DOC, 7, "lead_auditor"),
        (NC, edit(("auditors: [md]", "auditors: [md, ghost]"), text=AUD), AUD_DOC, 8, "auditors.1"),
        (NC, edit(("auditees: [qm]", "auditees: [ghost]"), text=AUD), AUD_DOC, 9, "auditees.0"),
        (
            edit(("  due: 2027-01-31\n", "  due: 2027-01-31\n  by: ghost\n"), text=NC),
            AUD,
            NC_DOC,
            18,
            "effectiveness.by",
        ),
    ],
)
def test_unknown_person_in_every_field_that_names_people(repo, run_check, nc, audit_text, path, line, field):
    write(repo, nc, audit_text)
    [found] = findings(run_check(repo), "unknown-person")
    assert (found.path, found.line) == (path, line) and found.message.startswith(f"{field}: ")


@pytest.mark.parametrize("cached", [False, True])
def test_the_cycle_references_come_from_the_typed_view_with_their_positions(repo, run_check, monkeypatch, cached):
    """broken-reference reads an audit's documents and an NC's audit from the typed view (no read of the file on a
    warm run); an item that is no text keeps the positions of those after it, an empty audit id is still reported."""
    import subprocess

    from isodocs.readers import parsecache

    subprocess.run(["git", "init", "-q", str(repo.root)], check=True)
    real = parsecache._now_ns
    monkeypatch.setattr(parsecache, "_now_ns", lambda: real() + 60 * 1_000_000_000)  # the files are not racy
    audit = edit(("documents: [PRO-001]", "documents: [PRO-001, 5, PRO-404]"), text=AUD)
    write(repo, edit(("audit: AUD-001", 'audit: ""'), text=NC), audit)
    if cached:
        run_check(repo)  # the next run builds every document from its record
    found = {
        (f.path, f.line, f.message.split(":")[0]) for f in run_check(repo).findings if f.rule == "broken-reference"
    }
    audit_line = 1 + audit.splitlines().index("documents: [PRO-001, 5, PRO-404]") + 1
    nc_line = 1 + edit(("audit: AUD-001", 'audit: ""'), text=NC).splitlines().index('audit: ""') + 1
    assert found == {
        (AUD_DOC, audit_line, "PRO-404 is no document of this repository"),
        (NC_DOC, nc_line, " is no document of this repository"),
    }


def test_a_warm_run_reads_no_nonconformity_without_findings(repo, run_check, monkeypatch):
    """The references broken-reference checks are in the record's typed view: a nonconformity without findings
    is not read again (the audit is: the programme reads its scope as written)."""
    import subprocess

    from isodocs.readers import known_files, parsecache

    subprocess.run(["git", "init", "-q", str(repo.root)], check=True)
    real = parsecache._now_ns
    monkeypatch.setattr(parsecache, "_now_ns", lambda: real() + 60 * 1_000_000_000)  # the files are not racy
    write(repo)
    first = run_check(repo).findings
    read: list[str] = []
    original = known_files._KnownFiles._read
    monkeypatch.setattr(
        known_files._KnownFiles, "_read", lambda self, doc: read.append(doc.path) or original(self, doc)
    )
    assert run_check(repo).findings == first
    assert read == ["records/audit.md"], [(f.rule, f.path) for f in first]
