"""The parser's fast paths give what the plain ways give.

* ``_fast_builder``: links, transcript paragraphs and quote lines are built without the
  frozen dataclass ``__init__``; the objects must be the same in every respect.
* Transcript paragraphs are found with one regex per paragraph when the section holds no
  code; the line-by-line scan (kept for sections with code) must find the same spans.
* ``frontmatter_yaml._construct_flat``: the usual front matter (string keys, scalars, lists of
  scalars) built without construct_document; the same data, and the same first error.
"""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notecheck import frontmatter_yaml
from notecheck.note import (
    QuoteLine,
    TranscriptParagraph,
    YouTubeLink,
    _new_link,
    _new_paragraph,
    _new_quote_line,
    _paragraph_spans_by_line,
    _transcript_paragraph_spans,
    parse,
)

LINK_ARGS = (10, 70, "1:00", 11, "https://www.youtube.com/watch?v=abcdefghijk&t=60s", 17,
             "abcdefghijk", 49, "60s", 63)


def test_built_link_is_a_plain_frozen_link():
    built, plain = _new_link(*LINK_ARGS), YouTubeLink(*LINK_ARGS)
    assert type(built) is YouTubeLink
    assert built == plain and hash(built) == hash(plain) and repr(built) == repr(plain)
    assert pickle.loads(pickle.dumps(built)) == plain
    assert dataclasses.replace(built, label="1:01").label == "1:01"
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.label = "2:00"  # type: ignore[misc]
    assert built.is_timestamp and built.seconds == 60


def test_built_thumbnail_keeps_keyword_fields():
    args = dict(image_url="https://img.youtube.com/vi/abcdefghijk/hqdefault.jpg", image_url_start=3,
                image_id="abcdefghijk", image_id_start=30)
    built, plain = _new_link(*LINK_ARGS, **args), YouTubeLink(*LINK_ARGS, **args)
    assert built == plain and built.is_thumbnail and not built.is_timestamp


def test_other_builders():
    link = YouTubeLink(*LINK_ARGS)
    assert _new_paragraph(0, 9, link, "Ann", "text", 4) == TranscriptParagraph(0, 9, link, "Ann", "text", 4)
    assert type(_new_quote_line(3, "x")) is QuoteLine and _new_quote_line(3, "x") == QuoteLine(3, "x")


def test_builders_of_the_quote_matcher_and_their_defaults():
    from notecheck.diagnostic import _fast_builder
    from notecheck.quotematch import SentenceMatch, TimeEstimate, _new_estimate, _new_sentence

    args = (4, 30, "Soil is slow.", True, 2, 1.0, None, 2, 17, 29)
    built, plain = _new_sentence(*args, key="soil is slow"), SentenceMatch(*args, key="soil is slow")
    assert type(built) is SentenceMatch and built == plain and repr(built) == repr(plain)
    assert (built.changes, built.runner_up, built.aligned) == ((), 0.0, None)  # the defaults: (), 0.0, None
    assert _new_estimate(1.0, 0.5, 2.0, 1, 3.0) == TimeEstimate(1.0, 0.5, 2.0, 1, 3.0)

    @dataclasses.dataclass(frozen=True, slots=True)
    class Listed:
        items: list = dataclasses.field(default_factory=list)

    @dataclasses.dataclass(frozen=True, slots=True)
    class Endless:
        at: float = float("inf")  # not a literal the signature can hold

    for cls in (Listed, Endless):
        with pytest.raises(TypeError):
            _fast_builder(cls)


LINE = st.sampled_from([
    "", " ", "\t", "\r", " \r", "\u00a0", "\x0c", "# h", "  # h", ">", "> q", " > q", "#", "x", " x",
    "[1:00](https://www.youtube.com/watch?v=abcdefghijk&t=60s) text", "**Ann:** [0:05](https://youtu.be/x?t=5) hi",
    "text\r", "  indented\r", "#hashtag", "\u2003word",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(LINE, max_size=12), st.booleans(), st.booleans())
def test_paragraph_regex_matches_line_scan(lines, final_newline, next_section):
    body = "\n".join(lines) + ("\n" if final_newline else "")
    text = "# T\n\n## Transcript\n" + body + ("\n## After\n" if next_section and final_newline else "")
    note = parse(text)
    sec = note.section("transcript")
    assert sec is not None and not note.code_blocks
    assert _transcript_paragraph_spans(note, sec) == _paragraph_spans_by_line(note, sec)


# ---------------------------------------------------------------------------- front matter


FM_KEYS = ["title", "tags", "duration", "<<", "2024", "a b", "'q'", "!!str k", "x", "x"]
FM_VALUES = ["1", "1.5", "yes", "null", "~", "2022-10-15", "2022-13-45", "1:07:11", "'s'", '"d"', "[a, 1, 2022-01-01]",
             "[a, [b]]", "{a: 1}", "!!map x", "!!str 5", "&a 1", "0x1F", "[]", "", ".inf", "1_000", "0b101",
             "2022-10-15 10:00:00", "[2022-13-45]", "[!!str 1, ~]", "\n  - a\n  - 2"]


def _constructed(source: str, flat: bool):
    loader = frontmatter_yaml._loader()(source)
    try:
        node = loader.get_single_node()
        if flat:
            return frontmatter_yaml._construct_flat(loader, node)
        return loader.construct_document(node)
    except Exception as exc:  # noqa: BLE001 - the same error either way
        return type(exc), str(exc)
    finally:
        loader.dispose()


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(FM_KEYS), st.sampled_from(FM_VALUES)), min_size=1, max_size=6))
def test_a_flat_front_matter_is_constructed_as_construct_document_does(pairs):
    source = "".join(f"{key}: {value}\n" for key, value in pairs)
    flat = _constructed(source, True)
    if flat is not None:  # None: construct_document builds it
        full = _constructed(source, False)
        assert flat == full
        if isinstance(flat, dict):
            assert [(k, type(v)) for k, v in flat.items()] == [(k, type(v)) for k, v in full.items()]


def test_the_usual_front_matter_is_flat():
    source = "title: A\nduration: 4031\nupload_date: 2022-10-15\ntags: [a, 2024]\nok: yes\n"
    assert _constructed(source, True) == _constructed(source, False)
    assert _constructed(source, True) is not None
    assert _constructed("a: {b: 1}\n", True) is None and _constructed("<<: {b: 1}\n", True) is None
