"""Sizes (issue 15, point 6): a size limit for notes and sidecars, and no stage that grows
faster than its input.

The limit (``max-file-size``, default far above any real note) is tested at its exact
value. Linearity is guarded without timing anything: by counting the operations a
quadratic stage would repeat (edits compared, lines sliced, re-checks run), or by a hang
guard with a budget 20-100x what a linear run needs (as in test_robustness.py). The
speed itself is measured by ``benchmarks/sizes.py``, by hand.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CLEAN, FIXTURES, run_cli
from notecheck.config import DEFAULT_MAX_FILE_SIZE, Config, ConfigError, from_mapping
from notecheck.diagnostic import Finding

CLEAN_TEXT = CLEAN.read_text(encoding="utf-8")
CLEAN_BYTES = CLEAN_TEXT.encode("utf-8")
LINK = "[1:35](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=95s)"
BROKEN_BYTES = CLEAN_TEXT.replace(LINK, LINK.replace("t=95s", "t=96s")).encode("utf-8")
MiB = 1024 * 1024


# ---------------------------------------------------------------------------- the option


def test_the_default_is_far_above_any_real_note():
    # the largest real note is 320 KB, the largest real sidecar a few MB
    assert Config().max_file_size == DEFAULT_MAX_FILE_SIZE == 16 * MiB


@pytest.mark.parametrize("value, size", [
    (5000, 5000), ("5000", 5000), ("64 KiB", 64 * 1024), ("64KB", 64_000), ("1.5 MB", 1_500_000),
    ("16 MiB", 16 * MiB), ("2 GiB", 2 * 1024 * MiB), ("1 gb", 10 ** 9), ("10 B", 10),
])
def test_max_file_size_takes_bytes_or_a_size_with_a_unit(value, size):
    assert from_mapping({"max-file-size": value}).max_file_size == size


@pytest.mark.parametrize("value", [0, -1, "0 MB", "-3 MB", "10 XB", "MB", "", "1e3", True, 1.5, float("nan"),
                                   "nan MB", "inf MB", [1]])
def test_max_file_size_refuses_what_is_not_a_positive_size(value):
    with pytest.raises(ConfigError, match="max-file-size: expected a size in bytes"):
        from_mapping({"max-file-size": value})


def test_config_built_by_hand_validates_max_file_size_as_the_file_does():
    assert Config(max_file_size="1 MiB").max_file_size == MiB
    with pytest.raises(ConfigError, match="max_file_size: expected a size in bytes"):  # named as the field
        Config(max_file_size=0)


def test_max_file_size_from_the_config_file_and_the_command_line(tmp_path):
    note = tmp_path / "n.md"
    note.write_bytes(CLEAN_BYTES)
    size = len(CLEAN_BYTES)
    (tmp_path / ".notecheck.toml").write_text(f"max-file-size = {size - 1}\n", encoding="utf-8")
    code, out, err = run_cli("check", "--no-sidecar", str(note))
    assert code == 1 and " NC001 [error] not checked: " in out
    code, out, err = run_cli("check", "--no-sidecar", "--max-file-size", str(size), str(note))  # the option wins
    assert (code, err) == (0, ""), out
    code, out, err = run_cli("check", "--no-sidecar", "--max-file-size", "lots", str(note))
    assert code == 2 and "--max-file-size: expected a size in bytes" in err


# ---------------------------------------------------------------------------- notes


def test_a_note_larger_than_the_limit_is_nc001_at_the_exact_boundary(tmp_path):
    note = tmp_path / "n.md"
    note.write_bytes(BROKEN_BYTES)
    size = len(BROKEN_BYTES)

    code, out, err = run_cli("check", "--no-sidecar", "--max-file-size", str(size - 1), str(note))
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == (f"{note}:1:1: NC001 [error] not checked: {size:,} bytes, larger than max-file-size "
                                   f"({size - 1:,} bytes); raise max-file-size in the config or with --max-file-size")

    code, out, err = run_cli("check", "--no-sidecar", "--max-file-size", str(size), str(note))  # exactly at it
    assert code == 1 and " NC001 " not in out and " NC301 " in out


def test_fix_leaves_a_note_larger_than_the_limit_alone(tmp_path):
    note = tmp_path / "n.md"
    note.write_bytes(BROKEN_BYTES)
    code, out, err = run_cli("fix", "--no-sidecar", "--max-file-size", str(len(BROKEN_BYTES) - 1), str(note))
    assert code == 1 and " NC001 [error] not checked: " in out and "Fixing" not in out
    assert note.read_bytes() == BROKEN_BYTES


def test_the_limit_is_shown_with_its_unit_when_it_has_one(tmp_path):
    note = tmp_path / "n.md"
    note.write_bytes(b"x" * (64 * 1024 + 1))
    code, out, err = run_cli("check", "--no-sidecar", "--max-file-size", "64 KiB", str(note))
    assert "NC001 [error] not checked: 65,537 bytes, larger than max-file-size (64 KiB); " in out


class Endless(io.RawIOBase):
    """/dev/zero that counts what was read from it."""

    def __init__(self):
        self.read_so_far = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = len(buffer)
        buffer[:n] = b"\0" * n
        self.read_so_far += n
        return n


def test_check_of_endless_stdin_stops_at_the_limit(monkeypatch):
    source = Endless()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(source)))
    code, out, err = run_cli("check", "--max-file-size", "1 MiB", "-")
    assert (code, err) == (1, "")
    assert out.startswith("-:1:1: NC001 [error] not checked: more than max-file-size (1 MiB) on standard input; ")
    assert MiB < source.read_so_far <= MiB + 64 * 1024  # the limit and one buffer, not a byte more


def test_check_of_dev_zero_stops_with_the_default_limit():
    # the command of the issue: it grew to 5.9 GB in 6 s; it must stop after 16 MiB
    with open(os.devnull if not os.path.exists("/dev/zero") else "/dev/zero", "rb") as zero:
        proc = subprocess.run([sys.executable, "-m", "notecheck", "check", "-"], stdin=zero, capture_output=True,
                              timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert b"NC001 [error] not checked: more than max-file-size (16 MiB) on standard input" in proc.stdout


def test_fix_of_stdin_larger_than_the_limit_passes_it_through_unchanged():
    data = BROKEN_BYTES * 3
    proc = subprocess.run([sys.executable, "-m", "notecheck", "fix", "--max-file-size", str(len(data) - 1), "-"],
                          input=data, capture_output=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stdout == data  # nothing a user wrote is lost: the note comes out as it went in
    assert b"NC001 [error] not checked: more than max-file-size" in proc.stderr


# ---------------------------------------------------------------------------- sidecars


@pytest.fixture
def sidecar_pair(tmp_path):
    for name in ("Hs9kWq2TzLm.md", "Hs9kWq2TzLm.json"):
        shutil.copy(FIXTURES / "sidecar" / name, tmp_path / name)
    with open(tmp_path / "Hs9kWq2TzLm.json", "a", encoding="utf-8") as fh:
        fh.write(" " * 4000)  # larger than the note, still the same JSON
    return tmp_path / "Hs9kWq2TzLm.md", tmp_path / "Hs9kWq2TzLm.json"


def test_a_sidecar_larger_than_the_limit_is_an_nc604_warning_at_the_exact_boundary(sidecar_pair):
    note, sidecar = sidecar_pair
    size = sidecar.stat().st_size
    assert size > note.stat().st_size  # so that the note itself stays under the limits below

    code, out, err = run_cli("check", "--output-format", "json", "--select", "NC6", "--max-file-size",
                             str(size - 1), str(note))
    (finding,) = json.loads(out)
    assert (finding["code"], finding["severity"]) == ("NC604", "warning")
    assert finding["message"] == (f"sidecar {sidecar} is {size:,} bytes, larger than max-file-size "
                                  f"({size - 1:,} bytes); not read; sidecar checks NC601-NC604 skipped for this note")

    code, out, err = run_cli("check", "--output-format", "json", "--select", "NC6", "--max-file-size",
                             str(size), str(note))
    assert all("larger than" not in f["message"] for f in json.loads(out))


# ---------------------------------------------------------------------------- linear stages

FM = CLEAN_TEXT[:CLEAN_TEXT.index("## Summary")]
BAD_LINK = LINK.replace("t=95s", "t=96s")


def links_on_one_line(n: int, link: str = BAD_LINK) -> str:
    """n links on one Key Points line: n findings on one line (NC301 when the link is BAD_LINK)."""
    return FM + "## Key Points\n\n- " + link * n + "\n"


class Counter:
    """Wrap ``owner.name`` to count its calls (and sum a size of each call's arguments)."""

    def __init__(self, monkeypatch, owner, name, size=lambda *a, **k: 0):
        real = getattr(owner, name)
        self.calls = self.total = 0

        def counted(*args, **kwargs):
            self.calls += 1
            self.total += size(*args, **kwargs)
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)


