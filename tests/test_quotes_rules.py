"""NC501/NC502: quotes checked against the transcript, on shapes real notes have."""

from __future__ import annotations

import pytest

import notecheck
from conftest import SAMPLES, line_of
from notecheck.config import Config
from notecheck.sidecar import Segment, Sidecar

NC5 = Config(select=("NC5",))

FUNGI_QUOTE = '> "The fungi are doing the plumbing. The roots get the credit."'
FUNGI_LINK = "> -- [41:30](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=2490s)"
MEASURE_QUOTE = ('> "Measure before you change anything. Then change one thing at a time, '
                 'and wait a full year before you judge it."')
SOIL_QUOTE = ('> "Soil is the slowest technology we have. You can lose an inch of topsoil in one bad winter. '
              'It takes a hundred years to build it back."')


def check(text: str, config: Config = NC5, **kw):
    return [d for d in notecheck.check_text(text, path="note.md", config=config, **kw)]


def found(text: str, **kw) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in check(text, **kw)]


def test_clean_note_quotes_are_silent(clean_text):
    # verbatim multi-sentence quotes, at their times, highlight and Surprising Quotes alike
    assert check(clean_text) == []


# ------------------------------------------------------------------ NC501: words


@pytest.mark.parametrize("quote", [
    # one sentence skipped ("People think of soil ..." is said before, "Soil is ..." between)
    '> "People think of soil as something that is just there. You can lose an inch of topsoil in one bad winter."',
    # an ellipsis marks the cut
    '> "Soil is the slowest technology we have... It takes a hundred years to build it back."',
    '> "Soil is the slowest technology we have \u2026 it takes a hundred years to build it back."',
    # a bracketed insertion, and a bracket inside a word
    '> "[Topsoil] takes a hundred years to build it back."',
    '> "[T]he slowest technology we have."',
    # curly quotes, dashes and case do not matter
    '> \u201cSOIL is the slowest technology we have -- you can lose an inch of topsoil in one bad winter.\u201d',
    # a quote running on into the next paragraph (4:10)
    '> "It takes a hundred years to build it back. So when a farmer asks me what to do this season, '
    'I always say the answer depends on what the last thirty seasons did."',
])
def test_verbatim_shapes_are_silent(clean_text, quote):
    text = clean_text.replace(SOIL_QUOTE, quote, 1)
    assert text != clean_text
    # the 4:10 sentence lies after this highlight's clip (1:35-2:40): widen the clip for that case
    text = text.replace('"*1:35-2:40"', '"*1:35-4:30"', 1)
    assert check(text) == []


def test_multi_line_quote_is_silent_and_a_wrong_second_line_is_reported_on_it(clean_text):
    two_lines = ('> "Soil is the slowest technology we have.\n'
                 '> You can lose an inch of topsoil in one bad winter."')
    assert check(clean_text.replace(SOIL_QUOTE, two_lines, 1)) == []
    wrong = two_lines.replace("one bad winter", "a single dry summer")
    text = clean_text.replace(SOIL_QUOTE, wrong, 1)
    assert found(text) == [("NC501", line_of(text, "> You can lose"))]


def test_dialogue_quote_is_silent(clean_text):
    dialogue = '> "Thank you, Maria."\n> "Thank you, it was a pleasure."'
    assert check(clean_text.replace(FUNGI_QUOTE, dialogue, 1)
                 .replace(FUNGI_LINK, "> -- [1:05:30](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=3930s)", 1)) == []


def test_paraphrase_is_a_warning_naming_the_closest_text_and_time(clean_text):
    text = clean_text.replace("and wait a full year before you judge it.\"\n> --",
                              "and wait a whole year before you judge it.\"\n> --", 1)
    diags = check(text)
    assert [(d.code, d.line, d.severity) for d in diags] == [
        ("NC501", line_of(text, "a whole year"), "warning")]
    msg = diags[0].message
    # what differs, not two look-alike excerpts
    assert msg.endswith('"whole" where the transcript says "full" (95% alike at 25:10)'), msg
    # the column points at the sentence that differs, not at the start of the quote
    line = text.splitlines()[diags[0].line - 1]
    assert line[diags[0].column - 1:].startswith("Then change one thing")


def test_paraphrase_becomes_an_error_under_a_stricter_threshold(clean_text):
    text = clean_text.replace("wait a full year before you judge it.\"\n> --",
                              "wait a whole year before you judge it.\"\n> --", 1)
    strict = Config(select=("NC5",), quote_similarity=0.99)
    assert [(d.code, d.severity) for d in check(text, strict)] == [("NC501", "error")]


