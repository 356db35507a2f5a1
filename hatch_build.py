"""Build hook: compile notecheck's optional C speed-up (src/notecheck/_speedups.c) into the wheel.

notecheck works without it: ``notecheck.quotematch`` falls back to a pure-Python twin with the
same results (tests/test_speedups.py holds them equal), about 3x slower at indexing a
transcript. So a failed compile (no C compiler, no Python headers) is a warning, not an error,
and ``NOTECHECK_PURE_PYTHON=1`` skips it. setuptools' ``build_ext`` does the compiling: it
knows each platform's compiler and flags.

A regular wheel gets the module at ``notecheck/`` and a platform tag; an editable install
(``pip install -e .``) builds it in place, beside the sources the editable install points to.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path("src") / "notecheck" / "_speedups.c"


class SpeedupsBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or os.environ.get("NOTECHECK_PURE_PYTHON"):
            return
        root = Path(self.root)
        self._tmp = tempfile.mkdtemp(prefix="notecheck-build-")  # kept until the wheel is written
        try:
            built = _compile(root, Path(self._tmp))
        except Exception as exc:  # noqa: BLE001 - any failure leaves the pure-Python fallback
            print(f"notecheck: the C speed-up was not built ({type(exc).__name__}: {exc}); "
                  "the pure-Python fallback will be used", file=sys.stderr)
            return
        if version == "editable":
            shutil.copyfile(built, root / "src" / "notecheck" / built.name)
        else:
            build_data["force_include"][str(built)] = f"notecheck/{built.name}"
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _compile(root: Path, tmp: Path) -> Path:
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    dist = Distribution({"name": "notecheck",
                         "ext_modules": [Extension("notecheck._speedups", [str(root / SOURCE)],
                                                   libraries=[] if os.name == "nt" else ["m"])]})
    cmd = build_ext(dist)
    cmd.build_lib = str(tmp / "lib")
    cmd.build_temp = str(tmp / "temp")
    cmd.ensure_finalized()
    cmd.run()
    (output,) = cmd.get_outputs()
    return Path(output)
