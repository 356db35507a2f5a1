"""Benchmark notecheck against reading the files and against a full mistune parse.

Two corpora, each its own row set (``--corpus old|real|both``, default both):

* **old**: a reproducible corpus (seeded) of consistent generated video notes, plus copies
  of the real sample note: regular, cheap notes (few quotes, all verbatim);
* **real**: the real-like corpus of ``benchmarks/realcorpus.py``: notes that cost what real
  ones do (sizes of a 615-note archive, ~10 quotes a note of which a third are not word for
  word in the transcript, sidecar transcripts beside ~45% of the notes, which are read).

Both are built in ``benchmarks/corpus/`` (git-ignored; rebuilt when their settings or
generator change). For each, side by side in one run:

* read + decode every note (the floor: nothing can be faster than reading the bytes);
* a full mistune 3 parse (``mistune.create_markdown(renderer=None)``), on a sample;
* ``notecheck.parse`` and ``check_note`` in process (where the time goes);
* ``notecheck check`` as a whole process, with ``--jobs 1`` and with every core;
* ``notecheck fix`` as a whole process, on a fresh copy of the corpus;
* whole-process start-up for one note (``notecheck check ONE.md``), against ``python -c pass``;
* the result cache: ``notecheck check`` on the unchanged corpus with an empty cache (it
  writes one entry per note), then again (every note answered from the cache), and one
  note's start-up from the cache.

The rows above the cache rows run with ``--no-cache``: they measure checking, not the cache.
The check rows also report their peak resident memory (of the largest process: the parent
or one of its workers), from one more run each.

It prints MB/s and notes/s for each, and the ratio of ``notecheck check`` to read+decode
and to the mistune parse. Usage::

    python benchmarks/run.py                 # both: 2,000 notes + 20 samples; 615 real-like notes
    python benchmarks/run.py --corpus real   # the real-like corpus only
    python benchmarks/run.py --notes 300 --real-notes 150 --repeat 1   # quicker (their own corpus folders)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = HERE / "corpus"
SAMPLE = ROOT.parent / "shared" / "samples" / "lXUZvyajciY.md"
GENERATOR_VERSION = 4

WORDS = """the of and to in is it that we you for on this with as was are be have not they at but
from by or one all so what if about can there more an when just which like think do would
people know because really their very going some time into our way other been could now them
then these than how right lot also even kind thing things where much actually different first
year years most well make world work good something those new system model models data learning
soil water energy city history power market money school language music brain memory ocean
change problem question answer idea ideas point reason example process research study design
build building simple hard easy long short small large human humans machine machines network
every never always often sometimes maybe probably certainly clearly basically fundamentally
understand believe argue explain describe remember happen happened started start end growth
economy technology science experiment theory evidence result results paper papers team company
product customers engineers students teachers parents children family friends story stories
""".split()
NAMES = ["Maria Lopez", "Andrej Karpathy", "Dwarkesh Patel", "Ada Byron", "Grace Hopper", "Sam Chen",
         "Priya Nair", "Tom O'Brien", "Lena Schmidt", "Kwame Mensah", "Yuki Tanaka", "Omar Haddad"]
CHANNELS = ["Field Notes Podcast", "Dwarkesh Patel", "The Long Now", "Lex Fridman", "Talks at Work", "Open Lectures"]
ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


# ---------------------------------------------------------------------------- corpus


def label(seconds: int) -> str:
    m, s = divmod(seconds, 60)
    if m >= 60:
        h, m = divmod(m, 60)
        return f"{h}:{m:02d}:{s:02d}"
    return f"{m}:{s:02d}"


def sentence(rng: random.Random, lo: int = 6, hi: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + rng.choice(".....?!")


def make_note(rng: random.Random, *, long_video: bool) -> str:
    vid = "".join(rng.choice(ID_CHARS) for _ in range(11))
    duration = rng.randint(7200, 8400) if long_video else rng.randint(1500, 5400)
    target = rng.randint(60_000, 90_000) if long_video else rng.randint(20_000, 70_000)
    watch = f"https://www.youtube.com/watch?v={vid}"
    speakers = rng.sample(NAMES, 2)
    title_words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7))).capitalize()
    title = f"{speakers[0]} — \"{title_words}\""

    def link(t: int) -> str:
        return f"[{label(t)}]({watch}&t={t}s)"

    # transcript: ~80% of the bytes
    times: list[int] = []
    t = 0
    while t < duration - 30:
        times.append(t)
        t += rng.randint(15, 60)
    per_para = max(60, int(target * 0.8 / len(times)) - 60)
    paragraphs: list[tuple[int, str, str]] = []
    with_speakers = rng.random() < 0.3
    for t in times:
        text = ""
        while len(text) < per_para:
            text += sentence(rng) + " "
        paragraphs.append((t, rng.choice(speakers), text.strip()))

    out: list[str] = []
    w = out.append
    w("---\n")
    w(f"video_id: {vid}\n")
    w(f"title: {json.dumps(title, ensure_ascii=False)}\n")
    w(f"channel: {rng.choice(CHANNELS)}\n")
    w(f"duration: {duration}\n")
    w(f"duration_formatted: \"{label(duration)}\"\n")
    w(f"view_count: {rng.randint(0, 5_000_000)}\n")
    w(f"upload_date: 20{rng.randint(15, 25):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n")
    w(f"url: {watch}\n")
    w(f"thumbnail: https://i.ytimg.com/vi_webp/{vid}/maxresdefault.webp\n")
    w("tags:\n")
    for tag in rng.sample(WORDS, rng.randint(2, 8)):
        w(f"  - {tag}\n")
    w("---\n\n")
    w(f"# {title}\n\n## Summary\n\n")
    for _ in range(rng.randint(2, 4)):
        w(" ".join(sentence(rng) for _ in range(rng.randint(3, 6))) + "\n\n")

    w("## Highlights\n\n")
    picks = sorted(rng.sample(range(1, len(paragraphs) - 2), min(rng.randint(3, 6), len(paragraphs) - 3)))
    for i in picks:
        t, speaker, text = paragraphs[i]
        quote = text.split(". ")[0].rstrip(".?!") + "."
        end = min(t + rng.randint(20, 90), duration)
        m, s = divmod(t, 60)
        w(f"### \"{quote[:60]}\"\n\n")
        w(f"[![Clip](https://img.youtube.com/vi/{vid}/hqdefault.jpg)]({watch}&t={t}s)\n")
        w("<details>\n<summary>Clip command</summary>\n\n```bash\n")
        w(f"yt-dlp --download-sections \"*{label(t)}-{label(end)}\" \"{watch}\" --force-keyframes-at-cuts "
          f"--merge-output-format mp4 -o \"{vid}-{m}m{s:02d}s.mp4\"\n")
        w("```\n</details>\n\n")
        w(f"> \"{quote}\"\n> -- {speaker}, {link(t)}\n\n")

    w("## Key Points\n\n")
    for i in sorted(rng.sample(range(len(paragraphs)), min(6, len(paragraphs)))):
        t = paragraphs[i][0]
        w(f"- **{sentence(rng, 2, 5).rstrip('.?!')}** ({link(t)}) - {sentence(rng)}\n")
    w("\n## Mentions\n\n")
    for group in ("People", "Concepts"):
        w(f"### {group}\n")
        for i in sorted(rng.sample(range(len(paragraphs)), min(3, len(paragraphs)))):
            w(f"- **{rng.choice(WORDS).capitalize()}** ({link(paragraphs[i][0])}) - {sentence(rng)}\n")
        w("\n")
    w("## Surprising Quotes\n\n")
    for i in sorted(rng.sample(range(len(paragraphs)), min(2, len(paragraphs)))):
        t, speaker, text = paragraphs[i]
        quote = text.split(". ")[0].rstrip(".?!") + "."
        w(f"> \"{quote}\"\n> -- {speaker}, {link(t)}\n\n")
    w("## Transcript\n\n")
    for t, speaker, text in paragraphs:
        if with_speakers:
            w(f"**{speaker}:** {link(t)} {text}\n\n")
        else:
            w(f"{link(t)} {text}\n\n")
    note = "".join(out).rstrip("\n") + "\n"
    if rng.random() < 0.1:
        note = note.replace("\n", "\r\n")
    return note


DEFAULTS = {"notes": 2000, "samples": 20, "seed": 20251017}


def corpus_folder(notes: int, samples: int, seed: int) -> Path:
    """``corpus/notes`` for the default corpus (the one the differential baselines were made on);
    any other size gets its own folder, so a quick run never replaces the default corpus."""
    if {"notes": notes, "samples": samples, "seed": seed} == DEFAULTS:
        return CORPUS / "notes"
    return CORPUS / f"notes-{notes}-{samples}-{seed}"


def build_corpus(notes: int, samples: int, seed: int) -> list[Path]:
    """The corpus files, regenerated only when the parameters changed."""
    folder = corpus_folder(notes, samples, seed)
    manifest = CORPUS / ("manifest.json" if folder.name == "notes" else f"manifest-{folder.name}.json")
    want = {"notes": notes, "samples": samples, "seed": seed, "version": GENERATOR_VERSION}
    if manifest.is_file() and json.loads(manifest.read_text()) == want and folder.is_dir():
        return sorted(folder.rglob("*.md"))
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    for i in range(notes):
        sub = folder / f"{i // 250:02d}"  # an archive spread over folders
        sub.mkdir(exist_ok=True)
        text = make_note(rng, long_video=(i % 10 == 0))
        vid = text.split("video_id: ", 1)[1][:11]
        (sub / f"{vid}.md").write_bytes(text.encode("utf-8"))
    if SAMPLE.is_file():
        for i in range(samples):  # bytes only: the shared sample may be read-only
            (folder / f"sample{i:02d}-{SAMPLE.name}").write_bytes(SAMPLE.read_bytes())
    manifest.write_text(json.dumps(want))
    return sorted(folder.rglob("*.md"))


REAL_DEFAULTS = {"notes": 615, "seed": 1, "defect_rate": 0.3, "misquote_rate": 0.3}


def make_walkable(folder: Path) -> None:
    """Make ``folder`` its own git repository, as a user's archive usually is.

    benchmarks/corpus/ is git-ignored, and a folder walk skips what git ignores (SPEC §4):
    ``notecheck check benchmarks/corpus/notes`` would check nothing. In a repository of
    its own the corpus is listed by its own git, and nothing in it is ignored.
    """
    if (folder / ".git").exists() or shutil.which("git") is None:
        return
    subprocess.run(["git", "init", "-q", str(folder)], check=False, capture_output=True)


def build_real_corpus(notes: int, seed: int, defect_rate: float,
                      misquote_rate: float = REAL_DEFAULTS["misquote_rate"]) -> tuple[list[Path], Path]:
    """The real-like corpus (benchmarks/realcorpus.py), regenerated only when its settings or generator changed."""
    sys.path.insert(0, str(HERE))
    import realcorpus

    folder = CORPUS / f"real-{notes}-{seed}-{defect_rate:g}-{misquote_rate:g}"
    stamp = CORPUS / f"stamp-{folder.name}.json"
    source = hashlib.sha256(b"".join((HERE / name).read_bytes()
                                     for name in ("realcorpus.py", "realcorpus_vocab.py"))).hexdigest()
    want = {"notes": notes, "seed": seed, "defect_rate": defect_rate, "misquote_rate": misquote_rate,
            "generator": source}
    if not (stamp.is_file() and json.loads(stamp.read_text()) == want and (folder / "manifest.json").is_file()):
        if folder.exists():
            shutil.rmtree(folder)
        realcorpus.generate(folder, notes, seed, defect_rate, misquote_rate=misquote_rate)
        stamp.write_text(json.dumps(want))
    make_walkable(folder)
    return sorted(folder.rglob("*.md")), folder


# ---------------------------------------------------------------------------- timing


CPU: dict[str, float] = {}  # row name -> CPU seconds of its best run (this process, or its children)


def best_of(repeat: int, func, name: str | None = None) -> float:
    """The best wall time of ``repeat`` runs; with ``name``, that run's CPU time goes to CPU[name]."""
    times = []
    for _ in range(repeat):
        c0 = time.process_time()
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
        if name is not None and times[-1] == min(times):
            CPU[name] = time.process_time() - c0
    return min(times)


