"""NC101-NC105: schema, duration rendering, ids in url/thumbnail, title vs H1."""

from __future__ import annotations

import subprocess
import sys

import pytest

import notecheck
from conftest import CLEAN, SAMPLES, apply_fixes, line_of
from notecheck import Config


def diags(text: str, code: str):
    return [d for d in notecheck.check_text(text, config=Config(select=(code,))) if d.code == code]


def mine(text: str):
    return notecheck.check_text(text, config=Config(select=("NC0", "NC1", "NC2")))


# ---------------------------------------------------------------- NC101


def test_nc101_missing_key_at_front_matter_start(clean_text):
    text = clean_text.replace("channel: Field Notes Podcast\n", "", 1)
    found = diags(text, "NC101")
    assert [(d.line, d.column) for d in found] == [(1, 1)]
    assert "`channel`" in found[0].message


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("duration: 4000", 'duration: "4000"', "duration"),
        ("duration: 4000", "duration: 0", "duration"),
        ("video_id: aBcD3fGh1jK", "video_id: aBcD3fGh1j", "video_id"),
        ("upload_date: 2025-06-02", 'upload_date: "2025-13-02"', "upload_date"),
        ("upload_date: 2025-06-02", "upload_date: 2025-06-02 10:00:00", "upload_date"),
        ("view_count: 48210", "view_count: -1", "view_count"),
        ("view_count: 48210", "view_count: many", "view_count"),
        ('duration_formatted: "1:06:40"', 'duration_formatted: "1:6:40"', "duration_formatted"),
        ("url: https://www.youtube.com/watch?v=aBcD3fGh1jK", "url: https://example.com/v/aBcD3fGh1jK", "url"),
        ("thumbnail: https://i.ytimg.com/vi_webp/aBcD3fGh1jK/maxresdefault.webp", "thumbnail: 42", "thumbnail"),
        ("  - farming\n", "  - [farming]\n", "tags"),
        ('title: "Maria Lopez — \\"Soil is the slowest technology we have\\""', 'title: "  "', "title"),
    ],
)
def test_nc101_bad_value_at_its_key(clean_text, old, new, key):
    assert old in clean_text
    text = clean_text.replace(old, new, 1)
    found = diags(text, "NC101")
    assert [(d.line, d.column) for d in found] == [(line_of(text, f"{key}:"), 1)]
    assert f"`{key}" in found[0].message


def test_nc101_one_finding_per_violation(clean_text):
    text = clean_text.replace("channel: Field Notes Podcast\n", "", 1).replace("duration: 4000", "duration: -4", 1)
    text = text.replace("video_id: aBcD3fGh1jK", "video_id: 7", 1)
    found = diags(text, "NC101")
    assert sorted((d.line, d.message.split("`")[1]) for d in found) == [
        (1, "channel"), (2, "video_id"), (line_of(text, "duration: -4"), "duration")]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("upload_date: 2025-06-02", "upload_date: 20250602"),  # as yt-dlp writes it, loaded as int
        ("upload_date: 2025-06-02", 'upload_date: "2025-06-02"'),
        ('duration_formatted: "1:06:40"', "duration_formatted: 1:06:40"),  # YAML 1.1 reads base-60 int
        ('duration_formatted: "1:06:40"', 'duration_formatted: "66:40"'),
        ("view_count: 48210\n", ""),
        ("view_count: 48210", "view_count: null"),
        ("thumbnail: https://i.ytimg.com/vi_webp/aBcD3fGh1jK/maxresdefault.webp\n", ""),
        ("  - soil\n", "  - 2024\n"),  # a year tag
        ("tags:\n  - soil\n  - farming\n  - ecology\n", "tags: []\n"),
        ("channel: Field Notes Podcast", "channel: Field Notes Podcast\nlanguage: en\ncategories: [Science]"),
        ("url: https://www.youtube.com/watch?v=aBcD3fGh1jK", "url: https://youtu.be/aBcD3fGh1jK"),
        ("url: https://www.youtube.com/watch?v=aBcD3fGh1jK", "url: https://youtube.com/watch?feature=share&v=aBcD3fGh1jK"),
    ],
)
def test_nc101_near_miss_valid_forms(clean_text, old, new):
    assert old in clean_text
    assert mine(clean_text.replace(old, new, 1)) == []


def test_nc101_silent_when_front_matter_is_broken(clean_text):
    text = clean_text.replace("channel: Field Notes Podcast", "channel: [broken", 1)
    assert [d.code for d in mine(text)] == ["NC003"]


