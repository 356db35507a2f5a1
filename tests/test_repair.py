"""NC501's unsafe fix: a misquoted sentence put back in the transcript's words (notecheck.repair).

Each fix test takes the clean note, misquotes one sentence the way notes do, and compares the
text ``fix --unsafe-fixes`` writes with the exact text expected (mostly the clean note again);
the near misses must come back untouched, with their NC501 report-only.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

import notecheck
from conftest import run_cli
from notecheck.config import Config
from notecheck.fixer import fix_text
from notecheck.note import parse
from notecheck.quotematch import SentenceMatch
from notecheck.repair import SHORT_GAP, clearly_closest
from notecheck.timeline import checked_quotes

URL = "https://www.youtube.com/watch?v=aBcD3fGh1jK"
MEASURE = "Then change one thing at a time, and wait a full year before you judge it."
SOIL_QUOTE = ('> "Soil is the slowest technology we have. You can lose an inch of topsoil in one bad winter. '
              'It takes a hundred years to build it back."')
FUNGI_QUOTE = '> "The fungi are doing the plumbing. The roots get the credit."'
FUNGI_LINK = f"> -- [41:30]({URL}&t=2490s)"
DIALOGUE_LINK = f"> -- [1:05:30]({URL}&t=3930s)"


def misquote(text: str, right: str, wrong: str) -> str:
    """``text`` with the quote's ``right`` words replaced by ``wrong`` (in the quote, not the transcript)."""
    at = text.index(right)
    assert at < text.index("## Transcript"), right
    return text[:at] + wrong + text[at + len(right):]


def nc501(text: str, config: Config | None = None):
    diags = [d for d in notecheck.check_text(text, path="note.md", config=config or Config()) if d.code == "NC501"]
    assert len(diags) == 1, diags
    return diags[0]


def assert_repaired(text: str, expected: str, title: str, config: Config | None = None) -> None:
    """NC501 offers an unsafe fix titled ``title`` that turns ``text`` into ``expected`` exactly, and no more."""
    config = config or Config()
    diag = nc501(text, config)
    assert diag.fix is not None and diag.fix.applicability == "unsafe"
    assert diag.fix.description == title
    result = fix_text(text, config, unsafe=True)
    assert result.text == expected
    assert [d.code for d in result.applied] == ["NC501"]
    # nothing new appears: what remains is what the expected note has
    assert [(d.code, d.message) for d in result.remaining] == \
        [(d.code, d.message) for d in notecheck.check_text(expected, path="note.md", config=config)]
    assert fix_text(result.text, config, unsafe=True).text == result.text  # a second run changes nothing
    assert fix_text(text, config).text == text  # never without --unsafe-fixes


def assert_not_repaired(text: str, config: Config | None = None) -> None:
    config = config or Config()
    assert nc501(text, config).fix is None
    assert fix_text(text, config, unsafe=True).text == text


def with_transcript(text: str, old: str, new: str) -> str:
    """``text`` with transcript words ``old`` (after the Transcript heading) replaced by ``new``."""
    at = text.index(old, text.index("## Transcript"))
    return text[:at] + new + text[at + len(old):]


def surprising(text: str, quote: str, seconds: int, label: str) -> str:
    """``text`` with one more quote in Surprising Quotes, citing ``label``."""
    block = f"{quote}\n> -- Maria Lopez, [{label}]({URL}&t={seconds}s)\n\n## Transcript"
    return text.replace("## Transcript", block, 1)


# ------------------------------------------------------------------ what the fix writes


def test_a_changed_word_takes_the_transcripts_word(clean_text):
    text = misquote(clean_text, "wait a full year", "wait a whole year")
    assert nc501(text).message.endswith('"whole" where the transcript says "full" (95% alike at 25:10)')
    assert_repaired(text, clean_text, 'quote the transcript: "a whole year" \u2192 "a full year"')


def test_an_added_word_goes(clean_text):
    text = misquote(clean_text, "You can lose an inch", "You can easily lose an inch")
    assert_repaired(text, clean_text, 'quote the transcript: "can easily lose" \u2192 "can lose"')


