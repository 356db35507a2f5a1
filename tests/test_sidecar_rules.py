"""NC601-NC604 and sidecar discovery, on a realistic note + sidecar pair (tests/fixtures/sidecar/).

The fixture note was written from its sidecar: every quote, speaker and time agrees, so
every rule is silent on it. Each test edits the note or the sidecar to make one shape
that must be caught (exact code and line) and one near miss that must not.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import notecheck
import notecheck.times
from conftest import FIXTURES, line_of, run_cli
from notecheck import sidecar as sidecar_mod
from notecheck.config import Config
from notecheck.rules.sidecar import attributed_names, normalize_name, same_person

FIX = FIXTURES / "sidecar"
VID = "Hs9kWq2TzLm"
NOTE = FIX / f"{VID}.md"
SIDECAR = FIX / f"{VID}.json"
URL = f"https://www.youtube.com/watch?v={VID}"


@pytest.fixture
def note_text() -> str:
    return NOTE.read_text(encoding="utf-8")


@pytest.fixture
def sidecar_doc() -> dict:
    return json.loads(SIDECAR.read_text(encoding="utf-8"))


def check(text: str, doc: dict | None = None, select=("NC",)):
    """Diagnostics of ``text`` with the sidecar ``doc`` (the fixture's by default)."""
    sc = sidecar_mod.from_document(doc if doc is not None else json.loads(SIDECAR.read_text("utf-8")), "x.json")
    return notecheck.check_text(text, path=f"{VID}.md", config=Config(select=tuple(select)), sidecar=sc)


def found(diags, prefix="NC6"):
    return [(d.code, d.line) for d in diags if d.code.startswith(prefix)]


def folder(tmp_path: Path, text: str | None = None, sidecar: str | bytes | None = None, name: str = VID) -> Path:
    """A folder with the note (``name``.md) and, unless ``sidecar`` is "", its sidecar beside it."""
    (tmp_path / f"{name}.md").write_text(text if text is not None else NOTE.read_text("utf-8"), encoding="utf-8")
    if sidecar is None:
        shutil.copy(SIDECAR, tmp_path / f"{VID}.json")
    elif sidecar != "":
        data = sidecar.encode("utf-8") if isinstance(sidecar, str) else sidecar
        (tmp_path / f"{VID}.json").write_bytes(data)
    return tmp_path


def folder_for(text: str) -> Path:
    import tempfile

    return folder(Path(tempfile.mkdtemp()), text)


def cli_json(*args: str):
    code, out, err = run_cli("check", "--output-format", "json", *args)
    assert "Traceback" not in err, err
    return code, json.loads(out)


# --------------------------------------------------------------------------- the fixture


def test_fixture_sidecar_is_realistic():
    sc = sidecar_mod.load(str(SIDECAR))
    assert sc.ok and sc.video_id == VID and sc.duration == 2178
    assert len(sc.segments) >= 30
    assert {s.speaker for s in sc.segments} == {"Dana Whitfield", "Tomás Reyes"}
    assert [s.start for s in sc.segments] == sorted(s.start for s in sc.segments)


def test_fixture_note_is_clean_with_its_sidecar(note_text):
    assert check(note_text) == []


def test_fixture_folder_passes_from_the_cli(tmp_path):
    code, out, err = run_cli("check", str(folder(tmp_path)))
    assert code == 0, out + err


# --------------------------------------------------------------------------- NC604


def test_nc604_duration_differs_from_sidecar(note_text, sidecar_doc):
    sidecar_doc["duration"] = 2181  # 3 s off
    diags = check(note_text, sidecar_doc)
    assert found(diags) == [("NC604", line_of(note_text, "duration: 2178"))]
    assert "2181" in diags[0].message and "2178" in diags[0].message


def test_nc604_near_miss_two_seconds_is_fine(note_text, sidecar_doc):
    sidecar_doc["duration"] = 2180
    assert check(note_text, sidecar_doc) == []
    sidecar_doc["duration"] = "00:36:16"  # an HH:MM:SS duration, 2 s off
    assert check(note_text, sidecar_doc) == []


def test_nc604_silent_without_a_sidecar_duration(note_text, sidecar_doc):
    del sidecar_doc["duration"]
    assert check(note_text, sidecar_doc) == []


# --------------------------------------------------------------------------- NC603


def test_nc603_transcript_time_is_no_segment_start(note_text):
    text = note_text.replace(f"[5:58]({URL}&t=358s)", f"[5:59]({URL}&t=359s)")
    diags = check(text)
    assert found(diags) == [("NC603", line_of(text, "[5:59]"))]
    assert diags[0].column == 2
    assert "5:58 and 6:05" in diags[0].message


def test_nc603_near_miss_paragraph_at_another_segment_start(note_text):
    # 3:26 starts a segment (Tomás's answer), though not the paragraph's first words
    text = note_text.replace(f"[3:20]({URL}&t=200s)", f"[3:26]({URL}&t=206s)")
    assert found(check(text)) == []


def test_nc603_takes_the_time_from_the_label(note_text):
    # a wrong t= under a right label is NC301's defect, not an invented time
    text = note_text.replace(f"[5:58]({URL}&t=358s)", f"[5:58]({URL}&t=359s)")
    assert found(check(text), "NC") == [("NC301", line_of(text, "[5:58]"))]


# --------------------------------------------------------------------------- NC601

QUOTE_1350 = f"> -- Tomás Reyes, [13:50]({URL}&t=830s)"


def test_nc601_quote_attributed_to_the_other_speaker(note_text):
    text = note_text.replace(QUOTE_1350, f"> -- Dana Whitfield, [13:50]({URL}&t=830s)")
    diags = check(text)
    assert found(diags) == [("NC601", line_of(text, "> -- Dana Whitfield, [13:50]"))]
    assert diags[0].column == 6
    assert "Tomás Reyes" in diags[0].message


@pytest.mark.parametrize("written", [
    "tomás  reyes.",  # case, blanks, punctuation
    "Tomas Reyes",  # accents
    "Reyes",  # one word of the name
    "Tomás Reyes (quoted by Dana Whitfield)",  # a note in parentheses
    "**Tomás Reyes**",
])
def test_nc601_near_miss_same_name_written_differently(note_text, written):
    text = note_text.replace(QUOTE_1350, f"> -- {written}, [13:50]({URL}&t=830s)")
    assert found(check(text)) == []


def test_nc601_two_speakers_pass_when_both_speak_in_the_quote(note_text):
    # the fixture's dialogue quote spans a question by Dana and an answer by Tomás
    assert "> -- Dana Whitfield and Tomás Reyes, [2:30]" in note_text
    text = note_text.replace("Dana Whitfield and Tomás Reyes, [2:30]", "Tomás Reyes & Dana Whitfield, [2:30]")
    assert found(check(text)) == []


def test_nc601_two_speakers_when_one_does_not_speak(note_text):
    text = note_text.replace(QUOTE_1350, f"> -- Tomás Reyes and Dana Whitfield, [13:50]({URL}&t=830s)")
    diags = check(text)
    assert found(diags) == [("NC601", line_of(text, "> -- Tomás Reyes and Dana Whitfield, [13:50]"))]
    assert "Dana Whitfield does not speak" in diags[0].message


def test_nc601_attribution_without_a_name_is_not_checked(note_text):
    assert f"> -- [31:14]({URL}&t=1874s)" in note_text  # the fixture has one
    assert found(check(note_text)) == []


def test_nc601_diarizer_labels_cannot_contradict_a_name(note_text, sidecar_doc):
    for seg in sidecar_doc["full_transcript"]:
        seg["speaker"] = "SPEAKER_00" if seg["speaker"] == "Dana Whitfield" else "SPEAKER_01"
    text = note_text.replace(QUOTE_1350, f"> -- Dana Whitfield, [13:50]({URL}&t=830s)")
    assert found(check(text, sidecar_doc)) == []


def test_nc601_not_piled_on_a_quote_that_is_not_in_the_source(note_text):
    # a paraphrase with the wrong speaker: NC501 says it, NC601 does not
    text = note_text.replace(
        '> "Nine days does not sound like much. For a bee that lives six weeks, it is a lifetime."\n'
        "> -- Tomás Reyes",
        '> "Nine days sounds like nothing. For an insect that lives six weeks, it is everything."\n'
        "> -- Dana Whitfield",
    )
    codes = {d.code for d in check(text)}
    assert "NC501" in codes and not codes & {"NC601", "NC602"}


def test_nc601_is_a_warning_that_says_diarization_may_be_wrong(note_text):
    text = note_text.replace(QUOTE_1350, f"> -- Dana Whitfield, [13:50]({URL}&t=830s)")
    (diag,) = [d for d in check(text) if d.code == "NC601"]
    assert diag.severity == "warning" and "diarization may be wrong" in diag.message
    code, diags = cli_json(str(folder_for(text)))
    assert [(x["code"], x["severity"]) for x in diags] == [("NC601", "warning")]


def test_nc603_fix_takes_the_start_of_the_segment_whose_words_begin_the_paragraph(note_text):
    from notecheck.fixer import fix_text

    text = note_text.replace(f"[5:58]({URL}&t=358s)", f"[5:59]({URL}&t=359s)")
    sc = sidecar_mod.from_document(json.loads(SIDECAR.read_text("utf-8")), "x.json")
    (diag,) = [d for d in check(text) if d.code == "NC603"]
    assert diag.fix is not None and diag.fix.applicability == "unsafe"
    config = Config(select=("NC6",))
    assert fix_text(text, config, unsafe=True, sidecar=sc).text == note_text
    assert fix_text(text, config, sidecar=sc).text == text


def _shift_paragraphs(note_text: str, how_many: int) -> str:
    """The first ``how_many`` timed transcript paragraphs moved 1 s later (no longer segment starts)."""
    note = notecheck.parse(note_text)
    text = note_text
    for para in reversed(note.transcript[:how_many]):
        seconds = int(para.link.t_text.rstrip("s"))
        link = f"[{notecheck.times.render_label(seconds + 1)}]({URL}&t={seconds + 1}s)"
        text = text[:para.link.start] + link + text[para.link.end:]
    return text


def test_nc603_a_resegmented_transcript_is_one_finding_for_the_note(note_text):
    paragraphs = len(notecheck.parse(note_text).transcript)
    text = _shift_paragraphs(note_text, paragraphs // 2 + 1)  # more than half
    diags = [d for d in check(text) if d.code == "NC603"]
    assert [(d.line, d.column) for d in diags] == [(line_of(text, "## Transcript"), 4)]
    assert diags[0].message.startswith(f"{paragraphs // 2 + 1} of {paragraphs} transcript times are not segment starts")
    # its unsafe fix puts every paragraph back on its segment's start
    from notecheck.fixer import fix_text

    sc = sidecar_mod.from_document(json.loads(SIDECAR.read_text("utf-8")), "x.json")
    assert fix_text(text, Config(select=("NC6",)), unsafe=True, sidecar=sc).text == note_text


def test_nc603_near_miss_exactly_half_off_is_reported_paragraph_by_paragraph(note_text):
    paragraphs = len(notecheck.parse(note_text).transcript)
    assert paragraphs % 2 == 0, "the boundary needs an even count"
    text = _shift_paragraphs(note_text, paragraphs // 2)
    assert len([d for d in check(text) if d.code == "NC603"]) == paragraphs // 2


def test_nc601_compares_the_speaker_of_the_first_verbatim_sentence(note_text):
    # Dana asks, Tomás answers: attributed to Tomás alone, the quote's first sentence is Dana's
    text = note_text.replace("> -- Dana Whitfield and Tomás Reyes, [2:30]", "> -- Tomás Reyes, [2:30]")
    diags = [d for d in check(text) if d.code == "NC601"]
    assert [(d.line, d.severity) for d in diags] == [(line_of(text, "> -- Tomás Reyes, [2:30]"), "warning")]
    assert "spoken by Dana Whitfield" in diags[0].message
    # near miss: the answer alone, attributed to Tomás
    text = note_text.replace('> "So when people say save the bees, they mean the wrong bees?"\n', "")
    text = text.replace("> -- Dana Whitfield and Tomás Reyes, [2:30](https://www.youtube.com/watch?v=Hs9kWq2TzLm&t=150s)",
                        "> -- Tomás Reyes, [2:36](https://www.youtube.com/watch?v=Hs9kWq2TzLm&t=156s)")
    assert found(check(text)) == []


def test_a_resegmented_transcript_is_one_nc603_and_its_citations_are_not_piled_on(note_text):
    # every paragraph 1 s off its segment, the quotes citing those paragraphs: one finding
    paragraphs = len(notecheck.parse(note_text).transcript)
    text = _shift_paragraphs(note_text, paragraphs)
    for para in notecheck.parse(note_text).transcript:
        seconds = int(para.link.t_text.rstrip("s"))
        for old in (f"[{para.link.label}]({URL}&t={seconds}s)",):
            new = f"[{notecheck.times.render_label(seconds + 1)}]({URL}&t={seconds + 1}s)"
            head, sep, tail = text.partition("## Transcript")
            text = head.replace(old, new) + sep + tail
    assert [d.code for d in check(text) if d.code.startswith(("NC5", "NC6"))] == ["NC603"]


def test_a_citation_of_the_note_paragraph_holding_the_words_is_right_even_off_the_sidecar_times(note_text):
    # the note's paragraph holding the dialogue moved to 2:50 (no segment starts there: NC603),
    # and the quote cites it: the note's own paragraph holds the words, so no NC502 (nor NC602)
    text = note_text.replace(f"[2:30]({URL}&t=150s) So when", f"[2:50]({URL}&t=170s) So when", 1)
    text = text.replace(f"Tomás Reyes, [2:30]({URL}&t=150s)", f"Tomás Reyes, [2:50]({URL}&t=170s)", 1)
    assert text.count("[2:50]") == 2
    assert found(check(text), "NC") == [("NC603", line_of(text, "[2:50]", 2))]


@pytest.mark.parametrize(("text", "fixed"), [
    ("How do you deal with mites now?", True),
    ("How do you?", True),  # three words tell where the paragraph begins
    ("How do?", False),  # two do not
])
def test_nc603_fix_needs_three_words_to_tell_where_the_paragraph_begins(note_text, text, fixed):
    head = f"[5:59]({URL}&t=359s) "
    para_start = note_text.index(f"[5:58]({URL}&t=358s)")
    para_end = note_text.index("\n", para_start)
    broken = note_text[:para_start] + head + text + note_text[para_end:]
    (diag,) = [d for d in check(broken) if d.code == "NC603"]
    assert (diag.fix is not None) == fixed
    if fixed:
        assert [e.content for e in diag.fix.edits] == ["5:58", "358s"]


def test_nc603_fix_takes_the_occurrence_of_the_first_words_nearest_the_paragraph(note_text, sidecar_doc):
    # the same first words said again at 30:00: the paragraph at 5:59 belongs to the one at 5:58
    sidecar_doc["full_transcript"].append({"timestamp": "00:30:00", "speaker": "Dana Whitfield",
                                           "text": "How do you deal with mites now? I ask again."})
    sidecar_doc["full_transcript"].sort(key=lambda s: s["timestamp"])
    text = note_text.replace(f"[5:58]({URL}&t=358s)", f"[5:59]({URL}&t=359s)")
    (diag,) = [d for d in check(text, sidecar_doc) if d.code == "NC603"]
    assert [e.content for e in diag.fix.edits] == ["5:58", "358s"]


def test_with_a_sidecar_the_note_paragraph_holding_the_words_is_found_by_text_nearest_the_segment(note_text):
    # the note paragraph at 2:30 moved to 2:50 and the dialogue cited there; the same words also
    # said (in the note only) at 31:14: the paragraph nearest the sidecar's 2:30 is the one that counts
    text = note_text.replace(f"[2:30]({URL}&t=150s) So when", f"[2:50]({URL}&t=170s) So when", 1)
    text = text.replace(f"Tomás Reyes, [2:30]({URL}&t=150s)", f"Tomás Reyes, [2:50]({URL}&t=170s)", 1)
    last = text.rindex("\n[")
    para_end = text.index("\n", last + 1)
    text = text[:para_end] + " So when people say save the bees, they mean the wrong bees?" + text[para_end:]
    assert found(check(text), "NC") == [("NC603", line_of(text, "[2:50]", 2))]


def test_with_a_sidecar_a_citation_outside_the_note_paragraph_is_nc502_and_names_it(note_text):
    text = note_text.replace(f"Tomás Reyes, [2:30]({URL}&t=150s)", f"Tomás Reyes, [3:20]({URL}&t=200s)", 1)
    diags = [d for d in check(text) if d.code == "NC502"]
    assert [d.message for d in diags] == ["quote is at 2:30, cited 3:20"]


def test_name_helpers():
    assert normalize_name(" Andrej  KARPATHY (quoted by Dwarkesh) ") == "andrej karpathy"
    assert attributed_names("Dana Whitfield and Tomás Reyes") == ["dana whitfield", "tomas reyes"]
    assert same_person("karpathy", "andrej karpathy") and not same_person("dana whitfield", "tomas reyes")


# --------------------------------------------------------------------------- NC602

QUOTE_2506 = f"[25:06]({URL}&t=1506s)"


def test_nc602_cited_time_inside_the_segment_but_not_its_start(note_text):
    text = note_text.replace(QUOTE_2506, f"[25:08]({URL}&t=1508s)")
    diags = check(text)
    assert found(diags) == [("NC602", line_of(text, "[25:08]"))]
    d = diags[0]
    assert "25:06" in d.message and d.fixable and d.fix.applicability == "unsafe"


def test_nc602_near_miss_segment_start_of_a_later_sentence_is_not_the_quote_start(note_text):
    # the highlight quote starts with the segment's 2nd sentence: the segment start (1:14) is right
    assert f"> -- Tomás Reyes, [1:14]({URL}&t=74s)" in note_text
    assert found(check(note_text)) == []


def test_nc602_left_to_nc502_when_the_quote_is_elsewhere(note_text):
    # cited in the paragraph before the quote's: NC502 reports it, NC602 does not pile on
    text = note_text.replace(QUOTE_2506, f"[24:30]({URL}&t=1470s)")
    diags = check(text)
    assert [(d.code, d.line) for d in diags if d.code in ("NC502", "NC602")] == [("NC502", line_of(text, "[24:30]"))]


def test_nc602_unsafe_fix_sets_label_and_t_in_the_links_form(note_text):
    text = note_text.replace(QUOTE_2506, "[25:08](https://www.youtube.com/watch?v=Hs9kWq2TzLm&t=25m8s)")
    sc = sidecar_mod.load(str(SIDECAR))
    fixed = notecheck.fix_text(text, unsafe=True, sidecar=sc)
    assert fixed.text == note_text.replace(QUOTE_2506, "[25:06](https://www.youtube.com/watch?v=Hs9kWq2TzLm&t=25m6s)")
    assert [d.code for d in fixed.remaining] == []
    assert notecheck.fix_text(text, unsafe=False, sidecar=sc).text == text  # unsafe only


def test_nc602_fix_moves_the_whole_highlight_from_the_cli(tmp_path, note_text):
    # the whole highlight cites 6:09; the sidecar segment starts at 6:05
    head, sep, rest = note_text.partition("## Key Points")
    broken = (head.replace("t=365s", "t=369s").replace("[6:05]", "[6:09]")
              .replace('"*6:05-7:40"', '"*6:09-7:44"').replace("-6m05s.mp4", "-6m09s.mp4")) + sep + rest
    d = folder(tmp_path, broken)
    code, diags = cli_json(str(d))
    assert code == 1
    assert [(x["code"], x["line"]) for x in diags] == [("NC602", line_of(broken, "> -- Tomás Reyes, [6:09]"))]
    assert run_cli("fix", str(d))[0] == 1  # safe fixes only: nothing changes
    assert (d / f"{VID}.md").read_text("utf-8") == broken
    code, out, err = run_cli("fix", "--unsafe-fixes", str(d))
    assert code == 0, out + err
    assert (d / f"{VID}.md").read_text("utf-8") == note_text


# --------------------------------------------------------------------------- discovery and broken sidecars


@pytest.mark.parametrize("content, says", [
    ('{"duration": 2178, "full_transcript": [', "not valid JSON (line 1"),
    ('{"duration": 2178}', "no 'full_transcript'"),
    ('{"full_transcript": {"timestamp": "00:00:00"}}', "not a list"),
    ('{"full_transcript": [{"timestamp": "0:0x", "text": "hi"}]}', "full_transcript[0] has no valid"),
    ('["not", "an", "object"]', "not a JSON object"),
    ('{"video_id": "zzzzzzzzzzz", "full_transcript": [{"timestamp": "00:00:00", "text": "hi"}]}',
     "transcript of video zzzzzzzzzzz"),
])
def test_unusable_sidecar_gives_exactly_one_warning(tmp_path, note_text, content, says):
    # with defects that the sidecar rules would otherwise report
    text = note_text.replace(QUOTE_1350, f"> -- Dana Whitfield, [13:50]({URL}&t=830s)")
    code, diags = cli_json(str(folder(tmp_path, text, content)))
    assert code == 0  # a warning alone does not fail the run
    assert [(x["code"], x["severity"], x["line"]) for x in diags] == [("NC604", "warning", 1)]
    assert says in diags[0]["message"] and f"{VID}.json" in diags[0]["message"]


def test_not_utf8_sidecar_gives_one_warning(tmp_path):
    code, diags = cli_json(str(folder(tmp_path, sidecar=b'{"full_transcript": ["\xff"]}')))
    assert [(x["code"], x["severity"]) for x in diags] == [("NC604", "warning")]


def _defective(note_text: str) -> str:
    """A note with one defect for each of NC601, NC602, NC603 (the sidecar's duration is changed apart)."""
    return (note_text.replace(QUOTE_1350, f"> -- Dana Whitfield, [13:50]({URL}&t=830s)")
            .replace(QUOTE_2506, f"[25:08]({URL}&t=1508s)")
            .replace(f"[5:58]({URL}&t=358s)", f"[5:59]({URL}&t=359s)"))


def test_defects_found_from_the_cli(tmp_path, note_text):
    text = _defective(note_text)
    code, diags = cli_json(str(folder(tmp_path, text)))
    assert code == 1
    assert sorted((x["code"], x["line"]) for x in diags) == sorted([
        ("NC601", line_of(text, "> -- Dana Whitfield, [13:50]")),
        ("NC602", line_of(text, "[25:08]")),
        ("NC603", line_of(text, "[5:59]")),
    ])


def test_no_sidecar_flag_and_config_turn_it_all_off(tmp_path, note_text):
    d = folder(tmp_path, _defective(note_text), '{"broken": ')
    code, diags = cli_json("--no-sidecar", str(d))
    assert code == 0 and diags == []
    (d / ".notecheck.toml").write_text("sidecar = false\n")
    code, diags = cli_json(str(d))
    assert code == 0 and diags == []


def test_note_without_a_sidecar_gets_nothing_from_these_rules(tmp_path, note_text):
    code, diags = cli_json(str(folder(tmp_path, _defective(note_text), sidecar="")))
    assert code == 0 and diags == []


def test_sidecar_folder_from_flag_and_config(tmp_path, note_text):
    notes, transcripts = tmp_path / "notes", tmp_path / "transcripts"
    notes.mkdir()
    transcripts.mkdir()
    text = _defective(note_text)
    (notes / "renamed-note.md").write_text(text, encoding="utf-8")  # found by video_id, not by name
    shutil.copy(SIDECAR, transcripts / f"{VID}.json")
    code, diags = cli_json(str(notes))
    assert diags == []  # nothing beside the note
    code, diags = cli_json("--sidecar", str(transcripts), str(notes))
    assert sorted(x["code"] for x in diags) == ["NC601", "NC602", "NC603"]
    (tmp_path / ".notecheck.toml").write_text('sidecar = "transcripts"\n')  # relative to the config file
    code, diags = cli_json(str(notes))
    assert sorted(x["code"] for x in diags) == ["NC601", "NC602", "NC603"]


def test_missing_sidecar_folder_is_a_usage_error(tmp_path):
    code, out, err = run_cli("check", "--sidecar", str(tmp_path / "nope"), str(folder(tmp_path)))
    assert code == 2 and "--sidecar" in err and "no such folder" in err


def test_sidecar_found_by_the_notes_stem(tmp_path, note_text):
    # a note whose front matter id is unusable is still paired by file name
    text = note_text.replace(f"video_id: {VID}", "video_id: 12")
    (tmp_path / "episode-12.md").write_text(text, encoding="utf-8")
    doc = json.loads(SIDECAR.read_text("utf-8"))
    doc["duration"] = 2500
    (tmp_path / "episode-12.json").write_text(json.dumps(doc), encoding="utf-8")
    code, diags = cli_json("--select", "NC6", str(tmp_path))
    assert [(x["code"], x["line"]) for x in diags] == [("NC604", line_of(text, "duration: 2178"))]


def test_stdin_uses_the_sidecar_folder(note_text):
    code, out, err = run_cli("check", "--output-format", "json", "--sidecar", str(FIX), "-",
                             stdin=_defective(note_text).encode("utf-8"))
    assert sorted(x["code"] for x in json.loads(out)) == ["NC601", "NC602", "NC603"]


def test_a_folder_named_like_a_sidecar_is_not_read(tmp_path):
    d = folder(tmp_path, sidecar="")
    (d / f"{VID}.json").mkdir()
    code, diags = cli_json(str(d))
    assert code == 0 and diags == []


# --------------------------------------------------------------------------- the loader


@pytest.mark.parametrize("stamp, seconds", [
    ("00:09:25", 565), ("1:44:00", 6240), ("9:25", 565), ("565", 565), ("00:09:25.900", 565), (565.5, 565),
])
def test_segment_timestamps(stamp, seconds):
    sc = sidecar_mod.from_document({"full_transcript": [{"timestamp": stamp, "speaker": "A", "text": "x"}]})
    assert sc.ok and sc.segments[0].start == seconds


def test_empty_transcript_is_unusable():
    assert "empty" in sidecar_mod.from_document({"full_transcript": []}).error


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_loads_never_raises(data):
    sc = sidecar_mod.loads(data, "x.json")
    assert sc.ok or sc.error


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
                        st.sampled_from(["full_transcript", "timestamp", "speaker", "text", "duration"]),
                        kids, max_size=4), max_leaves=20))
