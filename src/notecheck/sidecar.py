"""Sidecar transcripts: ``<video_id>.json`` beside a note (see rules/sidecar.py, NC6xx)."""

from __future__ import annotations


def load_for(path, note, config):
    """The sidecar that belongs to ``note`` at ``path``, or None when there is none."""
    return None
