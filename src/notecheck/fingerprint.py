"""A finding's fingerprint: what it is about, not where it is.

``fingerprint(diagnostic, line_text)`` hashes the rule code, the offending text (the
diagnostic's source span: from its column to its end column, or to the end of the line
when the span runs on) and, as context, the whole line the span starts on, with runs of
whitespace made one space. The line number, the path and the message are left out, so
lines added or removed above a finding, or a line ending changed, leave it the same; the
message is left out because some messages quote other places (``first at line 12``, the
closest transcript passage). Editing the offending line itself gives a new fingerprint.

Two findings with the same code on identical lines of one file (the same link cited
twice) share a fingerprint: a baseline counts them (see ``baseline.py``), and the GitLab
report makes them unique by their order in the file.
"""

from __future__ import annotations

import hashlib

VERSION = 1  # bump when the recipe changes: older baselines then no longer match


def offending_text(diag, line_text: str) -> str:
    """The part of the finding's first line that its span covers."""
    start = max(0, diag.column - 1)
    if diag.end_line == diag.line and diag.end_column is not None:
        return line_text[start:max(start, diag.end_column - 1)]
    if diag.end_line is not None and diag.end_line > diag.line:
        return line_text[start:]
    return ""  # a point finding: its line is the context


def fingerprint(diag, line_text: str) -> str:
    """16 hex digits: sha256 of code, offending text and the line around it."""
    span = " ".join(offending_text(diag, line_text).split())
    context = " ".join(line_text.split())
    data = f"{diag.code}\0{span}\0{context}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:16]


def fingerprints(result) -> list[str]:
    """The fingerprint of each diagnostic of a runner.FileResult, in order (its excerpts hold the lines)."""
    return [fingerprint(d, result.excerpts.get(d.line, "")) for d in result.diagnostics]
