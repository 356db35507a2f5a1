"""``notecheck explain``: a rule's docstring rendered as plain text for a terminal.

Rule docstrings are written for readers of the source and of SARIF help, with code in
backquotes (``t=`` or `t=`) and, here and there, a reference to the project's design
notes ("SPEC §2"), which a user of the installed tool does not have. The renderer drops
the backquotes (keeping what they quote) and those references; the docstrings stay as
they are.
"""

from __future__ import annotations

import re

# ``literal`` (its inner spaces let it hold a backquote: `` ` ``) or `code`, left to right
_CODE = re.compile(r"``(?: (?=\S.*? ``)(.+?) |(.+?))``|`([^`\n]+)`")
_SPEC_ASIDE = re.compile(r"\s*\((?:see\s+)?SPEC\b[^()]*\)")
_SPEC_WORD = re.compile(r"\bSPEC\s*§\s*\d+(?:\.\d+)*")


def plain_text(text: str) -> str:
    """``text`` without code markup or references to the design notes."""
    text = _SPEC_ASIDE.sub("", text)
    text = _SPEC_WORD.sub("notecheck's rules", text)
    return _CODE.sub(lambda m: next(g for g in m.groups() if g is not None), text)


def explain(code: str) -> str | None:
    """What ``notecheck explain CODE`` prints; None for an unknown code."""
    from .suppressions import describe

    rule = describe(code)  # a registered rule, or NC009 (unused-suppression)
    return render(rule) if rule is not None else None


def render(rule) -> str:
    """The whole ``explain`` page of a rule: title line, summary, documentation."""
    fix = {"safe": "fixable (safe: applied by notecheck fix)",
           "unsafe": "fixable (unsafe: only with notecheck fix --unsafe-fixes)"}.get(rule.fix or "", "not auto-fixed")
    return plain_text(f"{rule.code} ({rule.name}) — {rule.severity}, {fix}\n\n{rule.summary}\n\n{rule.explanation}")
