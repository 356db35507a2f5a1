"""``check --changed-since REF``: keep only the findings a change since REF is answerable for.

A post-filter on diagnostics: the rules, the engine and the output formats know nothing
of it. What counts as changed is what ``git diff REF`` says of the work tree (committed,
staged and unstaged changes) plus untracked files, which are new in full. A finding is
kept when

- any of its lines (``line`` to ``end_line``) was added or changed since REF;
- it lies in a unit of the note that changed: a highlight (its ``###`` heading to the
  next), a block quote outside the highlights, or the front matter block. A unit changed
  when one of its lines was added or changed, or lines inside it were deleted. So an
  NC403 on the untouched clip command of a highlight whose attribution was edited is kept;
- it concerns the note as a whole (:data:`NOTE_LEVEL_CODES`: the file, front matter and
  structure findings NC001-NC003, NC101-NC105, NC201-NC205) and the note changed at all;
- the note is new (added since REF, or untracked).

A file changed only by a rename (no line edited) has not changed. Lines are counted the
way git counts them (by ``\\n``), as the Note does, so CRLF notes map one to one.

Reading git's output: ``git diff -U0`` names the new side of each file in a ``+++ b/path``
line, C-quoted (``"b/caf\\303\\251.md"``) when the name holds bytes outside printable
ASCII, and every hunk header ``@@ -a,b +c,d @@`` says that lines ``c .. c+d-1`` are new
(``d`` = 0: lines were deleted after line ``c``). Paths are matched as bytes decoded with
the file system encoding (``os.fsdecode``), so names that are not UTF-8 still match.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

# Findings about the note as a whole: reported whenever the note changed at all. NC004
# (mojibake) and NC009 (unused suppression) point at one piece of text and are line-level.
NOTE_LEVEL_CODES = frozenset({
    "NC001", "NC002", "NC003",
    "NC101", "NC102", "NC103", "NC104", "NC105",
    "NC201", "NC202", "NC203", "NC204", "NC205",
})


class GitError(Exception):
    """git cannot answer (not a work tree, unknown revision, git missing): a usage error, exit 2."""


@dataclass
class FileChanges:
    """What changed in one file since REF, in new-side (work tree) line numbers."""

    new: bool = False  # added since REF or untracked: every line is new
    added: set[int] = field(default_factory=set)  # lines added or changed
    deleted_after: set[int] = field(default_factory=set)  # lines were deleted after these (0: at the top)

    @property
    def changed(self) -> bool:
        return self.new or bool(self.added) or bool(self.deleted_after)

    def touches(self, first: int, last: int) -> bool:
        """Did anything change on lines ``first..last``, or between two of them (a deletion)?"""
        return (self.new or any(first <= line <= last for line in self.added)
                or any(first <= after <= last for after in self.deleted_after))

    def on_added_line(self, first: int, last: int) -> bool:
        """Was one of the lines ``first..last`` added or changed?"""
        return self.new or any(line in self.added for line in range(first, last + 1))


@dataclass
class Changes:
    """The changed lines of a git work tree since a revision."""

    ref: str  # as the user wrote it
    commit: str  # the commit it names
    root: str  # the work tree's top folder (real path)
    files: dict[str, FileChanges] = field(default_factory=dict)  # key: path relative to root, '/'-separated

    def for_path(self, path: str) -> FileChanges | None:
        """The changes of the file ``path`` (as a diagnostic names it), or None when it did not change."""
        key = relative_key(path, self.root)
        return None if key is None else self.files.get(key)


def relative_key(path: str, root: str) -> str | None:
    """``path`` relative to ``root`` with '/' separators (symlinks resolved); None if outside."""
    real = os.path.realpath(path)
    try:
        rel = os.path.relpath(real, root)
    except ValueError:  # another drive (Windows)
        return None
    if rel == os.curdir or rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return rel.replace(os.sep, "/")


# ------------------------------------------------------------------------------ git


def _git(args: Sequence[str], cwd: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}") from None


def _first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else ""


def work_tree_root(cwd: str) -> str:
    """The top folder of the git work tree holding ``cwd``; GitError outside one."""
    proc = _git(["rev-parse", "--show-toplevel"], cwd)
    out = proc.stdout.rstrip(b"\n")
    if proc.returncode != 0 or not out:
        why = _first_line(proc.stderr)
        raise GitError(f"not inside a git work tree ({os.path.abspath(cwd)}){': ' + why if why else ''}")
    return os.path.realpath(os.fsdecode(out))


def resolve_commit(ref: str, root: str) -> str:
    """The commit id ``ref`` names; GitError when it names none."""
    if not ref:
        raise GitError("an empty git revision")
    proc = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], root)
    commit = proc.stdout.decode("ascii", "replace").strip()
    if proc.returncode != 0 or not commit:
        raise GitError(f"unknown git revision {ref!r} (a branch, tag or commit of this repository; "
                       "in a shallow clone, fetch it first)")
    return commit


def collect(ref: str, cwd: str = ".", paths: Iterable[str] = ()) -> Changes:
    """The lines changed in the work tree at ``cwd`` since ``ref``.

    ``paths`` (the command line's) must lie inside the work tree: git knows nothing of
    the others, and silently reporting nothing for them would look like a clean note.
    """
    root = work_tree_root(cwd)
    commit = resolve_commit(ref, root)
    for p in paths:
        full = os.path.join(cwd, p)
        if p != "-" and os.path.realpath(full) != root and relative_key(full, root) is None:
            raise GitError(f"{p} is outside the git work tree {root}")
    diff = _git(["-c", "core.quotePath=true", "diff", "-U0", "--no-color", "--no-ext-diff", "--no-textconv",
                 "--text", "--find-renames", "--no-relative", "--ignore-submodules",
                 "--src-prefix=a/", "--dst-prefix=b/", commit, "--"], root)
    if diff.returncode != 0:
        raise GitError(f"git diff {ref} failed: {_first_line(diff.stderr)}")
    files = parse_diff(diff.stdout)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    if untracked.returncode != 0:
        raise GitError(f"git ls-files failed: {_first_line(untracked.stderr)}")
    for raw in untracked.stdout.split(b"\0"):
        if raw:
            files[os.fsdecode(raw)] = FileChanges(new=True)
    return Changes(ref=ref, commit=commit, root=root, files=files)


# ------------------------------------------------------------------------------ diff parsing

_HUNK_RE = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {ord("a"): 7, ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("v"): 11, ord("f"): 12, ord("r"): 13,
            ord('"'): 34, ord("\\"): 92}


def unquote_c_style(raw: bytes) -> bytes:
    """A path as git writes it: C-quoted (``"a\\tb\\303\\251"``) when it must be, else as is."""
    if len(raw) < 2 or not (raw.startswith(b'"') and raw.endswith(b'"')):
        return raw
    body, out, i = raw[1:-1], bytearray(), 0
    while i < len(body):
        c = body[i]
        if c != 0x5C or i + 1 >= len(body):  # not a backslash
            out.append(c)
            i += 1
            continue
        nxt = body[i + 1]
        if 0x30 <= nxt <= 0x37:  # \ooo: one byte in octal
            digits = body[i + 1:i + 4]
            out.append(int(digits, 8) & 0xFF)
            i += 1 + len(digits)
        else:
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
    return bytes(out)


def _new_side_path(line: bytes) -> str | None:
    """The path of a ``+++ `` line, None for ``/dev/null`` (a deleted file)."""
    name = line[4:].rstrip(b"\r\n")
    if name.endswith(b"\t"):  # git ends a name holding a space with a tab (for patch(1))
        name = name[:-1]
    name = unquote_c_style(name)
    if name == b"/dev/null":
        return None
    return os.fsdecode(name[2:] if name.startswith(b"b/") else name)


def parse_diff(data: bytes) -> dict[str, FileChanges]:
    """The changes per new-side path in ``git diff -U0`` output."""
    files: dict[str, FileChanges] = {}
    current: FileChanges | None = None
    old_missing = False
    in_header = False
    for line in data.split(b"\n"):
        if line.startswith(b"diff --git "):
            current, old_missing, in_header = None, False, True
        elif in_header and line.startswith(b"--- "):
            old_missing = line[4:].rstrip(b"\r\n\t") == b"/dev/null"
        elif in_header and line.startswith(b"+++ "):
            path = _new_side_path(line)
            current = None if path is None else files.setdefault(path, FileChanges(new=old_missing))
            in_header = False
        elif line.startswith(b"@@ ") and current is not None:
            in_header = False
            m = _HUNK_RE.match(line)
            if m is None:
                continue
            start, count = int(m.group(1)), int(m.group(2) or b"1")
            if count:
                current.added.update(range(start, start + count))
            else:
                current.deleted_after.add(start)
    return files


# ------------------------------------------------------------------------------ the filter


def _unit_lines(note) -> list[tuple[int, int]]:
    """(first, last) line of each unit that changes as a whole: front matter, highlights, quotes."""
    spans: list[tuple[int, int]] = []
    fm = note.front_matter
    if fm is not None:
        spans.append((fm.start, fm.end))
    spans.extend((h.start, h.end) for h in note.highlights)
    in_highlight = {id(q) for h in note.highlights for q in h.quotes}
    spans.extend((q.start, q.end) for q in note.quotes if id(q) not in in_highlight)
    out = []
    for start, end in spans:
        first = note.position(start)[0]
        last = note.position(max(start, end - 1))[0]  # end is just past the unit (often a line start)
        out.append((first, last))
    return out


def _changed_units(path: str, changes: FileChanges, limit: int | None = None) -> list[tuple[int, int]]:
    """The (first, last) lines of the note's units the change touches; none when it cannot be read
    (or is over ``limit`` bytes, the check's max-file-size)."""
    from .runner import read_note

    note, _error = read_note(path, limit)
    if note is None:
        return []
    return [(first, last) for first, last in _unit_lines(note) if changes.touches(first, last)]


def _lines(diag) -> tuple[int, int]:
    last = diag.end_line if diag.end_line is not None and diag.end_line >= diag.line else diag.line
    return diag.line, last


def keep(diag, changes: FileChanges, units: list[tuple[int, int]]) -> bool:
    """Is the change answerable for ``diag``? ``units``: the changed units' (first, last) lines."""
    if changes.on_added_line(*_lines(diag)):
        return True
    if diag.code in NOTE_LEVEL_CODES:
        return changes.changed
    return any(first <= diag.line <= last for first, last in units)


def filter_results(results: list, changes: Changes,
                   limit_for: Callable[[str], int | None] | None = None) -> tuple[list, int]:
    """``results`` with only the findings the change is answerable for, and how many were dropped.

    ``limit_for(path)``: the max-file-size a note is read with (the check's)."""
    hidden = 0
    for result in results:
        if not result.diagnostics:
            continue
        path = result.path
        file_changes = changes.for_path(path) if path != "-" else None
        if file_changes is None or not file_changes.changed:
            hidden += len(result.diagnostics)
            result.diagnostics = []
            continue
        if file_changes.new:
            continue
        units: list[tuple[int, int]] | None = None
        kept = []
        for diag in result.diagnostics:
            if units is None and diag.code not in NOTE_LEVEL_CODES and not file_changes.on_added_line(*_lines(diag)):
                limit = limit_for(path) if limit_for is not None else None
                units = _changed_units(path, file_changes, limit)  # parsed only when a finding needs it
            if keep(diag, file_changes, units or []):
                kept.append(diag)
        hidden += len(result.diagnostics) - len(kept)
        result.diagnostics = kept
    return results, hidden
