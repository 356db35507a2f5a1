"""The C twins of the note parser's and the sidecar loader's loops give what their Python references give.

``_speedups.scan_links`` is ``note._scan_links_py``, ``_speedups.transcript_paragraphs`` is the loop of
``note._transcript_py`` (or None: then Python answers), ``_speedups.sidecar_segments`` is
``sidecar._segments_py`` for the usual sidecar (or None: then Python answers). Findings must not depend
on which one ran.
"""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import speedups_module
from notecheck import note as note_mod
from notecheck import sidecar as sidecar_mod

speedups = speedups_module()  # built, or this module skipped under NOTECHECK_PURE_PYTHON=1


def test_the_parser_and_the_sidecar_loader_use_the_c_speedup_when_built():
    used = [note_mod._c_quotes_in, note_mod._c_scan_lines, note_mod._c_scan_links, note_mod._c_transcript_paragraphs,
            sidecar_mod._c_segments]
    if os.environ.get("NOTECHECK_PURE_PYTHON"):  # the switch turns them off
        assert used == [None] * 5
    else:
        assert used == [speedups.quotes_in, speedups.scan_lines, speedups.scan_links, speedups.transcript_paragraphs,
                        speedups.sidecar_segments]


def _fields(obj) -> tuple:
    """Every slot of a parsed element, the compare=False ones included, and its type."""
    return (type(obj),) + tuple(getattr(obj, name) for name in type(obj).__slots__)


def _links(links) -> list:
    return [_fields(link) for link in links]


# ---------------------------------------------------------------------------- headings and code blocks

# line openings and near misses: up to 3 spaces, 4, tabs, Unicode blanks; "#" runs of 1-7; fences of
# 2-4 backticks or tildes, with an info string (a backtick in it: no fence); comments open, closed
LINE_PIECES = [
    "#", "##", "######", "#######", " ", "   ", "    ", "\t", "\u00a0", "\x1c", "\u2028", "\u3000", "`", "``", "```",
    "````", "~~~", "~~~~", "~", "<!--", "-->", "<", "!", "\r", "\n", "\n", "\n", "\r\n", "x", "title", "py", " #",
    " ##", "\u00e9", "\u4e2d", "\U0001f600", "```py`", "-",
]


@st.composite
def line_texts(draw):
    return "".join(draw(st.lists(st.sampled_from(LINE_PIECES), max_size=60)))


def _lines_both(text: str, pos: int):
    got = speedups.scan_lines(text, pos, note_mod.Heading, note_mod._HEADING_SLOTS, note_mod.CodeBlock,
                              note_mod._BLOCK_SLOTS)
    headings, blocks = note_mod._scan_lines_py(text, pos)
    return ([_fields(h) for h in got[0]], [_fields(b) for b in got[1]]), \
        ([_fields(h) for h in headings], [_fields(b) for b in blocks])


@settings(max_examples=2000, deadline=None)
@given(line_texts(), st.integers(0, 3))
def test_scan_lines_equals_the_python_reference(text, pos):
    got, expected = _lines_both(text, min(pos, len(text)))
    assert got == expected


@pytest.mark.parametrize("text, headings, blocks", [
    ("# A\n   ### B ###\n    # code\n####### no\n#no\n##\n#\t\r\n", ["A", "B", "", ""], 0),
    ("## A # b #\\#\n## \u00a0x\u00a0 ##  \r\n", ["A # b #\\#", "x"], 0),
    ("```py\n# in\n  ```  \n# out\n~~~~\n~~~\n# in\n", ["out"], 2),
    ("```a`b\n# h\n``\n<!-- x\n# in\n--> # after\n# h2\n<!-- x --> \n# h3\n", ["h", "h2", "h3"], 0),
    ("##\r\r\n## a\t##\n### b\t#\t\n#\r\rx\n", ["", "a", "b"], 0),  # "\r" at the end; closing runs after a tab
    ("\u3000<!--\n# in\n", [], 0),  # never closed: nothing after it counts
    ("````\n```\n# in", [], 1),
])
def test_scan_lines_cases(text, headings, blocks):
    got, expected = _lines_both(text, 0)
    assert got == expected
    assert [h[2] for h in got[0]] == headings and len(got[1]) == blocks


# ---------------------------------------------------------------------------- links

