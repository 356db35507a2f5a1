"""JSON output: a list of diagnostic objects (SPEC §4), sorted by path, line, column.

Valid UTF-8 whatever a note or a file name holds: control and bidi characters, and the
bytes of a non-UTF-8 file name (``"\\udcff"``, Python's surrogateescape), are ``\\u``
escapes that decode to the exact text (see notecheck.escape.json_dumps).

Written a file at a time, never as one document in memory: the text is exactly
``json_dumps(every_finding, indent=2)``. Each finding is dumped with ``indent=2`` and its
lines moved in by two blanks, as the list's items are; a JSON string holds no raw line
break (it is written ``\\n``), so only the layout's line breaks move.
"""

from __future__ import annotations

from typing import IO, Sequence

from ..escape import json_dumps


def write(results: Sequence, stream: IO[str], options) -> None:
    opened = False
    for result in results:
        if result.error is not None or not result.diagnostics:
            continue  # path problems go to stderr; JSON holds findings only
        items = [json_dumps(d.to_dict(), indent=2).replace("\n", "\n  ") for d in result.diagnostics]
        stream.write((",\n  " if opened else "[\n  ") + ",\n  ".join(items))
        opened = True
    stream.write("\n]\n" if opened else "[]\n")