def children_cpu() -> float:
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


# Child processes keep their bytecode in the corpus folder: an installed package has its
# .pyc files, and PYTHONDONTWRITEBYTECODE (set in some sandboxes) would otherwise make
# every start-up compile every module again (~40 ms).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(CORPUS / "pycache")
CHILD_ENV["NOTECHECK_CACHE_DIR"] = str(CORPUS / "cache")  # never the checkout's own .notecheck_cache


QUOTES = "(quotes located)"  # the per-rule table's row for the shared quote location (not NC501's search)
LAST_CHILD_CPU = [0.0]  # CPU seconds (user+sys, all its processes) of the last run_process


def run_process(args: list[str], cwd: Path | None = None,
                env: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess]:
    c0 = children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, cwd=cwd, env={**CHILD_ENV, **(env or {})})
    seconds = time.perf_counter() - t0
    LAST_CHILD_CPU[0] = children_cpu() - c0
    return seconds, proc


def best_of_process(repeat: int, argv: list[str], name: str,
                    env: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess]:
    """The best wall time of ``repeat`` runs of ``argv``, and the last run; the best run's CPU goes to CPU[name]."""
    times = []
    for _ in range(repeat):
        seconds, proc = run_process(argv, env=env)
        times.append(seconds)
        if seconds == min(times):
            CPU[name] = LAST_CHILD_CPU[0]
    return min(times), proc


