"""Reference rules: ids and relative links point at documents that exist and are current."""

from __future__ import annotations

import os
import posixpath
import re
import stat
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from isodocs.model import DerivedKey, Document, ManagementSystem, Severity
from isodocs.readers.safefs import AttachmentProblem, inside, is_markdown_name, is_within, real_root, resolve_attachment
from isodocs.rules.registry import Hit, cross_document_rule, system_rule
from isodocs.text.mdtext import prose_lines_with


def _references(doc: Document) -> Iterator[tuple[str, tuple[str | int, ...]]]:
    """(id, key path of the reference), from the typed view. The path, not the line: looking up a
    line reads the front matter as written, which a document from the cache leaves unread until needed."""
    for index, target in enumerate(doc.related):
        yield target, ("related", index)
    if doc.supersedes:
        yield doc.supersedes, ("supersedes",)
    if doc.audit is not None:  # the cycle's references: an NC's audit, an audit's documents
        yield doc.audit, ("audit",)
    for index, audited in enumerate(doc.audited_documents):
        if audited is not None:
            yield audited, ("documents", index)
    for target in doc.trained_on:  # a training record's documents
        yield target, ("documents", target)


@cross_document_rule("broken-reference", Severity.ERROR)
def broken_reference(doc: Document, system: ManagementSystem) -> Iterator[Hit]:
    """related, supersedes, an NC's audit or an audit's documents names no existing id.

    Correct the id in `related`, `supersedes`, `audit` or `documents`, or remove it.
    """
    for target, key in _references(doc):
        if target not in system.by_id:
            yield Hit(f"{target} is no document of this repository: correct the id or remove it", key=key)
        elif key == ("audit",) and (found := system.get(target)) is not None and found.type != "audit":
            yield Hit(
                f"audit: {target} is a {found.type}, not an audit: name the audit (AUD-...) that raised it", key=key
            )


@cross_document_rule("obsolete-reference", Severity.WARNING)
def obsolete_reference(doc: Document, system: ManagementSystem) -> Iterator[Hit]:
    """An approved document refers (related) to an obsolete one.

    Refer to the document that replaced the obsolete one (the one whose `supersedes` names it).
    """
    if not doc.related or not doc.is_approved:
        return
    obsolete = _obsolete_ids(system)
    for index, target in enumerate(doc.related):
        if target in obsolete:
            other = system.get(target)
            assert other is not None
            successor = _successors(system).get(target)
            fix = f"refer to {successor} instead" if successor else "refer to its replacement"
            yield Hit(f"{target} ({other.title}) is obsolete: {fix}", key=("related", index))


# Values derived once per run (see model.system.Derived).
OBSOLETE_IDS: DerivedKey[frozenset[str]] = DerivedKey("obsolete ids")
SUCCESSORS: DerivedKey[dict[str, str]] = DerivedKey("successor of each superseded id")
REAL_FOLDERS: DerivedKey[dict[str, str]] = DerivedKey("real path of each link's folder")
ATTACHMENT_VERDICTS: DerivedKey[dict[str, AttachmentProblem | None]] = DerivedKey("attachment verdicts")


def _obsolete_ids(system: ManagementSystem) -> frozenset[str]:
    """Ids whose document (the first with that id, as ``system.get``) is obsolete; built once per run."""
    return system.derived.get(
        OBSOLETE_IDS,
        lambda: frozenset(doc_id for doc_id, docs in system.by_id.items() if docs[0].status == "obsolete"),
    )


def _successors(system: ManagementSystem) -> dict[str, str]:
    """Superseded id -> the id of the first document (in load order) that supersedes it; built once per run."""
    def compute() -> dict[str, str]:
        successors: dict[str, str] = {}
        for doc in system.documents:
            if doc.supersedes and doc.id:
                successors.setdefault(doc.supersedes, doc.id)
        return successors

    return system.derived.get(SUCCESSORS, compute)


