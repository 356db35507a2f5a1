"""Find a quote's words in a transcript: normalization, sentence splitting, an index, matching.

Used by NC501/NC502 (rules/quotes.py) and by the sidecar rules NC601/NC602, which ask
which sidecar segment holds a quote's first sentence. The API is small and stable:

``Passage(start, end, text, speaker, offset, label)``
    One stretch of transcript: ``start`` seconds; ``end`` the next passage's start
    (None for the last one, or when the next one does not come later); ``offset`` the
    character offset of ``text`` in ``Note.text`` (None for a sidecar segment);
    ``label`` the time as the note writes it (None for a sidecar segment).
``passages_from_transcript(note)`` / ``passages_from_sidecar(sidecar)``
    The passages of a note's Transcript section (time from the link label when valid,
    else from ``t=``; SPEC §2), or of a sidecar's segments (the source words).
``passages_for(note, sidecar=None)``
    The sidecar's segments when the sidecar is usable, else the note's transcript.
``QuoteIndex(passages)`` / ``index_for(note, sidecar=None)``
    Build once per note (``index_for`` caches it on the note); then
``locate(quote_text, index, near=None) -> QuoteMatch``
    ``QuoteMatch.sentences`` (one ``SentenceMatch`` per sentence or ellipsis-separated
    fragment of the quote, with ``found``, ``passage``, ``similarity``, ``closest``),
    ``.verbatim`` (every sentence occurs), ``.passage`` (index into ``index.passages``
    of the first sentence's text, or of the closest text when it is not found),
    ``.similarity`` (the lowest sentence similarity, 1.0 when verbatim) and ``.worst``.
    ``near`` (seconds, e.g. the cited time) picks among repeated occurrences.

What counts as the same words: text is compared as a sequence of words, case-folded,
with punctuation ignored (so curly vs straight quotes, ``--`` vs ``—``, commas and
sentence breaks never matter). In a quote, an ellipsis (``...``, ``…``) and a bracketed
insertion (``[the model]``, ``[...]``) are gaps: the words on each side are matched
separately; a bracket inside a word (``[T]he``) is dropped. A quote is split into
sentences (and dialogue lines ``"…" "…"``, speaker prefixes removed); each must occur
somewhere in the transcript as a run of consecutive words, so a quote may join
sentences of neighbouring paragraphs and skip sentences in between.

How it is fast: the index holds one string of all transcript words, built without a
regex match per word (``_words``: str.translate, split/join). A quote sentence is found
by a substring search of that string; when it is a whole transcript sentence somewhere,
those occurrences win (sentence boundaries are computed only for the passages a hit
lands in). Only a sentence not found is compared fuzzily (rapidfuzz ``partial_ratio``),
and only against a few candidate passages that share its rarest words (an inverted index
built on the first miss).
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

__all__ = [
    "Passage",
    "SentenceMatch",
    "QuoteMatch",
    "QuoteIndex",
    "passages_from_transcript",
    "passages_from_sidecar",
    "passages_for",
    "index_for",
    "locate",
    "link_seconds",
    "normalize",
    "split_quote",
]

# ------------------------------------------------------------------------ normalization

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# sentence ends: . ! ? (and a closing quote or bracket) followed by blank space
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+")
# a transcript annotation such as [laughter] or [Music]: not spoken words
_ANNOTATION_RE = re.compile(r"\[[^\[\]\n]*\]")
_QUOTE_MARKS = "\"\u201c\u201d\u201e\u00ab\u00bb"


def normalize(text: str) -> str:
    """The words of ``text``, case-folded and joined by single spaces (punctuation dropped)."""
    return " ".join(_WORD_RE.findall(text.translate(_APOSTROPHES).casefold()))


# ``_words`` is ``" ".join(_WORD_RE.findall(text))`` without a regex match per word (the cost
# of indexing a transcript): every character that cannot be in a word becomes a blank by
# str.translate (ASCII) or one regex pass (non-ASCII non-word characters), an apostrophe
# stays only between two letters/digits, and runs of blanks become one.
_ASCII_SEPARATORS = {c: " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "'")}
_NON_ASCII_SEPARATOR_RE = re.compile(r"[^\w\x00-\x7f]")
_LONE_APOSTROPHE_RE = re.compile(r"'(?:(?<![^\W_]')|(?![^\W_]))")
_BLANKS_RE = re.compile("  +")  # every separator is a blank by then: collapse the runs


def _words(text: str) -> str:
    """The words of (already case-folded) ``text`` joined by single blanks: ``" ".join(_WORD_RE.findall(text))``."""
    text = text.translate(_ASCII_SEPARATORS)
    if not text.isascii():
        text = _NON_ASCII_SEPARATOR_RE.sub(" ", text)
    if "'" in text:
        text = _LONE_APOSTROPHE_RE.sub(" ", text)
    return _BLANKS_RE.sub(" ", text).strip(" ")


# all passages normalized in one pass: joined by a NUL between newlines (an annotation never
# spans a newline; the NUL survives as a word of its own and splits the words apart again)
_PASSAGE_BREAK = "\n\x00\n"
_ASCII_SEPARATORS_BUT_NUL = {**_ASCII_SEPARATORS, 0: "\x00"}
_ASCII_FOLD_SEPARATORS_BUT_NUL = {**_ASCII_SEPARATORS_BUT_NUL, ord("`"): "'",
                                  **{c: chr(c).lower() for c in range(ord("A"), ord("Z") + 1)}}


def _passage_words(passages: Sequence[Passage]) -> list[str]:
    """``_words(_clean(p.text))`` for every passage."""
    whole = _PASSAGE_BREAK.join(p.text for p in passages)
    if whole.count("\x00") != len(passages) - 1:  # a NUL in the text itself (or no passage): one at a time
        return [_words(_clean(p.text)) for p in passages]
    if whole.isascii():  # casefold, "`" -> "'" and the separators in one translate (ASCII: casefold is lower)
        if "[" in whole:
            whole = _ANNOTATION_RE.sub(" ", whole)
        text = whole.translate(_ASCII_FOLD_SEPARATORS_BUT_NUL)
    else:
        text = _clean(whole).translate(_ASCII_SEPARATORS_BUT_NUL)
    if not text.isascii():
        text = _NON_ASCII_SEPARATOR_RE.sub(" ", text)
    if "'" in text:
        text = _LONE_APOSTROPHE_RE.sub(" ", text)
    pieces = _BLANKS_RE.sub(" ", text).split("\x00")
    return [piece.strip(" ") for piece in pieces]


def _clean(text: str) -> str:
    """Transcript text as the index reads it: apostrophes unified, case-folded, annotations blanked."""
    if not text.isascii() or "`" in text:  # the only ASCII apostrophe to unify is the backquote
        text = text.translate(_APOSTROPHES)
    text = text.casefold()
    if "[" in text:
        text = _ANNOTATION_RE.sub(" ", text)
    return text


@dataclass(frozen=True, slots=True)
class Fragment:
    """One sentence (or gap-separated piece) of a quote."""

    start: int  # offsets into the quote text
    end: int
    text: str  # as written
    words: str  # normalized


# In a quote: gaps, and text to drop. Order matters (first alternative wins).
_QUOTE_EDIT_RE = re.compile(
    r"(?P<gap>\[\s*(?:\.\s*){2,}\.?\s*\]|\[\s*\u2026\s*\]|\(\s*(?:\.\s*){2,}\s*\)|(?:\.\s*){2}\.|\u2026)"
    r"|(?P<mdlink>\[(?P<mdlabel>[^\[\]\n]*)\]\([^()\s]*\))"
    r"|(?P<inword>(?<=[^\W_])\[[^\[\]\s]{1,4}\]|\[[^\[\]\s]{1,4}\](?=[^\W_]))"
    r"|(?P<insert>\[[^\[\]]*\])"
    r"|(?P<dialogue>(?<=[\"\u201d])\s+(?=[\"\u201c]))"
    r"|(?P<speaker>(?:(?<=^)|(?<=[\s\"\u201d]))(?:\*\*[^*\n]{1,40}\*\*:?|[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}:)[ \t]*(?=[\"\u201c]))"
)


# Every match of _QUOTE_EDIT_RE holds "[", "…" or "**", or a match of this (cheap to scan for):
# two dots, "(" then a dot, a quotation mark, blanks and another, or ":" before a quotation mark.
_MAYBE_EDIT_RE = re.compile(r"\.\s*\.|\(\s*\.|[\"\u201d]\s+[\"\u201c]|:[ \t]*[\"\u201c]")


def _has_edits(text: str) -> bool:
    return "[" in text or "\u2026" in text or "**" in text or _MAYBE_EDIT_RE.search(text) is not None


def split_quote(text: str) -> list[Fragment]:
    """Split a quote into fragments at sentence ends, ellipses, bracketed insertions and dialogue lines."""
    if _has_edits(text):
        clean, where = _apply_quote_edits(text)
    else:  # nothing to cut or drop: offsets map to themselves
        clean, where = text, None
    clean = _SENTENCE_END_RE.sub(lambda m: "\n" + " " * (len(m.group(0)) - 1), clean)
    fragments: list[Fragment] = []
    start = 0
    for piece in clean.split("\n"):
        words = _WORD_RE.findall(piece.translate(_APOSTROPHES).casefold())
        if words:
            lead = len(piece) - len(piece.lstrip())
            body = piece.strip()
            a = start + lead
            b = a + len(body) - 1
            if where is not None:
                a, b = where[a], where[b]
            b += 1
            if a > 0 and text[a - 1] == "[":  # "[T]he": show the bracket
                a -= 1
            while a < b and (text[a] in _QUOTE_MARKS or text[a].isspace()):
                a += 1
            while b > a and (text[b - 1] in _QUOTE_MARKS or text[b - 1].isspace()):
                b -= 1
            fragments.append(Fragment(a, b, text[a:b], " ".join(words)))
        start += len(piece) + 1
    return fragments


def _apply_quote_edits(text: str) -> tuple[str, list[int]]:
    """The quote with gaps and cuts as newlines and in-word brackets dropped, and a map back to ``text``'s offsets."""
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for m in _QUOTE_EDIT_RE.finditer(text):
        out.append(text[pos:m.start()])
        where.extend(range(pos, m.start()))
        kind = m.lastgroup
        if kind == "inword":  # "[T]he" -> "The"
            inner = m.group(0)[1:-1]
            out.append(inner)
            where.extend(range(m.start() + 1, m.end() - 1))
        elif kind == "mdlink":  # "[Waymo](https://...)" -> "Waymo"
            out.append(m.group("mdlabel"))
            where.extend(range(m.start("mdlabel"), m.end("mdlabel")))
        else:  # a gap, an insertion, a new dialogue line or a speaker prefix: a cut
            out.append("\n")
            where.append(m.start())
        pos = m.end()
    out.append(text[pos:])
    where.extend(range(pos, len(text)))
    where.append(len(text))
    return "".join(out), where


