"""What the language server computes for one note, without any LSP library.

Everything here runs in the server's worker (a process or a thread): it takes the
editor's text of a note and its path, checks it with the same engine as ``notecheck
check`` (config found from the path, client settings laid over it like the command
line's options, the sidecar beside the note, suppressions and per-file-ignores), and
returns plain, picklable values whose positions are already LSP positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..config import Config, ConfigError, Overrides, Resolver, _codes
from ..diagnostic import SAFE, Diagnostic
from .positions import UTF16, LineIndex

Range = tuple[int, int, int, int]  # start line, start character, end line, end character (0-based)


@dataclass(frozen=True)
class Settings:
    """Client settings, laid over the config file as the command line's options are."""

    select: tuple[str, ...] | None = None  # replaces the config's select (like --select)
    ignore: tuple[str, ...] = ()  # added to the config's ignore (like --ignore)
    unsafe_fixes: bool = False  # offer unsafe fixes as quick fixes

    def overrides(self) -> Overrides:
        return Overrides(select=self.select, ignore=self.ignore)


def settings_from(data: Any, current: Settings | None = None) -> tuple[Settings, list[str]]:
    """Settings from initializationOptions or didChangeConfiguration (``{"select": [...],
    "ignore": [...], "unsafeFixes": true}``, also under a ``"notecheck"`` key).

    Returns the settings and a list of problems; a bad value keeps the current one."""
    current = current or Settings()
    if isinstance(data, dict) and isinstance(data.get("notecheck"), dict):
        data = data["notecheck"]
    if not isinstance(data, dict):
        return current, []
    problems: list[str] = []
    select, ignore, unsafe = current.select, current.ignore, current.unsafe_fixes
    if "select" in data:
        try:
            select = _codes("select", data["select"]) if data["select"] not in (None, [], "") else None
        except ConfigError as exc:
            problems.append(f"setting {exc}")
    if "ignore" in data:
        try:
            ignore = _codes("ignore", data["ignore"]) if data["ignore"] not in (None, [], "") else ()
        except ConfigError as exc:
            problems.append(f"setting {exc}")
    for key in ("unsafeFixes", "unsafe-fixes", "unsafe_fixes"):
        if key in data:
            if isinstance(data[key], bool):
                unsafe = data[key]
            else:
                problems.append(f"setting {key}: expected true or false, got {data[key]!r}")
    return Settings(select, ignore, unsafe), problems


@dataclass(frozen=True)
class TextChange:
    range: Range
    new_text: str


@dataclass(frozen=True)
class Action:
    title: str
    changes: tuple[TextChange, ...]


@dataclass(frozen=True)
class Item:
    """One finding, ready for the client."""

    code: str
    severity: str
    message: str
    range: Range
    fix: Action | None = None  # its quick fix
    applicability: str | None = None  # "safe" or "unsafe"
    disable: Action | None = None  # "Disable NCxxx for this line"


@dataclass
class Analysis:
    version: int | None
    items: list[Item] = field(default_factory=list)
    error: str | None = None  # the config could not be read: nothing was checked
    excluded: bool = False  # the config's exclude names this note

    @property
    def safe_fixable(self) -> int:
        return sum(1 for i in self.items if i.fix is not None and i.applicability == SAFE)


def config_for(path: str | None, settings: Settings, root: str | None = None) -> Config:
    """The config ``notecheck check`` would use for ``path``, with the client settings over it.

    A note without a path (an unsaved buffer) takes the config of the workspace root.
    Not cached: an edited config file is seen by the next check."""
    return Resolver(overrides=settings.overrides())(path or root or ".")


def _load(text: str, path: str | None, config: Config):
    """The note and its sidecar, read as ``notecheck check`` reads the saved file."""
    from ..note import parse_bytes
    from ..runner import load_sidecar

    # the bytes the note has once saved as UTF-8: a NUL or a lone surrogate is NC001, as on disk
    note = parse_bytes(text.encode("utf-8", "surrogatepass"), path)
    return note, load_sidecar(path, note, config)


def analyze(text: str, path: str | None, settings: Settings = Settings(), *, root: str | None = None,
            encoding: str = UTF16, version: int | None = None) -> Analysis:
    """Check one note as the editor has it: every finding with its range, quick fix and
    suppression action."""
    from ..engine import check_note

    try:
        config = config_for(path, settings, root)
    except ConfigError as exc:
        return Analysis(version, error=str(exc))
    if path is not None and config.is_excluded(path):
        return Analysis(version, excluded=True)
    note, sidecar = _load(text, path, config)
    diagnostics = check_note(note, config, path, sidecar=sidecar)
    index = LineIndex(text)
    return Analysis(version, [_item(note, text, index, d, encoding) for d in diagnostics])


def fix_all(text: str, path: str | None, settings: Settings = Settings(), *, root: str | None = None,
            encoding: str = UTF16) -> TextChange | None:
    """The safe fixes of ``notecheck fix`` as one edit: the smallest range holding every
    change (None when nothing changes). Raises ConfigError for a broken config."""
    from ..fixer import fix_note

    config = config_for(path, settings, root)
    if path is not None and config.is_excluded(path):
        return None
    note, sidecar = _load(text, path, config)
    if note.text != text:  # undecodable (NC001): never rewritten
        return None
    fixed = fix_note(text, config, path, unsafe=False, sidecar=sidecar, note=note).text
    return minimal_change(text, fixed, LineIndex(text), encoding)


