"""`notecheck fix` / `check --fix` on files: in-place writes, --diff, stdin, exit codes.

Mechanism tests use a throwaway rule (NC901, run alone with ``--select NC9``) so they
do not depend on any real rule.
"""

from __future__ import annotations

import json
import os
import stat

import pytest

import notecheck
from conftest import CLEAN, run_cli
from notecheck import rules as rules_mod
from notecheck.diagnostic import Finding, Fix


@pytest.fixture
def t_rule():
    """NC901: a link's t=96s should be t=95s; and NC902 (report-only) on 'UNFIXABLE'."""
    rules_mod.all_rules()
    saved = dict(rules_mod.REGISTRY)

    @rules_mod.rule("NC901", "test-t", summary="test", fix="safe")
    def check(note, ctx):
        for link in note.links:
            if link.t_text == "96s":
                yield Finding(link.t_start, "t= disagrees with the label",
                              fix=Fix.replace(link.t_start, link.t_start + 3, "95s"))

    @rules_mod.rule("NC902", "test-report", summary="test")
    def report(note, ctx):
        i = note.text.find("UNFIXABLE")
        if i >= 0:
            yield Finding(i, "cannot fix this")

    yield
    rules_mod.REGISTRY.clear()
    rules_mod.REGISTRY.update(saved)


CLEAN_BYTES = CLEAN.read_bytes()
BROKEN_BYTES = CLEAN_BYTES.replace(b"t=95s)", b"t=96s)")


def write(tmp_path, data: bytes, name: str = "note.md"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_fix_rewrites_in_place_and_reports(tmp_path, t_rule):
    path = write(tmp_path, BROKEN_BYTES)

    code, out, err = run_cli("fix", "--select", "NC9", str(path))

    assert path.read_bytes() == CLEAN_BYTES
    assert code == 0, out + err
    assert out == f"Fixing {path}\nFixed 4 problems. All checks passed (1 file checked).\n"
    assert err == ""


def test_check_with_fix_flag_is_fix(tmp_path, t_rule):
    path = write(tmp_path, BROKEN_BYTES)
    code, out, _ = run_cli("check", "--fix", "--select", "NC9", str(path))
    assert path.read_bytes() == CLEAN_BYTES
    assert code == 0
    assert "Fixed 4 problems." in out


def test_check_without_fix_writes_nothing(tmp_path, t_rule):
    path = write(tmp_path, BROKEN_BYTES)
    code, out, _ = run_cli("check", "--select", "NC9", str(path))
    assert path.read_bytes() == BROKEN_BYTES
    assert code == 1
    assert "4 fixable" in out


def test_show_fixes_lists_what_was_fixed(tmp_path, t_rule):
    path = write(tmp_path, BROKEN_BYTES.replace(b"t=96s)", b"t=95s)", 3))
    code, out, _ = run_cli("fix", "--select", "NC9", "--show-fixes", str(path))
    line = CLEAN_BYTES[:CLEAN_BYTES.rindex(b"t=95s)")].count(b"\n") + 1  # the one link left broken
    assert code == 0
    assert f"{path}:{line}:" in out and "fixed NC901 t= disagrees with the label" in out


def test_remaining_finding_exits_1_and_is_reported(tmp_path, t_rule):
    data = BROKEN_BYTES.replace(b"Welcome back", b"UNFIXABLE back")
    path = write(tmp_path, data)

    code, out, _ = run_cli("fix", "--select", "NC9", "--no-show-source", str(path))

    assert code == 1
    assert path.read_bytes() == CLEAN_BYTES.replace(b"Welcome back", b"UNFIXABLE back")
    offset = data.index(b"UNFIXABLE")
    line, column = data[:offset].count(b"\n") + 1, offset - data.rfind(b"\n", 0, offset)
    assert out == (f"Fixing {path}\n{path}:{line}:{column}: NC902 [error] cannot fix this\n"
                   "Fixed 4 problems. Found 1 problem in 1 file (1 checked).\n")


def test_unfixable_finding_leaves_file_byte_identical(tmp_path, t_rule):
    data = CLEAN_BYTES.replace(b"Welcome back", b"UNFIXABLE back").replace(b"\n", b"\r\n")
    path = write(tmp_path, data)
    before = os.stat(path)

    code, out, _ = run_cli("fix", "--select", "NC9", str(path))

    assert code == 1
    assert path.read_bytes() == data
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # not even rewritten
    assert "Fixing" not in out


# ---------------------------------------------------------------------------- bytes on disk


@pytest.mark.parametrize("transform", [
    pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="crlf"),
    pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="bom"),
    pytest.param(lambda b: b.rstrip(b"\n"), id="no-final-newline"),
    pytest.param(lambda b: b + b"\n\n\n", id="several-final-newlines"),
    pytest.param(lambda b: b.replace(b"\n", b"\r\n", 40), id="mixed-endings"),
    pytest.param(lambda b: b.replace(b"Field Notes Podcast", "Écoute — 土壌 🌱".encode()), id="non-ascii"),
    pytest.param(lambda b: b.replace(b"In this conversation,", b"In this conversation,\t \x0c"), id="odd-whitespace"),
])
def test_only_targeted_bytes_change(tmp_path, t_rule, transform):
    good = transform(CLEAN_BYTES)
    bad = good.replace(b"t=95s)", b"t=96s)")
    assert bad != good
    path = write(tmp_path, bad)

    code, _, _ = run_cli("fix", "--select", "NC9", str(path))

    assert code == 0
    assert path.read_bytes() == good


