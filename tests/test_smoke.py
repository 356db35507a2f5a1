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
