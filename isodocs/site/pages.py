"""The Markdown of every staged page: document pages and the generated pages.

Each function returns Markdown text for one page of the staging project. Only
standard Markdown, Python-Markdown extensions (tables, attr_list, md_in_html)
and a little inline HTML for badges and anchors go in, so any engine that reads
mkdocs.yml builds it. Withheld documents are only ever counted, never named.

Tables (the control block, the revision history, every table of the generated
pages) are finished HTML that the engine inserts without parsing it
(``mdsanitize.html_block``): the same bytes Python-Markdown's ``tables`` extension
would write, every value escaped here with ``html_text``, links written as the
engine writes them (``page_href``). Headings stay Markdown, so the table of
contents and its anchors are the engine's own.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import yaml

from isodocs.analyses.cycle import cycle_records
from isodocs.analyses.improvement import (
    ActionRow,
    NonconformityRow,
    action_rows,
    nonconformity_rows,
    open_by_grade,
    scope_text,
)
from isodocs.analyses.planning import reviews
from isodocs.analyses.programme import StandardProgramme, audit_programme
from isodocs.analyses.training import completion, overdue
from isodocs.analyses.training_view import training_matrix
from isodocs.model import STATUSES, Document
from isodocs.model.config import Config
from isodocs.model.cycle import GRADES, Action
from isodocs.model.management_review import checklists, last_held, next_due, next_planned
from isodocs.model.objectives import Objective
from isodocs.readers.planning import read_objective, read_review
from isodocs.site.charts import bar_chart
from isodocs.site.inputs import Revision, SiteInputs, SoaRow, StandardCoverage
from isodocs.site.markdown import NOT_PUBLISHED, attr, escape, first_heading, html_attr, html_text, page_href
from isodocs.site.mdsanitize import html_block

HOME = "index.md"
REGISTER = "register.md"
CALENDAR = "reviews.md"
SOA = "soa.md"
TRAINING = "training.md"  # site/training_page.py
CSS = "assets/isodocs/isodocs.css"
JAVASCRIPT = "assets/isodocs/isodocs.js"
GENERATED_FOLDERS = ("coverage", "assets", "about")
GUIDE = "about/index.md"  # the owner's guide: "About this manual"
RULES = "about/rules.md"  # the rule reference, generated from the registry
UPCOMING_DAYS = 60  # the dashboard's "due soon" horizon

TYPE_TITLES = {
    "policy": "Policies",
    "procedure": "Procedures",
    "work-instruction": "Work instructions",
    "form": "Forms",
    "record": "Records",
    "external": "External documents",
    "audit": "Audits",
    "nonconformity": "Nonconformities",
    "objective": "Objectives",
    "management-review": "Management reviews",
    "training": "Training records",
}
TYPE_SINGULAR = {
    "policy": "Policy",
    "procedure": "Procedure",
    "work-instruction": "Work instruction",
    "form": "Form",
    "record": "Record",
    "external": "External document",
    "audit": "Audit",
    "nonconformity": "Nonconformity",
    "objective": "Objective",
    "management-review": "Management review",
    "training": "Training record",
}


def matrix_page(standard: str) -> str:
    return f"coverage/{standard}.md"


def clause_anchor(clause_id: str) -> str:
    return "clause-" + "".join(c if c.isalnum() else "-" for c in clause_id)


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def _date_cell(day: dt.date | None) -> str:
    """A date in a column of a table: kept on one line (a narrow column broke "2026-12-" from "02")."""
    return f'<span class="isodocs-date">{day.isoformat()}</span>' if day else "—"


def doc_label(doc: Document) -> str:
    return f"{doc.id} {doc.title}"


# Line breaks and other control characters: a label is one line of text.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# What the themes would read as markup: "<" and ">", '"' (the templates put these values in
# double-quoted attributes too) and an "&" that starts a character reference. A lone "&"
# ("Health & Safety") and "'" stay as they are: they are text in every context the
# templates use, and escaping them would show as "&amp;" where a template escapes again.
_TEMPLATE_SPECIAL = re.compile('[<>"]|&(?=[#0-9A-Za-z])')
_TEMPLATE_ENTITIES = {"<": "&lt;", ">": "&gt;", '"': "&quot;", "&": "&amp;"}


def one_line(text: str) -> str:
    """``text`` with each run of line breaks and control characters as one space."""
    return _CONTROL.sub(" ", str(text))


def template_text(text: str) -> str:
    """A value the engine's theme prints into its HTML unescaped: nav labels, page titles, site_name.

    Both engines print these as HTML: MkDocs' Jinja and Zensical's templates do not
    autoescape (``{{ nav_item.title }}``, ``{{ page.meta.title }}``, ``{{ config.site_name }}``),
    and both search indexes hold titles and navigation paths as HTML that the search
    page renders. Escaped here, they show as the text that was written, and no markup
    in them runs. Every value that reaches the staging ``mkdocs.yml`` or a page's front
    matter goes through this function.
    """
    text = one_line(text)
    if not _TEMPLATE_SPECIAL.search(text):  # most titles
        return text
    return _TEMPLATE_SPECIAL.sub(lambda match: _TEMPLATE_ENTITIES[match.group()[0]], text)


# libyaml's emitter where PyYAML has it: four times faster than the pure-Python one (a page each).
_FrontMatterBase: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _FrontMatterDumper(_FrontMatterBase):  # type: ignore[misc, valid-type]
    """Writes every scalar double-quoted (``front_matter``): one line each, whatever the value holds."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def front_matter(title: str) -> str:
    """The YAML front matter of a staged page, written by a YAML emitter.

    ``title`` is text (escaped here with ``template_text``). Each value is one
    double-quoted line, so no value can hold a "---" line that ends the front
    matter early (where ``mark_trusted`` would put the trust token) or breaks the
    engine's parser.
    """
    data = {"title": template_text(title)}
    text = yaml.dump(
        data, Dumper=_FrontMatterDumper, default_style='"', width=10**9, allow_unicode=True, sort_keys=False
    )
    return f"---\n{text}---\n\n"


