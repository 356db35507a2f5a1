"""NC401-NC411 on edits of the clean note's highlights, and the clip command parser."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import apply_fixes, col_of, line_of
from notecheck import Config, check_text
from notecheck.clipcmd import _SIMPLE_COMMAND, YT_DLP_FLAGS, YT_DLP_VALUED, _scan, _scan_shell, parse_clip_command

URL = "https://www.youtube.com/watch?v=aBcD3fGh1jK"
CMD1 = (f'yt-dlp --download-sections "*1:35-2:40" "{URL}" --force-keyframes-at-cuts --merge-output-format mp4 '
        f'-o "aBcD3fGh1jK-1m35s.mp4"')
CMD3 = (f'yt-dlp --download-sections "*1:02:00-1:03:15" "{URL}" --force-keyframes-at-cuts --merge-output-format mp4 '
        f'-o "aBcD3fGh1jK-62m00s.mp4"')
THUMB1 = f"[![Clip](https://img.youtube.com/vi/aBcD3fGh1jK/hqdefault.jpg)]({URL}&t=95s)"
ATTR1 = f"> -- Maria Lopez, [1:35]({URL}&t=95s)"


def diags(text: str, **config):
    return check_text(text, path="note.md", config=Config(select=("NC3", "NC4"), **config))


def found(text: str, **config) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in diags(text, **config)]


def where(text: str, anchor: str, needle: str) -> tuple[int, int]:
    """(line, column) of the first ``needle`` at or after ``anchor``."""
    pos = text.index(needle, text.index(anchor))
    return text.count("\n", 0, pos) + 1, pos - text.rfind("\n", 0, pos)


def with_cmd1(clean_text: str, cmd: str) -> str:
    assert CMD1 in clean_text
    return clean_text.replace(CMD1, cmd)


def test_clean_note_is_silent(clean_text):
    assert CMD1 in clean_text and CMD3 in clean_text and THUMB1 in clean_text and ATTR1 in clean_text
    assert found(clean_text) == []


# ----------------------------------------------------------------------------- NC401


def test_nc401_missing_clip(clean_text):
    block = clean_text[clean_text.index("<details>"):clean_text.index("</details>") + len("</details>\n")]
    text = clean_text.replace(block, "", 1)
    assert found(text) == [("NC401", line_of(text, '### "Soil is'))]


def test_nc401_near_miss_details_after_the_attribution(clean_text):
    block = clean_text[clean_text.index("<details>"):clean_text.index("</details>") + len("</details>\n")]
    text = clean_text.replace(block, "", 1).replace(ATTR1 + "\n", ATTR1 + "\n" + block, 1)
    assert text != clean_text
    assert found(text) == []


# ----------------------------------------------------------------------------- NC402


@pytest.mark.parametrize(
    ("cmd", "needle"),
    [
        (CMD1.replace('"*1:35-2:40"', '"*1:35"'), '*1:35"'),
        (CMD1.replace('"*1:35-2:40"', '"intro"'), 'intro"'),
        (CMD1.replace('"*1:35-2:40"', '"*1:35-2:4x"'), "2:4x"),
        (CMD1.replace('"*1:35-2:40"', '"*1:35-2:40,3:00-4:00"'), '*1:35-2:40,'),
        (CMD1.replace(f'"{URL}"', f'"{URL}'), '"\n'),  # the last quote is left open
        (CMD1.replace(f' "{URL}"', ""), "yt-dlp"),
        (CMD1.replace('--download-sections "*1:35-2:40" ', ""), "yt-dlp"),
        (CMD1.replace('-o "aBcD3fGh1jK-1m35s.mp4"', "-o"), "-o\n"),
    ],
)
def test_nc402_unparseable(clean_text, cmd, needle):
    text = with_cmd1(clean_text, cmd)
    ds = diags(text)
    assert [d.code for d in ds] == ["NC402"], ds
    assert (ds[0].line, ds[0].column) == where(text, cmd, needle)


@pytest.mark.parametrize(
    "cmd",
    [
        CMD1.replace('"*1:35-2:40"', '"*95-160"'),
        CMD1.replace('"*1:35-2:40"', "'*1:35 - 2:40'"),
        CMD1.replace("--force-keyframes-at-cuts", "--force-key"),  # yt-dlp takes unique prefixes
        CMD1.replace(f'"{URL}"', "aBcD3fGh1jK"),
        CMD1.replace(f'"{URL}"', '"https://youtu.be/aBcD3fGh1jK"'),
        CMD1.replace(" --force-keyframes-at-cuts", " \\\n  --force-keyframes-at-cuts"),
        "# cut the clip\n" + CMD1,
        "$ " + CMD1,  # a console prompt
    ],
)
def test_nc402_near_miss_valid_variants(clean_text, cmd):
    assert found(with_cmd1(clean_text, cmd)) == []


# ----------------------------------------------------------------------------- NC403


# The clean note's transcript is abridged (the soil quote's paragraph, 1:35 to 4:10, holds 41
# words): its words may lie anywhere in it, so the clip is judged against that whole span.
# tests/test_timeline.py covers full (dense) transcripts and notes without a transcript.


@pytest.mark.parametrize(("bound", "verdict"), [("4:11", "cut off"), ("0:34", "61 s or more before")])
def test_nc403_clip_start(clean_text, bound, verdict):
    # the tag 1m35s still names a start that holds the quote: only the start is reported
    text = with_cmd1(clean_text, CMD1.replace('"*1:35-2:40"', f'"*{bound}-4:40"'))
    ds = diags(text)
    assert [(d.code, d.line, d.column) for d in ds] == [("NC403", line_of(text, CMD1[:20]), col_of(text, f"{bound}-4:40"))]
    assert verdict in ds[0].message and "paragraph at 1:35" in ds[0].message
    if bound == "4:11":  # the clean note's transcript is abridged: the words may be anywhere in 1:35-4:10
        assert ds[0].message == ("clip starts at 4:11 (251 s), after the quote's words (in the paragraph at 1:35, "
                                 "to 4:10): the quoted moment is cut off")


@pytest.mark.parametrize("bound", ["4:09", "0:35", "1:27", "3:00"])
def test_nc403_near_miss_clip_inside_the_abridged_paragraph_or_60_s_before_it(clean_text, bound):
    # 4:09: the paragraph's last second; 0:35: exactly clip-lead-seconds (60) before it
    text = with_cmd1(clean_text, CMD1.replace('"*1:35-2:40"', f'"*{bound}-4:40"'))
    assert [code for code, _ in found(text)] == ["NC407"]  # only the tag now differs from the start
    # a highlight citing 1:02:00 whose clip starts at *62:00 agrees
    text = clean_text.replace(CMD3, CMD3.replace('"*1:02:00-1:03:15"', '"*62:00-63:15"'))
    assert text != clean_text and found(text) == []


def test_nc403_lead_is_configurable(clean_text):
    text = with_cmd1(clean_text, CMD1.replace("*1:35-", "*1:15-").replace("-1m35s", "-1m15s"))
    text = text.replace(THUMB1, THUMB1.replace("t=95s", "t=75s"))
    assert found(text) == []  # 20 s before the paragraph, the default allows 60
    assert [code for code, _ in found(text, clip_lead_seconds=19)] == ["NC403"]
    assert found(text, clip_lead_seconds=20) == []


# ----------------------------------------------------------------------------- NC404 / NC405


def test_nc404_end_not_after_start(clean_text):
    text = with_cmd1(clean_text, CMD1.replace('"*1:35-2:40"', '"*1:35-1:30"'))
    ds = diags(text)
    assert [(d.code, d.column) for d in ds] == [("NC404", col_of(text, "1:30\""))]


def test_nc405_end_past_duration(clean_text):
    text = clean_text.replace(CMD3, CMD3.replace("-1:03:15", "-1:07:00"))
    ds = diags(text)
    assert [(d.code, d.line, d.column) for d in ds] == [("NC405", line_of(text, "1:07:00\""), col_of(text, "1:07:00\""))]
    assert "4000 s" in ds[0].message


@pytest.mark.parametrize("end", ["1:06:40", "inf"])
def test_nc405_near_miss_end_at_duration_or_inf(clean_text, end):
    assert found(clean_text.replace(CMD3, CMD3.replace("-1:03:15", f"-{end}"))) == []


# ----------------------------------------------------------------------------- NC406


def test_nc406_clip_video_id(clean_text):
    text = with_cmd1(clean_text, CMD1.replace(f'"{URL}"', '"https://youtu.be/zzzzzzzzzzz"'))
    ds = diags(text)
    assert [(d.code, d.line, d.column) for d in ds] == [("NC406", line_of(text, "zzzzzzzzzzz"), col_of(text, "zzzzzzzzzzz"))]
    assert apply_fixes(text, ds) == with_cmd1(clean_text, CMD1.replace(f'"{URL}"', '"https://youtu.be/aBcD3fGh1jK"'))


def test_nc406_fix_on_watch_url(clean_text):
    text = with_cmd1(clean_text, CMD1.replace(f'"{URL}"', '"https://www.youtube.com/watch?v=zzzzzzzzzzz"'))
    ds = diags(text)
    assert [d.code for d in ds] == ["NC406"]
    assert apply_fixes(text, ds) == clean_text


# ----------------------------------------------------------------------------- NC407


def test_nc407_output_tag(clean_text):
    text = with_cmd1(clean_text, CMD1.replace("-1m35s.mp4", "-1m53s.mp4"))
    ds = diags(text)
    assert [(d.code, d.line, d.column) for d in ds] == [("NC407", line_of(text, "1m53s"), col_of(text, "1m53s"))]
    assert "1m53s" in ds[0].message and "1:35" in ds[0].message
    assert apply_fixes(text, ds) == clean_text


@pytest.mark.parametrize("name", ["soil-is-slow.mp4", "top-10-picks.mp4", "cpu-runs-the-world.mp4", "%(id)s.%(ext)s"])
def test_nc407_near_miss_slug_names(clean_text, name):
    assert found(with_cmd1(clean_text, CMD1.replace("aBcD3fGh1jK-1m35s.mp4", name))) == []


def test_nc407_tag_and_start_wrong_together_is_nc403(clean_text):
    text = with_cmd1(clean_text, CMD1.replace("*1:35-2:40", "*4:20-5:20").replace("-1m35s", "-4m20s"))
    assert [code for code, _ in found(text)] == ["NC403"]


# ----------------------------------------------------------------------------- NC408


@pytest.mark.parametrize("end", ["1:37", "12:00"])
def test_nc408_clip_length(clean_text, end):
    text = with_cmd1(clean_text, CMD1.replace("-2:40", f"-{end}"))
    ds = diags(text)
    assert [(d.code, d.column) for d in ds] == [("NC408", col_of(text, "1:35-"))]
    assert found(text, clip_seconds=(1.0, 700.0)) == []


def test_nc408_near_miss_exactly_600_seconds(clean_text):
    assert found(with_cmd1(clean_text, CMD1.replace("-2:40", "-11:35"))) == []


# ----------------------------------------------------------------------------- NC409: one wrong value, one finding


def test_nc409_attribution_at_the_clip_end(clean_text):
    text = clean_text.replace(ATTR1, ATTR1.replace("[1:35]", "[2:40]").replace("t=95s", "t=160s"))
    ds = diags(text)
    assert [(d.code, d.line, d.column) for d in ds] == [("NC409", line_of(text, "[2:40]"), col_of(text, "2:40]"))]
    assert "at or after the clip's end 2:40" in ds[0].message


def test_nc409_near_miss_attribution_inside_the_clip_is_accepted_practice(clean_text):
    # thumbnail and clip at 1:35, the attribution citing the quote's own moment inside the clip
    for label, t in (("1:45", 105), ("2:39", 159)):
        text = clean_text.replace(ATTR1, ATTR1.replace("[1:35]", f"[{label}]").replace("t=95s", f"t={t}s"))
        assert found(text) == [], label


def test_nc409_thumbnail_differs_from_attribution_and_clip(clean_text):
    text = clean_text.replace(THUMB1, THUMB1.replace("t=95s", "t=105s"))
    ds = diags(text)
    assert [(d.code, d.line, d.column) for d in ds] == [("NC409", *where(text, "t=105s", "105s"))]


def test_nc409_near_miss_attribution_label_with_wrong_t_is_nc301(clean_text):
    text = clean_text.replace(ATTR1, ATTR1.replace("t=95s", "t=105s"))
    assert found(text) == [("NC301", line_of(text, "t=105s"))]


def test_nc409_attribution_past_duration_is_nc303(clean_text):
    text = clean_text.replace(ATTR1, ATTR1.replace("[1:35]", "[1:35:00]").replace("t=95s", "t=5700s"))
    assert found(text) == [("NC303", line_of(text, "[1:35:00]"))]


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("t=95s)\n<details>", "t=96s)\n<details>", "NC409"),  # thumbnail t=
        ('"*1:35-2:40"', '"*1:36-2:40"', "NC407"),  # clip start (inside the quote's paragraph: the tag is odd)
        ('"*1:35-2:40"', '"*4:10-4:40"', "NC403"),  # clip start after the quote's paragraph
        ("[1:35](", "[2:50](", None),  # attribution label (plus its t= below): after the clip's end
        ("-1m35s.mp4", "-1m36s.mp4", "NC407"),  # -o tag
    ],
)
def test_one_wrong_value_in_a_highlight_is_one_finding(clean_text, old, new, code):
    text = clean_text.replace(old, new, 1)
    if code is None:
        text = text.replace(f"[2:50]({URL}&t=95s)", f"[2:50]({URL}&t=170s)")
        code = "NC409"
    assert text != clean_text
    ds = diags(text)
    assert [(d.code, d.line) for d in ds] == [(code, line_of(text, new))]


# ----------------------------------------------------------------------------- NC410


def test_nc410_thumbnail_image_id(clean_text):
    text = clean_text.replace(THUMB1, THUMB1.replace("/vi/aBcD3fGh1jK/", "/vi/zzzzzzzzzzz/"))
    ds = diags(text)
    assert [(d.code, d.line, d.column) for d in ds] == [("NC410", line_of(text, "zzzzzzzzzzz"), col_of(text, "zzzzzzzzzzz"))]
    assert apply_fixes(text, ds) == clean_text


def test_nc410_near_miss_other_thumbnail_forms(clean_text):
    thumb = THUMB1.replace("[![Clip](https://img.youtube.com/vi/aBcD3fGh1jK/hqdefault.jpg)",
                           "[![Maria Lopez on soil](https://i.ytimg.com/vi_webp/aBcD3fGh1jK/maxresdefault.webp)")
    assert found(clean_text.replace(THUMB1, thumb)) == []


# ----------------------------------------------------------------------------- NC411


@pytest.mark.parametrize(
    ("cmd", "needle"),
    [
        (CMD1 + "; rm -rf ~", ";"),
        (CMD1 + " && echo done", "&&"),
        (CMD1 + " | sh", "|"),
        (CMD1 + " > /dev/null", ">"),
        (CMD1.replace('"aBcD3fGh1jK-1m35s.mp4"', '"$(id)-1m35s.mp4"'), "$(id)"),
        (CMD1.replace('"aBcD3fGh1jK-1m35s.mp4"', '"`id`-1m35s.mp4"'), "`id`"),
        (CMD1.replace(f'"{URL}"', f"{URL}&t=95s"), "&t=95s --force"),
        (CMD1 + "\nrm -rf ~", "rm -rf"),
        (CMD1 + " --frobnicate", "--frobnicate"),
        (CMD1 + " --exec 'rm -rf ~'", "--exec"),
        (CMD1 + " -U", "-U"),
        ("sudo " + CMD1, "sudo"),
    ],
)
def test_nc411_beyond_one_yt_dlp_call(clean_text, cmd, needle):
    text = with_cmd1(clean_text, cmd)
    ds = [d for d in diags(text) if d.code == "NC411"]
    assert [(d.line, d.column) for d in ds] == [where(text, cmd, needle)]
    assert ds[0].severity == "error" and not ds[0].fixable and ds[0].fix is None
    assert "more in this command" not in ds[0].message  # one problem: nothing more to count


def test_nc411_one_finding_per_command_at_its_first_problem(clean_text):
    # three problems; the scanner finds ; and | before the option check finds --frobnicate
    cmd = CMD1 + " --frobnicate ; rm -rf ~ | sh"
    text = with_cmd1(clean_text, cmd)
    ds = [d for d in diags(text) if d.code == "NC411"]
    assert [(d.line, d.column) for d in ds] == [where(text, cmd, "--frobnicate")]
    assert ds[0].message == "`--frobnicate` is not a yt-dlp option (and 2 more in this command)"


def test_nc411_unclosed_fence_swallowing_the_rest_is_one_finding(clean_text):
    # the last clip's fence is never closed: the rest of the note reads as its command
    text = clean_text.replace(CMD3 + "\n```\n", CMD3 + "\n", 1)
    assert text != clean_text
    ds = [d for d in diags(text) if d.code == "NC411"]
    assert [(d.line, d.column) for d in ds] == [(line_of(text, CMD3) + 1, 1)]  # at the `<` of </details>
    assert ds[0].message.startswith("shell metacharacter `<` redirects input (and ")
    assert ds[0].message.endswith(" more in this command)")


@pytest.mark.parametrize(
    "cmd",
    [
        CMD1.replace('"aBcD3fGh1jK-1m35s.mp4"', "'a;b|c>d$(e)`f`-1m35s.mp4'"),  # all literal in single quotes
        CMD1.replace(f'"{URL}"', f'"{URL}&t=95s"'),  # & inside quotes
        CMD1.replace("--force-keyframes-at-cuts", "--force-keyframes-at-cuts -f 'bv*+ba/b' --no-playlist"),
    ],
)
def test_nc411_near_miss_quoted_metacharacters_and_real_options(clean_text, cmd):
    assert found(with_cmd1(clean_text, cmd)) == []


# ----------------------------------------------------------------------------- the parser


def test_parse_clip_command_offsets():
    text = "yt-dlp --download-sections '*104:00-105:10' https://youtu.be/lXUZvyajciY -o lXUZvyajciY-104m00s.mp4"
    call = parse_clip_command(text, 1000)
    assert call.ok and not call.security_issues
    assert (call.start.seconds, call.end.seconds) == (6240.0, 6310.0)
    assert text[call.start.start - 1000:call.start.end - 1000] == "104:00"
    assert text[call.end.start - 1000:call.end.end - 1000] == "105:10"
    assert text[call.id_start - 1000:call.id_end - 1000] == "lXUZvyajciY"
    assert (call.tag_seconds, text[call.tag_start - 1000:call.tag_end - 1000]) == (6240, "104m00s")


def test_parse_clip_command_escaped_text_has_no_exact_span():
    call = parse_clip_command('yt-dlp --download-sections "*1:00-2:00" "https://youtu.be/lXUZvyajc\\"iY"')
    assert call.id_end is None  # an escape inside the id: findings, but no fix


def test_option_tables_are_disjoint_and_hold_the_clip_options():
    assert not YT_DLP_FLAGS & YT_DLP_VALUED
    assert {"--download-sections", "--merge-output-format", "-o", "-f"} <= YT_DLP_VALUED
    assert "--force-keyframes-at-cuts" in YT_DLP_FLAGS


_word = st.text(alphabet="abcXYZ019-_*:./=?%,+@", min_size=1, max_size=12)


@st.composite
def _quoted(draw):
    word = draw(_word)
    how = draw(st.sampled_from(["bare", "single", "double", "mixed"]))
    if how == "single":
        return f"'{word}'"
    if how == "double":
        return '"' + word + '"'
    if how == "mixed":
        return f"{word[:1]}'{word[1:]}'\"x\""
    return word


@given(st.lists(_quoted(), min_size=1, max_size=8))
def test_scanner_splits_like_shlex(words):
    text = " ".join(words)
    commands, parse_issues, security = _scan(text, 0)
    assert not parse_issues and not security
    assert [w.text for cmd in commands for w in cmd.words] == shlex.split(text)
    for cmd in commands:
        for w in cmd.words:
            assert [text[o] for o in w.offsets] == list(w.text)


def _scanned(result):
    commands, parse_issues, security = result
    return [[(w.text, w.start, w.end, tuple(w.offsets)) for w in c.words] + [c.start, c.after_operator] for c in commands], \
        parse_issues, security


@given(st.lists(st.sampled_from(list("ab-*:09'\"\\$`;&|#\n\r\t =\xa0\x0b") + ["yt-dlp", "  ", "'x y'", '"u v"', "--o"]),
                max_size=30).map("".join), st.integers(0, 9))
def test_one_line_fast_scan_reads_like_the_shell_scanner(text, base):
    assert _scanned(_scan(text, base)) == _scanned(_scan_shell(text, base))


def test_the_usual_clip_command_takes_the_fast_scan():
    assert _SIMPLE_COMMAND.fullmatch(CMD1 + "\n")
    assert not _SIMPLE_COMMAND.fullmatch(CMD1 + "\nyt-dlp")  # a second command
    assert not _SIMPLE_COMMAND.fullmatch(CMD1 + ' "unclosed')
    assert not _SIMPLE_COMMAND.fullmatch("a" * 100_000 + "$")  # and fails fast (possessive quantifiers)


@given(st.lists(st.sampled_from(list("yt-dlp *:09'\"\\$`;&|<>()#\n\r=aBoO/.") + ["--download-sections", "-o", " yt-dlp "]),
                max_size=40).map("".join))
def test_parser_never_raises_and_offsets_stay_inside(text):
    call = parse_clip_command(text, 7)
    for issue in call.parse_issues + call.security_issues:
        assert 7 <= issue.offset <= 7 + len(text)
    for bound in (call.start, call.end):
        if bound is not None:
            assert 7 <= bound.start <= bound.end <= 7 + len(text)


@given(st.lists(st.sampled_from(list("0123456789:*-\"' ;&$`") + ["inf", "1:02:00", "aBcD3fGh1jK", "m", "s"]),
                max_size=20).map("".join))
def test_rules_never_raise_on_mangled_clip_commands(text):
    clean = (CMD1.rsplit("-o", 1)[0])
    note_text = CLEAN_TEXT.replace(CMD1, clean + text)
    for d in diags(note_text):
        assert d.line >= 1 and d.column >= 1


CLEAN_TEXT = __import__("conftest").CLEAN.read_text(encoding="utf-8")
