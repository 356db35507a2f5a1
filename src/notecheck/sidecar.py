"""Sidecar transcripts: ``<video_id>.json`` beside a note (rules in rules/sidecar.py, NC6xx).

The model below is shared by the sidecar rules and by quote verification (NC501/NC502
use the sidecar's segment texts, the source words, when a sidecar exists).
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    # set when the file exists but cannot be used (bad JSON, no full_transcript): one warning
    error: str | None = None


def load_for(path, note, config) -> Sidecar | None:
    """The sidecar that belongs to ``note`` at ``path``, or None when there is none."""
    return None