def test_invented_sentence_is_an_error(clean_text):
    invented = '> "The fungi are doing the plumbing. Nobody should ever buy a bag of fertilizer again."'
    text = clean_text.replace(FUNGI_QUOTE, invented, 1)
    diags = check(text)
    assert [(d.code, d.line, d.severity) for d in diags] == [("NC501", line_of(text, invented), "error")]
    assert "1 of 2 sentences" in diags[0].message
    assert "Nobody should ever buy" in diags[0].message


def test_invented_quote_without_any_time_is_still_reported(clean_text):
    invented = '> "Compost is a lie the garden centres tell you."'
    text = clean_text.replace(FUNGI_QUOTE + "\n" + FUNGI_LINK, invented + "\n> -- Maria Lopez", 1)
    assert found(text) == [("NC501", line_of(text, invented))]


def test_aside_block_quote_that_is_not_speech_is_silent(clean_text):
    aside = "> Note: the audio drops out for a few seconds here.\n\n"
    text = clean_text.replace("## Key Points", aside + "## Key Points", 1)
    assert check(text) == []


def test_note_without_transcript_is_silent(clean_text):
    text = clean_text[:clean_text.index("## Transcript")]
    assert check(text) == []


# ------------------------------------------------------------------ NC502: time


def test_quote_cited_ten_minutes_off(clean_text):
    off = "> -- [31:30](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=1890s)"
    text = clean_text.replace(FUNGI_LINK, off, 1)
    diags = check(text)
    assert [(d.code, d.line) for d in diags] == [("NC502", line_of(text, off))]
    assert diags[0].message == "quote is at 41:30, cited 31:30"


def test_citation_inside_the_covering_paragraph_is_silent(clean_text):
    # paragraph 41:30 runs to 48:15; a citation at 43:00 still points into it
    near = "> -- [43:00](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=2580s)"
    assert check(clean_text.replace(FUNGI_LINK, near, 1)) == []


def test_citation_just_before_the_paragraph_is_reported(clean_text):
    early = "> -- [41:20](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=2480s)"
    text = clean_text.replace(FUNGI_LINK, early, 1)
    assert found(text) == [("NC502", line_of(text, early))]


def test_highlight_quote_cited_off_is_reported_at_its_attribution(clean_text):
    old = "> -- Maria Lopez, [25:10](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=1510s)"
    new = "> -- Maria Lopez, [15:10](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=910s)"
    text = clean_text.replace(old, new, 1)
    diags = check(text)
    assert [(d.code, d.line) for d in diags] == [("NC502", line_of(text, new))]
    assert diags[0].message == "quote is at 25:10, cited 15:10"


def test_highlight_quote_running_past_the_clip_end(clean_text):
    longer = SOIL_QUOTE[:-1] + (' So when a farmer asks me what to do this season, I always say the answer '
                                'depends on what the last thirty seasons did."')
    text = clean_text.replace(SOIL_QUOTE, longer, 1)
    diags = check(text)
    assert [(d.code, d.line) for d in diags] == [("NC502", line_of(text, longer))]
    assert "is at 4:10, after the clip ends (2:40)" in diags[0].message
    # near miss: a clip that reaches 4:10 holds the whole quote
    assert check(text.replace('"*1:35-2:40"', '"*1:35-4:30"', 1)) == []


def test_surprising_quote_spliced_from_far_away_is_reported(clean_text):
    spliced = '> "The fungi are doing the plumbing. The word was never the point; the soil was the point."'
    text = clean_text.replace(FUNGI_QUOTE, spliced, 1)
    diags = check(text)
    assert [(d.code, d.line) for d in diags] == [("NC502", line_of(text, spliced))]
    assert "is at 1:02:00, cited 41:30" in diags[0].message


def test_quote_joining_the_next_paragraph_is_silent(clean_text):
    joined = ('> "The fungi are doing the plumbing. The roots get the credit. When you plough, '
              'you cut those threads."')
    assert check(clean_text.replace(FUNGI_QUOTE, joined, 1)) == []


def test_broken_link_takes_its_time_from_the_label(clean_text):
    # label and t= disagree: NC301's finding; the label (41:30) is right, so NC502 stays silent
    mismatch = "> -- [41:30](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=1890s)"
    assert check(clean_text.replace(FUNGI_LINK, mismatch, 1)) == []
    # a malformed label: the time comes from t=
    malformed = "> -- [41:3](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=2490s)"
    assert check(clean_text.replace(FUNGI_LINK, malformed, 1)) == []


