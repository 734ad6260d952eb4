"""Root-relative links (``/policies/x.pdf``): kept apart from ``broken-link``, which checks relative links.

Portals (Docusaurus, MkDocs) serve a ``static/`` or ``docs/`` folder at the site
root, so their pages link to ``/policies/x.pdf``. In an isodocs repository such a
link names a path from the repository root; one that names no file is a 404 on
the published site.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from isodocs.model import Document, ManagementSystem, Severity
from isodocs.readers.safefs import is_within, real_root
from isodocs.rules.references import document_links
from isodocs.rules.registry import Hit, cross_document_rule


@cross_document_rule("broken-root-link", Severity.ERROR)
def broken_root_link(doc: Document, system: ManagementSystem) -> Iterator[Hit]:
    """A root-relative link (/path) points to no file of the repository.

    A link that starts with `/` names a path from the site's root, which isodocs builds from the repository's
    root: copy the file into the repository (e.g. next to the document) and link to it relatively, or use a full
    URL. `isodocs import` copies the files such links name from the source site's `static/` folder.
    """
    for target, number, file_part, path in document_links(doc):  # cached between runs: no body read
        if file_part or not target.startswith("/"):
            continue  # a relative link: broken-link's
        root = real_root(str(system.root))
        full = os.path.realpath(os.path.join(root, path))
        if not path or not is_within(full, root) or not os.path.exists(full):
            yield Hit(
                f"link to {target} points to no file of the repository ({path or '/'}): the published site "
                "gives a 404; copy the file in and link to it relatively",
                doc.body_line + number,
            )
