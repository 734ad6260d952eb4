"""JSON Schemas shipped with isodocs, compiled once per process."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import fastjsonschema

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

# Keywords newer than draft-07, which fastjsonschema would silently ignore.
_NEWER_KEYWORDS = {"dependentRequired", "dependentSchemas", "prefixItems", "unevaluatedProperties", "$dynamicRef"}


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The schema ``name`` (e.g. "front-matter") as a dict."""
    text = resources.files(__name__).joinpath(f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def _ecma_pattern(pattern: str) -> re.Pattern[str]:
    # A final "$" means end of input in JSON Schema (ECMA-262) but "end, or before a final
    # newline" in Python: without this, id: "PRO-001\n" would pass ^[A-Z]+-[0-9]{3,}$.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


@cache
def validator(name: str) -> Draft202012Validator:
    """A compiled validator; building one per document is many times slower.

    jsonschema is imported here, not at the top: it takes a tenth of a second to
    import, and a run whose files are valid never needs it (``quick_validity``).
    Its ``pattern`` keyword is replaced by one with JSON Schema's meaning of "$".
    """
    from jsonschema import Draft202012Validator, ValidationError, validators

    def pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
        if isinstance(instance, str) and not _ecma_pattern(pattern).search(instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")

    ecma_validator = validators.extend(Draft202012Validator, {"pattern": pattern})
    return ecma_validator(load_schema(name))


@cache
def quick_validity(name: str) -> Callable[[Any], bool]:
    """A fast test that data is valid, for the common case of valid data.

    ``validator(name)`` gives the findings, with their paths and messages, but
    costs about half a millisecond per front matter, which dominated a run over
    thousands of documents. fastjsonschema compiles the schema to Python code
    and is some twenty times faster. It only says yes or no: when it says no,
    or cannot decide, the caller asks ``validator(name)`` for the errors, so a
    disagreement can cost time but never a finding. Schemas using keywords
    newer than draft-07 (which fastjsonschema ignores) always go the slow way.
    """
    schema = load_schema(name)
    if _uses(schema, _NEWER_KEYWORDS):
        return validator(name).is_valid
    compiled = fastjsonschema.compile({**schema, "$schema": "http://json-schema.org/draft-07/schema#"})

    def is_valid(data: Any) -> bool:
        try:
            compiled(data)
        except Exception:  # invalid, or data of a type the generated code does not expect
            return False
        return True

    return is_valid


def _uses(schema: Any, keywords: set[str]) -> bool:
    if isinstance(schema, dict):
        return any(key in keywords or _uses(value, keywords) for key, value in schema.items())
    if isinstance(schema, list):
        return any(_uses(item, keywords) for item in schema)
    return False
