"""The optional C speed-up (src/notecheck/_speedups.c) gives exactly what its pure-Python twin gives.

quotematch uses ``_speedups.split_clean`` when the module is built (hatch_build.py compiles it
at install) and ``quotematch._split_clean_py`` otherwise; findings must not depend on which.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import speedups_module
from notecheck import quotematch

speedups = speedups_module()  # built, or this module skipped under NOTECHECK_PURE_PYTHON=1


def test_quotematch_uses_the_c_speedup_when_built():
    # built and not switched off: quotematch uses it; NOTECHECK_PURE_PYTHON=1: it does not
    if os.environ.get("NOTECHECK_PURE_PYTHON"):
        assert quotematch._split_clean is quotematch._split_clean_py and quotematch._c_refine is None
    else:
        assert quotematch._split_clean is speedups.split_clean and quotematch._c_refine is speedups.refine


# words that exercise every drop: the pairs, the fillers, repeats, the passage break, and
# characters of every str kind (1, 2 and 4 bytes), whitespace of several kinds between them
WORDS = ["you", "know", "i", "mean", "um", "umm", "ummm", "uh", "uhh", "uhhh", "uhm", "er", "err", "erm",
         "hm", "hmm", "hmmm", "u", "e", "h", "ummmm", "youknow", "the", "a", "\x00", "caf\u00e9",
         "\u00e9t\u00e9", "\u4e2d\u6587", "\U0001f600", "don't", "x\u2019y", "\u0130", "I", "You"]
SPACES = [" ", "  ", "\n", "\t", "\u00a0", "\u2028", "\x1c", " \n "]


@st.composite
def texts(draw):
    words = draw(st.lists(st.sampled_from(WORDS), max_size=40))
    out = draw(st.sampled_from(["", " ", "\n"]))
    for w in words:
        out += w + draw(st.sampled_from(SPACES))
    return out


@settings(max_examples=400, deadline=None)
@given(texts(), st.booleans())
def test_split_clean_equals_the_python_reference(text, clean):
    assert speedups.split_clean(text, clean) == quotematch._split_clean_py(text, clean)


@pytest.mark.parametrize("text, clean, expected", [
    # the pairs go first, then the fillers, then a word said twice at once is kept once
    ("so you know it it is um i mean good", True, ["so it is good"]),
    ("you you know know", True, ["you know"]),  # one pair dropped; the words around it do not pair again
    ("the the \x00 the", True, ["the", "the"]),  # no repeat is merged across the passage break
    ("a \x00 \x00 b", True, ["a", "", "b"]),  # an empty passage keeps its place
    ("a \x00 \x00 b", False, ["a", "", "b"]),
    ("um uh", True, [""]),
    ("Um You know", True, ["Um You know"]),  # the text is case-folded before: capitals are other words
    ("", True, [""]),
    ("  caf\u00e9  \u4e2d\u6587 \U0001f600 ", False, ["caf\u00e9 \u4e2d\u6587 \U0001f600"]),
])
def test_split_clean_cases(text, clean, expected):
    assert speedups.split_clean(text, clean) == expected
    assert quotematch._split_clean_py(text, clean) == expected


@settings(max_examples=400, deadline=None)
@given(texts(), st.booleans())
def test_split_stream_equals_the_python_reference(text, clean):
    assert speedups.split_stream(text, clean) == quotematch._split_stream_py(text, clean)


@pytest.mark.parametrize("text, clean, expected", [
    ("so you know it it is um i mean good \x00 next one", True, (" so it is good next one ", [1, 15])),
    ("a \x00 \x00 b", True, (" a b ", [1, 3, 3])),  # an empty passage begins where the next word does
    ("\x00 a", False, (" a ", [1, 1])),
    ("um uh \x00 er", True, ("  ", [1, 1])),  # no word at all: two blanks, as the join of none makes
    ("", False, ("  ", [1])),
    ("x\u2003y \x00 caf\u00e9 \u4e2d", False, (" x y caf\u00e9 \u4e2d ", [1, 5])),  # wide blank, wide words
    ("caf\u00e9 \x00 na\u00efve\u00a0x", False, (" caf\u00e9 na\u00efve x ", [1, 6])),  # Latin-1 only
])
def test_split_stream_cases(text, clean, expected):
    assert speedups.split_stream(text, clean) == expected
    assert quotematch._split_stream_py(text, clean) == expected


NON_ASCII = st.sampled_from(["\u00e9", "\u00b7", "\u00ab", "\u00bb", "\u00aa", "\u00b2", "\u00bd", "\u00d7",
                             "\u00a0", "\u00ad", "\u2014", "\u201c", "\u2019", "\u4e2d", "\u0663", "\u2003",
                             "\U0001f600", "\U0001d7d8", "\u0301", "_", "'", "a", "1", " ", "\x00"])


@settings(max_examples=500, deadline=None)
@given(st.lists(NON_ASCII, max_size=40).map("".join), st.booleans())
def test_split_stream_splits_at_non_ascii_separators_as_the_regex_does(text, clean):
    # a non-ASCII character that is no letter or digit (punctuation, symbols, a combining mark, a
    # soft hyphen) splits words; letters, digits and numbers of any script do not (re's \w)
    if "\x00" in text.replace(" \x00 ", ""):
        text = text.replace("\x00", "")  # a NUL is a word of its own (the caller makes sure)
    assert speedups.split_stream(text, clean, True) == quotematch._split_stream_py(text, clean, True)
    latin = text.encode("latin-1", "ignore").decode("latin-1")  # the 1-byte loop and its table
    assert speedups.split_stream(latin, clean, True) == quotematch._split_stream_py(latin, clean, True)


def test_every_latin1_character_splits_words_as_the_regex_says():
    for c in map(chr, range(1, 256)):
        text = f"a{c}b"
        assert speedups.split_stream(text, False, True) == quotematch._split_stream_py(text, False, True), hex(ord(c))
        assert speedups.split_stream(text, False) == quotematch._split_stream_py(text, False), hex(ord(c))


def test_a_stream_is_a_canonical_string():
    """The stream is as narrow as its own characters, whatever the text's blanks and NULs are."""
    stream, _ = speedups.split_stream("plain\u3000words \x00 caf\u00e9", False)
    assert stream == " plain words caf\u00e9 " and stream.encode("latin-1") and {stream: 1}[" plain words caf\u00e9 "]
    wide, _ = speedups.split_stream("caf\u00e9 \U0001f600 \u4e2d x", False)
    assert wide == " caf\u00e9 \U0001f600 \u4e2d x "
    assert speedups.split_stream("only\u3000ascii", False)[0].isascii()
    latin, _ = speedups.split_stream("caf\u00e9 na\u00efve", False)  # a 1-byte str, not ASCII: its flag says so
    assert not latin.isascii() and latin.encode("utf-8") == " caf\u00e9 na\u00efve ".encode("utf-8")


