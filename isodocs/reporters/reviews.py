"""``isodocs reviews`` output: overdue and upcoming reviews by owner, as text, JSON or CSV."""

from __future__ import annotations

from typing import Any

import click

from isodocs.analyses.reviews import OVERDUE, OwnerReviews, ReviewCalendar, ReviewItem
from isodocs.reporters.tables import WIDTH, days_phrase, fit, owner_line, to_csv, to_json

ID_W, VERSION_W, TITLE_W, DATE_W = 9, 6, 44, 10


def _window(calendar: ReviewCalendar) -> str:
    if calendar.until is None:
        return f"all scheduled reviews (today {calendar.today})"
    return f"overdue or due by {calendar.until} (today {calendar.today}, within {calendar.within_days} days)"


def _owner_line(owner: OwnerReviews) -> str:
    return owner_line(owner.name, owner.key, owner.person, f"{owner.overdue} overdue, {owner.due} due")


def render_text(calendar: ReviewCalendar, colour: bool = False) -> str:
    summary = calendar.summary
    if not calendar.owners:
        return f"No reviews {_window(calendar)}.\n"
    lines = [f"Reviews {_window(calendar)}: {summary['overdue']} overdue, {summary['due']} due", ""]
    for owner in calendar.owners:
        heading = fit(_owner_line(owner), WIDTH)
        lines.append(click.style(heading, bold=True) if colour else heading)
        for item in owner.items:
            days = days_phrase(item.days_left)
            if colour and item.state == OVERDUE:
                days = click.style(days, fg="red")
            version = f"v{item.version}" if item.version else ""
            lines.append(
                f"  {fit(item.id, ID_W):<{ID_W}} {version:<{VERSION_W}} {fit(item.title, TITLE_W):<{TITLE_W}} "
                f"{item.next_review.isoformat():<{DATE_W}}  {days}"
            )
        lines.append("")
    return "\n".join(lines)


def _item_dict(item: ReviewItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "version": item.version,
        "status": item.status,
        "path": item.path,
        "next_review": item.next_review.isoformat(),
        "state": item.state,
        "days_overdue": item.days_overdue if item.state == OVERDUE else None,
        "days_left": None if item.state == OVERDUE else item.days_left,
    }


def render_json(calendar: ReviewCalendar) -> str:
    return to_json(
        {
            "today": calendar.today.isoformat(),
            "within_days": calendar.within_days,
            "until": calendar.until.isoformat() if calendar.until else None,
            "summary": calendar.summary,
            "owners": [
                {
                    "owner": owner.key or None,
                    "name": owner.person.name if owner.person else None,
                    "role": owner.person.role or None if owner.person else None,
                    "email": owner.person.email or None if owner.person else None,
                    "github": owner.person.github or None if owner.person else None,
                    "overdue": owner.overdue,
                    "due": owner.due,
                    "reviews": [_item_dict(item) for item in owner.items],
                }
                for owner in calendar.owners
            ],
        }
    )


CSV_HEADER = (
    "owner",
    "owner_name",
    "owner_role",
    "owner_email",
    "id",
    "title",
    "version",
    "status",
    "path",
    "next_review",
    "state",
    "days_overdue",
    "days_left",
)


def render_csv(calendar: ReviewCalendar) -> str:
    rows = []
    for owner in calendar.owners:
        person = owner.person
        for item in owner.items:
            data = _item_dict(item)
            rows.append(
                (
                    owner.key,
                    person.name if person else "",
                    person.role if person else "",
                    person.email if person else "",
                    item.id,
                    item.title,
                    item.version,
                    item.status,
                    item.path,
                    data["next_review"],
                    item.state,
                    data["days_overdue"],
                    data["days_left"],
                )
            )
    return to_csv(CSV_HEADER, rows)
