"""NC501's unsafe fix: a misquoted sentence put back in the speaker's words (SPEC §3, NC501).

``repair(cq, note, ctx) -> Fix | None``, called by NC501 for a quote with sentences that are
not in the transcript. The fix is offered only when every such sentence of the quote can
be put back (a quote that also holds a paraphrase or an invented sentence needs a person
anyway, and its NC501 stays report-only), each one:

* alike enough: its closest transcript stretch is at least ``quote-similarity`` alike;
* clearly that stretch (``clearly_closest``): the best other place in the transcript
  (``SentenceMatch.runner_up``) is at least twice as far from the sentence, i.e.
  ``similarity - runner_up >= 1 - similarity`` (in thousandths, as the matcher rounds):
  a one-word change in a long sentence (0.96) is not clear of a place two words off (0.92),
  and two places about as close leave the choice to a person;
* where the rest of the quote is (``_in_place``): after the sentence before it and before
  the one after it (never sharing a word with them), each in the same or the next paragraph
  (paragraphs sharing a start are one; with a sidecar, the note's paragraphs). A quote with
  no verbatim sentence has only its citation to place it: it must have one, and the what-if
  below keeps the repaired quote where it is cited.

What it writes, inside the sentence only, from the word diff ``quotematch.word_changes``
makes (the one the message shows), on the closest stretch widened to the start and end of
its transcript sentence when they are at most ``EDGE_REACH`` words away:

* words the note changed take the transcript's words, with the transcript's punctuation
  between and around them; words the note added go; words it left out come back when the
  gap is at most ``SHORT_GAP`` words, a longer gap becomes an ellipsis in the note's style
  (``...``, ``…`` or ``[...]``, spaced as the note writes it; ``...`` when it has none);
* at the sentence's edges: left-out words stay out (a quote may begin or end anywhere in
  what was said); added words go only where the speaker's sentence begins (or ends) there;
  changed words stand for as many transcript words or one more ("Nobody" for "No one"),
  or for the nearest one or two when at least ``EDGE_ALIKE`` alike in characters
  ("sevilla" for "to Seville"), else no fix: a person decides what they stood for; a few
  words (at most ``SHORT_GAP``) of a neighbouring transcript sentence that the matcher's
  stretch spilled into are that sentence's, never pulled in ("Just so, soil is" is not
  "just there. Soil is");
* disfluencies, repeats and annotations (``[laughter]``) of the transcript stay out (clean
  verbatim), with the commas or dashes around them; with ``quote-match = "strict"`` they count;
* the note's typography: the sentence's first letter keeps its case (a transcript word
  capitalised mid-sentence, and "I", keep theirs); dashes (``--`` / ``—``), double quotation
  marks and apostrophes in the words put back follow the quote (else its attribution, else
  the note's other quotes); an edit that would cross a line's ``> `` is split at blanks,
  one per line. Markdown links, brackets or emphasis where an edit would land: no fix.

And it checks what it wrote: the repaired quote, located again, is verbatim, and the rules
that read where quotes are (``JUDGES``: NC403, NC407-NC409, NC502, NC601, NC602) find
nothing on the repaired quote and its highlight that they do not find on it now (run on a
view of the note holding just that quote, as it is and as repaired: ``timeline.quote_view``,
no re-parsing), so the fix never trades a misquote for a timing or speaker finding, and a
second run has nothing left to do.
"""

from __future__ import annotations

import bisect
import re
from operator import itemgetter
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

from .diagnostic import UNSAFE, Edit, Fix
from .note import Note
from .quotematch import _ANNOTATION_RE, QuoteIndex, SentenceMatch, locate, sidecar_usable, tokens, window_passages, word_diff
from .timeline import CheckedQuote

__all__ = ["JUDGES", "SHORT_GAP", "repair", "clearly_closest", "window_starts"]

# Left-out words up to this many come back; a longer gap becomes an ellipsis.
SHORT_GAP = 3
# The rules that read where quotes are (timeline.checked_quotes, timelines, place): a repair
# must add none of their findings (tests/test_repair.py finds them in the rules' sources).
JUDGES = frozenset({"NC403", "NC407", "NC408", "NC409", "NC502", "NC601", "NC602"})
_JUDGE_ORDER = sorted(JUDGES)
# Markup a repair does not edit through: links, brackets, emphasis, code, HTML.
_MARKUP = frozenset("[]*_`<>")