def test_text_output_work_per_finding_does_not_grow_with_the_line(monkeypatch):
    # 3,000 findings on one 180 KB line: each used to copy (and expand tabs in) the whole line
    from notecheck.note import Note
    from notecheck.output import text as text_output

    sliced = Counter(monkeypatch, Note, "line_text")
    shown = Counter(monkeypatch, text_output, "excerpt_for_terminal", size=lambda text, col: len(text))
    code, out, err = run_cli("check", "--no-sidecar", "-", stdin=links_on_one_line(3000).encode())
    assert out.count(" NC301 ") == 3000
    assert sliced.calls <= 5  # once per line with a finding, not once per finding
    assert shown.total <= 3000 * 200  # an excerpt of at most 160 characters (and escapes) per finding



def test_selecting_fixes_compares_each_edit_with_its_neighbours_only(monkeypatch):
    # 20,000 fixable findings: every edit was compared with every edit taken before it (n^2 / 2)
    from notecheck import fixer
    from notecheck.config import Config
    from notecheck.engine import check_note
    from notecheck.note import parse

    text = FM + "## Key Points\n\n" + "".join(f"- {BAD_LINK}\n" for _ in range(20_000))
    diags = check_note(parse(text), Config(select=("NC301",)), "x.md")
    assert len(diags) == 20_000
    compared = Counter(monkeypatch, fixer, "_overlaps")
    taken, edits = fixer.select_fixes(text, diags)
    assert len(taken) == len(edits) == 20_000
    assert compared.calls <= 3 * 20_000