def exit_remark(proc: subprocess.CompletedProcess) -> str:
    """``exit N``, and for an exit other than 0 or 1 the end of the last line of stderr."""
    remark = f"exit {proc.returncode}"
    crashed = b"Traceback (most recent call last)" in proc.stderr  # an uncaught exception exits 1 too
    if crashed:
        remark = "CRASHED, " + remark
    if crashed or proc.returncode not in (0, 1):
        lines = proc.stderr.decode(errors="replace").strip().splitlines()
        remark += ": " + (lines[-1][-100:] if lines else "")
    return remark


RSS: dict[str, float] = {}  # row name -> peak resident MB (its largest process: the parent or a worker)

# Peak RSS is read from wait4 in a small go-between process: a child of this (large) process
# would report this process's own peak, which Linux carries into a child through fork and exec.
_RSS_PROBE = """import os, sys
pid = os.fork()
if pid == 0:
    try:
        fd = os.open(os.devnull, os.O_RDWR)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as fh:
    fh.write(str(usage.ru_maxrss))
"""


def peak_rss_mb(args: list[str]) -> float:
    """One more run of ``args``, for its peak resident memory in MB."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rss"
        subprocess.run([sys.executable, "-c", _RSS_PROBE, str(out), *args], env=CHILD_ENV, check=False)
        try:
            value = int(out.read_text())
        except (OSError, ValueError):
            return float("nan")
    return value / 2**20 if sys.platform == "darwin" else value / 1024


def c_module_built() -> bool:
    """Is notecheck's optional C module importable by the notecheck being timed?"""
    proc = subprocess.run([sys.executable, "-c", "import notecheck._speedups"], capture_output=True, env=CHILD_ENV)
    return proc.returncode == 0