# A transcript stretch's words as QuoteIndex.window_tokens gives them: (word, passage, start, end in its text)
_Window = Sequence[tuple[str, int, int, int]]


def clearly_closest(s: SentenceMatch, threshold: float) -> bool:
    """The sentence's closest stretch is at least ``threshold`` alike, and the best other place is
    at least twice as far from it: ``similarity - runner_up >= 1 - similarity``."""
    if s.found or s.pos is None or s.similarity < threshold:
        return False  # (the runner-up is searched for only when read)
    similarity, runner_up = round(s.similarity * 1000), round(s.runner_up * 1000)
    return similarity - runner_up >= 1000 - similarity


def repair(cq: CheckedQuote, note: Note, ctx) -> Fix | None:
    """The unsafe fix that puts the quote's misquoted sentences back in the transcript's words;
    None when it is not offered (see the module docstring)."""
    sentences = cq.match.sentences
    todo = [k for k, s in enumerate(sentences) if not s.found]
    threshold = ctx.config.quote_similarity
    if not todo or not all(clearly_closest(sentences[k], threshold) for k in todo):
        return None
    style = _style(note, cq)
    regions: list[_Region] = []
    spans: dict[int, tuple[tuple, tuple]] = {}  # the transcript words each repaired sentence will quote
    for k in todo:
        got = _sentence_regions(sentences[k], cq.index, style)
        if got is None:
            return None
        regions.extend(got[0])
        spans[k] = got[1]
    if not _in_place(cq, note, ctx, spans):
        return None
    edits: list[Edit] = []
    for r in regions:
        split = _line_edits(cq.lines, r.start, r.end, r.content)
        if split is None:
            return None
        edits.extend(split)
    lines = _edited_lines(cq.lines, edits)
    if lines is None:
        return None
    relocated = locate(" ".join(text for _, text in lines), cq.index, near=cq.cited)
    if not relocated.verbatim:
        return None
    # a new CheckedQuote, not a copy: nothing the old one worked out (its placement) carries over
    repaired = CheckedQuote(cq.quote, lines, relocated, cq.index, cq.cited, cq.cited_link, cq.highlight)
    if not _judged_alike(note, ctx, cq, repaired):
        return None
    edits = [e for e in edits if note.text[e.start:e.end] != e.content]
    return Fix(tuple(sorted(edits, key=lambda e: e.start)), UNSAFE, _describe(regions))


# --------------------------------------------------------------------------- where


def _in_place(cq: CheckedQuote, note: Note, ctx, spans: dict[int, tuple[tuple, tuple]]) -> bool:
    """Each sentence to repair (``spans``: the first and last transcript word it will quote) comes
    after the sentence before it and before the one after it, in the same or the next paragraph.

    A quote with no verbatim sentence has only its citation to say where it is: it must have one,
    and once repaired be placed where it cites (the what-if finds a new NC502 otherwise)."""
    index = cq.index
    grid: list[list[int]] = []  # the paragraph starts, worked out when first needed (most quotes: never)

    def paragraphs_apart(last: tuple, first: tuple) -> int:
        """How many paragraphs ``first`` lies after ``last``; two words of one passage: 0 (one paragraph)
        without the paragraph starts, which a quote inside one passage never needs (~1 ms/MB on r615)."""
        if last[1] == first[1]:
            return 0
        if not grid:
            grid.append(window_starts(note, index, sidecar_usable(ctx.sidecar)))
        starts = grid[0]
        return (bisect.bisect_right(starts, index.passages[first[1]].start)
                - bisect.bisect_right(starts, index.passages[last[1]].start))

    def span(k: int) -> tuple[tuple, tuple]:
        if k in spans:
            return spans[k]
        words = index.window_tokens(ss[k].pos, ss[k].end_pos)  # a verbatim sentence
        return words[0], words[-1]

    def in_order(earlier: tuple[tuple, tuple], later: tuple[tuple, tuple]) -> bool:
        (_, last), (first, _) = earlier, later
        return (last[1], last[3]) <= (first[1], first[2]) and 0 <= paragraphs_apart(last, first) <= 1

    ss = cq.match.sentences
    for k in spans:
        if k > 0 and not in_order(span(k - 1), span(k)):
            return False
        if k + 1 < len(ss) and not in_order(span(k), span(k + 1)):
            return False
    return cq.cited is not None or any(s.found for s in ss)


