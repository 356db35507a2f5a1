"""Findings and the edits that fix them.

A rule yields :class:`Finding` objects in the coordinates it knows (character offsets
into ``Note.text``); the engine turns them into :class:`Diagnostic` objects with a
path, 1-based line and column, severity and the JSON fields of SPEC §4.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~5 ms) on a cached run
if TYPE_CHECKING:
    from typing import Any

SAFE = "safe"
UNSAFE = "unsafe"


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` (character offsets into the decoded note) with ``content``."""

    start: int
    end: int
    content: str

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad edit range {self.start}..{self.end}")


@dataclass(frozen=True, slots=True)
class Fix:
    """A set of edits applied together, and whether they are safe to apply by default."""

    edits: tuple[Edit, ...]
    applicability: str = SAFE
    description: str = ""

    @classmethod
    def replace(cls, start: int, end: int, content: str, *, applicability: str = SAFE,
                description: str = "") -> "Fix":
        return cls((Edit(start, end, content),), applicability, description)


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule reports: where (offsets), what, and optionally how to fix it."""

    start: int
    message: str
    end: int | None = None
    fix: Fix | None = None
    severity: str | None = None  # overrides the rule's default severity


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding on one file, as shown to users and written as JSON."""

    path: str
    line: int
    column: int
    code: str
    severity: str
    message: str
    fixable: bool = False
    end_line: int | None = None
    end_column: int | None = None
    fix: Fix | None = field(default=None, compare=False)
    offset: int | None = field(default=None, compare=False)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "fixable": self.fixable,
        }
        if self.fix is not None:
            out["fix"] = {
                "applicability": self.fix.applicability,
                "description": self.fix.description,
                "edits": [
                    {"start": e.start, "end": e.end, "content": e.content} for e in self.fix.edits
                ],
            }
        else:
            out["fix"] = None
        return out


def _pickled_by_fields(cls: type) -> None:
    """``cls`` pickles as ``cls(*its fields)``: a slotted dataclass's own ``__getstate__`` and
    ``__setstate__`` call ``fields()`` on every object, 2x slower (worker results carry ~2
    of these objects a finding). Same objects after a round trip, copies included."""
    values = attrgetter(*(f.name for f in fields(cls)))  # every field is an __init__ argument
    cls.__reduce__ = lambda self: (cls, values(self))  # type: ignore[method-assign]


for _cls in (Edit, Fix, Finding, Diagnostic):
    _pickled_by_fields(_cls)