def test_partly_paraphrased_quote_cited_off_is_placed_by_its_verbatim_sentence(clean_text):
    # one sentence paraphrased (NC501), the other verbatim: it places the quote at 41:30 (NC502)
    text = clean_text.replace(FUNGI_QUOTE, '> "The fungi do the plumbing. The roots get the credit."', 1)
    text = text.replace(FUNGI_LINK, "> -- [31:30](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=1890s)", 1)
    assert [(d.code, d.message) for d in check(text) if d.code == "NC502"] == [
        ("NC502", "quote is at 41:30, cited 31:30")]
    assert [d.code for d in check(text)] == ["NC501", "NC502"]
    # nothing verbatim: nothing places it, NC501 alone
    text = text.replace("The roots get the credit.", "The roots take the credit.", 1)
    assert [d.code for d in check(text)] == ["NC501"]


def test_suppression_comment_silences_the_quote(clean_text):
    text = clean_text.replace(FUNGI_LINK, "> -- [31:30](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=1890s)", 1)
    text = text.replace(FUNGI_QUOTE, "<!-- notecheck: disable=NC502 -->\n" + FUNGI_QUOTE, 1)
    # the finding is on the attribution line, one line below the comment's target: still reported
    assert [d.code for d in check(text)] == ["NC502"]
    text = text.replace("disable=NC502", "disable-file=NC502", 1)
    assert check(text) == []


# ------------------------------------------------------------------ sidecar words


def _sidecar_from(clean_text: str, replace: tuple[str, str] | None = None) -> Sidecar:
    note = notecheck.parse(clean_text)
    segments = []
    for para in note.transcript:
        words = para.text if replace is None else para.text.replace(*replace)
        segments.append(Segment(int(para.link.t_text.rstrip("s")), "Maria Lopez", words))
    return Sidecar("aBcD3fGh1jK.json", segments, 4000.0)


def test_sidecar_words_are_the_source(clean_text):
    # the note's transcript has the quote, the source words do not: NC501
    sidecar = _sidecar_from(clean_text, ("The roots get the credit.", "The roots get all the praise."))
    text = clean_text
    assert found(text, sidecar=sidecar) == [("NC501", line_of(text, FUNGI_QUOTE))]
    assert found(text, sidecar=_sidecar_from(clean_text)) == []


def test_broken_sidecar_falls_back_to_the_transcript(clean_text):
    sidecar = _sidecar_from(clean_text, ("The roots get the credit.", "The roots get all the praise."))
    sidecar.error = "not valid JSON"
    assert found(clean_text, sidecar=sidecar) == []


# ------------------------------------------------------------------ the real sample


@pytest.mark.skipif(not (SAMPLES / "lXUZvyajciY.md").is_file(), reason="shared sample not present")
def test_real_sample_findings():
    text = (SAMPLES / "lXUZvyajciY.md").read_text(encoding="utf-8")
    diags = check(text)
    got = {(d.code, d.line) for d in diags}
    # misquotes (paraphrased or invented sentences)
    for needle in ("In reinforcement learning, you try hundreds", "Post-AGI education is fun. We don't",
                   "LLMs are very good at memorization", "Go to any LLM", "When you read someone's paper",
                   "If you're doing vibe coding"):
        assert ("NC501", line_of(text, needle)) in got, needle
    # verbatim, but cited 25:40 while said at 15:40; and a sentence from after the clip end
    assert ("NC502", line_of(text, "> -- Andrej Karpathy, [25:40]")) in got
    assert ("NC502", line_of(text, "With AI we're going to see the exact same thing")) in got
    # verbatim at their time (one with a skipped sentence, one across two paragraphs): silent
    for needle in ("We're building ghosts or spirits", "I had a very early demo of Waymo",
                   "I think in 20 years, you can have"):
        assert not any(line == line_of(text, needle) for _, line in got), needle
    assert len(diags) == 8


@pytest.mark.parametrize("inline", [
    '> "The fungi are doing the plumbing. The roots get the credit." \u2014 Maria Lopez, {link}',
    '> "The fungi are doing the plumbing. The roots get the credit." ({link})',
])
def test_attribution_on_the_quote_line(clean_text, inline):
    ok = inline.format(link="[41:30](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=2490s)")
    assert check(clean_text.replace(FUNGI_QUOTE + "\n" + FUNGI_LINK, ok, 1)) == []
    off = inline.format(link="[31:30](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=1890s)")
    text = clean_text.replace(FUNGI_QUOTE + "\n" + FUNGI_LINK, off, 1)
    assert [(d.code, d.message) for d in check(text)] == [("NC502", "quote is at 41:30, cited 31:30")]


