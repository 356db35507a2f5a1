"""What a user reads: explain as plain text, --help and the README agree, the license,
and an sdist that holds what its own tests need."""

from __future__ import annotations

import subprocess
import sys
import tarfile
from importlib import metadata

import pytest

from conftest import ROOT, run_cli
from notecheck.cli import EXIT_CODES
from notecheck.rules import all_rules

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", [r.code for r in all_rules()] + ["NC009"])
def test_explain_is_plain_text_without_design_note_references(code):
    status, out, err = run_cli("explain", code)
    assert (status, err) == (0, "")
    assert out.startswith(f"{code} (")
    prose = "\n".join(line for line in out.splitlines() if not line.strip().startswith("```"))  # fences: note text
    assert "`" * 2 not in prose and "SPEC" not in out
    assert "What it finds" in out


def test_explain_renders_code_markup_as_its_text():
    _, out, _ = run_cli("explain", "NC301")
    assert out.startswith("NC301 (label-t-mismatch) — error, fixable (safe: applied by notecheck fix)\n")
    assert "    Rewrites t= from the label, keeping its form (5100s, 5100 or\n    1h25m)" in out
    assert "truth: it is what the note's author read off the video" in out
    _, out, _ = run_cli("explain", "NC411")
    assert "command substitution\n    (`, $() or expansions ($HOME)" in out  # a quoted backquote stays


def test_help_and_readme_say_the_same_about_exit_codes():
    _, out, _ = run_cli("--help")
    assert " ".join(EXIT_CODES.split()) in " ".join(out.split())
    _, out, _ = run_cli("check", "--help")
    assert " ".join(EXIT_CODES.split()) in " ".join(out.split())
    assert " ".join(EXIT_CODES.split()) in " ".join(README.split())
    assert "2 usage error, bad config" in EXIT_CODES


def test_mit_license_file_and_metadata():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 the notecheck authors\n")
    meta = metadata.metadata("notecheck")
    assert meta["License-Expression"] == "MIT"
    assert meta["Version"] == "0.2.0"
    import notecheck

    assert notecheck.__version__ == "0.2.0"


def _git_files() -> list[str] | None:
    proc = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True)
    if proc.returncode != 0:
        return None
    return [f for f in proc.stdout.decode().split("\0") if f]


def test_sdist_holds_what_its_tests_need(tmp_path):
    builders = pytest.importorskip("hatchling.builders.sdist")
    tracked = _git_files()
    if tracked is None:
        pytest.skip("not a git checkout (an unpacked sdist): nothing to compare the sdist with")

    sdist = next(builders.SdistBuilder(str(ROOT)).build(directory=str(tmp_path / "dist"), versions=["standard"]))
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
        tar.extractall(tmp_path / "unpacked", filter="data")

    # every tracked file is in it, but what only this repository's CI and git use
    missing = sorted(f for f in tracked if f not in names and f not in (".gitignore",) and (ROOT / f).exists())
    assert missing == []
    assert {"LICENSE", ".pre-commit-hooks.yaml", ".ci/run", "src/notecheck/py.typed"} <= names

    # the unpacked sdist runs the tests that read the repository's own files
    (unpacked,) = (tmp_path / "unpacked").iterdir()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/test_readme.py", "tests/test_schema.py", "tests/test_docs.py",
                           "tests/test_precommit.py::test_manifest_passes_pre_commits_schema",
                           "-k", "not sdist"], cwd=unpacked, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
