"""The fix engine: selecting, ordering and applying edits, looping to a fixed point, reverting.

The mechanism is tested with throwaway rules (NC9xx, registered per test and removed
afterwards, run alone with ``select=NC9``) so that it does not depend on any real rule.
"""

from __future__ import annotations

import pytest

import notecheck
from conftest import line_of
from notecheck import rules as rules_mod
from notecheck.config import Config
from notecheck.diagnostic import Edit, Finding, Fix
from notecheck.fixer import MAX_PASSES, apply_edits, fix_text

ONLY_TEST_RULES = Config(select=("NC9",))


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

    result = fix_text(broken, ONLY_TEST_RULES)

    assert result.text == clean_text
    assert fixed_codes(result) == ["NC901"] * 4
    assert result.remaining == []


def test_fix_text_is_the_public_api(temp_rules, clean_text):
    temp_rules("NC901", t_rule)
    result = notecheck.fix_text(clean_text.replace("t=42s)", "t=96s)"), ONLY_TEST_RULES)
    assert isinstance(result, notecheck.FixResult)
    assert result.text == clean_text.replace("t=42s)", "t=95s)")
    assert [(d.code, d.line) for d in result.applied] == [("NC901", line_of(clean_text, "t=42s)"))]


def test_clean_note_is_unchanged(temp_rules, clean_text):
    temp_rules("NC901", t_rule)
    result = fix_text(clean_text, ONLY_TEST_RULES)
    assert result.text == clean_text
    assert result.applied == [] and result.remaining == []


def test_fix_with_several_edits_is_applied_whole(temp_rules, clean_text):
    def swap(note, ctx):
        a, b = note.text.find("Maria Lopez, ["), note.text.find("Welcome back")
        if a >= 0 and b >= 0:
            yield Finding(a, "two edits", fix=Fix((Edit(b, b + 7, "Hello"), Edit(a, a + 5, "Dr."))))

    temp_rules("NC901", swap)
    result = fix_text(clean_text, ONLY_TEST_RULES)
    expected = clean_text.replace("Maria Lopez, [", "Dr. Lopez, [", 1).replace("Welcome back", "Hello back", 1)
    assert result.text == expected
    assert fixed_codes(result) == ["NC901"]


# ---------------------------------------------------------------------------- overlaps and passes


def test_overlapping_fix_waits_for_the_next_pass(temp_rules, clean_text):
    # NC911 rewrites "back to" and NC912 "to Field": they share "to", so NC911 (earlier
    # start) goes first and NC912 is found again on the re-checked text.
    temp_rules("NC911", replace_rule("back to Field", "back again to Field"))
    temp_rules("NC912", replace_rule("to Field Notes.", "to the Field Notes."))

    result = fix_text(clean_text, ONLY_TEST_RULES)

    assert "Welcome back again to the Field Notes." in result.text
    assert result.text == clean_text.replace("Welcome back to Field Notes.", "Welcome back again to the Field Notes.")
    assert fixed_codes(result) == ["NC911", "NC912"]
    assert result.remaining == []


def test_same_start_is_resolved_by_code_order(temp_rules, clean_text):
    temp_rules("NC922", replace_rule("Welcome back", "Hello there"))
    temp_rules("NC921", replace_rule("Welcome", "Greetings"))

    result = fix_text(clean_text, ONLY_TEST_RULES)

    # NC921 wins the tie; afterwards "Welcome back" no longer exists, so NC922 is gone
    assert result.text == clean_text.replace("Welcome back", "Greetings back", 1)
    assert fixed_codes(result) == ["NC921"]


def test_identical_fixes_from_two_rules_are_applied_once(temp_rules, clean_text):
    temp_rules("NC901", t_rule)
    temp_rules("NC902", t_rule)
    broken = clean_text.replace("t=42s)", "t=96s)")

    result = fix_text(broken, ONLY_TEST_RULES)

    assert result.text == clean_text.replace("t=42s)", "t=95s)")
    assert sorted(fixed_codes(result)) == ["NC901", "NC902"]


def test_fix_loop_is_bounded(temp_rules, clean_text):
    # two rules that undo each other must not loop forever
    temp_rules("NC931", replace_rule("Welcome back", "Welcome again"))
    temp_rules("NC932", replace_rule("Welcome again", "Welcome back"))

    result = fix_text(clean_text, ONLY_TEST_RULES)

    assert len(result.applied) == MAX_PASSES
    assert result.text == clean_text  # an even number of flips
    assert [d.code for d in result.remaining] == ["NC931"]


