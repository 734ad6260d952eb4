"""The published example site at 1,400 px and on paper, as a reader sees it (issue 19, item 9).

Each test measures the page in Chromium: the register and the SoA fit the
content area, dates stay on one line, page titles match the navigation, and a
printed page carries the organisation and its page number in its margin.
"""

from __future__ import annotations

import io
import json

import pytest

from tests.browser.conftest import open_page, page_url, save_artifact

WIDE = {"width": 1400, "height": 900}
ORGANIZATION = "Calderbrook Instruments Ltd"


@pytest.fixture
def wide_page(browser):
    yield from open_page(browser, WIDE)


def table_overflow(page) -> dict:
    """Widths of the content area and of the table's scrolling wrapper, and whether the last header shows."""
    return page.evaluate(
        """() => {
        const content = document.querySelector('.md-content');
        const table = document.querySelector('.isodocs-wide table');
        const wrap = table.closest('.md-typeset__scrollwrap') || table.parentElement;
        const last = table.querySelector('thead th:last-child').getBoundingClientRect();
        const box = content.getBoundingClientRect();
        return {contentScroll: content.scrollWidth, contentClient: content.clientWidth,
                wrapScroll: wrap.scrollWidth, wrapClient: wrap.clientWidth,
                lastRight: last.right, contentRight: box.right};
        }"""
    )


@pytest.mark.parametrize(("path", "name"), [("register.md", "register"), ("soa.md", "soa")])
def test_wide_tables_fit_the_content_area_at_1400px(wide_page, published_example, path, name):
    wide_page.goto(page_url(published_example, "2.0", path))
    wide_page.locator(".isodocs-wide table").wait_for(state="visible")
    sizes = table_overflow(wide_page)
    wide_page.screenshot(path=save_artifact(f"{name}-1400.png"))
    assert sizes["wrapScroll"] <= sizes["wrapClient"], sizes  # no horizontal scrolling: every column shows
    assert sizes["contentScroll"] <= sizes["contentClient"], sizes
    assert sizes["lastRight"] <= sizes["contentRight"], sizes  # the Classification / Documents column is visible


def test_dates_stay_on_one_line(wide_page, published_example):
    for path in ("register.md", ""):
        wide_page.goto(page_url(published_example, "2.0", path))
        wide_page.locator(".isodocs-date").first.wait_for(state="visible")
        lines = wide_page.evaluate(
            """() => [...document.querySelectorAll('.isodocs-date')].map(el => {
                const rects = el.getClientRects();
                return [el.textContent, rects.length, rects.length ? rects[0].height : 0,
                        parseFloat(getComputedStyle(el).lineHeight)];
            })"""
        )
        assert lines, path
        for text, rects, height, line_height in lines:
            assert rects == 1 and height < 1.5 * line_height, (path, text, rects, height)


def test_soa_titles_take_at_most_two_lines(wide_page, published_example):
    wide_page.goto(page_url(published_example, "2.0", "soa.md"))
    wide_page.locator(".isodocs-soa table").wait_for(state="visible")
    lines = wide_page.evaluate(
        """() => [...document.querySelectorAll('.isodocs-soa tbody td:nth-child(2)')].map(td => {
            const range = document.createRange(); range.selectNodeContents(td);
            const style = getComputedStyle(td);
            return [td.textContent, Math.round(range.getBoundingClientRect().height / parseFloat(style.lineHeight))];
        })"""
    )
    assert len(lines) > 90
    assert max(count for _, count in lines) <= 2, [line for line in lines if line[1] > 2][:5]


def test_soa_shows_the_notes_of_soa_yml(wide_page, published_example):
    wide_page.goto(page_url(published_example, "2.0", "soa.md"))
    row = wide_page.locator("tr:has(td:text-is('A.8.12'))")
    assert "Microsoft Purview DLP" in row.locator(".isodocs-soa-notes").inner_text()


def test_matrix_h1_names_the_standard_as_the_navigation_does(wide_page, published_example):
    wide_page.goto(page_url(published_example, "2.0", "coverage/iso27001.md"))
    heading = wide_page.locator("h1").first.inner_text().rstrip("¶").strip()
    active = wide_page.locator(".md-nav__link--active").last.inner_text().strip()
    assert active == "ISO/IEC 27001:2022"
    assert heading == f"{active} clause matrix"