# [text](target "title"), ![alt](target), and reference definitions [label]: target.
# The link text may hold one level of brackets ([![alt](img)](target)) but no bare
# "[": with it, a long line of "[" would make the match quadratic.
# Both loops are written "unrolled" (a run of plain characters, then any number of a
# special piece each followed by a run): the engine takes a run in one step instead of
# one loop turn per character, 2.5 times faster over a document's links. The pieces start
# with different characters and none can end the text or target, so the match is the
# one of the plain form "(?:plain|special)*" (tests/test_link_targets.py checks them equal).
_PLAIN = r"[^\[\]\\]"  # a character of link text that is no bracket or backslash
_TEXT = _PLAIN + r"*(?:(?:\\.|\[" + _PLAIN + r"*(?:\\." + _PLAIN + r"*)*\])" + _PLAIN + r"*)*"
# <target with spaces>, or a target with balanced parentheses, one level: a ( or a character, then runs
_TARGET = r"<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))[^()\s]*(?:\([^()\s]*\)[^()\s]*)*"
_TITLE = r"""\s+(?:"[^"]*"|'[^']*'|\([^()]*\))"""
INLINE_LINK = re.compile(r"(?<!\\)!?\[(" + _TEXT + r")\]\(\s*(" + _TARGET + r")(?:" + _TITLE + r")?\s*\)")
REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\[\]]+\]:\s*(<[^>]*>|\S+)")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def relative_links(body: str) -> Iterator[tuple[str, int]]:
    """Relative link targets in a Markdown body with their 0-based line, code excluded."""
    for number, line in prose_lines_with(body, ("](", "]:")):  # an inline link or a reference definition
        for target in _line_targets(line):
            # SCHEME needs a ":": most targets hold none, and then no pattern is tried
            if target and not target.startswith(("#", "/")) and not (":" in target and SCHEME.match(target)):
                yield target, number


def _line_targets(line: str) -> list[str]:
    """The link targets of a prose line without their angle brackets: each inline link's
    (with an image inside its text after it), then a reference definition's."""
    targets: list[str] = []
    if "](" in line:  # INLINE_LINK needs one
        for match in INLINE_LINK.finditer(line):
            targets.append(match.group(2).strip("<>"))
            text = match.group(1)
            if "](" in text:  # an image inside the link text: [![alt](image.png)](target)
                targets.extend(inner.group(2).strip("<>") for inner in INLINE_LINK.finditer(text))
    if "]:" in line:  # REFERENCE_DEFINITION needs one
        definition = REFERENCE_DEFINITION.match(line)
        if definition:
            targets.append(definition.group(1).strip("<>"))
    return targets


# Where a root-relative link can start: one pass of a regular expression over the body is several
# times faster than the four substring searches of prose_lines_with, and most bodies have none.
ROOT_LINK_START = re.compile(r"\](?:\(|: )<?/")


def root_links(body: str) -> Iterator[tuple[str, int]]:
    """Root-relative link targets (``/x``, not ``//host``) in a Markdown body with their 0-based line."""
    if not ROOT_LINK_START.search(body):
        return
    for number, line in prose_lines_with(body, ("](/", "](</", "]: /", "]: </")):
        targets = [m.group(2) for m in INLINE_LINK.finditer(line)]
        targets += [inner.group(2) for m in INLINE_LINK.finditer(line) for inner in INLINE_LINK.finditer(m.group(1))]
        definition = REFERENCE_DEFINITION.match(line)
        if definition:
            targets.append(definition.group(1))
        for target in targets:
            target = target.strip("<>")
            if target.startswith("/") and not target.startswith("//"):
                yield target, number


def root_link_path(target: str) -> str:
    """The repository path a root-relative target names: without #fragment, ?query and the leading /."""
    return unquote(target.split("#", 1)[0].split("?", 1)[0]).lstrip("/")


def document_links(doc: Document) -> list[tuple[str, int, str, str]]:
    """The relative and root-relative links of a document's body, found once (the cache keeps them between runs).

    Each is (target, 0-based line, file part, path). For a relative link the file
    part is the target without its #fragment or ?query, unquoted, and the path is
    the repository path it names when lexical normalisation is exact (see
    ``_climbs_then_descends``), or "". A root-relative link (target ``/x``) has
    the file part "" and the path ``root_link_path(target)``: the rules that read
    relative links skip it by its empty file part.
    """
    if doc.links is None:
        body = doc.body
        links: list[tuple[str, int, str, str]] = []
        folder: str | None = None  # the document's folder, once it has a link to resolve
        for target, number in relative_links(body):
            file_part = _file_part(target)
            path = ""
            if file_part and _climbs_then_descends(file_part):
                if folder is None:
                    folder = posixpath.dirname(doc.path)
                path = posixpath.normpath(posixpath.join(folder, file_part))
            links.append((target, number, file_part, path))
        links.extend((target, number, "", root_link_path(target)) for target, number in root_links(body))
        doc.links = links
    return doc.links


