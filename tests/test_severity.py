"""Exit codes and severities through the command line: warnings alone exit 0 unless
--strict; [tool.notecheck.severity] changes a code's severity in every output."""

from __future__ import annotations

import json

import pytest

from conftest import CLEAN, line_of, run_cli

CLEAN_TEXT = CLEAN.read_text(encoding="utf-8")
BAD = CLEAN_TEXT.replace("&t=95s) People", "&t=96s) People", 1)  # NC301, an error by default
LINE = line_of(BAD, "&t=96s) People")


@pytest.fixture
def note(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(BAD, encoding="utf-8")
    return tmp_path


def test_an_error_fails_the_run(note):
    code, out, _ = run_cli("check", "--output-format", "concise", "a.md")
    assert code == 1 and f"a.md:{LINE}:54: NC301 [error] " in out


def test_severity_table_makes_it_a_warning_that_fails_only_with_strict(note):
    (note / ".notecheck.toml").write_text('[severity]\nNC301 = "warning"\n', encoding="utf-8")

    code, out, _ = run_cli("check", "--output-format", "concise", "a.md")
    assert code == 0
    assert out == (f"a.md:{LINE}:54: NC301 [warning] label 1:35 is 95 s but t=96s is 1:36 [*]\n"
                   "Found 1 problem (1 warning) in 1 file (1 checked); 1 fixable with `notecheck fix`.\n")
    assert run_cli("check", "--strict", "a.md")[0] == 1
    _, out, _ = run_cli("check", "--output-format", "json", "a.md")
    assert [(d["code"], d["severity"]) for d in json.loads(out)] == [("NC301", "warning")]
    _, out, _ = run_cli("check", "--output-format", "github", "a.md")
    assert out.startswith("::warning file=a.md,")
    _, out, _ = run_cli("check", "--output-format", "gitlab", "a.md")
    assert json.loads(out)[0]["severity"] == "minor"
    _, out, _ = run_cli("check", "--output-format", "sarif", "a.md")
    assert json.loads(out)["runs"][0]["results"][0]["level"] == "warning"


def test_the_longest_prefix_wins_and_a_warning_can_become_an_error(note):
    (note / "pyproject.toml").write_text('[tool.notecheck.severity]\nNC3 = "warning"\nNC301 = "error"\n',
                                         encoding="utf-8")
    assert run_cli("check", "--output-format", "concise", "a.md")[1].startswith(f"a.md:{LINE}:54: NC301 [error] ")

    (note / "pyproject.toml").write_text('[tool.notecheck.severity]\nNC30 = "warning"\nNC3 = "error"\n',
                                         encoding="utf-8")
    code, out, _ = run_cli("check", "--output-format", "concise", "a.md")
    assert code == 0 and "NC301 [warning]" in out


def test_fix_exit_code_follows_the_severity_of_what_remains(note):
    (note / "b.md").write_text(BAD.replace("## Highlights\n", "# Second\n\n## Highlights\n", 1), encoding="utf-8")
    assert run_cli("fix", "b.md")[0] == 1  # NC205 remains, an error
    (note / ".notecheck.toml").write_text('[severity]\nNC205 = "warning"\n', encoding="utf-8")
    (note / "b.md").write_text(BAD.replace("## Highlights\n", "# Second\n\n## Highlights\n", 1), encoding="utf-8")
    code, out, _ = run_cli("fix", "b.md")
    assert code == 0 and "NC205 [warning]" in out
    assert run_cli("check", "--strict", "b.md")[0] == 1


def test_an_unreadable_file_takes_the_configured_severity(note):
    (note / ".notecheck.toml").write_text('[severity]\nNC001 = "warning"\n', encoding="utf-8")
    (note / "bin.md").write_bytes(b"\xff\xfe\x00binary")
    code, out, _ = run_cli("check", "--output-format", "json", "bin.md")
    assert code == 0 and [d["severity"] for d in json.loads(out)] == ["warning"]


@pytest.mark.parametrize("table, says", [
    ('[severity]\nNC301 = "warn"\n', 'severity.NC301: expected "error" or "warning"'),
    ('[severity]\nNC999 = "warning"\n', "'NC999' matches no rule"),
    ('[severity]\nXX1 = "warning"\n', "is not a rule code or prefix"),
    ('severity = "warning"\n', "severity: expected a table"),
])
def test_a_bad_severity_table_exits_2_naming_the_key(note, table, says):
    (note / ".notecheck.toml").write_text(table, encoding="utf-8")
    code, out, err = run_cli("check", "a.md")
    assert (code, out) == (2, "") and says in err and "Traceback" not in err
