"""The site's pages of the improvement cycle: the audit programme, the nonconformity register, the actions.

Built from the same rows as ``isodocs audits``, ``isodocs nonconformities`` and
``isodocs actions`` (``isodocs.improvement``). Like every generated page, they
name only published documents: an audit or nonconformity withheld by its
status or classification is counted, never named or linked, and its actions are
left out. Every value from a document is escaped where it enters the page
(``html_text``; labels of navigation and titles through ``template_text``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from isodocs.analyses.cycle import cycle_records
from isodocs.analyses.improvement import (
    AuditRow,
    NonconformityRow,
    audit_rows,
    by_owner,
    nonconformity_rows,
    open_by_grade,
    scope_text,
)
from isodocs.analyses.programme import StandardProgramme, audit_programme
from isodocs.model import add_months
from isodocs.site.inputs import SiteInputs
from isodocs.site.markdown import attr, html_attr, html_text, page_href
from isodocs.site.pages import (
    AUDIT_PROGRAMME,
    NC_REGISTER,
    OPEN_ACTIONS,
    _badge,
    _banner,
    _date_cell,
    _doc_link_html,
    _person_html,
    _programme_summary,
    _published,
    _published_actions,
    _table_block,
    front_matter,
    one_line,
)

PROGRAMME = AUDIT_PROGRAMME
REGISTER = NC_REGISTER
ACTIONS = OPEN_ACTIONS
PAGES = (PROGRAMME, REGISTER, ACTIONS)
CYCLE_TYPES = ("audit", "nonconformity")


def _link(inputs: SiteInputs, doc_id: str, page: str, directory_urls: bool | None) -> str | None:
    """A link to a published document by id; None when it is withheld (then it is only counted)."""
    doc = _published(inputs, doc_id)
    return _doc_link_html(doc, page, directory_urls) if doc else None


def _withheld_note(count: int, what: str) -> list[str]:
    if not count:
        return []
    return [f"*{count} {what} not published here (draft, or above the site's classification level).*", ""]


# --- the audit programme ---


def programme_page(inputs: SiteInputs, directory_urls: bool | None = True) -> str:
    """The audits by year and month, their findings, and a clause-coverage matrix per standard."""
    system = inputs.system
    months = system.config.audit_cycle_months
    records = cycle_records(system)
    rows = audit_rows(records.audits, records.nonconformities, system.today, months)
    shown = [row for row in rows if _published(inputs, row.id)]
    since, until = add_months(system.today, -months), add_months(system.today, months)
    lines = [
        front_matter("Audit programme").rstrip("\n"),
        "",
        "# Audit programme",
        "",
        f"Internal audits completed since {since.isoformat()} or planned until {until.isoformat()} make up the "
        f"cycle (`audit.cycle_months`: {months}); external audits are shown beside them. Status as of "
        f"{system.today.isoformat()}.",
        "",
    ]
    lines += _withheld_note(len(rows) - len(shown), "audit(s)")
    lines += ["## Coverage of the cycle", ""]
    lines += _programme_summary(audit_programme(system))
    years = sorted({row.date.year for row in shown if row.date})
    for year in years:
        lines += [f"## {year}", ""]
        lines += _year_table(inputs, [row for row in shown if row.date and row.date.year == year], directory_urls)
    if not shown:
        lines += ["No published audit yet.", ""]
    for programme in audit_programme(system):
        lines += [f"## Clause coverage: {html_text(programme.name)}", ""]
        lines += _matrix(inputs, programme, directory_urls)
    return "\n".join(lines) + "\n" + _banner(inputs, "Audit programme")


def _status_html(row: AuditRow) -> str:
    if row.overdue:
        return html_text(row.status) + _badge("overdue", "overdue")
    return html_text(row.status)


def _findings_html(row: AuditRow) -> str:
    parts = [f"{count} {grade}" for grade, count in row.findings.items() if count]
    return html_text(", ".join(parts)) if parts else "—"


def _year_table(inputs: SiteInputs, rows: list[AuditRow], directory_urls: bool | None) -> list[str]:
    """One row per month of the year: its audits, each with status, lead auditor, scope and findings."""
    config = inputs.system.config
    by_month: dict[int, list[AuditRow]] = {}
    for row in rows:
        assert row.date is not None
        by_month.setdefault(row.date.month, []).append(row)
    table = []
    for month in range(1, 13):
        name = dt.date(2000, month, 1).strftime("%B")
        found = by_month.get(month, [])
        if not found:
            table.append([name, "—", "", "", "", ""])
            continue
        for index, row in enumerate(found):
            link = _link(inputs, row.id, PROGRAMME, directory_urls) or html_text(row.id)
            kind = "" if row.kind == "internal" else f" ({html_text(row.kind)})"
            table.append(
                [
                    name if index == 0 else "",
                    f"{_date_cell(row.start)} – {_date_cell(row.date)}<br>{link}{kind}",
                    _status_html(row),
                    _person_html(config, row.lead_auditor),
                    html_text(scope_text(row.scope)),
                    _findings_html(row),
                ]
            )
    return [*_table_block(["Month", "Audit", "Status", "Lead auditor", "Scope", "Findings"], table), ""]


def _matrix(inputs: SiteInputs, programme: StandardProgramme, directory_urls: bool | None) -> list[str]:
    """Every clause (and applicable control) of the standard: the audits of the cycle that cover it."""
    status = {row.id: row.status for row in _rows(inputs)}
    parents = {kid: parent for parent, kids in programme.tree.children.items() for kid in kids}
    catalog = inputs.system.catalogs.get(programme.key)
    table = []
    for clause in programme.tree.order:
        if clause.startswith("A.") and clause.count(".") == 1:
            continue  # a control group: its controls are listed
        audits = programme.covered_by.get(clause, [])
        links = [_id_link(inputs, audit_id, directory_urls) for audit_id in audits]
        shown = [link for link in links if link]
        hidden = len(links) - len(shown)
        cells = shown + ([f"{hidden} not published"] if hidden else [])
        if clause not in programme.covered:
            state = _badge("not covered", "overdue").strip()
        elif audits and all(status.get(audit_id) == "planned" for audit_id in audits):
            state = "planned"
        elif audits:
            state = "audited"
        else:
            state = "by its sub-clauses"
        depth = _depth(parents, clause)
        label = "&nbsp;" * 4 * depth + html_text(clause)
        found = catalog.clauses.get(clause) if catalog else None
        table.append([label, html_text(found.title if found else ""), state, ", ".join(cells) or "—"])
    return [*_table_block(["Clause", "Title", "Coverage", "Audits"], table), ""]


def _id_link(inputs: SiteInputs, doc_id: str, directory_urls: bool | None, page: str = PROGRAMME) -> str | None:
    """A link to a published document showing its id alone (its title on hover); None when withheld."""
    doc = _published(inputs, doc_id)
    if doc is None:
        return None
    href = page_href(page, doc.path, directory_urls)
    return f'<a href="{html_attr(href)}" title="{attr(one_line(doc.title or ""))}">{html_text(doc_id)}</a>'


def _depth(parents: dict[str, str], clause: str) -> int:
    depth = 0
    while clause in parents:
        clause, depth = parents[clause], depth + 1
    return depth


def _rows(inputs: SiteInputs) -> list[AuditRow]:
    system = inputs.system
    records = cycle_records(system)
    return audit_rows(records.audits, records.nonconformities, system.today, system.config.audit_cycle_months)


def register_page(inputs: SiteInputs, directory_urls: bool | None = True) -> str:
    """Every published nonconformity: open ones first, overdue ones marked."""
    system = inputs.system
    rows = nonconformity_rows(cycle_records(system).nonconformities, system.today)
    shown = [row for row in rows if _published(inputs, row.id)]
    counts = open_by_grade(shown)
    lines = [
        front_matter("Nonconformity register").rstrip("\n"),
        "",
        "# Nonconformity register",
        "",
        f"Nonconformities, observations and opportunities and their corrective actions, as of "
        f"{system.today.isoformat()}: {sum(counts.values())} open "
        f"({', '.join(f'{count} {grade}' for grade, count in counts.items())}). See the [open actions]({ACTIONS}).",
        "",
    ]
    lines += _withheld_note(len(rows) - len(shown), "nonconformity(ies)")
    for title, group in (("Open", [r for r in shown if r.is_open]), ("Closed", [r for r in shown if not r.is_open])):
        lines += [f"## {title} ({len(group)})", ""]
        if not group:
            lines += ["None.", ""]
            continue
        table = [_register_cells(inputs, row, directory_urls) for row in group]
        head = ["Nonconformity", "Grade and source", "Raised", "Owner", "Actions done", "Effectiveness"]
        lines += [*_table_block(head, table), ""]
    return "\n".join(lines) + "\n" + _banner(inputs, "Nonconformity register")


def _name(inputs: SiteInputs, key: str | None) -> str:
    """A person's name alone (tables that are wide already), or the key when it is no person."""
    person = inputs.system.config.people.get(key or "")
    return html_text(person.name if person else key or "—")


