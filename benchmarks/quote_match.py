"""Quote matching: rapidfuzz vs difflib.SequenceMatcher, and the sentence index notecheck uses.

    python benchmarks/quote_match.py [--repeat N]

Workload: a ~50 KB transcript (the real sample's Transcript paragraphs, twice, the second
copy an hour later) and 20 quotes (the sample's 11 quotes, verbatim and paraphrased, plus
9 made from transcript sentences: 3 verbatim, 3 with a word changed, 3 invented).

Measured (best of --repeat runs, wall time):
  A  rapidfuzz   fuzz.partial_ratio_alignment of every quote sentence against every paragraph
  B  difflib     the same brute force with SequenceMatcher (fuzzywuzzy's partial-ratio recipe)
  C  notecheck   QuoteIndex build + locate(): exact lookups first, fuzzy only for misses,
                 on a few prefiltered candidate passages (what NC501/NC502 run)
  D  notecheck   C on a 2-hour transcript (~150 KB)
and checks that A and B agree with C on which paragraph is closest.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from notecheck import parse  # noqa: E402
from notecheck.quotematch import Passage, QuoteIndex, locate, normalize, split_quote  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "samples" / "lXUZvyajciY.md"


def workload(copies: int = 2) -> tuple[list[Passage], list[str]]:
    note = parse(SAMPLE.read_text(encoding="utf-8"))
    base = [(int(p.link.t_text.rstrip("s")), p.text) for p in note.transcript]
    items = []
    for c in range(copies):
        items += [(t + c * 3600 * 3, text) for t, text in base]
    passages = [Passage(t, items[i + 1][0] if i + 1 < len(items) else None, text) for i, (t, text) in enumerate(items)]
    rng = random.Random(7)
    quotes = [q.text for q in note.quotes]
    sentences = [s for _, text in base for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 8]
    picked = rng.sample(sentences, 6)
    quotes += picked[:3]
    for s in picked[3:]:
        words = s.split()
        words[len(words) // 2] = "banana"
        quotes.append(" ".join(words))
    quotes += [
        "Nobody in the field has ever tried to train a model on the sound of rain.",
        "The real bottleneck is the number of chairs in the data center.",
        "I will never write another line of Python as long as I live.",
    ]
    assert len(quotes) == 20, len(quotes)
    return passages, quotes


def brute_rapidfuzz(passages: list[Passage], quotes: list[str]) -> list[int]:
    from rapidfuzz import fuzz

    texts = [normalize(p.text) for p in passages]
    best = []
    for q in quotes:
        for frag in split_quote(q):
            scores = [fuzz.partial_ratio(frag.words, t) for t in texts]
            best.append(max(range(len(texts)), key=lambda i: (scores[i], -i)))
    return best


def difflib_partial_ratio(short: str, long: str) -> float:
    if len(short) > len(long):
        short, long = long, short
    blocks = SequenceMatcher(None, short, long, autojunk=False).get_matching_blocks()
    best = 0.0
    for i, j, _n in blocks:
        start = max(j - i, 0)
        r = SequenceMatcher(None, short, long[start:start + len(short)], autojunk=False).ratio()
        if r > best:
            best = r
            if r > 0.995:
                break
    return best * 100


def brute_difflib(passages: list[Passage], quotes: list[str]) -> list[int]:
    texts = [normalize(p.text) for p in passages]
    best = []
    for q in quotes:
        for frag in split_quote(q):
            scores = [difflib_partial_ratio(frag.words, t) for t in texts]
            best.append(max(range(len(texts)), key=lambda i: (scores[i], -i)))
    return best


def indexed(passages: list[Passage], quotes: list[str]) -> list[int | None]:
    index = QuoteIndex(passages)
    return [s.passage for q in quotes for s in locate(q, index).sentences]


def timed(fn, *args, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    if not SAMPLE.is_file():
        print(f"sample note not found: {SAMPLE}", file=sys.stderr)
        return 2
    import rapidfuzz  # noqa: F401  (import cost outside the timings)

    passages, quotes = workload(2)
    size = sum(len(p.text) for p in passages)
    n_sent = sum(len(split_quote(q)) for q in quotes)
    print(f"transcript: {len(passages)} paragraphs, {size / 1000:.1f} KB; {len(quotes)} quotes, {n_sent} sentences")
    ta, ra = timed(brute_rapidfuzz, passages, quotes, repeat=args.repeat)
    tb, rb = timed(brute_difflib, passages, quotes, repeat=max(1, args.repeat // 5))
    tc, rc = timed(indexed, passages, quotes, repeat=args.repeat)
    print(f"A rapidfuzz brute force   {ta * 1000:9.1f} ms")
    print(f"B difflib brute force     {tb * 1000:9.1f} ms   ({tb / ta:.0f}x A)")
    print(f"C notecheck index+locate  {tc * 1000:9.1f} ms   ({ta / tc:.0f}x faster than A)")
    # the copies are identical: compare paragraph positions within one copy
    half = len(passages) // 2
    same_ab = sum(a % half == b % half for a, b in zip(ra, rb))
    same_ac = sum(c is not None and a % half == c % half for a, c in zip(ra, rc))
    print(f"closest paragraph: A=B for {same_ab}/{len(ra)} sentences, A=C for {same_ac}/{len(ra)}")
    big, _ = workload(6)
    size = sum(len(p.text) for p in big)
    td, _ = timed(indexed, big, quotes, repeat=args.repeat)
    print(f"D notecheck, {len(big)} paragraphs / {size / 1000:.0f} KB (2+ hours): {td * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
