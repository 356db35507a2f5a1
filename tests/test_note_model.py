"""The Note model on the fixture and the real sample, its CRLF/BOM variants, and two oracles:
mistune 3 (AST) for headings and fenced code blocks, python-frontmatter for the front matter."""

from __future__ import annotations

import datetime as dt

import frontmatter as python_frontmatter
import mistune
import pytest

import notecheck
from conftest import CLEAN, SAMPLES, line_of

SAMPLE = SAMPLES / "lXUZvyajciY.md"
needs_sample = pytest.mark.skipif(not SAMPLE.is_file(), reason="shared sample not present")


def notes():
    out = [CLEAN]
    if SAMPLE.is_file():
        out.append(SAMPLE)
    return out


# ---------------------------------------------------------------- front matter


def test_front_matter_keys_values_and_lines(clean_text):
    note = notecheck.parse(clean_text)
    fm = note.front_matter
    assert fm.ok and fm.start == 0 and note.position(fm.end)[0] == line_of(clean_text, "# Maria") - 1
    assert fm.data["upload_date"] == dt.date(2025, 6, 2)
    assert fm.data["tags"] == ["soil", "farming", "ecology"]
    for key in fm.data:
        assert note.position(fm.key_offsets[key]) == (line_of(clean_text, f"\n{key}:") + 1, 1)
    start, end = fm.value_spans["duration_formatted"]
    assert clean_text[start:end] == '"1:06:40"'
    assert "tags" not in fm.value_spans  # a sequence has no scalar span
    assert note.video_id == "aBcD3fGh1jK" and note.duration == 4000
    assert note.title == 'Maria Lopez — "Soil is the slowest technology we have"'


def test_front_matter_problems():
    assert [p.kind for p in notecheck.parse("# no front matter\n").problems] == ["no-front-matter"]
    assert [p.kind for p in notecheck.parse("---\na: [\n---\n").problems] == ["front-matter"]
    assert [p.kind for p in notecheck.parse("---\na: 1\n").problems] == ["front-matter"]  # unclosed
    assert [p.kind for p in notecheck.parse("---\n---\n# T\n").problems] == ["front-matter"]  # empty
    assert notecheck.parse("---\na: 1\n...\n# T\n").front_matter.data == {"a": 1}


def test_unquoted_string_values_keep_their_source_text():
    text = ("---\nvideo_id: 01234567012\ntitle: 1984\nupload_date: 20251017\nduration_formatted: 1:06:40\n"
            "duration: 4000\ntags: [2024, yes, AI]\nview_count: 12\n---\n# 1984\n")
    data = notecheck.parse(text).front_matter.data
    assert data["video_id"] == "01234567012" and data["title"] == "1984"
    assert data["upload_date"] == "20251017" and data["duration_formatted"] == "1:06:40"
    assert data["tags"] == ["2024", "yes", "AI"]
    assert data["duration"] == 4000 and data["view_count"] == 12  # integer keys stay integers


# ---------------------------------------------------------------- body


def test_sections_and_subsections(clean_text):
    note = notecheck.parse(clean_text)
    assert [(s.title, s.key) for s in note.sections] == [
        ("Summary", "summary"), ("Highlights", "highlights"), ("Key Points", "key points"),
        ("Mentions", "mentions"), ("Surprising Quotes", "surprising quotes"), ("Transcript", "transcript")]
    mentions = note.section("mentions")
    assert [h.title for h in mentions.subsections] == ["Places", "Concepts"]
    assert note.position(mentions.start)[0] == line_of(clean_text, "## Mentions")
    assert mentions.end == note.section("surprising quotes").start
    assert note.sections[-1].end == len(clean_text)
    assert [h.title for h in note.h1s] == ['Maria Lopez -- "Soil is the slowest technology we have"']


def test_links(clean_text):
    note = notecheck.parse(clean_text)
    assert len(note.links) == clean_text.count("](https://www.youtube.com/watch?v=")
    thumbs = [link for link in note.links if link.is_thumbnail]
    assert len(thumbs) == 3 and all(link.image_id == "aBcD3fGh1jK" for link in thumbs)
    link = next(link for link in note.timestamp_links if link.label == "25:10")
    assert clean_text[link.label_start:link.label_start + 5] == "25:10"
    assert link.video_id == "aBcD3fGh1jK" and clean_text[link.id_start:link.id_start + 11] == "aBcD3fGh1jK"
    assert link.t_text == "1510s" and clean_text[link.t_start:link.t_start + 5] == "1510s"
    assert note.position(link.start)[0] == line_of(clean_text, "[25:10](")


def test_highlights_and_quotes(clean_text):
    note = notecheck.parse(clean_text)
    assert [h.heading.title for h in note.highlights] == [
        '"Soil is the slowest technology we have"', '"Measure before you change anything"',
        '"Regenerative is a marketing word now"']
    first = note.highlights[0]
    assert first.thumbnail.t_text == "95s"
    assert first.clip.text.startswith('yt-dlp --download-sections "*1:35-2:40"')
    assert note.position(first.clip.start)[0] == line_of(clean_text, "yt-dlp")
    quote = first.quotes[0]
    assert quote.text.startswith('"Soil is the slowest technology we have.')
    assert clean_text[quote.lines[0].start:].startswith('"Soil is the slowest technology we have.')
    assert quote.attribution.speaker == "Maria Lopez" and quote.attribution.link.label == "1:35"
    assert clean_text[quote.attribution.speaker_start:].startswith("Maria Lopez,")
    assert [(q.section, q.attribution.speaker, q.attribution.link.label) for q in note.quotes[3:]] == [
        ("surprising quotes", "Maria Lopez", "33:05"), ("surprising quotes", None, "41:30")]