def review_days(doc: Document, today: dt.date) -> int | None:
    """Days until the next review (negative when overdue), None without one."""
    if doc.is_record or doc.next_review is None:
        return None
    return (doc.next_review - today).days


def review_badge(doc: Document, today: dt.date, warn_days: int) -> str:
    days = review_days(doc, today)
    if days is None or days > warn_days:
        return ""
    if days < 0:
        return f' <span class="isodocs-badge isodocs-overdue">overdue by {-days} days</span>'
    when = "today" if days == 0 else f"in {days} days"
    return f' <span class="isodocs-badge isodocs-due-soon">review due {when}</span>'


# isodocs' HTML is written in one of two forms. Generated pages are not sanitised: their
# tables are written as Python-Markdown writes a Markdown table. Document pages are, but
# not isodocs' blocks on them (site/mdsanitize.py): those are written as the sanitiser
# would write them ("sanitised"), so that the page is the same as if it had sanitised them
# (tests check that sanitising a finished document page changes nothing).


def _person_html(config: Config, key: str | None, sanitised: bool = False) -> str:
    if not key:
        return "—"
    person = config.people.get(key)
    return html_text(person.label if person else key, sanitised)


def _link(href: str, text: str, sanitised: bool) -> str:
    """A link whose text is already HTML."""
    rel = ' rel="noopener noreferrer"' if sanitised else ""
    return f'<a href="{html_attr(href, sanitised)}"{rel}>{text}</a>'


def _doc_link_html(doc: Document, from_page: str, directory_urls: bool | None, sanitised: bool = False) -> str:
    href = page_href(from_page, doc.path, directory_urls)
    return _link(href, html_text(doc_label(doc), sanitised), sanitised)


def _reference_html(inputs: SiteInputs, doc_id: str, from_page: str, directory_urls: bool | None) -> str:
    """A cross-reference by id on a document page: a link with the title, or the bare id when not published."""
    target = inputs.published_by_id.get(doc_id)
    if target is None:
        return f"{html_text(doc_id, sanitised=True)} {NOT_PUBLISHED}"
    return _doc_link_html(target, from_page, directory_urls, sanitised=True)


def _clauses(inputs: SiteInputs, doc: Document, page: str, directory_urls: bool | None) -> str:
    parts = []
    matrices = {c.catalog.key for c in inputs.coverage or []}
    for key, clause_ids in doc.clauses.items():
        catalog = inputs.system.catalogs.get(key)
        name = html_text(catalog.name if catalog else key, sanitised=True)
        links = []
        for clause_id in clause_ids:
            text = html_text(clause_id, sanitised=True)
            if key in matrices:
                href = page_href(page, matrix_page(key), directory_urls, clause_anchor(clause_id))
                links.append(_link(href, text, sanitised=True))
            else:
                links.append(text)
        parts.append(f"{name}: {', '.join(links)}")
    return "<br>".join(parts) or "—"


def _html_table(head: list[str], rows: list[list[str]], align: list[str] | None = None, sanitised: bool = False) -> str:
    """A table as Python-Markdown's ``tables`` extension writes it, its cells already HTML.

    Left-aligned unless ``align`` says otherwise per column ("left" or "right").
    The same bytes as the Markdown table would give, so the pages look and
    search the same while the engine no longer parses them; ``sanitised``: the
    bytes the sanitiser makes of them.
    """
    style = ' style="text-align:{}"' if sanitised else ' style="text-align: {};"'
    styles = [style.format(a) for a in align or ["left"] * len(head)]
    lines = ["<table>", "<thead>", "<tr>"]
    lines += [f"<th{style}>{value.strip(' ')}</th>" for style, value in zip(styles, head, strict=True)]
    lines += ["</tr>", "</thead>", "<tbody>"]
    for row in rows:
        lines.append("<tr>")
        lines += [f"<td{style}>{value.strip(' ')}</td>" for style, value in zip(styles, row, strict=True)]
        lines.append("</tr>")
    if not rows:  # as Python-Markdown writes an empty table: one row of empty cells, unaligned
        lines += ["<tr>", *["<td></td>"] * len(head), "</tr>"]
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def _table_block(
    head: list[str], rows: list[list[str]], align: list[str] | None = None, css_class: str = "", search: bool = True
) -> list[str]:
    """The lines of a generated page that hold one table, as finished HTML the engine does not parse.

    ``css_class``: the table goes into a ``<div>`` of that class (isodocs.css styles
    the wide tables of the register, the SoA and the matrices by it); ``search=False``
    leaves it out of the site's search index.
    """
    table = _html_table(head, rows, align)
    if not css_class and search:
        return [html_block(table)]
    exclude = "" if search else ' data-search-exclude=""'
    return [html_block(f'<div class="{css_class}"{exclude}>\n{table}\n</div>')]