def test_clean_check_does_not_import_jsonschema():
    code = ("import sys, notecheck; from pathlib import Path; "
            f"assert notecheck.check_text(Path({str(CLEAN)!r}).read_text()) == []; "
            "assert 'jsonschema' not in sys.modules and 'ftfy' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------- NC102


@pytest.mark.parametrize(
    ("duration", "written", "expected"),
    [
        (4000, '"1:06:41"', '"1:06:40"'),
        (4000, "'1:06:41'", "'1:06:40'"),
        (4000, "1:06:41", "1:06:40"),
        (4299, '"71:38"', '"71:39"'),  # minutes past 59 stays that style
        (565, '"9:26"', '"9:25"'),
        (565, '"09:26"', '"09:25"'),
        (565, '"0:09:26"', '"0:09:25"'),
        (2771, '"0:01"', '"46:11"'),  # 0:01 is M:SS with no minutes, not an hour field
        (2771, '"00:01"', '"46:11"'),
        (4000, '"59:00"', '"1:06:40"'),
        (1940, '"1:32:20"', '"32:20"'),  # an hour field for a 32-minute video: canonical, no "0:" hour
        (1940, "1:32:20", "32:20"),
        (3600, '"59:59"', '"1:00:00"'),  # exactly an hour, written shorter: the note's style (H:MM:SS)
        (3660, '"60:00"', '"61:00"'),  # written as exactly an hour in minutes: that style is kept
    ],
)
def test_nc102_wrong_rendering_fixed_in_its_style(clean_text, duration, written, expected):
    text = clean_text.replace("duration: 4000", f"duration: {duration}", 1)
    text = text.replace('duration_formatted: "1:06:40"', f"duration_formatted: {written}", 1)
    found = diags(text, "NC102")
    line = line_of(text, "duration_formatted:")
    assert [(d.line, d.column) for d in found] == [(line, len("duration_formatted: ") + 1 + (written[0] in "'\""))]
    assert apply_fixes(text, found) == text.replace(f"duration_formatted: {written}", f"duration_formatted: {expected}")


def test_nc102_past_an_hour_written_shorter_takes_the_notes_style(clean_text):
    # the note writes its labels past an hour as minutes (62:00): the duration follows
    text = clean_text.replace("[1:02:00]", "[62:00]").replace('duration_formatted: "1:06:40"',
                                                             'duration_formatted: "59:00"', 1)
    found = diags(text, "NC102")
    assert apply_fixes(text, found) == text.replace('"59:00"', '"66:40"', 1)


@pytest.mark.parametrize("written", ['"66:40"', '"1:06:40"', "1:06:40", '"01:06:40"'])
def test_nc102_near_miss_any_accepted_style(clean_text, written):
    text = clean_text.replace('duration_formatted: "1:06:40"', f"duration_formatted: {written}", 1)
    assert diags(text, "NC102") == []


def test_nc102_silent_when_values_are_nc101s(clean_text):
    text = clean_text.replace("duration: 4000", 'duration: "4000"', 1).replace('"1:06:40"', '"1:06:41"', 1)
    assert [d.code for d in mine(text)] == ["NC101"]


# ---------------------------------------------------------------- NC103 / NC104


def test_nc103_url_id_differs_with_fix(clean_text):
    text = clean_text.replace("url: https://www.youtube.com/watch?v=aBcD3fGh1jK",
                              "url: https://www.youtube.com/watch?v=lXUZvyajciY", 1)
    found = diags(text, "NC103")
    line = line_of(text, "url:")
    assert [(d.line, d.column) for d in found] == [(line, text.splitlines()[line - 1].index("lXUZ") + 1)]
    assert apply_fixes(text, found) == clean_text


@pytest.mark.parametrize("url", ["https://youtu.be/aBcD3fGh1jK", '"https://www.youtube.com/watch?v=aBcD3fGh1jK&t=3s"',
                                 "https://m.youtube.com/watch?feature=x&v=aBcD3fGh1jK"])
def test_nc103_near_miss_other_url_forms(clean_text, url):
    text = clean_text.replace("url: https://www.youtube.com/watch?v=aBcD3fGh1jK", f"url: {url}", 1)
    assert mine(text) == []


def test_nc103_malformed_url_is_nc101_only(clean_text):
    text = clean_text.replace("watch?v=aBcD3fGh1jK\n", "watch?v=aBcD\n", 1)
    assert [d.code for d in mine(text)] == ["NC101"]


def test_nc104_thumbnail_id_differs_with_fix(clean_text):
    text = clean_text.replace("vi_webp/aBcD3fGh1jK/", "vi_webp/lXUZvyajciY/", 1)
    found = diags(text, "NC104")
    line = line_of(text, "thumbnail:")
    assert [(d.line, d.column) for d in found] == [(line, text.splitlines()[line - 1].index("lXUZ") + 1)]
    assert apply_fixes(text, found) == clean_text


def test_nc104_near_miss_other_thumbnail_hosts(clean_text):
    text = clean_text.replace("https://i.ytimg.com/vi_webp/aBcD3fGh1jK/maxresdefault.webp",
                              "https://img.youtube.com/vi/aBcD3fGh1jK/hqdefault.jpg", 1)
    assert mine(text) == []


# ---------------------------------------------------------------- NC105


def test_nc105_h1_differs(clean_text):
    text = clean_text.replace('# Maria Lopez -- "Soil is the slowest', '# Maria Lopez -- "Soil is the fastest', 1)
    found = diags(text, "NC105")
    assert [(d.line, d.column) for d in found] == [(line_of(text, "# Maria"), 3)]


@pytest.mark.parametrize(
    "h1",
    [
        '# Maria Lopez — "Soil is the slowest technology we have"',
        '# Maria Lopez – “Soil is the slowest technology we have”',
        '#   Maria  Lopez --  "Soil is the slowest technology we have"  ',
        '# Maria Lopez -- "Soil is the slowest technology we have" #',
        '# Ｍaria Lopez -- "Soil is the slowest technology we have"',  # fullwidth M: NFKC
    ],
)
def test_nc105_near_miss_normalized_forms(clean_text, h1):
    text = clean_text.replace('# Maria Lopez -- "Soil is the slowest technology we have"', h1, 1)
    assert diags(text, "NC105") == []


TITLE_LINE = 'title: "Maria Lopez — \\"Soil is the slowest technology we have\\""'
H1_LINE = '# Maria Lopez -- "Soil is the slowest technology we have"'


def _titled(clean_text: str, title: str, h1: str) -> str:
    assert TITLE_LINE in clean_text and H1_LINE in clean_text
    return clean_text.replace(TITLE_LINE, f"title: {title}", 1).replace(H1_LINE, f"# {h1}", 1)


@pytest.mark.parametrize(("title", "h1"), [
    ("'Soil is slow | Field Notes Podcast 2025-01-02'", "Soil is slow"),  # a show's suffix left out
    ("'Soil is slow | Part 2 | Field Notes'", "Soil is slow | Part 2"),
    ("'Soil is slow | Part 2 | Field Notes'", "Soil is slow"),
    ("'Maria Lopez — ''Soil is slow'''", 'Maria Lopez -- "Soil is slow"'),  # ' forced by YAML quoting
    ("'A | B | C | Field Notes'", "A | B"),  # the last part of several left out
    ("'Q | Field Notes'", "Q"),
    ("'Soil #1 | Field Notes'", "Soil \\#1"),  # a Markdown escape in the H1
    ('"Maria Lopez — \\"Soil is slow\\""', "Maria Lopez -- 'Soil is slow'"),
])
def test_nc105_near_miss_show_suffix_and_quote_marks(clean_text, title, h1):
    assert diags(_titled(clean_text, title, h1), "NC105") == []


@pytest.mark.parametrize(("title", "h1"), [
    ("'Soil is slow | Field Notes'", "Soil is fast"),
    ("'Soil is slow | Field Notes'", "Field Notes"),  # the suffix kept, the title left out
    ("'Soil is slow|Field Notes'", "Soil is slow"),  # no " | " separator: part of the title
])
def test_nc105_show_suffix_near_misses_still_differ(clean_text, title, h1):
    assert [d.code for d in diags(_titled(clean_text, title, h1), "NC105")] == ["NC105"]


def test_nc105_mojibake_title_matches_its_h1(clean_text):
    # the shape of the real sample: NC004 on the title, and no NC105 on the H1
    text = clean_text.replace("Maria Lopez —", "Maria Lopez â€”", 1)
    assert [(d.code, d.line) for d in mine(text)] == [("NC004", 3)]


@pytest.mark.skipif(not (SAMPLES / "lXUZvyajciY.md").is_file(), reason="shared sample not present")
def test_sample_front_matter_findings():
    text = (SAMPLES / "lXUZvyajciY.md").read_text(encoding="utf-8")
    assert [(d.code, d.line) for d in mine(text)] == [("NC004", 3)]


@pytest.mark.parametrize(("duration", "written"), [("0x" + "f" * 5000, '"1:06:40"'), ("4000", '"' + "9" * 5000 + ':00"')])
def test_nc102_absurd_numbers_do_not_crash(clean_text, duration, written):
    text = clean_text.replace("duration: 4000", f"duration: {duration}", 1)
    text = text.replace('duration_formatted: "1:06:40"', f"duration_formatted: {written}", 1)
    assert diags(text, "NC102") == []