def test_from_document_never_raises(doc):
    sc = sidecar_mod.from_document(doc)
    assert sc.ok or sc.error


# --------------------------------------------------------------------------- a second note: no speakers, past an hour


def _sidecar_from_transcript(text: str) -> dict:
    """A speaker-less sidecar whose segments are the note's transcript paragraphs."""
    from notecheck.quotematch import link_seconds

    note = notecheck.parse(text)
    return {"duration": 4000, "full_transcript": [
        {"timestamp": "%02d:%02d:%02d" % (t // 3600, t % 3600 // 60, t % 60), "speaker": "", "text": p.text}
        for p in note.transcript for t in [link_seconds(p.link)]]}


def test_clean_note_with_a_speakerless_sidecar(clean_text):
    assert check(clean_text, _sidecar_from_transcript(clean_text)) == []


@pytest.mark.parametrize("style, label", [("auto", "1:02:00"), ("hms", "1:02:00"), ("minutes", "62:00")])
def test_nc602_fix_renders_the_label_in_the_notes_style(clean_text, style, label):
    old = "-- Maria Lopez, [1:02:00](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=3720s)"
    text = clean_text.replace(old, "-- Maria Lopez, [62:03](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=3723)")
    sc = sidecar_mod.from_document(_sidecar_from_transcript(clean_text))
    diags = notecheck.check_text(text, config=Config(select=("NC602",), label_style=style), sidecar=sc)
    assert [(d.code, d.line) for d in diags] == [("NC602", line_of(text, "[62:03]"))]
    assert [e.content for e in diags[0].fix.edits] == [label, "3720"]
