"""The one reader of repository files, and the one "is this inside the repository" check.

Every file isodocs reads from a repository (documents, isodocs.yml, catalogues,
soa.yml, sources of an import, attachments copied to the site) goes through
``read_bytes``/``read_text`` here, so every reader follows the same rules:

- symlinks are resolved *before* any decision, and the file opened is the
  resolved one, opened with ``O_NOFOLLOW`` (a link swapped in between fails);
- only regular files are read: a FIFO, a device or a folder named like a
  document is refused without blocking (``O_NONBLOCK``, then ``fstat``);
- the size is bounded by ``fstat`` before anything is read;
- text must be UTF-8 (a BOM is dropped), never UTF-16 or binary (NUL bytes).

Problems are returned as ``ReadProblem`` (the loader turns them into findings);
``read_repo_text`` raises them as UsageError for the files a run cannot start
without. ``resolve_attachment`` decides which non-Markdown files a published page
may take along to the site (an allow-list of passive types, see SECURITY.md).
"""

from __future__ import annotations

import errno
import os
import posixpath
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from isodocs.errors import UsageError

MAX_SUPPORT_FILE_BYTES = 5 * 1024 * 1024  # isodocs.yml, catalogues, soa.yml

# Not every platform has these (Windows has neither); without them lstat guards instead.
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_OPEN_FLAGS = os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
# What open() with O_NOFOLLOW reports for a symlink: ELOOP (Linux, macOS), EMLINK (FreeBSD, NetBSD).
_SYMLINK_ERRNOS = frozenset({errno.ELOOP, errno.EMLINK})


@dataclass(frozen=True)
class ReadProblem:
    """Why a file was not read. ``kind`` is one of: outside, loop, broken, not-regular,
    too-large, unreadable, encoding."""

    kind: str
    message: str
    line: int = 1


# --------------------------------------------------------------------------- inside the repository


@lru_cache(maxsize=16)
def real_root(root: str | Path) -> str:
    """The real path of a repository root (cached: roots do not move during a run)."""
    return os.path.realpath(root)


def is_within(real_path: str, real_base: str) -> bool:
    """Whether a real (resolved) path is ``real_base`` or under it; both strings from realpath."""
    return real_path == real_base or real_path.startswith(real_base.rstrip(os.sep) + os.sep)


def inside(root: Path | str, path: Path | str) -> bool:
    """Whether ``path``, symlinks resolved, lies inside ``root``. Loops and errors count as outside."""
    try:
        return is_within(os.path.realpath(path), real_root(str(root)))
    except (OSError, ValueError):
        return False


def is_relative_inside(name: str) -> bool:
    """Whether a configured path is relative and stays inside the repository as written."""
    if "\x00" in name:
        return False
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute() or PureWindowsPath(name).drive:
        return False
    depth = 0
    for part in PurePosixPath(name.replace("\\", "/")).parts:
        depth += -1 if part == ".." else 0 if part == "." else 1
        if depth < 0:
            return False
    return True


def resolve_link(root: Path | str, path: str) -> tuple[str | None, ReadProblem | None]:
    """The real path a symlink leads to, when it exists and lies inside ``root``; else why not."""
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, ReadProblem("loop", "symlink loop: the link points (through others) at itself")
        try:
            shown = os.readlink(path)
        except OSError:
            shown = "its target"
        return None, ReadProblem("broken", f"broken symlink: its target {shown} does not exist; fix or remove the link")
    except (RuntimeError, ValueError):  # RuntimeError: a loop, on some versions
        return None, ReadProblem("loop", "symlink loop: the link points (through others) at itself")
    if not is_within(real, real_root(str(root))):
        return None, ReadProblem("outside", "symlink points outside the repository; not followed")
    return real, None


# --------------------------------------------------------------------------- reading