def test_a_dropped_word_comes_back(clean_text):
    text = misquote(clean_text, "The roots get the credit.", "The roots get credit.")
    assert_repaired(text, clean_text, 'quote the transcript: "get credit" \u2192 "get the credit"')


def test_a_gap_of_three_words_comes_back_with_the_transcripts_punctuation(clean_text):
    # "no-till fields" is three words (no, till, fields): the longest gap restored
    assert SHORT_GAP == 3
    quote = '> "We compare tilled fields and cover-cropped fields, side by side, on the same slope."'
    expected = surprising(clean_text, quote.replace("fields and", "fields, no-till fields and"), 500, "8:20")
    text = surprising(clean_text, quote, 500, "8:20")
    assert_repaired(text, expected, 'quote the transcript: "tilled fields" \u2192 "tilled fields, no-till fields"')


def test_a_dropped_clause_of_four_words_becomes_an_ellipsis(clean_text):
    # "the ones I find" is four words: past SHORT_GAP, the cut is marked, not filled in
    quote = '> "Bacteria get most of the attention, but the fungi are most beautiful."'
    text = surprising(clean_text, quote, 2270, "37:50")
    expected = surprising(clean_text, quote.replace("are most", "are ... most"), 2270, "37:50")
    assert_repaired(text, expected, 'quote the transcript: "are most" \u2192 "are ... most"')
    assert nc501(text).message.endswith('"the ones I find" left out (89% alike at 37:50)')


def test_the_ellipsis_is_written_in_the_notes_style(clean_text):
    # the note writes its cuts as an unspaced "…": so does the fix
    note = clean_text.replace('> "A handful of healthy soil holds more living things than there are people on Earth. '
                              'We walk on it like it is a parking lot."',
                              '> "A handful of healthy soil holds more living things\u2026 We walk on it like it is '
                              'a parking lot."', 1)
    quote = '> "Bacteria get most of the attention, but the fungi are most beautiful."'
    text = surprising(note, quote, 2270, "37:50")
    expected = surprising(note, quote.replace("are most", "are\u2026 most"), 2270, "37:50")
    assert_repaired(text, expected, 'quote the transcript: "are most" \u2192 "are\u2026 most"')


def test_fillers_in_the_transcript_stay_out_and_the_quotes_own_stay(clean_text):
    note = with_transcript(clean_text, "Then change one thing at a time,", "Then change one thing, um, at a -- a time,")
    note = with_transcript(note, "and wait a full year", "and, you know, wait a full year")
    text = misquote(note, "Then change one thing at a time, and", "Then change, uh, one thing, and")
    expected = misquote(note, "Then change one thing at a time, and", "Then change, uh, one thing at a time, and")
    assert_repaired(text, expected, 'quote the transcript: "thing, and" \u2192 "thing at a time, and"')


def test_a_sentence_running_on_into_the_next_paragraph(clean_text):
    # the transcript breaks "It takes a hundred years | to build it back." over two paragraphs
    note = with_transcript(clean_text, "It takes a hundred years to build it back.\n",
                           f"It takes a hundred years\n\n[2:20]({URL}&t=140s) to build it back.\n")
    assert notecheck.check_text(note, path="note.md") == []
    text = misquote(note, "It takes a hundred years to build it back.", "It takes a hundred to build back.")
    assert_repaired(text, note, 'quote the transcript: "hundred to" \u2192 "hundred years to"; '
                                '"build back" \u2192 "build it back"')


def test_curly_quotes_and_apostrophes_are_kept(clean_text):
    note = with_transcript(clean_text, "I am not against ploughing in every case. Sometimes you have no other way",
                           "I'm not against ploughing in every case. Sometimes you don't have any other way")
    quote = ("> \u201cI\u2019m not against ploughing in every case. "
             "Sometimes you have any other way to deal with weeds.\u201d")
    text = surprising(note, quote, 3300, "55:00")
    expected = surprising(note, quote.replace("you have", "you don\u2019t have"), 3300, "55:00")
    assert_repaired(text, expected, 'quote the transcript: "you have" \u2192 "you don\u2019t have"')


