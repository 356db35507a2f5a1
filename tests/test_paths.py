"""Paths: what is found, what is skipped, and what a run says when a path is bad.

Each case shows the run going on past the bad path and the exit code saying what
happened: 0 nothing found, 1 findings (an unreadable file is an NC001 finding),
2 a path that does not exist, is not a regular file, or a folder that cannot be listed.
"""

from __future__ import annotations

import json
import os
import shutil
import sys

import pytest

from conftest import CLEAN, run_cli
from notecheck import runner
from notecheck.runner import PathError, check_paths, iter_note_files

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def tree(tmp_path):
    """tree/a.md, tree/sub/b.md (clean notes) and tree/notes.txt (not a note)."""
    root = tmp_path / "tree"
    (root / "sub").mkdir(parents=True)
    shutil.copy(CLEAN, root / "a.md")
    shutil.copy(CLEAN, root / "sub" / "b.md")
    (root / "notes.txt").write_text("not a note", encoding="utf-8")
    return root


def found(*args) -> list[str]:
    return [item if isinstance(item, str) else f"ERROR {item.path}: {item.message}" for item in iter_note_files(args)]


def rel(paths, base) -> list[str]:
    return [os.path.relpath(p, base) if not p.startswith("ERROR") else p for p in paths]


def json_results(*args):
    code, out, err = run_cli("check", "--output-format", "json", "--no-sidecar", *args)
    return code, json.loads(out or "[]"), err


# ---------------------------------------------------------------------------- discovery


def test_folder_yields_md_files_sorted_and_skips_other_suffixes(tree):
    assert rel(found(str(tree)), tree) == ["a.md", os.path.join("sub", "b.md")]


def test_file_named_explicitly_is_checked_whatever_its_suffix(tree):
    assert found(str(tree / "notes.txt")) == [str(tree / "notes.txt")]
    code, out, err = run_cli("check", "--no-sidecar", str(tree / "notes.txt"))
    assert err == ""
    assert "(1 file checked)" in out or "1 checked" in out


def test_same_file_named_twice_is_checked_once(tree):
    assert rel(found(str(tree / "a.md"), str(tree), str(tree / "a.md")), tree) == ["a.md", os.path.join("sub", "b.md")]


def test_symlink_to_file_inside_tree_is_checked_once(tree):
    (tree / "link.md").symlink_to(tree / "sub" / "b.md")
    files = rel(found(str(tree)), tree)
    assert files.count("link.md") + files.count(os.path.join("sub", "b.md")) == 1
    assert "a.md" in files


def test_symlink_to_file_outside_tree_is_not_followed(tree, tmp_path):
    outside = tmp_path / "outside.md"
    shutil.copy(CLEAN, outside)
    (tree / "escape.md").symlink_to(outside)
    assert "escape.md" not in rel(found(str(tree)), tree)


