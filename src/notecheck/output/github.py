"""GitHub Actions output: one workflow command per finding, shown as an annotation.

    ::error file=notes/a.md,line=12,col=5,endLine=12,endColumn=9,title=NC301::label 9:25 ...

Errors become ``::error``, warnings ``::warning``. Escaping follows the workflow-command
rules (actions/toolkit ``command.ts``): in the message ``%``, ``\\r``, ``\\n``; in property
values also ``:`` and ``,``. Before that, control characters (the log viewer renders ANSI
sequences) are shown escaped, as in the text output (notecheck.escape). GitHub places an annotation by its path relative to the
repository root: paths are written with ``/``, without ``./``, and an absolute path
inside ``$GITHUB_WORKSPACE`` is made relative to it.
"""

from __future__ import annotations

import os
from typing import IO, Sequence

from ..escape import for_terminal
from . import applicability, workspace_relative


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation_path(path: str) -> str:
    return workspace_relative(path, os.environ.get("GITHUB_WORKSPACE"))


def command(diag) -> str:
    kind = "error" if diag.severity == "error" else "warning"
    props = [("file", for_terminal(annotation_path(diag.path))), ("line", diag.line), ("col", diag.column)]
    if diag.end_line is not None and diag.end_column is not None:
        props += [("endLine", diag.end_line), ("endColumn", diag.end_column)]
    props.append(("title", diag.code))
    rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in props)
    fixable = ""
    if diag.fixable:
        unsafe = applicability(diag) == "unsafe"
        fixable = f" (fixable with `notecheck fix{' --unsafe-fixes' if unsafe else ''}`)"
    return f"::{kind} {rendered}::{escape_data(for_terminal(diag.message) + fixable)}"


def write(results: Sequence, stream: IO[str], options) -> None:
    for result in results:
        if result.error is not None:
            continue  # path problems go to stderr (and exit 2)
        for diag in result.diagnostics:
            stream.write(command(diag) + "\n")
