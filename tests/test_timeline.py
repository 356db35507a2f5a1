"""A highlight's timeline (SPEC §2) on notes shaped like real ones: NC403, NC409, NC502, their fixes.

The note (tests/timeline_note.py) has a full transcript (2.5 words a second), paragraphs
sharing a start time, a cold-open teaser said again later, a quote deep inside a
4-minute paragraph, and highlights written the ways real notes write them.
"""

from __future__ import annotations

import pytest

import notecheck
import timeline_note as tn
from conftest import line_of
from notecheck import Config
from notecheck.fixer import fix_text

TIME_RULES = Config(select=("NC3", "NC4", "NC5"))


def check(text: str, config: Config = TIME_RULES, **kw):
    return notecheck.check_text(text, path=f"{tn.VID}.md", config=config, **kw)


def found(text: str, **kw) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in check(text, **kw)]


def shifted(key: str, by: int) -> dict:
    """A highlight moved as a whole: thumbnail, clip, attribution and -o tag shifted together."""
    from notecheck.times import parse_clip_bound, render_tag

    h = tn.HIGHLIGHTS[key]
    start, end = (int(parse_clip_bound(x)) + by for x in h["clip"])
    return dict(t=h["t"] + by, a=h["a"] + by, clip=(tn.label(start), tn.label(end)), tag=render_tag(start))


def words_before(paragraph: str, quote: str) -> int:
    return len(paragraph[:paragraph.index(quote)].split())


@pytest.mark.parametrize("crlf", [False, True])
def test_real_shaped_note_is_silent(crlf):
    # every highlight as real notes write it: T = S = A, clip and thumbnail 5 s early, a quote
    # deep in a long paragraph with the attribution at the paragraph, paragraphs sharing a start
    assert check(tn.note(crlf=crlf), Config()) == []


# ------------------------------------------------------------------ NC502: where the quote is


def test_paragraphs_sharing_a_start_cover_until_the_next_distinct_start():
    # "**Dana:** [7:21] Mhm." then "**Tomás:** [7:21] <the quote>": cited 7:21 is right
    assert check(tn.note()) == []
    # the last second before the next distinct start (7:40) is still inside, 7:40 is not
    assert found(tn.note(highlights={"mhm": dict(a=459)})) == []
    text = tn.note(highlights={"mhm": dict(a=460)})
    assert [(d.code, d.line, d.message) for d in check(text)] == [
        ("NC502", line_of(text, "> -- Tomás Reyes, [7:40]"), "quote is at 7:21, cited 7:40")]


def test_teaser_words_are_placed_at_the_occurrence_nearest_the_citation():
    # said in the cold open at 0:00 and again at 8:35; cited 8:15: the quote is at 8:35, not 0:00
    text = tn.note(highlights={"teaser": dict(a=495)})
    assert [(d.code, d.message) for d in check(text)] == [("NC502", "quote is at 8:35, cited 8:15")]


def test_surprising_quote_cited_at_the_wrong_paragraph_and_its_fix():
    text = tn.note(surprise_at=925)
    diags = check(text)
    assert [(d.code, d.line, d.message) for d in diags] == [
        ("NC502", line_of(text, "> -- Tomás Reyes, [15:25]"), "quote is at 19:25, cited 15:25")]
    assert diags[0].fix is not None and diags[0].fix.applicability == "unsafe"
    assert fix_text(text, TIME_RULES, unsafe=True).text == tn.note()
    assert fix_text(text, TIME_RULES).text == text  # safe fixes never move a time


# ------------------------------------------------------------------ NC409: the thumbnail and the clip's end


def test_thumbnail_at_the_clip_start_with_the_attribution_at_the_quote_is_accepted():
    assert found(tn.note()) == []  # teaser: T = S = 8:30, A = 8:35


def test_thumbnail_neither_clip_start_nor_attribution():
    text = tn.note(highlights={"teaser": dict(t=512)})
    diags = check(text)
    assert [(d.code, d.line) for d in diags] == [("NC409", line_of(text, "t=512s"))]
    assert diags[0].message == "thumbnail t=512s (8:32) is neither the clip start 8:30 nor the attribution 8:35"
    # near misses: the thumbnail at the attribution, or at the clip start
    assert found(tn.note(highlights={"teaser": dict(t=515)})) == []
    fixed = fix_text(text, TIME_RULES, unsafe=True).text
    assert fixed == tn.note()