def window_starts(note: Note, index: QuoteIndex, sidecar_used: bool) -> list[int]:
    """The distinct starts of the passages a citation points into (``quotematch.window_passages``),
    sorted; worked out once per note (NC502 and the repair ask for each quote)."""
    if sidecar_used and note.transcript:
        # the note's paragraphs: their starts as passages_from_transcript makes them (a paragraph without
        # a time takes the one before's, the first 0), read from the paragraphs' times NC603 reads too,
        # without building the passages (~0.4 ms/MB on r615: nothing else needs them)
        from .rules.sidecar import _paragraph_seconds

        seconds = _paragraph_seconds(note)
        return note._cache("window_starts", seconds, lambda: sorted(set(_carried(seconds))))
    grid = window_passages(note, index, sidecar_used)
    return note._cache("paragraph_starts", grid, lambda: sorted({p.start for p in grid}))


def _carried(seconds: list[int | None]) -> list[int]:
    """Each time, a missing one (None) the one before's (the first: 0)."""
    out, last = [], 0
    for s in seconds:
        last = last if s is None else s
        out.append(last)
    return out


def _judged_alike(note: Note, ctx, quote: CheckedQuote, repaired: CheckedQuote) -> bool:
    """The rules that read where quotes are find nothing on the repaired quote (or its highlight)
    that they do not find on it now."""
    from . import rules
    from .timeline import quote_view

    if not rules._loaded:
        rules.all_rules()
    # the registered judges in code order, as all_rules() lists them (without sorting all 37 codes each time)
    judges = [r for r in map(rules.REGISTRY.get, _JUDGE_ORDER) if r is not None]

    def judged(cq: CheckedQuote) -> Counter:
        view = quote_view(note, cq)
        return Counter((r.code, f.message) for r in judges for f in r.check(view, ctx))

    after = judged(repaired)
    return not after or not after - judged(quote)


# --------------------------------------------------------------------------- what


@dataclass(frozen=True)
class _Region:
    """Replace quote text [start, end) (offsets in the quote's lines joined by blanks) with ``content``."""

    start: int
    end: int
    content: str
    before: str  # the words around the edit, before and after it (for the fix's title)
    after: str


