"""Identity rules: unique ids, the prefix of each type, and the folder it lives in."""

from __future__ import annotations

from collections.abc import Iterator

from isodocs.model import TYPE_FOLDERS, TYPE_PREFIX, Document, ManagementSystem, Severity
from isodocs.rules.registry import DocumentContext, Hit, cross_document_rule, document_rule

KNOWN_FOLDERS = {folder for folders in TYPE_FOLDERS.values() for folder in folders}


@cross_document_rule("duplicate-id", Severity.ERROR)
def duplicate_id(doc: Document, system: ManagementSystem) -> Iterator[Hit]:
    """Two files share an id (reported on each).

    Give one of the documents a new id (`isodocs new` picks the next free one) and update the references to it.
    """
    if not doc.id or len(system.by_id.get(doc.id, ())) < 2:
        return
    others = [d.path for d in system.by_id[doc.id] if d is not doc]
    if others:
        yield Hit(f"id {doc.id} is also used by {', '.join(others)}; give each document its own id", key=("id",))


@document_rule("id-prefix", Severity.ERROR)
def id_prefix(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """The id prefix does not match the type.

    Rename the id to the prefix of its type (POL, PRO, WI, FRM, REC, EXT), or correct the type.
    """
    if not doc.id or doc.type not in TYPE_PREFIX:
        return
    expected = TYPE_PREFIX[doc.type]
    prefix = doc.id.split("-", 1)[0]
    if prefix != expected:
        yield Hit(
            f"id {doc.id} has prefix {prefix}, but a {doc.type} uses {expected}: rename it {expected}-NNN "
            f"or change type",
            doc.line("id"),
        )


@document_rule("wrong-folder", Severity.WARNING)
def wrong_folder(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """The type does not belong in the file's folder.

    Move the file to the folder of its type (`policies/`, `procedures/`, `forms/` or `records/`), or correct the
    type.
    """
    folders = TYPE_FOLDERS.get(doc.type or "")
    if not folders:  # unknown type (schema reports it) or external: any folder
        return
    containing = _document_folder(doc, context.config.paths)
    if containing in KNOWN_FOLDERS and containing not in folders:
        yield Hit(
            f"a {doc.type} belongs in {' or '.join(f + '/' for f in folders)}, not {containing}/: move the file",
            doc.line("type"),
        )


def _document_folder(doc: Document, paths: list[str]) -> str:
    """Name of the configured document folder that holds the file (e.g. 'policies')."""
    for base in paths:
        base = base.strip("/")
        if doc.path.startswith(base + "/"):
            return base.rsplit("/", 1)[-1]
    return doc.folder
