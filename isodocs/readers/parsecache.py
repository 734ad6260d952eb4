"""A cache of what each file held, of per-document findings, and of front matter costly to parse again.

Reading and parsing every document, then running every per-document rule on it,
is most of what a check costs, and between two runs most documents are
unchanged. Four tables:

- documents: the findings of the per-document rules that look at nothing but
  the document (not at other documents: ``CrossDocumentRule`` in rules/registry.py), and the
  relative links of its body. Keyed by a hash of the document's path and whole
  text. The table holds the entries of one *context*: a hash of everything else
  those rules read (isodocs.yml, the catalogues, today's date and isodocs' own
  code; see ``rules.document_context``). In another context none is served.
- files: for each document file, its status (size, mtime, ctime, inode) when it
  was read, and what the loader made of it: the key of its text, the typed view
  of its front matter and the loader's problems. A file
  whose status is the same is not read again, the way Git's index trusts a
  file's status: any write to a file, even one that keeps its size and sets its
  mtime back, moves its ctime, which no user can set. Two guards: a file changed
  less than ``RACY_SECONDS`` before the run started is never recorded (a second
  write within the same tick of the file system's clock could otherwise keep
  all four), and the table is stored with the context of the loader (the
  configuration and isodocs' code), in another context none is served. (Not on
  Windows, where st_ctime is the creation time: there every file is read.) The body
  of such a document, and its front matter as written (its data and key lines),
  are read only when something asks for them (a rule that was not cached, the
  site), and then checked against the recorded key.
- front matter: the parse of a document's front matter as written (data, key
  lines, raw scalars), by the document's key, only for front matter that
  yamlio's subset reader does not take (block lists of flow mappings, comments,
  ...: nonconformities' actions, which the cycle's analyses read on every run).
  The usual front matter costs less to parse again from the file than to keep:
  storing one for every document made a tenth of a cold run (docs/decisions.md).
- versions: the `version:` of old revisions of documents, by git blob id, for
  `training-version-unknown`. A blob id is a hash of the content, so an entry
  never goes stale; a run that reads old revisions keeps the ones it used.

Entries not used by a run are dropped when it saves, so the cache holds only the
current files. A run that made only a few entries (under one in ``REWRITE_RATIO``
of those kept) does not rewrite the file: the next run makes them again, which
costs less than writing megabytes.

It lives in ``.isodocs-cache/`` at the repository root (which ignores itself in
Git). The file is signed with a key kept inside ``.git/``, which no commit can
write, and nothing in it is read before the signature is checked: a cache file
that someone committed (to make an invalid document look valid in CI) does not
carry a valid signature and is ignored. The format is ``marshal`` (plain data
only, several times faster to load than JSON; it cannot hold code that runs on
loading), tagged with the Python version that wrote it.

Set ``ISODOCS_NO_CACHE=1`` to neither read nor write it. A repository outside Git,
or a read-only checkout, simply runs without it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import hmac
import marshal
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any, NamedTuple

from isodocs import __version__

CACHE_DIR = ".isodocs-cache"
CACHE_FILE = "cache-v6.bin"
# marshal's format may change between Python versions: a file of another version is not read.
FORMAT = f"isodocs-parse-cache 6 python {sys.version_info[0]}.{sys.version_info[1]} marshal {marshal.version}"
KEY_FILE = "isodocs-cache.key"
# A file changed this close to the start of a run is read every time, its status not recorded
# (file systems keep times to 1 or 2 s at worst; the clock of the times lags a little).
RACY_SECONDS = 3

# The file is rewritten only when a run made at least one entry in REWRITE_RATIO of those it
# keeps: writing an entry costs about 4 us, making one again (reading, parsing, the rules)
# about 200 us; rewriting 13 MB after a change of 10 of 10,000 documents cost 0.1 s, more
# than redoing those 10 in every run until enough changes have gathered to be worth it.
REWRITE_RATIO = 200

# A file's status as recorded: size, mtime, ctime, inode.
Signature = tuple[int, int, int, int]
# On Windows st_ctime is the creation time, which a write does not move: there a file's
# status cannot tell an edit that kept size and mtime, so every file is read.
STATUS_TRUSTED = sys.platform != "win32"


def signature(info: os.stat_result) -> Signature:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)


def _now_ns() -> int:
    return time.time_ns()


def _git_dir(root: Path) -> Path | None:
    """The .git folder of the work tree holding ``root`` (a linked worktree's own one too)."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git
        if dot_git.is_file():  # a linked worktree or submodule: "gitdir: PATH"
            text = dot_git.read_text("utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                target = Path(text[len("gitdir:") :].strip())
                target = target if target.is_absolute() else folder / target
                return target if target.is_dir() else None
            return None
    return None


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """isodocs' version and the size and mtime of its code, schemas and catalogues.

    An edited rule or loader must not be served what the old code made of a file.
    """
    package = Path(__file__).resolve().parent.parent
    entries = [__version__]
    # Every layer's code that decides what a file gives (the readers, model and rules, and the analyses
    # per-document rules call, e.g. an action's or a training record's), the schemas and catalogues.
    layers = ("model", "readers", "rules", "analyses", "text", "schemas", "catalogs")
    for folder in (package, *(package / layer for layer in layers)):
        with os.scandir(folder) as found:
            for entry in sorted(found, key=lambda e: e.name):
                if entry.is_file():
                    info = entry.stat()
                    entries.append(f"{folder.name}/{entry.name}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(entries)


def stable(value: Any) -> Any:
    """``value`` in a form whose repr is the same in every process (sets sorted: hash order varies)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple(stable(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, dict):
        return tuple((repr(key), stable(item)) for key, item in value.items())
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(repr(item) for item in value))
    if isinstance(value, (list, tuple)):
        return tuple(stable(item) for item in value)
    return value


_STABLE_REPRS: dict[int, tuple[Any, str]] = {}


def stable_repr(value: Any) -> str:
    """``repr(stable(value))``, remembered for the same object: the loader and the rules
    both hash the configuration, which takes a few hundredths of a second."""
    known = _STABLE_REPRS.get(id(value))
    if known is not None and known[0] is value:
        return known[1]
    text = repr(stable(value))
    if len(_STABLE_REPRS) >= 8:
        _STABLE_REPRS.clear()
    _STABLE_REPRS[id(value)] = (value, text)  # holding the object: its id cannot be reused meanwhile
    return text


def _content_hash(*parts: bytes) -> str:
    """The key of a text in the cache's tables: SHA-256 (which CPUs compute in hardware: a third faster
    than BLAKE2b over the 36 MB of 10,000 documents), its first 160 bits in hex."""
    digest = hashlib.sha256(parts[0])
    for part in parts[1:]:
        digest.update(part)  # (not joined first: a copy of the whole text)
    return digest.hexdigest()[:40]


def context_hash(*parts: str) -> str:
    """One hash of several strings (the context a table's entries were made in)."""
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


class KnownFile(NamedTuple):
    """What the loader made of a file, as the files table records it (after the file's status)."""

    content_key: str
    body_line: int
    typed: list[Any]  # the typed fields of the document (loader.TYPED_FIELDS), dates as ordinals
    problems: list[list[Any]]  # the loader's problems, as [rule, path, line, message, id]


class FileRecord(NamedTuple):
    """One row of the files table: the file's status when read, then what the loader made of it."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    content_key: str
    body_line: int
    typed: list[Any]
    problems: list[list[Any]]


_SIZE, _MTIME, _CTIME, _INODE, _CONTENT_KEY = (
    FileRecord._fields.index(name) for name in ("size", "mtime_ns", "ctime_ns", "inode", "content_key")
)
_KNOWN = FileRecord._fields.index(KnownFile._fields[0])  # where the KnownFile part of a row starts


class ParseCache:
    """The four tables, loaded at the start of a run and saved at its end."""

    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_DIR
        self.started_ns = _now_ns()  # before any file of this run is looked at
        self.front: dict[str, bytes] = {}  # document key -> marshal of [data, lines, raw_scalars]
        self.front_used: set[str] = set()
        self.documents_context = ""
        self.documents: dict[str, list[Any]] = {}  # document key -> [findings, links]
        self.documents_used: set[str] = set()
        self.documents_consulted = False  # a run that ran no rules (coverage) keeps the table as it is
        self.files_context = ""
        self.files: dict[str, list[Any]] = {}  # path -> [*signature, document key, *loaded]
        self.files_seen: dict[str, list[Any]] = {}  # this run's records
        # git blob id -> the version its front matter gives ("" for none): a blob id names its content,
        # so an entry is never stale (training-version-unknown reads old revisions through it).
        self.versions: dict[str, str] = {}
        self.versions_used: set[str] = set()
        self.versions_consulted = False  # a run that read no old revision keeps the table as it is
        self.dirty = False
        self.fresh = 0  # entries this run made (not served from the file)
        self.loaded = False  # a valid file was read
        self.file_hits = 0
        self.key = self._signing_key(root)
        if self.key is not None:
            self._load()

    @classmethod
    def open(cls, root: Path) -> ParseCache | None:
        """The cache of the repository at ``root``, or None when caching is off or impossible."""
        if os.environ.get("ISODOCS_NO_CACHE", "").strip() not in ("", "0"):
            return None
        cache = cls(root)
        return cache if cache.key is not None else None

    # -- front matter that costs more to parse again than to keep -------------------------------------

    def stored_front(self, key: str) -> tuple[dict[str, Any], dict[Any, int], dict[str, str]] | None:
        """(data, key lines, raw scalars) of the front matter of the document with key ``key``, if kept."""
        entry = self.front.get(key)
        if entry is None:
            return None
        self.front_used.add(key)
        data, lines, raw_scalars = marshal.loads(entry)
        return data, lines, raw_scalars

    def put_front(self, key: str, data: dict[str, Any], lines: dict[Any, int], raw_scalars: dict[str, str]) -> None:
        """Keep a front matter's parse; one marshal cannot write (none that YAML's safe loader builds) is not kept."""
        try:
            self.front[key] = marshal.dumps([data, lines, raw_scalars])
        except ValueError:
            return
        self.front_used.add(key)
        self.dirty = True
        self.fresh += 1

    # -- versions of old revisions ---------------------------------------------------------------

    def blob_version(self, blob: str) -> str | None:
        """The version the revision with git blob id ``blob`` gives ("" for none), or None when not known."""
        self.versions_consulted = True
        version = self.versions.get(blob)
        if version is not None:
            self.versions_used.add(blob)
        return version

    def put_blob_version(self, blob: str, version: str) -> None:
        self.versions_consulted = True
        self.versions[blob] = version
        self.versions_used.add(blob)
        self.dirty = True
        self.fresh += 1

    # -- files ----------------------------------------------------------------------------------

    def recorded(self, path: str) -> bool:
        """Whether the files table has a row for ``path`` (else there is no status to compare: read the file)."""
        return path in self.files

    def known_file(self, path: str, info: os.stat_result, context: str) -> KnownFile | None:
        """What the loader recorded of the file at ``path``, when its status and the context
        are the same as then; None otherwise."""
        stored = self.files.get(path)
        if stored is None:
            return None
        if (  # the row's fields by their FileRecord names, without making one per file
            stored[_CTIME] != info.st_ctime_ns  # the most likely to differ: any write moves it
            or stored[_MTIME] != info.st_mtime_ns
            or stored[_SIZE] != info.st_size
            or stored[_INODE] != info.st_ino
            or context != self.files_context
        ):
            return None
        self.files_seen[path] = stored
        if stored[_CONTENT_KEY] in self.front:  # its front matter's parse is kept while the file is unchanged
            self.front_used.add(stored[_CONTENT_KEY])
        self.file_hits += 1
        return KnownFile(*stored[_KNOWN:])

    def put_file(self, path: str, info: os.stat_result, context: str, loaded: KnownFile) -> None:
        """Record what the loader made of a file read in full (``loaded``: document key, typed view, ...).

        A file changed just before the run is not recorded: see RACY_SECONDS.
        """
        if not STATUS_TRUSTED:
            return
        if max(info.st_mtime_ns, info.st_ctime_ns) >= self.started_ns - RACY_SECONDS * 1_000_000_000:
            return
        if self.files_context != context:
            self.files_context, self.files = context, {}
        self.files_seen[path] = [*signature(info), *loaded]  # stored as a list: marshal keeps plain types
        self.dirty = True
        self.fresh += 1

    # -- documents --------------------------------------------------------------------------------

    @staticmethod
    def document_key(path: str, text: str) -> str:
        """The key of a document's entry: its path and its whole text."""
        return _content_hash(path.encode("utf-8", "surrogatepass") + b"\0", text.encode("utf-8", "surrogatepass"))

    def document_results(self, key: str, context: str) -> tuple[list[tuple[Any, ...]], list[Any]] | None:
        """(findings as tuples, relative links) stored for this document in this context, or None."""
        self.documents_consulted = True
        if context != self.documents_context:
            return None
        entry = self.documents.get(key)
        if entry is None:
            return None
        self.documents_used.add(key)
        return entry[0], entry[1]

    def put_document_results(
        self, key: str, context: str, findings: list[tuple[Any, ...]], links: list[Any] | None
    ) -> None:
        if context != self.documents_context:
            self.documents_context, self.documents, self.documents_used = context, {}, set()
        self.documents[key] = [findings, links]
        self.documents_used.add(key)
        self.dirty = True
        self.fresh += 1

    # -- the file -----------------------------------------------------------------------------

    def _signing_key(self, root: Path) -> bytes | None:
        git_dir = _git_dir(root.resolve())
        if git_dir is None:
            return None
        path = git_dir / KEY_FILE
        try:
            key = path.read_bytes()
            if len(key) >= 32:
                return key
        except OSError:
            pass
        try:
            key = secrets.token_bytes(32)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(key)
            return key
        except OSError:  # a read-only checkout: run without a cache
            return None

    def _sign(self, payload: bytes | memoryview) -> str:
        assert self.key is not None
        return hmac.new(self.key, payload, hashlib.sha256).hexdigest()

    def _load(self) -> None:
        try:
            raw = (self.folder / CACHE_FILE).read_bytes()
        except OSError:
            return
        # Positions, not partition(): the payload is megabytes, and a slice of bytes is a copy.
        header_end = raw.find(b"\n")
        signature_end = raw.find(b"\n", header_end + 1)
        if header_end < 0 or signature_end < 0 or raw[:header_end].decode("ascii", "replace") != FORMAT:
            return  # another version wrote it: it is rewritten on save
        payload = memoryview(raw)[signature_end + 1 :]
        signature_text = raw[header_end + 1 : signature_end].decode("ascii", "replace")
        if not hmac.compare_digest(signature_text, self._sign(payload)):
            return  # not written by this clone: ignore it
        try:
            tables = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return
        if not isinstance(tables, dict):
            return
        self.loaded = True
        self.front = tables.get("front") or {}
        self.documents_context = tables.get("documents_context") or ""
        self.documents = tables.get("documents") or {}
        self.files_context = tables.get("files_context") or ""
        self.files = tables.get("files") or {}
        self.versions = tables.get("versions") or {}

    def save(self) -> None:
        """Write the entries this run used, when anything changed; never fails the run."""
        if self.key is None:
            return
        prune_documents = self.documents_consulted and len(self.documents_used) != len(self.documents)
        files_changed = self.files_seen.keys() != self.files.keys()
        prune_versions = self.versions_consulted and len(self.versions_used) != len(self.versions)
        changed = self.dirty or prune_documents or files_changed or prune_versions
        if not (changed or len(self.front_used) != len(self.front)):
            return
        kept_documents = len(self.documents_used) if self.documents_consulted else len(self.documents)
        kept = len(self.front_used) + kept_documents + len(self.files_seen)
        loaded = len(self.front) + len(self.documents) + len(self.files)
        if self.loaded and (self.fresh + abs(loaded - kept)) * REWRITE_RATIO < kept:
            return  # redoing these few next time costs less than rewriting the whole file now
        tables = {
            "front": _kept(self.front, self.front_used),
            "documents_context": self.documents_context,
            "documents": _kept(self.documents, self.documents_used) if self.documents_consulted else self.documents,
            "files_context": self.files_context,
            "files": self.files_seen,
            "versions": _kept(self.versions, self.versions_used) if self.versions_consulted else self.versions,
        }
        payload = marshal.dumps(tables)
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# isodocs' parse cache: never commit it\n*\n", "utf-8")
            temporary = self.folder / f".{CACHE_FILE}.{os.getpid()}.tmp"
            header = f"{FORMAT}\n{self._sign(payload)}\n".encode("ascii")
            with temporary.open("wb") as handle:  # header, then the payload (megabytes: not copied to join them)
                handle.write(header)
                handle.write(payload)
            os.replace(temporary, self.folder / CACHE_FILE)
            for old in self.folder.glob("cache-v*.bin"):  # another version's file: of no more use
                if old.name != CACHE_FILE:
                    old.unlink(missing_ok=True)
        except OSError:
            pass


def _kept(table: dict[str, Any], used: set[str]) -> dict[str, Any]:
    """The entries of ``table`` this run used (``used`` holds only keys of the table: when as many, all)."""
    if len(used) == len(table):
        return table
    return {key: table[key] for key in used if key in table}
