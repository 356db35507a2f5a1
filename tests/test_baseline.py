"""--write-baseline / --baseline, through the command line (check and fix).

A baseline records each finding by path, code and fingerprint (the offending text and
its line, not the line number): lines added above a finding do not bring it back,
editing its line does, a new finding is reported alone, identical findings are counted.
"""

from __future__ import annotations

import json
import os

import pytest

from conftest import CLEAN, line_of, run_cli

CLEAN_TEXT = CLEAN.read_text(encoding="utf-8")
KEY_POINT = ("- **Topsoil is lost fast and rebuilt slowly** ([1:35](https://www.youtube.com/watch?v=aBcD3fGh1jK"
             "&t=95s)) - One bad winter can strip what took a century to form\n")
WRONG_KEY_POINT = KEY_POINT.replace("t=95s", "t=96s")  # NC301, fixable
assert KEY_POINT in CLEAN_TEXT
WRONG = CLEAN_TEXT.replace(KEY_POINT, WRONG_KEY_POINT)
TWICE = CLEAN_TEXT.replace(KEY_POINT, WRONG_KEY_POINT * 2)  # two identical findings
SECOND_H1 = CLEAN_TEXT.replace("## Highlights\n", "# Second title\n\n## Highlights\n", 1)  # NC205, unfixable