def minimal_change(old: str, new: str, index: LineIndex, encoding: str = UTF16) -> TextChange | None:
    """One edit turning ``old`` into ``new``: the common start and end are left alone."""
    if old == new:
        return None
    limit = min(len(old), len(new))
    prefix = _common_prefix(old, new, limit)
    suffix = _common_suffix(old, new, limit - prefix)
    if 0 < prefix < len(old) and old[prefix - 1] == "\r" and old[prefix] == "\n":
        prefix -= 1  # never split a CRLF: the range starts before it
    end = len(old) - suffix
    if suffix and 0 < end < len(old) and old[end] == "\n" and old[end - 1] == "\r":
        end += 1
        suffix -= 1
    return TextChange(_range(index, prefix, end, encoding), new[prefix:len(new) - suffix])


def _common_prefix(a: str, b: str, limit: int) -> int:
    step, i = 4096, 0
    while i + step <= limit and a[i:i + step] == b[i:i + step]:
        i += step
    while i < limit and a[i] == b[i]:
        i += 1
    return i


def _common_suffix(a: str, b: str, limit: int) -> int:
    step, n, la, lb = 4096, 0, len(a), len(b)
    while n + step <= limit and a[la - n - step:la - n] == b[lb - n - step:lb - n]:
        n += step
    while n < limit and a[la - n - 1] == b[lb - n - 1]:
        n += 1
    return n


def _range(index: LineIndex, start: int, end: int, encoding: str) -> Range:
    return (*index.position(start, encoding), *index.position(end, encoding))


# ------------------------------------------------------------------------------ one finding


def _item(note, text: str, index: LineIndex, diag: Diagnostic, encoding: str) -> Item:
    start = diag.offset if diag.offset is not None else _offset(note, diag.line, diag.column)
    if diag.end_line is not None and diag.end_column is not None:
        end = max(start, _offset(note, diag.end_line, diag.end_column))
    else:
        end = _word_end(text, start)
    fix = None
    if diag.fix is not None:
        fix = _quick_fix(text, index, diag, encoding)
    return Item(diag.code, diag.severity, diag.message, _range(index, start, end, encoding), fix,
                diag.fix.applicability if fix is not None and diag.fix is not None else None,
                _disable(note, text, index, diag, start, encoding))


def _offset(note, line: int, column: int) -> int:
    """The offset of a 1-based (line, column) of ``Note.position`` (which does not count a BOM)."""
    from ..note import BOM

    starts = note.line_starts
    line = max(1, min(line, len(starts)))
    offset = starts[line - 1] + column - 1
    if line == 1 and note.text.startswith(BOM):
        offset += 1
    return max(0, min(offset, len(note.text)))


def _word_end(text: str, start: int) -> int:
    """A finding without an end covers the word it points at (at least one character)."""
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    if end == start and start < len(text) and text[start] not in "\r\n":
        end += 1
    return end


def _quick_fix(text: str, index: LineIndex, diag: Diagnostic, encoding: str) -> Action | None:
    """The finding's own edits, with line endings adapted as ``notecheck fix`` adapts them."""
    from ..fixer import edit_content

    fix = diag.fix
    assert fix is not None
    edits = sorted(fix.edits, key=lambda e: (e.start, e.end))
    if not edits or any(e.end > len(text) for e in edits):
        return None
    changes = tuple(TextChange(_range(index, e.start, e.end, encoding), edit_content(text, e))
                    for e in edits if text[e.start:e.end] != e.content)
    if not changes:
        return None
    title = f"{diag.code}: {fix.description or 'apply the fix'}"
    if fix.applicability != SAFE:
        title += " (unsafe)"
    return Action(title, changes)


def _disable(note, text: str, index: LineIndex, diag: Diagnostic, start: int, encoding: str) -> Action:
    """Silence this finding: a comment alone on the line before its line, or, where a
    comment cannot stand (in the front matter's YAML, in a fenced code block such as a
    clip command), a ``disable-file`` comment after the front matter. An existing
    comment for the same line (or file) gets the code added."""
    from ..fixer import _newline_at
    from ..note import BOM
    from ..suppressions import comment_with_codes, suppression_comment

    code = diag.code
    fm = note.front_matter
    file_level = (fm is not None and fm.start <= start < fm.end) or note.in_code(start)
    if not file_level:
        title = f"Disable {code} for this line"
        same = [s for s in note.suppressions if not s.file_level and s.target_line == diag.line and s.codes]
    else:
        title = f"Disable {code} for this file"
        same = [s for s in note.suppressions if s.file_level and s.codes]
    if same:
        sup = same[0]
        comment = comment_with_codes(text, sup, (*sup.codes, code))
        return Action(title, (TextChange(_range(index, sup.start, sup.end, encoding), comment),))
    if file_level:
        at = fm.end if fm is not None else (1 if text.startswith(BOM) else 0)
        comment = suppression_comment("disable-file", (code,))
        newline = _newline_at(text, max(0, at - 1))
        new_text = comment + newline
        if at == len(text) and at > 0 and text[at - 1] != "\n":
            new_text = newline + comment
    else:
        line = max(1, min(diag.line, len(note.line_starts)))
        at = note.line_starts[line - 1] + (1 if line == 1 and text.startswith(BOM) else 0)
        own = note.line_text(line)
        indent = own[:len(own) - len(own.lstrip(" \t"))]
        new_text = indent + suppression_comment("disable", (code,)) + _newline_at(text, at)
    return Action(title, (TextChange(_range(index, at, at, encoding), new_text),))
