"""The result cache: a note that has not changed is not checked again (as ruff does).

**What a result depends on**, and so what its entry must match to be used:

- the note's bytes, and its sidecar's bytes when one is found (when none is found, that
  each place ``sidecar.load_for`` looks still holds none: a sidecar added later counts);
- the effective config: a hash of every field of the frozen ``Config`` that applies to
  the file, so a config file further up, ``--select`` or ``--sidecar`` all count;
- the tool: notecheck's version, this cache's format, Python's version, and the stat
  data of notecheck's own source files and of the libraries whose answers reach a message
  (PyYAML, jsonschema, rapidfuzz, ftfy), so an upgrade or an edited checkout never serves
  another code's results; rules registered from outside the package count too;
- where it runs: the working directory, the path as given and as shown (paths in the
  output and in sidecar messages are relative to it).

**Where**: ``--cache-dir DIR``, else ``$NOTECHECK_CACHE_DIR``, else ``.notecheck_cache`` in
the project root: the folder of the config file found for the note, or the current
directory when there is none or it was named with ``--config`` (ruff's rule). Inside:
``.gitignore`` (``*``), ``CACHEDIR.TAG``, and ``<version>/<key>.json``: one entry per note,
config and working directory, named by a hash of those.

**Not reading unchanged notes** (git's index does the same): an entry records each
file's stat data (size, mtime_ns, ctime_ns, inode, device), taken *before* the file was
read, and the BLAKE2b hash of the bytes that were checked. A lookup stats the files and,
when the stat data are equal, does not open the note at all. Equal stat data prove
nothing for a file changed within ``RACY_NS`` of being read: a second write in the same
timestamp tick keeps the same mtime (git's "racily clean" entries), so such an entry is
marked racy and is trusted only after the file is hashed again. When the stat data differ
(``touch``, a checkout that rewrote the same bytes), the hash decides, and an entry that
still matches is rewritten with the new stat data, so the next run is stat-only again.

**Trust**: an entry is inert JSON (nothing runs on load), headed by the BLAKE2b hash of
its body. One that cannot be read, is truncated or altered, comes from another version or
format, names another file, config or folder, or holds a malformed field, is ignored and
the note is checked again; it is never partly used. A sidecar is hashed before the check
and stat'ed after it: a sidecar that changed meanwhile is not cached. Entries are written
to a temporary file renamed over the entry, so parallel workers (``-j``) and two runs at
once only ever read whole entries (the last writer wins). A folder that cannot be written
costs one warning, never the run.

**Who uses it**: ``check`` reads and writes it. ``fix`` only reads it, to skip a note whose
cached result holds no fix it would apply (safe ones; unsafe ones too with
``--unsafe-fixes``): such a note is left as it is and reported as ``check`` would, so a note
``fix`` must rewrite is always fixed (``fix --baseline`` does not read it: a cached result
holds every finding). Standard input (``-``) is never cached. The library API caches
nothing unless given a ``ResultCache``. ``notecheck clean`` removes what
notecheck wrote.
"""

from __future__ import annotations

import json
import os
import re
import stat as stat_mod
import sys
import time
from dataclasses import fields
from functools import lru_cache, partial
try:  # hashlib's own blake2b, without hashlib importing OpenSSL's _hashlib (~2 ms) on a cached run
    from _blake2 import blake2b
except ImportError:  # a Python built without it
    from hashlib import blake2b
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~5 ms) on a cached run
if TYPE_CHECKING:
    from typing import Any

from . import __version__
from .diagnostic import SAFE, UNSAFE, Diagnostic, Edit, Fix, _fast_builder

