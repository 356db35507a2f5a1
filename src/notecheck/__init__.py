"""notecheck: lint and auto-fix structured video notes.

Library API (used by the CLI itself)::

    notecheck.parse(text) -> Note
    notecheck.check_text(text, path=None, config=None) -> list[Diagnostic]
    notecheck.fix_text(text, config=None, unsafe=False) -> FixResult(text, applied, remaining)
    notecheck.check_paths(paths, config=None) -> list[Diagnostic]   (one path or many)
"""

from __future__ import annotations

import os
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~5 ms) on a cached run
if TYPE_CHECKING:
    from typing import Iterable, Union

__version__ = "0.2.0"

from .config import Config, ConfigError  # noqa: E402
from .diagnostic import Diagnostic, Edit, Finding, Fix  # noqa: E402

if TYPE_CHECKING:  # what type checkers read; at run time imported on first use (below)
    from .fixer import FixResult, fix_text
    from .note import Note, parse

# The parser (~10 ms to import: its dataclasses and patterns) and the fixer are imported
# when first asked for (PEP 562): a run answered from the cache reads no note.
_ON_FIRST_USE = {"Note": "note", "parse": "note", "FixResult": "fixer", "fix_text": "fixer"}


def __getattr__(name: str) -> object:
    module = _ON_FIRST_USE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # the plain attribute from now on
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_ON_FIRST_USE))

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


def check_text(text: str, path: str | None = None, config: Config | None = None, *,
               sidecar=None) -> list[Diagnostic]:
    """Check one note given as text; diagnostics sorted by position."""
    from .engine import check_note
    from .note import parse

    return check_note(parse(text, path=path), config, path, sidecar=sidecar)


if TYPE_CHECKING:
    PathArg = Union[str, "os.PathLike[str]"]


def check_paths(paths: PathArg | Iterable[PathArg], config: Config | None = None) -> list[Diagnostic]:
    """Check files and folders (one path or many); every diagnostic of every note, in path order.

    Folders are walked as by ``notecheck check`` (every ``*.md`` below, minus what git
    ignores and the usual non-note files). A path that does not exist raises
    ``FileNotFoundError``; another path problem (a folder that cannot be listed, a
    FIFO) raises ``OSError``. A file that cannot be read or decoded is an NC001 finding.
    """
    import errno

    from .runner import NO_SUCH_FILE
    from .runner import check_paths as _check_paths

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    names = [os.fspath(p) for p in paths]
    out: list[Diagnostic] = []
    for result in _check_paths(names, config):
        if result.error is not None:
            if result.error == NO_SUCH_FILE:
                raise FileNotFoundError(errno.ENOENT, "No such file or directory", result.path)
            raise OSError(f"{result.path}: {result.error}")
        out.extend(result.diagnostics)
    return out
