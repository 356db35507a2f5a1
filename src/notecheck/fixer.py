"""Apply fixes: edits on offsets of the original text, to a fixed point, written atomically.

Contract used by the CLI (to be implemented):
  fix_text(text, config=None, unsafe=False) -> FixResult(text, applied, remaining)
  fix_paths(paths, resolver, *, unsafe, diff_only, stdin_filename, jobs) -> list[FileResult]
     FileResult.fixed = applied diagnostics, .diagnostics = remaining, .changed,
     .diff (unified diff text when diff_only), .output (fixed text, for stdin '-')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostic import Diagnostic


@dataclass
class FixResult:
    text: str
    applied: list[Diagnostic] = field(default_factory=list)
    remaining: list[Diagnostic] = field(default_factory=list)


def fix_text(text, config=None, unsafe=False):  # pragma: no cover - placeholder until the fixer lands
    raise NotImplementedError("notecheck fix is not implemented yet")


def fix_paths(paths, resolver, *, unsafe=False, diff_only=False, stdin_filename=None, jobs=None):  # pragma: no cover
    raise NotImplementedError("notecheck fix is not implemented yet")