def _file_part(target: str) -> str:
    """A relative target without its #fragment or ?query, unquoted (each step only where it changes something)."""
    if "#" in target or "?" in target:
        target = target.split("#", 1)[0].split("?", 1)[0]
    return unquote(target) if "%" in target else target


@cross_document_rule("broken-link", Severity.ERROR)
def broken_link(doc: Document, system: ManagementSystem) -> Iterator[Hit]:
    """A relative Markdown link points to no file.

    Correct the path, which is relative to the document's folder, or remove the link. Links to web pages need
    their `https://`.
    """
    documents = _document_paths(system)
    for target, number, file_part, path in document_links(doc):
        if not file_part or path in documents:
            continue  # a link to another document, the usual case: no file system call
        if "\x00" in file_part:
            yield Hit(
                f"link to {target} holds a NUL character (%00), which no file name can: correct the path",
                doc.body_line + number,
            )
            continue
        state = _link_state(system, doc.abspath.parent, file_part)
        if state == "missing":
            resolved = PurePosixPath(doc.path).parent / file_part
            yield Hit(
                f"link to {target} points to no file ({_normalise(resolved)}): correct the path or remove the link",
                doc.body_line + number,
            )
        elif state == "outside":
            yield Hit(
                f"link to {target} leaves the repository: link inside it or use a full URL", doc.body_line + number
            )


def _document_paths(system: ManagementSystem) -> frozenset[str]:
    """Paths of the loaded documents, computed once per run.

    Each exists (it was just read), and every folder on its path is a real
    folder inside the repository (discovery follows no symlinked folder).
    """
    return system.document_paths


def _climbs_then_descends(file_part: str) -> bool:
    """Whether a relative path is some "../" (or "./") and then names only.

    For such a path, from a document's (real) folder, lexical normalisation
    gives the same file as the file system would; after a name, a ".." could
    climb out of a symlinked folder, which only the file system can tell.
    """
    descending = False
    for part in file_part.split("/"):
        if part in ("..", ".", ""):
            if descending and part == "..":
                return False
        else:
            descending = True
    return True


def _link_state(system: ManagementSystem, folder: Path, file_part: str) -> str:
    """Whether a link target relative to ``folder`` is "ok", "missing" or "outside" the repository.

    Resolving every target's full path cost more than the rest of the check. Links
    point into a few hundred folders at most, so each folder's real path is
    resolved once per run and the target itself costs one lstat. Anything out of
    the ordinary (a symlinked target, a name like "..", an error other than "not
    found") takes the exact way: ``exists()`` and a full resolve.
    """
    parent, name = os.path.split(os.path.join(folder, file_part))
    if name not in ("", ".", ".."):
        real_folders = system.derived.get(REAL_FOLDERS, dict)
        real_parent = real_folders.get(parent)
        if real_parent is None:
            real_parent = real_folders[parent] = os.path.realpath(parent)
        repo_root = real_root(str(system.root))
        target = os.path.join(real_parent, name)
        try:
            mode: int | None = os.lstat(target).st_mode
        except FileNotFoundError:
            return "missing"
        except (OSError, ValueError):
            mode = None
        if mode is not None and not stat.S_ISLNK(mode):
            return "ok" if is_within(target, repo_root) else "outside"
    path = folder / file_part
    if not path.exists():
        return "missing"
    return "ok" if inside(system.root, path) else "outside"


