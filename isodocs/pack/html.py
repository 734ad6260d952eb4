"""The HTML of every part of the pack's PDFs, from the site renderer's own pages.

Each document, the register and each evidence section is one part: a complete
HTML page that WeasyPrint lays out on its own (so a document's "page n of N"
counts its own pages). The content is the site's: ``site.pages`` writes the
control block, the revision history and the generated tables; the document body
goes through ``site.markdown.rewrite_withheld_links`` and Python-Markdown with
the site's sanitising extension, as on the site. A last sanitiser pass over the
whole part drops links that lead nowhere in a PDF (relative links between site
pages) and anything a document could smuggle in; WeasyPrint then fetches only
the images that ``LinkPolicy`` allowed (see ``pdf.PackFetcher``).
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import nh3

from isodocs import __version__
from isodocs.model import Document
from isodocs.pack.revision import RevisionInfo
from isodocs.readers import safefs
from isodocs.site import pages
from isodocs.site.inputs import SiteInputs
from isodocs.site.markdown import link_target_path, rewrite_withheld_links
from isodocs.site.mdsanitize import PROCESS_TOKEN, SanitizeExtension, mark_page
from isodocs.text.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_VALUES, STYLE_PROPERTIES, URL_SCHEMES

# The extensions of the site's staging mkdocs.yml (site/mkdocs_config.REQUIRED_EXTENSIONS), without
# the toc's permalinks (a pilcrow in print), and the site's sanitising extension.
MARKDOWN_EXTENSIONS = ["tables", "attr_list", "md_in_html", "admonition", "def_list", "toc"]
OPTIONAL_EXTENSIONS = ["pymdownx.details", "pymdownx.superfences"]  # from pymdown-extensions, when installed


# Parts name the checkout by this URL, not by its temporary path: WeasyPrint names an image
# in the PDF after its URL, and a random folder name would make each run's bytes differ.
# pdf.PackFetcher maps it back to the checkout.
BASE_URL = "file:///isodocs-pack/"


def base_url(folder: str) -> str:
    """The base URL of a part whose relative links are relative to ``folder`` of the repository."""
    folder = folder.strip("/")
    return BASE_URL + (quote(folder) + "/" if folder else "")


@dataclass
class Part:
    """One separately laid-out piece of a PDF: a document, the register, an evidence section."""

    outline: str  # its bookmark, and its line in the contents
    group: str | None  # the bookmark and contents heading it sits under
    html: str
    base_url: str  # where its relative image links resolve (``pdf.base_url`` of a repository folder)


@dataclass
class LinkPolicy:
    """Which relative links of a document body stay: those to documents and attachments in the pack.

    The site's rule (``site.render._LinkPolicy``): a Markdown link stays when it names
    a document in the pack; any other file only when ``safefs.resolve_attachment``
    allows it (a regular file of a passive type inside the document folders, symlinks
    resolved first). Those are the only files WeasyPrint may then load.
    """

    root: Path
    folders: frozenset[str]
    in_pack: set[str]  # paths of the documents in the pack
    assets: dict[str, str] = field(default_factory=dict)  # repository path -> the real file

    def keep(self, page: str, target: str) -> bool:
        path = link_target_path(page, target)
        if path is None or "\x00" in path:
            return False
        if path == "":
            return True
        if safefs.is_markdown_name(path):
            return path in self.in_pack
        if path in self.assets:
            return True
        real, _problem = safefs.resolve_attachment(self.root, path, self.folders)
        if real is None:
            return False
        self.assets[path] = real
        return True

    def body(self, doc: Document) -> str:
        """The document's body with links to what is not in the pack made text, marked for the link guard."""
        body, _ = rewrite_withheld_links(doc.body or "", lambda target: self.keep(doc.path, target))
        return mark_page(body, doc.path)