def control_block(inputs: SiteInputs, doc: Document, directory_urls: bool | None = True) -> str:
    """The document control table that opens every document page.

    Finished HTML, every value escaped here, its links as ``page_href`` writes
    them for the engine (``directory_urls``): the engine inserts it without
    parsing it (see site/mdsanitize.py).
    """
    config, page = inputs.system.config, doc.path

    def text(value: str) -> str:
        return html_text(value, sanitised=True)

    rows: list[tuple[str, str]] = [
        ("Title", text(doc.title or "")),
        ("Type", TYPE_SINGULAR.get(doc.type or "", text(doc.type or ""))),
    ]
    if doc.type in ("audit", "nonconformity"):  # the improvement cycle's records (below)
        rows += cycle_control_rows(inputs, doc)
    elif doc.type == "management-review":
        rows += review_control_rows(inputs, doc)
    elif doc.is_record:
        rows += [
            ("Date", _date(doc.date)),
            ("Retention", f"{doc.retention_years} years" if doc.retention_years else "—"),
            ("Owner", _person_html(config, doc.owner, sanitised=True)),
        ]
        if doc.type == "training":
            rows += _training_rows(inputs, doc, page, directory_urls)
    else:
        approvers = "; ".join(_person_html(config, key, sanitised=True) for key in doc.approved_by) or "—"
        rows += [
            ("Version", text(doc.version or "—")),
            ("Status", text((doc.status or "").capitalize())),
            ("Owner", _person_html(config, doc.owner, sanitised=True)),
            ("Approved by", f"{approvers} on {_date(doc.approved_on)}"),
            ("Effective", _date(doc.effective_date)),
            ("Last reviewed", _date(doc.last_reviewed)),
            ("Next review", _date(doc.next_review) + review_badge(doc, inputs.today, config.warn_days)),
        ]
    if doc.audience:
        rows.append(("Audience", text(", ".join(doc.audience))))
        if doc.is_approved and not doc.is_record and doc.id:
            command = f"isodocs acknowledge {doc.id} --by YOUR-KEY"
            rows.append(("Acknowledge", f"Staff who have read it: <code>{text(command)}</code> in a pull request"))
    if doc.source and doc.type != "nonconformity":
        rows.append(("Source", text(doc.source)))
    rows += [
        ("Classification", text((doc.classification or "internal").capitalize())),
        ("Clauses", _clauses(inputs, doc, page, directory_urls)),
    ]
    if doc.related:
        rows.append(("Related", "<br>".join(_reference_html(inputs, r, page, directory_urls) for r in doc.related)))
    if doc.supersedes:
        rows.append(("Supersedes", _reference_html(inputs, doc.supersedes, page, directory_urls)))
    successors = inputs.successors.get(doc.id, []) if doc.id else []
    if successors:
        links = (_doc_link_html(d, page, directory_urls, sanitised=True) for d in successors)
        rows.append(("Superseded by", "<br>".join(links)))
    head = ["Document", f"<strong>{text(doc.id or '')}</strong>"]
    table = _html_table(head, [[name, value] for name, value in rows], sanitised=True)
    # Out of the search index: every page's control block matched every owner's or approver's
    # name, and showed as the text of each hit instead of the document's own words.
    return html_block(f'<div class="isodocs-control" data-search-exclude="">\n{table}\n</div>')


def _training_rows(
    inputs: SiteInputs, doc: Document, page: str, directory_urls: bool | None
) -> list[tuple[str, str]]:
    """Control block rows of a training record: how, who, by whom, on what."""
    config = inputs.system.config
    rows = [("Method", html_text((doc.method or "—").replace("-", " ").capitalize(), sanitised=True))]
    attendees = "; ".join(_person_html(config, key, sanitised=True) for key in doc.attendees)
    rows.append(("Attendees", attendees or "—"))
    if doc.trainer:
        rows.append(("Trainer", _person_html(config, doc.trainer, sanitised=True)))
    if doc.topic:
        rows.append(("Topic", html_text(doc.topic, sanitised=True)))
    if doc.trained_on:
        trained = (
            f"{_reference_html(inputs, doc_id, page, directory_urls)} version {html_text(version, sanitised=True)}"
            for doc_id, version in doc.trained_on.items()
        )
        rows.append(("Documents", "<br>".join(trained)))
    return rows


def history_section(inputs: SiteInputs, doc: Document, after: str = "") -> str:
    """The revision history: its heading stays Markdown (the table of contents lists it), the table is HTML.

    ``after``: HTML that follows it, put into the same block as the table.
    """
    lines = ["## Revision history", ""]
    if inputs.history is None:
        lines.append("*The revision history is not available: the site was built outside a Git repository.*")
        return "\n".join(lines) + "\n" + html_block(after)
    revisions = inputs.history.get(doc.path, [])
    if not revisions:
        lines.append("*No committed change yet.*")
        return "\n".join(lines) + "\n" + html_block(after)

    def text(value: str) -> str:
        return html_text(value, sanitised=True)

    rows = [[text(r.version or "—"), r.date.isoformat(), text(r.author), text(r.summary)] for r in revisions]
    table = _html_table(["Version", "Date", "Author", "Summary"], rows, sanitised=True)
    # The first block opens the section's <div> before the heading, the second closes it after the table.
    return (
        html_block('<div class="isodocs-history">')
        + "## Revision history\n"
        + html_block(f"{table}\n</div>\n{after}" if after else f"{table}\n</div>")
    )


def print_banner(label: str, sanitised: bool = False, organization: str = "") -> str:
    """The line every printed page carries; hidden on screen, the date filled in at print time.

    It names the organisation, then ``label`` (the document and its version, or the
    page). ``sanitised`` (document pages): without ``aria-hidden``, as the sanitiser
    leaves it. isodocs.js copies its text into the printed page's margin. Left out of
    the search index, where it was the text of every hit.
    """
    hidden = "" if sanitised else ' aria-hidden="true"'
    parts = [organization, label] if organization else [label]
    # One line: a blank line would end the raw HTML block of a generated page, and Markdown
    # would read the rest of the label.
    text = " · ".join(html_text(one_line(p), sanitised=True) if sanitised else attr(one_line(p)) for p in parts)
    return (
        f'<div class="isodocs-print-banner" data-search-exclude=""{hidden}>Uncontrolled when printed · {text} · '
        'printed <span class="isodocs-print-date"></span></div>\n'
    )


def _banner(inputs: SiteInputs, label: str) -> str:
    """The print banner of a generated page."""
    return print_banner(label, organization=inputs.system.config.organization)


def document_page(inputs: SiteInputs, doc: Document, body: str, directory_urls: bool | None = True) -> str:
    """A published document: title, control block, body, revision history, print banner.

    The page's H1 is always the document's title (``page_body``). The control
    block, the revision table and the banner go in as finished HTML blocks
    (``html_block``): Markdown would only parse them again. The banner shares the
    table's block: each block costs the engine a paragraph to convert.
    """
    version = f" version {doc.version}" if doc.version else ""
    meta = front_matter(doc_label(doc))
    banner = print_banner(f"{doc.id}{version}", sanitised=True, organization=inputs.system.config.organization)
    findings = ""
    if doc.type == "audit":  # an audit's page lists the nonconformities it raised
        findings = audit_findings_section(inputs, doc, directory_urls) + "\n"
    elif doc.type == "management-review":  # its inputs per standard, addressed or missing
        findings = review_checklist_section(inputs, doc)
    return (
        meta
        + f"# {escape(doc.title or doc.id or '')}\n\n"
        + control_block(inputs, doc, directory_urls)
        + "\n"
        + page_body(doc, body).strip("\n")
        + "\n\n"
        + findings
        + history_section(inputs, doc, after=banner.rstrip("\n"))
    )


