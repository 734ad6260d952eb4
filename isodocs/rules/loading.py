"""Slugs the loader reports while reading files (no check function of their own)."""

from isodocs.model import Severity
from isodocs.rules.registry import loader_rule

E, W = Severity.ERROR, Severity.WARNING

FRONT_MATTER_MISSING = loader_rule(
    "front-matter-missing",
    E,
    "A document file has no front matter, or it is not closed.",
    fix="Start the file with a line `---`, then the document's keys (`id`, `title`, `type`, ...), then a line `---`. "
    "`isodocs new` writes a correct skeleton.",
)
FRONT_MATTER_INVALID = loader_rule(
    "front-matter-invalid",
    E,
    "The front matter YAML does not parse, is not a mapping, or expands past the size bound.",
    fix="Fix the YAML at the reported line (indentation, an unclosed bracket or quote, a `: ` inside an unquoted "
    "value); the front matter is `key: value` lines. Write values out rather than repeating anchors.",
)
DUPLICATE_KEY = loader_rule(
    "duplicate-key",
    E,
    "A key appears twice in one front matter; YAML would silently keep the last.",
    fix="Keep one of the two keys (the message gives both lines) and merge their values into it.",
)
ENCODING = loader_rule(
    "encoding",
    E,
    "The file is not UTF-8 text (UTF-16, invalid bytes, NUL bytes).",
    fix="Save the file as UTF-8 text (most editors: save with encoding, UTF-8); binary files do not belong among "
    "the documents.",
)
FILE_TOO_LARGE = loader_rule(
    "file-too-large",
    E,
    "The file is larger than limits.max_file_bytes and is not read.",
    fix="Move attachments, images and data out of the document and link to them, or raise `limits.max_file_bytes` "
    "in isodocs.yml.",
)
OUTSIDE_REPO = loader_rule(
    "outside-repo",
    E,
    "The file is a symlink to a place outside the repository, or to a file that is no document (a hidden file "
    "such as .git/config, or not Markdown); it is not followed.",
    fix="Copy the document into the repository instead of linking to it, or remove the symlink.",
)
UNREADABLE = loader_rule(
    "unreadable",
    E,
    "The file cannot be read: a broken symlink, a symlink loop, not a regular file (a FIFO, socket or device "
    "named like a document), or no permission.",
    fix="Point the symlink at an existing file inside the repository (or replace it with the file itself), "
    "remove the FIFO or device, or give the file read permission.",
)
MARKDOWN_SUFFIX = loader_rule(
    "markdown-suffix",
    W,
    "A document's file name ends in `.MD` or `.Md`: it is a document (checked and classified like any other), "
    "but the site engines show only `.md` files as pages.",
    fix="Rename the file to end in `.md` (with `git mv`, so its history follows) and correct the links to it.",
)
