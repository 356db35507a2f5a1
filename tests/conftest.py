"""Shared test helpers: fixture paths, the clean note, and a CLI runner."""

from __future__ import annotations

import io
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLES = ROOT.parent / "shared" / "samples"
CLEAN = FIXTURES / "clean.md"


@pytest.fixture(autouse=True)
def _no_job_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks the tests run must not append to the job summary of the CI run running them."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture(autouse=True)
def _own_result_cache(tmp_path_factory, monkeypatch):
    """Each test gets an empty result cache of its own: the command line caches by default,
    and a cache shared between tests (or written into the checkout) would let one test's
    results answer for another's. Tests of the cache's location remove this variable."""
    monkeypatch.setenv("NOTECHECK_CACHE_DIR", str(tmp_path_factory.mktemp("notecheck-cache")))


@pytest.fixture
def clean_text() -> str:
    return CLEAN.read_text(encoding="utf-8")


def codes(diagnostics) -> list[str]:
    return [d.code for d in diagnostics]


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th occurrence of ``needle`` in ``text``."""
    pos = -1
    for _ in range(occurrence):
        pos = text.index(needle, pos + 1)
    return text.count("\n", 0, pos) + 1


def col_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based column of the n-th occurrence of ``needle`` in ``text``."""
    pos = -1
    for _ in range(occurrence):
        pos = text.index(needle, pos + 1)
    return pos - text.rfind("\n", 0, pos)


def apply_fixes(text: str, diagnostics) -> str:
    """Apply every diagnostic's fix edits (none overlap in rule tests), last first.

    Rule tests use this to compare a fix's exact output without the fixer's loop."""
    edits = sorted((e for d in diagnostics if d.fix is not None for e in d.fix.edits),
                   key=lambda e: e.start, reverse=True)
    for e in edits:
        text = text[:e.start] + e.content + text[e.end:]
    return text


def run_cli(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    """Run ``notecheck ARGS`` in-process; returns (exit code, stdout, stderr)."""
    from notecheck.cli import main

    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


def speedups_module():
    """notecheck._speedups, for the tests of the C twins: CI and a developer's install have a C
    compiler, so it must be built; with NOTECHECK_PURE_PYTHON=1 (installed without it on
    purpose) the calling test module is skipped when it is absent."""
    import os

    if os.environ.get("NOTECHECK_PURE_PYTHON"):
        return pytest.importorskip("notecheck._speedups")
    try:
        import notecheck._speedups as speedups
    except ImportError as exc:
        raise ImportError("notecheck._speedups is not built: reinstall with a C compiler (pip install -e .), "
                          "or set NOTECHECK_PURE_PYTHON=1 to run the tests without it") from exc
    return speedups
