"""Text every report writes is valid UTF-8, whatever the file names are.

A file name on Linux is bytes; one that is not UTF-8 reaches isodocs as a
``str`` holding surrogate escapes (Python's ``surrogateescape``: byte 0xFF is
U+DCFF). Such a string cannot be encoded as UTF-8: JSON, SARIF and GitHub
annotations holding it would be invalid, and encoding it raised
UnicodeEncodeError. The reporters show those bytes as ``\\xff`` (the file can
still be found: ``ls $'bad\\xff.md'``), and SARIF's URIs percent-encode them
as RFC 3986 asks (``bad%FF.md``).
"""

from __future__ import annotations

from typing import Any

_SURROGATES = range(0xD800, 0xE000)
# Characters a URI reference may hold as they are (RFC 3986 unreserved, sub-delims, ":", "@", "/").
_URI_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/")


def _has_surrogates(text: str) -> bool:
    """Whether ``text`` cannot be encoded as UTF-8 (it holds a lone surrogate)."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def readable(text: str) -> str:
    """``text`` as valid Unicode: each undecodable byte of a file name as ``\\xNN``, the rest unchanged."""
    if not _has_surrogates(text):
        return text
    try:
        data = text.encode("utf-8", "surrogateescape")  # the file name's original bytes
    except UnicodeEncodeError:  # a surrogate that is not an escaped byte: "?"
        data = text.encode("utf-8", "replace")
    return data.decode("utf-8", "backslashreplace")


def readable_data(value: Any) -> Any:
    """``value`` (JSON-like data) with every string ``readable``."""
    if isinstance(value, str):
        return readable(value)
    if isinstance(value, dict):
        return {readable_data(k): readable_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [readable_data(v) for v in value]
    return value


def uri_reference(path: str) -> str:
    """A relative path as an RFC 3986 URI reference: bytes outside the safe set percent-encoded.

    Non-ASCII letters that are valid Unicode stay as they are (an IRI, as GitHub shows it);
    undecodable bytes, spaces, "%", "#", "?" and other reserved ASCII are escaped.
    """
    out = []
    for char in path:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, escaped by surrogateescape
            out.append(f"%{code - 0xDC00:02X}")
        elif code in _SURROGATES:
            out.append("%EF%BF%BD")  # any other lone surrogate: U+FFFD
        elif code < 128 and char not in _URI_SAFE:
            out.append(f"%{code:02X}")
        else:
            out.append(char)
    return "".join(out)


def fingerprint_bytes(text: str) -> bytes:
    """``text`` as bytes for hashing, whatever it holds (the original bytes of a file name)."""
    return text.encode("utf-8", "surrogatepass")
