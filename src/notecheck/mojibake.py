"""Mojibake: UTF-8 text that was decoded as cp1252/latin-1 (``â€”`` for ``—``, ``Ã©`` for ``é``).

Two stages, so that clean notes pay nothing:

1. a cheap regex finds a complete UTF-8 byte sequence spelled in cp1252/latin-1
   characters (a lead ``Â``..``ô`` followed by the right number of continuation
   characters ``€``..``¿``). Legitimate text almost never contains one; the few
   legitimate shapes it does match (``„Straße“``, ``“CAFÉ”``) are settled in stage 2.
2. ``ftfy`` (imported lazily, only when stage 1 hits) decides on the candidate's
   segment (the run of non-ASCII cp1252/latin-1 characters around it) and gives the
   repair. Its heuristics know which repairs are plausible text, so it
   leaves ``É”``, ``ß“`` and Portuguese ``SÃO`` alone while repairing ``â€™``, ``Ã©``,
   double-encoded ``ÃƒÂ©`` and whole mojibake words in other scripts.

Why ftfy and not a hand-written decoder: a plain "re-encode cp1252, decode UTF-8"
test accepts ``É”`` (valid UTF-8 for ``ɔ``) and ``ß“`` (NKo); telling those apart is
exactly what ftfy's well-tested heuristics do. Its import costs ~45 ms, paid only on
the rare note whose text passes stage 1.
"""

from __future__ import annotations

import itertools
import re
from functools import cache, lru_cache
from typing import NamedTuple

# cp1252 renders bytes 0x80-0x9F as these; latin-1 as C1 controls; 0xA0-0xBF are the same in both.
_CONT = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)


# Compiled on first use (~0.45 ms for both): only a note whose bytes pass the cheap tests
# below needs them.
@cache
def candidate_re() -> re.Pattern[str]:
    """A whole UTF-8 sequence (2, 3 or 4 bytes) read as cp1252/latin-1 characters."""
    return re.compile(f"[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|[\u00f0-\u00f4][{_CONT}]{{3}}")


@cache
def _segment_re() -> re.Pattern[str]:
    """Characters cp1252/latin-1 produce from bytes 0x80-0xFF: the stuff mojibake is made of."""
    return re.compile(f"[{_CONT}\u00c0-\u00ff]*")


MAX_SEGMENT = 512  # bounds ftfy's work on pathological input; real runs are a few characters


def _in_segment(char: str) -> bool:
    return _segment_re().fullmatch(char) is not None


class Mojibake(NamedTuple):  # a NamedTuple, not a frozen dataclass: ~0.4 ms less to import
    start: int  # offsets into the text given to find()
    end: int
    text: str  # the garbled characters
    repair: str  # what they should read


# Every candidate_re() match starts with one of these lead characters.
_LEAD_RE = re.compile("[\u00c2-\u00f4]")
# The same in UTF-8: a lead (U+00C2..U+00F4: C3 82..C3 B4) followed by a continuation
# character (its first byte: C2 for U+0080..U+00BF, C5/C6/CB for Œ Š Ÿ Ž ƒ ˆ ˜, E2 for – … € ™);
# in the bytes, where the search runs at C speed (accented names have leads, rarely this).
_LEAD_THEN_CONT_UTF8 = re.compile(rb"\xc3[\x82-\xb4][\xc2\xc5\xc6\xcb\xe2]")


def _candidates(text: str, utf8: bytes | None = None):
    """``candidate_re().finditer(text)``, but fast: the regex is only tried at lead characters.

    Clean notes are mostly ASCII with a few ``—`` or ``’``: no lead character at all, which
    the UTF-8 encoding tells at memchr speed (U+00C0..U+00FF encode as ``C3 xx``); the
    full regex costs ~15 ns a character when run over the whole text. ``utf8``: the text's
    UTF-8 encoding when the caller has it (a note's bytes), saving the encoding (~0.7 ms/MB).
    """
    if text.isascii():
        return
    data = text.encode("utf-8", "surrogatepass") if utf8 is None else utf8
    if b"\xc3" not in data or _LEAD_THEN_CONT_UTF8.search(data) is None:
        return  # no lead character, or none followed by a continuation character: no candidate
    search, match = _LEAD_RE.search, candidate_re().match
    lead = search(text)
    while lead is not None:
        m = match(text, lead.start())
        if m is not None:
            yield m
            lead = search(text, m.end())
        else:
            lead = search(text, lead.start() + 1)


def has_candidate(text: str) -> bool:
    """The cheap stage: may ``text`` hold mojibake at all?"""
    return next(_candidates(text), None) is not None


@lru_cache(maxsize=1)
def _fixer():
    import ftfy  # lazy: ~45 ms, only for text that passed the cheap stage

    config = ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_c1_controls=False,  # a stray C1 control is not mojibake of UTF-8
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )
    return lambda s: ftfy.fix_encoding(s, config)


def repair(text: str) -> str:
    """``text`` with its mojibake repaired (unchanged when there is none)."""
    if not has_candidate(text):
        return text
    return _fixer()(text)


def find(text: str, utf8: bytes | None = None) -> list[Mojibake]:
    """Every mojibake run in ``text``, in order, with its repair (``utf8``: ``text.encode()``, if known).

    ftfy judges each candidate's segment: the maximal run of characters a cp1252/latin-1
    decoding can produce from bytes 0x80-0xFF (mojibake of UTF-8 never contains ASCII).
    Judging segments, not lines, keeps the work linear in the text.
    """
    candidates = _candidates(text, utf8)
    first = next(candidates, None)
    if first is None:
        return []
    fix = _fixer()
    out: list[Mojibake] = []
    done_until = -1
    for m in itertools.chain((first,), candidates):
        if m.start() < done_until:
            continue  # inside a segment already judged
        seg_start = m.start()
        floor = max(0, done_until, m.start() - MAX_SEGMENT)
        while seg_start > floor and _in_segment(text[seg_start - 1]):
            seg_start -= 1
        seg_end = _segment_re().match(text, m.start(), m.start() + MAX_SEGMENT).end()
        done_until = seg_end
        segment = text[seg_start:seg_end]
        fixed = fix(segment)
        if fixed == segment:
            continue
        # the repair differs from the segment in one stretch: trim what both share
        head = 0
        while head < min(len(segment), len(fixed)) and segment[head] == fixed[head]:
            head += 1
        tail = 0
        while tail < min(len(segment), len(fixed)) - head and segment[-1 - tail] == fixed[-1 - tail]:
            tail += 1
        start, end = seg_start + head, seg_end - tail
        out.append(Mojibake(start, end, text[start:end], fixed[head:len(fixed) - tail]))
    return out
