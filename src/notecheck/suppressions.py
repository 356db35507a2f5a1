"""Inline suppressions, and NC009: a suppression that silences nothing.

A note may silence findings with HTML comments (parsed by ``note.py`` into
``note.suppressions``)::

    <!-- notecheck: disable=NC501 -->             alone on a line: silences the next line
    text <!-- notecheck: disable=NC301 -->        at the end of a line: silences that line
    <!-- notecheck: disable-file=NC501,NC502 -->  anywhere: silences the whole file

Codes may be prefixes (``NC5``); no codes (``disable``) silences every code.

With ``--report-unused-suppressions`` (``Config.report_unused_suppressions``) the
engine calls :func:`apply` instead of dropping suppressed findings itself, and every
code in a suppression that silenced nothing is reported as **NC009 unused-suppression**
(a warning, at the comment). Why NC009: the SPEC catalog (NC001..NC604) has no code
for it, and codes are never renumbered, so it takes a free number in the NC0xx "file"
family, which speaks of the file as a whole. It is not a registered rule: it exists
only when the flag is given (so ``notecheck rules`` and the default selection stay
exactly the SPEC catalog), it is reported unless ``ignore``/``per-file-ignores`` name
it, and ``notecheck explain NC009`` describes it. A code whose rule did not run here
(not selected, or per-file-ignored) is not judged: nothing can be said of it.
"""

from __future__ import annotations

import re
from typing import Iterable

from .config import Config, _matches
from .diagnostic import UNSAFE, Diagnostic, Fix
from .note import Note
from .rules import UNUSED_SUPPRESSION  # defined with the rule registry, where config reads it
NAME = "unused-suppression"
SEVERITY = "warning"
SUMMARY = "a notecheck: disable comment silences nothing (only with --report-unused-suppressions)"


def _explanation() -> None:
    """What it finds
    A `<!-- notecheck: disable=… -->` or `disable-file=…` comment, or a code in one,
    that silenced no finding in this run, or that names a code no rule has. Reported
    only with `--report-unused-suppressions`; codes whose rule did not run (not
    selected, per-file-ignored) are not judged.

    Why it matters
    A suppression outlives the problem it hid: once the note is corrected it silences
    nothing, and later hides a new defect of the same kind on that line or file. A
    mistyped code (`NC3O1`) never silenced anything at all.

    Bad
    <!-- notecheck: disable=NC301 -->
    [9:25](https://www.youtube.com/watch?v=lXUZvyajciY&t=565s) label and t= agree

    Good
    [9:25](https://www.youtube.com/watch?v=lXUZvyajciY&t=565s) label and t= agree

    Fix
    Unsafe (only with `--unsafe-fixes`): removes the comment, or the unused codes
    from it. Unsafe because a rule may be silent for reasons of this run only (no
    sidecar transcript beside the note, for instance).
    """


def rule_info():
    """A ``rules.Rule`` describing NC009, for ``explain`` and the SARIF rule table (not registered)."""
    from .rules import Rule

    return Rule(UNUSED_SUPPRESSION, NAME, SEVERITY, SUMMARY, "unsafe", _explanation)


def describe(code: str):
    """The registered rule for ``code``, or NC009's description, or None."""
    from .rules import get

    code = code.upper()
    return rule_info() if code == UNUSED_SUPPRESSION else get(code)


def reportable(config: Config, path: str | None) -> bool:
    """NC009 is on with the flag, unless ``ignore`` or a matching per-file-ignores names it."""
    if not config.report_unused_suppressions:
        return False
    if any(_matches(UNUSED_SUPPRESSION, p) for p in config.ignore):
        return False
    return not config.ignored_for_file(UNUSED_SUPPRESSION, path)


def _silences(sup, code: str) -> list[str]:
    """The codes of ``sup`` that silence ``code`` (["*"] for a blanket one), or []."""
    if not sup.codes:
        return ["*"]
    return [c for c in sup.codes if code.startswith(c)]