def _sentence_regions(s: SentenceMatch, index: QuoteIndex,
                      style: _Style) -> tuple[list[_Region], tuple[tuple, tuple]] | None:
    """The edits that make sentence ``s`` quote its closest stretch, and the first and last
    transcript word it then quotes (None: no edit that can be offered)."""
    text = s.text
    quote = tokens(text, index.clean, annotations=False)  # as quotematch.locate reads a quote
    aligned = s.aligned  # the closest text's words and diff as locate made them (it located s in index)
    window = aligned[0] if aligned is not None else index.window_tokens(s.pos, s.end_pos)
    if not quote or not window:
        return None
    window, starts, ends = _to_sentence_edges(index, window)
    window, starts, ends = _own_sentence(index, quote, window, starts, ends, aligned)
    n = len(quote)
    out: list[_Region] = []
    used = [0, len(window)]  # the window's words the repaired sentence quotes
    for tag, i1, i2, j1, j2 in _differences(quote, window, aligned):
        if tag == "insert" and i1 == 0:
            used[0] = j2
            continue  # left out before the first word or after the last: the quote begins or ends there
        if tag == "insert" and i1 == n:
            used[1] = j1
            continue
        gap = (j2 - j1) - (i2 - i1)  # words the transcript has beyond the quote's
        if tag == "replace" and (i1 == 0 or i2 == n) and gap > 1:
            # the quote's first (last) words for many of the speaker's: they stand for the nearest
            # one or two of them when alike ("sevilla" for "We drove to Seville"), else no fix
            j1, j2 = _edge_pairing(quote[i1:i2], window, j1, j2, at_start=i1 == 0)
            gap = (j2 - j1) - (i2 - i1)
        if i1 == 0 or i2 == n:
            # at the sentence's edge: added words go only where the speaker's sentence begins (or
            # ends); changed words only for about as many (the rest is a person's call)
            if i1 == 0 and i2 == n or tag == "delete" and not (starts if i1 == 0 else ends) or gap > 1:
                return None
        if i1 == 0:  # the sentence's first words: keep its first letter's case
            a, b = quote[0][1], quote[i2][1]
            content = style.typeset(_compose(index, window, j1, j2, lead=False, trail=True))
            if not content:  # the first words go: the next one starts the sentence
                b = quote[i2][2]
                content = _recase(text[quote[i2][1]:b], text[a], proper=False)
            else:
                content = _recase(content, text[a], proper=_capitalised_mid_sentence(index, window[j1]))
        elif i2 == n:
            a, b = quote[i1 - 1][2], quote[n - 1][2]
            content = style.typeset(_compose(index, window, j1, j2, lead=True, trail=False))
        else:
            a, b = quote[i1 - 1][2], quote[i2][1]
            if gap > SHORT_GAP:
                content = style.ellipsis
            else:
                content = style.typeset(_compose(index, window, j1, j2, lead=True, trail=True))
        # a word the quote repeats ("at the the rule") next to the edit: the edit made it, most
        # likely (a word dropped between two alike), so it is written once, as the transcript does
        if i1 > 0 and a == quote[i1 - 1][2] and _repeated(text, quote[i1 - 1]):
            a = quote[i1 - 1][1]
            content = style.typeset(_word(index, window[j1 - 1])) + content
        if i2 < n and b == quote[i2][1] and _repeated(text, quote[i2]):
            b = quote[i2][2]
            content += style.typeset(_word(index, window[j2]))
        if _MARKUP.intersection(text[a:b]):
            return None
        d0 = _WORD_BEFORE_RE.search(text, 0, quote[i1 - 1][1] if i1 > 0 else a).start()
        d1 = _WORD_AFTER_RE.match(text, max(quote[i2][2] if i2 < n else b, b)).end()
        out.append(_Region(s.start + a, s.start + b, content,
                           text[d0:d1], text[d0:a] + content + text[b:d1]))
    if not out or used[0] >= used[1]:
        return None
    return out, (window[used[0]], window[used[1] - 1])


# How alike (0..1, characters) a quote's edge words must be to the nearest transcript words they stand for.
EDGE_ALIKE = 0.5


def _edge_pairing(words: Sequence[tuple], window: _Window, j1: int, j2: int, *, at_start: bool) -> tuple[int, int]:
    """The transcript words ``window[j1:j2]`` that edge ``words`` stand for: the nearest
    ``len(words)`` or one more (those more alike in characters), when at least ``EDGE_ALIKE``
    alike; else the whole range (too many for the fix to be offered)."""
    from rapidfuzz import fuzz

    said = " ".join(w[0] for w in words)
    best = (EDGE_ALIKE, j1, j2)
    for m in (len(words), len(words) + 1):
        a, b = (j2 - m, j2) if at_start else (j1, j1 + m)
        alike = fuzz.ratio(said, " ".join(w[0] for w in window[a:b])) / 100
        if alike >= best[0]:
            best = (alike, a, b)
    return best[1], best[2]


# How far (in words) the closest stretch is widened to the start and end of the transcript sentence it is in.
EDGE_REACH = 6
_SENTENCE_BREAK_RE = re.compile(r"[.!?]")


def _to_sentence_edges(index: QuoteIndex, window: list) -> tuple[list, bool, bool]:
    """``window`` (not empty) widened back to the start of its transcript sentence and on to its
    end, each when at most ``EDGE_REACH`` words away in its passage; and whether it now starts
    and ends a sentence.

    The matcher's stretch leaves out the transcript words a quote changed at its edges ("Nobody"
    for "No one"): widened, the diff pairs them, and words left out there are never restored."""
    _, p, a, _b = window[0]
    toks, text = index.passage_tokens(p), index.passages[p].text
    k = _token_at(toks, 1, a)
    head: list = []
    starts = False
    for _ in range(EDGE_REACH + 1):
        if k == 0 or _ends_sentence(text[toks[k - 1][2]:toks[k][1]]):
            starts = True
            break
        k -= 1
        head.insert(0, (toks[k][0], p, toks[k][1], toks[k][2]))
    _, p, _a, b = window[-1]
    toks, text = index.passage_tokens(p), index.passages[p].text
    k = _token_at(toks, 2, b)
    tail: list = []
    ends = False
    for _ in range(EDGE_REACH + 1):
        if k == len(toks) - 1 or _ends_sentence(text[toks[k][2]:toks[k + 1][1]]):
            ends = True
            break
        k += 1
        tail.append((toks[k][0], p, toks[k][1], toks[k][2]))
    return (head if starts else []) + list(window) + (tail if ends else []), starts, ends


