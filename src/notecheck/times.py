"""Times in a note: timestamp labels, ``t=`` values, clip range bounds and ``-o`` tags.

Every function here is pure; parsing returns ``None`` for text that is not of the
form (never raises), rendering takes whole seconds (or float seconds for clip bounds).
Only ASCII digits count: ``٣:٠٠`` is not a time. See SPEC §2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "Label",
    "parse_label",
    "looks_like_label",
    "render_label",
    "parse_t",
    "render_t",
    "parse_clip_bound",
    "render_clip_bound",
    "render_bound_like",
    "note_label_style",
    "parse_tag",
    "render_tag",
    "describe",
    "duration_renderings",
]

HMS = "hms"  # 1:44:00
MINUTES = "minutes"  # 104:00 (and every label below one hour: 9:25)

# A label: digits, then one or two ":NN" fields.
# Digit runs are bounded (9-12 digits, centuries of video): int() of a 5,000-digit run is slow or refused.
_LABEL_RE = re.compile(r"([0-9]{1,9}):([0-9]{2})(?::([0-9]{2}))?")
# Anything that a person meant as a time, well-formed or not: 9:5, 1:2:3, 9:65.
_TIMEISH_RE = re.compile(r"[0-9]{1,3}(?::[0-9]{1,3}){1,3}")
# The parsers below are pure and return immutable values; rules ask for the same label or
# t= value several times per link, so they are memoised. Bounded: the same few thousand
# times recur across notes, and a note with more distinct values only misses the cache.
_memo = lru_cache(maxsize=8192)


@dataclass(frozen=True, slots=True)
class Label:
    """A parsed, valid timestamp label."""

    seconds: int
    # "hms" when written with an hours field (1:44:00, 0:09:25), "minutes" when the
    # first field is minutes (104:00, 9:25).
    style: str
    leading_zero: bool  # first field written with a superfluous leading zero (09:25, 01:44:00)

    @property
    def zero_hour(self) -> bool:
        """Written with a ``0:`` hour field below one hour (``0:09:25``)."""
        return self.style == HMS and self.seconds < 3600

    @property
    def past_hour(self) -> bool:
        return self.seconds >= 3600

    def canonical(self, style: str) -> str:
        """This time in canonical form; ``style`` only matters from one hour on."""
        return render_label(self.seconds, style)


def looks_like_label(text: str) -> bool:
    """True when ``text`` is shaped like a time (valid or malformed), e.g. ``9:5``."""
    return _TIMEISH_RE.fullmatch(text.strip()) is not None


@_memo
def parse_label(text: str) -> Label | None:
    """Parse a valid label (``M:SS``, ``MM:SS``, ``H:MM:SS``, minutes past 59). None if malformed.

    Fields after the first are two digits below 60; the first field may be any number
    of digits (``104:00``), with a leading zero (``09:25``) or a zero hour (``0:09:25``):
    those are valid but not canonical (NC306 speaks of them).
    """
    m = _LABEL_RE.fullmatch(text.strip())
    if m is None:
        return None
    first, second, third = m.groups()
    leading_zero = len(first) > 1 and first[0] == "0"
    if third is None:
        minutes, secs = int(first), int(second)
        if secs >= 60:
            return None
        return Label(minutes * 60 + secs, MINUTES, leading_zero)
    hours, minutes, secs = int(first), int(second), int(third)
    if minutes >= 60 or secs >= 60:
        return None
    return Label(hours * 3600 + minutes * 60 + secs, HMS, leading_zero)


def render_label(seconds: int, style: str = HMS) -> str:
    """Canonical label: no leading zero, no ``0:`` hour; from one hour on ``H:MM:SS`` or ``MMM:SS``."""
    seconds = int(seconds)
    if seconds < 0:
        raise ValueError("negative time")
    minutes, secs = divmod(seconds, 60)
    if style == HMS and minutes >= 60:
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def describe(seconds: float) -> str:
    """A time for a message: ``1:25:00 (5100 s)``; fractions kept (``9:25.5 (565.5 s)``)."""
    if seconds != int(seconds):
        return f"{render_clip_bound(seconds, HMS)} ({seconds:g} s)"
    return f"{render_label(int(seconds), HMS)} ({int(seconds)} s)"


# t= forms: 565s, 565, 9m25s, 1h44m, 1h2m3s (YouTube accepts all of them).
_T_RE = re.compile(r"(?:([0-9]{1,9})h)?(?:([0-9]{1,9})m)?(?:([0-9]{1,12})(s?))?")


@_memo
def parse_t(text: str | None) -> int | None:
    """Parse a ``t=`` value: ``565s``, ``565``, ``9m25s``, ``1h44m``, ``1h2m3s``; None otherwise."""
    if not text:
        return None
    digits = text[:-1] if text[-1] == "s" else text
    if digits.isascii() and digits.isdigit() and len(digits) <= 12:
        return int(digits)  # the common forms, 565s and 565, without the regex
    m = _T_RE.fullmatch(text)
    if m is None or not any(m.group(1, 2, 3)):
        return None
    h, mi, s = (int(g) if g else 0 for g in m.group(1, 2, 3))
    # A bare number may not follow h/m without its "s" ("1h30" is ambiguous): refuse it.
    if (m.group(1) or m.group(2)) and m.group(3) and not m.group(4):
        return None
    return h * 3600 + mi * 60 + s


def render_t(seconds: int, like: str | None = None) -> str:
    """Render seconds as a ``t=`` value in the form of ``like`` (default ``565s``).

    ``like="565"`` keeps a bare number, ``like="9m25s"`` (any h/m form) the h/m/s form.
    """
    seconds = int(seconds)
    if seconds < 0:
        raise ValueError("negative time")
    if like is not None:
        if like.isascii() and like.isdigit():
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


# Clip bounds as yt-dlp's parse_duration reads them: SS, M:SS, MM:SS, H:MM:SS, 104:00,
# fractions. Unlike yt-dlp we refuse fields of 60 and more after the first (9:75 is a typo).
_BOUND_RE = re.compile(r"(?:(?:([0-9]{1,9}):)?([0-9]{1,9}):)?([0-9]{1,12})(\.[0-9]{1,9})?")


@_memo
def parse_clip_bound(text: str) -> float | None:
    """Parse a ``--download-sections`` bound: ``SS``, ``M:SS``, ``104:00``, ``H:MM:SS``, fractions."""
    m = _BOUND_RE.fullmatch(text.strip())
    if m is None:
        return None
    h, mi, s, frac = m.group(1), m.group(2), m.group(3), m.group(4)
    secs = int(s)
    if mi is not None and (len(s) > 2 or secs >= 60):
        return None
    if h is not None and int(mi) >= 60:
        return None
    total = secs + (int(mi) * 60 if mi else 0) + (int(h) * 3600 if h else 0)
    return total + float(frac) if frac else float(total)


def render_clip_bound(seconds: float, style: str = MINUTES) -> str:
    """Render a clip bound as ``M:SS`` (``minutes``) or ``H:MM:SS`` (``hms``); keeps milliseconds."""
    millis = round(seconds * 1000)
    whole, ms = divmod(millis, 1000)
    base = render_label(whole, style)
    if ms:
        base += f".{ms:03d}".rstrip("0")
    return base


def render_bound_like(seconds: float, like: str) -> str:
    """``seconds`` as a clip bound in the form of ``like``: ``SS``, ``M:SS``, ``H:MM:SS``, ``104:00``, zero padding kept."""
    millis = round(seconds * 1000)
    whole, ms = divmod(millis, 1000)
    frac = f".{ms:03d}".rstrip("0") if ms else ""
    fields = like.split(".")[0].split(":")
    if len(fields) == 1:
        return f"{whole}{frac}"
    first = fields[0]
    width = len(first) if len(first) > 1 and first.startswith("0") else 1
    if len(fields) == 2:
        minutes, secs = divmod(whole, 60)
        return f"{minutes:0{width}d}:{secs:02d}{frac}"
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:0{width}d}:{minutes:02d}:{secs:02d}{frac}"


def note_label_style(note, config) -> str:
    """The note's style past an hour: forced by ``label-style``, else the majority of its labels.

    Counted over valid labels of one hour or more: ``H:MM:SS`` (hms) against minutes past
    59 (minutes); a tie, or no such label, means ``hms``.
    """
    forced = getattr(config, "label_style", "auto")
    if forced in (HMS, MINUTES):
        return forced
    hms = minutes = 0
    for link in note.timestamp_links:
        label = parse_label(link.label)
        if label is not None and label.past_hour:
            if label.style == HMS:
                hms += 1
            else:
                minutes += 1
    return MINUTES if minutes > hms else HMS


_TAG_RE = re.compile(r"([0-9]{1,9})m([0-9]{2})s")


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


def duration_renderings(seconds: int) -> tuple[str, ...]:
    """Every accepted rendering of a duration, canonical (H:MM:SS from one hour) first."""
    out = [render_label(seconds, HMS)]
    if seconds >= 3600:
        out.append(render_label(seconds, MINUTES))
    else:
        minutes, secs = divmod(seconds, 60)
        out.append(f"{minutes:02d}:{secs:02d}")
        out.append(f"0:{minutes:02d}:{secs:02d}")
    return tuple(dict.fromkeys(out))