def _same_title(heading: str, doc: Document) -> bool:
    """Whether a heading only repeats the document's title (or its "ID title" label)."""

    def norm(text: str) -> str:
        return " ".join(text.split()).casefold()

    return norm(heading) in {norm(doc.title or ""), norm(doc_label(doc))}


def page_body(doc: Document, body: str) -> str:
    """The body under the page's H1, which is the document's title.

    A leading H1 that repeats the title is left out (the page shows it once).
    Any other H1 of the body (an imported document's "Purpose and scope") is a
    section of the page: every heading of the body goes one level down, so the
    page keeps one H1 and the body's outline keeps its shape.
    """
    heading, rest = first_heading(body)
    if heading is not None and _same_title(heading, doc):
        body = rest
    return demote_headings(body) if _has_h1(body) else body


# An ATX heading (up to three spaces of indent) and a code fence's opening or closing line.
_ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")


def _heading_lines(body: str) -> Iterable[tuple[int, str, bool]]:
    """(index, line, outside a fenced code block) for each line of ``body``."""
    fence = ""
    for index, line in enumerate(body.split("\n")):
        match = _FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
            yield index, line, False
        elif match:
            fence = match.group(1)
            yield index, line, False
        else:
            yield index, line, True


def _has_h1(body: str) -> bool:
    lines = body.split("\n")
    for index, line, outside in _heading_lines(body):
        if not outside:
            continue
        atx = _ATX.match(line)
        if atx and len(atx.group(2)) == 1:
            return True
        if _SETEXT_H1.match(line) and index and lines[index - 1].strip():
            return True
    return False


def demote_headings(body: str) -> str:
    """``body`` with each heading one level down (H6 stays H6); code blocks untouched."""
    lines = body.split("\n")
    for index, line, outside in _heading_lines(body):
        if not outside:
            continue
        atx = _ATX.match(line)
        if atx and len(atx.group(2)) < 6:
            lines[index] = atx.group(1) + "#" + line[len(atx.group(1)) :]
        elif _SETEXT_H1.match(line) and index and lines[index - 1].strip():
            lines[index] = line.replace("=", "-")
    return "\n".join(lines)


def _sorted(docs: Iterable[Document]) -> list[Document]:
    return sorted(docs, key=lambda d: (d.id or "", d.path))


def register_page(inputs: SiteInputs, directory_urls: bool | None = True) -> str:
    config = inputs.system.config
    lines = [
        "# Document register",
        "",
        f"Every published document of {escape(config.organization)}: {len(inputs.published)} documents.",
        "",
    ]
    head = ["ID", "Title", "Type", "Version", "Owner", "Effective", "Next review", "Classification"]
    rows = []
    for doc in _sorted(inputs.published):
        effective = doc.date if doc.is_record else doc.effective_date
        href = page_href(REGISTER, doc.path, directory_urls)
        rows.append(
            [
                html_text(doc.id or ""),
                f'<a href="{attr(href)}">{html_text(doc.title or "")}</a>',
                TYPE_SINGULAR.get(doc.type or "", ""),
                html_text(doc.version or "—"),
                _person_html(config, doc.owner),
                _date_cell(effective),
                _date_cell(doc.next_review) + review_badge(doc, inputs.today, config.warn_days),
                html_text((doc.classification or "internal").capitalize()),
            ]
        )
    # Out of the search index: the register names every document, so it was a giant hit for any title.
    lines += _table_block(head, rows, css_class="isodocs-wide isodocs-register", search=False)
    return "\n".join(lines) + "\n" + _banner(inputs, "Document register")


def _review_lists(inputs: SiteInputs, horizon: int) -> tuple[list[Document], list[Document], int, int]:
    """(overdue, due within horizon) among published documents, and the withheld counts of each."""
    overdue, upcoming, hidden_overdue, hidden_upcoming = [], [], 0, 0
    for doc in inputs.system.documents:
        if doc.status not in ("approved", "in-review"):
            continue
        days = review_days(doc, inputs.today)
        if days is None or days > horizon:
            continue
        published = doc.path in inputs.published_paths
        if days < 0 and published:
            overdue.append(doc)
        elif days < 0:
            hidden_overdue += 1
        elif published:
            upcoming.append(doc)
        else:
            hidden_upcoming += 1
    key = lambda d: (d.next_review, d.id or "")  # noqa: E731
    return sorted(overdue, key=key), sorted(upcoming, key=key), hidden_overdue, hidden_upcoming


def _review_table(
    inputs: SiteInputs, docs: list[Document], page: str, hidden: int, directory_urls: bool | None
) -> list[str]:
    config = inputs.system.config
    if not docs and not hidden:
        return ["None.", ""]
    rows = [
        [
            _date_cell(doc.next_review) + review_badge(doc, inputs.today, 10**6),
            _doc_link_html(doc, page, directory_urls),
            _person_html(config, doc.owner),
        ]
        for doc in docs
    ]
    if hidden:
        rows.append(["", f"and {hidden} document{'s' if hidden != 1 else ''} not published on this site", ""])
    return _table_block(["Next review", "Document", "Owner"], rows)


