"""Inline suppressions through the command line, and NC009 (--report-unused-suppressions).

Uses the throwaway marker rules: NC911 (error, fixable) on BADWORD, NC912 (warning) on
WARNWORD; see throwaway_rules.py.
"""

from __future__ import annotations

import json

import pytest

from conftest import CLEAN, line_of, run_cli
from throwaway_rules import marker_rules  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("marker_rules")

CLEAN_TEXT = CLEAN.read_text(encoding="utf-8")


def marked(body: str) -> str:
    """The clean note with ``body`` added under ## Summary."""
    return CLEAN_TEXT.replace("## Summary\n", "## Summary\n" + body, 1)


def check(tmp_path, text: str, *args: str):
    path = tmp_path / "note.md"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli("check", "--select", "NC91", "--output-format", "json", *args, str(path))
    assert "Traceback" not in err
    return code, [(d["line"], d["code"]) for d in json.loads(out)], json.loads(out)


def test_disable_alone_on_a_line_silences_the_next_line_only(tmp_path):
    text = marked("<!-- notecheck: disable=NC911 -->\nBADWORD and WARNWORD\nBADWORD again\n")

    code, found, _ = check(tmp_path, text)

    line = line_of(text, "BADWORD and")
    assert found == [(line, "NC912"), (line + 1, "NC911")]
    assert code == 1


def test_disable_at_the_end_of_a_line_silences_that_line(tmp_path):
    text = marked("BADWORD here <!-- notecheck: disable=NC911 -->\nBADWORD there\n")

    assert check(tmp_path, text)[1] == [(line_of(text, "BADWORD there"), "NC911")]


def test_disable_takes_several_codes_prefixes_and_no_code(tmp_path):
    text = marked("<!-- notecheck: disable=NC911, NC912 -->\nBADWORD WARNWORD\n"
                  "<!-- notecheck: disable=NC91 -->\nBADWORD WARNWORD\n"
                  "<!-- notecheck: disable -->\nBADWORD WARNWORD\n"
                  "BADWORD\n")

    assert check(tmp_path, text)[1] == [(line_of(text, "BADWORD\n"), "NC911")]


def test_disable_file_silences_the_listed_codes_everywhere(tmp_path):
    text = marked("BADWORD WARNWORD\n") + "\nBADWORD WARNWORD\n<!-- notecheck: disable-file=NC911 -->\n"

    code, found, _ = check(tmp_path, text)
    assert found == [(line_of(text, "WARNWORD"), "NC912"), (line_of(text, "WARNWORD", 2), "NC912")]

    text = text.replace("disable-file=NC911", "disable-file=NC911,NC912")
    assert check(tmp_path, text)[:2] == (0, [])


def test_a_comment_inside_a_code_block_is_not_a_suppression(tmp_path):
    text = marked("```\n<!-- notecheck: disable-file=NC911 -->\n```\nBADWORD\n")

    assert check(tmp_path, text)[1] == [(line_of(text, "BADWORD"), "NC911")]


def test_unused_suppressions_are_reported_only_with_the_flag(tmp_path):
    text = marked("<!-- notecheck: disable=NC911 -->\nBADWORD\n"       # used
                  "<!-- notecheck: disable=NC911 -->\nno marker here\n"  # unused
                  "<!-- notecheck: disable-file=NC912 -->\n")            # unused: no WARNWORD anywhere

    assert check(tmp_path, text)[:2] == (0, [])

    code, found, items = check(tmp_path, text, "--report-unused-suppressions")

    assert found == [(line_of(text, "disable=NC911", 2), "NC009"), (line_of(text, "disable-file"), "NC009")]
    assert code == 0  # NC009 is a warning: it fails the run only with --strict
    assert check(tmp_path, text, "--report-unused-suppressions", "--strict")[0] == 1
    first, second = items
    assert first["severity"] == "warning" and first["column"] == 1
    assert first["message"] == f"unused suppression: NC911 silences nothing on line {found[0][0] + 1}"
    assert second["message"] == "unused suppression: NC912 silences nothing in this file"
    assert first["end_column"] == len("<!-- notecheck: disable=NC911 -->") + 1