# what a link is made of, near misses of each part, and characters of every str kind and
# the Unicode ones the regex treats apart (\s, case-insensitive "s", "—")
LINK_PIECES = [
    "[", "]", "(", ")", "![", "](", ")](", "[![", "<", ">", '"', " ", "\t", "\n", "\r\n", "  ",
    "https://www.youtube.com/watch?v=", "http://youtube.com/watch?v=", "https://youtube.com/watch?v=",
    "https://www.youtube.com/watch?v", "https://m.youtube.com/watch?v=", "HTTPS://www.youtube.com/watch?v=",
    "https://youtu.be/", "http://YOUTU.BE/", "https://www.youtube.com/shorts/", "htt\u017fs://youtu.be/",
    "https://example.com/", "https://img.youtube.com/vi/", "https://i9.ytimg.com/vi_webp/", "/hqdefault.jpg",
    "dQw4w9WgXcQ", "abc", "a-b_c", "&t=", "&t=12", "&t=12s", "?t=", "#t=1m", "12", "s", "x", "1:23",
    "12:34:56", "1:2:3:4", "1:2:3:4:5", "1234:56", ":", "title", "\u2014", "\u00e9", "\u4e2d", "\U0001f600", "\u2028",
    "\u00a0", "\x1c", "#", "```", "~~~", "`",
]


URLS = [
    "https://www.youtube.com/watch?v=abc", "http://youtube.com/watch?v=a-b_c&t=12", "https://youtube.com/watch?v=x&t=1s",
    "https://youtu.be/abc", "http://youtu.be/be?t=5", "https://youtu.be/u?t=5s", "https://youtu.be/abc?t=",
    "https://youtu.be/abc?t=5&x", "https://YOUTU.be/abc", "https://m.youtube.com/watch?v=abc", "https://example.com/x",
    "https://www.youtube.com/watch?v=", "https://img.youtube.com/vi/abc/0.jpg", "https://i.ytimg.com/vi_webp/a/b.webp",
    "https://i1.ytimg.com/vi/a/b", "https://img.youtube.com/vi//a.jpg", "https://img.youtube.com/vi/a",
    "http://i\u0661.ytimg.com/vi/a/b", "https://img.youtube.com/vi/\u00e9/b", "https://ix.ytimg.com/vi/a/b", "",
]


@st.composite
def link_like(draw):
    """A thumbnail or a link put together from likely parts, each part sometimes a near miss."""
    part = lambda options: draw(st.sampled_from(options))  # noqa: E731
    url = part(URLS) + part(["", "", "", "x", "\u00e9", ">", "<", "&t=3", "?t=4", "#t=5", "/"])
    if draw(st.booleans()):
        img = part(URLS) + part(["", "", "x", "/", " ", ")"])
        alt, between, close = part(["", "Clip", "1:23", "a]"]), part([")](", ")](", ") (", ")"]), part([")", ")", ""])
        return f"[![{alt}]({img}{between}{url}{close}"
    label = part(["", "1:23", "1:2:3:4", "x", "a\nb", "\u4e2d"])
    close = part([")", ")", ' "a title")', '\t"t")', ' "t"', ">)", " )", ""])
    return f"[{label}]({part(['', '', '<'])}{url}{close}"


@st.composite
def link_texts(draw):
    pieces = st.one_of(st.sampled_from(LINK_PIECES), link_like())
    return "".join(draw(st.lists(pieces, max_size=30)))


@st.composite
def blocks_in(draw, n):
    """Sorted, disjoint (start, end) spans inside a text of length n."""
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=6, unique=True)))
    return [SimpleNamespace(start=a, end=b) for a, b in zip(cuts[::2], cuts[1::2])]


def _scan_both(text: str, body_start: int, blocks: list) -> tuple[list, list]:
    ref = SimpleNamespace(text=text, body_start=body_start, code_blocks=blocks)
    note_mod._scan_links_py(ref)  # type: ignore[arg-type]
    got = speedups.scan_links(text, body_start, [b.start for b in blocks], [b.end for b in blocks],
                              note_mod.YouTubeLink, note_mod._LINK_SLOTS, note_mod._link_match)
    return _links(got), _links(ref.links)


@settings(max_examples=1500, deadline=None)
@given(st.data())
def test_scan_links_equals_the_python_reference(data):
    text = data.draw(link_texts())
    body_start = data.draw(st.integers(0, len(text) + 1))
    blocks = data.draw(blocks_in(len(text)))
    got, expected = _scan_both(text, body_start, blocks)
    assert got == expected


@settings(max_examples=500, deadline=None)
@given(link_texts())
def test_a_parsed_note_has_the_python_links(body):
    note = note_mod.parse("---\ntitle: x\n---\n" + body)
    ref = SimpleNamespace(text=note.text, body_start=note.body_start, code_blocks=note.code_blocks)
    note_mod._scan_links_py(ref)  # type: ignore[arg-type]
    assert _links(note.links) == _links(ref.links)