edit_ranges = st.tuples(st.integers(0, 30), st.integers(0, 4)).map(lambda t: (t[0], min(30, t[0] + t[1])))


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(st.lists(edit_ranges, min_size=1, max_size=3), max_size=12), st.data())
def test_select_fixes_takes_what_comparing_every_pair_took(fixes, data):
    # the faster selection must keep the contract: sorted by first edit, an overlapping fix waits
    from notecheck.diagnostic import Diagnostic, Edit, Fix
    from notecheck.fixer import select_fixes

    text = "abcdefghijklmnopqrstuvwxyz0123"
    diags = []
    for i, ranges in enumerate(fixes):
        edits = tuple(Edit(a, b, data.draw(st.sampled_from(["", "X", "YY", text[a:b]]))) for a, b in ranges)
        diags.append(Diagnostic("x", 1, 1, f"NC{i:03d}", "error", "m", True, fix=Fix(edits)))
    taken, edits = select_fixes(text, diags)
    assert [t.code for t in taken] == [t.code for t in _slow_select(text, diags)]
    assert edits == sorted({e for t in taken for e in t.fix.edits}, key=lambda e: (e.start, e.end))


def _slow_select(text, diags):
    """The selection as it was (every pair compared): the reference for the test above."""
    from notecheck.fixer import _overlaps

    cands = []
    for diag in diags:
        edits = sorted(diag.fix.edits, key=lambda e: (e.start, e.end))
        if any(_overlaps(a, b) for a, b in zip(edits, edits[1:])):
            continue
        if all(text[e.start:e.end] == e.content for e in edits):
            continue
        cands.append((edits[0].start, diag.code, diag.message, edits, diag))
    cands.sort(key=lambda c: c[:3])
    taken, accepted = [], []
    for _, _, _, edits, diag in cands:
        new = [e for e in edits if e not in accepted]
        if any(_overlaps(e, a) for e in new for a in accepted):
            continue
        taken.append(diag)
        accepted.extend(new)
    return taken