def test_mode_is_kept_and_no_temp_file_is_left(tmp_path, t_rule):
    path = write(tmp_path, BROKEN_BYTES)
    os.chmod(path, 0o640)

    run_cli("fix", "--select", "NC9", str(path))

    assert path.read_bytes() == CLEAN_BYTES
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["note.md"]


def test_symlink_stays_a_link_and_its_target_is_fixed(tmp_path, t_rule):
    real = write(tmp_path, BROKEN_BYTES, "real.md")
    link = tmp_path / "link.md"
    link.symlink_to(real)

    code, _, _ = run_cli("fix", "--select", "NC9", str(link))

    assert code == 0
    assert link.is_symlink()
    assert real.read_bytes() == CLEAN_BYTES


def test_read_only_file_is_not_written(tmp_path, t_rule):
    path = write(tmp_path, BROKEN_BYTES)
    os.chmod(path, 0o444)

    code, out, err = run_cli("fix", "--select", "NC9", str(path))

    assert code == 2
    assert path.read_bytes() == BROKEN_BYTES
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o444
    assert f"notecheck: error: {path}: cannot write: file is read-only" in err
    assert "Fixing" not in out


def test_undecodable_file_is_never_rewritten(tmp_path, t_rule):
    data = BROKEN_BYTES.replace("Welcome".encode(), "Wélcome".encode("latin-1"))
    path = write(tmp_path, data)

    code, out, err = run_cli("fix", "--select", "NC0,NC9", str(path))

    assert path.read_bytes() == data
    assert "Fixing" not in out


def test_note_without_front_matter_is_never_rewritten(tmp_path, t_rule):
    data = BROKEN_BYTES.split(b"---\n", 2)[2]
    path = write(tmp_path, data)

    code, out, _ = run_cli("fix", "--select", "NC9", str(path))

    assert code == 1
    assert path.read_bytes() == data


def test_folder_is_fixed_recursively(tmp_path, t_rule):
    a = write(tmp_path, BROKEN_BYTES, "a.md")
    (tmp_path / "sub").mkdir()
    b = write(tmp_path / "sub", BROKEN_BYTES.replace(b"\n", b"\r\n"), "-b.md")
    c = write(tmp_path, CLEAN_BYTES, "c.md")

    code, out, _ = run_cli("fix", "--select", "NC9", str(tmp_path))

    assert code == 0
    assert a.read_bytes() == CLEAN_BYTES
    assert b.read_bytes() == CLEAN_BYTES.replace(b"\n", b"\r\n")
    assert c.read_bytes() == CLEAN_BYTES
    assert out == f"Fixing {a}\nFixing {b}\nFixed 8 problems. All checks passed (3 files checked).\n"


def test_missing_path_exits_2(tmp_path, t_rule):
    code, _, err = run_cli("fix", "--select", "NC9", str(tmp_path / "nope.md"))
    assert code == 2
    assert "no such file" in err


def test_json_output_after_fix_lists_what_remains(tmp_path, t_rule):
    import json

    path = write(tmp_path, BROKEN_BYTES.replace(b"Welcome back", b"UNFIXABLE back"))
    code, out, _ = run_cli("fix", "--select", "NC9", "--output-format", "json", str(path))
    assert code == 1
    assert [d["code"] for d in json.loads(out)] == ["NC902"]


# ---------------------------------------------------------------------------- --diff