def test_straight_quotes_and_the_notes_dashes_are_kept(clean_text):
    # the transcript writes an em dash, the note "--": the words put back take the note's
    note = with_transcript(clean_text, "The word was never the point; the soil was the point.",
                           "The word was never the point \u2014 the soil was the point.")
    text = misquote(note, "The word was never the point; the soil was the point.",
                    "The word was never the point -- soil was the point.")
    expected = misquote(note, "The word was never the point; the soil was the point.",
                        "The word was never the point -- the soil was the point.")
    assert_repaired(text, expected, 'quote the transcript: "point -- soil" \u2192 "point -- the soil"')


def test_the_sentences_first_letter_keeps_its_case(clean_text):
    text = misquote(clean_text, '> "Soil is the slowest', '> "Honestly, soil is the slowest')
    assert_repaired(text, clean_text, 'quote the transcript: "Honestly, soil" \u2192 "Soil"')


def test_a_quote_beginning_mid_sentence_keeps_its_beginning(clean_text):
    # left-out words before the quote's first word stay out: a quote may begin anywhere
    quote = '> "the no-till plots lost less water in summer, even in the dry years."'
    text = surprising(clean_text, quote, 775, "12:55")
    expected = surprising(clean_text, quote.replace("the dry", "the driest"), 775, "12:55")
    assert_repaired(text, expected, 'quote the transcript: "the dry years" \u2192 "the driest years"')


def test_words_changed_at_the_start_pair_with_the_transcripts_first_words(clean_text):
    # the closest stretch leaves out "The": the sentence's start is looked for, and "These" pairs with it
    quote = '> "These no-till plots lost less water in summer, even in the driest years."'
    text = surprising(clean_text, quote, 775, "12:55")
    expected = surprising(clean_text, quote.replace("These", "The"), 775, "12:55")
    assert_repaired(text, expected, 'quote the transcript: "These no-till" \u2192 "The no-till"')


def test_a_changed_word_at_the_sentences_end(clean_text):
    text = misquote(clean_text, "to build it back.", "to build it up.")
    assert_repaired(text, clean_text, 'quote the transcript: "it up" \u2192 "it back"')


def test_an_added_word_at_the_sentences_end_goes_where_the_speakers_sentence_ends(clean_text):
    text = misquote(clean_text, "The roots get the credit.", "The roots get the credit again.")
    assert_repaired(text, clean_text, 'quote the transcript: "credit again" \u2192 "credit"')


def test_an_added_word_at_the_end_of_a_sentence_that_goes_on_is_not_touched(clean_text):
    # the speaker's sentence goes on for nine more words: was "honestly" added, or did it
    # stand for the rest? a person decides
    quote = '> "So when a farmer asks me what to do this season, I always say honestly."'
    assert_not_repaired(surprising(clean_text, quote, 250, "4:10"))


def test_an_added_word_after_a_comma_takes_the_transcripts_punctuation(clean_text):
    text = misquote(clean_text, "and wait a full year", "and then wait a full year")
    assert_repaired(text, clean_text, 'quote the transcript: "and then wait" \u2192 "and wait"')


def test_words_of_the_sentence_before_are_not_pulled_in(clean_text):
    # the transcript has "... just there. Soil is ...": the quote's "Just so," is its own, not "just there."
    text = misquote(clean_text, '> "Soil is the slowest', '> "Just so, soil is the slowest')
    assert_repaired(text, clean_text, 'quote the transcript: "Just so, soil" \u2192 "Soil"')


def test_words_of_the_sentence_after_are_not_pulled_in(clean_text):
    # "... we have. You can lose ...": the quote's ", you see" is its own, not "You can"
    text = misquote(clean_text, "technology we have. You can", "technology we have, you see. You can")
    assert_repaired(text, clean_text, 'quote the transcript: "have, you see" \u2192 "have"')


