"""The pack's files besides the PDFs, its manifest, the zip itself, and its verification.

The zip is reproducible: entries in sorted order, each with the commit's date
(UTC) as its time stamp, the same permissions and the same compression, so the
same revision gives the same bytes and the same SHA-256. ``manifest.json`` names
the commit and lists the SHA-256 of every other file; ``verify_pack`` checks a
pack against it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isodocs import __version__
from isodocs.analyses.history import blob_id
from isodocs.errors import UsageError
from isodocs.model import Document
from isodocs.pack.revision import RevisionInfo
from isodocs.readers.documents import split_front_matter
from isodocs.reporters.tables import to_csv
from isodocs.site.markdown import rewrite_withheld_links

if TYPE_CHECKING:
    from isodocs.pack.context import PackContext

MANIFEST = "manifest.json"
FORMAT = "isodocs-pack/1"
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)  # the earliest time a zip entry can carry


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _register_csv(docs: list[Document]) -> str:
    header = [
        "id",
        "title",
        "type",
        "version",
        "status",
        "owner",
        "approved_by",
        "approved_on",
        "effective_date",
        "last_reviewed",
        "next_review",
        "date",
        "retention_years",
        "classification",
        "path",
    ]
    rows = [
        [
            doc.id,
            doc.title,
            doc.type,
            doc.version,
            doc.effective_status,
            doc.owner,
            " ".join(doc.approved_by),
            _date(doc.approved_on),
            _date(doc.effective_date),
            _date(doc.last_reviewed),
            _date(doc.next_review),
            _date(doc.date),
            doc.retention_years,
            doc.classification or "internal",
            doc.path,
        ]
        for doc in docs
    ]
    return to_csv(header, rows)


def _split(ids: tuple[str, ...], in_pack: set[str]) -> tuple[str, int]:
    """(the ids that are in the pack, space-separated; how many are not)."""
    shown = sorted(i for i in ids if i in in_pack)
    return " ".join(shown), len(ids) - len(shown)


def _soa_csv(context: PackContext, in_pack: set[str]) -> str:
    rows = []
    for row in context.inputs.soa or []:
        shown, hidden = _split(row.documents, in_pack)
        applicable = "yes" if row.applicable else "no" if row.applicable is False else "not decided"
        rows.append([row.control.id, row.control.title, applicable, row.status, row.justification, shown, hidden])
    header = ["control", "title", "applicable", "status", "justification", "documents", "documents_not_in_pack"]
    return to_csv(header, rows)


def _coverage_csv(context: PackContext, in_pack: set[str]) -> str:
    rows = []
    for coverage in context.inputs.coverage or []:
        for row in coverage.rows:
            status = "excluded" if row.excluded else "gap" if row.gap else "covered" if row.covered else ""
            shown, hidden = _split(row.documents, in_pack)
            rows.append(
                [
                    coverage.catalog.key,
                    row.clause.id,
                    row.clause.title,
                    row.clause.documented_information or "",
                    status,
                    row.gap_reason,
                    shown,
                    hidden,
                ]
            )
    header = [
        "standard",
        "clause",
        "title",
        "documented_information",
        "status",
        "gap_reason",
        "documents",
        "documents_not_in_pack",
    ]
    return to_csv(header, rows)


def record_copy(context: PackContext, doc: Document) -> bytes:
    """The record's file as committed, except that links to files not in the pack are made text.

    As on the site: a withheld document's path never travels in a link. The front
    matter and every other byte are as committed; the manifest gives the committed
    file's git blob id, so the copy can be compared with the repository.
    """
    data = (context.tree / doc.path).read_bytes()
    text = data.decode("utf-8", "surrogateescape")
    # Where the body starts, by the loader's own rule (a closing "..." or "--- " too; CRLF
    # kept): a body's horizontal rule must not be taken for the end of the front matter.
    parts = split_front_matter(text)
    split = len(text) - len(parts[1]) if parts is not None else 0
    body, rewritten = rewrite_withheld_links(text[split:], lambda target: context.policy.keep(doc.path, target))
    return data if not rewritten else (text[:split] + body).encode("utf-8", "surrogateescape")


def data_files(context: PackContext) -> dict[str, bytes]:
    """The CSVs, the records as committed, and (with --force) the findings."""
    from isodocs.pack.context import visible_findings

    docs = context.manual + context.records
    in_pack = {doc.id for doc in docs if doc.id}
    files = {
        "register.csv": _register_csv(docs).encode("utf-8"),
        "coverage.csv": _coverage_csv(context, in_pack).encode("utf-8"),
    }
    if context.inputs.soa is not None:
        files["soa.csv"] = _soa_csv(context, in_pack).encode("utf-8")
    for doc in context.records:
        files[f"records/{doc.path}"] = record_copy(context, doc)
    if context.forced:
        shown, hidden = visible_findings(context.inputs)
        report = {
            "commit": context.info.sha,
            "checked_as_of": context.info.issued.isoformat(),
            "findings": shown,
            "not_shown": hidden,
        }
        files["findings.json"] = _json(report)
    return files


def _json(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _document_entry(context: PackContext, doc: Document) -> dict[str, Any]:
    people = context.inputs.system.config.people
    entry: dict[str, Any] = {"id": doc.id, "title": doc.title, "type": doc.type, "path": doc.path}
    if doc.is_record:
        entry |= {"date": _date(doc.date), "retention_years": doc.retention_years, "owner": doc.owner}
        entry["git_blob"] = blob_id((context.tree / doc.path).read_bytes())  # the file as committed
    else:
        entry |= {
            "version": doc.version,
            "status": doc.status,
            "owner": doc.owner,
            "approved_by": [
                {"key": key, "name": people[key].name if key in people else None} for key in doc.approved_by
            ],
            "approved_on": _date(doc.approved_on),
            "effective_date": _date(doc.effective_date),
            "last_reviewed": _date(doc.last_reviewed),
            "next_review": _date(doc.next_review),
        }
    entry["classification"] = doc.classification or "internal"
    return entry


def manifest(context: PackContext, files: dict[str, bytes]) -> bytes:
    """What was handed over: the commit, the isodocs version, every document, the SHA-256 of every file."""
    info = context.info
    errors = sum(1 for f in context.inputs.findings if f.severity.value == "error")
    warnings = sum(1 for f in context.inputs.findings if f.severity.value == "warning")
    data = {
        "format": FORMAT,
        "organization": context.inputs.system.config.organization,
        "commit": info.sha,
        "tags": list(info.tags),
        "committed": info.committed.isoformat(),
        "isodocs_version": __version__,
        "classification": context.level,
        "check": {"as_of": info.issued.isoformat(), "errors": errors, "warnings": warnings, "forced": context.forced},
        "documents": [_document_entry(context, doc) for doc in context.manual],
        "records": [_document_entry(context, doc) for doc in context.records],
        "files": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            for name, data in sorted(files.items())
        },
    }
    return _json(data)


def _entry(name: str, when: dt.datetime) -> zipfile.ZipInfo:
    stamp = max(when.astimezone(dt.timezone.utc), ZIP_EPOCH)
    info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, whatever system writes it
    info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
    return info


def check_output(output: Path) -> None:
    """Refuse an output path the zip cannot be written to, before any work is done."""
    if output.is_dir():
        raise UsageError(f"--output {output} is a folder; name the zip file to write")
    if not output.parent.is_dir():
        raise UsageError(f"--output {output}: the folder {output.parent} does not exist")


def write_zip(output: Path, files: dict[str, bytes], manifest_bytes: bytes, info: RevisionInfo) -> str:
    """Write the zip (atomically: a finished file or none); its SHA-256."""
    entries = {**files, MANIFEST: manifest_bytes}
    check_output(output)
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
            for name in sorted(entries):
                archive.writestr(_entry(name, info.committed), entries[name], compresslevel=9)
        os.chmod(temporary, 0o644)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return hashlib.sha256(output.read_bytes()).hexdigest()


@dataclass
class Verification:
    path: Path
    intact: bool
    commit: str | None = None
    tags: list[str] = field(default_factory=list)
    committed: str | None = None
    organization: str | None = None
    files: int = 0
    problems: list[str] = field(default_factory=list)
    sha256: str = ""  # of the zip, to compare with what was handed over


def verify_pack(path: Path) -> Verification:
    """Re-compute the SHA-256 of every file the manifest lists. UsageError when ``path`` is no pack."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"--verify {path}: cannot read it ({error.strerror or error})") from None
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise UsageError(f"--verify {path}: not a zip file, so not an isodocs pack") from None
    with archive:
        names = set(archive.namelist())
        if MANIFEST not in names:
            raise UsageError(f"--verify {path}: no {MANIFEST} in it, so not an isodocs pack")
        try:
            manifest_data = json.loads(archive.read(MANIFEST))
            listed: dict[str, dict[str, Any]] = manifest_data["files"]
        except (ValueError, KeyError, TypeError):
            raise UsageError(f"--verify {path}: its {MANIFEST} cannot be read") from None
        result = Verification(
            path=path,
            intact=True,
            commit=manifest_data.get("commit"),
            tags=list(manifest_data.get("tags") or []),
            committed=manifest_data.get("committed"),
            organization=manifest_data.get("organization"),
            files=len(listed),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        for name, expected in sorted(listed.items()):
            if name not in names:
                result.problems.append(f"{name}: missing")
                continue
            try:
                actual = hashlib.sha256(archive.read(name)).hexdigest()
            except (zipfile.BadZipFile, OSError, ValueError) as error:  # a damaged entry (CRC error)
                result.problems.append(f"{name}: cannot be read ({error})")
                continue
            if actual != expected.get("sha256"):
                result.problems.append(
                    f"{name}: changed (SHA-256 {actual}, the manifest says {expected.get('sha256')})"
                )
        for name in sorted(names - set(listed) - {MANIFEST}):
            result.problems.append(f"{name}: not in the manifest")
    result.intact = not result.problems
    return result
