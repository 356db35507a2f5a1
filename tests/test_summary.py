"""The Markdown job summary: ``--summary FILE`` and ``$GITHUB_STEP_SUMMARY``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import CLEAN, line_of, run_cli
from notecheck.diagnostic import UNSAFE, Diagnostic, Fix
from notecheck.output.summary import MAX_FILES, MAX_FINDINGS, MAX_MESSAGE, escape, line_url, summary_markdown
from notecheck.runner import FileResult

CLEAN_TEXT = CLEAN.read_text(encoding="utf-8")
VIDEO = "https://www.youtube.com/watch?v=aBcD3fGh1jK"
# two defects: a wrong t= (NC301, safe fix) and a wrong -o tag (NC407, safe fix)
BAD = (CLEAN_TEXT.replace(f"[8:20]({VIDEO}&t=500s)) - Her plots", f"[8:20]({VIDEO}&t=502s)) - Her plots")
       .replace('-o "aBcD3fGh1jK-25m10s.mp4"', '-o "aBcD3fGh1jK-25m11s.mp4"'))


@pytest.fixture
def no_github(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_WORKSPACE", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def on_github(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "octo/notes")
    monkeypatch.setenv("GITHUB_SHA", "0123abc")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def diag(path: str, line: int, code: str = "NC301", message: str = "m", *, severity: str = "error",
         fix: str | None = None) -> Diagnostic:
    fixobj = Fix((), fix) if fix else None
    return Diagnostic(path, line, 1, code, severity, message, fixable=fix is not None, fix=fixobj)


# ------------------------------------------------------------------------------ through the command line


def test_summary_file_exact_text(tmp_path: Path, no_github, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.md").write_text(BAD)
    (tmp_path / "notes" / "b.md").write_text(CLEAN_TEXT)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier\n")
    code, _out, _err = run_cli("check", "--summary", str(summary), "notes")
    assert code == 1
    nc407, nc301 = line_of(BAD, "25m11s"), line_of(BAD, "t=502s")
    assert summary.read_text() == f"""earlier
## notecheck

❌ **2 problems** in 1 note (2 checked): 2 errors, 0 warnings.

Fixable: **2** with `notecheck fix`, **0** more with `notecheck fix --unsafe-fixes`; 0 need an edit by hand.

| Rule | Name | Findings | Safe fix | Unsafe fix |
|---|---|--:|--:|--:|
| NC301 | label-t-mismatch | 1 | 1 | 0 |
| NC407 | clip-output-tag | 1 | 1 | 0 |

| File | Findings | Errors | Warnings | Fixable |
|---|--:|--:|--:|--:|
| notes/a.md | 2 | 2 | 0 | 2 |

**All 2 findings**

| Where | Rule | Severity | Message |
|---|---|---|---|
| notes/a.md:{nc407} | NC407 | error (fix) | -o tag 25m11s (1511 s) differs from the clip start 25:10 (1510 s); write 25m10s |
| notes/a.md:{nc301} | NC301 | error (fix) | label 8:20 is 500 s but t=502s is 8:22 |