FORMAT = 1  # raise when the entry layout changes: older entries then read as foreign
CACHE_DIR_NAME = ".notecheck_cache"
ENV_CACHE_DIR = "NOTECHECK_CACHE_DIR"
# A file modified less than this before it was read may change again within the same
# timestamp tick (coarse kernel clocks, FAT's 2 s mtimes, a little clock skew).
RACY_NS = 2_000_000_000
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # a larger entry is neither written nor read
# A note with more findings is not stored: checking it again costs little beside them, and its
# entry, built in memory, near doubled the peak of a check (sizes.py's mojibake: 560 -> 340 MB/MB)
MAX_ENTRY_FINDINGS = 20_000
GITIGNORE = b"# Automatically created by notecheck.\n*\n"
CACHEDIR_TAG = (b"Signature: 8a477f597d28d172789f06886806bc55\n"
                b"# This file is a cache directory tag created by notecheck.\n"
                b"# For information about cache directory tags see https://bford.info/cachedir/\n")
_ENTRY_NAME = re.compile(r"[0-9a-f]{32}\.json")
_TEMP_NAME = re.compile(r"\.[0-9a-f]{32}\.json\.\d+\.\d+\.tmp")  # left by a run that was killed
_TOP_TEMP_NAME = re.compile(r"(\.gitignore|CACHEDIR\.TAG)\.\d+\.\d+\.tmp")
_CODE = re.compile(r"NC\d{3}")
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)


def _digest(data: bytes, size: int = 32) -> str:
    return blake2b(data, digest_size=size).hexdigest()


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def _racy(st: os.stat_result, t0: int) -> bool:
    """Changed so shortly before ``t0`` (when we began reading) that equal stat data prove nothing."""
    return max(st.st_mtime_ns, st.st_ctime_ns) > t0 - RACY_NS


def _stat(path: str) -> os.stat_result | None:
    """Stat data of a regular file (symlinks followed, as the check reads them), else None."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st if stat_mod.S_ISREG(st.st_mode) else None


def _read(path: str, limit: int | None = None) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read() if limit is None else fh.read(limit + 1)
    except (OSError, ValueError):
        return None


def _record(path: str, st: os.stat_result, data: bytes, t0: int) -> dict[str, Any]:
    return {"path": path, "stat": _stat_key(st), "hash": _digest(data), "racy": _racy(st, t0)}


# ------------------------------------------------------------------------ the tool's identity


def tool_fingerprint() -> str:
    """What, besides its inputs, decides a result: notecheck's code and what it relies on."""
    import importlib.util

    parts = [f"notecheck {__version__}", f"cache format {FORMAT}", sys.version]
    package = os.path.dirname(os.path.abspath(__file__))
    # the package's files, and the repository's schemas/ that schema.py falls back to
    folders = [package, os.path.join(os.path.dirname(os.path.dirname(package)), "schemas")]
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith((".py", ".json")):
                    st = _stat(os.path.join(dirpath, name))
                    if st is not None:
                        parts.append(f"{os.path.join(dirpath, name)} {st.st_size} {st.st_mtime_ns}")
    for module in ("yaml", "jsonschema", "rapidfuzz", "ftfy"):  # their answers reach the messages
        try:
            spec = importlib.util.find_spec(module)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec is not None else None
        st = _stat(origin) if origin else None
        parts.append(f"{module} {origin} {st.st_size if st else ''} {st.st_mtime_ns if st else ''}")
    # rules registered from outside the package (the library API, tests) change results too
    from .rules import REGISTRY

    for code, rule in sorted(REGISTRY.items()):
        module = getattr(rule.check, "__module__", "") or ""
        if not module.startswith(__package__ + ".rules."):
            parts.append(f"rule {code} {rule.name} {rule.severity} {rule.fix} {module}."
                         f"{getattr(rule.check, '__qualname__', '')}")
    return _digest("\n".join(parts).encode("utf-8", "surrogateescape"))


def config_key(config) -> str:
    """A stable hash of every field of a (frozen) Config."""
    values = [[f.name, getattr(config, f.name)] for f in fields(config)]
    return _digest(json.dumps(values, default=repr).encode("ascii"))


# ------------------------------------------------------------------------ encoding results


@lru_cache(maxsize=1)
def _diagnostic_fields() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Diagnostic))


