"""NC001-NC004: encoding, the front matter block, mojibake."""

from __future__ import annotations

import pytest

import notecheck
from conftest import SAMPLES, apply_fixes, line_of
from notecheck import Config
from notecheck.engine import check_note
from notecheck.mojibake import find, has_candidate, repair
from notecheck.note import parse_bytes

MINE = ("NC0", "NC1", "NC2")


def diags(text: str, code: str):
    return [d for d in notecheck.check_text(text, config=Config(select=(code,))) if d.code == code]


# ---------------------------------------------------------------- NC001


def test_nc001_invalid_utf8_reports_the_bytes_line(clean_text):
    data = clean_text.encode("utf-8").replace("soil scientist".encode(), b"soil scient\x97ist", 1)
    note = parse_bytes(data, "bad.md")
    found = check_note(note, Config(select=MINE), "bad.md")
    assert [d.code for d in found] == ["NC001"]  # and nothing else: no NC002/NC201/NC205 on empty text
    assert f"line {line_of(clean_text, 'soil scientist')}" in found[0].message
    assert found[0].line == line_of(clean_text, "soil scientist")
    bad_line = data.split(b"\n")[found[0].line - 1]
    assert found[0].column == bad_line.index(b"\x97") + 1  # in bytes: the text could not be decoded
    assert "0x97" in found[0].message


def test_nc001_binary_file():
    note = parse_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.md")
    assert [d.code for d in check_note(note, Config(select=MINE), "image.md")] == ["NC001"]


def test_nc001_near_miss_utf8_with_bom_and_cjk(clean_text):
    data = b"\xef\xbb\xbf" + clean_text.replace("Field Notes Podcast", "田野笔记 🎙️").encode("utf-8")
    note = parse_bytes(data, "ok.md")
    assert check_note(note, Config(select=MINE), "ok.md") == []


# ---------------------------------------------------------------- NC002 / NC003


def test_nc002_no_front_matter(clean_text):
    body = clean_text.split("---\n", 2)[2]
    found = diags(body, "NC002")
    assert [(d.code, d.line) for d in found] == [("NC002", 1)]


def test_nc002_near_miss_bom_and_crlf(clean_text):
    assert diags("\ufeff" + clean_text.replace("\n", "\r\n"), "NC002") == []


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (("channel: Field Notes Podcast", "channel: Field Notes Podcast\nbad: [unclosed"), "duration: 4000"),
        (("channel: Field Notes Podcast", "channel: Field Notes Podcast\nduration: 12"), "duration: 4000"),  # 2nd key
        (("view_count: 48210", "view_count: &n 48210\nviews: *n"), "views: *n"),  # alias refused
    ],
)
def test_nc003_broken_yaml_at_the_offending_line(clean_text, edit, needle):
    text = clean_text.replace(*edit, 1)
    found = diags(text, "NC003")
    assert len(found) == 1
    assert found[0].line == line_of(text, needle)


def test_nc003_duplicate_key_points_at_second_key(clean_text):
    text = clean_text.replace("view_count: 48210", "view_count: 48210\nduration: 12", 1)
    found = diags(text, "NC003")
    assert [(d.line, d.column) for d in found] == [(line_of(text, "duration: 12"), 1)]
    assert "appears twice" in found[0].message


def test_nc003_unclosed_and_not_a_mapping(clean_text):
    unclosed = "---\nvideo_id: aBcD3fGh1jK\n# Title\n"
    assert [(d.code, d.line) for d in diags(unclosed, "NC003")] == [("NC003", 1)]
    scalar = "---\njust a sentence\n---\n# Title\n"
    assert [(d.code, d.line) for d in diags(scalar, "NC003")] == [("NC003", 2)]


def test_nc003_near_miss_quoted_colons_and_dates(clean_text):
    text = clean_text.replace('channel: Field Notes Podcast', 'channel: "Field Notes: The Podcast"', 1)
    assert diags(text, "NC003") == []


# ---------------------------------------------------------------- NC004