def _pdf_link(element: str, attribute: str, value: str) -> str | None:
    """Keep the links that mean something in a PDF: anchors, web and mail addresses.

    Relative links between site pages (``../coverage/iso9001.html``) lead nowhere
    in a PDF: the link goes, its text stays.
    """
    if element == "a" and attribute == "href":
        scheme = value.split(":", 1)[0].lower() if ":" in value else ""
        return value if value.startswith("#") or scheme in URL_SCHEMES else None
    if element == "img" and attribute == "src" and ":" in value.split("/", 1)[0]:
        return None  # nothing is fetched from the network: the image would only be a broken box
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_pdf_link,
    tag_attribute_values={tag: {k: set(v) for k, v in values.items()} for tag, values in ALLOWED_VALUES.items()},
    url_schemes=set(URL_SCHEMES),
    filter_style_properties=set(STYLE_PROPERTIES),
    strip_comments=True,
    link_rel=None,
)


def _markdown(published: list[str]):  # type: ignore[no-untyped-def]
    import importlib.util

    import markdown

    optional = [e for e in OPTIONAL_EXTENSIONS if importlib.util.find_spec(e.split(".")[0]) is not None]
    # The site's extension: the sanitiser, and the link guard that makes a link to anything
    # not in ``published`` its text and "(not published)", whatever its Markdown or HTML form.
    sanitiser = SanitizeExtension(token=PROCESS_TOKEN, published=published)
    extensions: list = [*MARKDOWN_EXTENSIONS, *optional, sanitiser]
    return markdown.Markdown(extensions=extensions, output_format="html")


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


class Converter:
    """Markdown of a site page -> sanitised HTML for the PDF (one Python-Markdown instance, reset per page).

    ``published``: the repository paths a document's link may point to (the documents
    in the pack and the attachments ``LinkPolicy`` allowed).
    """

    def __init__(self, published: list[str]) -> None:
        self.md = _markdown(published)

    def convert(self, page: str) -> str:
        self.md.reset()
        return _CLEANER.clean(self.md.convert(_FRONT_MATTER.sub("", page, count=1)))


@functools.cache
def _css() -> str:
    return resources.files("isodocs.pack").joinpath("pack.css").read_text("utf-8")


def footer_css(info: RevisionInfo) -> str:
    """The footer line: a CSS string, made only of the commit's hex digits and its date."""
    text = f"Controlled copy of commit {info.short} issued {info.issued.isoformat()}; uncontrolled when printed"
    return '@page { @bottom-left { content: "' + text + '"; } }'


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def page(title: str, header: str, body: str, info: RevisionInfo, classes: str = "") -> str:
    """A complete HTML page of one part. ``header`` and ``body`` are HTML; ``title`` is text."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)}</title>\n"
        f'<meta name="generator" content="isodocs {esc(__version__)}">\n'
        f"<style>\n{_css()}\n{footer_css(info)}\n</style>\n</head>\n"
        f'<body class="{esc(classes)}">\n<div class="isodocs-running-header">{header}</div>\n{body}\n</body>\n</html>\n'
    )


def document_header(doc: Document) -> str:
    version = f" · version {esc(doc.version)}" if doc.version else ""
    return f'<span class="isodocs-header-id">{esc(doc.id)}</span> · {esc(doc.title)}{version}'


def document_part(
    inputs: SiteInputs, doc: Document, body: str, converter: Converter, info: RevisionInfo, group: str
) -> Part:
    """A published document as the site shows it: title, control block, ``body`` (``LinkPolicy.body``), history."""
    content = converter.convert(pages.document_page(inputs, doc, body, directory_urls=False))
    base = base_url(posixpath.dirname(doc.path))
    html_page = page(f"{doc.id} {doc.title}", document_header(doc), content, info, "isodocs-document")
    return Part(f"{doc.id} {doc.title}", group, html_page, base)


def section_part(title: str, markdown_page: str, converter: Converter, info: RevisionInfo) -> Part:
    """A generated page of the site (register, matrix, SoA, calendar) as one part."""
    header = f'<span class="isodocs-header-id">{esc(title)}</span>'
    return Part(title, None, page(title, header, converter.convert(markdown_page), info), base_url(""))


Entry = tuple[str, str | None, str]  # (line, group, page label)


def cover(
    inputs: SiteInputs, info: RevisionInfo, what: str, level: str, scope: tuple[str, str] | None, documents: str
) -> str:
    """The cover page's HTML: organisation, scope, standards, revision, commit, date."""
    config = inputs.system.config
    standards = [inputs.system.catalogs[key] for key in config.standards if key in inputs.system.catalogs]
    rows: list[tuple[str, str]] = []
    if scope is not None:
        statement, source = scope
        rows.append(("Scope", f"{esc(statement)}<br><em>(from {esc(source)})</em>"))
    rows += [
        ("Standards", "<br>".join(esc(f"{c.name} {c.title}".strip()) for c in standards) or "—"),
        ("Revision", esc(", ".join(info.tags) or info.rev)),
        ("Commit", esc(info.sha)),
        ("Issued", esc(info.issued.isoformat()) + " (the commit's date)"),
        ("Classification", f"documents up to {esc(level)}"),
        ("Contains", esc(documents)),
        ("Made by", f"isodocs {esc(__version__)}"),
    ]
    table = "".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in rows)
    return (
        '<section class="isodocs-cover">'
        f"<h1>{esc(config.organization)}</h1>"
        f'<p class="isodocs-subtitle">{esc(what)}</p>'
        f"<table>{table}</table>"
        '<p class="isodocs-notice">Controlled copy of the management system as committed at the revision above. '
        "Drafts, documents in review, obsolete documents and documents above the classification level are not "
        "included. A printed copy is uncontrolled. <code>manifest.json</code> in the pack lists the SHA-256 of "
        "every file; <code>isodocs pack --verify</code> checks them.</p>"
        "</section>"
    )


