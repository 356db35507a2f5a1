"""The fix engine: selecting, ordering and applying edits, looping to a fixed point, reverting.

The mechanism is tested with throwaway rules (NC9xx, registered per test and removed
afterwards, run alone with ``select=NC9``) so that it does not depend on any real rule.
Then every real safe fix: injected defects on the clean note (LF, CRLF, non-ASCII) must
come back exactly, and hypothesis properties: fix changes nothing on clean notes, and is
idempotent on broken ones.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import notecheck
from conftest import CLEAN, line_of
from notecheck import rules as rules_mod
from notecheck.config import Config
from notecheck.diagnostic import Edit, Finding, Fix
from notecheck.fixer import MAX_PASSES, apply_edits, fix_text

def only_test_rules() -> Config:
    """Only the throwaway NC9xx rules (built once they are registered: Config checks its codes)."""
    return Config(select=("NC9",))


@pytest.fixture
def temp_rules():
    """Register throwaway rules for one test; the registry is restored afterwards."""
    rules_mod.all_rules()
    saved = dict(rules_mod.REGISTRY)

    def add(code, check, *, fix="safe"):
        rules_mod.rule(code, f"test-{code.lower()}", summary="test rule", fix=fix)(check)

    yield add
    rules_mod.REGISTRY.clear()
    rules_mod.REGISTRY.update(saved)


def replace_rule(old: str, new: str, *, applicability: str = "safe", message: str | None = None):
    """A rule that reports every ``old`` in the note and fixes it to ``new``."""

    def check(note, ctx):
        i = note.text.find(old)
        while i >= 0:
            yield Finding(i, message or f"{old!r} should be {new!r}",
                          fix=Fix.replace(i, i + len(old), new, applicability=applicability))
            i = note.text.find(old, i + 1)

    return check


def t_rule(note, ctx):
    """Fix a link's t=96s to t=95s (stands in for NC301)."""
    for link in note.links:
        if link.t_text == "96s":
            yield Finding(link.t_start, "t= disagrees with the label",
                          fix=Fix.replace(link.t_start, link.t_start + 3, "95s"))


def fixed_codes(result):
    return [d.code for d in result.applied]


# ---------------------------------------------------------------------------- basics


def test_fixes_every_occurrence_in_one_pass(temp_rules, clean_text):
    temp_rules("NC901", t_rule)
    broken = clean_text.replace("t=95s)", "t=96s)")
    assert broken.count("t=96s)") == 4

    result = fix_text(broken, only_test_rules())

    assert result.text == clean_text
    assert fixed_codes(result) == ["NC901"] * 4
    assert result.remaining == []


def test_fix_text_is_the_public_api(temp_rules, clean_text):
    temp_rules("NC901", t_rule)
    result = notecheck.fix_text(clean_text.replace("t=42s)", "t=96s)"), only_test_rules())
    assert isinstance(result, notecheck.FixResult)
    assert result.text == clean_text.replace("t=42s)", "t=95s)")
    assert [(d.code, d.line) for d in result.applied] == [("NC901", line_of(clean_text, "t=42s)"))]


def test_clean_note_is_unchanged(temp_rules, clean_text):
    temp_rules("NC901", t_rule)
    result = fix_text(clean_text, only_test_rules())
    assert result.text == clean_text
    assert result.applied == [] and result.remaining == []


def test_fix_with_several_edits_is_applied_whole(temp_rules, clean_text):
    def swap(note, ctx):
        a, b = note.text.find("Maria Lopez, ["), note.text.find("Welcome back")
        if a >= 0 and b >= 0:
            yield Finding(a, "two edits", fix=Fix((Edit(b, b + 7, "Hello"), Edit(a, a + 5, "Dr."))))

    temp_rules("NC901", swap)
    result = fix_text(clean_text, only_test_rules())
    expected = clean_text.replace("Maria Lopez, [", "Dr. Lopez, [", 1).replace("Welcome back", "Hello back", 1)
    assert result.text == expected
    assert fixed_codes(result) == ["NC901"]


# ---------------------------------------------------------------------------- overlaps and passes


