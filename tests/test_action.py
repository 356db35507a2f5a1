"""The GitHub Action (``action.yml``): its metadata, and its steps run as the runner would.

``run_action`` reads action.yml and runs each ``run:`` step with bash, in the environment
GitHub gives a pull request job (``GITHUB_EVENT_NAME``, ``GITHUB_EVENT_PATH``,
``GITHUB_BASE_REF``, ``GITHUB_STEP_SUMMARY``, ``GITHUB_OUTPUT`` ...), evaluating the
``${{ }}`` expressions the steps use (an unknown one fails the test). Two steps are
stood in for: actions/setup-python (its ``python-path`` output is this interpreter) and,
except in the one test that runs it for real, the pip install (its ``python`` output is
this interpreter too, which has this checkout of notecheck installed).

The repositories: an "upstream" with a base branch and a pull request, a bare "origin"
holding them and the pull request's merge commit (``refs/pull/1/merge``, what
actions/checkout checks out), and the workspace cloned from origin, in full or with
``fetch-depth: 1``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from test_precommit import NETWORK_TROUBLE  # the same signs of an unreachable package index
from gitrepo import (VIDEO, commit_all, git, init_repo, isolate_git, line_number, note_with_highlight_findings,
                     note_with_old_findings, requires_git)

ACTION_YML = ROOT / "action.yml"
SCRIPT = ROOT / "action" / "notecheck_action.py"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load_script():
    spec = importlib.util.spec_from_file_location("notecheck_action", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------------------ the metadata


def _check_jsonschema(path: Path) -> subprocess.CompletedProcess:
    # the schema ships inside check-jsonschema (vendored); a dead proxy proves no download is needed
    dead = "http://127.0.0.1:9"
    env = {**os.environ, "HTTP_PROXY": dead, "HTTPS_PROXY": dead, "http_proxy": dead, "https_proxy": dead}
    env.pop("NO_PROXY", None)
    env.pop("no_proxy", None)
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-actions",
                           str(path)], capture_output=True, text=True, check=False, env=env)


def test_action_yml_validates_against_the_github_actions_schema(tmp_path: Path):
    pytest.importorskip("check_jsonschema")
    result = _check_jsonschema(ACTION_YML)
    assert result.returncode == 0, result.stdout + result.stderr
    # near miss: a composite run step without its shell is invalid, and the check says so
    broken = tmp_path / "action.yml"
    broken.write_text(ACTION_YML.read_text().replace("      shell: bash\n", "", 1))
    result = _check_jsonschema(broken)
    assert result.returncode == 1, result.stdout + result.stderr


def test_action_metadata():
    action = yaml.safe_load(ACTION_YML.read_text())
    assert action["runs"]["using"] == "composite"
    assert {name: spec.get("default") for name, spec in action["inputs"].items()} == {
        "args": ".", "version": "", "changed-only": "auto", "fix": "false"}
    setup = action["runs"]["steps"][0]
    assert setup["uses"].startswith("actions/setup-python@")
    # the action's Python must not replace the one the user's job set up
    assert setup["with"] == {"python-version": "3.12", "update-environment": False}
    for step in action["runs"]["steps"]:
        # user text reaches the script through env, never spliced into the shell script
        assert "${{" not in step.get("run", "")


# ------------------------------------------------------------------------------ the runner


@dataclass
class ActionRun:
    code: int
    stdout: str = ""
    stderr: str = ""
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)


def parse_outputs(text: str) -> dict[str, str]:
    """A GITHUB_OUTPUT file: ``name=value`` lines and ``name<<EOF`` blocks."""
    out: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value = []
            for body in lines:
                if body == delimiter:
                    break
                value.append(body)
            out[name] = "\n".join(value)
        elif "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
    return out


def base_environment(**github: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_", "INPUT_"))}
    env.update(github)
    return env


def run_action(workspace: Path, env: dict[str, str], inputs: dict[str, str] | None = None, *,
               real_install: bool = False, until: str | None = None, timeout: float | None = None) -> ActionRun:
    action = yaml.safe_load(ACTION_YML.read_text())
    declared = action["inputs"]
    inputs = inputs or {}
    assert set(inputs) <= set(declared), f"not inputs of the action: {set(inputs) - set(declared)}"
    values = {name: str(inputs.get(name, spec.get("default", ""))) for name, spec in declared.items()}
    outputs: dict[str, dict[str, str]] = {}

    def evaluate(text: str) -> str:
        def one(m: re.Match) -> str:
            expr = m.group(1)
            if expr.startswith("inputs."):
                return values[expr[len("inputs."):]]
            step = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
            if step:
                return outputs.get(step.group(1), {}).get(step.group(2), "")
            if expr == "github.action_repository":
                return ""  # empty inside composite actions (actions/runner#2525)
            raise AssertionError(f"action.yml uses an expression this test does not know: {expr}")
        return EXPRESSION.sub(one, str(text))

    run = ActionRun(0)
    temp = Path(env["RUNNER_TEMP"])
    for number, step in enumerate(action["runs"]["steps"]):
        sid = step.get("id", f"step{number}")
        if "uses" in step:
            assert step["uses"].startswith("actions/setup-python@")
            outputs[sid] = {"python-path": sys.executable}
            continue
        if sid == "install" and not real_install:
            outputs[sid] = {"python": sys.executable}
            continue
        assert step["shell"] == "bash"
        output_file = temp / f"output-{number}"
        output_file.write_text("")
        step_env = {**env, "GITHUB_OUTPUT": str(output_file), "GITHUB_ACTION_PATH": str(ROOT)}
        step_env.update({key: evaluate(value) for key, value in step.get("env", {}).items()})
        # how the runner runs a bash step: bash --noprofile --norc -eo pipefail {0}
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                              cwd=workspace, env=step_env, capture_output=True, text=True, check=False,
                              timeout=timeout)
        run.stdout += proc.stdout
        run.stderr += proc.stderr
        outputs[sid] = parse_outputs(output_file.read_text())
        if proc.returncode != 0:
            run.code = proc.returncode
            break
        if sid == until:
            break
    run.outputs = outputs
    return run


# ------------------------------------------------------------------------------ a pull request


@dataclass
class PullRequest:
    origin: Path
    base: str  # the base branch's tip the merge commit was made on (= the merge base)
    head: str  # the pull request's last commit
    merge: str  # refs/pull/1/merge
    h_text: str  # notes/h.md as the pull request leaves it


def make_pull_request(tmp_path: Path) -> PullRequest:
    up = init_repo(tmp_path / "upstream")
    (up / "notes").mkdir()
    h = note_with_highlight_findings()  # three highlights, one NC407 each
    old = note_with_old_findings(30)  # 30 NC301 in Key Points
    (up / "notes" / "h.md").write_text(h)
    (up / "notes" / "old.md").write_text(old)
    commit_all(up, "base: two old notes")
    git(up, "checkout", "-q", "-b", "pr")
    h_pr = h.replace(f"[25:10]({VIDEO}&t=1510s)\n", f"[25:10]({VIDEO}&t=1512s)\n")  # a new NC301 in highlight 2
    (up / "notes" / "h.md").write_text(h_pr)
    head = commit_all(up, "pr: edit the second highlight's attribution")
    git(up, "checkout", "-q", "main")
    (up / "notes" / "main-only.md").write_text(note_with_highlight_findings())  # landed on main, not the PR's
    base = commit_all(up, "main: another note")
    git(up, "checkout", "-q", "-b", "merge")
    git(up, "merge", "-q", "--no-ff", "-m", "Merge pr into main", "pr")
    merge = git(up, "rev-parse", "HEAD")
    git(up, "checkout", "-q", "main")
    # main moves on after the merge ref was made: fixes an old finding of old.md. Compared
    # with this tip instead of the merge base, that line would look changed.
    (up / "notes" / "old.md").write_text(old.replace(f"&t=3601s)) - an old bullet", "&t=3600s)) - an old bullet"))
    commit_all(up, "main: fix one old bullet")
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(up), str(origin))
    git(origin, "update-ref", "refs/pull/1/merge", merge)
    git(origin, "branch", "-q", "-D", "merge", "pr")
    return PullRequest(origin, base, head, merge, h_pr)


def checkout(pr: PullRequest, workspace: Path, *, depth: int) -> Path:
    """What actions/checkout does for a pull_request event (fetch-depth: ``depth``, 0 = all)."""
    init_repo(workspace)
    git(workspace, "remote", "add", "origin", pr.origin.as_uri())
    if depth:
        git(workspace, "fetch", "-q", "--no-tags", f"--depth={depth}", "origin",
            f"+{pr.merge}:refs/remotes/pull/1/merge")
    else:
        git(workspace, "fetch", "-q", "origin", "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*",
            f"+{pr.merge}:refs/remotes/pull/1/merge")
    git(workspace, "checkout", "-q", "--detach", "refs/remotes/pull/1/merge")
    return workspace


def pull_request_env(tmp_path: Path, pr: PullRequest, workspace: Path, event: str = "pull_request") -> dict[str, str]:
    event_file = tmp_path / "event.json"
    event_file.write_text(json.dumps({"action": "synchronize", "number": 1, "pull_request": {
        "number": 1, "base": {"ref": "main", "sha": pr.base}, "head": {"ref": "pr", "sha": pr.head}}}))
    temp = tmp_path / "runner-temp"
    temp.mkdir(exist_ok=True)
    summary = tmp_path / "step_summary.md"
    summary.write_text("written by an earlier step\n")
    return base_environment(
        GITHUB_ACTIONS="true", GITHUB_EVENT_NAME=event, GITHUB_EVENT_PATH=str(event_file),
        GITHUB_BASE_REF="main", GITHUB_HEAD_REF="pr", GITHUB_REF="refs/pull/1/merge", GITHUB_SHA=pr.merge,
        GITHUB_REPOSITORY="octo/notes", GITHUB_SERVER_URL="https://github.com", GITHUB_WORKSPACE=str(workspace),
        GITHUB_STEP_SUMMARY=str(summary), RUNNER_TEMP=str(temp))


@pytest.fixture
def isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    isolate_git(monkeypatch)


def annotations(stdout: str) -> list[tuple[str, str, int]]:
    found = re.findall(r"^::(?:error|warning) file=([^,]+),line=(\d+),.*?title=(NC\d+)::", stdout, re.MULTILINE)
    return [(path, code, int(line)) for path, line, code in found]


# ------------------------------------------------------------------------------ the action on a pull request


@requires_git
@pytest.mark.parametrize("depth", [1, 0], ids=["fetch-depth-1", "fetch-depth-0"])
def test_pull_request_reports_only_the_changed_highlight(tmp_path: Path, isolated_git, depth: int):
    pr = make_pull_request(tmp_path)
    workspace = checkout(pr, tmp_path / "ws", depth=depth)
    env = pull_request_env(tmp_path, pr, workspace)
    run = run_action(workspace, env)

    assert run.code == 1, run.stdout + run.stderr
    nc407, nc301 = line_number(pr.h_text, "25m11s.mp4"), line_number(pr.h_text, "t=1512s")
    # highlight 2's findings: the new NC301 on the edited line and the old NC407 on its
    # clip command; nothing from highlights 1 and 3, old.md or main-only.md (main's, not the PR's)
    assert annotations(run.stdout) == [("notes/h.md", "NC407", nc407), ("notes/h.md", "NC301", nc301)]
    assert f"notecheck: reporting findings on lines changed since {pr.base[:12]} " \
           "(the merge base of HEAD and origin/main)" in run.stdout

    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert summary.startswith("written by an earlier step\n## notecheck\n")  # appended
    assert "❌ **2 problems** in 1 note (3 checked): 2 errors, 0 warnings." in summary
    assert "| NC301 | label-t-mismatch | 1 | 1 | 0 |" in summary
    assert "| NC407 | clip-output-tag | 1 | 1 | 0 |" in summary
    assert f"| [notes/h.md](https://github.com/octo/notes/blob/{pr.merge}/notes/h.md) | 2 | 2 | 0 | 2 |" in summary
    assert (f"| [notes/h.md:{nc407}](https://github.com/octo/notes/blob/{pr.merge}/notes/h.md#L{nc407}) | NC407 "
            "| error (fix) | -o tag 25m11s (1511 s) differs from the clip start 25:10 (1510 s); write 25m10s |") in summary
    assert f"Only findings on lines changed since `{pr.base}` are shown (35 other findings on unchanged lines" in summary


@requires_git
def test_changed_only_false_reports_every_finding(tmp_path: Path, isolated_git):
    pr = make_pull_request(tmp_path)
    workspace = checkout(pr, tmp_path / "ws", depth=1)
    run = run_action(workspace, pull_request_env(tmp_path, pr, workspace), {"changed-only": "false"})
    assert run.code == 1
    found = annotations(run.stdout)
    assert len(found) == 3 + 1 + 3 + 30  # h.md, main-only.md, old.md
    assert "reporting findings on lines changed" not in run.stdout


@requires_git
def test_a_push_event_checks_everything_unless_asked(tmp_path: Path, isolated_git):
    pr = make_pull_request(tmp_path)
    workspace = checkout(pr, tmp_path / "ws", depth=1)
    env = pull_request_env(tmp_path, pr, workspace, event="push")
    env["GITHUB_BASE_REF"] = ""  # what the runner sets outside pull requests
    Path(env["GITHUB_EVENT_PATH"]).write_text(json.dumps({"before": pr.head, "after": pr.merge}))
    assert len(annotations(run_action(workspace, env).stdout)) == 37  # auto: not a pull request
    # changed-only on a push: compared with the commit before the push (fetched: the clone is shallow)
    run = run_action(workspace, env, {"changed-only": "true"})
    assert run.code == 1, run.stdout + run.stderr
    assert {path for path, _code, _line in annotations(run.stdout)} == {"notes/main-only.md"}
    assert "since " + pr.head[:12] + " (the commit before the push)" in run.stdout


@requires_git
def test_args_are_split_like_a_command_line_and_never_run_by_a_shell(tmp_path: Path, isolated_git):
    pr = make_pull_request(tmp_path)
    workspace = checkout(pr, tmp_path / "ws", depth=1)
    env = pull_request_env(tmp_path, pr, workspace)
    run = run_action(workspace, env, {"args": "--select 'NC4' notes/h.md", "changed-only": "false"})
    assert [code for _p, code, _l in annotations(run.stdout)] == ["NC407"] * 3
    marker = tmp_path / "pwned"
    run = run_action(workspace, env, {"args": f"notes/h.md; touch {marker} $(touch {marker})", "changed-only": "false"})
    assert run.code == 2 and not marker.exists()


@requires_git
def test_fix_prints_the_diff_applies_it_and_fails(tmp_path: Path, isolated_git):
    pr = make_pull_request(tmp_path)
    workspace = checkout(pr, tmp_path / "ws", depth=1)
    env = pull_request_env(tmp_path, pr, workspace)
    run = run_action(workspace, env, {"fix": "true", "args": "notes/h.md"})
    assert run.code == 1, run.stdout + run.stderr
    assert "::group::notecheck fix changes 1 file\n" in run.stdout
    assert '-yt-dlp --download-sections "*25:10-26:30"' in run.stdout  # the diff, in the log
    assert "::error title=notecheck::notecheck fix changed 1 file: run 'notecheck fix'" in run.stdout
    assert annotations(run.stdout) == []  # fixed in the work tree: nothing left to report
    fixed = (workspace / "notes" / "h.md").read_text()
    assert "25m11s" not in fixed and "t=1512s" not in fixed and "t=1510s" in fixed
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    # the diff shows the note's ```bash fence: the block around it takes four backquotes
    assert "## notecheck fix\n\n`notecheck fix` changed 1 file:\n\n````diff\n--- notes/h.md\n" in summary
    assert "\n \n````\n\n## notecheck\n" in summary
    assert "✅ No problems in 1 note checked." in summary
    # a second run: nothing to fix, the step passes
    again = run_action(workspace, env, {"fix": "true", "args": "notes/h.md"})
    assert again.code == 0, again.stdout + again.stderr
    assert "notecheck fix: nothing to fix" in again.stdout


@requires_git
def test_input_and_event_errors_exit_2_with_an_annotation(tmp_path: Path, isolated_git):
    pr = make_pull_request(tmp_path)
    workspace = checkout(pr, tmp_path / "ws", depth=1)
    env = pull_request_env(tmp_path, pr, workspace)
    run = run_action(workspace, env, {"fix": "maybe"})
    assert run.code == 2
    assert "::error title=notecheck::input fix must be true or false, not 'maybe'" in run.stdout
    run = run_action(workspace, env, {"args": "'unclosed"})
    assert run.code == 2 and "::error title=notecheck::input args: No closing quotation" in run.stdout
    manual = {**env, "GITHUB_EVENT_NAME": "workflow_dispatch", "GITHUB_BASE_REF": ""}
    Path(env["GITHUB_EVENT_PATH"]).write_text("{}")
    run = run_action(workspace, manual, {"changed-only": "true"})
    assert run.code == 2
    assert "::error title=notecheck::changed-only: a workflow_dispatch event has no base" in run.stdout


@requires_git
def test_changed_only_without_a_checkout(tmp_path: Path, isolated_git, monkeypatch: pytest.MonkeyPatch):
    pr = make_pull_request(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    env = pull_request_env(tmp_path, pr, empty)
    env["GIT_CEILING_DIRECTORIES"] = str(tmp_path)
    run = run_action(empty, env)
    assert run.code == 2
    assert "::error title=notecheck::changed-only needs the repository checked out: run actions/checkout first" \
        in run.stdout


@requires_git
def test_a_base_branch_that_cannot_be_fetched(tmp_path: Path, isolated_git):
    pr = make_pull_request(tmp_path)
    workspace = checkout(pr, tmp_path / "ws", depth=1)
    env = {**pull_request_env(tmp_path, pr, workspace), "GITHUB_BASE_REF": "no-such-branch"}
    run = run_action(workspace, env)
    assert run.code == 2
    assert "::error title=notecheck::changed-only: cannot fetch the base branch 'no-such-branch' from origin" \
        in run.stdout


@requires_git
def test_pull_request_target_on_the_base_checkout_warns(tmp_path: Path, isolated_git):
    pr = make_pull_request(tmp_path)
    workspace = tmp_path / "ws"
    git(tmp_path, "clone", "-q", "--depth=1", "--branch", "main", pr.origin.as_uri(), str(workspace))
    env = pull_request_env(tmp_path, pr, workspace, event="pull_request_target")
    run = run_action(workspace, env)
    assert run.code == 0
    assert "::warning title=notecheck::changed-only: HEAD is the base commit itself" in run.stdout


# ------------------------------------------------------------------------------ installing


def test_install_target(tmp_path: Path):
    script = load_script()
    action_path = "/home/runner/work/_actions/octo/notecheck/v0.2.0"
    assert script.install_target({"GITHUB_ACTION_PATH": str(ROOT)}) == str(ROOT)
    env = {"GITHUB_ACTION_PATH": action_path, "INPUT_VERSION": "v0.2.0", "GITHUB_SERVER_URL": "https://github.com"}
    assert script.install_target(env) == "notecheck @ git+https://github.com/octo/notecheck@v0.2.0"
    env["NOTECHECK_ACTION_REPOSITORY"] = "fork/notecheck"  # when the runner does fill it in
    assert script.install_target(env) == "notecheck @ git+https://github.com/fork/notecheck@v0.2.0"
    with pytest.raises(script.ActionError, match="a local 'uses: ./' action"):
        script.install_target({"GITHUB_ACTION_PATH": str(tmp_path), "INPUT_VERSION": "v0.2.0"})
    with pytest.raises(script.ActionError, match="must be a tag"):
        script.install_target({"GITHUB_ACTION_PATH": action_path, "INPUT_VERSION": "v1 --index-url http://x"})
    with pytest.raises(script.ActionError, match="cannot find notecheck's source"):
        script.install_target({"GITHUB_ACTION_PATH": str(tmp_path)})


INSTALL_TIMEOUT = 600  # seconds: pip builds notecheck and installs its dependencies from the index


def test_the_install_step_installs_this_checkout(tmp_path: Path):
    """The real install step: a virtual environment and pip (needs the package index; skips without it)."""
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    env = base_environment(RUNNER_TEMP=str(temp), GITHUB_ACTION_PATH=str(ROOT))
    try:
        run = run_action(tmp_path, env, real_install=True, until="install", timeout=INSTALL_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.skip(f"pip could not install notecheck within {INSTALL_TIMEOUT} s (package index slow or unreachable)")
    if run.code != 0 and "pip could not install" in run.stdout and NETWORK_TROUBLE.search(run.stderr):
        pytest.skip("the package index is not reachable here")
    assert run.code == 0, run.stdout + run.stderr
    python = run.outputs["install"]["python"]
    assert Path(python).is_file() and Path(python).is_relative_to(temp)
    assert f"Installing notecheck from {ROOT}" in run.stdout
    version = subprocess.run([python, "-m", "notecheck", "--version"], capture_output=True, text=True, check=False)
    assert version.stdout.startswith("notecheck ")
