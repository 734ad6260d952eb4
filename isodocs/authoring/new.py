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
    source: str | None = None  # external documents only
    today: dt.date | None = None
    training: TrainingFields | None = None  # training records: attendees, trainer, method, documents, topic
    dry_run: bool = False


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
        raise UsageError(
            f"--path: {rel} is outside the document folders (paths: {', '.join(paths)} in isodocs.yml); "
            "isodocs would not see it"
        )
    if path.name.lower() in ("index.md", "readme.md"):
        raise UsageError(f"--path: {path.name} is a section page, not a document; choose another file name")
    return path


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

    wanted = options.path
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
    if options.type == "record":
        data["date"] = system.today.isoformat()
        data["owner"] = owner_key
    elif options.type == "training":  # a record: evidence for 7.2 of each standard without clauses
        data.update(training_fields(system, options.training or TrainingFields(), owner_key))
    else:
        data.update({"version": "0.1", "status": "draft", "owner": owner_key})
        comments["status"] = "draft -> in-review -> approved; see the owner's guide"
    if options.source:
        data["source"] = options.source
    data.update(template.defaults)
    data.setdefault("classification", "internal")
    if options.type == "record":
        data.setdefault("retention_years", 6)
    notes: list[str] = [f"--clauses: {remark.text}" for remark in remarks]
    if clauses:
        data["clauses"] = clauses
    elif options.type != "training":
        notes.append("no clauses yet: add clauses: before review (isodocs check warns until you do)")
    front = dump_front_matter(data, comments)
    if not clauses and options.type != "training":
        front += '# clauses:                 # the clauses this document satisfies, e.g.\n#   iso9001: ["7.5"]\n'
    body = fill(
        template.body,
        {"title": title, "id": doc_id, "owner": owner.label, "organization": config.organization},
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
