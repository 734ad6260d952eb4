"""Sanitising the HTML of documents before it reaches the published site.

The ``unsafe-html`` rule tells authors about raw HTML that could run script; this
module is the guarantee behind it. Whatever a document holds, and whether the
rule is on or off, the HTML the site renderer takes from a document goes
through ``sanitize_html`` first: an allow-list of the elements and attributes
that Markdown and its usual extensions (tables, admonitions, footnotes, toc
permalinks, attr_list, details, task lists, code highlighting) produce, and of
safe URL schemes. Everything else is dropped; the contents of script and style
elements go with them.

It uses nh3, the Python binding of the Rust crate ammonia: an HTML5-parser
based allow-list sanitiser, maintained, and fast (bleach, the alternative, is
deprecated). Regular expressions cannot sanitise HTML.
"""

from __future__ import annotations

import re
from typing import Any

import nh3

# Elements documents may keep: ammonia's defaults, plus what Markdown extensions emit.
ALLOWED_TAGS: frozenset[str] = frozenset(nh3.ALLOWED_TAGS) | {"input", "label", "tfoot"}

_GLOBAL_ATTRIBUTES = {"class", "id", "title", "lang", "dir"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attributes) for tag, attributes in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": _GLOBAL_ATTRIBUTES,
    "a": {"href", "hreflang", "name"},
    "img": {"src", "alt", "width", "height", "align", "loading"},
    "td": {"align", "colspan", "rowspan", "headers", "style"},  # tables: style="text-align: ..."
    "th": {"align", "colspan", "rowspan", "headers", "scope", "style"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "details": {"open"},
    "input": {"checked", "disabled", "name"},  # task lists and tabbed content
    "label": {"for"},
    "abbr": {"title"},
    "time": {"datetime"},
    # Left out of the site's search index (Material and Zensical): isodocs' control block uses it.
    "div": {"data-search-exclude"},
}
# Attributes limited to a few values rather than allowed outright.
ALLOWED_VALUES: dict[str, dict[str, set[str]]] = {"input": {"type": {"checkbox", "radio"}}}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto", "tel"})
STYLE_PROPERTIES: frozenset[str] = frozenset({"text-align"})


def _cleaner_options() -> dict[str, Any]:
    return {
        "tags": set(ALLOWED_TAGS),
        "clean_content_tags": {"script", "style"},
        "attributes": {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        "tag_attribute_values": {
            tag: {k: set(v) for k, v in values.items()} for tag, values in ALLOWED_VALUES.items()
        },
        "url_schemes": set(URL_SCHEMES),
        "filter_style_properties": set(STYLE_PROPERTIES),
        "strip_comments": True,
        "link_rel": "noopener noreferrer",
    }


# One cleaner built once: nh3.clean() rebuilds its allow-lists on every call, which cost
# more than the cleaning itself for the short strings a page build sanitises by the
# thousand (each heading passes through the Markdown postprocessors too). nh3 before
# 0.3 has no Cleaner: the same options per call there.
_CLEANER = nh3.Cleaner(**_cleaner_options()) if hasattr(nh3, "Cleaner") else None


# Text the cleaner gives back as it is: no markup, no character reference, none of the
# characters it rewrites (NUL, CR, no-break space). The table of contents sends every
# heading's text through the page's sanitiser: mostly plain words (property-tested).
_MAY_CHANGE = re.compile("[<>&\x00\r\xa0]")


def sanitize_html(html: str) -> str:
    """``html`` with everything that could run script or load active content removed.

    Relative URLs and the schemes in URL_SCHEMES are kept; javascript:, data: and
    every other scheme are dropped with their attribute. Links get
    rel="noopener noreferrer". Comments are removed.
    """
    if not _MAY_CHANGE.search(html):
        return html
    if _CLEANER is not None:
        return _CLEANER.clean(html)
    return nh3.clean(html, **_cleaner_options())
