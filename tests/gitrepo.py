"""Git repositories for the --changed-since and GitHub Action tests, and the notes put in them.

Every git command runs with the user's and the system's git config shut out
(``GIT_CONFIG_GLOBAL``/``GIT_CONFIG_NOSYSTEM``) and a fixed author, so the tests behave
the same on any machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CLEAN

requires_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_TERMINAL_PROMPT": "0",
}
# set by git when tests run inside a git hook: they would point every command at another repository
_GIT_LOCATION_VARS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR")


def isolate_git(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    for key in _GIT_LOCATION_VARS:
        monkeypatch.delenv(key, raising=False)


def git(cwd: Path | str, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout.strip()


def init_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    return path


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


# ------------------------------------------------------------------------------ notes

VIDEO = "https://www.youtube.com/watch?v=aBcD3fGh1jK"


def clean_note() -> str:
    return CLEAN.read_text(encoding="utf-8")


def note_with_old_findings(count: int = 30) -> str:
    """The clean note plus ``count`` Key Points bullets whose t= is off by a second: one NC301 each."""
    bullets = "".join(f"- **Old point {i}** ([1:00:{i:02d}]({VIDEO}&t={3600 + i + 1}s)) - an old bullet\n"
                      for i in range(count))
    return clean_note().replace("## Mentions", bullets + "\n## Mentions", 1)


# Each highlight's -o tag one second off its clip start: one NC407 per highlight, on the
# clip command line (line 34, 48 and 62 of the clean note).
HIGHLIGHT_TAGS = {"1m35s": "1m36s", "25m10s": "25m11s", "62m00s": "62m01s"}


def note_with_highlight_findings() -> str:
    text = clean_note()
    for good, bad in HIGHLIGHT_TAGS.items():
        text = text.replace(f'-o "aBcD3fGh1jK-{good}.mp4"', f'-o "aBcD3fGh1jK-{bad}.mp4"')
    return text


def line_number(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1
