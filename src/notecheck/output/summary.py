"""A Markdown summary of a check: what a reviewer reads in the job summary instead of a log.

``notecheck check`` appends it to ``$GITHUB_STEP_SUMMARY`` when that is set (GitHub Actions
shows the file on the run's page), or to ``--summary FILE``. It holds the counts per rule
and per file, how many findings are fixable (safe / unsafe), and the first
:data:`MAX_FINDINGS` findings, each linked to its line on GitHub when the run knows the
repository and commit (``$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA/path#L12``),
else written ``path:12``.

Messages quote the note (headlines, quotes, labels): they are user data. Every character
that can start markup (``\\ ` * _ [ ] < > & | ~ $``) is backslash-escaped (CommonMark
renders ``\\*`` as ``*``), so no text can open a link, an HTML tag, an entity, a table
cell or GitHub's ``$math$``; line breaks become spaces and control and bidi characters are shown
as ``\\xNN``.
"""

from __future__ import annotations

import os
import posixpath
from collections import Counter
from typing import Sequence
from urllib.parse import quote

from ..escape import for_terminal
from . import applicability, plural

MAX_FINDINGS = 30  # findings listed one by one
MAX_FILES = 50  # rows of the per-file table
MAX_MESSAGE = 300  # characters of a message in the findings table

# what can start markup inline or in a table cell: emphasis, code, links, HTML, entities,
# cells, strikethrough and GitHub's $math$ (``!`` and ``(`` only act after an escaped ``[``)
_SPECIAL = frozenset("\\`*_[]<>&|~$")


def _printable(text: str) -> str:
    """``text`` as valid UTF-8: undecodable bytes of a path (surrogates) as ``\\xNN``."""
    try:
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")
    return data.decode("utf-8", "backslashreplace")


def escape(text: str) -> str:
    """``text`` as inert Markdown for a table cell (see the module docstring)."""
    text = _printable(text).replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\t", " ")
    text = for_terminal(text)  # control and bidi characters shown, as everywhere (notecheck.escape)
    return "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)


def repo_path(path: str) -> str | None:
    """``path`` relative to the repository root, '/'-separated; None when it lies outside."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        try:
            rel = os.path.relpath(os.path.abspath(path), os.path.abspath(workspace))
        except ValueError:  # another drive
            return None
    else:
        rel = path
    rel = posixpath.normpath(rel.replace("\\", "/"))
    if rel.startswith("../") or rel == ".." or posixpath.isabs(rel):
        return None
    return rel


def line_url(path: str, line: int) -> str | None:
    """The GitHub URL of ``path`` at ``line`` in this run's commit; None outside GitHub Actions."""
    server, repo, sha = (os.environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    rel = repo_path(path)
    if not (server and repo and sha and rel):
        return None
    try:
        raw = os.fsencode(rel)
    except UnicodeEncodeError:
        raw = rel.encode("utf-8", "surrogatepass")
    return f"{server.rstrip('/')}/{repo}/blob/{sha}/{quote(raw, safe='/')}#L{line}"


def _shown(path: str) -> str:
    """The path as a reviewer knows it: relative to the repository root when it lies inside."""
    return repo_path(path) or path


def _location(path: str, line: int) -> str:
    label = escape(f"{_shown(path)}:{line}")
    url = line_url(path, line)
    return f"[{label}]({url})" if url else label


def _file_link(path: str) -> str:
    url = line_url(path, 1)
    label = escape(_shown(path))
    return f"[{label}]({url.rsplit('#', 1)[0]})" if url else label


def _message(text: str) -> str:
    if len(text) > MAX_MESSAGE:
        text = text[:MAX_MESSAGE - 1] + "…"
    return escape(text)


def summary_markdown(results: Sequence, *, changed_since: str | None = None, hidden: int = 0) -> str:
    """The Markdown summary of ``results`` (FileResults), ending with a blank line."""
    from .text import statistics

    diags = [d for r in results for d in r.diagnostics]
    errors = [r for r in results if r.error is not None]
    checked = sum(1 for r in results if r.error is None)
    files = [r for r in results if r.diagnostics]
    out: list[str] = ["## notecheck", ""]

    if diags:
        n_err = sum(1 for d in diags if d.severity == "error")
        n_warn = len(diags) - n_err
        out.append(f"❌ **{plural(len(diags), 'problem')}** in {plural(len(files), 'note')} "
                   f"({checked} checked): {plural(n_err, 'error')}, {plural(n_warn, 'warning')}.")
    else:
        out.append(f"✅ No problems in {plural(checked, 'note')} checked.")
    kinds = Counter(applicability(d) for d in diags)
    if diags:
        out.append("")
        out.append(f"Fixable: **{kinds['safe']}** with `notecheck fix`, **{kinds['unsafe']}** more with "
                   f"`notecheck fix --unsafe-fixes`; {len(diags) - kinds['safe'] - kinds['unsafe']} "
                   "need an edit by hand.")
    if changed_since is not None:
        out.append("")
        shown = f"Only findings on lines changed since `{changed_since.replace('`', '')}` are shown"
        out.append(shown + (f" ({plural(hidden, 'other finding')} on unchanged lines not shown)." if hidden else "."))
    if errors:
        out.append("")
        out.append(f"**{plural(len(errors), 'path')} could not be checked:** "
                   + "; ".join(f"{escape(r.path)}: {escape(r.error)}" for r in errors))

    if diags:
        fixes = Counter((d.code, applicability(d)) for d in diags)
        out += ["", "| Rule | Name | Findings | Safe fix | Unsafe fix |", "|---|---|--:|--:|--:|"]
        for s in statistics(results):
            code = s["code"]
            out.append(f"| {escape(code)} | {escape(s['name'])} | {s['count']} | {fixes[code, 'safe']} | "
                       f"{fixes[code, 'unsafe']} |")

        out += ["", "| File | Findings | Errors | Warnings | Fixable |", "|---|--:|--:|--:|--:|"]
        ranked = sorted(files, key=lambda r: (-len(r.diagnostics), r.path))
        for r in ranked[:MAX_FILES]:
            n_err = sum(1 for d in r.diagnostics if d.severity == "error")
            fixable = sum(1 for d in r.diagnostics if d.fixable)
            out.append(f"| {_file_link(r.path)} | {len(r.diagnostics)} | {n_err} | "
                       f"{len(r.diagnostics) - n_err} | {fixable} |")
        if len(ranked) > MAX_FILES:
            rest = ranked[MAX_FILES:]
            out.append(f"| … and {plural(len(rest), 'more file')} | {sum(len(r.diagnostics) for r in rest)} | | | |")

        first = diags[:MAX_FINDINGS]
        title = (f"All {plural(len(diags), 'finding')}" if len(diags) <= MAX_FINDINGS
                 else f"The first {len(first)} of {len(diags)} findings")
        out += ["", f"**{title}**", "", "| Where | Rule | Severity | Message |", "|---|---|---|---|"]
        for d in first:
            fix = applicability(d)
            mark = {"safe": " (fix)", "unsafe": " (unsafe fix)"}.get(fix or "", "")
            out.append(f"| {_location(d.path, d.line)} | {escape(d.code)} | {d.severity}{mark} | {_message(d.message)} |")
    out.append("")
    return "\n".join(out) + "\n"
