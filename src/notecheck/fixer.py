"""Apply fixes: edits on offsets of the original text, to a fixed point, written atomically.

Contract used by the CLI:
  fix_text(text, config=None, unsafe=False) -> FixResult(text, applied, remaining)
  fix_paths(paths, resolver, *, unsafe, diff_only, stdin_filename, jobs) -> list[FileResult]
     FileResult.fixed = applied diagnostics, .diagnostics = remaining, .changed,
     .diff (unified diff text when diff_only), .output (fixed bytes, for stdin '-')

How a pass works (as in ruff): collect the fixes of every diagnostic (safe ones, and
unsafe ones with ``unsafe=True``), sort them by start, skip a fix whose edits overlap an
edit already taken (it is picked up by the next pass, on the re-checked text), apply the
rest together, re-parse and re-check. A pass that makes the note unparseable (NC001-NC003)
or raises the count of a report-only finding is reverted; its fixes are then tried in
groups on the same text (halves of a harmful group in turn, down to single fixes), and
those harmless together are kept. That search spends at most ``MAX_NARROWING_CHECKS``
re-checks per note (trying every fix alone was quadratic: 2,000 harmful fixes, 2,000
checks of the whole note); what it has not cleared stays unfixed and reported. Passes
repeat until nothing fixable changes, at most ``MAX_PASSES`` times. A note that cannot be
parsed is never rewritten.

Files are handled as bytes: the decoded text keeps the BOM and every ``\\r\\n``, edits
replace only the characters they target, and a replacement that spans lines takes the
line ending of the line it lands on, so every other byte is written back unchanged.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .diagnostic import SAFE, UNSAFE, Diagnostic, Edit, Fix

if TYPE_CHECKING:
    from .config import Config

MAX_PASSES = 10
MAX_NARROWING_CHECKS = 64  # per note: re-checks spent finding the harmful fixes of reverted passes


@dataclass
class FixResult:
    """The fixed text, the diagnostics whose fixes were applied, and what remains."""

    text: str
    applied: list[Diagnostic] = field(default_factory=list)
    remaining: list[Diagnostic] = field(default_factory=list)
    note: Any = field(default=None, repr=False, compare=False)  # the parsed fixed text

    @property
    def changed(self) -> bool:
        return bool(self.applied)


# ---------------------------------------------------------------------------- applying edits


def _applicable(fix: Fix | None, unsafe: bool) -> bool:
    if fix is None or not fix.edits:
        return False
    return fix.applicability == SAFE or (unsafe and fix.applicability == UNSAFE)


def _newline_at(text: str, offset: int) -> str:
    """The line ending of the line holding ``offset`` (the note's last ending when it has none)."""
    end = text.find("\n", offset)
    if end < 0:
        end = text.rfind("\n", 0, offset)
        if end < 0:
            return "\n"
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


def _adapt_newlines(content: str, newline: str) -> str:
    """Replacement text with the file's line ending: a fix must not turn CRLF into LF."""
    if "\n" not in content and "\r" not in content:
        return content
    normalized = content.replace("\r\n", "\n").replace("\r", "\n")
    return normalized.replace("\n", newline)


def edit_content(text: str, edit: Edit) -> str:
    """What ``edit`` writes into ``text``: its content with the line ending of the line it lands on."""
    content = edit.content
    if "\n" in content or "\r" in content:  # only then the line's ending matters (finding it scans the line)
        content = _adapt_newlines(content, _newline_at(text, edit.start))
    return content


def _overlaps(a: Edit, b: Edit) -> bool:
    """Two edits conflict when their ranges intersect, or both start at the same place."""
    if a.start == b.start:
        return True
    return a.start < b.end and b.start < a.end


def _fix_key(text: str, diag: Diagnostic) -> tuple:
    """An identity for a fix that survives offset shifts caused by other fixes."""
    fix = diag.fix
    assert fix is not None
    return (diag.code, diag.message,
            tuple((text[e.start:e.end], e.content) for e in sorted(fix.edits, key=lambda e: (e.start, e.end))))


def select_fixes(text: str, diagnostics: Iterable[Diagnostic], *, unsafe: bool = False,
                 exclude: frozenset | set = frozenset()
                 ) -> tuple[list[Diagnostic], list[Edit]]:
    """The diagnostics whose fixes go into one pass, and their edits (sorted, no overlap).

    Deterministic: fixes are taken in order of their first edit's start (then code and
    message); a fix that overlaps one already taken waits for the next pass. Edits that
    change nothing, fall outside the text, or overlap within one fix disqualify the fix.
    A fix identical to one already taken (two rules proposing the same edit) is counted
    as applied without applying it twice.
    """
    candidates = []
    for d in diagnostics:
        if not _applicable(d.fix, unsafe):
            continue
        edits = sorted(d.fix.edits, key=lambda e: (e.start, e.end))  # type: ignore[union-attr]
        if any(e.end > len(text) for e in edits):
            continue
        if any(_overlaps(a, b) for a, b in zip(edits, edits[1:])):
            continue
        if all(text[e.start:e.end] == e.content for e in edits):
            continue  # a no-op fix: nothing to do (and nothing to loop on)
        if exclude and _fix_key(text, d) in exclude:
            continue
        candidates.append((edits[0].start, d.code, d.message, edits, d))
    candidates.sort(key=lambda c: c[:3])
    taken: list[Diagnostic] = []
    # the edits taken so far, sorted: distinct and pairwise disjoint, so their starts strictly
    # increase and an edit can only overlap its two neighbours there (no n^2 comparisons)
    accepted: list[Edit] = []
    starts: list[int] = []
    accepted_set: set[Edit] = set()
    for _, _, _, edits, diag in candidates:
        new = [e for e in edits if e not in accepted_set]
        if any(_overlaps_taken(e, accepted, starts) for e in new):
            continue
        taken.append(diag)
        for e in new:
            i = bisect.bisect_left(starts, e.start)
            starts.insert(i, e.start)
            accepted.insert(i, e)
        accepted_set.update(new)
    return taken, accepted


def _overlaps_taken(edit: Edit, accepted: list[Edit], starts: list[int]) -> bool:
    """Whether ``edit`` overlaps one of ``accepted`` (sorted, pairwise disjoint; ``starts`` their starts)."""
    i = bisect.bisect_left(starts, edit.start)
    if i < len(accepted) and _overlaps(edit, accepted[i]):  # the first that starts at or after it
        return True
    return i > 0 and _overlaps(edit, accepted[i - 1])  # the last that starts before it


def _edits_of(text: str, diags: Sequence[Diagnostic]) -> list[Edit]:
    """The edits of already selected fixes, sorted, each distinct edit once."""
    edits = {e for d in diags for e in d.fix.edits if text[e.start:e.end] != e.content}  # type: ignore[union-attr]
    return sorted(edits, key=lambda e: (e.start, e.end))


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply sorted, non-overlapping edits to ``text`` in one sweep."""
    out: list[str] = []
    last = 0
    for e in edits:
        out.append(text[last:e.start])
        out.append(edit_content(text, e))
        last = e.end
    out.append(text[last:])
    return "".join(out)


# ---------------------------------------------------------------------------- the fix loop


def _blocking(note) -> bool:
    """A note we must not rewrite: undecodable, binary, no or broken front matter (NC001-NC003)."""
    return bool(note.problems)


def _report_only(diags: Iterable[Diagnostic]) -> Counter:
    """How many report-only findings of each code; a fix must not raise any count.

    Counted by code, not by message or place: a fix may legitimately change the text a
    message quotes (NC501's closest passage after a mojibake repair) or shift columns.
    """
    return Counter(d.code for d in diags if d.fix is None)


def fix_note(text: str, config=None, path: str | None = None, *, unsafe: bool = False,
             sidecar=None, note=None, only=None) -> FixResult:
    """Fix one decoded note to a fixed point; ``note`` may be the already parsed ``text``.

    ``only(diagnostics, note) -> diagnostics``, when given, picks the findings to fix and
    report (a baseline's new findings); the others are left as they are."""
    from .config import Config
    from .engine import check_note
    from .note import parse

    config = config or Config()
    if note is None:
        note = parse(text, path=path)
    diags = check_note(note, config, path, sidecar=sidecar)

    def wanted(ds: list[Diagnostic], n) -> list[Diagnostic]:
        return only(ds, n) if only is not None else ds

    if _blocking(note):
        return FixResult(text, [], wanted(diags, note), note)
    applied: list[Diagnostic] = []
    bad: set = set()  # fixes that broke the note, never tried again

    def attempt(fixes: list[Diagnostic]):
        """(text, diagnostics, note) after applying ``fixes`` to the current text; None if that breaks it."""
        new_text = apply_edits(text, _edits_of(text, fixes))
        new_note = parse(new_text, path=path)
        if _blocking(new_note):
            return None
        new_diags = check_note(new_note, config, path, sidecar=sidecar)
        if _report_only(new_diags) - _report_only(diags):
            return None
        return new_text, new_diags, new_note

    budget = MAX_NARROWING_CHECKS
    for _ in range(MAX_PASSES):
        taken, _edits = select_fixes(text, wanted(diags, note), unsafe=unsafe, exclude=bad)
        if not taken:
            break
        outcome = attempt(taken)
        if outcome is None:
            # revert the pass; keep, in order, each group of fixes that does no harm with those
            # kept so far; a harmful group is split in halves, a harmful single fix is never retried
            good: list[Diagnostic] = []
            groups = [taken[:len(taken) // 2], taken[len(taken) // 2:]] if len(taken) > 1 else []
            if len(taken) == 1:
                bad.add(_fix_key(text, taken[0]))
            while groups and budget > 0:
                group = groups.pop(0)
                budget -= 1
                tried = attempt(good + group)
                if tried is not None:
                    good.extend(group)
                    outcome = tried
                elif len(group) == 1:
                    bad.add(_fix_key(text, group[0]))
                else:
                    groups[:0] = [group[:len(group) // 2], group[len(group) // 2:]]
            if not good:
                if budget <= 0:
                    break  # no re-checks left to clear any of them: the rest stays unfixed
                continue
            taken = good
        new_text, new_diags, new_note = outcome
        if new_text == text:
            break
        text, diags, note = new_text, new_diags, new_note
        applied.extend(taken)
    return FixResult(text, applied, wanted(diags, note), note)


def fix_text(text: str, config: Config | None = None, unsafe: bool = False, *, path: str | None = None,
             sidecar=None) -> FixResult:
    """Apply every applicable fix to one note given as text (public API).

    Returns FixResult(text, applied, remaining): the fixed text, the diagnostics whose
    fixes were applied, and the diagnostics of the fixed text. A note with a parse
    problem (NC001-NC003) comes back unchanged.
    """
    return fix_note(text, config, path, unsafe=unsafe, sidecar=sidecar)


# ---------------------------------------------------------------------------- files


def _lines(text: str) -> list[str]:
    """Lines split at ``\n`` only (str.splitlines would also split at \f, \x1c, U+2028...)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def unified_diff(old: str, new: str, path: str) -> str:
    """A unified diff of two versions of a note, marking a missing final newline like diff(1).

    A file name with control characters or non-UTF-8 bytes is C-quoted in the headers, as git does."""
    import difflib

    from .escape import diff_path

    out: list[str] = []
    path = diff_path(path)
    for line in difflib.unified_diff(_lines(old), _lines(new), fromfile=path, tofile=path):
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


class WriteError(Exception):
    pass


# The temporary file a fix writes beside the note: ".NAME." + tempfile's 8 random
# characters (a-z, 0-9, _) + ".notecheck.tmp". A kill between its creation and the rename
# leaves it behind; the next fix of the note removes it once it is older than any fix can
# take to write one note.
TEMP_SUFFIX = ".notecheck.tmp"
_TEMP_RANDOM_RE = re.compile(r"[a-z0-9_]{8}")
STALE_TEMP_SECONDS = 3600
_temp_names_by_folder: dict[str, list[str]] = {}  # one listing per folder and process (fix_paths clears it)


def _temp_prefix(target: str) -> str:
    return "." + os.path.basename(target) + "."


def _temp_names(folder: str) -> list[str]:
    names = _temp_names_by_folder.get(folder)
    if names is None:
        try:
            with os.scandir(folder) as entries:
                names = [e.name for e in entries if e.name.startswith(".") and e.name.endswith(TEMP_SUFFIX)]
        except OSError:
            names = []
        _temp_names_by_folder[folder] = names
    return names


def remove_stale_temp_files(path: str) -> None:
    """Remove the temporary files a killed fix of ``path`` left: only names of exactly our
    pattern, only regular files of this user, only when older than STALE_TEMP_SECONDS
    (a running fix keeps its temporary file for the seconds it takes to write one note)."""
    target = os.path.realpath(path)
    folder = os.path.dirname(target) or "."
    prefix = _temp_prefix(target)
    now = time.time()
    for name in _temp_names(folder):
        if not name.startswith(prefix) or len(name) != len(prefix) + 8 + len(TEMP_SUFFIX):
            continue
        if not _TEMP_RANDOM_RE.fullmatch(name, len(prefix), len(prefix) + 8):
            continue
        full = os.path.join(folder, name)
        try:
            st = os.lstat(full)
            if (stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid()
                    and now - st.st_mtime > STALE_TEMP_SECONDS):
                os.unlink(full)
        except OSError:
            pass  # gone meanwhile, or not ours to remove


def _same_file_state(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_ino, a.st_dev, a.st_size, a.st_mtime_ns, a.st_ctime_ns) == \
        (b.st_ino, b.st_dev, b.st_size, b.st_mtime_ns, b.st_ctime_ns)


def write_atomic(path: str, data: bytes, expected: bytes | None = None) -> None:
    """Replace the file's content with ``data`` atomically, keeping its mode.

    The new content goes to a temporary file in the same folder, is flushed to disk,
    given the original's permission bits, and renamed over the original (a symlink is
    followed, so the link stays a link). ``expected``: the bytes the fix was computed
    from; if the file changed meanwhile (content, or after the re-read its size, times or
    inode), nothing is written.
    """
    import tempfile

    target = os.path.realpath(path)
    try:
        st = os.stat(target)
    except OSError as exc:
        raise WriteError(f"cannot write: {exc.strerror or exc}") from exc
    if not os.access(target, os.W_OK) or not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise WriteError("cannot write: file is read-only")  # even root leaves a read-only note alone
    seen: os.stat_result | None = None  # the file's state when its content was last compared
    if expected is not None:
        try:
            with open(target, "rb") as fh:
                seen = os.fstat(fh.fileno())  # before the read: a write during the read shows as a change
                current = fh.read()
        except OSError as exc:
            raise WriteError(f"cannot write: {exc.strerror or exc}") from exc
        if current != expected:
            raise WriteError("file changed while it was being fixed; not written")
    folder = os.path.dirname(target) or "."
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=_temp_prefix(target), suffix=TEMP_SUFFIX)
    except OSError as exc:  # a folder the user may not write, even when the note is writable
        raise WriteError(f"not written: cannot create a file in its folder {folder} ({exc.strerror or exc}); "
                         "fix writes the new note beside it and renames it over the old one") from exc
    replaced = False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        if hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.stat(tmp).st_uid, os.stat(tmp).st_gid):
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                pass  # not ours to give away; the content and mode are what matter
        # A save by the user since the re-read (while the new note was written and flushed)
        # changes the size, the times or, for an editor that saves by rename, the inode: then
        # the new note is not renamed over it. What remains: an edit in the microseconds
        # between this stat and the rename (POSIX has no rename-if-unchanged), and a write
        # that changes neither size nor times within the filesystem's timestamp granularity
        # (ext4, xfs, btrfs, APFS: 1 ns; HFS+, ext3: 1 s; FAT: 2 s).
        if seen is not None and not _same_file_state(seen, os.stat(target)):
            raise WriteError("file changed while it was being fixed; not written")
        os.replace(tmp, target)  # after a crash: the old note or the new one, never half of one
        replaced = True
    except OSError as exc:
        raise WriteError(f"cannot write: {exc.strerror or exc}") from exc
    finally:
        if not replaced:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def fix_file(path: str, config, display_path: str | None = None, *, unsafe: bool = False,
             diff_only: bool = False, baseline=None):
    """Fix one file (or stdin, ``-``): returns a runner.FileResult.

    In place unless ``diff_only`` (then ``.diff`` holds the unified diff) or the path is
    ``-`` (then ``.output`` holds the bytes to print: the fixed note, or the input as is).
    """
    from .runner import internal_error

    try:
        return _fix_file(path, config, display_path or path, unsafe=unsafe, diff_only=diff_only,
                         baseline=baseline)
    except Exception as exc:  # a bug in a rule must not end the run over the other files
        from .runner import FileResult

        return FileResult(display_path or path, error=internal_error(exc))


def _fix_file(path: str, config, shown: str, *, unsafe: bool, diff_only: bool, baseline=None):
    from .note import parse_bytes
    from .runner import STDIN, FileResult, excerpts_for, load_sidecar, read_limited, unreadable_result

    data, error, head = read_limited(path, config.max_file_size)
    if data is None:
        out = unreadable_result(shown, error or "cannot read", config)
        if path == STDIN and head:  # over the limit: the input goes out as it came in
            out.output, out.stdin_rest = head, True
        return out
    note = parse_bytes(data, path)
    sidecar = load_sidecar(None if path == STDIN else path, note, config)
    only = None
    if baseline is not None:  # recorded findings are neither fixed nor reported
        def only(diags, fixed_note):
            return baseline.new_findings(shown, diags, fixed_note.line_text)
    result = fix_note(note.text, config, shown, unsafe=unsafe, sidecar=sidecar, note=note, only=only)
    changed = result.text != note.text
    new_data = result.text.encode("utf-8") if changed else data
    out = FileResult(shown, result.remaining, excerpts_for(result.note, result.remaining),
                     fixed=result.applied, changed=changed)
    if changed and diff_only:
        out.diff = unified_diff(note.text, result.text, shown)
    if path == STDIN:
        out.output = new_data
        return out
    if not diff_only:
        remove_stale_temp_files(path)
    if changed and not diff_only:
        try:
            write_atomic(path, new_data, expected=data)
        except WriteError as exc:
            # report the note as it still is on disk: nothing was fixed
            from .engine import check_note

            diags = check_note(note, config, shown, sidecar=sidecar)
            if only is not None:
                diags = only(diags, note)
            return FileResult(shown, diags, excerpts_for(note, diags), error=str(exc))
    return out


def fix_paths(paths, resolver, *, unsafe: bool = False, diff_only: bool = False,
              stdin_filename: str | None = None, jobs: int | None = None, baseline=None, cache=None) -> list:
    """Fix every note under ``paths``; one runner.FileResult per file, in path order.

    Files are discovered, configured and spread over processes exactly as by ``check``.
    ``cache``: a ``cache.ResultCache``; fix reads it only for notes whose cached result
    holds no fix that would apply, and never writes it.
    """
    from functools import partial

    from . import config as config_mod
    from .runner import run_files

    if not isinstance(resolver, config_mod.Resolver):
        resolver = config_mod.Resolver(explicit=resolver)
    _temp_names_by_folder.clear()  # folders are listed afresh for each run
    per_file = partial(fix_file, unsafe=unsafe, diff_only=diff_only, baseline=baseline)
    if cache is not None and baseline is not None:
        cache = None  # a cached result holds every finding; fix with a baseline fixes and reports only new ones
    if cache is not None:
        cache = cache.for_fix(unsafe=unsafe)
    return run_files(paths, resolver, per_file, stdin_filename=stdin_filename, jobs=jobs, cache=cache)