def test_pieces_are_canonical_strings():
    """A piece holding only ASCII is an ASCII str even when the text is not (str equality and
    hashing rely on the narrowest kind)."""
    (ascii_piece, wide_piece) = speedups.split_clean("plain words \x00 \U0001f600 x", False)
    assert ascii_piece.isascii() and ascii_piece == "plain words"
    assert {ascii_piece: 1}["plain words"] == 1
    assert wide_piece == "\U0001f600 x"


def test_a_word_holding_a_nul_is_refused():
    # the reference would cut such a word in two; quotematch never passes one (it checks)
    with pytest.raises(ValueError):
        speedups.split_clean("ab\x00cd", True)
    with pytest.raises(ValueError):
        speedups.split_clean("\u4e2d\x00", False)


stream_of = quotematch._stream_of  # the stream and passage starts QuoteIndex builds from its passages' words


@st.composite
def pieces_and_words(draw):
    vocabulary = ["a", "ab", "the", "caf\u00e9", "\u4e2d", "\U0001f600", "x'y", "b", "ba", "aa"]
    pieces = draw(st.lists(st.lists(st.sampled_from(vocabulary), max_size=8).map(" ".join), max_size=12))
    words = draw(st.lists(st.sampled_from(vocabulary + ["", "zz", "a b"]), max_size=10))
    return pieces, words


@settings(max_examples=400, deadline=None)
@given(pieces_and_words())
def test_word_passages_equals_the_python_reference(args):
    pieces, words = args
    index = speedups.StreamIndex(*stream_of(pieces))
    assert index.word_passages(words) == quotematch._word_passages_py(pieces, words)


