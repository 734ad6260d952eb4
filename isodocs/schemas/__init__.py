"""JSON Schemas shipped with isodocs, compiled once per process."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators


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


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    if isinstance(instance, str) and not _ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@cache
def validator(name: str) -> Draft202012Validator:
    """A compiled validator; building one per document is many times slower."""
    return _Validator(load_schema(name))
