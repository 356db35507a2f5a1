"""The whole pipeline runs: the clean note passes, every sample parses without a crash."""

from __future__ import annotations

import shutil

import pytest

import notecheck
from conftest import CLEAN, SAMPLES, run_cli


def test_clean_note_has_no_findings(clean_text):
    assert notecheck.check_text(clean_text, path="clean.md") == []


def test_cli_clean_note_exits_zero():
    code, out, err = run_cli("check", str(CLEAN))
    assert code == 0, out + err
    assert "All checks passed" in out


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared samples not present")
def test_every_sample_checks_without_crash(tmp_path):
    for sample in sorted(SAMPLES.glob("*.md")):
        shutil.copy(sample, tmp_path / sample.name)
    code, out, err = run_cli("check", "--output-format", "json", str(tmp_path))
    assert code in (0, 1), err
    assert "Traceback" not in err


VARIATIONS = CLEAN.parent / "variations.md"


def _minutes_style(text: str) -> str:
    """The same note written with minutes past 59 (62:00) instead of H:MM:SS everywhere."""
    for hms, minutes in (("1:02:00", "62:00"), ("1:05:30", "65:30"), ("1:06:40", "66:40")):
        text = text.replace(f"[{hms}]", f"[{minutes}]").replace(f'"{hms}"', f'"{minutes}"')
    return text.replace("- 1:02:00 What", "- 62:00 What")


@pytest.mark.parametrize("variant", ["as written", "crlf", "crlf, no final newline", "minutes style"])
def test_spec_variations_raise_nothing(variant):
    """SPEC §1: every listed variation of real notes is valid input (one note holding them all)."""
    text = VARIATIONS.read_text(encoding="utf-8")
    if variant.startswith("crlf"):
        text = text.replace("\n", "\r\n")
    if variant.endswith("no final newline"):
        text = text.rstrip("\r\n")
    if variant == "minutes style":
        text = _minutes_style(text)
        assert "[62:00]" in text and "1:02:00]" not in text
    assert notecheck.check_text(text, path="variations.md") == []


def test_spec_variations_are_left_alone_by_fix():
    text = VARIATIONS.read_text(encoding="utf-8")
    result = notecheck.fix_text(text)
    assert result.text == text and result.applied == [] and result.remaining == []
