"""notecheck: lint and auto-fix structured video notes.

Library API (used by the CLI itself)::

    notecheck.parse(text) -> Note
    notecheck.check_text(text, path=None, config=None) -> list[Diagnostic]
    notecheck.fix_text(text, config=None, unsafe=False) -> FixResult(text, applied, remaining)
    notecheck.check_paths(paths, config=None) -> list[Diagnostic]
"""

from __future__ import annotations

from typing import Iterable

__version__ = "0.1.0"

from .config import Config, ConfigError  # noqa: E402
from .diagnostic import Diagnostic, Edit, Finding, Fix  # noqa: E402
from .note import Note, parse  # noqa: E402

__all__ = [
    "Config",
    "ConfigError",
    "Diagnostic",
    "Edit",
    "Finding",
    "Fix",
    "FixResult",
    "Note",
    "check_paths",
    "check_text",
    "fix_text",
    "parse",
]


def check_text(text: str, path: str | None = None, config: Config | None = None, *, sidecar=None) -> list[Diagnostic]:
    """Check one note given as text; diagnostics sorted by position."""
    from .engine import check_note

    return check_note(parse(text, path=path), config, path, sidecar=sidecar)


def check_paths(paths: Iterable[str], config: Config | None = None) -> list[Diagnostic]:
    """Check files and folders; every diagnostic of every note, in path order."""
    from .runner import check_paths as _check_paths

    return [d for result in _check_paths(list(paths), config) for d in result.diagnostics]


def __getattr__(name: str):
    # fix_text/FixResult live in the fixer, imported only when used
    if name in ("fix_text", "FixResult"):
        from . import fixer

        return getattr(fixer, name)
    raise AttributeError(name)