def _token_at(toks: list[tuple[str, int, int]], field: int, offset: int) -> int:
    """The index of the passage token whose start (``field`` 1) or end (2) is ``offset``: a binary
    search (a passage's tokens run left to right, their starts and ends increasing), not a scan of
    the passage; the first such token, as ``next(i for i, t in enumerate(toks) if t[field] == offset)``."""
    k = bisect.bisect_left(toks, offset, key=itemgetter(field))
    if k < len(toks) and toks[k][field] == offset:
        return k
    return next(i for i, t in enumerate(toks) if t[field] == offset)  # (never: the window's words are tokens)


def _differences(quote: Sequence[tuple], window: _Window,
                 aligned: tuple | None = None) -> list[tuple[str, int, int, int, int]]:
    """The word diff of quotematch.word_changes (the message's), on tokens. ``aligned``: the
    sentence's ``SentenceMatch.aligned`` (``quote`` is that sentence's tokens)."""
    if aligned is not None and window == aligned[0]:
        # the window locate aligned the sentence with (most are not widened): its diff, no second difflib run
        return aligned[1]
    return word_diff([t[0] for t in quote], [t[0] for t in window])


def _own_sentence(index: QuoteIndex, quote: Sequence[tuple], window: list, starts: bool,
                  ends: bool, aligned: tuple | None = None) -> tuple[list, bool, bool]:
    """``window`` without the words of a neighbouring transcript sentence at its start (or end):
    a few words (at most ``SHORT_GAP``, and fewer than what remains) the matcher's stretch
    spilled into and the quote differs from; the quote's words there are its own, not a change
    of that sentence ("Just so, soil is" is not "just there. Soil is"). ``aligned``: as for ``_differences``."""
    breaks = [k for k in range(1, len(window)) if _breaks_before(index, window, k)] \
        if _may_break(index, window) else []
    if not breaks:
        return window, starts, ends
    n = len(quote)
    differing = [(j1, j2) for tag, i1, _i2, j1, j2 in _differences(quote, window, aligned)
                 if not (tag == "insert" and (i1 == 0 or i1 == n))]
    first, last = breaks[0], breaks[-1]
    lo = first if first <= SHORT_GAP and first < len(window) - first and any(j1 < first for j1, _ in differing) \
        else 0
    tail = len(window) - last
    hi = last if tail <= SHORT_GAP and tail < last - lo and any(j2 > last for _, j2 in differing) else len(window)
    return window[lo:hi], starts or lo > 0, ends or hi < len(window)


# the rest of a word written with a hyphen or an apostrophe ("no-till"), for the fix's title
_WORD_BEFORE_RE = re.compile(r"(?:[^\W_]+[-'\u2019])*$")
_WORD_AFTER_RE = re.compile(r"(?:[-'\u2019][^\W_]+)*")


def _repeated(text: str, tok: tuple[str, int, int]) -> bool:
    """The quote token stands for a word said twice or more in a row (clean verbatim keeps one)."""
    written = text[tok[1]:tok[2]]
    return not _one_word(tok[0], written) and len(tokens(written, clean=False)) > 1


def _one_word(word: str, written: str) -> bool:
    """A token's text as written is its one word, without tokenizing it again: in ASCII a token's
    span is as long as its word, unless it stretches over repeats ("the the": a longer span)."""
    return len(written) == len(word) and written.isascii()


def _compose(index: QuoteIndex, window: _Window, j1: int, j2: int, *, lead: bool, trail: bool) -> str:
    """Transcript words ``window[j1:j2]`` as written, with what stands between them; ``lead``/``trail``:
    with what stands between them and the words before/after (an empty range: between those two)."""
    if j1 == j2:
        return _between(index, window[j1 - 1], window[j1]) if lead and trail else ""
    out = [_between(index, window[j1 - 1], window[j1])] if lead else []
    for j in range(j1, j2):
        if j > j1:
            out.append(_between(index, window[j - 1], window[j]))
        out.append(_word(index, window[j]))
    if trail:
        out.append(_between(index, window[j2 - 1], window[j2]))
    return "".join(out)