def test_overlapping_fix_waits_for_the_next_pass(temp_rules, clean_text):
    # NC911 rewrites "back to" and NC912 "to Field": they share "to", so NC911 (earlier
    # start) goes first and NC912 is found again on the re-checked text.
    temp_rules("NC911", replace_rule("back to Field", "back again to Field"))
    temp_rules("NC912", replace_rule("to Field Notes.", "to the Field Notes."))

    result = fix_text(clean_text, only_test_rules())

    assert "Welcome back again to the Field Notes." in result.text
    assert result.text == clean_text.replace("Welcome back to Field Notes.", "Welcome back again to the Field Notes.")
    assert fixed_codes(result) == ["NC911", "NC912"]
    assert result.remaining == []


def test_same_start_is_resolved_by_code_order(temp_rules, clean_text):
    temp_rules("NC922", replace_rule("Welcome back", "Hello there"))
    temp_rules("NC921", replace_rule("Welcome", "Greetings"))

    result = fix_text(clean_text, only_test_rules())

    # NC921 wins the tie; afterwards "Welcome back" no longer exists, so NC922 is gone
    assert result.text == clean_text.replace("Welcome back", "Greetings back", 1)
    assert fixed_codes(result) == ["NC921"]


def test_identical_fixes_from_two_rules_are_applied_once(temp_rules, clean_text):
    temp_rules("NC901", t_rule)
    temp_rules("NC902", t_rule)
    broken = clean_text.replace("t=42s)", "t=96s)")

    result = fix_text(broken, only_test_rules())

    assert result.text == clean_text.replace("t=42s)", "t=95s)")
    assert sorted(fixed_codes(result)) == ["NC901", "NC902"]


def test_fix_loop_is_bounded(temp_rules, clean_text):
    # two rules that undo each other must not loop forever
    temp_rules("NC931", replace_rule("Welcome back", "Welcome again"))
    temp_rules("NC932", replace_rule("Welcome again", "Welcome back"))

    result = fix_text(clean_text, only_test_rules())

    assert len(result.applied) == MAX_PASSES
    assert result.text == clean_text  # an even number of flips
    assert [d.code for d in result.remaining] == ["NC931"]


def test_noop_and_out_of_range_fixes_are_ignored(temp_rules, clean_text):
    def odd(note, ctx):
        yield Finding(0, "no-op", fix=Fix.replace(0, 3, "---"))
        yield Finding(0, "past the end", fix=Fix.replace(len(note.text) + 5, len(note.text) + 9, "x"))

    temp_rules("NC901", odd)
    result = fix_text(clean_text, only_test_rules())
    assert result.text == clean_text
    assert result.applied == []
    assert len(result.remaining) == 2


# ---------------------------------------------------------------------------- unsafe fixes


def test_unsafe_fix_needs_opt_in(temp_rules, clean_text):
    temp_rules("NC901", replace_rule("Welcome back", "Hello again", applicability="unsafe"), fix="unsafe")

    default = fix_text(clean_text, only_test_rules())
    assert default.text == clean_text
    assert [d.code for d in default.remaining] == ["NC901"]
    assert default.remaining[0].fixable

    opted = fix_text(clean_text, only_test_rules(), unsafe=True)
    assert opted.text == clean_text.replace("Welcome back", "Hello again", 1)
    assert fixed_codes(opted) == ["NC901"] and opted.remaining == []


# ---------------------------------------------------------------------------- safety: revert


def test_pass_that_breaks_the_front_matter_is_reverted(temp_rules, clean_text):
    temp_rules("NC901", replace_rule("duration: 4000\n", "duration: [4000\n"))

    result = fix_text(clean_text, only_test_rules())

    assert result.text == clean_text
    assert result.applied == []
    assert [d.code for d in result.remaining] == ["NC901"]


def test_good_fixes_survive_when_another_fix_of_the_pass_breaks_the_note(temp_rules, clean_text):
    temp_rules("NC901", t_rule)
    temp_rules("NC902", replace_rule("---\nvideo_id", "--\nvideo_id"))  # removes the front matter
    broken = clean_text.replace("t=95s)", "t=96s)")

    result = fix_text(broken, only_test_rules())

    assert result.text == clean_text
    assert fixed_codes(result) == ["NC901"] * 4
    assert [d.code for d in result.remaining] == ["NC902"]