def test_symlinked_folder_is_not_followed_and_loops_end(tree, tmp_path):
    (tree / "sub" / "loop").symlink_to(tree, target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(CLEAN, tmp_path / "elsewhere" / "c.md")
    (tree / "away").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert rel(found(str(tree)), tree) == ["a.md", os.path.join("sub", "b.md")]


def test_broken_symlink_in_folder_is_skipped(tree):
    (tree / "dangling.md").symlink_to(tree / "missing.md")
    assert rel(found(str(tree)), tree) == ["a.md", os.path.join("sub", "b.md")]


def test_broken_symlink_named_explicitly_is_an_nc001_finding(tree):
    (tree / "dangling.md").symlink_to(tree / "missing.md")
    code, diags, err = json_results(str(tree / "dangling.md"), str(tree / "a.md"))
    assert code == 1
    assert [(d["path"], d["code"], d["line"]) for d in diags] == [(str(tree / "dangling.md"), "NC001", 1)]
    assert "cannot read" in diags[0]["message"]


def test_explicit_symlinked_folder_is_searched(tree, tmp_path):
    (tmp_path / "alias").symlink_to(tree, target_is_directory=True)
    assert rel(found(str(tmp_path / "alias")), tmp_path / "alias") == ["a.md", os.path.join("sub", "b.md")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_never_opened(tree):
    os.mkfifo(tree / "pipe.md")
    assert rel(found(str(tree)), tree) == ["a.md", os.path.join("sub", "b.md")]
    code, diags, err = json_results(str(tree / "pipe.md"), str(tree / "a.md"))  # would block if opened
    assert code == 2
    assert "pipe.md: not a regular file" in err
    assert diags == []


# ---------------------------------------------------------------------------- missing / unreadable


def test_missing_file_is_an_error_and_the_run_goes_on(tree):
    bad = tree / "bad.md"
    bad.write_text("no front matter\n", encoding="utf-8")
    code, out, err = run_cli("check", "--no-sidecar", str(tree / "nope.md"), str(bad))
    assert code == 2
    assert f"{tree / 'nope.md'}: no such file or directory" in err
    assert "1 file checked" in out or "1 checked" in out  # the other file was still checked
    results = check_paths([str(tree / "nope.md"), str(bad)])
    assert [(r.path, r.error) for r in results] == [(str(tree / "nope.md"), "no such file or directory"), (str(bad), None)]


def test_unreadable_file_is_an_nc001_finding_and_the_run_goes_on(tree, monkeypatch):
    # as root chmod 000 does not stop a read, so the refusal is simulated at open()
    real_open = open
    target = str(tree / "a.md")

    def fake_open(path, *args, **kwargs):
        if str(path) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(runner, "open", fake_open, raising=False)
    results = check_paths([str(tree)], jobs=1)
    assert [(r.path, [d.code for d in r.diagnostics], r.error) for r in results] == [
        (target, ["NC001"], None),
        (str(tree / "sub" / "b.md"), [], None),
    ]
    assert results[0].diagnostics[0].message.startswith("cannot read: Permission denied")


def test_unreadable_file_nc001_can_be_ignored(tree, monkeypatch):
    monkeypatch.setattr(runner, "open", lambda *a, **k: (_ for _ in ()).throw(PermissionError(13, "Permission denied")),
                        raising=False)
    code, out, err = run_cli("check", "--ignore", "NC001", "--no-sidecar", str(tree / "a.md"))
    assert code == 0, out + err


@pytest.mark.skipif(IS_ROOT, reason="running as root: chmod 000 does not make a file unreadable (the mocked test covers it)")
def test_unreadable_file_for_real(tree):
    os.chmod(tree / "a.md", 0)
    try:
        code, diags, err = json_results(str(tree))
    finally:
        os.chmod(tree / "a.md", 0o644)
    assert code == 1
    assert [(os.path.basename(d["path"]), d["code"]) for d in diags] == [("a.md", "NC001")]


def test_unreadable_folder_is_an_error_and_the_rest_is_checked(tree, monkeypatch):
    locked = tree / "locked"
    locked.mkdir()
    shutil.copy(CLEAN, locked / "c.md")
    real_scandir = os.scandir

    def fake_scandir(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", fake_scandir)
    items = list(iter_note_files([str(tree)]))
    errors = [i for i in items if isinstance(i, PathError)]
    assert [(e.path, e.message) for e in errors] == [(str(locked), "cannot read directory: Permission denied")]
    assert rel([i for i in items if isinstance(i, str)], tree) == ["a.md", os.path.join("sub", "b.md")]
    code, out, err = run_cli("check", "--no-sidecar", str(tree))
    assert code == 2
    assert f"{locked}: cannot read directory: Permission denied" in err
    assert "2 files checked" in out


@pytest.mark.skipif(IS_ROOT, reason="running as root: chmod 000 does not make a folder unreadable (the mocked test covers it)")
def test_unreadable_folder_for_real(tree):
    locked = tree / "locked"
    locked.mkdir()
    shutil.copy(CLEAN, locked / "c.md")
    os.chmod(locked, 0)
    try:
        code, out, err = run_cli("check", "--no-sidecar", str(tree))
    finally:
        os.chmod(locked, 0o755)
    assert code == 2
    assert "cannot read directory" in err


def test_folder_named_as_file_argument_is_searched_not_read(tree):
    code, diags, err = json_results(str(tree / "sub"))
    assert code == 0, err


# ---------------------------------------------------------------------------- names starting with "-"


@pytest.fixture
def dash_tree(tmp_path, monkeypatch):
    shutil.copy(CLEAN, tmp_path / "-HzgcbRXUK8.md")
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "-x.md").write_text("no front matter\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_dash_name_after_double_dash_is_a_path(dash_tree):
    code, diags, err = json_results("--", "-HzgcbRXUK8.md")
    assert (code, diags, err) == (0, [], "")


def test_dash_name_with_dot_slash_is_a_path(dash_tree):
    code, diags, err = json_results("./-HzgcbRXUK8.md")
    assert (code, diags, err) == (0, [], "")


def test_dash_name_inside_folder_is_found_and_reported(dash_tree):
    assert [r.path for r in check_paths(["inner"])] == [os.path.join("inner", "-x.md")]
    code, out, err = run_cli("check", "--no-sidecar", "inner")
    assert "1 file checked" in out or "1 checked" in out, out + err


def test_existing_dash_name_without_double_dash_is_a_path(dash_tree):
    """SPEC §1: every path is a path; an existing -name.md is checked, not read as an option."""
    (dash_tree / "-jx.md").write_text("no front matter\n", encoding="utf-8")
    code, diags, err = json_results("-HzgcbRXUK8.md", "--select", "NC002", "-jx.md")
    assert (code, err) == (1, "")
    assert [(d["path"], d["code"]) for d in diags] == [("-jx.md", "NC002")]


def test_option_values_and_unknown_dash_names_are_not_taken_as_paths(dash_tree):
    shutil.copy(CLEAN, dash_tree / "-q")  # a file named like an option stays the option
    code, out, err = run_cli("check", "-q", "-HzgcbRXUK8.md")
    assert (code, out, err) == (0, "", "")  # -q: findings only, and there are none
    code, out, err = run_cli("check", "-Hmissing.md")  # no such file: still a usage error
    assert code == 2 and "unrecognized arguments: -Hmissing.md" in err


def test_lone_dash_is_stdin(dash_tree):
    code, out, err = run_cli("check", "--output-format", "json", "--stdin-filename", "s.md", "-",
                             stdin=CLEAN.read_bytes())
    assert code == 0, err


# ---------------------------------------------------------------------------- parallel runs


@pytest.fixture
def many(tmp_path):
    """40 notes over 3 folders, some broken, so that a run goes parallel."""
    clean = CLEAN.read_text(encoding="utf-8")
    for i in range(40):
        folder = tmp_path / f"d{i % 3}"
        folder.mkdir(exist_ok=True)
        text = clean if i % 4 else "# no front matter\n"
        (folder / f"n{i:02d}.md").write_text(text, encoding="utf-8")
    return tmp_path


def test_worker_count():
    assert runner.worker_count(1, 1000) == 1
    assert runner.worker_count(3, 2) == 2
    assert runner.worker_count(None, 3) == 1  # few files: one process
    assert runner.worker_count(None, 1000) == min(runner.available_cores(), 1000 // 8)


def test_parallel_results_equal_serial_and_keep_order(many):
    serial = check_paths([str(many)], jobs=1)
    parallel = check_paths([str(many)], jobs=3)
    assert [r.path for r in serial] == sorted(r.path for r in serial)
    assert [(r.path, r.diagnostics, r.error) for r in parallel] == [(r.path, r.diagnostics, r.error) for r in serial]


def _square(n: int) -> int:
    return n * n


def test_parallel_map_hands_out_the_costliest_first_and_keeps_task_order():
    # costs reorder the work (the largest files first, so no worker is left alone with one at
    # the end); the results still come back in task order
    tasks = [(n,) for n in range(40)]
    costs = [(n * 7919) % 40 for n in range(40)]  # a shuffle: the order handed out differs from the tasks'
    assert runner.parallel_map(_square, tasks, 2, costs) == [n * n for n in range(40)]
    assert runner.parallel_map(_square, tasks, 2) == [n * n for n in range(40)]


def test_cli_output_is_identical_with_one_or_many_jobs(many):
    one = run_cli("check", "--output-format", "json", "--jobs", "1", str(many))
    two = run_cli("check", "--output-format", "json", "--jobs", "2", str(many))
    auto = run_cli("check", "--output-format", "json", str(many))
    assert one == two == auto
    assert one[0] in (0, 1) and one[2] == ""


def test_parallel_falls_back_to_one_process_when_no_pool(many, monkeypatch):
    import concurrent.futures

    def no_pool(*args, **kwargs):
        raise OSError("no semaphores here")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    results = check_paths([str(many)], jobs=2)
    assert len(results) == 40


def test_a_crashing_rule_is_reported_and_the_run_goes_on(tree, monkeypatch):
    from notecheck import engine

    real = engine.check_note

    def crash_on_a(note, config=None, path=None, **kwargs):
        if path and path.endswith("a.md"):
            raise RuntimeError("boom")
        return real(note, config, path, **kwargs)

    monkeypatch.setattr(engine, "check_note", crash_on_a)
    code, out, err = run_cli("check", "--jobs", "1", "--no-sidecar", str(tree))
    assert code == 2
    assert "a.md: internal error (please report it): RuntimeError: boom" in err
    assert "Traceback" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths")
def test_check_paths_library_api_reports_unreadable_as_nc001(tree, monkeypatch):
    import notecheck

    monkeypatch.setattr(runner, "open", lambda *a, **k: (_ for _ in ()).throw(PermissionError(13, "Permission denied")),
                        raising=False)
    assert [d.code for d in notecheck.check_paths([str(tree / "a.md")])] == ["NC001"]


def test_parallel_run_with_threads_alive_avoids_fork(many):
    import threading

    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        results = check_paths([str(many)], jobs=2)
    finally:
        stop.set()
        worker.join()
    assert [r.path for r in results] == [r.path for r in check_paths([str(many)], jobs=1)]
