"""Folder walks skip what a repository does not hold as notes, through the command line.

git-ignored paths (.gitignore at any depth, .git/info/exclude; git itself decides),
hidden folders, node_modules, virtual environments and README.md-like files; a file
named on the command line is checked unless --force-exclude; --exclude/--extend-exclude.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from conftest import CLEAN, run_cli

BAD = CLEAN.read_text(encoding="utf-8").replace("&t=95s) People", "&t=96s) People", 1)  # NC301

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def checked(*args: str) -> list[str]:
    """The paths reported (one NC301 per bad note), in order."""
    code, out, err = run_cli("check", "--output-format", "json", "--select", "NC301", *args)
    assert code in (0, 1), err
    return [d["path"] for d in json.loads(out)]


def notes(root, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(BAD, encoding="utf-8")


def git(root, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q")
    return tmp_path


def test_gitignore_info_exclude_and_nested_ignore_files(repo):
    notes(repo, "a.md", "build/out.md", "drafts/wip.md", "notes/keep.md", "notes/tmp/x.md", "notes/local.md",
          "notes/sub/again.md", "notes/sub/private.md", "scratch.md")
    (repo / ".gitignore").write_text("build/\ndrafts/*\n!drafts/wip.md\n", encoding="utf-8")
    (repo / "notes" / ".gitignore").write_text("tmp/\nlocal.md\n", encoding="utf-8")
    (repo / "notes" / "sub" / ".gitignore").write_text("private.md\n", encoding="utf-8")
    (repo / ".git" / "info" / "exclude").write_text("scratch.md\n", encoding="utf-8")

    assert checked(".") == ["a.md", "drafts/wip.md", "notes/keep.md", "notes/sub/again.md"]
    assert checked("notes") == ["notes/keep.md", "notes/sub/again.md"]  # walked from a subfolder too
    # named on the command line: checked whatever git says
    assert checked("build/out.md", "notes/local.md") == ["build/out.md", "notes/local.md"]


def test_a_tracked_file_is_checked_even_when_a_pattern_matches_it(repo):
    notes(repo, "old/kept.md", "old/new.md")
    git(repo, "add", "old/kept.md")
    (repo / ".gitignore").write_text("old/\n", encoding="utf-8")

    assert checked(".") == ["old/kept.md"]  # as git status sees it: tracked files are not ignored


def test_a_nested_repository_follows_its_own_ignore_file(repo):
    notes(repo, "a.md", "vendor/notes/b.md", "vendor/notes/skip.md")
    git(repo / "vendor", "init", "-q")
    (repo / "vendor" / ".gitignore").write_text("skip.md\n", encoding="utf-8")

    assert checked(".") == ["a.md", "vendor/notes/b.md"]


def test_outside_a_git_work_tree_nothing_is_ignored_for_git(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))  # no repository above tmp_path
    notes(tmp_path, "a.md", "build/b.md")
    (tmp_path / ".gitignore").write_text("build/\n", encoding="utf-8")

    assert checked(".") == ["a.md", "build/b.md"]


def test_folders_and_files_that_never_hold_notes_are_skipped(repo):
    notes(repo, "a.md", "node_modules/pkg/readme-like.md", ".obsidian/x.md", "venv/lib/x.md", "env2/lib/x.md",
          "README.md", "docs/CHANGELOG.md", "CONTRIBUTING.md", "code_of_conduct.md", "SECURITY.md", "LICENSE.md",
          "readme-notes.md")
    (repo / "env2" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")  # a venv by any name

    assert checked(".") == ["a.md", "readme-notes.md"]  # a near miss of README.md is a note
    assert checked("README.md", "node_modules/pkg/readme-like.md") == ["README.md", "node_modules/pkg/readme-like.md"]
    assert checked("node_modules") == ["node_modules/pkg/readme-like.md"]  # a folder named is walked


def test_force_exclude_applies_the_walks_skips_and_the_excludes_to_named_files(repo):
    notes(repo, "a.md", "README.md", ".github/issue.md", "drafts/d.md", "env2/x.md")
    (repo / "env2" / "pyvenv.cfg").write_text("", encoding="utf-8")
    (repo / ".notecheck.toml").write_text('exclude = ["drafts"]\n', encoding="utf-8")
    named = ["a.md", "README.md", ".github/issue.md", "drafts/d.md", "env2/x.md"]

    assert checked(*named) == named
    assert checked("--force-exclude", *named) == ["a.md"]


def test_force_exclude_applies_to_stdin_filename(repo):
    (repo / ".notecheck.toml").write_text('exclude = ["drafts"]\n', encoding="utf-8")

    code, out, _ = run_cli("check", "--force-exclude", "--stdin-filename", "drafts/x.md", "-", stdin=BAD.encode())
    assert (code, out) == (0, "All checks passed (0 files checked).\n")
    code, out, _ = run_cli("check", "--force-exclude", "--stdin-filename", "README.md", "-", stdin=BAD.encode())
    assert code == 0
    code, out, _ = run_cli("check", "--stdin-filename", "drafts/x.md", "-", stdin=BAD.encode())
    assert code == 1 and "drafts/x.md:" in out  # without --force-exclude, checked

    # fix of an excluded stdin passes the note through unchanged (an editor must not lose it)
    code, out, err = run_cli("fix", "--force-exclude", "--stdin-filename", "drafts/x.md", "-", stdin=BAD.encode())
    assert (code, out) == (0, BAD), err


def test_exclude_and_extend_exclude_on_the_command_line(repo):
    notes(repo, "a.md", "drafts/d.md", "archive/2019/old.md", "notes/archive/2019/deep.md", "x.tmp.md")
    (repo / ".notecheck.toml").write_text('exclude = ["drafts"]\n', encoding="utf-8")

    assert checked(".") == ["a.md", "archive/2019/old.md", "notes/archive/2019/deep.md", "x.tmp.md"]
    # --extend-exclude adds to the config's exclude; a glob with "/" is anchored at the working directory
    assert checked("--extend-exclude", "archive/2019,*.tmp.md", ".") == ["a.md", "notes/archive/2019/deep.md"]
    # --exclude replaces it: drafts is checked again
    assert checked("--exclude", "archive", ".") == ["a.md", "drafts/d.md", "x.tmp.md"]
    # named files are checked unless --force-exclude
    assert checked("--exclude", "*.tmp.md", "x.tmp.md") == ["x.tmp.md"]
    assert checked("--exclude", "*.tmp.md", "--force-exclude", "x.tmp.md") == []


def test_an_empty_exclude_is_a_usage_error(repo):
    code, _, err = run_cli("check", "--exclude", ",", ".")
    assert code == 2 and "--exclude" in err


def test_paths_are_shown_without_dot_slash(repo):
    notes(repo, "n/a.md")
    code, out, _ = run_cli("check", "--output-format", "concise", "-q", ".", "./n/a.md")
    assert out.startswith("n/a.md:101:54: NC301 ")
    assert out.count("\n") == 1  # the same file once
