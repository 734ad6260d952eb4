"""The body of a management review: its agenda, one section per input, and what isodocs already knows for each.

``agenda_markdown`` writes the checklist: for the standards in scope, every input
slug as a section heading with the clauses of each standard it answers, so the
minutes are written against it (``isodocs new management-review``). ``review_facts``
gathers, for ``isodocs management-review prepare``, what the repository records
since the last review held: actions opened and closed, audits and their
findings, nonconformities, objectives' latest results, document reviews overdue
and the Statement of Applicability. Pure functions of the typed views; nothing
here reads files or prints.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from isodocs.model.cycle import Action, Audit, Nonconformity
from isodocs.model.management_review import ManagementReview, Section
from isodocs.model.objectives import Objective, format_value, target_text
from isodocs.text.words import shortened

NOTHING_KNOWN = "isodocs records nothing for this input: minute what the meeting considered."


@dataclass(frozen=True)
class ActionOf:
    """An action with the document it belongs to."""

    doc_id: str
    action: Action


@dataclass(frozen=True)
class RepositoryFacts:
    """What the repository records that a management review considers (plain data, gathered once)."""

    today: dt.date
    last_review: ManagementReview | None
    actions: tuple[ActionOf, ...]  # every action of objectives, nonconformities and reviews
    audits: tuple[Audit, ...]
    nonconformities: tuple[Nonconformity, ...]
    objectives: tuple[Objective, ...]  # approved ones
    reviews_overdue: tuple[str, ...]  # ids of documents whose periodic review is overdue
    soa_status: Mapping[str, int]  # SoA status (or "excluded") -> number of controls; empty without soa.yml

    @property
    def since(self) -> dt.date | None:
        """The day of the last review held, from which the period under review runs."""
        return self.last_review.date if self.last_review else None


def _after(day: dt.date | None, since: dt.date | None) -> bool:
    """On or after ``since`` (everything counts before any review was held)."""
    return day is not None and (since is None or day >= since)


def _action_line(item: ActionOf, today: dt.date) -> str:
    action = item.action
    owner = action.owner or "no owner"
    if action.done is not None:
        state = f"done {action.done.isoformat()}"
    elif action.due is not None and action.due < today:
        state = f"OVERDUE since {action.due.isoformat()}"
    else:
        state = f"open, due {action.due.isoformat()}" if action.due else "open, no due date"
    return f"{item.doc_id}: {shortened(action.action, 80)} ({owner}): {state}"


def previous_actions(facts: RepositoryFacts) -> list[str]:
    """The last review's actions with their state; then actions of the cycle closed since, and those open now."""
    lines: list[str] = []
    last = facts.last_review
    if last is not None:
        done = sum(1 for a in last.actions if a.done is not None)
        held = last.date.isoformat() if last.date else "undated"
        lines.append(f"{last.id} ({held}): {done} of {len(last.actions)} actions done")
        lines += [_action_line(ActionOf(last.id, action), facts.today) for action in last.actions]
    others = [item for item in facts.actions if last is None or item.doc_id != last.id]
    closed = [item for item in others if _after(item.action.done, facts.since)]
    open_now = [item for item in others if item.action.done is None]
    since = f" since {facts.since.isoformat()}" if facts.since else ""
    if closed:
        lines.append(f"Other actions closed{since}: {len(closed)}")
        lines += [_action_line(item, facts.today) for item in closed]
    if open_now:
        overdue = sum(1 for item in open_now if item.action.overdue(facts.today))
        lines.append(f"Other actions open now: {len(open_now)} ({overdue} overdue)")
        lines += [_action_line(item, facts.today) for item in sorted(open_now, key=_due)]
    return lines


def _due(item: ActionOf) -> tuple[dt.date, str]:
    return (item.action.due or dt.date.max, item.doc_id)


def _grades(found: Iterable[Nonconformity]) -> str:
    counts = Counter(nc.grade or "ungraded" for nc in found)
    return ", ".join(f"{count} {grade}" for grade, count in sorted(counts.items())) or "none"


def audit_results(facts: RepositoryFacts) -> list[str]:
    """Audits held (or due) since the last review, with their conclusion and findings by grade."""
    lines = []
    for audit in facts.audits:
        if not _after(audit.date, facts.since) or audit.status == "cancelled":
            continue
        if audit.status == "planned" and audit.date is not None and audit.date > facts.today:
            continue
        found = [nc for nc in facts.nonconformities if nc.audit == audit.id]
        kind = "" if audit.internal else f" ({audit.kind})"
        day = audit.date.isoformat() if audit.date else "undated"
        if audit.status == "completed":
            conclusion = f": {shortened(audit.conclusion, 80)}" if audit.conclusion else ""
            lines.append(f"{audit.id}{kind} {shortened(audit.title, 60)}, {day}{conclusion} Findings: {_grades(found)}")
        else:
            lines.append(f"{audit.id}{kind} {shortened(audit.title, 60)}, planned {day}, not yet recorded as held")
    planned = [a for a in facts.audits if a.status == "planned" and a.date is not None and a.date > facts.today]
    if planned:
        lines.append("Planned next: " + ", ".join(f"{a.id} ({a.date.isoformat()})" for a in planned[:4] if a.date))
    return lines


