"""Find a quote's words in a transcript: normalization, sentence splitting, an index, matching.

Used through ``notecheck.timeline`` by the quote rules (NC501/NC502), the clip rules
(NC403/NC409) and the sidecar rules (NC601-NC603). The API:

``Passage(start, end, text, speaker, offset, label)``
    One stretch of transcript: ``start`` seconds; ``end`` the next distinct start
    (passages sharing a start all end there; None for the last one, or when the next
    one comes earlier); ``offset`` the character offset of ``text`` in ``Note.text``
    (None for a sidecar segment); ``label`` the time as the note writes it.
``passages_from_transcript(note)`` / ``passages_from_sidecar(sidecar)`` / ``passages_for``
    The passages of a note's Transcript section (time from the link label when valid,
    else from ``t=``; SPEC §2), or of a sidecar's segments (the source words); the
    sidecar's when it is usable.
``QuoteIndex(passages, clean, duration)`` / ``index_for(note, sidecar=None, clean=True)``
    Build once per note (``index_for`` caches it on the note). ``time_at(pos)`` estimates
    when a word is said (``TimeEstimate``: its position in a full paragraph, the whole
    span of an abridged one).
``locate(quote_text, index, near=None) -> QuoteMatch``
    One ``SentenceMatch`` per sentence or gap-separated fragment of the quote (``found``,
    stream span, ``passage``, ``similarity``, the ``closest`` text and its word
    ``changes`` when not found); ``.anchor``/``.placed``/``.first_found``: the verbatim
    sentence that places the quote (SPEC §2); ``near`` (seconds, the cited time) picks
    among repeated occurrences (the one said nearest to it).

What counts as the same words ("clean verbatim", SPEC §2 Quotes): a sequence of words,
case-folded, with punctuation ignored (curly or straight quotes, ``--`` or ``—``, commas
and sentence breaks never matter); with ``clean``, disfluencies (um, uh, er, you know, I
mean) and a word repeated at once are dropped on both sides; a run of words not found as
written is looked for again without the blanks, hyphens and apostrophes between words
(``Deep Mind`` = ``DeepMind``). In a quote, an ellipsis (``...``, ``…``) and a bracketed
insertion (``[the model]``, ``[...]``) are gaps: the words on each side are matched
separately; a bracket inside a word (``[T]he``) is dropped. A quote is split into
sentences (and dialogue lines ``"…" "…"``, speaker prefixes removed); each must occur
somewhere in the transcript as a run of consecutive words, so a quote may join
sentences of neighbouring paragraphs and skip sentences in between.

How it is fast: the index holds one string of all transcript words, built without a
regex match per word (``_words``: str.translate, split/join, two regex passes for clean
verbatim). A quote sentence is found by a substring search of that string; when it is a
whole transcript sentence somewhere, those occurrences win (sentence boundaries are
computed only for the passages a hit lands in). Only a sentence not found is compared
fuzzily (rapidfuzz), and only against a few candidate passages that share its rarest
words (an inverted index built on the first miss). ``tokens(text)`` is the same word
sequence with each word's span in the source, computed only for the few passages a
message or a fix shows.
"""

from __future__ import annotations

import bisect
import dataclasses
import heapq
import itertools
import math
import operator
import os
import re
from dataclasses import dataclass, field

from .diagnostic import _fast_builder
from typing import Any, NamedTuple, Sequence

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
_OTHER_APOSTROPHES = tuple(chr(c) for c in _APOSTROPHES)  # every character the table maps to "'"
_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# sentence ends: . ! ? (and a closing quote or bracket) followed by blank space
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+")
# a transcript annotation such as [laughter] or [Music]: not spoken words
_ANNOTATION_RE = re.compile(r"\[[^\[\]\n]*\]")
_QUOTE_MARKS = "\"\u201c\u201d\u201e\u00ab\u00bb"


def _unify_apostrophes(text: str) -> str:
    """``text.translate(_APOSTROPHES)`` by str.replace (a translate through a dict is a Python
    lookup a character); in ASCII text only the backquote is one."""
    if text.isascii():
        return text.replace("`", "'")
    for apostrophe in _OTHER_APOSTROPHES:
        if apostrophe in text:
            text = text.replace(apostrophe, "'")
    return text


def normalize(text: str) -> str:
    """The words of ``text``, case-folded and joined by single spaces (punctuation dropped)."""
    return " ".join(_WORD_RE.findall(_unify_apostrophes(text).casefold()))


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
# the same, as a byte table: bytes.translate is a plain table lookup per byte (str.translate with a dict is not)
_ASCII_FOLD_BYTES = bytes(ord(_ASCII_FOLD_SEPARATORS_BUT_NUL.get(c, chr(c))) if c < 128 else c for c in range(256))
# the separators alone, for UTF-8 text (a byte >= 128 is part of a non-ASCII character: left alone)
_ASCII_SEPARATOR_BYTES = bytes(ord(_ASCII_SEPARATORS_BUT_NUL.get(c, chr(c))) if c < 128 else c for c in range(256))


def _passage_words(passages: Sequence[Passage], clean: bool = False) -> list[str]:
    """``_words(_clean(p.text))`` for every passage (then ``clean_words`` when ``clean``)."""
    got = _passage_text(passages)
    if got is None:
        words = [_words(_clean(p.text)) for p in passages]
        return [clean_words(w) for w in words] if clean else words
    text, nonascii = got
    return _split_clean(_NON_ASCII_SEPARATOR_RE.sub(" ", text) if nonascii else text, clean)


def _passage_stream(passages: Sequence[Passage], clean: bool = False) -> tuple[str, list[int]]:
    """QuoteIndex's stream of the passages' words (``_passage_words`` joined: " w1 w2 ... wn ")
    and the stream offset where each passage's words begin."""
    got = _passage_text(passages)
    if got is None:
        return _stream_of(_passage_words(passages, clean))
    return _split_stream(got[0], clean, got[1])


def _stream_of(pieces: Sequence[str]) -> tuple[str, list[int]]:
    """The stream of the passages' words ``pieces`` (one str a passage), and where each begins in it."""
    parts: list[str] = []
    starts: list[int] = []
    pos = 1  # after the leading blank
    for words in pieces:
        starts.append(pos)
        if words:
            parts.append(words)
            pos += len(words) + 1
    return " " + " ".join(parts) + " ", starts


def _split_stream_py(text: str, clean: bool, nonascii: bool = False) -> tuple[str, list[int]]:
    """``_stream_of(_split_clean_py(text, clean))``, with every non-ASCII character that is no
    letter or digit a blank first when ``nonascii``: the reference for ``_speedups.split_stream``."""
    if nonascii:
        text = _NON_ASCII_SEPARATOR_RE.sub(" ", text)
    return _stream_of(_split_clean_py(text, clean))