@settings(max_examples=400, deadline=None)
@given(pieces_and_words(), st.lists(st.sampled_from(["a", "ab", "the", "\u4e2d", "\U0001f600", "b", "zz", ""]),
                                    max_size=4).map(" ".join))
def test_find_words_equals_the_python_reference(args, needle):
    pieces, _ = args
    stream, starts = stream_of(pieces)
    for words in (needle, needle + " ", " " + needle, needle.replace(" ", "  ")):
        assert speedups.StreamIndex(stream, starts).find(words) == quotematch._find_words_py(stream, words)


def test_word_passages_and_find_cases():
    pieces = ["the cat", "", "cat the cat", "category", "\u4e2d the"]
    stream, starts = stream_of(pieces)
    index = speedups.StreamIndex(stream, starts)
    # whole words only ("category" does not hold "cat"); a piece once however often; "" nowhere
    expected = [[0, 2], [0, 2, 4], [], [4], [], [0, 2]]
    assert index.word_passages(["cat", "the", "", "\u4e2d", "dog", "cat"]) == expected
    assert quotematch._word_passages_py(pieces, ["cat", "the", "", "\u4e2d", "dog", "cat"]) == expected
    for find in (index.find, lambda words: quotematch._find_words_py(stream, words)):
        assert find("the cat") == [1, 13]
        assert find("cat") == [5, 9, 17]  # "category" is no "cat"
        assert find("cat the cat") == [9]
        assert find("cat category") == [17]
        assert find("the cat the") == []
        assert find("") == []


@st.composite
def streams_and_needles(draw):
    # stream words as the index writes them: letters or digits at both ends, apostrophes inside
    vocabulary = ["deep", "mind", "deepmind", "gpt", "5", "gpt5", "don't", "dont", "o'k", "a", "aa", "caf\u00e9",
                  "\u4e2d", "\U0001f600"]
    words = draw(st.lists(st.sampled_from(vocabulary), max_size=15))
    stream = " " + " ".join(words) + " "
    needle_words = draw(st.lists(st.sampled_from(vocabulary), min_size=0, max_size=3))
    needle = "".join(needle_words).replace("'", "")
    return stream, needle, draw(st.integers(0, 4))


@settings(max_examples=500, deadline=None)
@given(streams_and_needles())
def test_find_joined_equals_the_python_reference(args):
    stream, needle, limit = args
    assert speedups.find_joined(stream, needle, limit) == quotematch._find_joined_py(stream, needle, limit)


def test_find_joined_cases():
    stream = " deep mind said gpt 5 and don't deep mind "
    for find in (speedups.find_joined, quotematch._find_joined_py):
        assert find(stream, "deepmind", 50) == [(1, 10), (32, 41)]
        assert find(stream, "deepmind", 1) == [(1, 10)]  # the first ``limit`` only
        assert find(stream, "gpt5", 50) == [(16, 21)]
        assert find(stream, "dont", 50) == [(26, 31)]
        assert find(stream, "eepmind", 50) == []  # starts inside a word
        assert find(stream, "deepmin", 50) == []  # ends inside a word
        assert find(stream, "", 50) == []


@st.composite
def ascii_passages(draw):
    pieces = ["you", "know", "I", "mean", "um", "Um", "uh", "the", "The", "don't", "'", "''", "a'b'c", "x'",
              "[laughter]", "[", "]", "[a\nb]", "[[x]", "GPT-5", "5", "ok.", "--", ",", "_", "a_b", "`"]
    out = ""
    for piece in draw(st.lists(st.sampled_from(pieces), max_size=30)):
        out += piece + draw(st.sampled_from(["", " ", "  ", "\n", ", "]))
    return out


@settings(max_examples=500, deadline=None)
@given(ascii_passages(), st.booleans(), st.booleans())
def test_ascii_tokens_equal_the_python_reference(text, clean, annotations):
    source = text.replace("`", "'")
    assert speedups.ascii_tokens(source, clean, annotations) == quotematch._tokens_py(source, clean, annotations)


