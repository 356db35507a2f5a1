"""The pre-commit hooks (.pre-commit-hooks.yaml) work as pre-commit runs them.

Three levels, from cheapest to most real:
1. the manifest passes pre-commit's own schema (``pre_commit.clientlib.load_manifest``);
2. each hook's ``entry`` + the file names pre-commit would pass (``types: [markdown]``
   filtered with ``identify``, as pre-commit does) runs on a temporary git repository
   with a bad note: ``notecheck`` fails, ``notecheck-fix`` rewrites the note, then
   ``notecheck`` passes. Offline; the entry's ``python`` is the interpreter under
   test (pre-commit runs it in the hook's virtualenv);
3. ``pre-commit try-repo`` on this repository: pre-commit itself builds the hook
   environment (pip installs notecheck and its dependencies from PyPI, ~15 s) and runs
   both hooks. Skipped, with the reason, only when that build cannot reach PyPI or
   when this checkout is not a git repository (an sdist).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CLEAN, ROOT

MANIFEST = ROOT / ".pre-commit-hooks.yaml"
CLEAN_TEXT = CLEAN.read_text(encoding="utf-8")
# the first transcript paragraph's t= no longer matches its label 1:35: NC301, fixable
BAD_TEXT = CLEAN_TEXT.replace("&t=95s) People", "&t=96s) People", 1)
TRY_REPO_TIMEOUT = 600  # seconds, for each try-repo run (it builds a virtualenv from PyPI)
NETWORK_TROUBLE = re.compile(
    r"NewConnectionError|Temporary failure in name resolution|Name or service not known|Network is unreachable"
    r"|ConnectTimeout|ReadTimeoutError|ProxyError|Connection refused|No matching distribution found"
    r"|Could not find a version that satisfies", re.I)


def hooks() -> dict[str, dict]:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    return {hook["id"]: hook for hook in clientlib.load_manifest(str(MANIFEST))}


def git(repo: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    """A git repository with a bad note, a clean note, a bad note in an excluded folder, and a non-note."""
    repo = tmp_path / "notes-repo"
    (repo / "notes").mkdir(parents=True)
    (repo / "drafts").mkdir()
    (repo / "notes" / "bad.md").write_text(BAD_TEXT, encoding="utf-8")
    (repo / "notes" / "clean.md").write_text(CLEAN_TEXT, encoding="utf-8")
    (repo / "drafts" / "wip.md").write_text(BAD_TEXT, encoding="utf-8")
    (repo / "notes" / "data.json").write_text("{}\n", encoding="utf-8")
    (repo / "-HzgcbRXUK8.md").write_text(CLEAN_TEXT, encoding="utf-8")  # a video id may start with "-"
    (repo / ".notecheck.toml").write_text('exclude = ["drafts"]\n', encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "notes")
    return repo


def test_manifest_passes_pre_commits_schema():
    found = hooks()

    assert set(found) == {"notecheck", "notecheck-fix"}
    for hook in found.values():
        assert hook["language"] == "python"
        assert hook["types"] == ["markdown"]
        assert hook["pass_filenames"] is True
    assert shlex.split(found["notecheck"]["entry"])[:2] == ["notecheck", "check"]
    assert shlex.split(found["notecheck-fix"]["entry"])[:2] == ["notecheck", "fix"]


def run_hook(hook: dict, repo: Path) -> subprocess.CompletedProcess:
    """Run ``hook`` the way pre-commit does: entry + args + the matching tracked files."""
    identify = pytest.importorskip("identify.identify")
    tracked = subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True, check=True)
    files = [f for f in tracked.stdout.split("\n")
             if f and set(hook["types"]) <= identify.tags_from_path(str(repo / f))]
    command = shlex.split(hook["entry"]) + list(hook["args"]) + files
    assert command[0] == "notecheck"  # the console script; run it with this interpreter
    return subprocess.run([sys.executable, "-m", "notecheck", *command[1:]], cwd=repo, capture_output=True,
                          text=True, timeout=120)


def test_hooks_fail_on_a_bad_note_fix_it_then_pass(repo):
    found = hooks()

    first = run_hook(found["notecheck"], repo)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "notes/bad.md:" in first.stdout and "NC301" in first.stdout
    assert "clean.md:" not in first.stdout and "data.json" not in first.stdout
    assert "(3 checked)" in first.stdout  # bad, clean and -HzgcbRXUK8; the excluded draft is not
    assert "drafts/wip.md" not in first.stdout  # excluded by the config, even when named (--force-exclude)

    fixed = run_hook(found["notecheck-fix"], repo)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Fixing notes/bad.md" in fixed.stdout
    assert (repo / "notes" / "bad.md").read_text(encoding="utf-8") == CLEAN_TEXT
    assert (repo / "drafts" / "wip.md").read_text(encoding="utf-8") == BAD_TEXT

    again = run_hook(found["notecheck"], repo)
    assert again.returncode == 0, again.stdout + again.stderr


def _try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    env.pop("PRE_COMMIT", None)
    try:
        return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--all-files",
                               "--color", "never"],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=TRY_REPO_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.skip(f"pre-commit could not build the hook environment within {TRY_REPO_TIMEOUT} s "
                    "(PyPI slow or unreachable)")


def _skip_if_environment_cannot_build(result: subprocess.CompletedProcess, home: Path) -> None:
    log = result.stdout + result.stderr
    if (home / "pre-commit.log").exists():
        log += (home / "pre-commit.log").read_text(encoding="utf-8", errors="replace")
    if result.returncode == 3 and NETWORK_TROUBLE.search(log):
        pytest.skip("pre-commit could not install the hook environment: PyPI is not reachable here")


def test_pre_commit_try_repo(repo, tmp_path):
    pytest.importorskip("pre_commit")
    if subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=ROOT, capture_output=True).returncode:
        pytest.skip("this checkout is not a git repository: pre-commit try-repo needs one")

    first = _try_repo(repo, tmp_path / "pc-home-1")
    _skip_if_environment_cannot_build(first, tmp_path / "pc-home-1")

    out = first.stdout
    assert first.returncode == 1, out + first.stderr
    assert re.search(r"^notecheck\.+Failed$", out, re.M), out
    assert re.search(r"^notecheck \(fix\)\.+Failed$", out, re.M), out  # it modified a file
    assert "files were modified by this hook" in out
    assert "notes/bad.md:" in out and "NC301" in out
    assert (repo / "notes" / "bad.md").read_text(encoding="utf-8") == CLEAN_TEXT
    assert (repo / "drafts" / "wip.md").read_text(encoding="utf-8") == BAD_TEXT

    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "fixed")
    second = _try_repo(repo, tmp_path / "pc-home-2")
    _skip_if_environment_cannot_build(second, tmp_path / "pc-home-2")
    assert second.returncode == 0, second.stdout + second.stderr
    assert re.search(r"^notecheck\.+Passed$", second.stdout, re.M), second.stdout
    assert re.search(r"^notecheck \(fix\)\.+Passed$", second.stdout, re.M), second.stdout


# ------------------------------------------------------ adopting on an archive with a baseline

README = (ROOT / "README.md").read_text(encoding="utf-8")
KEY_POINT = ("- **Topsoil is lost fast and rebuilt slowly** ([1:35](https://www.youtube.com/watch?v=aBcD3fGh1jK"
             "&t=95s)) - One bad winter")
FINDING_LINE = re.compile(r"^\S+:\d+:\d+: NC\d{3} \[(error|warning)\] ", re.M)


def readme_pre_commit_config(repo_url: str) -> str:
    """The README's .pre-commit-config.yaml, as written, pointing at ``repo_url``."""
    block = README.split("## Use with pre-commit")[1].split("```yaml\n")[1].split("```")[0]
    assert "rev: v0.2.0" in block and "--baseline, .notecheck-baseline.json" in block
    return re.sub(r"repo: \S+", f"repo: {repo_url}", block, count=1)