@pytest.mark.parametrize(("a", "codes"), [(559, []), (560, ["NC409"])])
def test_attribution_at_the_clip_end_is_nc409(a, codes):
    # clip 8:30-9:20; the attribution 9:19 is inside it, 9:20 is at its end (both inside the 8:35 paragraph)
    text = tn.note(highlights={"teaser": dict(a=a)})
    assert [d.code for d in check(text)] == codes
    if codes:
        assert fix_text(text, TIME_RULES, unsafe=True).text == tn.note()


# ------------------------------------------------------------------ NC403: the clip and the words


def _deep_bounds() -> tuple[float, float]:
    """(lo, hi) of the deep quote's first word, computed here from SPEC §2 (not by the rule's code)."""
    para = next(text for start, _, text in tn.transcript() if start == 600)
    total = len(para.split())
    at = 600 + 240 * words_before(para, tn.DEEP_QUOTE) / total
    margin = max(15, 240 / 10)
    return at - margin, at + margin


def test_quote_deep_inside_a_long_paragraph_is_inside_its_clip():
    lo, hi = _deep_bounds()
    assert 690 < lo < hi < 760
    assert found(tn.note()) == []  # clip 11:50-12:40, attribution at the paragraph (10:00)


def test_clip_starting_after_the_deep_quote_is_cut_off_at_the_estimate_boundary():
    _, hi = _deep_bounds()
    last_ok = int(hi)

    def with_start(s: int) -> str:
        return tn.note(highlights={"deep": dict(t=s, clip=(tn.label(s), tn.label(s + 60)), tag=None)})

    assert found(with_start(last_ok)) == []
    diags = check(with_start(last_ok + 1))
    assert [d.code for d in diags] == ["NC403"]
    assert "the quoted moment is cut off" in diags[0].message and "paragraph at 10:00" in diags[0].message


def test_clip_starting_long_before_the_deep_quote_is_reported_past_clip_lead_seconds():
    lo, _ = _deep_bounds()
    earliest = int(lo - 60) + 1  # the first whole second at most 60 s before the words' earliest time

    def with_start(s: int) -> str:
        return tn.note(highlights={"deep": dict(t=s, clip=(tn.label(s), "12:40"), tag=None)})

    assert found(with_start(earliest)) == []
    diags = check(with_start(earliest - 1))
    assert [d.code for d in diags] == ["NC403"]
    assert "at most clip-lead-seconds = 60" in diags[0].message


def test_clip_lead_of_twelve_seconds_is_fine():
    # the teaser highlight's clip starts 5 s before the paragraph; 12 s before is fine too
    assert found(tn.note(highlights={"teaser": dict(t=503, clip=("8:23", "9:20"), tag="8m23s")})) == []


def test_quote_running_past_the_clip_end_and_its_fix_stretches_the_clip():
    # the quote joins the 7:21 paragraph and the next one (7:40); the clip ends at 7:35
    quote = tn.MHM_QUOTE + " " + tn.LATER
    text = tn.note(highlights={"mhm": dict(quote=quote, clip=("7:21", "7:35"))})
    diags = check(text)
    assert [(d.code, d.line, d.message) for d in diags] == [
        ("NC502", line_of(text, "> \"The roots were twice"),
         f'part of the quote ("{tn.LATER}") is at 7:40, after the clip ends (7:35)')]
    # the fix stretches the clip to the end of the words' possible time (7:40 + 15 s), nothing else
    fixed = fix_text(text, TIME_RULES, unsafe=True).text
    assert fixed == text.replace('"*7:21-7:35"', '"*7:21-7:55"')
    assert check(fixed) == []
    # near miss: a clip ending just after the sentence's earliest possible start holds it
    assert found(tn.note(highlights={"mhm": dict(quote=quote, clip=("7:21", "7:41"))})) == []


# ------------------------------------------------------------------ the whole highlight moved