def test_ascii_tokens_cases():
    text = "So, you know, I -- I think [laughter] the the Model's um fine."
    # "you know" and "um" go; "I -- I" and "the the" are one word each, spanning both
    expected = [("so", 0, 2), ("i", 14, 20), ("think", 21, 26), ("the", 38, 45), ("model's", 46, 53),
                ("fine", 57, 61)]
    assert speedups.ascii_tokens(text, True, True) == expected
    assert quotematch._tokens_py(text, True, True) == expected
    assert [w for w, _, _ in speedups.ascii_tokens(text, False, False)][6] == "laughter"
    with pytest.raises(ValueError):
        speedups.ascii_tokens("caf\u00e9", True, True)


def test_a_stream_too_long_for_the_c_index_is_searched_in_python(monkeypatch):
    # the C index keeps 32-bit offsets: past 2**30 characters it refuses (OverflowError) and the
    # index looks words up in Python, with the same answers
    def too_long(stream, starts):
        raise OverflowError("stream too long for a StreamIndex")

    passages = [quotematch.Passage(0, 10, "The roots go deep."), quotematch.Passage(10, None, "Deep roots, the roots.")]
    expected = quotematch.QuoteIndex(passages, True, 20)
    monkeypatch.setattr(quotematch, "_CStreamIndex", too_long)
    index = quotematch.QuoteIndex(passages, True, 20)
    assert index._c_index() is None
    for words in ("the roots", "roots", "deep roots the roots", "nothing"):
        assert index.find_spans(words) == expected.find_spans(words)
    assert index._word_passages(["roots", "deep", "x"]) == expected._word_passages(["roots", "deep", "x"])
    assert index._word_passages(["roots", "deep", "x"]) == [[0, 1], [0, 1], []]


@st.composite
def pair_inputs(draw):
    alphabet = st.sampled_from("ab c\u00e9\u4e2d\U0001f600\u0100\u0101\u01ff\u0200")
    words = draw(st.text(alphabet, max_size=150))  # longer than 64 and 128: several bit blocks
    stream = draw(st.text(alphabet, max_size=200))
    qids = draw(st.text(st.sampled_from("\u0100\u0101\u0102\u0103\u0104"), max_size=70))
    rids = draw(st.text(st.sampled_from("\u0100\u0101\u0102\u0103\u0105"), max_size=40))
    pairs = []
    for _ in range(draw(st.integers(0, 6))):
        x = draw(st.integers(0, len(stream)))
        y = draw(st.integers(x, len(stream)))
        i0 = draw(st.integers(0, len(rids)))
        i1 = draw(st.integers(i0, len(rids)))
        pairs.append((x, y, i0, i1))
    return qids, rids, words, stream, pairs


@settings(max_examples=600, deadline=None)
@given(pair_inputs())
def test_rank_stretches_equals_rapidfuzz(args):
    # the similarity is rapidfuzz's own float, bit for bit: it is shown in messages (74%) and
    # compared with thresholds; the order decides which stretch is chosen
    assert speedups.rank_stretches(*args) == quotematch._rank_stretches_py(*args)


def test_rank_stretches_cases():
    words = "x" * 64 + "y" * 64  # exactly two full blocks
    stream = "x" * 64 + "z" * 10 + "y" * 64
    pairs = [(0, len(stream), 0, 3), (0, 0, 0, 0), (64, 74, 1, 2), (64, 74, 1, 2)]
    for rank in (speedups.rank_stretches, quotematch._rank_stretches_py):
        order, bounds, ratios = rank("\u0100\u0101\u0100", "\u0101\u0100\u0100", words, stream, pairs)
        # 2 of 3 quote words, 1 stretch word skipped: 2 - 0.25 - 0.25 - 0.75; none: -0.75; 1 of 3: 0.5
        assert bounds == [0.75, -0.75, 0.5, 0.5]
        assert ratios == [100 * (1 - 10 / 266), 0.0, 0.0, 0.0]
        assert order == [0, 2, 3, 1]  # the higher bound first, then the earlier pair
    with pytest.raises(IndexError):
        speedups.rank_stretches("a", "b", "c", "d", [(0, 5, 0, 1)])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join))
def test_clean_words_is_the_same_through_split_clean(words):
    # clean_words passes NUL-free words to _split_clean (C when built): the same as the list passes
    assert quotematch.clean_words(words) == " ".join(quotematch._clean_tokens(words.split(" "))) if words else True