def test_fix_that_brings_a_new_report_only_finding_is_reverted(temp_rules, clean_text):
    def watch(note, ctx):  # report-only: a transcript paragraph must greet
        if "Welcome" not in note.text:
            yield Finding(0, "no greeting")

    temp_rules("NC941", watch, fix=None)
    temp_rules("NC942", replace_rule("Welcome back", "Back"))

    result = fix_text(clean_text, only_test_rules())

    assert result.text == clean_text
    assert [d.code for d in result.remaining] == ["NC942"]


def test_note_with_parse_problem_is_never_rewritten(temp_rules, clean_text):
    temp_rules("NC901", t_rule)
    no_front_matter = clean_text.split("---\n", 2)[2].replace("t=95s)", "t=96s)")

    result = fix_text(no_front_matter, only_test_rules())

    assert result.text == no_front_matter
    assert result.applied == []
    assert [d.code for d in result.remaining] == ["NC901"] * 4


# ---------------------------------------------------------------------------- bytes and line endings


def test_crlf_note_keeps_crlf(temp_rules, clean_text):
    temp_rules("NC901", t_rule)
    crlf = clean_text.replace("\n", "\r\n")

    result = fix_text(crlf.replace("t=95s)", "t=96s)"), only_test_rules())

    assert result.text == crlf


def test_multi_line_replacement_takes_the_line_ending_of_its_line(temp_rules, clean_text):
    # a mixed note: the front matter in CRLF, the body in LF
    head, body = clean_text.split("\n---\n", 1)
    mixed = head.replace("\n", "\r\n") + "\r\n---\n" + body

    def add_lines(note, ctx):
        for needle in ("channel: Field Notes Podcast", "## Summary"):
            i = note.text.index(needle) + len(needle)
            if note.text[i:].lstrip("\r\n").startswith("x"):
                continue
            yield Finding(i, "insert", fix=Fix.replace(i, i, "\nx: 1" if needle.startswith("channel") else "\n\nx\r\ny"))

    temp_rules("NC901", add_lines)
    result = fix_text(mixed, only_test_rules())

    expected = (mixed.replace("channel: Field Notes Podcast\r\n", "channel: Field Notes Podcast\r\nx: 1\r\n")
                .replace("## Summary\n", "## Summary\n\nx\ny\n"))
    assert result.text == expected


def test_apply_edits_leaves_untargeted_text_alone():
    text = "\ufeffa—é\r\nb\n\nc"
    edits = [Edit(2, 3, "-"), Edit(6, 7, "B"), Edit(9, 10, "C")]
    assert apply_edits(text, edits) == "\ufeffa-é\r\nB\n\nC"


def test_non_ascii_offsets_are_characters(temp_rules, clean_text):
    temp_rules("NC901", t_rule)
    text = clean_text.replace("Field Notes Podcast", "Feldnotizen — Bodenkunde für alle 🌱")

    result = fix_text(text.replace("t=95s)", "t=96s)"), only_test_rules())

    assert result.text == text
    assert result.text.encode("utf-8") == text.encode("utf-8")


def test_bom_is_kept(temp_rules, clean_text):
    temp_rules("NC901", t_rule)
    result = fix_text("\ufeff" + clean_text.replace("t=95s)", "t=96s)"), only_test_rules())
    assert result.text == "\ufeff" + clean_text


# ---------------------------------------------------------------------------- the real fix rules
#
# Each injection breaks the clean note the way real notes break; the fix must restore
# the note exactly, on an LF note, a CRLF note and a note full of non-ASCII text.

