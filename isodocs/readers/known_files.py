"""Documents of unchanged files, built from the parse cache's record of them (see parsecache.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from isodocs.errors import UsageError
from isodocs.model import Document
from isodocs.model.config import Config
from isodocs.readers.documents import (
    DATE_FIELDS,
    LoadProblem,
    _parse_discovered,
    new_document,
    read_text,
)
from isodocs.readers.documents import parse_text as _parse_text

if TYPE_CHECKING:  # imported with the cache itself (loader.read_system): a run without one never loads it
    from isodocs.readers.parsecache import KnownFile, ParseCache

# Fields of a Document that are no part of its front matter's typed view.
_NOT_TYPED = frozenset({"path", "body_line", "content_key", "links", "front_read", "body_read"})


# What a document holds as written: not in the files table (see _KnownFiles).
_WRITTEN = frozenset({"abspath", "data", "lines", "raw_scalars", "body"})


# The typed view of a document as the cache's files table keeps it (dates as day numbers).
TYPED_FIELDS = tuple(
    f.name for f in dataclasses.fields(Document) if f.name not in _WRITTEN and f.name not in _NOT_TYPED
)


_typed_values = operator.attrgetter(*TYPED_FIELDS)  # doc -> tuple of its typed fields


_DATE_SLOTS = tuple(TYPED_FIELDS.index(name) for name in DATE_FIELDS)


_from_ordinal = dt.date.fromordinal


class _KnownFiles:
    """Documents of the files that have not changed since an earlier run, from the cache's record.

    A file whose status (size, mtime, ctime, inode) is the one recorded is not read:
    its document gets the recorded typed view and load problems, with ``read`` False.
    What it holds as written (front matter, key lines, body) is read by ``complete``,
    which ``ManagementSystem.complete`` calls for whoever needs it. Any other file is
    read and parsed, and recorded for the next run. See parsecache.py for why the
    status can be trusted.
    """

    def __init__(self, root: Path, config: Config, cache: ParseCache) -> None:
        from isodocs.readers.parsecache import KnownFile, code_fingerprint, context_hash, stable_repr

        self.root, self.config, self.cache = root, config, cache
        self.new_record = KnownFile  # (imported with the cache, once: see load_system)
        # What the loader's result depends on besides the file: its code and the configuration.
        self.context = context_hash(code_fingerprint(), stable_repr(config))

    def load(self, path: str, rel: str) -> tuple[Document | None, list[LoadProblem]]:
        """The document of a file ``discover`` found: from its record when the file has not changed, else read."""
        if self.cache.recorded(rel):  # compare the status with the record's before reading anything
            try:
                info = os.lstat(path)
            except OSError:
                info = None
            if info is not None and stat.S_ISREG(info.st_mode):  # not a symlink: those take the long way
                known = self.cache.known_file(rel, info, self.context)
                if known is not None:
                    return self._from_record(rel, known)
        # The status recorded is the one of the file read, taken before reading it (None through a symlink).
        doc, problems, status = _parse_discovered(self.root, path, rel, self.config, self.cache)
        if status is not None and doc is not None and doc.content_key:
            typed = list(_typed_values(doc))
            for slot in _DATE_SLOTS:
                if typed[slot] is not None:
                    typed[slot] = typed[slot].toordinal()
            record = self.new_record(doc.content_key, doc.body_line, typed, [_as_list(p) for p in problems])
            self.cache.put_file(rel, status, self.context, record)
        return doc, problems

    def _from_record(self, rel: str, known: KnownFile) -> tuple[Document, list[LoadProblem]]:
        values = dict(zip(TYPED_FIELDS, known.typed, strict=True))
        for name in DATE_FIELDS:  # (the record is saved again at the end of the run: left as it is)
            if values[name] is not None:
                values[name] = _from_ordinal(values[name])
        doc = new_document(
            values,
            path=rel,
            abspath=os.path.join(self.root, rel),
            data={},
            lines={},
            raw_scalars={},
            body=None,  # read by read_body when asked for
            body_line=known.body_line,
            content_key=known.content_key,
            read=False,
        )
        return doc, [LoadProblem(*problem) for problem in known.problems]

    def read_front(self, doc: Document) -> None:
        """The front matter as written and the key lines of a document built from a record: kept by the cache
        when costly to parse again, else read from the file (with the body)."""
        stored = self.cache.stored_front(doc.content_key) if doc.content_key else None
        if stored is None:
            self._read(doc)
            return
        doc.data, doc.lines, doc.raw_scalars = stored  # (kept as parse_text made it: keys already text)
        doc.front_read = True

    def read_body(self, doc: Document) -> None:
        """Read the body of a document built from a record (and its front matter as written)."""
        self._read(doc)

    def _read(self, doc: Document) -> None:
        """Fill what a document built from a record holds as written, from its file, checked to be the one
        recorded: one read for both front matter and body (``complete`` asks for both)."""
        text = self._current_text(doc)
        as_read = _parse_text(doc.path, doc.abspath, text, self.config)[0]
        if as_read is None:  # the text is the one recorded, which gave a document
            raise UsageError(f"{doc.path}: the parse cache is inconsistent; run again with ISODOCS_NO_CACHE=1")
        if not doc.front_read:
            doc.data, doc.lines, doc.raw_scalars = as_read.data, as_read.lines, as_read.raw_scalars
            doc.front_read = True
        if not doc.body_read:
            doc.body, doc.body_read = as_read.body, True

    def _current_text(self, doc: Document) -> str:
        text, _problem = read_text(doc.abspath, doc.path, self.config.max_file_bytes, self.root)
        if text is None or self.cache.document_key(doc.path, text) != doc.content_key:
            raise UsageError(f"{doc.path} changed while isodocs was reading the repository: run the command again")
        return text


def _as_list(problem: LoadProblem) -> list[Any]:
    return [problem.rule, problem.path, problem.line, problem.message, problem.id]
