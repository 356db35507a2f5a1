"""The size series: each pathological shape at 1, 2, 4, 8, 16, 32 MB, time per MB (must be flat).

Issue 15 found inputs whose cost grew faster than their size (links on one line, mojibake,
a sidecar of one huge segment, millions of newlines, thousands of fixable findings, many
findings on one line, an endless standard input). Each shape is run here as a whole
``notecheck`` process (``--max-file-size 64MiB`` so that 32 MB is read) and timed by its CPU
seconds (the machine may be shared: wall time is printed too, with the load average). The
start-up of a process on a small note is subtracted before dividing by the size, so a
linear stage shows the same seconds per MB at every size; the last column of the summary
is the largest over the smallest per-MB time from 2 MB up (a quadratic stage doubles it at
each step: 16 from 2 to 32 MB).

    python benchmarks/sizes.py                      # every shape, 1..32 MB (several minutes)
    python benchmarks/sizes.py --sizes 1,2,4 --shapes mojibake,newlines
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLEAN = (ROOT / "tests" / "fixtures" / "clean.md").read_text(encoding="utf-8")
SIDECAR_DIR = ROOT / "tests" / "fixtures" / "sidecar"
FM = CLEAN[:CLEAN.index("## Summary")]
LINK = "[1:35](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=95s)"
BAD_LINK = LINK.replace("t=95s", "t=96s")
MB = 1_000_000


def repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def note_shape(body) -> callable:
    def make(folder: Path, size: int) -> list[str]:
        (folder / "n.md").write_text(body(size), encoding="utf-8", newline="")
        return ["check", "--no-sidecar", "n.md"]
    return make


def fix_shape(body) -> callable:
    def make(folder: Path, size: int) -> list[str]:
        (folder / "n.md").write_text(body(size), encoding="utf-8", newline="")
        return ["fix", "--no-sidecar", "n.md"]
    return make


def single_segment_sidecar(folder: Path, size: int) -> list[str]:
    """The sidecar fixture's note, and a sidecar of one segment of ``size`` bytes of its words."""
    shutil.copy(SIDECAR_DIR / "Hs9kWq2TzLm.md", folder)
    doc = json.loads((SIDECAR_DIR / "Hs9kWq2TzLm.json").read_text(encoding="utf-8"))
    vocabulary = sorted(set(" ".join(s["text"] for s in doc["full_transcript"]).split()))
    rng = random.Random(15)
    words, n = [], 0
    while n < size:
        w = rng.choice(vocabulary)
        words.append(w)
        n += len(w) + 1
    doc["full_transcript"] = [{"timestamp": "00:00:00", "speaker": "A", "text": " ".join(words)}]
    (folder / "Hs9kWq2TzLm.json").write_text(json.dumps(doc), encoding="utf-8")
    return ["check", "Hs9kWq2TzLm.md"]


def endless_stdin(folder: Path, size: int) -> list[str]:
    """``check - < /dev/zero`` with the limit at ``size``: the time it takes to stop."""
    return ["check", "--max-file-size", str(size), "-"]


SHAPES = {
    "links on one line": note_shape(lambda n: FM + "## Key Points\n\n- " + repeat(LINK, n) + "\n"),
    "findings on one line": note_shape(lambda n: FM + "## Key Points\n\n- " + repeat(BAD_LINK, n) + "\n"),
    "mojibake": note_shape(lambda n: FM + "## Summary\n\n" + repeat("â€” Ã© ", n) + "\n"),
    "newlines": note_shape(lambda n: FM + "\n" * n),
    "suppressions on one line": note_shape(
        lambda n: FM + "## Summary\n\n" + repeat("<!-- notecheck: disable=NC301 -->", n) + "\nx\n"),
    "single-segment sidecar": single_segment_sidecar,
    "fixable findings (fix)": fix_shape(lambda n: FM + "## Key Points\n\n" + repeat(f"- {BAD_LINK}\n", n)),
    "mojibake lines (fix)": fix_shape(lambda n: FM + "## Summary\n\n" + repeat("â€” Ã©\n", n)),
    "stdin /dev/zero": endless_stdin,
}


def run(args: list[str], cwd: Path) -> tuple[float, float, float]:
    """(wall s, cpu s, peak RSS MB) of one notecheck process."""
    stdin = open("/dev/zero", "rb") if args[-1] == "-" else subprocess.DEVNULL
    start = time.perf_counter()
    # the shape's own options come after the raised limit (the last one wins)
    proc = subprocess.Popen([sys.executable, "-m", "notecheck", args[0], "--max-file-size", "64MiB", *args[1:]],
                            cwd=cwd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if stdin is not subprocess.DEVNULL:
        stdin.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"notecheck {' '.join(args)} exited {code}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def make(name: str, folder: Path, size: int) -> list[str]:
    """Write the shape's files in a process of their own: the peak RSS a child reports (Linux
    counts the parent's pages it was forked with) then stays that of notecheck."""
    out = subprocess.run([sys.executable, __file__, "--make", name, str(size), str(folder)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,2,4,8,16,32", help="MB, comma-separated (default 1,2,4,8,16,32)")
    parser.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated names (default: all)")
    parser.add_argument("--make", nargs=3, metavar=("SHAPE", "BYTES", "FOLDER"), help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.make:
        name, size, folder = opts.make
        print(json.dumps(SHAPES[name](Path(folder), int(size))))
        return
    sizes = [float(s) for s in opts.sizes.split(",")]
    shapes = [s.strip() for s in opts.shapes.split(",")]
    print(f"load average {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores); python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "startup"
        base.mkdir()
        (base / "n.md").write_text(CLEAN, encoding="utf-8")
        startup = min(run(["check", "--no-sidecar", "n.md"], base)[1] for _ in range(3))
        print(f"start-up (check of one small note): {startup:.3f} cpu s, subtracted below\n")
        print(f"{'shape':28} {'MB':>5} {'wall s':>8} {'cpu s':>8} {'cpu s/MB':>9} {'peak MB':>8} {'RSS/MB':>7}")
        summary = []
        for name in shapes:
            per_mb = []
            for size in sizes:
                folder = Path(tmp) / f"{name.replace(' ', '_').replace('/', '_')}-{size:g}"
                folder.mkdir()
                args = make(name, folder, int(size * MB))
                wall, cpu, rss = run(args, folder)
                rate = max(0.0, cpu - startup) / size
                per_mb.append((size, rate))
                print(f"{name:28} {size:5g} {wall:8.2f} {cpu:8.2f} {rate:9.3f} {rss:8.0f} {rss / size:7.1f}",
                      flush=True)
                shutil.rmtree(folder)
            rates = [r for s, r in per_mb if s >= 2] or [r for _, r in per_mb]
            summary.append((name, min(rates), max(rates)))
        print(f"\n{'shape':28} {'cpu s/MB min':>13} {'max':>8} {'max/min (2 MB up)':>18}")
        for name, lo, hi in summary:
            print(f"{name:28} {lo:13.3f} {hi:8.3f} {hi / lo if lo else float('nan'):18.2f}")


if __name__ == "__main__":
    main()