def test_too_many_distinct_words_for_characters_are_ranked_in_python(monkeypatch):
    # _refine writes each word as one character for the C module; past the characters it has
    # (_MAX_WORD_IDS), the words are ranked as words in Python, with the same choice
    passages = [quotematch.Passage(0, 60, "The roots were twice as deep in the plots we never ploughed at all."),
                quotematch.Passage(60, None, "Nobody believed us at first, and then they all came to see.")]
    sentence = "the roots were three times as deep in plots we ploughed"
    expected = quotematch.QuoteIndex(passages, True, 120).closest(sentence, 0)
    monkeypatch.setattr(quotematch, "_c_refine", None)  # the Python body of _refine
    monkeypatch.setattr(quotematch, "_MAX_WORD_IDS", 2)
    assert quotematch.QuoteIndex(passages, True, 120).closest(sentence, 0) == expected
    assert expected[0] > 0.8


# ------------------------------------------------------------------ refine and its alignment score

@settings(max_examples=800, deadline=None)
@given(st.text(st.sampled_from("ab"), max_size=150) | st.text(st.sampled_from("abcdefgh"), max_size=150),
       st.text(st.sampled_from("ab"), max_size=150) | st.text(st.sampled_from("abcdefgh"), max_size=150))
def test_alignment_score_equals_rapidfuzz_opcodes(q, s):
    # the run count depends on which of the equally long alignments rapidfuzz's opcodes take:
    # long strings over two letters have many, and over 64 characters the LCS has several blocks
    assert speedups.alignment_score(q, s) == quotematch._alignment_score(list(q), list(s))


@pytest.mark.parametrize("q, s, expected", [
    ("abc", "abc", 3.0),
    ("", "", 0.0),
    ("abc", "", -0.75),  # three words left out: a quarter each
    ("", "ab", -1.25),  # two words skipped in one run: a quarter each and three quarters
    ("ac", "abxc", 2 - 0.5 - 0.75),  # one run of two skipped
    ("abc", "axbyc", 3 - 0.5 - 1.5),  # two runs of one
    ("qabxcd", "abycdf", 4 - 0.5 - 0.5 - 1.5),  # rapidfuzz's own docstring example: x, q out; y, f in
])
def test_alignment_score_cases(q, s, expected):
    assert speedups.alignment_score(q, s) == quotematch._alignment_score(list(q), list(s)) == expected


REFINE_WORDS = ["a", "ab", "the", "roots", "deep", "caf\u00e9", "\u4e2d", "\U0001f600", "x'y", "\x00"]


@st.composite
def refine_inputs(draw):
    pieces = draw(st.lists(st.lists(st.sampled_from(REFINE_WORDS), min_size=1, max_size=14).map(" ".join),
                           min_size=1, max_size=5))
    stream = " " + " ".join(pieces) + " "
    quote = draw(st.lists(st.sampled_from(REFINE_WORDS + ["zz"]), min_size=1, max_size=20))
    words = " ".join(quote)
    a = draw(st.integers(-3, len(stream) + 3))
    b = draw(st.integers(-3, len(stream) + 3))
    return stream, words, a, b


def _refine_py(stream: str, words: str, a: int, b: int) -> tuple:
    from types import SimpleNamespace

    with pytest.MonkeyPatch.context() as m:
        m.setattr(quotematch, "_c_refine", None)
        return quotematch.QuoteIndex._refine(SimpleNamespace(stream=stream), words, a, b)


@settings(max_examples=800, deadline=None)
@given(refine_inputs())
def test_refine_equals_the_python_body(args):
    # a rough alignment anywhere, even off the stream or inside a word: the C answer is the
    # Python body's (the same stretch and the same similarity), or None (Python answers)
    stream, words, a, b = args
    got = speedups.refine(stream, words, a, b, quotematch._REFINE_REACH)
    expected = _refine_py(stream, words, a, b)
    assert got is None or got == expected
    assert got is not None or not (1 <= a < len(stream))  # it declines only rough alignments it cannot snap


def test_refine_leaves_irregular_words_to_python():
    stream = " the roots were deep and the roots were wide "
    for words in ("roots  were", " roots were", "roots were ", "roots\twere", "roots\u00a0were", ""):
        assert speedups.refine(stream, words, 5, 15, 8) is None
    assert speedups.refine(" a", "a", 1, 2, 8) is None  # a stream under three characters: Python
    assert speedups.refine(stream, "roots were", 5, 15, 8) == _refine_py(stream, "roots were", 5, 15)
    assert speedups.refine(stream, "roots were", 5, 15, 8)[1:] == (5, 15)


