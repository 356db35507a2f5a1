"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver.rules`` lists every rule (id, name, summary, the rule's
docstring as help text, default level); each result points at its rule by id and
index and carries one physical location. Columns count Unicode code points
(``run.columnKind``), and a region's ``endColumn`` is one past its last character, as
notecheck's own end columns are. Fixes are included where a finding has one
(character offsets into the file as decoded, which is how notecheck's edits count).
Relative paths are relative to ``%SRCROOT%``, the working directory. URIs are built from
a path's bytes (a non-UTF-8 name's byte 0xff is ``%FF``); text is JSON-escaped as in the
JSON output (notecheck.escape).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import IO, Sequence

from ..escape import json_dumps, uri_path

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning"}


def _uri(path: str) -> tuple[str, str | None]:
    """(uri, uriBaseId) for a path as notecheck shows it."""
    p = Path(path)
    if p.is_absolute():
        return p.as_uri(), None
    return uri_path(p.as_posix()), "%SRCROOT%"  # as_posix drops a leading "./"


_SECTIONS = ("What it finds", "Why it matters", "Bad", "Good", "Fix")
_EXAMPLES = ("Bad", "Good")


def _sections(text: str) -> list[tuple[str | None, str]]:
    """Split a rule docstring at its section titles ("What it finds", "Bad", ...)."""
    import textwrap

    out: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in text.splitlines():
        title = line.strip().rstrip(":")
        if line[:1].strip() and title in _SECTIONS:
            out.append((title, []))
        else:
            out[-1][1].append(line)
    return [(title, textwrap.dedent("\n".join(body)).strip("\n")) for title, body in out
            if title is not None or "\n".join(body).strip()]


def help_markdown(text: str) -> str:
    """The docstring as Markdown: titles in bold, the Bad/Good examples as code blocks."""
    parts = []
    for title, body in _sections(text):
        if title is not None:
            parts.append(f"**{title}**")
        if title in _EXAMPLES and body:
            fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", body)), default=0))
            parts.append(f"{fence}markdown\n{body}\n{fence}")
        elif body:
            parts.append(body)
    return "\n\n".join(parts)


def _rule_descriptor(rule) -> dict:
    help_text = rule.explanation
    what = next((body for title, body in _sections(help_text) if title == "What it finds" and body), None)
    descriptor = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join((what or rule.summary).split())},
        "help": {"text": help_text, "markdown": help_markdown(help_text)},
        "defaultConfiguration": {"level": _LEVEL.get(rule.severity, "warning")},
        "properties": {"fix": rule.fix or "none"},
    }
    return descriptor


def _fixes(diag, uri: str, base: str | None) -> list[dict]:
    fix = diag.fix
    if fix is None:
        return []
    location = {"uri": uri}
    if base:
        location["uriBaseId"] = base
    replacements = [{"deletedRegion": {"charOffset": e.start, "charLength": e.end - e.start},
                     "insertedContent": {"text": e.content}} for e in fix.edits]
    description = fix.description or f"{'unsafe' if fix.applicability == 'unsafe' else 'safe'} fix"
    return [{"description": {"text": description},
             "artifactChanges": [{"artifactLocation": location, "replacements": replacements}]}]


def _rules(results: Sequence) -> tuple[list, dict[str, int]]:
    """Every registered rule, then each described code that occurs (NC009, unused-suppression)
    in order of first occurrence; and each code's index among them."""
    from ..rules import all_rules
    from ..suppressions import describe

    rules = list(all_rules())
    index = {r.code: i for i, r in enumerate(rules)}
    for result in results:
        if result.error is not None:
            continue
        for d in result.diagnostics:
            if d.code not in index:
                info = describe(d.code)
                if info is not None:
                    index[d.code] = len(rules)
                    rules.append(info)
    return rules, index


def _items(result, index: dict[str, int]) -> list[dict]:
    """The SARIF results of one file's findings (a code that is not described has none)."""
    items = []
    if result.error is not None:
        return items
    for d in result.diagnostics:
        if d.code not in index:
            continue
        uri, base = _uri(d.path)
        artifact = {"uri": uri}
        if base:
            artifact["uriBaseId"] = base
        region = {"startLine": d.line, "startColumn": d.column}
        if d.end_line is not None and d.end_column is not None:
            region["endLine"] = d.end_line
            region["endColumn"] = d.end_column
        item = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _LEVEL.get(d.severity, "warning"),
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
        }
        fixes = _fixes(d, uri, base)
        if fixes:
            item["fixes"] = fixes
        items.append(item)
    return items


def _log(rules: list, sarif_results: list) -> dict:
    from .. import __version__

    run = {
        "tool": {"driver": {
            "name": "notecheck",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": [_rule_descriptor(r) for r in rules],
        }},
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(os.getcwd()).as_uri().rstrip("/") + "/"}},
        "results": sarif_results,
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def build(results: Sequence) -> dict:
    """The SARIF log as a dict (``write`` writes the same text a file at a time)."""
    rules, index = _rules(results)
    return _log(rules, [item for result in results for item in _items(result, index)])


# where the results go in the log's text: a string no rule text or path holds
_RESULTS_MARK = "\x00notecheck: the results\x00"
_ITEM_INDENT = " " * 8  # root > runs > the run > results > a result


def write(results: Sequence, stream: IO[str], options) -> None:
    """``json_dumps(build(results), indent=2)``, written a file at a time: the log around the
    results is dumped once with a mark where they go, and each file's results are dumped as
    they would be inside it (moved in by the list's indentation; a JSON string holds no raw
    line break, so only the layout's line breaks move)."""
    rules, index = _rules(results)
    head, mark, tail = json_dumps(_log(rules, [_RESULTS_MARK]), indent=2).partition(json_dumps(_RESULTS_MARK))
    assert mark, "the results' mark is in the log"
    opened = False
    for result in results:
        items = _items(result, index)
        if not items:
            continue
        stream.write((head if not opened else ",\n" + _ITEM_INDENT)
                     + (",\n" + _ITEM_INDENT).join(json_dumps(item, indent=2).replace("\n", "\n" + _ITEM_INDENT)
                                                   for item in items))
        opened = True
    if not opened:
        stream.write(json_dumps(_log(rules, []), indent=2))
    else:
        stream.write(tail)
    stream.write("\n")