def _word(index: QuoteIndex, tok: tuple[str, int, int, int]) -> str:
    """A transcript word as written (of a repeat, as in ``I -- I``, the first)."""
    word, passage, a, b = tok
    written = index.passages[passage].text[a:b]
    if _one_word(word, written):
        return written
    first = tokens(written, clean=False)[0]
    return written[first[1]:first[2]]


def _between(index: QuoteIndex, left: tuple[str, int, int, int], right: tuple[str, int, int, int]) -> str:
    """What the transcript has between two neighbouring words, without disfluencies or annotations."""
    return _clean_separator(_gap_text(index, left, right))


def _gap_text(index: QuoteIndex, left: tuple[str, int, int, int], right: tuple[str, int, int, int]) -> str:
    """The transcript text between two neighbouring words as written (across two passages: the end of
    one, a blank, the start of the next)."""
    if left[1] == right[1]:
        return index.passages[left[1]].text[left[3]:right[2]]
    return index.passages[left[1]].text[left[3]:] + " " + index.passages[right[1]].text[:right[2]]


def _may_break(index: QuoteIndex, window: _Window) -> bool:
    """False when no sentence can end between two of the window's words: they lie in one passage
    and its text from the first word to the last holds no ``.``, ``!`` or ``?`` (which every gap
    that ends a sentence has; most windows are one sentence: no gap is looked at)."""
    first, last = window[0], window[-1]
    if first[1] != last[1]:
        return True
    text = index.passages[first[1]].text
    return any(text.find(mark, first[3], last[2]) >= 0 for mark in ".!?")


def _breaks_before(index: QuoteIndex, window: _Window, j: int) -> bool:
    """A transcript sentence ends between ``window[j - 1]`` and ``window[j]`` (0 < j < len(window))."""
    return _ends_sentence(_gap_text(index, window[j - 1], window[j]))


def _ends_sentence(between: str) -> bool:
    """The text between two words ends a sentence (a ., ! or ? outside an annotation)."""
    # most gaps are a blank or a comma: substring tests rule them out before any regex
    if "." not in between and "!" not in between and "?" not in between:
        return False
    if "[" in between:
        between = _ANNOTATION_RE.sub(" ", between)
    return _SENTENCE_BREAK_RE.search(between) is not None


_WORD_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_BLANKS_RE = re.compile(r"\s+")
_DASHES = ("--", "\u2014", "\u2013", "-")


def _clean_separator(sep: str) -> str:
    """``sep`` with annotations and dropped words (disfluencies, repeats) taken out, with the commas
    around them, and any run of blank space as one blank."""
    sep = _ANNOTATION_RE.sub(" ", sep)
    words = list(_WORD_RE.finditer(sep))
    if words:  # the punctuation around them goes with them ("status -- you know -- quo"), a sentence end stays
        marks = (sep[:words[0].start()].strip(), sep[words[-1].end():].strip())
        mark = "" if marks[0] == marks[1] else next((m for m in marks if m.strip(",")), "")
        sep = f" {mark} " if mark in _DASHES else (mark + " " if mark else " ")
    return _BLANKS_RE.sub(" ", sep)


def _recase(text: str, like: str, *, proper: bool) -> str:
    """``text`` with its first letter in the case of ``like`` (a lower case never for "I" or a name)."""
    i = next((k for k, c in enumerate(text) if c.isalpha()), None)
    if i is None or not like.isalpha():
        return text
    if like.isupper():
        return text[:i] + text[i].upper() + text[i + 1:]
    first = _WORD_RE.match(text, i).group(0)  # type: ignore[union-attr]  # text[i] is a letter
    if proper or first == "I" or first.startswith(("I'", "I\u2019")):
        return text
    return text[:i] + text[i].lower() + text[i + 1:]


_SENTENCE_END_RE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")