def _nc_line(nc: Nonconformity) -> str:
    state = f"closed {nc.closed.isoformat()}" if not nc.is_open and nc.closed else "open"
    actions = f"{nc.actions_done} of {len(nc.actions)} actions done" if nc.actions else "no actions"
    raised = nc.raised.isoformat() if nc.raised else "undated"
    return f"{nc.id} ({nc.grade}, {nc.source}, raised {raised}) {shortened(nc.title, 60)}: {state}; {actions}"


def nonconformities(facts: RepositoryFacts, sources: Sequence[str] | None = None) -> list[str]:
    """Nonconformities raised or closed since the last review, and every one still open (of ``sources`` only)."""
    chosen = [nc for nc in facts.nonconformities if sources is None or nc.source in sources]
    relevant = [nc for nc in chosen if nc.is_open or _after(nc.raised, facts.since) or _after(nc.closed, facts.since)]
    if not relevant:
        return []
    raised = sum(1 for nc in chosen if _after(nc.raised, facts.since))
    closed = sum(1 for nc in chosen if not nc.is_open and _after(nc.closed, facts.since))
    still = sum(1 for nc in chosen if nc.is_open)
    since = f" since {facts.since.isoformat()}" if facts.since else ""
    return [f"Raised{since}: {raised}; closed{since}: {closed}; open now: {still}"] + [_nc_line(nc) for nc in relevant]


def objectives(facts: RepositoryFacts) -> list[str]:
    """Each approved objective's latest result against its target, with progress and trend."""
    lines = []
    for objective in facts.objectives:
        latest = objective.latest
        result = (
            f"{format_value(latest.value, objective.unit)} on {latest.date.isoformat()}" if latest else "no result yet"
        )
        due = objective.due.isoformat() if objective.due else "no due date"
        lines.append(
            f"{objective.id} {shortened(objective.title, 60)}: {result} (target {target_text(objective)} by {due}); "
            f"{objective.progress or 'progress not set'}, trend {objective.trend}"
        )
    if lines:
        counts = Counter(o.progress or "not set" for o in facts.objectives)
        lines.insert(0, ", ".join(f"{count} {progress}" for progress, count in sorted(counts.items())))
    return lines


def monitoring(facts: RepositoryFacts) -> list[str]:
    """Results recorded since the last review and the document reviews overdue."""
    recorded = sum(1 for o in facts.objectives for r in o.results if _after(r.date, facts.since))
    since = f" since {facts.since.isoformat()}" if facts.since else ""
    lines = [f"Objective results recorded{since}: {recorded}"]
    if facts.reviews_overdue:
        lines.append(
            f"Documents past their periodic review: {len(facts.reviews_overdue)} ({', '.join(facts.reviews_overdue)})"
        )
    else:
        lines.append("Documents past their periodic review: none")
    return lines


def soa(facts: RepositoryFacts) -> list[str]:
    """The Statement of Applicability's controls by status."""
    if not facts.soa_status:
        return []
    total = sum(facts.soa_status.values())
    parts = ", ".join(f"{count} {status}" for status, count in sorted(facts.soa_status.items()))
    return [f"Statement of Applicability: {total} controls: {parts}"]


def review_facts(facts: RepositoryFacts) -> dict[str, list[str]]:
    """Input slug -> what isodocs knows for it, as list items (inputs it knows nothing of are left out)."""
    known = {
        "previous-actions": previous_actions(facts),
        "audit-results": audit_results(facts),
        "nonconformities": nonconformities(facts),
        "incidents": nonconformities(facts, ("incident",)),
        "customer-satisfaction": nonconformities(facts, ("complaint",)),
        "communications": nonconformities(facts, ("complaint",)),
        "external-providers": nonconformities(facts, ("supplier",))
        + [line for line in audit_results(facts) if "(supplier)" in line],
        "objectives": objectives(facts),
        "monitoring-results": monitoring(facts),
        "risk-treatment": soa(facts),
        "improvement": nonconformities(facts, ("management-review",))
        + [_nc_line(nc) for nc in facts.nonconformities if nc.grade == "opportunity" and nc.is_open],
    }
    return {slug: lines for slug, lines in known.items() if lines}


def agenda_markdown(sections: Iterable[Section], facts: Mapping[str, list[str]] | None = None) -> str:
    """One heading per input slug with the clauses it answers; under it what isodocs knows, or a prompt."""
    parts = []
    for number, section in enumerate(sections, start=1):
        parts.append(f"### {number} {section.title[:1].upper()}{section.title[1:]} (`{section.slug}`)\n")
        parts.append(f"Required by {section.refs}.\n")
        if facts is None:
            parts.append("<!-- What the meeting considered and concluded. -->\n")
            continue
        lines = facts.get(section.slug)
        if lines:
            parts.append("From the repository:\n\n" + "".join(f"- {line}\n" for line in lines))
        else:
            parts.append(f"<!-- {NOTHING_KNOWN} -->\n")
    return "\n".join(parts)


def soa_status(decisions: Iterable[tuple[bool | None, str | None, bool]]) -> dict[str, int]:
    """(applicable, status, valid) of each SoA decision -> number of controls per status, "excluded" for exclusions."""
    counts: Counter[str] = Counter()
    for applicable, status, valid in decisions:
        if not valid or applicable is None:
            continue
        counts["excluded" if applicable is False else (status or "no status")] += 1
    return dict(counts)
