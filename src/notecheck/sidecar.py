"""Sidecar transcripts: ``<video_id>.json`` beside a note (rules in rules/sidecar.py, NC6xx).

Archives keep, beside each note, the machine transcript it was written from::

    {"duration": 8768,
     "full_transcript": [{"timestamp": "00:00:48", "speaker": "Dwarkesh Patel", "text": "..."}, ...]}

The model below is shared by the sidecar rules and by quote verification (NC501/NC502
use the sidecar's segment texts, the source words, when a sidecar exists).

Discovery (``load_for``): ``<video_id>.json`` then ``<stem>.json`` in the note's folder,
or in ``config.sidecar`` (``--sidecar DIR``) when that is set; ``config.use_sidecar``
False (``--no-sidecar``) turns it off. A file that exists but cannot be used (not
UTF-8, not JSON, no ``full_transcript`` list, a segment without a valid timestamp)
still yields a ``Sidecar`` whose ``error`` says why: NC604 reports it as one warning
and the other sidecar rules stay silent. Loading never raises.

Read with the standard ``json`` module: a 90 KB sidecar (~380 segments) loads in about
0.25 ms, 0.2 ms of it ``json.loads`` (the Segments of the usual "HH:MM:SS" sidecar are built by
the C speed-up, ``_segments_py`` being its reference; without it, ~0.1 ms more).
"""

from __future__ import annotations

import bisect
import json
import os
import re
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any

from .diagnostic import _fast_builder

_HMS_RE = re.compile(r"(\d{1,2}):([0-5]\d):([0-5]\d)")


@dataclass(frozen=True, slots=True)
class Segment:
    start: int  # seconds, from the segment's "HH:MM:SS" timestamp
    speaker: str | None
    text: str


@dataclass
class Sidecar:
    path: str
    segments: list[Segment] = field(default_factory=list)
    duration: float | None = None
    video_id: str | None = None  # the "video_id" the file declares, if any
    # set when the file exists but cannot be used (bad JSON, no full_transcript): one warning
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def name(self) -> str:
        """The file name, for messages."""
        return os.path.basename(self.path)

    @cached_property
    def starts(self) -> list[int]:
        """Segment start times, sorted (segments normally are already)."""
        return sorted({seg.start for seg in self.segments})

    @cached_property
    def start_set(self) -> frozenset[int]:
        return frozenset(self.starts)

    def nearest_starts(self, seconds: int) -> tuple[int | None, int | None]:
        """The segment starts just before (or at) and just after ``seconds``."""
        starts = self.starts
        i = bisect.bisect_right(starts, seconds)
        before = starts[i - 1] if i > 0 else None
        after = starts[i] if i < len(starts) else None
        return before, after

    def segment_at(self, seconds: int) -> Segment | None:
        """The first segment that starts at exactly ``seconds``."""
        for seg in self.segments:
            if seg.start == seconds:
                return seg
        return None


def candidate_paths(path: str | None, note, config) -> list[str]:
    """Where the sidecar of ``note`` (read from ``path``) may be, in the order tried."""
    folder: str | None
    if getattr(config, "sidecar", None):
        folder = config.sidecar
    elif path is not None:
        folder = os.path.dirname(path)
    else:
        return []  # standard input without --sidecar DIR: no folder to look in
    names: list[str] = []
    video_id = getattr(note, "video_id", None)
    if video_id:
        names.append(video_id + ".json")
    if path is not None:
        stem = os.path.splitext(os.path.basename(path))[0]
        if stem:
            names.append(stem + ".json")
    out: list[str] = []
    for name in dict.fromkeys(names):
        out.append(os.path.join(folder, name) if folder else name)
    return out


def load_for(path, note, config) -> Sidecar | None:
    """The sidecar that belongs to ``note`` at ``path``, or None when there is none."""
    if config is not None and not getattr(config, "use_sidecar", True):
        return None
    for cand in candidate_paths(path, note, config):
        if os.path.isfile(cand):  # never opens a folder, FIFO or device named *.json
            sidecar = load(cand, getattr(config, "max_file_size", None))
            video_id = getattr(note, "video_id", None)
            if sidecar.ok and sidecar.video_id and video_id and sidecar.video_id != video_id:
                # found by the note's file name, but it is another video's transcript
                return Sidecar(cand, error=f"sidecar {cand} is the transcript of video {sidecar.video_id}, "
                                           f"not of {video_id}")
            return sidecar
    return None


def load(path: str, limit: int | None = None) -> Sidecar:
    """Read one sidecar file; a file that cannot be used yields a Sidecar with ``error`` set.

    ``limit``: max-file-size in bytes (default: the config's default); a larger file is not read."""
    from .config import DEFAULT_MAX_FILE_SIZE, format_size
    from .runner import read_capped

    limit = limit or DEFAULT_MAX_FILE_SIZE
    try:
        data, size = read_capped(path, limit)
        if data is None:
            return Sidecar(path, error=f"sidecar {path} is {size:,} bytes, larger than "
                                       f"max-file-size ({format_size(limit)}); not read")
    except OSError as exc:
        return Sidecar(path, error=f"sidecar {path} cannot be read: {exc.strerror or exc}")
    return loads(data, path)