def test_transcript_paragraphs(clean_text):
    note = notecheck.parse(clean_text)
    paragraphs = note.transcript
    assert len(paragraphs) == 17
    assert [p.link.label for p in paragraphs[:3]] == ["0:00", "0:42", "1:35"]
    p = paragraphs[2]
    assert p.speaker is None and p.text.startswith("People think of soil")
    assert clean_text[p.text_start:].startswith("People think of soil")
    assert paragraphs[-1].text == "Thank you, Maria. Thank you, it was a pleasure."


def test_transcript_speaker_prefix():
    text = ("---\na: 1\n---\n# T\n## Transcript\n\n**Host:** [0:05](https://youtu.be/aBcD3fGh1jK?t=5) Hello.\n\n"
            "[0:09](https://youtu.be/aBcD3fGh1jK?t=9) **Guest:** Hi there.\n")
    paragraphs = notecheck.parse(text).transcript
    assert [(p.speaker, p.link.label, p.text) for p in paragraphs] == [
        ("Host", "0:05", "Hello."), ("Guest", "0:09", "Hi there.")]


@needs_sample
def test_sample_model():
    text = SAMPLE.read_text(encoding="utf-8")
    note = notecheck.parse(text)
    assert note.problems == [] and note.video_id == "lXUZvyajciY" and note.duration == 8768
    assert [s.title for s in note.sections] == ["Summary", "Highlights", "Key Points", "Mentions",
                                                "Surprising Quotes", "Transcript"]
    assert len(note.highlights) == 6 and all(h.clip is not None and h.thumbnail is not None for h in note.highlights)
    assert len(note.transcript) == len([ln for ln in text[note.section("transcript").start:].splitlines()
                                        if ln.startswith("[")])
    assert note.front_matter.key_offsets["tags"] == text.index("tags:")


# ---------------------------------------------------------------- CRLF / BOM: same elements, same positions


def _shape(note):
    pos = note.position
    return {
        "data": note.front_matter.data,
        "keys": {k: pos(v) for k, v in note.front_matter.key_offsets.items()},
        "headings": [(h.level, h.title, pos(h.start)) for h in note.headings],
        "sections": [(s.key, pos(s.start)) for s in note.sections],
        "blocks": [(b.info, pos(b.start), note.text[b.content_start:b.content_end].replace("\r\n", "\n")) for b in note.code_blocks],
        "links": [(link.label, link.url, link.t_text, pos(link.start), pos(link.t_start) if link.t_start else None)
                  for link in note.links],
        "quotes": [(q.text, q.attribution.speaker if q.attribution else None, pos(q.start)) for q in note.quotes],
        "transcript": [(p.link.label, p.speaker, p.text.replace("\r", ""), pos(p.text_start)) for p in note.transcript],
    }


@pytest.mark.parametrize("path", notes(), ids=lambda p: p.name)
@pytest.mark.parametrize("variant", ["crlf", "bom", "bom+crlf", "no final newline"])
def test_line_ending_and_bom_variants_keep_the_model(path, variant):
    text = path.read_text(encoding="utf-8")
    other = {
        "crlf": lambda t: t.replace("\n", "\r\n"),
        "bom": lambda t: "\ufeff" + t,
        "bom+crlf": lambda t: "\ufeff" + t.replace("\n", "\r\n"),
        "no final newline": lambda t: t.rstrip("\n"),
    }[variant](text)
    base, varied = notecheck.parse(text), notecheck.parse(other)
    assert varied.problems == []
    assert _shape(varied) == _shape(base)
    if "crlf" in variant:
        assert varied.newline == "\r\n"


def test_bom_bytes_round_trip(clean_text):
    note = notecheck.note.parse_bytes(b"\xef\xbb\xbf" + clean_text.encode("utf-8"), "x.md")
    assert note.text.startswith("\ufeff") and note.front_matter.ok
    assert note.position(note.front_matter.key_offsets["video_id"]) == (2, 1)
    assert note.position(1) == (1, 1)  # the BOM is not a column


# ---------------------------------------------------------------- oracles


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.get("children") or [])


def _flat(node) -> str:
    if "children" not in node:
        return node.get("raw", "")
    return "".join(_flat(c) for c in node["children"])


@pytest.mark.parametrize("path", notes(), ids=lambda p: p.name)
def test_headings_and_code_blocks_agree_with_mistune(path):
    text = path.read_text(encoding="utf-8")
    note = notecheck.parse(text)
    ast = mistune.create_markdown(renderer=None)(text[note.body_start:])
    nodes = list(_walk(ast))
    assert [(h.level, h.title) for h in note.headings] == [
        (n["attrs"]["level"], _flat(n)) for n in nodes if n["type"] == "heading"]
    assert [(b.info, text[b.content_start:b.content_end]) for b in note.code_blocks] == [
        ((n.get("attrs") or {}).get("info"), n["raw"]) for n in nodes if n["type"] == "block_code"]
    assert note.code_blocks and note.headings


@pytest.mark.parametrize("path", notes(), ids=lambda p: p.name)
def test_front_matter_agrees_with_python_frontmatter(path):
    text = path.read_text(encoding="utf-8")
    assert notecheck.parse(text).front_matter.data == python_frontmatter.loads(text).metadata