def contents(entries: list[Entry]) -> str:
    """The table of contents: groups and their entries, each with the page label it starts on."""
    rows, group = [], None
    for line, entry_group, label in entries:
        if entry_group != group and entry_group is not None:
            rows.append(f'<tr class="isodocs-toc-group"><td colspan="2">{esc(entry_group)}</td></tr>')
        group = entry_group
        css = "isodocs-toc-entry" if entry_group else ""
        rows.append(f'<tr><td class="{css}">{esc(line)}</td><td class="isodocs-toc-page">{esc(label)}</td></tr>')
    table = f'<table class="isodocs-toc">{"".join(rows)}</table>'
    return f'<section class="isodocs-contents"><h1>Contents</h1>{table}</section>'


def front_part(
    inputs: SiteInputs,
    info: RevisionInfo,
    what: str,
    level: str,
    scope: tuple[str, str] | None,
    documents: str,
    entries: list[Entry],
) -> Part:
    organization = inputs.system.config.organization
    header = f'<span class="isodocs-header-id">{esc(organization)}</span> · {esc(what)}'
    body = cover(inputs, info, what, level, scope, documents) + contents(entries)
    return Part("Cover and contents", None, page(f"{organization}: {what}", header, body, info), "about:blank")


_SCOPE = re.compile(r"^\W*scope statement\b[^:\n]*:\W*(.+)", re.IGNORECASE | re.DOTALL)
SCOPE_CLAUSE = "4.3"  # "Determining the scope" in each of the four standards' shared structure


def scope_statement(docs: list[Document], plain: Callable[[str], str]) -> tuple[str, str] | None:
    """(the scope statement, the document it is quoted from), or None when no published document states one.

    The first paragraph starting "Scope statement" in a published document, those
    mapped to clause 4.3 (determining the scope) first; ``plain`` makes its Markdown text.
    """
    mapped = [d for d in docs if any(SCOPE_CLAUSE in ids for ids in d.clauses.values())]
    for doc in mapped + [d for d in docs if d not in mapped]:
        for paragraph in (doc.body or "").split("\n\n"):
            match = _SCOPE.match(paragraph.strip())
            if match:
                return plain(" ".join(match.group(1).split())), f"{doc.id} {doc.title}"
    return None


def markdown_plain(text: str) -> str:
    """Inline Markdown as plain text (emphasis and links reduced to their words)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]+", "", text).strip()
