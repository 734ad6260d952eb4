"""A schema specialised by the value of its ``type`` property, for the quick validity test.

The front matter schema is a list of properties plus an ``allOf`` of ``if``/``then``
blocks, most of which ask only "is the type X?". fastjsonschema answers each such
``if`` by raising and catching an exception, nine per document, which cost two
thirds of the time of the quick test. Once the type is known, those answers are
known too: ``by_type`` works them out for each value of the type's ``enum``, from
the schema itself, and keeps for each value the allOf entries left to check.

The result is exact, not approximate: for data whose ``type`` is the string T,

    schema(data)  ==  base(data) and all(entry(data) for entry in rest[T])

because every keyword of the schema's top level but ``allOf`` is independent of the
``allOf`` (there is no ``unevaluatedProperties``: refused below), and an ``if`` that
tests only the type is true or false for every such data alike. Data that is not a
mapping with such a type is invalid (the schema requires ``type`` and its enum).
Anything of another shape is refused (``Refused``), and the caller then uses the
whole schema: a later edit of the schema can make the test slower, never wrong.
An allOf entry that is not understood is kept whole, checked as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DISPATCH = "type"

# The top-level keywords the split understands: each is checked on its own, whatever the allOf says.
_BASE_KEYWORDS = frozenset(
    {
        "$schema", "$id", "$comment", "title", "description", "type", "required", "properties",
        "patternProperties", "additionalProperties", "propertyNames", "minProperties", "maxProperties",
        "$defs", "definitions",
    }
)  # fmt: skip
_DEFINITIONS = ("$defs", "definitions")
# Keywords that change what a reference or an evaluation means across subschemas: the split would change them.
_SCOPE_KEYWORDS = frozenset(
    {
        "$id", "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor",
        "unevaluatedProperties", "unevaluatedItems",
    }
)  # fmt: skip


class Refused(ValueError):
    """The schema has a shape the specialisation does not understand: use the whole schema."""


@dataclass(frozen=True)
class ByType:
    """The schema split into what every data is checked against and what is left per type value."""

    schema_id: str | None  # the schema's $id, against which its references are resolved
    base: dict[str, Any]  # the schema without its allOf (and without its definitions)
    definitions: dict[str, dict[str, Any]]  # "$defs"/"definitions" -> the schema's own, for its references
    rest: dict[str, list[Any]]  # each value of the type -> the allOf entries still to check for it


def by_type(schema: Any) -> ByType:
    """The schema specialised by the value of its ``type`` property; ``Refused`` for a shape not understood."""
    values = _dispatch_values(schema)
    _refuse_scope_changes(schema, top=True)
    entries = schema["allOf"]
    if not isinstance(entries, list):
        raise Refused("allOf is not a list")
    base = {key: value for key, value in schema.items() if key not in ("allOf", "$schema", "$id", *_DEFINITIONS)}
    definitions = {key: schema[key] for key in _DEFINITIONS if key in schema}
    rest = {value: [kept for entry in entries for kept in _entry_for(entry, value)] for value in values}
    schema_id = schema.get("$id")
    if schema_id is not None and not isinstance(schema_id, str):
        raise Refused("$id is not a string")
    return ByType(schema_id, base, definitions, rest)


def _dispatch_values(schema: Any) -> list[str]:
    """The values of the type, when the schema makes any data without one of them invalid."""
    if not isinstance(schema, dict):
        raise Refused("the schema is not an object")
    unknown = sorted(set(schema) - _BASE_KEYWORDS - {"allOf"})
    if unknown:
        raise Refused(f"top-level keywords not understood: {', '.join(unknown)}")
    if "allOf" not in schema:
        raise Refused("no allOf to specialise")
    if schema.get("type") != "object":
        raise Refused('the schema does not require an object ("type": "object")')
    required = schema.get("required")
    if not isinstance(required, list) or DISPATCH not in required:
        raise Refused(f"{DISPATCH} is not required")
    prop = schema.get("properties", {}).get(DISPATCH) if isinstance(schema.get("properties"), dict) else None
    values = prop.get("enum") if isinstance(prop, dict) else None
    if not isinstance(values, list) or not values or not all(isinstance(value, str) for value in values):
        raise Refused(f"{DISPATCH} is not an enum of strings")
    return list(dict.fromkeys(values))


def _refuse_scope_changes(node: Any, top: bool = False) -> None:
    """Refuse keywords whose meaning depends on the whole schema (ids, dynamic references, unevaluated*).

    References must point into the definitions (``#/$defs/...``), which the specialised
    schemas keep; a reference to the root or to another part would mean something else.
    Property names are walked as if they were keywords too: that can refuse more, never less.
    """
    if isinstance(node, list):
        for item in node:
            _refuse_scope_changes(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in _SCOPE_KEYWORDS and not (top and key == "$id"):
                raise Refused(f"{key} not understood")
            if key == "$ref" and not (isinstance(value, str) and value.startswith(("#/$defs/", "#/definitions/"))):
                raise Refused(f"$ref {value!r} does not point into the definitions")
            _refuse_scope_changes(value)


def _entry_for(entry: Any, value: str) -> list[Any]:
    """What is left of one allOf entry for data whose type is ``value``: the entry, a part of it, or nothing."""
    if not (isinstance(entry, dict) and "if" in entry and set(entry) <= {"if", "then", "else"}):
        return [entry]
    test = _type_test(entry["if"])
    if test is None:
        return [entry]  # an if on something else (or on the type in another way): checked as written
    values, residual = test
    if value not in values:
        return [entry["else"]] if "else" in entry else []
    if residual:
        return [{**entry, "if": residual}]
    return [entry["then"]] if "then" in entry else []


def _type_test(condition: Any) -> tuple[list[Any], dict[str, Any]] | None:
    """The type values an ``if`` accepts and the rest of it, or None when it is not such a test.

    Understood: ``{"properties": {"type": {"const": X} | {"enum": [...]}, ...}, "required": [...]}``
    with nothing else. Data with a type has the type key, so "type" in ``required`` is satisfied.
    """
    if not isinstance(condition, dict) or not set(condition) <= {"properties", "required"}:
        return None
    properties, required = condition.get("properties", {}), condition.get("required", [])
    if not isinstance(properties, dict) or not isinstance(required, list) or DISPATCH not in properties:
        return None
    test = properties[DISPATCH]
    if isinstance(test, dict) and set(test) == {"const"}:
        values = [test["const"]]
    elif isinstance(test, dict) and set(test) == {"enum"} and isinstance(test["enum"], list):
        values = test["enum"]
    else:
        return None
    residual: dict[str, Any] = {}
    if len(properties) > 1:
        residual["properties"] = {key: sub for key, sub in properties.items() if key != DISPATCH}
    if [key for key in required if key != DISPATCH]:
        residual["required"] = [key for key in required if key != DISPATCH]
    return values, residual