# ------------------------------------------------------------------------ passages


@dataclass(frozen=True, slots=True)
class Passage:
    start: int  # seconds
    end: int | None  # seconds: the next passage's start; None when unknown (last passage)
    text: str
    speaker: str | None = None
    offset: int | None = None  # offset of ``text`` in Note.text; None for sidecar segments
    label: str | None = None  # the time as written in the note

    def covers(self, seconds: float) -> bool:
        return self.start <= seconds and (self.end is None or seconds < self.end)

    def overlaps(self, lo: float, hi: float) -> bool:
        """Does [start, end) meet the closed window [lo, hi]?"""
        return self.start <= hi and (self.end is None or self.end > lo)


def link_seconds(link: Any) -> int | None:
    """A link's time: from its label when valid, else from ``t=`` (SPEC §2); None if neither."""
    if link is None:
        return None
    if getattr(link, "image_url", True) is None and (link.t_text is None or link.t_start is not None):
        return link.seconds  # a note's link (not a thumbnail): the same rule, computed once per link
    from .times import parse_label, parse_t

    label = parse_label(link.label) if link.label else None
    if label is not None:
        return label.seconds
    return parse_t(link.t_text) if link.t_text else None


def _passage_maker():
    """A faster ``Passage(...)`` (the frozen dataclass __init__ sets each field through object.__setattr__)."""
    new = object.__new__
    setters = [getattr(Passage, name).__set__ for name in ("start", "end", "text", "speaker", "offset", "label")]
    s0, s1, s2, s3, s4, s5 = setters

    def make(start, end, text, speaker, offset, label) -> Passage:
        p = new(Passage)
        s0(p, start)
        s1(p, end)
        s2(p, text)
        s3(p, speaker)
        s4(p, offset)
        s5(p, label)
        return p

    return make