def test_nc004_in_front_matter_and_body_with_fix(clean_text):
    text = clean_text.replace("Maria Lopez —", "Maria Lopez â€”", 1).replace("plants", "plants")
    text = text.replace("why she thinks", "why sheâ€™s sure", 1)
    found = diags(text, "NC004")
    assert [(d.line, d.column) for d in found] == [(3, 21), (line_of(text, "sheâ€™s"), text.splitlines()[line_of(text, "sheâ€™s") - 1].index("â€™") + 1)]
    assert all(d.fixable for d in found)
    fixed = apply_fixes(text, found)
    assert fixed == clean_text.replace("why she thinks", "why she’s sure", 1)


@pytest.mark.parametrize(
    ("garbled", "meant"),
    [("cafÃ©", "café"), ("Ãœber", "Über"), ("naÃ¯ve", "naïve"), ("ÃƒÂ©t", "ét"), ("â€œhiâ€\x9d", "“hi”"),
     ("50Â°C", "50°C"), ("Ð¿Ñ€Ð¸Ð²ÐµÑ‚", "привет"), ("æ\x9d\x8e", "李"), ("ðŸ˜€", "😀")],
)
def test_nc004_repairs(clean_text, garbled, meant):
    text = clean_text.replace("Andalusia,", f"Andalusia ({garbled}),", 1)
    found = diags(text, "NC004")
    assert found and {d.line for d in found} == {line_of(text, "Andalusia (")}
    assert apply_fixes(text, found) == clean_text.replace("Andalusia,", f"Andalusia ({meant}),", 1)


@pytest.mark.parametrize(
    "legit",
    ["café, naïve, Über, “quotes” — dashes – and ‘single’", "李小龙 and 😀 and 🎙️", "SÃO PAULO e NÃO",
     "„Straße“ und “CAFÉ” and GRÜNE“", "Não, ação, coração", "«Ê»", "© 2024 and 50 °C", "Ñandú € 5"],
)
def test_nc004_near_miss_legitimate_text(clean_text, legit):
    text = clean_text.replace("Andalusia,", f"Andalusia ({legit}),", 1)
    assert diags(text, "NC004") == []


def test_mojibake_helpers():
    assert not has_candidate("plain ascii — and é")
    assert repair("Karpathy â€” x") == "Karpathy — x"
    assert repair("GRÜNE“") == "GRÜNE“"
    assert [(m.start, m.end, m.repair) for m in find("ab\nx Ã© y")] == [(5, 7, "é")]


@pytest.mark.skipif(not (SAMPLES / "lXUZvyajciY.md").is_file(), reason="shared sample not present")
def test_nc004_on_the_real_sample_title():
    text = (SAMPLES / "lXUZvyajciY.md").read_text(encoding="utf-8")
    found = diags(text, "NC004")
    assert [(d.line, d.column) for d in found] == [(3, 25)]
    assert "'—'" in found[0].message
    fixed = notecheck.fix_text(text, config=Config(select=("NC004",)))
    assert fixed.text == text.replace("â€”", "—", 1)
    assert fixed.remaining == []


def test_nc004_many_runs_on_one_long_line(clean_text):
    words = " ".join(["cafÃ© â€” naÃ¯ve"] * 300)
    text = clean_text.replace("Andalusia,", f"Andalusia ({words}),", 1)
    found = diags(text, "NC004")
    assert len(found) == 900 and {d.line for d in found} == {line_of(text, "Andalusia (")}
    assert apply_fixes(text, found) == clean_text.replace("Andalusia,", "Andalusia ({}),".format(" ".join(["café — naïve"] * 300)), 1)


def test_mojibake_candidates_are_the_candidate_regex_matches():
    """The fast candidate search (a test on the UTF-8 bytes, then the regex at lead characters) finds
    exactly what candidate_re() finds, with the text's bytes given or not."""
    import random

    from notecheck import mojibake as mj

    chars = ([chr(c) for c in range(0x80, 0x100)] + list("ŒœŠšŸŽžƒˆ˜–—‘’‚“”„†‡•…‰‹›€™") + list("ab —’éÃâ€™Ã©")
             + ["\u0100", "\u2603", "\U0001F600"])
    rnd = random.Random(4)
    for _ in range(50_000):
        text = "".join(rnd.choice(chars) for _ in range(rnd.randint(0, 8)))
        expected = [m.span() for m in mj.candidate_re().finditer(text)]
        assert [m.span() for m in mj._candidates(text)] == expected, text
        assert [m.span() for m in mj._candidates(text, text.encode())] == expected, text