def test_unused_report_names_unknown_codes_and_partly_used_comments(tmp_path):
    text = marked("<!-- notecheck: disable=NC911,NC912,NC3O1 -->\nBADWORD\n<!-- notecheck: disable -->\nplain\n")

    _, found, items = check(tmp_path, text, "--report-unused-suppressions")

    assert found == [(line_of(text, "NC3O1"), "NC009"), (line_of(text, "disable -->"), "NC009")]
    assert items[0]["message"] == (f"unused suppression: NC912 silences nothing on line {found[0][0] + 1}; "
                                   "NC3O1 is not a rule code")
    assert items[1]["message"] == f"unused suppression: it silences nothing on line {found[1][0] + 1}"


def test_codes_whose_rule_did_not_run_are_not_judged(tmp_path):
    text = marked("<!-- notecheck: disable-file=NC912 -->\n")

    assert check(tmp_path, text, "--report-unused-suppressions", "--select", "NC911")[:2] == (0, [])
    assert check(tmp_path, text, "--report-unused-suppressions")[1] == [(line_of(text, "disable-file"), "NC009")]


def test_nc009_can_be_ignored(tmp_path):
    text = marked("<!-- notecheck: disable-file=NC912 -->\n")

    assert check(tmp_path, text, "--report-unused-suppressions", "--ignore", "NC009")[:2] == (0, [])


def test_text_output_of_an_unused_suppression(tmp_path):
    text = marked("<!-- notecheck: disable=NC911 -->\nplain\n")
    path = tmp_path / "note.md"
    path.write_text(text, encoding="utf-8")
    line = line_of(text, "disable=")

    code, out, err = run_cli("check", "--select", "NC91", "--report-unused-suppressions", str(path))

    assert code == 0, err
    assert out.startswith(f"{path}:{line}:1: NC009 [warning] unused suppression: NC911 silences nothing on line "
                          f"{line + 1} [*]\n")
    assert out.endswith("Found 1 problem (1 warning) in 1 file (1 checked); 1 with `notecheck fix --unsafe-fixes`.\n")

    text = marked("<!-- notecheck: disable=NC911 -->\nplain\nBADWORD\n")
    path.write_text(text, encoding="utf-8")
    _, out, _ = run_cli("check", "--select", "NC91", "--report-unused-suppressions", str(path))
    assert out.endswith("Found 2 problems (1 error, 1 warning) in 1 file (1 checked); 1 fixable with `notecheck fix`; "
                        "1 more with `notecheck fix --unsafe-fixes`.\n")


def test_github_annotation_of_an_unused_suppression_names_unsafe_fixes(tmp_path):
    path = tmp_path / "note.md"
    path.write_text(marked("<!-- notecheck: disable=NC911 -->\nplain\n"), encoding="utf-8")
    _, out, _ = run_cli("check", "--select", "NC91", "--report-unused-suppressions", "--output-format", "github",
                        str(path))
    assert out.startswith("::warning file=")
    assert out.endswith(",title=NC009::unused suppression: NC911 silences nothing on line "
                        f"{line_of(path.read_text(encoding='utf-8'), 'plain')} "
                        "(fixable with `notecheck fix --unsafe-fixes`)\n")


def test_fix_removes_unused_suppressions_only_as_an_unsafe_fix(tmp_path):
    body = "<!-- notecheck: disable=NC911 -->\nplain\nkeep <!-- notecheck: disable=NC912 -->\n"
    text = marked(body)
    path = tmp_path / "note.md"
    path.write_text(text, encoding="utf-8")

    code, out, err = run_cli("fix", "--select", "NC91", "--report-unused-suppressions", str(path))
    assert path.read_text(encoding="utf-8") == text, out + err
    assert code == 0 and "NC009 [warning]" in out  # the unused suppressions remain, warnings

    code, out, err = run_cli("fix", "--select", "NC91", "--report-unused-suppressions", "--unsafe-fixes", str(path))
    assert path.read_text(encoding="utf-8") == marked("plain\nkeep\n"), out + err
    assert code == 0


def test_fix_keeps_the_used_codes_of_a_comment(tmp_path):
    text = marked("WARNWORD <!-- notecheck: disable=NC911,NC912 -->\n")
    path = tmp_path / "note.md"
    path.write_text(text, encoding="utf-8")

    run_cli("fix", "--select", "NC91", "--report-unused-suppressions", "--unsafe-fixes", str(path))

    assert path.read_text(encoding="utf-8") == marked("WARNWORD <!-- notecheck: disable=NC912 -->\n")


def test_explain_nc009():
    code, out, err = run_cli("explain", "NC009")
    assert code == 0, err
    assert out.startswith("NC009 (unused-suppression) — warning")
    assert "What it finds" in out and "Why it matters" in out
