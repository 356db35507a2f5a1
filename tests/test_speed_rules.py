"""Shortcuts taken for speed in the rules and NC501's repair give what the longer way gives."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from notecheck.note import parse
from notecheck.quotematch import index_for, window_passages
from notecheck.repair import window_starts

VID = "lXUZvyajciY"
# paragraph times as a note may write them: valid labels, a label with a t=, labels that are no time
_LABELS = st.sampled_from(["0:00", "0:05", "1:10", "1:10", "2:00", "10:00", "1:02:03", "9:99", "intro", "t"])
_T = st.sampled_from(["", "&t=70s", "&t=5", "&t=1m2s", "&t=x"])


def _note(paragraphs: list[tuple[str, str]]) -> str:
    body = "\n\n".join(f"[{label}](https://www.youtube.com/watch?v={VID}{t}) Words said here." for label, t in paragraphs)
    return f"---\nvideo_id: {VID}\n---\n\n# T\n\n## Transcript\n\n{body}\n"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_LABELS, _T), max_size=12))
@example([("9:99", ""), ("1:10", ""), ("9:99", "&t=x"), ("0:05", "")])  # no time first, then one missing between
def test_window_starts_are_the_window_passages_starts(paragraphs):
    """With a sidecar the starts come from the paragraphs' times, without building the passages."""
    note = parse(_note(paragraphs))
    index = index_for(note, None)
    for sidecar_used in (True, False):
        expected = sorted({p.start for p in window_passages(note, index, sidecar_used)})
        assert window_starts(note, index, sidecar_used) == expected


_WORDS = st.sampled_from(["we", "Deep", "mind", "U.S.", "3.5", "um", "the", "don't", "[laughter]", "--", "...", "?", "!", ",", "."])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_WORDS, min_size=1, max_size=14), min_size=1, max_size=3), st.data())
@example([["we", ".", "the"]], None)
def test_window_shortcuts_of_the_repair_agree_with_the_scans(passages, data):
    """_token_at finds the token a linear scan finds; _may_break is False only when no gap ends a sentence."""
    from notecheck.quotematch import Passage, QuoteIndex
    from notecheck.repair import _breaks_before, _may_break, _token_at

    index = QuoteIndex([Passage(60 * i, 60 * i + 60, " ".join(words)) for i, words in enumerate(passages)])
    window = [(w, p, a, b) for p in range(len(passages)) for w, a, b in index.passage_tokens(p)]
    for p in range(len(passages)):
        toks = index.passage_tokens(p)
        for field in (1, 2):
            for t in toks:
                assert _token_at(toks, field, t[field]) == next(i for i, u in enumerate(toks) if u[field] == t[field])
    if not window:
        return
    i = data.draw(st.integers(0, len(window) - 1)) if data is not None else 0
    j = data.draw(st.integers(i + 1, len(window))) if data is not None else len(window)
    part = window[i:j]
    breaks = [k for k in range(1, len(part)) if _breaks_before(index, part, k)]
    if not _may_break(index, part):
        assert breaks == []


# ---- the clip command scanner in C (_speedups.scan_simple) and its Python twin

_PIECE_CHARS = "aZ09-_*:./=?%,+@\u00e9\u4e2d\U0001f600"


@st.composite
def _simple_commands(draw):
    """Commands _SIMPLE_COMMAND matches: words of plain, '...' and "..." pieces (empty ones too,
    characters of every str kind), blanks of each kind between them and around them."""
    words = []
    for _ in range(draw(st.integers(0, 8))):
        pieces = []
        for _ in range(draw(st.integers(1, 4))):
            body = draw(st.text(alphabet=_PIECE_CHARS, max_size=6))
            how = draw(st.sampled_from(["plain", "single", "double"]))
            if how == "plain" and body and not (pieces and pieces[-1][0] == "plain"):
                pieces.append(("plain", body))
            elif how == "single":
                pieces.append(("single", "'" + body.replace("'", "") + " x'"[:draw(st.integers(0, 2))] + "'"))
            else:
                pieces.append(("double", '"' + body + '"'))
        words.append("".join(p for _, p in pieces if p) or "w")
    seps = st.sampled_from([" ", "  ", "\t", " \r ", "\r"])
    out = draw(st.sampled_from(["", " ", "\n", " \r\n "]))
    for k, w in enumerate(words):
        out += (draw(seps) if k else "") + w
    return out + draw(st.sampled_from(["", "\n", " \r\n", "  "]))