def _passage_text(passages: Sequence[Passage]) -> tuple[str, bool] | None:
    """The passages' texts, cleaned as ``_words(_clean(...))`` reads them, joined by NUL words
    (what ``_split_clean`` splits), and whether its non-ASCII characters that are no letter or
    digit are still to be read as blanks (``_NON_ASCII_SEPARATOR_RE``: the split does it); None
    when a NUL in a text itself (or no passage) asks for the passages one at a time."""
    whole = _PASSAGE_BREAK.join(p.text for p in passages)
    if whole.count("\x00") != len(passages) - 1:
        return None
    if whole.isascii():  # casefold, "`" -> "'" and the separators in one byte translate (ASCII: casefold is lower)
        if "[" in whole:
            whole = _ANNOTATION_RE.sub(" ", whole)
        text = whole.encode("ascii").translate(_ASCII_FOLD_BYTES).decode("ascii")
    else:  # the ASCII separators by a byte translate of the UTF-8 (a dict translate costs ~10x more a character)
        text = _clean(whole).encode("utf-8", "surrogatepass").translate(_ASCII_SEPARATOR_BYTES)
        text = text.decode("utf-8", "surrogatepass")
    if "'" in text:
        # (before the non-ASCII separators become blanks: they and a blank are both no letter
        # or digit beside an apostrophe, so which apostrophes go is the same)
        text = _LONE_APOSTROPHE_RE.sub(" ", text)
    # only blanks (and, beyond ASCII, the characters that are no letter or digit) are left to
    # split at; the NUL between passages is a word of its own
    return text, not text.isascii()


def _split_clean_py(text: str, clean: bool) -> list[str]:
    """The words of ``text``, without disfluencies and repeats when ``clean`` (none removed
    across the NUL word between passages), joined by blanks and cut at the NUL words.

    The reference for ``_speedups.split_clean`` (C: one pass, ~10x faster), used when it is
    not built; tests/test_speedups.py holds the two equal."""
    toks = text.split()
    if clean:
        toks = _clean_tokens(toks)
    return [piece.strip(" ") for piece in " ".join(toks).split("\x00")]


def _word_passages_py(pieces: list[str], words: list[str]) -> list[list[int]]:
    """For each of ``words``, the indexes of the ``pieces`` (words separated by blanks) that
    hold it: the reference for ``_speedups.StreamIndex.word_passages``."""
    return _word_passages_in(_word_sets(pieces), words)


def _find_words_py(stream: str, words: str) -> list[int]:
    """The stream offsets where the blank-joined ``words`` occur as whole words, in order: the
    reference for ``_speedups.StreamIndex.find``."""
    if not words:
        return []
    needle = " " + words  # the blank after it is checked apart: a needle ending in a letter is found faster
    n = len(needle)
    find = stream.find
    every: list[int] = []
    i = find(needle)
    while i >= 0:
        if stream.startswith(" ", i + n):  # a whole word (False past the end: ``words`` ended in a blank)
            every.append(i + 1)
        i = find(needle, i + 1)
    return every


def _word_sets(pieces: list[str]) -> list[frozenset[str]]:
    return [frozenset(piece.split(" ")) for piece in pieces]


def _word_passages_in(sets: list[frozenset[str]], words: list[str]) -> list[list[int]]:
    every = range(len(sets))  # a word's passages in one C-level pass: compress(indexes, holds it?)
    return [list(itertools.compress(every, map(operator.contains, sets, itertools.repeat(w)))) if w else []
            for w in words]


def _find_joined_py(stream: str, needle: str, limit: int, cache: dict | None = None) -> list[tuple[int, int]]:
    """The first ``limit`` stream ranges [start, end) of whole words that read ``needle`` once
    their blanks and apostrophes are left out (``Deep Mind`` = ``DeepMind``): the reference for
    ``_speedups.find_joined``. ``stream``: words (each beginning and ending with a letter or
    digit) between single blanks.

    The joined text is one C pass, kept in ``cache``; where its words begin is worked out only
    once a needle is found in it (for most sentences not found as written, it is not)."""
    if not needle:
        return []
    cache = {} if cache is None else cache
    joined = cache.get("joined")
    if joined is None:
        joined = cache["joined"] = stream.replace(" ", "").replace("'", "")
    i = joined.find(needle)
    if i < 0:
        return []
    if "starts" not in cache:
        toks = stream.split()
        cache["lengths"] = list(itertools.accumulate(map(len, toks), initial=0))  # the words' lengths before each
        if "'" in stream:
            toks = stream.replace("'", "").split()
        cache["starts"] = list(itertools.accumulate(map(len, toks), initial=0))
    joined_starts, lengths = cache["starts"], cache["lengths"]
    out: list[tuple[int, int]] = []
    find = joined.find
    while i >= 0 and len(out) < limit:
        a = bisect.bisect_left(joined_starts, i)
        b = bisect.bisect_left(joined_starts, i + len(needle))
        if joined_starts[a] == i and b < len(joined_starts) and joined_starts[b] == i + len(needle):
            # word k begins at stream offset 1 + k + (the lengths of the words before it)
            out.append((1 + a + lengths[a], b + lengths[b]))
        i = find(needle, i + 1)
    return out


