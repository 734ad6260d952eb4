"""Typed views of objectives and management reviews, read from a document's front matter as written.

``read_objective`` and ``read_review`` read ``doc.data`` into the plain dataclasses
of ``model/objectives.py`` and ``model/management_review.py``, tolerating a field
of the wrong type (the ``schema`` rule reports it; here it is None or left out).
The caller passes a document whose front matter was read
(``ManagementSystem.with_front``).
"""

from __future__ import annotations

from isodocs.model import Document, as_text
from isodocs.model.cycle import parse_actions, parse_date
from isodocs.model.management_review import ManagementReview
from isodocs.model.objectives import DIRECTIONS, Objective, as_number, parse_results


def read_objective(doc: Document) -> Objective:
    """The typed view of an objective document's front matter."""
    data = doc.data
    direction = as_text(data.get("direction"))
    return Objective(
        id=doc.id or doc.path,
        title=doc.title or "",
        path=doc.path,
        status=doc.status,
        owner=doc.owner,
        approved_on=doc.approved_on,
        measure=as_text(data.get("measure")) or "",
        unit=as_text(data.get("unit")) or "",
        baseline=as_number(data.get("baseline")),
        target=as_number(data.get("target")),
        direction=direction if direction in DIRECTIONS else "increase",
        due=parse_date(data.get("due")),
        progress=as_text(data.get("progress")),
        results=parse_results(data.get("results")),
        actions=tuple(parse_actions(data.get("actions"))),
        classification=doc.classification,
    )


def read_review(doc: Document) -> ManagementReview:
    """The typed view of a management review's front matter (values of the wrong type are left out)."""
    data = doc.data
    raw_inputs = data.get("inputs")
    inputs = (
        {str(k): v.strip() for k, v in raw_inputs.items() if isinstance(v, str)} if isinstance(raw_inputs, dict) else {}
    )
    attendees = data.get("attendees")
    standards = data.get("standards")
    return ManagementReview(
        id=doc.id or doc.path,
        title=doc.title or "",
        path=doc.path,
        status=doc.status,
        date=parse_date(data.get("date")) or doc.date,
        owner=doc.owner,
        chair=as_text(data.get("chair")),
        attendees=tuple(a for a in attendees if isinstance(a, str)) if isinstance(attendees, list) else (),
        standards=tuple(s for s in standards if isinstance(s, str)) if isinstance(standards, list) else (),
        inputs=inputs,
        actions=tuple(parse_actions(data.get("actions"))),
        classification=doc.classification,
    )


