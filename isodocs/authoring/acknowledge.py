"""``isodocs acknowledge``: one person's read-and-understood record for the current versions of documents.

Meant to be run by the person who read them, in a branch of their own, and
committed by them in a pull request (``acknowledgement-not-by-person`` warns
otherwise). The record's id is derived from the person, the documents and
the date rather than "the next free number", so that many people acknowledging
at the same time in parallel pull requests do not all take the same id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from isodocs.analyses.training import ACKNOWLEDGEMENT, trained_index
from isodocs.analyses.training_view import training_records
from isodocs.app.load import load_system
from isodocs.authoring.common import (
    IdAllocator,
    default_folder,
    document_text,
    dump_front_matter,
    relative,
    slugify,
)
from isodocs.authoring.training_record import TRAINING_FOLDER, approved_document
from isodocs.errors import UsageError
from isodocs.model import Document, ManagementSystem
from isodocs.readers.git import Commit, GitError, GitRepo
from isodocs.readers.training_git import authored_by


@dataclass
class AcknowledgeOptions:
    root: Path
    documents: list[str]  # ids
    person: str | None  # None: the person whose email or GitHub login is git's user.email
    date: dt.date | None = None  # default: today
    today: dt.date | None = None
    dry_run: bool = False


@dataclass
class AcknowledgeResult:
    person: str
    path: str | None = None  # None when nothing was written
    id: str | None = None
    text: str = ""
    acknowledged: list[tuple[str, str]] = field(default_factory=list)  # (id, version) in the record
    already: list[tuple[str, str, str]] = field(default_factory=list)  # (id, version, record id) acknowledged before
    written: bool = False


def acknowledge(options: AcknowledgeOptions) -> AcknowledgeResult:
    """Write one read-and-understood record; refuses unknown people and unapproved documents, never overwrites."""
    if not options.documents:
        raise UsageError("name at least one document id, e.g. `isodocs acknowledge POL-001 --by jsmith`")
    system, _ = load_system(options.root, options.today)
    person = options.person.strip() if options.person else _git_user(system)
    if person not in system.config.people:
        known = ", ".join(sorted(system.config.people)) or "(none yet)"
        raise UsageError(f"--by: '{person}' is not a key of people in isodocs.yml (known: {known})")
    day = options.date or system.today
    if day > system.today:
        raise UsageError(f"--date {day.isoformat()} is in the future; an acknowledgement is made on or before today")
    documents = [approved_document(system, doc_id) for doc_id in dict.fromkeys(options.documents)]
    index = trained_index(training_records(system))
    result = AcknowledgeResult(person)
    for doc in documents:
        assert doc.id and doc.version
        earlier = index.get((person, doc.id))
        if earlier is not None and earlier.version == doc.version:
            result.already.append((doc.id, doc.version, earlier.record))
        else:
            result.acknowledged.append((doc.id, doc.version))
    if not result.acknowledged:
        return result
    result.id = _record_id(system, person, result.acknowledged, day)
    chosen = set(result.acknowledged)
    result.text = _record_text(system, result.id, person, [d for d in documents if (d.id, d.version) in chosen], day)
    path = _record_path(system, options.root, person, result.acknowledged, day)
    result.path = relative(options.root, path)
    if not options.dry_run:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
                handle.write(result.text)
        except FileExistsError:
            raise UsageError(f"{result.path} already exists; not overwritten") from None
        result.written = True
    return result


def _git_user(system: ManagementSystem) -> str:
    """The key of the person git commits as here (``user.email``), as ``acknowledgement-not-by-person`` matches them."""
    repo = GitRepo.open(system.root)
    email = ""
    if repo is not None:
        try:
            email = repo.run("config", "user.email").strip()
        except GitError:
            email = ""
    if not email:
        raise UsageError("pass --by PERSON (your key in people of isodocs.yml): git has no user.email here")
    commit = Commit("", "", "", email, "")
    found = [key for key, p in system.config.people.items() if authored_by(commit, p.email, p.github)]
    if len(found) != 1:
        which = "no person" if not found else f"{len(found)} people ({', '.join(found)})"
        raise UsageError(f"pass --by PERSON: git's user.email {email} matches {which} in people of isodocs.yml")
    return found[0]


def _record_id(system: ManagementSystem, person: str, acknowledged: list[tuple[str, str]], day: dt.date) -> str:
    """TRN-YYMMDDNNNN: the date and four digits from a hash of person and documents, the next if taken."""
    digest = hashlib.sha256(f"{person}\0{acknowledged}".encode()).hexdigest()
    number = int(f"{day:%y%m%d}{int(digest[:8], 16) % 10_000:04d}")
    allocator = IdAllocator.for_system(system)
    while not allocator.claim(f"TRN-{number}"):
        number += 1
    return f"TRN-{number}"


def _record_path(
    system: ManagementSystem, root: Path, person: str, acknowledged: list[tuple[str, str]], day: dt.date
) -> Path:
    """records/training/<date>-<person>-<first id>[-and-N-more].md."""
    folder = root / default_folder("training", system.config.paths) / TRAINING_FOLDER
    first = acknowledged[0]
    more = f"-and-{len(acknowledged) - 1}-more" if len(acknowledged) > 1 else ""
    stem = slugify(f"{day.isoformat()} {person} {first[0]} {first[1]}{more}")
    path = folder / f"{stem}.md"
    if path.exists():
        raise UsageError(f"{relative(root, path)} already exists; not overwritten")
    return path


def _record_text(system: ManagementSystem, record_id: str, person: str, docs: list[Document], day: dt.date) -> str:
    """The record: front matter and a body in the person's words."""
    name = system.config.people[person].name
    titles = ", ".join(f"{doc.id} {doc.version}" for doc in docs)
    data = {
        "id": record_id,
        "title": f"Read and understood, {titles}",
        "type": "training",
        "date": day.isoformat(),
        "method": ACKNOWLEDGEMENT,
        "attendees": [person],
        "documents": {doc.id: doc.version for doc in docs},
        "owner": person,
        "classification": "internal",
    }
    lines = [f"{name} has read and understood:", ""]
    lines += [f"- {doc.id} {_plain(doc.title or '')}, version {doc.version}" for doc in docs]
    return document_text(dump_front_matter(data), "\n" + "\n".join(lines) + "\n")


def _plain(text: str) -> str:
    """A title as plain Markdown text: characters that would start markup are escaped."""
    return "".join("\\" + char if char in "\\`*_[]<>#|" else char for char in " ".join(text.split()))