def encode_result(result, shown: str) -> dict[str, Any] | None:
    """A FileResult as JSON data; None when it is not one the cache may hold."""
    names = _diagnostic_fields()
    rows = []
    for d in result.diagnostics:
        if d.path != shown:
            return None
        row = []
        for name in names:
            value = getattr(d, name)
            if name == "fix" and value is not None:
                value = [value.applicability, value.description,
                         [[e.start, e.end, e.content] for e in value.edits]]
            elif value is not None and type(value) not in (str, int, bool, float):
                return None  # a field this encoder does not know how to keep exactly
            row.append(value)
        rows.append(row)
    excerpts = [[line, text] for line, text in result.excerpts.items()]
    return {"fields": list(names), "diagnostics": rows, "excerpts": excerpts}


class _Malformed(Exception):
    pass


def _int(value: Any, minimum: int) -> int:
    if type(value) is not int or value < minimum:
        raise _Malformed
    return value


def _optional_int(value: Any, minimum: int) -> int | None:
    return None if value is None else _int(value, minimum)


def _str(value: Any) -> str:
    if type(value) is not str:
        raise _Malformed
    return value


# a cached run rebuilds every finding of the archive: built as the parser builds links (diagnostic._fast_builder)
_new_diagnostic, _new_fix, _new_edit = _fast_builder(Diagnostic), _fast_builder(Fix), _fast_builder(Edit)


def _fix(value: Any):
    if value is None:
        return None
    if type(value) is not list or len(value) != 3 or value[0] not in (SAFE, UNSAFE) or type(value[2]) is not list:
        raise _Malformed
    edits = []
    for edit in value[2]:
        if type(edit) is not list or len(edit) != 3:
            raise _Malformed
        start, end = _int(edit[0], 0), _int(edit[1], 0)
        if end < start:
            raise _Malformed
        edits.append(_new_edit(start, end, _str(edit[2])))
    return _new_fix(tuple(edits), value[0], _str(value[1]))


def _code(value: Any) -> str:
    if type(value) is not str or not _CODE.fullmatch(value):
        raise _Malformed
    return value


def _severity(value: Any) -> str:
    if value != "error" and value != "warning":
        raise _Malformed
    return value


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise _Malformed
    return value


def _scalar(value: Any) -> Any:
    """A field this module has no rule for (one added to Diagnostic later): a JSON scalar."""
    if value is not None and type(value) not in (str, int, bool, float):
        raise _Malformed
    return value


_CHECKS = {
    "path": _str,
    "line": lambda v: _int(v, 1),
    "column": lambda v: _int(v, 1),
    "code": _code,
    "severity": _severity,
    "message": _str,
    "fixable": _bool,
    "end_line": lambda v: _optional_int(v, 1),
    "end_column": lambda v: _optional_int(v, 1),
    "fix": _fix,
    "offset": lambda v: _optional_int(v, 0),
}


_ROW_FIELDS = ("path", "line", "column", "code", "severity", "message", "fixable", "end_line", "end_column",
               "fix", "offset")


def _row(row: list) -> list:
    """``[_CHECKS[name](value) ...]`` for a row of _ROW_FIELDS, the checks written out (a finding
    is decoded in a third of the time: a cached run rebuilds every finding of the archive)."""
    path, line, column, code, severity, message, fixable, end_line, end_column, fix, offset = row
    if (type(path) is not str or type(line) is not int or line < 1 or type(column) is not int or column < 1
            or type(code) is not str or (severity != "error" and severity != "warning") or type(message) is not str
            or type(fixable) is not bool or not _CODE.fullmatch(code)):
        raise _Malformed
    if end_line is not None and (type(end_line) is not int or end_line < 1):
        raise _Malformed
    if end_column is not None and (type(end_column) is not int or end_column < 1):
        raise _Malformed
    if offset is not None and (type(offset) is not int or offset < 0):
        raise _Malformed
    return [path, line, column, code, severity, message, fixable, end_line, end_column,
            None if fix is None else _fix(fix), offset]