def test_diff_prints_and_writes_nothing(tmp_path, t_rule):
    data = BROKEN_BYTES.replace(b"t=96s)", b"t=95s)", 3)  # only the transcript link is wrong
    path = write(tmp_path, data)
    old_line = next(l for l in data.decode().splitlines() if "t=96s)" in l)
    number = data.decode().splitlines().index(old_line) + 1

    code, out, err = run_cli("fix", "--diff", "--select", "NC9", str(path))

    assert code == 1
    assert path.read_bytes() == data
    lines = data.decode().splitlines()
    context = lines[number - 4:number - 1], lines[number:number + 3]
    expected = (f"--- {path}\n+++ {path}\n@@ -{number - 3},7 +{number - 3},7 @@\n"
                + "".join(f" {l}\n" for l in context[0])
                + f"-{old_line}\n+{old_line.replace('t=96s)', 't=95s)')}\n"
                + "".join(f" {l}\n" for l in context[1]))
    assert out == expected
    assert err == "Would fix 1 problem in 1 file.\n"


def test_diff_marks_missing_final_newline(tmp_path, t_rule):
    data = CLEAN_BYTES.rstrip(b"\n").replace(b"t=3930s)", b"t=96s)")
    path = write(tmp_path, data)
    code, out, _ = run_cli("check", "--diff", "--select", "NC9", str(path))
    assert code == 1
    assert out.endswith("\n\\ No newline at end of file\n")
    assert path.read_bytes() == data


def test_diff_of_clean_note_is_empty_and_exits_0(tmp_path, t_rule):
    path = write(tmp_path, CLEAN_BYTES.replace(b"Welcome back", b"UNFIXABLE back"))
    code, out, _ = run_cli("fix", "--diff", "--select", "NC9", str(path))
    assert (code, out) == (0, "")


def test_diff_applies_with_patch(tmp_path, t_rule):
    import shutil
    import subprocess

    if shutil.which("patch") is None:
        pytest.skip("patch(1) not installed")
    data = BROKEN_BYTES.replace(b"\n", b"\r\n")
    path = write(tmp_path, data)
    _, out, _ = run_cli("fix", "--diff", "--select", "NC9", str(path))
    (tmp_path / "fix.patch").write_bytes(out.encode())
    subprocess.run(["patch", "-s", "--binary", str(path), str(tmp_path / "fix.patch")], check=True)
    assert path.read_bytes() == CLEAN_BYTES.replace(b"\n", b"\r\n")


# ---------------------------------------------------------------------------- stdin


def test_stdin_fixed_note_goes_to_stdout_and_report_to_stderr(t_rule):
    code, out, err = run_cli("fix", "--select", "NC9", "-", stdin=BROKEN_BYTES.replace(b"\n", b"\r\n"))
    assert code == 0
    assert out.encode() == CLEAN_BYTES.replace(b"\n", b"\r\n")
    assert err == "Fixing -\nFixed 4 problems. All checks passed (1 file checked).\n"


def test_stdin_clean_note_is_echoed(t_rule):
    code, out, err = run_cli("fix", "--select", "NC9", "--stdin-filename", "x.md", "-", stdin=CLEAN_BYTES)
    assert code == 0
    assert out.encode() == CLEAN_BYTES
    assert "Fixing" not in err


def test_stdin_diff(t_rule):
    code, out, _ = run_cli("fix", "--diff", "--select", "NC9", "--stdin-filename", "x.md", "-", stdin=BROKEN_BYTES)
    assert code == 1
    assert out.startswith("--- x.md\n+++ x.md\n@@ ")
    removed = [l for l in out.splitlines()[2:] if l.startswith("-")]
    added = [l for l in out.splitlines()[2:] if l.startswith("+")]
    assert [l.replace("t=96s)", "t=95s)") for l in removed] == [l.replace("+", "-", 1) for l in added]
    assert len(added) == 4


def test_stdin_real_process_keeps_bytes():
    # through a real pipe (sys.stdout.buffer), with the real rules: a clean note comes back as is
    import subprocess
    import sys

    data = b"\xef\xbb\xbf" + CLEAN_BYTES.replace(b"\n", b"\r\n")
    proc = subprocess.run([sys.executable, "-m", "notecheck", "fix", "-"], input=data, capture_output=True)
    assert proc.stdout == data


def test_many_files_in_parallel(tmp_path, t_rule):
    names = [f"n{i:02d}.md" for i in range(20)]
    for i, name in enumerate(names):
        write(tmp_path, BROKEN_BYTES if i % 2 else CLEAN_BYTES, name)

    code, out, _ = run_cli("fix", "-j", "4", "--select", "NC9", str(tmp_path))

    assert code == 0
    assert all((tmp_path / n).read_bytes() == CLEAN_BYTES for n in names)
    assert out == "".join(f"Fixing {tmp_path / n}\n" for n in names[1::2]) + \
        "Fixed 40 problems. All checks passed (20 files checked).\n"


