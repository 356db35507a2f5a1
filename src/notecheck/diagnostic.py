"""Findings and the edits that fix them.

A rule yields :class:`Finding` objects in the coordinates it knows (character offsets
into ``Note.text``); the engine turns them into :class:`Diagnostic` objects with a
path, 1-based line and column, severity and the JSON fields of SPEC §4.
"""

from __future__ import annotations

import math
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


def _fast_builder(cls: type) -> Any:
    """A constructor for the frozen slotted dataclass ``cls``, with the signature of its ``__init__``
    followed by its ``init=False`` fields, optional (their defaults): values the parser may already know.

    A frozen dataclass sets each field through ``object.__setattr__`` (1.6 us for a
    YouTubeLink, and the parser makes ~2,600 links per MB). The builder assigns the
    fields on a private subclass with the same slot layout and plain attribute
    assignment, then makes the object a ``cls`` (``__class__`` assignment between
    layout-identical classes): the result is a ``cls`` in every respect (type, eq,
    hash, repr, pickling, frozenness), built 5x faster. A default must be an immutable
    constant (None, a number, a string, the empty tuple): it is written into the signature.
    """
    from dataclasses import MISSING, fields

    params, late, body = [], [], []
    for f in fields(cls):
        if f.default_factory is not MISSING or not (
                f.default is MISSING or f.default is None or type(f.default) in (bool, int, str)
                or (type(f.default) is float and math.isfinite(f.default)) or type(f.default) is tuple and not f.default):
            raise TypeError(f"{cls.__name__}.{f.name}: the builder handles no default but an immutable constant")
        if f.init:
            params.append(f.name if f.default is MISSING else f"{f.name}={f.default!r}")
        else:
            late.append(f"{f.name}={f.default!r}")
        body.append(f"self.{f.name} = {f.name}")
    params.extend(late)
    namespace: dict[str, Any] = {"cls": cls}
    exec(f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(body) + "\n    self.__class__ = cls",
         namespace)
    builder = type(f"_{cls.__name__}Builder", (cls,), {
        "__slots__": (), "__init__": namespace["__init__"],
        # both: CPython then gives the builder the C attribute setter, not a Python call
        "__setattr__": object.__setattr__, "__delattr__": object.__delattr__,
    })
    return builder