@pytest.mark.parametrize("key", ["mhm", "teaser", "deep", "start"])
@pytest.mark.parametrize("by", [300, -120])
def test_highlight_moved_as_a_whole_is_one_finding_and_restored_exactly(key, by):
    text = tn.note(highlights={key: shifted(key, by)})
    diags = check(text)
    assert [d.code for d in diags] == ["NC502"], [(d.code, d.message) for d in diags]
    result = fix_text(text, Config(), unsafe=True)
    assert result.text == tn.note()
    assert fix_text(result.text, Config(), unsafe=True).text == result.text  # a second run changes nothing
    assert fix_text(text, Config()).text == text  # never without --unsafe-fixes


def test_fix_after_the_fix_is_clean_from_the_command_line(tmp_path):
    from conftest import run_cli

    path = tmp_path / f"{tn.VID}.md"
    broken = tn.note(crlf=True, highlights={"teaser": shifted("teaser", 300), "mhm": dict(t=445)},
                     surprise_at=925)
    path.write_bytes(broken.encode())
    code, out, _ = run_cli("check", "--no-show-source", str(path))
    assert code == 1 and [line.split()[1] for line in out.splitlines() if line.startswith(str(path))] == [
        "NC409", "NC502", "NC502"]
    assert run_cli("fix", str(path))[0] == 1 and path.read_bytes() == broken.encode()
    code, out, _ = run_cli("fix", "--unsafe-fixes", str(path))
    assert code == 0, out
    assert path.read_bytes() == tn.note(crlf=True).encode()


# ------------------------------------------------------------------ without a transcript


def _no_transcript(**highlights) -> str:
    text = tn.note(highlights=highlights)
    return text[:text.index("## Transcript")]


def _teaser_codes(text: str) -> list[str]:
    """The findings on the teaser highlight (the others have their own shapes without a transcript)."""
    first = line_of(text, '### "You lose everything"')
    last = line_of(text, '### "Water does not care"')
    return [d.code for d in check(text) if first <= d.line < last]


@pytest.mark.parametrize(("s", "codes"), [
    (455, []),  # A - S = 60 = clip-lead-seconds: fine
    (454, ["NC403"]),  # 61 s before the attribution
    (515, []),  # S = A
    (516, ["NC403"]),  # after the attribution: the quoted moment is cut off
])
def test_without_a_transcript_the_clip_must_hold_the_attribution(s, codes):
    text = _no_transcript(teaser=dict(t=s, clip=(tn.label(s), "9:20"), tag=tn.label(s).replace(":", "m") + "s"))
    assert _teaser_codes(text) == codes


def test_without_a_transcript_an_attribution_at_the_clip_end_is_nc409_alone():
    text = _no_transcript(teaser=dict(a=560))
    assert _teaser_codes(text) == ["NC409"]
    # nothing places the quote: no fix is offered
    assert all(d.fix is None for d in check(text))


def test_without_a_transcript_a_clip_starting_after_the_attribution_is_nc403():
    # the deep highlight cites its paragraph's start (10:00) and clips 11:50: without the transcript
    # nothing says where the words are, so the clip must hold the attribution
    text = _no_transcript()
    first = line_of(text, '### "Water does not care"')
    assert [(d.code, d.line) for d in check(text) if d.code != "NC201"] == [
        ("NC403", line_of(text, "*11:50-12:40"))]
    assert first < line_of(text, "*11:50-12:40")


def test_a_short_verbatim_sentence_said_elsewhere_does_not_move_a_quote_whose_words_are_at_its_time():
    # "Nobody believed us at first." is said at 7:21 only; the rest of the quote is a light edit of
    # the surprising quote's words at 19:25, where it is cited: nothing says the citation is wrong
    edited = tn.SURPRISE_QUOTE.replace("good soil", "healthy soil")
    extra = f'> "Nobody believed us at first. {edited}"\n> -- Tomás Reyes, {tn.link(1165)}\n'
    text = tn.note(extra_quotes=extra)
    assert [d.code for d in check(text)] == ["NC501"]
    # near miss: the edit is not light (below 80% alike), so the verbatim sentence places the quote
    invented = "Nobody ever counts the worms, and the worms do all of the real work in every field."
    text = tn.note(extra_quotes=f'> "Nobody believed us at first. {invented}"\n> -- Tomás Reyes, {tn.link(1165)}\n')
    assert [(d.code, d.message) for d in check(text) if d.code == "NC502"] == [
        ("NC502", "quote is at 7:21, cited 19:25")]


