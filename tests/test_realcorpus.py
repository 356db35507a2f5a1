"""benchmarks/realcorpus.py (the real-like benchmark corpus) and benchmarks/score.py (its scorer).

The corpus is ground truth for the precision of the highlight-time rules, so its manifest
must say what the notes hold: these tests parse generated notes with notecheck itself and
compare, and check that a given seed always writes the same bytes.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import notecheck
from notecheck.sidecar import load_for
from notecheck.times import parse_clip_bound

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import realcorpus  # noqa: E402
import score  # noqa: E402

N = 10  # notes per generated corpus: enough for every section and shape, fast (~0.3 s)


@pytest.fixture(scope="module")
def clean_corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("clean")
    realcorpus.generate(out, N, seed=5, defect_rate=0.0)
    return out


@pytest.fixture(scope="module")
def defect_corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("defects")
    realcorpus.generate(out, N, seed=11, defect_rate=1.0)
    return out


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_notes(tmp_path):
    realcorpus.generate(tmp_path / "a", 4, seed=3)
    realcorpus.generate(tmp_path / "b", 4, seed=3)
    realcorpus.generate(tmp_path / "c", 4, seed=4)
    a, b, c = tree(tmp_path / "a"), tree(tmp_path / "b"), tree(tmp_path / "c")
    assert a == b
    assert len([k for k in a if k.endswith(".md")]) == 4
    assert not set(k for k in a if k.endswith(".md")) & set(k for k in c if k.endswith(".md"))


def test_same_seed_in_another_process_same_bytes(tmp_path):
    """No dependence on hash randomization (set order) or on anything but the seed."""
    realcorpus.generate(tmp_path / "here", 3, seed=8)
    script = Path(realcorpus.__file__)
    env = {"PYTHONHASHSEED": "12345", "PATH": ""}
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path / "there"), "--notes", "3", "--seed", "8",
                    "-q"], check=True, env=env)
    assert tree(tmp_path / "here") == tree(tmp_path / "there")


def test_a_note_depends_only_on_the_seed_and_its_index(tmp_path):
    small = realcorpus.generate(tmp_path / "small", 2, seed=9)
    large = realcorpus.generate(tmp_path / "large", 4, seed=9)
    for name, entry in small["files"].items():
        assert large["files"][name] == entry
        assert (tmp_path / "small" / name).read_bytes() == (tmp_path / "large" / name).read_bytes()


def _highlight_times(note, hl) -> tuple[int, int, int, int]:
    """(thumbnail t=, clip start, clip end, attribution) as notecheck reads them."""
    m = re.search(r'--download-sections "\*([^"-]+)-([^"]+)"', hl.clip.text)
    assert m is not None
    att = hl.attribution_link
    return (hl.thumbnail.seconds, int(parse_clip_bound(m.group(1))), int(parse_clip_bound(m.group(2))),
            att.seconds)


def test_clean_notes_parse_as_the_manifest_says(clean_corpus):
    manifest = json.loads((clean_corpus / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["files"]) == N
    for name, entry in manifest["files"].items():
        assert entry["defects"] == []
        raw = (clean_corpus / name).read_bytes()
        assert len(raw) == entry["bytes"]
        note = notecheck.parse(raw.decode("utf-8"))
        assert note.problems == []
        assert note.video_id == entry["video_id"]
        assert note.duration == entry["duration"]
        # sections, in order, at their lines
        assert [(s.title, note.position(s.heading.start)[0]) for s in note.sections] == \
            [(s["title"], s["line"]) for s in entry["sections"]]
        # highlights: heading, thumbnail, clip, quote and attribution lines; the times
        assert len(note.highlights) == len(entry["highlights"]) > 0
        for hl, want in zip(note.highlights, entry["highlights"]):
            line = note.position(hl.heading.start)[0]
            assert line == want["heading_line"] == want["lines"][0]
            assert note.position(hl.thumbnail.start)[0] == want["thumbnail_line"]
            assert note.position(hl.clip.start)[0] == want["clip_line"]
            (quote,) = hl.quotes
            assert [note.position(q.start)[0] for q in quote.lines] == want["quote_lines"]
            assert note.position(quote.attribution.start)[0] == want["attribution_line"]
            assert quote.attribution.speaker == want["speaker"]
            assert _highlight_times(note, hl) == (want["T"], want["S"], want["E"], want["A"])
            assert want["T"] in (want["S"], want["A"])  # clean: the thumbnail is the clip start or the attribution
        # Surprising Quotes
        surprising = [q for q in note.quotes if q.section == "surprising quotes"]
        assert len(surprising) == len(entry["quotes"])
        for q, want in zip(surprising, entry["quotes"]):
            assert [note.position(x.start)[0] for x in q.lines] == want["quote_lines"]
            assert note.position(q.attribution.start)[0] == want["attribution_line"]
            assert q.attribution.link.seconds == want["A"]
            assert q.attribution.speaker == want["speaker"]
        # the transcript: every paragraph, none lost to the headings and asides among them
        assert len(note.transcript) == entry["transcript"]["paragraphs"]
        first, last = note.transcript[0], note.transcript[-1]
        assert note.position(first.start)[0] == entry["transcript"]["first_line"]
        assert note.position(last.start)[0] == entry["transcript"]["last_line"]
        # the sidecar, when there is one: found by check, same duration, finer than the paragraphs
        sidecar = load_for(str(clean_corpus / name), note, notecheck.Config())
        if entry["sidecar"] is None:
            assert sidecar is None
        else:
            assert sidecar is not None and sidecar.ok
            assert sidecar.duration == entry["duration"]
            assert len(sidecar.segments) == entry["segments"] > len(note.transcript)
            starts = set(sidecar.starts)
            assert all(p.link.seconds in starts for p in note.transcript)


# codes whose rules the corpus does not exercise on purpose: a clean note must draw none of them
MECHANICAL = re.compile(r"NC0\d\d|NC10[1-4]|NC2\d\d|NC3\d\d|NC40[124-8]|NC41\d|NC604")


def test_clean_notes_draw_no_finding_from_the_mechanical_rules(clean_corpus):
    found = [d for d in notecheck.check_paths([str(clean_corpus)]) if MECHANICAL.fullmatch(d.code)]
    assert found == []


def test_planted_defects_point_at_what_they_say(defect_corpus):
    manifest = json.loads((defect_corpus / "manifest.json").read_text(encoding="utf-8"))
    kinds = set()
    for name, entry in manifest["files"].items():
        lines = (defect_corpus / name).read_text(encoding="utf-8").splitlines()
        assert entry["defects"], name  # defect rate 1: every note has some
        for d in entry["defects"]:
            kinds.add(d["kind"])
            assert d["codes"] and d["kind"] in realcorpus.DEFECTS
            assert 1 <= d["lines"][0] <= d["line"] <= d["lines"][1] <= len(lines)
            text = lines[d["line"] - 1]
            if d["kind"] in ("thumbnail-off",):
                assert text.startswith("[![")
            elif d["kind"] in ("clip-starts-late", "clip-lead-too-long", "clip-too-short"):
                assert text.startswith("yt-dlp ")
            elif d["kind"] in ("highlight-moved", "attribution-wrong-paragraph", "wrong-speaker",
                               "attribution-not-segment-start", "attribution-off-segment"):
                assert text.startswith("> ") and "](" in text
            elif d["kind"] in ("quote-edited", "quote-paraphrased", "quote-invented"):
                assert d["params"]["quote"] in text
            elif d["kind"] == "invented-time":
                label = realcorpus.label(d["params"]["time"], "hms")
                assert f"[{label}](" in text or f"{d['params']['time']}" in text
    assert len(kinds) >= 5


def test_planted_label_t_mismatches_are_reported_where_the_manifest_says(tmp_path):
    out = tmp_path / "c"
    manifest = realcorpus.generate(out, 30, seed=2, defect_rate=1.0)
    planted = {(name, d["line"]) for name, e in manifest["files"].items() for d in e["defects"]
               if d["kind"] == "label-t-mismatch"}
    assert planted
    found = {(str(Path(d.path).relative_to(out)), d.line) for d in notecheck.check_paths([str(out)])
             if d.code == "NC301"}
    assert found == planted


def test_score_counts_true_false_duplicate_allowed_and_missed(defect_corpus):
    manifest = json.loads((defect_corpus / "manifest.json").read_text(encoding="utf-8"))
    name, entry = next((n, e) for n, e in manifest["files"].items() if len(e["defects"]) >= 1 and e["highlights"])
    d = entry["defects"][0]
    code = d["codes"][0]
    clean_h = next((h for h in entry["highlights"] if h["defect"] is None), None)
    path = str(defect_corpus / name)
    findings = [
        {"path": path, "line": d["line"], "code": code, "severity": "error", "message": "hit"},
        {"path": path, "line": d["line"], "code": code, "severity": "error", "message": "again"},
    ]
    if clean_h is not None:
        findings.append({"path": path, "line": clean_h["thumbnail_line"], "code": "NC409", "severity": "error",
                         "message": "on a clean highlight"})
    result = score.score(defect_corpus, findings)
    rows = result["rows"]
    assert rows[code]["tp"] == 1 and rows[code]["dup"] == 1
    if clean_h is not None:
        fp = result["fps"]["NC409"]
        assert len(fp) == rows["NC409"]["fp"] == 1
        assert fp[0]["file"] == name and fp[0]["line"] == clean_h["thumbnail_line"]
        assert fp[0]["on"] == f"highlight ({clean_h['shape']})"
    total = sum(len(d["codes"]) for e in manifest["files"].values() for d in e["defects"])
    assert sum(r["missed"] for r in rows.values()) == total - 1


def test_cli_writes_and_refuses_a_foreign_folder(tmp_path):
    script = ROOT / "benchmarks" / "realcorpus.py"
    ok = subprocess.run([sys.executable, str(script), "--out", str(tmp_path / "c"), "--notes", "2", "--seed", "1"],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "2 notes" in ok.stdout
    assert (tmp_path / "c" / "manifest.json").is_file()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "mine.md").write_text("keep me")
    refused = subprocess.run([sys.executable, str(script), "--out", str(tmp_path / "other"), "--notes", "1"],
                             capture_output=True, text=True)
    assert refused.returncode == 2
    assert "refusing" in refused.stderr
    assert (tmp_path / "other" / "mine.md").read_text() == "keep me"
