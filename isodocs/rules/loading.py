"""Slugs the loader reports while reading files (no check function of their own)."""

from isodocs.model import Severity
from isodocs.rules import loader_rule

E, W = Severity.ERROR, Severity.WARNING

loader_rule("front-matter-missing", E, "A document file has no front matter, or it is not closed.")
loader_rule(
    "front-matter-invalid", E, "The front matter YAML does not parse, is not a mapping, or expands past the size bound."
)
loader_rule("duplicate-key", E, "A key appears twice in one front matter; YAML would silently keep the last.")
loader_rule("encoding", E, "The file is not UTF-8 text (UTF-16, invalid bytes, NUL bytes).")
loader_rule("file-too-large", E, "The file is larger than limits.max_file_bytes and is not read.")
loader_rule("outside-repo", E, "The file is a symlink to a place outside the repository; it is not followed.")
loader_rule("unreadable", E, "The file cannot be read: a broken symlink, a symlink loop, or no permission.")