def _words(words):
    return [(type(w).__name__, w.text, w.start, w.end, type(w.offsets).__name__, tuple(w.offsets)) for w in words]


@settings(max_examples=500, deadline=None)
@given(_simple_commands(), st.integers(0, 10_000))
@example("yt-dlp --download-sections \"*1:35-2:40\" 'https://www.youtube.com/watch?v=aBcD3fGh1jK' -o a'b'\"\"c\n", 17)
@example("  ''  \"\" x''\"\"y  ", 0)
def test_c_clip_scanner_equals_the_python_twin(text, base):
    from notecheck import clipcmd

    speedups = _speedups()
    assert clipcmd._SIMPLE_COMMAND.fullmatch(text) is not None  # what the caller checks first
    assert _words(speedups.scan_simple(text, base, clipcmd.Word)) == _words(clipcmd._scan_simple_py(text, base))


def test_c_clip_scanner_leaves_an_open_quote_to_python():
    from notecheck import clipcmd

    speedups = _speedups()
    assert speedups.scan_simple("yt-dlp 'open", 0, clipcmd.Word) is None
    assert speedups.scan_simple('a "b', 3, clipcmd.Word) is None
    assert speedups.scan_simple("", 3, clipcmd.Word) == []


def test_clipcmd_uses_the_c_scanner_when_built():
    import os

    from notecheck import clipcmd

    if os.environ.get("NOTECHECK_PURE_PYTHON"):  # the switch turns it off
        assert clipcmd._c_scan_simple is None
    else:
        assert clipcmd._c_scan_simple is _speedups().scan_simple


def _speedups():
    import os

    import pytest

    if os.environ.get("NOTECHECK_PURE_PYTHON"):  # installed without the speed-up on purpose
        return pytest.importorskip("notecheck._speedups")
    import notecheck._speedups as speedups  # built by pip install -e . (tests/test_speedups.py says how)

    return speedups


# ---- positions and line texts without the note's table of line starts (engine.positions, engine.line_texts)

_TEXT = st.lists(st.sampled_from(["a", "bc", " ", "\n", "\r\n", "\r", "\ufeff", "\u00e9", "\U0001f600", "\n\n"]),
                 max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["", "\ufeff"]), _TEXT, st.lists(st.integers(-3, 80), max_size=8), st.integers(-3, 80))
@example("\ufeff", "x\ny", [0, 1, 2, 3], 4)  # the BOM is no column, on line 1 only
def test_positions_and_line_texts_equal_the_notes_own(bom, text, offsets, other):
    from notecheck.diagnostic import Diagnostic
    from notecheck.engine import line_texts, positions
    from notecheck.note import Note

    note = Note(text=bom + text)
    assert positions(note, offsets) == {o: Note(text=bom + text).position(o) for o in offsets}
    diags = [Diagnostic("x.md", *note.position(o), "NC999", "error", "m", offset=o) for o in offsets]
    if offsets:  # a diagnostic whose offset is on another line than it says: its line read from the table
        diags.append(Diagnostic("x.md", note.position(other)[0], 1, "NC999", "error", "m", offset=offsets[0]))
    fresh = Note(text=bom + text)
    expected = {line: note.line_text(line) for line in {d.line for d in diags}}
    got = line_texts(fresh, diags)
    assert got == expected and list(got) == list(expected)  # in the same order too
    mismatched = bool(offsets) and note.position(other)[0] != note.position(offsets[0])[0]
    if bom + text and not mismatched:
        assert "line_starts" not in fresh.__dict__  # the table was not needed


def test_positions_of_an_undecodable_file_are_byte_positions():
    from notecheck.engine import positions
    from notecheck.note import parse_bytes

    note = parse_bytes(b"ab\ncd\xff\xfe\n")
    assert positions(note, [0, 4, 5, 99]) == {o: note.position(o) for o in [0, 4, 5, 99]}


# ---- NC305's paragraph labels without a dict of every link (links._paragraph_labels)

