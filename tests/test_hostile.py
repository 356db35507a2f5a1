"""Hostile names, terminals, configs and folders (issue 15): each break reproduced, then held.

* a file name that is not UTF-8 is carried by every output format, each in its own escaping;
* control characters from a note (ESC sequences, a lone CR, C1 and bidi controls) never
  reach a terminal or a log raw: messages, excerpts and paths show them as ``\\x1b``;
* a symlink loop named on the command line is one file's problem, not the run's;
* a config nested 500 deep, or holding nan, is a config error (exit 2) naming the key;
* fix in a folder the user cannot write reports why and keeps the file's findings;
* stale ``.NAME.*.notecheck.tmp`` files of ours are cleaned, nothing else is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import CLEAN, ROOT, run_cli

CLEAN_TEXT = CLEAN.read_text(encoding="utf-8")
LINK = "[1:35](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=95s)"
BROKEN = CLEAN_TEXT.replace(LINK, LINK.replace("t=95s", "t=96s"))  # NC301 findings, all fixable
FORMATS = ["text", "json", "github", "sarif", "junit", "gitlab"]

# what a terminal acts on (ESC, CSI/OSC sequences, BEL, a lone CR, C1 CSI, a bidi override)
HOSTILE = "\x1b[5m\x1b]0;pwned\x07\x1b[31mRED\rX\u202eevil\x9b31m"
RAW_CONTROLS = ["\x1b", "\x07", "\r", "\u202e", "\x9b"]
# put before a quote's first word: NC501 quotes the sentence as written in its message
QUOTE_START = "\x1b[2J\u202e\x9b"
QUOTE_START_SHOWN = "\\x1b[2J\\u202e\\x9b"


def bytes_name_file(folder: Path, name: bytes, text: str = BROKEN) -> str:
    """Create a file whose name is ``name`` (any bytes); its path as Python shows it (os.fsdecode)."""
    path = os.path.join(os.fsencode(folder), name)
    with open(path, "wb") as fh:
        fh.write(text.encode("utf-8"))
    return os.fsdecode(path)


def cli_subprocess(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real program, with a strict UTF-8 stdout (as on a UTF-8 terminal): nothing unencodable may reach it."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "notecheck", *args], capture_output=True, cwd=cwd,
                          env=full_env, timeout=120)


# ---------------------------------------------------------------------------- 1. non-UTF-8 file names


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_non_utf8_file_name_is_carried_by_every_format(tmp_path, fmt):
    bytes_name_file(tmp_path, b"bad\xff\xfe.md")

    proc = cli_subprocess("check", "--no-sidecar", "--output-format", fmt, ".", cwd=tmp_path)

    assert proc.returncode == 1, proc.stderr.decode("utf-8", "replace")[-2000:]
    assert proc.stderr == b""
    out = proc.stdout.decode("utf-8")  # strict: valid UTF-8
    if fmt == "text":
        assert out.startswith("bad\\xff\\xfe.md:")
    elif fmt == "github":
        assert out.startswith("::error file=bad\\xff\\xfe.md,")
    elif fmt == "json":
        item = json.loads(out)[0]
        assert item["path"] == "bad\udcff\udcfe.md"  # the exact name: os.fsencode gives the bytes back
        assert os.fsencode(item["path"]) == b"bad\xff\xfe.md"
        assert "\\udcff\\udcfe" in out
    elif fmt == "sarif":
        log = json.loads(out)
        location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location == {"uri": "bad%FF%FE.md", "uriBaseId": "%SRCROOT%"}
        from test_outputs import sarif_validator

        sarif_validator().validate(log)
    elif fmt == "junit":
        case = ET.fromstring(out).find("testsuite/testcase")
        assert case.get("file") == "bad\\xff\\xfe.md"
    elif fmt == "gitlab":
        item = json.loads(out)[0]
        assert item["location"]["path"] == "bad\udcff\udcfe.md"  # exact, as in the JSON output
        assert "\\udcff\\udcfe" in out


def test_sarif_of_an_absolute_non_utf8_path_is_a_file_uri(tmp_path):
    path = bytes_name_file(tmp_path, b"bad\xff.md")
    code, out, err = run_cli("check", "--no-sidecar", "--output-format", "sarif", path)
    assert code == 1 and err == ""
    uri = json.loads(out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("file:///") and uri.endswith("/bad%FF.md")


def test_fix_diff_of_a_non_utf8_name_quotes_it_as_git_does(tmp_path):
    bytes_name_file(tmp_path, b"bad\xff.md")
    proc = cli_subprocess("fix", "--no-sidecar", "--diff", ".", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith(b'--- "bad\\377.md"\n+++ "bad\\377.md"\n')


def test_fix_of_a_non_utf8_name_says_fixing_with_the_name_escaped(tmp_path):
    path = bytes_name_file(tmp_path, b"bad\xff.md")
    proc = cli_subprocess("fix", "--no-sidecar", ".", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8").startswith("Fixing bad\\xff.md\n")
    assert Path(path).read_text(encoding="utf-8") == CLEAN_TEXT


# ---------------------------------------------------------------------------- 5. terminal escapes


def hostile_note(folder: Path, name: str = "n.md") -> Path:
    """A note whose H1 and first quote carry escape sequences: NC105 (H1 vs title) and NC501 quote them."""
    text = CLEAN_TEXT.replace("# Maria Lopez", "# Maria Lopez " + HOSTILE, 1)
    i = text.index('> "') + 3
    text = text[:i] + QUOTE_START + text[i:]
    path = folder / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def assert_no_raw_controls(out: str) -> None:
    for ch in RAW_CONTROLS:
        assert ch not in out, f"raw {ch!r} reached the output: {out!r}"[:3000]


def test_text_output_escapes_control_characters_in_messages_and_excerpts(tmp_path):
    path = hostile_note(tmp_path)
    code, out, err = run_cli("check", "--no-sidecar", str(path))
    assert code == 1
    assert_no_raw_controls(out)
    assert "\\x1b[5m\\x1b]0;pwned\\x07\\x1b[31mRED\\x0dX\\u202eevil\\x9b31m" in out  # in the excerpt of the H1
    nc501 = next(line for line in out.splitlines() if " NC501 " in line)
    assert f'"{QUOTE_START_SHOWN}Soil is the slowest' in nc501
    excerpt, caret = out.splitlines()[out.splitlines().index(nc501) + 1:][:2]
    # the caret still points at the quote's first character, after the 4-character escape
    assert excerpt.index(f"{QUOTE_START_SHOWN}Soil") == caret.index("^")


def test_text_output_in_colour_escapes_note_text_too(tmp_path):
    import io

    from notecheck.output import OutputOptions, write
    from notecheck.runner import check_paths

    results = check_paths([str(hostile_note(tmp_path))], None)
    stream = io.StringIO()
    write("text", results, stream, OutputOptions(color=True, show_fixes=True))
    out = stream.getvalue()
    for raw in ("\x1b[5m", "\x1b]0;", "\x1b[2J", "\x07", "\r", "\u202e", "\x9b"):
        assert raw not in out  # rich's own colour codes are ESC sequences too: look for the note's
    assert "\\x1b[2J" in out


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_json_formats_keep_the_exact_text_with_every_control_escaped(tmp_path, fmt):
    path = hostile_note(tmp_path)
    code, out, err = run_cli("check", "--no-sidecar", "--output-format", fmt, str(path))
    assert code == 1
    assert_no_raw_controls(out)
    data = json.loads(out)
    messages = {"json": lambda: [d["message"] for d in data],
                "sarif": lambda: [r["message"]["text"] for r in data["runs"][0]["results"]],
                "gitlab": lambda: [d["description"] for d in data]}[fmt]()
    assert any(f'"{QUOTE_START}Soil is' in m for m in messages)  # decoded: exactly the note's text


def test_github_annotations_escape_control_characters(tmp_path):
    path = hostile_note(tmp_path)
    code, out, err = run_cli("check", "--no-sidecar", "--output-format", "github", str(path))
    assert code == 1
    assert_no_raw_controls(out)
    assert f'"{QUOTE_START_SHOWN}Soil' in out


def test_junit_escapes_what_xml_cannot_hold(tmp_path):
    path = hostile_note(tmp_path)
    code, out, err = run_cli("check", "--no-sidecar", "--output-format", "junit", str(path))
    root = ET.fromstring(out)  # valid XML
    texts = [f.text for f in root.iter("failure")]
    assert any(f'"\\x1b[2J\u202e\x9bSoil' in t for t in texts)  # XML holds the bidi and C1 characters


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_path_errors_are_escaped(tmp_path, fmt):
    missing = str(tmp_path / "\x1b]0;pwned\x07\x1b[31m.md")
    code, out, err = run_cli("check", "--output-format", fmt, missing)
    assert code == 2
    assert_no_raw_controls(out + err)
    assert "\\x1b]0;pwned\\x07\\x1b[31m.md: no such file or directory" in err


def test_file_names_with_control_characters_are_escaped_in_every_line(tmp_path):
    bytes_name_file(tmp_path, b"\x1b[31mred\r.md")
    proc = cli_subprocess("fix", "--no-sidecar", ".", cwd=tmp_path)
    out = proc.stdout.decode("utf-8") + proc.stderr.decode("utf-8")
    assert proc.returncode == 0, out
    assert_no_raw_controls(out)
    assert "Fixing \\x1b[31mred\\x0d.md" in out


def test_config_errors_are_escaped(tmp_path):
    folder = tmp_path / "\x1b[31mconf"
    folder.mkdir()
    (folder / ".notecheck.toml").write_text("select = 5\n", encoding="utf-8")
    (folder / "n.md").write_text(CLEAN_TEXT, encoding="utf-8")
    code, out, err = run_cli("check", str(folder))
    assert code == 2
    assert_no_raw_controls(err)
    assert "\\x1b[31mconf" in err


# ---------------------------------------------------------------------------- 2. symlink loops


@pytest.mark.parametrize("command", ["check", "fix"])
@pytest.mark.parametrize("with_config", [False, True], ids=["no config", "config with exclude"])
def test_a_symlink_loop_named_on_the_command_line_is_one_files_problem(tmp_path, monkeypatch, command, with_config):
    if with_config:  # exclude and per-file-ignores resolve each path against the config's folder
        (tmp_path / ".notecheck.toml").write_text(
            'exclude = ["drafts/"]\n[per-file-ignores]\n"x*.md" = ["NC2"]\n', encoding="utf-8")
    (tmp_path / "ok.md").write_text(BROKEN, encoding="utf-8")
    os.symlink("self.md", tmp_path / "self.md")  # ln -s self.md self.md
    os.symlink("b.md", tmp_path / "a.md")
    os.symlink("a.md", tmp_path / "b.md")
    monkeypatch.chdir(tmp_path)

    code, out, err = run_cli(command, "--no-sidecar", "ok.md", "self.md", "a.md")

    assert "Traceback" not in err and "internal error" not in out + err
    assert code == 1
    for name in ("self.md", "a.md"):
        assert f"{name}:1:1: NC001 [error] cannot read: Too many levels of symbolic links (the file was not checked)" in out
    if command == "check":
        assert "ok.md:39:" in out  # the other file is checked
    else:
        assert out.startswith("Fixing ok.md\n") and (tmp_path / "ok.md").read_text(encoding="utf-8") == CLEAN_TEXT


# ---------------------------------------------------------------------------- 3. hostile configs

DEEP = 500


@pytest.mark.parametrize("where", [".notecheck.toml", "pyproject.toml", "--config"])
@pytest.mark.parametrize("value", ["[" * DEEP + "]" * DEEP, "{a = " * DEEP + "1" + "}" * DEEP,
                                   "[\n" * DEEP + "]\n" * DEEP], ids=["arrays", "inline tables", "arrays on lines"])
def test_a_deeply_nested_config_is_a_config_error_naming_the_key(tmp_path, where, value):
    table = "[tool.notecheck]\n" if where == "pyproject.toml" else ""
    conf = tmp_path / (".notecheck.toml" if where == "--config" else where)
    conf.write_text(f'{table}select = ["NC3"]\nclip-seconds = {value}\n', encoding="utf-8")
    (tmp_path / "n.md").write_text(CLEAN_TEXT, encoding="utf-8")
    args = ["--config", str(conf)] if where == "--config" else []

    code, out, err = run_cli("check", *args, str(tmp_path / "n.md"))

    assert (code, out) == (2, ""), err
    assert err == (f"notecheck: error: {conf}: not valid TOML: nested too deeply to read "
                   f"(key clip-seconds, line {3 if table else 2})\n")


@pytest.mark.parametrize("content, key", [
    ("quote-similarity = nan", "quote-similarity: expected a finite number, got nan"),
    ("quote-similarity = -nan", "quote-similarity: expected a finite number, got nan"),
    ("clip-seconds = [5, nan]", "clip-seconds: expected a finite number, got nan"),
    ("clip-seconds = [nan, 600]", "clip-seconds: expected a finite number, got nan"),
    ("clip-seconds = [5, inf]", "clip-seconds: expected a finite number, got inf"),
    ("clip-lead-seconds = nan", "clip-lead-seconds: expected a finite number, got nan"),
    ("clip-lead-seconds = inf", "clip-lead-seconds: expected a finite number, got inf"),
])
def test_nan_and_infinity_are_config_errors_naming_the_key(tmp_path, content, key):
    (tmp_path / ".notecheck.toml").write_text(content + "\n", encoding="utf-8")
    (tmp_path / "n.md").write_text(CLEAN_TEXT, encoding="utf-8")
    code, out, err = run_cli("check", str(tmp_path / "n.md"))
    assert (code, out) == (2, "")
    assert err == f"notecheck: error: {tmp_path / '.notecheck.toml'}: {key}\n"


def test_config_api_refuses_nan_too():
    from notecheck.config import ConfigError, from_mapping

    with pytest.raises(ConfigError, match="quote-similarity"):
        from_mapping({"quote-similarity": float("nan")})


# ---------------------------------------------------------------------------- 4. a folder fix cannot write

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def check_unwritable_folder_report(tmp_path, path: Path, code: int, out: str, err: str) -> None:
    assert "internal error" not in out + err and "Traceback" not in err
    assert code == 2  # as for a read-only note: the fix could not be written (README, exit codes)
    assert err == (f"notecheck: error: {path}: not written: cannot create a file in its folder {tmp_path} "
                   "(Permission denied); fix writes the new note beside it and renames it over the old one\n")
    assert path.read_text(encoding="utf-8") == BROKEN  # untouched
    assert "Fixing" not in out
    assert f"{path}:39:72: NC301 [error] label 1:35 is 95 s but t=96s is 1:36" in out  # the findings, as on disk
    assert out.endswith("Found 3 problems in 1 file (1 checked); 3 fixable with `notecheck fix`.\n")


def test_fix_in_a_folder_it_cannot_write_says_why_and_reports_the_findings(tmp_path, monkeypatch):
    # simulated at the temporary file's creation, so that it holds when the tests run as root
    import tempfile

    path = tmp_path / "n.md"
    path.write_text(BROKEN, encoding="utf-8")
    real_mkstemp = tempfile.mkstemp

    def refuse(*args, dir=None, **kwargs):
        if os.path.realpath(dir) == os.path.realpath(tmp_path):
            raise PermissionError(13, "Permission denied", os.path.join(dir, "x.notecheck.tmp"))
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    code, out, err = run_cli("fix", "--no-sidecar", str(path))
    check_unwritable_folder_report(tmp_path, path, code, out, err)


@pytest.mark.skipif(IS_ROOT, reason="running as root: a folder without write permission is still writable "
                                    "(the mocked test covers it)")
def test_fix_in_a_folder_it_cannot_write_for_real(tmp_path):
    path = tmp_path / "n.md"
    path.write_text(BROKEN, encoding="utf-8")
    os.chmod(tmp_path, 0o555)
    try:
        code, out, err = run_cli("fix", "--no-sidecar", str(path))
    finally:
        os.chmod(tmp_path, 0o755)
    check_unwritable_folder_report(tmp_path, path, code, out, err)


# ---------------------------------------------------------------------------- 7. temp files and the rename window

HOUR = 3600


def tmp_file(folder: Path, name: str, age: float, *, kind: str = "file") -> Path:
    path = folder / name
    if kind == "file":
        path.write_bytes(b"half a note")
    elif kind == "dir":
        path.mkdir()
    elif kind == "symlink":
        path.symlink_to(folder / "n.md")
    then = os.path.getmtime(folder / "n.md") - age if kind != "symlink" else None
    if then is not None:
        os.utime(path, (then, then))
    return path


def test_fix_removes_stale_temp_files_of_its_own_and_nothing_else(tmp_path):
    note = tmp_path / "n.md"
    note.write_text(BROKEN, encoding="utf-8")
    stale = [tmp_file(tmp_path, ".n.md.k2x_9a0b.notecheck.tmp", 2 * HOUR),
             tmp_file(tmp_path, ".n.md.zzzzzzzz.notecheck.tmp", 30 * 24 * HOUR)]
    kept = [
        tmp_file(tmp_path, ".n.md.k2x_9a0c.notecheck.tmp", 60),  # fresh: a running fix may own it
        tmp_file(tmp_path, ".n.md.K2X_9A0B.notecheck.tmp", 2 * HOUR),  # not tempfile's alphabet
        tmp_file(tmp_path, ".n.md.k2x_9a0.notecheck.tmp", 2 * HOUR),  # 7 characters, not 8
        tmp_file(tmp_path, ".n.md.k2x_9a0b.notecheck.tmp.bak", 2 * HOUR),
        tmp_file(tmp_path, "n.md.k2x_9a0b.notecheck.tmp", 2 * HOUR),  # not hidden
        tmp_file(tmp_path, ".m.md.k2x_9a0b.notecheck.tmp", 2 * HOUR),  # another note's: its own fix cleans it
        tmp_file(tmp_path, ".n.md.dirdirdi.notecheck.tmp", 2 * HOUR, kind="dir"),
        tmp_file(tmp_path, ".n.md.linklink.notecheck.tmp", 2 * HOUR, kind="symlink"),
    ]

    code, out, err = run_cli("fix", "--no-sidecar", str(note))

    assert (code, err) == (0, "")
    assert [p.name for p in stale if os.path.lexists(p)] == []
    assert [p.name for p in kept if not os.path.lexists(p)] == []
    assert note.read_text(encoding="utf-8") == CLEAN_TEXT


def test_fix_removes_stale_temp_files_even_when_nothing_is_fixed(tmp_path):
    note = tmp_path / "n.md"
    note.write_text(CLEAN_TEXT, encoding="utf-8")
    stale = tmp_file(tmp_path, ".n.md.abcdefgh.notecheck.tmp", 2 * HOUR)
    code, out, err = run_cli("fix", "--no-sidecar", str(note))
    assert code == 0 and not stale.exists()


def test_check_and_fix_diff_never_remove_anything(tmp_path):
    note = tmp_path / "n.md"
    note.write_text(BROKEN, encoding="utf-8")
    stale = tmp_file(tmp_path, ".n.md.abcdefgh.notecheck.tmp", 2 * HOUR)
    run_cli("check", "--no-sidecar", str(note))
    run_cli("fix", "--diff", "--no-sidecar", str(note))
    assert stale.exists()


@pytest.mark.skipif(not IS_ROOT, reason="needs root to give a file to another user")
def test_fix_leaves_another_users_temp_file_alone(tmp_path):
    note = tmp_path / "n.md"
    note.write_text(BROKEN, encoding="utf-8")
    theirs = tmp_file(tmp_path, ".n.md.abcdefgh.notecheck.tmp", 2 * HOUR)
    os.chown(theirs, 54321, 54321)
    run_cli("fix", "--no-sidecar", str(note))
    assert theirs.exists()


@pytest.mark.parametrize("edit", ["append", "same size", "replaced by rename"])
def test_an_edit_while_the_fix_is_written_is_never_lost(tmp_path, monkeypatch, edit):
    # the user saves the note after fix re-read it, while the fixed copy is being flushed to disk
    from notecheck import fixer

    note = tmp_path / "n.md"
    note.write_text(BROKEN, encoding="utf-8")
    theirs = BROKEN.replace("Welcome back", "Welcome home") if edit == "same size" else BROKEN + "more\n"
    real_fsync = os.fsync

    def fsync_then_edit(fd):
        real_fsync(fd)
        if edit == "replaced by rename":  # how editors save: a new file renamed over the old one
            (tmp_path / "n.md.swp").write_text(theirs, encoding="utf-8")
            os.replace(tmp_path / "n.md.swp", note)
        else:
            st = os.stat(note)
            note.write_text(theirs, encoding="utf-8")
            if edit == "same size":  # even when the clock has not moved on (coarse timestamps)
                os.utime(note, ns=(st.st_atime_ns, st.st_mtime_ns + 1))

    monkeypatch.setattr(fixer.os, "fsync", fsync_then_edit)
    code, out, err = run_cli("fix", "--no-sidecar", str(note))

    assert note.read_text(encoding="utf-8") == theirs
    assert code == 2
    assert err == f"notecheck: error: {note}: file changed while it was being fixed; not written\n"
    assert [p.name for p in tmp_path.iterdir()] == ["n.md"]  # no temporary file left behind


def test_the_job_summary_escapes_bidi_controls_too(tmp_path):
    path = hostile_note(tmp_path)
    summary = tmp_path / "summary.md"
    code, out, err = run_cli("check", "--no-sidecar", "--summary", str(summary), str(path))
    text = summary.read_text(encoding="utf-8")
    assert_no_raw_controls(text)
    assert "\\\\x1b" in text or "\\x1b" in text  # shown (the backslash itself escaped for Markdown)
