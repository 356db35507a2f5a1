"""Output formats. Each module has ``write(results, stream, options)`` (text also ``write_concise``)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~5 ms) on a cached run
if TYPE_CHECKING:
    from typing import IO, Sequence

# format name -> (module, function)
FORMATS = {
    "full": ("text", "write"),
    "concise": ("text", "write_concise"),
    "text": ("text", "write"),  # the old name of "full", kept as an alias
    "json": ("json_format", "write"),
    "github": ("github", "write"),
    "gitlab": ("gitlab", "write"),
    "sarif": ("sarif", "write"),
    "junit": ("junit", "write"),
}
TEXT_FORMATS = ("full", "concise", "text")


def plural(n: int, word: str) -> str:
    """``1 file``, ``2 files``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def applicability(diag) -> str | None:
    """How a finding's fix applies: ``"safe"``, ``"unsafe"``, or None when it has no fix."""
    if not diag.fixable:
        return None
    return "unsafe" if getattr(diag.fix, "applicability", "safe") == "unsafe" else "safe"


def workspace_relative(path: str, root: str | None) -> str:
    """``path`` as CI annotations want it: relative to the checkout ``root`` (GitHub's
    GITHUB_WORKSPACE, GitLab's CI_PROJECT_DIR) when absolute and inside it, with ``/`` separators."""
    import os
    import posixpath

    if root and os.path.isabs(path):
        try:
            rel = os.path.relpath(path, root)
        except ValueError:  # another drive
            rel = path
        if not rel.startswith(".."):
            path = rel
    path = path.replace("\\", "/")
    return posixpath.normpath(path) if path else path


@dataclass(frozen=True)
class OutputOptions:
    show_source: bool = True
    quiet: bool = False
    show_fixes: bool = False
    color: bool | None = None  # None: decided by output.text.use_color (environment, terminal)


def write(fmt: str, results: Sequence, stream: IO[str], options: OutputOptions | None = None) -> None:
    module_name, function = FORMATS[fmt]
    module = importlib.import_module(f"{__name__}.{module_name}")
    getattr(module, function)(results, stream, options or OutputOptions())
