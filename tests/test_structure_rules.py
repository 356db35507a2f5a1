"""NC201-NC205: required sections, order, duplicates, empty sections, the H1; SPEC §1 variations."""

from __future__ import annotations

import re

import pytest

import notecheck
from conftest import SAMPLES, line_of
from notecheck import Config


def diags(text: str, code: str, **config):
    found = notecheck.check_text(text, config=Config(select=(code,), **config))
    return [d for d in found if d.code == code]


def mine(text: str):
    return notecheck.check_text(text, config=Config(select=("NC0", "NC1", "NC2")))


def section(text: str, title: str) -> str:
    """The text of '## title' up to the next '## ' heading (or the end)."""
    start = text.index(f"## {title}\n")
    nxt = text.find("\n## ", start + 1)
    return text[start:] if nxt < 0 else text[start:nxt + 1]


def drop(text: str, title: str) -> str:
    return text.replace(section(text, title), "", 1)


def move_before(text: str, title: str, before: str) -> str:
    block = section(text, title)
    text = text.replace(block, "", 1)
    at = text.index(f"## {before}\n")
    return text[:at] + block + text[at:]


# ---------------------------------------------------------------- NC201


def test_nc201_missing_section_reported_where_it_belongs(clean_text):
    text = drop(clean_text, "Key Points")
    found = diags(text, "NC201")
    assert [(d.line, d.column) for d in found] == [(line_of(text, "## Mentions"), 1)]
    assert "'## Key Points'" in found[0].message and "before '## Mentions'" in found[0].message


def test_nc201_missing_last_section(clean_text):
    text = clean_text[:clean_text.index("## Transcript")]
    found = diags(text, "NC201")
    assert [d.line for d in found] == [line_of(text, "## Surprising Quotes")]
    assert "after '## Surprising Quotes'" in found[0].message


def test_nc201_configured_sections(clean_text):
    assert diags(clean_text, "NC201", required_sections=("Summary", "Verdict")) != []
    text = clean_text.replace("## Summary", "## Verdict\n\nBuy it.\n\n## Summary", 1)
    assert diags(text, "NC201", required_sections=("Summary", "Verdict")) == []
    assert [d.line for d in diags(clean_text, "NC201", required_sections=("Verdict",))] == [line_of(clean_text, "# Maria")]


@pytest.mark.parametrize("title", ["Full Transcript", "transcript", "TRANSCRIPT", "Key  points", "**Summary**"])
def test_nc201_near_miss_names_normalized(clean_text, title):
    old = {"Full Transcript": "Transcript", "transcript": "Transcript", "TRANSCRIPT": "Transcript",
           "Key  points": "Key Points", "**Summary**": "Summary"}[title]
    text = clean_text.replace(f"## {old}\n", f"## {title}\n", 1)
    assert mine(text) == []


# ---------------------------------------------------------------- NC202


def test_nc202_out_of_order_is_a_warning_on_the_section_to_move(clean_text):
    text = move_before(clean_text, "Key Points", "Highlights")
    found = diags(text, "NC202")
    # two swapped sections: moving either one restores the order, so one finding, naming both
    assert len(found) == 1 and found[0].severity == "warning"
    assert found[0].line in (line_of(text, "## Key Points"), line_of(text, "## Highlights"))
    assert "'## Key Points'" in found[0].message and "'## Highlights'" in found[0].message


def test_nc202_reports_the_fewest_sections(clean_text):
    text = move_before(clean_text, "Transcript", "Summary")  # one section moved: one finding
    found = diags(text, "NC202")
    assert [d.line for d in found] == [line_of(text, "## Transcript")]
    assert "after" in found[0].message


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: move_before(t, "Surprising Quotes", "Mentions"),  # SPEC §1: valid
        lambda t: t.replace("## Summary", "## Chapters\n\n- [0:00](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=0s) Intro\n\n## Summary", 1),
        lambda t: t.replace("## Transcript", "## Verdict\n\nGood.\n\n## Prompt\n\nSummarize.\n\n## Transcript", 1),
        lambda t: t + "\n## Additional Resources\n\n- A book\n",
        lambda t: drop(t, "Mentions"),
    ],
)
def test_nc202_near_miss_valid_orders(clean_text, edit):
    assert mine(edit(clean_text)) == []


# ---------------------------------------------------------------- NC203


def test_nc203_duplicate_section(clean_text):
    text = clean_text.replace("## Transcript", "## Key Points\n\n- more\n\n## Transcript", 1)
    found = diags(text, "NC203")
    assert [d.line for d in found] == [line_of(text, "## Key Points", 2)]
    assert f"line {line_of(text, '## Key Points')}" in found[0].message


def test_nc203_transcript_and_full_transcript_are_the_same(clean_text):
    text = clean_text + "\n## Full Transcript\n\nAgain.\n"
    assert [d.line for d in diags(text, "NC203")] == [line_of(text, "## Full Transcript")]


def test_nc203_near_miss_same_subheading_in_two_sections(clean_text):
    text = clean_text.replace("### Places", "### Notes", 1).replace("### Concepts", "### More", 1)
    text = text.replace("## Surprising Quotes\n", "## Surprising Quotes\n\n### Notes\n", 1)
    assert diags(text, "NC203") == []


# ---------------------------------------------------------------- NC204


def test_nc204_empty_section(clean_text):
    text = clean_text.replace(section(clean_text, "Key Points"), "## Key Points\n\n  \n<!-- todo -->\n\n", 1)
    found = diags(text, "NC204")
    assert [d.line for d in found] == [line_of(text, "## Key Points")]


def test_nc204_only_empty_subheadings(clean_text):
    text = clean_text.replace(section(clean_text, "Mentions"), "## Mentions\n\n### Places\n\n### Books\n\n", 1)
    found = diags(text, "NC204")
    assert [d.line for d in found] == [line_of(text, "## Mentions")]
    assert "sub-headings" in found[0].message