def test_noop_and_out_of_range_fixes_are_ignored(temp_rules, clean_text):
    def odd(note, ctx):
        yield Finding(0, "no-op", fix=Fix.replace(0, 3, "---"))
        yield Finding(0, "past the end", fix=Fix.replace(len(note.text) + 5, len(note.text) + 9, "x"))

    temp_rules("NC901", odd)
    result = fix_text(clean_text, ONLY_TEST_RULES)
    assert result.text == clean_text
    assert result.applied == []
    assert len(result.remaining) == 2


# ---------------------------------------------------------------------------- unsafe fixes


def test_unsafe_fix_needs_opt_in(temp_rules, clean_text):
    temp_rules("NC901", replace_rule("Welcome back", "Hello again", applicability="unsafe"), fix="unsafe")

    default = fix_text(clean_text, ONLY_TEST_RULES)
    assert default.text == clean_text
    assert [d.code for d in default.remaining] == ["NC901"]
    assert default.remaining[0].fixable

    opted = fix_text(clean_text, ONLY_TEST_RULES, unsafe=True)
    assert opted.text == clean_text.replace("Welcome back", "Hello again", 1)
    assert fixed_codes(opted) == ["NC901"] and opted.remaining == []


# ---------------------------------------------------------------------------- safety: revert


def test_pass_that_breaks_the_front_matter_is_reverted(temp_rules, clean_text):
    temp_rules("NC901", replace_rule("duration: 4000\n", "duration: [4000\n"))

    result = fix_text(clean_text, ONLY_TEST_RULES)

    assert result.text == clean_text
    assert result.applied == []
    assert [d.code for d in result.remaining] == ["NC901"]


def test_good_fixes_survive_when_another_fix_of_the_pass_breaks_the_note(temp_rules, clean_text):
    temp_rules("NC901", t_rule)
    temp_rules("NC902", replace_rule("---\nvideo_id", "--\nvideo_id"))  # removes the front matter
    broken = clean_text.replace("t=95s)", "t=96s)")

    result = fix_text(broken, ONLY_TEST_RULES)

    assert result.text == clean_text
    assert fixed_codes(result) == ["NC901"] * 4
    assert [d.code for d in result.remaining] == ["NC902"]


def test_fix_that_brings_a_new_report_only_finding_is_reverted(temp_rules, clean_text):
    def watch(note, ctx):  # report-only: a transcript paragraph must greet
        if "Welcome" not in note.text:
            yield Finding(0, "no greeting")

    temp_rules("NC941", watch, fix=None)
    temp_rules("NC942", replace_rule("Welcome back", "Back"))

    result = fix_text(clean_text, ONLY_TEST_RULES)

    assert result.text == clean_text
    assert [d.code for d in result.remaining] == ["NC942"]


def test_note_with_parse_problem_is_never_rewritten(temp_rules, clean_text):
    temp_rules("NC901", t_rule)
    no_front_matter = clean_text.split("---\n", 2)[2].replace("t=95s)", "t=96s)")

    result = fix_text(no_front_matter, ONLY_TEST_RULES)

    assert result.text == no_front_matter
    assert result.applied == []
    assert [d.code for d in result.remaining] == ["NC901"] * 4


# ---------------------------------------------------------------------------- bytes and line endings


def test_crlf_note_keeps_crlf(temp_rules, clean_text):
    temp_rules("NC901", t_rule)
    crlf = clean_text.replace("\n", "\r\n")

    result = fix_text(crlf.replace("t=95s)", "t=96s)"), ONLY_TEST_RULES)

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
    result = fix_text(mixed, ONLY_TEST_RULES)

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

    result = fix_text(text.replace("t=95s)", "t=96s)"), ONLY_TEST_RULES)

    assert result.text == text
    assert result.text.encode("utf-8") == text.encode("utf-8")


def test_bom_is_kept(temp_rules, clean_text):
    temp_rules("NC901", t_rule)
    result = fix_text("\ufeff" + clean_text.replace("t=95s)", "t=96s)"), ONLY_TEST_RULES)
    assert result.text == "\ufeff" + clean_text
