"""The repository's ``mkdocs.yml``, read as untrusted input: only what a manual needs is taken.

MkDocs loads its configuration with PyYAML's full loader (``!!python/...`` tags
run code), runs ``hooks:`` and plugins, renders theme templates with an
unsandboxed Jinja (template code can reach ``os``), and Markdown extensions such
as ``pymdownx.snippets`` read any file the engine can read. A contributor who
can change ``mkdocs.yml`` could otherwise run commands in CI or publish a
withheld document. So isodocs never hands the repository's file to the engine:

1. It parses it with a SafeLoader that knows only the tags listed below,
   bounding size (``MAX_BYTES``), nesting (``MAX_DEPTH``, checked on the event
   stream before anything is composed) and alias expansion (``MAX_VALUES``,
   computed on the node graph before anything is expanded).
2. It vets every key against an allow-list (theme, palette, features, logo,
   a list of Markdown extensions with their options, the search and offline
   plugins, ``extra`` for the version selector and social links, CSS and
   JavaScript files inside the repository) and writes a new staging
   configuration from the vetted values only.

Everything else is a ``Problem`` with the key and its line: ``isodocs build``
stops with exit 2 on the first one, ``isodocs check`` reports each as
``mkdocs-config-refused``. SECURITY.md lists what is taken and why.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from isodocs.errors import UsageError
from isodocs.readers import safefs
from isodocs.readers.safefs import inside, is_relative_inside, read_repo_text
from isodocs.text.sanitize import sanitize_html

MKDOCS_FILE = "mkdocs.yml"
MAX_BYTES = 512 * 1024  # a real mkdocs.yml is a few kilobytes
MAX_DEPTH = 16  # the deepest real option (theme.icon.admonition.note) is four levels
MAX_VALUES = 5_000  # values after alias expansion; a large real config has a few hundred
MAX_EVENTS = 20_000
MAX_ASSET_BYTES = 5 * 1024 * 1024
MAX_OVERRIDE_FILES = 500

PY_NAME = "tag:yaml.org,2002:python/name:"
PY_APPLY = "tag:yaml.org,2002:python/object/apply:"

# `!!python/name:` values taken, by the option that takes them. Each names a pure function
# of pymdown-extensions, Python-Markdown or Material (no file, no network).
EMOJI_INDEXES = frozenset(
    {
        "material.extensions.emoji.twemoji",
        "materialx.emoji.twemoji",  # the older name, still in many configurations
        "pymdownx.emoji.twemoji",
        "pymdownx.emoji.gemoji",
        "pymdownx.emoji.emojione",
    }
)
# pymdownx.emoji.to_svg/to_png link images on a CDN: the site must load nothing from another host.
EMOJI_GENERATORS = frozenset({"material.extensions.emoji.to_svg", "materialx.emoji.to_svg", "pymdownx.emoji.to_alt"})
FENCE_FORMATS = frozenset({"pymdownx.superfences.fence_code_format", "pymdownx.superfences.fence_div_format"})
SLUGIFY_NAMES = frozenset(
    {
        "pymdownx.slugs.uslugify",
        "pymdownx.slugs.uslugify_encoded",
        "pymdownx.slugs.gfm",
        "pymdownx.slugs.gfm_encoded",
        "markdown.extensions.toc.slugify",
        "markdown.extensions.toc.slugify_unicode",
    }
)
ALLOWED_PY_NAMES = EMOJI_INDEXES | EMOJI_GENERATORS | FENCE_FORMATS | SLUGIFY_NAMES
# The one `!!python/object/apply:` taken: Material's documented slug function, with vetted keywords.
SLUGIFY_APPLY = "pymdownx.slugs.slugify"


@dataclass(frozen=True)
class TaggedValue:
    """A value written back with its YAML tag (a vetted ``!!python/name:`` or the slugify call)."""

    tag: str
    value: Any


@dataclass(frozen=True)
class Problem:
    """Something in mkdocs.yml isodocs does not take: the key, its line, why and what to do."""

    key: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}" if self.key else self.message

    def error(self) -> UsageError:
        return UsageError(str(self), MKDOCS_FILE, self.line)


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class VettedConfig:
    """What isodocs takes from mkdocs.yml: the vetted settings and the files they name."""

    config: dict[str, Any] = field(default_factory=dict)
    # staging path -> content: CSS, JavaScript, logo and favicon under docs/, custom_dir under overrides/
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    exists: bool = False
    sources: list[str] = field(default_factory=list)  # repository files and folders read (for `serve` to watch)

    def raise_first(self) -> None:
        """Stop with exit 2 on the first problem (``build``, ``serve``, ``publish``)."""
        if self.problems:
            raise self.problems[0].error()


# --------------------------------------------------------------------------- parsing


class _Loader(yaml.SafeLoader):
    """Composes nodes only; values are built by ``_Builder``, which knows the allowed tags."""


Path_ = tuple[str | int, ...]


def _line(node: yaml.Node | yaml.Event) -> int:
    return node.start_mark.line + 1 if node.start_mark else 1


def _key(path: Path_) -> str:
    """A key path as written in messages: markdown_extensions[2].toc.slugify."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _check_events(text: str) -> None:
    """Bound nesting and size on the event stream (iterative), before the recursive composer runs."""
    depth = events = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            events += 1
            if events > MAX_EVENTS:
                raise _Refused(
                    Problem("", _line(event), f"more than {MAX_EVENTS:,} YAML values; a mkdocs.yml is small")
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _Refused(Problem("", _line(event), f"nested deeper than {MAX_DEPTH} levels"))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _Refused(Problem("", mark.line + 1 if mark else 1, f"cannot parse: {exc.problem}")) from None
    except yaml.YAMLError as exc:
        raise _Refused(Problem("", 1, f"cannot parse: {exc}")) from None


def _check_expansion(root: yaml.Node) -> None:
    """Refuse alias bombs and recursive aliases, counted over the shared node graph (linear)."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if id(node) in active:
            raise _Refused(Problem("", _line(node), "a YAML alias contains itself"))
        if depth > MAX_DEPTH:
            raise _Refused(Problem("", _line(node), f"nested deeper than {MAX_DEPTH} levels (through aliases)"))
        active.add(id(node))
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        active.discard(id(node))
        sizes[id(node)] = total
        if total > MAX_VALUES:
            raise _Refused(
                Problem("", _line(node), f"expands to more than {MAX_VALUES:,} values through aliases; write it out")
            )
        return total

    size(root, 0)


_PLAIN_SCALARS = {f"tag:yaml.org,2002:{n}" for n in ("str", "int", "float", "bool", "null")}


class _Builder:
    """Builds plain values from nodes, recording the line of every key and item."""

    def __init__(self, loader: _Loader) -> None:
        self.loader = loader
        self.lines: dict[Path_, int] = {}

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.lines.setdefault(path, _line(node))
        tag = node.tag or ""
        if isinstance(node, yaml.ScalarNode):
            if tag in _PLAIN_SCALARS:
                return self.loader.construct_object(node)
            if tag == "tag:yaml.org,2002:timestamp":
                return node.value  # kept as written (a date in `copyright:`, say)
            if tag.startswith(PY_NAME):
                name = tag[len(PY_NAME) :]
                if name not in ALLOWED_PY_NAMES:
                    raise _Refused(Problem(_key(path), _line(node), _py_name_refusal(name)))
                return TaggedValue(tag, "")
        if tag.startswith(PY_APPLY) and tag[len(PY_APPLY) :] == SLUGIFY_APPLY and isinstance(node, yaml.MappingNode):
            return TaggedValue(tag, self._mapping(node, path))
        if isinstance(node, yaml.SequenceNode) and tag == "tag:yaml.org,2002:seq":
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode) and tag == "tag:yaml.org,2002:map":
            return self._mapping(node, path)
        raise _Refused(Problem(_key(path), _line(node), _tag_refusal(tag)))

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Refused(
                    Problem(_key(path), _line(key_node), "merge keys (<<) are not taken; write the keys out")
                )
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                raise _Refused(Problem(_key(path), _line(key_node), "keys must be plain words"))
            key = key_node.value
            if key in data:
                first = self.lines[(*path, key)]
                raise _Refused(
                    Problem(_key((*path, key)), _line(key_node), f"appears twice (first on line {first}); keep one")
                )
            self.lines[(*path, key)] = _line(key_node)
            data[key] = self.build(value_node, (*path, key))
        return data


def _py_name_refusal(name: str) -> str:
    if name.startswith("pymdownx.emoji.to_"):
        return (
            f"!!python/name:{name} is not taken: it links emoji images on another host, and the manual loads "
            "nothing from outside; use !!python/name:material.extensions.emoji.to_svg"
        )
    return (
        f"!!python/name:{name} is not taken: a python name is code the engine imports; isodocs takes only "
        "the few listed in SECURITY.md, in the options that use them"
    )


def _tag_refusal(tag: str) -> str:
    short = tag.replace("tag:yaml.org,2002:", "!!")
    if tag == "!ENV":
        return (
            "!ENV is not taken: an environment value written into the site could publish a CI secret; "
            "write the value itself"
        )
    if tag == "!relative":
        return "!relative is not taken: no option isodocs takes names a folder; remove it"
    if short.startswith("!!python/"):
        return (
            f"{short} is not taken: it would run Python code while the site is built; isodocs takes only "
            "!!python/name: of a short allow-list and !!python/object/apply:pymdownx.slugs.slugify (see SECURITY.md)"
        )
    return f"the YAML tag {short} is not taken by isodocs; write a plain value"


def parse_mkdocs_yml(text: str) -> tuple[dict[str, Any], dict[Path_, int]]:
    """The mkdocs.yml text as plain data and the line of every key; raises _Refused."""
    _check_events(text)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        _check_expansion(node)
        builder = _Builder(loader)
        data = builder.build(node, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _Refused(Problem("", mark.line + 1 if mark else 1, f"cannot parse: {exc.problem}")) from None
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        raise _Refused(Problem("", 1, f"cannot parse: {exc}")) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise _Refused(Problem("", 1, "must be a YAML mapping (site_name:, theme: ...)"))
    return data, builder.lines


# --------------------------------------------------------------------------- value checks
# A check takes (value, path) and returns the value to keep or raises _Refused.

Check = Callable[[Any, Path_], Any]


class _Vetter:
    """Vets parsed values against the allow-list, collecting the files they name."""

    def __init__(self, root: Path, lines: dict[Path_, int], document_folders: Iterable[str]) -> None:
        self.root = root
        self.lines = lines
        self.folders = [f.strip("/") for f in document_folders]
        self.files: dict[str, bytes] = {}
        self.sources: list[str] = []

    def line(self, path: Path_) -> int:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1

    def outside_documents(self, name: str, path: Path_) -> None:
        """Files in document folders belong to documents (published only with them), never to the theme."""
        for folder in self.folders:
            if not folder or name == folder or name.startswith(folder + "/") or folder.startswith(name + "/"):
                raise self.refuse(
                    path,
                    f"{name} is (or holds) the document folder {folder}/: files there are published only with "
                    "their document; keep theme files in a folder of their own, e.g. assets/ or overrides/",
                )

    def refuse(self, path: Path_, message: str) -> _Refused:
        return _Refused(Problem(_key(path), self.line(path), message))

    # -- shapes
    def mapping(self, value: Any, path: Path_, allowed: dict[str, Check], what: str = "") -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.refuse(path, f"must be a mapping{what}, not {_kind(value)}")
        out = {}
        for key, item in value.items():
            if key not in allowed:
                raise self.refuse(
                    (*path, key), f"is not taken by isodocs; the keys taken here are {', '.join(sorted(allowed))}"
                )
            out[key] = allowed[key](item, (*path, key))
        return out

    def list_of(self, check: Check) -> Check:
        def vet(value: Any, path: Path_) -> list[Any]:
            if not isinstance(value, list):
                raise self.refuse(path, f"must be a list, not {_kind(value)}")
            return [check(item, (*path, i)) for i, item in enumerate(value)]

        return vet


def _kind(value: Any) -> str:
    if isinstance(value, TaggedValue):
        return "a python tag"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", type(None): "empty"}.get(
        type(value), "a number"
    )


def _bool(value: Any, path: Path_, vetter: _Vetter) -> bool:
    if not isinstance(value, bool):
        raise vetter.refuse(path, f"must be true or false, not {_kind(value)}")
    return value


def _int(value: Any, path: Path_, vetter: _Vetter) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
        raise vetter.refuse(path, f"must be a whole number, not {_kind(value)}")
    return value


def _text(value: Any, path: Path_, vetter: _Vetter) -> str:
    """Text the theme writes into HTML unescaped (MkDocs' Jinja does not escape): no markup."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise vetter.refuse(path, f"must be text, not {_kind(value)}")
    text = str(value)
    if re.search(r'[<>"`]', text) or len(text) > 2_000:
        raise vetter.refuse(path, 'must be plain text without <, >, " or ` (the theme writes it into the page as HTML)')
    return text


def _raw_text(value: Any, path: Path_, vetter: _Vetter) -> str:
    """Text the engine escapes itself (e.g. the search separator, written into JSON)."""
    if not isinstance(value, str) or len(value) > 2_000:
        raise vetter.refuse(path, f"must be text, not {_kind(value)}")
    return value


def _scalar(value: Any, path: Path_, vetter: _Vetter) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    return _text(value, path, vetter)


def _url(value: Any, path: Path_, vetter: _Vetter, schemes: tuple[str, ...] = ("https://", "http://")) -> str:
    text = _text(value, path, vetter)
    if not text.lower().startswith(schemes) or any(c.isspace() for c in text):
        raise vetter.refuse(path, f"must be a URL starting with {' or '.join(schemes)}")
    return text


ICON = re.compile(r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)+$")


def _icon(value: Any, path: Path_, vetter: _Vetter) -> str:
    if not isinstance(value, str) or not ICON.match(value):
        raise vetter.refuse(path, "must name a bundled icon such as material/library or fontawesome/brands/github")
    return value


def _py_name(allowed: frozenset[str]) -> Callable[[Any, Path_, _Vetter], TaggedValue]:
    def vet(value: Any, path: Path_, vetter: _Vetter) -> TaggedValue:
        name = value.tag[len(PY_NAME) :] if isinstance(value, TaggedValue) and value.tag.startswith(PY_NAME) else None
        if name not in allowed:
            raise vetter.refuse(path, f"must be one of !!python/name:{' , !!python/name:'.join(sorted(allowed))}")
        return value

    return vet


def _slugify(value: Any, path: Path_, vetter: _Vetter) -> TaggedValue:
    if isinstance(value, TaggedValue) and value.tag == PY_APPLY + SLUGIFY_APPLY:
        kwds = {
            "case": lambda v, p: _choice(v, p, vetter, ("lower", "fold", "none")),
            "percent_encode": lambda v, p: _bool(v, p, vetter),
            "normalize": lambda v, p: _choice(v, p, vetter, ("NFC", "NFD", "NFKC", "NFKD")),
        }
        args = vetter.mapping(value.value, path, {"kwds": lambda v, p: vetter.mapping(v, p, kwds)})
        return TaggedValue(value.tag, args)
    return _py_name(SLUGIFY_NAMES)(value, path, vetter)


def _choice(value: Any, path: Path_, vetter: _Vetter, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise vetter.refuse(path, f"must be one of {', '.join(choices)}")
    return str(value)


# --------------------------------------------------------------------------- files


ASSET_SUFFIXES = {
    "extra_css": (".css",),
    "extra_javascript": (".js", ".mjs"),
    "image": (".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".svg"),
}
BINARY_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".otf"})
JINJA_MARKUP = re.compile(rb"\{[{%#]")


def _repo_path(value: Any, path: Path_, vetter: _Vetter, suffixes: tuple[str, ...]) -> str:
    """A file of the repository (not in a document folder), copied into the staging docs/ folder."""
    if not isinstance(value, str) or not value.strip():
        raise vetter.refuse(path, f"must be the path of a file in the repository, not {_kind(value)}")
    if "://" in value or value.startswith("//"):
        raise vetter.refuse(path, "must be a file in the repository: the site loads nothing from another host")
    rel = PurePosixPath(value.replace("\\", "/"))
    if not is_relative_inside(value) or ".." in rel.parts:
        raise vetter.refuse(path, f"{value}: must be a path inside the repository, without '..'")
    name = rel.as_posix()
    if rel.suffix.lower() not in suffixes:
        raise vetter.refuse(path, f"{value}: only {', '.join(suffixes)} files are taken here")
    if any(part.startswith(".") for part in rel.parts):
        raise vetter.refuse(path, f"{value}: hidden files and folders are not taken")
    vetter.outside_documents(name, path)
    file = vetter.root / name
    if not inside(vetter.root, file):
        raise vetter.refuse(path, f"{value} is a symlink to a place outside the repository; isodocs does not follow it")
    if not file.is_file() or file.is_symlink():
        raise vetter.refuse(path, f"{value}: not found (or not a plain file) in the repository")
    size = file.stat().st_size
    if size > MAX_ASSET_BYTES:
        raise vetter.refuse(path, f"{value} is {size:,} bytes, over the limit of {MAX_ASSET_BYTES:,}")
    if rel.suffix.lower() in (".css", ".js", ".mjs"):
        try:
            data = read_repo_text(vetter.root, name, cited_in=MKDOCS_FILE).encode("utf-8")
        except UsageError as error:
            raise vetter.refuse(path, f"{value}: {error.message}") from None
    else:
        data = _asset_bytes(vetter, path, file, value, MAX_ASSET_BYTES)
    vetter.files[f"docs/{name}"] = data
    vetter.sources.append(name)
    return name


def _asset_bytes(vetter: _Vetter, path: Path_, file: Path, shown: str, max_bytes: int) -> bytes:
    """A file mkdocs.yml names, read by safefs (the one reader of repository files); refused when it cannot be."""
    data, problem = safefs.read_bytes(vetter.root, file, max_bytes)
    if data is None:
        raise vetter.refuse(path, f"{shown}: {problem.message if problem else 'not read'}")
    return data


def _custom_dir(value: Any, path: Path_, vetter: _Vetter) -> str:
    """A folder of static theme files (icons, images), copied to the staging ``overrides/``.

    Templates are refused: MkDocs renders them with an unsandboxed Jinja, where
    template code reaches Python's ``os`` module. Markdown files are refused:
    Zensical copies the folder's files into the site as they are.
    """
    if not isinstance(value, str) or not is_relative_inside(value) or ".." in PurePosixPath(value).parts:
        raise vetter.refuse(path, "must be a folder inside the repository, without '..'")
    name = PurePosixPath(value.replace("\\", "/")).as_posix().strip("/")
    if name in ("", "."):
        raise vetter.refuse(path, "must be a folder of its own (e.g. overrides), not the repository itself")
    vetter.outside_documents(name, path)
    folder = vetter.root / name
    if not inside(vetter.root, folder) or folder.is_symlink() or not folder.is_dir():
        raise vetter.refuse(path, f"{value}: not a folder of the repository")
    count = total = 0
    vetter.sources.append(name)
    for current, dirs, files in os.walk(folder):
        for entry in sorted(dirs + files):
            full = Path(current, entry)
            rel = full.relative_to(folder).as_posix()
            if full.is_symlink():
                raise vetter.refuse(path, f"{name}/{rel} is a symlink; custom_dir may hold only plain files")
            if entry not in files:
                continue
            if full.suffix.lower() in (".md", ".markdown"):
                raise vetter.refuse(path, f"{name}/{rel}: custom_dir may hold no Markdown (Zensical copies it raw)")
            count += 1
            total += full.stat().st_size
            if count > MAX_OVERRIDE_FILES or total > 4 * MAX_ASSET_BYTES:
                raise vetter.refuse(path, f"{value} holds too much for theme overrides")
            data = _asset_bytes(vetter, path, full, f"{name}/{rel}", 4 * MAX_ASSET_BYTES)
            if full.suffix.lower() not in BINARY_SUFFIXES and JINJA_MARKUP.search(data):
                line = data.count(b"\n", 0, JINJA_MARKUP.search(data).start()) + 1  # type: ignore[union-attr]
                raise vetter.refuse(
                    path,
                    f"{name}/{rel}:{line} holds template code; MkDocs runs theme templates unsandboxed (they can run "
                    "any command), so isodocs takes only static files (icons, images, stylesheets) from custom_dir",
                )
            vetter.files[f"overrides/{rel}"] = data
    return "overrides"


# --------------------------------------------------------------------------- the allow-list


B, N, T, S = _bool, _int, _text, _scalar


def _text_or_list(value: Any, path: Path_, vetter: _Vetter) -> Any:
    return (
        [T(v, (*path, i), vetter) for i, v in enumerate(value)] if isinstance(value, list) else T(value, path, vetter)
    )


def _text_map(value: Any, path: Path_, vetter: _Vetter) -> dict[str, str]:
    if not isinstance(value, dict):
        raise vetter.refuse(path, f"must be a mapping, not {_kind(value)}")
    return {str(k): T(v, (*path, k), vetter) for k, v in value.items()}


def _custom_fence(value: Any, path: Path_, vetter: _Vetter) -> dict[str, Any]:
    spec = {
        "name": lambda v, p: T(v, p, vetter),
        "class": lambda v, p: T(v, p, vetter),
        "format": lambda v, p: _py_name(FENCE_FORMATS)(v, p, vetter),
    }
    return vetter.mapping(value, path, spec)


# Markdown extensions taken, with the options taken for each. None of them reads a
# file, fetches anything or runs code named in the configuration.
def _bound(spec: Mapping[str, Callable[[Any, Path_, _Vetter], Any]], vetter: _Vetter) -> dict[str, Check]:
    """An extension's option checks with the vetter bound, as ``_Vetter.mapping`` takes them."""

    def bind(check: Callable[[Any, Path_, _Vetter], Any]) -> Check:
        return lambda value, path: check(value, path, vetter)

    return {key: bind(check) for key, check in spec.items()}


EXTENSIONS: dict[str, dict[str, Callable[[Any, Path_, _Vetter], Any]]] = {
    "abbr": {},
    "admonition": {},
    "attr_list": {},
    "def_list": {},
    "fenced_code": {"lang_prefix": T},
    "footnotes": {
        n: S
        for n in (
            "PLACE_MARKER",
            "UNIQUE_IDS",
            "BACKLINK_TEXT",
            "SUPERSCRIPT_TEXT",
            "BACKLINK_TITLE",
            "SEPARATOR",
            "USE_DEFINITION_ORDER",
        )
    },
    "md_in_html": {},
    "meta": {},
    "nl2br": {},
    "sane_lists": {},
    "smarty": {n: B for n in ("smart_dashes", "smart_quotes", "smart_angled_quotes", "smart_ellipses")},
    "tables": {"use_align_attribute": B},
    "legacy_attrs": {},
    "legacy_em": {},
    "codehilite": {
        n: S
        for n in (
            "linenums",
            "guess_lang",
            "css_class",
            "pygments_style",
            "noclasses",
            "use_pygments",
            "lang_prefix",
            "wrapcode",
        )
    },
    "toc": {
        **{
            n: S
            for n in (
                "marker",
                "title",
                "title_class",
                "toc_class",
                "anchorlink",
                "anchorlink_class",
                "permalink",
                "permalink_class",
                "permalink_title",
                "permalink_leading",
                "baselevel",
                "separator",
                "toc_depth",
            )
        },
        "slugify": _slugify,
    },
    "pymdownx.arithmatex": {n: S for n in ("generic", "smart_dollar", "preview", "block_tag", "inline_tag")},
    "pymdownx.betterem": {"smart_enable": T},
    "pymdownx.caret": {n: B for n in ("smart_insert", "insert", "superscript")},
    "pymdownx.critic": {"mode": T},
    "pymdownx.details": {},
    "pymdownx.emoji": {
        "emoji_index": _py_name(EMOJI_INDEXES),
        "emoji_generator": _py_name(EMOJI_GENERATORS),
        "title": T,
        "alt": T,
        "remove_variation_selector": B,
    },
    "pymdownx.escapeall": {"hardbreak": B, "nbsp": B},
    "pymdownx.extra": {},
    "pymdownx.highlight": {
        **{
            n: S
            for n in (
                "use_pygments",
                "linenums",
                "linenums_style",
                "linenums_special",
                "linenums_class",
                "anchor_linenums",
                "line_spans",
                "line_anchors",
                "auto_title",
                "css_class",
                "guess_lang",
                "default_lang",
                "pygments_lang_class",
                "code_attr_on_pre",
                "language_prefix",
                "stripnl",
                "pygments_style",
                "noclasses",
            )
        },
        "auto_title_map": _text_map,
    },
    "pymdownx.inlinehilite": {"style_plain_text": S, "css_class": T},
    "pymdownx.keys": {"separator": T, "strict": B, "camel_case": B, "key_map": _text_map},
    "pymdownx.magiclink": {
        n: S
        for n in (
            "hide_protocol",
            "link_length",
            "repo_url_shortener",
            "repo_url_shorthand",
            "social_url_shortener",
            "social_url_shorthand",
            "normalize_issue_symbols",
            "provider",
            "user",
            "repo",
        )
    },
    "pymdownx.mark": {"smart_mark": B},
    "pymdownx.progressbar": {"level_class": B, "add_classes": T, "progress_increment": N},
    "pymdownx.saneheaders": {},
    "pymdownx.smartsymbols": {
        n: B
        for n in (
            "trademark",
            "copyright",
            "registered",
            "care_of",
            "plusminus",
            "arrows",
            "notequal",
            "fractions",
            "ordinal_numbers",
        )
    },
    "pymdownx.superfences": {
        **{n: B for n in ("disable_indented_code_blocks", "preserve_tabs", "relaxed_headers")},
        "css_class": T,
        "custom_fences": lambda v, p, vt: vt.list_of(lambda x, q: _custom_fence(x, q, vt))(v, p),
    },
    "pymdownx.tabbed": {"alternate_style": B, "combine_header_slug": B, "separator": T, "slugify": _slugify},
    "pymdownx.tasklist": {"custom_checkbox": B, "clickable_checkbox": B},
    "pymdownx.tilde": {n: B for n in ("smart_delete", "delete", "subscript")},
}
# Refused with a reason of its own (anything else not listed: "not taken").
REFUSED_EXTENSIONS = {
    "pymdownx.snippets": "it pastes any file the engine can read into a page (a withheld document too), and a "
    "controlled document must say on its own what was approved",
    "pymdownx.b64": "it embeds files read from a base path into pages",
    "pymdownx.blocks.html": "raw HTML blocks are not taken",
    "isodocs.site.mdsanitize": "isodocs adds its sanitiser itself, last, with a token of each build",
}


def _named_entry(entry: Any, path: Path_, vetter: _Vetter, what: str) -> tuple[str, Any, Path_]:
    """(name, options or None, the options' key path) of a list entry written `name` or `name: {options}`."""
    if isinstance(entry, str):
        return entry, None, path
    if isinstance(entry, dict) and len(entry) == 1:
        name, options = next(iter(entry.items()))
        return name, options, (*path, name)
    raise vetter.refuse(path, f"each {what} must be a name, or a name with its options")


def _extension(entry: Any, path: Path_, vetter: _Vetter) -> Any:
    name, options, opath = _named_entry(entry, path, vetter, "extension")
    short = name.removeprefix("markdown.extensions.")
    if short in REFUSED_EXTENSIONS or name in REFUSED_EXTENSIONS:
        raise vetter.refuse(opath, f"{name} is not taken: {REFUSED_EXTENSIONS.get(short) or REFUSED_EXTENSIONS[name]}")
    if short not in EXTENSIONS:
        raise vetter.refuse(
            opath,
            f"{name} is not on isodocs' list of Markdown extensions (an extension is Python code that runs on every "
            "page); the list is in SECURITY.md",
        )
    if options is None:
        return short
    spec = EXTENSIONS[short]
    vetted = vetter.mapping(options, opath, _bound(spec, vetter))
    return {short: vetted}


def _plugin(entry: Any, path: Path_, vetter: _Vetter) -> Any:
    name, options, opath = _named_entry(entry, path, vetter, "plugin")
    specs = {
        "search": {"lang": _text_or_list, "separator": _raw_text, "pipeline": _text_or_list, "enabled": B},
        "offline": {"enabled": B},
        "mike": None,  # isodocs configures mike itself when it publishes
    }
    if name not in specs:
        raise vetter.refuse(
            opath,
            f"the plugin {name} is not taken: a plugin is Python code that runs during the build; isodocs takes "
            "search and offline (and sets mike itself when publishing)",
        )
    spec = specs[name]
    if spec is None:
        return None
    if options is None:
        return name
    return {name: vetter.mapping(options, opath, _bound(spec, vetter))}


def _palette_entry(value: Any, path: Path_, vetter: _Vetter) -> dict[str, Any]:
    colour = re.compile(r"^[A-Za-z0-9 ():,._-]+$")

    def word(v: Any, p: Path_) -> str:
        if not isinstance(v, str) or not colour.match(v):
            raise vetter.refuse(p, "must be a colour name, scheme or media query (letters, digits, ( ) : , . - only)")
        return v

    toggle = {"icon": lambda v, p: _icon(v, p, vetter), "name": lambda v, p: T(v, p, vetter)}
    spec = {
        "scheme": word,
        "primary": word,
        "accent": word,
        "media": word,
        "toggle": lambda v, p: vetter.mapping(v, p, toggle),
    }
    return vetter.mapping(value, path, spec)


def _theme(value: Any, path: Path_, vetter: _Vetter) -> dict[str, Any]:
    if isinstance(value, str):
        value = {"name": value}
    icon_names = (
        "logo",
        "repo",
        "edit",
        "view",
        "menu",
        "alternate",
        "search",
        "share",
        "close",
        "top",
        "previous",
        "next",
        "annotation",
    )

    def icon_map(v: Any, p: Path_) -> dict[str, str]:
        if not isinstance(v, dict):
            raise vetter.refuse(p, f"must be a mapping of names to icons, not {_kind(v)}")
        return {str(k): _icon(x, (*p, k), vetter) for k, x in v.items()}

    icons: dict[str, Check] = {n: (lambda v, p: _icon(v, p, vetter)) for n in icon_names}
    icons |= {"admonition": icon_map, "tag": icon_map}

    def palette(v: Any, p: Path_) -> Any:
        if isinstance(v, list):
            return [_palette_entry(x, (*p, i), vetter) for i, x in enumerate(v)]
        return _palette_entry(v, p, vetter)

    def name(v: Any, p: Path_) -> str:
        if v != "material":
            raise vetter.refuse(p, "must be material: the manual's pages are made for Material (Zensical's too)")
        return v

    def font(v: Any, p: Path_) -> bool:
        if v is not False and not isinstance(v, dict):
            raise vetter.refuse(p, "must be false or a mapping of text and code")
        return False  # isodocs sets false: no Google Fonts, the site works offline

    spec: dict[str, Check] = {
        "name": name,
        "custom_dir": lambda v, p: _custom_dir(v, p, vetter),
        "palette": palette,
        "features": vetter.list_of(lambda v, p: _feature(v, p, vetter)),
        "logo": lambda v, p: _repo_path(v, p, vetter, ASSET_SUFFIXES["image"]),
        "favicon": lambda v, p: _repo_path(v, p, vetter, ASSET_SUFFIXES["image"]),
        "icon": lambda v, p: vetter.mapping(v, p, icons),
        "language": lambda v, p: _language(v, p, vetter),
        "direction": lambda v, p: _choice(v, p, vetter, ("ltr", "rtl")),
        "font": font,
    }
    return vetter.mapping(value, path, spec, " (name: material, palette:, features: ...) or the word material")


def _feature(value: Any, path: Path_, vetter: _Vetter) -> str:
    if not isinstance(value, str) or not re.match(r"^[a-z]+(\.[a-z_]+)*$", value):
        raise vetter.refuse(path, "must be a Material feature such as navigation.tabs")
    return value


def _language(value: Any, path: Path_, vetter: _Vetter) -> str:
    if not isinstance(value, str) or not re.match(r"^[a-z]{2,3}([_-][A-Za-z]{2,4})?$", value):
        raise vetter.refuse(path, "must be a language code such as en or pt-BR")
    return value


def _extra_javascript(value: Any, path: Path_, vetter: _Vetter) -> Any:
    if isinstance(value, dict):
        spec = {
            "path": lambda v, p: _repo_path(v, p, vetter, ASSET_SUFFIXES["extra_javascript"]),
            "type": lambda v, p: _choice(v, p, vetter, ("module", "text/javascript")),
            "async": lambda v, p: B(v, p, vetter),
            "defer": lambda v, p: B(v, p, vetter),
        }
        return vetter.mapping(value, path, spec)
    return _repo_path(value, path, vetter, ASSET_SUFFIXES["extra_javascript"])


def _extra(value: Any, path: Path_, vetter: _Vetter) -> dict[str, Any]:
    def version(v: Any, p: Path_) -> dict[str, Any]:
        return vetter.mapping(
            v,
            p,
            {
                "provider": lambda x, q: _choice(x, q, vetter, ("mike",)),
                "default": lambda x, q: _text_or_list(x, q, vetter),
                "alias": lambda x, q: B(x, q, vetter),
            },
        )

    social = {
        "icon": lambda v, p: _icon(v, p, vetter),
        "link": lambda v, p: _url(v, p, vetter, ("https://", "http://", "mailto:")),
        "name": lambda v, p: T(v, p, vetter),
    }
    alternate = {
        "name": lambda v, p: T(v, p, vetter),
        "link": lambda v, p: T(v, p, vetter),
        "lang": lambda v, p: _language(v, p, vetter),
    }

    def refused(reason: str) -> Check:
        def vet(v: Any, p: Path_) -> Any:
            raise vetter.refuse(p, reason)

        return vet

    spec: dict[str, Check] = {
        "version": version,
        "social": vetter.list_of(lambda v, p: vetter.mapping(v, p, social)),
        "generator": lambda v, p: B(v, p, vetter),
        "homepage": lambda v, p: _url(v, p, vetter),
        "alternate": vetter.list_of(lambda v, p: vetter.mapping(v, p, alternate)),
        "status": lambda v, p: _text_map(v, p, vetter),
        "analytics": refused(
            "is not taken: analytics loads a script from another host and reports every reader; the manual loads "
            "nothing from outside"
        ),
        "consent": refused("is not taken (it serves analytics, which isodocs does not take)"),
    }
    return vetter.mapping(value, path, spec)


def _copyright(value: Any, path: Path_, vetter: _Vetter) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise vetter.refuse(path, f"must be text, not {_kind(value)}")
    return sanitize_html(str(value))  # the theme writes it as HTML: links stay, script goes


# Keys isodocs accepts and replaces with its own (documented in docs/site.md).
IGNORED_KEYS = frozenset(
    {
        "nav",
        "pages",
        "docs_dir",
        "site_dir",
        "dev_addr",
        "strict",
        "watch",
        "validation",
        "exclude_docs",
        "draft_docs",
        "not_in_nav",
        "remote_branch",
        "remote_name",
        "edit_uri",
        "edit_uri_template",
    }
)
REFUSED_KEYS = {
    "hooks": "is not taken: hooks are Python files the engine runs during the build",
    "INHERIT": "is not taken: it would load another YAML file that isodocs does not vet; put the settings here",
    "extra_templates": "is not taken: MkDocs renders templates unsandboxed (template code can run any command)",
    "google_analytics": "is not taken: analytics loads a script from another host and reports every reader",
}


def _top_level(v: _Vetter) -> dict[str, Check]:
    return {
        "site_name": lambda x, p: T(x, p, v),
        "site_url": lambda x, p: _url(x, p, v),
        "site_description": lambda x, p: T(x, p, v),
        "site_author": lambda x, p: T(x, p, v),
        "copyright": lambda x, p: _copyright(x, p, v),
        "repo_url": lambda x, p: _url(x, p, v),
        "repo_name": lambda x, p: T(x, p, v),
        "use_directory_urls": lambda x, p: B(x, p, v),
        "theme": lambda x, p: _theme(x, p, v),
        "markdown_extensions": v.list_of(lambda x, p: _extension(x, p, v)),
        "plugins": lambda x, p: [e for e in v.list_of(lambda y, q: _plugin(y, q, v))(x, p) if e is not None],
        "extra": lambda x, p: _extra(x, p, v),
        "extra_css": v.list_of(lambda x, p: _repo_path(x, p, v, ASSET_SUFFIXES["extra_css"])),
        "extra_javascript": v.list_of(lambda x, p: _extra_javascript(x, p, v)),
    }


def vet_config(
    data: dict[str, Any], lines: dict[Path_, int], root: Path, document_folders: Iterable[str]
) -> VettedConfig:
    """The allow-listed part of a parsed mkdocs.yml, with a Problem for each key not taken."""
    vetter = _Vetter(root, lines, document_folders)
    result = VettedConfig(exists=True)
    spec = _top_level(vetter)
    for key, value in data.items():
        path: Path_ = (key,)
        try:
            if key in REFUSED_KEYS:
                raise vetter.refuse(path, REFUSED_KEYS[key])
            if key in IGNORED_KEYS:
                continue
            if key not in spec:
                raise vetter.refuse(
                    path, "is not a setting isodocs takes from mkdocs.yml (SECURITY.md lists them); remove it"
                )
            result.config[key] = spec[key](value, path)
        except _Refused as refused:
            result.problems.append(refused.problem)
    result.files, result.sources = vetter.files, vetter.sources
    return result


def load_repo_mkdocs(root: Path, document_folders: Iterable[str] = ()) -> VettedConfig:
    """Read and vet the repository's mkdocs.yml (an empty VettedConfig when there is none).

    Never raises for the file's content: every problem is in ``problems``
    (``raise_first`` turns the first into exit 2). Raises UsageError only when
    the file cannot be read at all (a symlink outside, too large, not UTF-8).
    """
    path = root / MKDOCS_FILE
    if not path.exists() and not path.is_symlink():
        return VettedConfig()
    try:
        text = read_repo_text(root, MKDOCS_FILE, max_bytes=MAX_BYTES)
    except UsageError as error:
        return VettedConfig(problems=[Problem("", error.line or 1, error.message)], exists=True)
    try:
        data, lines = parse_mkdocs_yml(text)
    except _Refused as refused:
        return VettedConfig(problems=[refused.problem], exists=True)
    return vet_config(data, lines, root, document_folders)
