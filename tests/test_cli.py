"""CLI flags for CI use: --statistics, --quiet, --silent, --exit-zero, --show-fixes.

Uses the throwaway marker rules: NC911 (error, fixable) on BADWORD, NC912 (warning)
on WARNWORD; see throwaway_rules.py.
"""

from __future__ import annotations

import json

import pytest

from conftest import CLEAN, line_of, run_cli
from throwaway_rules import marker_rules  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("marker_rules")

CLEAN_TEXT = CLEAN.read_text(encoding="utf-8")
MARKED = CLEAN_TEXT.replace("## Summary\n", "## Summary\nSee BADWORD.\nWARNWORD BADWORD\n", 1)
L = line_of(MARKED, "See BADWORD")


@pytest.fixture
def notes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(MARKED, encoding="utf-8")
    (tmp_path / "clean.md").write_text(CLEAN_TEXT, encoding="utf-8")
    return tmp_path


def test_statistics_prints_only_the_table(notes):
    code, out, err = run_cli("check", "--select", "NC91", "--statistics", "a.md", "b.md")

    assert code == 1, err
    assert out == "    4  NC911  [*] test-badword\n    2  NC912      test-warnword\n"


def test_statistics_of_a_clean_run_prints_nothing(notes):
    assert run_cli("check", "--select", "NC91", "--statistics", "clean.md") == (0, "", "")


def test_statistics_with_json_is_json(notes):
    code, out, err = run_cli("check", "--select", "NC91", "--statistics", "--output-format", "json", "a.md")

    assert (code, err) == (1, "")
    assert json.loads(out) == [
        {"code": "NC911", "name": "test-badword", "count": 2, "fixable": True, "fixable_count": 2},
        {"code": "NC912", "name": "test-warnword", "count": 1, "fixable": False, "fixable_count": 0},
    ]


def test_statistics_with_a_format_that_cannot_hold_it_is_a_usage_error(notes):
    code, out, err = run_cli("check", "--select", "NC91", "--statistics", "--output-format", "sarif", "a.md")
    assert (code, out) == (2, "")
    assert "--statistics" in err and "sarif" in err


def test_quiet_prints_only_the_findings(notes):
    """-q/--quiet as ruff's: the findings, no summary; a clean run prints nothing."""
    code, out, _ = run_cli("check", "--select", "NC91", "--quiet", "--output-format", "concise", "a.md", "clean.md")
    assert (code, out) == (1, f"a.md:{L}:5: NC911 [error] BADWORD: say goodword [*]\n"
                              f"a.md:{L + 1}:1: NC912 [warning] WARNWORD, 100% a warning: with, commas\n"
                              f"a.md:{L + 1}:10: NC911 [error] BADWORD: say goodword [*]\n")

    assert run_cli("check", "--select", "NC91", "-q", "clean.md") == (0, "", "")


def test_quiet_fix_prints_what_remains_only(notes):
    code, out, _ = run_cli("fix", "--select", "NC91", "-q", "--output-format", "concise", "a.md")
    assert (code, out) == (0, f"a.md:{L + 1}:1: NC912 [warning] WARNWORD, 100% a warning: with, commas\n")


def test_silent_prints_nothing_but_the_exit_code_tells(notes):
    assert run_cli("check", "--select", "NC91", "--silent", "a.md") == (1, "", "")
    assert run_cli("check", "--select", "NC91", "-s", "--output-format", "json", "a.md") == (1, "", "")
    assert run_cli("check", "--select", "NC91", "-s", "clean.md") == (0, "", "")


def test_quiet_does_not_silence_machine_formats(notes):
    code, out, _ = run_cli("check", "--select", "NC911", "--quiet", "--output-format", "github", "a.md")
    assert code == 1
    assert out.count("::error file=a.md,") == 2


def test_exit_zero_reports_but_exits_0(notes):
    code, out, _ = run_cli("check", "--select", "NC91", "--exit-zero", "a.md")

    assert code == 0
    assert out.startswith(f"a.md:{L}:5: NC911 [error] BADWORD: say goodword [*]\n")


def test_exit_zero_still_exits_2_on_a_missing_path(notes):
    code, _, err = run_cli("check", "--select", "NC91", "--exit-zero", "a.md", "missing.md")
    assert code == 2
    assert "missing.md: no such file or directory" in err


def test_show_fixes_lists_what_fix_changed(notes):
    code, out, err = run_cli("fix", "--select", "NC91", "--show-fixes", "--no-show-source", "a.md")

    assert code == 0, err  # a warning remains: warnings alone exit 0
    assert out == (
        "Fixing a.md\n"
        f"a.md:{L + 1}:1: NC912 [warning] WARNWORD, 100% a warning: with, commas\n"
        f"a.md:{L}:5: fixed NC911 BADWORD: say goodword\n"
        f"a.md:{L + 1}:10: fixed NC911 BADWORD: say goodword\n"
        "Fixed 2 problems. Found 1 problem (1 warning) in 1 file (1 checked).\n"
    )
    assert (notes / "a.md").read_text(encoding="utf-8") == MARKED.replace("BADWORD", "goodword")


def test_without_show_fixes_fixed_findings_are_only_counted(notes):
    code, out, _ = run_cli("fix", "--select", "NC911", "a.md")
    assert (code, out) == (0, "Fixing a.md\nFixed 2 problems. All checks passed (1 file checked).\n")


def test_fix_only_fixes_names_the_files_and_leaves_the_report_to_check(notes):
    """The pre-commit fix hook: what remains is printed once, by the check hook."""
    code, out, err = run_cli("fix", "--select", "NC91", "--fix-only", "--strict", "a.md", "clean.md")
    assert (code, out, err) == (0, "Fixing a.md\nFixed 2 problems.\n", "")  # the warning remains, unreported

    assert run_cli("check", "--select", "NC91", "--fix-only", "a.md", "clean.md") == (0, "", "")  # nothing left to fix
    code, out, _ = run_cli("check", "--select", "NC91", "--strict", "--output-format", "concise", "a.md")
    assert (code, out.count("NC912 [warning]")) == (1, 1)


def test_silent_diff_prints_nothing(notes):
    assert run_cli("fix", "--select", "NC91", "--diff", "-s", "a.md") == (1, "", "")
