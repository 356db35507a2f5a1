"""Offsets <-> LSP positions: UTF-16 units by default, lines split only at CRLF, LF, CR."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notecheck.server.positions import UTF8, UTF16, UTF32, LineIndex, units

BOM = "\ufeff"


def test_emoji_takes_two_utf16_units_before_a_finding():
    text = "a 😀 [9:25]"
    index = LineIndex(text)
    at = text.index("[")
    assert at == 4  # code points: a, space, emoji, space
    assert index.position(at) == (0, 5)  # the emoji is a surrogate pair
    assert index.position(at, UTF8) == (0, 7)  # four bytes
    assert index.position(at, UTF32) == (0, 4)


def test_cjk_takes_one_utf16_unit_and_three_utf8_bytes():
    text = "## 土壌\n見出し x"
    index = LineIndex(text)
    assert index.position(text.index("x")) == (1, 4)
    assert index.position(text.index("x"), UTF8) == (1, 10)


def test_a_bom_kept_in_the_text_is_one_character():
    text = BOM + "ab"
    index = LineIndex(text)
    assert index.position(text.index("b")) == (0, 2)
    assert index.offset(0, 2) == text.index("b")


def test_crlf_lf_and_lone_cr_end_lines_and_u2028_does_not():
    text = "ab\r\ncd\ref\ngh\u2028ij"
    index = LineIndex(text)
    assert index.position(text.index("c")) == (1, 0)
    assert index.position(text.index("e")) == (2, 0)
    assert index.position(text.index("g")) == (3, 0)
    assert index.position(text.index("i")) == (3, 3)
    assert index.position(text.index("\n")) == (0, 2)  # inside the CRLF: the end of the line


def test_offset_of_positions_past_the_end_and_inside_a_surrogate_pair():
    text = "x😀y\r\nz"
    index = LineIndex(text)
    assert index.offset(0, 99) == text.index("\r")  # past a line's end: its end, before CRLF
    assert index.offset(7, 0) == len(text)  # past the last line: the end of the text
    assert index.offset(0, 2) == text.index("😀")  # the low surrogate belongs to the emoji
    assert index.offset(0, 3) == text.index("y")
    assert index.offset(0, 2, UTF8) == text.index("😀")  # inside its four bytes
    assert index.offset(0, 5, UTF8) == text.index("y")
    assert index.offset(1, 1) == len(text)


def _reference_position(text: str, offset: int) -> tuple[int, int]:
    """Line and UTF-16 character the slow way, as an editor counts them."""
    line, start, i = 0, 0, 0
    while i < offset:
        if text[i] == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
            if i + 1 == offset:
                break
            i += 2
        elif text[i] in "\r\n":
            i += 1
        else:
            i += 1
            continue
        line, start = line + 1, i
    return line, len(text[start:min(offset, i)].encode("utf-16-le")) // 2


ALPHABET = st.sampled_from(["a", " ", "é", "土", "😀", "𝄞", "\r", "\n", "\r\n", "\u2028", BOM, "\t"])


@given(st.lists(ALPHABET, max_size=40).map("".join), st.data())
def test_positions_agree_with_a_reference_and_round_trip(text, data):
    index = LineIndex(text)
    offset = data.draw(st.integers(0, len(text)))
    line, char = index.position(offset)
    assert (line, char) == _reference_position(text, offset)
    inside_crlf = 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n"
    assert index.offset(line, char) == (offset - 1 if inside_crlf else offset)
    for enc in (UTF8, UTF32):
        line2, char2 = index.position(offset, enc)
        assert line2 == line and index.offset(line2, char2, enc) == index.offset(line, char)


@pytest.mark.parametrize("s,u16,u8", [("", 0, 0), ("abc", 3, 3), ("é", 1, 2), ("土", 1, 3), ("😀", 2, 4)])
def test_units(s, u16, u8):
    assert units(s, UTF16) == u16 and units(s, UTF8) == u8 and units(s, UTF32) == len(s)