@pytest.mark.parametrize("text, count", [
    ("[1:23](https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=83s)", 1),  # canonical, built in C
    ("[x](<https://youtube.com/watch?v=abc>)", 1),
    ('[1:2:3](http://www.youtube.com/watch?v=abc&t=5 "a title")', 1),
    ("[1:23](https://www.youtube.com/watch?v=abc&t=)", 1),  # not canonical: Python parses it
    ("[1:23](https://youtu.be/abc?t=83)", 1),
    ("[![Clip](https://img.youtube.com/vi/abc/hqdefault.jpg)](https://www.youtube.com/watch?v=abc)", 1),
    ("[![a](https://example.com/a.png)](https://example.com/)", 0),
    ("[1:23](https://www.youtube.com/watch?v=abc&t=83sx)", 1),  # the general form, to the URL's end
    ("[1:23](https://www.youtube.com/watch?v=abc", 0),
    ("[a [1:23](https://www.youtube.com/watch?v=abc)", 1),
    ("[1:23](htt\u017fs://youtu.be/abc)", 0),  # the long s: Python decides (no link)
    ("\u4e2d[1:23](https://www.youtube.com/watch?v=abc)\u2028x", 1),
    ("[1:23](https://www.youtube.com/watch?v=abc)\u00a0(x)", 1),
    ("[1:2:3:4](https://www.youtube.com/watch?v=abc)[1:2:3:4:5](https://www.youtube.com/watch?v=abc)", 2),
])
def test_scan_links_cases(text, count):
    got, expected = _scan_both(text, 0, [])
    assert got == expected
    assert len(got) == count
    # inside a code block, a link is left out; the scan goes on after it
    got, expected = _scan_both(text + "\n" + text, 0, [SimpleNamespace(start=0, end=len(text))])
    assert got == expected and len(got) == count


def test_a_link_starting_where_a_code_block_ends_is_kept():
    text = "``[1:23](https://www.youtube.com/watch?v=abc)"
    for block_end, count in ((2, 1), (3, 0)):
        got, expected = _scan_both(text, 0, [SimpleNamespace(start=0, end=block_end)])
        assert got == expected and len(got) == count


def test_the_usual_links_are_built_without_python():
    asked = []

    def slow(text, start):
        asked.append(start)
        return note_mod._link_match(text, start)

    usual = ["[1:23](https://www.youtube.com/watch?v=abc&t=83s)", "[x](<http://youtube.com/watch?v=a-b_c>)",
             '[1:2:3](https://www.youtube.com/watch?v=abc&t=5 "t")', "[0:05](https://youtu.be/abc?t=5)",
             "[be](http://youtu.be/be)",  # the id is looked for from the host on: found in "youtu.be"
             "[![Clip](https://img.youtube.com/vi/abc/hqdefault.jpg)](https://www.youtube.com/watch?v=abc)",
             "[![](https://i9.ytimg.com/vi_webp/a/b.webp)](http://youtube.com/watch?v=a&t=1s)",
             "[![x](https://example.com/a.png)](https://www.youtube.com/watch?v=abc)",
             "[![](https://img.youtube.com/vi//a.jpg)](https://youtube.com/watch?v=a)"]
    other = ["[0:05](https://m.youtube.com/watch?v=abc)", "[0:05](https://youtu.be/abc?t=5&x=1)",
             "[![x](https://example.com/a.png)](https://youtu.be/abc)",
             "[![](http://i\u0661.ytimg.com/vi/a/b)](https://youtube.com/watch?v=a)"]  # \\d: a Unicode digit
    text = " ".join(usual + other)
    starts = [text.index(link) for link in usual + other]
    links = speedups.scan_links(text, 0, [], [], note_mod.YouTubeLink, note_mod._LINK_SLOTS, slow)
    assert [link.start for link in links] == starts and asked == starts[len(usual):]
    assert _links(links) == _scan_both(text, 0, [])[1]
    assert [link.id_start - link.url_start for link in links[3:5]] == [17, 13]
    assert [link.image_id for link in links[5:9]] == ["abc", "a", None, None]


# ---------------------------------------------------------------------------- transcript

PARAGRAPH_PIECES = [
    "[1:23](https://www.youtube.com/watch?v=abc&t=83s)", "[12:34](https://youtu.be/x?t=3)",
    "[x](https://www.youtube.com/watch?v=abc)", "[1:2](https://www.youtube.com/watch?v=abc&t=62)",
    "**Ann:**", "**Bob**:", "**Bob**", "** **", "**", "*", ":", ": ", " ", "\t", "\n", "\r\n", "\n\n", "\r",
    "# ", "> ", "-", " - ", "\u2014", " \u2014 ", "text", "\u00e9", "\u4e2d", "\U0001f600", "\u2028", "\u00a0",
    "\x1c",
]


