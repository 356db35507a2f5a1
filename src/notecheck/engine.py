"""Run the selected rules over one Note, apply suppressions, and sort the diagnostics.

The engine knows nothing of any rule's inside: it calls ``rule.check(note, ctx)`` and
turns each Finding (offsets) into a Diagnostic (path, line, column, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from .config import Config
from .diagnostic import Diagnostic, Finding
from .note import BOM, Note
from .rules import Rule, all_rules


@dataclass
class Context:
    """What a rule may know besides the note: the config and, when found, the sidecar."""

    config: Config
    path: str | None = None
    sidecar: Any = None  # notecheck.sidecar.Sidecar | None
    extra: dict[str, Any] = field(default_factory=dict)


def selected_rules(config: Config, path: str | None = None) -> list[Rule]:
    rules = all_rules()
    # the selection without a path depends only on the (frozen) config and the registry:
    # computed once, not once per file (~0.3 ms a file); per-file-ignores still per path
    key = (config, tuple(map(id, rules)))  # the cached list keeps these rules (and ids) alive
    try:
        base = _SELECTED.get(key)
    except TypeError:  # an unhashable value in a config built by hand
        return [r for r in rules if config.is_enabled(r.code, path)]
    if base is None:
        if len(_SELECTED) > 64:
            _SELECTED.clear()
        base = _SELECTED[key] = [r for r in rules if config.is_enabled(r.code, None)]
    if path is None or not config.per_file_ignores:
        return list(base)
    return [r for r in base if not config.ignored_for_file(r.code, path)]


_SELECTED: dict[tuple, list[Rule]] = {}
_DEFAULT_CONFIG = Config()


MANY_FINDINGS = 256  # past this many in a note, positions and excerpts read the note's table of line starts


def positions(note: Note, offsets: Iterable[int]) -> dict[int, tuple[int, int]]:
    """``note.position`` of each offset, in one pass: the line breaks counted from one offset to the
    next, in order, instead of the note's table of line starts (~1 ms/MB to build, for a few
    findings a note: ~0.15 this way). With the table built, or for an undecodable file's byte
    offsets, ``note.position`` itself."""
    text = note.text
    if "line_starts" in note.__dict__ or (not text and note.raw):
        return {o: note.position(o) for o in offsets}
    out: dict[int, tuple[int, int]] = {}
    n = len(text)
    bom = text.startswith(BOM)
    line = at = line_start = 0
    for o in sorted(set(offsets)):
        c = max(0, min(o, n))  # clamped as note.position does (in order still)
        breaks = text.count("\n", at, c)  # the line breaks before c: its line, counted from 0
        if breaks:  # a new line: where it starts, looked for only back to the offset before
            line += breaks
            line_start = text.rfind("\n", at, c) + 1
        at = c
        col = c - line_start + 1
        if line == 0 and bom and c > 0:
            col -= 1  # the BOM is not a column
        out[o] = (line + 1, col)
    return out


def line_texts(note: Note, diagnostics: list[Diagnostic]) -> dict[int, str]:
    """``note.line_text`` of each diagnostic's line (each line once), read around the diagnostic's
    offset when it is on that line, without the note's table of line starts (see ``positions``)."""
    lines = {d.line for d in diagnostics}
    text = note.text
    if "line_starts" in note.__dict__ or not text or len(diagnostics) > MANY_FINDINGS \
            or any(d.offset is None for d in diagnostics):
        return {line: note.line_text(line) for line in lines}
    where = positions(note, [d.offset for d in diagnostics])  # type: ignore[misc]
    at = {}
    for d in diagnostics:
        if where[d.offset][0] == d.line:  # type: ignore[index]
            at.setdefault(d.line, max(0, min(d.offset, len(text))))  # type: ignore[type-var]
    out = {}
    for line in lines:  # in the set's order, as before
        c = at.get(line)
        if c is None:
            out[line] = note.line_text(line)
            continue
        start = text.rfind("\n", 0, c) + 1
        end = text.find("\n", c)
        got = text[start:end if end >= 0 else len(text)].rstrip("\r")
        out[line] = got.lstrip(BOM) if start == 0 else got  # line 1 starts at 0
    return out


def to_diagnostic(note: Note, rule: Rule, finding: Finding, path: str,
                  where: dict[int, tuple[int, int]] | None = None) -> Diagnostic:
    """``where``: the positions of the finding's offsets (``positions``), when worked out already."""
    line, col = where[finding.start] if where is not None else note.position(finding.start)
    end_line = end_col = None
    if finding.end is not None:
        end_line, end_col = where[finding.end] if where is not None else note.position(finding.end)
    return Diagnostic(
        path=path,
        line=line,
        column=col,
        code=rule.code,
        severity=finding.severity or rule.severity,
        message=finding.message,
        fixable=finding.fix is not None,
        end_line=end_line,
        end_column=end_col,
        fix=finding.fix,
        offset=finding.start,
    )


def check_note(note: Note, config: Config | None = None, path: str | None = None, *,
               sidecar: Any = None, rules: list[Rule] | None = None) -> list[Diagnostic]:
    """All diagnostics for ``note``, suppressions applied, sorted by position."""
    config = config or _DEFAULT_CONFIG
    shown_path = path if path is not None else (note.path or "-")
    ctx = Context(config=config, path=path, sidecar=sidecar)
    out: list[Diagnostic] = []
    if rules is None:
        rules = selected_rules(config, path)
    found = [(rule, finding) for rule in rules for finding in rule.check(note, ctx)]
    # a few findings (the usual note): their positions counted in one pass; many: the note's
    # table of line starts, built once (a table of every offset would cost more memory than it)
    where = positions(note, [o for _, f in found for o in ((f.start,) if f.end is None else (f.start, f.end))]) \
        if len(found) <= MANY_FINDINGS else None
    for rule, finding in found:
        out.append(to_diagnostic(note, rule, finding, shown_path, where))
    if note.suppressions:  # silence what they name; with the flag, report what silenced nothing (NC009)
        from .suppressions import apply

        out = apply(note, out, config, shown_path, [r.code for r in rules])
    if config.severity:  # [tool.notecheck.severity]: the user's level for a code, whatever the rule said
        out = with_configured_severity(out, config)
    out.sort(key=Diagnostic.sort_key)
    return out


def with_configured_severity(diagnostics: list[Diagnostic], config: Config) -> list[Diagnostic]:
    """The diagnostics with the severities ``[tool.notecheck.severity]`` gives their codes."""
    from dataclasses import replace

    out = []
    for d in diagnostics:
        level = config.severity_of(d.code, d.severity)
        out.append(d if level == d.severity else replace(d, severity=level))
    return out
