"""Text output: grouped by file, ``path:line:col: CODE message`` with a source excerpt.

Uses rich (colour, highlighting) when writing to a terminal; plain text otherwise, so
that pipes, CI logs and tests get stable output without importing rich at all.
"""

from __future__ import annotations

from collections import Counter
from typing import IO, Sequence

_MAX_EXCERPT = 160


def _excerpt(line_text: str, column: int) -> tuple[str, int]:
    """Clip very long lines (transcripts) around the column; return (text, caret column)."""
    line_text = line_text.expandtabs(1)
    if len(line_text) <= _MAX_EXCERPT:
        return line_text, column
    start = max(0, column - 1 - _MAX_EXCERPT // 2)
    clipped = line_text[start:start + _MAX_EXCERPT]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + _MAX_EXCERPT < len(line_text) else ""
    return prefix + clipped + suffix, column - start + len(prefix)


def summary_line(results: Sequence) -> str:
    diags = [d for r in results for d in r.diagnostics]
    fixed = sum(len(r.fixed) for r in results)
    files = sum(1 for r in results if r.diagnostics)
    checked = sum(1 for r in results if r.error is None)
    if not diags:
        base = f"All checks passed ({checked} file{'s' if checked != 1 else ''} checked)."
    else:
        unsafe = sum(1 for d in diags if d.fixable and getattr(d.fix, "applicability", "safe") == "unsafe")
        fixable = sum(1 for d in diags if d.fixable) - unsafe
        base = (f"Found {len(diags)} problem{'s' if len(diags) != 1 else ''} in {files} "
                f"file{'s' if files != 1 else ''} ({checked} checked)")
        if fixable:
            base += f"; {fixable} fixable with `notecheck fix`"
        if unsafe:
            base += f"; {unsafe} {'more ' if fixable else ''}with `notecheck fix --unsafe-fixes`"
        base += "."
    if fixed:
        base = f"Fixed {fixed} problem{'s' if fixed != 1 else ''}. " + base
    return base


def statistics_lines(results: Sequence) -> list[str]:
    """``count  CODE  [*] name`` per code, most frequent first ([*]: fixable)."""
    from ..suppressions import describe

    counts = Counter(d.code for r in results for d in r.diagnostics)
    fixable = {d.code for r in results for d in r.diagnostics if d.fixable}
    lines = []
    for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = describe(code)
        lines.append(f"{n:5d}  {code}  {'[*]' if code in fixable else '   '} {rule.name if rule else ''}".rstrip())
    return lines


def write(results: Sequence, stream: IO[str], options) -> None:
    color = options.color if options.color is not None else (hasattr(stream, "isatty") and stream.isatty())
    if color:
        _write_rich(results, stream, options)
    else:
        _write_plain(results, stream, options)


def _write_plain(results: Sequence, stream: IO[str], options) -> None:
    w = stream.write
    if not options.quiet:
        for result in results:
            for d in result.diagnostics:
                w(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}{' [*]' if d.fixable else ''}\n")
                if options.show_source and d.line in result.excerpts:
                    text, col = _excerpt(result.excerpts[d.line], d.column)
                    gutter = f"{d.line:>5} | "
                    w(f"{gutter}{text}\n{' ' * (len(gutter) - 2)}| {' ' * (col - 1)}^\n")
            if options.show_fixes:
                for d in result.fixed:
                    w(f"{d.path}:{d.line}:{d.column}: fixed {d.code} {d.message}\n")
    if options.statistics:
        for line in statistics_lines(results):
            w(line + "\n")
    w(summary_line(results) + "\n")


def _write_rich(results: Sequence, stream: IO[str], options) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=stream, highlight=False, soft_wrap=True)
    if not options.quiet:
        for result in results:
            if not result.diagnostics and not (options.show_fixes and result.fixed):
                continue
            console.print(f"[bold underline]{escape(result.path)}[/]")
            for d in result.diagnostics:
                sev = "red" if d.severity == "error" else "yellow"
                fix = " [cyan]\\[*][/]" if d.fixable else ""
                console.print(f"  [dim]{d.line}:{d.column}[/] [bold {sev}]{d.code}[/] {escape(d.message)}{fix}")
                if options.show_source and d.line in result.excerpts:
                    text, col = _excerpt(result.excerpts[d.line], d.column)
                    console.print(f"  [dim]{d.line:>5} |[/] {escape(text)}")
                    console.print(f"  [dim]      |[/] {' ' * (col - 1)}[bold {sev}]^[/]")
            if options.show_fixes:
                for d in result.fixed:
                    console.print(f"  [green]fixed[/] [dim]{d.line}:{d.column}[/] {d.code} {escape(d.message)}")
    if options.statistics:
        for line in statistics_lines(results):
            console.print(escape(line))
    console.print(f"[bold]{escape(summary_line(results))}[/]")