@pytest.fixture
def archive(tmp_path, monkeypatch):
    """An old archive: two notes with findings and a clean one; the working directory is its root."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "wrong.md").write_text(WRONG, encoding="utf-8")
    (tmp_path / "notes" / "twice.md").write_text(TWICE, encoding="utf-8")
    (tmp_path / "notes" / "clean.md").write_text(CLEAN_TEXT, encoding="utf-8")
    return tmp_path


def concise(*args: str) -> tuple[int, list[str], str]:
    code, out, err = run_cli("check", "--output-format", "concise", "-q", *args)
    return code, out.splitlines(), err


def test_write_baseline_records_every_finding_and_exits_0(archive):
    code, out, err = run_cli("check", "--write-baseline", "baseline.json", ".")

    assert (code, out) == (0, "")
    assert err == "Recorded 3 findings in 2 files in baseline.json.\n"
    doc = json.loads((archive / "baseline.json").read_text(encoding="utf-8"))
    assert doc["version"] == 1
    assert [(e["path"], e["code"]) for e in doc["findings"]] == [
        ("notes/twice.md", "NC301"), ("notes/twice.md", "NC301"), ("notes/wrong.md", "NC301")]
    twice = [e["fingerprint"] for e in doc["findings"][:2]]
    assert twice[0] == twice[1]  # identical findings share a fingerprint: each is one entry
    assert doc["findings"][2]["fingerprint"] == twice[0]  # the path is not part of it
    assert doc["findings"][0]["message"] == "label 1:35 is 95 s but t=96s is 1:36"
    # one finding a line, for review
    assert (archive / "baseline.json").read_text(encoding="utf-8").count("\n") == 5


def test_baseline_hides_recorded_findings(archive):
    run_cli("check", "--write-baseline", "baseline.json", ".")

    assert run_cli("check", "--baseline", "baseline.json", ".") == (0, "All checks passed (3 files checked).\n", "")


def test_lines_added_above_do_not_resurrect_a_finding_but_editing_its_line_does(archive):
    run_cli("check", "--write-baseline", "baseline.json", ".")
    note = archive / "notes" / "wrong.md"
    note.write_text(WRONG.replace("## Summary\n", "## Summary\nA new first line.\n\nAnd another.\n", 1)
                    .replace("\n", "\r\n"), encoding="utf-8")  # and CRLF line endings now

    assert concise("--baseline", "baseline.json", ".") == (0, [], "")

    note.write_text(WRONG.replace("One bad winter", "One hard winter"), encoding="utf-8")
    line = line_of(WRONG, WRONG_KEY_POINT)
    assert concise("--baseline", "baseline.json", ".") == (
        1, [f"notes/wrong.md:{line}:101: NC301 [error] label 1:35 is 95 s but t=96s is 1:36 [*]"], "")


def test_a_new_finding_is_reported_alone(archive):
    run_cli("check", "--write-baseline", "baseline.json", ".")
    (archive / "notes" / "clean.md").write_text(SECOND_H1, encoding="utf-8")
    line = line_of(SECOND_H1, "# Second title")

    code, lines, _ = concise("--baseline", "baseline.json", ".")

    assert (code, lines) == (1, [f"notes/clean.md:{line}:1: NC205 [error] more than one H1: '# Second title' "
                                 "(the title H1 is at line 17); sections are '##'"])


def test_identical_findings_are_counted(archive):
    """The baseline holds two identical NC301 in twice.md: a third one is reported, the last in the file."""
    run_cli("check", "--write-baseline", "baseline.json", ".")
    (archive / "notes" / "twice.md").write_text(CLEAN_TEXT.replace(KEY_POINT, WRONG_KEY_POINT * 3), encoding="utf-8")
    line = line_of(TWICE, WRONG_KEY_POINT) + 2

    assert concise("--baseline", "baseline.json", ".")[:2] == (
        1, [f"notes/twice.md:{line}:101: NC301 [error] label 1:35 is 95 s but t=96s is 1:36 [*]"])

    # one of the two fixed by hand: nothing new, nothing reported
    (archive / "notes" / "twice.md").write_text(WRONG, encoding="utf-8")
    assert concise("--baseline", "baseline.json", ".")[:2] == (0, [])


def test_rewriting_drops_gone_findings_and_keeps_files_not_checked(archive):
    run_cli("check", "--write-baseline", "baseline.json", ".")
    (archive / "notes" / "twice.md").write_text(CLEAN_TEXT, encoding="utf-8")  # fixed
    (archive / "notes" / "clean.md").write_text(SECOND_H1, encoding="utf-8")  # newly broken

    # a run over one file keeps what it did not check (wrong.md, twice.md)...
    run_cli("check", "--write-baseline", "baseline.json", "notes/clean.md")
    doc = json.loads((archive / "baseline.json").read_text(encoding="utf-8"))
    assert [(e["path"], e["code"]) for e in doc["findings"]] == [
        ("notes/clean.md", "NC205"), ("notes/twice.md", "NC301"), ("notes/twice.md", "NC301"),
        ("notes/wrong.md", "NC301")]

    # ...a run over the folder drops the findings that are gone, and a deleted note's
    (archive / "notes" / "wrong.md").unlink()
    run_cli("check", "--write-baseline", "baseline.json", ".")
    doc = json.loads((archive / "baseline.json").read_text(encoding="utf-8"))
    assert [(e["path"], e["code"]) for e in doc["findings"]] == [("notes/clean.md", "NC205")]


def test_paths_are_relative_to_the_baseline_folder(archive, monkeypatch):
    run_cli("check", "--write-baseline", "baseline.json", "notes")
    monkeypatch.chdir(archive / "notes")

    assert concise("--baseline", "../baseline.json", ".")[:2] == (0, [])
    assert concise("--baseline", str(archive / "baseline.json"), "wrong.md")[:2] == (0, [])


def test_fix_neither_fixes_nor_reports_recorded_findings(archive):
    run_cli("check", "--write-baseline", "baseline.json", ".")
    (archive / "notes" / "clean.md").write_text(WRONG, encoding="utf-8")  # a new fixable finding

    code, out, err = run_cli("fix", "--baseline", "baseline.json", ".")

    assert (code, out) == (0, "Fixing notes/clean.md\nFixed 1 problem. All checks passed (3 files checked).\n"), err
    assert (archive / "notes" / "clean.md").read_text(encoding="utf-8") == CLEAN_TEXT
    assert (archive / "notes" / "wrong.md").read_text(encoding="utf-8") == WRONG  # recorded: left alone
    assert (archive / "notes" / "twice.md").read_text(encoding="utf-8") == TWICE


def test_fix_write_baseline_records_what_remains(archive):
    (archive / "notes" / "clean.md").write_text(SECOND_H1, encoding="utf-8")

    code, out, err = run_cli("fix", "--write-baseline", "baseline.json", ".")

    assert code == 0, err
    doc = json.loads((archive / "baseline.json").read_text(encoding="utf-8"))
    assert [(e["path"], e["code"]) for e in doc["findings"]] == [("notes/clean.md", "NC205")]
    assert (archive / "notes" / "wrong.md").read_text(encoding="utf-8") == CLEAN_TEXT


def test_stdin_with_a_name_matches_the_baseline(archive):
    run_cli("check", "--write-baseline", "baseline.json", ".")
    code, out, _ = run_cli("check", "--baseline", "baseline.json", "--stdin-filename", "notes/wrong.md", "-",
                           stdin=WRONG.encode())
    assert (code, out) == (0, "All checks passed (1 file checked).\n")


def test_json_output_and_exit_code_follow_the_baseline(archive):
    run_cli("check", "--write-baseline", "baseline.json", "notes/wrong.md")
    code, out, _ = run_cli("check", "--baseline", "baseline.json", "--output-format", "json", ".")
    assert code == 1
    assert [(d["path"], d["code"]) for d in json.loads(out)] == [("notes/twice.md", "NC301")] * 2


@pytest.mark.parametrize("content, says", [
    (None, "no such file (record one with --write-baseline"),
    ("{", "invalid JSON"),
    ('{"findings": [{"path": 1}]}', "not a notecheck baseline"),
    ('{"version": 99, "findings": []}', "record it again"),
])
def test_a_bad_baseline_is_a_usage_error(archive, content, says):
    if content is not None:
        (archive / "baseline.json").write_text(content, encoding="utf-8")
    code, out, err = run_cli("check", "--baseline", "baseline.json", ".")
    assert (code, out) == (2, "")
    assert says in err and "baseline.json" in err and "Traceback" not in err


def test_baseline_and_write_baseline_exclude_each_other(archive):
    code, _, err = run_cli("check", "--baseline", "a.json", "--write-baseline", "b.json", ".")
    assert code == 2 and "not allowed with argument" in err


def test_write_baseline_into_a_missing_folder_is_a_clear_error(archive):
    code, _, err = run_cli("check", "--write-baseline", os.path.join("nowhere", "b.json"), ".")
    assert code == 2 and "cannot write" in err and "Traceback" not in err


def test_a_new_baseline_takes_the_umask_and_a_rewritten_one_keeps_its_mode(archive):
    old = os.umask(0o027)
    try:
        run_cli("check", "--write-baseline", "baseline.json", ".")
        assert os.stat("baseline.json").st_mode & 0o7777 == 0o640
        os.chmod("baseline.json", 0o600)
        run_cli("check", "--write-baseline", "baseline.json", ".")
        assert os.stat("baseline.json").st_mode & 0o7777 == 0o600
        assert [p for p in os.listdir(".") if p.endswith(".tmp")] == []
    finally:
        os.umask(old)