@st.composite
def transcripts(draw):
    body = "".join(draw(st.lists(st.sampled_from(PARAGRAPH_PIECES), max_size=50)))
    return "---\ntitle: x\n---\n## Transcript\n" + body + draw(st.sampled_from(["", "\n## Next\n\nx"]))


def _transcript_both(note):
    sec = note.section("transcript")
    link_at = {link.start: link for link in note_mod._links_in(note, sec.start, sec.end)}
    got = speedups.transcript_paragraphs(note.text, sec.heading.end + 1, sec.end, link_at,
                                         note_mod.TranscriptParagraph, note_mod._PARAGRAPH_SLOTS, "\r" in note.text)
    return got, note_mod._transcript_py(note, sec, link_at)


@settings(max_examples=1500, deadline=None)
@given(transcripts())
def test_transcript_paragraphs_equal_the_python_reference(text):
    note = note_mod.parse(text)
    got, expected = _transcript_both(note)
    if got is not None:  # None: Python answers
        assert [_fields(p) for p in got] == [_fields(p) for p in expected]
    assert [_fields(p) for p in note.transcript] == [_fields(p) for p in expected]


@pytest.mark.parametrize("body, speakers", [
    ("[1:23](https://www.youtube.com/watch?v=abc&t=83s) - hello\nthere\n\n**Ann:** [2:00](https://youtu.be/x?t=120) hi",
     [None, "Ann"]),
    ("[1:23](https://www.youtube.com/watch?v=abc) \u2014 **Bob**: so\r\n\r\n  [2:00](https://youtu.be/x?t=120)",
     ["Bob", None]),
    ("** ** [1:23](https://www.youtube.com/watch?v=abc) x\n# [2:00](https://youtu.be/x?t=120)\n"
     "> [3:00](https://youtu.be/x)", []),
    ("[x](https://www.youtube.com/watch?v=abc) not a time\n\n\u00a0[1:00](https://youtu.be/x) **A:**", ["A"]),
])
def test_transcript_paragraphs_cases(body, speakers):
    note = note_mod.parse("---\ntitle: x\n---\n## Transcript\n\n" + body + "\n")
    got, expected = _transcript_both(note)
    assert got is not None
    assert [_fields(p) for p in got] == [_fields(p) for p in expected]
    assert [p.speaker for p in got] == speakers


# ---------------------------------------------------------------------------- quotes

QUOTE_PIECES = [
    "\n> ", "\n>", "\n", "\n\n", "\r\n>", " ", "\t", "\u00a0", "\u2014 ", "-- ", "- ", "-", "---", '"', "\u2013",
    "\u2015", "[1:23](https://www.youtube.com/watch?v=abc&t=83s)", "[x](https://youtu.be/a)", "[x](https://a.b/c)",
    "[5](https://www.youtube.com/watch?v=abc&t=5)", "[", "](", "Ann", " (", "(", ",", ";", ":", "**B**", "text", "\r",
    "\n```\n", "\n### H\n", "\u4e2d", "\U0001f600",
]


@st.composite
def quote_notes(draw):
    body = "".join(draw(st.lists(st.sampled_from(QUOTE_PIECES), max_size=50)))
    section = draw(st.sampled_from(["## Highlights\n### A\n", "## Surprising Quotes\n"]))
    return "---\ntitle: x\n---\n" + section + body


def _quotes(quotes) -> list:
    return [(type(q), q.start, q.end, q.section, [_fields(line) for line in q.lines],
             None if q.attribution is None else _fields(q.attribution)) for q in quotes]


@settings(max_examples=1500, deadline=None)
@given(quote_notes(), st.integers(-3, 3), st.integers(-3, 3))
def test_quotes_in_equals_the_python_reference(text, cut_start, cut_end):
    note = note_mod.parse(text)
    sec = note.sections[0]
    start, end = max(0, sec.start + cut_start), sec.end + cut_end
    assert _quotes(note_mod._quotes_in(note, start, end, sec.key)) == _quotes(note_mod._quotes_py(note, start, end, sec.key))
    saved, note_mod._c_quotes_in = note_mod._c_quotes_in, None
    try:  # the whole parse in Python
        ref = note_mod.parse(text)
    finally:
        note_mod._c_quotes_in = saved
    assert _quotes(note.quotes) == _quotes(ref.quotes)
    assert [_quotes(hl.quotes) for hl in note.highlights] == [_quotes(hl.quotes) for hl in ref.highlights]