def _normalise(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


# --- attachments: the files other than documents a page links, as the site decides them ---


def _attachment_links(doc: Document) -> Iterator[tuple[str, int, str]]:
    """(target, 0-based line, repository path) of each link to a file that is no Markdown document.

    Links leaving the repository are left to broken-link.
    """
    for target, number, file_part, path in document_links(doc):
        if not file_part or is_markdown_name(file_part):
            continue
        rel = path or posixpath.normpath(posixpath.join(posixpath.dirname(doc.path), file_part))
        if rel == ".." or rel.startswith(("../", "/")):
            continue
        yield target, number, rel


def _attachment_verdict(system: ManagementSystem, rel: str) -> AttachmentProblem | None:
    """``safefs.resolve_attachment`` for a repository path, once per run (the site's own decision)."""
    verdicts = system.derived.get(ATTACHMENT_VERDICTS, dict)
    if rel not in verdicts:
        folders = frozenset(p.strip("/") for p in system.config.paths)
        verdicts[rel] = resolve_attachment(system.root, rel, folders)[1]
    return verdicts[rel]


@cross_document_rule("attachment-not-published", Severity.WARNING)
def attachment_not_published(doc: Document, system: ManagementSystem) -> Iterator[Hit]:
    """A link points at a file the site never publishes: not of a passive type, or outside the document folders.

    The site publishes only regular files of passive types (raster images, PDF, text, CSV, office documents,
    ZIP, audio, video) inside the `paths` folders; HTML, XHTML, SVG, XML and scripts would run on the site's
    origin. Convert the file (SVG to PNG, HTML to PDF) and keep it beside the documents, or link to it by URL.
    """
    for target, number, rel in _attachment_links(doc):
        problem = _attachment_verdict(system, rel)
        if problem is not None and problem.kind in ("type", "outside", "not-regular", "too-large"):
            yield Hit(
                f"link to {target}: {problem.message}; the site shows it as not published",
                doc.body_line + number,
            )


@cross_document_rule("symlinked-attachment", Severity.ERROR)
def symlinked_attachment(doc: Document, system: ManagementSystem) -> Iterator[Hit]:
    """A linked file is a symlink (or lies in a symlinked folder) leading to a file the site may not publish.

    The site decides on the file a symlink leads to: a link to a hidden file (.git), to a Markdown document,
    to a file outside the `paths` folders or to a type that is not passive is not published. Replace the
    symlink by the file itself, or remove the link.
    """
    for target, number, rel in _attachment_links(doc):
        problem = _attachment_verdict(system, rel)
        if problem is not None and problem.kind == "symlink":
            yield Hit(f"link to {target}: {problem.message}; not published", doc.body_line + number)


@system_rule("withheld-attachment", Severity.WARNING)
def withheld_attachment(system: ManagementSystem) -> Iterator[Hit]:
    """A file linked by a withheld document is published because a published document links it too.

    Attachments have no classification of their own: the site publishes one when a published document links it.
    If the file is as confidential as the withheld document, remove the published document's link (or keep a
    separate, publishable version of the file); if it may be public, ignore this warning.
    """
    from isodocs.model.publishing import is_publishable, withheld_reason  # the site's own decision

    published_by: dict[str, Document] = {}
    withheld: list[tuple[Document, str, int, str]] = []
    for doc in system.documents:
        publishable = is_publishable(doc, system.config)
        for target, number, rel in _attachment_links(doc):
            if publishable:
                published_by.setdefault(rel, doc)
            else:
                withheld.append((doc, target, number, rel))
    for doc, target, number, rel in withheld:
        publisher = published_by.get(rel)
        if publisher is None or _attachment_verdict(system, rel) is not None:
            continue
        reason = withheld_reason(doc, system.config)
        yield Hit(
            f"{target} is published because {publisher.id or publisher.path} links it, although this document "
            f"{reason} and is withheld: remove that link if the file is as confidential as this document",
            doc.body_line + number,
            path=doc.path,
            id=doc.id,
        )


@system_rule("supersedes-cycle", Severity.ERROR)
def supersedes_cycle(system: ManagementSystem) -> Iterator[Hit]:
    """A supersedes chain leads back to where it started (A supersedes B supersedes A).

    Correct the supersedes fields so that each document names the older one it replaces; a document
    never supersedes itself or a newer one.
    """
    in_cycle: set[str] = set()
    for doc in system.documents:
        if not doc.id or not doc.supersedes or doc.id in in_cycle:
            continue
        chain = [doc.id]
        current = system.get(doc.supersedes)
        while current is not None and current.id and current.id not in chain:
            chain.append(current.id)
            current = system.get(current.supersedes) if current.supersedes else None
        if current is None or current.id != doc.id:
            continue  # the chain ends, or runs into a cycle that does not include this document
        in_cycle.update(chain)
        loop = " -> ".join([*chain, doc.id])
        for member in chain:
            for member_doc in system.by_id.get(member, []):
                yield Hit(
                    f"supersedes chain is a loop ({loop}): a document can only replace an older one; "
                    "correct the supersedes fields",
                    system.with_front(member_doc).line("supersedes"),
                    path=member_doc.path,
                    id=member,
                )
