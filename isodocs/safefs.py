"""Reading files of the repository without leaving it or swallowing something huge.

Documents are read by the loader, which turns every problem into a finding. The
files a run cannot start without (isodocs.yml, catalogues, soa.yml) go through
``read_repo_text``: a problem with them is a UsageError (exit 2) that names the
file, never a traceback, and a symlink never takes the run outside the repository.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

from isodocs.errors import UsageError

MAX_SUPPORT_FILE_BYTES = 5 * 1024 * 1024  # isodocs.yml, catalogues, soa.yml


def inside(root: Path, path: Path) -> bool:
    """Whether ``path``, symlinks resolved, lies inside ``root``. Loops and errors count as outside."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop before Python 3.13
        return False


def is_relative_inside(name: str) -> bool:
    """Whether a configured path is relative and stays inside the repository as written."""
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute() or PureWindowsPath(name).drive:
        return False
    depth = 0
    for part in PurePosixPath(name.replace("\\", "/")).parts:
        depth += -1 if part == ".." else 0 if part == "." else 1
        if depth < 0:
            return False
    return True


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
    where = {"path": cited_in or name, "line": cited_line if cited_in else None}
    if not is_relative_inside(name):
        raise UsageError(f"{name}: must be a path inside the repository", **where)
    path = root / name
    if not inside(root, path):
        raise UsageError(f"{name} is a symlink to a place outside the repository; isodocs does not follow it", **where)
    if not path.is_file():
        what = "is not a file" if path.exists() else "not found"
        raise UsageError(f"{name} {what}", **where)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise UsageError(f"file is {size:,} bytes, over the limit of {max_bytes:,}", name)
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read: {exc.strerror}", name) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UsageError("file is UTF-16; save it as UTF-8", name)
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise UsageError("file contains NUL bytes (binary?); save it as UTF-8 text", name, line)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8"
        raise UsageError(message, name, line) from None
