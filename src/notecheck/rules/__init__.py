"""The rule registry: code -> Rule.

A rule is a small pure function ``check(note, ctx) -> Iterable[Finding]`` registered with
``@rule(...)``; its docstring is its documentation (What it finds / Why it matters /
Bad / Good), shown by ``notecheck explain CODE``. One module per family, listed below.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~5 ms) on a cached run
if TYPE_CHECKING:
    from typing import Callable, Iterable

from ..diagnostic import Finding

# Families in code order; each module registers its rules on import.
FAMILIES = ("file", "frontmatter", "structure", "links", "clips", "quotes", "sidecar")

ERROR = "error"
WARNING = "warning"

# The codes the family modules register, so that a config's codes are checked without importing
# them (a run answered from the cache imports no rule): tests/test_config.py holds it equal to
# what all_rules() registers.
BUILTIN_CODES = (
    "NC001", "NC002", "NC003", "NC004",
    "NC101", "NC102", "NC103", "NC104", "NC105",
    "NC201", "NC202", "NC203", "NC204", "NC205",
    "NC301", "NC302", "NC303", "NC304", "NC305", "NC306",
    "NC401", "NC402", "NC403", "NC404", "NC405", "NC406", "NC407", "NC408", "NC409", "NC410", "NC411",
    "NC501", "NC502",
    "NC601", "NC602", "NC603", "NC604",
)
# the unused-suppression warning (notecheck.suppressions), a code outside the registry
UNUSED_SUPPRESSION = "NC009"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str  # kebab-case, e.g. "label-t-mismatch"
    severity: str
    summary: str
    fix: str | None  # None, "safe" or "unsafe"
    check: Callable[..., Iterable[Finding]]

    @property
    def explanation(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or self.summary)

    @property
    def fixable(self) -> bool:
        return self.fix is not None


REGISTRY: dict[str, Rule] = {}


def rule(code: str, name: str, *, severity: str = ERROR, summary: str, fix: str | None = None):
    """Register ``check(note, ctx)`` as rule ``code``."""
    if severity not in (ERROR, WARNING):
        raise ValueError(f"{code}: bad severity {severity!r}")
    if fix not in (None, "safe", "unsafe"):
        raise ValueError(f"{code}: bad fix kind {fix!r}")

    def register(func: Callable[..., Iterable[Finding]]):
        if code in REGISTRY:
            raise ValueError(f"rule {code} registered twice")
        REGISTRY[code] = Rule(code, name, severity, summary, fix, func)
        return func

    return register


_loaded = False


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by code (imports the family modules once)."""
    global _loaded
    if not _loaded:
        for family in FAMILIES:
            importlib.import_module(f"{__name__}.{family}")
        _loaded = True
    return [REGISTRY[c] for c in sorted(REGISTRY)]


def get(code: str) -> Rule | None:
    all_rules()
    return REGISTRY.get(code.upper())