def dashboard_page(inputs: SiteInputs, directory_urls: bool | None = True) -> str:
    config = inputs.system.config
    built = inputs.build_date or inputs.today
    lines = [
        # <title>: "Dashboard - <site name>": the organisation named once.
        front_matter("Dashboard").rstrip("\n"),
        "",
        f"# {escape(config.organization)} management system",
        "",
        f"{len(inputs.published)} published documents · status as of {inputs.today.isoformat()} · "
        f"site built {built.isoformat()}. See the [document register]({REGISTER}) and the "
        f"[review calendar]({CALENDAR}).",
        "",
    ]
    lines += _key_figures(inputs)
    lines += ["## Coverage of the standards", ""]
    lines += _coverage_summary(inputs, directory_urls)
    lines += cycle_dashboard_section(inputs, directory_urls)  # audits, nonconformities, actions
    lines += planning_dashboard_lines(inputs)  # objectives, the next management review
    lines += _training_summary(inputs)
    lines += ["## Documents by type and status", ""]
    lines += _counts_table(inputs)
    overdue, upcoming, hidden_overdue, hidden_upcoming = _review_lists(inputs, UPCOMING_DAYS)
    lines += [f"## Reviews overdue ({len(overdue) + hidden_overdue})", ""]
    lines += _review_table(inputs, overdue, HOME, hidden_overdue, directory_urls)
    lines += [f"## Reviews due in the next {UPCOMING_DAYS} days ({len(upcoming) + hidden_upcoming})", ""]
    lines += _review_table(inputs, upcoming, HOME, hidden_upcoming, directory_urls)
    lines += ["## Latest changes", ""]
    lines += _latest_changes(inputs, directory_urls)
    return "\n".join(lines) + "\n" + _banner(inputs, "Dashboard")


def _training_summary(inputs: SiteInputs) -> list[str]:
    """The dashboard's training line: completion over the published documents with an audience."""
    rows = [row for row in training_matrix(inputs.system).rows if row.requirement.id in inputs.published_by_id]
    current, required = sum(row.current for row in rows), sum(row.required for row in rows)
    if not required:  # no document with an audience, or audiences naming no one
        return []
    today = inputs.today
    started = [row for row in rows if row.untrained and not (row.requirement.effective or today) > today]
    late = sum(1 for row in started if overdue(row, today))
    share = completion(current, required) or 0.0
    return [
        "## Training",
        "",
        f"{current} of {required} ({share:.0f}%) trained on the current versions of the {len(rows)} documents "
        f"with an audience; {len(started) - late} within their grace period, {late} overdue. "
        f"See [Training]({TRAINING}).",
        "",
    ]


def _key_figures(inputs: SiteInputs) -> list[str]:
    """A row of headline numbers, as an auditor asks for them first."""
    overdue, upcoming, hidden_overdue, hidden_upcoming = _review_lists(inputs, UPCOMING_DAYS)
    gaps = sum(c.gaps for c in inputs.coverage or [])
    figures = [
        (str(len(inputs.published)), "published documents", ""),
        (str(len(overdue) + hidden_overdue), "reviews overdue", "isodocs-alert" if overdue or hidden_overdue else ""),
        (str(len(upcoming) + hidden_upcoming), f"reviews due in {UPCOMING_DAYS} days", ""),
    ]
    if inputs.coverage is not None:
        figures.append((str(gaps), "clause gaps", "isodocs-alert" if gaps else ""))
    cards = "".join(
        f'<div class="isodocs-figure {tone}"><span class="isodocs-figure-value">{value}</span>'
        f'<span class="isodocs-figure-label">{attr(label)}</span></div>'
        for value, label, tone in figures
    )
    return [f'<div class="isodocs-figures">{cards}</div>', ""]


def _coverage_summary(inputs: SiteInputs, directory_urls: bool | None) -> list[str]:
    if inputs.coverage is None:
        return ["*Coverage is not available in this build.*", ""]
    if not inputs.coverage:
        return ["No standard is in scope.", ""]
    # One line: the chart is a raw HTML block, which a blank line would end (see print_banner).
    bars = [(one_line(c.catalog.name), c.percent, f"{c.percent:.0f}% ({c.covered}/{c.total})") for c in inputs.coverage]
    lines = [bar_chart("Clauses covered by approved documents, per standard", bars), ""]
    head = ["Standard", "Clauses covered", "Mandatory documented information", "Gaps", "Matrix"]
    rows = [
        [
            html_text(c.catalog.name),
            f"{c.covered} of {c.total} ({c.percent:.0f}%)",
            f"{c.mandatory_met} of {c.mandatory_total}",
            str(c.gaps),
            f'<a href="{attr(page_href(HOME, matrix_page(c.catalog.key), directory_urls))}">'
            f"{html_text(c.catalog.name)} matrix</a>",
        ]
        for c in inputs.coverage
    ]
    lines += _table_block(head, rows, ["left", "right", "right", "right", "left"])
    if inputs.soa is not None:
        lines.append(f"The [Statement of Applicability]({SOA}) lists every Annex A control of ISO/IEC 27001.")
    return [*lines, ""]


def _counts_table(inputs: SiteInputs) -> list[str]:
    counts: Counter[tuple[str, str]] = Counter()
    for doc in inputs.system.documents:
        counts[(doc.type or "", doc.effective_status or "")] += 1
    published = Counter(doc.type or "" for doc in inputs.published)
    statuses = [s for s in STATUSES if any(counts[(t, s)] for t in TYPE_TITLES)]
    head = ["Type", *(s.capitalize() for s in statuses), "Published"]
    rows = [
        [title, *(str(counts[(doc_type, s)]) for s in statuses), str(published[doc_type])]
        for doc_type, title in TYPE_TITLES.items()
        if any(counts[(doc_type, s)] for s in STATUSES)
    ]
    lines = _table_block(head, rows, ["left"] + ["right"] * (len(statuses) + 1))
    return [*lines, "Records have no status: a merged record is final and counts as approved.", ""]


# Documents named in one row of "Latest changes"; the rest are counted.
CHANGE_DOCUMENTS_SHOWN = 5