"""


def test_github_step_summary_is_the_default_and_is_appended_to(tmp_path: Path, on_github, monkeypatch):
    (tmp_path / "a.md").write_text(BAD)
    summary = tmp_path / "step_summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run_cli("check", "--output-format", "github", "a.md")
    run_cli("check", "a.md")
    text = summary.read_text()
    assert text.count("## notecheck\n") == 2  # appended, as GitHub does between steps
    line = line_of(BAD, "t=502s")
    assert f"| [a.md:{line}](https://github.com/octo/notes/blob/0123abc/a.md#L{line}) | NC301 |" in text
    assert "| [a.md](https://github.com/octo/notes/blob/0123abc/a.md) | 2 |" in text
    run_cli("fix", "--diff", "a.md")  # fix writes no summary of its own
    run_cli("check", "--statistics", "--output-format", "json", "a.md")  # any output format
    assert summary.read_text().count("## notecheck\n") == 3


def test_a_clean_run_says_so(tmp_path: Path, no_github, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(CLEAN_TEXT)
    code, _out, _err = run_cli("check", "--summary", "s.md", "a.md")
    assert code == 0
    assert (tmp_path / "s.md").read_text() == "## notecheck\n\n✅ No problems in 1 note checked.\n\n"


def test_an_unwritable_summary(tmp_path: Path, no_github, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(CLEAN_TEXT)
    missing = tmp_path / "no" / "such" / "folder" / "s.md"
    code, _out, err = run_cli("check", "--summary", str(missing), "a.md")
    assert code == 2  # asked for by name: an error
    assert err == f"notecheck: error: --summary {missing}: cannot write: No such file or directory\n"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(missing))
    code, _out, err = run_cli("check", "a.md")
    assert code == 0  # the runner's file: a warning, the check's verdict stands
    assert err == f"notecheck: warning: $GITHUB_STEP_SUMMARY {missing}: cannot write: No such file or directory\n"


def test_path_errors_are_listed(tmp_path: Path, no_github, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _out, _err = run_cli("check", "--summary", "s.md", "missing.md")
    assert code == 2
    assert "**1 path could not be checked:** missing.md: " in (tmp_path / "s.md").read_text()


# ------------------------------------------------------------------------------ contents


def test_escape_makes_user_text_inert():
    assert escape("a *b* _c_ `d` [e](f) <script> &amp; | ~x~ $x$ \\") == \
        "a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<script\\> \\&amp; \\| \\~x\\~ \\$x\\$ \\\\"
    assert escape("two\nlines\r\nand\ra\ttab") == "two lines and a tab"
    assert escape("bell\x07 esc\x1b[31m") == "bell\\\\x07 esc\\\\x1b\\[31m"
    assert escape("caf\udce9.md") == "caf\\\\xe9.md"  # an undecodable byte of a file name
    assert escape("time 1:02:00 (safe) - fine.") == "time 1:02:00 (safe) - fine."  # prose stays readable


def test_a_headline_with_markup_is_escaped_in_the_table(no_github):
    message = 'quote "<img src=x onerror=alert(1)>|**bold**" not found'
    text = summary_markdown([FileResult("n.md", [diag("n.md", 3, message=message)])])
    assert "| n.md:3 | NC301 | error | quote \"\\<img src=x onerror=alert(1)\\>\\|\\*\\*bold\\*\\*\" not found |" in text


def test_links_need_the_server_the_repository_and_the_commit(on_github, monkeypatch):
    assert line_url("notes/a b#c.md", 7) == "https://github.com/octo/notes/blob/0123abc/notes/a%20b%23c.md#L7"
    assert line_url("./notes/../x.md", 2) == "https://github.com/octo/notes/blob/0123abc/x.md#L2"
    assert line_url("notes/caf\udce9.md", 1) == "https://github.com/octo/notes/blob/0123abc/notes/caf%E9.md#L1"
    assert line_url(os.path.join(os.environ["GITHUB_WORKSPACE"], "n.md"), 1).endswith("/0123abc/n.md#L1")
    assert line_url("/elsewhere/n.md", 1) is None  # outside the repository: no link
    monkeypatch.delenv("GITHUB_SHA")
    assert line_url("n.md", 1) is None
    text = summary_markdown([FileResult("n.md", [diag("n.md", 3)])])
    assert "| n.md:3 | NC301 |" in text


def test_first_findings_limit_at_the_exact_count(no_github):
    at = [FileResult("n.md", [diag("n.md", i) for i in range(1, MAX_FINDINGS + 1)])]
    text = summary_markdown(at)
    assert f"**All {MAX_FINDINGS} findings**" in text
    assert text.count("| n.md:") == MAX_FINDINGS
    over = [FileResult("n.md", [diag("n.md", i) for i in range(1, MAX_FINDINGS + 2)])]
    text = summary_markdown(over)
    assert f"**The first {MAX_FINDINGS} of {MAX_FINDINGS + 1} findings**" in text
    assert text.count("| n.md:") == MAX_FINDINGS
    assert f"| n.md:{MAX_FINDINGS + 1} |" not in text


def test_file_table_limit_at_the_exact_count(no_github):
    at = [FileResult(f"n{i:02d}.md", [diag(f"n{i:02d}.md", 1)]) for i in range(MAX_FILES)]
    assert "more file" not in summary_markdown(at)
    over = at + [FileResult("z.md", [diag("z.md", 1), diag("z.md", 2)])]
    text = summary_markdown(over)
    assert "| z.md | 2 | 2 | 0 | 0 |" in text  # most findings first, then by path
    assert f"| n{MAX_FILES - 2:02d}.md | 1 |" in text and f"| n{MAX_FILES - 1:02d}.md | 1 |" not in text
    assert "| … and 1 more file | 1 | | | |" in text


def test_long_messages_are_cut_at_the_limit(no_github):
    exact = "x" * MAX_MESSAGE
    text = summary_markdown([FileResult("n.md", [diag("n.md", 1, message=exact)])])
    assert f"| {exact} |" in text
    text = summary_markdown([FileResult("n.md", [diag("n.md", 1, message=exact + "y")])])
    assert f"| {'x' * (MAX_MESSAGE - 1)}… |" in text


def test_fixable_counts_safe_and_unsafe(no_github):
    results = [FileResult("n.md", [diag("n.md", 1, fix="safe"), diag("n.md", 2, "NC602", fix=UNSAFE),
                                   diag("n.md", 3, "NC602", fix=UNSAFE), diag("n.md", 4, "NC202", severity="warning")])]
    text = summary_markdown(results, changed_since="origin/main", hidden=3)
    assert "❌ **4 problems** in 1 note (1 checked): 3 errors, 1 warning." in text
    assert "Fixable: **1** with `notecheck fix`, **2** more with `notecheck fix --unsafe-fixes`; 1 need" in text
    assert "| NC602 | sidecar-time-mismatch | 2 | 0 | 2 |" in text
    assert "| n.md:2 | NC602 | error (unsafe fix) |" in text
    assert "| n.md:4 | NC202 | warning |" in text
    assert "Only findings on lines changed since `origin/main` are shown (3 other findings on unchanged" in text