def test_a_compound_written_apart_is_no_difference_and_stays(clean_text):
    note = with_transcript(clean_text, "Bacteria get most of the attention,", "Bacteria get most of the attention at DeepMind,")
    quote = '> "Bacteria get most of the attention at Deep Mind, but the fungi are the ones I find beautiful."'
    text = surprising(note, quote, 2270, "37:50")
    expected = surprising(note, quote.replace("find beautiful", "find most beautiful"), 2270, "37:50")
    assert_repaired(text, expected, 'quote the transcript: "find beautiful" \u2192 "find most beautiful"')


def test_the_occurrence_nearest_the_cited_time_is_the_one_repaired(clean_text):
    # the opening sentence is said in a teaser at 0:00 too: the quote is still placed at 1:35
    note = with_transcript(clean_text, "Welcome back to Field Notes.",
                           "Soil is the slowest technology we have. Welcome back to Field Notes.")
    assert notecheck.check_text(note, path="note.md") == []
    text = misquote(note, "You can lose an inch", "You can easily lose an inch")
    assert_repaired(text, note, 'quote the transcript: "can easily lose" \u2192 "can lose"')


def test_a_finding_that_stays_does_not_stop_the_repair(clean_text):
    # NC502 (the fungi quote cited ten minutes off) is there before and after: nothing new
    note = clean_text.replace(FUNGI_LINK, f"> -- [31:30]({URL}&t=1890s)", 1)
    text = misquote(note, "wait a full year", "wait a whole year")
    assert sorted(d.code for d in notecheck.check_text(text, path="note.md")) == ["NC501", "NC502"]
    assert nc501(text).fix is not None
    result = fix_text(text, Config(select=("NC501",)), unsafe=True)
    assert result.text == note


def test_a_multi_line_quote_keeps_its_lines_and_prefixes(clean_text):
    two_lines = ('> "Soil is the slowest technology we have. You can lose an inch\n'
                 '> of topsoil in one bad winter. It takes a hundred years to build it back."')
    note = clean_text.replace(SOIL_QUOTE, two_lines, 1)
    assert notecheck.check_text(note, path="note.md") == []
    # a changed word on the second line, an added one on the first
    text = misquote(note, "in one bad winter", "in one harsh winter").replace("You can lose", "You can easily lose", 1)
    assert_repaired(text, note, 'quote the transcript: "can easily lose" \u2192 "can lose"; '
                                '"one harsh winter" \u2192 "one bad winter"')


def test_a_word_left_out_at_a_line_break_comes_back_without_crossing_the_prefix(clean_text):
    two_lines = ('> "Soil is the slowest technology we have. You can lose an inch\n'
                 '> of topsoil in one bad winter. It takes a hundred years to build it back."')
    note = clean_text.replace(SOIL_QUOTE, two_lines, 1)
    text = misquote(note, "an inch\n> of topsoil", "an inch\n> topsoil")
    diag = nc501(text)
    lines = {text[:e.start].count("\n") for e in diag.fix.edits}
    assert len(lines) == 1  # one line edited: the "> " prefix is never inside an edit
    assert all(text[e.start:e.end] == "" for e in diag.fix.edits)
    assert_repaired(text, note, 'quote the transcript: "inch topsoil" \u2192 "inch of topsoil"')


@pytest.mark.parametrize("layout", ["lines", "one line"])
def test_a_dialogue_quote(clean_text, layout):
    sep = "\n> " if layout == "lines" else " "
    dialogue = f'> "Thank you, Maria."{sep}"Thank you, it was a pleasure."'
    note = clean_text.replace(FUNGI_QUOTE + "\n" + FUNGI_LINK, dialogue + "\n" + DIALOGUE_LINK, 1)
    assert notecheck.check_text(note, path="note.md") == []
    text = misquote(note, "it was a pleasure", "it was a real pleasure")
    assert_repaired(text, note, 'quote the transcript: "a real pleasure" \u2192 "a pleasure"')