def _latest_changes(inputs: SiteInputs, directory_urls: bool | None, limit: int = 10) -> list[str]:
    """The last ``limit`` commits that changed published documents: one row per commit.

    One approval commit can change dozens of documents; a row per document made
    one commit fill the table. A revision without a commit id (not from Git) is
    its own row.
    """
    if inputs.history is None:
        return ["*Not available: the site was built outside a Git repository.*", ""]
    commits: dict[str, list[tuple[Revision, Document]]] = {}
    for doc in inputs.published:
        for index, revision in enumerate(inputs.history.get(doc.path, [])):
            key = revision.commit or f"{doc.path}\0{index}"
            commits.setdefault(key, []).append((revision, doc))
    if not commits:
        return ["No committed change yet.", ""]
    groups = sorted(commits.values(), key=lambda g: (g[0][0].date, max(d.id or "" for _, d in g)), reverse=True)
    rows = [
        _change_row(sorted(group, key=lambda item: (item[1].id or "", item[1].path)), directory_urls)
        for group in groups[:limit]
    ]
    return _table_block(["Date", "Documents", "Author", "Summary"], rows, css_class="isodocs-changes")


def _change_row(group: list[tuple[Revision, Document]], directory_urls: bool | None) -> list[str]:
    """One commit's row: its date and author, the documents it changed (with their new version), its summary."""
    first = group[0][0]
    documents = [
        _doc_link_html(doc, HOME, directory_urls) + (f" ({html_text(revision.version)})" if revision.version else "")
        for revision, doc in group[:CHANGE_DOCUMENTS_SHOWN]
    ]
    more = len(group) - CHANGE_DOCUMENTS_SHOWN
    if more > 0:
        documents.append(f"and {more} more document{'s' if more != 1 else ''}")
    # The summary is the commit's subject plus each document's status change: said once each.
    summaries = list(dict.fromkeys(revision.summary for revision, _ in group))
    return [
        _date_cell(first.date),
        "<br>".join(documents),
        html_text(first.author),
        "<br>".join(html_text(summary) for summary in summaries),
    ]


def coverage_page(inputs: SiteInputs, coverage: StandardCoverage, directory_urls: bool | None = True) -> str:
    catalog, page = coverage.catalog, matrix_page(coverage.catalog.key)
    lines = [
        front_matter(f"{catalog.name} clause matrix").rstrip("\n"),
        "",
        # The H1 names the standard as the navigation does; its full title follows.
        f"# {escape(catalog.name)} clause matrix",
        "",
        *([f"*{escape(catalog.title)}*", ""] if catalog.title and catalog.title != catalog.name else []),
        f"{coverage.covered} of {coverage.total} clauses covered by approved documents "
        f"({coverage.percent:.0f}%); {coverage.gaps} gap{'s' if coverage.gaps != 1 else ''}.",
        "",
    ]
    requirements = [r for r in coverage.rows if not r.clause.is_control]
    controls = [r for r in coverage.rows if r.clause.is_control]
    for title, rows in (("Clauses", requirements), ("Annex A controls", controls)):
        if not rows:
            continue
        if requirements and controls:
            lines += [f"## {title}", ""]
        table = []
        for row in rows:
            clause = row.clause
            docs = [inputs.published_by_id[i] for i in row.documents if i in inputs.published_by_id]
            hidden = sum(1 for i in row.documents if i not in inputs.published_by_id)
            cells = [_doc_link_html(d, page, directory_urls) for d in _sorted(docs)]
            if hidden:
                cells.append(f"{hidden} document{'s' if hidden != 1 else ''} not published")
            if row.excluded:
                status = '<span class="isodocs-badge isodocs-excluded">excluded (SoA)</span>'
            elif row.gap:
                reason = f": {html_text(row.gap_reason)}" if row.gap_reason else ""
                status = f'<span class="isodocs-badge isodocs-gap">gap</span>{reason}'
            elif row.documents or row.covered:
                status = '<span class="isodocs-badge isodocs-covered">covered</span>'
                if not row.documents:
                    status += " by its sub-clauses"
            else:
                status = "—"
            need = " <em>(documented information required)</em>" if clause.documented_information else ""
            indent = "&emsp;" * max(0, clause.depth - 1)
            table.append(
                [
                    f'<span id="{clause_anchor(clause.id)}"></span>{indent}{html_text(clause.id)}',
                    f"{html_text(clause.title)}{need}",
                    "<br>".join(cells) or "—",
                    status,
                ]
            )
        head = ["Clause", "Title", "Documents", "Status"]
        lines += _table_block(head, table, css_class="isodocs-matrix")
    return "\n".join(lines) + "\n" + _banner(inputs, f"{catalog.name} clause matrix")


def soa_page(inputs: SiteInputs, directory_urls: bool | None = True) -> str:
    lines = [
        "# Statement of Applicability",
        "",
        "ISO/IEC 27001:2022 clause 6.1.3 d): every Annex A control, whether it applies, why, "
        "how far it is implemented and the documents that implement it.",
        "",
    ]
    rows = inputs.soa or []
    applicable = sum(1 for r in rows if r.applicable)
    lines += [f"{applicable} of {len(rows)} controls applicable.", ""]
    table = []
    for row in rows:
        docs = [inputs.published_by_id[i] for i in row.documents if i in inputs.published_by_id]
        hidden = sum(1 for i in row.documents if i not in inputs.published_by_id)
        cells = [_doc_link_html(d, SOA, directory_urls) for d in _sorted(docs)]
        if hidden:
            cells.append(f"{hidden} not published")
        applies = "Yes" if row.applicable else "No" if row.applicable is False else "not decided"
        table.append(
            [
                html_text(row.control.id),
                html_text(row.control.title),
                applies,
                html_text(row.status or "—"),
                _soa_justification(row),
                "<br>".join(cells) or "—",
            ]
        )
    head = ["Control", "Title", "Applicable", "Status", "Justification", "Documents"]
    lines += _table_block(head, table, css_class="isodocs-wide isodocs-soa")
    return "\n".join(lines) + "\n" + _banner(inputs, "Statement of Applicability")


