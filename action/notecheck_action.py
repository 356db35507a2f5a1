#!/usr/bin/env python3
"""The steps of the notecheck GitHub Action (``action.yml`` at the repository root).

``action.yml`` only wires inputs to environment variables and calls this script, so the
logic can be read and tested as Python (``tests/test_action.py`` runs the steps the way
the runner does). Standard library only: the script runs before notecheck is installed.

    python notecheck_action.py install   make a virtual environment with notecheck in it
    python notecheck_action.py run       (with that environment's python) fix, then check

Inputs arrive as environment variables (a composite action's ``run`` steps get none by
themselves, and reading them from the environment keeps user text out of the shell):
``INPUT_VERSION``, ``INPUT_ARGS``, ``INPUT_CHANGED_ONLY``, ``INPUT_FIX``. Everything else is
what the runner sets: ``GITHUB_EVENT_NAME``, ``GITHUB_EVENT_PATH``, ``GITHUB_BASE_REF``,
``GITHUB_ACTION_PATH``, ``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``, ``RUNNER_TEMP`` ...

Exit codes are notecheck's: 0 clean, 1 findings (or ``fix`` changed files), 2 a usage
error (bad input, no git history to compare with, a failed install).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

PR_EVENTS = ("pull_request", "pull_request_target")
REMOTE = "origin"  # what actions/checkout names the repository it clones
DEEPEN_STEPS = (10, 100, 1000)  # commits to fetch, step by step, looking for the merge base
MAX_SUMMARY_DIFF = 60_000  # characters of the fix diff copied into the job summary
_NULL_SHA = re.compile(r"0+")


class ActionError(Exception):
    """A problem with the inputs or the repository: reported as an error annotation, exit 2."""


def error(message: str) -> None:
    print(f"::error title=notecheck::{_escape_data(message)}", flush=True)


def warning(message: str) -> None:
    print(f"::warning title=notecheck::{_escape_data(message)}", flush=True)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def set_output(name: str, value: str) -> None:
    path = os.environ.get("GITHUB_OUTPUT")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"{name}={value}\n")


def boolean(name: str, value: str, *, allow_auto: bool = False) -> bool | None:
    """An action input as a bool (None: ``auto``); ActionError for anything else."""
    v = value.strip().lower()
    if v in ("true", "yes", "1", "on"):
        return True
    if v in ("false", "no", "0", "off"):
        return False
    if allow_auto and v in ("", "auto"):
        return None
    allowed = "true, false or auto" if allow_auto else "true or false"
    raise ActionError(f"input {name} must be {allowed}, not {value!r}")


# ------------------------------------------------------------------------------ install


def action_repository(env: dict[str, str]) -> str | None:
    """owner/name of this action: ``github.action_repository``, or read from the action's path.

    The runner leaves ``github.action_repository`` empty inside composite actions
    (actions/runner#2525); it checks an action out to ``.../_actions/OWNER/NAME/REF``."""
    repo = env.get("NOTECHECK_ACTION_REPOSITORY", "").strip()
    if repo:
        return repo
    parts = Path(env.get("GITHUB_ACTION_PATH", "")).parts
    if "_actions" in parts:
        i = len(parts) - 1 - parts[::-1].index("_actions")
        if len(parts) >= i + 3:
            return f"{parts[i + 1]}/{parts[i + 2]}"
    return None


def install_target(env: dict[str, str]) -> str:
    """What pip installs: the action's own checkout, or the tag ``INPUT_VERSION`` of its repository."""
    version = env.get("INPUT_VERSION", "").strip()
    if not version:
        path = env.get("GITHUB_ACTION_PATH", "")
        if not path or not os.path.isfile(os.path.join(path, "pyproject.toml")):
            raise ActionError(f"cannot find notecheck's source in the action's folder {path!r}")
        return path
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/+-]*", version):
        raise ActionError(f"input version must be a tag of the notecheck repository (v0.2.0), not {version!r}")
    repo = action_repository(env)
    if repo is None:
        raise ActionError("input version: cannot tell which repository this action comes from "
                          "(a local 'uses: ./' action); leave version empty to install the action's own code")
    server = env.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    return f"notecheck @ git+{server}/{repo}@{version}"


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def install(env: dict[str, str]) -> int:
    target = install_target(env)
    base = Path(env.get("RUNNER_TEMP") or os.environ.get("TMPDIR", "/tmp"))
    # one environment per target: a second use of the action in a job reuses it
    venv = base / f"notecheck-action-{hashlib.sha256(target.encode()).hexdigest()[:12]}"
    python = venv_python(venv)
    if not (python.exists() and _run([str(python), "-m", "notecheck", "--version"], quiet=True) == 0):
        print(f"Installing notecheck from {target}", flush=True)
        if _run([sys.executable, "-m", "venv", "--clear", str(venv)]) != 0:
            raise ActionError(f"could not create a virtual environment in {venv}")
        pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--quiet", target]
        if _run(pip) != 0:
            raise ActionError(f"pip could not install notecheck from {target}")
    _run([str(python), "-m", "notecheck", "--version"])
    set_output("python", str(python))
    return 0


