"""The faster writers are exact: JSON with indent (escape._indented) writes what json.dumps
writes, and the findings a worker pickles come back equal, fix and offset included."""

from __future__ import annotations

import json
import pickle

from hypothesis import given
from hypothesis import strategies as st

from notecheck.diagnostic import Diagnostic, Edit, Finding, Fix
from notecheck.escape import _indented, _json_raw_unsafe, json_dumps

_TEXT = st.text(st.characters(codec="utf-8"), max_size=8) | st.sampled_from(["", "\n", '"', "\\", "\x7f\u202e\udcff"])
_SCALAR = st.none() | st.booleans() | st.integers() | _TEXT
_JSON = st.recursive(_SCALAR, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                     | st.dictionaries(_TEXT, inner, max_size=4), max_leaves=20)
_CONTAINER = st.lists(_JSON, max_size=4) | st.dictionaries(_TEXT, _JSON, max_size=4)  # a scalar is json.dumps's


@given(_CONTAINER, st.integers(min_value=-1, max_value=4))
def test_indented_json_is_what_json_dumps_writes(obj, indent):
    assert _indented(obj, " " * indent, "\n") == json.dumps(obj, ensure_ascii=False, indent=indent)
    escaped = _json_raw_unsafe().sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(obj, ensure_ascii=False, indent=indent))
    assert json_dumps(obj, indent=indent) == escaped


def test_what_the_fast_writer_leaves_to_json_dumps():
    for obj in ([1.5, float("inf")], {1: "int key"}, {"a": [True, None, 2.0]}, "top-level text", 7):
        assert json_dumps(obj, indent=2) == json.dumps(obj, ensure_ascii=False, indent=2)
    assert json_dumps({"a": [1, {}]}, sort_keys=True, indent=2) == json.dumps({"a": [1, {}]}, ensure_ascii=False, sort_keys=True, indent=2)


def test_findings_come_back_from_a_worker_equal():
    fix = Fix((Edit(3, 5, "x"), Edit(7, 7, "y")), "unsafe", "why")
    diag = Diagnostic("a.md", 2, 3, "NC501", "error", "msg", True, 2, 9, fix, 40)
    for obj in (diag, fix, fix.edits[0], Finding(3, "m", end=5, fix=fix, severity="warning")):
        back = pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
        assert type(back) is type(obj) and back == obj and repr(back) == repr(obj)
    back = pickle.loads(pickle.dumps(diag))
    assert (back.fix, back.offset) == (fix, 40)  # not part of ==: checked on their own


_EDITS = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), _TEXT).map(
    lambda t: Edit(min(t[0], t[1]), max(t[0], t[1]), t[2])), max_size=3).map(tuple)
_FIXES = st.none() | st.builds(Fix, _EDITS, st.sampled_from(["safe", "unsafe"]), _TEXT)
_DIAGNOSTICS = st.builds(Diagnostic, _TEXT, st.integers(1, 10**6), st.integers(1, 10**6), _TEXT,
                         st.sampled_from(["error", "warning"]), _TEXT, st.booleans(),
                         st.none() | st.integers(1, 10**6), st.none() | st.integers(1, 10**6), _FIXES)


@given(_DIAGNOSTICS)
def test_a_finding_in_the_json_report_is_what_json_dumps_writes(diag):
    # the report writes a Diagnostic field by field: the same text as its dict dumped with
    # indent=2 and moved in as a list item, escapes included (control, bidi, surrogates)
    from notecheck.output.json_format import _item
    from notecheck.escape import json_escape_raw

    assert json_escape_raw(_item(diag)) == json_dumps(diag.to_dict(), indent=2).replace("\n", "\n  ")


def test_a_finding_the_field_writer_cannot_write_goes_through_its_dict():
    from notecheck.output.json_format import _item

    class Subclass(Diagnostic):
        pass

    odd = Diagnostic("a.md", True, 1, "NC101", "error", "m", False)  # a bool where an int goes
    odder = Diagnostic("a.md", 1, 1, "NC101", "error", "m", 1)  # an int where a bool goes
    for diag in (odd, odder, Subclass("a.md", 1, 1, "NC101", "error", "m", False),
                 Diagnostic("a.md", 1, 1, "NC101", "error", "m", True, fix=Fix((Edit(1, 2.5, "x"),)))):
        assert _item(diag) == json_dumps(diag.to_dict(), indent=2).replace("\n", "\n  ")