_new_passage = _passage_maker()


def _with_ends(items: list[tuple[int, str, str | None, int | None, str | None]]) -> list[Passage]:
    make = _new_passage
    nexts = [item[0] for item in items[1:]]
    nexts.append(None)
    return [make(start, nxt if nxt is not None and nxt > start else None, text, speaker, offset, label)
            for (start, text, speaker, offset, label), nxt in zip(items, nexts)]


def passages_from_transcript(note: Any) -> list[Passage]:
    """The note's transcript paragraphs as passages; a paragraph without a usable time takes the previous one's.

    Built once per note and cached on it: the list is shared, do not modify it.
    """
    cache = getattr(note, "__dict__", None)
    if cache is not None:
        cached = cache.get(_PASSAGES_KEY)
        if cached is not None:
            return cached
    items = []
    last = 0
    for para in note.transcript:
        link = para.link
        if link.image_url is None and (link.t_text is None or link.t_start is not None):
            seconds = link.seconds  # link_seconds' fast path, inlined (one call per paragraph)
        else:
            seconds = link_seconds(link)
        if seconds is None:
            seconds = last
        last = seconds
        items.append((seconds, para.text, para.speaker, para.text_start, link.label))
    passages = _with_ends(items)
    if cache is not None:
        cache[_PASSAGES_KEY] = passages
    return passages