def _run(argv: list[str], *, quiet: bool = False, cwd: str | None = None) -> int:
    out = subprocess.DEVNULL if quiet else None
    return subprocess.run(argv, stdout=out, stderr=out, cwd=cwd, check=False).returncode


# ------------------------------------------------------------------------------ the base to compare with


def _git(*args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise ActionError("changed-only needs git, which is not installed on this runner") from None


def _git_ok(*args: str) -> str | None:
    proc = _git(*args)
    return proc.stdout.strip() if proc.returncode == 0 else None


def event_payload(env: dict[str, str]) -> dict:
    path = env.get("GITHUB_EVENT_PATH")
    if not path:
        return {}
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def merge_base_with_branch(branch: str) -> str:
    """The merge base of HEAD and the branch ``branch`` of origin, fetching as much history as that needs.

    A ``fetch-depth: 1`` checkout holds one commit: fetch the branch's tip, then deepen
    both histories step by step (10, 100, 1000 commits) until they meet, and as a last
    resort fetch all of it. Against the merge base (not the branch's tip), commits that
    landed on the branch after the pull request forked are not counted as its changes.
    """
    remote_ref = f"refs/remotes/{REMOTE}/{branch}"
    refspec = f"+refs/heads/{branch}:{remote_ref}"
    shallow = _git_ok("rev-parse", "--is-shallow-repository") == "true"
    head = _git_ok("rev-parse", "--verify", "HEAD")
    if head is None:
        raise ActionError("changed-only: no commit checked out (run actions/checkout before notecheck)")
    fetch = ["fetch", "--no-tags", "--no-recurse-submodules", "--quiet"]
    got = _git(*fetch, *(["--depth=1"] if shallow else []), REMOTE, refspec)
    if got.returncode != 0 and _git_ok("rev-parse", "--verify", "--quiet", remote_ref) is None:
        raise ActionError(f"changed-only: cannot fetch the base branch {branch!r} from {REMOTE}: "
                          f"{got.stderr.strip() or 'git fetch failed'}")
    for depth in (0, *DEEPEN_STEPS):
        if depth:
            if not shallow:
                break
            _git(*fetch, f"--deepen={depth}", REMOTE, refspec, head)
        base = _git_ok("merge-base", "HEAD", remote_ref)
        if base:
            return base
    if shallow:
        _git(*fetch, "--unshallow", REMOTE, refspec, head)
        base = _git_ok("merge-base", "HEAD", remote_ref)
        if base:
            return base
    raise ActionError(f"changed-only: HEAD and {REMOTE}/{branch} have no commit in common; "
                      "set changed-only: false to check every line")


def ensure_commit(sha: str) -> str:
    """``sha``, fetched from origin when the checkout does not hold it."""
    if _git_ok("cat-file", "-e", f"{sha}^{{commit}}") is None:
        _git("fetch", "--no-tags", "--no-recurse-submodules", "--quiet", "--depth=1", REMOTE, sha)
        if _git_ok("cat-file", "-e", f"{sha}^{{commit}}") is None:
            raise ActionError(f"changed-only: cannot fetch the commit {sha} to compare with")
    return sha


def base_commit(env: dict[str, str]) -> tuple[str, str]:
    """(commit, what it is) to pass to ``--changed-since``."""
    if _git_ok("rev-parse", "--is-inside-work-tree") != "true":
        raise ActionError("changed-only needs the repository checked out: run actions/checkout first")
    event = env.get("GITHUB_EVENT_NAME", "")
    payload = event_payload(env)
    pr = payload.get("pull_request") if isinstance(payload.get("pull_request"), dict) else {}
    base = pr.get("base") if isinstance(pr.get("base"), dict) else {}
    branch = env.get("GITHUB_BASE_REF") or base.get("ref") or ""
    if event in PR_EVENTS or branch:
        if not branch:
            raise ActionError("changed-only: the event names no base branch (GITHUB_BASE_REF is empty)")
        commit = merge_base_with_branch(branch)
        return commit, f"the merge base of HEAD and {REMOTE}/{branch}"
    before = payload.get("before")
    if event == "push" and isinstance(before, str) and before and not _NULL_SHA.fullmatch(before):
        return ensure_commit(before), "the commit before the push"
    raise ActionError(f"changed-only: a {event or 'manual'} event has no base to compare with; "
                      "use changed-only on pull_request events, or set changed-only: false")


# ------------------------------------------------------------------------------ run


def notecheck(*args: str) -> list[str]:
    return [sys.executable, "-m", "notecheck", *args]


def fence_for(text: str) -> str:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def append_summary(env: dict[str, str], text: str) -> None:
    path = env.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(text)


def run_fix(env: dict[str, str], args: list[str]) -> int:
    """``notecheck fix``: print what it changes, apply it, and say 1 when it changed anything."""
    proc = subprocess.run(notecheck("fix", "--diff", *args), capture_output=True, check=False)
    sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
    if proc.returncode not in (0, 1):
        return 2
    diff = proc.stdout.decode("utf-8", "replace")
    if not diff:
        print("notecheck fix: nothing to fix", flush=True)
        return 0
    files = sum(1 for line in diff.splitlines() if line.startswith("+++ "))
    print(f"::group::notecheck fix changes {files} file{'s' if files != 1 else ''}", flush=True)
    sys.stdout.write(diff if diff.endswith("\n") else diff + "\n")
    print("::endgroup::", flush=True)
    sys.stdout.flush()
    if _run(notecheck("fix", "--quiet", *args)) == 2:
        return 2
    error(f"notecheck fix changed {files} file{'s' if files != 1 else ''}: run 'notecheck fix' "
          "on the notes and commit the result (the diff is in the log above)")
    shown = diff if len(diff) <= MAX_SUMMARY_DIFF else diff[:MAX_SUMMARY_DIFF] + "\n… (cut; the whole diff is in the log)\n"
    fence = fence_for(shown)
    append_summary(env, f"## notecheck fix\n\n`notecheck fix` changed {files} file{'s' if files != 1 else ''}:\n\n"
                        f"{fence}diff\n{shown.rstrip(chr(10))}\n{fence}\n\n")
    return 1


def supports_changed_since() -> bool:
    proc = subprocess.run(notecheck("check", "--help"), capture_output=True, text=True, check=False)
    return "--changed-since" in proc.stdout


def run(env: dict[str, str]) -> int:
    args = shlex.split(env.get("INPUT_ARGS", ".")) or ["."]
    fix = boolean("fix", env.get("INPUT_FIX") or "false")
    changed_only = boolean("changed-only", env.get("INPUT_CHANGED_ONLY", "auto"), allow_auto=True)
    if changed_only is None:
        changed_only = env.get("GITHUB_EVENT_NAME", "") in PR_EVENTS
    check = ["check", "--output-format", "github"]
    if changed_only:
        if not supports_changed_since():
            raise ActionError("changed-only needs notecheck 0.2.0 or later; raise the version input "
                              "or set changed-only: false")
        commit, what = base_commit(env)
        if commit == _git_ok("rev-parse", "HEAD"):
            warning("changed-only: HEAD is the base commit itself, so no line counts as changed (with "
                    "pull_request_target, check out the pull request: actions/checkout with "
                    "ref: ${{ github.event.pull_request.head.sha }})")
        print(f"notecheck: reporting findings on lines changed since {commit[:12]} ({what})", flush=True)
        check += ["--changed-since", commit]
    status = run_fix(env, args) if fix else 0
    if status == 2:
        return 2
    result = subprocess.run(notecheck(*check, *args), check=False).returncode
    if result == 2:
        return 2
    return max(status, result)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    env = dict(os.environ)
    try:
        if argv == ["install"]:
            return install(env)
        if argv == ["run"]:
            return run(env)
    except ActionError as exc:
        error(str(exc))
        return 2
    except ValueError as exc:  # shlex: an unclosed quote in args
        error(f"input args: {exc}")
        return 2
    print("usage: notecheck_action.py install|run", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
