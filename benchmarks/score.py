"""Score notecheck's findings on a real-like corpus against its ground truth (DIR/manifest.json).

Usage::

    python3 benchmarks/realcorpus.py --out /tmp/rc --notes 300 --seed 1
    python3 benchmarks/score.py /tmp/rc                  # runs notecheck check --output-format json on its notes
    python3 benchmarks/score.py /tmp/rc --code NC409     # one code, every false positive listed
    python3 benchmarks/score.py /tmp/rc --findings f.json   # score a saved JSON output instead

A finding is matched to the manifest by file, code and line: it is a true positive when it
falls on the lines of a planted defect (the highlight, quote, link or paragraph) that a
linter following SPEC §2/§3 should report with that code (one per defect; more are
"dup"); "allowed" when the defect's kind admits that code as well (the SPEC leaves one
finding or two open there); "sidecar" when it lands on a quote whose sidecar speaker label
is wrong while the note is right (NC601 may warn about it, but the note has no defect);
anything else is a false positive, listed with file:line so a person can read it, and
with what it landed on (a highlight's shape, the unusual features of the quote and of the
note, or the planted defect it names with the wrong code).
A planted defect with no finding of an expected code is "missed".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path


def run_notecheck(folder: Path, names: list[str], command: list[str]) -> list[dict]:
    """notecheck's findings on the notes the manifest lists, named one by one.

    Named, not found by a folder walk: a walk skips what git ignores (SPEC §4), and a
    corpus written inside a repository's ignored folder would otherwise check nothing.
    """
    out: list[dict] = []
    for i in range(0, len(names), 1000):  # a command line of bounded length
        files = [str(folder / name) for name in names[i:i + 1000]]
        proc = subprocess.run([*command, "check", "--output-format", "json", *files], capture_output=True)
        if proc.returncode not in (0, 1):
            sys.exit(f"notecheck exited {proc.returncode}: {proc.stderr.decode(errors='replace')[-2000:]}")
        try:
            out.extend(json.loads(proc.stdout or b"[]"))
        except ValueError:
            sys.exit("notecheck's output is not JSON: " + proc.stdout.decode(errors="replace")[:500])
    return out


def where_is(entry: dict, line: int) -> tuple[str, list[str]]:
    """What a line of a note is: ("highlight"/"quote", its unusual kinds), ("transcript", []), ..."""
    for h in entry["highlights"]:
        if h["lines"][0] <= line <= h["lines"][1]:
            return f"highlight ({h['shape']})", h["unusual"]
    for q in entry["quotes"]:
        if q["lines"][0] <= line <= q["lines"][1]:
            return "quote", q["unusual"]
    t = entry["transcript"]
    if t["first_line"] <= line <= t["last_line"]:
        return "transcript paragraph", []
    sections = entry["sections"]
    name = "front matter" if not sections or line < sections[0]["line"] else ""
    for s in sections:
        if s["line"] <= line:
            name = s["title"]
    return name or "note", []


def score(folder: Path, findings: list[dict]) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["files"]
    rows: dict[str, Counter] = defaultdict(Counter)
    fps: dict[str, list[dict]] = defaultdict(list)
    credited: set[tuple[str, int, str]] = set()  # (file, defect index, code)
    severities: dict[str, Counter] = defaultdict(Counter)
    other: list[dict] = []
    for f in findings:
        path = os.path.relpath(f["path"], folder).replace(os.sep, "/")
        entry = files.get(path)
        code, line = f["code"], f["line"]
        severities[code][f.get("severity", "?")] += 1
        if entry is None:
            other.append(f)  # a file the manifest does not know
            continue
        on = [(i, d) for i, d in enumerate(entry["defects"]) if d["lines"][0] <= line <= d["lines"][1]]
        on.sort(key=lambda x: x[1]["lines"][1] - x[1]["lines"][0])  # the most specific first
        hit = [(i, d) for i, d in on if code in d["codes"]]
        if hit:
            fresh = [(i, d) for i, d in hit if (path, i, code) not in credited]
            if fresh:
                credited.add((path, fresh[0][0], code))
                rows[code]["tp"] += 1
            else:
                rows[code]["dup"] += 1
            continue
        if any(code in d["allowed"] for _, d in on):
            rows[code]["allowed"] += 1
            continue
        if any(iss["lines"][0] <= line <= iss["lines"][1] and code in iss["allowed"]
               for iss in entry.get("sidecar_issues", [])):
            rows[code]["sidecar"] += 1
            continue
        rows[code]["fp"] += 1
        what, unusual = where_is(entry, line)
        item = [d for _, d in on if d.get("in") != "note"]
        if item:  # a real defect, but not this code's: say which one
            what += f", planted {item[0]['kind']} (expects {'/'.join(item[0]['codes'])})"
        note = entry.get("unusual", []) + [f"planted {d['kind']}" for d in entry["defects"] if d.get("in") == "note"]
        fps[code].append({"file": path, "line": line, "severity": f.get("severity"), "message": f.get("message", ""),
                          "on": what, "unusual": unusual, "note": note})
    missed: list[dict] = []
    planted: Counter = Counter()
    for path, entry in files.items():
        for i, d in enumerate(entry["defects"]):
            planted[d["kind"]] += 1
            for code in d["codes"]:
                if (path, i, code) not in credited:
                    rows[code]["missed"] += 1
                    missed.append({"file": path, "line": d["line"], "kind": d["kind"], "code": code,
                                   "params": d["params"]})
    return {"manifest": manifest, "rows": rows, "fps": fps, "missed": missed, "planted": planted,
            "severities": severities, "unknown_files": other}


def report(folder: Path, result: dict, only: str | None, limit: int) -> None:
    manifest = result["manifest"]
    files = manifest["files"]
    rows = result["rows"]
    n_def = sum(1 for e in files.values() if e["defects"])
    print(f"{folder}: {len(files)} notes ({len(files) - n_def} without planted defects), "
          f"{sum(result['planted'].values())} planted defects, seed {manifest['seed']}")
    print()
    print(f"{'code':<7}{'TP':>5}{'FP':>6}{'missed':>8}{'dup':>5}{'allowed':>9}{'sidecar':>9}"
          f"{'precision':>11}{'recall':>8}  severity")
    for code in sorted(rows):
        if only and code != only:
            continue
        r = rows[code]
        prec = f"{r['tp'] / (r['tp'] + r['fp']):.0%}" if r["tp"] + r["fp"] else "-"
        rec = f"{r['tp'] / (r['tp'] + r['missed']):.0%}" if r["tp"] + r["missed"] else "-"
        sev = ", ".join(f"{k} {v}" for k, v in sorted(result["severities"][code].items()))
        print(f"{code:<7}{r['tp']:>5}{r['fp']:>6}{r['missed']:>8}{r['dup']:>5}{r['allowed']:>9}{r['sidecar']:>9}"
              f"{prec:>11}{rec:>8}  {sev}")
    print()
    print("planted: " + ", ".join(f"{k} {v}" for k, v in sorted(result["planted"].items())))
    fps = result["fps"]
    if any(fps.values()):
        print()
        print("false positives by what they land on (a highlight's shape; the quote's unusual features):")
        for code in sorted(fps):
            if only and code != only:
                continue
            on = Counter(re.sub(r", planted .*", ", on a planted defect of another code", f["on"]) for f in fps[code])
            feats = Counter(u for f in fps[code] for u in f["unusual"])
            print(f"  {code}: " + ", ".join(f"{k} {v}" for k, v in on.most_common())
                  + ("; features: " + ", ".join(f"{k} {v}" for k, v in feats.most_common(8)) if feats else ""))
        print()
        shown = "every one" if limit < 0 else f"up to {limit} per code"
        print(f"false positives ({shown}; path:line: code [severity] message  <- what it is on):")
        for code in sorted(fps):
            if only and code != only:
                continue
            for f in fps[code][: None if limit < 0 else limit]:
                feats = f" [{', '.join(f['unusual'])}]" if f["unusual"] else ""
                note = f" (note: {', '.join(f['note'])})" if f["note"] else ""
                print(f"  {folder / f['file']}:{f['line']}: {code} [{f['severity']}] {f['message']}  <- {f['on']}{feats}"
                      f"{note}")
            if limit >= 0 and len(fps[code]) > limit:
                print(f"  ... {len(fps[code]) - limit} more {code} (--code {code} --list -1 shows them all)")
    missed = [m for m in result["missed"] if not only or m["code"] == only]
    if missed:
        print()
        print(f"missed ({'every one' if limit < 0 else f'up to {limit}'}):")
        for m in missed[: None if limit < 0 else limit]:
            print(f"  {folder / m['file']}:{m['line']}: {m['code']} expected for {m['kind']} {json.dumps(m['params'])}")
        if limit >= 0 and len(missed) > limit:
            print(f"  ... {len(missed) - limit} more")
    if result["unknown_files"]:
        print(f"\n{len(result['unknown_files'])} findings on files the manifest does not list")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="True positives, false positives and misses of notecheck, per code, "
                                             "on a corpus written by benchmarks/realcorpus.py.")
    ap.add_argument("folder", type=Path, help="the corpus folder (holds manifest.json)")
    ap.add_argument("--findings", type=Path, help="read notecheck's JSON output from this file instead of running it")
    ap.add_argument("--notecheck", default=None,
                    help="the command to run (default: this Python's 'python -m notecheck')")
    ap.add_argument("--code", help="only this code")
    ap.add_argument("--list", type=int, default=10, metavar="N",
                    help="list up to N false positives per code, and N misses (-1: all; default 10)")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = ap.parse_args(argv)
    if not (args.folder / "manifest.json").is_file():
        ap.error(f"{args.folder}/manifest.json not found: write the corpus with benchmarks/realcorpus.py --out")
    if args.findings:
        findings = json.loads(args.findings.read_text(encoding="utf-8"))
    else:
        command = args.notecheck.split() if args.notecheck else [sys.executable, "-m", "notecheck"]
        names = list(json.loads((args.folder / "manifest.json").read_text(encoding="utf-8"))["files"])
        findings = run_notecheck(args.folder, names, command)
    result = score(args.folder, findings)
    if args.json:
        out = {"rows": {c: dict(r) for c, r in result["rows"].items()}, "planted": dict(result["planted"]),
               "false_positives": result["fps"], "missed": result["missed"]}
        print(json.dumps(out, indent=1, ensure_ascii=False))
    else:
        report(args.folder, result, args.code, args.list)
    return 0


if __name__ == "__main__":
    sys.exit(main())
