"""Mojibake: UTF-8 text that was decoded as cp1252/latin-1 (``â€”`` for ``—``, ``Ã©`` for ``é``).

Two stages, so that clean notes pay nothing:

1. a cheap regex finds a complete UTF-8 byte sequence spelled in cp1252/latin-1
   characters (a lead ``Â``..``ô`` followed by the right number of continuation
   characters ``€``..``¿``). Legitimate text almost never contains one; the few
   legitimate shapes it does match (``„Straße“``, ``“CAFÉ”``) are settled in stage 2.
2. ``ftfy`` (imported lazily, only when stage 1 hits) decides on the whole line and
   gives the repair. Its heuristics know which repairs are plausible text, so it
   leaves ``É”``, ``ß“`` and Portuguese ``SÃO`` alone while repairing ``â€™``, ``Ã©``,
   double-encoded ``ÃƒÂ©`` and whole mojibake words in other scripts.

Why ftfy and not a hand-written decoder: a plain "re-encode cp1252, decode UTF-8"
test accepts ``É”`` (valid UTF-8 for ``ɔ``) and ``ß“`` (NKo); telling those apart is
exactly what ftfy's well-tested heuristics do. Its import costs ~45 ms, paid only on
the rare note whose text passes stage 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# cp1252 renders bytes 0x80-0x9F as these; latin-1 as C1 controls; 0xA0-0xBF are the same in both.
_CONT = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
# A whole UTF-8 sequence (2, 3 or 4 bytes) read as cp1252/latin-1 characters.
CANDIDATE_RE = re.compile(f"[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|[\u00f0-\u00f4][{_CONT}]{{3}}")


@dataclass(frozen=True, slots=True)
class Mojibake:
    start: int  # offsets into the text given to find()
    end: int
    text: str  # the garbled characters
    repair: str  # what they should read


def has_candidate(text: str) -> bool:
    """The cheap stage: may ``text`` hold mojibake at all?"""
    return CANDIDATE_RE.search(text) is not None


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


def find(text: str) -> list[Mojibake]:
    """Every mojibake run in ``text``, in order, with its repair."""
    if not has_candidate(text):
        return []
    from difflib import SequenceMatcher

    fix = _fixer()
    out: list[Mojibake] = []
    done_until = -1
    for m in CANDIDATE_RE.finditer(text):
        if m.start() < done_until:
            continue  # this line was already decided
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        if line_end < 0:
            line_end = len(text)
        done_until = line_end
        line = text[line_start:line_end]
        fixed = fix(line)
        if fixed == line:
            continue
        ops = SequenceMatcher(None, line, fixed, autojunk=False).get_opcodes()
        for tag, i1, i2, j1, j2 in ops:
            if tag != "equal":
                out.append(Mojibake(line_start + i1, line_start + i2, line[i1:i2], fixed[j1:j2]))
    return out