def read_bytes(
    root: Path | str, path: Path | str, max_bytes: int, *, folders_checked: bool = False, documents_only: bool = False
) -> tuple[bytes | None, ReadProblem | None]:
    """The bytes of the regular file ``path`` inside ``root``, or why it is not read.

    ``folders_checked``: the caller knows every folder on the path is a real folder
    inside the repository (the loader's discovery follows no symlinked folder), so
    only the file itself can lead elsewhere: one open, one fstat, no resolve.
    Otherwise the whole path is resolved first. ``documents_only``: a symlink must lead
    to a Markdown file under no hidden folder (a document link to ``.git/config`` is
    not followed, whatever that file holds).
    """
    raw, problem, _status = read_bytes_and_status(
        root, path, max_bytes, folders_checked=folders_checked, documents_only=documents_only
    )
    return raw, problem


def read_bytes_and_status(
    root: Path | str, path: Path | str, max_bytes: int, *, folders_checked: bool = False, documents_only: bool = False
) -> tuple[bytes | None, ReadProblem | None, os.stat_result | None]:
    """``read_bytes``, and the status (``fstat``) of the file read, taken before reading it.

    The status is given only when ``path`` itself is the regular file read (None when
    a symlink was followed): the parse cache records it (readers/parsecache.py).
    """
    name = os.fspath(path)
    if "\x00" in name:
        return None, ReadProblem("unreadable", "the file name holds a NUL character"), None
    if not folders_checked:
        if not os.path.lexists(name):
            return None, ReadProblem("unreadable", "file not found"), None
        if not is_within(os.path.realpath(os.path.dirname(os.path.abspath(name))), real_root(str(root))):
            return None, ReadProblem("outside", "its folder is a symlink to a place outside the repository"), None
    direct = True
    try:
        fd = _open_no_follow(name)
    except _IsSymlink:
        direct = False
        real, problem = resolve_link(root, name)
        if problem:
            return None, problem, None
        assert real is not None
        if documents_only:
            problem = _not_a_document(root, real)
            if problem:
                return None, problem, None
        try:
            fd = _open_no_follow(real)  # the resolved path: no symlink left in it
        except _IsSymlink:  # swapped for a link since: refuse rather than follow
            return None, ReadProblem("unreadable", "the file changed into a symlink while being read"), None
        except OSError as exc:
            return None, ReadProblem("unreadable", f"cannot read file: {exc.strerror}"), None
    except OSError as exc:
        return None, ReadProblem("unreadable", f"cannot read file: {exc.strerror}"), None
    raw, problem, info = _read_descriptor(fd, max_bytes)
    return raw, problem, info if direct else None


def _read_descriptor(fd: int, max_bytes: int) -> tuple[bytes | None, ReadProblem | None, os.stat_result | None]:
    """The bytes of the open file ``fd`` (closed here), when it is a regular file within the limit; its status."""
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a FIFO, socket or device"
            return None, ReadProblem("not-regular", f"not a regular file ({kind}); not read"), None
        if info.st_size > max_bytes:
            message = f"file is {info.st_size:,} bytes, over the limit of {max_bytes:,}"
            return None, ReadProblem("too-large", message), None
        raw = _read_all(fd, info.st_size, max_bytes + 1)
    except OSError as exc:
        return None, ReadProblem("unreadable", f"cannot read file: {exc.strerror}"), None
    finally:
        os.close(fd)
    if len(raw) > max_bytes:
        return None, ReadProblem("too-large", f"file is over the limit of {max_bytes:,} bytes"), None
    return raw, None, info


def _not_a_document(root: Path | str, real: str) -> ReadProblem | None:
    """Why the resolved target of a document symlink is no document, or None."""
    real_rel = os.path.relpath(real, real_root(str(root))).replace(os.sep, "/")
    if any(part.startswith(".") for part in real_rel.split("/")) or not is_markdown_name(real_rel):
        return ReadProblem(
            "outside", f"symlink to {real_rel}, which is no document (hidden, or not Markdown); not followed"
        )
    return None


class _IsSymlink(Exception):
    """open() with O_NOFOLLOW met a symlink as the last part of the path."""


