"""Sizes (issue 15, point 6): a size limit for notes and sidecars, and no stage that grows
faster than its input.

The limit (``max-file-size``, default far above any real note) is tested at its exact
value. Linearity is guarded without timing anything: by counting the operations a
quadratic stage would repeat (edits compared, lines sliced, re-checks run), or by a hang
guard with a budget 20-100x what a linear run needs (as in test_robustness.py). The
speed itself is measured by ``benchmarks/sizes.py``, by hand.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CLEAN, FIXTURES, run_cli
from notecheck.config import DEFAULT_MAX_FILE_SIZE, Config, ConfigError, from_mapping

CLEAN_TEXT = CLEAN.read_text(encoding="utf-8")
CLEAN_BYTES = CLEAN_TEXT.encode("utf-8")
LINK = "[1:35](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=95s)"
BROKEN_BYTES = CLEAN_TEXT.replace(LINK, LINK.replace("t=95s", "t=96s")).encode("utf-8")
MiB = 1024 * 1024


# ---------------------------------------------------------------------------- the option


def test_the_default_is_far_above_any_real_note():
    # the largest real note is 320 KB, the largest real sidecar a few MB
    assert Config().max_file_size == DEFAULT_MAX_FILE_SIZE == 16 * MiB


@pytest.mark.parametrize("value, size", [
    (5000, 5000), ("5000", 5000), ("64 KiB", 64 * 1024), ("64KB", 64_000), ("1.5 MB", 1_500_000),
    ("16 MiB", 16 * MiB), ("2 GiB", 2 * 1024 * MiB), ("1 gb", 10 ** 9), ("10 B", 10),
])
def test_max_file_size_takes_bytes_or_a_size_with_a_unit(value, size):
    assert from_mapping({"max-file-size": value}).max_file_size == size


@pytest.mark.parametrize("value", [0, -1, "0 MB", "-3 MB", "10 XB", "MB", "", "1e3", True, 1.5, float("nan"),
                                   "nan MB", "inf MB", [1]])
def test_max_file_size_refuses_what_is_not_a_positive_size(value):
    with pytest.raises(ConfigError, match="max-file-size: expected a size in bytes"):
        from_mapping({"max-file-size": value})


def test_max_file_size_from_the_config_file_and_the_command_line(tmp_path):
    note = tmp_path / "n.md"
    note.write_bytes(CLEAN_BYTES)
    size = len(CLEAN_BYTES)
    (tmp_path / ".notecheck.toml").write_text(f"max-file-size = {size - 1}\n", encoding="utf-8")
    code, out, err = run_cli("check", "--no-sidecar", str(note))
    assert code == 1 and " NC001 not checked: " in out
    code, out, err = run_cli("check", "--no-sidecar", "--max-file-size", str(size), str(note))  # the option wins
    assert (code, err) == (0, ""), out
    code, out, err = run_cli("check", "--no-sidecar", "--max-file-size", "lots", str(note))
    assert code == 2 and "--max-file-size: expected a size in bytes" in err


# ---------------------------------------------------------------------------- notes


def test_a_note_larger_than_the_limit_is_nc001_at_the_exact_boundary(tmp_path):
    note = tmp_path / "n.md"
    note.write_bytes(BROKEN_BYTES)
    size = len(BROKEN_BYTES)

    code, out, err = run_cli("check", "--no-sidecar", "--max-file-size", str(size - 1), str(note))
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == (f"{note}:1:1: NC001 not checked: {size:,} bytes, larger than max-file-size "
                                   f"({size - 1:,} bytes); raise max-file-size in the config or with --max-file-size")

    code, out, err = run_cli("check", "--no-sidecar", "--max-file-size", str(size), str(note))  # exactly at it
    assert code == 1 and " NC001 " not in out and " NC301 " in out


def test_fix_leaves_a_note_larger_than_the_limit_alone(tmp_path):
    note = tmp_path / "n.md"
    note.write_bytes(BROKEN_BYTES)
    code, out, err = run_cli("fix", "--no-sidecar", "--max-file-size", str(len(BROKEN_BYTES) - 1), str(note))
    assert code == 1 and " NC001 not checked: " in out and "Fixing" not in out
    assert note.read_bytes() == BROKEN_BYTES


def test_the_limit_is_shown_with_its_unit_when_it_has_one(tmp_path):
    note = tmp_path / "n.md"
    note.write_bytes(b"x" * (64 * 1024 + 1))
    code, out, err = run_cli("check", "--no-sidecar", "--max-file-size", "64 KiB", str(note))
    assert "NC001 not checked: 65,537 bytes, larger than max-file-size (64 KiB); " in out


class Endless(io.RawIOBase):
    """/dev/zero that counts what was read from it."""

    def __init__(self):
        self.read_so_far = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = len(buffer)
        buffer[:n] = b"\0" * n
        self.read_so_far += n
        return n


def test_check_of_endless_stdin_stops_at_the_limit(monkeypatch):
    source = Endless()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(source)))
    code, out, err = run_cli("check", "--max-file-size", "1 MiB", "-")
    assert (code, err) == (1, "")
    assert out.startswith("-:1:1: NC001 not checked: more than max-file-size (1 MiB) on standard input; ")
    assert MiB < source.read_so_far <= MiB + 64 * 1024  # the limit and one buffer, not a byte more


def test_check_of_dev_zero_stops_with_the_default_limit():
    # the command of the issue: it grew to 5.9 GB in 6 s; it must stop after 16 MiB
    with open(os.devnull if not os.path.exists("/dev/zero") else "/dev/zero", "rb") as zero:
        proc = subprocess.run([sys.executable, "-m", "notecheck", "check", "-"], stdin=zero, capture_output=True,
                              timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert b"NC001 not checked: more than max-file-size (16 MiB) on standard input" in proc.stdout


def test_fix_of_stdin_larger_than_the_limit_passes_it_through_unchanged():
    data = BROKEN_BYTES * 3
    proc = subprocess.run([sys.executable, "-m", "notecheck", "fix", "--max-file-size", str(len(data) - 1), "-"],
                          input=data, capture_output=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stdout == data  # nothing a user wrote is lost: the note comes out as it went in
    assert b"NC001 not checked: more than max-file-size" in proc.stderr


# ---------------------------------------------------------------------------- sidecars


@pytest.fixture
def sidecar_pair(tmp_path):
    for name in ("Hs9kWq2TzLm.md", "Hs9kWq2TzLm.json"):
        shutil.copy(FIXTURES / "sidecar" / name, tmp_path / name)
    with open(tmp_path / "Hs9kWq2TzLm.json", "a", encoding="utf-8") as fh:
        fh.write(" " * 4000)  # larger than the note, still the same JSON
    return tmp_path / "Hs9kWq2TzLm.md", tmp_path / "Hs9kWq2TzLm.json"


def test_a_sidecar_larger_than_the_limit_is_an_nc604_warning_at_the_exact_boundary(sidecar_pair):
    note, sidecar = sidecar_pair
    size = sidecar.stat().st_size
    assert size > note.stat().st_size  # so that the note itself stays under the limits below

    code, out, err = run_cli("check", "--output-format", "json", "--select", "NC6", "--max-file-size",
                             str(size - 1), str(note))
    (finding,) = json.loads(out)
    assert (finding["code"], finding["severity"]) == ("NC604", "warning")
    assert finding["message"] == (f"sidecar {sidecar} is {size:,} bytes, larger than max-file-size "
                                  f"({size - 1:,} bytes); not read; sidecar checks NC601-NC604 skipped for this note")

    code, out, err = run_cli("check", "--output-format", "json", "--select", "NC6", "--max-file-size",
                             str(size), str(note))
    assert all("larger than" not in f["message"] for f in json.loads(out))