def notecheck_cmd() -> list[str]:
    """The ``notecheck`` script of the environment running this benchmark (not whichever one
    PATH finds first: that may be another install), else ``python -m notecheck``."""
    exe = Path(sys.executable).parent / "notecheck"
    return [str(exe)] if exe.is_file() and os.access(exe, os.X_OK) else [sys.executable, "-m", "notecheck"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", choices=["old", "real", "both"], default="both",
                    help="old: the generated notes and samples; real: benchmarks/realcorpus.py's real-like notes "
                         "with sidecars; both (default): one after the other, then side by side")
    ap.add_argument("--notes", type=int, default=DEFAULTS["notes"], help="old corpus: generated notes (default 2000)")
    ap.add_argument("--samples", type=int, default=DEFAULTS["samples"],
                    help="old corpus: copies of the real sample note (default 20)")
    ap.add_argument("--seed", type=int, default=DEFAULTS["seed"], help="old corpus: the seed")
    ap.add_argument("--real-notes", type=int, default=REAL_DEFAULTS["notes"],
                    help="real-like corpus: notes (default 615, the size of the archive it imitates)")
    ap.add_argument("--real-seed", type=int, default=REAL_DEFAULTS["seed"], help="real-like corpus: the seed")
    ap.add_argument("--defect-rate", type=float, default=REAL_DEFAULTS["defect_rate"],
                    help="real-like corpus: share of notes with planted defects (default 0.3)")
    ap.add_argument("--misquote-rate", type=float, default=REAL_DEFAULTS["misquote_rate"],
                    help="real-like corpus: share of quotes with a misquoted sentence (default 0.3: the "
                         "archive's ~3 NC501 a note)")
    ap.add_argument("--repeat", type=int, default=3, help="take the best of N runs (default 3)")
    ap.add_argument("--mistune-notes", type=int, default=150,
                    help="how many notes the (slow) mistune parse times (default 150)")
    ap.add_argument("--startup-runs", type=int, default=10)
    args = ap.parse_args(argv)
    summaries = [run_corpus(args, kind) for kind in (("old", "real") if args.corpus == "both" else (args.corpus,))]
    if len(summaries) > 1:
        print_comparison(summaries)
    return 0