def test_crlf_note(clean_text):
    crlf = clean_text.replace("\n", "\r\n")
    text = misquote(crlf, "wait a full year", "wait a whole year")
    assert_repaired(text, crlf, 'quote the transcript: "a whole year" \u2192 "a full year"')


def test_two_sentences_of_one_quote_are_repaired_together(clean_text):
    text = misquote(clean_text, "You can lose an inch", "You can easily lose an inch")
    text = misquote(text, "hundred years to build", "thousand years to build")
    assert_repaired(text, clean_text, 'quote the transcript: "can easily lose" \u2192 "can lose"; '
                                      '"a thousand years" \u2192 "a hundred years"')


def test_sidecar_words_are_the_source(clean_text, tmp_path):
    # the sidecar (the words the note was written from) says "one full year": the fix quotes it
    from notecheck.quotematch import passages_from_transcript

    segments = [{"timestamp": f"00:{p.start // 60:02d}:{p.start % 60:02d}" if p.start < 3600 else
                 f"01:{(p.start - 3600) // 60:02d}:{p.start % 60:02d}", "speaker": "Maria Lopez",
                 "text": p.text.replace("a full year", "one full year")}
                for p in passages_from_transcript(parse(clean_text))]
    (tmp_path / "aBcD3fGh1jK.json").write_text(json.dumps(
        {"video_id": "aBcD3fGh1jK", "duration": 4000, "full_transcript": segments}), encoding="utf-8")
    note = tmp_path / "aBcD3fGh1jK.md"
    note.write_text(clean_text, encoding="utf-8")
    code, out, _ = run_cli("check", "--output-format", "concise", str(note))
    assert '"a" where the transcript says "one"' in out
    code, out, _ = run_cli("fix", "--unsafe-fixes", str(note))
    assert code == 0, out
    assert note.read_text(encoding="utf-8") == misquote(clean_text, "wait a full year", "wait one full year")


# ------------------------------------------------------------------ near misses: report only


def test_a_paraphrase_below_the_threshold_is_not_touched(clean_text):
    text = misquote(clean_text, "You can lose an inch of topsoil in one bad winter.",
                    "A single dry summer can strip an inch of topsoil.")
    assert nc501(text).severity == "error"
    assert_not_repaired(text)


def test_offered_at_the_threshold_and_not_above_it(clean_text):
    text = misquote(clean_text, "wait a full year", "wait a whole year")
    note = parse(text)
    ctx = SimpleNamespace(config=Config(), sidecar=None)
    similarity = next(s.similarity for cq in checked_quotes(note, ctx) for s in cq.match.sentences if not s.found)
    assert similarity == 0.952
    assert nc501(text, Config(quote_similarity=0.952)).fix is not None
    assert_not_repaired(text, Config(quote_similarity=0.953))


def _sentence(similarity: float, runner_up: float) -> SentenceMatch:
    return SentenceMatch(0, 10, "x", False, 0, similarity, "y", 0, 1, 5, runner_up=runner_up)


@pytest.mark.parametrize("similarity, runner_up, clear", [
    (0.9, 0.8, True),  # the next candidate twice as far (0.2 vs 0.1): clear
    (0.9, 0.801, False),  # a thousandth closer: not
    (0.95, 0.9, True),
    (0.95, 0.901, False),
    (0.9, 0.0, True),  # nothing else alike
    (0.799, 0.0, False),  # below quote-similarity
    (0.8, 0.6, True),  # at quote-similarity
])
def test_clearly_closest_boundary(similarity, runner_up, clear):
    assert clearly_closest(_sentence(similarity, runner_up), 0.8) is clear


def test_clearly_closest_needs_a_sentence_not_found_with_a_closest_stretch():
    found = SentenceMatch(0, 10, "x", True, 0, 1.0, None, 0, 1, 5)
    nowhere = SentenceMatch(0, 10, "x", False, None, 0.9, None, None, None, None)
    assert not clearly_closest(found, 0.8)
    assert not clearly_closest(nowhere, 0.8)


