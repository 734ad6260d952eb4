"""The front matter JSON Schema, with messages that name the field and the fix."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from isodocs.model import Document, Severity
from isodocs.rules.registry import DocumentContext, Hit, document_rule
from isodocs.schemas import quick_validity, validator

if TYPE_CHECKING:
    from jsonschema import ValidationError

# Reported by approval-missing with a better message; not repeated here.
APPROVAL_FIELDS = {"approved_by", "approved_on", "last_reviewed"}


@document_rule("schema", Severity.ERROR)
def schema(doc: Document, context: DocumentContext) -> Iterator[Hit]:
    """The front matter breaks the JSON Schema (message names the field).

    Correct the field the message names: its type, its allowed values or its format (dates `YYYY-MM-DD`,
    versions quoted `"1.0"`, ids like `PRO-003`). The fields are described in `schemas/front-
    matter.schema.json`.
    """
    if quick_validity("front-matter")(doc.data):
        return
    schema_validator = validator("front-matter")
    forbidden_reported: set[str] = set()
    for error in schema_validator.iter_errors(doc.data):
        if error.validator is None:  # a field the type forbids (`name: false` in the schema)
            yield from _forbidden(error, doc, schema_validator.schema, forbidden_reported)
            continue
        message = _message(error, doc)
        if message is None:
            continue
        path = tuple(error.absolute_path)
        # A missing key has no line of its own: point at the type, which decides what is required.
        line = doc.line(*path) if path else doc.line("type")
        yield Hit(message, line)


def _forbidden(error: ValidationError, doc: Document, root: dict[str, Any], reported: set[str]) -> Iterator[Hit]:
    subschema: Any = root
    for part in error.schema_path:
        subschema = subschema[part]
    for key, allowed in subschema.items():
        if allowed is False and key in doc.data and key not in reported:
            reported.add(key)
            why = " (a record is final once merged; a correction is a new record)" if doc.is_record else ""
            yield Hit(f"{key}: not allowed on a {doc.type}{why}; remove it", doc.line(key))


def _message(error: ValidationError, doc: Document) -> str | None:
    path = list(error.absolute_path)
    field = ".".join(map(str, path))
    value = error.instance
    if error.validator == "required":
        # The mapping that lacks the fields: the front matter, or one inside it (an action, ...).
        holder = error.instance if isinstance(error.instance, dict) else doc.data
        missing = [name for name in error.validator_value if name not in holder]
        if (
            error.schema_path
            and "then" in error.schema_path
            and set(missing) <= APPROVAL_FIELDS
            and doc.status == "approved"
        ):
            return None
        where = f"{field}: " if path else ""
        return f"{where}missing required field{'s' if len(missing) > 1 else ''}: {', '.join(missing)}"
    if error.validator == "additionalProperties" and not path:
        extra = sorted(set(doc.data) - set(error.schema.get("properties", {})))
        plural = "s" if len(extra) > 1 else ""
        return f"unknown field{plural} {', '.join(extra)}: remove or rename (see schemas/front-matter.schema.json)"
    if path and path[0] == "version" and isinstance(value, (int, float)) and not isinstance(value, bool):
        raw = doc.raw_scalars.get("version", str(value))
        return f'version: {raw} is a number to YAML (read as {value!r}); quote it: version: "{raw}"'
    if (
        path
        and path[0] in ("approved_on", "effective_date", "last_reviewed", "next_review", "date")
        and isinstance(value, str)
    ):
        return f"{field}: '{value}' is not a date; write YYYY-MM-DD"
    if error.validator == "enum":
        options = " | ".join(str(v) for v in error.validator_value)
        return f"{field}: {value!r} is not one of {options}"
    is_id_field = path in (["id"], ["supersedes"]) or (len(path) == 2 and path[0] == "related")
    if error.validator == "pattern" and is_id_field:
        return f"{field}: {value!r} is not a document id (a prefix, a hyphen and three or more digits, e.g. PRO-003)"
    if error.validator == "pattern" and path == ["version"]:
        return f'version: {value!r} is not "MAJOR.MINOR", e.g. "2.1"'
    if error.validator == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        article = "an" if expected[0] in "aeiou" else "a"
        return f"{field or 'front matter'}: expected {article} {expected}, got {_kind(value)} {value!r}"[:300]
    return f"{field or 'front matter'}: {error.message}"[:300]


def _kind(value: object) -> str:
    names = {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)