def test_markdown_link_inside_a_quote_counts_as_its_label(clean_text):
    linked = '> "The [fungi](https://en.wikipedia.org/wiki/Mycorrhiza) are doing the plumbing."'
    assert check(clean_text.replace(FUNGI_QUOTE, linked, 1)) == []


# ------------------------------------------------------------------ message pieces (exact text)


def test_describe_changes_names_each_kind_and_counts_the_rest():
    from notecheck.quotematch import WordChange
    from notecheck.rules.quotes import describe_changes

    changed = WordChange("changed", "terrible", "bad")
    added = WordChange("added", "really", "")
    left = WordChange("left out", "", "you're given a problem")
    assert describe_changes((changed, added, left)) == (
        '"terrible" where the transcript says "bad", "really" added, "you\'re given a problem" left out')
    assert describe_changes((changed, added, left, changed)) == (
        '"terrible" where the transcript says "bad", "really" added, "you\'re given a problem" left out and 1 more')
    long = "w" * 41
    assert describe_changes((WordChange("added", long, ""),)) == f'"{"w" * 39}\u2026" added'
    assert describe_changes((WordChange("left out", "", "x" * 40),)) == f'"{"x" * 40}" left out'


def _miss(text: str, similarity: float, changes, closest: str = "the closest text"):
    from notecheck.quotematch import SentenceMatch

    return SentenceMatch(0, len(text), text, False, 0, similarity, closest, 0, 1, 2, tuple(changes))


@pytest.mark.parametrize(("similarity", "changed_words", "named"), [
    (0.6, 2, True),  # exactly CHANGES_FROM, and half of the 4 words shared (SHARED_WORDS_FROM)
    (0.59, 2, False),
    (0.6, 3, False),  # a quarter shared
])
def test_a_miss_names_word_changes_only_when_it_is_a_variant_of_the_closest_text(similarity, changed_words, named):
    from notecheck.quotematch import Passage, QuoteIndex, WordChange
    from notecheck.rules.quotes import _sentence_report

    index = QuoteIndex([Passage(0, 60, "one two three four")])
    quote = " ".join(["alpha", "beta", "gamma"][:changed_words])
    text = quote + " three four" if changed_words < 3 else quote + " four"
    report = _sentence_report(index, _miss(text, similarity, [WordChange("changed", quote, "one two")]))
    if named:
        assert report == f'"{quote}" where the transcript says "one two" ({int(similarity * 100)}% alike at 0:00)'
    else:
        assert report.startswith("nothing close in the transcript (best")
    assert _sentence_report(index, _miss(text, 0.9, [], closest=None)) == "nothing similar in the transcript"


def test_neighbours_widen_the_cited_window_by_one_passage_each_way():
    from notecheck.quotematch import Passage
    from notecheck.rules.quotes import _neighbours

    passages = [Passage(s, None, "x") for s in (0, 60, 60, 120, 180, 240)]
    starts = sorted({p.start for p in passages})  # as repair.window_starts gives them

    class P:
        window = (60, 120)

    assert _neighbours(starts, P) == (0, 180)
    P.window = (0, 60)
    assert _neighbours(starts, P) == (0, 120)
    P.window = (180, 240)
    assert _neighbours(starts, P)[0] == 120 and _neighbours(starts, P)[1] == float("inf")
    P.window = (240, float("inf"))
    assert _neighbours(starts, P) == (180, float("inf"))


def test_without_nc501_no_closest_text_is_looked_for(clean_text, monkeypatch):
    # NC501 alone reads a misquoted sentence's closest text: with it ignored the search is not run
    from notecheck.quotematch import QuoteIndex

    calls = []
    closest = QuoteIndex._closest_text
    monkeypatch.setattr(QuoteIndex, "_closest_text", lambda self, *a: calls.append(a) or closest(self, *a))
    text = clean_text.replace("The roots get the credit.", "The roots take the credit.", 1)
    assert check(text, Config(select=("NC4", "NC502", "NC6"))) == [] and calls == []
    assert [d.code for d in check(text)] == ["NC501"] and len(calls) == 1
