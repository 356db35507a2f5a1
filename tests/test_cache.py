"""The result cache (notecheck/cache.py), through the command line.

A corpus with findings of every kind (fixes with edits, sidecars, suppressions,
per-file-ignores, an undecodable note) is checked cold (``--no-cache``), then with the
cache; the output must be byte for byte the same, and a spy on ``runner.check_parsed``
shows which notes the run checked itself rather than took from the cache.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CLEAN, FIXTURES, SAMPLES, run_cli
from notecheck import cache as cache_mod
from notecheck import fixer, runner

SAMPLE = SAMPLES / "lXUZvyajciY.md"
SIDECAR_DIR = FIXTURES / "sidecar"
VID = "Hs9kWq2TzLm"
URL = f"https://www.youtube.com/watch?v={VID}"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def make_corpus(root: Path) -> Path:
    """A project: a config with per-file-ignores, notes with findings, a sidecar, suppressions."""
    notes, quiet = root / "notes", root / "quiet"
    notes.mkdir(parents=True)
    quiet.mkdir()
    (root / ".notecheck.toml").write_text('ignore = ["NC202"]\n\n[per-file-ignores]\n"quiet/*.md" = ["NC5"]\n')
    sample = SAMPLE.read_text(encoding="utf-8")
    (notes / "lXUZvyajciY.md").write_text(sample, encoding="utf-8")  # NC004 and NC301 fixes, NC501, NC502
    (quiet / "lXUZvyajciY.md").write_text(sample, encoding="utf-8")  # the same, NC5xx ignored by the config
    # a suppression that silences an NC501 and one that silences nothing (NC009 with the flag)
    lines = sample.split("\n")
    lines.insert(65, "<!-- notecheck: disable=NC501 -->")
    lines.insert(30, "<!-- notecheck: disable=NC305 -->")
    (notes / "suppressed.md").write_text("\n".join(lines), encoding="utf-8")
    # the sidecar pair, with an NC603 (a paragraph time no segment starts at)
    paired = (SIDECAR_DIR / f"{VID}.md").read_text(encoding="utf-8")
    (notes / f"{VID}.md").write_text(paired.replace(f"[5:58]({URL}&t=358s)", f"[5:59]({URL}&t=359s)"),
                                     encoding="utf-8")
    shutil.copy(SIDECAR_DIR / f"{VID}.json", notes / f"{VID}.json")
    (notes / "clean.md").write_bytes(CLEAN.read_bytes())
    (notes / "crlf.md").write_bytes(CLEAN.read_bytes().replace(b"\n", b"\r\n"))
    (notes / "binary.md").write_bytes(b"---\nvideo_id: \xff\xfe\n---\n")  # NC001
    return root


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = make_corpus(tmp_path / "project")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def computed(monkeypatch):
    """The shown paths of the notes a run checked itself (in this process: -j1)."""
    seen: list[str] = []
    real = runner.check_parsed

    def spy(note, path, config, shown):
        seen.append(shown)
        return real(note, path, config, shown)

    monkeypatch.setattr(runner, "check_parsed", spy)
    return seen


def cache_dir() -> Path:
    return Path(os.environ[cache_mod.ENV_CACHE_DIR])


def entries(folder: Path | None = None) -> list[Path]:
    return sorted((folder or cache_dir()).glob("*/*.json"))


def cold(*args: str) -> tuple[int, str, str]:
    return run_cli(*args[:1], "--no-cache", *args[1:])


NOTES = ["notes/Hs9kWq2TzLm.md", "notes/binary.md", "notes/clean.md", "notes/crlf.md", "notes/lXUZvyajciY.md",
         "notes/suppressed.md", "quiet/lXUZvyajciY.md"]
ALL = ["notes", "quiet"]


# --------------------------------------------------------------------------- same output


@pytest.mark.parametrize("fmt", ["full", "concise", "json", "github", "gitlab", "sarif", "junit"])
def test_a_cached_run_prints_exactly_what_a_cold_run_prints(project, computed, fmt):
    args = ("check", "-j1", "--report-unused-suppressions", "--output-format", fmt, *ALL)
    expected = cold(*args)
    assert expected[0] == 1 and expected[2] == ""
    computed.clear()

    assert run_cli(*args) == expected  # cold, writing the cache
    assert sorted(computed) == NOTES
    assert len(entries()) == len(NOTES)
    computed.clear()

    assert run_cli(*args) == expected  # every note from the cache
    assert computed == []


def test_the_corpus_holds_what_the_cache_must_keep(project):
    code, out, _ = cold("check", "-j1", "--report-unused-suppressions", "--output-format", "json", *ALL)
    diags = json.loads(out)
    codes = {(d["path"], d["code"]) for d in diags}
    assert {("notes/lXUZvyajciY.md", c) for c in ("NC004", "NC301", "NC501", "NC502")} <= codes
    assert ("notes/Hs9kWq2TzLm.md", "NC603") in codes  # found through the sidecar
    assert ("notes/suppressed.md", "NC009") in codes
    assert ("notes/binary.md", "NC001") in codes
    assert not any(path.startswith("quiet/") and code.startswith("NC5") for path, code in codes)
    assert sum(d["path"] == "notes/suppressed.md" and d["code"] == "NC501" for d in diags) == \
        sum(d["path"] == "notes/lXUZvyajciY.md" and d["code"] == "NC501" for d in diags) - 1
    assert any(d["fix"] and d["fix"]["edits"] for d in diags)


def test_cached_text_shows_the_source_lines(project, computed):
    args = ("check", "-j1", "notes/lXUZvyajciY.md")
    expected = cold(*args)
    run_cli(*args)
    computed.clear()
    code, out, _ = run_cli(*args)
    assert computed == [] and (code, out) == expected[:2]
    assert '    3 | title: "Andrej Karpathy â€” ' in out


def test_parallel_workers_write_entries_a_later_run_uses(project, computed):
    for i in range(20):  # enough notes for the process pool
        shutil.copy(CLEAN, project / "notes" / f"copy{i:02d}.md")
    args = ("check", "--output-format", "json", *ALL)
    expected = cold(*args)
    assert run_cli("check", "-j2", *args[1:]) == expected
    assert len(entries()) == len(NOTES) + 20
    computed.clear()
    assert run_cli("check", "-j2", *args[1:]) == expected
    assert computed == []


# --------------------------------------------------------------------------- what invalidates an entry


def prime(*args: str) -> tuple[int, str, str]:
    out = run_cli("check", "-j1", "--output-format", "json", *args)
    assert entries(), "the run wrote no cache entries"
    return out


ALWAYS_RACY = 10**18  # every file counts as just changed, however slow the machine running the test


@pytest.fixture(params=["racy", "old"])
def age(request, monkeypatch):
    """Run a test as if every file had just been written (racy: always hashed) and as if every
    file had been written long ago (RACY_NS = 0: equal stat data are trusted)."""
    monkeypatch.setattr(cache_mod, "RACY_NS", ALWAYS_RACY if request.param == "racy" else 0)
    return request.param


def test_changed_note_bytes_invalidate_even_with_the_same_size_and_mtime(project, computed, age):
    note = project / "notes" / "clean.md"
    prime("notes/clean.md")
    st = note.stat()
    data = note.read_bytes()
    note.write_bytes(data.replace(b"## Summary", b"## Sxmmary", 1))  # same size
    os.utime(note, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the old mtime
    computed.clear()
    code, out, _ = run_cli("check", "-j1", "--output-format", "json", "notes/clean.md")
    assert computed == ["notes/clean.md"]
    assert (code, out) == cold("check", "-j1", "--output-format", "json", "notes/clean.md")[:2]
    assert "NC201" in out  # the Summary section is missing now


def test_a_touched_note_is_hashed_and_still_answered_from_the_cache(project, computed):
    note = project / "notes" / "lXUZvyajciY.md"
    expected = prime("notes/lXUZvyajciY.md")
    os.utime(note, ns=(1_000_000_000, 1_000_000_000))  # stat data change, bytes do not
    computed.clear()
    assert run_cli("check", "-j1", "--output-format", "json", "notes/lXUZvyajciY.md") == expected
    assert computed == []
    doc = cache_mod.read_entry(str(entries()[0]))
    assert doc["note"]["stat"][1] == 1_000_000_000  # refreshed: the next run trusts the stat data again


@pytest.mark.parametrize("change", ["edit", "remove", "add"])
def test_the_sidecar_invalidates(project, computed, change, age):
    note, sidecar = "notes/Hs9kWq2TzLm.md", project / "notes" / f"{VID}.json"
    if change == "add":
        sidecar.unlink()
    prime(note)
    if change == "edit":
        doc = json.loads(sidecar.read_text("utf-8"))
        doc["duration"] += 60  # NC604
        sidecar.write_text(json.dumps(doc), encoding="utf-8")
    elif change == "remove":
        sidecar.unlink()
    else:
        shutil.copy(SIDECAR_DIR / f"{VID}.json", sidecar)
    computed.clear()
    got = run_cli("check", "-j1", "--output-format", "json", note)
    assert computed == [note]
    assert got == cold("check", "-j1", "--output-format", "json", note)
    codes = {d["code"] for d in json.loads(got[1])}
    assert ("NC603" in codes) == (change != "remove")
    assert ("NC604" in codes) == (change == "edit")


def test_a_sidecar_that_changes_during_the_check_is_not_cached(project, monkeypatch):
    sidecar = project / "notes" / f"{VID}.json"
    real = runner.check_parsed

    def check_while_it_changes(note, path, config, shown):
        result = real(note, path, config, shown)
        sidecar.write_text(sidecar.read_text("utf-8").replace('"duration": ', '"duration":  '), encoding="utf-8")
        return result

    monkeypatch.setattr(runner, "check_parsed", check_while_it_changes)
    run_cli("check", "-j1", f"notes/{VID}.md", "notes/clean.md")
    assert [cache_mod.read_entry(str(p))["note"]["path"] for p in entries()] == ["notes/clean.md"]


def test_a_sidecar_named_after_the_note_counts_as_well_as_one_named_after_the_video(project, computed):
    # load_for tries <video_id>.json, then <stem>.json: the cache records both places
    renamed = project / "notes" / "renamed.md"
    shutil.move(project / "notes" / f"{VID}.md", renamed)
    (project / "notes" / f"{VID}.json").rename(project / "notes" / "unrelated.json")
    prime("notes/renamed.md")
    doc = cache_mod.read_entry(str(entries()[0]))
    assert [(Path(d["path"]).name, d["hash"] is None) for d in doc["sidecars"]] == [
        (f"{VID}.json", True), ("renamed.json", True)]
    shutil.copy(SIDECAR_DIR / f"{VID}.json", project / "notes" / "renamed.json")
    computed.clear()
    got = run_cli("check", "-j1", "--output-format", "json", "notes/renamed.md")
    assert computed == ["notes/renamed.md"]
    assert "NC603" in {d["code"] for d in json.loads(got[1])}


def test_a_sidecar_in_the_sidecar_folder_counts(project, computed):
    transcripts = project / "transcripts"
    transcripts.mkdir()
    (project / "notes" / f"{VID}.json").rename(transcripts / f"{VID}.json")
    args = ("check", "-j1", "--output-format", "json", "--sidecar", "transcripts", f"notes/{VID}.md")
    run_cli(*args)
    doc = cache_mod.read_entry(str(entries()[0]))
    assert [d["path"] for d in doc["sidecars"]] == [os.path.join("transcripts", f"{VID}.json")]
    (transcripts / f"{VID}.json").unlink()
    computed.clear()
    got = run_cli(*args)
    assert computed == [f"notes/{VID}.md"]
    assert got == cold(*args)


def test_a_config_file_further_up_invalidates(project, computed):
    prime(*ALL)
    (project / ".notecheck.toml").write_text('ignore = ["NC202", "NC004"]\n\n[per-file-ignores]\n"quiet/*.md" = ["NC5"]\n')
    computed.clear()
    got = run_cli("check", "-j1", "--output-format", "json", *ALL)
    assert sorted(computed) == NOTES
    assert got == cold("check", "-j1", "--output-format", "json", *ALL)
    assert "NC004" not in got[1]


def test_a_config_comment_changes_nothing_and_keeps_the_cache(project, computed):
    prime(*ALL)
    with open(project / ".notecheck.toml", "a") as fh:
        fh.write("# a comment\n")
    computed.clear()
    run_cli("check", "-j1", "--output-format", "json", *ALL)
    assert computed == []


def test_command_line_settings_are_part_of_the_key(project, computed):
    prime(*ALL)
    computed.clear()
    got = run_cli("check", "-j1", "--output-format", "json", "--select", "NC3", *ALL)
    assert sorted(computed) == NOTES
    assert {d["code"] for d in json.loads(got[1])} == {"NC301"}
    computed.clear()
    run_cli("check", "-j1", "--output-format", "json", *ALL)  # both entries are kept
    assert computed == []


def test_another_version_does_not_read_the_entries(project, computed, monkeypatch):
    prime(*ALL)
    this = cache_mod.__version__
    monkeypatch.setattr(cache_mod, "__version__", "99.0.0")
    computed.clear()
    run_cli("check", "-j1", "--output-format", "json", *ALL)
    assert sorted(computed) == NOTES
    assert sorted(p.parent.name for p in entries()) == [this] * len(NOTES) + ["99.0.0"] * len(NOTES)


def test_the_working_directory_is_part_of_the_key(project, computed, monkeypatch):
    prime("notes/lXUZvyajciY.md")
    monkeypatch.chdir(project / "notes")
    computed.clear()
    code, out, _ = run_cli("check", "-j1", "--output-format", "json", "lXUZvyajciY.md")
    assert computed == ["lXUZvyajciY.md"]
    assert {d["path"] for d in json.loads(out)} == {"lXUZvyajciY.md"}


def test_rules_registered_from_outside_the_package_change_the_tool_fingerprint(marker_rules_guard):
    before = cache_mod.tool_fingerprint()
    from notecheck import rules as rules_mod
    from notecheck.diagnostic import Finding

    def extra(note, ctx):
        yield Finding(0, "x")

    rules_mod.rule("NC913", "test-extra", summary="a test rule")(extra)
    assert cache_mod.tool_fingerprint() != before


@pytest.fixture
def marker_rules_guard():
    from notecheck import rules as rules_mod

    rules_mod.all_rules()
    saved = dict(rules_mod.REGISTRY)
    yield
    rules_mod.REGISTRY.clear()
    rules_mod.REGISTRY.update(saved)


def test_config_key_covers_every_config_field():
    import copy
    from dataclasses import fields

    from notecheck.config import Config

    base = Config()
    for f in fields(Config):  # a field added later is covered without a change here
        other = copy.copy(base)
        object.__setattr__(other, f.name, f"another {f.name}")
        assert cache_mod.config_key(other) != cache_mod.config_key(base), f.name
    assert cache_mod.config_key(Config()) == cache_mod.config_key(Config())


# --------------------------------------------------------------------------- entries that are not trusted


def _sign(body: bytes) -> bytes:
    return cache_mod._digest(body).encode() + b"\n" + body


def _resign(path: Path, change) -> None:
    doc = json.loads(path.read_bytes().partition(b"\n")[2])
    change(doc)
    path.write_bytes(_sign(json.dumps(doc).encode()))


def _bad_field(doc):
    doc["result"]["diagnostics"][0][1] = 0  # line 0


def _bad_code(doc):
    doc["result"]["diagnostics"][0][3] = "__import__('os')"


def _bad_fix(doc):
    for row in doc["result"]["diagnostics"]:
        if row[9] is not None:
            row[9][2] = [[5, 2, "x"]]  # an edit that ends before it starts


@pytest.mark.parametrize("damage", [
    "truncated", "empty", "garbage", "altered", "other format", "other tool", "other key", "line 0",
    "bad code", "bad fix", "not an object", "a folder", "a symlink",
])
def test_a_damaged_or_foreign_entry_is_ignored_and_rewritten(project, computed, damage):
    args = ("check", "-j1", "--output-format", "json", "notes/lXUZvyajciY.md")
    expected = prime(*args[4:])
    (entry,) = entries()
    blob = entry.read_bytes()
    if damage == "truncated":
        entry.write_bytes(blob[: len(blob) // 2])
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "garbage":
        entry.write_bytes(os.urandom(2000))
    elif damage == "altered":  # a message edited by hand, the header hash left as it was
        entry.write_bytes(blob.replace(b"mojibake", b"MOJIBAKE"))
    elif damage == "other format":
        _resign(entry, lambda d: d.update(format=cache_mod.FORMAT + 1))
    elif damage == "other tool":
        _resign(entry, lambda d: d.update(tool="0" * 64))
    elif damage == "other key":
        _resign(entry, lambda d: d["key"].__setitem__(1, "notes/clean.md"))
    elif damage == "line 0":
        _resign(entry, _bad_field)
    elif damage == "bad code":
        _resign(entry, _bad_code)
    elif damage == "bad fix":
        _resign(entry, _bad_fix)
    elif damage == "not an object":
        entry.write_bytes(_sign(b"[1, 2, 3]"))
    elif damage == "a folder":
        entry.unlink()
        entry.mkdir()
    elif damage == "a symlink":  # to a file that never ends: never opened
        entry.unlink()
        entry.symlink_to("/dev/zero")
    computed.clear()
    assert run_cli(*args) == expected
    assert computed == ["notes/lXUZvyajciY.md"]
    if damage not in ("a folder",):  # rewritten whole
        computed.clear()
        assert run_cli(*args) == expected
        assert computed == []


# --------------------------------------------------------------------------- options and location


def test_no_cache_neither_reads_nor_writes(project, computed):
    code, out, err = run_cli("check", "-j1", "--no-cache", *ALL)
    assert not cache_dir().exists() or not entries()
    prime(*ALL)
    for entry in entries():  # a valid-looking entry with a wrong result
        _resign(entry, lambda d: d["result"].update(diagnostics=[], excerpts=[]))
    computed.clear()
    assert run_cli("check", "-j1", "--no-cache", *ALL) == (code, out, err)
    assert sorted(computed) == NOTES


def test_cache_dir_option_and_environment(project, tmp_path, monkeypatch):
    env_dir, opt_dir = tmp_path / "from-env", tmp_path / "from-option"
    monkeypatch.setenv(cache_mod.ENV_CACHE_DIR, str(env_dir))
    run_cli("check", "-j1", *ALL)
    assert len(entries(env_dir)) == len(NOTES)
    run_cli("check", "-j1", "--cache-dir", str(opt_dir), *ALL)  # the option wins over the variable
    assert len(entries(opt_dir)) == len(NOTES)
    assert not (project / ".notecheck_cache").exists()


def test_default_location_is_the_config_files_folder(project, monkeypatch):
    monkeypatch.delenv(cache_mod.ENV_CACHE_DIR)
    monkeypatch.chdir(project / "notes")  # below the project root
    run_cli("check", "-j1", ".")
    folder = project / ".notecheck_cache"
    assert len(entries(folder)) == 6
    assert not (project / "notes" / ".notecheck_cache").exists()
    assert (folder / ".gitignore").read_text() == "# Automatically created by notecheck.\n*\n"
    assert (folder / "CACHEDIR.TAG").read_bytes().startswith(b"Signature: 8a477f597d28d172789f06886806bc55")


def test_default_location_without_a_config_file_or_with_config_is_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.delenv(cache_mod.ENV_CACHE_DIR)
    notes = tmp_path / "a" / "notes"
    notes.mkdir(parents=True)
    shutil.copy(CLEAN, notes / "clean.md")
    monkeypatch.chdir(tmp_path / "a")
    run_cli("check", "notes")
    assert len(entries(tmp_path / "a" / ".notecheck_cache")) == 1
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "cfg.toml").write_text('ignore = ["NC202"]\n')
    monkeypatch.chdir(notes)
    run_cli("check", "--config", str(tmp_path / "elsewhere" / "cfg.toml"), "clean.md")
    assert len(entries(notes / ".notecheck_cache")) == 1
    assert not (tmp_path / "elsewhere" / ".notecheck_cache").exists()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_does_not_see_the_cache(project, monkeypatch):
    monkeypatch.delenv(cache_mod.ENV_CACHE_DIR)
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    run_cli("check", *ALL)
    assert (project / ".notecheck_cache").is_dir()
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=project,
                            capture_output=True, text=True, check=True).stdout
    assert ".notecheck_cache" not in status and "notes/clean.md" in status


def test_fix_reads_the_cache_but_never_writes_it(project):
    run_cli("fix", "-j1", *ALL)
    assert not cache_dir().exists() or not entries()
    prime("notes/clean.md")
    (entry,) = entries()
    before = entry.read_bytes()
    os.utime(project / "notes" / "clean.md", ns=(1_000_000_000, 1_000_000_000))
    run_cli("fix", "-j1", *ALL)  # the entry answers (the hash matches) but is not refreshed
    assert entries() == [entry] and entry.read_bytes() == before


def test_standard_input_is_not_cached(project):
    data = (project / "notes" / "lXUZvyajciY.md").read_bytes()
    first = run_cli("check", "--stdin-filename", "notes/lXUZvyajciY.md", "-", stdin=data)
    assert first[0] == 1
    assert not cache_dir().exists() or not entries()
    assert run_cli("fix", "--stdin-filename", "notes/lXUZvyajciY.md", "-", stdin=data)[0] == 1
    assert not cache_dir().exists() or not entries()


# --------------------------------------------------------------------------- a cache that cannot be written


def test_a_cache_folder_that_cannot_be_made_costs_a_warning_not_the_run(project, computed):
    blocker = project / "a-file"
    blocker.write_text("")
    expected = cold("check", "-j1", "--output-format", "json", *ALL)
    code, out, err = run_cli("check", "-j1", "--output-format", "json", "--cache-dir", str(blocker / "cache"), *ALL)
    assert (code, out) == expected[:2]
    assert err.count("warning: cannot write the cache in") == 1 and str(blocker / "cache") in err


def test_entries_that_cannot_be_written_cost_nothing(project, monkeypatch):
    expected = cold("check", "-j1", *ALL)
    run_cli("check", "-j1", "notes/clean.md")  # the folder now exists, with its .gitignore
    real_open = os.open

    def no_new_files(path, flags, *args, **kwargs):  # what a read-only folder does, even to root
        if flags & os.O_CREAT and str(path).startswith(str(cache_dir())):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", no_new_files)
    assert run_cli("check", "-j1", *ALL) == expected
    assert len(entries()) == 1 and not list(cache_dir().rglob("*.tmp"))


def test_a_read_only_file_system_costs_one_warning(project, monkeypatch):
    expected = cold("check", "-j1", *ALL)

    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(os, "makedirs", read_only)
    code, out, err = run_cli("check", "-j1", *ALL)
    assert (code, out) == expected[:2]
    assert err == (f"notecheck: warning: cannot write the cache in {cache_dir()}: Read-only file system; "
                   "checking without it (--no-cache turns it off, --cache-dir moves it)\n")


@pytest.mark.skipif(IS_ROOT or sys.platform == "win32", reason="root writes into read-only folders")
def test_a_read_only_cache_folder_for_real(project):
    expected = cold("check", "-j1", *ALL)
    run_cli("check", "-j1", *ALL)
    folder = cache_dir()
    for d in (folder, *folder.iterdir()):
        if d.is_dir():
            os.chmod(d, 0o555)
    try:
        (project / "notes" / "clean.md").write_text(CLEAN.read_text() + "\nmore\n")
        expected = cold("check", "-j1", *ALL)
        assert run_cli("check", "-j1", *ALL)[:2] == expected[:2]
    finally:
        for d in (folder, *folder.iterdir()):
            if d.is_dir():
                os.chmod(d, 0o755)


# --------------------------------------------------------------------------- two runs at once


def test_two_processes_writing_at_once_leave_a_valid_cache(project):
    for i in range(30):
        shutil.copy(SAMPLE if i % 3 == 0 else CLEAN, project / "notes" / f"copy{i:02d}.md")
    cmd = [sys.executable, "-m", "notecheck", "check", "--output-format", "json", "-j2", *ALL]
    expected = subprocess.run([*cmd, "--no-cache"], cwd=project, capture_output=True)
    assert expected.returncode == 1
    for _ in range(2):  # the second time, both read what the first pair wrote
        procs = [subprocess.Popen(cmd, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        for proc in procs:
            out, err = proc.communicate(timeout=300)
            assert (proc.returncode, out, err) == (1, expected.stdout, b"")
    found = entries()
    assert len(found) == len(NOTES) + 30
    assert all(cache_mod.read_entry(str(p)) is not None for p in found)
    assert not list(cache_dir().rglob("*.tmp"))


# --------------------------------------------------------------------------- fix and the cache


@pytest.fixture
def fixed_notes(monkeypatch):
    """The shown paths of the notes fix ran its fixer on."""
    seen: list[str] = []
    real = fixer.fix_note

    def spy(text, config=None, path=None, **kwargs):
        seen.append(path)
        return real(text, config, path, **kwargs)

    monkeypatch.setattr(fixer, "fix_note", spy)
    return seen


def test_fix_never_skips_a_note_it_must_rewrite(project, fixed_notes):
    prime(*ALL)  # the cache now holds results with safe fixes
    before = (project / "notes" / "lXUZvyajciY.md").read_bytes()
    code, out, err = run_cli("fix", "-j1", *ALL)
    assert "Fixing notes/lXUZvyajciY.md" in out
    assert (project / "notes" / "lXUZvyajciY.md").read_bytes() != before
    assert "notes/lXUZvyajciY.md" in fixed_notes and "quiet/lXUZvyajciY.md" in fixed_notes
    # notes whose cached results hold no fix were not run through the fixer
    assert "notes/clean.md" not in fixed_notes and "notes/Hs9kWq2TzLm.md" not in fixed_notes
    # and the report is what a run without the cache gives
    shutil.rmtree(project)
    make_corpus(project)
    os.chdir(project)  # the same path, a new folder (monkeypatch restores the old one)
    assert run_cli("fix", "-j1", "--no-cache", *ALL) == (code, out, err)


def _unsafe_only(project: Path) -> str:
    """The sidecar note with a highlight cited 4 s late: NC602, fixable only with --unsafe-fixes."""
    note = project / "notes" / f"{VID}.md"
    text = (SIDECAR_DIR / f"{VID}.md").read_text("utf-8")
    head, sep, rest = text.partition("## Key Points")
    note.write_text((head.replace("t=365s", "t=369s").replace("[6:05]", "[6:09]")
                     .replace('"*6:05-7:40"', '"*6:09-7:44"').replace("-6m05s.mp4", "-6m09s.mp4")) + sep + rest,
                    encoding="utf-8")
    return f"notes/{VID}.md"


def test_unsafe_fixes_are_applied_though_the_cache_answered_a_safe_fix(project, fixed_notes):
    name = _unsafe_only(project)
    note = project / name
    broken = note.read_bytes()
    prime(name)
    code, out, err = run_cli("fix", "-j1", "--output-format", "json", name)
    assert code == 1 and note.read_bytes() == broken
    assert fixed_notes == []  # nothing safe to fix: the cached result answered
    assert [d["code"] for d in json.loads(out)] == ["NC602"]
    code, out, err = run_cli("fix", "-j1", "--diff", "--unsafe-fixes", name)
    assert code == 1 and out.startswith(f"--- {name}\n+++ {name}\n") and note.read_bytes() == broken
    code, out, err = run_cli("fix", "-j1", "--unsafe-fixes", name)
    assert code == 0 and f"Fixing {name}" in out
    assert note.read_bytes() == (SIDECAR_DIR / f"{VID}.md").read_bytes()
    # and the fixed note is checked afresh
    assert run_cli("check", "-j1", "--output-format", "json", name)[:2] == (0, "[]\n")


def test_a_baseline_hides_the_same_findings_with_and_without_the_cache(project, fixed_notes):
    prime(*ALL)
    assert run_cli("check", "-j1", "--no-cache", "--write-baseline", "base.json", "notes")[0] == 0
    (project / "notes" / "new.md").write_bytes(SAMPLE.read_bytes())  # its findings are new
    args = ("check", "-j1", "--output-format", "json", "--baseline", "base.json", *ALL)
    expected = cold(*args)
    assert run_cli(*args) == expected
    assert {d["path"] for d in json.loads(expected[1])} == {"notes/new.md", "quiet/lXUZvyajciY.md"}
    # fix with a baseline fixes and reports only new findings: no note is answered from the cache
    args = ("fix", "-j1", "--diff", "--baseline", "base.json", *ALL)
    expected = cold(*args)
    fixed_notes.clear()
    assert run_cli(*args) == expected
    assert "+++ notes/new.md" in expected[1] and "notes/lXUZvyajciY.md" not in expected[1]
    assert "notes/clean.md" in fixed_notes


def test_diff_shows_what_a_cached_note_would_get(project):
    prime(*ALL)
    assert run_cli("fix", "-j1", "--diff", *ALL) == cold("fix", "-j1", "--diff", *ALL)


# --------------------------------------------------------------------------- racy entries


def test_a_note_changed_just_before_it_was_read_is_hashed_on_every_lookup(project, monkeypatch):
    monkeypatch.setattr(cache_mod, "RACY_NS", ALWAYS_RACY)
    prime("notes/clean.md")
    doc = cache_mod.read_entry(str(entries()[0]))
    assert doc["note"]["racy"] is True
    reads: list[str] = []
    real = cache_mod._read
    monkeypatch.setattr(cache_mod, "_read", lambda path, limit=None: reads.append(path) or real(path, limit))
    run_cli("check", "-j1", "notes/clean.md")
    assert reads == ["notes/clean.md"]


def test_a_note_of_another_size_is_checked_again_without_being_read_by_the_lookup(project, monkeypatch, computed):
    # another size is other bytes: the lookup does not hash them (a note grown past max-file-size
    # would otherwise be read whole, only for the check to refuse it unread)
    monkeypatch.setattr(cache_mod, "RACY_NS", ALWAYS_RACY)  # equal stat data would not be trusted either
    prime("notes/clean.md")
    note = project / "notes" / "clean.md"
    note.write_bytes(note.read_bytes() + b"\nOne more line.\n")
    reads: list[str] = []
    real = cache_mod._read
    monkeypatch.setattr(cache_mod, "_read", lambda path, limit=None: reads.append(path) or real(path, limit))
    computed.clear()
    run_cli("check", "-j1", "notes/clean.md")
    assert reads == []
    assert computed == ["notes/clean.md"]


def test_an_old_note_is_answered_from_its_stat_data_alone(project, monkeypatch, computed):
    monkeypatch.setattr(cache_mod, "RACY_NS", 0)  # as if the note was last written long ago
    prime("notes/clean.md")
    doc = cache_mod.read_entry(str(entries()[0]))
    assert doc["note"]["racy"] is False
    monkeypatch.setattr(cache_mod, "_read", lambda *a, **k: pytest.fail("the note was read"))
    computed.clear()
    run_cli("check", "-j1", "notes/clean.md")
    assert computed == []


def test_racy_is_decided_on_mtime_and_ctime_against_the_time_of_reading():
    t0 = 10 * cache_mod.RACY_NS

    class St:
        def __init__(self, mtime, ctime):
            self.st_mtime_ns, self.st_ctime_ns = mtime, ctime

    assert not cache_mod._racy(St(t0 - cache_mod.RACY_NS, t0 - cache_mod.RACY_NS), t0)
    assert cache_mod._racy(St(t0 - cache_mod.RACY_NS + 1, 0), t0)
    assert cache_mod._racy(St(0, t0 - cache_mod.RACY_NS + 1), t0)
    assert cache_mod._racy(St(t0 + 5, 0), t0)  # a future mtime (clock skew)


# --------------------------------------------------------------------------- notecheck clean


def test_clean_removes_the_cache_and_says_what(project, monkeypatch):
    monkeypatch.delenv(cache_mod.ENV_CACHE_DIR)
    run_cli("check", *ALL)
    nested = project / "notes" / "deeper"
    nested.mkdir()
    (nested / ".notecheck.toml").write_text("")
    shutil.copy(CLEAN, nested / "n.md")
    run_cli("check", "notes/deeper")
    assert (nested / ".notecheck_cache").is_dir()
    monkeypatch.chdir(project / "notes")  # below the project root: its cache is still found
    code, out, err = run_cli("clean")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"Removed the cache at {project / '.notecheck_cache'} ({len(NOTES) + 2} files, ")
    assert lines[1].startswith(f"Removed the cache at {os.path.join('deeper', '.notecheck_cache')} (3 files, ")
    assert not (project / ".notecheck_cache").exists() and not (nested / ".notecheck_cache").exists()
    assert run_cli("clean") == (0, "No notecheck cache to remove.\n", "")


def test_clean_keeps_files_notecheck_did_not_write(project, tmp_path):
    shared = tmp_path / "shared-cache"
    shared.mkdir()
    (shared / "mine.txt").write_text("keep me")
    run_cli("check", "--cache-dir", str(shared), *ALL)
    (shared / cache_mod.__version__ / "notes.md").write_text("keep me too")
    code, out, _ = run_cli("clean", "--cache-dir", str(shared))
    assert code == 0
    assert f"({len(NOTES) + 2} files," in out and "kept 2 files notecheck did not write" in out
    assert sorted(p.name for p in shared.rglob("*")) == sorted([cache_mod.__version__, "mine.txt", "notes.md"])


def test_clean_uses_the_environment_variable(project):
    run_cli("check", *ALL)
    assert entries()
    code, out, _ = run_cli("clean")
    assert code == 0 and out.startswith(f"Removed the cache at {cache_dir()} ")
    assert not cache_dir().exists()


_VALUES = (st.none() | st.booleans() | st.integers(-2, 3) | st.sampled_from(["", "a.md", "NC501", "nc501", "error",
                                                                              "warning", "x"])
           | st.just(["unsafe", "why", [[1, 2, "x"]]]) | st.just(["bad", "", []]) | st.floats(0, 2))


_VALID_ROW = ["a.md", 3, 1, "NC501", "warning", "m", True, 3, 9, ["unsafe", "why", [[1, 2, "x"]]], 40]


@st.composite
def _rows(draw):  # a valid row with up to three fields replaced: near misses on each check
    row = list(_VALID_ROW)
    for _ in range(draw(st.integers(0, 3))):
        row[draw(st.integers(0, 10))] = draw(_VALUES)
    return row


@settings(max_examples=800, deadline=None)
@given(_rows())
def test_a_cached_finding_is_checked_as_each_field_check_checks_it(row):
    # decode_result checks a row of Diagnostic's fields written out (cache._row); it must
    # accept and refuse exactly what the per-field checks (cache._CHECKS) accept and refuse
    from notecheck import cache

    def by_field():
        return [cache._CHECKS[name](value) for name, value in zip(cache._ROW_FIELDS, row)]

    try:
        expected = by_field()
    except (cache._Malformed, TypeError, ValueError):
        expected = None
    try:
        got = cache._row(row)
    except (cache._Malformed, TypeError, ValueError):
        got = None
    assert got == expected
    assert cache._diagnostic_fields() == cache._ROW_FIELDS  # else decode_result checks field by field


def test_a_note_with_more_findings_than_an_entry_holds_is_checked_every_time(tmp_path, monkeypatch):
    # past MAX_ENTRY_FINDINGS a result is not stored (its entry would near double the check's
    # memory); the note is checked again, with the same output, and at the limit it is stored
    note = tmp_path / "n.md"
    note.write_text(CLEAN.read_text(encoding="utf-8").replace("## Summary\n", "## Summary\nâ€” Ã© â€”\n", 1),
                    encoding="utf-8")
    cache_dir = tmp_path / "cache"
    first = run_cli("check", "--cache-dir", str(cache_dir), str(note))
    count = first[1].count("NC004")
    assert count >= 2
    monkeypatch.setattr(cache_mod, "MAX_ENTRY_FINDINGS", count - 1)
    shutil.rmtree(cache_dir)
    assert run_cli("check", "--cache-dir", str(cache_dir), str(note)) == first
    assert not list(cache_dir.rglob("*.json"))
    monkeypatch.setattr(cache_mod, "MAX_ENTRY_FINDINGS", count)
    assert run_cli("check", "--cache-dir", str(cache_dir), str(note)) == first
    assert len(list(cache_dir.rglob("*.json"))) == 1


@pytest.mark.parametrize("config", [True, False])
def test_a_cached_run_imports_neither_the_checker_nor_typing(project, config):
    # what a run answered from the cache costs is mostly imports: it parses no note (notecheck.note),
    # runs no rule, checks the config's codes without the rule modules, and imports neither
    # OpenSSL's hashes (~2 ms) nor, without a config file (tomllib needs it), typing (~5 ms).
    # What counts is what the run adds: an interpreter may load typing before any of our code
    # (CI's system Python does, from a .pth file that imports certifi), so the modules already
    # there when the script starts are left out, and the expected answer says which they were
    if not config:
        (project / ".notecheck.toml").unlink()
    watched = ('typing', '_hashlib', 'notecheck.note', 'notecheck.engine', 'notecheck.rules.quotes')
    script = ("import runpy, sys\n"
              "before = set(sys.modules)\n"
              "sys.argv = ['notecheck', 'check', '--output-format', 'json', 'notes', 'quiet']\n"
              "try:\n    runpy.run_module('notecheck', run_name='__main__')\n"
              "except SystemExit:\n    pass\n"
              f"print(sorted(m for m in {watched!r} if m in sys.modules and m not in before), file=sys.stderr)\n"
              f"print(sorted(m for m in {watched!r} if m in before), file=sys.stderr)\n")
    first = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True)
    assert "notecheck.note" in first.stderr  # the cold run checked the notes (and filled the cache)
    again = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True)
    *_, added, preloaded = again.stderr.strip().splitlines()
    assert "notecheck" not in preloaded, again.stderr  # none of ours is loaded before the run starts
    assert added == ("['typing']" if config and "typing" not in preloaded else "[]"), again.stderr
    assert json.loads(again.stdout) == json.loads(first.stdout) != []
