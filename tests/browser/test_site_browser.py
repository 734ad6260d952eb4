"""The published example site, checked in Chromium as a reader would."""

from __future__ import annotations

import re

from tests.browser.conftest import DRAFT_MARKER, page_url, save_artifact


def test_dashboard_renders_with_its_coverage_chart(page, published_example):
    page.goto(published_example.base_url)  # the root redirects to latest, which redirects to 2.0
    page.wait_for_url(re.compile(r"/2\.0/$"))
    chart = page.locator("svg.isodocs-chart")
    chart.wait_for(state="visible")
    assert chart.locator("rect.isodocs-chart-bar").count() == 4  # four standards in scope
    assert "Calderbrook Instruments Ltd" in page.locator("h1").first.inner_text()
    assert page.locator(".isodocs-figure").count() >= 3
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 60
    page.screenshot(path=save_artifact("dashboard.png"), full_page=True)


def open_search(page, example):
    page.goto(page_url(example, "2.0"))
    page.locator("label.md-search__icon, .md-search__input").first.click()
    return page.locator("input.md-search__input")


def type_query(field, words: str) -> None:
    """Replace the query as a user would: Material searches on key events, not on `input`."""
    field.fill(words)
    field.press("End")


def wait_for_results(page, predicate: str, arg: str) -> tuple[str, str]:
    """Wait until the result list satisfies ``predicate``; return (meta, results) text.

    Material answers a query typed while its search worker is still loading the
    index with a transient "No matching documents", so a single read races the
    worker: poll until the expected state shows (or the timeout fails the test).
    """
    page.wait_for_function(
        "([predicate, arg]) => {"
        " const meta = document.querySelector('.md-search-result__meta');"
        " const list = document.querySelector('.md-search-result__list');"
        " if (!meta || !list || /Initializing|Type to start/i.test(meta.innerText)) return false;"
        " return new Function('meta', 'list', 'arg', predicate)(meta.innerText.toLowerCase(),"
        " list.innerText.toLowerCase(), arg); }",
        arg=[predicate, arg],
    )
    return (
        page.locator(".md-search-result__meta").inner_text(),
        page.locator(".md-search-result__list").inner_text(),
    )


def test_search_finds_an_approved_procedure_by_a_word_of_its_body(page, published_example):
    type_query(open_search(page, published_example), published_example.body_word)
    title = published_example.procedure_title.lower()
    meta, results = wait_for_results(page, "return list.includes(arg);", title)
    assert "no matching" not in meta.lower()
    assert title in results.lower()


def test_search_finds_nothing_from_a_draft(page, published_example):
    field = open_search(page, published_example)
    # First a word that must be found: proves the index is loaded and answering.
    type_query(field, published_example.body_word)
    wait_for_results(page, "return list.includes(arg);", published_example.procedure_title.lower())
    type_query(field, DRAFT_MARKER)
    meta, results = wait_for_results(page, "return meta.includes('no matching') || list.includes(arg);", DRAFT_MARKER)
    assert "no matching" in meta.lower()
    assert DRAFT_MARKER not in results.lower()


def test_a_document_page_shows_its_control_block_and_history(page, published_example):
    page.goto(page_url(published_example, "2.0", published_example.procedure_path))
    control = page.locator(".isodocs-control")
    control.wait_for(state="visible")
    text = control.inner_text()
    assert published_example.procedure_id in text
    for label in ("Version", "Status", "Owner", "Approved by", "Effective", "Next review", "Classification", "Clauses"):
        assert label in text
    assert page.locator("#revision-history").is_visible()
    history = page.locator(".isodocs-history table").inner_text()
    assert "Example Author" in history
    # The example's one commit also added withheld documents: its message is not shown (docs/decisions.md).
    assert "commit message not shown" in history and "Example management system" not in history
    assert page.locator(".isodocs-print-banner").is_hidden()  # only on paper
    page.emulate_media(media="print")
    # isodocs.js puts the banner's line into the printed page's margin (test_site_layout.py reads the PDF)
    assert page.evaluate("document.documentElement.classList.contains('isodocs-print-margin')")
    assert "Uncontrolled when printed" in page.locator(".isodocs-print-banner").text_content()
    assert page.locator(".md-sidebar--primary").is_hidden()


def test_clause_matrix_links_work(page, published_example):
    page.goto(page_url(published_example, "2.0", published_example.procedure_path))
    clause_link = page.locator(".isodocs-control a[href*='coverage/']").first
    href = clause_link.get_attribute("href") or ""
    anchor = href.split("#", 1)[1]
    clause_link.click()
    page.wait_for_url(re.compile(r"/coverage/[a-z0-9]+/#"))
    assert page.locator(f"[id='{anchor}']").count() == 1
    row = page.locator(f"tr:has([id='{anchor}'])")
    assert published_example.procedure_id in row.inner_text()
    # and back from the matrix to the document
    row.locator(f"a:has-text('{published_example.procedure_id}')").first.click()
    page.locator(".isodocs-control").wait_for(state="visible")
    assert published_example.procedure_id in page.locator(".isodocs-control").inner_text()