def decode_result(data: Any, shown: str):
    """The FileResult ``encode_result`` wrote, rebuilt and checked field by field; None if malformed."""
    from .runner import FileResult

    names = _diagnostic_fields()
    checks = [_CHECKS.get(name, _scalar) for name in names]
    width = len(names)
    row_of = _row if names == _ROW_FIELDS else None  # Diagnostic's fields as _row knows them
    try:
        if type(data) is not dict or data.get("fields") != list(names):
            return None
        rows, excerpt_rows = data.get("diagnostics"), data.get("excerpts")
        if type(rows) is not list or type(excerpt_rows) is not list:
            return None
        diagnostics = []
        for row in rows:
            if type(row) is not list or len(row) != width:
                return None
            diagnostic = _new_diagnostic(*(row_of(row) if row_of is not None else
                                           [check(value) for check, value in zip(checks, row)]))
            if diagnostic.path != shown:
                return None
            diagnostics.append(diagnostic)
        excerpts: dict[int, str] = {}
        for item in excerpt_rows:
            if type(item) is not list or len(item) != 2:
                return None
            excerpts[_int(item[0], 1)] = _str(item[1])
    except (_Malformed, TypeError, ValueError):
        return None
    return FileResult(shown, diagnostics, excerpts)


# ------------------------------------------------------------------------ the cache


def _applies(fix, unsafe: bool) -> bool:
    from .fixer import _applicable  # the fixer's own test of whether it would apply a fix

    return _applicable(fix, unsafe)