def test_dialogue_of_short_turns_outside_highlights_may_run_over_several_paragraphs():
    # a question and an answer over three short paragraphs (7:21 Mhm / 7:21 / 7:40), cited 7:21
    extra = f'> "Mhm." "{tn.MHM_QUOTE}" "{tn.LATER}"\n> -- Dana Whitfield and Tomás Reyes, {tn.link(441)}\n'
    assert [d.code for d in check(tn.note(extra_quotes=extra))] == []
    # near miss: a sentence said 8 minutes later is spliced in from elsewhere
    spliced = f'> "{tn.MHM_QUOTE} {tn.START_QUOTE}"\n> -- Tomás Reyes, {tn.link(441)}\n'
    text = tn.note(extra_quotes=spliced)
    assert [(d.code, d.message[:41]) for d in check(text)] == [("NC502", 'part of the quote ("Cover crops cost mone')]


def test_a_moved_clip_is_never_put_past_the_video_end():
    # a 940 s clip (NC408 already) moved back from 9:25 to the quote at 14:25 would end at 30:05,
    # past the video (30:00): it ends at 30:00
    moved = dict(t=565, a=565, clip=("9:25", "25:05"), tag="9m25s")
    text = tn.note(highlights={"start": moved})
    assert sorted(d.code for d in check(text)) == ["NC408", "NC502"]
    fixed = fix_text(text, TIME_RULES, unsafe=True).text
    assert fixed == tn.note(highlights={"start": dict(clip=("14:25", "30:00"))})
    assert sorted(d.code for d in check(fixed)) == ["NC408"]


def test_no_fix_is_offered_when_the_rebuilt_highlight_would_not_be_clean():
    # the deep quote's words are about 12:00, deep in the 10:00 paragraph: a clip from the paragraph's
    # start is too early, and no real time near the words is known: report only
    text = tn.note(highlights={"deep": dict(t=600, clip=("10:00", "10:50"), tag="10m00s")})
    diags = check(text)
    assert [(d.code, d.fix) for d in diags] == [("NC403", None)]


# ------------------------------------------------------------------ NC501 on the real-shaped note: clean verbatim


def _spoken(paragraph_start: int, speaker: str, text: str) -> list:
    """The transcript with one paragraph's words replaced (as spoken, with its disfluencies)."""
    return [(s, sp, text if (s, sp) == (paragraph_start, speaker) else t) for s, sp, t in tn.transcript()]


def test_quote_cleaned_of_disfluencies_and_written_compounds_is_verbatim():
    said = ("So, um, we trained -- we trained GPT-5 at Deep Mind, you know, and the the results were, uh, "
            "I mean, twice as good. " + tn.MHM_QUOTE)
    paras = _spoken(441, "Tomás", said)
    clean = "We trained GPT5 at DeepMind, and the results were twice as good."
    text = tn.note(paragraphs=paras, highlights={"mhm": dict(quote=clean)})
    assert check(text) == []
    # quote-match = "strict": the left-out fillers are differences
    strict = Config(select=("NC5",), quote_match="strict")
    assert [d.code for d in check(text, strict)] == ["NC501"]
    # a changed word is a difference either way, and the message says which
    text = tn.note(paragraphs=paras, highlights={"mhm": dict(
        quote="We trained GPT5 at DeepMind, and the results were three times as good.")})
    (diag,) = check(text)
    assert diag.code == "NC501"
    assert diag.message.endswith('"three times" where the transcript says "twice" (90% alike at 7:21)'), diag.message


def test_nc403_fix_moves_a_clip_that_starts_after_the_words_back_to_them():
    # the clip (and its tag and the thumbnail on its start) 20 s late; the attribution is right
    text = tn.note(highlights={"mhm": dict(t=461, clip=("7:41", "8:20"), tag="7m41s")})
    assert [d.code for d in check(text)] == ["NC403"]
    assert fix_text(text, TIME_RULES, unsafe=True).text == tn.note()


# ------------------------------------------------------------------ boundaries and branches (a mutation round found these untested)


