"""Times in a note: timestamp labels, ``t=`` values, clip range bounds and ``-o`` tags.

Every function here is pure; parsing returns ``None`` for text that is not of the
form (never raises), rendering takes whole seconds (or float seconds for clip bounds).
See SPEC §2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Label",
    "parse_label",
    "looks_like_label",
    "render_label",
    "parse_t",
    "render_t",
    "parse_clip_bound",
    "render_clip_bound",
    "parse_tag",
    "render_tag",
    "parse_duration_formatted",
    "duration_renderings",
]

# A label: digits, then one or two ":NN" fields.
_LABEL_RE = re.compile(r"(\d+):(\d{2})(?::(\d{2}))?")
# Anything that a person meant as a time, well-formed or not: 9:5, 1:2:3, 9:65.
_TIMEISH_RE = re.compile(r"\d{1,3}(?::\d{1,3}){1,3}")


@dataclass(frozen=True, slots=True)
class Label:
    """A parsed, valid timestamp label."""

    seconds: int
    # "hms" when written with an hours field (1:44:00), "minutes" when the first field
    # is minutes (104:00, 9:25). Below one hour only a written hour field (0:09:25)
    # makes it "hms".
    style: str
    leading_zero: bool  # first field written with a superfluous leading zero (09:25, 01:44:00)

    @property
    def canonical_hms(self) -> str:
        return render_label(self.seconds, "hms")


def looks_like_label(text: str) -> bool:
    """True when ``text`` is shaped like a time (valid or malformed), e.g. ``9:5``."""
    return _TIMEISH_RE.fullmatch(text.strip()) is not None


def parse_label(text: str) -> Label | None:
    """Parse a valid label (``M:SS``, ``MM:SS``, ``H:MM:SS``, minutes past 59). None if malformed."""
    m = _LABEL_RE.fullmatch(text.strip())
    if m is None:
        return None
    first, second, third = m.group(1), m.group(2), m.group(3)
    if third is None:
        minutes, secs = int(first), int(second)
        if secs >= 60:
            return None
        return Label(minutes * 60 + secs, "minutes", len(first) > 1 and first[0] == "0")
    hours, minutes, secs = int(first), int(second), int(third)
    if minutes >= 60 or secs >= 60:
        return None
    return Label(hours * 3600 + minutes * 60 + secs, "hms", len(first) > 1 and first[0] == "0")


def render_label(seconds: int, style: str = "hms") -> str:
    """Canonical label: no leading zero; from one hour on ``H:MM:SS`` or ``MMM:SS``."""
    seconds = int(seconds)
    if seconds < 0:
        raise ValueError("negative time")
    minutes, secs = divmod(seconds, 60)
    if style == "hms" and minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


_T_RE = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?")


def parse_t(text: str) -> int | None:
    """Parse a ``t=`` value: ``565s``, ``565``, ``9m25s``, ``1h44m``, ``1h2m3s``."""
    if not text:
        return None
    m = _T_RE.fullmatch(text)
    if m is None or not any(m.groups()):
        return None
    h, mi, s = (int(g) if g else 0 for g in m.groups())
    # A bare number may not follow h/m without its "s" ("1h30" is ambiguous): refuse it.
    if (m.group(1) or m.group(2)) and m.group(3) and not text.endswith("s"):
        return None
    return h * 3600 + mi * 60 + s


def render_t(seconds: int, like: str | None = None) -> str:
    """Render seconds as a ``t=`` value in the form of ``like`` (default ``565s``)."""
    seconds = int(seconds)
    if like is not None:
        if like.isdigit():
            return str(seconds)
        if "h" in like or "m" in like:
            h, rest = divmod(seconds, 3600)
            mi, s = divmod(rest, 60)
            out = ""
            if h:
                out += f"{h}h"
            if mi:
                out += f"{mi}m"
            if s or not out:
                out += f"{s}s"
            return out
    return f"{seconds}s"


_BOUND_RE = re.compile(r"(?:(?:(\d+):)?(\d+):)?(\d+(?:\.\d+)?)")


def parse_clip_bound(text: str) -> float | None:
    """Parse a ``--download-sections`` bound: ``SS``, ``M:SS``, ``104:00``, ``H:MM:SS``, fractions."""
    m = _BOUND_RE.fullmatch(text.strip())
    if m is None:
        return None
    h, mi, s = m.group(1), m.group(2), m.group(3)
    secs = float(s)
    if mi is not None and secs >= 60:
        return None
    if h is not None and int(mi) >= 60:
        return None
    total = secs + (int(mi) * 60 if mi else 0) + (int(h) * 3600 if h else 0)
    return total


def render_clip_bound(seconds: float, style: str = "minutes") -> str:
    """Render a clip bound as ``M:SS`` (``minutes``) or ``H:MM:SS`` (``hms``); keeps fractions."""
    whole = int(seconds)
    frac = seconds - whole
    base = render_label(whole, style)
    if frac:
        base += f"{frac:.3f}".lstrip("0").rstrip("0").rstrip(".")
    return base


_TAG_RE = re.compile(r"(\d+)m(\d{2})s")


def parse_tag(text: str) -> int | None:
    """Parse an ``-o`` time tag body ``9m25s`` / ``104m00s`` into seconds."""
    m = _TAG_RE.fullmatch(text)
    if m is None or int(m.group(2)) >= 60:
        return None
    return int(m.group(1)) * 60 + int(m.group(2))


def render_tag(seconds: float) -> str:
    """The ``-o`` tag for a clip start: whole minutes and two-digit seconds (``104m00s``)."""
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}m{secs:02d}s"


def parse_duration_formatted(text: str) -> int | None:
    """``duration_formatted`` accepts every label style (``2:26:08``, ``71:39``, ``9:05``)."""
    label = parse_label(text)
    return None if label is None else label.seconds


def duration_renderings(seconds: int) -> tuple[str, ...]:
    """Every accepted rendering of a duration, canonical (H:MM:SS from one hour) first."""
    out = [render_label(seconds, "hms")]
    if seconds >= 3600:
        out.append(render_label(seconds, "minutes"))
    else:
        minutes, secs = divmod(seconds, 60)
        out.append(f"{minutes:02d}:{secs:02d}")
        out.append(f"0:{minutes:02d}:{secs:02d}")
    return tuple(dict.fromkeys(out))
