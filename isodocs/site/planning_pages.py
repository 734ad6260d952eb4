"""The site's pages of objectives and management reviews.

- the objectives page: one chart per published objective (results over time
  against the target line and the due date, ``charts.trend_chart``) with its
  measure, latest result, target, due date, progress and trend;
- on a management review's page: its input checklist per standard (addressed,
  with where, or missing) and its control block rows;
- the dashboard's lines: the next management review due, objectives on and off track.

Only published documents are named or linked; every value from a document is
escaped where it enters the page (``html_text``, ``attr`` inside the SVG).
"""

from __future__ import annotations

from collections.abc import Iterable

from isodocs.management_reviews import checklists, last_held, next_due, next_planned, read_review, reviews
from isodocs.model import Document
from isodocs.objectives import Objective, format_value, read_objective, target_text
from isodocs.site.charts import trend_chart
from isodocs.site.inputs import SiteInputs
from isodocs.site.markdown import html_text
from isodocs.site.pages import _banner, _doc_link_html, _person_html, _table_block, front_matter

OBJECTIVES = "objectives-progress.md"
REVIEWS = "management-review-inputs.md"


def _day(day) -> str:  # type: ignore[no-untyped-def]
    return day.isoformat() if day else "—"


def published_objectives(inputs: SiteInputs) -> list[tuple[Document, Objective]]:
    """The published objectives by id, each with its typed view."""
    docs = sorted((d for d in inputs.published if d.type == "objective"), key=lambda d: (d.id or "", d.path))
    return [(doc, read_objective(doc)) for doc in docs]


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
            _day(objective.due),
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


def review_checklist_section(inputs: SiteInputs, doc: Document) -> str:
    """A management review's inputs per standard: addressed (and where) or missing."""
    system = inputs.system
    review = read_review(doc)
    lists = checklists(review.inputs, review.standards_in(system.config.standards), system.catalogs)
    if not lists:
        return ""
    lines = ["## Inputs by standard", ""]
    if not review.held:
        lines += ["*Planned: the checklist is what the meeting has to address.*", ""]
    for checklist in lists:
        missing = len(checklist.missing)
        state = "every input addressed" if not missing else f"{missing} missing"
        lines += [f"### {html_text(checklist.name)} ({state})", ""]
        rows = []
        for item in checklist.items:
            if item.addressed:
                status = f'<span class="isodocs-badge isodocs-covered">addressed</span> {html_text(item.where or "")}'
            else:
                status = '<span class="isodocs-badge isodocs-gap">missing</span>'
            rows.append(
                [
                    html_text(item.requirement.ref),
                    f"{html_text(item.requirement.title)} (<code>{html_text(item.requirement.slug)}</code>)",
                    status,
                ]
            )
        lines += [*_table_block(["Clause", "Input", "Addressed"], rows), ""]
    return "\n".join(lines) + "\n"


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
                _day(review.date),
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


def review_control_rows(inputs: SiteInputs, doc: Document) -> list[tuple[str, str]]:
    """The control block's rows of a management review."""
    config = inputs.system.config
    review = read_review(doc)

    def person(key: str | None) -> str:
        return _person_html(config, key, sanitised=True)

    actions = []
    for action in review.actions:
        state = f"done {_day(action.done)}" if action.done else f"due {_day(action.due)}"
        if action.overdue(inputs.today):
            state += " (overdue)"
        actions.append(
            f"{action.index + 1}. {html_text(action.action, sanitised=True)} — {person(action.owner)}, {state}"
        )
    standards = review.standards_in(config.standards)
    names = [inputs.system.catalogs[k].name if k in inputs.system.catalogs else k for k in standards]
    return [
        ("Status", html_text(review.status or "—", sanitised=True)),
        ("Date", _day(review.date)),
        ("Chair", person(review.chair) if review.chair else "—"),
        ("Attendees", "; ".join(person(k) for k in review.attendees) or "—"),
        ("Standards", html_text(", ".join(names), sanitised=True) or "—"),
        ("Owner", person(review.owner)),
        ("Actions", "<br>".join(actions) or "—"),
    ]


def dashboard_lines(inputs: SiteInputs) -> list[str]:
    """The dashboard's objectives on and off track and the next management review due."""
    system = inputs.system
    shown = published_objectives(inputs)
    found = reviews(system)
    if not shown and not found:
        return []
    lines = ["## Objectives and management review", ""]
    if shown:
        counts = {
            "on track or achieved": sum(1 for _d, o in shown if o.on_track),
            "at risk or missed": sum(1 for _d, o in shown if o.on_track is False),
            "past their due date": sum(1 for _d, o in shown if o.overdue(inputs.today)),
        }
        figures = ", ".join(f"{count} {label}" for label, count in counts.items())
        lines += [f"{len(shown)} objectives: {figures}. See [the objectives and their results]({OBJECTIVES}).", ""]
    due = next_due(found, system.config.management_review_months)
    planned = next_planned(found, inputs.today)
    if due is not None:
        late = " (overdue)" if due < inputs.today else ""
        last = last_held(found)
        assert last is not None and last.date is not None
        text = f"Next management review due by {due.isoformat()}{late} (the last held: {html_text(last.id)} on "
        text += f"{last.date.isoformat()}, every {system.config.management_review_months} months)"
        if planned is not None and planned.date is not None:
            text += f"; planned for {planned.date.isoformat()}"
        lines += [text + ".", ""]
    elif found:
        lines += ["No management review recorded as held yet.", ""]
    return lines


def nav_entries(inputs: SiteInputs) -> Iterable[tuple[str, str]]:
    """(label, page) of the objectives page and the reviews' overview when there is something to show."""
    if any(d.type == "objective" for d in inputs.published):
        yield "Objectives: results", OBJECTIVES
    if any(d.type == "management-review" for d in inputs.published):
        yield "Management reviews: inputs", REVIEWS


def render_page(inputs: SiteInputs, page: str, directory_urls: bool | None = True) -> str:
    """The Markdown of one of this module's generated pages."""
    return (objectives_page if page == OBJECTIVES else reviews_page)(inputs, directory_urls)
