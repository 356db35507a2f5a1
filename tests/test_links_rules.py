"""NC301-NC306 on edits of the clean note: each rule catches its defect once, at the offending text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import apply_fixes, col_of, line_of
from notecheck import Config, check_text, parse

URL = "https://www.youtube.com/watch?v=aBcD3fGh1jK"


def diags(text: str, **config):
    return check_text(text, path="note.md", config=Config(select=("NC3", "NC4"), **config))


def found(text: str, **config) -> list[tuple[str, int]]:
    return [(d.code, d.line) for d in diags(text, **config)]


def test_clean_note_is_silent(clean_text):
    assert found(clean_text) == []


# ----------------------------------------------------------------------------- links


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=aBcD3fGh1jK&t=250s",
        "https://www.youtube.com/watch?v=aBcD3fGh1jK&t=250",
        "https://www.youtube.com/watch?t=250s&v=aBcD3fGh1jK",
        "https://youtube.com/watch?v=aBcD3fGh1jK&t=4m10s",
        "https://m.youtube.com/watch?v=aBcD3fGh1jK&t=250s",
        "https://youtu.be/aBcD3fGh1jK?t=250",
        "https://youtu.be/aBcD3fGh1jK?si=x1&t=250",
        "http://www.YouTube.com/watch?v=aBcD3fGh1jK&t=250s",
        "https://www.youtube.com/watch?v=aBcD3fGh1jK#t=250",
    ],
)
def test_every_url_form_is_a_timestamp_link(clean_text, url):
    text = clean_text.replace(f"[4:10]({URL}&t=250s)", f"[4:10]({url})")
    note = parse(text)
    link = next(link for link in note.links if link.label == "4:10")
    assert link.video_id == "aBcD3fGh1jK" and link.seconds == 250
    assert text[link.id_start:link.id_start + 11] == "aBcD3fGh1jK"
    assert text[link.t_start:link.t_start + len(link.t_text)] == link.t_text
    assert found(text) == []


def test_links_in_code_blocks_are_not_links(clean_text):
    text = clean_text.replace("## Transcript\n", f"## Transcript\n\n```\n[9:99]({URL}x&t=1s)\n```\n", 1)
    assert not any(link.label == "9:99" for link in parse(text).links)
    assert found(text) == []


# ----------------------------------------------------------------------------- NC301


def test_nc301_label_t_mismatch(clean_text):
    text = clean_text.replace(f"[4:10]({URL}&t=250s)", f"[4:10]({URL}&t=260s)")
    ds = diags(text)
    assert [(d.code, d.line, d.column) for d in ds] == [("NC301", line_of(text, "t=260s"), col_of(text, "260s"))]
    assert "4:10" in ds[0].message and "250 s" in ds[0].message and "t=260s" in ds[0].message


@pytest.mark.parametrize("t", ["250", "4m10s", "250s"])
def test_nc301_near_miss_other_t_forms(clean_text, t):
    text = clean_text.replace(f"[4:10]({URL}&t=250s)", f"[4:10]({URL}&t={t})")
    assert found(text) == []


def test_nc301_wrong_t_is_one_finding_even_out_of_order(clean_text):
    # like the sample's [1:25:00](…&t=4500s): the label is in order, the t= is not
    text = clean_text.replace(f"[1:02:00]({URL}&t=3720s) Regenerative", f"[1:02:00]({URL}&t=3300s) Regenerative")
    assert found(text) == [("NC301", line_of(text, "t=3300s) Regenerative"))]


@pytest.mark.parametrize(
    ("old", "new", "fixed"),
    [
        ("t=250s)", "t=260s)", "t=250s)"),
        ("t=250s)", "t=260)", "t=250)"),
        ("t=250s)", "t=4m20s)", "t=4m10s)"),
        ("t=250s)", "t=abc)", "t=250s)"),
    ],
)
def test_nc301_fix_rewrites_t_from_label(clean_text, old, new, fixed):
    text = clean_text.replace(f"[4:10]({URL}&{old}", f"[4:10]({URL}&{new}")
    ds = diags(text)
    assert [d.code for d in ds] == ["NC301"]
    assert apply_fixes(text, ds) == clean_text.replace(f"[4:10]({URL}&{old}", f"[4:10]({URL}&{fixed}")


def test_nc301_missing_t(clean_text):
    text = clean_text.replace(f"[4:10]({URL}&t=250s)", f"[4:10](https://youtu.be/aBcD3fGh1jK)")
    ds = diags(text)
    assert [(d.code, d.line) for d in ds] == [("NC301", line_of(text, "[4:10]"))]
    assert apply_fixes(text, ds) == text.replace("https://youtu.be/aBcD3fGh1jK)", "https://youtu.be/aBcD3fGh1jK?t=250s)")
    # 0:00 without t= opens where it says
    assert ("NC301", line_of(clean_text, "[0:00]")) not in found(clean_text.replace(f"[0:00]({URL}&t=0s)", f"[0:00]({URL})"))


# ----------------------------------------------------------------------------- NC302


def test_nc302_link_video_id(clean_text):
    text = clean_text.replace(f"[8:20]({URL}&t=500s)) - Her", "[8:20](https://www.youtube.com/watch?v=zzzzzzzzzzz&t=500s)) - Her")
    ds = diags(text)
    assert [(d.code, d.line, d.column) for d in ds] == [("NC302", line_of(text, "zzzzzzzzzzz"), col_of(text, "zzzzzzzzzzz"))]
    assert "zzzzzzzzzzz" in ds[0].message and "aBcD3fGh1jK" in ds[0].message
    assert apply_fixes(text, ds) == clean_text


def test_nc302_youtu_be_and_thumbnail_links(clean_text):
    text = clean_text.replace(f"[4:10]({URL}&t=250s)", "[4:10](https://youtu.be/zzzzzzzzzzz?t=250)")
    text = text.replace(f"hqdefault.jpg)]({URL}&t=95s)", "hqdefault.jpg)](https://www.youtube.com/watch?v=yyyyyyyyyyy&t=95s)")
    assert found(text) == [("NC302", line_of(text, "yyyyyyyyyyy")), ("NC302", line_of(text, "zzzzzzzzzzz"))]
    assert apply_fixes(text, diags(text)) == clean_text.replace(
        f"[4:10]({URL}&t=250s)", "[4:10](https://youtu.be/aBcD3fGh1jK?t=250)")


def test_nc302_near_miss_other_labels_may_link_other_videos(clean_text):
    text = clean_text + "\n## Additional Resources\n\n- [Her TED talk](https://www.youtube.com/watch?v=zzzzzzzzzzz&t=30s)\n"
    assert found(text) == []


def test_nc302_silent_without_video_id(clean_text):
    text = clean_text.replace("video_id: aBcD3fGh1jK\n", "")
    text = text.replace(f"[4:10]({URL}&t=250s)", "[4:10](https://youtu.be/zzzzzzzzzzz?t=250)")
    assert "NC302" not in [code for code, _ in found(text)]


# ----------------------------------------------------------------------------- NC303


def test_nc303_time_past_duration(clean_text):
    para = f"\n\n[1:07:00]({URL}&t=4020s) One more thing."
    text = clean_text.rstrip("\n") + para + "\n"
    ds = diags(text)
    assert [(d.code, d.line, d.column) for d in ds] == [("NC303", line_of(text, "[1:07:00]"), 2)]
    assert "1:07:00" in ds[0].message and "4000 s" in ds[0].message


def test_nc303_near_miss_at_the_very_end(clean_text):
    text = clean_text.rstrip("\n") + f"\n\n[1:06:40]({URL}&t=4000s) The end.\n"
    assert found(text) == []


def test_nc303_wrong_t_past_duration_is_only_nc301(clean_text):
    text = clean_text.replace(f"[1:05:30]({URL}&t=3930s)", f"[1:05:30]({URL}&t=5930s)")
    assert found(text) == [("NC301", line_of(text, "t=5930s"))]


def test_nc303_silent_without_duration(clean_text):
    text = clean_text.replace("duration: 4000\n", "").rstrip("\n") + f"\n\n[1:07:00]({URL}&t=4020s) More.\n"
    assert "NC303" not in [code for code, _ in found(text)]


# ----------------------------------------------------------------------------- NC304


@pytest.mark.parametrize("bad", ["8:2", "8:65", "1:2:3", "8:20:00:00"])
def test_nc304_malformed_label_fixed_from_t(clean_text, bad):
    text = clean_text.replace(f"[8:20]({URL}&t=500s) Our", f"[{bad}]({URL}&t=500s) Our")
    ds = diags(text)
    assert [(d.code, d.line, d.column) for d in ds] == [("NC304", line_of(text, f"[{bad}]({URL}&t=500s) Our"), 2)]
    assert apply_fixes(text, ds) == clean_text


def test_nc304_without_valid_t_has_no_fix(clean_text):
    text = clean_text.replace(f"[8:20]({URL}&t=500s) Our", f"[8:2]({URL}&t=x) Our")
    ds = diags(text)
    assert [d.code for d in ds] == ["NC304"] and not ds[0].fixable


def test_nc304_near_miss_leading_zero_is_style_not_malformed(clean_text):
    text = clean_text.replace(f"[8:20]({URL}&t=500s) Our", f"[08:20]({URL}&t=500s) Our")
    assert found(text) == [("NC306", line_of(text, "[08:20]"))]


# ----------------------------------------------------------------------------- NC305


def _swap_paragraphs(text: str, first: str, second: str) -> str:
    a = next(p for p in text.split("\n\n") if p.startswith(first))
    b = next(p for p in text.split("\n\n") if p.startswith(second))
    return text.replace(a, "\0").replace(b, a).replace("\0", b)


def test_nc305_transcript_out_of_order(clean_text):
    text = _swap_paragraphs(clean_text, "[12:55]", "[17:45]")
    # now 8:20, 17:45, 12:55, 21:30: 12:55 is the first step back
    assert found(text) == [("NC305", line_of(text, "[12:55]", 1 + clean_text[:clean_text.index("## Transcript")].count("[12:55]")))]


def test_nc305_near_miss_equal_times_and_chapters(clean_text):
    text = clean_text.replace(f"[4:10]({URL}&t=250s)", f"[1:35]({URL}&t=95s)")
    text = text.replace(f"\n[8:20]({URL}&t=500s) Our", f"\n### Part two\n\n[8:20]({URL}&t=500s) Our")
    assert found(text) == []


def test_nc305_label_past_duration_is_only_nc303(clean_text):
    text = clean_text.replace(f"[1:02:00]({URL}&t=3720s) Regenerative", f"[2:02:00]({URL}&t=7320s) Regenerative")
    assert found(text) == [("NC303", line_of(text, "[2:02:00]"))]


# ----------------------------------------------------------------------------- NC306


@pytest.mark.parametrize(("bad", "good"), [("08:20", "8:20"), ("0:08:20", "8:20"), ("00:08:20", "8:20")])
def test_nc306_leading_zero_and_zero_hour(clean_text, bad, good):
    text = clean_text.replace(f"[8:20]({URL}&t=500s) Our", f"[{bad}]({URL}&t=500s) Our")
    ds = diags(text)
    assert [(d.code, d.line, d.column) for d in ds] == [("NC306", line_of(text, f"[{bad}]"), 2)]
    assert apply_fixes(text, ds) == clean_text


def test_nc306_mixed_styles_past_an_hour(clean_text):
    text = clean_text.replace(f"[1:05:30]({URL}", f"[65:30]({URL}")
    ds = diags(text)
    assert [(d.code, d.line) for d in ds] == [("NC306", line_of(text, "[65:30]"))]
    assert "1:05:30" in ds[0].message
    assert apply_fixes(text, ds) == clean_text


def test_nc306_near_miss_one_consistent_minutes_style(clean_text):
    text = clean_text.replace("[1:02:00]", "[62:00]").replace("[1:05:30]", "[65:30]")
    assert found(text) == []
    # clip bounds are not labels: either style is fine in an hms note
    text = clean_text.replace('"*1:02:00-1:03:15"', '"*62:00-63:15"')
    assert found(text) == []


def test_nc306_majority_decides_and_config_forces(clean_text):
    # three labels write 1:02:00, one writes 65:30: the odd one is reported ...
    text = clean_text.replace("[1:05:30]", "[65:30]")
    assert text.count("[1:02:00]") == 3
    assert [code for code, _ in found(text)] == ["NC306"]
    # ... and with label-style = "minutes" the three others are
    forced = found(text, label_style="minutes")
    assert forced == [("NC306", line_of(text, "[1:02:00]", n)) for n in range(1, 4)]


@given(label=st.text(alphabet="0123456789: ", max_size=9), t=st.text(alphabet="0123456789hms", max_size=7))
def test_rules_never_raise_on_any_label_or_t(label, t):
    text = CLEAN_TEXT.replace(f"[4:10]({URL}&t=250s)", f"[{label}]({URL}&t={t})")
    line = line_of(text, f"[{label}]({URL}&t={t})")
    for d in diags(text):  # the link's own line, or the next paragraph's order (NC305)
        assert d.code.startswith("NC3") and d.line in (line, line + 2)


CLEAN_TEXT = __import__("conftest").CLEAN.read_text(encoding="utf-8")


def test_spec_variations_raise_nothing(clean_text):
    """SPEC §1's valid variations, all at once: no NC3xx/NC4xx finding."""
    text = clean_text
    text = text.replace("> -- Maria Lopez, [1:35]", "> — Maria Lopez and Tom Reyes, [1:35]")
    text = text.replace("> -- Maria Lopez, [25:10]", "> -- Maria Lopez (quoted by Tom Reyes), [25:10]")
    text = text.replace("> -- Maria Lopez, [1:02:00]", "> — [1:02:00]")
    text = text.replace('-o "aBcD3fGh1jK-25m10s.mp4"', '-o "measure-first.mp4"')
    text = text.replace("https://img.youtube.com/vi/aBcD3fGh1jK/hqdefault.jpg",
                        "https://i.ytimg.com/vi_webp/aBcD3fGh1jK/sddefault.webp", 1)
    text = text.replace(f"[8:20]({URL}&t=500s)) - Her", "[8:20](https://youtube.com/watch?v=aBcD3fGh1jK&t=500)) - Her")
    text = text.replace(f"[17:45]({URL}&t=1065s)) - The", "[17:45](https://youtu.be/aBcD3fGh1jK?t=1065)) - The")
    text = text.replace("## Transcript\n", "## Full Transcript\n\n### Opening\n")
    text = text.replace(f"\n[0:42]({URL}", f"\n**Maria Lopez:** [0:42]({URL}")
    text = text.replace(f"\n[4:10]({URL}", f"\n> Note: the recording drops here.\n\n*Sponsored by Compost Co.*\n\n[4:10]({URL}")
    # minutes past 59 everywhere past an hour (one style) ...
    text = text.replace("[1:02:00]", "[62:00]").replace("[1:05:30]", "[65:30]")
    # ... and the clip range in the other style, which is fine for clip bounds
    text = text.replace('"*1:02:00-1:03:15"', '"*62:00-1:03:15"')
    for crlf in (False, True):
        assert found(text.replace("\n", "\r\n") if crlf else text) == []
    # a leading zero is the one variation NC306 speaks of
    assert found(text.replace("[8:20](https://youtube.com", "[08:20](https://youtube.com")) == [
        ("NC306", line_of(text, "[8:20](https://youtube.com"))]
