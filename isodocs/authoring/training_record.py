"""Training records written by isodocs: what ``new training`` and ``acknowledge`` put in one.

A training record (TRN) names who was trained (attendees), by whom (trainer),
how (method), on which documents at which versions (their current ones) or on
what topic. Both commands check their input here, so a record they write is
valid: known people, approved documents with a version.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from isodocs.analyses.training import METHODS
from isodocs.authoring.common import check_owner
from isodocs.errors import UsageError
from isodocs.model import Document, ManagementSystem

TRAINING_FOLDER = "training"  # under the records folder
# The ids `isodocs acknowledge` gives: the date and four digits (see acknowledge.py).
ACKNOWLEDGEMENT_ID = re.compile(r"^TRN-\d{10}$")


@dataclass
class TrainingFields:
    """What ``isodocs new training`` is told about the training."""

    attendees: list[str] = field(default_factory=list)
    trainer: str | None = None
    method: str = "classroom"
    documents: list[str] = field(default_factory=list)  # ids: trained on their current versions
    topic: str | None = None
    date: dt.date | None = None  # default: today


def approved_document(system: ManagementSystem, doc_id: str) -> Document:
    """The approved controlled document ``doc_id``; a UsageError saying why training cannot name it."""
    doc = system.get(doc_id.strip())
    if doc is None:
        raise UsageError(f"{doc_id} is no document of this repository")
    if doc.is_record or not doc.version:
        raise UsageError(f"{doc_id} is a {doc.type or 'record'}, not a controlled document with versions")
    if not doc.is_approved:
        raise UsageError(
            f"{doc_id} is {doc.status or 'not approved'}: only an approved document can be acknowledged "
            "or trained on (its current version is the one in force)"
        )
    return doc


def training_fields(system: ManagementSystem, fields: TrainingFields, owner: str) -> dict[str, Any]:
    """The front matter of a new training record after its id, title and type; UsageError for bad input."""
    if fields.method not in METHODS:
        raise UsageError(f"--method {fields.method}: one of {', '.join(METHODS)}")
    if not fields.attendees:
        raise UsageError("a training record names who was trained: pass --attendees KEY,KEY")
    attendees = list(dict.fromkeys(check_owner(key, system.config, "--attendees") for key in fields.attendees))
    if not fields.documents and not fields.topic:
        raise UsageError("name what the training was on: --documents ID,ID (their current versions) or --topic TEXT")
    day = fields.date or system.today
    if day > system.today:
        raise UsageError(f"--date {day.isoformat()} is in the future; record training once it was given")
    data: dict[str, Any] = {"date": day.isoformat(), "method": fields.method, "attendees": attendees}
    if fields.trainer:
        data["trainer"] = check_owner(fields.trainer, system.config, "--trainer")
    if fields.documents:
        docs = [approved_document(system, doc_id) for doc_id in dict.fromkeys(fields.documents)]
        data["documents"] = {doc.id: doc.version for doc in docs}
    if fields.topic:
        data["topic"] = fields.topic.strip()
    data["owner"] = owner
    return data