@pytest.mark.parametrize("body, speakers, lines", [
    ("> a\n> b\n> \u2014 Ann, [1:23](https://www.youtube.com/watch?v=abc&t=83s)\n", ["Ann"], [["a", "b"]]),
    ("> a\n\n> -- Bob ([1:23](https://youtu.be/x?t=83))\n", ["Bob"], [["a"]]),  # alone after a blank line
    ("> a\n> [1:23](https://www.youtube.com/watch?v=abc)\n", [None], [["a"]]),  # a link alone
    ("> ---\n> - \"x\"\n> [x](https://a.b/c)\n>\n", [None], [["---", '- "x"', "[x](https://a.b/c)"]]),
    ("> a\r\n>  b \r\n> \u2015 C; [5](https://www.youtube.com/watch?v=abc&t=5)\r\n", ["C"], [["a", " b"]]),
    ("```\n> in code\n```\n> out\n", [None], [["out"]]),
])
def test_quotes_in_cases(body, speakers, lines):
    note = note_mod.parse("---\ntitle: x\n---\n## Highlights\n### A\n" + body)
    got = note.quotes
    assert _quotes(got) == _quotes(note_mod._quotes_py(note, note.sections[0].subsections[0].start, len(note.text),
                                                        "highlights"))
    assert [q.attribution.speaker if q.attribution else None for q in got] == speakers
    assert [[line.text for line in q.lines] for q in got] == lines


# ---------------------------------------------------------------------------- sidecar segments

class Str(str):
    def strip(self, chars=None):  # a str subclass may answer otherwise: Python decides
        return "stripped"


STAMPS = ["00:00:48", "0:09:25", "1:02:03", "12:59:59", "00:60:00", "123:00:00", "0:9:25", "00:00:4", " 00:00:48",
          "\u0661:\u0662\u0663:\u0664\u0665", "00:00:48.5", "9:25", "565", "", "x", Str("00:00:48")]
VALUES = st.one_of(st.sampled_from(STAMPS), st.integers(-5, 100000), st.floats(allow_nan=False), st.none(),
                   st.booleans())
SPEAKERS = st.one_of(st.sampled_from(["Ann", " Ann ", "", "  ", "\u00a0Bo\u2028", "\u4e2d", Str(" x ")]), st.none(),
                     st.integers())
TEXTS = st.one_of(st.sampled_from(["hello", "", "caf\u00e9 \U0001f600", Str("t")]), st.none(), st.integers())


@st.composite
def segment_items(draw):
    item = {}
    for key, values in (("timestamp", VALUES), ("start", VALUES), ("speaker", SPEAKERS), ("text", TEXTS)):
        if draw(st.booleans()) or key == "timestamp" and draw(st.booleans()):
            item[key] = draw(values)
    return item if draw(st.integers(0, 30)) else draw(st.sampled_from([[], "x", None, 3]))


@settings(max_examples=1500, deadline=None)
@given(st.lists(segment_items(), max_size=12), st.booleans())
def test_sidecar_segments_equal_the_python_reference(raw, warm):
    memo: dict[str, int] = {"00:00:48": 48} if warm else {}
    got = speedups.sidecar_segments(raw, memo, sidecar_mod.Segment, sidecar_mod._SEGMENT_SLOTS)
    expected = sidecar_mod._segments_py(raw, "x.json")
    if got is not None:  # None: Python answers (and it is the only one to word an error)
        assert not isinstance(expected, sidecar_mod.Sidecar)
        assert [_fields(s) for s in got] == [_fields(s) for s in expected]


def test_sidecar_segments_cases():
    raw = [{"timestamp": "00:00:48", "speaker": " Ann ", "text": "a"}, {"timestamp": "1:02:03", "speaker": "  "},
           {"timestamp": "12:59:59", "speaker": 3, "text": 4}]
    got = speedups.sidecar_segments(raw, {}, sidecar_mod.Segment, sidecar_mod._SEGMENT_SLOTS)
    assert got == [sidecar_mod.Segment(48, "Ann", "a"), sidecar_mod.Segment(3723, None, ""),
                   sidecar_mod.Segment(46799, None, "")]
    assert got == sidecar_mod._segments_py(raw, "x.json")
    for other in ([{"start": 5}], [{"timestamp": 5}], [{"timestamp": "0:9:25"}], ["x"], [{"timestamp": Str("0:00:01")}],
                  [{"timestamp": "00:00:01", "speaker": Str(" x ")}]):
        assert speedups.sidecar_segments(other, {}, sidecar_mod.Segment, sidecar_mod._SEGMENT_SLOTS) is None

