"""The site's pages of the improvement cycle: audit programme, nonconformity register, open actions.

Like every generated page they name only published documents (withheld ones are
counted), escape every value from a document, and an audit's page lists the
nonconformities it raised.
"""

from __future__ import annotations

import pytest

from isodocs.app.load import load_system
from isodocs.site import cycle_pages
from isodocs.site.inputs import SiteInputs
from isodocs.site.pages import document_page
from isodocs.site.render import stage
from tests.conftest import TODAY
from tests.test_rules import AUD, BASE, CLOSED_NC, NC, edit, front
from tests.test_site_blocks import convert

HOSTILE = "<script>alert(1)</script> & {: onclick=x }"


@pytest.fixture
def cycle_site(repo):
    repo.write("procedures/doc.md", front(BASE))
    repo.write("records/audits/a1.md", front(AUD))
    repo.write("records/audits/a2.md", front(planned_text()))
    repo.write("records/ncs/nc1.md", front(edit(("due: 2026-12-19}", "due: 2026-11-20}"), text=NC)))  # overdue
    repo.write("records/ncs/nc2.md", front(CLOSED_NC.replace("NC-001", "NC-002")))
    secret = edit(
        ("NC-001", "NC-003"),
        ("classification: internal", "classification: confidential"),
        ("title: Torque driver used past its calibration date", "title: Zanzibar secret finding"),
        ("Link the ancillary tools to their stations", "Zanzibar secret action"),
        text=NC,
    )
    repo.write("records/ncs/nc3.md", front(secret))
    return repo


def planned_text() -> str:
    text = edit(("AUD-001", "AUD-002"), ("status: completed", "status: planned"), text=AUD)
    text = edit(("start: 2026-05-18", "start: 2027-02-01"), ("end: 2026-05-19", "end: 2027-02-02"), text=text)
    return edit(("conclusion: Conforming.\n", ""), text=text)


def staged(repo):
    system, _ = load_system(repo.root, TODAY)
    inputs = SiteInputs(system=system, build_date=TODAY)
    return inputs, stage(inputs, site_dir="out")


def page(project, path: str) -> str:
    return project.files[f"docs/{path}"]


def test_the_cycle_pages_are_staged_and_in_the_navigation(cycle_site):
    _inputs, project = staged(cycle_site)
    for path in cycle_pages.PAGES:
        assert f"docs/{path}" in project.files
    nav = project.files["mkdocs.yml"]
    assert "Audit programme: audits.md" in nav and "Nonconformity register: nonconformities.md" in nav
    assert "Open actions: actions.md" in nav and "- Audits:" in nav and "- Nonconformities:" in nav


def test_programme_page_by_year_and_month_with_coverage(cycle_site):
    _inputs, project = staged(cycle_site)
    text = page(project, cycle_pages.PROGRAMME)
    assert "## 2026" in text and "## 2027" in text
    may = text.split('<td style="text-align: left;">May</td>', 1)[1].split("</tr>", 1)[0]
    assert (
        "AUD-001" in may and "completed" in may and "Ann Lee (CISO)" in may and "3 minor" in may
    )  # NC-003 is withheld: counted, not named
    assert "## Clause coverage: ISO 9001:2015" in text
    row_75 = text.split(";7.5</td>", 1)[1].split("</tr>", 1)[0]
    assert "audited" in row_75 and "AUD-001" in row_75  # AUD-001 completed, AUD-002 planned: both cover 7.5
    row_8 = text.split(">8</td>", 1)[1].split("</tr>", 1)[0]
    assert "not covered" in row_8


def test_register_lists_open_first_marks_overdue_and_counts_withheld(cycle_site):
    _inputs, project = staged(cycle_site)
    text = page(project, cycle_pages.REGISTER)
    assert text.index("## Open (1)") < text.index("NC-001") < text.index("## Closed (1)") < text.index("NC-002")
    nc1 = text.split("NC-001", 1)[1].split("</tr>", 1)[0]
    assert "1 overdue" in nc1 and "isodocs-overdue" in nc1
    assert "Zanzibar" not in text and "NC-003" not in text
    assert "1 nonconformity(ies) not published here" in text


def test_actions_page_by_owner_without_withheld_documents(cycle_site):
    _inputs, project = staged(cycle_site)
    text = page(project, cycle_pages.ACTIONS)
    assert "## Jane Smith (Quality Manager) (1 open, 1 overdue)" in text
    assert "overdue by 7 days" in text and "Link the ancillary tools" in text
    assert "Zanzibar" not in text and "1 action(s) of documents not published here" in text


def test_an_audit_page_lists_its_nonconformities(cycle_site):
    _inputs, project = staged(cycle_site)
    text = page(project, "records/audits/a1.md")
    section = text.split("## Nonconformities raised", 1)[1]
    assert "NC-001" in section and "NC-002" in section and "effective" in section
    assert "Zanzibar" not in text and "1 nonconformity(ies) not published here" in section
    assert "| Lead auditor |" not in text and "Lead auditor</td>" in text  # the control block's row, as HTML


def test_the_dashboard_shows_nonconformities_by_grade_overdue_actions_and_coverage(cycle_site):
    _inputs, project = staged(cycle_site)
    text = page(project, "index.md")
    improvement = text.split("## Improvement", 1)[1].split("## Documents by type", 1)[0]
    assert "open minor nonconformities" in improvement and "overdue actions" in improvement
    assert "### Overdue actions (1)" in improvement and "Link the ancillary tools" in improvement
    assert "### Audit programme coverage" in improvement and "ISO 9001:2015" in improvement
    assert "Zanzibar" not in improvement


def test_values_from_documents_are_escaped_on_every_cycle_page(repo):
    repo.write("procedures/doc.md", front(BASE))
    repo.write("records/audits/a1.md", front(AUD))
    hostile = edit(
        ("title: Torque driver used past its calibration date", f'title: "{HOSTILE}"'),
        ("action: Link the ancillary tools to their stations", f'action: "{HOSTILE}"'),
        text=NC,
    )
    repo.write("records/ncs/nc1.md", front(hostile))
    _inputs, project = staged(repo)
    for path in (*cycle_pages.PAGES, "index.md", "records/audits/a1.md", "records/ncs/nc1.md"):
        text = page(project, path)
        assert "<script>" not in text and 'onclick="' not in text, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in page(project, cycle_pages.REGISTER)
    nav = project.files["mkdocs.yml"]
    assert "<script>" not in nav


def test_an_audit_page_is_as_the_sanitiser_would_leave_it(cycle_site):
    from isodocs.text.sanitize import sanitize_html

    inputs, _project = staged(cycle_site)
    audit = next(d for d in inputs.published if d.id == "AUD-001")
    text = document_page(inputs, audit, "# Audit\n\nBody.\n", True)
    token = text.split("<!-- isodocs-html ", 1)[1].split(" ", 1)[0]
    out = convert(text.split("\n---\n", 1)[1], token=token)
    assert "NC-001" in out and sanitize_html(out) == out


def test_dates_in_the_cycle_tables_stay_on_one_line(cycle_site):
    """Dates in table cells carry isodocs-date (white-space: nowrap), as on the register: no "2026-05-/20"."""
    _inputs, project = staged(cycle_site)
    programme = page(project, cycle_pages.PROGRAMME)
    assert '<span class="isodocs-date">2026-05-18</span>' in programme
    register = page(project, cycle_pages.REGISTER)
    nc1 = register.split("NC-001", 1)[1].split("</tr>", 1)[0]
    assert '<span class="isodocs-date">' in nc1