# ---------------------------------------------------------------------------- the real rules, end to end

def _good_notes() -> dict[str, bytes]:
    from test_fixer import non_ascii

    clean = CLEAN.read_text(encoding="utf-8")
    return {
        "lf.md": clean.encode(),
        "crlf.md": clean.replace("\n", "\r\n").encode(),
        "bom-crlf.md": ("\ufeff" + clean.replace("\n", "\r\n")).encode(),
        "non-ascii.md": non_ascii(clean).encode(),
        "no-final-newline.md": clean.rstrip("\n").encode(),
        "sub/-dash.md": non_ascii(clean).replace("\n", "\r\n").encode(),
    }


def _inject(data: bytes) -> bytes:
    from test_fixer import INJECTIONS, MORE_INJECTIONS

    text = data.decode("utf-8")
    nl = "\r\n" if "\r\n" in text else "\n"
    for old, new in INJECTIONS.values():
        text = text.replace(old, new)
    for _, old, new, count, _ in MORE_INJECTIONS:
        text = text.replace(old, new, count)
    assert nl == "\n" or "\n" not in text.replace("\r\n", "")
    return text.encode("utf-8")


def test_injected_repository_is_restored_byte_for_byte(tmp_path):
    from test_fixer import INJECTIONS

    good = _good_notes()
    (tmp_path / "sub").mkdir()
    for name, data in good.items():
        broken = _inject(data)
        assert broken != data
        (tmp_path / name).write_bytes(broken)
    (tmp_path / "untouched.md").write_bytes(good["lf.md"])
    untouched = os.stat(tmp_path / "untouched.md")

    code, out, err = run_cli("fix", "--show-fixes", str(tmp_path))

    assert code == 0, out + err
    for name, data in good.items():
        assert (tmp_path / name).read_bytes() == data, name
    fixed_codes = {line.split(" fixed ")[1].split()[0] for line in out.splitlines() if " fixed " in line}
    assert fixed_codes == set(INJECTIONS)
    assert out.count("Fixing ") == len(good)
    assert out.endswith(f"All checks passed ({len(good) + 1} files checked).\n")
    after = os.stat(tmp_path / "untouched.md")
    assert (after.st_ino, after.st_mtime_ns) == (untouched.st_ino, untouched.st_mtime_ns)

    # a second run changes nothing
    stats = {name: os.stat(tmp_path / name).st_mtime_ns for name in good}
    code, out, _ = run_cli("fix", str(tmp_path))
    assert (code, out) == (0, f"All checks passed ({len(good) + 1} files checked).\n")
    assert {name: os.stat(tmp_path / name).st_mtime_ns for name in good} == stats

    # and check finds nothing fixable (nothing at all, here)
    code, out, _ = run_cli("check", "--output-format", "json", str(tmp_path))
    assert code == 0 and json.loads(out) == []


def test_diff_of_injected_note_shows_exactly_the_fixes(tmp_path):
    good = _good_notes()["crlf.md"]
    path = write(tmp_path, _inject(good))

    code, out, _ = run_cli("fix", "--diff", str(path))

    assert code == 1
    assert path.read_bytes() == _inject(good)
    removed = [l[1:] for l in out.split("\n") if l.startswith("-") and not l.startswith("---")]
    added = [l[1:] for l in out.split("\n") if l.startswith("+") and not l.startswith("+++")]
    bad_lines = set(_inject(good).decode().split("\n")) - set(good.decode().split("\n"))
    good_lines = set(good.decode().split("\n")) - set(_inject(good).decode().split("\n"))
    assert set(removed) == bad_lines and set(added) == good_lines
    assert all(l.endswith("\r") for l in removed + added)  # the CRLF survives in the diff


def test_stdin_injected_note_is_restored():
    good = _good_notes()["bom-crlf.md"]
    code, out, err = run_cli("fix", "--stdin-filename", "x.md", "-", stdin=_inject(good))
    assert code == 0, err
    assert out.encode("utf-8") == good
    assert err.startswith("Fixing x.md\nFixed ")