from test_fixer import replace_rule, temp_rules  # noqa: E402,F401  (fixture)


def worse_watch(note, ctx):
    """Report-only: every WORSE in the note (a fix that writes one brings a new finding)."""
    i = note.text.find("WORSE")
    while i >= 0:
        yield Finding(i, "worse")
        i = note.text.find("WORSE", i + 1)


def test_a_harmful_pass_is_narrowed_with_a_bounded_number_of_checks(temp_rules, monkeypatch):
    # 2,000 fixes that each bring a report-only finding: each was then re-checked on its own,
    # 2,000 checks of the whole note (quadratic in the number of fixes)
    from notecheck import engine
    from notecheck.fixer import MAX_NARROWING_CHECKS, MAX_PASSES, fix_text

    temp_rules("NC941", worse_watch, fix=None)
    temp_rules("NC942", replace_rule("BADWORD", "WORSE"))
    text = CLEAN_TEXT + "BADWORD\n" * 2000
    checks = Counter(monkeypatch, engine, "check_note")

    result = fix_text(text, Config(select=("NC94",)))

    assert result.text == text and result.applied == []
    assert [d.code for d in result.remaining] == ["NC942"] * 2000  # still reported, still fixable
    assert checks.calls <= 1 + MAX_PASSES + MAX_NARROWING_CHECKS


def test_a_few_harmful_fixes_among_many_are_found_and_the_rest_applied(temp_rules):
    from notecheck.fixer import fix_text

    temp_rules("NC941", worse_watch, fix=None)
    temp_rules("NC942", replace_rule("BADWORD", "goodword"))
    temp_rules("NC943", replace_rule("UGLYWORD", "WORSE"))
    words = ["BADWORD"] * 1000
    for i in (5, 500, 990):
        words[i] = "UGLYWORD"
    text = CLEAN_TEXT + "\n".join(words) + "\n"

    result = fix_text(text, Config(select=("NC94",)))

    assert result.text == text.replace("BADWORD", "goodword")
    assert sorted(d.code for d in result.remaining) == ["NC943"] * 3


def test_applying_edits_looks_for_line_endings_only_for_replacements_that_hold_one(monkeypatch):
    # each edit looked for the end of its line: 20,000 edits on one 1.2 MB line scanned 12 GB
    from notecheck import fixer
    from notecheck.diagnostic import Edit

    text = BAD_LINK * 20_000 + "\n"
    step = len(BAD_LINK)
    t = BAD_LINK.index("96s")
    edits = [Edit(i * step + t, i * step + t + 3, "95s") for i in range(20_000)]
    edits.insert(0, Edit(5, 5, "x\ny"))  # one replacement that spans lines: it takes the line's ending
    lookups = Counter(monkeypatch, fixer, "_newline_at")
    out = fixer.apply_edits(text, edits)
    assert out == "[1:35x\ny" + (LINK * 20_000)[5:] + "\n"
    assert lookups.calls == 1


def test_suppressions_on_one_line_do_not_copy_the_line_each(monkeypatch):
    # 20,000 comments on one 700 KB line: each copied its whole line to see whether it stands alone
    from notecheck.note import Note, parse

    sliced = Counter(monkeypatch, Note, "line_text", size=lambda self, line: 1)
    note = parse(FM + "## Summary\n\n" + "<!-- notecheck: disable=NC301 -->" * 20_000 + "\nx\n")
    assert len(note.suppressions) == 20_000
    assert {s.target_line for s in note.suppressions} == {note.position(note.suppressions[0].start)[0]}
    assert sliced.calls <= 1


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.sampled_from(["<!-- notecheck: disable=NC301 -->", "<!--notecheck:disable-->", " ", "\t", "x",
                                 "\n", "\r\n", "\u00a0", "\ufeff", "\x0c", "<!-- notecheck: disable-file=NC3 -->"]),
                max_size=14))
