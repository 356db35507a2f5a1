"""The front matter schema (``schemas/note.schema.json``, JSON Schema 2020-12) and its validation.

Importing ``jsonschema`` costs ~60 ms, more than the whole check of a note, so a
clean front matter is settled by :func:`quick_valid`, a small evaluator of exactly the
keywords the schema uses (type, required, properties, pattern, minLength, minimum,
exclusiveMinimum, items), with jsonschema's semantics (a bool is not an integer, 1.0
is). Only a front matter it rejects goes to jsonschema, which gives one error per
violation. A hypothesis test checks that both agree; should the schema grow a keyword
the evaluator does not know, :func:`quick_valid` answers None and jsonschema decides.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

SCHEMA_FILE = "note.schema.json"

_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description", "examples", "default"})
_KNOWN = _ANNOTATIONS | {"type", "required", "properties", "pattern", "minLength", "minimum",
                         "exclusiveMinimum", "items"}


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The schema, from the installed package data, else from the repository (editable install)."""
    # A regular install has the file beside this module: read it directly, because
    # importing importlib.resources costs ~15 ms of startup. importlib.resources covers
    # the other loaders (zip imports); the repository path covers editable installs.
    local = Path(__file__).with_name("schemas") / SCHEMA_FILE
    if local.is_file():
        return json.loads(local.read_text(encoding="utf-8"))
    # an editable install (a checkout's src/notecheck): the repository's file, before
    # importlib.resources would find nothing there after its ~15 ms import
    repository = Path(__file__).resolve().parents[2] / "schemas" / SCHEMA_FILE
    if Path(__file__).resolve().parent.parent.name == "src" and repository.is_file():
        return json.loads(repository.read_text(encoding="utf-8"))
    try:
        from importlib.resources import files

        resource = files("notecheck").joinpath("schemas", SCHEMA_FILE)
        if resource.is_file():
            return json.loads(resource.read_text(encoding="utf-8"))
    except (ModuleNotFoundError, OSError, ValueError):
        pass
    return json.loads((Path(__file__).resolve().parents[2] / "schemas" / SCHEMA_FILE).read_text(encoding="utf-8"))


# ------------------------------------------------------------------------ the instance


def to_instance(value: Any) -> Any:
    """The front matter as JSON Schema sees it: YAML dates/datetimes become ISO strings."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: to_instance(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_instance(v) for v in value]
    return value


# ------------------------------------------------------------------------ quick evaluator


def _is_type(value: Any, name: str) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    raise KeyError(name)


def _supported(schema: Any) -> bool:
    if not isinstance(schema, dict) or not set(schema) <= _KNOWN:
        return False
    subs = list((schema.get("properties") or {}).values())
    if "items" in schema:
        subs.append(schema["items"])
    return all(_supported(s) for s in subs)


@lru_cache(maxsize=8)
def _compiled_patterns(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _valid(schema: dict[str, Any], value: Any) -> bool:
    types = schema.get("type")
    if types is not None:
        names = [types] if isinstance(types, str) else types
        if not any(_is_type(value, t) for t in names):
            return False
    if isinstance(value, str):
        if "pattern" in schema and _compiled_patterns(schema["pattern"]).search(value) is None:
            return False
        if "minLength" in schema and len(value) < schema["minLength"]:
            return False
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            return False
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            return False
    elif isinstance(value, dict):
        if any(key not in value for key in schema.get("required", ())):
            return False
        for key, sub in (schema.get("properties") or {}).items():
            if key in value and not _valid(sub, value[key]):
                return False
    elif isinstance(value, list) and "items" in schema:
        if not all(_valid(schema["items"], item) for item in value):
            return False
    return True


def quick_valid(instance: Any, schema: dict[str, Any] | None = None) -> bool | None:
    """True/False as jsonschema would answer; None when the schema uses a keyword we do not evaluate."""
    if schema is None:
        schema = load_schema()
        if not _schema_supported():
            return None
    elif not _supported(schema):
        return None
    return _valid(schema, instance)


@lru_cache(maxsize=1)
def _schema_supported() -> bool:
    """``_supported(load_schema())``, walked once (the schema is loaded once)."""
    return _supported(load_schema())


def property_valid(key: str, value: Any) -> bool:
    """Does one front matter value satisfy its property's subschema (quick evaluator)?"""
    schema = load_schema()
    sub = (schema.get("properties") or {}).get(key)
    if sub is None:
        return True
    if not _supported(sub):
        return validator().evolve(schema=sub).is_valid(to_instance(value))
    return _valid(sub, to_instance(value))


# ------------------------------------------------------------------------ jsonschema


@lru_cache(maxsize=1)
def validator():
    """jsonschema's 2020-12 validator for the schema, built once (imports jsonschema)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema())


def errors(instance: Any) -> Iterator[Any]:
    """jsonschema ValidationErrors for ``instance`` (none, without importing jsonschema, when valid)."""
    if quick_valid(instance) is True:
        return iter(())
    return iter(sorted(validator().iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path]))
