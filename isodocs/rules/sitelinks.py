"""Root-relative links (``/policies/x.pdf``): kept apart from ``broken-link``, which checks relative links.

Portals (Docusaurus, MkDocs) serve a ``static/`` or ``docs/`` folder at the site
root, so their pages link to ``/policies/x.pdf``. In an isodocs repository such a
link names a path from the repository root; one that names no file is a 404 on
the published site.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import unquote

from isodocs.mdtext import prose_lines_with
from isodocs.model import Document, ManagementSystem, Severity
from isodocs.rules import Hit, document_rule
from isodocs.rules.references import INLINE_LINK, REFERENCE_DEFINITION


def root_links(body: str) -> Iterator[tuple[str, int]]:
    """Root-relative link targets (``/x``, not ``//host``) in a Markdown body with their 0-based line."""
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


@document_rule("broken-root-link", Severity.ERROR, cross_document=True)
def broken_root_link(doc: Document, system: ManagementSystem) -> Iterator[Hit]:
    """A root-relative link (/path) points to no file of the repository.

    A link that starts with `/` names a path from the site's root, which isodocs builds from the repository's
    root: copy the file into the repository (e.g. next to the document) and link to it relatively, or use a full
    URL. `isodocs import` copies the files such links name from the source site's `static/` folder.
    """
    root = os.path.realpath(system.root)
    for target, number in root_links(doc.body):
        path = root_link_path(target)
        full = os.path.realpath(os.path.join(root, path))
        inside = full == root or full.startswith(root.rstrip(os.sep) + os.sep)
        if not path or not inside or not os.path.exists(full):
            yield Hit(
                f"link to {target} points to no file of the repository ({path or '/'}): the published site "
                "gives a 404; copy the file in and link to it relatively",
                doc.body_line + number,
            )