class ResultCache:
    """One run's cache: where entries live, what they must match, and what to do on a miss.

    ``cache_dir``: one folder for every note (else each project root's .notecheck_cache);
    ``explicit_config``: the config was named with ``--config`` (the project root is then
    the current directory, as in ruff).
    """

    def __init__(self, cache_dir: str | None = None, *, explicit_config: bool = False) -> None:
        self.cwd = os.getcwd()
        self.cache_dir = os.path.abspath(cache_dir) if cache_dir else None
        self.explicit_config = explicit_config
        self.fix = False  # see for_fix
        self.unsafe = False
        self.tool = tool_fingerprint()
        self.unwritable: dict[str, str] = {}  # cache folder -> why it cannot be written
        self.warnings: list[str] = []
        self._config_keys: dict[int, tuple[Any, str]] = {}

    def for_fix(self, *, unsafe: bool) -> "ResultCache":
        """The view ``notecheck fix`` uses: it never writes the cache, and a cached result holding
        a fix that would apply (safe ones, and unsafe ones with ``unsafe``) is not used."""
        import copy

        view = copy.copy(self)
        view.fix, view.unsafe = True, unsafe
        return view

    def __getstate__(self) -> dict[str, Any]:  # sent to each worker: the memo stays home
        state = dict(self.__dict__)
        state["_config_keys"] = {}
        return state

    # -- where --------------------------------------------------------------------------
    def folder_for(self, config) -> str:
        if self.cache_dir is not None:
            return self.cache_dir
        return project_cache_dir(self.cwd if self.explicit_config else (config.root or self.cwd))

    def _config_key(self, config) -> str:
        memo = self._config_keys.get(id(config))
        if memo is None or memo[0] is not config:
            memo = self._config_keys[id(config)] = (config, config_key(config))
        return memo[1]

    def _entry(self, path: str, config, shown: str) -> tuple[str, list[str]]:
        """The entry's file and the key it must carry."""
        key = [self.cwd, path, shown, self._config_key(config)]
        name = _digest(json.dumps(key).encode("ascii"), 16) + ".json"
        return os.path.join(self.folder_for(config), __version__, name), key

    # -- reading ------------------------------------------------------------------------
    def lookup(self, path: str, config, shown: str):
        """The cached FileResult for this file, or None (not cached, stale, foreign or malformed)."""
        from .runner import STDIN

        if path == STDIN:
            return None
        try:
            return self._lookup(path, config, shown)
        except (OSError, ValueError, TypeError, KeyError, RecursionError):  # a cache never fails the run
            return None

    def _lookup(self, path: str, config, shown: str):
        entry_path, key = self._entry(path, config, shown)
        doc = read_entry(entry_path)
        if doc is None or doc.get("format") != FORMAT or doc.get("tool") != self.tool or doc.get("key") != key:
            return None
        note, sidecars = doc.get("note"), doc.get("sidecars")
        if type(note) is not dict or note.get("path") != path or type(note.get("hash")) is not str \
                or type(sidecars) is not list:
            return None
        t0 = time.time_ns()
        fresh = _verify(note, t0)
        if fresh is None:
            return None
        fresh_sidecars = []
        for dep in sidecars:
            checked = _verify(dep, t0)
            if checked is None:
                return None
            fresh_sidecars.append(checked)
        result = decode_result(doc.get("result"), shown)
        if result is None:
            return None
        if self.fix and any(_applies(d.fix, self.unsafe) for d in result.diagnostics):
            return None  # fix must run on this note
        if not self.fix and (fresh is not note or any(a is not b for a, b in zip(fresh_sidecars, sidecars))):
            # the stat data changed, the bytes did not: keep the entry stat-only for next time
            doc["note"], doc["sidecars"] = fresh, fresh_sidecars
            self._write(entry_path, doc)
        return result

    # -- writing ------------------------------------------------------------------------
    def worker(self, per_file, missing: list[tuple]):
        """What to run for the files the cache did not answer: ``per_file``, or check-and-store."""
        from .runner import STDIN, check_file

        if self.fix or per_file is not check_file:
            return per_file

        for folder in dict.fromkeys(self.folder_for(cfg) for path, cfg, _ in missing if path != STDIN):
            self._prepare(folder)
        return partial(check_and_store, self)

    def _prepare(self, folder: str) -> None:
        """Create the folder with its .gitignore and CACHEDIR.TAG; note (once) when it cannot be written."""
        try:
            os.makedirs(os.path.join(folder, __version__), exist_ok=True)
            for name, content in ((".gitignore", GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG)):
                _create_if_absent(os.path.join(folder, name), content)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self.unwritable[folder] = reason
            self.warnings.append(f"notecheck: warning: cannot write the cache in {folder}: {reason}; "
                                 "checking without it (--no-cache turns it off, --cache-dir moves it)")

    def store(self, path: str, config, shown: str, note: dict, sidecars: list, result) -> bool:
        folder = self.folder_for(config)
        if folder in self.unwritable or len(result.diagnostics) > MAX_ENTRY_FINDINGS:
            return False
        encoded = encode_result(result, shown)
        if encoded is None:
            return False
        entry_path, key = self._entry(path, config, shown)
        doc = {"format": FORMAT, "tool": self.tool, "key": key, "note": note, "sidecars": sidecars,
               "result": encoded}
        return self._write(entry_path, doc)

    @staticmethod
    def _write(entry_path: str, doc: dict) -> bool:
        body = json.dumps(doc, separators=(",", ":")).encode("ascii")
        if len(body) > MAX_ENTRY_BYTES:
            return False
        return write_atomic(entry_path, _digest(body).encode("ascii") + b"\n" + body)


def _verify(dep: Any, t0: int) -> dict | None:
    """``dep`` when the file it records is unchanged (a refreshed record if only its stat data moved), else None.

    A record without a hash says the path held no regular file: it must still hold none.
    """
    if type(dep) is not dict or type(dep.get("path")) is not str:
        return None
    st = _stat(dep["path"])
    if dep.get("hash") is None:
        return dep if st is None and dep.get("stat") is None else None
    if st is None:
        return None
    if dep.get("racy") is False and dep.get("stat") == _stat_key(st):
        return dep
    recorded = dep.get("stat")
    if type(recorded) is list and recorded and recorded[0] != st.st_size:
        return None  # another size: other bytes, whatever the hash (and a grown file is never read whole)
    data = _read(dep["path"])  # read after the stat above: the hash is at least as new as the stat
    if data is None or _digest(data) != dep["hash"]:
        return None
    fresh = _record(dep["path"], st, data, t0)
    return dep if fresh == dep else fresh


