"""Run the selected rules over one Note, apply suppressions, and sort the diagnostics.

The engine knows nothing of any rule's inside: it calls ``rule.check(note, ctx)`` and
turns each Finding (offsets) into a Diagnostic (path, line, column, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .config import Config
from .diagnostic import Diagnostic, Finding
from .note import Note
from .rules import Rule, all_rules


@dataclass
class Context:
    """What a rule may know besides the note: the config and, when found, the sidecar."""

    config: Config
    path: str | None = None
    sidecar: Any = None  # notecheck.sidecar.Sidecar | None
    extra: dict[str, Any] = field(default_factory=dict)


def selected_rules(config: Config, path: str | None = None) -> list[Rule]:
    rules = all_rules()
    # the selection without a path depends only on the (frozen) config and the registry:
    # computed once, not once per file (~0.3 ms a file); per-file-ignores still per path
    key = (config, tuple(map(id, rules)))  # the cached list keeps these rules (and ids) alive
    try:
        base = _SELECTED.get(key)
    except TypeError:  # an unhashable value in a config built by hand
        return [r for r in rules if config.is_enabled(r.code, path)]
    if base is None:
        if len(_SELECTED) > 64:
            _SELECTED.clear()
        base = _SELECTED[key] = [r for r in rules if config.is_enabled(r.code, None)]
    if path is None or not config.per_file_ignores:
        return list(base)
    return [r for r in base if not config.ignored_for_file(r.code, path)]


_SELECTED: dict[tuple, list[Rule]] = {}
_DEFAULT_CONFIG = Config()


def to_diagnostic(note: Note, rule: Rule, finding: Finding, path: str) -> Diagnostic:
    line, col = note.position(finding.start)
    end_line = end_col = None
    if finding.end is not None:
        end_line, end_col = note.position(finding.end)
    return Diagnostic(
        path=path,
        line=line,
        column=col,
        code=rule.code,
        severity=finding.severity or rule.severity,
        message=finding.message,
        fixable=finding.fix is not None,
        end_line=end_line,
        end_column=end_col,
        fix=finding.fix,
        offset=finding.start,
    )


def check_note(note: Note, config: Config | None = None, path: str | None = None, *,
               sidecar: Any = None, rules: list[Rule] | None = None) -> list[Diagnostic]:
    """All diagnostics for ``note``, suppressions applied, sorted by position."""
    config = config or _DEFAULT_CONFIG
    shown_path = path if path is not None else (note.path or "-")
    ctx = Context(config=config, path=path, sidecar=sidecar)
    out: list[Diagnostic] = []
    if rules is None:
        rules = selected_rules(config, path)
    for rule in rules:
        for finding in rule.check(note, ctx):
            out.append(to_diagnostic(note, rule, finding, shown_path))
    if note.suppressions:  # silence what they name; with the flag, report what silenced nothing (NC009)
        from .suppressions import apply

        out = apply(note, out, config, shown_path, [r.code for r in rules])
    if config.severity:  # [tool.notecheck.severity]: the user's level for a code, whatever the rule said
        out = with_configured_severity(out, config)
    out.sort(key=Diagnostic.sort_key)
    return out


def with_configured_severity(diagnostics: list[Diagnostic], config: Config) -> list[Diagnostic]:
    """The diagnostics with the severities ``[tool.notecheck.severity]`` gives their codes."""
    from dataclasses import replace

    out = []
    for d in diagnostics:
        level = config.severity_of(d.code, d.severity)
        out.append(d if level == d.severity else replace(d, severity=level))
    return out