def test_clip_start_is_cut_off_only_past_the_latest_time_the_estimate_allows():
    # the cover-crops quote opens the 14:25 paragraph: said at 14:25, at the latest 15 s later (14:40)
    def codes(start: str) -> list[str]:
        return [d.code for d in check(tn.note(highlights={"start": dict(
            t=tn.HIGHLIGHTS["start"]["t"] if start == "14:25" else int(start[:2]) * 60 + int(start[3:]),
            clip=(start, "15:20"), tag=None)}))]
    assert codes("14:40") == []
    assert codes("14:41") == ["NC403"]


@pytest.mark.parametrize(("end", "codes"), [("7:40", ["NC502"]), ("7:41", [])])
def test_a_sentence_starting_at_the_clip_end_is_after_it(end, codes):
    quote = tn.MHM_QUOTE + " " + tn.LATER  # LATER opens the 7:40 paragraph
    assert [d.code for d in check(tn.note(highlights={"mhm": dict(quote=quote, clip=("7:21", end))}))] == codes


def test_every_clip_command_of_a_highlight_is_judged():
    text = tn.note(highlights={"mhm": dict(t=441)})
    late = '```bash\nyt-dlp --download-sections "*9:00-9:40" "https://www.youtube.com/watch?v=Tl0x7fQk2Zc"\n```\n'
    broken = '```bash\nyt-dlp "https://www.youtube.com/watch?v=Tl0x7fQk2Zc"\n```\n'
    first = text.index("</details>")
    text = text[:first] + broken + late + text[first:]
    assert [d.code for d in check(text) if d.code == "NC403"] == ["NC403"]
    assert line_of(text, "*9:00-9:40") in [d.line for d in check(text) if d.code == "NC403"]


def test_attribution_after_the_end_of_a_clip_that_misses_the_words_is_the_clips_finding():
    # the clip (6:00-7:00) ends before the attribution (7:21) and is more than 60 s before the words
    text = tn.note(highlights={"mhm": dict(t=360, clip=("6:00", "7:00"), tag="6m00s")})
    assert [d.code for d in check(text)] == ["NC403"]


def test_misplaced_attribution_after_the_clip_end_is_nc502_alone():
    text = tn.note(highlights={"mhm": dict(a=600)})  # 10:00, past the clip's end (8:00)
    assert [(d.code, d.message) for d in check(text)] == [("NC502", "quote is at 7:21, cited 10:00")]


def test_thumbnail_citing_the_quotes_paragraph_while_the_attribution_is_misplaced():
    # T inside the 7:21 paragraph, neither S nor A: right, since A is the one that is wrong
    assert [d.code for d in check(tn.note(highlights={"mhm": dict(t=445, a=600)}))] == ["NC502"]
    # near miss: a thumbnail outside the paragraph is wrong too
    assert sorted(d.code for d in check(tn.note(highlights={"mhm": dict(t=470, a=600)}))) == ["NC409", "NC502"]


def test_thumbnail_without_a_clip_or_without_an_attribution():
    text = tn.note(highlights={"mhm": dict(t=445)})
    block = text[text.index("<details>", text.index("Twice as deep")):text.index("</details>") + len("</details>\n")]
    no_clip = text.replace(block, "", 1)
    diags = [d for d in check(no_clip) if d.code == "NC409"]
    assert [d.message for d in diags] == ["thumbnail t=445s (7:25) differs from the attribution 7:21"]
    attribution = f"> -- Tomás Reyes, {tn.link(441)}\n"
    no_attribution = text.replace(attribution, "", 1)
    assert no_attribution != text
    diags = [d for d in check(no_attribution) if d.code == "NC409"]
    assert [d.message for d in diags] == ["thumbnail t=445s (7:25) differs from the clip start 7:21"]


def test_without_attribution_or_transcript_the_clip_must_hold_the_thumbnails_time():
    text = _no_transcript(teaser=dict(t=510, clip=("8:40", "9:20"), tag="8m40s"))
    text = text.replace(f"> — Tomás Reyes, {tn.link(515)}\n", "").replace(f"> -- Tomás Reyes, {tn.link(515)}\n", "")
    diags = [d for d in check(text) if d.code == "NC403" and d.line == line_of(text, "*8:40-9:20")]
    assert [d.message for d in diags] == [
        "clip starts at 8:40 (520 s), after the highlight's time 8:30 (510 s): the quoted moment is cut off"]


