"""The staging project's ``mkdocs.yml``: what isodocs takes from the repository's, and what it sets.

The repository's ``mkdocs.yml`` is untrusted input: ``repo_mkdocs.load_repo_mkdocs``
parses it with a SafeLoader that knows only a few tags and vets every key
against an allow-list. Only the vetted values reach the staging file; the
repository's file is never given to the engine.

What isodocs sets always wins: the navigation (generated from the published
documents, so it can never name a withheld one), ``docs_dir`` and ``site_dir``
(the staging project's), ``theme.font: false`` (no Google Fonts: the site must
work offline and behind a firewall) and ``navigation.prune`` (see docs/site.md).
Lists of extensions, features and extra CSS are merged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from isodocs.readers.repo_mkdocs import MKDOCS_FILE, TaggedValue, VettedConfig, load_repo_mkdocs
from isodocs.site import mdsanitize

__all__ = ["MKDOCS_FILE", "TaggedValue", "VettedConfig", "dump_config", "merged_config", "read_repo_config"]

# Python-Markdown and pymdown extensions the generated pages use.
REQUIRED_EXTENSIONS: list[Any] = [
    "tables",
    "attr_list",
    "md_in_html",
    "admonition",
    "def_list",
    {"toc": {"permalink": True}},
    "pymdownx.details",
    "pymdownx.superfences",
    # "a." / "i." / "A." list markers as lettered and roman lists (as pandoc reads them), for
    # documents written by hand; the importer converts an imported body's markers itself.
    "pymdownx.fancylists",
]

# Theme features isodocs turns on. navigation.prune keeps only the visible part of
# the navigation in each page: without it every page of a 1,000-document site
# carries the whole navigation tree (see docs/site.md for the figures).
REQUIRED_FEATURES = ["navigation.prune", "navigation.top", "navigation.tracking", "search.highlight", "toc.follow"]
# navigation.expand cannot be combined with navigation.prune: prune wins.
CONFLICTING_FEATURES = {"navigation.expand"}


class _KeepTagsLoader(yaml.SafeLoader):
    """SafeLoader that reads a staging mkdocs.yml back with its tags as TaggedValue (tests, never the repo's)."""


def _construct_tagged(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> TaggedValue:
    tag = node.tag
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return TaggedValue(tag, value)


_KeepTagsLoader.add_multi_constructor("!", _construct_tagged)
_KeepTagsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)


class _KeepTagsDumper(yaml.SafeDumper):
    """SafeDumper that writes TaggedValue back with its tag."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_tagged(dumper: yaml.SafeDumper, data: TaggedValue) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_KeepTagsDumper.add_representer(TaggedValue, _represent_tagged)


def read_repo_config(root: Path, document_folders: tuple[str, ...] | list[str] = ()) -> dict[str, Any]:
    """The vetted settings of the repository's mkdocs.yml ({} when it has none); exit 2 on anything refused."""
    vetted = load_repo_mkdocs(root, document_folders)
    vetted.raise_first()
    return vetted.config


def _extension_name(entry: Any) -> str:
    return next(iter(entry)) if isinstance(entry, dict) and entry else str(entry)


def _merge_extensions(theirs: list[Any], ours: list[Any]) -> list[Any]:
    """The repository's extensions (with their options), plus ours that are missing."""
    names = {_extension_name(e) for e in theirs}
    return list(theirs) + [e for e in ours if _extension_name(e) not in names]


def _plugin_names(plugins: Any) -> list[str]:
    return [_extension_name(p) for p in plugins or []]


def directory_urls(repo_config: dict[str, Any]) -> bool:
    """The ``use_directory_urls`` the staging project builds with (``merged_config`` writes it).

    isodocs writes the final URLs of the links in its own HTML blocks for MkDocs
    (site/markdown.py ``page_href``), so it must know the setting: the repository's
    (vetted: true or false), otherwise MkDocs' default, true. Material's offline
    plugin turns it off whatever the file says (pages must open from the file system).
    """
    for plugin in repo_config.get("plugins") or []:
        if _extension_name(plugin) == "offline" and (
            not isinstance(plugin, dict) or plugin["offline"].get("enabled", True)
        ):
            return False
    value = repo_config.get("use_directory_urls", True)
    return value if isinstance(value, bool) else True


def merged_config(
    repo_config: dict[str, Any],
    *,
    organization: str,
    nav: list[Any],
    site_dir: str,
    extra_css: list[str],
    extra_javascript: list[str],
    versioned: bool,
    sanitize_token: str = mdsanitize.PROCESS_TOKEN,
    published: list[str] | None = None,
) -> dict[str, Any]:
    """The staging mkdocs.yml: the repository's settings with isodocs' on top."""
    config = dict(repo_config)
    config.setdefault("site_name", f"{organization} management system")
    config["docs_dir"] = "docs"
    config["site_dir"] = site_dir
    config["nav"] = nav
    config["use_directory_urls"] = directory_urls(repo_config)

    theme = repo_config.get("theme") or {}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    theme.setdefault("name", "material")
    theme["font"] = False  # no Google Fonts: the site works offline
    features = [f for f in theme.get("features") or [] if f not in CONFLICTING_FEATURES]
    theme["features"] = features + [f for f in REQUIRED_FEATURES if f not in features]
    theme.setdefault("language", "en")
    config["theme"] = theme

    theirs = list(repo_config.get("markdown_extensions") or [])
    config["markdown_extensions"] = _merge_extensions(theirs, REQUIRED_EXTENSIONS)
    # The sanitiser always comes last, with this build's token (see site/mdsanitize.py).
    config["markdown_extensions"] = [
        e for e in config["markdown_extensions"] if _extension_name(e) != mdsanitize.EXTENSION
    ] + [{mdsanitize.EXTENSION: {"token": sanitize_token, "published": list(published or [])}}]
    config["extra_css"] = [*list(repo_config.get("extra_css") or []), *extra_css]
    config["extra_javascript"] = [*list(repo_config.get("extra_javascript") or []), *extra_javascript]

    plugins = list(repo_config.get("plugins") or [])
    names = _plugin_names(plugins)
    if "search" not in names:
        plugins.insert(0, "search")
    extra = dict(repo_config.get("extra") or {})
    if versioned:
        # alias_type redirect: every Pages host serves it (symlinks need a host that follows them).
        plugins = [p for p in plugins if _extension_name(p) != "mike"]
        plugins.append({"mike": {"alias_type": "redirect", "canonical_version": "latest"}})
        extra["version"] = {**(extra.get("version") or {}), "provider": "mike"}
    else:
        # Outside a mike deployment the selector would ask for a versions.json that is not there.
        version = dict(extra.get("version") or {})
        version.pop("provider", None)
        if version:
            extra["version"] = version
        else:
            extra.pop("version", None)
        plugins = [p for p in plugins if _extension_name(p) != "mike"]
    config["plugins"] = plugins
    if extra:
        config["extra"] = extra
    return config


# The navigation holds only strings, lists and mappings isodocs wrote; it is the bulk of the
# file (a line per published document) and libyaml's emitter writes it ten times faster.
_NavDumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _PlainDumper(_NavDumper):  # type: ignore[misc, valid-type]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_config(config: dict[str, Any]) -> str:
    header = "# Written by isodocs from the repository's mkdocs.yml: do not edit, it is rebuilt on each build.\n"
    rest = {key: value for key, value in config.items() if key != "nav"}
    text = header + yaml.dump(rest, Dumper=_KeepTagsDumper, sort_keys=False, allow_unicode=True)
    if "nav" in config:  # a second top-level key of the same block mapping
        text += yaml.dump({"nav": config["nav"]}, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True)
    return text