ID, WRONG_ID = "aBcD3fGh1jK", "aBcD3fGh1jX"
INJECTIONS = {
    # code: (old, new) — every occurrence of `old` is broken
    "NC004": ("Maria Lopez — ", "Maria Lopez â€” "),
    "NC102": ('duration_formatted: "1:06:40"', 'duration_formatted: "1:06:04"'),
    "NC103": (f"url: https://www.youtube.com/watch?v={ID}", f"url: https://www.youtube.com/watch?v={WRONG_ID}"),
    "NC104": (f"vi_webp/{ID}/maxres", f"vi_webp/{WRONG_ID}/maxres"),
    "NC301": (f"[1:35](https://www.youtube.com/watch?v={ID}&t=95s)", f"[1:35](https://www.youtube.com/watch?v={ID}&t=96s)"),
    "NC302": (f"[8:20](https://www.youtube.com/watch?v={ID}&", f"[8:20](https://www.youtube.com/watch?v={WRONG_ID}&"),
    "NC304": ("[17:45](", "[17:4](", ),
    "NC306": ("[41:30](", "[041:30]("),
    "NC406": (f'"*25:10-26:30" "https://www.youtube.com/watch?v={ID}"',
              f'"*25:10-26:30" "https://www.youtube.com/watch?v={WRONG_ID}"'),
    "NC407": (f"{ID}-62m00s.mp4", f"{ID}-62m30s.mp4"),
    "NC410": (f"[![Clip](https://img.youtube.com/vi/{ID}/hqdefault.jpg)](https://www.youtube.com/watch?v={ID}&t=3720s)",
              f"[![Clip](https://img.youtube.com/vi/{WRONG_ID}/hqdefault.jpg)](https://www.youtube.com/watch?v={ID}&t=3720s)"),
}
MORE_INJECTIONS = [
    # (code, old, new, how many occurrences to break, findings expected): other shapes of the same defects
    ("NC301", f"[25:10](https://www.youtube.com/watch?v={ID}&t=1510s)",
     f"[25:10](https://www.youtube.com/watch?v={ID}&t=1501s)", 3, 3),
    ("NC306", "[1:02:00](", "[62:00](", 1, 1),  # one link in the other style (all three would be a style)
    ("NC306", "[8:20](", "[08:20](", 3, 3),
    ("NC304", "[0:42](", "[0:4](", 1, 1),
    ("NC004", "Field Notes — the soil show. Écoute, don’t miss it.",  # in the non-ASCII note
     "Field Notes â€” the soil show. Ã‰coute, donâ€™t miss it.", 1, 3),
]

def non_ascii(text: str) -> str:
    return (text.replace("channel: Field Notes Podcast", "channel: Écoute — 土壌 🌱")
            .replace("Welcome back to Field Notes.", "Welcome back to Field Notes — the soil show. Écoute, don’t miss it."))


VARIANTS = {
    "lf": lambda t: t,
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "non-ascii": non_ascii,
}


def injected_cases():
    for code, (old, new) in INJECTIONS.items():
        yield code, old, new, None, None
    yield from MORE_INJECTIONS


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("code,old,new,count,findings", list(injected_cases()),
                         ids=[f"{c}-{i}" for i, (c, *_rest) in enumerate(injected_cases())])
def test_real_fix_restores_the_note(clean_text, variant, code, old, new, count, findings):
    good = VARIANTS[variant](clean_text)
    if old not in good:  # a defect of non-ASCII text: on the non-ASCII note, with this variant's line endings
        good = VARIANTS[variant](non_ascii(clean_text))
    assert notecheck.check_text(good) == []
    n = good.count(old)
    assert n >= 1 and (count is None or n >= count)
    broken = good.replace(old, new, count or n)
    findings = findings or n

    before = notecheck.check_text(broken)
    assert [d.code for d in before] == [code] * findings and all(d.fixable for d in before)
    result = fix_text(broken)

    assert result.text == good
    assert [d.code for d in result.applied] == [code] * findings
    assert result.remaining == []
    assert fix_text(result.text).text == good


def test_every_safe_fix_rule_has_an_injection_here():
    safe = {r.code for r in rules_mod.all_rules() if r.fix == "safe" and not r.code.startswith("NC9")}
    assert safe == set(INJECTIONS)