def test_refine_chooses_as_the_python_body_on_a_tie():
    # the same words twice within reach: two stretches score alike; the earlier pair is kept
    stream = " x roots were deep y roots were deep z "
    ratio, a, b = speedups.refine(stream, "roots were deep", 3, 17, 8)
    assert (ratio, stream[a:b]) == (1.0, "roots were deep")
    assert a == 3


# ------------------------------------------------------------------ the closest-passage candidates

@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=6), min_size=1, max_size=14),
       st.lists(st.sampled_from("abcdefghz"), min_size=1, max_size=8), st.integers(1, 6))
def test_candidates_rank_by_the_exact_sums(passages, words, k):
    # the reference: every passage's score summed exactly (fsum), the k best, ties to the
    # earlier passage; _candidates sums exactly only near-ties, and must choose the same.
    # Few letters: many passages hold the same words, so ties are the rule here
    import math

    index = quotematch.QuoteIndex([quotematch.Passage(i * 60, None, " ".join(p) + ".") for i, p in enumerate(passages)])
    n = max(1, len(index.passages))
    held = index._word_passages(sorted(set(words)))
    exact = {i: math.fsum(math.log(1 + n / len(h)) for h in held if h and i in h) for i in range(len(passages))}
    expected = sorted((i for i in exact if exact[i]), key=lambda i: (-exact[i], i))[:k]
    assert index._candidates(words, k) == expected


# ------------------------------------------------------------------ split_quote's plain path

PLAIN_PIECES = ["The", "roots", "were", "deep", "it's", "don`t", "rock'n'roll", "x''y", "'tis", "A1", "_x_",
                "caf\u00e9", "\u201cyes\u201d", "\u2018so\u2019", "na\u02bcve", "it\u00b4s", "\u00abbof\u00bb",
                "\u201e", "well\u2014", "\u2013", "\u2022", "\u00b7", "(aside)", "end.", "end!", "end?",
                "end.\"", "end.'", "end.\u201d", "end.\u2019", "end.)", "end.]", "end.\u201d)", "wait...", "Mr.",
                "3.5", "x:", "\"", "'"]
PLAIN_SPACES = [" ", " ", " ", "  ", "\t", "\n", "\u00a0", "\u202f", "\x1c", " \n "]


@st.composite
def plain_quotes(draw):
    words = draw(st.lists(st.sampled_from(PLAIN_PIECES), max_size=30))
    spaces = draw(st.lists(st.sampled_from(PLAIN_SPACES), min_size=len(words) + 1, max_size=len(words) + 1))
    return "".join(s + w for s, w in zip(spaces, words + [""]))


def _split_quote_py(text: str) -> list:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(quotematch, "_c_split_plain", None)
        return quotematch.split_quote(text)


@settings(max_examples=1500, deadline=None)
@given(plain_quotes())
def test_split_plain_equals_the_python_split(text):
    # sentence ends with their closing marks, every blank space str.split knows, apostrophes
    # of every kind inside and around words, quotation marks to trim, letters Python must fold
    # (then the C declines): the same fragments, offsets and words
    got = speedups.split_plain(text)
    if quotematch._has_edits(text):
        return  # split_quote never asks the C module then
    expected = _split_quote_py(text)
    if got is None:
        assert any(ord(c) > 127 and c not in "\u2019\u2018\u02bc\u00b4\u201c\u201d\u201e\u00ab\u00bb\u2013\u2014"
                   "\u00a0\u202f\u2022\u00b7\u2010\u2011\u2012\u2015" for c in text)
    else:
        assert [quotematch.Fragment(a, b, text[a:b], w) for a, b, w in got] == expected
    assert quotematch.split_quote(text) == expected


@pytest.mark.parametrize("text, expected", [
    ('"It\u2019s deep. They said so!" Then \u201cno.\u201d', [(1, 11, "it's deep"), (12, 25, "they said so"),
                                                              (27, 36, "then no")]),
    ("end.\n\nnext", [(0, 4, "end"), (6, 10, "next")]),  # a line break splits as a sentence end does
    ("no end.x here", [(0, 13, "no end x here")]),  # no blank space after the stop: one sentence
    ("", []),
])
def test_split_plain_cases(text, expected):
    assert speedups.split_plain(text) == expected
    assert [(f.start, f.end, f.words) for f in _split_quote_py(text)] == expected


