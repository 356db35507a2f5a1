"""Output where the terminal matters, through a real notecheck process in a pty.

The layout never depends on whether stdout is a terminal (a VS Code task runs in a pty
and reads path:line:col); only colour does: NO_COLOR means no escape code at all,
FORCE_COLOR / CLICOLOR_FORCE give colour in a pipe. The README's VS Code problem matcher
is checked against real output with its own regular expression.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CLEAN, ROOT, line_of, run_cli

pty = pytest.importorskip("pty")

CLEAN_TEXT = CLEAN.read_text(encoding="utf-8")
BAD = CLEAN_TEXT.replace("&t=95s) People", "&t=96s) People", 1)  # NC301, an error, fixable
TWO_H1 = BAD.replace("## Highlights\n", "# Second title\n\n## Highlights\n", 1)  # and NC205
ANSI = re.compile(r"\x1b\[[0-9;]*m")
COLOUR_VARS = ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "TERM")


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in COLOUR_VARS}
    env["TERM"] = "xterm-256color"
    env.update(extra)
    return env


def in_pty(args: list[str], cwd: Path, **env: str) -> tuple[int, str]:
    """Run ``notecheck ARGS`` with stdout and stderr on a pseudo-terminal; (exit code, output)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "notecheck", *args], cwd=cwd, env=environment(**env),
                            stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed its side
            break
        if not data:
            break
        chunks.append(data)
    code = proc.wait(timeout=60)
    os.close(master)
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")  # the tty turns \n into \r\n


def in_pipe(args: list[str], cwd: Path, **env: str) -> tuple[int, str]:
    proc = subprocess.run([sys.executable, "-m", "notecheck", *args], cwd=cwd, env=environment(**env),
                          capture_output=True, text=True, timeout=60)
    return proc.returncode, proc.stdout


@pytest.fixture
def notes(tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "bad.md").write_text(TWO_H1, encoding="utf-8")
    (tmp_path / "notes" / "clean.md").write_text(CLEAN_TEXT, encoding="utf-8")
    return tmp_path


def test_layout_in_a_terminal_is_the_layout_in_a_pipe(notes):
    for fmt in ("full", "concise"):
        code, tty = in_pty(["check", "--output-format", fmt, "notes"], notes)
        piped = in_pipe(["check", "--output-format", fmt, "notes"], notes)

        assert "\x1b[" in tty  # a real terminal: colour is on...
        assert (code, ANSI.sub("", tty)) == piped  # ...and it is the only difference
        assert "\x1b[" not in piped[1]


def test_full_and_concise_lines(notes):
    h1, link = line_of(TWO_H1, "# Second title"), line_of(TWO_H1, "&t=96s) People")
    first = f"notes/bad.md:{h1}:1: NC205 [error] more than one H1: '# Second title' (the title H1 is at line 17); " \
            "sections are '##'"
    second = f"notes/bad.md:{link}:54: NC301 [error] label 1:35 is 95 s but t=96s is 1:36 [*]"
    summary = "Found 2 problems in 1 file (2 checked); 1 fixable with `notecheck fix`."

    assert in_pipe(["check", "--output-format", "concise", "notes"], notes) == (1, f"{first}\n{second}\n{summary}\n")
    code, out = in_pipe(["check", "notes"], notes)  # full is the default, text its alias
    assert out == in_pipe(["check", "--output-format", "text", "notes"], notes)[1]
    assert out.splitlines() == [first, f"{h1:>5} | # Second title", "      | ^",
                                second, f"{link:>5} | " + TWO_H1.splitlines()[link - 1][:160] + "…",
                                "      | " + " " * 53 + "^", summary]


def test_no_color_means_no_escape_code_at_all_even_in_a_terminal(notes):
    for args in (["check", "notes"], ["check", "--statistics", "notes"], ["fix", "--diff", "notes"],
                 ["rules"], ["explain", "NC301"], ["check", "notes/missing.md"]):
        code, out = in_pty(args, notes, NO_COLOR="1")
        assert "\x1b" not in out, args
    # NO_COLOR wins over FORCE_COLOR
    assert "\x1b" not in in_pipe(["check", "notes"], notes, NO_COLOR="1", FORCE_COLOR="1")[1]


@pytest.mark.parametrize("env", [{"FORCE_COLOR": "1"}, {"CLICOLOR_FORCE": "1"}])
def test_force_color_gives_colour_in_a_pipe_with_the_same_layout(notes, env):
    plain = in_pipe(["check", "notes"], notes)
    code, coloured = in_pipe(["check", "notes"], notes, **env)
    assert "\x1b[" in coloured and (code, ANSI.sub("", coloured)) == plain


@pytest.mark.parametrize("env", [{"FORCE_COLOR": "0"}, {"CLICOLOR_FORCE": "0", "CLICOLOR": "0"}, {"TERM": "dumb"}])
def test_colour_turned_off_on_a_terminal(notes, env):
    assert "\x1b" not in in_pty(["check", "notes"], notes, **env)[1]