def _soa_justification(row: SoaRow) -> str:
    """The justification cell of a control, then soa.yml's notes on it (what is in place, what is planned)."""
    justification = html_text(row.justification or "—")
    if not row.notes:
        return justification
    return f'{justification}<br><span class="isodocs-soa-notes"><em>Notes:</em> {html_text(row.notes)}</span>'


def calendar_page(inputs: SiteInputs, months: int = 12, directory_urls: bool | None = True) -> str:
    """Published documents by month of their next review, overdue first."""
    config, today = inputs.system.config, inputs.today
    lines = ["# Review calendar", "", f"Next reviews of published documents as of {today.isoformat()}.", ""]
    reviewed = [d for d in inputs.published if review_days(d, today) is not None]
    overdue = [d for d in reviewed if d.next_review and d.next_review < today]
    groups: dict[tuple[int, int], list[Document]] = {}
    later: list[Document] = []
    for doc in reviewed:
        assert doc.next_review is not None
        if doc.next_review < today:
            continue
        offset = (doc.next_review.year - today.year) * 12 + doc.next_review.month - today.month
        if offset < months:
            groups.setdefault((doc.next_review.year, doc.next_review.month), []).append(doc)
        else:
            later.append(doc)

    def table(docs: list[Document]) -> list[str]:
        rows = [
            [
                _date_cell(doc.next_review) + review_badge(doc, today, config.warn_days),
                _doc_link_html(doc, CALENDAR, directory_urls),
                _person_html(config, doc.owner),
                _date_cell(doc.last_reviewed),
            ]
            for doc in sorted(docs, key=lambda d: (d.next_review, d.id or ""))
        ]
        return _table_block(["Next review", "Document", "Owner", "Last reviewed"], rows)

    if overdue:
        lines += [f"## Overdue ({len(overdue)})", "", *table(overdue)]
    for year, month in sorted(groups):
        name = dt.date(year, month, 1).strftime("%B %Y")
        lines += [f"## {name}", "", *table(groups[(year, month)])]
    if later:
        lines += ["## Later", "", *table(later)]
    if not reviewed:
        lines.append("No published document has a review date.")
    return "\n".join(lines) + "\n" + _banner(inputs, "Review calendar")


# --- The improvement cycle's parts of other pages -------------------------------------------------
# An audit's or nonconformity's control block rows, the nonconformities on an audit's page, and the
# dashboard's improvement section. The cycle's own pages (programme, register, actions) are in
# site/cycle_pages.py, which builds on these. Like every page, they name only published documents.

AUDIT_PROGRAMME = "audits.md"
NC_REGISTER = "nonconformities.md"
OPEN_ACTIONS = "actions.md"


def _badge(text: str, tone: str) -> str:
    return f' <span class="isodocs-badge isodocs-{tone}">{html_text(text)}</span>'


def _published(inputs: SiteInputs, doc_id: str) -> Document | None:
    return inputs.published_by_id.get(doc_id)


def _programme_summary(programmes: list[StandardProgramme]) -> list[str]:
    rows = []
    for programme in programmes:
        uncovered = ", ".join(programme.uncovered) or "—"
        percent = f"{programme.percent:.0f}%" if programme.percent is not None else "n/a"
        rows.append(
            [
                html_text(programme.name),
                f"{programme.covered_count} of {programme.total} ({percent})",
                html_text(uncovered),
            ]
        )
    if not rows:
        return ["No standard is in scope.", ""]
    return [*_table_block(["Standard", "Clauses covered", "Not covered"], rows, ["left", "right", "left"]), ""]


def audit_findings_section(inputs: SiteInputs, doc: Document, directory_urls: bool | None) -> str:
    """The nonconformities an audit raised, for the end of its page (published ones linked, others counted)."""
    records = cycle_records(inputs.system)
    found = nonconformity_rows(records.findings_of(doc.id or ""), inputs.today)
    lines = ["## Nonconformities raised", ""]
    shown = [row for row in found if _published(inputs, row.id)]
    if shown:
        table = [_nc_cells(inputs, row, doc.path, directory_urls, sanitised=True) for row in shown]
        head = ["Nonconformity", "Grade", "Status", "Owner", "Actions", "Effectiveness"]
        lines.append(html_block(_html_table(head, table, sanitised=True)))
    elif not found:
        lines += ["None.", ""]
    hidden = len(found) - len(shown)
    if hidden:
        lines += [f"*{hidden} nonconformity(ies) not published here.*", ""]
    return "\n".join(lines) + "\n"


def _nc_cells(
    inputs: SiteInputs, row: NonconformityRow, page: str, directory_urls: bool | None, sanitised: bool = False
) -> list[str]:
    doc = _published(inputs, row.id)
    assert doc is not None
    link = _doc_link_html(doc, page, directory_urls, sanitised=sanitised)
    status = html_text(row.status, sanitised)
    if row.overdue:
        status += _badge("overdue", "overdue")
    return [
        link,
        html_text(row.grade, sanitised),
        status,
        _person_html(inputs.system.config, row.owner, sanitised),
        f"{row.actions_done}/{row.actions_total}",
        html_text(row.effectiveness, sanitised),
    ]


def _published_actions(inputs: SiteInputs) -> tuple[list[ActionRow], int]:
    """The open actions of published documents, and how many others are left out."""
    rows = action_rows(inputs.system)
    shown = [row for row in rows if row.doc_id in inputs.published_by_id]
    return shown, len(rows) - len(shown)