def test_split_plain_declines_letters_python_folds():
    assert speedups.split_plain("caf\u00e9 au lait") is None
    assert speedups.split_plain("STRASSE und Stra\u00dfe") is None
    assert quotematch.split_quote("Stra\u00dfe.")[0].words == "strasse"


# ------------------------------------------------------------------ word_diff's opcodes

@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from("abcab"), max_size=70), st.lists(st.sampled_from("abcdab"), max_size=70))
def test_word_opcodes_are_difflibs(a, b):
    # repeats everywhere: many longest matches to choose between, queue order and block merges
    import difflib

    numbers: dict[str, int] = {}
    got = speedups.word_opcodes([numbers.setdefault(w, len(numbers)) for w in a],
                                [numbers.setdefault(w, len(numbers)) for w in b])
    assert got == [tuple(op) for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()]


def test_word_diff_is_the_same_with_and_without_the_c_module():
    a = "the roots were deep and the roots were wide".split()
    b = "the roots were so deep and wide the roots".split()
    with_c = quotematch.word_diff(a, b)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(quotematch, "_c_word_opcodes", None)
        assert quotematch.word_diff(a, b) == with_c
    assert with_c and all(op[0] != "equal" for op in with_c)
    with pytest.raises(ValueError):
        speedups.word_opcodes([0, 5], [1])  # numbers beyond len(a) + len(b)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), min_size=1, max_size=12), max_size=12),
       st.integers(31, 45), st.integers(1, 7))
def test_rank_candidates_equal_the_python_reference(held, n, k):
    # few passage numbers, lists of few lengths: equal and near-equal sums (ties) are the rule
    held = [sorted(set(h)) for h in held]
    assert speedups.rank_candidates(held, 31, n, k) == quotematch._rank_candidates_py(held, 31, n, k)


def test_rank_candidates_sums_near_ties_exactly():
    # passages 0 and 2 hold the same words (a tie: the earlier first); passage 1 holds a rarer
    # one instead (first); passage 6 holds none (never a candidate)
    held = [[0, 1, 2, 3], [0, 1, 2, 4], [0, 2, 5], [1, 4], [0, 1, 2]]
    got = speedups.rank_candidates(held, 7, 6, 7)
    assert got == quotematch._rank_candidates_py(held, 7, 6, 7) == [1, 0, 2, 4, 5, 3]
    assert speedups.rank_candidates(held, 7, 6, 2) == [1, 0]


def test_rank_candidates_refuse_bad_input():
    with pytest.raises(IndexError):
        speedups.rank_candidates([[3]], 3, 3, 1)
    with pytest.raises(TypeError):
        speedups.rank_candidates([[]], 3, 3, 1)
    with pytest.raises(ValueError):
        speedups.rank_candidates([[2, 1]], 3, 3, 1)
    with pytest.raises(ValueError):
        speedups.rank_candidates([[1]], 3, 3, 0)


def test_exact_sums_match_fsum_on_hard_cases():
    # the C sum is math.fsum's: on terms whose rough sum is off (the classic 0.1s, and weights
    # of many sizes), rank_candidates' choice among near-ties is fsum's
    import math

    n = 1000
    lengths = [1, 3, 7, 10, 999, 1000, 2, 333]
    held = [list(range(length)) for length in lengths]
    exact = {i: math.fsum(math.log(1 + n / len(h)) for h in held if i in h) for i in range(1000)}
    expected = sorted((i for i in exact if exact[i]), key=lambda i: (-exact[i], i))[:8]
    assert speedups.rank_candidates(held, 1000, n, 8) == expected


def test_every_short_word_of_filler_letters_is_dropped_as_python_drops_it():
    # the C filler test is written out letter by letter: every word of 1-5 of the letters fillers
    # are made of (and one other), alone, repeated, and between words, as the Python reference
    import itertools

    for size in range(1, 6):
        for letters in itertools.product("umhex", repeat=size):
            word = "".join(letters)
            for text in (word, f"a {word} {word} b", f"{word} \x00 {word}"):
                assert speedups.split_clean(text, True) == quotematch._split_clean_py(text, True), text
