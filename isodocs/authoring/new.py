"""``isodocs new``: a new draft document from a per-type template.

The template for a type is ``templates/<type>.md`` in the repository when that
file exists, else the one shipped in ``isodocs/templates/documents/``. A template
is Markdown with an optional front matter of defaults (``classification``,
``review_interval``, ``retention_years``, ``tags`` ...) and a body in which
``{{ title }}``, ``{{ id }}``, ``{{ owner }}`` and ``{{ organization }}`` are
replaced. isodocs sets the identity fields itself: id, title, type, version,
status, owner, clauses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from isodocs.app.load import load_system
from isodocs.authoring.common import (
    IdAllocator,
    check_owner,
    default_folder,
    document_text,
    dump_front_matter,
    parse_clause_option,
    relative,
    slugify,
)
from isodocs.authoring.training_record import ACKNOWLEDGEMENT_ID, TRAINING_FOLDER, TrainingFields, training_fields
from isodocs.errors import UsageError
from isodocs.model import TYPE_PREFIX
from isodocs.readers.documents import split_front_matter
from isodocs.readers.safefs import read_repo_text
from isodocs.readers.yamlio import YamlError, parse_yaml

TEMPLATE_FOLDER = "templates"  # in the user's repository
# Fields a template may not set: new decides them.
IDENTITY_FIELDS = ("id", "title", "type", "version", "status", "owner", "clauses", "date", "source")


@dataclass
class NewOptions:
    root: Path
    type: str
    title: str
    owner: str
    clauses: str = ""  # "iso9001:7.5,iso27001:A.5.33"
    path: Path | None = None  # folder or .md file; default: the type's folder
    source: str | None = None  # external documents: where from; nonconformities: audit | incident | ...
    today: dt.date | None = None
    date: dt.date | None = None  # records: the date; audits: the start; nonconformities: the day raised
    grade: str | None = None  # nonconformities
    audit: str | None = None  # nonconformities from an audit
    training: TrainingFields | None = None  # training records: attendees, trainer, method, documents, topic
    dry_run: bool = False
    # management reviews (`management-review prepare`): what the repository records, written under each input
    review_facts: Any = None


@dataclass
class NewResult:
    path: str  # relative to the repo root
    id: str
    text: str
    template: str  # where the template came from
    written: bool
    notes: list[str] = field(default_factory=list)


@dataclass
class Template:
    defaults: dict[str, Any]
    body: str
    origin: str


def load_template(root: Path | None, doc_type: str) -> Template:
    """The repository's ``templates/<type>.md`` if present, else the built-in one."""
    override = root / TEMPLATE_FOLDER / f"{doc_type}.md" if root else None
    if root and override and override.is_file():
        origin = relative(root, override)
        text = read_repo_text(root, f"{TEMPLATE_FOLDER}/{doc_type}.md")  # the one reader: no way out
    else:
        origin = f"built-in {doc_type} template"
        text = resources.files("isodocs").joinpath("templates", "documents", f"{doc_type}.md").read_text("utf-8")
    text = text.replace("\r\n", "\n")
    split = split_front_matter(text)
    if split is None:
        return Template({}, text, origin)
    front, body, _ = split
    try:
        defaults = parse_yaml(front, line_offset=1).data or {}
    except YamlError as exc:
        raise UsageError(exc.message, origin, exc.line) from None
    if not isinstance(defaults, dict):
        raise UsageError("template front matter must be a mapping of default fields", origin, 2)
    return Template({k: v for k, v in defaults.items() if k not in IDENTITY_FIELDS}, body, origin)