@pytest.mark.parametrize("said_again", [MEASURE, MEASURE.replace("a full year", "a long year")])
def test_two_equally_close_passages_are_not_touched(clean_text, said_again):
    # the speaker says it twice (or a sentence as close): which one the note meant is a person's call
    note = with_transcript(clean_text, "what the last thirty seasons did.", "what the last thirty seasons did. "
                           + said_again)
    text = misquote(note, "wait a full year", "wait a whole year")
    assert_not_repaired(text)


def test_a_sentence_whose_closest_passage_is_elsewhere_than_the_rest_of_the_quote(clean_text):
    # its first sentence is said at 1:35, the second (misquoted) at 25:10: spliced, not repaired
    spliced = '> "Soil is the slowest technology we have. ' + MEASURE.replace("a full", "a whole") + '"'
    text = clean_text.replace(SOIL_QUOTE, spliced, 1)
    assert_not_repaired(text)


def test_a_single_sentence_quote_cited_elsewhere_is_not_touched(clean_text):
    quote = '> "The roots get credit."'
    assert_not_repaired(surprising(clean_text, quote, 95, "1:35"))


def test_a_repair_that_would_bring_a_new_finding_is_not_offered(clean_text):
    # cited one paragraph early: the words are in "the next paragraph", but once repaired the
    # quote is placed by them and NC502 would say it is cited at the wrong time
    quote = '> "When you plough, you cut threads."'
    text = surprising(clean_text, quote, 2490, "41:30")
    assert [d.code for d in notecheck.check_text(text, path="note.md")] == ["NC501"]
    assert_not_repaired(text)
    # cited right, it is repaired
    right = surprising(clean_text, quote, 2895, "48:15")
    expected = surprising(clean_text, quote.replace("cut threads", "cut those threads"), 2895, "48:15")
    assert_repaired(right, expected, 'quote the transcript: "cut threads" \u2192 "cut those threads"')


def test_a_quote_with_an_invented_sentence_as_well_is_not_touched(clean_text):
    text = misquote(clean_text, "The roots get the credit.",
                    "The roots get credit. Nobody should ever buy a bag of fertilizer again.")
    assert_not_repaired(text)


def test_a_sentence_with_a_link_is_not_touched(clean_text):
    text = misquote(clean_text, "The roots get the credit.", f"The [roots]({URL}&t=2490s) get credit.")
    assert_not_repaired(text)


# ------------------------------------------------------------------ through the command line


def test_check_json_and_fix_diff_through_the_command_line(clean_text, tmp_path):
    path = tmp_path / "aBcD3fGh1jK.md"
    text = misquote(clean_text, "wait a full year", "wait a whole year")
    path.write_text(text, encoding="utf-8")
    code, out, _ = run_cli("check", "--output-format", "json", str(path))
    assert code == 0  # a warning
    (finding,) = json.loads(out)
    assert finding["code"] == "NC501" and finding["fixable"] is True
    assert finding["fix"]["applicability"] == "unsafe"
    assert finding["fix"]["description"] == 'quote the transcript: "a whole year" \u2192 "a full year"'
    code, out, _ = run_cli("fix", "--unsafe-fixes", "--diff", str(path))
    assert code == 1
    assert '-> "Measure before you change anything. Then change one thing at a time, and wait a whole year' in out
    assert '+> "Measure before you change anything. Then change one thing at a time, and wait a full year' in out
    assert path.read_text(encoding="utf-8") == text  # --diff writes nothing
    code, out, _ = run_cli("fix", str(path))  # safe fixes only: the quote stays
    assert path.read_text(encoding="utf-8") == text
    assert "--unsafe-fixes" in out
    code, out, _ = run_cli("fix", "--unsafe-fixes", str(path))
    assert code == 0
    assert path.read_text(encoding="utf-8") == clean_text
    code, out, _ = run_cli("fix", "--unsafe-fixes", str(path))
    assert path.read_text(encoding="utf-8") == clean_text
