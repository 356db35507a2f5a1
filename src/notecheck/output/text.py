"""Text output: ``full`` (the default; ``text`` is its alias) and ``concise``.

One line per finding, ``path:line:col: CODE [severity] message`` (`` [*]`` when fixable),
the shape compilers print and editors' problem matchers read; ``full`` adds the source
line with a caret under the column. The layout never depends on whether the stream is a
terminal: only colour does (see :func:`use_color`), and colour is ANSI SGR codes wrapped
around parts of those same lines, so stripping them gives the plain output byte for byte.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import IO, Mapping, Sequence

from ..escape import excerpt_for_terminal, for_terminal
from . import applicability, plural

_MAX_EXCERPT = 160

# SGR codes; written by hand so that colour never changes the layout (no wrapping, no markup)
_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_RED = "\x1b[1;31m"
_YELLOW = "\x1b[1;33m"
_CYAN = "\x1b[36m"
_BLUE = "\x1b[34m"
_SEVERITY_COLOR = {"error": _RED, "warning": _YELLOW}


def use_color(stream: IO[str], environ: Mapping[str, str] | None = None) -> bool:
    """Whether to colour output written to ``stream``.

    ``NO_COLOR`` (set and not empty) means no escape codes at all; otherwise
    ``FORCE_COLOR`` or ``CLICOLOR_FORCE`` (set, not empty, not ``0``) give colour even
    when piped; otherwise colour on a terminal, unless ``CLICOLOR=0`` or ``TERM=dumb``.
    """
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    force = env.get("FORCE_COLOR")
    if force is not None and force != "":
        return force.lower() not in ("0", "false")
    if env.get("CLICOLOR_FORCE", "0") not in ("", "0"):
        return True
    if env.get("CLICOLOR") == "0" or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):  # a closed stream
        return False


def _excerpt(line_text: str, column: int) -> tuple[str, int]:
    """Clip very long lines (transcripts) around the column; return (text, caret column).

    Control characters are shown escaped (``\\x1b``), the caret still under its character."""
    if len(line_text) <= _MAX_EXCERPT:
        return excerpt_for_terminal(line_text.replace("\t", " "), column)
    # clipped before anything else: the work per finding must not grow with the line
    start = max(0, column - 1 - _MAX_EXCERPT // 2)
    clipped = line_text[start:start + _MAX_EXCERPT].replace("\t", " ")  # = expandtabs(1)
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + _MAX_EXCERPT < len(line_text) else ""
    text, col = excerpt_for_terminal(clipped, column - start)
    return prefix + text + suffix, col + len(prefix)


def summary_line(results: Sequence) -> str:
    diags = [d for r in results for d in r.diagnostics]
    fixed = sum(len(r.fixed) for r in results)
    files = sum(1 for r in results if r.diagnostics)
    checked = sum(1 for r in results if r.error is None or r.diagnostics)  # a fix not written was checked
    unchecked = sum(1 for r in results if r.error is not None and not r.diagnostics)
    not_checked = f"{plural(unchecked, 'path')} could not be checked" if unchecked else ""
    if not diags:
        if unchecked:  # never "All checks passed" when a path was missing or unreadable
            base = f"No problems found in {plural(checked, 'file')} checked; {not_checked}."
        else:
            base = f"All checks passed ({plural(checked, 'file')} checked)."
    else:
        warnings = sum(1 for d in diags if d.severity == "warning")
        levels = ""
        if warnings:
            errors = len(diags) - warnings
            levels = " (" + ", ".join(([plural(errors, "error")] if errors else [])
                                      + [plural(warnings, "warning")]) + ")"
        unsafe = sum(1 for d in diags if applicability(d) == "unsafe")
        fixable = sum(1 for d in diags if d.fixable) - unsafe
        base = f"Found {plural(len(diags), 'problem')}{levels} in {plural(files, 'file')} ({checked} checked)"
        if not_checked:
            base += f"; {not_checked}"
        if fixable:
            base += f"; {fixable} fixable with `notecheck fix`"
        if unsafe:
            base += f"; {unsafe} {'more ' if fixable else ''}with `notecheck fix --unsafe-fixes`"
        base += "."
    if fixed:
        base = f"Fixed {plural(fixed, 'problem')}. " + base
    return base


def statistics(results: Sequence) -> list[dict]:
    """Per code, most frequent first: code, name, count, fixable (all of them), fixable_count (as ruff)."""
    from ..suppressions import describe

    counts = Counter(d.code for r in results for d in r.diagnostics)
    fixable = Counter(d.code for r in results for d in r.diagnostics if d.fixable)
    out = []
    for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = describe(code)
        out.append({"code": code, "name": rule.name if rule else "", "count": n,
                    "fixable": fixable[code] == n, "fixable_count": fixable[code]})
    return out


def statistics_lines(results: Sequence) -> list[str]:
    """``count  CODE  [*] name`` per code, most frequent first ([*]: fixable)."""
    return [f"{s['count']:5d}  {s['code']}  {'[*]' if s['fixable_count'] else '   '} {s['name']}".rstrip()
            for s in statistics(results)]


def finding_line(d, color: bool = False) -> str:
    """``path:line:col: CODE [severity] message`` (`` [*]`` when fixable); control characters shown escaped."""
    fix = " [*]" if d.fixable else ""
    path, message = for_terminal(d.path), for_terminal(d.message)
    if not color:
        return f"{path}:{d.line}:{d.column}: {d.code} [{d.severity}] {message}{fix}"
    sev = _SEVERITY_COLOR.get(d.severity, _BOLD)
    fix = f" {_CYAN}[*]{_RESET}" if fix else ""
    return (f"{_BOLD}{path}{_RESET}:{d.line}:{d.column}: {sev}{d.code}{_RESET} "
            f"{sev}[{d.severity}]{_RESET} {message}{fix}")


def excerpt_lines(d, line_text: str, color: bool = False) -> list[str]:
    """The source line under a finding and a caret at its column."""
    text, col = _excerpt(line_text, d.column)
    gutter = f"{d.line:>5} | "
    pad = " " * (len(gutter) - 2)
    if not color:
        return [f"{gutter}{text}", f"{pad}| {' ' * (col - 1)}^"]
    sev = _SEVERITY_COLOR.get(d.severity, _BOLD)
    return [f"{_BLUE}{gutter}{_RESET}{text}", f"{_BLUE}{pad}| {_RESET}{' ' * (col - 1)}{sev}^{_RESET}"]


def write(results: Sequence, stream: IO[str], options) -> None:
    """Full output: each finding with its source excerpt (unless ``show_source`` is off), then the summary."""
    _write(results, stream, options, show_source=options.show_source)


def write_concise(results: Sequence, stream: IO[str], options) -> None:
    """Concise output: one line per finding, then the summary."""
    _write(results, stream, options, show_source=False)


def _write(results: Sequence, stream: IO[str], options, *, show_source: bool) -> None:
    color = options.color if options.color is not None else use_color(stream)
    w = stream.write
    for result in results:
        for d in result.diagnostics:
            w(finding_line(d, color) + "\n")
            if show_source and d.line in result.excerpts:
                w("\n".join(excerpt_lines(d, result.excerpts[d.line], color)) + "\n")
        if options.show_fixes:
            for d in result.fixed:
                w(f"{for_terminal(d.path)}:{d.line}:{d.column}: fixed {d.code} {for_terminal(d.message)}\n")
    if not options.quiet:  # -q: the findings only (as ruff's)
        summary = summary_line(results)
        w((f"{_BOLD}{summary}{_RESET}" if color else summary) + "\n")
