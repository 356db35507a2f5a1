"""schemas/note.schema.json, its loading, and the quick evaluator against jsonschema."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from conftest import ROOT
from notecheck import schema
from notecheck.frontmatter_yaml import STRING_KEYS

SCHEMA_PATH = ROOT / "schemas" / "note.schema.json"
VALID = {
    "video_id": "aBcD3fGh1jK",
    "title": "A title",
    "channel": "A channel",
    "duration": 4000,
    "duration_formatted": "1:06:40",
    "upload_date": "2025-06-02",
    "url": "https://www.youtube.com/watch?v=aBcD3fGh1jK",
}


def test_schema_is_valid_2020_12():
    doc = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(doc)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_load_schema_is_the_repository_file():
    assert schema.load_schema() == json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def test_load_schema_prefers_the_packaged_copy(tmp_path, monkeypatch):
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "note.schema.json").write_text('{"title": "packaged"}', encoding="utf-8")
    monkeypatch.setattr(schema, "__file__", str(tmp_path / "schema.py"))
    schema.load_schema.cache_clear()
    try:
        assert schema.load_schema() == {"title": "packaged"}
    finally:
        schema.load_schema.cache_clear()


def test_pyproject_ships_the_schema_as_package_data():
    doc = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = doc["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert include["schemas/note.schema.json"] == "notecheck/schemas/note.schema.json"


def test_string_keys_of_the_loader_match_the_schema():
    props = schema.load_schema()["properties"]
    typed_string = {k for k, v in props.items() if "string" in ([v["type"]] if isinstance(v["type"], str) else v["type"])}
    assert STRING_KEYS == typed_string


def test_required_keys_match_spec_section_1():
    assert set(schema.load_schema()["required"]) == set(VALID)
    assert schema.quick_valid(VALID) is True


@pytest.mark.parametrize(
    ("key", "value", "ok"),
    [
        ("upload_date", "20250602", True), ("upload_date", "2025-06-02", True), ("upload_date", "2025-13-02", False),
        ("upload_date", "20251302", False), ("upload_date", "2025", False),
        ("duration_formatted", "71:39", True), ("duration_formatted", "2:26:08", True), ("duration_formatted", "9:5", False),
        ("duration", 4000.0, True), ("duration", True, False), ("duration", 0, False),
        ("url", "https://youtu.be/aBcD3fGh1jK", True), ("url", "https://www.youtube.com/shorts/aBcD3fGh1jK", True),
        ("url", "https://vimeo.com/1234", False),
        ("thumbnail", None, True), ("view_count", None, True), ("tags", None, True), ("tags", ["a", 1], False),
        ("title", "", False), ("title", "  ", False),
    ],
)
def test_property_forms(key, value, ok):
    data = dict(VALID, **{key: value})
    assert schema.quick_valid(data) is ok
    assert Draft202012Validator(schema.load_schema()).is_valid(data) is ok


def test_to_instance_turns_dates_into_iso_strings():
    assert schema.to_instance({"a": dt.date(2025, 6, 2), "b": [dt.datetime(2025, 6, 2, 10, 0)]}) == {
        "a": "2025-06-02", "b": ["2025-06-02T10:00:00"]}


def test_quick_valid_declines_unknown_keywords():
    assert schema.quick_valid({}, {"type": "object", "anyOf": [{"required": ["a"]}]}) is None


def test_errors_one_per_violation():
    data = dict(VALID, duration="x", video_id="short")
    del data["title"]
    errs = list(schema.errors(data))
    assert sorted((list(e.absolute_path), e.validator) for e in errs) == [
        ([], "required"), (["duration"], "type"), (["video_id"], "pattern")]


# ---------------------------------------------------------------- quick evaluator == jsonschema

_GOOD = ["aBcD3fGh1jK", "aBcD3fGh1jK\n", "1:06:40", "71:39", "2025-06-02", "20250602", "2025-02-30",
         "https://www.youtube.com/watch?v=aBcD3fGh1jK", "https://youtu.be/aBcD3fGh1jK",
         "https://i.ytimg.com/vi/aBcD3fGh1jK/hq.jpg", "Title", "", " ", "\t"]
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 10**6), st.floats(allow_nan=False), st.sampled_from([0.0, 5.0, -1.0]),
    st.text(max_size=12), st.sampled_from(_GOOD), st.dates(),
)
_VALUES = st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3), st.dictionaries(st.text(max_size=3), _SCALARS, max_size=2))
_KEYS = st.sampled_from(sorted(schema.load_schema()["properties"]) + ["extra", "Title"])


@st.composite
def front_matter(draw):
    if draw(st.booleans()):
        return draw(st.dictionaries(_KEYS, _VALUES, max_size=12))
    data = dict(VALID)
    data.update(draw(st.dictionaries(_KEYS, _VALUES, max_size=2)))
    for key in draw(st.lists(st.sampled_from(sorted(VALID)), max_size=1)):
        data.pop(key, None)
    return data


@settings(max_examples=600, deadline=None)
@given(front_matter())
def test_quick_evaluator_agrees_with_jsonschema(data):
    instance = schema.to_instance(data)
    assert schema.quick_valid(instance) is schema.validator().is_valid(instance)
    assert (list(schema.errors(instance)) == []) is schema.validator().is_valid(instance)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(schema.load_schema()["properties"])), _VALUES)
def test_property_valid_agrees_with_jsonschema(key, value):
    sub = schema.load_schema()["properties"][key]
    assert schema.property_valid(key, value) is Draft202012Validator(sub).is_valid(schema.to_instance(value))


def test_patterns_are_ecma_compatible_subset():
    # jsonschema runs them with Python's re; keep to syntax both dialects read the same way
    for prop in schema.load_schema()["properties"].values():
        pattern = prop.get("pattern")
        if pattern:
            assert not re.search(r"\(\?P|\\[AZz]|\(\?<[!=]", pattern), pattern
