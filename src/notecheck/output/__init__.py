"""Output formats. Each module has ``write(results, stream, options)``."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import IO, Sequence

FORMATS = {
    "text": "text",
    "json": "json_format",
    "github": "github",
    "sarif": "sarif",
    "junit": "junit",
}


@dataclass(frozen=True)
class OutputOptions:
    show_source: bool = True
    statistics: bool = False
    quiet: bool = False
    show_fixes: bool = False
    color: bool | None = None  # None: when the stream is a terminal


def write(fmt: str, results: Sequence, stream: IO[str], options: OutputOptions | None = None) -> None:
    module = importlib.import_module(f"{__name__}.{FORMATS[fmt]}")
    module.write(results, stream, options or OutputOptions())