_PASSAGES_KEY = "_transcript_passages"


def passages_from_sidecar(sidecar: Any) -> list[Passage]:
    """A sidecar's segments as passages (start seconds, speaker, text)."""
    return _with_ends([(int(seg.start), seg.text, seg.speaker, None, None) for seg in sidecar.segments])


def sidecar_usable(sidecar: Any) -> bool:
    return sidecar is not None and getattr(sidecar, "error", None) is None and bool(getattr(sidecar, "segments", None))


def passages_for(note: Any, sidecar: Any = None) -> list[Passage]:
    """The sidecar's segments when it is usable (the source words), else the transcript paragraphs."""
    if sidecar_usable(sidecar):
        return passages_from_sidecar(sidecar)
    return passages_from_transcript(note)


# ------------------------------------------------------------------------ matching results


@dataclass(frozen=True, slots=True)
class SentenceMatch:
    start: int  # offsets of the sentence in the quote text
    end: int
    text: str  # the sentence as written in the quote
    found: bool  # its words occur in the transcript
    passage: int | None  # index of the passage holding it (or the closest text); None if nothing is close
    similarity: float  # 1.0 when found; else 0..1 of the closest text
    closest: str | None = None  # the closest transcript text (as written), when not found
    last_passage: int | None = None  # passage of its last word (a sentence may run into the next passage)


@dataclass(frozen=True)
class QuoteMatch:
    sentences: tuple[SentenceMatch, ...]

    @property
    def verbatim(self) -> bool:
        return all(s.found for s in self.sentences)

    @property
    def missing(self) -> tuple[SentenceMatch, ...]:
        return tuple(s for s in self.sentences if not s.found)

    @property
    def passage(self) -> int | None:
        """Passage index of the quote's first sentence (found, or its closest text)."""
        for s in self.sentences:
            if s.passage is not None:
                return s.passage
        return None

    @property
    def similarity(self) -> float:
        return min((s.similarity for s in self.sentences), default=1.0)

    @property
    def worst(self) -> SentenceMatch | None:
        """The missing sentence least like the transcript (None when verbatim)."""
        missing = self.missing
        return min(missing, key=lambda s: s.similarity) if missing else None