def _register_cells(inputs: SiteInputs, row: NonconformityRow, directory_urls: bool | None) -> list[str]:
    doc = _published(inputs, row.id)
    assert doc is not None
    source = f"{html_text(row.grade)}<br>{html_text(row.source)}"
    if row.audit:
        audit = _id_link(inputs, row.audit, directory_urls, REGISTER)
        source += f" ({audit})" if audit else ""
    actions = f"{row.actions_done}/{row.actions_total}"
    if row.next_due:
        actions += f"<br>next {_date_cell(row.next_due)}"
    if row.overdue_actions:
        actions += _badge(f"{row.overdue_actions} overdue", "overdue")
    effect = html_text(row.effectiveness)
    if row.effectiveness_overdue:
        effect += _badge("overdue", "overdue")
    return [
        _doc_link_html(doc, REGISTER, directory_urls),
        source,
        _date_cell(row.raised) + (f"<br>{row.age_days} days" if row.age_days is not None else ""),
        _name(inputs, row.owner),
        actions,
        effect,
    ]


# --- the actions ---


def actions_page(inputs: SiteInputs, directory_urls: bool | None = True) -> str:
    """Every open action of the published objectives, nonconformities and management reviews, by owner."""
    system = inputs.system
    shown, hidden = _published_actions(inputs)
    overdue = sum(1 for row in shown if row.overdue)
    lines = [
        front_matter("Open actions").rstrip("\n"),
        "",
        "# Open actions",
        "",
        f"{len(shown)} open actions as of {system.today.isoformat()}, {overdue} overdue, by owner: "
        "the owners with the earliest due date first.",
        "",
    ]
    lines += _withheld_note(hidden, "action(s) of documents")
    for group in by_owner(shown, system.config.people):
        name = group.person.label if group.person else group.name
        lines += [f"## {html_text(name)} ({len(group.actions)} open, {group.overdue} overdue)", ""]
        table = []
        for row in group.actions:
            doc = _published(inputs, row.doc_id)
            assert doc is not None
            due = _date_cell(row.due)
            if row.overdue and row.days_left is not None:
                due += _badge(f"overdue by {-row.days_left} days", "overdue")
            table.append([due, html_text(row.action), _doc_link_html(doc, ACTIONS, directory_urls)])
        lines += [*_table_block(["Due", "Action", "From"], table), ""]
    if not shown:
        lines += ["No open actions.", ""]
    return "\n".join(lines) + "\n" + _banner(inputs, "Open actions")


# --- the dashboard's section ---


def nav_entries(inputs: SiteInputs) -> Iterable[tuple[str, str]]:
    """(label, page) of the cycle's generated pages that have something to show."""
    records = cycle_records(inputs.system)
    if records.audits:
        yield "Audit programme", PROGRAMME
    if records.nonconformities:
        yield "Nonconformity register", REGISTER
    if records.nonconformities or _published_actions(inputs)[0]:
        yield "Open actions", ACTIONS