def apply(note: Note, diagnostics: list[Diagnostic], config: Config, path: str,
          ran_codes: Iterable[str]) -> list[Diagnostic]:
    """Drop suppressed diagnostics; with ``config.report_unused_suppressions`` also add an
    NC009 for each suppression code that silenced nothing.

    Suppressions are indexed by the line they silence, so thousands of comments and
    findings in one note stay linear."""
    file_level: list[int] = []
    by_line: dict[int, list[int]] = {}
    for i, sup in enumerate(note.suppressions):
        if sup.file_level:
            file_level.append(i)
        elif sup.target_line is not None:
            by_line.setdefault(sup.target_line, []).append(i)
    used: list[set[str]] = [set() for _ in note.suppressions]
    kept: list[Diagnostic] = []
    for diag in diagnostics:
        silenced = False
        for i in (*file_level, *by_line.get(diag.line, ())):
            codes = _silences(note.suppressions[i], diag.code)
            if codes:
                used[i].update(codes)
                silenced = True
        if not silenced:
            kept.append(diag)
    if not reportable(config, path):
        return kept
    from .rules import all_rules

    known = [r.code for r in all_rules()]
    ran = list(ran_codes)
    unused_diags = []
    for sup, used_codes in zip(note.suppressions, used):
        diag = _unused(note, sup, used_codes, known, ran, path)
        if diag is not None:
            unused_diags.append(diag)
    # a suppression that names NC009 itself may silence these (and is not judged itself)
    self_silenced = [s for s in note.suppressions if UNUSED_SUPPRESSION in s.codes]
    if any(s.file_level for s in self_silenced):
        return kept
    silenced_lines = {s.target_line for s in self_silenced}
    return kept + [d for d in unused_diags if d.line not in silenced_lines]


def _unused(note: Note, sup, used_codes: set[str], known: list[str], ran: list[str], path: str):
    where = "in this file" if sup.file_level else f"on line {sup.target_line}"
    if not sup.codes:
        if used_codes:
            return None
        return _diagnostic(note, sup, path, f"unused suppression: it silences nothing {where}", keep=())
    unknown, unused, keep = [], [], []
    for code in sup.codes:
        if code in used_codes or code == UNUSED_SUPPRESSION:
            keep.append(code)
        elif not any(k.startswith(code) for k in known):
            unknown.append(code)
        elif not any(r.startswith(code) for r in ran):
            keep.append(code)  # its rule did not run here: nothing can be said of it
        else:
            unused.append(code)
    if not unknown and not unused:
        return None
    parts = []
    if unused:
        parts.append(f"{', '.join(unused)} silence{'s' if len(unused) == 1 else ''} nothing {where}")
    if unknown:
        parts.append(f"{', '.join(unknown)} {'is not a rule code' if len(unknown) == 1 else 'are not rule codes'}")
    return _diagnostic(note, sup, path, "unused suppression: " + "; ".join(parts), keep=tuple(keep))


_KIND_RE = re.compile(r"<!--\s*notecheck:\s*([\w-]+)")


def suppression_comment(kind: str, codes: tuple[str, ...] | list[str]) -> str:
    """A comment the suppression parser (note.py's _SUPPRESS_RE) reads."""
    return f"<!-- notecheck: {kind}={','.join(codes)} -->"


def comment_with_codes(text: str, sup, codes: tuple[str, ...] | list[str]) -> str:
    """The suppression comment ``sup`` of ``text`` rewritten to silence ``codes``, of the same kind."""
    m = _KIND_RE.match(text, sup.start)
    kind = m.group(1) if m else ("disable-file" if sup.file_level else "disable")
    return suppression_comment(kind, codes)


def _diagnostic(note: Note, sup, path: str, message: str, keep: tuple[str, ...]) -> Diagnostic:
    line, col = note.position(sup.start)
    end_line, end_col = note.position(sup.end)
    return Diagnostic(path=path, line=line, column=col, code=UNUSED_SUPPRESSION, severity=SEVERITY,
                      message=message, fixable=True, end_line=end_line, end_column=end_col,
                      fix=_fix(note, sup, keep), offset=sup.start)


def _fix(note: Note, sup, keep: tuple[str, ...]) -> Fix:
    text = note.text
    if keep:
        return Fix.replace(sup.start, sup.end, comment_with_codes(text, sup, keep),
                           applicability=UNSAFE, description="remove the unused codes")
    line_start = text.rfind("\n", 0, sup.start) + 1
    newline = text.find("\n", sup.end)
    line_end = len(text) if newline < 0 else newline
    before, after = text[line_start:sup.start], text[sup.end:line_end]
    if not before.strip() and not after.strip():  # alone on its line: the line goes
        end = line_end + 1 if newline >= 0 else line_end
        start = line_start
        if newline < 0 and line_start > 0:  # the last line: take the line break before it instead
            start = line_start - 1 - (1 if text[line_start - 2:line_start] == "\r\n" else 0)
        return Fix.replace(start, end, "", applicability=UNSAFE, description="remove the unused suppression")
    start = sup.start - (len(before) - len(before.rstrip(" \t")))
    return Fix.replace(start, sup.end, "", applicability=UNSAFE, description="remove the unused suppression")
