"""The site's pages of objectives and management reviews.

- the objectives page: one chart per published objective (results over time
  against the target line and the due date, ``charts.trend_chart``) with its
  measure, latest result, target, due date, progress and trend;
- the management reviews' overview: inputs addressed per standard, open actions.

A review's own page (its input checklist per standard, its control block rows) and
the dashboard's lines are in site/pages.py, which this module builds on.

Only published documents are named or linked; every value from a document is
escaped where it enters the page (``html_text``, ``attr`` inside the SVG).
"""

from __future__ import annotations

from collections.abc import Iterable

from isodocs.model.management_review import checklists
from isodocs.model.objectives import Objective, format_value, target_text
from isodocs.readers.planning import read_review
from isodocs.site.charts import trend_chart
from isodocs.site.inputs import SiteInputs
from isodocs.site.markdown import html_text
from isodocs.site.pages import (
    OBJECTIVES,
    REVIEWS,
    _banner,
    _date_cell,
    _doc_link_html,
    _person_html,
    _table_block,
    front_matter,
    published_objectives,
)


def _progress_html(objective: Objective, inputs: SiteInputs) -> str:
    text = html_text(objective.progress or "not set")
    if objective.overdue(inputs.today):
        text += ' <span class="isodocs-badge isodocs-overdue">past its due date</span>'
    return text


def objectives_page(inputs: SiteInputs, directory_urls: bool | None = True) -> str:
    """One section per published objective: the figures, then the chart of its results."""
    shown = published_objectives(inputs)
    on_track = sum(1 for _doc, o in shown if o.on_track)
    lines = [
        front_matter("Objectives").rstrip("\n"),
        "",
        "# Objectives",
        "",
        f"{len(shown)} objectives as of {inputs.today.isoformat()}, {on_track} on track or achieved. Each chart "
        "shows the results over time (solid line, values above the points) against the target (dashed line) "
        "and the due date (dotted line).",
        "",
    ]
    summary = [
        [
            _doc_link_html(doc, OBJECTIVES, directory_urls),
            html_text(_latest(objective)),
            html_text(target_text(objective)),
            _date_cell(objective.due),
            _progress_html(objective, inputs),
            html_text(objective.trend),
        ]
        for doc, objective in shown
    ]
    if summary:
        lines += [*_table_block(["Objective", "Latest result", "Target", "Due", "Progress", "Trend"], summary), ""]
    for _doc, objective in shown:
        lines += [f"## {html_text(objective.id)} {html_text(objective.title)}", ""]
        baseline = format_value(objective.baseline, objective.unit)
        owner = _person_html(inputs.system.config, objective.owner)
        lines += [f"{html_text(objective.measure or '—')}. Baseline {html_text(baseline)}; owner {owner}.", ""]
        points = [(r.date, r.value) for r in objective.dated_results]
        title = f"{objective.id} {objective.title}: results against the target {target_text(objective)}"
        chart = trend_chart(title, points, objective.target, objective.due, objective.unit, objective.approved_on)
        lines += [chart, ""] if chart else ["No result recorded yet.", ""]
    if not shown:
        lines += ["No objectives are published.", ""]
    return "\n".join(lines) + "\n" + _banner(inputs, "Objectives")


def _latest(objective: Objective) -> str:
    latest = objective.latest
    return f"{format_value(latest.value, objective.unit)} ({latest.date.isoformat()})" if latest else "no result yet"


def reviews_page(inputs: SiteInputs, directory_urls: bool | None = True) -> str:
    """Every published management review: date, status, chair, inputs addressed per standard, open actions."""
    system = inputs.system
    docs = sorted((d for d in inputs.published if d.type == "management-review"), key=lambda d: (d.id or "", d.path))
    lines = [
        front_matter("Management reviews").rstrip("\n"),
        "",
        "# Management reviews",
        "",
        f"{len(docs)} management reviews as of {inputs.today.isoformat()}. For each standard, the inputs its "
        "clause 9.3 requires that the review addressed; each review's page lists them one by one.",
        "",
    ]
    rows = []
    for doc in docs:
        review = read_review(doc)
        lists = checklists(review.inputs, review.standards_in(system.config.standards), system.catalogs)
        coverage = "<br>".join(
            f"{html_text(c.name)}: {len(c.items) - len(c.missing)} of {len(c.items)}"
            + (' <span class="isodocs-badge isodocs-gap">missing</span>' if c.missing and review.held else "")
            for c in lists
        )
        open_actions = sum(1 for a in review.actions if a.is_open)
        rows.append(
            [
                _doc_link_html(doc, REVIEWS, directory_urls),
                _date_cell(review.date),
                html_text(review.status or "—"),
                _person_html(system.config, review.chair) if review.chair else "—",
                coverage or "—",
                f"{open_actions} of {len(review.actions)}",
            ]
        )
    if rows:
        headers = ["Review", "Date", "Status", "Chair", "Inputs addressed", "Open actions"]
        lines += [*_table_block(headers, rows), ""]
    else:
        lines += ["No management reviews are published.", ""]
    return "\n".join(lines) + "\n" + _banner(inputs, "Management reviews")


def nav_entries(inputs: SiteInputs) -> Iterable[tuple[str, str]]:
    """(label, page) of the objectives page and the reviews' overview when there is something to show."""
    if any(d.type == "objective" for d in inputs.published):
        yield "Objectives: results", OBJECTIVES
    if any(d.type == "management-review" for d in inputs.published):
        yield "Management reviews: inputs", REVIEWS


def render_page(inputs: SiteInputs, page: str, directory_urls: bool | None = True) -> str:
    """The Markdown of one of this module's generated pages."""
    return (objectives_page if page == OBJECTIVES else reviews_page)(inputs, directory_urls)