@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_LABELS, _T, st.sampled_from(["", " see [3:00](https://www.youtube.com/watch?v=lXUZvyajciY&t=180s)",
                                                       " [talk](https://www.youtube.com/watch?v=aBcD3fGh1jK)"])),
                max_size=10),
       st.sampled_from(["", "[0:30](https://www.youtube.com/watch?v=lXUZvyajciY&t=30s) before\n\n"]))
@example([("1:10", "", " see [3:00](https://www.youtube.com/watch?v=lXUZvyajciY&t=180s)"), ("2:00", "", "")], "")
def test_paragraph_labels_are_each_paragraph_links_label(paragraphs, before):
    """Paragraph links in one run of the timestamp links, or with others between them (a link in a
    paragraph's text): the label of each paragraph's own link."""
    from notecheck.rules.links import _labels, _paragraph_labels

    body = "\n\n".join(f"[{label}](https://www.youtube.com/watch?v={VID}{t}) Words{more}." for label, t, more in paragraphs)
    note = parse(f"---\nvideo_id: {VID}\n---\n\n# T\n\n## Summary\n\n{before}x\n\n## Transcript\n\n{body}\n")
    label_of = dict(zip(map(id, note.timestamp_links), _labels(note)))
    assert _paragraph_labels(note) == [label_of.get(id(para.link)) for para in note.transcript]


# ---- NC204's head check by the first character that is not blank space (structure._has_content)

@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["\n", "\r\n", "\r", " ", "   ", "\t", "x", "# h", "### sub", "   #", "    #", "#x", "<!--",
                                 "-->", "\x0b", "\x0c", "\x1c", "\x85", "\u00a0", "\u2028", "\u3000", "\u200b", "-"]),
                max_size=30).map("".join), st.data())
def test_section_content_by_its_first_character_is_the_whole_reading(text, data):
    from notecheck.rules import structure

    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    saved = structure._HEAD_CHARS
    structure._HEAD_CHARS = data.draw(st.sampled_from([1, 4, 16, 1024]))  # short heads: the head is read first
    try:
        assert structure._has_content(text, start, end) == structure._lines_have_content(text[start:end])
    finally:
        structure._HEAD_CHARS = saved


def test_many_findings_in_a_note_get_the_same_positions_and_excerpts(monkeypatch):
    # past MANY_FINDINGS a note's positions and excerpts come from its table of line starts
    # (a table of every offset, or a look back from each along a long line, cost more): the
    # same diagnostics and excerpts as counted one offset after another
    from notecheck import engine, runner
    from notecheck.note import parse

    text = "---\nvideo_id: x\n---\n## Summary\n\n" + "â€” Ã© " * 400 + "\nend â€”\r\nlast Ã©\n"
    many = engine.check_note(parse(text), None, "n.md")
    assert len(many) > engine.MANY_FINDINGS
    excerpts = runner.excerpts_for(parse(text), many)
    monkeypatch.setattr(engine, "MANY_FINDINGS", 10**9)
    assert engine.check_note(parse(text), None, "n.md") == many
    assert runner.excerpts_for(parse(text), many) == excerpts


def test_many_findings_is_the_last_count_still_positioned_in_one_pass(monkeypatch):
    # the boundary itself: a note with exactly MANY_FINDINGS findings is positioned in one pass
    # (no table of line starts is built); one finding more and the table is built, same answers
    from notecheck import engine
    from notecheck.note import parse

    text = "---\nvideo_id: x\n---\n## Summary\n\n" + "â€” Ã© " * 40 + "\nend\n"
    count = len(engine.check_note(parse(text), None, "n.md"))
    assert count > 10
    answers = set()
    for limit, table in ((count, False), (count - 1, True)):
        monkeypatch.setattr(engine, "MANY_FINDINGS", limit)
        note = parse(text)
        found = engine.check_note(note, None, "n.md")
        assert ("line_starts" in note.__dict__) is table, limit
        fresh = parse(text)  # the excerpts' lines: the same boundary
        texts = engine.line_texts(fresh, found)
        assert ("line_starts" in fresh.__dict__) is table, limit
        answers.add((tuple(found), tuple(sorted(texts.items()))))
    assert len(answers) == 1
