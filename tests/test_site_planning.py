"""The site's pages of objectives and management reviews, the prepared review, the pack's evidence.

Generated pages name only published documents and escape every value from a
document; the charts are inline SVG with the target and due date labelled.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from isodocs.app.load import load_system
from isodocs.site import planning_pages
from isodocs.site.charts import trend_chart
from isodocs.site.inputs import SiteInputs
from isodocs.site.render import stage
from tests.conftest import TODAY
from tests.test_rules import MR, MR_DOC, OBJ, OBJ_DOC, OBJECTIVES_PATHS, edit, front

HOSTILE = "<script>alert(1)</script> & {: onclick=x }"


@pytest.fixture
def planning_site(repo):
    repo.config(**OBJECTIVES_PATHS)
    repo.write(OBJ_DOC, front(OBJ))
    hostile = edit(("OBJ-001", "OBJ-002"), ("title: Orders shipped on time", f'title: "{HOSTILE}"'), text=OBJ)
    hostile = edit(("measure: Share", f'measure: "{HOSTILE}'), ("confirmed date", 'confirmed date"'), text=hostile)
    repo.write("objectives/hostile.md", front(hostile))
    secret = edit(
        ("OBJ-001", "OBJ-003"),
        ("classification: internal", "classification: confidential"),
        ("title: Orders shipped on time", "title: Zanzibar secret objective"),
        text=OBJ,
    )
    repo.write("objectives/secret.md", front(secret))
    repo.write(MR_DOC, front(edit(("  communications: section 14\n", ""), ("section 1\n", f'"{HOSTILE}"\n'), text=MR)))
    return repo


def staged(repo):
    system, _ = load_system(repo.root, TODAY)
    inputs = SiteInputs(system=system, build_date=TODAY)
    return inputs, stage(inputs, site_dir="out")


def test_the_objectives_page_has_a_chart_per_published_objective(planning_site):
    _inputs, project = staged(planning_site)
    page = project.files[f"docs/{planning_pages.OBJECTIVES}"]
    assert page.count('<svg class="isodocs-chart isodocs-trend"') == 2  # OBJ-001 and OBJ-002; not the secret one
    assert "Zanzibar" not in page and "OBJ-003" not in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert ">target 95%</text>" in page and ">due 2026-12-31</text>" in page
    assert "94.1 % (2026-10-31)" in page and "&gt;= 95 %" in page
    assert "<title>2026-10-31: 94.1%</title>" in page  # each point says its date and value
    nav = project.files["mkdocs.yml"] if "mkdocs.yml" in project.files else ""
    assert planning_pages.OBJECTIVES in str(nav)


def test_a_review_page_lists_its_inputs_per_standard(planning_site):
    _inputs, project = staged(planning_site)
    page = project.files[f"docs/{MR_DOC}"]
    assert "## Inputs by standard" in page
    assert "### ISO 9001:2015 (every input addressed)" in page
    assert "### ISO/IEC 27001:2022 (1 missing)" in page
    missing = page[page.index("ISO/IEC 27001:2022 (1 missing)") :]
    assert "feedback from interested parties (<code>communications</code>)" in missing
    assert 'isodocs-gap">missing' in missing
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Helen" not in page  # people are named by the configuration: md is Raj Patel
    assert "Raj Patel" in page  # the chair
    overview = project.files[f"docs/{planning_pages.REVIEWS}"]
    assert "ISO/IEC 27001:2022: 9 of 10" in overview and "ISO 9001:2015: 12 of 12" in overview


def test_the_dashboard_gives_objectives_on_track_and_the_next_review(planning_site):
    _inputs, project = staged(planning_site)
    home = project.files["docs/index.md"]
    assert "2 objectives: 2 on track or achieved, 0 at risk or missed, 0 past their due date" in home
    assert "Next management review due by 2027-10-14 (the last held: MR-001 on 2026-10-14" in home


def test_nothing_of_the_cycle_without_objectives_or_reviews(repo):
    from tests.test_rules import BASE, DOC

    repo.write(DOC, front(BASE))
    _inputs, project = staged(repo)
    assert f"docs/{planning_pages.OBJECTIVES}" not in project.files
    assert "Objectives and management review" not in project.files["docs/index.md"]


def test_the_chart_escapes_its_title_and_spans_the_due_date():
    svg = trend_chart(HOSTILE, [(dt.date(2026, 3, 31), 92.8)], 95, dt.date(2026, 12, 31), "%", dt.date(2026, 1, 15))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert ">2026-01-15</text>" in svg and ">2026-12-31</text>" in svg
    assert trend_chart("t", [], None, None) == ""
    only_target = trend_chart("t", [], 3.0, dt.date(2026, 12, 31))
    assert "target 3" in only_target and "<polyline" not in only_target


def test_the_pack_takes_the_objectives_and_the_reviews_inputs_into_its_evidence(tmp_path):
    import zipfile

    from tests.conftest import RepoBuilder
    from tests.gitutil import commit, init
    from tests.test_pack import outline_titles, pdf_text
    from tests.test_pack import run as pack

    repo = RepoBuilder(tmp_path / "planning")
    repo.root.mkdir()
    repo.config(**OBJECTIVES_PATHS)
    repo.write(OBJ_DOC, front(OBJ))
    repo.write(MR_DOC, front(MR))
    init(repo.root)
    commit(repo.root, "objectives and a review", date="2026-11-27")
    out = tmp_path / "pack.zip"
    code, output = pack(repo.root, "--output", str(out))
    assert code == 0, output
    with zipfile.ZipFile(out) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        evidence, pages = pdf_text(archive.read("evidence.pdf"))
    assert [d["id"] for d in manifest["documents"]] == ["OBJ-001"]
    assert [r["id"] for r in manifest["records"]] == ["MR-001"]
    titles = outline_titles(evidence)
    for title in ("Objectives: results", "Management reviews: inputs"):
        assert title in titles, titles
    text = "\n".join(pages)
    assert "OBJ-001 Orders shipped on time 94.1 % (2026-10-31) >= 95 % 2026-12-31 on-track improving" in text
    assert "ISO/IEC 27001:2022: 10\nof 10" in text and "Inputs by standard" in text