def test_a_suppression_targets_the_next_line_exactly_when_alone_on_its_line(parts):
    from notecheck.note import parse

    text = "".join(parts)
    note = parse(text)
    for s in note.suppressions:
        if s.file_level:
            continue
        line, _ = note.position(s.start)
        alone = note.line_text(line).strip() == text[s.start:s.end]  # the rule as it was written
        assert s.target_line == (line + 1 if alone else line), (text, s)


def test_line_positions_of_millions_of_lines_take_a_few_bytes_each():
    # 50 MB of newlines took 2 GB: a list of one int object per line (~40 bytes a line)
    import tracemalloc

    from notecheck.engine import check_note
    from notecheck.note import parse

    text = FM + "\n" * 2_000_000
    tracemalloc.start()
    try:
        note = parse(text)
        check_note(note, Config(), "x.md")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000 * 14
    assert note.position(len(text)) == (text.count("\n") + 1, 1)
    assert note.line_text(20) == "" and note.line_text(3) == CLEAN_TEXT.splitlines()[2]


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(alphabet="ab\n\r\ufeff", max_size=60), st.integers(0, 70))
def test_positions_and_line_texts_are_those_of_a_plain_line_split(text, offset):
    from notecheck.note import Note

    note = Note(text)
    lines = text.split("\n")
    offset = min(offset, len(text))
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1 - (1 if line == 1 and text.startswith("\ufeff") and offset else 0)
    assert note.position(offset) == (line, col)
    assert [note.line_text(i) for i in range(1, len(lines) + 1)] == \
        [(s.lstrip("\ufeff") if i == 0 else s).rstrip("\r") for i, s in enumerate(lines)]


def test_quotes_against_one_huge_sidecar_segment_read_it_once(sidecar_pair, monkeypatch):
    # a sidecar of one 60 MB segment took 4 minutes: each quote not found there re-read the
    # whole segment to cut out the closest passage's words as written
    import random

    from notecheck import quotematch

    note, sidecar = sidecar_pair
    doc = json.loads(sidecar.read_text(encoding="utf-8"))
    vocabulary = sorted(set(" ".join(s["text"] for s in doc["full_transcript"]).split()))
    rng = random.Random(5)
    words = " ".join(rng.choice(vocabulary) for _ in range(60_000))  # ~400 KB, no quote verbatim in it
    doc["full_transcript"] = [{"timestamp": "00:00:00", "speaker": "A", "text": words}]
    sidecar.write_text(json.dumps(doc), encoding="utf-8")

    class CountingPattern:
        def __init__(self, pattern):
            self.pattern, self.scanned = pattern, 0

        def __getattr__(self, name):
            return getattr(self.pattern, name)

        def finditer(self, text, *args):
            self.scanned += len(text)
            return self.pattern.finditer(text, *args)

    counting = CountingPattern(quotematch._WORD_RE)
    monkeypatch.setattr(quotematch, "_WORD_RE", counting)
    code, out, err = run_cli("check", "--select", "NC5", str(note))
    assert out.count(" NC501 ") >= 5  # several quotes, each with a closest passage in that one segment
    assert counting.scanned <= 2 * len(words)


def _benchmark_shapes():
    import importlib.util

    spec = importlib.util.spec_from_file_location("size_benchmark", Path(__file__).parents[1] / "benchmarks" / "sizes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SHAPES


SIZE_SHAPES = _benchmark_shapes()


@pytest.mark.parametrize("name", sorted(SIZE_SHAPES))
def test_every_shape_of_the_size_benchmark_runs_in_bounded_time(name, tmp_path, monkeypatch):
    # the shapes of benchmarks/sizes.py at 256 KB: a hang guard, not a timing (linear runs take
    # 0.1-2 s here; the quadratic ones took minutes at 400 KB)
    from test_robustness import hang_guard

    args = SIZE_SHAPES[name](tmp_path, 256 * 1024)
    monkeypatch.chdir(tmp_path)
    stdin = None
    if args[-1] == "-":
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    with hang_guard(60, f"the '{name}' shape at 256 KB"):
        code, out, err = run_cli(*args, stdin=stdin)
    assert code in (0, 1) and "Traceback" not in err and "internal error" not in out + err, err[-2000:]