def _capitalised_mid_sentence(index: QuoteIndex, tok: tuple[str, int, int, int]) -> bool:
    """A transcript word written with a capital where no sentence begins: a name."""
    _, passage, a, _b = tok
    text = index.passages[passage].text
    if not text[a:a + 1].isupper():
        return False
    before = _ANNOTATION_RE.sub(" ", text[:a]).rstrip()
    return bool(before) and _SENTENCE_END_RE.search(before) is None


# --------------------------------------------------------------------------- the note's typography


@dataclass(frozen=True)
class _Style:
    ellipsis: str  # " ... ", "... ", " … ", "… ", " [...] "
    dash: str | None  # "--" or "—"; None: as the transcript writes it
    curly: bool | None  # double quotation marks “ ” (True) or " (False)
    apostrophe: str | None  # "’" or "'"

    def typeset(self, text: str) -> str:
        """Transcript words in the note's dashes, quotation marks and apostrophes."""
        if self.dash == "--":
            text = text.replace("\u2014", "--")
        elif self.dash == "\u2014":
            text = re.sub(r"(?<!-)--(?!-)", "\u2014", text)
        if self.curly is True:
            text = re.sub(r"(?:(?<=^)|(?<=[\s(\[]))\"", "\u201c", text).replace("\"", "\u201d")
        elif self.curly is False:
            text = re.sub("[\u201c\u201d\u201e]", "\"", text)
        if self.apostrophe == "\u2019":
            text = re.sub(r"(?<=\w)'", "\u2019", text)
        elif self.apostrophe == "'":
            text = re.sub(r"(?<=\w)\u2019", "'", text)
        return text


_DASH_RE = re.compile(r"(?<!-)--(?!-)|\u2014")
_STRAIGHT_RE = re.compile(r"\w'\w")
_BENT_RE = re.compile(r"\w\u2019\w")
_ELLIPSIS_RE = re.compile(r"([^\s\[]?)(\[(?:\.\.\.|\u2026)\]|\.\.\.|\u2026)")


def _style(note: Note, cq: CheckedQuote) -> _Style:
    """The typography of the quote (its lines, then its attribution), else of the note's other quotes."""
    own = " ".join(text for _, text in cq.lines)
    attribution = cq.quote.attribution
    signed = note.text[attribution.start:attribution.end] if attribution is not None else ""
    quotes = note.quotes
    others = note._cache("repair_quotes_style", quotes, lambda: _QuotesStyle(note.text, quotes))
    m = _ellipsis(own) or others.ellipsis
    if m is None:
        ellipsis = " ... "
    else:
        ellipsis = (m.group(2) + " ") if m.group(1).isalnum() else f" {m.group(2)} "
    dash = _first_dash(own) or _first_dash(signed) or others.dash or others.signatures_dash
    opening = own.lstrip()[:1]
    curly = True if opening == "\u201c" else (False if opening == "\"" else None)
    apostrophe = _apostrophe(own) or others.apostrophe
    return _Style(ellipsis, dash, curly, apostrophe)


class _QuotesStyle:
    """The typography of all the note's quotes (their lines, and their attributions), worked out
    once per note and when first asked: each repaired quote asks for it (was joined and searched
    again for every quote)."""

    def __init__(self, text: str, quotes: list) -> None:
        self._text, self._quotes = text, quotes

    @cached_property
    def lines(self) -> str:
        return " ".join(line.text for q in self._quotes for line in q.lines)

    @cached_property
    def ellipsis(self) -> re.Match | None:
        return _ellipsis(self.lines)

    @cached_property
    def dash(self) -> str | None:
        return _first_dash(self.lines)

    @cached_property
    def signatures_dash(self) -> str | None:
        text = self._text
        return _first_dash(" ".join(text[q.attribution.start:q.attribution.end] for q in self._quotes if q.attribution))

    @cached_property
    def apostrophe(self) -> str | None:
        return _apostrophe(self.lines)


# A regex search tries a match at every position of a text. Each match of these regexes holds
# a mark ("...", "--", an apostrophe) a few characters after its start: the search starts there,
# after a find() (one C scan) of the mark, and texts without one are not searched; same answers.

def _search_at_mark(pattern: re.Pattern, text: str, marks: tuple[str, ...], lead: int) -> re.Match | None:
    """``pattern.search(text)``, for a pattern whose matches hold one of ``marks`` at most ``lead``
    characters after their start (a lookbehind still sees the text before)."""
    found = [i for i in map(text.find, marks) if i >= 0]
    return pattern.search(text, max(0, min(found) - lead)) if found else None


