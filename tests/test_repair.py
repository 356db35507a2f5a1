"""NC501's unsafe fix: a misquoted sentence put back in the transcript's words (notecheck.repair).

Each fix test takes the clean note, misquotes one sentence the way notes do, and compares the
text ``fix --unsafe-fixes`` writes with the exact text expected (mostly the clean note again);
the near misses must come back untouched, with their NC501 report-only.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

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


def test_a_word_dropped_between_two_alike_is_put_back_between_them(clean_text):
    # "tilled fields, no-till fields" without "no-till" reads "fields, fields": a repeat clean
    # verbatim forgives, but the edit made it, and it is written once again
    quote = '> "We compare tilled fields, no-till fields and cover-cropped fields, side by side, on the same slope."'
    text = surprising(clean_text, quote.replace("fields, no-till fields", "fields, fields"), 500, "8:20")
    expected = surprising(clean_text, quote, 500, "8:20")
    assert_repaired(text, expected, 'quote the transcript: "tilled fields, fields" \u2192 "tilled fields, no-till fields"')


def test_a_word_dropped_after_a_repeat_it_made(clean_text):
    # "never the point; The soil" without "point;" reads "never the The soil": the first "the"
    # is the one written once, as the transcript writes it
    note = with_transcript(clean_text, "never the point; the soil", "never the point; The soil")
    text = misquote(note, "never the point; the soil", "never the The soil")
    expected = misquote(note, "never the point; the soil", "never the point; The soil")
    assert_repaired(text, expected, 'quote the transcript: "the The soil" \u2192 "the point; The soil"')


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
    # a changed first word of a sentence that runs on into the next paragraph
    text = misquote(note, "It takes a hundred years to build it back.", "That takes a hundred years to build it back.")
    assert_repaired(text, note, 'quote the transcript: "That takes" \u2192 "It takes"')


def test_words_put_back_across_a_paragraph_break_take_its_punctuation(clean_text):
    note = with_transcript(clean_text, "It takes a hundred years to build it back.\n",
                           f"It takes a hundred years,\n\n[2:20]({URL}&t=140s) to build it back.\n")
    text = misquote(note, "It takes a hundred years to build it back.", "It takes a hundred to build it back.")
    expected = misquote(note, "It takes a hundred years to build it back.", "It takes a hundred years, to build it back.")
    assert_repaired(text, expected, 'quote the transcript: "hundred to" \u2192 "hundred years, to"')
    # an annotation opening the next paragraph is no word: the comma before it stays
    noted = with_transcript(note, f"[2:20]({URL}&t=140s) to build", f"[2:20]({URL}&t=140s) [laughs] to build")
    text = misquote(noted, "It takes a hundred years to build it back.", "It takes a hundred to build it back.")
    assert_repaired(text, misquote(noted, "It takes a hundred years to build it back.",
                                   "It takes a hundred years, to build it back."),
                    'quote the transcript: "hundred to" \u2192 "hundred years, to"')
    # a filler opening the next paragraph goes with the comma before it
    note = with_transcript(note, f"[2:20]({URL}&t=140s) to build", f"[2:20]({URL}&t=140s) um, to build")
    text = misquote(note, "It takes a hundred years to build it back.", "It takes a hundred to build it back.")
    assert_repaired(text, misquote(note, "It takes a hundred years to build it back.",
                                   "It takes a hundred years to build it back."),
                    'quote the transcript: "hundred to" \u2192 "hundred years to"')


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
    quote = '> "no-till plots lost less water in summer, even in the dry years."'
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
    quote = '> "Bacteria get most of the attention at Deep Mind, but the fungi are the ones I dont find beautiful."'
    note = with_transcript(note, "the ones I find most beautiful", "the ones I don't find most beautiful")
    text = surprising(note, quote, 2270, "37:50")
    expected = surprising(note, quote.replace("find beautiful", "find most beautiful"), 2270, "37:50")
    # "Deep Mind" for "DeepMind" and "dont" for "don't" are no differences: they stay as written
    assert_repaired(text, expected, 'quote the transcript: "find beautiful" \u2192 "find most beautiful"')


@pytest.mark.parametrize("misquoted", [
    lambda t: misquote(t, "wait a full year", "wait a whole year"),  # the window locate aligned
    lambda t: surprising(t, '> "These no-till plots lost less water in summer, even in the driest years."',
                         775, "12:55"),  # widened to the sentence's start
    lambda t: misquote(t, '> "Soil is the slowest', '> "Just so, soil is the slowest'),  # the sentence before left out
])
def test_the_repair_is_the_same_without_the_diff_locate_kept(clean_text, misquoted):
    # SentenceMatch.aligned (the closest text's words and word diff, as locate made them) only
    # saves the repair working them out again
    import dataclasses

    from notecheck.repair import repair

    note = parse(misquoted(clean_text))
    ctx = SimpleNamespace(config=Config(), sidecar=None)
    (cq,) = [cq for cq in checked_quotes(note, ctx) if not cq.match.verbatim]
    assert all(s.aligned is not None for s in cq.match.missing)
    bare = tuple(dataclasses.replace(s, aligned=None) for s in cq.match.sentences)
    without = dataclasses.replace(cq, match=dataclasses.replace(cq.match, sentences=bare))
    fix = repair(cq, note, ctx)
    assert fix is not None and repair(without, note, ctx) == fix


def test_the_occurrence_nearest_the_cited_time_is_the_one_repaired(clean_text):
    # the quote's first sentence and its longest, which places it, are said in a teaser at 0:00
    # too: the repaired quote is still placed at 1:35, where it is cited
    note = with_transcript(clean_text, "Welcome back to Field Notes.",
                           "Soil is the slowest technology we have. You can lose an inch of topsoil in one bad winter. "
                           "Welcome back to Field Notes.")
    assert notecheck.check_text(note, path="note.md") == []
    text = misquote(note, "a hundred years", "a thousand years")
    assert_repaired(text, note, 'quote the transcript: "a thousand years" \u2192 "a hundred years"')


def test_a_finding_that_stays_does_not_stop_the_repair(clean_text):
    # NC502 (the fungi quote cited ten minutes off) is there before and after: nothing new
    note = clean_text.replace(FUNGI_LINK, f"> -- [31:30]({URL}&t=1890s)", 1)
    text = misquote(note, "wait a full year", "wait a whole year")
    assert sorted(d.code for d in notecheck.check_text(text, path="note.md")) == ["NC501", "NC502"]
    assert nc501(text).fix is not None
    result = fix_text(text, Config(select=("NC501",)), unsafe=True)
    assert result.text == note
    # two of them (the rules' findings on the note as it is are read once)
    text = misquote(text, "The roots get the credit.", "The roots get credit.")
    assert fix_text(text, Config(select=("NC501",)), unsafe=True).text == note


@pytest.mark.parametrize("wrong", ["timely", "attime"])
def test_a_changed_word_for_three_comes_back_as_three(clean_text, wrong):
    # inside the sentence every word comes back, however alike the nearest ones are
    text = misquote(clean_text, "one thing at a time, and", f"one thing {wrong}, and")
    assert_repaired(text, clean_text, f'quote the transcript: "thing {wrong}, and" \u2192 "thing at a time, and"')


def test_a_last_word_standing_for_three_of_the_speakers_is_not_touched(clean_text):
    text = misquote(clean_text, "It takes a hundred years to build it back.", "It takes a hundred years to fix.")
    assert_not_repaired(text)


def test_with_strict_quotes_the_transcripts_fillers_count(clean_text):
    strict = Config(quote_match="strict")
    note = with_transcript(clean_text, "Then change one thing at a time,", "Then change one thing, um, at a time,")
    text = misquote(note, "and wait a full year", "and wait a whole year")
    expected = misquote(note, "Then change one thing at a time,", "Then change one thing, um, at a time,")
    assert_repaired(text, expected, 'quote the transcript: "thing at" \u2192 "thing, um, at"; '
                                    '"a whole year" \u2192 "a full year"', config=strict)


def test_an_edit_at_the_second_word_is_titled_with_the_first(clean_text):
    text = misquote(clean_text, '> "Measure before you change', '> "Measure carefully before you change')
    assert_repaired(text, clean_text, 'quote the transcript: "Measure carefully before" \u2192 "Measure before"')


def test_an_added_word_after_a_dash(clean_text):
    note = with_transcript(clean_text, "The word was never the point; the soil was the point.",
                           "The word was never the point \u2014 the soil was the point.")
    quoted = "The word was never the point -- the soil was the point."
    note = misquote(note, "The word was never the point; the soil was the point.", quoted)
    text = misquote(note, quoted, quoted.replace("the soil", "the very soil"))
    assert_repaired(text, note, 'quote the transcript: "the very soil" \u2192 "the soil"')
    text = misquote(note, quoted, quoted.replace("the soil", "the dirt"))
    assert_repaired(text, note, 'quote the transcript: "the dirt was" \u2192 "the soil was"')


def test_a_quote_ending_before_the_speakers_sentence_keeps_its_end(clean_text):
    # "back" is left out after the quote's last word: it stays out, the changed word comes back
    text = misquote(clean_text, "It takes a hundred years to build it back.", "It takes a thousand years to build it.")
    expected = misquote(clean_text, "It takes a hundred years to build it back.", "It takes a hundred years to build it.")
    assert_repaired(text, expected, 'quote the transcript: "a thousand years" \u2192 "a hundred years"')


def test_an_added_word_at_the_start_of_a_sentence_that_began_earlier_is_not_touched(clean_text):
    # the speaker's sentence began eleven words before "I always say": was "Honestly" added, or
    # did it stand for them? a person decides
    quote = '> "Honestly, I always say the answer depends on what the last thirty seasons did."'
    assert_not_repaired(surprising(clean_text, quote, 250, "4:10"))


def test_an_added_word_before_the_speakers_sentence_goes_though_the_quote_stops_early(clean_text):
    quote = '> "Honestly, so when a farmer asks me what to do."'
    text = surprising(clean_text, quote, 250, "4:10")
    expected = surprising(clean_text, '> "So when a farmer asks me what to do."', 250, "4:10")
    assert_repaired(text, expected, 'quote the transcript: "Honestly, so" \u2192 "So"')


def test_a_first_word_standing_for_two_of_the_speakers(clean_text):
    quote = ('> "Whenever a farmer asks me what to do this season, I always say the answer depends on what '
             'the last thirty seasons did."')
    text = surprising(clean_text, quote, 250, "4:10")
    expected = surprising(clean_text, quote.replace("Whenever", "So when"), 250, "4:10")
    assert_repaired(text, expected, 'quote the transcript: "Whenever a" \u2192 "So when a"')


def test_a_first_word_standing_for_three_of_the_speakers_is_not_touched(clean_text):
    note = with_transcript(clean_text, "In the fourth year the yields", "In year four the yields")
    quote = '> "Then the yields cross over, and after that they stay ahead."'
    assert_not_repaired(surprising(note, quote, 1065, "17:45"))


def test_a_name_keeps_its_capital_where_the_quote_begins_in_lower_case(clean_text):
    note = with_transcript(clean_text, "Sometimes you have no other way to deal with weeds.",
                           "Sometimes you have no other way to deal with weeds. Then to Seville every spring, "
                           "to measure the fields again.")
    quote = '> "sevilla every spring, to measure the fields again."'
    text = surprising(note, quote, 3300, "55:00")
    expected = surprising(note, quote.replace("sevilla", "Seville"), 3300, "55:00")
    assert_repaired(text, expected, 'quote the transcript: "sevilla every" \u2192 "Seville every"')


def test_a_bracketed_letter_is_kept(clean_text):
    text = misquote(clean_text, "The roots get the credit.", "[T]he roots get credit.")
    expected = misquote(clean_text, "The roots get the credit.", "[T]he roots get the credit.")
    assert_repaired(text, expected, 'quote the transcript: "get credit" \u2192 "get the credit"')


def test_two_misquoted_quotes_of_one_note(clean_text):
    text = misquote(clean_text, "wait a full year", "wait a whole year")
    text = misquote(text, "The roots get the credit.", "The roots get credit.")
    diags = [d for d in notecheck.check_text(text, path="note.md") if d.code == "NC501"]
    assert [d.fix is not None for d in diags] == [True, True]
    assert fix_text(text, Config(), unsafe=True).text == clean_text


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


def test_a_changed_word_ending_a_line(clean_text):
    two_lines = ('> "Soil is the slowest technology we have. You can lose an inch\n'
                 '> of topsoil in one bad winter. It takes a hundred years to build it back."')
    note = clean_text.replace(SOIL_QUOTE, two_lines, 1)
    text = misquote(note, "lose an inch\n", "lose an ounce\n")
    assert_repaired(text, note, 'quote the transcript: "an ounce of" \u2192 "an inch of"')


def test_a_three_line_quote(clean_text):
    three = ('> "Soil is the slowest technology\n'
             '> we have. You can lose an inch of topsoil\n'
             '> in one bad winter. It takes a hundred years to build it back."')
    note = clean_text.replace(SOIL_QUOTE, three, 1)
    assert notecheck.check_text(note, path="note.md") == []
    # an edit on the third line, one across the first line break, and the second line's
    # sentence losing its first word
    text = misquote(note, "a hundred years", "a thousand years")
    text = misquote(text, "slowest technology\n> we have. You can lose", "slowest tech\n> we own. Honestly, you can lose")
    assert_repaired(text, note, 'quote the transcript: "slowest tech we" \u2192 "slowest technology we"; '
                                '"we own" \u2192 "we have"; "Honestly, you" \u2192 "You" and 1 more')


def test_an_edit_at_the_start_of_a_line(clean_text):
    lines = ('> "Soil is the slowest technology we have.\n'
             '> You can lose an inch of topsoil in one bad winter. It takes a hundred years to build it back."')
    note = clean_text.replace(SOIL_QUOTE, lines, 1)
    text = misquote(note, "> You can lose", "> Sadly, you can lose")
    assert_repaired(text, note, 'quote the transcript: "Sadly, you" \u2192 "You"')


def test_a_timing_finding_on_the_same_quote_stays(clean_text):
    # the highlight's clip ends before its last sentence (NC502, before and after): the misquote
    # in its first sentence is still repaired
    import timeline_note as tn

    quote = tn.MHM_QUOTE + " " + tn.LATER
    note = tn.note(highlights={"mhm": dict(quote=quote, clip=("7:21", "7:35"))})
    text = misquote(note, "plots we never ploughed", "plots we never tilled")
    codes = sorted(d.code for d in notecheck.check_text(text, path="note.md"))
    assert codes == ["NC501", "NC502"]
    assert fix_text(text, Config(select=("NC501",)), unsafe=True).text == note


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


WEEDS = [(3360, "Weeds are a symptom, not the disease."), (3370, "They tell you what the soil is missing."),
         (3380, "Read them before you pull them out of the ground.")]


def _weeds(clean_text: str, quote: str) -> str:
    paragraphs = "".join(f"[{t // 60}:{t % 60:02d}]({URL}&t={t}s) {words}\n\n" for t, words in WEEDS)
    note = with_transcript(clean_text, f"[1:02:00]({URL}", paragraphs + f"[1:02:00]({URL}")
    return surprising(note, quote, 3360, "56:00")


def test_a_sentence_from_the_next_paragraph_is_repaired(clean_text):
    quote = '> "Weeds are a symptom, not the disease. They tell you what the soil lacks."'
    text = _weeds(clean_text, quote.replace("lacks", "is missing"))
    assert notecheck.check_text(text, path="note.md") == []
    assert_repaired(_weeds(clean_text, quote), text, 'quote the transcript: "soil lacks" \u2192 "soil is missing"')


def test_a_sentence_from_two_paragraphs_on_is_not_touched(clean_text):
    # twenty seconds on, so NC502 says nothing of it: only "the same or the next paragraph" does
    quote = '> "Weeds are a symptom, not the disease. Read them before you yank them out of the ground."'
    text = _weeds(clean_text, quote)
    assert [d.code for d in notecheck.check_text(text, path="note.md")] == ["NC501"]
    assert_not_repaired(text)


def test_a_quote_with_no_verbatim_sentence_and_no_time_is_not_touched(clean_text):
    text = clean_text.replace(FUNGI_QUOTE + "\n" + FUNGI_LINK, '> "The roots get credit."\n> -- Maria Lopez', 1)
    assert_not_repaired(text)


@pytest.mark.parametrize("words", ["We have, you can lose", "Have, you can lose"])
def test_a_stretch_running_into_the_sentence_before_is_not_touched(clean_text, words):
    # the second sentence's closest stretch begins with the first one's last words ("we have"):
    # repaired, the quote would say them twice
    text = misquote(clean_text, "technology we have. You can lose an inch of topsoil in one bad winter.",
                    f"technology we have. {words} an inch of topsoil in one harsh winter.")
    assert "\"harsh\" where the transcript says \"bad\"" in nc501(text).message
    assert_not_repaired(text)


def test_a_stretch_starting_on_the_last_word_of_the_sentence_before_is_not_touched(clean_text):
    # "...this season." then "Season, I always say ...": the second sentence's stretch starts on
    # the first one's last word, eleven words into the speaker's sentence
    quote = ('> "So when a farmer asks me what to do this season. Season, I always say the answer depends on '
             'what the last forty seasons did."')
    text = surprising(clean_text, quote, 250, "4:10")
    assert '"forty" where the transcript says "thirty"' in nc501(text).message
    assert_not_repaired(text)


def test_a_stretch_running_into_the_sentence_after_is_not_touched(clean_text):
    quote = '> "slowest technology we own, you. You can lose an inch of topsoil in one bad winter."'
    assert_not_repaired(surprising(clean_text, quote, 95, "1:35"))


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


def test_a_highlight_quote_that_would_be_placed_away_from_its_citation_is_not_touched(clean_text):
    # a one-sentence highlight cited (and clipped) at 21:30: unplaced, its clip holds its citation;
    # repaired, the transcript would place it at 25:10 and NC502 would say so
    measure = '> "Measure before you change anything. ' + MEASURE + '"'
    one = '> "' + MEASURE.replace("a full year", "a whole year") + '"'
    text = (clean_text.replace(measure, one, 1)
            .replace("> -- Maria Lopez, [25:10](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=1510s)",
                     "> -- Maria Lopez, [21:30](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=1290s)", 1)
            .replace('"*25:10-26:30"', '"*21:30-22:50"', 1).replace("-25m10s.mp4", "-21m30s.mp4", 1)
            .replace("&t=1510s)\n<details>", "&t=1290s)\n<details>", 1))
    assert [d.code for d in notecheck.check_text(text, path="note.md")] == ["NC501"]
    assert_not_repaired(text)


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


# ------------------------------------------------------------------ the pieces: typography, separators, lines


from notecheck.repair import _clean_separator, _describe, _recase, _Region, _split, _Style, _style  # noqa: E402


@pytest.mark.parametrize("style, text, expected", [
    # the note writes "--": an em dash in the transcript's words becomes "--"
    (_Style(" ... ", "--", None, None), "the point \u2014 the soil", "the point -- the soil"),
    # the note writes "—": a lone "--" becomes "—", a longer run of hyphens stays
    (_Style(" ... ", "\u2014", None, None), "the point -- the soil --- x", "the point \u2014 the soil --- x"),
    (_Style(" ... ", None, None, None), "a \u2014 b -- c", "a \u2014 b -- c"),  # the note has no dash: as said
    # curly double quotes: opening after a blank, a bracket or at the start, closing elsewhere
    (_Style(" ... ", None, True, None), '"word" and ("this") [\"x\"]', "\u201cword\u201d and (\u201cthis\u201d) [\u201cx\u201d]"),
    (_Style(" ... ", None, False, None), "\u201cword\u201d \u201ethis\u201d", '"word" "this"'),
    (_Style(" ... ", None, None, None), "\u201cword\u201d \"x\"", "\u201cword\u201d \"x\""),
    # apostrophes inside words, not a quote's opening mark
    (_Style(" ... ", None, None, "\u2019"), "don't 'x' it's", "don\u2019t 'x\u2019 it\u2019s"),
    (_Style(" ... ", None, None, "'"), "don\u2019t \u2019x\u2019", "don't \u2019x'"),
])
def test_the_words_put_back_take_the_notes_typography(style, text, expected):
    assert style.typeset(text) == expected


def _styled(note_text: str, quote_line: str):
    note = parse(note_text)
    (cq,) = [cq for cq in checked_quotes(note, SimpleNamespace(config=Config(), sidecar=None))
             if cq.lines[0][1] == quote_line[2:]]
    return _style(note, cq)


@pytest.mark.parametrize("quote, others, expected", [
    # the quote's own marks, dashes, apostrophes and ellipsis come first
    ('> \u201cIt\u2019s slow \u2014 so slow\u2026 really.\u201d', '',
     _Style("\u2026 ", "\u2014", True, "\u2019")),
    ('> "It\'s slow -- so slow ... really."', '', _Style(" ... ", "--", False, "'")),
    ('> "Slow [...] really."', '', _Style(" [...] ", "--", False, None)),  # the attribution's "--"
    # else the note's other quotes
    ('> "Slow, really."', '> "It\u2019s as \u2026 said."', _Style(" \u2026 ", "--", False, "\u2019")),
    ('> Slow, really.', '', _Style(" ... ", "--", None, None)),  # no quotation mark, nothing to learn from
])
def test_the_notes_typography_is_read_from_the_quote_then_the_note(clean_text, quote, others, expected):
    text = surprising(clean_text, quote, 95, "1:35")
    if others:
        text = surprising(text, others, 95, "1:35")
    assert _styled(text, quote) == expected


def test_the_quotes_own_attribution_dash_comes_before_the_others(clean_text):
    text = surprising(clean_text, '> "Slow, really."', 95, "1:35").replace(
        '> "Slow, really."\n> -- Maria', '> "Slow, really."\n> \u2014 Maria', 1)
    assert _styled(text, '> "Slow, really."').dash == "\u2014"


def test_without_an_attribution_the_dash_comes_from_the_other_quotes(clean_text):
    text = clean_text.replace("> -- ", "> \u2014 ").replace("## Transcript", '> "Slow, really."\n\n## Transcript', 1)
    assert _styled(text, '> "Slow, really."').dash == "\u2014"


@given(st.text(alphabet="a b.\u2026[]-\u2014'\u2019", max_size=30))
@example("a b[...] c...")
@example("a[\u2026] x'y\u2019 ---b--")
def test_the_typography_regexes_searched_from_their_mark_find_the_first_match(text):
    # _search_at_mark starts a search a few characters before the first mark: the same answers as a whole search
    from notecheck.repair import _BENT_RE, _DASH_RE, _ELLIPSIS_RE, _STRAIGHT_RE, _apostrophe, _ellipsis, _first_dash

    ellipsis, whole = _ellipsis(text), _ELLIPSIS_RE.search(text)
    assert (ellipsis and (ellipsis.span(), ellipsis.groups())) == (whole and (whole.span(), whole.groups()))
    dash = _DASH_RE.search(text)
    assert _first_dash(text) == (dash.group(0) if dash else None)
    straight, bent = _STRAIGHT_RE.search(text) is not None, _BENT_RE.search(text) is not None
    assert _apostrophe(text) == (None if straight == bent else "'" if straight else "\u2019")


@pytest.mark.parametrize("sep, expected", [
    (", ", ", "),
    (" ", " "),
    ("; ", "; "),
    (", um, ", " "),  # a filler goes with the commas around it
    (" uh ", " "),
    (" -- you know -- ", " "),  # and with the dashes around it
    (". Um, ", ". "),  # a sentence end stays
    (", um. ", ". "),
    (", um ", " "),  # a comma before, nothing after: the comma goes too
    (" -- uh, ", " -- "),
    (" [laughter] ", " "),  # annotations are not words
    (", [laughs] ", ", "),
    ("  \n  ", " "),
])
def test_what_stands_between_transcript_words(sep, expected):
    assert _clean_separator(sep) == expected


@pytest.mark.parametrize("text, like, proper, expected", [
    ("the model", "S", False, "The model"),
    ("The model", "s", False, "the model"),
    ("\u201cthe", "S", False, "\u201cThe"),  # the first letter, not the first character
    ("I think", "s", False, "I think"),  # "I" keeps its capital
    ("I'm sure", "s", False, "I'm sure"),
    ("I\u2019ve", "s", False, "I\u2019ve"),
    ("Ireland", "s", False, "ireland"),  # a word starting with I is no "I"
    ("Ireland", "s", True, "Ireland"),  # a name keeps its capital
    ("the model", "5", False, "the model"),  # the sentence began with no letter
    ("2005 was", "S", False, "2005 Was"),
    ("...", "S", False, "..."),
    ("\u201cThe model", "s", False, "\u201cthe model"),
])
def test_the_sentences_first_letter(text, like, proper, expected):
    assert _recase(text, like, proper=proper) == expected


@pytest.mark.parametrize("content, lengths, expected", [
    (" at a time, ", [1, 0], [" at a time,", ""]),  # the text replaced was all on the first line
    (" of ", [0, 0], ["", "of "]),
    (" full ", [6, 0], [" full", ""]),
    ("one two three", [3, 9], ["one", "two three"]),  # cut where the old text had its line break
    ("one two three", [9, 3], ["one two", "three"]),
    ("a b c d", [1, 1, 1], ["a b", "c", "d"]),  # two line breaks: two cuts, in order
    ("a b c d", [0, 0, 9], ["a", "b", "c d"]),
    ("a b", [1, 1], ["a", "b"]),  # just enough blanks
    ("a b c d e f g", [2, 2, 3], ["a b", "c d", "e f g"]),  # each cut where its line break was, counted from the start
    ("great", [3, 3], None),  # no blank to cut at: no fix
    ("a b", [1, 1, 1], None),
])
def test_an_edit_over_a_line_break_is_cut_at_blanks(content, lengths, expected):
    assert _split(content, lengths) == expected


def test_the_fix_title_names_three_edits_and_counts_the_rest():
    regions = [_Region(0, 1, "", f"w{i} x", f"w{i} y") for i in range(5)]
    assert _describe(regions[:3]) == 'quote the transcript: "w0 x" \u2192 "w0 y"; "w1 x" \u2192 "w1 y"; "w2 x" \u2192 "w2 y"'
    assert _describe(regions[:4]).endswith('"w2 x" \u2192 "w2 y" and 1 more')
    assert _describe(regions).endswith(" and 2 more")
    long = "x" * 58 + " yyyy"  # cut after a blank: the blank goes
    shown = _describe([_Region(0, 1, "", long, "a\n  b")])
    assert shown == f'quote the transcript: "{"x" * 58}\u2026" \u2192 "a b"'
    assert _describe([_Region(0, 1, "", "x" * 59 + " yy", "")]) == f'quote the transcript: "{"x" * 59}\u2026" \u2192 ""'
    exactly = "x" * 60
    assert _describe([_Region(0, 1, "", exactly, "y")]) == f'quote the transcript: "{exactly}" \u2192 "y"'


# ------------------------------------------------------------------ the pieces: the transcript sentence around a stretch


from notecheck.quotematch import Passage, QuoteIndex, tokens  # noqa: E402
from notecheck.repair import (EDGE_REACH, _capitalised_mid_sentence, _edge_pairing, _ends_sentence,  # noqa: E402
                              _own_sentence, _to_sentence_edges)


def _index(*texts: str) -> QuoteIndex:
    return QuoteIndex([Passage(i * 10, (i + 1) * 10, text) for i, text in enumerate(texts)], True, 100)


def _words(index: QuoteIndex, passage: int, first: str, last: str) -> list:
    """The window tokens of ``passage`` from the word ``first`` to the word ``last``."""
    toks = index.passage_tokens(passage)
    a = next(k for k, t in enumerate(toks) if t[0] == first)
    b = next(k for k, t in enumerate(toks) if t[0] == last and k >= a)
    return [(w, passage, x, y) for w, x, y in toks[a:b + 1]]


def _said(window: list) -> list[str]:
    return [t[0] for t in window]


@pytest.mark.parametrize("text, first, last, said, starts, ends", [
    # widened back to "four" and on to "eleven"
    ("One two three. Four five six seven eight nine ten eleven. Twelve.", "six", "seven",
     "four five six seven eight nine ten eleven", True, True),
    # the sentence's start exactly EDGE_REACH words back: reached; one more: not
    ("Alpha. a1 a2 a3 a4 a5 a6 x y.", "x", "y", "a1 a2 a3 a4 a5 a6 x y", True, True),
    ("Alpha. a0 a1 a2 a3 a4 a5 a6 x y.", "x", "y", "x y", False, True),
    # and its end
    ("x b1 b2 b3 b4 b5 b6. Omega.", "x", "x", "x b1 b2 b3 b4 b5 b6", True, True),
    ("x b1 b2 b3 b4 b5 b6 b7. Omega.", "x", "x", "x", True, False),
    # a passage begins and ends sentences; a "?" inside an annotation ends none
    ("one [laughs?] two three", "two", "two", "one two three", True, True),
    ("first second. third? fourth", "second", "third", "first second third", True, True),
])
def test_a_stretch_is_widened_to_its_transcript_sentence(text, first, last, said, starts, ends):
    assert EDGE_REACH == 6
    index = _index(text)
    window, s, e = _to_sentence_edges(index, _words(index, 0, first, last))
    assert (" ".join(_said(window)), s, e) == (said, starts, ends)


def _trimmed(text: str, quote: str, starts: bool = True, ends: bool = True):
    index = _index(text)
    toks = index.passage_tokens(0)
    window = [(w, 0, a, b) for w, a, b in toks]
    got, s, e = _own_sentence(index, tokens(quote), window, starts, ends)
    return " ".join(_said(got)), s, e


@pytest.mark.parametrize("text, quote, said, starts, ends", [
    # the quote differs from the words before the break: they are the sentence before's
    ("Just there. Soil is slow.", "just so soil is slow", "soil is slow", True, False),
    ("a b c. Soil is very slow.", "x b c soil is very slow", "soil is very slow", True, False),  # three words
    ("a b c d. Soil is very slow.", "x b c d soil is very slow", "a b c d soil is very slow", False, False),  # four
    ("a b c. Soil is slow.", "x b c soil is slow", "a b c soil is slow", False, False),  # no fewer than the rest
    # the difference lies after the break: nothing to trim
    ("Just there. Soil is slow.", "just there the soil is slow", "just there soil is slow", False, False),
    # words left out before the quote's first word are no difference
    ("Just there. Soil is slow.", "there soil is very slow", "just there soil is slow", False, False),
    # and after the break at the end: the sentence after's
    ("Soil is slow. You can.", "soil is slow you see", "soil is slow", False, True),
    ("Soil is slow. You can.", "soil is slow you", "soil is slow you can", False, False),
    # a difference on each side of the only break: the quote spans both, nothing is trimmed
    ("A b. C d.", "x b c y", "a b c d", False, False),
    ("A b. C d e. F g.", "x b c d e f y", "c d e", True, True),  # both edges trimmed
    ("A. B c d e.", "x b c d e", "b c d e", True, False),  # a break after the first word
    ("Soil is very slow now. You can do.", "soil is very slow now you can see", "soil is very slow now", False, True),
    ("A b. C d. E f.", "x b c d e y", "c d e f", True, False),  # the tail is no fewer than what remains
    ("Soil is slow. You can.", "soil is fast you can", "soil is slow you can", False, False),  # ends at the break
])
def test_a_neighbouring_sentences_words_are_left_out(text, quote, said, starts, ends):
    assert _trimmed(text, quote, starts=False, ends=False) == (said, starts, ends)


def test_without_a_break_the_window_and_its_edges_are_kept():
    assert _trimmed("Soil is very slow", "soil is slow", starts=False, ends=True) == ("soil is very slow", False, True)
    assert _trimmed("Soil is. Very slow", "soil is very", starts=True, ends=False) == ("soil is very slow", True, False)


@pytest.mark.parametrize("word, expected", [
    ("spain", True),  # a capital mid-sentence: a name
    ("maria", True),
    ("then", False),  # a capital after a sentence end
    ("we", False),  # at the passage's start
    ("went", False),  # no capital
    ("okay", False),  # after an annotation that follows a sentence end
    ("i", True),
])
def test_a_capital_mid_sentence(word, expected):
    index = _index("We went to Spain. Then Maria said I was right. [laughs] Okay.")
    (tok,) = _words(index, 0, word, word)
    assert _capitalised_mid_sentence(index, tok) is expected


@pytest.mark.parametrize("between, expected", [
    (". ", True), ("? ", True), ("! ", True), ('." ', True), (", ", False), (" ", False), (" -- ", False),
    (" [laughs?] ", False), (" [laughs] . ", True),
])
def test_what_ends_a_sentence(between, expected):
    assert _ends_sentence(between) is expected


@pytest.mark.parametrize("text, quote, at_start, expected", [
    ("We drove to Seville every", "sevilla", True, "seville"),  # the nearest word, alike
    ("So then no one asks", "nobody", True, "no one"),  # two words for one
    ("And then after a while the", "really", True, "and then after a while"),  # nothing alike: all (no fix)
    ("the release of the", "relese", False, "release"),  # at the end: the nearest after
])
def test_edge_words_stand_for_the_nearest_alike_transcript_words(text, quote, at_start, expected):
    index = _index(text)
    window = [(w, 0, a, b) for w, a, b in index.passage_tokens(0)]
    words = tokens(quote)
    j1, j2 = (0, len(window) - 1) if at_start else (1, len(window))
    if text.startswith("the release"):
        j1, j2 = 1, 4
    a, b = _edge_pairing(words, window, j1, j2, at_start=at_start)
    assert " ".join(_said(window[a:b])) == expected


def test_with_a_sidecar_the_paragraphs_are_the_notes(clean_text, tmp_path):
    # the sidecar has a segment per sentence; the quote skips one (two segments on), in one
    # paragraph of the note: "the same paragraph", repaired
    from notecheck.quotematch import passages_from_transcript

    segments = []
    for p in passages_from_transcript(parse(clean_text)):
        sentences = [x for x in p.text.replace(". ", ".\n").split("\n") if x]
        for i, sentence in enumerate(sentences):
            t = p.start + 5 * i
            segments.append({"timestamp": f"{t // 3600:02d}:{t % 3600 // 60:02d}:{t % 60:02d}",
                             "speaker": "Maria Lopez", "text": sentence})
    (tmp_path / "aBcD3fGh1jK.json").write_text(json.dumps(
        {"video_id": "aBcD3fGh1jK", "duration": 4000, "full_transcript": segments}), encoding="utf-8")
    quote = '> "People think of soil as something that is just there. You can lose an inch of topsoil in one harsh winter."'
    note = tmp_path / "aBcD3fGh1jK.md"
    note.write_text(surprising(clean_text, quote, 95, "1:35"), encoding="utf-8")
    code, out, _ = run_cli("fix", "--unsafe-fixes", "--select", "NC501", str(note))
    assert note.read_text(encoding="utf-8") == surprising(clean_text, quote.replace("harsh", "bad"), 95, "1:35"), out
    # without the note's own paragraphs, the segments are the paragraphs: two on, not touched
    bare = surprising(clean_text, quote, 95, "1:35")
    bare = bare[:bare.index("## Transcript")]
    note.write_text(bare, encoding="utf-8")
    code, out, _ = run_cli("fix", "--unsafe-fixes", "--select", "NC501", str(note))
    assert note.read_text(encoding="utf-8") == bare, out


def test_the_judges_are_every_rule_that_reads_where_quotes_are():
    # a rule reading checked_quotes, timelines or place can change when a quote is repaired:
    # the what-if must run it (NC501 itself is the one repairing)
    import inspect
    import re

    from notecheck.repair import JUDGES
    from notecheck.rules import all_rules

    readers = {r.code for r in all_rules()
               if re.search(r"\b(checked_quotes|timelines|place|_placed_quotes)\(", inspect.getsource(r.check))}
    assert readers - {"NC501"} == JUDGES