# ------------------------------------------------------------------------ the index


@dataclass(eq=False)
class QuoteIndex:
    """All transcript words in one string; sentence boundaries computed per passage on demand. Build once per note."""

    passages: list[Passage]
    stream: str = field(init=False)  # " w1 w2 ... wn " over every passage in order
    _starts: list[int] = field(init=False)  # stream offset where each passage's words begin
    _sentences: dict[int, dict[int, int]] = field(init=False, default_factory=dict)  # passage -> {start: length}
    _inverted: dict[str, list[int]] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        parts: list[str] = []
        starts: list[int] = []
        pos = 1  # after the leading blank
        for words in _passage_words(self.passages):
            starts.append(pos)
            if words:
                parts.append(words)
                pos += len(words) + 1
        self.stream = " " + " ".join(parts) + " "
        self._starts = starts
        self._sentences = {}

    def _sentence_lengths(self, i: int) -> dict[int, int]:
        """{stream offset: length} of each sentence of passage ``i`` (split at sentence ends as written)."""
        got = self._sentences.get(i)
        if got is None:
            got = {}
            pos = self._starts[i]
            for piece in _SENTENCE_END_RE.split(_clean(self.passages[i].text)):
                key = _words(piece)
                if key:
                    got[pos] = len(key)
                    pos += len(key) + 1
            self._sentences[i] = got
        return got

    # -- positions --------------------------------------------------------------------
    def passage_at(self, pos: int) -> int:
        """Index of the passage whose words hold stream offset ``pos``."""
        return max(0, bisect.bisect_right(self._starts, pos) - 1)

    def passage_span(self, i: int) -> tuple[int, int]:
        """Stream offsets [start, end) of passage ``i``'s words."""
        start = self._starts[i]
        end = self._starts[i + 1] - 1 if i + 1 < len(self._starts) else len(self.stream) - 1
        return start, max(start, end)

    def original_text(self, pos: int, end: int) -> str:
        """The transcript text (as written) for the stream range [pos, end)."""
        first, last = self.passage_at(pos), self.passage_at(max(pos, end - 1))
        pieces = []
        for i in range(first, last + 1):
            p_start, p_end = self.passage_span(i)
            a, b = max(pos, p_start), min(end, p_end)
            if a >= b:
                continue
            w0 = self.stream.count(" ", p_start, a)
            w1 = w0 + len(self.stream[a:b].split())
            pieces.append(_original_words(self.passages[i].text, w0, w1))
        return " ".join(p for p in pieces if p)

    # -- lookups ----------------------------------------------------------------------
    def find(self, words: str, limit: int = 50) -> list[int]:
        """Stream offsets where the normalized ``words`` occur (whole words).

        When ``words`` is a whole transcript sentence somewhere, only those occurrences (all of
        them, in order); else the first ``limit`` occurrences anywhere.
        """
        if not words:
            return []
        stream = self.stream
        needle = " " + words  # the blank after it is checked apart: a needle ending in a letter is found faster
        n = len(needle)
        find = stream.find
        every: list[int] = []
        i = find(needle)
        while i >= 0:
            if stream[i + n] == " ":  # the stream ends with a blank, so i + n is inside it
                every.append(i + 1)
            i = find(needle, i + 1)
        if not every:
            return []
        if len(every) == 1 and limit > 0:
            return every  # whole sentence or not, the answer is this one place
        n = len(words)
        exact = [pos for pos in every if self._sentence_lengths(self.passage_at(pos)).get(pos) == n]
        return exact or every[:limit]

    def _candidates(self, words: list[str], k: int) -> list[int]:
        """Passages sharing the most (rarest-weighted) words with ``words``: a cheap prefilter."""
        if self._inverted is None:
            inverted: dict[str, list[int]] = {}
            stream = self.stream
            for i in range(len(self.passages)):
                a, b = self.passage_span(i)
                for w in set(stream[a:b].split()):
                    inverted.setdefault(w, []).append(i)
            self._inverted = inverted
        n = max(1, len(self.passages))
        weights: dict[int, list[float]] = {}
        for w in set(words):
            hits = self._inverted.get(w)
            if not hits:
                continue
            weight = math.log(1 + n / len(hits))
            for i in hits:
                weights.setdefault(i, []).append(weight)
        # fsum: the exact sum, so the ranking does not depend on the set's (hash-seeded) order
        scores = {i: math.fsum(ws) for i, ws in weights.items()}
        return sorted(scores, key=lambda i: (-scores[i], i))[:k]

    def closest(self, words: str, near_passage: int | None = None, k: int = 5) -> tuple[float, int, int] | None:
        """(similarity 0..1, stream start, stream end) of the text most like ``words``, or None."""
        from rapidfuzz import fuzz

        cands = self._candidates(words.split(), k)
        if near_passage is not None:
            for j in (near_passage - 1, near_passage, near_passage + 1):
                if 0 <= j < len(self.passages) and j not in cands:
                    cands.append(j)
        scored: list[tuple[float, int, int, int]] = []  # (partial score, candidate, start, end)
        margin = len(words) + 1
        for i in cands:
            p_start, p_end = self.passage_span(i)
            if p_end <= p_start:
                continue
            lo = max(1, p_start - margin)
            hi = min(len(self.stream) - 1, p_end + margin)
            al = fuzz.partial_ratio_alignment(words, self.stream[lo:hi])
            if al is not None:
                scored.append((al.score, i, lo + al.dest_start, lo + al.dest_end))
        if not scored:
            return None
        scored.sort(key=lambda x: -x[0])
        best: tuple[float, int, int, int] | None = None  # (score, -distance, start, end)
        for _score, _i, a, b in scored[:3]:
            score, a, b = self._refine(words, a, b)
            dist = abs(self.passage_at(a) - near_passage) if near_passage is not None else 0
            key = (round(score, 3), -dist, a, b)
            if best is None or key[:2] > best[:2]:
                best = key
        assert best is not None
        return best[0], best[2], best[3]

    def _refine(self, words: str, a: int, b: int) -> tuple[float, int, int]:
        """Best plain similarity of ``words`` to a whole-word stretch of the stream near [a, b)."""
        from rapidfuzz import fuzz

        stream = self.stream
        a, b = _snap(stream, a, b)
        starts = [a]
        for _ in range(2):  # up to two words earlier
            j = stream.rfind(" ", 0, starts[-1] - 1)
            if j < 0:
                break
            starts.append(j + 1)
        j = stream.find(" ", a)
        if 0 <= j < b:
            starts.append(j + 1)
        ends = [b]
        for _ in range(3):  # up to three words later
            j = stream.find(" ", ends[-1] + 1)
            if j < 0:
                break
            ends.append(j)
        j = stream.rfind(" ", a, b)
        if j > a:
            ends.append(j)
        best = (-1.0, a, b)
        for x in starts:
            for y in ends:
                if y > x:
                    score = fuzz.ratio(words, stream[x:y]) / 100.0
                    if score > best[0]:
                        best = (score, x, y)
        return best


