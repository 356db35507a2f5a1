"""Configuration: ``[tool.notecheck]`` in pyproject.toml or ``.notecheck.toml``.

Found by walking up from the checked path; ``--config FILE`` overrides. Every key is
declared once in ``OPTIONS`` with its type; unknown keys and bad values raise
``ConfigError`` naming the key (the CLI turns that into exit code 2).
"""

from __future__ import annotations

import fnmatch
import functools
import math
import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~5 ms) on a cached run
if TYPE_CHECKING:
    from typing import Any

DEFAULT_REQUIRED_SECTIONS = ("Summary", "Highlights", "Key Points", "Transcript")
# Notes and sidecars larger than this are not read (NC001 / NC604). Real notes reach 320 KB,
# real sidecars a few MB; every stage is linear, so this bounds time and memory per file.
DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024
_CODE_PREFIX_RE = re.compile(r"NC\d{0,3}|ALL", re.I)


class ConfigError(ValueError):
    """A configuration problem a user must correct (bad key, bad value, unreadable file)."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ("NC",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    required_sections: tuple[str, ...] = DEFAULT_REQUIRED_SECTIONS
    clip_seconds: tuple[float, float] = (5.0, 600.0)
    clip_lead_seconds: float = 60.0  # NC403: how far before the quoted words a clip may start
    label_style: str = "auto"  # "auto", "hms" (1:05:00) or "minutes" (65:00)
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    force_exclude: bool = False  # apply exclude to files named on the command line too (pre-commit)
    sidecar: str | None = None  # a folder holding <video_id>.json sidecars
    use_sidecar: bool = True
    quote_similarity: float = 0.8  # NC501: below this an error, at or above a warning
    quote_match: str = "clean"  # "clean": disfluencies are not differences (SPEC §2 Quotes); "strict"
    report_unused_suppressions: bool = False  # --report-unused-suppressions: NC009 (see suppressions.py)
    severity: tuple[tuple[str, str], ...] = ()  # [tool.notecheck.severity]: (code or prefix, "error"/"warning")
    max_file_size: int = DEFAULT_MAX_FILE_SIZE  # bytes: a larger note is NC001, a larger sidecar NC604
    source: str | None = None  # the file it was read from
    root: str | None = None  # the folder of that file: per-file-ignores/exclude are relative to it

    def __post_init__(self) -> None:
        # Config(...) built by hand is validated as the config file is (select="NC3" is one code);
        # a field still holding its default object is skipped, so Config() and replace() stay cheap
        if self.sidecar is False:  # as in the file: sidecar = false turns sidecars off
            object.__setattr__(self, "use_sidecar", False)
        for name, (_key, convert) in _FIELD_CHECKS.items():
            value = getattr(self, name)
            if value is _DEFAULTS[name]:
                continue
            converted = convert(name, value)
            if converted is not value:
                object.__setattr__(self, name, converted)

    def severity_of(self, code: str, default: str) -> str:
        """The severity ``[tool.notecheck.severity]`` gives ``code`` (longest prefix wins), else ``default``."""
        best, found = -1, default
        for prefix, level in self.severity:
            if len(prefix) > best and _matches(code, prefix):
                best, found = len(prefix), level
        return found

    # -- selection ----------------------------------------------------------------------
    def is_enabled(self, code: str, path: str | None = None) -> bool:
        """Longest matching prefix wins between select (+extend-select) and ignore."""
        code = code.upper()
        best_sel = max((len(p) for p in (*self.select, *self.extend_select) if _matches(code, p)), default=-1)
        best_ign = max((len(p) for p in self.ignore if _matches(code, p)), default=-1)
        if best_sel < 0 or best_ign >= best_sel:
            return False
        return not self.ignored_for_file(code, path)

    def ignored_for_file(self, code: str, path: str | None) -> bool:
        """True when a per-file-ignores glob matching ``path`` names ``code`` (or a prefix of it)."""
        if path is None or not self.per_file_ignores:
            return False
        rel = self._relative(path)
        return any(_glob(rel, pattern) and any(_matches(code, c) for c in codes)
                   for pattern, codes in self.per_file_ignores)

    def is_excluded(self, path: str) -> bool:
        if not self.exclude:
            return False
        rel = self._relative(path)
        parts = Path(rel).parts
        absolute = None
        for pat in self.exclude:
            pat = pat.rstrip("/") or pat  # "drafts/" names the folder
            if os.path.isabs(pat):  # --exclude/--extend-exclude globs, anchored at the working directory
                if absolute is None:
                    absolute = _absolute(path)
                if fnmatch.fnmatch(absolute, pat) or fnmatch.fnmatch(absolute, pat + "/*"):
                    return True
                continue
            if _glob(rel, pat) or any(fnmatch.fnmatch(p, pat) for p in parts):
                return True
        return False

    def _relative(self, path: str) -> str:
        """``path`` relative to the config file's folder (``../x.md`` when outside it), as globs see it."""
        p = Path(path)
        if self.root is not None:
            try:
                return Path(os.path.relpath(p.resolve(), Path(self.root).resolve())).as_posix()
            except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
                pass
        return p.as_posix()