def test_home_page_title_names_the_organisation_once(wide_page, published_example):
    wide_page.goto(page_url(published_example, "2.0"))
    title = wide_page.title()
    assert title.count(ORGANIZATION) == 1, title


def test_document_page_h1_is_the_document_title(wide_page, published_example):
    wide_page.goto(page_url(published_example, "2.0", published_example.procedure_path))
    assert wide_page.locator("h1").count() == 1
    assert wide_page.locator("h1").inner_text().rstrip("¶").strip() == published_example.procedure_title


def test_sidebar_title_hides_the_entries_scrolled_under_it(browser, published_example):
    """Material fades its sticky title with a blurred shadow, through which scrolled entries showed."""
    context = browser.new_context(viewport={"width": 1400, "height": 600})
    try:
        page = context.new_page()
        page.goto(page_url(published_example, "2.0", published_example.procedure_path))
        title = page.locator(".md-nav--primary > .md-nav__title")
        title.wait_for(state="visible")
        page.evaluate("document.querySelector('.md-sidebar--primary .md-sidebar__scrollwrap').scrollTop = 300")
        style = title.evaluate(
            "t => { const s = getComputedStyle(t); return [s.position, s.backgroundColor, s.boxShadow]; }"
        )
        assert style[0] == "sticky"
        assert style[1] == "rgb(255, 255, 255)" and style[2] == "none", style  # opaque, no see-through fade
        box = title.bounding_box()
        assert box
        # The point just above the title's lower edge is the title itself, not an entry under it.
        hit = page.evaluate(
            "([x, y]) => !!document.elementFromPoint(x, y).closest('.md-nav--primary > .md-nav__title')",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] - 2],
        )
        assert hit
        page.screenshot(path=save_artifact("sidebar-scrolled.png"))
    finally:
        context.close()


def pdf_pages(page) -> list[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return [p.extract_text() for p in reader.pages]


def test_printed_pages_carry_page_numbers_and_the_organisation(wide_page, published_example):
    wide_page.goto(page_url(published_example, "2.0", published_example.procedure_path))
    wide_page.locator(".isodocs-control").wait_for(state="visible")
    texts = pdf_pages(wide_page)
    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text, text[:200]
        assert f"Uncontrolled when printed · {ORGANIZATION} · {published_example.procedure_id}" in text


def test_printed_heading_is_not_left_alone_at_the_bottom_of_a_page(wide_page, published_example):
    """A heading whose section does not fit on the page goes to the next page with it."""
    wide_page.goto(page_url(published_example, "2.0", published_example.procedure_path))
    wide_page.locator(".isodocs-control").wait_for(state="visible")
    # A spacer that leaves room for the heading at the bottom of page 1, and not for its section.
    wide_page.evaluate(
        """() => { const inner = document.querySelector('.md-content__inner');
        const banner = inner.querySelector('.isodocs-print-banner');
        inner.innerHTML = '<div style="height:235mm"></div><h2>Lonelyheading</h2>'
            + '<p style="break-inside:avoid">' + 'Some words of the section. '.repeat(60) + '</p>';
        inner.appendChild(banner); }"""
    )
    texts = pdf_pages(wide_page)
    assert "Lonelyheading" not in texts[0]
    assert "Lonelyheading" in texts[1] and "Some words of the section" in texts[1]


def test_search_index_leaves_out_the_control_block_the_register_and_the_banner(published_example):
    """A hit shows the document's own words: not its control block, the register's list of titles or the banner."""
    index_file = published_example.repo.parent / "gh-pages" / "2.0" / "search" / "search_index.json"
    index = json.loads(index_file.read_text("utf-8"))
    entries = {entry["location"]: entry["text"] for entry in index["docs"]}
    doc_location = published_example.procedure_path.removesuffix(".md") + "/"
    assert "Approved by" not in entries[doc_location] and "Classification" not in entries[doc_location]
    sections = [entry for entry in index["docs"] if entry["location"].startswith(doc_location)]
    page_text = " ".join(f"{entry['title']} {entry['text']}".lower() for entry in sections)
    assert published_example.body_word in page_text
    assert published_example.procedure_title not in entries["register/"]
    assert not any("Uncontrolled when printed" in text for text in entries.values())