def test_without_a_transcript_an_early_clip_with_an_attribution_at_its_end_is_nc409_alone():
    text = _no_transcript(teaser=dict(a=560, t=420, clip=("7:00", "9:20"), tag="7m00s"))
    assert _teaser_codes(text) == ["NC409"]


def test_a_quote_whose_first_sentence_is_edited_may_cite_the_paragraph_before_its_first_verbatim_one():
    # an edit of LATER (said at 7:40) then the teaser words said at 8:35, cited 7:40: right
    edited = tn.LATER.replace("the wind", "the rain")
    extra = f'> "{edited} {tn.TEASER}"\n> -- Tomás Reyes, {tn.link(460)}\n'
    assert [d.code for d in check(tn.note(extra_quotes=extra))] == ["NC501"]
    # near miss: cited one paragraph earlier still (7:21) is not where the quote begins
    extra = f'> "{edited} {tn.TEASER}"\n> -- Tomás Reyes, {tn.link(441)}\n'
    assert [d.code for d in check(tn.note(extra_quotes=extra))] == ["NC501", "NC502"]


def test_thumbnail_at_the_attribution_moves_with_it():
    # T = A = 8:35, S = 8:30: the whole highlight moved by 5 minutes is put back as it was
    base = dict(t=515)
    moved = {**shifted("teaser", 300), "t": 815}
    assert fix_text(tn.note(highlights={"teaser": moved}), Config(), unsafe=True).text == \
        tn.note(highlights={"teaser": base})


def test_clip_start_messages_say_where_the_words_are():
    lo, _ = _deep_bounds()
    para = next(text for start, _, text in tn.transcript() if start == 600)
    at = 600 + 240 * words_before(para, tn.DEEP_QUOTE) / len(para.split())
    s = int(lo - 60) - 5
    text = tn.note(highlights={"deep": dict(t=s, clip=(tn.label(s), "12:40"), tag=None)})
    (diag,) = check(text)
    assert diag.message == (f"clip starts at {tn.label(s)} ({s} s), {int(lo - s)} s or more before the quote's words "
                            f"(about {tn.label(int(at))}, in the paragraph at 10:00); at most clip-lead-seconds = 60")
    text = _no_transcript(teaser=dict(t=454, clip=("7:34", "9:20"), tag="7m34s"))
    (diag,) = [d for d in check(text) if d.line == line_of(text, "*7:34-9:20")]
    assert diag.message == ("clip starts at 7:34 (454 s), 61 s before the attribution's time 8:35 (515 s); "
                            "at most clip-lead-seconds = 60")


def test_a_moved_thumbnail_keeps_its_t_form():
    moved = shifted("teaser", 300)
    text = tn.note(highlights={"teaser": moved}).replace(f"&t={moved['t']}s)\n<details>", f"&t={moved['t']})\n<details>")
    assert f"&t={moved['t']})\n" in text
    fixed = fix_text(text, Config(), unsafe=True).text
    assert fixed == tn.note().replace("&t=510s)\n<details>", "&t=510)\n<details>")


def test_findings_on_a_later_line_of_a_multi_line_quote_point_at_the_sentence():
    two_lines = tn.MHM_QUOTE.replace(" Nobody", '"\n> "Nobody')
    text = tn.note(highlights={"mhm": dict(quote=two_lines.replace("Nobody believed us", "Nobody trusted us"))})
    (diag,) = check(text)
    line = text.splitlines()[diag.line - 1]
    assert diag.code == "NC501" and line.startswith('> "Nobody trusted us')
    assert (diag.column, diag.end_column) == (4, len(line))  # the sentence, without the quotation marks


def test_the_rebuild_leaves_a_wrong_tag_to_nc407():
    # the tag already differs from the clip start: moving the clip does not touch it (NC407 rewrites it, safely)
    moved = {**shifted("mhm", 300), "tag": "1m00s"}
    text = tn.note(highlights={"mhm": moved})
    (nc502,) = [d for d in check(text) if d.code == "NC502"]
    assert "1m00s" in text and not any(text[e.start:e.end] == "1m00s" for e in nc502.fix.edits)
    assert fix_text(text, Config(), unsafe=True).text == tn.note()
