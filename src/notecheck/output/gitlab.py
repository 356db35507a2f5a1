"""GitLab Code Quality report (a JSON list of Code Climate issues), as ruff writes it.

Each finding: ``description`` (``CODE: message``, since GitLab shows no separate check
name), ``check_name``, ``severity`` (error -> ``major``, warning -> ``minor``), a
``fingerprint`` and ``location`` (``path`` and ``positions.begin/end`` line and column).
GitLab compares fingerprints between the merge request and its target to tell new
findings from old ones, so the fingerprint is notecheck's line-independent one
(``notecheck.fingerprint``: code, offending text and its line), with the path, made unique
within the report by the finding's order among identical ones. Paths are relative, with
``/``, no ``./``; an absolute path inside ``$CI_PROJECT_DIR`` is made relative to it.
Text is exact, JSON-escaped as in the JSON output (a non-UTF-8 name's byte 0xff is
``"\\udcff"``; control and bidi characters are ``\\u`` escapes; notecheck.escape).
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from typing import IO, Sequence

from ..escape import json_dumps
from ..fingerprint import fingerprints
from . import workspace_relative

SEVERITY = {"error": "major", "warning": "minor"}


def report_path(path: str) -> str:
    return workspace_relative(path, os.environ.get("CI_PROJECT_DIR"))


def _issues(result) -> list[dict]:
    """The Code Quality issues of one file's findings."""
    if result.error is not None and not result.diagnostics:
        return []  # path problems go to stderr (and exit 2)
    issues = []
    path = report_path(result.path)
    seen: Counter = Counter()
    for d, fp in zip(result.diagnostics, fingerprints(result)):
        seen[fp] += 1
        unique = hashlib.sha256(f"{path}\0{fp}\0{seen[fp]}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
        end_line = d.end_line if d.end_line is not None else d.line
        end_column = d.end_column if d.end_column is not None else d.column
        issues.append({
            "check_name": d.code,
            "description": f"{d.code}: {d.message}",
            "severity": SEVERITY.get(d.severity, "minor"),
            "fingerprint": unique,
            "location": {"path": path, "positions": {
                "begin": {"line": d.line, "column": d.column},
                "end": {"line": end_line, "column": end_column}}},
        })
    return issues


def build(results: Sequence) -> list[dict]:
    return [issue for result in results for issue in _issues(result)]


def write(results: Sequence, stream: IO[str], options) -> None:
    """``json_dumps(build(results), indent=2)``, written a file at a time (as output.json_format)."""
    opened = False
    for result in results:
        issues = _issues(result)
        if not issues:
            continue
        stream.write((",\n  " if opened else "[\n  ")
                     + ",\n  ".join(json_dumps(i, indent=2).replace("\n", "\n  ") for i in issues))
        opened = True
    stream.write("\n]\n" if opened else "[]\n")