def fresh_clone(tmp_path: Path) -> Path:
    """A clone of this repository as it is now (uncommitted changes too, as try-repo takes them),
    tagged v0.2.0 as the release will be."""
    if subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=ROOT, capture_output=True).returncode:
        pytest.skip("this checkout is not a git repository: there is nothing to clone")
    clone = tmp_path / "notecheck-clone"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(clone)], check=True, capture_output=True)
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        src, dst = ROOT / name, clone / name
        if src.is_file():
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(src.read_bytes())
        elif dst.exists():
            dst.unlink()  # deleted here, not yet committed
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "--allow-empty", "-m", "the working tree under test")
    git(clone, "tag", "-f", "v0.2.0")
    return clone


@pytest.fixture
def archive(tmp_path):
    """A notes repository adopting notecheck: old findings (fixable and not) recorded in a baseline,
    a README.md, the README's pre-commit config."""
    repo = tmp_path / "archive"
    (repo / "notes").mkdir(parents=True)
    (repo / "notes" / "old-link.md").write_text(CLEAN_TEXT.replace(KEY_POINT, KEY_POINT.replace("95s", "96s")),
                                                encoding="utf-8")  # NC301, fixable
    (repo / "notes" / "old-h1.md").write_text(CLEAN_TEXT.replace("## Highlights\n", "# Old\n\n## Highlights\n", 1),
                                              encoding="utf-8")  # NC205
    (repo / "notes" / "good.md").write_text(CLEAN_TEXT, encoding="utf-8")
    (repo / "README.md").write_text("# My notes\n\nNot a note: no front matter.\n", encoding="utf-8")
    recorded = subprocess.run([sys.executable, "-m", "notecheck", "check", "--write-baseline",
                               ".notecheck-baseline.json", "."], cwd=repo, capture_output=True, text=True)
    assert recorded.returncode == 0 and "Recorded 2 findings in 2 files" in recorded.stderr, recorded.stderr
    git(repo, "init", "-q")
    return repo