def cycle_dashboard_section(inputs: SiteInputs, directory_urls: bool | None = True) -> list[str]:
    """Open nonconformities by grade, overdue actions and audit-programme coverage, for the dashboard."""
    system = inputs.system
    records = cycle_records(system)
    if not records.audits and not records.nonconformities and not _published_actions(inputs)[0]:
        return []
    ncs = [row for row in nonconformity_rows(records.nonconformities, system.today) if _published(inputs, row.id)]
    counts = open_by_grade(ncs)
    actions, _hidden = _published_actions(inputs)
    overdue = [row for row in actions if row.overdue]
    figures = [
        (str(counts["major"]), "open major nonconformities", "isodocs-alert" if counts["major"] else ""),
        (str(counts["minor"]), "open minor nonconformities", ""),
        (str(len(actions)), "open actions", ""),
        (str(len(overdue)), "overdue actions", "isodocs-alert" if overdue else ""),
    ]
    cards = "".join(
        f'<div class="isodocs-figure {tone}"><span class="isodocs-figure-value">{value}</span>'
        f'<span class="isodocs-figure-label">{attr(label)}</span></div>'
        for value, label, tone in figures
    )
    lines = [
        "## Improvement",
        "",
        f'<div class="isodocs-figures">{cards}</div>',
        "",
        f"See the [audit programme]({AUDIT_PROGRAMME}), the [nonconformity register]({NC_REGISTER}) and "
        f"the [open actions]({OPEN_ACTIONS}).",
        "",
    ]
    grades = [[html_text(grade), str(counts[grade])] for grade in GRADES]
    lines += [*_table_block(["Open nonconformities by grade", "Number"], grades, ["left", "right"]), ""]
    if overdue:
        table = [
            [
                _date(row.due),
                html_text(row.action),
                _person_html(system.config, row.owner),
                _doc_link_html(_doc(inputs, row.doc_id), HOME, directory_urls),
            ]
            for row in overdue
        ]
        lines += [f"### Overdue actions ({len(overdue)})", ""]
        lines += [*_table_block(["Due", "Action", "Owner", "From"], table), ""]
    lines += ["### Audit programme coverage", ""]
    lines += _programme_summary(audit_programme(system))
    return lines


def _doc(inputs: SiteInputs, doc_id: str) -> Document:
    doc = _published(inputs, doc_id)
    assert doc is not None
    return doc


def cycle_control_rows(inputs: SiteInputs, doc: Document) -> list[tuple[str, str]]:
    """The control block's rows of an audit or nonconformity (in place of a record's date and retention)."""
    config = inputs.system.config

    def text(value: str) -> str:
        return html_text(value, sanitised=True)

    def person(key: str | None) -> str:
        return _person_html(config, key, sanitised=True)

    records = cycle_records(inputs.system)
    if doc.type == "audit":
        audit = next(a for a in records.audits if a.path == doc.path)
        rows = [
            ("Status", text(audit.status or "—")),
            ("Kind", text(audit.kind)),
            ("Dates", f"{_date(audit.start)} – {_date(audit.date)}"),
            ("Lead auditor", person(audit.lead_auditor)),
            ("Auditors", "; ".join(person(k) for k in audit.auditors) or "—"),
            ("Auditees", "; ".join(person(k) for k in audit.auditees) or "—"),
            ("Scope", text(scope_text(audit.scope)) or "—"),
            ("Owner", person(audit.owner)),
        ]
        if audit.conclusion:
            rows.append(("Conclusion", text(audit.conclusion)))
        return rows
    nc = next(n for n in records.nonconformities if n.path == doc.path)
    rows = [
        ("Status", text(nc.status or "—") + (f" on {_date(nc.closed)}" if nc.closed else "")),
        ("Grade", text(nc.grade or "—")),
        ("Source", text(nc.source or "—") + (f" ({text(nc.audit)})" if nc.audit else "")),
        ("Raised", f"{_date(nc.raised)} by {person(nc.raised_by)}" if nc.raised_by else _date(nc.raised)),
        ("Owner", person(nc.owner)),
        ("Requirement", text(scope_text(nc.against)) or "—"),
        ("Actions", _actions_html(nc.actions, inputs, person)),
        ("Effectiveness", text(nc.effectiveness_state)),
    ]
    return rows


def _actions_html(actions: Iterable[Action], inputs: SiteInputs, person: Callable[[str | None], str]) -> str:
    lines = []
    for action in actions:
        state = f"done {_date(action.done)}" if action.done else f"due {_date(action.due)}"
        if action.overdue(inputs.today):
            state += " (overdue)"
        text = html_text(action.action, sanitised=True)
        lines.append(f"{action.index + 1}. {text} — {person(action.owner)}, {state}")
    return "<br>".join(lines) or "—"


# --- Objectives' and management reviews' parts of other pages -----------------------------------
# A review's control block rows and its input checklist per standard, and the dashboard's lines.
# The generated pages (objectives with their charts, the reviews' overview) are in
# site/planning_pages.py, which builds on these.

OBJECTIVES = "objectives-progress.md"
REVIEWS = "management-review-inputs.md"


def published_objectives(inputs: SiteInputs) -> list[tuple[Document, Objective]]:
    """The published objectives by id, each with its typed view."""
    docs = sorted((d for d in inputs.published if d.type == "objective"), key=lambda d: (d.id or "", d.path))
    return [(doc, read_objective(inputs.system.with_front(doc))) for doc in docs]


def review_checklist_section(inputs: SiteInputs, doc: Document) -> str:
    """A management review's inputs per standard: addressed (and where) or missing."""
    system = inputs.system
    review = read_review(system.with_front(doc))
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


def review_control_rows(inputs: SiteInputs, doc: Document) -> list[tuple[str, str]]:
    """The control block's rows of a management review (in place of a record's date and retention)."""
    config = inputs.system.config
    review = read_review(inputs.system.with_front(doc))

    def person(key: str | None) -> str:
        return _person_html(config, key, sanitised=True)

    standards = review.standards_in(config.standards)
    names = [inputs.system.catalogs[k].name if k in inputs.system.catalogs else k for k in standards]
    return [
        ("Status", html_text(review.status or "—", sanitised=True)),
        ("Date", _date(review.date)),
        ("Chair", person(review.chair) if review.chair else "—"),
        ("Attendees", "; ".join(person(k) for k in review.attendees) or "—"),
        ("Standards", html_text(", ".join(names), sanitised=True) or "—"),
        ("Owner", person(review.owner)),
        ("Actions", _actions_html(review.actions, inputs, person)),
    ]


def planning_dashboard_lines(inputs: SiteInputs) -> list[str]:
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
