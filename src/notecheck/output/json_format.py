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

from json.encoder import encode_basestring as _str  # json.dumps's own string writer (C)
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~5 ms) on a cached run
if TYPE_CHECKING:
    from typing import IO, Sequence

from ..diagnostic import Diagnostic, Edit, Fix
from ..escape import NotPlain, json_dumps, json_escape_raw, plain_json


def write(results: Sequence, stream: IO[str], options) -> None:
    opened = False
    for result in results:
        if result.error is not None:
            continue  # path problems go to stderr; JSON holds findings only
        diagnostics = result.diagnostics
        for at in range(0, len(diagnostics), BATCH):  # a note with 100,000 findings: not one string
            items = [_item(d) for d in diagnostics[at:at + BATCH]]
            stream.write(json_escape_raw((",\n  " if opened else "[\n  ") + ",\n  ".join(items)))
            opened = True
    stream.write("\n]\n" if opened else "[]\n")


BATCH = 1000  # findings written at once


def _item(d) -> str:
    """``json_dumps(d.to_dict(), indent=2)`` moved in by two blanks, as a list item (before
    json_escape_raw): written field by field for a Diagnostic, ~3x quicker than walking its
    dict (a report of the archive's 1,833 findings: 21 -> 7 ms); through the dict for anything else."""
    try:
        if type(d) is Diagnostic and (d.fix is None or type(d.fix) is Fix):
            return _diagnostic_item(d)
    except NotPlain:
        pass
    return json_dumps(d.to_dict(), indent=2).replace("\n", "\n  ")


def _diagnostic_item(d: Diagnostic) -> str:
    path, line, column, end_line, end_column = d.path, d.line, d.column, d.end_line, d.end_column
    code, severity, message, fixable, fix = d.code, d.severity, d.message, d.fixable, d.fix
    # the types json.dumps writes as below (an int's text is its repr; a bool is no int here)
    if not (type(path) is str and type(line) is int and type(column) is int and type(code) is str
            and type(severity) is str and type(message) is str and type(fixable) is bool
            and (end_line is None or type(end_line) is int) and (end_column is None or type(end_column) is int)):
        raise NotPlain
    head = (f'{{\n    "path": {_str(path)},\n    "line": {line},\n    "column": {column},\n'
            f'    "end_line": {"null" if end_line is None else end_line},\n'
            f'    "end_column": {"null" if end_column is None else end_column},\n    "code": {_str(code)},\n'
            f'    "severity": {_str(severity)},\n    "message": {_str(message)},\n'
            f'    "fixable": {"true" if fixable else "false"},\n    "fix": ')
    if fix is None:
        return head + "null\n  }"
    if any(type(e) is not Edit for e in fix.edits):
        raise NotPlain
    edits = ",\n        ".join('{\n          "start": ' + plain_json(e.start) + ',\n          "end": ' + plain_json(e.end)
                               + ',\n          "content": ' + plain_json(e.content) + "\n        }" for e in fix.edits)
    return (head + '{\n      "applicability": ' + plain_json(fix.applicability) + ',\n      "description": '
            + plain_json(fix.description) + ',\n      "edits": '
            + ("[\n        " + edits + "\n      ]" if fix.edits else "[]") + "\n    }\n  }")