def break_notes(repo: Path) -> int:
    """Lines added above an old finding (still hidden), and a newly broken note; returns the new finding's line."""
    old = repo / "notes" / "old-link.md"
    old.write_text(old.read_text(encoding="utf-8").replace("## Summary\n", "## Summary\nA new first line.\n\n"),
                   encoding="utf-8")
    broken = CLEAN_TEXT.replace("## Key Points\n", "# Stray title\n\n## Key Points\n", 1)
    (repo / "notes" / "good.md").write_text(broken, encoding="utf-8")
    return broken[:broken.index("# Stray title")].count("\n") + 1


def only_the_new_finding(output: str, line: int) -> None:
    assert [m.group(0) for m in FINDING_LINE.finditer(output)] == [f"notes/good.md:{line}:1: NC205 [error] "], output
    assert "old-link.md" not in output and "old-h1.md" not in output and "README.md" not in output


def test_readme_hooks_with_a_baseline_run_directly(archive, tmp_path):
    """The same as pre-commit does, without it: each hook's entry + the README's args + the Markdown files."""
    found = hooks()
    config = yaml_load(readme_pre_commit_config("unused"))
    (hook_fix, hook_check) = config["repos"][0]["hooks"]
    assert (hook_fix["id"], hook_check["id"]) == ("notecheck-fix", "notecheck")
    git(archive, "add", ".")
    git(archive, "commit", "-q", "-m", "notes")

    def run(entry: dict):
        return run_hook(dict(found[entry["id"]], args=entry.get("args", [])), archive)

    fixed, checked = run(hook_fix), run(hook_check)
    assert (fixed.returncode, fixed.stdout) == (0, ""), fixed.stderr
    assert (checked.returncode, checked.stdout) == (0, "All checks passed (3 files checked).\n"), checked.stderr

    line = break_notes(archive)
    git(archive, "add", ".")
    fixed, checked = run(hook_fix), run(hook_check)
    assert (fixed.returncode, fixed.stdout) == (0, ""), fixed.stderr  # nothing to fix; nothing printed twice
    assert checked.returncode == 1
    only_the_new_finding(checked.stdout, line)
    assert checked.stdout.endswith("Found 1 problem in 1 file (3 checked).\n")


def yaml_load(text: str) -> dict:
    import yaml

    return yaml.safe_load(text)


def _pre_commit_run(repo: Path, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    env.pop("PRE_COMMIT", None)
    try:
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=TRY_REPO_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.skip(f"pre-commit could not build the hook environment within {TRY_REPO_TIMEOUT} s "
                    "(the package index is slow or unreachable)")


def test_pre_commit_run_all_files_with_a_baseline_passes_then_fails_on_a_new_finding_only(archive, tmp_path):
    """A fresh clone of this repository as the hook repository, the README's config as written."""
    pytest.importorskip("pre_commit")
    clone = fresh_clone(tmp_path)
    (archive / ".pre-commit-config.yaml").write_text(readme_pre_commit_config(str(clone)), encoding="utf-8")
    git(archive, "add", ".")
    git(archive, "commit", "-q", "-m", "notes, baseline and hooks")
    home = tmp_path / "pc-home"

    first = _pre_commit_run(archive, home)
    _skip_if_environment_cannot_build(first, home)
    assert first.returncode == 0, first.stdout + first.stderr
    assert re.search(r"^notecheck \(fix\)\.+Passed$", first.stdout, re.M), first.stdout
    assert re.search(r"^notecheck\.+Passed$", first.stdout, re.M), first.stdout

    line = break_notes(archive)
    git(archive, "add", ".")
    second = _pre_commit_run(archive, home)
    assert second.returncode == 1, second.stdout + second.stderr
    assert re.search(r"^notecheck \(fix\)\.+Passed$", second.stdout, re.M), second.stdout
    assert re.search(r"^notecheck\.+Failed$", second.stdout, re.M), second.stdout
    only_the_new_finding(second.stdout, line)
    assert (archive / "notes" / "old-link.md").read_text(encoding="utf-8").count("&t=96s)) - One bad") == 1
