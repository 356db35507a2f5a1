"""Baselines: record today's findings, then report only new ones.

``notecheck check --write-baseline FILE`` records every finding of the run; ``--baseline
FILE`` then hides the findings it holds, so an archive with thousands of old findings can
adopt notecheck and hold new notes to it. ``fix --baseline FILE`` neither reports nor
fixes recorded findings (a baseline is a suppression, as ruff's ``noqa`` is).

A finding is recorded by path, code and fingerprint (``notecheck.fingerprint``: the
offending text and its line, not the line number), so adding or removing lines above it
does not bring it back; editing its own line does. Paths are relative to the baseline
file's folder, with ``/``, so the baseline works from any working directory. The file is
JSON, one finding a line (its message too, for people reading it; only path, code and
fingerprint are matched), sorted, so it diffs well in review::

    {"version": 1, "findings": [
    {"path": "notes/a.md", "code": "NC301", "fingerprint": "3f2ac4...", "message": "..."}
    ]}

Identical findings (same path, code and fingerprint: the same wrong link twice in one
note) are each one entry; a run hides as many as the baseline holds, in file order, and
reports the rest. Rewriting a baseline keeps the entries of files this run did not check
while they still exist, replaces those of the files it checked (so findings that are
gone are dropped), and drops files that no longer exist.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .config import ConfigError
from .fingerprint import fingerprint, fingerprints

VERSION = 1


class BaselineError(ConfigError):
    """A baseline file that cannot be read or is not one (exit 2, like a bad config)."""


@dataclass
class Baseline:
    root: str  # absolute folder of the baseline file: recorded paths are relative to it
    entries: list[dict] = field(default_factory=list)
    _counts: dict[str, Counter] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for e in self.entries:
            self._counts.setdefault(e["path"], Counter())[(e["code"], e["fingerprint"])] += 1

    def key(self, path: str) -> str:
        """``path`` (as reported, relative to the working directory) relative to the baseline's folder."""
        try:
            rel = os.path.relpath(os.path.abspath(path), self.root)
        except ValueError:  # another drive
            rel = os.path.abspath(path)
        return Path(rel).as_posix()

    def new_findings(self, path: str, diagnostics: Sequence, line_text: Callable[[int], str | None]) -> list:
        """The diagnostics of one file that the baseline does not hold (in order)."""
        recorded = self._counts.get(self.key(path))
        if not recorded:
            return list(diagnostics)
        left = Counter(recorded)
        out = []
        for d in diagnostics:
            k = (d.code, fingerprint(d, line_text(d.line) or ""))
            if left[k] > 0:
                left[k] -= 1
            else:
                out.append(d)
        return out


def load(path: str) -> Baseline:
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except FileNotFoundError:
        raise BaselineError(f"--baseline {path}: no such file (record one with --write-baseline {path})") from None
    except OSError as exc:
        raise BaselineError(f"--baseline {path}: cannot read: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BaselineError(f"--baseline {path}: not a notecheck baseline (invalid JSON: {exc})") from None
    findings = doc.get("findings") if isinstance(doc, dict) else None
    if not isinstance(findings, list) or not all(
            isinstance(e, dict) and all(isinstance(e.get(k), str) for k in ("path", "code", "fingerprint"))
            for e in findings):
        raise BaselineError(f"--baseline {path}: not a notecheck baseline (expected {{\"findings\": [...]}} "
                            "with path, code and fingerprint in each)")
    if doc.get("version") != VERSION:
        raise BaselineError(f"--baseline {path}: version {doc.get('version')!r} is not {VERSION}; "
                            f"record it again with --write-baseline {path}")
    return Baseline(_folder_of(path), findings)


def _folder_of(path: str) -> str:
    return os.path.dirname(os.path.abspath(path))


def entries_of(results: Iterable, baseline: Baseline) -> tuple[list[dict], set[str]]:
    """Baseline entries for every finding in ``results``, and the keys of the files they checked."""
    entries, checked = [], set()
    for r in results:
        if r.error is not None and not r.diagnostics:
            continue
        key = baseline.key(r.path)
        checked.add(key)
        for d, fp in zip(r.diagnostics, fingerprints(r)):
            entries.append({"path": key, "code": d.code, "fingerprint": fp, "message": d.message})
    return entries, checked


def write(path: str, results: Iterable) -> tuple[int, int]:
    """Record the findings of ``results`` in ``path`` (merged as the module docstring says).

    Returns (findings, files) written."""
    fresh = Baseline(_folder_of(path))
    entries, checked = entries_of(results, fresh)
    try:
        previous = load(path).entries if os.path.exists(path) else []
    except BaselineError:
        previous = []  # not a baseline we can read: replaced by this run's
    for e in previous:
        if e["path"] not in checked and os.path.isfile(os.path.join(fresh.root, e["path"])):
            entries.append({k: e[k] for k in ("path", "code", "fingerprint", "message") if k in e})
    entries.sort(key=lambda e: (e["path"], e["code"], e["fingerprint"], e.get("message", "")))
    lines = ",\n".join(json.dumps(e, ensure_ascii=False) for e in entries)
    text = f'{{"version": {VERSION}, "findings": [\n{lines}{chr(10) if lines else ""}]}}\n'
    _write_atomic(path, text.encode("utf-8"))
    return len(entries), len({e["path"] for e in entries})


def _write_atomic(path: str, data: bytes) -> None:
    """Replace ``path`` whole, keeping an existing baseline's permission bits."""
    from .cache import replace_atomically

    try:
        mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else None
        replace_atomically(path, data, mode)
    except OSError as exc:
        raise BaselineError(f"--write-baseline {path}: cannot write: {exc.strerror or exc}") from None