def test_quiet_statistics_and_missing_path_in_a_terminal(notes):
    code, out = in_pty(["check", "-q", "--output-format", "concise", "notes"], notes, NO_COLOR="1")
    assert code == 1 and len(out.splitlines()) == 2 and "Found" not in out  # the findings only

    code, out = in_pty(["check", "--statistics", "notes"], notes, NO_COLOR="1")
    assert (code, out) == (1, "    1  NC205      h1-count\n    1  NC301  [*] label-t-mismatch\n")

    code, out = in_pty(["check", "notes/clean.md", "notes/missing.md"], notes, NO_COLOR="1")
    assert code == 2
    assert "All checks passed" not in out
    assert out.splitlines() == ["notecheck: error: notes/missing.md: no such file or directory",
                                "No problems found in 1 file checked; 1 path could not be checked."]


def test_rules_table_is_the_same_in_a_terminal(notes):
    code, tty = in_pty(["rules"], notes)
    assert (code, tty) == in_pipe(["rules"], notes)


# ----------------------------------------------------------------------- VS Code matcher


def readme_task() -> dict:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("### VS Code")[1].split("```json\n")[1].split("\n```")[0]
    (task,) = json.loads(block)["tasks"]
    return task


def test_readme_problem_matcher_reads_every_finding_in_a_terminal(notes):
    task = readme_task()
    matcher = task["problemMatcher"]
    pattern = matcher["pattern"]
    regexp = re.compile(pattern["regexp"])  # JavaScript and Python agree on this syntax
    args = task["command"].split()
    assert args[:2] == ["notecheck", "check"] and matcher["fileLocation"][0] == "relative"

    _, expected = in_pipe(["check", *args[2:], "--output-format", "json"], notes)
    for env in (task["options"]["env"], {}):  # as the task sets it; and without NO_COLOR, ANSI stripped as VS Code does
        code, out = in_pty(args[1:], notes, **env)
        found = []
        for line in ANSI.sub("", out).splitlines():
            m = regexp.match(line)
            if m:
                found.append({"path": m[pattern["file"]], "line": int(m[pattern["line"]]),
                              "column": int(m[pattern["column"]]), "code": m[pattern["code"]],
                              "severity": m[pattern["severity"]], "message": m[pattern["message"]]})
        want = [{k: d[k] for k in ("path", "line", "column", "code", "severity", "message")}
                for d in json.loads(expected)]
        assert code == 1 and len(want) == 2
        assert found == want
        for item in found:
            assert (notes / item["path"]).is_file()  # relative to the workspace folder


def test_gitlab_code_quality_report(notes, monkeypatch):
    monkeypatch.chdir(notes)
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    code, out, err = run_cli("check", "--output-format", "gitlab", "./notes")

    assert code == 1, err
    issues = json.loads(out)
    h1, link = line_of(TWO_H1, "# Second title"), line_of(TWO_H1, "&t=96s) People")
    assert [(i["check_name"], i["severity"], i["location"]["path"], i["location"]["positions"]["begin"]["line"])
            for i in issues] == [("NC205", "major", "notes/bad.md", h1), ("NC301", "major", "notes/bad.md", link)]
    assert issues[1]["description"] == "NC301: label 1:35 is 95 s but t=96s is 1:36"
    assert issues[1]["location"]["positions"] == {"begin": {"line": link, "column": 54},
                                                  "end": {"line": link, "column": 57}}
    assert len({i["fingerprint"] for i in issues}) == 2

    # the fingerprint survives lines added above; an absolute path is made relative to $CI_PROJECT_DIR
    (notes / "notes" / "bad.md").write_text(TWO_H1.replace("## Summary\n", "## Summary\nNew line.\n\n"),
                                            encoding="utf-8")
    monkeypatch.setenv("CI_PROJECT_DIR", str(notes))
    _, moved, _ = run_cli("check", "--output-format", "gitlab", str(notes / "notes"))
    moved = json.loads(moved)
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in issues]
    assert moved[1]["location"]["path"] == "notes/bad.md"
    assert moved[1]["location"]["positions"]["begin"]["line"] == link + 2


def test_gitlab_fingerprints_of_identical_findings_are_unique(tmp_path):
    twice = CLEAN_TEXT.replace("[1:35](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=95s)) - One bad",
                               "[1:35](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=96s)) - One bad")
    line = [x for x in twice.splitlines(keepends=True) if "t=96s)) - One bad" in x][0]
    (tmp_path / "a.md").write_text(twice.replace(line, line * 2), encoding="utf-8")
    _, out, _ = run_cli("check", "--output-format", "gitlab", str(tmp_path / "a.md"))
    fingerprints = [i["fingerprint"] for i in json.loads(out)]
    assert len(fingerprints) == 2 and len(set(fingerprints)) == 2


def test_json_paths_have_no_dot_slash(notes, monkeypatch):
    monkeypatch.chdir(notes)
    _, out, _ = run_cli("check", "--output-format", "json", ".")
    assert {d["path"] for d in json.loads(out)} == {"notes/bad.md"}
