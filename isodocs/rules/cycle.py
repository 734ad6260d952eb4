"""Rules of the improvement cycle: people, actions, internal audits, nonconformities.

See DESIGN.md "The improvement cycle". Each message says what to do, and names
the person who has to and the dates that matter.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from isodocs.analyses.cycle import cycle_records
from isodocs.analyses.programme import audit_programme
from isodocs.model import Document, ManagementSystem, Severity, add_months, parse_actions
from isodocs.model.config import CONFIG_FILE, Config
from isodocs.readers.cycle import people_named, read_audit, read_nonconformity
from isodocs.rules.registry import DocumentContext, Hit, cross_document_rule, document_rule, system_rule
from isodocs.text.words import plural, shortened


def _who(key: str | None, config: Config) -> str:
    """``qm (Daniel Okafor)`` (Config.person_named), or "no one" without a key."""
    return config.person_named(key) if key else "no one"


@document_rule("unknown-person", Severity.ERROR)
def unknown_person(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """A person named in the cycle's fields is not a key of `people` in isodocs.yml.

    The fields are lead_auditor, auditors, auditees, raised_by, effectiveness.by, each action's owner, and a
    training record's attendees and trainer. Use the key of a person listed under `people:` in isodocs.yml (the
    message suggests the nearest), or add the person there.
    """
    people = context.config.people
    for key, name in people_named(doc.data):
        if name not in people:
            hint = difflib.get_close_matches(name, list(people), n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
            field = ".".join(str(part) for part in key)
            yield Hit(
                f"{field}: '{name}' is not a key of people in isodocs.yml{suggestion}: "
                "use a listed key or add the person there",
                doc.line(*key),
            )


@document_rule("action-overdue", Severity.ERROR)
def action_overdue(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """An action of an objective, nonconformity or management review is past its `due` date and has no `done` date.

    Have the owner finish the action and record `done: DATE`, or agree a new `due` date with them and write it
    in. (On a closed nonconformity an open action is `nonconformity-closed-early` instead.)
    """
    if "actions" not in doc.data or (doc.type == "nonconformity" and doc.status == "closed"):
        return
    for action in parse_actions(doc.data.get("actions")):
        if action.overdue(context.today):
            assert action.due is not None
            late = (context.today - action.due).days
            yield Hit(
                f"action {action.index + 1} '{shortened(action.action, 60)}' of {_who(action.owner, context.config)} "
                f"was due {action.due.isoformat()} ({plural(late, 'day')} ago) and is not done: "
                "when it is done, add done: DATE; otherwise agree a new due date with the owner",
                doc.line("actions", action.index, "due"),
            )


def _listing(clauses: list[str], limit: int = 260) -> str:
    """The clauses, cut to about ``limit`` characters with a count of the rest (a finding's message is short)."""
    shown: list[str] = []
    for clause in clauses:
        if shown and len(", ".join([*shown, clause])) > limit:
            return f"{', '.join(shown)} and {len(clauses) - len(shown)} more (`isodocs audits` lists them all)"
        shown.append(clause)
    return ", ".join(shown)


@document_rule("audit-overdue", Severity.ERROR, types=("audit",))
def audit_overdue(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """A planned audit's `end` (or `start`) date has passed.

    When the audit was held, set `status: completed` and write its `conclusion` (and its findings as
    nonconformities); if it was moved, set the new `start` and `end`; if it will not take place, set
    `status: cancelled` and say why in the body.
    """
    if doc.type != "audit" or doc.status != "planned":
        return
    audit = read_audit(doc)
    day = audit.date
    if day is None or day >= context.today:
        return
    late = (context.today - day).days
    key = "end" if audit.end else "start"
    yield Hit(
        f"audit {audit.id} was planned to end {day.isoformat()} ({plural(late, 'day')} ago) and is still planned: "
        f"lead auditor {_who(audit.lead_auditor, context.config)} and programme owner "
        f"{_who(audit.owner, context.config)} should set status: completed with its conclusion, or new dates, "
        "or status: cancelled",
        doc.line(key),
    )


@cross_document_rule("auditor-not-independent", Severity.WARNING, types=("audit",))
def auditor_not_independent(doc: Document, system: ManagementSystem) -> Iterator[Hit]:
    """An audit's lead auditor or auditor owns one of its `documents` or is among its auditees.

    Auditors must not audit their own work (ISO 9001 9.2.2 c): choose another auditor for this audit, or take the
    document or auditee out of its scope.
    """
    if doc.type != "audit":
        return
    audit = read_audit(system.with_front(doc))
    people = system.config
    for auditor in audit.auditor_keys:
        key: tuple[str | int, ...] = ("lead_auditor",)
        if auditor != audit.lead_auditor:
            key = ("auditors", audit.auditors.index(auditor))
        role, who = ("lead auditor" if key[0] == "lead_auditor" else "auditor"), _who(auditor, people)
        if auditor in audit.auditees:
            yield Hit(
                f"{role} {who} is also an auditee of {audit.id}: auditors must not audit their own work; "
                "choose another auditor",
                key=key,
            )
        owned = [doc_id for doc_id in audit.documents if (other := system.get(doc_id)) and other.owner == auditor]
        if owned:
            yield Hit(
                f"{role} {who} owns {', '.join(owned)}, which {audit.id} audits: auditors must not audit their "
                "own work; choose another auditor or take the document out of documents",
                key=key,
            )


@document_rule("nonconformity-closed-early", Severity.ERROR, types=("nonconformity",))
def nonconformity_closed_early(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """A closed nonconformity has an action without `done`, or (major, minor) no `root_cause` or no effective
    `effectiveness` check.

    Set `status: open` (and remove `closed`) until every action is done and, for a major or minor nonconformity,
    the root cause is recorded and an effectiveness check found the action effective (`effectiveness: {checked:
    DATE, by: PERSON, result: effective}`).
    """
    if doc.type != "nonconformity" or doc.status != "closed":
        return
    nc = read_nonconformity(doc)
    reopen = f"set status: open until then ({_who(nc.owner, context.config)} owns it)"
    for action in nc.open_actions:
        yield Hit(
            f"{nc.id} is closed but action {action.index + 1} '{shortened(action.action, 60)}' of "
            f"{_who(action.owner, context.config)} has no done date: record when it was done, or {reopen}",
            doc.line("actions", action.index),
        )
    if not nc.corrective:
        return
    if not nc.root_cause:
        yield Hit(
            f"{nc.id} ({nc.grade}) is closed without a root_cause: record the cause found, or {reopen}",
            doc.line("status"),
        )
    check = nc.effectiveness
    if check is None or check.checked is None:
        yield Hit(
            f"{nc.id} ({nc.grade}) is closed without an effectiveness check: record effectiveness: "
            f"{{checked: DATE, by: PERSON, result: effective}} once checked, or {reopen}",
            doc.line("effectiveness") if check else doc.line("status"),
        )
    elif check.result != "effective":
        yield Hit(
            f"{nc.id} ({nc.grade}) is closed but its effectiveness check on {check.checked.isoformat()} found it "
            f"{check.result or 'without a result'}: {reopen}, with new actions for the cause",
            doc.line("effectiveness", "result"),
        )
    elif nc.closed is not None and nc.closed < check.checked:
        yield Hit(
            f"{nc.id} was closed {nc.closed.isoformat()}, before its effectiveness was checked "
            f"({check.checked.isoformat()}): close it on or after the check",
            doc.line("closed"),
        )


@document_rule("effectiveness-check-overdue", Severity.WARNING, types=("nonconformity",))
def effectiveness_check_overdue(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """An open nonconformity's `effectiveness.due` has passed without a check.

    Check whether the actions removed the cause and record `effectiveness: {checked: DATE, by: PERSON, result:
    effective | not-effective}`, or agree a new `due` date.
    """
    if doc.type != "nonconformity" or doc.status == "closed":
        return
    nc = read_nonconformity(doc)
    check = nc.effectiveness
    if check is None or check.due is None or check.checked is not None or check.due >= context.today:
        return
    late = (context.today - check.due).days
    yield Hit(
        f"the effectiveness check of {nc.id} was due {check.due.isoformat()} ({plural(late, 'day')} ago): "
        f"{_who(nc.owner, context.config)} should have it checked and record checked, by and result",
        doc.line("effectiveness", "due"),
    )


@document_rule("nonconformity-without-action", Severity.WARNING, types=("nonconformity",))
def nonconformity_without_action(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """A major or minor nonconformity open more than `improvement.action_days` days has no action.

    Agree the corrective action with the owner and add it: `actions: [{action: TEXT, owner: PERSON, due: DATE}]`.
    """
    if doc.type != "nonconformity" or doc.status == "closed":
        return
    nc = read_nonconformity(doc)
    if not nc.corrective or nc.actions or nc.raised is None:
        return
    limit = context.config.action_days
    age = (context.today - nc.raised).days
    if age > limit:
        yield Hit(
            f"{nc.id} ({nc.grade}) was raised {nc.raised.isoformat()}, {plural(age, 'day')} ago, and has no action "
            f"(improvement.action_days: {limit}): {_who(nc.owner, context.config)} should add actions with owner "
            "and due date",
            doc.line("raised"),
        )


@system_rule("audit-programme-gap", Severity.ERROR)
def audit_programme_gap(system: ManagementSystem) -> Iterator[Hit]:
    """An in-scope clause or applicable Annex A control is in the scope of no internal audit of the cycle.

    The cycle is the audits completed in the last `audit.cycle_months` months or planned in the next ones. Plan
    an internal audit (`isodocs new audit`) whose `scope` lists the clauses the message names. Applies once the
    repository keeps its audits as audit files.
    """
    records = cycle_records(system)
    if not records.audits:
        return
    months = system.config.audit_cycle_months
    since, until = add_months(system.today, -months), add_months(system.today, months)
    owners = [audit.owner for audit in records.audits if audit.internal and audit.owner]
    owner = f" (programme owner {_who(owners[-1], system.config)})" if owners else ""
    for programme in audit_programme(system):
        uncovered = programme.uncovered
        if not uncovered:
            continue
        index = system.config.standards.index(programme.key)
        count = programme.total - programme.covered_count
        listed = _listing(uncovered)
        yield Hit(
            f"{programme.name}: {count} of {programme.total} clauses are in the scope of no internal audit "
            f"completed since {since.isoformat()} or planned until {until.isoformat()}: {listed}. "
            f"Plan an audit{owner} with scope: {{{programme.key}: [...]}} naming them",
            system.config.line("standards", index),
            path=CONFIG_FILE,
        )