def _rank_stretches_py(qids: Sequence[str], rids: Sequence[str], words: str, stream: str,
                       pairs: list[tuple[int, int, int, int]]) -> tuple[list[int], list[float], list[float]]:
    """For each (x, y, i0, i1): the word bound of ``rids[i0:i1]`` against ``qids`` (the words, or
    each word as one character; see ``_SKIPPED_WORD_COST``) and ``fuzz.ratio(words, stream[x:y])``;
    and the pairs in the order ``_refine`` judges them (bound, highest first; then as given).
    The reference for ``_speedups.rank_stretches``."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import LCSseq

    nq = len(qids)
    bounds, ratios = [], []
    for x, y, i0, i1 in pairs:
        matched = LCSseq.similarity(qids, rids[i0:i1])
        skipped = i1 - i0 - matched
        bounds.append(matched - _MISSING_WORD_COST * (nq - matched) - _SKIPPED_WORD_COST * skipped
                      - (_SKIPPED_RUN_COST if skipped else 0.0))
        ratios.append(fuzz.ratio(words, stream[x:y]))
    order = sorted(range(len(pairs)), key=lambda k: (-bounds[k], k))
    return order, bounds, ratios


def _passage_scores(held: list[list[int]], count: int, n: int) -> list[float]:
    """For each of ``count`` passages, the rough sum of ``log(1 + n / len(hits))`` over the
    lists ``hits`` (sorted passage numbers) holding it, added in the order given (the C
    module's ``rank_candidates`` makes the same additions, so the same floats)."""
    approx = [0.0] * count
    for hits in held:
        weight = math.log(1 + n / len(hits))
        for i in hits:
            approx[i] += weight
    return approx


_MAX_WORD_IDS = 0xD800 - 0x100  # words as characters from U+0100, below the surrogates; more: Python


def _rank_candidates_py(held: list[list[int]], count: int, n: int, k: int) -> list[int]:
    """The ``k`` of ``count`` passages with the highest score, the sum of ``log(1 + n / len(hits))``
    over the lists ``hits`` of ``held`` (sorted passage numbers) holding the passage; ties to the
    earlier passage, and no passage of score 0. The reference for ``_speedups.rank_candidates``.

    The sums are exact (math.fsum), so the ranking does not depend on the order of ``held``.
    Cheaply: every passage's score is first summed in a fixed order (``_passage_scores``);
    those sums differ from the exact ones by far less than 1e-9, so two passages whose rough
    sums are 1e-9 apart or more rank as their exact sums do, and only passages within 1e-9 of
    another (a tie, or near one) are summed exactly."""
    approx = _passage_scores(held, count, n)
    scored = list(itertools.compress(range(len(approx)), approx))  # a score of 0.0: no shared word
    if len(scored) > k:
        floor = heapq.nlargest(k, map(approx.__getitem__, scored))[-1] - 1e-9
        scored = [i for i in scored if approx[i] >= floor]
    score = {i: approx[i] for i in scored}
    ranked = sorted(scored, key=score.__getitem__, reverse=True)
    near = {i for i, j in zip(ranked, ranked[1:]) if approx[i] - approx[j] < 1e-9}
    near.update(j for i, j in zip(ranked, ranked[1:]) if approx[i] - approx[j] < 1e-9)
    for i in near:
        score[i] = math.fsum(math.log(1 + n / len(hits)) for hits in held if _holds(hits, i))
    return sorted(score, key=lambda i: (-score[i], i))[:k]


def _holds(hits: list[int], i: int) -> bool:
    """Is ``i`` in the sorted list ``hits``?"""
    j = bisect.bisect_left(hits, i)
    return j < len(hits) and hits[j] == i


try:  # the C twins of _split_clean_py, _find_words_py, _word_passages_py, _find_joined_py, _rank_stretches_py and
    # tokens' ASCII path
    if os.environ.get("NOTECHECK_PURE_PYTHON"):  # to compare the two, or to rule the C out
        raise ImportError("NOTECHECK_PURE_PYTHON is set")
    from ._speedups import ascii_tokens as _c_ascii_tokens
    from ._speedups import StreamIndex as _CStreamIndex
    from ._speedups import find_joined as _c_find_joined
    from ._speedups import rank_candidates as _rank_candidates
    from ._speedups import rank_stretches as _c_rank_stretches
    from ._speedups import refine as _c_refine
    from ._speedups import split_plain as _c_split_plain
    from ._speedups import word_opcodes as _c_word_opcodes
    from ._speedups import split_clean as _split_clean
    from ._speedups import split_stream as _split_stream
except ImportError:  # not compiled (no C compiler at install): pure Python
    _split_clean = _split_clean_py
    _split_stream = _split_stream_py
    _rank_candidates = _rank_candidates_py
    _CStreamIndex = _c_find_joined = _c_ascii_tokens = _c_rank_stretches = _c_refine = _c_split_plain = _c_word_opcodes = None


def _clean(text: str) -> str:
    """Transcript text as the index reads it: apostrophes unified, case-folded, annotations blanked."""
    text = _unify_apostrophes(text).casefold()
    if "[" in text:
        text = _ANNOTATION_RE.sub(" ", text)
    return text


# ------------------------------------------------------------------------ clean verbatim

# SPEC §2 "Quotes": disfluencies a quote may leave out (``um``, ``uh``, ``er``, ``you know``,
# ``I mean``) and a repeated word (``I -- I``) are not differences. Both sides (transcript and
# quote) drop them, so a quote that keeps them still matches. In this order, each step left to
# right over what the one before left: every "you know", every "i mean", the filler words,
# then a word repeated at once is kept once (the NUL between passages is never merged).
_FILLER_WORDS = frozenset({"um", "umm", "ummm", "uh", "uhh", "uhhh", "uhm", "er", "err", "erm", "hm", "hmm", "hmmm"})
_FILLER_PAIRS = (("you", "know"), ("i", "mean"))


def clean_words(words: str) -> str:
    """Blank-joined normalized ``words`` without disfluencies and repeated words (clean verbatim)."""
    if not words:
        return words
    if "\x00" not in words:  # no passage break to keep apart: one piece, as _split_clean makes it
        return _split_clean(words, True)[0]
    return " ".join(_clean_tokens(words.split(" ")))


def _clean_tokens(toks: list[str]) -> list[str]:
    """``clean_words`` on a word list, from C-speed list operations: this runs over every transcript word."""
    for first, second in _FILLER_PAIRS:
        toks = _drop_pairs(toks, first, second)
    if not _FILLER_WORDS.isdisjoint(toks):
        toks = list(itertools.filterfalse(_FILLER_WORDS.__contains__, toks))
    if any(map(operator.eq, toks, itertools.islice(toks, 1, None))):
        kept = list(itertools.compress(toks, map(operator.ne, toks, itertools.chain(("",), toks))))
        if kept.count("\x00") != toks.count("\x00"):  # empty passages: their separators stay apart
            kept = [t for t, before in zip(toks, itertools.chain((None,), toks)) if t != before or t == "\x00"]
        toks = kept
    return toks


def _drop_pairs(toks: list[str], first: str, second: str) -> list[str]:
    """``toks`` without each ``first`` directly followed by ``second`` (two different words: no overlap)."""
    drops: list[int] = []
    index = toks.index
    i = -1
    while True:
        try:
            i = index(second, i + 1)
        except ValueError:
            break
        if i and toks[i - 1] == first:
            drops.append(i - 1)
    if not drops:
        return toks
    keep = bytearray(b"\x01") * len(toks)
    for j in drops:
        keep[j] = keep[j + 1] = 0
    return list(itertools.compress(toks, keep))


def _clean_token_list(tokens: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """``clean_words`` on a token list: the same words, keeping each kept word's source span.

    A run of repeated words keeps the first word, its span stretched over the run."""
    for first, second in _FILLER_PAIRS:
        kept: list[tuple[str, int, int]] = []
        i, n = 0, len(tokens)
        while i < n:
            if tokens[i][0] == first and i + 1 < n and tokens[i + 1][0] == second:
                i += 2
                continue
            kept.append(tokens[i])
            i += 1
        tokens = kept
    out: list[tuple[str, int, int]] = []
    for tok in tokens:
        if tok[0] in _FILLER_WORDS:
            continue
        if out and out[-1][0] == tok[0]:
            out[-1] = (tok[0], out[-1][1], tok[2])
        else:
            out.append(tok)
    return out


def tokens(text: str, clean: bool = True, *, annotations: bool = True) -> list[tuple[str, int, int]]:
    """The normalized words of ``text`` with their spans in ``text``: (word, start, end).

    The same words, in the same order, as the index's fast path builds (``_words(_clean(text))``,
    then ``clean_words`` when ``clean``): apostrophes unified, case-folded character by
    character (a folded character may be longer: spans map back to the source), transcript
    annotations (``[laughter]``) skipped when ``annotations``.
    """
    source = _unify_apostrophes(text)
    if source.isascii() and _c_ascii_tokens is not None:
        return _c_ascii_tokens(source, clean, annotations)
    return _tokens_py(source, clean, annotations)


def _tokens_py(source: str, clean: bool, annotations: bool) -> list[tuple[str, int, int]]:
    """``tokens`` of text whose apostrophes are unified; for ASCII text, the reference for
    ``_speedups.ascii_tokens``."""
    if source.isascii():
        folded, where = source.lower(), None
    else:
        parts: list[str] = []
        where = []
        for i, ch in enumerate(source):
            f = ch.casefold()
            parts.append(f)
            where.extend([i] * len(f))
        folded = "".join(parts)
        where.append(len(source))
    if annotations and "[" in folded:
        folded = _ANNOTATION_RE.sub(lambda m: " " * len(m.group(0)), folded)
    if where is None:
        out = [(m.group(0), m.start(), m.end()) for m in _WORD_RE.finditer(folded)]
    else:
        out = [(m.group(0), where[m.start()], where[m.end() - 1] + 1) for m in _WORD_RE.finditer(folded)]
    return _clean_token_list(out) if clean else out


@dataclass(frozen=True, slots=True)
class Fragment:
    """One sentence (or gap-separated piece) of a quote."""

    start: int  # offsets into the quote text
    end: int
    text: str  # as written
    words: str  # normalized


_new_fragment = _fast_builder(Fragment)  # ~26,000 sentences a corpus


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
        if _c_split_plain is not None:  # the same sentences, from the C module (None: its characters are Python's)
            got = _c_split_plain(text)
            if got is not None:
                return [_new_fragment(a, b, text[a:b], words) for a, b, words in got]
        clean, where = text, None
    clean = _SENTENCE_END_RE.sub(lambda m: "\n" + " " * (len(m.group(0)) - 1), clean)
    fragments: list[Fragment] = []
    start = 0
    for piece in clean.split("\n"):
        words = _WORD_RE.findall(_unify_apostrophes(piece).casefold())
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


class Passage(NamedTuple):
    """A passage is made for every transcript paragraph or sidecar segment of every note: a
    named tuple, made in C (a frozen dataclass set each field through object.__setattr__)."""

    start: int  # seconds
    end: int | None  # seconds: the next passage's start; None when unknown (last passage)
    text: str
    speaker: str | None = None
    offset: int | None = None  # offset of ``text`` in Note.text; None for sidecar segments
    label: str | None = None  # the time as written in the note

    def covers(self, seconds: float) -> bool:
        return self.start <= seconds and (self.end is None or seconds < self.end)

    @property
    def shown_label(self) -> str:
        """The passage's time for a message: as the note writes it, else rendered."""
        if self.label:
            return self.label
        from .times import render_label

        return render_label(self.start)


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


def _with_ends(items: list[tuple[int, str, str | None, int | None, str | None]]) -> list[Passage]:
    """Passages with their ends: each distinct start covers until the next distinct start.

    Several paragraphs often share a start (``**A:** [7:21] Mhm.`` then ``**B:** [7:21] ...``):
    all of them end where the next later start begins. A next start that is earlier (times
    out of order, NC305's finding) leaves the end unknown (None).
    """
    ends: list[int | None] = [None] * len(items)
    for i in range(len(items) - 2, -1, -1):
        start, nxt = items[i][0], items[i + 1][0]
        ends[i] = nxt if nxt > start else (ends[i + 1] if nxt == start else None)
    new = tuple.__new__  # Passage._make without its length check (the tuple is written out here)
    return [new(Passage, (start, end, text, speaker, offset, label))
            for (start, text, speaker, offset, label), end in zip(items, ends)]


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


def window_passages(note: Any, index: QuoteIndex, sidecar_used: bool) -> list[Passage]:
    """The passages a citation points into: the note's paragraphs (finer sidecar segments hold the words)."""
    return passages_from_transcript(note) if sidecar_used and note.transcript else index.passages


def passages_for(note: Any, sidecar: Any = None) -> list[Passage]:
    """The sidecar's segments when it is usable (the source words), else the transcript paragraphs."""
    if sidecar_usable(sidecar):
        return passages_from_sidecar(sidecar)
    return passages_from_transcript(note)


# ------------------------------------------------------------------------ matching results


@dataclass(frozen=True, slots=True)
class WordChange:
    """One difference between a quote sentence and the transcript text most like it.

    ``kind``: "changed" (the quote's words where the transcript says others), "added"
    (words the quote has and the transcript does not), "left out" (transcript words the
    quote drops). Texts as written on each side ("" where a side has none).
    """

    kind: str
    quote: str
    transcript: str


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
    pos: int | None = None  # stream offsets of its words (found) or of the closest text
    end_pos: int | None = None
    changes: tuple[WordChange, ...] = ()  # what differs from the closest text (not found)
    key: str = ""  # its normalized words, as looked up
    runner_up: float = 0.0  # not found: the similarity of the best other place in the transcript
    # not found: the closest text's words (window_tokens) and the sentence's word_diff against them, as
    # ``changes`` was made from; NC501's repair edits by that diff without working it out again
    aligned: tuple[list[tuple[str, int, int, int]], list[tuple[str, int, int, int, int]]] | None = \
        field(default=None, compare=False, repr=False)


# A sentence shorter than this places a quote only when it occurs once in the transcript:
# "Thank you." or "I don't know." may be said anywhere.
MIN_PLACING_WORDS = 4


@dataclass(frozen=True)
class QuoteMatch:
    sentences: tuple[SentenceMatch, ...]
    anchor: int | None = None  # index (in sentences) of the verbatim sentence that places the quote

    @property
    def verbatim(self) -> bool:
        return all(s.found for s in self.sentences)

    @property
    def missing(self) -> tuple[SentenceMatch, ...]:
        return tuple(s for s in self.sentences if not s.found)

    @property
    def placed(self) -> bool:
        """The transcript decides where the quote is: a verbatim sentence places it (SPEC §2)."""
        return self.anchor is not None

    @property
    def first_found(self) -> SentenceMatch | None:
        """The first verbatim sentence (where a placed quote begins in the transcript)."""
        if self.anchor is None:
            return None
        return next(s for s in self.sentences if s.found)

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


@dataclass(frozen=True, slots=True)
class TimeEstimate:
    """When a transcript word is said: about ``at``, surely within [lo, hi] (seconds).

    Inside a passage (or a run of passages sharing one start) the time is estimated by the
    word's position between the start and the next distinct start (SPEC §2). That holds
    for a full transcript; a passage with fewer than ``DENSE_WORDS_PER_SECOND`` words per
    second of its span is abridged (its words may lie anywhere in it), and so is a last
    passage whose end is unknown: then [lo, hi] is the passage's whole span.
    """

    at: float
    lo: float
    hi: float
    start: int  # the start of the passage (group) holding the word
    end: float  # the next distinct start (inf when unknown)


# what locate and time_at make by the thousand per MB, built as the parser builds links (diagnostic._fast_builder)
_new_sentence = _fast_builder(SentenceMatch)
_new_estimate = _fast_builder(TimeEstimate)

# Speech runs at 2-3 words a second; a paragraph with less text than 1.5 words a second of
# its span is a summary of what was said, not what was said.
DENSE_WORDS_PER_SECOND = 1.5
# How far a word's estimated time may be off: 15 s, or a tenth of its passage's span if longer.
ESTIMATE_MARGIN = 15.0


# ------------------------------------------------------------------------ the index


@dataclass(eq=False)
class QuoteIndex:
    """All transcript words in one string; sentence boundaries computed per passage on demand. Build once per note.

    ``clean``: the words are compared clean verbatim (SPEC §2 Quotes: disfluencies and
    repeated words dropped on both sides); False for ``quote-match = "strict"``.
    ``duration``: the video's length, the end of the last passage.
    """

    passages: list[Passage]
    clean: bool = False
    duration: float | None = None
    stream: str = field(init=False)  # " w1 w2 ... wn " over every passage in order
    _starts: list[int] = field(init=False)  # stream offset where each passage's words begin
    _sentences: dict[int, dict[int, int]] = field(init=False, default_factory=dict)  # passage -> {start: length}
    _sets: list[frozenset[str]] | None = field(init=False, default=None)  # the words of each passage
    _joined: dict | None = field(init=False, default=None)  # _find_joined_py's tables (pure Python)
    _groups: tuple[list[int], list[int]] | None = field(init=False, default=None)
    _tokens: dict[int, list[tuple[str, int, int]]] = field(init=False, default_factory=dict)
    _found: dict[tuple[str, int, bool], list[tuple[int, int]]] = field(init=False, default_factory=dict)
    _c: Any = field(init=False, default=None)  # a _speedups.StreamIndex of the stream (C only)
    _times: dict[int, TimeEstimate] = field(init=False, default_factory=dict)  # time_at's answers
    _group_sizes: dict[int, int] = field(init=False, default_factory=dict)  # words a group holds

    def __post_init__(self) -> None:
        self.stream, self._starts = _passage_stream(self.passages, self.clean)
        self._sentences = {}
        self._tokens = {}
        self._found = {}
        self._times = {}
        self._group_sizes = {}

    def passage_tokens(self, i: int) -> list[tuple[str, int, int]]:
        """The words of passage ``i`` as the stream holds them, with their spans in its text."""
        got = self._tokens.get(i)
        if got is None:
            got = self._tokens[i] = tokens(self.passages[i].text, self.clean)
        return got

    def _sentence_lengths(self, i: int) -> dict[int, int]:
        """{stream offset: length} of each sentence of passage ``i`` (split at sentence ends as written)."""
        got = self._sentences.get(i)
        if got is None:
            got = {}
            text = _unify_apostrophes(self.passages[i].text)
            if "[" in text:  # the index reads no sentence end inside an annotation
                text = _ANNOTATION_RE.sub(lambda m: " " * len(m.group(0)), text)
            ends = [m.end() for m in _SENTENCE_END_RE.finditer(text)]
            pos = self._starts[i]
            sentence_start = pos
            e = 0
            for word, a, _b in self.passage_tokens(i):
                if e < len(ends) and a >= ends[e]:  # a new sentence begins at this word
                    while e < len(ends) and a >= ends[e]:
                        e += 1
                    if pos > sentence_start:
                        got[sentence_start] = pos - 1 - sentence_start
                    sentence_start = pos
                pos += len(word) + 1
            if pos > sentence_start:
                got[sentence_start] = pos - 1 - sentence_start
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

    def _word_span(self, i: int, pos: int, end: int) -> tuple[int, int] | None:
        """Token indexes [w0, w1) inside passage ``i`` of the stream range [pos, end)."""
        p_start, p_end = self.passage_span(i)
        a, b = max(pos, p_start), min(end, p_end)
        if a >= b:
            return None
        w0 = self.stream.count(" ", p_start, a)
        return w0, w0 + len(self.stream[a:b].split())

    def original_text(self, pos: int, end: int) -> str:
        """The transcript text (as written) for the stream range [pos, end)."""
        pieces = []
        for i, w0, w1 in self._spans(pos, end):
            toks = self.passage_tokens(i)
            pieces.append(self.passages[i].text[toks[w0][1]:toks[w1 - 1][2]])
        return " ".join(p for p in pieces if p)

    def _spans(self, pos: int, end: int) -> list[tuple[int, int, int]]:
        out = []
        for i in range(self.passage_at(pos), self.passage_at(max(pos, end - 1)) + 1):
            span = self._word_span(i, pos, end)
            if span is not None and span[0] < len(self.passage_tokens(i)):
                out.append((i, span[0], min(span[1], len(self.passage_tokens(i)))))
        return out

    def window_tokens(self, pos: int, end: int) -> list[tuple[str, int, int, int]]:
        """(word, passage, start, end in its text) of every word in the stream range [pos, end)."""
        out = []
        for i, w0, w1 in self._spans(pos, end):
            out.extend((w, i, a, b) for w, a, b in self.passage_tokens(i)[w0:w1])
        return out

    # -- time -------------------------------------------------------------------------
    def _group_words(self, g: int) -> int:
        """How many words the group of passages starting at passage ``g`` holds (counted once)."""
        words = self._group_sizes.get(g)
        if words is None:
            first, group_starts = self._group_table()
            last = g
            while last + 1 < len(self.passages) and first[last + 1] == g:
                last += 1
            g_lo, g_hi = group_starts[g], self.passage_span(last)[1]
            words = self._group_sizes[g] = self.stream.count(" ", g_lo, g_hi) + 1 if g_hi > g_lo else 0
        return words

    def _group_table(self) -> tuple[list[int], list[int]]:
        """For each passage: the first passage of its group (consecutive passages sharing a start),
        and the group's stream start; built once."""
        if self._groups is None:
            first: list[int] = []
            for i, p in enumerate(self.passages):
                if i and p.start == self.passages[i - 1].start:
                    first.append(first[-1])
                else:
                    first.append(i)
            self._groups = (first, [self._starts[f] for f in first])
        return self._groups

    def time_at(self, pos: int) -> TimeEstimate:
        """When the word at stream offset ``pos`` is said (see TimeEstimate)."""
        got = self._times.get(pos)
        if got is None:  # a third of the asks repeat one (the rules and the repair ask in turn)
            got = self._times[pos] = self._time_at(pos)
        return got

    def _time_at(self, pos: int) -> TimeEstimate:
        i = self.passage_at(pos)
        first, group_starts = self._group_table()
        g = first[i]
        p = self.passages[g]
        start = float(p.start)
        end = p.end if p.end is not None else self.duration
        if end is None or end <= start:
            return _new_estimate(start, start, math.inf, p.start, math.inf)
        g_lo = group_starts[g]
        words = self._group_words(g)
        span = end - start
        if words < DENSE_WORDS_PER_SECOND * span:  # abridged: anywhere in the span
            return _new_estimate(start, start, float(end), p.start, float(end))
        before = self.stream.count(" ", g_lo, max(g_lo, pos))
        at = start + span * before / words
        margin = max(ESTIMATE_MARGIN, span / 10)
        return _new_estimate(at, max(start, at - margin), min(float(end), at + margin), p.start, float(end))

    # -- lookups ----------------------------------------------------------------------
    def find(self, words: str, limit: int = 50, *, joined: bool = True) -> list[int]:
        """Stream offsets where the normalized ``words`` occur (whole words); see ``find_spans``."""
        return [a for a, _ in self.find_spans(words, limit, joined=joined)]

    def find_spans(self, words: str, limit: int = 50, *, joined: bool = True) -> list[tuple[int, int]]:
        """Stream ranges [start, end) where the normalized ``words`` occur (whole words).

        The first ``limit`` occurrences; for fewer than ``MIN_PLACING_WORDS`` words, only those
        where they are a whole transcript sentence when there are such ("Thank you." is not
        the end of "I said thank you to him."). Not found as written,
        the words are looked for again without the blanks and apostrophes between them
        (``Deep Mind`` = ``DeepMind``, ``GPT5`` = ``GPT-5``: SPEC §2 Quotes), still starting
        and ending on whole words (``joined=False``: not).
        """
        key = (words, limit, joined)
        got = self._found.get(key)
        if got is None:  # asked again for an unchanged sentence when a repaired quote is checked
            got = self._found[key] = self._find_spans(words, limit, joined)
        return got

    def _find_spans(self, words: str, limit: int, joined: bool) -> list[tuple[int, int]]:
        if not words:
            return []
        c_index = self._c_index()
        every = c_index.find(words) if c_index is not None else _find_words_py(self.stream, words)
        if not every:
            return self._find_joined(words, limit) if joined else []
        n = len(words)
        if len(every) == 1 and limit > 0:
            return [(every[0], every[0] + n)]  # whole sentence or not, the answer is this one place
        if words.count(" ") + 1 >= MIN_PLACING_WORDS:  # long enough to mean the same words wherever found
            return [(pos, pos + n) for pos in every[:limit]]
        exact = [pos for pos in every if self._sentence_lengths(self.passage_at(pos)).get(pos) == n]
        return [(pos, pos + n) for pos in (exact or every[:limit])]

    def _find_joined(self, words: str, limit: int) -> list[tuple[int, int]]:
        """``find_spans`` on the words joined without blanks or apostrophes (see ``_find_joined_py``)."""
        needle = words.replace(" ", "").replace("'", "")
        if _c_find_joined is not None:
            return _c_find_joined(self.stream, needle, limit)
        if self._joined is None:
            self._joined = {}
        return _find_joined_py(self.stream, needle, limit, self._joined)

    def _candidates(self, words: list[str], k: int) -> list[int]:
        """Passages sharing the most (rarest-weighted) words with ``words``: a cheap prefilter.

        A passage's score is the sum of ``log(1 + n / df)`` over the distinct words of ``words``
        it holds (``df``: how many passages hold the word); the ``k`` best, ties to the earlier
        passage, the sums exact (see ``_rank_candidates_py``; the C module's ``rank_candidates``
        gives the same list).
        """
        held = [hits for hits in self._word_passages(sorted(set(words))) if hits]
        return _rank_candidates(held, len(self.passages), max(1, len(self.passages)), k)

    def _word_passages(self, words: list[str]) -> list[list[int]]:
        """For each of ``words``, the passages holding it, in order."""
        c_index = self._c_index()
        if c_index is not None:
            return c_index.word_passages(words)
        if self._sets is None:  # pure Python: every passage's word set, built once
            self._sets = _word_sets([self.stream[a:b] for a, b in map(self.passage_span, range(len(self.passages)))])
        return _word_passages_in(self._sets, words)

    def _c_index(self) -> Any:
        """The stream's words hashed once (C), built on the first lookup; None without the C
        module, or for a stream too long for its 32-bit offsets (then Python looks words up)."""
        if self._c is None:
            try:
                self._c = _CStreamIndex(self.stream, self._starts) if _CStreamIndex is not None else False
            except OverflowError:
                self._c = False
        return self._c or None

    def closest(self, words: str, near_passage: int | None = None,
                k: int = 5) -> tuple[float, int, int, float] | None:
        """(similarity 0..1, stream start, stream end) of the text most like ``words``, and the
        similarity of the best other place (0 when none); None when nothing shares a word."""
        got = self._closest_text(words, near_passage, k)
        if got is None:
            return None
        score, a, b, searched = got
        return score, a, b, self._runner_up(words, a, b, searched)

    def _closest_text(self, words: str, near_passage: int | None = None,
                      k: int = 5) -> tuple[float, int, int, tuple] | None:
        """``closest`` without the runner-up: (similarity, start, end, what ``_runner_up`` is to be given)."""
        from rapidfuzz import fuzz

        cands = self._candidates(words.split(), k)
        if near_passage is not None:
            for j in (near_passage - 1, near_passage, near_passage + 1):
                if 0 <= j < len(self.passages) and j not in cands:
                    cands.append(j)
        scored: list[tuple[float, int, int, int, int, int]] = []  # (partial score, candidate, start, end, region)
        margin = len(words) + 1
        for i in cands:
            p_start, p_end = self.passage_span(i)
            if p_end <= p_start:
                continue
            lo = max(1, p_start - margin)
            hi = min(len(self.stream) - 1, p_end + margin)
            al = fuzz.partial_ratio_alignment(words, self.stream[lo:hi])
            if al is not None:
                scored.append((al.score, i, lo + al.dest_start, lo + al.dest_end, lo, hi))
        if not scored:
            return None
        scored.sort(key=lambda x: -x[0])
        refined = []  # (score, -distance, start, end)
        for _score, _i, a, b, _lo, _hi in scored[:3]:
            score, a, b = self._refine(words, a, b)
            dist = abs(self.passage_at(a) - near_passage) if near_passage is not None else 0
            refined.append((round(score, 3), -dist, a, b))
        best = refined[0]
        for key in refined[1:]:
            if key[:2] > best[:2]:
                best = key
        return best[0], best[2], best[3], (refined, [(lo, hi) for _score, _i, _a, _b, lo, hi in scored[:3]])

    def _runner_up(self, words: str, best_a: int, best_b: int, searched_already: tuple) -> float:
        """The similarity of the best place for ``words`` other than the chosen [best_a, best_b)
        (0 when none), from what ``_closest_text`` searched (only NC501's repair asks)."""
        from rapidfuzz import fuzz

        refined, regions = searched_already
        # the runner-up: the best stretch elsewhere (not overlapping the chosen one), also in what
        # is left of a candidate's passage beside the chosen stretch (the same words said again
        # in the same or the next paragraph)
        runner_up = max((k[0] for k in refined if k[3] <= best_a or k[2] >= best_b), default=0.0)
        # a stretch of the stream searched already (a whole region above, which the chosen one
        # does not cut, or twice here) gives the same alignment and the same refined score,
        # which runner_up holds already (or which overlaps the chosen stretch): not searched again
        searched = _searched(set(regions))
        for lo, hi in regions:
            for x, y in ((lo, min(hi, best_a)), (max(lo, best_b), hi)):
                if y - x < len(words) // 2 or (x, y) in searched:
                    continue
                searched.add((x, y))
                al = fuzz.partial_ratio_alignment(words, self.stream[x:y])
                if al is None or al.score / 100 <= runner_up:
                    continue
                score, a, b = self._refine(words, x + al.dest_start, x + al.dest_end)
                if b <= best_a or a >= best_b:
                    runner_up = max(runner_up, round(score, 3))
        return runner_up

    def _refine(self, words: str, a: int, b: int) -> tuple[float, int, int]:
        """Best plain similarity of ``words`` to a whole-word stretch of the stream near [a, b).

        The rough alignment [a, b) is moved to word boundaries, then each start a word or two
        around it, or within eight words where the quote's first or second word stands, is
        tried with each end likewise (the quote's last or second-to-last word). Returns the
        best similarity found and the stretch chosen as below (``_SKIPPED_WORD_COST``).
        The C module's ``refine`` gives the same answer (tests/test_speedups.py), or None where
        it leaves the case to this body.
        """
        stream = self.stream
        if _c_refine is not None:
            got = _c_refine(stream, words, a, b, _REFINE_REACH)
            if got is not None:
                return got
        a, b = _snap(stream, a, b)
        qwords = words.split()
        heads, tails = set(qwords[:2]), set(qwords[-2:])
        spans = _word_spans_around(stream, a, b, _REFINE_REACH)
        first = next(i for i, (x, _) in enumerate(spans) if x == a)
        last = next(i for i, (_, y) in enumerate(spans) if y == b)
        near_a = spans[max(0, first - _REFINE_REACH):first + _REFINE_REACH + 1]
        near_b = spans[max(0, last - _REFINE_REACH):last + _REFINE_REACH + 1]
        starts = {x for x, _ in spans[max(0, first - 2):first + 2]}
        starts.update(x for x, y in near_a if stream[x:y] in heads)
        ends = {y for _, y in spans[max(0, last - 1):last + 4]}
        ends.update(y for x, y in near_b if stream[x:y] in tails)
        # every (start, end) pair in this order; the chosen one has the highest (word score,
        # similarity), the first such on a tie. Word scores are computed best-bound first: a
        # pair whose bound (no run of skipped words) is below the best score found cannot win.
        index_of_start = {x: i for i, (x, _) in enumerate(spans)}
        index_of_end = {y: i for i, (_, y) in enumerate(spans)}
        region = [stream[x:y] for x, y in spans]
        pairs = [(x, y, index_of_start[x], index_of_end[y] + 1) for x in sorted(starts) for y in sorted(ends) if y > x]
        if not pairs:
            return 0.0, a, b
        distinct = dict.fromkeys(qwords)
        distinct.update(dict.fromkeys(region))
        if _c_rank_stretches is not None and len(distinct) < _MAX_WORD_IDS:
            # each word as one character (its number among the words): the C module compares
            # strings, and the word-level common subsequence is the same
            ids = {w: chr(0x100 + i) for i, w in enumerate(distinct)}
            order, bounds, ratios = _c_rank_stretches("".join(map(ids.__getitem__, qwords)),
                                                      "".join(map(ids.__getitem__, region)), words, stream, pairs)
        else:
            order, bounds, ratios = _rank_stretches_py(qwords, region, words, stream, pairs)
        best_ratio = max(ratios) / 100.0
        best = None  # (word score, similarity, -order, x, y)
        for k in order:
            if best is not None and bounds[k] < best[0]:
                break
            x, y, i0, i1 = pairs[k]
            key = (_alignment_score(qwords, region[i0:i1]), ratios[k] / 100.0, -k, x, y)
            if best is None or key[:3] > best[:3]:
                best = key
        return best_ratio, best[3], best[4]


def _searched(regions: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The stream stretches ``closest`` has searched (tests replace it to search every one again)."""
    return regions


# Which stretch a quote sentence is compared with: the one holding the most of its words in
# order (a word each), each quote word it lacks costing a quarter of a word, each transcript
# word it skips a quarter and each run of skipped words three quarters more (one cut is a
# lighter edit than many); among equals the most alike. Its similarity is the best over the
# stretches tried.
_SKIPPED_WORD_COST = 0.25
_SKIPPED_RUN_COST = 0.75
_MISSING_WORD_COST = 0.25


def _alignment_score(quote_words: list[str], stretch_words: list[str]) -> float:
    from rapidfuzz.distance import Indel

    score = 0.0
    for op in Indel.opcodes(quote_words, stretch_words):
        if op.tag == "equal":
            score += op.src_end - op.src_start
        elif op.tag == "insert":
            score -= _SKIPPED_WORD_COST * (op.dest_end - op.dest_start) + _SKIPPED_RUN_COST
        else:
            score -= _MISSING_WORD_COST * (op.src_end - op.src_start)
    return score
_REFINE_REACH = 8  # words around a rough alignment where the quote's first and last words are looked for


def _word_spans_around(stream: str, a: int, b: int, reach: int) -> list[tuple[int, int]]:
    """(start, end) of the words from ``reach`` words before the word at ``a`` to ``reach`` after the one ending at ``b``."""
    lo = a
    for _ in range(reach):
        j = stream.rfind(" ", 0, lo - 1)
        if j < 0:
            break
        lo = j + 1
    hi = b
    for _ in range(reach):
        j = stream.find(" ", hi + 1)
        if j < 0:
            break
        hi = j
    return [m.span() for m in _NON_BLANK_RE.finditer(stream, lo, hi)]


_NON_BLANK_RE = re.compile(r"[^ ]+")


def _snap(stream: str, a: int, b: int) -> tuple[int, int]:
    """Round [a, b) of the word stream to the nearest word boundaries."""
    n = len(stream) - 1
    a = max(1, min(a, n))
    b = max(a, min(b, n))
    if stream[a - 1] != " ":  # inside a word: to its start or the next word, whichever is nearer
        left = stream.rfind(" ", 0, a) + 1
        right = stream.find(" ", a) + 1
        a = left if a - left <= right - a or right >= n else right  # no word after the last one
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


# ------------------------------------------------------------------------ what differs


def word_changes(quote_tokens: Sequence[tuple[str, int, int]], quote_text: str,
                 window: Sequence[tuple[str, int, int, int]], index: QuoteIndex,
                 diff: list[tuple[str, int, int, int, int]] | None = None) -> tuple[WordChange, ...]:
    """The differences between a quote sentence's words and a transcript window's, as written
    (``diff``: their ``word_diff``, when already made)."""
    out: list[WordChange] = []
    if diff is None:
        diff = word_diff([t[0] for t in quote_tokens], [t[0] for t in window])
    for op, i1, i2, j1, j2 in diff:
        q = quote_text[quote_tokens[i1][1]:quote_tokens[i2 - 1][2]] if i2 > i1 else ""
        t = _window_text(window[j1:j2], index) if j2 > j1 else ""
        out.append(WordChange({"replace": "changed", "delete": "added", "insert": "left out"}[op], q, t))
    return tuple(out)


def word_diff(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, int, int, int, int]]:
    """The difflib opcodes turning words ``a`` into ``b`` that are differences: not the same
    words, nor a compound written with or without a blank (GPT5, GPT-5). The repair edits
    what the message names."""
    if _c_word_opcodes is not None:  # the same opcodes, the words numbered (equal words, equal numbers)
        numbers: dict[str, int] = {}
        ops = _c_word_opcodes([numbers.setdefault(w, len(numbers)) for w in a],
                              [numbers.setdefault(w, len(numbers)) for w in b])
    else:
        import difflib

        ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [op for op in ops
            if op[0] != "equal" and not (op[0] == "replace" and _joined(a[op[1]:op[2]]) == _joined(b[op[3]:op[4]]))]


def _joined(words: Sequence[str]) -> str:
    return "".join(words).replace("'", "")


def _window_text(window: Sequence[tuple[str, int, int, int]], index: QuoteIndex) -> str:
    pieces: list[str] = []
    i = 0
    while i < len(window):
        j = i
        while j + 1 < len(window) and window[j + 1][1] == window[i][1]:
            j += 1
        text = index.passages[window[i][1]].text
        pieces.append(text[window[i][2]:window[j][3]])
        i = j + 1
    return " ".join(pieces)


# ------------------------------------------------------------------------ locate


def locate(quote_text: str | Sequence[str], index: QuoteIndex, near: float | None = None) -> QuoteMatch:
    """Where each sentence of ``quote_text`` occurs in the index (see the module docstring).

    ``quote_text`` may be a list of quote lines (joined with blanks). ``near`` is a time in
    seconds: among repeated occurrences, the one nearest to it is chosen.
    """
    if not isinstance(quote_text, str):
        quote_text = " ".join(quote_text)
    fragments = split_quote(quote_text)
    if index.clean:
        fragments = [f if not f.words else _cleaned(f) for f in fragments]
        fragments = [f for f in fragments if f.words]
    if not fragments or not index.passages:
        return QuoteMatch(tuple(
            SentenceMatch(f.start, f.end, f.text, False, None, 0.0, key=f.words) for f in fragments
        ))
    hits = [index.find_spans(f.words) for f in fragments]
    # anchor: the longest found fragment that can place the quote, at its occurrence nearest to `near`
    anchor: tuple[int, int] | None = None
    anchor_fragment: int | None = None
    found = [i for i, h in enumerate(hits) if h]
    placing = [i for i in found if len(fragments[i].words.split()) >= MIN_PLACING_WORDS or len(hits[i]) == 1]
    if placing:
        anchor_fragment = max(placing, key=lambda i: (len(fragments[i].words), -i))
        anchor = _nearest(hits[anchor_fragment], index, near=near)
    elif found:
        a = max(found, key=lambda i: (len(fragments[i].words), -i))
        anchor = _nearest(hits[a], index, near=near)
    chosen: list[tuple[int, int] | None] = []
    for h in hits:
        if not h:
            chosen.append(None)
        elif anchor is not None:
            chosen.append(min(h, key=lambda span: (abs(span[0] - anchor[0]), span[0])))
        else:
            chosen.append(h[0])
    out: list[SentenceMatch] = []
    anchor_passage = index.passage_at(anchor[0]) if anchor is not None else _passage_near(index, near)
    for f, span in zip(fragments, chosen):
        if span is not None:
            pos, end = span
            out.append(_new_sentence(f.start, f.end, f.text, True, index.passage_at(pos), 1.0, None,
                                     index.passage_at(end - 1), pos, end, key=f.words))
            continue
        out.append(_Missing.of(f, index, anchor_passage))
    return QuoteMatch(tuple(out), anchor_fragment)


def _closest_fields(f: Fragment, index: QuoteIndex, anchor_passage: int | None) -> dict[str, Any]:
    """A sentence not found verbatim: its SentenceMatch fields from the closest text (see ``_Missing``)."""
    best = index._closest_text(f.words, anchor_passage)
    if best is None:
        return {"passage": None, "similarity": 0.0, "runner_up": 0.0}
    score, a, b, searched = best
    quote_tokens, window = tokens(f.text, index.clean, annotations=False), index.window_tokens(a, b)
    diff = word_diff([t[0] for t in quote_tokens], [t[0] for t in window])
    changes = word_changes(quote_tokens, f.text, window, index, diff)
    return {"passage": index.passage_at(a), "similarity": score, "closest": index.original_text(a, b),
            "last_passage": index.passage_at(max(a, b - 1)), "pos": a, "end_pos": b, "changes": changes,
            "aligned": (window, diff), "_runner_up_from": (index, f.words, a, b, searched)}


class _LazyField:
    """A SentenceMatch field of a ``_Missing`` sentence: worked out on first read (a non-data
    descriptor: once the fields are in the instance's __dict__, they are read from there)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        if obj is None:
            return getattr(SentenceMatch, self.name)
        obj._resolve()
        return obj.__dict__[self.name]


class _LazyRunnerUp(_LazyField):
    """``runner_up``: searched for when first read, after the closest text (only NC501's repair
    reads it, and only for a sentence alike enough to be repaired)."""

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        if obj is None:
            return super().__get__(obj, objtype)
        obj._resolve()
        d = obj.__dict__
        if "runner_up" not in d:  # (the inputs dropped only once the answer is in: another thread may ask too)
            index, words, a, b, searched = d["_runner_up_from"]
            d["runner_up"] = index._runner_up(words, a, b, searched)
            d.pop("_runner_up_from", None)
        return d["runner_up"]


class _Missing(SentenceMatch):
    """A sentence not found verbatim, whose closest text (``QuoteIndex.closest``, the costliest
    part of locating a quote) is looked for when one of its fields is first read: only NC501
    (and a light edit said where it is cited, for NC403's placement) reads them, so a run that
    does not check NC501 does not pay for the search; the runner-up likewise when it is read.
    Equal to the SentenceMatch made of the same fields, and otherwise one."""

    passage = _LazyField()
    similarity = _LazyField()
    closest = _LazyField()
    last_passage = _LazyField()
    pos = _LazyField()
    end_pos = _LazyField()
    changes = _LazyField()
    runner_up = _LazyRunnerUp()
    aligned = _LazyField()

    @classmethod
    def of(cls, f: Fragment, index: QuoteIndex, anchor_passage: int | None) -> "_Missing":
        m = object.__new__(cls)
        for name, value in (("start", f.start), ("end", f.end), ("text", f.text), ("found", False), ("key", f.words)):
            object.__setattr__(m, name, value)  # SentenceMatch's slots
        m.__dict__["_todo"] = (f, index, anchor_passage)  # the lazy fields will be in the __dict__
        return m

    def _resolve(self) -> None:
        d = self.__dict__
        todo = d.get("_todo")
        if todo is not None:  # the fields in first, then the inputs dropped: another thread may ask too
            d.update({**_MISSING_DEFAULTS, **_closest_fields(*todo)})
            d.pop("_todo", None)

    def _fields(self) -> SentenceMatch:
        return SentenceMatch(**{name: getattr(self, name) for name in _SENTENCE_FIELDS})

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Missing):
            other = other._fields()
        return self._fields() == other if isinstance(other, SentenceMatch) else NotImplemented

    __hash__ = SentenceMatch.__hash__

    def __repr__(self) -> str:
        return repr(self._fields())

    def __reduce__(self) -> Any:
        return self._fields().__reduce__()


_SENTENCE_FIELDS = tuple(f.name for f in dataclasses.fields(SentenceMatch))
_MISSING_DEFAULTS = {f.name: f.default for f in dataclasses.fields(SentenceMatch)
                     if f.default is not dataclasses.MISSING and f.name != "runner_up"}


def _cleaned(f: Fragment) -> Fragment:
    words = clean_words(f.words)
    return f if words == f.words else Fragment(f.start, f.end, f.text, words)


def _nearest(spans: list[tuple[int, int]], index: QuoteIndex, near: float | None) -> tuple[int, int]:
    """The occurrence said nearest to ``near`` seconds (0 when its passage covers it); ties: the first."""
    if near is None or len(spans) == 1:
        return spans[0]

    def distance(span: tuple[int, int]) -> tuple[float, int]:
        t = index.time_at(span[0])
        if t.start <= near < t.end:
            return 0.0, span[0]
        return min(abs(t.start - near), abs(t.end - near)), span[0]

    return min(spans, key=distance)


def _passage_near(index: QuoteIndex, near: float | None) -> int | None:
    if near is None:
        return None
    for i, p in enumerate(index.passages):
        if p.covers(near):
            return i
    return None


# ------------------------------------------------------------------------ per-note cache

_CACHE_KEY = "_quote_index"


def index_for(note: Any, sidecar: Any = None, clean: bool = True) -> QuoteIndex:
    """The note's QuoteIndex (over the sidecar's segments when usable), built once and cached on the note.

    One note may ask for two (the sidecar's and, for a paragraph of its own, the transcript's):
    each is kept, so asking in turn never builds one again."""
    use_sidecar = sidecar_usable(sidecar)
    key = (id(sidecar) if use_sidecar else None, clean)
    try:
        cache = note.__dict__.setdefault(_CACHE_KEY, {})
    except (AttributeError, TypeError):
        cache = {}
    index = cache.get(key)
    if index is not None:
        return index
    duration = getattr(sidecar, "duration", None) if use_sidecar else None
    if duration is None:
        duration = getattr(note, "duration", None)
    index = cache[key] = QuoteIndex(passages_for(note, sidecar), clean, duration)
    return index
