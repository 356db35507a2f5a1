"""``notecheck check --changed-since REF``: findings on lines changed since a git revision.

Through the command line, on real git repositories (tests/gitrepo.py): what a change is
answerable for (its lines, the highlight / quote / front matter it touched, the note's
structure) and what it is not (every old finding elsewhere), and the errors (exit 2).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_cli
from gitrepo import (HIGHLIGHT_TAGS, VIDEO, clean_note, commit_all, git, init_repo, isolate_git, line_number,
                     note_with_highlight_findings, note_with_old_findings, requires_git)
from notecheck.changed import FileChanges, _changed_units, keep, parse_diff, unquote_c_style
from notecheck.diagnostic import Diagnostic

pytestmark = requires_git


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate_git(monkeypatch)
    root = init_repo(tmp_path / "repo")
    (root / "notes").mkdir()
    monkeypatch.chdir(root)
    return root


def findings(*args: str) -> tuple[int, list[tuple[str, str, int]], str]:
    """Run ``check --output-format json ARGS``: (exit code, [(path, code, line)], stderr)."""
    code, out, err = run_cli("check", "--output-format", "json", *args)
    assert code in (0, 1), err
    return code, [(d["path"], d["code"], d["line"]) for d in json.loads(out)], err


def write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


# ------------------------------------------------------------------------------ the cases


def test_old_note_with_30_findings_reports_only_the_new_defect_on_the_edited_line(repo: Path):
    note = repo / "notes" / "old.md"
    old = note_with_old_findings(30)
    write(note, old)
    commit_all(repo, "an old note")
    assert len(findings("notes")[1]) == 30  # the old findings are there

    edited = old.replace(f"[8:20]({VIDEO}&t=500s)) - Her plots", f"[8:20]({VIDEO}&t=502s)) - Her plots")
    write(note, edited)  # an unstaged edit of one line: one new NC301 on it
    line = line_number(edited, "t=502s")
    code, found, err = findings("--changed-since", "HEAD", "notes")
    assert (code, found) == (1, [("notes/old.md", "NC301", line)])
    assert "notecheck: 30 findings on lines not changed since HEAD not shown" in err

    git(repo, "add", "-A")  # staged
    assert findings("--changed-since", "HEAD", "notes")[1] == [("notes/old.md", "NC301", line)]
    commit_all(repo, "the edit")  # committed: compared with the commit before it
    assert findings("--changed-since", "HEAD~1", "notes")[1] == [("notes/old.md", "NC301", line)]
    assert findings("--changed-since", "HEAD", "notes")[:2] == (0, [])  # nothing changed since HEAD


def test_a_new_note_reports_all_of_its_findings(repo: Path):
    write(repo / "notes" / "old.md", note_with_old_findings(30))
    base = commit_all(repo, "an old note")
    new = note_with_highlight_findings()
    write(repo / "notes" / "new.md", new)  # untracked
    expected = [("notes/new.md", "NC407", line_number(new, f"{bad}.mp4")) for bad in HIGHLIGHT_TAGS.values()]
    assert findings("--changed-since", "HEAD", "notes")[1] == expected
    commit_all(repo, "a new note")  # added in a commit since REF
    assert findings("--changed-since", base, "notes")[1] == expected


def test_an_unchanged_archive_reports_nothing_and_exits_0(repo: Path):
    write(repo / "notes" / "old.md", note_with_old_findings(30))
    commit_all(repo, "an old note")
    code, out, err = run_cli("check", "--changed-since", "HEAD", "notes")
    assert code == 0
    assert out == "All checks passed (1 file checked).\n"
    assert err == "notecheck: 30 findings on lines not changed since HEAD not shown\n"
    code, out, err = run_cli("check", "-q", "--changed-since", "HEAD", "notes")
    assert (code, err) == (0, "")  # -q: findings only


# ------------------------------------------------------------------------------ units


def test_an_edit_in_a_highlight_reports_every_finding_of_that_highlight(repo: Path):
    note = repo / "notes" / "h.md"
    old = note_with_highlight_findings()
    write(note, old)
    commit_all(repo, "three highlights, one NC407 each")
    # edit the attribution of the second highlight: a new NC301 there; its NC407 sits on
    # the untouched clip command line of the same highlight
    edited = old.replace(f"[25:10]({VIDEO}&t=1510s)\n", f"[25:10]({VIDEO}&t=1512s)\n")
    write(note, edited)
    assert findings("--changed-since", "HEAD", "notes")[1] == [
        ("notes/h.md", "NC407", line_number(edited, "25m11s.mp4")),
        ("notes/h.md", "NC301", line_number(edited, "t=1512s")),
    ]


def test_deleting_a_line_inside_a_highlight_changes_that_highlight(repo: Path):
    note = repo / "notes" / "h.md"
    old = note_with_highlight_findings()
    write(note, old)
    commit_all(repo, "three highlights")
    # the blank line between the second highlight's </details> and its quote
    cut = old.index("</details>\n\n> \"Measure") + len("</details>\n")
    write(note, old[:cut] + old[cut + 1:])
    assert findings("--changed-since", "HEAD", "notes")[1] == [("notes/h.md", "NC407", 48)]


def test_deleting_the_last_line_of_a_highlight_changes_that_highlight_not_the_next(repo: Path):
    note = repo / "notes" / "h.md"
    old = note_with_highlight_findings()
    write(note, old)
    commit_all(repo, "three highlights")
    # the blank line before the second highlight's heading is the first highlight's last line
    cut = old.index('\n### "Measure')
    write(note, old[:cut] + old[cut + 1:])
    assert findings("--changed-since", "HEAD", "notes")[1] == [("notes/h.md", "NC407", 34)]


def test_a_quote_outside_the_highlights_is_one_unit(repo: Path):
    note = repo / "notes" / "q.md"
    old = clean_note().replace(f"> -- Maria Lopez, [33:05]({VIDEO}&t=1985s)", f"> -- Maria Lopez, [33:05]({VIDEO}&t=1986s)")
    write(note, old)
    commit_all(repo, "a surprising quote with a wrong t=")
    attribution = line_number(old, "t=1986s")
    # near miss: the other surprising quote changes; this one's finding stays old
    # (punctuation only: quotes are compared without it, so the edit adds no NC501 of its own)
    write(note, old.replace('"The fungi are doing the plumbing. The roots', '"The fungi are doing the plumbing; the roots'))
    assert findings("--changed-since", "HEAD", "notes")[1] == []
    # the quote's own text changes: its attribution's finding is the change's
    write(note, old.replace("like it is a parking lot.", "like it is a parking lot!"))
    assert findings("--changed-since", "HEAD", "notes")[1] == [("notes/q.md", "NC301", attribution)]


def test_front_matter_is_one_unit(repo: Path):
    note = repo / "notes" / "fm.md"
    old = clean_note().replace("channel: Field Notes Podcast", "channel: Field Notes â€” Podcast")
    write(note, old)
    commit_all(repo, "mojibake in the front matter")
    mojibake = line_number(old, "â€”")
    write(note, old.replace("like it is a parking lot.", "like it is a parking lot!"))
    assert findings("--changed-since", "HEAD", "notes")[1] == []  # near miss: an edit in the body
    write(note, old.replace("view_count: 48210", "view_count: 48211"))
    assert findings("--changed-since", "HEAD", "notes")[1] == [("notes/fm.md", "NC004", mojibake)]


def test_note_level_findings_are_reported_when_the_note_changed(repo: Path):
    old = clean_note().replace("channel: Field Notes Podcast\n", "")  # NC101: a required key is missing
    write(repo / "notes" / "a.md", old)
    write(repo / "notes" / "b.md", old)
    commit_all(repo, "two notes without a channel")
    edited = old.replace("Most people change five things at once", "Most people change five things")
    write(repo / "notes" / "a.md", edited)
    assert findings("--changed-since", "HEAD", "notes")[1] == [("notes/a.md", "NC101", 1)]  # b.md: unchanged


def test_a_deletion_alone_changes_the_note(repo: Path):
    old = clean_note()
    write(repo / "notes" / "a.md", old)
    commit_all(repo, "a clean note")
    start, end = old.index("## Key Points\n"), old.index("## Mentions\n")
    write(repo / "notes" / "a.md", old[:start] + old[end:])  # no line added, a required section gone
    code, found, _ = findings("--changed-since", "HEAD", "notes")
    assert [(c, path) for path, c, _line in found] == [("NC201", "notes/a.md")]


# ------------------------------------------------------------------------------ renames and names


def test_a_renamed_note_has_not_changed_unless_edited(repo: Path):
    old = note_with_old_findings(30)
    write(repo / "notes" / "old.md", old)
    commit_all(repo, "an old note")
    git(repo, "mv", "notes/old.md", "notes/renamed.md")
    assert findings("--changed-since", "HEAD", "notes")[1] == []
    edited = old.replace(f"[8:20]({VIDEO}&t=500s)) - Her plots", f"[8:20]({VIDEO}&t=502s)) - Her plots")
    write(repo / "notes" / "renamed.md", edited)
    commit_all(repo, "renamed and edited")
    assert findings("--changed-since", "HEAD~1", "notes")[1] == [
        ("notes/renamed.md", "NC301", line_number(edited, "t=502s"))]


@pytest.mark.parametrize("name", ["with space.md", "tab\there.md", 'quote"d.md', "café.md", "-dash.md"])
def test_file_names_git_quotes_or_spaces(repo: Path, name: str):
    old = note_with_old_findings(3)
    write(repo / "notes" / name, old)
    commit_all(repo, "a note with an awkward name")
    write(repo / "notes" / name, old.replace(f"({VIDEO}&t=500s)) - Her plots", f"({VIDEO}&t=502s)) - Her plots"))
    assert findings("--changed-since", "HEAD", "notes")[1] == [(f"notes/{name}", "NC301", line_number(old, "t=500s)) - Her"))]


def test_a_file_name_that_is_not_utf8(repo: Path):
    name = b"caf\xe9.md"  # latin-1: not valid UTF-8
    path = os.path.join(os.fsencode(repo / "notes"), name)
    old = note_with_old_findings(3).encode("utf-8")
    try:
        with open(path, "wb") as f:
            f.write(old)
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    commit_all(repo, "a latin-1 name")
    with open(path, "wb") as f:
        f.write(old.replace(b"t=500s)) - Her plots", b"t=502s)) - Her plots"))
    found = findings("--changed-since", "HEAD", "notes")[1]
    assert [(code, line) for _path, code, line in found] == [("NC301", line_number(old.decode(), "t=500s)) - Her"))]


def test_crlf_notes_map_line_for_line(repo: Path):
    old = note_with_old_findings(30).replace("\n", "\r\n")
    (repo / ".gitattributes").write_text("*.md -text\n")  # keep the CRLF bytes as they are
    write(repo / "notes" / "crlf.md", old)
    commit_all(repo, "a CRLF note")
    write(repo / "notes" / "crlf.md", old.replace("t=500s)) - Her plots", "t=502s)) - Her plots"))
    assert findings("--changed-since", "HEAD", "notes")[1] == [("notes/crlf.md", "NC301", line_number(old, "t=500s)) - Her"))]


def test_paths_given_in_other_spellings_match(repo: Path, tmp_path: Path):
    old = note_with_old_findings(3)
    write(repo / "notes" / "a.md", old)
    commit_all(repo, "a note")
    write(repo / "notes" / "a.md", old.replace("t=500s)) - Her plots", "t=502s)) - Her plots"))
    line = line_number(old, "t=500s)) - Her")
    assert findings("--changed-since", "HEAD", "./notes/a.md")[1] == [("notes/a.md", "NC301", line)]  # shown without "./"
    absolute = str(repo / "notes" / "a.md")
    assert findings("--changed-since", "HEAD", absolute)[1] == [(absolute, "NC301", line)]
    os.chdir(repo / "notes")  # from a subfolder: git's paths are relative to the top
    assert findings("--changed-since", "HEAD", "a.md")[1] == [("a.md", "NC301", line)]


# ------------------------------------------------------------------------------ errors (exit 2)


def test_outside_a_git_work_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    isolate_git(monkeypatch)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # no repository above tmp_path counts
    (tmp_path / "a.md").write_text(clean_note())
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("check", "--changed-since", "HEAD", "a.md")
    assert (code, out) == (2, "")
    assert err.startswith(f"notecheck: error: --changed-since: not inside a git work tree ({tmp_path})")
    assert "Traceback" not in err


def test_an_unknown_revision(repo: Path):
    write(repo / "notes" / "a.md", clean_note())
    commit_all(repo, "a note")
    for ref in ("no-such-branch", "HEAD~5", "--output=x"):  # the last is a revision, never an option
        code, out, err = run_cli("check", f"--changed-since={ref}", "notes")
        assert (code, out) == (2, "")
        assert err.startswith(f"notecheck: error: --changed-since: unknown git revision {ref!r}")
    assert not (repo / "x").exists()


def test_an_empty_repository_has_no_revision(repo: Path):
    write(repo / "notes" / "a.md", clean_note())
    code, _out, err = run_cli("check", "--changed-since", "HEAD", "notes")
    assert code == 2 and "unknown git revision 'HEAD'" in err


def test_standard_input_and_paths_outside_the_work_tree(repo: Path, tmp_path: Path):
    write(repo / "notes" / "a.md", clean_note())
    commit_all(repo, "a note")
    code, _out, err = run_cli("check", "--changed-since", "HEAD", "-", stdin=b"x")
    assert (code, err) == (2, "notecheck: error: --changed-since cannot be used with '-' (standard input)\n")
    outside = tmp_path / "outside.md"
    outside.write_text(clean_note())
    code, _out, err = run_cli("check", "--changed-since", "HEAD", "notes", str(outside))
    assert code == 2
    assert err == f"notecheck: error: --changed-since: {outside} is outside the git work tree {repo.resolve()}\n"


def test_fix_has_no_changed_since():
    code, _out, err = run_cli("fix", "--changed-since", "HEAD", ".")
    assert code == 2 and "unrecognized arguments: --changed-since" in err


# ------------------------------------------------------------------------------ reading git's diff


def test_parse_diff_hunks():
    diff = b"\n".join([
        b"diff --git a/n.md b/n.md",
        b"index 1111111..2222222 100644",
        b"--- a/n.md",
        b"+++ b/n.md",
        b"@@ -3 +3 @@ ## Summary",  # one line changed (counts default to 1)
        b"-old",
        b"+new",
        b"@@ -10,0 +11,2 @@",  # two lines inserted after line 10
        b"+a",
        b"+b",
        b"@@ -20,3 +21,0 @@",  # three lines deleted after line 21
        b"-x", b"-y", b"-z",
        b"diff --git a/gone.md b/gone.md",
        b"deleted file mode 100644",
        b"--- a/gone.md",
        b"+++ /dev/null",
        b"@@ -1,2 +0,0 @@",
        b"-1", b"-2",
        b"diff --git a/born.md b/born.md",
        b"new file mode 100644",
        b"--- /dev/null",
        b"+++ b/born.md",
        b"@@ -0,0 +1,2 @@",
        b"+1", b"+2",
        b"diff --git a/old name.md b/new name.md",
        b"similarity index 90%",
        b"rename from old name.md",
        b"rename to new name.md",
        b"--- a/old name.md\t",
        b"+++ b/new name.md\t",
        b"@@ -5 +5 @@",
        b"-+++ b/not a header",  # a removed line that looks like a header
        b"++++ b/not a header",  # an added one
        b"diff --git a/moved.md b/elsewhere.md",
        b"similarity index 100%",
        b"rename from moved.md",
        b"rename to elsewhere.md",
        b"",
    ])
    files = parse_diff(diff)
    assert files == {
        "n.md": FileChanges(new=False, added={3, 11, 12}, deleted_after={21}),
        "born.md": FileChanges(new=True, added={1, 2}),
        "new name.md": FileChanges(new=False, added={5}),
    }


def test_unquote_c_style():
    assert unquote_c_style(b'"b/caf\\303\\251.md"') == "b/café.md".encode()
    assert unquote_c_style(b'"b/a\\tb\\"c\\\\d\\n.md"') == b'b/a\tb"c\\d\n.md'
    assert unquote_c_style(b'"b/caf\\351.md"') == b"b/caf\xe9.md"
    assert unquote_c_style(b"b/plain name.md") == b"b/plain name.md"
    assert unquote_c_style(b'"') == b'"'


def test_file_changes_touches_a_span_by_its_lines_or_a_deletion_inside():
    changes = FileChanges(added={10}, deleted_after={20})
    assert changes.touches(10, 10) and changes.touches(5, 10) and not changes.touches(11, 19)
    assert changes.touches(20, 25) and changes.touches(15, 20)  # lines were deleted after 20
    assert not changes.touches(21, 30)  # just before a unit's first line: the unit above's
    assert FileChanges(new=True).touches(1, 1)
    assert not FileChanges().changed


def test_keep_a_finding_that_spans_lines_when_any_of_them_changed():
    changes = FileChanges(added={7})
    spanning = Diagnostic("n.md", 5, 1, "NC501", "error", "m", end_line=7, end_column=3)
    assert keep(spanning, changes, units=[])
    assert not keep(Diagnostic("n.md", 5, 1, "NC501", "error", "m", end_line=6, end_column=3), changes, units=[])
    assert keep(Diagnostic("n.md", 5, 1, "NC501", "error", "m"), changes, units=[(4, 8)])  # in a changed unit
    assert keep(Diagnostic("n.md", 1, 1, "NC201", "error", "m"), changes, units=[])  # the note changed
    assert not keep(Diagnostic("n.md", 1, 1, "NC201", "error", "m"), FileChanges(), units=[])


def test_changed_units_read_a_note_within_max_file_size(tmp_path: Path):
    note = tmp_path / "n.md"
    note.write_text(clean_note(), encoding="utf-8")
    size = note.stat().st_size
    changes = FileChanges(added={2})  # a line of the front matter, one unit
    assert _changed_units(str(note), changes, size) != []
    assert _changed_units(str(note), changes, size - 1) == []  # over the limit: not read, no units