def fill(body: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        body = body.replace("{{ " + name + " }}", value).replace("{{" + name + "}}", value)
    return body


def target_path(root: Path, doc_type: str, title: str, wanted: Path | None, paths: list[str]) -> Path:
    """Where the new file goes: ``wanted`` (a folder or a .md file) or the type's folder."""
    if wanted is None:
        path = root / default_folder(doc_type, paths) / f"{slugify(title)}.md"
    else:
        base = wanted if wanted.is_absolute() else root / wanted
        path = base if base.suffix == ".md" else base / f"{slugify(title)}.md"
    rel = relative(root, path)
    if not any(rel == p or rel.startswith(p.rstrip("/") + "/") for p in paths):
        if wanted is None:  # the type's own folder (objectives/) is not among the document folders
            folder = rel.rsplit("/", 1)[0]
            raise UsageError(
                f"{doc_type} documents go in {folder}/, which is not among the document folders (paths: "
                f"{', '.join(paths)} in isodocs.yml): add {folder} to paths:, or pass --path FOLDER"
            )
        raise UsageError(
            f"--path: {rel} is outside the document folders (paths: {', '.join(paths)} in isodocs.yml); "
            "isodocs would not see it"
        )
    if path.name.lower() in ("index.md", "readme.md"):
        raise UsageError(f"--path: {path.name} is a section page, not a document; choose another file name")
    return path


# The improvement cycle's records: the subfolder of records/ each goes to by default.
CYCLE_FOLDERS = {"audit": "audits", "nonconformity": "nonconformities", "management-review": "management-reviews"}
CYCLE_COMMENTS = {
    "audit": {
        "status": "planned -> completed (write conclusion:) or cancelled",
        "kind": "internal | certification | surveillance | supplier",
    },
    "nonconformity": {
        "status": "open -> closed (write closed: DATE) after an effective check",
        "grade": "major | minor | observation | opportunity",
    },
    "management-review": {
        "status": "planned -> held (with chair, attendees, inputs and actions)",
        "date": "the day it is held",
    },
}
# Fields the author fills in as the record progresses, written as comments to show their shape.
CYCLE_HINTS = {
    "audit": (
        "# lead_auditor: PERSON      # a key of people; required when completed, not an owner of the documents\n"
        "# auditors: [PERSON]\n"
        "# auditees: [PERSON]\n"
        "# documents: [PRO-001]      # the documents audited\n"
        "# conclusion: Conforming.   # when completed\n"
    ),
    "nonconformity": (
        "# correction: What was done at once to contain it.\n"
        "# root_cause: The cause found (needed to close a major or minor one).\n"
        "# actions:                  # add done: DATE to each when it is done\n"
        "#   - {action: What is to be done, owner: PERSON, due: YYYY-MM-DD}\n"
        "# effectiveness:            # to close a major or minor one\n"
        "#   due: YYYY-MM-DD\n"
        "#   checked: YYYY-MM-DD\n"
        "#   by: PERSON\n"
        "#   result: effective       # effective | not-effective\n"
    ),
    "management-review": (
        "# chair: PERSON             # required when held\n"
        "# attendees: [PERSON]\n"
        "# inputs:                   # each input slug of the headings below: where the meeting addressed it\n"
        "#   previous-actions: Section 1, 5 of 6 actions closed\n"
        "# actions:                  # the decisions; add done: DATE to each when it is done\n"
        "#   - {action: What is to be done, owner: PERSON, due: YYYY-MM-DD}\n"
    ),
}
# An objective's plan (ISO 9001 6.2.2), written as comments to show its shape; required once in review.
OBJECTIVE_HINTS = (
    "# measure: What is measured, and from which data\n"
    '# unit: "%"\n'
    "# baseline: 91.5             # the value when the objective was set\n"
    "# target: 95                 # at least this; direction: decrease for at most\n"
    "# due: YYYY-MM-DD\n"
    "# progress: on-track         # on-track | at-risk | achieved | missed | cancelled\n"
    "# results:                   # append each measurement (no new version needed)\n"
    "#   - {date: YYYY-MM-DD, value: 92.8}\n"
    "# actions:\n"
    "#   - {action: What is to be done, owner: PERSON, due: YYYY-MM-DD}\n"
)


def check_cycle_options(options: NewOptions, system: Any, clauses: dict[str, list[str]]) -> None:
    """Refuse what would make an invalid audit or nonconformity (exit 2, saying what to pass)."""
    from isodocs.model.cycle import GRADES, SOURCES

    if options.type == "audit":
        if not clauses:
            raise UsageError("an audit needs its scope: pass --clauses, e.g. iso9001:8.4,iso27001:A.5.19")
        return
    if options.type == "management-review":
        return
    if options.grade is not None and options.grade not in GRADES:
        raise UsageError(f"--grade {options.grade}: one of {', '.join(GRADES)}")
    source = options.source or ("audit" if options.audit else "other")
    if source not in SOURCES:
        raise UsageError(f"--source {source}: a nonconformity's source is one of {', '.join(SOURCES)}")
    if source == "audit" and not options.audit:
        raise UsageError("a nonconformity from an audit names it: pass --audit AUD-...")
    if options.audit:
        found = system.get(options.audit)
        if found is None or found.type != "audit":
            what = "no document" if found is None else f"a {found.type}"
            raise UsageError(f"--audit {options.audit} is {what} of this repository, not an audit")


def cycle_fields(options: NewOptions, owner_key: str, day: str) -> dict[str, Any]:
    """The front matter of a new audit (planned) or nonconformity (open), before the template's defaults."""
    if options.type == "audit":
        return {"status": "planned", "kind": "internal", "owner": owner_key, "start": day, "end": day}
    if options.type == "management-review":
        return {"status": "planned", "date": day, "owner": owner_key}
    fields: dict[str, Any] = {"status": "open", "grade": options.grade or "minor"}
    fields["source"] = options.source or ("audit" if options.audit else "other")
    if options.audit:
        fields["audit"] = options.audit
    fields.update({"raised": day, "owner": owner_key})
    return fields


def review_agenda(system: Any, facts: Any) -> str:
    """The inputs of a management review as headings, for every standard in scope (with what is known)."""
    from isodocs.analyses.review_draft import agenda_markdown, review_facts
    from isodocs.model.management_review import agenda

    sections = agenda(system.config.standards, system.catalogs)
    return agenda_markdown(sections, review_facts(facts) if facts is not None else None)


def create_document(options: NewOptions) -> NewResult:
    """Write a new draft; refuses to overwrite. Raises UsageError for bad input."""
    if options.type not in TYPE_PREFIX:
        raise UsageError(f"unknown type '{options.type}'; one of: {', '.join(TYPE_PREFIX)}")
    title = options.title.strip()
    if not title:
        raise UsageError("--title must not be empty")
    system, _ = load_system(options.root, options.today)
    config = system.config
    owner_key = check_owner(options.owner, config)  # the same person resolver as import: CISO -> ciso
    clauses, remarks = parse_clause_option(options.clauses, system.catalogs, config)
    if options.type == "record" and not clauses:
        raise UsageError(
            "a record is final once merged, so it needs its clauses now: pass --clauses, e.g. iso9001:9.2.2"
        )
    if options.type == "external" and not options.source:
        raise UsageError("an external document needs --source (publisher, reference or URL)")

    if options.type in CYCLE_FOLDERS:
        check_cycle_options(options, system, clauses)
    wanted = options.path
    if wanted is None and options.type in CYCLE_FOLDERS:
        wanted = Path(default_folder(options.type, config.paths)) / CYCLE_FOLDERS[options.type]
    if wanted is None and options.type == "training":  # records/training/
        wanted = Path(default_folder("training", config.paths)) / TRAINING_FOLDER
    path = target_path(options.root, options.type, title, wanted, config.paths)
    rel = relative(options.root, path)
    if path.exists():
        raise UsageError(f"{rel} already exists; not overwritten. Choose another --title or --path")

    # Acknowledgements' ids (TRN-YYMMDDNNNN, see acknowledge.py) are left out of the count: the next
    # training record after them is TRN-014, not TRN-2611270422.
    doc_id = IdAllocator(i for i in system.by_id if not ACKNOWLEDGEMENT_ID.match(i)).next(TYPE_PREFIX[options.type])
    template = load_template(options.root, options.type)
    owner = config.people[owner_key]
    data: dict[str, Any] = {"id": doc_id, "title": title, "type": options.type}
    comments: dict[str, str] = {}
    day = (options.date or system.today).isoformat()
    if options.type == "record":
        data["date"] = day
        data["owner"] = owner_key
    elif options.type in CYCLE_FOLDERS:
        data.update(cycle_fields(options, owner_key, day))
    elif options.type == "training":  # a record: evidence for 7.2 of each standard without clauses
        data.update(training_fields(system, options.training or TrainingFields(), owner_key))
    else:
        data.update({"version": "0.1", "status": "draft", "owner": owner_key})
        comments["status"] = "draft -> in-review -> approved; see the owner's guide"
    if options.source and options.type != "nonconformity":
        data["source"] = options.source
    data.update(template.defaults)
    data.setdefault("classification", "internal")
    if options.type == "record":
        data.setdefault("retention_years", 6)
    notes: list[str] = [f"--clauses: {remark.text}" for remark in remarks]
    if options.type == "management-review":
        if clauses:  # it counts for 9.3 of every standard without them; these add to it
            data["clauses"] = clauses
        comments.update(CYCLE_COMMENTS[options.type])
    elif options.type in CYCLE_FOLDERS:
        # an audit's clauses are its scope, a nonconformity's the requirements not met
        data["scope" if options.type == "audit" else "against"] = clauses
        if not clauses:
            del data["against"]
        comments.update(CYCLE_COMMENTS[options.type])
    elif clauses:
        data["clauses"] = clauses
    elif options.type != "training":
        notes.append("no clauses yet: add clauses: before review (isodocs check warns until you do)")
    front = dump_front_matter(data, comments)
    if options.type in CYCLE_FOLDERS:
        front += CYCLE_HINTS[options.type]
    elif options.type == "objective":
        front += OBJECTIVE_HINTS
    if options.type not in CYCLE_FOLDERS and options.type != "training" and not clauses:
        front += '# clauses:                 # the clauses this document satisfies, e.g.\n#   iso9001: ["7.5"]\n'
    body = fill(
        template.body,
        {
            "title": title,
            "id": doc_id,
            "owner": owner.label,
            "organization": config.organization,
            "inputs": review_agenda(system, options.review_facts) if options.type == "management-review" else "",
        },
    )
    text = document_text(front, body)
    if not options.dry_run:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
                handle.write(text)
        except FileExistsError:
            raise UsageError(f"{rel} already exists; not overwritten") from None
    return NewResult(path=rel, id=doc_id, text=text, template=template.origin, written=not options.dry_run, notes=notes)
