"""``isodocs management-review prepare``: write the next management review, its agenda pre-filled.

The review is a planned management-review file (``authoring/new.py``); under each
input of its agenda goes what the repository records since the last review held
(``analyses/planning.repository_facts``, ``analyses/review_draft.review_facts``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from isodocs.analyses.planning import repository_facts
from isodocs.app.load import load_system
from isodocs.authoring.new import NewOptions, NewResult, create_document
from isodocs.errors import UsageError


@dataclass
class PrepareOptions:
    root: Path
    owner: str | None = None  # default: the owner of the last review held
    title: str | None = None  # default: "Management review, <Month YYYY>"
    date: dt.date | None = None  # the meeting's date (default today)
    path: Path | None = None
    today: dt.date | None = None
    dry_run: bool = False


def prepare_review(options: PrepareOptions) -> NewResult:
    """Write a planned management review whose agenda holds what the repository records since the last one."""
    system, _ = load_system(options.root, options.today)
    day = options.date or system.today
    facts = repository_facts(system, day)
    owner = options.owner or (facts.last_review.owner if facts.last_review else None)
    if not owner:
        raise UsageError("no management review held yet to take its owner from: pass --owner PERSON")
    title = options.title or f"Management review, {day.strftime('%B %Y')}"
    return create_document(
        NewOptions(
            root=options.root,
            type="management-review",
            title=title,
            owner=owner,
            path=options.path,
            date=day,
            today=options.today,
            dry_run=options.dry_run,
            review_facts=facts,
        )
    )
