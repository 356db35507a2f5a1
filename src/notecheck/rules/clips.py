"""Rules of this family register themselves with @rule; see rules/__init__.py."""

from __future__ import annotations
