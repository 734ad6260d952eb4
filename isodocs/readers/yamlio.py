"""Safe, bounded YAML parsing that remembers where every key was written.

PyYAML forgets source positions once it builds Python objects and silently keeps
the last of two equal keys. isodocs needs both (findings point at the offending
line; a duplicated key is an error), so it composes the node graph first and
then, in one walk, bounds its size, records lines and builds the data (aliases
and merge keys take a slower, general way). The C loader is used when PyYAML was
built with libyaml.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import yaml

from isodocs.model.documents import KeyPath

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    """Safe loader that keeps timestamps as the strings they were written as.

    JSON Schema sees strings; the model parses them into real dates, so an
    impossible date such as 2026-02-30 becomes a finding rather than a crash.
    """


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_str)

# The C parser asks the (Python) resolver for the tag of every node. The same
# answer as PyYAML's ``BaseResolver.resolve``, less generally: this loader has no
# path resolvers and no wildcard resolvers, and most values are plain words.
_IMPLICIT = {first: tuple(resolvers) for first, resolvers in _Loader.yaml_implicit_resolvers.items()}
assert None not in _IMPLICIT and not _Loader.yaml_path_resolvers


def _resolve(self: Any, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
    if kind is yaml.ScalarNode:
        if implicit[0]:
            for tag, regexp in _IMPLICIT.get(value[:1], ()):
                if regexp.match(value):
                    return tag
        return "tag:yaml.org,2002:str"
    return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"


_Loader.resolve = _resolve

MAX_NODES = 50_000  # values a front matter may expand to, aliases included
MAX_DEPTH = 64


class YamlError(Exception):
    """YAML that cannot be used, with the 1-based line of the problem."""

    def __init__(self, message: str, line: int, kind: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.kind = kind  # "invalid" or "duplicate-key"


@dataclass
class ParsedYaml:
    data: Any
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)
    raw_scalars: dict[str, str] = field(default_factory=dict)
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)  # key, line, first line
    # Whether ``data`` is plain JSON data (string keys, finite numbers), when the parser knows; None: not known.
    plain: bool | None = None


def parse_yaml(text: str, line_offset: int = 0, max_nodes: int = MAX_NODES) -> ParsedYaml:
    """Parse one YAML document. ``line_offset`` is added to every reported line.

    Raises YamlError for syntax errors, several documents, aliases that expand
    past ``max_nodes`` values, recursive aliases and excessive nesting.
    """
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = (mark.line + 1 if mark else 1) + line_offset
            problem = exc.problem or "invalid YAML"
            context = f" ({exc.context})" if exc.context else ""
            raise YamlError(f"YAML syntax error: {problem}{context}", line) from None
        except yaml.YAMLError as exc:  # reader errors, e.g. control characters
            raise YamlError(f"YAML error: {exc}", 1 + line_offset) from None
        except RecursionError:  # the pure-Python composer, without libyaml's own depth limit
            raise YamlError(f"YAML nested deeper than {MAX_DEPTH} levels", 1 + line_offset) from None
        if node is None:
            return ParsedYaml(data=None)
        if "*" not in text and "<<" not in text:
            # No alias and no merge key: the usual front matter. One walk builds the
            # data, bounds it and records lines (see _TreeBuilder); it falls back to
            # the general way below at any tag it does not know.
            try:
                return _TreeBuilder(loader, line_offset, max_nodes).build(node)
            except _Unusual:  # start the general way afresh: the walk may have left constructor state
                loader.constructed_objects, loader.recursive_objects = {}, {}
                loader.state_generators, loader.deep_construct = [], False
        parsed = ParsedYaml(data=None)
        if "*" in text:  # an alias is possible: count the expansion
            _check_size(node, max_nodes, line_offset)
        else:  # no alias, no sharing: a plain walk bounds depth and size
            _check_tree(node, max_nodes, line_offset)
        _record(node, (), parsed, line_offset, 0)
        try:
            parsed.data = loader.construct_document(node)
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            line = (mark.line + 1 if mark else 1) + line_offset
            raise YamlError(f"YAML error: {exc.problem}", line) from None
        except (ValueError, TypeError) as exc:  # e.g. unhashable mapping keys
            raise YamlError(f"YAML error: {exc}", node.start_mark.line + 1 + line_offset) from None
        return parsed
    finally:
        loader.dispose()


_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_SCALAR_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)


class _Unusual(Exception):
    """A node _TreeBuilder leaves to PyYAML's constructor (a !!set, a complex key, ...)."""


