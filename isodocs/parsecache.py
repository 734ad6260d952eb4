"""A content-addressed cache of parsed front matter and of per-document findings.

Parsing the YAML of every document, then running every per-document rule on it,
is most of what a check costs, and between two runs most documents are
unchanged. Two tables, both keyed by hashes of content, never of sizes or mtimes:

- front matter: the parse of a front matter depends on nothing but its text, so
  it is keyed by a hash of that text. An edited file has a new key whatever its
  size and mtime, so a stale entry can never be served.
- documents: the findings of the per-document rules that look at nothing but
  the document (not at other documents: see ``Rule.cross_document``), and the
  relative links of its body. Keyed by a hash of the document's path and whole
  text, and stored with the *context* they were computed in: a hash of
  everything else those rules read (isodocs.yml, the catalogues, today's date
  and isodocs' own code; see ``rules.document_context``). An entry is served
  only for the same key and the same context.

Entries not used by a run are dropped when it saves, so the cache holds only the
current files.

It lives in ``.isodocs-cache/`` at the repository root (which ignores itself in
Git). The file is signed with a key kept inside ``.git/``, which no commit can
write, and nothing in it is read before the signature is checked: a cache file
that someone committed (to make an invalid document look valid in CI) does not
carry a valid signature and is ignored. The format is ``marshal`` (plain data
only, several times faster to load than JSON; it cannot hold code that runs on
loading), tagged with the Python version that wrote it. Only plain data
(mappings with string keys, lists, strings, numbers, booleans, null) is cached;
anything else is parsed every time.

Set ``ISODOCS_NO_CACHE=1`` to neither read nor write it. A repository outside Git,
or a read-only checkout, simply runs without it.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from isodocs.yamlio import ParsedYaml

CACHE_DIR = ".isodocs-cache"
CACHE_FILE = "cache-v3.bin"
# marshal's format may change between Python versions: a file of another version is not read.
FORMAT = f"isodocs-parse-cache 3 python {sys.version_info[0]}.{sys.version_info[1]} marshal {marshal.version}"
KEY_FILE = "isodocs-cache.key"


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


def _plain(value: Any, depth: int = 0) -> bool:
    """Whether JSON gives ``value`` back exactly (same types, same keys)."""
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))
    if depth > 64:
        return False
    if isinstance(value, list):
        return all(_plain(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _plain(item, depth + 1) for key, item in value.items())
    return False


class ParseCache:
    """Front matter text -> ParsedYaml, loaded at the start of a run and saved at its end."""

    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_DIR
        self.entries: dict[str, list[Any]] = {}
        self.used: set[str] = set()
        self.documents: dict[str, list[Any]] = {}  # document key -> [context, findings, links]
        self.documents_used: set[str] = set()
        self.documents_consulted = False  # a run that ran no rules (coverage) keeps the table as it is
        self.dirty = False
        self.hits = self.misses = 0
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

    # -- lookups ------------------------------------------------------------------------------

    @staticmethod
    def _hash(front: str) -> str:
        return hashlib.blake2b(front.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()

    def get(self, front: str) -> ParsedYaml | None:
        key = self._hash(front)
        entry = self.entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        self.used.add(key)
        data, lines, raw_scalars, duplicates = entry
        return ParsedYaml(data=data, lines=lines, raw_scalars=raw_scalars, duplicates=duplicates)

    def put(self, front: str, parsed: ParsedYaml) -> None:
        # raw_scalars holds the texts of scalars: plain whenever the data is.
        if not (parsed.plain if parsed.plain is not None else _plain(parsed.data) and _plain(parsed.raw_scalars)):
            return
        key = self._hash(front)
        self.entries[key] = [parsed.data, parsed.lines, parsed.raw_scalars, parsed.duplicates]
        self.used.add(key)
        self.dirty = True

    @staticmethod
    def document_key(path: str, text: str) -> str:
        """The key of a document's entry: its path and its whole text."""
        return hashlib.blake2b(f"{path}\0{text}".encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()

    def document_results(self, key: str, context: str) -> tuple[list[tuple[Any, ...]], list[Any]] | None:
        """(findings as tuples, relative links) stored for this document in this context, or None."""
        self.documents_consulted = True
        entry = self.documents.get(key)
        if entry is None or entry[0] != context:
            return None
        self.documents_used.add(key)
        return entry[1], entry[2]

    def put_document_results(
        self, key: str, context: str, findings: list[tuple[Any, ...]], links: list[Any] | None
    ) -> None:
        self.documents[key] = [context, findings, links]
        self.documents_used.add(key)
        self.dirty = True

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

    def _sign(self, payload: bytes) -> str:
        assert self.key is not None
        return hmac.new(self.key, payload, hashlib.sha256).hexdigest()

    def _load(self) -> None:
        try:
            raw = (self.folder / CACHE_FILE).read_bytes()
        except OSError:
            return
        header, _, rest = raw.partition(b"\n")
        signature, _, payload = rest.partition(b"\n")
        if header.decode("ascii", "replace") != FORMAT:
            return  # another version wrote it: it is rewritten on save
        if not hmac.compare_digest(signature.decode("ascii", "replace"), self._sign(payload)):
            return  # not written by this clone: ignore it
        try:
            entries = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return
        if isinstance(entries, dict) and isinstance(entries.get("front"), dict):
            self.entries = entries["front"]
            self.documents = entries.get("documents") or {}

    def save(self) -> None:
        """Write the entries this run used, when anything changed; never fails the run."""
        if self.key is None:
            return
        prune_documents = self.documents_consulted and len(self.documents_used) != len(self.documents)
        if not self.dirty and not prune_documents and len(self.used) == len(self.entries):
            return
        front = {key: self.entries[key] for key in sorted(self.used) if key in self.entries}
        documents = self.documents
        if self.documents_consulted:
            documents = {key: documents[key] for key in sorted(self.documents_used) if key in documents}
        payload = marshal.dumps({"front": front, "documents": documents})
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# isodocs' parse cache: never commit it\n*\n", "utf-8")
            temporary = self.folder / f".{CACHE_FILE}.{os.getpid()}.tmp"
            signature = self._sign(payload).encode("ascii")
            temporary.write_bytes(FORMAT.encode("ascii") + b"\n" + signature + b"\n" + payload)
            os.replace(temporary, self.folder / CACHE_FILE)
        except OSError:
            pass