def loads(data: bytes | str, path: str = "<sidecar>") -> Sidecar:
    """Parse sidecar JSON text; never raises."""
    try:
        doc = json.loads(data)
    except json.JSONDecodeError as exc:
        return Sidecar(path, error=f"sidecar {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
    except (UnicodeDecodeError, ValueError) as exc:  # bad bytes, or numbers too long to convert
        return Sidecar(path, error=f"sidecar {path} cannot be decoded: {exc}")
    except RecursionError:
        return Sidecar(path, error=f"sidecar {path} is nested too deeply to read")
    return from_document(doc, path)


def from_document(doc: Any, path: str = "<sidecar>") -> Sidecar:
    """Build a Sidecar from loaded JSON: ``full_transcript`` segments and ``duration``."""
    if not isinstance(doc, dict):
        return Sidecar(path, error=f"sidecar {path} is not a JSON object with a 'full_transcript' list")
    raw = doc.get("full_transcript")
    if not isinstance(raw, list):
        what = "has no 'full_transcript' key" if raw is None else "has a 'full_transcript' that is not a list"
        return Sidecar(path, error=f"sidecar {path} {what}; expected a list of "
                                    "{\"timestamp\": \"HH:MM:SS\", \"speaker\": ..., \"text\": ...} segments")
    if not raw:
        return Sidecar(path, error=f"sidecar {path} has an empty 'full_transcript'")
    memo = _START_MEMO
    if len(memo) > _START_MEMO_SIZE:
        memo.clear()
    # the usual sidecar's segments built in C (~2x faster); None: Python answers (errors included)
    segments = None
    if _c_segments is not None and type(raw) is list:
        segments = _c_segments(raw, memo, Segment, _SEGMENT_SLOTS)
    if segments is None:
        segments = _segments_py(raw, path)
        if isinstance(segments, Sidecar):
            return segments
    duration = _seconds(doc.get("duration"))
    if duration is None and isinstance(doc.get("metadata"), dict):
        duration = _seconds(doc["metadata"].get("duration"))
    video_id = doc.get("video_id")
    return Sidecar(path, segments, duration, video_id if isinstance(video_id, str) else None)


def _segments_py(raw: list, path: str) -> list[Segment] | Sidecar:
    """The segments of a ``full_transcript`` list, or a Sidecar whose error says which one has no usable time.

    The reference for ``_speedups.sidecar_segments``."""
    segments: list[Segment] = []
    append, new, memo = segments.append, _new_segment, _START_MEMO
    for i, item in enumerate(raw):
        # A segment without a usable time makes every time check on this sidecar unreliable
        # ("no segment starts at 4:10" could be false), so the whole sidecar is refused.
        if not isinstance(item, dict):
            return Sidecar(path, error=f"sidecar {path}: full_transcript[{i}] is not an object")
        stamp = item.get("timestamp", _ABSENT)
        if stamp is _ABSENT:
            stamp = item.get("start")
        # int(_seconds(stamp)) from the memo: a dict lookup instead of a regex and three int()s
        start = memo.get(stamp) if type(stamp) is str else None
        if start is None:
            seconds = _seconds(stamp)
            if seconds is None:
                return Sidecar(path, error=f"sidecar {path}: full_transcript[{i}] has no valid \"timestamp\" "
                                            f"(got {item.get('timestamp')!r}; expected \"HH:MM:SS\")")
            start = int(seconds)
            if type(stamp) is str:
                memo[stamp] = start
        speaker = item.get("speaker")
        text = item.get("text")
        append(new(start, (speaker.strip() or None) if isinstance(speaker, str) else None,
                   text if isinstance(text, str) else ""))
    return segments


# A sidecar has a few hundred segments, each its own "HH:MM:SS": built the quick way
# (see diagnostic._fast_builder), with each timestamp string's whole seconds memoised across
# sidecars (a run sees the same few thousand timestamps again and again; bounded).
_new_segment = _fast_builder(Segment)
_START_MEMO: dict[str, int] = {}
_START_MEMO_SIZE = 1 << 16
_ABSENT = object()
# each field's member descriptor, in field order: how the C module sets a new Segment's slots
_SEGMENT_SLOTS = tuple(Segment.__dict__[f.name] for f in fields(Segment))

try:  # the C twin of _segments_py (tests/test_speedups_parse.py)
    if os.environ.get("NOTECHECK_PURE_PYTHON"):  # to compare the two, or to rule the C out
        raise ImportError("NOTECHECK_PURE_PYTHON is set")
    from ._speedups import sidecar_segments as _c_segments
except ImportError:  # not compiled (no C compiler at install): pure Python
    _c_segments = None


def _seconds(value: Any) -> float | None:
    """Seconds from a number, a numeric string, or ``HH:MM:SS`` / ``M:SS`` (fractions allowed)."""
    if type(value) is str and (m := _HMS_RE.fullmatch(value)) is not None:  # the usual "00:09:25": fast path
        return float(int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3)))
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if 0 <= value < 1e9 else None
    if isinstance(value, str):
        from .times import parse_clip_bound

        secs = parse_clip_bound(value)
        return secs if secs is not None and secs < 1e9 else None
    return None
