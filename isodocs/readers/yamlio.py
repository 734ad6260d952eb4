"""Safe, bounded YAML parsing that remembers where every key was written.

PyYAML forgets source positions once it builds Python objects and silently keeps
the last of two equal keys. isodocs needs both (findings point at the offending
line; a duplicated key is an error), so it composes the node graph first and
then, in one walk, bounds its size, records lines and builds the data (aliases
and merge keys take a slower, general way). The C loader is used when PyYAML was
built with libyaml. Front matter in its usual shape (``key: value`` lines, one
nested mapping, simple scalars and flow lists) is read without PyYAML by a
strict subset reader that gives the same result (``_parse_subset``).
"""

from __future__ import annotations

import math
import operator
import re
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

_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_SCALAR_TAGS = frozenset(
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_ScalarNode, _SequenceNode = yaml.ScalarNode, yaml.SequenceNode

# The C parser asks the (Python) resolver for the tag of every node. The same
# answer as PyYAML's ``BaseResolver.resolve``, less generally: this loader has no
# path resolvers and no wildcard resolvers, and most values are plain words
# whose first character no implicit tag starts with.
_IMPLICIT = {first: tuple(resolvers) for first, resolvers in _Loader.yaml_implicit_resolvers.items()}
assert None not in _IMPLICIT and not _Loader.yaml_path_resolvers
# Plain scalars that took the regular expressions, with their tag: the same few
# words (keys such as "title" and "type", small numbers, dates) come back in
# every front matter. Bounded: short values only, and at most _RESOLVED_MAX.
_RESOLVED: dict[str, str] = {}
_RESOLVED_MAX = 4096


def _resolve(self: Any, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
    """The tag of a node of ``kind`` written without one (``implicit[0]``: a plain scalar, or one tagged "!")."""
    if kind is _ScalarNode:
        if implicit[0]:
            first = value[:1]
            if first in _IMPLICIT:
                return _RESOLVED.get(value) or _resolve_plain(value, _IMPLICIT[first])
        return _STR_TAG
    return _SEQ_TAG if kind is _SequenceNode else _MAP_TAG


def _resolve_plain(value: str, resolvers: tuple[tuple[str, Any], ...]) -> str:
    """The tag of the first implicit resolver that matches a plain scalar, else str (remembered)."""
    tag = next((tag for tag, regexp in resolvers if regexp.match(value)), _STR_TAG)
    if len(value) <= 32 and len(_RESOLVED) < _RESOLVED_MAX:
        _RESOLVED[value] = tag
    return tag


_Loader.resolve = _resolve
# The composer also calls descend_resolver(parent, index) and ascend_resolver()
# for every node, for path resolvers, which this loader has none of (see the
# assertion above). PyYAML's Python methods then return at once; C callables
# that do nothing with their arguments (whose results are not used) cost less.
_Loader.descend_resolver = staticmethod(operator.is_)
_Loader.ascend_resolver = staticmethod(tuple)

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
    # Read by the subset reader (_parse_subset): parsing it again costs less than keeping the result
    # (the parse cache keeps only the others). No part of the result: not compared, not shown.
    by_subset: bool = field(default=False, compare=False, repr=False)


def parse_yaml(text: str, line_offset: int = 0, max_nodes: int = MAX_NODES) -> ParsedYaml:
    """Parse one YAML document. ``line_offset`` is added to every reported line.

    Raises YamlError for syntax errors, several documents, aliases that expand
    past ``max_nodes`` values, recursive aliases and excessive nesting.
    """
    parsed = _parse_subset(text, line_offset, max_nodes)  # the usual front matter, without PyYAML
    if parsed is not None:
        return parsed
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
        except KeyError as exc:  # PyYAML's boolean of a text its resolver took for one, e.g. ! "yes\n"
            line = node.start_mark.line + 1 + line_offset
            raise YamlError(f"YAML error: no value for {exc.args[0]!r}", line) from None
        return parsed
    finally:
        loader.dispose()


# The subset of YAML that _parse_subset reads: what front matter is nearly always
# written as, and nothing whose meaning depends on more than its own line:
#
#   key: plain scalar          key: "quoted text"          key: [item, "item"]
#   key:
#     key: any of those three (two spaces, as `clauses:` is written)
#
# A whitelist of printable ASCII (no tab, CR, blank line, comment, document
# marker, anchor, alias, tag, block scalar, block list, flow mapping or escape;
# a value over several lines is not matched, so it is not read). Keys are plain
# words of letters, digits and _ . - (at most 128 characters: libyaml refuses an
# implicit key past 1,024). A plain scalar starts with a letter or digit, never
# an indicator, and holds only letters, digits, spaces and - _ . ; / ( ) & ' + %
# (and "," outside a list): so never ": ", " #" or a final ":", and it ends in no
# space. Quoted text has no backslash (no escapes), no '"', and no "*" or "<"
# (parse_yaml sends a text that may hold an alias or merge key the general way).
# Every plain scalar still goes through _Loader's resolver and constructors (keys
# too: 1:, yes:, null: are no strings).
_SUBSET_KEY = r"[A-Za-z0-9_][-A-Za-z0-9_.]{0,127}"
_SUBSET_IN_PLAIN = r"-A-Za-z0-9_.;/()&'+%"
_SUBSET_QUOTED = r'"[ !#-)+-;=-\[\]-~]*"'  # not " \ and not * or < (parse_yaml's test for an alias or merge key)
_SUBSET_ITEM = rf"[A-Za-z0-9](?:[{_SUBSET_IN_PLAIN} ]*[{_SUBSET_IN_PLAIN}])?|{_SUBSET_QUOTED}"
_SUBSET_VALUE = (
    rf"[A-Za-z0-9](?:[{_SUBSET_IN_PLAIN}, ]*[{_SUBSET_IN_PLAIN},])?|{_SUBSET_QUOTED}"
    rf"|\[(?:(?:{_SUBSET_ITEM})(?:, (?:{_SUBSET_ITEM}))*)?\]"
)
_SUBSET_ENTRY = rf"{_SUBSET_KEY}:(?: +(?:{_SUBSET_VALUE})|(?:\n  {_SUBSET_KEY}: +(?:{_SUBSET_VALUE}))+)"
_SUBSET = re.compile(rf"{_SUBSET_ENTRY}(?:\n{_SUBSET_ENTRY})*\n?")
# Each line of a text in the subset: (indent, key, value, "" for a key whose nested mapping follows).
_SUBSET_LINE = re.compile(r"^( *)([^:\n]+): *(.*)$", re.MULTILINE)
_SUBSET_ITEMS = re.compile(_SUBSET_ITEM)  # the items of a list that holds a quoted one (which may hold ", ")
_SUBSET_MAX = 64 * 1024  # longer front matter is unusual: PyYAML reads it
_CONSTRUCTOR = yaml.constructor.SafeConstructor()  # its int, float, bool and null constructors keep no state


class _NotInSubset(Exception):
    """A plain scalar _parse_subset leaves to PyYAML: a key that is no string, a value it cannot build, infinity."""


def _parse_subset(text: str, line_offset: int, max_nodes: int) -> ParsedYaml | None:
    """parse_yaml's result for front matter in the subset above, or None for any other text.

    Half the cost of PyYAML's way on the usual front matter (see docs/architecture.md,
    "Fast paths"): one regular expression decides that the text is in the subset,
    then its lines are read as _TreeBuilder reads their nodes, with the same data,
    key lines, raw scalars and duplicate keys. Nothing in the subset is nested
    deeper than 3 (MAX_DEPTH is far); more than ``max_nodes`` nodes is left to the
    exact way, which reports it.
    """
    if len(text) > _SUBSET_MAX or _SUBSET.fullmatch(text) is None:
        return None
    data: dict[str, Any] = {}
    lines: dict[tuple[str | int, ...], int] = {}
    raw_scalars: dict[str, str] = {}
    duplicates: list[tuple[str, int, int]] = []
    seen: dict[str, int] = {}  # top-level key: its first line
    nested: dict[str, Any] = {}  # the mapping indented lines go to, under nested_key
    nested_seen: dict[str, int] = {}
    nested_key = ""
    count = 1  # nodes, as _TreeBuilder counts them: the root, each key and value, each list item
    number = line_offset
    try:
        for indent, key, value in _SUBSET_LINE.findall(text):
            number += 1
            if key[0] in _IMPLICIT and _RESOLVED.get(key) != _STR_TAG and _plain_scalar(key) is not key:
                return None  # a key that is no string of its text (1:, yes:, null:)
            count += 2
            if indent:
                if key in nested_seen:
                    duplicates.append((f"{nested_key}.{key}", number, nested_seen[key]))
                else:
                    nested_seen[key] = lines[(nested_key, key)] = number
                if value[0] == "[":
                    nested[key] = items = _subset_list(value[1:-1])
                    count += len(items)
                    for index in range(len(items)):
                        lines[(nested_key, key, index)] = number
                else:
                    nested[key] = _subset_scalar(value)
                continue
            first = key not in seen
            if first:
                seen[key] = lines[(key,)] = number
            else:
                duplicates.append((key, number, seen[key]))
            if not value:  # the key of a nested mapping (the lines below)
                data[key] = nested = {}
                nested_seen, nested_key = {}, key
            elif value[0] == "[":
                data[key] = items = _subset_list(value[1:-1])
                count += len(items)
                for index in range(len(items)):
                    lines[(key, index)] = number
            else:
                data[key] = _subset_scalar(value)
                if first:
                    raw_scalars[key] = value[1:-1] if value[0] == '"' else value  # the scalar's text
    except _NotInSubset:
        return None
    if count > max_nodes:
        return None
    return ParsedYaml(data=data, lines=lines, raw_scalars=raw_scalars, duplicates=duplicates, by_subset=True)


def _subset_scalar(value: str) -> Any:
    """The value of a scalar of the subset as written after a key: quoted text or a plain scalar."""
    first = value[0]
    if first == '"':
        return value[1:-1]
    return _plain_scalar(value) if first in _IMPLICIT else value


def _subset_list(inside: str) -> list[Any]:
    """The items of a flow list in the subset, written ``inside`` its brackets: ``a, "b"``."""
    if not inside:
        return []
    if '"' not in inside:
        return [_plain_scalar(item) for item in inside.split(", ")]
    if inside[0] == inside[-1] == '"' and inside.count('"') == 2 * inside.count('", "') + 2:
        return inside[1:-1].split('", "')  # quoted items only (a quoted item holds no '"')
    return [item[1:-1] if item[0] == '"' else _plain_scalar(item) for item in _SUBSET_ITEMS.findall(inside)]


def _plain_scalar(text: str) -> Any:
    """The value of a plain scalar as _Loader builds it: the text itself (the same object) for a string."""
    first = text[0]
    if first not in _IMPLICIT:
        return text
    tag = _RESOLVED.get(text) or _resolve_plain(text, _IMPLICIT[first])
    if tag == _STR_TAG or tag == _TIMESTAMP_TAG:  # _Loader keeps timestamps as written
        return text
    if tag not in _SCALAR_TAGS:
        raise _NotInSubset
    try:
        value = _Loader.yaml_constructors[tag](_CONSTRUCTOR, _ScalarNode(tag, text))
    except (yaml.constructor.ConstructorError, ValueError, TypeError, KeyError):
        raise _NotInSubset from None  # the exact way reports it
    if value.__class__ is float and not math.isfinite(value):
        raise _NotInSubset  # rare: left to the exact way
    return value


class _Unusual(Exception):
    """A node _TreeBuilder leaves to PyYAML's constructor (a !!set, a complex key, ...)."""


class _TreeBuilder:
    """Build the data of an alias-free node tree in one walk, as ``_check_tree``,
    ``_record`` and PyYAML's constructor would in three.

    Front matter is parsed for every document of every run, so this walk is most
    of what loading costs. Strings (nearly every key and value) are taken as they
    are, inside the loops over a mapping's pairs and a list's items (a call per
    node would be half the walk); other scalars go through PyYAML's own
    constructors, so values are exactly what ``yaml.safe_load`` gives (dates kept
    as strings, see ``_Loader``). Anything else, or a tag on the wrong kind of
    node, raises _Unusual: the general way then reports or builds it.

    Errors are those of a walk in document order that counts each node, then
    checks its depth, then builds it: ``count`` is the number of nodes met so far.
    """

    def __init__(self, loader: Any, offset: int, max_nodes: int) -> None:
        self.loader = loader
        self.constructors = loader.yaml_constructors
        self.offset = offset
        self.max_nodes = max_nodes
        self.count = 0
        self.parsed = ParsedYaml(data=None)
        self.root_line = 1 + offset

    def build(self, root: yaml.Node) -> ParsedYaml:
        self.root_line = root.start_mark.line + 1 + self.offset
        self.parsed.data = self.value(root, (), 0)
        return self.parsed

    def too_many(self) -> YamlError:
        """The error for more than ``max_nodes`` nodes."""
        return YamlError(f"YAML has more than {self.max_nodes:,} values", self.root_line)

    def value(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        """Count, bound and build any one node."""
        self.count += 1
        if self.count > self.max_nodes:
            raise self.too_many()
        if depth > MAX_DEPTH:
            raise YamlError(f"YAML nested deeper than {MAX_DEPTH} levels", node.start_mark.line + 1 + self.offset)
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            return node.value if tag == _STR_TAG else self.scalar(node)
        if isinstance(node, yaml.MappingNode) and tag == _MAP_TAG:
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode) and tag == _SEQ_TAG:
            return self.sequence(node, path, depth)
        raise _Unusual  # e.g. a !!set, or a tag on the wrong kind of node (!!map x)

    def scalar(self, node: yaml.ScalarNode) -> Any:
        """A scalar that is no string: PyYAML's constructor for its tag."""
        tag = node.tag
        if tag == _TIMESTAMP_TAG:  # _Loader's constructor: the text as written
            return node.value
        if tag not in _SCALAR_TAGS:
            raise _Unusual
        try:
            value = self.constructors[tag](self.loader, node)
        except (yaml.constructor.ConstructorError, ValueError, TypeError, KeyError):
            raise _Unusual from None  # the general way reports it
        return value

    def mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[Any, Any]:
        """A mapping's data; its key lines and duplicate keys while shallow enough to record."""
        parsed, record, top = self.parsed, depth <= 3, not path
        lines, line_base, max_nodes = parsed.lines, self.offset + 1, self.max_nodes
        inline = depth < MAX_DEPTH  # its keys and values are not too deep: the usual ones are taken here
        data: dict[Any, Any] = {}
        seen: dict[str, int] = {}
        count = self.count  # nodes met so far (self.count again around each call that counts)
        for key_node, value_node in node.value:
            if not (inline and type(key_node) is _ScalarNode and key_node.tag == _STR_TAG):
                self.count = count
                self.pair((key_node, value_node), data, seen, path, depth)
                count = self.count
                continue
            # The usual key, a string: what value() and _record_key do, without the calls.
            count += 1
            if count > max_nodes:
                raise self.too_many()
            key = key_node.value
            if record:
                line = key_node.start_mark.line + line_base
                if key in seen:
                    parsed.duplicates.append((".".join(map(str, (*path, key))), line, seen[key]))
                else:
                    seen[key] = lines[(*path, key)] = line
                    if top and type(value_node) is _ScalarNode:
                        parsed.raw_scalars[key] = value_node.value
            if type(value_node) is _ScalarNode and value_node.tag == _STR_TAG:  # and the usual value
                count += 1
                if count > max_nodes:
                    raise self.too_many()
                data[key] = value_node.value
            else:
                self.count = count
                data[key] = self.value(value_node, (*path, key) if record else path, depth + 1)
                count = self.count
        self.count = count
        return data

    def pair(self, nodes: tuple[yaml.Node, yaml.Node], data: dict[Any, Any], seen: dict[str, int], path: KeyPath,
             depth: int) -> None:
        """Any other key of a mapping at ``depth`` and its value, into ``data``."""
        key_node, value_node = nodes
        if type(key_node) is not _ScalarNode:
            raise _Unusual  # a mapping or list as key: PyYAML's error message
        key = self.value(key_node, path, depth + 1)
        if depth <= 3:
            name = _record_key(key_node, value_node, path, seen, self.parsed, self.offset)
            data[key] = self.value(value_node, (*path, name), depth + 1)
        else:
            data[key] = self.value(value_node, path, depth + 1)

    def sequence(self, node: yaml.SequenceNode, path: KeyPath, depth: int) -> list[Any]:
        """A list's data; its item lines while shallow enough to record."""
        lines, line_base, max_nodes = self.parsed.lines, self.offset + 1, self.max_nodes
        record, inline = depth <= 3, depth < MAX_DEPTH
        items = []
        count = self.count  # as in mapping()
        for index, item in enumerate(node.value):
            if record:
                lines[(*path, index)] = item.start_mark.line + line_base
            if inline and type(item) is _ScalarNode and item.tag == _STR_TAG:  # value() for a string, inline
                count += 1
                if count > max_nodes:
                    raise self.too_many()
                items.append(item.value)
            else:
                self.count = count
                items.append(self.value(item, (*path, index), depth + 1))
                count = self.count
        self.count = count
        return items


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
