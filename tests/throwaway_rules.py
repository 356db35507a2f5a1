"""Throwaway rules for mechanism tests (config, suppressions, output formats, CLI flags).

They find marker words in a note, so those tests do not depend on any real rule:
NC911 (error, safe fix) on each ``BADWORD`` -> ``goodword``; NC912 (warning, report
only) on each ``WARNWORD``. Use the ``marker_rules`` fixture; run them alone with
``--select NC91``. The registry is restored afterwards.
"""

from __future__ import annotations

import pytest

from notecheck import rules as rules_mod
from notecheck.diagnostic import Finding, Fix


def _finds(note, word):
    i = note.text.find(word)
    while i >= 0:
        yield i
        i = note.text.find(word, i + 1)


def _bad(note, ctx):
    """What it finds
    The word BADWORD.

    Why it matters
    It is a test marker.

    Bad
    a BADWORD here

    Good
    a goodword here

    Fix
    Replaces it with goodword.
    """
    for i in _finds(note, "BADWORD"):
        yield Finding(i, "BADWORD: say goodword", end=i + 7, fix=Fix.replace(i, i + 7, "goodword"))


def _warn(note, ctx):
    """What it finds
    The word WARNWORD.
    """
    for i in _finds(note, "WARNWORD"):
        yield Finding(i, "WARNWORD, 100% a warning: with, commas", end=i + 8)


@pytest.fixture
def marker_rules():
    rules_mod.all_rules()
    saved = dict(rules_mod.REGISTRY)
    rules_mod.rule("NC911", "test-badword", summary="test marker BADWORD", fix="safe")(_bad)
    rules_mod.rule("NC912", "test-warnword", severity="warning", summary="test marker WARNWORD")(_warn)
    yield
    rules_mod.REGISTRY.clear()
    rules_mod.REGISTRY.update(saved)