@pytest.mark.parametrize("crlf", [False, True])
def test_all_injections_at_once_are_restored(clean_text, crlf):
    good = non_ascii(clean_text)
    if crlf:
        good = good.replace("\n", "\r\n")
    broken = good
    for old, new in INJECTIONS.values():
        broken = broken.replace(old, new)
    for code, old, new, count, _ in MORE_INJECTIONS:
        broken = broken.replace(old, new, count)

    result = fix_text(broken)

    assert result.text == good
    assert result.remaining == []
    assert sorted(set(d.code for d in result.applied)) == sorted(INJECTIONS)


def test_unfixable_findings_are_left_and_fixable_ones_fixed(clean_text):
    # NC303 (a time past the duration) has no fix; the NC301 beside it has
    broken = clean_text.replace("[1:05:30](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=3930s)",
                                "[1:15:30](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=4530s)")
    broken = broken.replace("[4:10](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=250s)",
                            "[4:10](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=205s)")

    result = fix_text(broken)

    assert result.text == broken.replace("t=205s)", "t=250s)")
    assert [d.code for d in result.applied] == ["NC301"]
    assert [(d.code, d.line) for d in result.remaining] == [("NC303", line_of(broken, "[1:15:30]"))]


# ---------------------------------------------------------------------------- properties

ALL_INJECTIONS = [(old, new, None) for old, new in INJECTIONS.values()] + \
    [(old, new, count) for _, old, new, count, _ in MORE_INJECTIONS]


@st.composite
def clean_variants(draw, base: str):
    """The clean note written the ways SPEC §1 calls valid: endings, BOM, final newlines, trailing blanks."""
    text = non_ascii(base) if draw(st.booleans()) else base
    lines = text.split("\n")
    blanks = draw(st.sets(st.integers(0, len(lines) - 1), max_size=12))
    lines = [line + " " * 2 if i in blanks and line.strip() and line != "---" else line for i, line in enumerate(lines)]
    text = "\n".join(lines).rstrip("\n") + "\n" * draw(st.integers(0, 3))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


_BASE = CLEAN.read_text(encoding="utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clean_variants(_BASE))
def test_fix_changes_nothing_on_clean_notes(text):
    result = fix_text(text)
    assert result.text == text
    assert result.applied == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clean_variants(_BASE), st.lists(st.sampled_from(range(len(ALL_INJECTIONS))), min_size=1, max_size=6, unique=True))
def test_fix_restores_injected_notes_and_is_idempotent(good, chosen):
    assert notecheck.check_text(good) == []
    broken = good
    for i in chosen:
        old, new, count = ALL_INJECTIONS[i]
        if old in broken:  # an earlier injection may have broken this spot already
            broken = broken.replace(old, new, count if count is not None else -1)

    once = fix_text(broken)
    twice = fix_text(once.text)

    assert once.text == good
    assert twice.text == once.text and twice.applied == []


def test_suppressed_finding_is_not_fixed(clean_text):
    wrong = "[4:10](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=205s)"
    broken = clean_text.replace("[4:10](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=250s)", wrong)
    silenced = broken.replace(wrong, "<!-- notecheck: disable=NC301 -->\n" + wrong)
    assert [d.code for d in notecheck.check_text(broken)] == ["NC301"]

    result = fix_text(silenced)

    assert result.text == silenced
    assert result.applied == [] and result.remaining == []


def test_only_selected_rules_fix(clean_text):
    broken = clean_text.replace('"1:06:40"', '"1:06:04"').replace("[4:10](", "[04:10](")

    result = fix_text(broken, Config(select=("NC3",)))

    assert result.text == clean_text.replace('"1:06:40"', '"1:06:04"')
    assert [d.code for d in result.applied] == ["NC306"]


def test_unified_diff_splits_lines_at_newline_only():
    from notecheck.fixer import unified_diff

    old = "a\x0cb\u2028c\r\nx=1\r\nend"
    new = "a\x0cb\u2028c\r\nx=2\r\nend"
    assert unified_diff(old, new, "n.md") == (
        "--- n.md\n+++ n.md\n@@ -1,3 +1,3 @@\n a\x0cb\u2028c\r\n-x=1\r\n+x=2\r\n end\n\\ No newline at end of file\n")