def _open_no_follow(name: str) -> int:
    """A read-only descriptor of ``name`` that neither follows a final symlink nor blocks on a FIFO."""
    if not _O_NOFOLLOW and os.path.islink(name):  # (Windows) no O_NOFOLLOW: lstat instead
        raise _IsSymlink
    try:
        fd = os.open(name, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno in _SYMLINK_ERRNOS and os.path.islink(name):
            raise _IsSymlink from None
        raise
    return fd  # (O_NONBLOCK stays: it does nothing to reads of a regular file, the only kind read)


def _read_all(fd: int, size: int, limit: int) -> bytes:
    """Up to ``limit`` bytes of a regular file whose fstat gave ``size``: usually one read()."""
    data = os.read(fd, size + 1)
    if len(data) == size:  # a regular file reads in full: asking one byte more found the end
        return data
    chunks, total = [data], len(data)
    while chunks[-1] and total < limit:  # it changed while being read: read on, up to the limit
        chunks.append(os.read(fd, min(limit - total, 1 << 20)))
        total += len(chunks[-1])
    return b"".join(chunks)


UTF8_BOM = b"\xef\xbb\xbf"


def decode_text(raw: bytes, *, keep_line_endings: bool = False) -> tuple[str | None, ReadProblem | None]:
    """Bytes of a text file as text with "\\n" line endings, or why they are not UTF-8 text.

    ``keep_line_endings``: leave "\\r\\n" and "\\r" as they are (the importer keeps bodies byte for byte).
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, ReadProblem("encoding", "file is UTF-16; save it as UTF-8")
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        return None, ReadProblem("encoding", "file contains NUL bytes (binary?); save it as UTF-8 text", line)
    if raw.startswith(UTF8_BOM):  # dropped; then the error positions below are positions in ``raw``
        raw = raw[len(UTF8_BOM) :]
    try:
        text = raw.decode("utf-8")  # (not "utf-8-sig": a codec written in Python, a third slower)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8"
        return None, ReadProblem("encoding", message, line)
    if "\r" in text and not keep_line_endings:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, None


def read_text(
    root: Path | str,
    path: Path | str,
    max_bytes: int,
    *,
    folders_checked: bool = False,
    documents_only: bool = False,
    keep_line_endings: bool = False,
) -> tuple[str | None, ReadProblem | None]:
    """``read_bytes`` and ``decode_text``: a repository text file with "\\n" line endings."""
    raw, problem = read_bytes(root, path, max_bytes, folders_checked=folders_checked, documents_only=documents_only)
    if raw is None:
        return None, problem
    return decode_text(raw, keep_line_endings=keep_line_endings)


def read_repo_text(
    root: Path,
    name: str,
    *,
    cited_in: str | None = None,
    cited_line: int | None = None,
    max_bytes: int = MAX_SUPPORT_FILE_BYTES,
) -> str:
    """The text of the repository file ``name`` (a relative path), or a UsageError saying why not.

    ``cited_in``/``cited_line`` locate where the file was named (e.g. isodocs.yml,
    catalogs:), for errors about the name itself.
    """
    where: dict[str, Any] = {"path": cited_in or name, "line": cited_line if cited_in else None}
    if not is_relative_inside(name):
        raise UsageError(f"{name}: must be a path inside the repository", **where)
    path = root / name
    if not os.path.lexists(path):
        raise UsageError(f"{name} not found", **where)
    text, problem = read_text(root, path, max_bytes)
    if problem is None:
        assert text is not None
        return text
    if problem.kind == "outside":
        raise UsageError(f"{name} is a symlink to a place outside the repository; isodocs does not follow it", **where)
    if problem.kind == "not-regular":
        raise UsageError(f"{name} is not a file", **where)
    if problem.kind in ("broken", "loop"):
        raise UsageError(f"{name}: {problem.message}", **where)
    raise UsageError(problem.message, name, problem.line if problem.kind == "encoding" else None)


# --------------------------------------------------------------------------- attachments

# Files a published page may take along to the site: passive types a browser shows or
# downloads but never runs as a page of the site's origin. An allow-list: anything else
# (HTML, XHTML in all its spellings, SVG, XML, JavaScript, Markdown, unknown types) stays.
PASSIVE_SUFFIXES = frozenset(
    {
        # images (raster only: SVG can carry script)
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".ico", ".tif", ".tiff",
        # documents and data
        ".pdf", ".txt", ".csv", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".zip",
        # audio and video
        ".mp3", ".mp4", ".m4a", ".ogg", ".wav", ".webm",
    }
)  # fmt: skip


def is_markdown_name(name: str) -> bool:
    """Whether a file name or link path names a Markdown document (``.md`` in any case:
    ``Secret.MD`` is the same file as ``secret.md`` on a case-insensitive file system)."""
    return name[-3:].lower() == ".md"


def is_passive_name(name: str) -> bool:
    """Whether a file name has a suffix of the passive allow-list (case ignored)."""
    return posixpath.splitext(name)[1].lower() in PASSIVE_SUFFIXES


MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024  # a video or a scanned PDF, not a disk image


@dataclass(frozen=True)
class AttachmentProblem:
    """Why a linked file may not be published.

    ``kind``: missing, outside (the document folders), leaves-repo, type, symlink (leads somewhere
    not publishable), not-regular, too-large.
    """

    kind: str
    message: str


def resolve_attachment(
    root: Path | str, rel: str, folders: set[str] | frozenset[str]
) -> tuple[str | None, AttachmentProblem | None]:
    """The real path of the repository file ``rel`` (a link target that is no Markdown document)
    when it may be copied to the site; else why not.

    Symlinks (of the file or of any folder on its path) are resolved first and every
    decision is taken on the *resolved* file too: it must be a regular file inside one
    of the document ``folders`` (isodocs.yml ``paths``), under no hidden folder (.git),
    not a Markdown document, and of a passive type by the link's name and its own.
    """
    if "\x00" in rel:
        return None, AttachmentProblem("missing", "no file name holds a NUL character")
    if not rel or rel.startswith("/") or not is_relative_inside(rel):
        return None, AttachmentProblem("outside", "the path is not a file name inside the repository")
    if not _in_folders(rel, folders):
        return None, AttachmentProblem("outside", "the file is outside the document folders (paths in isodocs.yml)")
    if is_markdown_name(rel) or not is_passive_name(rel):
        return None, AttachmentProblem("type", _type_message(rel))
    path = os.path.join(os.fspath(root), *rel.split("/"))
    if not os.path.lexists(path):
        return None, AttachmentProblem("missing", "no such file")
    real, problem = resolve_link(root, path)
    if problem is not None:
        # (check: broken-link reports these two, as for any other link)
        if problem.kind == "outside":
            return None, AttachmentProblem("leaves-repo", "a symlink that leads outside the repository")
        return None, AttachmentProblem("missing", problem.message)  # broken, or a loop
    assert real is not None
    real_rel = os.path.relpath(real, real_root(str(root))).replace(os.sep, "/")
    if real_rel != rel:  # through a symlink: the target must be publishable by itself
        if not _in_folders(real_rel, folders):
            where = (
                "a hidden file or folder"
                if any(p.startswith(".") for p in real_rel.split("/"))
                else ("outside the document folders")
            )
            return None, AttachmentProblem("symlink", f"a symlink to {real_rel}, which is {where}")
        if is_markdown_name(real_rel) or not is_passive_name(real_rel):
            return None, AttachmentProblem(
                "symlink", f"a symlink to {real_rel}, which is not a passive attachment type"
            )
    try:
        info = os.stat(real)
    except OSError:
        return None, AttachmentProblem("missing", "no such file")
    if not stat.S_ISREG(info.st_mode):
        return None, AttachmentProblem("not-regular", "not a regular file (a folder, FIFO or device)")
    if info.st_size > MAX_ATTACHMENT_BYTES:
        return None, AttachmentProblem(
            "too-large", f"{info.st_size:,} bytes, over the limit of {MAX_ATTACHMENT_BYTES:,}"
        )
    return real, None


def _in_folders(rel: str, folders: set[str] | frozenset[str]) -> bool:
    """Whether a repository path lies in a document folder and under no hidden folder or name."""
    parts = rel.split("/")
    if any(part.startswith(".") for part in parts):
        return False
    return any(rel.startswith(folder.strip("/") + "/") for folder in folders if folder.strip("/"))


def _type_message(rel: str) -> str:
    suffix = posixpath.splitext(rel)[1].lower() or "(no suffix)"
    return f"{suffix} files are not published (only passive types: images, PDF, text, office documents, media)"
