"""From paths to results: find note files, read them, check each one.

Every path is treated as a path (a file named ``-x.md`` is a file); only the argument
``-`` alone means standard input.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from . import config as config_mod
from .config import Config
from .diagnostic import Diagnostic
from .engine import check_note
from .note import Note, parse_bytes

STDIN = "-"


@dataclass
class FileResult:
    """The outcome for one file: its diagnostics and the source lines they point at."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    excerpts: dict[int, str] = field(default_factory=dict)  # line -> text, for the text output
    error: str | None = None  # a problem with the path itself (missing, unreadable)
    fixed: list[Diagnostic] = field(default_factory=list)  # filled by the fixer
    changed: bool = False
    diff: str | None = None  # fix --diff: the unified diff of what fix would change
    output: bytes | None = None  # fix of stdin ('-'): the bytes to print (fixed note or input as is)


@dataclass
class PathError:
    path: str
    message: str


def iter_note_files(paths: Iterable[str], config: Config | None = None) -> Iterator[str | PathError]:
    """Expand arguments into note files: files as given, folders searched for ``*.md``.

    Symlinked folders are not followed (no loops, nothing outside the tree); symlinked
    files inside a folder are followed only when they resolve inside that folder.
    """
    seen: set[str] = set()
    for arg in paths:
        if arg == STDIN:
            yield STDIN
            continue
        p = Path(arg)
        if p.is_dir():
            root = p.resolve()
            found: list[str] = []
            for dirpath, dirnames, filenames in os.walk(p, followlinks=False, onerror=None):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in filenames:
                    if not name.lower().endswith(".md"):
                        continue
                    full = os.path.join(dirpath, name)
                    if os.path.islink(full):
                        try:
                            Path(full).resolve(strict=True).relative_to(root)
                        except (OSError, ValueError, RuntimeError):
                            continue
                    found.append(full)
            for full in sorted(found):
                if config is not None and config.is_excluded(full):
                    continue
                key = os.path.realpath(full)
                if key not in seen:
                    seen.add(key)
                    yield full
        elif p.exists() or p.is_symlink():
            key = os.path.realpath(arg)
            if key not in seen:
                seen.add(key)
                yield arg
        else:
            yield PathError(arg, "no such file or directory")


def read_note(path: str) -> tuple[Note | None, str | None]:
    """Read and parse one file; (None, message) when it cannot be read at all."""
    try:
        if path == STDIN:
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as fh:
                data = fh.read()
    except IsADirectoryError:
        return None, "is a directory"
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    return parse_bytes(data, path), None


def load_sidecar(path: str | None, note: Note, config: Config):
    """The sidecar for a note, or None (see notecheck.sidecar)."""
    from . import sidecar

    return sidecar.load_for(path, note, config)


def check_file(path: str, config: Config | None = None, display_path: str | None = None) -> FileResult:
    shown = display_path or path
    if config is None:
        config = config_mod.discover(path if path != STDIN else ".")
    note, error = read_note(path)
    if note is None:
        return FileResult(shown, error=error)
    sidecar = load_sidecar(None if path == STDIN else path, note, config)
    diagnostics = check_note(note, config, shown, sidecar=sidecar)
    return FileResult(shown, diagnostics, excerpts_for(note, diagnostics))


def excerpts_for(note: Note, diagnostics: list[Diagnostic]) -> dict[int, str]:
    return {d.line: note.line_text(d.line) for d in diagnostics}


def check_paths(paths: Iterable[str], config: "Config | config_mod.Resolver | None" = None, *,
                stdin_filename: str | None = None, jobs: int | None = 1) -> list[FileResult]:
    """Check every note under ``paths``; one result per file, in a deterministic order.

    ``config`` is one Config for every file, a Resolver (config per folder), or None
    (the nearest config file of each path).
    """
    resolver = config if isinstance(config, config_mod.Resolver) else config_mod.Resolver(explicit=config)
    results: list[FileResult] = []
    for item in iter_note_files(paths):
        if isinstance(item, PathError):
            results.append(FileResult(item.path, error=item.message))
            continue
        cfg = resolver(stdin_filename if item == STDIN and stdin_filename else item)
        if item != STDIN and cfg.is_excluded(item) and item not in paths:
            continue
        shown = (stdin_filename or "-") if item == STDIN else item
        results.append(check_file(item, cfg, shown))
    return results