def test_check_fix_exits_1_when_an_unfixable_finding_remains(tmp_path):
    good = _good_notes()["lf.md"].decode()
    # NC303: a transcript time past the duration; nothing can fix that
    unfixable = good.replace("[1:05:30](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=3930s)",
                             "[1:15:30](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=4530s)")
    path = write(tmp_path, _inject(unfixable.encode()))
    fixable = [d for d in notecheck.check_text(_inject(unfixable.encode()).decode()) if d.fixable]

    code, out, _ = run_cli("check", "--fix", "--no-show-source", str(path))

    assert code == 1
    assert path.read_bytes() == unfixable.encode()
    line = unfixable[:unfixable.index("[1:15:30]")].count("\n") + 1
    reported = [l.split(": ")[0].split(":")[-2:] + [l.split()[1]] for l in out.splitlines() if l.startswith(f"{path}:")]
    assert [(int(ln), code) for ln, _col, code in reported] == [(line, "NC303")]
    assert f"Fixed {len(fixable)} problems. Found 1 problem in 1 file (1 checked)." in out


def test_note_with_only_unfixable_findings_is_byte_identical(tmp_path):
    good = _good_notes()["crlf.md"].decode()
    unfixable = good.replace("[1:05:30](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=3930s)",
                             "[1:15:30](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=4530s)")
    path = write(tmp_path, unfixable.encode())
    before = os.stat(path)

    code, out, _ = run_cli("fix", str(path))

    assert code == 1 and "NC303" in out and "Fixing" not in out
    assert path.read_bytes() == unfixable.encode()
    assert os.stat(path).st_mtime_ns == before.st_mtime_ns


def test_broken_front_matter_is_never_rewritten_even_with_fixable_defects(tmp_path):
    data = _inject(_good_notes()["lf.md"]).replace(b"channel: Field Notes Podcast", b"channel: [Field Notes Podcast")
    path = write(tmp_path, data)

    code, out, _ = run_cli("fix", str(path))

    assert code == 1
    assert "NC003" in out and "Fixing" not in out
    assert path.read_bytes() == data


def test_unsafe_sidecar_fix_only_with_unsafe_fixes(tmp_path):
    from conftest import FIXTURES

    note = (FIXTURES / "sidecar" / "Hs9kWq2TzLm.md").read_bytes()
    (tmp_path / "Hs9kWq2TzLm.json").write_bytes((FIXTURES / "sidecar" / "Hs9kWq2TzLm.json").read_bytes())
    # the whole first highlight cites 1:16; the sidecar segment holding the quote starts at 1:14
    broken = (note.replace(b"watch?v=Hs9kWq2TzLm&t=74s)\n<details>", b"watch?v=Hs9kWq2TzLm&t=76s)\n<details>")
              .replace(b'"*1:14-2:30"', b'"*1:16-2:32"').replace(b"Hs9kWq2TzLm-1m14s.mp4", b"Hs9kWq2TzLm-1m16s.mp4")
              .replace("-- Tomás Reyes, [1:14](https://www.youtube.com/watch?v=Hs9kWq2TzLm&t=74s)".encode(),
                       "-- Tomás Reyes, [1:16](https://www.youtube.com/watch?v=Hs9kWq2TzLm&t=76s)".encode()))
    assert broken.count(b"76s") == 2
    path = write(tmp_path, broken, "Hs9kWq2TzLm.md")

    code, out, _ = run_cli("fix", "--no-show-source", str(path))
    assert code == 1
    assert path.read_bytes() == broken
    assert [l.split()[1] for l in out.splitlines() if l.startswith(str(path))] == ["NC602"]

    code, out, _ = run_cli("fix", "--unsafe-fixes", str(path))
    assert code == 0, out
    assert path.read_bytes() == note


def test_diff_with_json_format_prints_only_the_diff(tmp_path, t_rule):
    path = write(tmp_path, BROKEN_BYTES)
    code, out, err = run_cli("fix", "--diff", "--output-format", "json", "--select", "NC9", str(path))
    assert code == 1
    assert out.startswith(f"--- {path}\n+++ {path}\n@@ ")
    assert all(l[:1] in (" ", "-", "+", "@") for l in out.splitlines())
    assert path.read_bytes() == BROKEN_BYTES


def test_stdin_undecodable_note_is_echoed_unchanged(t_rule):
    data = BROKEN_BYTES.replace("Welcome".encode(), "Wélcome".encode("latin-1"))
    code, out, err = run_cli("fix", "--select", "NC0,NC9", "-", stdin=data)
    assert code == 1
    assert out.encode("utf-8", "surrogateescape") == data
    assert "NC001" in err and "Fixing" not in err


def test_file_changed_meanwhile_is_not_overwritten(tmp_path):
    from notecheck.fixer import WriteError, write_atomic

    path = write(tmp_path, b"edited by someone else\n")
    with pytest.raises(WriteError, match="changed while"):
        write_atomic(str(path), CLEAN_BYTES, expected=BROKEN_BYTES)
    assert path.read_bytes() == b"edited by someone else\n"
    assert os.listdir(tmp_path) == ["note.md"]
