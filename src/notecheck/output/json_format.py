"""JSON output: a list of diagnostic objects (SPEC §4), sorted by path, line, column."""

from __future__ import annotations

import json
from typing import IO, Sequence


def write(results: Sequence, stream: IO[str], options) -> None:
    items = []
    for result in results:
        if result.error is not None:
            continue  # path problems go to stderr; JSON holds findings only
        items.extend(d.to_dict() for d in result.diagnostics)
    json.dump(items, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
