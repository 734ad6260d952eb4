"""JSON Schemas shipped with isodocs, compiled once per process."""

from __future__ import annotations

import copy
import hashlib
import importlib
import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import fastjsonschema

from isodocs.schemas.by_type import DISPATCH, ByType, Refused, by_type

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
    A schema that ``by_type`` understands is checked in two parts, the part
    every data has and the part its type leaves (by_type.py says why).
    """
    if _uses(load_schema(name), _NEWER_KEYWORDS):
        return validator(name).is_valid
    return _checker(_generated(name))


def _checker(generated: dict[str, Any]) -> Callable[[Any], bool]:
    """The yes/no test of the names of a generated module (see precompiled_source)."""
    entry = generated[generated["ENTRY"]]
    if "BY_TYPE" not in generated:
        return _passes(entry)
    rest = {value: generated[function] if function else None for value, function in generated["BY_TYPE"].items()}
    return _passes_by_type(entry, generated["DISPATCH"], rest)


def _passes(validate: Callable[[Any], Any]) -> Callable[[Any], bool]:
    """Whether a generated validator accepts the data."""

    def is_valid(data: Any) -> bool:
        try:
            validate(data)
        except Exception:  # invalid, or data of a type the generated code does not expect
            return False
        return True

    return is_valid


def _passes_by_type(
    base: Callable[[Any], Any], key: str, rest: dict[str, Callable[[Any], Any] | None]
) -> Callable[[Any], bool]:
    """Whether data passes the base and what its type leaves; data without one of the types is invalid."""

    def is_valid(data: Any) -> bool:
        if not isinstance(data, dict):
            return False
        value = data.get(key)
        if not isinstance(value, str) or value not in rest:
            return False  # by_type made sure the schema rejects it: a mapping with a type of its enum
        check = rest[value]
        try:
            base(data)
            if check is not None:
                check(data)
        except Exception:  # invalid, or data of a type the generated code does not expect
            return False
        return True

    return is_valid


def _draft7(schema: dict[str, Any]) -> dict[str, Any]:
    # A deep copy: fastjsonschema rewrites the references of the schema it is given in place.
    return {**copy.deepcopy(schema), "$schema": "http://json-schema.org/draft-07/schema#"}


# Compiling a schema to Python code costs more than checking a thousand documents with
# it (0.04 s for the front matter's), so the code comes with isodocs, generated by
# `make schemas` into one module per schema, as validate-pyproject ships its own. A
# module is used only when it was generated from the schema as it is now.
PRECOMPILED = ("front-matter", "config", "soa")
# The names of the specialised parts among the schema's definitions (see _specialised).
_PART = "isodocs-quick-"


def precompiled_module(name: str) -> str:
    return f"{__name__}._fast_{name.replace('-', '_')}"


def schema_digest(name: str) -> str:
    """A hash of the schema's text: what a precompiled module was generated from."""
    text = resources.files(__name__).joinpath(f"{name}.schema.json").read_bytes()
    return hashlib.blake2b(text, digest_size=16).hexdigest()


def precompiled_source(name: str) -> str:
    """The text of the precompiled module of schema ``name`` (what `make schemas` writes).

    ENTRY names the function every data is checked with. For a schema that ``by_type``
    understands, it is the schema without its allOf, and BY_TYPE names for each value of
    the property DISPATCH the function of what is left of the allOf (None: nothing).
    """
    return _module_source(load_schema(name), name, schema_digest(name))


def _module_source(schema: dict[str, Any], name: str, digest: str) -> str:
    """The text of a module of validators for ``schema`` (precompiled_source says what it holds)."""
    try:
        code, entry, by_type_names = _specialised(by_type(schema))
    except Refused:
        code = _compile_to_code(_draft7(schema))
        found = re.search(r"^def (\w+)\(", code, re.MULTILINE)
        assert found is not None
        entry, by_type_names = found.group(1), None
    header = (
        f"# Generated by `make schemas` from {name}.schema.json with fastjsonschema: do not edit.\n"
        "# ruff: noqa\n"
        f'SCHEMA_DIGEST = "{digest}"\n'
        f'ENTRY = "{entry}"\n'
    )
    if by_type_names is not None:
        table = "".join(f"    {value!r}: {function!r},\n" for value, function in by_type_names.items())
        header += f'DISPATCH = "{DISPATCH}"\nBY_TYPE = {{\n{table}}}\n'
    return header + code


def _compile_to_code(schema: dict[str, Any]) -> str:
    # A deep copy: fastjsonschema rewrites the references of the schema it is given in place.
    # use_default=False: a test of validity must never fill in the data it is given.
    return fastjsonschema.compile_to_code(copy.deepcopy(schema), use_default=False)


def _specialised(split: ByType) -> tuple[str, str, dict[str, str | None]]:
    """The code of the base and of each distinct rest, the base's function name and each type value's.

    fastjsonschema writes one function per referenced definition, so the parts go into
    the schema's definitions under names of their own, and the root only refers to each
    (its function is not used). Types whose rests are equal share one function.
    """
    parts: dict[str, Any] = {"base": split.base}
    key_of_rest: dict[str, str] = {}  # a rest as JSON text -> its part's key
    part_of: dict[str, str | None] = {}
    for value, rest in split.rest.items():
        if not rest:
            part_of[value] = None
            continue
        key = key_of_rest.setdefault(json.dumps(rest, sort_keys=True), f"rest-{len(key_of_rest)}")
        parts[key] = {"allOf": rest}
        part_of[value] = key
    definitions = {key: dict(value) for key, value in split.definitions.items()}
    defs = definitions.setdefault("$defs", {})
    if any(key.startswith(_PART) for key in defs):
        raise Refused(f"a definition is named {_PART}...")
    defs.update({_PART + key: part for key, part in parts.items()})
    root = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        **({"$id": split.schema_id} if split.schema_id else {}),
        **definitions,
        "allOf": [{"$ref": f"#/$defs/{_PART}{key}"} for key in parts],
    }
    code = _compile_to_code(root)
    names = {key: _function_of(code, _PART + key) for key in parts}
    return code, names["base"], {value: names[key] if key else None for value, key in part_of.items()}


def _function_of(code: str, definition: str) -> str:
    """The name of the function fastjsonschema wrote for definition ``definition`` (it ends with its name)."""
    suffix = re.sub(r"[^a-z0-9]", "_", definition.lower())
    found = re.findall(rf"^def (validate_\w*_defs_{suffix})\(", code, re.MULTILINE)
    if len(found) != 1:
        raise Refused(f"no one function for {definition} in fastjsonschema's code")
    return str(found[0])


def _generated(name: str) -> dict[str, Any]:
    """The names of the precompiled module, or of its code generated now when it is not up to date."""
    if name in PRECOMPILED:
        try:
            module = importlib.import_module(precompiled_module(name))
        except ImportError:
            module = None
        if module is not None and getattr(module, "SCHEMA_DIGEST", None) == schema_digest(name):
            return vars(module)
    # The schema changed since (or has no module): generate its code here (and `make schemas` again).
    return _run(precompiled_source(name), name)


def _run(source: str, name: str) -> dict[str, Any]:
    """The names a generated module's text defines (what fastjsonschema.compile does with its code)."""
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<{name} schema validators>", "exec"), namespace)
    return namespace


def _uses(schema: Any, keywords: set[str]) -> bool:
    if isinstance(schema, dict):
        return any(key in keywords or _uses(value, keywords) for key, value in schema.items())
    if isinstance(schema, list):
        return any(_uses(item, keywords) for item in schema)
    return False