def print_comparison(summaries: list[dict]) -> None:
    """The corpora side by side: what each costs, whole process and in process."""
    print()
    print("=" * 100)
    print("side by side" + f" (load average now {os.getloadavg()[0]:.2f})")
    width = 26
    print(f"{'':<36}" + "".join(f"{s['name']:>{width}}" for s in summaries))
    keys = [("notes", "notes", "{:.0f}"), ("MB", "MB of notes", "{:.1f}"), ("sidecar_mb", "MB of sidecars read", "{:.1f}"),
            ("check_j1", "notecheck check -j1 MB/s", "{:.1f}"), ("check_all", "notecheck check all cores MB/s", "{:.1f}"),
            ("check_j1_cpu", "notecheck check -j1 cpu s", "{:.1f}"),
            ("parse_ms", "parse ms/MB (in process)", "{:.0f}"), ("parse_cpu_ms", "parse cpu ms/MB", "{:.0f}"),
            ("rules_ms", "all rules ms/MB (in process)", "{:.0f}"), ("rules_cpu_ms", "all rules cpu ms/MB", "{:.0f}"),
            ("startup_ms", "start-up, one note ms", "{:.0f}"),
            ("check_cached", "notecheck check, cached MB/s", "{:.1f}"),
            ("cached_x", "cached: times as fast as all cores", "{:.1f}"),
            ("rss_all", "peak RSS MB, check all cores", "{:.0f}"), ("rss_cached", "peak RSS MB, cached", "{:.0f}")]
    for key, title, fmt in keys:
        print(f"{title:<36}" + "".join(f"{fmt.format(s[key]):>{width}}" for s in summaries))
    codes = sorted({c for s in summaries for c in s["per_rule"]}, key=lambda c: -max(s["per_rule"].get(c, 0)
                                                                                      for s in summaries))
    for code in codes[:10]:
        print(f"{code + ' cpu ms/MB (in process)':<36}" + "".join(f"{s['per_rule'].get(code, 0):>{width}.1f}"
                                                                    for s in summaries))