def _ellipsis(text: str) -> re.Match | None:
    """The first ellipsis in ``text`` (``_ELLIPSIS_RE``: a character, "[" and then "..." or "\u2026")."""
    return _search_at_mark(_ELLIPSIS_RE, text, ("...", "\u2026"), 2)


def _first_dash(text: str) -> str | None:
    """The first dash (``--`` or ``\u2014``) in ``text``."""
    m = _search_at_mark(_DASH_RE, text, ("--", "\u2014"), 0)
    return m.group(0) if m is not None else None


def _apostrophe(text: str) -> str | None:
    """The apostrophe ``text`` writes inside words, when it writes one kind only."""
    straight = _search_at_mark(_STRAIGHT_RE, text, ("'",), 1) is not None
    bent = _search_at_mark(_BENT_RE, text, ("\u2019",), 1) is not None
    if straight == bent:
        return None
    return "'" if straight else "\u2019"


# --------------------------------------------------------------------------- lines


def _line_edits(lines: list[tuple[int, str]], start: int, end: int, content: str) -> list[Edit] | None:
    """Edits in the note replacing quote text [start, end) with ``content``, one per line: an edit
    that would cross a line break is split at blanks of ``content`` (the line break stands for
    one); None when ``content`` has too few blanks."""
    spans = []  # (first, end) in the quote text, and the line's offset in the note
    at = 0
    for offset, text in lines:
        spans.append((at, at + len(text), offset))
        at += len(text) + 1
    first = next(k for k, (a, b, _) in enumerate(spans) if a <= start <= b)
    last = next(k for k, (a, b, _) in enumerate(spans) if a <= end <= b)
    if first == last:
        a, _, offset = spans[first]
        return [Edit(offset + start - a, offset + end - a, content)]
    parts = [(max(start, a), min(end, b), a, offset) for a, b, offset in spans[first:last + 1]]
    pieces = _split(content, [b - a for a, b, _, _ in parts])
    if pieces is None:
        return None
    return [Edit(offset + a - line_at, offset + b - line_at, piece)
            for (a, b, line_at, offset), piece in zip(parts, pieces)]


def _split(content: str, lengths: list[int]) -> list[str] | None:
    """``content`` cut at ``len(lengths) - 1`` of its blank runs, each cut where the text it
    replaces had a line break (in proportion to the parts' lengths)."""
    blanks = [m.span() for m in re.finditer(" +", content)]
    cuts = len(lengths) - 1
    if len(blanks) < cuts:
        return None
    total = sum(lengths) or 1
    pieces: list[str] = []
    pos, used, upto = 0, 0, 0
    for i in range(cuts):
        upto += lengths[i]
        target = len(content) * upto / total
        choices = range(used, len(blanks) - (cuts - i - 1))
        k = min(choices, key=lambda c: (abs(blanks[c][0] - target), c))
        pieces.append(content[pos:blanks[k][0]])
        pos, used = blanks[k][1], k + 1
    pieces.append(content[pos:])
    return pieces


def _edited_lines(lines: list[tuple[int, str]], edits: list[Edit]) -> list[tuple[int, str]] | None:
    """The quote's lines after ``edits``; None when a line would be left empty."""
    out = []
    for offset, text in lines:
        mine = sorted((e for e in edits if offset <= e.start and e.end <= offset + len(text)),
                      key=lambda e: e.start, reverse=True)
        for e in mine:
            text = text[:e.start - offset] + e.content + text[e.end - offset:]
        if not text.strip():
            return None
        out.append((offset, text))
    return out


# --------------------------------------------------------------------------- the title

SHOWN = 3  # edits named in the fix's title; the rest are counted
_SHOWN_CHARS = 60


def _describe(regions: list[_Region]) -> str:
    """``quote the transcript: "a whole year" → "a full year"`` (and how many more)."""
    def short(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS - 1].rstrip() + "\u2026"

    shown = "; ".join(f"\"{short(r.before)}\" \u2192 \"{short(r.after)}\"" for r in regions[:SHOWN])
    more = f" and {len(regions) - SHOWN} more" if len(regions) > SHOWN else ""
    return f"quote the transcript: {shown}{more}"
