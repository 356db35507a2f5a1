"""What a folder walk skips: files git ignores, folders that never hold notes, non-note files.

- **git**: inside a git work tree, a walk takes what ``git ls-files --cached --others
  --exclude-standard`` lists: tracked files, and untracked files that no ``.gitignore``
  (at any depth), ``.git/info/exclude`` or ``core.excludesFile`` ignores. git itself
  decides (its own matcher, negations and nesting included), so notecheck agrees with
  ``git status``; a file git tracks is checked even when a pattern would ignore it, as
  git does. A nested repository or submodule is listed by its own git. Outside a work
  tree, or without git, nothing is skipped for this reason.
- **folders**: hidden ones (``.git``, ``.obsidian``, ...), ``node_modules``, and virtual
  environments (``venv``, ``site-packages``, ``__pypackages__``, or any folder holding a
  ``pyvenv.cfg``).
- **files**: the usual non-note Markdown files of a repository (``README.md``,
  ``CHANGELOG.md``, ``CONTRIBUTING.md``, ``CODE_OF_CONDUCT.md``, ``SECURITY.md``,
  ``LICENSE.md``, in any case).

A file named on the command line is always checked; with ``--force-exclude`` the folder
and file rules above (and the ``exclude`` globs) apply to it too, which is what a
pre-commit hook, given every staged ``*.md``, needs.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

NON_NOTE_FILES = frozenset(name.lower() for name in (
    "README.md", "CHANGELOG.md", "CONTRIBUTING.md", "CODE_OF_CONDUCT.md", "SECURITY.md", "LICENSE.md"))
SKIPPED_FOLDERS = frozenset(("node_modules", "venv", "site-packages", "__pypackages__"))


def is_non_note_file(name: str) -> bool:
    return name.lower() in NON_NOTE_FILES


def is_skipped_folder(parent: str, name: str) -> bool:
    """A folder a walk does not enter: hidden, node_modules, or a virtual environment."""
    if name.startswith(".") or name in SKIPPED_FOLDERS:
        return True
    return os.path.isfile(os.path.join(parent, name, "pyvenv.cfg"))


def is_skipped_by_default(path: str) -> bool:
    """For --force-exclude: would a walk of the working directory skip ``path``?

    The file-name rule applies anywhere; the folder rules to the folders between the
    working directory and the file (a path outside it is judged by its name only)."""
    if is_non_note_file(os.path.basename(path)):
        return True
    cwd = os.getcwd()
    try:
        rel = os.path.relpath(os.path.abspath(path), cwd)
    except ValueError:  # another drive
        return False
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return False
    base = cwd
    for name in Path(rel).parts[:-1]:
        if is_skipped_folder(base, name):
            return True
        base = os.path.join(base, name)
    return False


# ---------------------------------------------------------------------------- git


def _git_env() -> dict[str, str]:
    # a GIT_DIR/GIT_WORK_TREE from a surrounding hook would point git at another tree
    return {k: v for k, v in os.environ.items() if k not in ("GIT_DIR", "GIT_WORK_TREE")}


@dataclass
class GitListing:
    """What git lists under one folder: files, the folders holding them, nested repositories."""

    files: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)
    nested: set[str] = field(default_factory=set)


def git_listing(folder: str) -> GitListing | None:
    """``git ls-files`` of ``folder`` (paths relative to it), or None outside a work tree / without git."""
    try:
        proc = subprocess.run(
            ["git", "-C", folder, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True, env=_git_env(), timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    listing = GitListing()
    for raw in proc.stdout.split(b"\0"):
        if not raw:
            continue
        rel = os.fsdecode(raw)
        if rel.endswith("/") or os.path.isdir(os.path.join(folder, rel)):
            # an untracked nested repository ("sub/") or a submodule: its own git decides
            rel = rel.rstrip("/")
            listing.nested.add(rel)
        else:
            listing.files.add(rel)
        parent = os.path.dirname(rel)
        while parent and parent not in listing.folders:
            listing.folders.add(parent)
            parent = os.path.dirname(parent)
    return listing


class GitFilter:
    """Answers, during one folder walk, whether git ignores a file or a folder under it."""

    def __init__(self, root: str) -> None:
        self._owners: dict[str, tuple[str, GitListing | None]] = {root: (root, git_listing(root))}
        self._rel: dict[str, str] = {}  # a folder -> its path relative to its owner's root, joined to names

    def _owner(self, folder: str) -> tuple[str, GitListing | None]:
        return self._owners.get(folder) or (folder, None)

    def keep_folder(self, parent: str, name: str) -> bool:
        root, listing = self._owner(parent)
        child = os.path.join(parent, name)
        if listing is None:
            self._owners[child] = (root, None)
            return True
        rel = os.path.relpath(child, root)
        if rel in listing.nested:
            self._owners[child] = (child, git_listing(child))
            return True
        if rel in listing.folders:
            self._owners[child] = (root, listing)
            return True
        return False

    def keep_file(self, parent: str, name: str) -> bool:
        root, listing = self._owner(parent)
        if listing is None:
            return True
        # os.path.relpath(os.path.join(parent, name), root), with the folder's part worked out
        # once a folder (relpath costs ~5 us; a walk asks for every file): a name has no separator
        prefix = self._rel.get(parent)
        if prefix is None:
            rel = os.path.relpath(parent, root)
            prefix = self._rel[parent] = "" if rel == os.curdir else os.path.join(rel, "")
        return prefix + name in listing.files