def test_nc204_empty_last_section_without_final_newline(clean_text):
    text = clean_text.rstrip("\n") + "\n\n## Verdict"
    assert [d.line for d in diags(text, "NC204")] == [line_of(text, "## Verdict")]


@pytest.mark.parametrize("body", ["x", "- one", "### Books\n- one", "```\n# not a heading\n```", "> quoted"])
def test_nc204_near_miss_any_content(clean_text, body):
    text = clean_text.replace(section(clean_text, "Mentions"), f"## Mentions\n\n{body}\n\n", 1)
    assert diags(text, "NC204") == []


# ---------------------------------------------------------------- NC205


def test_nc205_no_h1(clean_text):
    text = re.sub(r"(?m)^# Maria.*\n", "", clean_text, count=1)
    found = diags(text, "NC205")
    assert [d.line for d in found] == [line_of(text, "---", 2) + 1]


def test_nc205_second_h1(clean_text):
    text = clean_text.replace("## Summary", "# Summary", 1)
    found = diags(text, "NC205")
    assert [(d.line, d.column) for d in found] == [(line_of(text, "# Summary"), 1)]


@pytest.mark.parametrize("extra", ["```bash\n# a shell comment\n```", "<!--\n# commented out\n-->", "#hashtag", "    # indented code"])
def test_nc205_near_miss_hash_lines_that_are_not_h1(clean_text, extra):
    text = clean_text.replace("## Summary\n", f"## Summary\n\n{extra}\n", 1)
    assert diags(text, "NC205") == []


# ---------------------------------------------------------------- SPEC §1 variations


def _curly(t: str) -> str:
    body = t.index("\n## Summary")
    return t[:body] + re.sub(r'"([^"\n]*)"', r"“\1”", t[body:]).replace("it's", "it’s")


VARIATIONS = {
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "bom": lambda t: "\ufeff" + t,
    "bom+crlf": lambda t: "\ufeff" + t.replace("\n", "\r\n"),
    "no final newline": lambda t: t.rstrip("\n"),
    "crlf without final newline": lambda t: t.replace("\n", "\r\n").rstrip("\r\n"),
    "several final newlines": lambda t: t + "\n\n\n",
    "trailing spaces": lambda t: t.replace("\n", "  \n"),
    "trailing tabs crlf": lambda t: t.replace("\n", "\t\r\n"),
    "curly quotes": _curly,
    "duration_formatted minutes": lambda t: t.replace('"1:06:40"', '"66:40"', 1),
    "duration_formatted unquoted": lambda t: t.replace('"1:06:40"', "1:06:40", 1),
    "full transcript": lambda t: t.replace("## Transcript", "## Full Transcript", 1),
    "extra sections": lambda t: t.replace("## Key Points", "## Chapters\n\n- intro\n\n## Key Points", 1)
    + "\n## Additional Resources\n\n- link\n\n## Prompt\n\ntext\n\n## Verdict\n\nyes\n",
    "surprising quotes before mentions": lambda t: move_before(t, "Surprising Quotes", "Mentions"),
    "mentions of any name": lambda t: t.replace("### Places", "### Books", 1).replace("### Concepts", "### Things I Googled", 1),
    "no mentions, no surprising quotes": lambda t: drop(drop(t, "Mentions"), "Surprising Quotes"),
    "upload_date as yt-dlp writes it": lambda t: t.replace("upload_date: 2025-06-02", "upload_date: 20250602", 1),
    "key points with a leading-zero label": lambda t: t.replace(
        "- **Topsoil", "- [00:34](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=34s) - Intro\n- **Topsoil", 1),
    "transcript chapter headings": lambda t: t.replace(
        "[12:55](", "### Part two\n\n> Note: audio drops here\n\n_Sponsored by nobody_\n\n[12:55](", 1),
    "h1 with en dash and curly quotes": lambda t: t.replace('# Maria Lopez -- "Soil is the slowest technology we have"',
                                                            "# Maria Lopez – “Soil is the slowest technology we have”", 1),
}


@pytest.mark.parametrize("name", sorted(VARIATIONS))
def test_spec_variations_raise_nothing_from_nc0_nc1_nc2(clean_text, name):
    text = VARIATIONS[name](clean_text)
    assert text != clean_text
    assert mine(text) == []


@pytest.mark.skipif(not (SAMPLES / "lXUZvyajciY.md").is_file(), reason="shared sample not present")
@pytest.mark.parametrize("name", ["crlf", "bom", "no final newline", "trailing spaces"])
def test_sample_variations_keep_exactly_the_mojibake_finding(name):
    text = VARIATIONS[name]((SAMPLES / "lXUZvyajciY.md").read_text(encoding="utf-8"))
    assert [(d.code, d.line, d.column) for d in mine(text)] == [("NC004", 3, 25)]


@pytest.mark.parametrize("head", [4, 16, 1024])
def test_empty_section_head_check_agrees_with_reading_the_whole_section(monkeypatch, head):
    """NC204 decides from a section's first lines when they hold content; the answer is the whole section's."""
    import random

    from notecheck.rules import structure

    monkeypatch.setattr(structure, "_HEAD_CHARS", head)
    pieces = ["\n", "\r\n", "\r", " ", "\t", "x", "# h", "### sub", "    #", "<!--", "-->", "<!-- c -->", "#x", "\x0b", "\u2028"]
    rnd = random.Random(204)
    for _ in range(20_000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30)))
        start = rnd.randint(0, len(text))
        end = rnd.randint(start, len(text))
        assert structure._has_content(text, start, end) == structure._lines_have_content(text[start:end]), (text, start, end)
