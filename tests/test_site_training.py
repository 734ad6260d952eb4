"""The site's training page and the training rows of document pages: figures, privacy, escaping."""

from __future__ import annotations

from isodocs.app.load import load_system
from isodocs.site import training_page
from isodocs.site.inputs import SiteInputs
from isodocs.site.pages import control_block
from isodocs.site.render import stage
from tests.conftest import BASE_CONFIG, TODAY, approved

PEOPLE = {
    **BASE_CONFIG["people"],
    "ann": {"name": "Ann <b>Reader</b>", "groups": ["production"]},
    "bob": {"name": "Bob Builder", "groups": ["production"]},
}


def _ack(rid: str, person: str, documents: dict[str, str]) -> dict:
    return {
        "id": rid,
        "title": f"Read and understood {rid}",
        "type": "training",
        "date": "2026-11-20",
        "method": "read-and-understood",
        "attendees": [person],
        "documents": documents,
        "owner": "qm",
        "classification": "internal",
    }


def _site(repo, **site):
    repo.config(people=PEOPLE, site={"max_classification": "internal", **site})
    repo.doc("policies/a.md", approved("POL-001", type="policy", title="Policy <i>A</i>", audience=["everyone"]))
    repo.doc("procedures/b.md", approved("WI-001", type="work-instruction", audience=["production", "<img src=x>"]))
    repo.doc("procedures/c.md", approved("PRO-002", classification="confidential", audience=["everyone"]))
    repo.doc("records/training/t1.md", _ack("TRN-001", "ann", {"POL-001": "1.0", "WI-001": "1.0"}))
    repo.doc("records/training/t2.md", _ack("TRN-002", "bob", {"POL-001": "1.0"}))
    system, _ = load_system(repo.root, TODAY)
    inputs = SiteInputs(system=system, build_date=TODAY)
    return inputs, stage(inputs, site_dir="out")


def test_training_page_figures_and_withheld_documents(repo):
    _inputs, project = _site(repo)
    page = project.files["docs/training.md"]
    assert "Training" in project.files["mkdocs.yml"]
    assert "as of 2026-11-27: 3 of 7 (43%)" in page
    assert "1 document(s) with an audience are not published here" in page
    assert "PRO-002" not in page  # withheld: counted, never named
    assert page.count('class="isodocs-chart-bar') == 2 + 1 + 1  # two documents; production, everyone
    assert "2 of 5 (40%)" in page and "1 of 2 (50%)" in page


def test_values_are_escaped_on_the_training_page(repo):
    _inputs, project = _site(repo, training_by_person=True)
    page = project.files["docs/training.md"]
    assert "<img src=x>" not in page and "&lt;img src=x&gt;" in page
    assert "<i>A</i>" not in page and "Policy &lt;i&gt;A&lt;/i&gt;" in page
    assert "<b>Reader</b>" not in page and "Ann &lt;b&gt;Reader&lt;/b&gt;" in page


def test_per_person_status_only_when_configured(repo):
    _inputs, project = _site(repo)
    assert "## Per person" not in project.files["docs/training.md"]
    assert "Bob Builder" not in project.files["docs/training.md"]
    _inputs, project = _site(repo, training_by_person=True)
    page = project.files["docs/training.md"]
    assert "## Per person" in page
    assert "Bob Builder" in page and "WI-001" in page.split("## Per person")[1]


def test_no_training_page_without_audiences(repo):
    repo.doc("procedures/a.md", approved("PRO-001"))
    system, _ = load_system(repo.root, TODAY)
    project = stage(SiteInputs(system=system, build_date=TODAY), site_dir="out")
    assert "docs/training.md" not in project.files
    assert not training_page.has_page(SiteInputs(system=system))


def test_control_blocks_show_audience_acknowledgement_and_attendees(repo):
    inputs, _project = _site(repo)
    system = inputs.system
    policy = control_block(inputs, system.get("POL-001"))
    assert "<td>Audience</td>" in policy.replace(' style="text-align:left"', "")
    assert "isodocs acknowledge POL-001 --by YOUR-KEY" in policy
    record = control_block(inputs, system.get("TRN-001"))
    assert "Read and understood" in record and "Ann &lt;b&gt;Reader&lt;/b&gt;" in record
    assert "version 1.0" in record and "isodocs acknowledge" not in record


def test_dashboard_training_line(repo):
    _inputs, project = _site(repo)
    page = project.files["docs/index.md"]
    assert "## Training" in page
    assert "3 of 7 (43%) trained on the current versions of the 2 documents with an audience" in page
    assert "0 within their grace period, 2 overdue. See [Training](training.md)." in page


def test_dashboard_has_no_training_line_when_no_one_is_in_an_audience(repo):
    repo.config(people={"qm": BASE_CONFIG["people"]["qm"], "md": BASE_CONFIG["people"]["md"]})
    repo.doc("policies/a.md", approved("POL-001", type="policy", audience=["nobody-group"]))
    system, _ = load_system(repo.root, TODAY)
    project = stage(SiteInputs(system=system, build_date=TODAY), site_dir="out")
    assert "## Training" not in project.files["docs/index.md"]
