"""JSON Schemas shipped with isodocs, compiled once per process."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The schema ``name`` (e.g. "front-matter") as a dict."""
    text = resources.files(__name__).joinpath(f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def validator(name: str) -> Draft202012Validator:
    """A compiled validator; building one per document is many times slower."""
    return Draft202012Validator(load_schema(name))