def _sidecar_records(path: str, note, config, t0: int) -> list[dict] | None:
    """Where the note's sidecar was looked for, as ``sidecar.load_for`` does: each candidate up to
    the first regular file, that one with its stat data and hash; None if it cannot be cached."""
    from . import sidecar
    from .config import DEFAULT_MAX_FILE_SIZE
    from .runner import read_capped

    if not getattr(config, "use_sidecar", True):
        return []
    records: list[dict] = []
    for cand in sidecar.candidate_paths(path, note, config):
        st = _stat(cand)
        if st is None:
            records.append({"path": cand, "stat": None, "hash": None})
            continue
        try:
            data, _size = read_capped(cand, getattr(config, "max_file_size", None) or DEFAULT_MAX_FILE_SIZE)
        except (OSError, ValueError):
            return None
        if data is None:
            return None  # refused unread by the check (max-file-size); not worth reading here
        records.append(_record(cand, st, data, t0))
        return records
    return records


def check_and_store(cache: ResultCache, path: str, config, shown: str):
    """``runner.check_file``, reading the note once so the bytes hashed are the bytes checked, then
    storing the result (never for standard input, an unreadable file or an internal error)."""
    from .note import parse_bytes
    from .runner import STDIN, check_file, check_parsed, read_bytes, unreadable_result

    if path == STDIN:
        return check_file(path, config, shown)
    t0 = time.time_ns()
    st = _stat(path)  # before the read: a later change then shows in the stat data
    data, error = read_bytes(path, config.max_file_size)
    if data is None:
        return unreadable_result(shown, error or "cannot read", config)
    note = parse_bytes(data, path)
    sidecars = _sidecar_records(path, note, config, t0)
    result = check_parsed(note, path, config, shown)
    if result.error is None and st is not None and sidecars is not None and all(
            (_stat(r["path"]) is None) if r["hash"] is None else _same_stat(r) for r in sidecars):
        try:
            cache.store(path, config, shown, _record(path, st, data, t0), sidecars, result)
        except (OSError, ValueError):  # a cache that cannot be written never fails the run
            pass
    return result


def _same_stat(record: dict) -> bool:
    """The sidecar hashed before the check is still the one on disk after it."""
    st = _stat(record["path"])
    return st is not None and _stat_key(st) == record["stat"]


# ------------------------------------------------------------------------ files


def read_entry(path: str) -> dict | None:
    """An entry's JSON body, when its header hash matches; None otherwise (never raises)."""
    try:
        fd = os.open(path, os.O_RDONLY | _O_NOFOLLOW | _O_BINARY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)
        if not stat_mod.S_ISREG(st.st_mode) or st.st_size > MAX_ENTRY_BYTES:
            return None
        chunks = []
        size = 0
        while size <= MAX_ENTRY_BYTES:
            chunk = os.read(fd, st.st_size + 1 - size if st.st_size >= size else 65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        blob = b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)
    head, newline, body = blob.partition(b"\n")
    if not newline or len(blob) > MAX_ENTRY_BYTES or head != _digest(body).encode("ascii"):
        return None
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return doc if type(doc) is dict else None


def write_atomic(path: str, data: bytes) -> bool:
    """Write ``path`` through a temporary file in its folder renamed over it; False if that failed."""
    try:
        replace_atomically(path, data)
    except OSError:
        return False
    return True