def _snap(stream: str, a: int, b: int) -> tuple[int, int]:
    """Round [a, b) of the word stream to the nearest word boundaries."""
    n = len(stream) - 1
    a = max(1, min(a, n))
    b = max(a, min(b, n))
    if stream[a - 1] != " ":  # inside a word: to its start or the next word, whichever is nearer
        left = stream.rfind(" ", 0, a) + 1
        right = stream.find(" ", a) + 1
        a = left if a - left <= right - a else right
    if b < n and stream[b] != " " and stream[b - 1] != " ":
        left = stream.rfind(" ", 0, b)
        right = stream.find(" ", b)
        b = left if b - left < right - b else right
    a = min(a, n - 1)
    while a < n and stream[a] == " ":
        a += 1
    while b > a and stream[b - 1] == " ":
        b -= 1
    if b <= a:
        b = stream.find(" ", a)
    return a, b


def _original_words(text: str, w0: int, w1: int) -> str:
    """text from its w0-th to its (w1-1)-th word, as written (annotations skipped as in the index)."""
    cleaned = text.translate(_APOSTROPHES)
    if "[" in cleaned:
        cleaned = _ANNOTATION_RE.sub(lambda m: " " * len(m.group(0)), cleaned)
    spans = [m.span() for m in _WORD_RE.finditer(cleaned)]
    if not spans or w0 >= len(spans):
        return ""
    w1 = min(max(w1, w0 + 1), len(spans))
    return text[spans[w0][0]:spans[w1 - 1][1]]


