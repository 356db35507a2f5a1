"""JSON output: a list of diagnostic objects (SPEC §4), sorted by path, line, column.

Valid UTF-8 whatever a note or a file name holds: control and bidi characters, and the
bytes of a non-UTF-8 file name (``"\\udcff"``, Python's surrogateescape), are ``\\u``
escapes that decode to the exact text (see notecheck.escape.json_dumps).
"""

from __future__ import annotations

from typing import IO, Sequence

from ..escape import json_dumps


def write(results: Sequence, stream: IO[str], options) -> None:
    items = []
    for result in results:
        if result.error is not None:
            continue  # path problems go to stderr; JSON holds findings only
        items.extend(d.to_dict() for d in result.diagnostics)
    stream.write(json_dumps(items, indent=2))
    stream.write("\n")
