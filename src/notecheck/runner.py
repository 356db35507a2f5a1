"""From paths to results: find note files, read them, check each one.

Every path is treated as a path (a file named ``-x.md`` is a file); only the argument
``-`` alone means standard input.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~5 ms) on a cached run
if TYPE_CHECKING:
    from typing import Iterable, Iterator

from . import config as config_mod
from .config import Config
from .diagnostic import Diagnostic

if TYPE_CHECKING:
    from .note import Note

STDIN = "-"
NO_SUCH_FILE = "no such file or directory"  # a path error the library raises as FileNotFoundError


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
    stdin_rest: bool = False  # fix of stdin over max-file-size: print the rest of stdin after .output


@dataclass
class PathError:
    path: str
    message: str


def iter_note_files(paths: Iterable[str]) -> Iterator[str | PathError]:
    """Expand arguments into note files: files as given, folders searched for ``*.md``.

    A folder walk skips what git ignores, hidden folders, node_modules, virtual
    environments and README.md-like files (see ``discovery``). Symlinked folders are not
    followed (no loops, nothing outside the tree); symlinked files inside a folder are
    followed only when they resolve inside that folder.
    """
    seen: set[str] = set()
    for arg in paths:
        if arg == STDIN:
            yield STDIN
            continue
        p = Path(arg)
        if p.is_dir():
            # imported only for a folder walk: discovery brings subprocess (git), ~2.5 ms of start-up
            from .discovery import GitFilter, is_non_note_file, is_skipped_folder

            root = p.resolve()
            found: list[str] = []
            unreadable: list[PathError] = []

            def onerror(exc: OSError) -> None:
                # a folder we may not list: say so, and go on with the rest of the tree
                unreadable.append(PathError(exc.filename or arg, f"cannot read directory: {exc.strerror or exc}"))

            git = GitFilter(str(p))
            for dirpath, dirnames, filenames in os.walk(p, followlinks=False, onerror=onerror):
                dirnames[:] = sorted(d for d in dirnames
                                     if not is_skipped_folder(dirpath, d) and git.keep_folder(dirpath, d))
                real_dir = None  # the folder's real path, worked out for its first note
                for name in filenames:
                    if not name.lower().endswith(".md") or is_non_note_file(name) or not git.keep_file(dirpath, name):
                        continue
                    full = os.path.join(dirpath, name)
                    if os.path.islink(full):
                        # followed only when it lands on a file inside the tree (no escapes, no loops)
                        try:
                            Path(full).resolve(strict=True).relative_to(root)
                        except (OSError, ValueError, RuntimeError):
                            continue
                        key = os.path.realpath(full)
                    else:  # not a link: its real path is its folder's and its name (one walk up a folder)
                        if real_dir is None:
                            real_dir = os.path.realpath(dirpath)
                        key = os.path.join(real_dir, name)
                    if not os.path.isfile(full):
                        continue  # a FIFO, socket or device named *.md: never opened
                    found.append((full, key))
            yield from unreadable
            for full, key in sorted(found):  # exclusion is per file's config, in run_files
                if key not in seen:
                    seen.add(key)
                    yield full
        elif p.exists() or p.is_symlink():
            # a file named explicitly is checked whatever its suffix (like ruff)
            if p.exists() and not p.is_file():
                yield PathError(arg, "not a regular file (a FIFO, socket or device is never read)")
                continue
            key = os.path.realpath(arg)
            if key not in seen:
                seen.add(key)
                yield arg
        else:
            yield PathError(arg, NO_SUCH_FILE)


def read_bytes(path: str, limit: int | None = None) -> tuple[bytes | None, str | None]:
    """The bytes of a file (or of stdin for ``-``); (None, message) when it cannot be read
    or is larger than ``limit`` bytes (then no more than ``limit + 1`` bytes are read)."""
    data, error, _ = read_limited(path, limit)
    return data, error


def read_limited(path: str, limit: int | None) -> tuple[bytes | None, str | None, bytes]:
    """``read_bytes``, and the bytes read of standard input when it is over the limit (fix - prints them)."""
    try:
        if path == STDIN:
            data = sys.stdin.buffer.read() if limit is None else sys.stdin.buffer.read(limit + 1)
            if limit is not None and len(data) > limit:  # never more: `check - < /dev/zero` ends here
                return None, _too_large(None, limit), data
            return data, None, b""
        if limit is None:
            with open(path, "rb") as fh:
                return fh.read(), None, b""
        data, size = read_capped(path, limit)
        if data is None:
            return None, _too_large(size, limit), b""
        return data, None, b""
    except IsADirectoryError:
        return None, "is a directory", b""
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}", b""


def read_capped(path: str, limit: int) -> tuple[bytes | None, int]:
    """(the file's bytes, its size); (None, its size) when it is larger than ``limit`` bytes or
    grew past it while read: no more than ``limit + 1`` bytes are read. Raises OSError."""
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        data = b""
        if size <= limit:
            # the bytes fh.read(limit + 1) gives, without a buffer of limit + 1 bytes made for each file
            # (16 MB: 0.5 CPU ms per MB of notes): its size and a byte more, the rest only if it grew
            data = fh.read(size + 1)
            if len(data) > size:
                data += fh.read(limit + 1 - len(data))
    if size > limit or len(data) > limit:
        return None, max(size, len(data))
    return data, size


_NOT_CHECKED = "not checked: "


def _too_large(size: int | None, limit: int) -> str:
    from .config import format_size

    what = f"{size:,} bytes, larger than" if size is not None else "more than"
    where = "" if size is not None else " on standard input"
    return (f"{_NOT_CHECKED}{what} max-file-size ({format_size(limit)}){where}; "
            "raise max-file-size in the config or with --max-file-size")


def read_note(path: str, limit: int | None = None) -> tuple[Note | None, str | None]:
    """Read and parse one file; (None, message) when it cannot be read at all (or is over ``limit`` bytes)."""
    from .note import parse_bytes  # here: a run answered from the cache parses nothing

    data, error = read_bytes(path, limit)
    return (None, error) if data is None else (parse_bytes(data, path), None)


def load_sidecar(path: str | None, note: Note, config: Config):
    """The sidecar for a note, or None (see notecheck.sidecar)."""
    from . import sidecar

    return sidecar.load_for(path, note, config)


def unreadable_result(shown: str, message: str, config: Config | None = None) -> FileResult:
    """An NC001 finding for a file that exists but cannot be read: reported, and the run goes on."""
    if message == "is a directory":
        return FileResult(shown, error=message)
    if config is not None and not config.is_enabled("NC001", shown):
        return FileResult(shown)
    severity = config.severity_of("NC001", "error") if config is not None else "error"
    if not message.startswith(_NOT_CHECKED):
        message = f"{message} (the file was not checked)"
    diag = Diagnostic(shown, 1, 1, "NC001", severity, message, False, offset=0)
    return FileResult(shown, [diag])


def check_file(path: str, config: Config | None = None, display_path: str | None = None) -> FileResult:
    shown = display_path or path
    if config is None:
        config = config_mod.discover(path if path != STDIN else ".")
    note, error = read_note(path, config.max_file_size)
    if note is None:
        return unreadable_result(shown, error or "cannot read", config)
    return check_parsed(note, path, config, shown)


def check_parsed(note: Note, path: str, config: Config, shown: str) -> FileResult:
    """Check a note already read from ``path`` (its sidecar is looked for beside it), reported as ``shown``."""
    from . import engine

    try:
        sidecar = load_sidecar(None if path == STDIN else path, note, config)
        diagnostics = engine.check_note(note, config, shown, sidecar=sidecar)
    except Exception as exc:  # a bug in a rule must not end the run over the other files
        return FileResult(shown, error=internal_error(exc))
    return FileResult(shown, diagnostics, excerpts_for(note, diagnostics))


def internal_error(exc: BaseException) -> str:
    """A one-line description of an unexpected exception, with where it was raised."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"internal error (please report it): {type(exc).__name__}: {exc}{where}"


def excerpts_for(note: Note, diagnostics: list[Diagnostic]) -> dict[int, str]:
    # each line once: thousands of findings on one long line must not copy it thousands of times
    # (engine.line_texts: read around the findings, without building the note's table of line starts)
    from .engine import line_texts

    return line_texts(note, diagnostics)


# Below this many files a process pool costs more than it saves (fork + pickling ~10 ms).
PARALLEL_MIN_FILES = 16


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(jobs: int | None, files: int) -> int:
    """Processes to use: ``jobs`` when given (>0), else one per core when there are many files."""
    if files <= 1:
        return 1
    if jobs is not None and jobs > 0:
        return min(jobs, files)
    if files < PARALLEL_MIN_FILES:
        return 1
    return max(1, min(available_cores(), files // (PARALLEL_MIN_FILES // 2)))


CHUNK_MAX = 16  # tasks a worker takes at once: fewer round trips, but a coarser share at the end


def _star(func, args):
    return func(*args)


def parallel_map(func, tasks: list[tuple], workers: int, costs: list[int] | None = None) -> list:
    """``[func(*t) for t in tasks]``, spread over ``workers`` processes; results in task order.

    ``costs``: a rough cost of each task (a file's size). The costliest tasks are handed out
    first and in small chunks, so no worker is left with a long one while the others idle.
    Falls back to one process when a pool cannot be started (no fork, no semaphores).
    """
    if workers <= 1 or len(tasks) <= 1:
        return [func(*t) for t in tasks]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from functools import partial

    from .rules import all_rules

    all_rules()  # import every rule module once, before forking
    from .frontmatter_yaml import _loader

    _loader()  # and PyYAML (imported on first use), which every worker needs
    import threading

    # fork is fastest (the workers inherit the loaded rules) but unsafe once threads run
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        ctx = multiprocessing.get_context("fork")
    else:
        ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    order = sorted(range(len(tasks)), key=lambda i: -costs[i]) if costs is not None else range(len(tasks))
    chunksize = max(1, min(CHUNK_MAX, len(tasks) // (workers * 8)))
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            done = pool.map(partial(_star, func), [tasks[i] for i in order], chunksize=chunksize)
            results: list = [None] * len(tasks)
            for i, result in zip(order, done):
                results[i] = result
            return results
    except (OSError, BrokenProcessPool, NotImplementedError):
        return [func(*t) for t in tasks]


def run_files(paths: Iterable[str], resolver: "config_mod.Resolver", per_file, *,
              stdin_filename: str | None = None, jobs: int | None = 1, cache=None) -> list[FileResult]:
    """Expand ``paths`` and run ``per_file(path, config, shown) -> FileResult`` on every file.

    Path problems become FileResults with ``.error``; files run in parallel across
    ``jobs`` processes (None/0: one per core when there are many files); the results
    keep the deterministic discovery order whatever the number of processes.
    ``per_file`` must be picklable (a module-level function or a partial of one).
    ``cache``: a ``cache.ResultCache``; the files it still holds a result for are not run.
    """
    paths = list(paths)
    slots: list[FileResult | tuple[str, Config, str]] = []
    for item in iter_note_files(paths):
        if isinstance(item, PathError):
            slots.append(FileResult(item.path, error=item.message))
            continue
        cfg = resolver(stdin_filename if item == STDIN and stdin_filename else item)
        # a file named on the command line is checked even when excluded, unless --force-exclude
        # (then also a --stdin-filename, and the walk's own skips: README.md, hidden folders, ...)
        if item == STDIN:
            if stdin_filename and cfg.force_exclude and _force_excluded(stdin_filename, cfg):
                continue
        elif cfg.is_excluded(item) and (item not in paths or cfg.force_exclude):
            continue
        elif item in paths and cfg.force_exclude and _force_excluded(item, cfg):
            continue
        shown = (stdin_filename or "-") if item == STDIN else display_path(item)
        slots.append((item, cfg, shown))
    tasks = [s for s in slots if isinstance(s, tuple)]
    known: dict[int, FileResult] = {}
    if cache is not None:  # looked up here, before any worker starts: an unchanged archive needs none
        for i, task in enumerate(tasks):
            hit = cache.lookup(*task)
            if hit is not None:
                known[i] = hit
    todo = [t for i, t in enumerate(tasks) if i not in known]
    if cache is not None:
        per_file = cache.worker(per_file, todo)
    workers = 1 if any(t[0] == STDIN for t in todo) else worker_count(jobs, len(todo))
    computed = iter(parallel_map(per_file, todo, workers, [_size(t[0]) for t in todo] if workers > 1 else None))
    done = iter([known[i] if i in known else next(computed) for i in range(len(tasks))])
    return [s if isinstance(s, FileResult) else next(done) for s in slots]


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except (OSError, ValueError, TypeError):
        return 0


def _force_excluded(path: str, cfg: Config) -> bool:
    from .discovery import is_skipped_by_default

    return cfg.is_excluded(path) or is_skipped_by_default(path)


def display_path(path: str) -> str:
    """A path as reports show it: as given, without a leading ``./`` (``./notes/a.md`` -> ``notes/a.md``)."""
    while path.startswith("./") and len(path) > 2:
        path = path[2:].lstrip("/")
    return path


def check_paths(paths: Iterable[str], config: "Config | config_mod.Resolver | None" = None, *,
                stdin_filename: str | None = None, jobs: int | None = 1, cache=None) -> list[FileResult]:
    """Check every note under ``paths``; one result per file, in a deterministic order.

    ``config`` is one Config for every file, a Resolver (config per folder), or None
    (the nearest config file of each path). ``jobs``: processes to use (None or 0: one
    per core when there are many files). ``cache``: a ``cache.ResultCache`` (the command
    line's; the library API caches nothing unless given one).
    """
    resolver = config if isinstance(config, config_mod.Resolver) else config_mod.Resolver(explicit=config)
    return run_files(paths, resolver, check_file, stdin_filename=stdin_filename, jobs=jobs, cache=cache)