# ------------------------------------------------------------------------ locate


def locate(quote_text: str | Sequence[str], index: QuoteIndex, near: float | None = None) -> QuoteMatch:
    """Where each sentence of ``quote_text`` occurs in the index (see the module docstring).

    ``quote_text`` may be a list of quote lines (joined with blanks). ``near`` is a time in
    seconds: among repeated occurrences, the one nearest to it is chosen.
    """
    if not isinstance(quote_text, str):
        quote_text = " ".join(quote_text)
    fragments = split_quote(quote_text)
    if not fragments or not index.passages:
        return QuoteMatch(tuple(
            SentenceMatch(f.start, f.end, f.text, False, None, 0.0) for f in fragments
        ))
    hits = [index.find(f.words) for f in fragments]
    # anchor: the longest found fragment, at its occurrence nearest to `near`
    anchor: int | None = None
    found = [i for i, h in enumerate(hits) if h]
    if found:
        a = max(found, key=lambda i: (len(fragments[i].words), -i))
        anchor = _nearest(hits[a], index, near=near)
    chosen: list[int | None] = []
    for h in hits:
        if not h:
            chosen.append(None)
        elif anchor is not None:
            chosen.append(min(h, key=lambda pos: (abs(pos - anchor), pos)))
        else:
            chosen.append(h[0])
    out: list[SentenceMatch] = []
    anchor_passage = index.passage_at(anchor) if anchor is not None else _passage_near(index, near)
    for f, pos in zip(fragments, chosen):
        if pos is not None:
            end = pos + len(f.words)
            out.append(SentenceMatch(f.start, f.end, f.text, True, index.passage_at(pos), 1.0, None,
                                     index.passage_at(end - 1)))
            continue
        best = index.closest(f.words, anchor_passage)
        if best is None:
            out.append(SentenceMatch(f.start, f.end, f.text, False, None, 0.0))
            continue
        score, a, b = best
        out.append(SentenceMatch(f.start, f.end, f.text, False, index.passage_at(a), score,
                                 index.original_text(a, b), index.passage_at(max(a, b - 1))))
    return QuoteMatch(tuple(out))


def _nearest(positions: list[int], index: QuoteIndex, near: float | None) -> int:
    if near is None or len(positions) == 1:
        return positions[0]

    def distance(pos: int) -> tuple[float, int]:
        p = index.passages[index.passage_at(pos)]
        if p.covers(near):
            return 0.0, pos
        return min(abs(p.start - near), abs((p.end if p.end is not None else p.start) - near)), pos

    return min(positions, key=distance)


def _passage_near(index: QuoteIndex, near: float | None) -> int | None:
    if near is None:
        return None
    for i, p in enumerate(index.passages):
        if p.covers(near):
            return i
    return None


# ------------------------------------------------------------------------ per-note cache

_CACHE_KEY = "_quote_index"


def index_for(note: Any, sidecar: Any = None) -> QuoteIndex:
    """The note's QuoteIndex (over the sidecar's segments when usable), built once and cached on the note."""
    key = (id(sidecar) if sidecar_usable(sidecar) else None)
    cache = getattr(note, "__dict__", {}).get(_CACHE_KEY)
    if cache is not None and cache[0] == key:
        return cache[1]
    index = QuoteIndex(passages_for(note, sidecar))
    try:
        note.__dict__[_CACHE_KEY] = (key, index)
    except (AttributeError, TypeError):
        pass
    return index