class _TreeBuilder:
    """Build the data of an alias-free node tree in one walk, as ``_check_tree``,
    ``_record`` and PyYAML's constructor would in three.

    Front matter is parsed for every document of every run, so this walk is most
    of what loading costs. Strings (nearly every value) are taken as they are;
    other scalars go through PyYAML's own constructor, so values are exactly
    what ``yaml.safe_load`` gives (dates kept as strings, see ``_Loader``).
    """

    def __init__(self, loader: Any, offset: int, max_nodes: int) -> None:
        self.loader = loader
        self.offset = offset
        self.max_nodes = max_nodes
        self.count = 0
        self.parsed = ParsedYaml(data=None)
        self.plain = True  # until a key that is no string, or a NaN or infinity, is built
        self.root_line = 1 + offset

    def build(self, root: yaml.Node) -> ParsedYaml:
        self.root_line = root.start_mark.line + 1 + self.offset
        self.parsed.data = self.value(root, (), 0)
        self.parsed.plain = self.plain
        return self.parsed

    def value(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        self.count += 1
        if self.count > self.max_nodes:
            raise YamlError(f"YAML has more than {self.max_nodes:,} values", self.root_line)
        if depth > MAX_DEPTH:
            raise YamlError(f"YAML nested deeper than {MAX_DEPTH} levels", node.start_mark.line + 1 + self.offset)
        tag = node.tag
        if tag == _STR_TAG:
            return node.value
        if tag == _MAP_TAG:
            return self.mapping(node, path, depth)  # type: ignore[arg-type]  # (the tag says so; no check here)
        if tag == _SEQ_TAG:
            record = depth <= 3
            items = []
            for index, item in enumerate(node.value):
                if record:
                    self.parsed.lines[(*path, index)] = item.start_mark.line + 1 + self.offset
                items.append(self.value(item, (*path, index), depth + 1))
            return items
        if tag in _SCALAR_TAGS:
            try:
                value = self.loader.construct_object(node)
            except (yaml.constructor.ConstructorError, ValueError, TypeError):
                raise _Unusual from None  # the general way reports it as before
            if isinstance(value, float) and not math.isfinite(value):
                self.plain = False
            return value
        raise _Unusual

    def mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[Any, Any]:
        parsed, record = self.parsed, depth <= 3
        data: dict[Any, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Unusual  # a mapping or list as key: PyYAML's error message
            key = self.value(key_node, path, depth + 1)
            if type(key) is not str:
                self.plain = False
            if record:
                name = _record_key(key_node, value_node, path, seen, parsed, self.offset)
                data[key] = self.value(value_node, (*path, name), depth + 1)
            else:
                data[key] = self.value(value_node, path, depth + 1)
        return data


def _check_size(root: yaml.Node, max_nodes: int, line_offset: int) -> None:
    """Refuse alias bombs and recursive aliases before anything expands them.

    Aliases share one node object, so the expanded size is computed over the
    node graph with memoisation: linear in the text, however large the expansion.
    """
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        line = node.start_mark.line + 1 + line_offset
        if key in in_progress:
            raise YamlError("recursive YAML alias: a value contains itself", line)
        if depth > MAX_DEPTH:
            raise YamlError(f"YAML nested deeper than {MAX_DEPTH} levels", line)
        in_progress.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        in_progress.discard(key)
        sizes[key] = total
        if total > max_nodes:
            raise YamlError(
                f"YAML expands to more than {max_nodes:,} values (aliases repeated too often); "
                "write the values out instead of using anchors",
                line,
            )
        return total

    size(root, 0)


def _check_tree(root: yaml.Node, max_nodes: int, line_offset: int) -> None:
    """``_check_size`` for a tree without aliases: iterative, no memo, same limits."""
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise YamlError(f"YAML nested deeper than {MAX_DEPTH} levels", node.start_mark.line + 1 + line_offset)
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
    if count > max_nodes:
        raise YamlError(f"YAML has more than {max_nodes:,} values", root.start_mark.line + 1 + line_offset)


def _record(node: yaml.Node, path: tuple[str | int, ...], parsed: ParsedYaml, offset: int, depth: int) -> None:
    """Record lines of keys and items (three levels deep) and duplicate keys."""
    if depth > 3:
        return
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = _record_key(key_node, value_node, path, seen, parsed, offset)
            _record(value_node, (*path, key), parsed, offset, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            parsed.lines[(*path, index)] = item.start_mark.line + 1 + offset
            _record(item, (*path, index), parsed, offset, depth + 1)


def _record_key(
    key_node: yaml.ScalarNode,
    value_node: yaml.Node,
    path: KeyPath,
    seen: dict[str, int],
    parsed: ParsedYaml,
    offset: int,
) -> str:
    """Record a mapping key's line (or, seen before in this mapping, a duplicate); return its text."""
    key, line = key_node.value, key_node.start_mark.line + 1 + offset
    if key in seen:
        parsed.duplicates.append((".".join(map(str, (*path, key))), line, seen[key]))
    else:
        seen[key] = line
        parsed.lines[(*path, key)] = line
        if not path and isinstance(value_node, yaml.ScalarNode):
            parsed.raw_scalars[key] = value_node.value
    return key


def load_yaml_file(text: str) -> ParsedYaml:
    """Parse a whole YAML file (isodocs.yml, soa.yml, catalogues)."""
    return parse_yaml(text)