def run_corpus(args: argparse.Namespace, kind: str) -> dict:
    """Every row for one corpus ("old" or "real"); prints its table and returns a summary."""
    t0 = time.perf_counter()
    if kind == "real":
        files, folder = build_real_corpus(args.real_notes, args.real_seed, args.defect_rate, args.misquote_rate)
        sidecar_args: list[str] = []  # the real archive's sidecars are read, as a user's run reads them
    else:
        files = build_corpus(args.notes, args.samples, args.seed)
        folder = corpus_folder(args.notes, args.samples, args.seed)
        make_walkable(folder)
        sidecar_args = ["--no-sidecar"]
    built = time.perf_counter() - t0
    total_bytes = sum(f.stat().st_size for f in files)
    n = len(files)
    mb = total_bytes / 1e6
    sidecar_mb = sum(f.stat().st_size for f in folder.rglob("*.json") if f.name != "manifest.json") / 1e6
    cores = os.cpu_count() or 1
    print()
    print(f"{kind} corpus: {n} notes, {mb:.1f} MB in {folder}"
          + (f" (+ {sidecar_mb:.1f} MB of sidecars, read)" if sidecar_mb else "")
          + f" (prepared in {built:.1f} s); "
          f"{cores} cores; python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.2f} "
          "(other work on the machine slows the wall times; the cpu column does not count it)")

    rows: list[tuple[str, float, float, int, str]] = []  # name, seconds, bytes, notes, remark

    def add(name: str, seconds: float, nbytes: float, count: int, remark: str = "") -> None:
        rows.append((name, seconds, nbytes, count, remark))

    # read + decode ---------------------------------------------------------------------
    def read_all() -> list[str]:
        return [f.read_bytes().decode("utf-8") for f in files]

    texts = read_all()
    add("read+decode", best_of(args.repeat, read_all, "read+decode"), total_bytes, n)

    # mistune, on an evenly spread sample ------------------------------------------------
    import mistune

    md = mistune.create_markdown(renderer=None)
    step = max(1, n // max(1, args.mistune_notes))
    sample = texts[::step][: args.mistune_notes]
    sample_bytes = sum(len(t.encode("utf-8")) for t in sample)
    add("mistune full parse", best_of(1, lambda: [md(t) for t in sample]), sample_bytes, len(sample),
        f"sample of {len(sample)}")

    # notecheck in process -----------------------------------------------------------------
    import notecheck
    from notecheck.config import Config
    from notecheck.engine import check_note, selected_rules

    cfg = Config()
    rules = selected_rules(cfg)
    from notecheck.sidecar import load_for

    # the sidecar each note is checked with (as check finds it); None for the old corpus
    sidecars = [load_for(str(f), notecheck.parse(t), cfg) if kind == "real" else None for f, t in zip(files, texts)]
    def parse_all() -> None:
        # one note at a time, as check does: a list keeping all 2,000 Notes alive made the
        # cyclic GC walk them over and over (+10 ms/MB that no real run pays)
        for t in texts:
            notecheck.parse(t)

    add("notecheck.parse (in process)", best_of(args.repeat, parse_all, "notecheck.parse (in process)"),
        total_bytes, n)
    findings: dict[str, int] = {}

    def check_all() -> None:
        findings.clear()
        for t, sc in zip(texts, sidecars):
            for d in check_note(notecheck.parse(t), cfg, "x.md", rules=rules, sidecar=sc):
                findings[d.code] = findings.get(d.code, 0) + 1

    add("parse+check_note (in process)", best_of(args.repeat, check_all, "parse+check_note (in process)"),
        total_bytes, n, f"{len(rules)} rules")

    # where the rules' time goes: each rule timed in engine order, on a sample
    from notecheck.engine import Context

    per_rule: dict[str, float] = {}
    per_rule_cpu: dict[str, float] = {}  # CPU seconds: what a shared machine's other work does not inflate
    rule_step = max(1, n // 300)
    rule_sample = texts[::rule_step]
    rule_mb = sum(len(t.encode("utf-8")) for t in rule_sample) / 1e6
    from notecheck.timeline import checked_quotes

    def timed(name: str, run) -> None:  # wall and CPU seconds of run(), added to name's row
        c0 = time.process_time()
        t0 = time.perf_counter()
        run()
        per_rule[name] = per_rule.get(name, 0.0) + time.perf_counter() - t0
        per_rule_cpu[name] = per_rule_cpu.get(name, 0.0) + time.process_time() - c0

    for t, sc in zip(rule_sample, sidecars[::rule_step]):
        note = notecheck.parse(t)
        ctx = Context(cfg, "x.md", sidecar=sc)
        # every quote located in the transcript (the index, the verbatim lookups, the word times):
        # shared by NC403/NC409/NC5xx/NC6xx, timed apart so no one rule carries it. A misquoted
        # sentence's closest-passage search is NC501's alone: it runs when NC501 first reads the
        # sentence's closest text (and its runner-up when the repair asks), so NC501's row holds it
        timed(QUOTES, lambda: checked_quotes(note, ctx))
        for r in rules:
            timed(r.code, lambda: list(r.check(note, ctx)))

    # notecheck as a whole process ---------------------------------------------------------
    cmd = notecheck_cmd()
    target = str(folder)
    run_process([*cmd, "rules"])  # writes the bytecode cache
    check_codes: dict[str, int] = {}
    for jobs, name in ((1, "notecheck check -j1"), (0, f"notecheck check (all {cores} cores)")):
        check_codes.clear()
        argv_ = [*cmd, "check", "--output-format", "json", *sidecar_args, "--no-cache", target]
        if jobs:
            argv_[2:2] = ["--jobs", str(jobs)]
        seconds, proc = best_of_process(args.repeat, argv_, name)
        RSS[name] = peak_rss_mb(argv_)
        remark = exit_remark(proc)
        if proc.returncode in (0, 1):
            try:
                for d in json.loads(proc.stdout or b"[]"):
                    check_codes[d["code"]] = check_codes.get(d["code"], 0) + 1
            except ValueError:
                remark += ", output is not JSON"
        add(name, seconds, total_bytes, n, remark)
    # the same without the optional C module (src/notecheck/_speedups.c): same output, slower
    with_c = proc.stdout
    pure = "notecheck check, pure Python"  # every core, like the row before
    seconds, proc = best_of_process(args.repeat, argv_, pure, env={"NOTECHECK_PURE_PYTHON": "1"})
    same = "same output as with the C module" if proc.stdout == with_c else "OUTPUT DIFFERS from the C module's"
    add(pure, seconds, total_bytes, n, f"{exit_remark(proc)}, {same}{'' if c_module_built() else ' (NOT BUILT here)'}")

    # notecheck fix on a copy ----------------------------------------------------------------
    copy = CORPUS / "fix-copy"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(folder, copy)
    seconds, proc = run_process([*cmd, "fix", "--output-format", "json", *sidecar_args, "--no-cache", str(copy)])
    CPU["notecheck fix (copy)"] = LAST_CHILD_CPU[0]
    remark = exit_remark(proc)
    changed = sum(1 for f in files if (copy / f.relative_to(folder)).read_bytes() != f.read_bytes())
    add("notecheck fix (copy)", seconds, total_bytes, n, remark + f", {changed} files changed")
    # the promises of fix, checked on the whole copy: nothing fixable remains, a second run changes nothing
    after = {f: f.read_bytes() for f in copy.rglob("*.md")}
    _, proc = run_process([*cmd, "check", "--output-format", "json", *sidecar_args, "--no-cache", str(copy)])
    try:
        # unsafe fixes (NC602 with a sidecar) wait for --unsafe-fixes: only safe ones must be gone
        fixable_left = sum(1 for d in json.loads(proc.stdout or b"[]")
                           if d.get("fixable") and (d.get("fix") or {}).get("applicability", "safe") == "safe")
    except ValueError:
        fixable_left = -1
    run_process([*cmd, "fix", "--output-format", "json", *sidecar_args, "--no-cache", str(copy)])
    changed_again = sum(1 for f, data in after.items() if f.read_bytes() != data)
    fix_check = (f"after fix: {fixable_left} findings with a safe fix remain (must be 0); "
                 f"a second fix changed {changed_again} files (must be 0)")

    # the result cache: the unchanged corpus with an empty cache, then answered from it ----------
    cache = CORPUS / "cache" / folder.name
    if cache.exists():
        shutil.rmtree(cache)
    cache_argv = [*cmd, "check", "--output-format", "json", *sidecar_args, "--cache-dir", str(cache), target]
    cold_name, cached_name = "notecheck check, cache empty", "notecheck check, cached"
    seconds, proc = run_process(cache_argv)
    CPU[cold_name] = LAST_CHILD_CPU[0]
    entries = sum(1 for _ in cache.rglob("*.json"))
    cache_mb = sum(p.stat().st_size for p in cache.rglob("*")) / 1e6
    add(cold_name, seconds, total_bytes, n, f"exit {proc.returncode}, wrote {entries} entries ({cache_mb:.1f} MB)")
    cold_output = proc.stdout
    seconds, proc = best_of_process(args.repeat, cache_argv, cached_name)
    RSS[cached_name] = peak_rss_mb(cache_argv)
    same = "same output as cold" if proc.stdout == cold_output else "OUTPUT DIFFERS FROM COLD"
    add(cached_name, seconds, total_bytes, n, f"exit {proc.returncode}, {same}")

    # start-up for one note --------------------------------------------------------------------
    one = next((f for f in files if SAMPLE.name not in f.name), files[0])
    base = statistics.median(run_process([sys.executable, "-c", "pass"])[0] for _ in range(args.startup_runs))
    one_argv = [*cmd, "check", *sidecar_args, "--no-cache", str(one)]
    one_times = [run_process(one_argv)[0] for _ in range(args.startup_runs)]
    startup = statistics.median(one_times)
    add("start-up: notecheck check ONE.md", startup, one.stat().st_size, 1,
        f"median of {args.startup_runs}; python -c pass = {base * 1000:.0f} ms; min {min(one_times) * 1000:.0f} ms")
    RSS["start-up: notecheck check ONE.md"] = peak_rss_mb(one_argv)
    one_cached = [*cmd, "check", *sidecar_args, "--cache-dir", str(cache), str(one)]  # its entry: the cache rows'
    cached_one = statistics.median(run_process(one_cached)[0] for _ in range(args.startup_runs))
    add("start-up, cached: check ONE.md", cached_one, one.stat().st_size, 1, f"median of {args.startup_runs}")

    # report -----------------------------------------------------------------------------------
    print()
    print(f"{'what':<34} {'seconds':>8} {'MB/s':>9} {'notes/s':>9} {'cpu s':>7} {'rss MB':>6}  remark")
    rate = {}
    for name, seconds, nbytes, count, remark in rows:
        mbs = nbytes / 1e6 / seconds
        rate[name] = mbs
        cpu = f"{CPU[name]:>7.3f}" if name in CPU else f"{'':>7}"
        rss = f"{RSS[name]:>6.0f}" if name in RSS else f"{'':>6}"
        print(f"{name:<34} {seconds:>8.3f} {mbs:>9.1f} {count / seconds:>9.0f} {cpu} {rss}  {remark}")
    print()
    read_rate = rate["read+decode"]
    mistune_rate = rate["mistune full parse"]
    for name in rate:
        if name.startswith("notecheck check") or name.startswith("notecheck fix"):
            print(f"{name:<34} = 1/{read_rate / rate[name]:.0f} of read+decode, "
                  f"{rate[name] / mistune_rate:.1f}x a full mistune parse")
    print(f"start-up for one note: {startup * 1000:.0f} ms (target < 150 ms), of which the bare interpreter "
          f"(python -c pass) {base * 1000:.0f} ms; from the cache {cached_one * 1000:.0f} ms")
    cold_check = f"notecheck check (all {cores} cores)"
    cached_x = rate[cached_name] / rate[cold_check]
    print(f"the unchanged corpus from the cache: {cached_x:.1f}x as fast as cold ({cold_check}; target >= 10x; "
          f"cpu {CPU.get(cached_name, 0):.2f} s against {CPU.get(cold_check, 0):.2f} s); filling the cache costs "
          f"{(CPU.get(cold_name, 0) / max(CPU.get(cold_check, 0), 1e-9) - 1) * 100:+.0f}% cpu on a cold run")
    parse_rate = rate["notecheck.parse (in process)"]
    parse_cpu = CPU.get("notecheck.parse (in process)", 0.0) * 1000 / mb
    print(f"in process, per MB: parse {1000 / parse_rate:.0f} ms (cpu {parse_cpu:.0f} ms), rules "
          f"{sum(per_rule.values()) * 1000 / rule_mb:.0f} ms; slowest rules (ms/MB): "
          + ", ".join(f"{c} {t * 1000 / rule_mb:.1f}" for c, t in sorted(per_rule.items(), key=lambda x: -x[1])[:8])
          + f"; cpu: rules {sum(per_rule_cpu.values()) * 1000 / rule_mb:.0f} ms, "
          + ", ".join(f"{c} {t * 1000 / rule_mb:.1f}" for c, t in sorted(per_rule_cpu.items(), key=lambda x: -x[1])[:4]))
    print(fix_check)
    if check_codes:
        print("findings on the corpus by code (check):",
              ", ".join(f"{c}={k}" for c, k in sorted(check_codes.items())))
    else:
        print("findings on the corpus (check): none")
    if findings != check_codes and findings:
        print("in-process findings:", ", ".join(f"{c}={k}" for c, k in sorted(findings.items())))
    if kind == "real":
        print(f"(in process, the sidecars were loaded beforehand: their reading is in the whole-process rows only; "
              f"precision per code against the planted defects: python3 benchmarks/score.py {folder})")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    return {"name": f"{kind} corpus", "notes": n, "MB": mb, "sidecar_mb": sidecar_mb,
            "check_j1": rate["notecheck check -j1"], "check_all": rate[f"notecheck check (all {cores} cores)"],
            "parse_ms": 1000 / parse_rate, "rules_ms": sum(per_rule.values()) * 1000 / rule_mb,
            "parse_cpu_ms": parse_cpu, "rules_cpu_ms": sum(per_rule_cpu.values()) * 1000 / rule_mb,
            "check_j1_cpu": CPU.get("notecheck check -j1", 0.0),
            "startup_ms": startup * 1000, "per_rule": {c: t * 1000 / rule_mb for c, t in per_rule_cpu.items()},
            "check_cached": rate[cached_name], "cached_x": cached_x,
            "rss_all": RSS.get(cold_check, float("nan")), "rss_cached": RSS.get(cached_name, float("nan"))}


if __name__ == "__main__":
    sys.exit(main())