def test_version_selector_lists_the_published_versions(page, published_example):
    page.goto(page_url(published_example, "2.0"))
    selector = page.locator(".md-version")
    selector.wait_for(state="attached")
    current = page.locator(".md-version__current")
    current.wait_for(state="visible")
    assert "2.0" in current.inner_text()
    versions = page.locator(".md-version__list .md-version__link")
    assert sorted(v.strip() for v in versions.all_inner_texts()) == ["1.0", "2.0"]


def test_the_improvement_cycle_from_the_programme_to_a_closed_nonconformity(page, published_example):
    """Audit programme -> an audit -> a nonconformity it raised; the register and the actions page."""
    page.goto(page_url(published_example, "2.0", "audits.md"))
    page.locator("h2#coverage-of-the-cycle").wait_for(state="visible")
    assert "ISO 9001:2015" in page.locator("table").first.inner_text()
    may = page.locator("tr:has(td:text-is('May'))").first  # May of 2026 (2027 has a May too)
    assert "AUD-004" in may.inner_text() and "completed" in may.inner_text()
    page.screenshot(path=save_artifact("audit-programme.png"), full_page=True)
    may.locator("a:has-text('AUD-004')").click()
    page.locator("h2#nonconformities-raised").wait_for(state="visible")
    assert "Lead auditor" in page.locator(".isodocs-control").inner_text()
    found = page.locator("h2#nonconformities-raised + div table, h2#nonconformities-raised ~ table").first
    assert "NC-001" in found.inner_text() and "effective" in found.inner_text()
    page.screenshot(path=save_artifact("audit-page.png"), full_page=True)
    found.locator("a:has-text('NC-001')").click()
    control = page.locator(".isodocs-control")
    control.wait_for(state="visible")
    text = control.inner_text()
    assert "NC-001" in text and "closed" in text and "effective" in text
    page.goto(page_url(published_example, "2.0", "nonconformities.md"))
    register = page.locator("h2#open-3 ~ table, h2#open-3 + div table").first
    assert "NC-006" in register.inner_text()
    page.screenshot(path=save_artifact("nonconformity-register.png"), full_page=True)
    page.goto(page_url(published_example, "2.0", "actions.md"))
    assert page.locator("h2:has-text('Kamil Nowak')").is_visible()
    page.screenshot(path=save_artifact("actions.png"), full_page=True)


def test_the_objectives_charts_and_a_management_reviews_input_checklist(page, published_example):
    """Each objective's chart is drawn (results, target line, due date); the review lists its inputs per standard."""
    page.goto(page_url(published_example, "2.0", "objectives-progress.md"))
    charts = page.locator("svg.isodocs-trend")
    charts.first.wait_for(state="visible")
    assert charts.count() == 18  # OBJ-001 to OBJ-018
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.locator("polyline.isodocs-chart-line").count() == 1
        assert chart.locator("line.isodocs-chart-target").count() == 1
        assert chart.locator("line.isodocs-chart-due").count() == 1
        box = chart.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100
    first = charts.first.inner_html()
    assert "target 96%" in first and "due 2027-03-31" in first
    page.screenshot(path=save_artifact("objectives.png"), full_page=True)
    page.goto(page_url(published_example, "2.0", "records/management-reviews/mr-2026-02-october-2026.md"))
    page.locator("h2#inputs-by-standard").wait_for(state="visible")
    standards = page.locator("h2#inputs-by-standard ~ h3").all_inner_texts()
    assert [s.strip().rstrip("¶") for s in standards] == [
        "ISO 9001:2015 (every input addressed)",
        "ISO 14001:2015 (every input addressed)",
        "ISO 45001:2018 (every input addressed)",
        "ISO/IEC 27001:2022 (every input addressed)",
    ]
    tables = page.locator("h2#inputs-by-standard ~ table, h2#inputs-by-standard ~ div table")
    assert "worker-consultation" in tables.nth(2).inner_text()  # ISO 45001's
    assert "Helen Ashworth" in page.locator(".isodocs-control").inner_text()  # the chair
    page.screenshot(path=save_artifact("management-review.png"), full_page=True)
    page.goto(page_url(published_example, "2.0"))
    assert page.locator("text=Next management review due by 2027-04-14").is_visible()


def test_training_page_from_the_navigation_to_a_document_and_its_acknowledgement(page, published_example):
    page.goto(page_url(published_example, "2.0"))
    page.locator("nav.md-nav--primary").get_by_role("link", name="Training", exact=True).first.click()
    page.wait_for_url(re.compile(r"/training/$"))
    chart = page.locator("svg.isodocs-chart").first
    chart.wait_for(state="visible")
    assert chart.locator("rect.isodocs-chart-bar").count() == 11  # one bar per document with an audience
    text = page.locator("article").inner_text()
    assert "Completion per document" in text and "Completion per group" in text
    assert "Per person" not in text  # personal data: only with site.training_by_person
    row = page.locator("tr:has-text('PRO-016')")
    assert "2 of 7" in row.inner_text() and "2026-12-16" in row.inner_text()
    row.locator("a").first.click()
    control = page.locator(".isodocs-control")
    control.wait_for(state="visible")
    assert "management" in control.inner_text()  # its audience
    assert "isodocs acknowledge PRO-016 --by YOUR-KEY" in control.inner_text()
    page.screenshot(path=save_artifact("training.png"), full_page=True)