def _matches(code: str, prefix: str) -> bool:
    prefix = prefix.upper()
    return prefix == "ALL" or code.startswith(prefix)


def _absolute(path: str) -> str:
    try:
        return Path(os.path.abspath(path)).as_posix()
    except (ValueError, OSError):
        return Path(path).as_posix()


def _glob(rel: str, pattern: str) -> bool:
    return fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(Path(rel).name, pattern)


# ------------------------------------------------------------------------ option parsing


def _codes(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if isinstance(value, tuple):
        value = list(value)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{key}: expected a list of rule codes or prefixes such as [\"NC3\", \"NC501\"]")
    out = []
    for v in value:
        v = v.strip().upper()
        if not _CODE_PREFIX_RE.fullmatch(v):
            raise ConfigError(f"{key}: {v!r} is not a rule code or prefix (NC, NC3, NC30, NC301, ALL)")
        if not _names_a_rule(v):
            raise ConfigError(f"{key}: {v!r} matches no rule ('notecheck rules' lists them)")
        out.append(v)
    return tuple(out)


def _names_a_rule(prefix: str) -> bool:
    """A typo such as NC3011 or NC999 must not silently select or ignore nothing."""
    if prefix in ("ALL", "NC"):
        return True
    from .rules import BUILTIN_CODES, REGISTRY, UNUSED_SUPPRESSION, all_rules

    # the built-in codes and those registered so far, without importing a rule module; then every rule
    if any(code.startswith(prefix) for code in (*BUILTIN_CODES, *REGISTRY, UNUSED_SUPPRESSION)):
        return True
    return any(r.code.startswith(prefix) for r in all_rules())


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{key}: expected true or false, got {value!r}")
    return value


def _strings(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{key}: expected a list of non-empty strings")
    return tuple(value)


def _number(key: str, value: Any, *, minimum: float = 0.0) -> float:
    if isinstance(value, float) and not math.isfinite(value):  # TOML has nan and inf; nan compares false with all
        raise ConfigError(f"{key}: expected a finite number, got {value!r}")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise ConfigError(f"{key}: expected a number >= {minimum:g}, got {value!r}")
    return float(value)


def _clip_seconds(key: str, value: Any) -> tuple[float, float]:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ConfigError(f"{key}: expected [min, max] seconds, e.g. [5, 600]")
    lo, hi = (_number(key, v) for v in value)
    if lo > hi:
        raise ConfigError(f"{key}: min {lo:g} is larger than max {hi:g}")
    return lo, hi


def _pairs(value: Any) -> Any:
    """A dict, or the tuple of (key, value) pairs a Config stores it as (hashable)."""
    if isinstance(value, tuple) and all(isinstance(p, tuple) and len(p) == 2 for p in value):
        return dict(value)
    return value


def _per_file_ignores(key: str, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    value = _pairs(value)
    if not isinstance(value, dict):
        raise ConfigError(f"{key}: expected a table of glob = [codes]")
    return tuple((str(glob), _codes(f"{key}.{glob}", codes)) for glob, codes in value.items())


_SEVERITIES = ("error", "warning")


def _severity(key: str, value: Any) -> tuple[tuple[str, str], ...]:
    """``[tool.notecheck.severity]``: code or prefix = "error" | "warning"."""
    value = _pairs(value)
    if not isinstance(value, dict):
        raise ConfigError(f"{key}: expected a table of CODE = \"error\" or \"warning\", e.g. NC306 = \"warning\"")
    out = []
    for code, level in value.items():
        (prefix,) = _codes(f"{key}.{code}", [code]) if isinstance(code, str) and code.strip() else ("",)
        if not prefix or "," in code:
            raise ConfigError(f"{key}: {code!r} is not one rule code or prefix")
        if level not in _SEVERITIES:
            raise ConfigError(f"{key}.{code}: expected \"error\" or \"warning\", got {level!r}")
        out.append((prefix, level))
    return tuple(out)


def _label_style(key: str, value: Any) -> str:
    if value not in ("auto", "hms", "minutes"):
        raise ConfigError(f"{key}: expected \"auto\", \"hms\" or \"minutes\", got {value!r}")
    return value


def _quote_match(key: str, value: Any) -> str:
    if value not in ("clean", "strict"):
        raise ConfigError(f"{key}: expected \"clean\" or \"strict\", got {value!r}")
    return value


def _sidecar(key: str, value: Any) -> str | None:
    if value is False or value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{key}: expected a folder path, or false")
    return value


def _ratio(key: str, value: Any) -> float:
    v = _number(key, value)
    if v > 1:
        raise ConfigError(f"{key}: expected a number between 0 and 1, got {value!r}")
    return v


_SIZE_RE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*", re.I)
_SIZE_UNITS = {"b": 1, "kb": 10 ** 3, "mb": 10 ** 6, "gb": 10 ** 9, "kib": 2 ** 10, "mib": 2 ** 20, "gib": 2 ** 30}


def _size(key: str, value: Any) -> int:
    """Bytes, from an integer (bytes) or a string with a unit: "16 MiB", "500 KB", "1.5 MB"."""
    m = _SIZE_RE.fullmatch(value) if isinstance(value, str) else None
    if isinstance(value, int) and not isinstance(value, bool):
        size = value
    elif m is not None:
        size = int(float(m.group(1)) * _SIZE_UNITS[(m.group(2) or "b").lower()])
    else:
        size = 0
    if size < 1:
        raise ConfigError(f"{key}: expected a size in bytes, or with a unit such as \"16 MiB\" or \"500 KB\", "
                          f"got {value!r}")
    return size


def format_size(size: int) -> str:
    """A size as a person wrote it: "16 MiB", "500 KB", else "1,234 bytes"."""
    for unit in ("GiB", "MiB", "KiB", "GB", "MB", "KB"):
        factor = _SIZE_UNITS[unit.lower()]
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size:,} bytes"


# key in TOML -> (field name, converter)
OPTIONS: dict[str, tuple[str, Any]] = {
    "select": ("select", _codes),
    "ignore": ("ignore", _codes),
    "extend-select": ("extend_select", _codes),
    "required-sections": ("required_sections", _strings),
    "clip-seconds": ("clip_seconds", _clip_seconds),
    "clip-lead-seconds": ("clip_lead_seconds", lambda k, v: _number(k, v)),
    "label-style": ("label_style", _label_style),
    "per-file-ignores": ("per_file_ignores", _per_file_ignores),
    "exclude": ("exclude", _strings),
    "force-exclude": ("force_exclude", _bool),
    "sidecar": ("sidecar", _sidecar),
    "quote-similarity": ("quote_similarity", _ratio),
    "severity": ("severity", _severity),
    "quote-match": ("quote_match", _quote_match),
    "max-file-size": ("max_file_size", _size),
}


def _optional_str(key: str, value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{key}: expected a string or None, got {value!r}")
    return value


# field name -> (key, converter): what Config.__post_init__ checks (every converter accepts
# the values it returns, so a validated Config passes again unchanged)
_FIELD_CHECKS: dict[str, tuple[str, Any]] = {
    **{name: (key, convert) for key, (name, convert) in OPTIONS.items()},
    "use_sidecar": ("use_sidecar", _bool),
    "report_unused_suppressions": ("report_unused_suppressions", _bool),
    "source": ("source", _optional_str),
    "root": ("root", _optional_str),
}
_DEFAULTS: dict[str, Any] = {f.name: f.default for f in fields(Config)}


def from_mapping(data: dict[str, Any], *, source: str | None = None, base: Config | None = None) -> Config:
    """Build a Config from a ``[tool.notecheck]`` table; raises ConfigError on any bad key."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source or 'config'}: [tool.notecheck] must be a table")
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key not in OPTIONS:
            import difflib

            close = difflib.get_close_matches(str(key).replace("_", "-"), OPTIONS, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            known = ", ".join(sorted(OPTIONS))
            raise ConfigError(f"{source or 'config'}: unknown option {key!r} ({hint}known: {known})")
        name, convert = OPTIONS[key]
        try:
            changes[name] = convert(key, value)
        except ConfigError as exc:
            raise ConfigError(f"{source or 'config'}: {exc}") from None
    if "sidecar" in data and data["sidecar"] is False:
        changes["use_sidecar"] = False
    root = str(Path(source).parent) if source else None
    if root is not None and changes.get("sidecar"):
        # a sidecar folder in a config file is relative to that file, not to the working directory
        changes["sidecar"] = str(Path(root) / changes["sidecar"])
    return replace(base or Config(), source=source, root=root, **changes)


def load_file(path: str | Path) -> Config:
    """Read a pyproject.toml ([tool.notecheck]) or .notecheck.toml (top level)."""
    import tomllib

    p = Path(path)
    try:
        with p.open("rb") as fh:
            doc = tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read config: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: not valid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses once per level of nesting
        raise ConfigError(f"{p}: not valid TOML: nested too deeply to read ({_deep_nesting(p)})") from None
    tool = doc.get("tool")
    if p.name == "pyproject.toml" or isinstance(tool, dict) and "notecheck" in tool:
        # pyproject.toml: the [tool.notecheck] table; .notecheck.toml may use that table or the top level
        table = tool.get("notecheck", {}) if isinstance(tool, dict) else {}
    else:
        table = doc
    return from_mapping(table, source=str(p))


def _deep_nesting(path: Path) -> str:
    """Where a TOML file nests too deeply: "key K, line N" of the assignment that opens it (for the message)."""
    depth, key, key_line = 0, None, 0
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "cannot tell where"
    for n, line in enumerate(text.splitlines(), 1):
        if depth == 0 and (m := re.match(r"[ \t]*([^=#\[\]{}\s][^=#\[\]{}]*?)[ \t]*=", line)):
            key, key_line = m.group(1), n
        for ch in line:
            if ch in "[{":
                depth += 1
                if depth > 100:
                    return f"key {key}, line {key_line}" if key else f"line {n}"
            elif ch in "]}":
                depth = max(0, depth - 1)
    return "cannot tell where"


def _find_in(folder: str, memo: dict[str, str | None] | None = None) -> str | None:
    """The nearest .notecheck.toml, or pyproject.toml with a [tool.notecheck] table, from folder up.

    Not cached across calls: a long-lived process (an editor, a test run) sees edits to
    config files; one run caches per folder in Resolver, and ``memo`` (its answer for each
    folder walked through: an archive's folders share the walk above them).
    """
    d = Path(folder)
    walked: list[str] = []
    found: str | None = None
    for cand in (d, *d.parents):
        key = str(cand)
        if memo is not None and key in memo:
            found = memo[key]
            break
        walked.append(key)
        dotfile = cand / ".notecheck.toml"
        if dotfile.is_file():
            found = str(dotfile)
            break
        pyproject = cand / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = pyproject.read_bytes()
            except OSError:
                continue
            if b"notecheck" in data and _may_hold_notecheck_table(data) and _has_notecheck_table(data):
                found = str(pyproject)
                break
    if memo is not None:
        memo.update(dict.fromkeys(walked, found))
    return found


# Every way TOML can write tool.notecheck leaves one of these in the text: a table header or
# a dotted key ("[tool.notecheck]", '[ "tool" . "notecheck" ]', "tool.notecheck.select = ..."),
# a [tool] table (its notecheck key may be lines below), "tool = {...}" (an inline table
# naming notecheck anywhere), or an escape in a quoted key ("\u0074ool"). A pyproject.toml
# that only names notecheck elsewhere (a dependency, a script) is not parsed.
_NOTECHECK_TABLE_HINT = re.compile(
    rb"tool\W{0,8}notecheck|^[ \t]*\[[ \t]*[\"']?tool[\"']?[ \t]*\]|^[ \t]*[\"']?tool[\"']?[ \t]*=|\\[uU]", re.MULTILINE)


def _may_hold_notecheck_table(data: bytes) -> bool:
    return _NOTECHECK_TABLE_HINT.search(data) is not None


@functools.lru_cache(maxsize=64)
def _has_notecheck_table(data: bytes) -> bool:
    """Keyed by the file's bytes: an edited file is read again, and the one pyproject.toml
    above an archive's folders is parsed once, not once per folder."""
    import tomllib

    try:
        tool = tomllib.loads(data.decode("utf-8")).get("tool")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError):
        return True  # it mentions notecheck but is broken: load_file reports why
    return isinstance(tool, dict) and "notecheck" in tool


def discover(start: str | Path, memo: dict[str, str | None] | None = None) -> Config:
    """The config that applies to ``start`` (a file or folder): nearest one walking up, or defaults
    (``memo``: see ``_find_in``)."""
    p = Path(start)
    try:
        folder = p.resolve() if p.is_dir() else p.resolve().parent
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return Config()
    found = _find_in(str(folder), memo)
    return load_file(found) if found else Config()


@dataclass(frozen=True)
class Overrides:
    """Command-line settings laid over whatever config file applies."""

    select: tuple[str, ...] | None = None  # replaces the file's select
    ignore: tuple[str, ...] = ()  # added to the file's ignore
    extend_select: tuple[str, ...] = ()
    sidecar: str | None = None
    use_sidecar: bool | None = None
    force_exclude: bool | None = None
    report_unused_suppressions: bool | None = None
    exclude: tuple[str, ...] | None = None  # --exclude: replaces the file's exclude
    extend_exclude: tuple[str, ...] = ()  # --extend-exclude: added to it
    max_file_size: int | None = None

    def apply(self, cfg: Config) -> Config:
        changes: dict[str, Any] = {}
        if self.exclude is not None or self.extend_exclude:
            base = self.exclude if self.exclude is not None else cfg.exclude
            changes["exclude"] = base + self.extend_exclude
        if self.max_file_size is not None:
            changes["max_file_size"] = self.max_file_size
        if self.force_exclude is not None:
            changes["force_exclude"] = self.force_exclude
        if self.report_unused_suppressions is not None:
            changes["report_unused_suppressions"] = self.report_unused_suppressions
        if self.select is not None:
            changes["select"] = self.select
            changes["extend_select"] = ()
        if self.ignore:
            changes["ignore"] = cfg.ignore + self.ignore
        if self.extend_select:
            changes["extend_select"] = changes.get("extend_select", cfg.extend_select) + self.extend_select
        if self.sidecar is not None:
            changes["sidecar"] = self.sidecar
        if self.use_sidecar is not None:
            changes["use_sidecar"] = self.use_sidecar
        return replace(cfg, **changes) if changes else cfg


def command_line_globs(key: str, value: str) -> tuple[str, ...]:
    """``--exclude``/``--extend-exclude`` globs, comma-separated: a glob with a ``/`` is anchored
    at the working directory (made absolute); a bare name (``drafts``, ``*.tmp.md``) matches
    any file or folder of that name, as in the config file."""
    import glob as glob_mod

    out = []
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        bare = part.rstrip("/")
        if "/" in bare and not os.path.isabs(bare):
            cwd = Path(os.getcwd()).as_posix()
            part = glob_mod.escape(cwd) + "/" + (bare[2:] if bare.startswith("./") else bare)
        out.append(part)
    if not out:
        raise ConfigError(f"{key}: expected comma-separated globs, e.g. drafts,archive/*.md")
    return tuple(out)


def _is_plain_file(path: str) -> bool:
    import stat

    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return False


@dataclass
class Resolver:
    """Which Config applies to a path: ``--config FILE`` for all, else the nearest file up."""

    explicit: Config | None = None
    overrides: Overrides = field(default_factory=Overrides)
    _cache: dict[str, Config] = field(default_factory=dict, repr=False)
    _folders: dict[str, str] = field(default_factory=dict, repr=False)  # folder as given -> resolved
    _found: dict[str, str | None] = field(default_factory=dict, repr=False)  # folder -> its config file (_find_in)

    def __call__(self, path: str) -> Config:
        if self.explicit is not None:
            base_key = "<explicit>"
        elif path != "-" and _is_plain_file(path):
            # a file that is not a symlink lies in its folder: resolve each folder once, not
            # each file (resolving every path was a fifth of a cached run on 2,000 notes)
            given = os.path.dirname(path) or "."
            base_key = self._folders.get(given) or ""
            if not base_key:
                try:
                    base_key = str(Path(given).resolve())
                except OSError:
                    base_key = "."
                self._folders[given] = base_key
        else:
            p = Path(path if path != "-" else ".")
            try:
                base_key = str(p.resolve() if p.is_dir() else p.resolve().parent)
            except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
                # the file is reported unreadable (NC001); the config of the folder named applies
                base_key = str(Path(os.path.abspath(p)).parent)
        cfg = self._cache.get(base_key)
        if cfg is None:
            base = self.explicit if self.explicit is not None else discover(base_key, self._found)
            cfg = self._cache[base_key] = self.overrides.apply(base)
        return cfg