def replace_atomically(path: str, data: bytes, mode: int | None = None) -> None:
    """Write ``path`` through a temporary file in its folder renamed over it (never half-written);
    ``mode``: its permission bits (else 0o666 less the umask, as for any new file). Raises OSError."""
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_BINARY, 0o666)
    try:
        with open(fd, "wb") as fh:
            fh.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _create_if_absent(path: str, content: bytes) -> None:
    """Create ``path`` whole (never half-written, never over a file already there)."""
    if os.path.lexists(path):
        return
    tmp = f"{path}.{os.getpid()}.{time.monotonic_ns()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_BINARY, 0o666)
    try:
        with open(fd, "wb") as fh:
            fh.write(content)
        try:
            os.link(tmp, path)  # fails if another run made it meanwhile: theirs is as good
        except FileExistsError:
            pass
        except OSError:  # no hard links here (some network and FAT file systems)
            if not os.path.lexists(path):
                os.replace(tmp, path)
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


# ------------------------------------------------------------------------ finding and cleaning


def project_cache_dir(root: str) -> str:
    return os.path.join(root, CACHE_DIR_NAME)


def default_cache_dir(cache_dir: str | None = None) -> str | None:
    """``--cache-dir``, else ``$NOTECHECK_CACHE_DIR``, else None (the project root's folder)."""
    return cache_dir or os.environ.get(ENV_CACHE_DIR) or None


def folders_to_clean(cache_dir: str | None = None) -> list[str]:
    """The cache folders ``notecheck clean`` removes, from the current directory.

    With ``--cache-dir``/``$NOTECHECK_CACHE_DIR``: that folder. Otherwise the project
    root's (the folder of the config file found from here, else here) and, as ruff
    does, every ``.notecheck_cache`` folder below the current directory.
    """
    chosen = default_cache_dir(cache_dir)
    if chosen:
        return [os.path.abspath(chosen)]
    from .config import _find_in

    cwd = os.getcwd()
    found = _find_in(cwd)
    out = [project_cache_dir(os.path.dirname(found) if found else cwd)]
    for dirpath, dirnames, _ in os.walk(cwd):
        if CACHE_DIR_NAME in dirnames:
            out.append(os.path.join(dirpath, CACHE_DIR_NAME))
        dirnames[:] = sorted(d for d in dirnames if d not in (CACHE_DIR_NAME, ".git"))
    unique: dict[str, str] = {}
    for folder in out:
        if os.path.isdir(folder):
            unique.setdefault(os.path.realpath(folder), folder)
    return list(unique.values())


def remove(folder: str) -> tuple[int, int, list[str]]:
    """Remove what notecheck wrote in a cache folder: (files removed, bytes, paths kept).

    Only entries, their temporary files, and the .gitignore and CACHEDIR.TAG it wrote are
    removed, then the folders left empty: a cache folder pointed at a folder holding other
    files (``--cache-dir ~/.cache``) never loses them.
    """
    removed = size = 0
    kept: list[str] = []

    def unlink(path: str) -> None:
        nonlocal removed, size
        size += os.lstat(path).st_size
        os.unlink(path)
        removed += 1

    with os.scandir(folder) as entries:
        top = sorted(entries, key=lambda e: e.name)
    for entry in top:
        if entry.is_dir(follow_symlinks=False):
            with os.scandir(entry.path) as inner:
                for item in sorted(inner, key=lambda e: e.name):
                    if item.is_file(follow_symlinks=False) and (
                            _ENTRY_NAME.fullmatch(item.name) or _TEMP_NAME.fullmatch(item.name)):
                        unlink(item.path)
                    else:
                        kept.append(item.path)
            try:
                os.rmdir(entry.path)
            except OSError:
                pass
        elif entry.is_file(follow_symlinks=False) and (_TOP_TEMP_NAME.fullmatch(entry.name) or (
                entry.name, _read(entry.path, 4096)) in ((".gitignore", GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG))):
            unlink(entry.path)
        else:
            kept.append(entry.path)
    try:
        os.rmdir(folder)
    except OSError:
        pass
    return removed, size, kept
