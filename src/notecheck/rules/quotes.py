"""NC5xx: quotes in Highlights and Surprising Quotes, checked against the transcript.

The words come from the sidecar's segments when a usable sidecar exists (the source
words), else from the note's Transcript paragraphs; matching lives in quotematch.py.
"""

from __future__ import annotations

import bisect
import math
from typing import Iterator

from ..diagnostic import Finding
from ..note import Note, YouTubeLink
from ..quotematch import QuoteIndex, SentenceMatch, WordChange, sidecar_usable, tokens
from ..repair import repair, window_starts
from ..timeline import checked_quotes, place, quote_fix, timelines
from ..times import parse_label, render_label
from . import rule

EXCERPT = 80  # characters of transcript or quote text shown in a message
SHOWN_CHANGES = 3  # word changes named in a message; the rest are counted


def _excerpt(text: str, limit: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


def _time(index: QuoteIndex, i: int) -> str:
    return index.passages[i].shown_label


def describe_changes(changes: tuple[WordChange, ...], limit: int = SHOWN_CHANGES) -> str:
    """``"terrible" where the transcript says "bad", "really" added`` (and how many more)."""
    shown = []
    for c in changes[:limit]:
        if c.kind == "changed":
            shown.append(f"\"{_excerpt(c.quote, 40)}\" where the transcript says \"{_excerpt(c.transcript, 40)}\"")
        elif c.kind == "added":
            shown.append(f"\"{_excerpt(c.quote, 40)}\" added")
        else:
            shown.append(f"\"{_excerpt(c.transcript, 40)}\" left out")
    text = ", ".join(shown)
    if len(changes) > limit:
        text += f" and {len(changes) - limit} more"
    return text


# A sentence is a variant of the closest transcript text when they are at least this alike and
# share at least this share of the sentence's words; then the message names the word changes,
# else (an invented sentence) word changes against an unrelated text would be noise.
CHANGES_FROM = 0.6
SHARED_WORDS_FROM = 0.5


def _sentence_report(index: QuoteIndex, s: SentenceMatch) -> str:
    if s.closest is None or s.passage is None:
        return "nothing similar in the transcript"
    alike = f"{int(s.similarity * 100)}% alike at {_time(index, s.passage)}"
    if s.changes and s.similarity >= CHANGES_FROM and _shared_share(s) >= SHARED_WORDS_FROM:
        return f"{describe_changes(s.changes)} ({alike})"
    return f"nothing close in the transcript (best {alike}: \"{_excerpt(s.closest)}\")"


def _shared_share(s: SentenceMatch) -> float:
    """The share of the sentence's words the closest text has too."""
    words = len(tokens(s.text))
    differing = sum(len(tokens(c.quote)) for c in s.changes if c.kind != "left out")
    return (words - differing) / words if words else 0.0


@rule("NC501", "quote-not-in-transcript", severity="error", fix="unsafe",
      summary="a quote's words are not in the transcript (reports what differs from the closest passage)")
def quote_not_in_transcript(note: Note, ctx) -> Iterator[Finding]:
    """
    What it finds:
        A quote in Highlights or Surprising Quotes with a sentence whose words are not in
        the transcript (the sidecar's words when a sidecar is found). Words are compared
        "clean verbatim", as transcribers do: case, punctuation, quote marks, dashes, and
        blanks or hyphens inside compounds (Deep Mind = DeepMind, GPT5 = GPT-5) never
        matter, and disfluencies a quote leaves out (um, uh, er, you know, I mean, a
        repeated word as in "I -- I") are not differences; quote-match = "strict" turns
        that allowance off. An ellipsis (..., …) or a bracketed insertion ([the model])
        marks a cut; a quote may skip sentences and join neighbouring paragraphs.
        The message names what differs from the closest transcript text ("terrible"
        where the transcript says "bad", "really" added, "you're given a problem" left
        out), how alike they are, and that text's time. Below quote-similarity (default
        0.8) the finding is an error (words that were not said), at or above it a
        warning (a light edit). One finding per quote, at the sentence least like the
        transcript.

    Why it matters:
        Quotation marks promise the speaker's exact words. A misquote is the most
        embarrassing error a note can carry, and the hardest to see by eye.

    Bad:
        > "In reinforcement learning, you try hundreds of solutions."
        > -- Andrej Karpathy, [41:00](https://www.youtube.com/watch?v=lXUZvyajciY&t=2460s)

        (the transcript at 41:00 says: "In RL, you're given a problem, you try
        hundreds of solutions.")

    Good:
        > "In RL, you're given a problem, you try hundreds of solutions."
        > "In RL, [...] you try hundreds of solutions."
        > "In RL, um, you're given a problem, you try -- you try hundreds of solutions."

    Fix (unsafe, with --unsafe-fixes):
        Puts the sentence back in the transcript's words: words the note changed take
        the transcript's, added words go, left-out words come back (a gap of more than 3
        words becomes an ellipsis, ... or … as the note writes it); disfluencies stay
        out, and the note's quote marks, dashes (-- or —), first capital and line breaks
        stay. Its title shows each edit ("a whole year" → "a full year"). Offered only
        when every sentence of the quote that is not verbatim is at least
        quote-similarity alike to its closest transcript text, that text is clearly the
        closest (the next candidate at least twice as far: similarity − runner-up ≥
        1 − similarity), and it lies where the rest of the quote is (after the sentence
        before it, before the one after it, in the same or the next paragraph; a quote
        with no verbatim sentence needs a time link, and lands where it cites), and only
        when the repaired quote raises no other finding. Unsafe because the matcher chose
        the passage: read the result.
    """
    threshold = ctx.config.quote_similarity
    for cq in checked_quotes(note, ctx):
        match = cq.match
        worst = match.worst
        if worst is None:
            continue
        missing = match.missing
        index = cq.index
        report = _sentence_report(index, worst)
        n = len(match.sentences)
        if n == 1:
            message = f"quote not in transcript: {report}"
        else:
            count = f"{len(missing)} of {n} sentences"
            message = f"quote not in transcript ({count}): \"{_excerpt(worst.text)}\": {report}"
            others = [s for s in missing if s is not worst and s.passage is not None][:2]
            if others:
                message += "; also " + ", ".join(
                    f"\"{_excerpt(s.text, 40)}\" ({int(s.similarity * 100)}% at {_time(index, s.passage)})"
                    for s in others
                )
            if len(missing) > 3:
                message += f" and {len(missing) - 3} more"
        severity = "error" if match.similarity < threshold else "warning"
        yield Finding(cq.note_offset(worst.start), message, end=cq.note_offset(worst.end),
                      fix=repair(cq, note, ctx), severity=severity)


@rule("NC502", "quote-not-at-cited-time", severity="error", fix="unsafe",
      summary="a quote's words are in the transcript, but not at the time it cites, or not inside its clip")
def quote_not_at_cited_time(note: Note, ctx) -> Iterator[Finding]:
    """
    What it finds:
        A quote whose verbatim sentences are in the transcript, but not where it is
        cited: its time link does not point into the paragraph (or sidecar segment) that
        holds its first verbatim sentence, or, in a highlight, one of its sentences is
        said after the clip ends; outside Highlights, one of its sentences is said beyond
        the paragraphs next to the cited one and more than 60 s from it (spliced in from
        elsewhere). A quote is placed by its verbatim sentences, so a quote
        with one paraphrased sentence (NC501) is still checked here. When the words are
        said more than once (a cold-open teaser), the occurrence nearest the cited time
        counts. Several paragraphs may share one start time: each covers until the next
        distinct start. Inside a long paragraph a word's time is estimated from its
        position, with a margin; a paragraph holding less than 1.5 words a second is
        taken as abridged, its words anywhere in it. The time is the link's label when
        valid, else its t= (a label/t= mismatch is NC301's).

    Why it matters:
        Readers click the time to hear the words; a link ten minutes off sends them to
        the wrong moment, and a highlight's clip then does not hold its own quote.

    Bad:
        > "What I think we have to do going forward is figure out ways to remove some of the knowledge."
        > -- Andrej Karpathy, [25:40](https://www.youtube.com/watch?v=lXUZvyajciY&t=1540s)

        (the transcript has these words in the paragraph at 15:40)

    Good:
        > "What I think we have to do going forward is figure out ways to remove some of the knowledge."
        > -- Andrej Karpathy, [15:40](https://www.youtube.com/watch?v=lXUZvyajciY&t=940s)

    Fix (unsafe, with --unsafe-fixes):
        Cites the start of the paragraph (or sidecar segment) that holds the words. In a
        highlight the whole timeline moves: the thumbnail's t=, the clip start and the -o
        time tag move with the attribution when they cited the same moment, the clip
        keeps its length (or grows to hold the last sentence, never past the video or
        clip-seconds). Offered only when the moved highlight comes out clean.
    """
    in_highlights = set()
    for tl in timelines(note, ctx):
        if tl.quote is not None:
            in_highlights.add(id(tl.quote.quote))
        p = tl.placement
        if p is None:
            continue
        a = tl.attribution
        if tl.misplaced and a is not None:
            yield Finding(a.start, f"quote is at {p.where}, cited {_cited_text(a.link, a.seconds)}",
                          end=a.end, fix=tl.fix)
        if tl.past_end is not None:
            s = tl.past_end
            cq = tl.quote
            yield Finding(cq.note_offset(s.start),
                          f"part of the quote (\"{_excerpt(s.text)}\") is at {_time(cq.index, s.passage)}, "
                          f"after the clip ends ({render_label(int(tl.end))})",
                          end=cq.note_offset(s.end), fix=tl.fix)
    used = sidecar_usable(ctx.sidecar)
    for cq in checked_quotes(note, ctx):
        if id(cq.quote) in in_highlights or cq.cited is None:
            continue
        p = place(cq, note, used)
        if p is None:
            continue
        link = cq.cited_link
        lo, hi = p.window
        if not lo <= cq.cited < hi:
            at = link.label_start if link is not None else cq.note_offset(p.first.start)
            yield Finding(at, f"quote is at {p.where}, cited {_cited_text(link, cq.cited)}",
                          end=at + len(link.label) if link is not None else None,
                          fix=quote_fix(cq, p, note, ctx))
            continue
        # the neighbouring paragraphs' bounds, looked up at the first sentence said far from the citation
        # (most quotes have none: their paragraphs are not worked out)
        rest = None
        for s, t in p.sentences:
            if not (t.lo >= hi + SPLICE_SECONDS or t.hi <= lo - SPLICE_SECONDS):
                continue
            if rest is None:
                rest = _neighbours(window_starts(note, cq.index, used), p)
            if t.hi <= rest[0] or t.lo >= rest[1]:  # beyond the neighbours
                yield Finding(cq.note_offset(s.start),
                              f"part of the quote (\"{_excerpt(s.text)}\") is at {_time(cq.index, s.passage)}, "
                              f"cited {_cited_text(link, cq.cited)}", end=cq.note_offset(s.end))
                break


# A sentence of a quote outside Highlights is "elsewhere" when it lies beyond the paragraphs
# next to the cited one and this far from it: a dialogue of short turns runs over several.
SPLICE_SECONDS = 60


def _neighbours(starts: list[int], p) -> tuple[float, float]:
    """The quote's window widened by one passage each way: a quote may run on into the next one.
    ``starts``: the passages' distinct starts, sorted (``repair.window_starts``)."""
    lo, hi = p.window
    before = bisect.bisect_left(starts, lo)  # starts[:before] are < lo
    after = bisect.bisect_left(starts, hi)  # starts[after:] are >= hi
    rest_lo = starts[before - 1] if before else lo
    rest_hi = starts[after + 1] if after + 1 < len(starts) else (math.inf if after < len(starts) else hi)
    return rest_lo, rest_hi


def _cited_text(link: YouTubeLink | None, seconds: int) -> str:
    if link is not None and not link.is_thumbnail and parse_label(link.label) is not None:
        return link.label.strip()
    return render_label(seconds)


__all__ = ["describe_changes"]
