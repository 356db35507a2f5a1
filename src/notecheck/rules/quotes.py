"""NC5xx: quotes in Highlights and Surprising Quotes, checked against the transcript.

The words come from the sidecar's segments when a usable sidecar exists (the source
words), else from the note's Transcript paragraphs; matching lives in quotematch.py.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from ..diagnostic import Finding
from ..note import Highlight, Note, Quote, YouTubeLink
from ..quotematch import QuoteIndex, QuoteMatch, index_for, link_seconds, locate
from . import rule

_OPENING_QUOTE = ("\"", "\u201c", "\u201e", "'", "\u2018", "\u00ab")
_SECTIONS_RE = re.compile(r"--download-sections\s+[\"']?\*([^\"'\s-]+)-([^\"'\s]+?)[\"']?(?:\s|$)")
# a closing quotation mark, then (on the same line) an attribution holding a link
_INLINE_ATTRIBUTION_RE = re.compile(r"^.*([\"\u201d])[ \t]*(?:--|\u2014|\u2013|-|\()[^\"\u201c\u201d]*\]\(https?://")
EXCERPT = 80  # characters of transcript or quote text shown in a message


@dataclass
class CheckedQuote:
    quote: Quote
    lines: list[tuple[int, str]]  # (offset in the note, text) of the spoken words, line by line
    match: QuoteMatch
    index: QuoteIndex
    cited: int | None  # seconds (label when valid, else t=)
    cited_link: YouTubeLink | None
    highlight: Highlight | None


def _checked_quotes(note: Note, ctx) -> list[CheckedQuote]:
    """Every quote of the note, located in the transcript once (shared by NC501 and NC502)."""
    key = id(ctx.sidecar)
    cached = note.__dict__.get("_checked_quotes")
    if cached is not None and cached[0] == key:
        return cached[1]
    out: list[CheckedQuote] = []
    if note.quotes:
        index = index_for(note, ctx.sidecar)
        if index.passages:
            owner = {id(q): hl for hl in note.highlights for q in hl.quotes}
            for quote in note.quotes:
                if not _is_speech(quote):
                    continue
                highlight = owner.get(id(quote))
                lines, inline = _spoken_lines(note, quote)
                link = quote.attribution.link if quote.attribution is not None else None
                if link is None:
                    link = inline
                if link is None and highlight is not None:
                    link = highlight.thumbnail
                cited = link_seconds(link)
                text = " ".join(line for _, line in lines)
                out.append(CheckedQuote(quote, lines, locate(text, index, near=cited), index, cited, link, highlight))
    note.__dict__["_checked_quotes"] = (key, out)
    return out


def _is_speech(quote: Quote) -> bool:
    """A quote of someone's words: it has an attribution, or opens with a quotation mark (not a '> Note:' aside)."""
    if not quote.lines:
        return False
    return quote.attribution is not None or quote.lines[0].text.lstrip().startswith(_OPENING_QUOTE)


def _spoken_lines(note: Note, quote: Quote) -> tuple[list[tuple[int, str]], YouTubeLink | None]:
    """The quote's lines without an attribution written on the last line after the closing mark
    (``> "..." — Name, [t](...)``), and that attribution's time link."""
    lines = [(line.start, line.text) for line in quote.lines]
    start, text = lines[-1]
    m = _INLINE_ATTRIBUTION_RE.search(text)
    if m is None:
        return lines, None
    links = [link for link in note.links
             if start + m.end(1) <= link.start < start + len(text) and not link.is_thumbnail]
    if not links:
        return lines, None
    lines[-1] = (start, text[:m.end(1)])
    timed = [link for link in links if link.is_timestamp or link.t_text is not None]
    return lines, timed[0] if timed else None


def _note_offset(cq: CheckedQuote, pos: int) -> int:
    """Offset in the note of position ``pos`` of the quote text (its lines joined by blanks)."""
    at = 0
    for start, text in cq.lines:
        if pos <= at + len(text):
            return start + max(0, pos - at)
        at += len(text) + 1
    start, text = cq.lines[-1]
    return start + len(text)


def _excerpt(text: str, limit: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


def _time(index: QuoteIndex, i: int) -> str:
    from ..times import render_label

    passage = index.passages[i]
    return passage.label if passage.label else render_label(passage.start)


@rule("NC501", "quote-not-in-transcript", severity="error",
      summary="a quote's words are not in the transcript (reports the similarity and the closest passage)")
def quote_not_in_transcript(note: Note, ctx) -> Iterator[Finding]:
    """
    What it finds:
        A quote in Highlights or Surprising Quotes with a sentence whose words do not
        occur in the transcript (in the sidecar's words when a sidecar is found). The
        message shows the text most like it, its time, and how alike they are (0-100%).
        Case, punctuation, curly or straight quotes and dashes never matter; an ellipsis
        (``...``, ``…``) or a bracketed insertion (``[the model]``) marks a cut; a quote
        may skip sentences and join sentences of neighbouring paragraphs. Below
        ``quote-similarity`` (default 0.8) the finding is an error (words that were not
        said), at or above it a warning (a paraphrase). One finding per quote, at the
        sentence least like the transcript.

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
    """
    threshold = ctx.config.quote_similarity
    for cq in _checked_quotes(note, ctx):
        match = cq.match
        worst = match.worst
        if worst is None:
            continue
        missing = match.missing
        index = cq.index
        if worst.closest is None or worst.passage is None:
            where = "nothing similar found (0%)"
        else:
            where = f"closest ({int(worst.similarity * 100)}%) at {_time(index, worst.passage)}: \"{_excerpt(worst.closest)}\""
        if len(match.sentences) == 1:
            message = f"quote not in transcript; {where}"
        else:
            n = len(match.sentences)
            count = f"{len(missing)} of {n} sentences" if len(missing) > 1 else f"1 of {n} sentences"
            message = f"quote not in transcript ({count}): \"{_excerpt(worst.text)}\"; {where}"
            others = [s for s in missing if s is not worst and s.passage is not None][:2]
            if others:
                message += "; also " + ", ".join(
                    f"\"{_excerpt(s.text, 40)}\" ({int(s.similarity * 100)}% at {_time(index, s.passage)})"
                    for s in others
                )
            if len(missing) > 3:
                message += f" and {len(missing) - 3} more"
        severity = "error" if match.similarity < threshold else "warning"
        yield Finding(_note_offset(cq, worst.start), message, end=_note_offset(cq, worst.end),
                      severity=severity)


def _clip_end(highlight: Highlight | None, cited: int, lead: float) -> float | None:
    """The end of the highlight's clip when the clip holds the cited time, else None.

    A clip that starts well after the cited time (NC403's finding) is not the cited window:
    the quote is then expected in the paragraph that covers the cited time.
    """
    from ..times import parse_clip_bound

    if highlight is None or highlight.clip is None:
        return None
    m = _SECTIONS_RE.search(highlight.clip.text)
    if m is None:
        return None
    start, end = parse_clip_bound(m.group(1)), parse_clip_bound(m.group(2))
    if start is None or end is None or not start - lead <= cited < end:
        return None
    return end


def _paragraph_window(note: Note, index: QuoteIndex, cited: int) -> tuple[float, float, float, float]:
    """(lo, hi) of the transcript paragraph covering ``cited``, and of it with its two neighbours.

    The note's own paragraphs define the window even when the words come from a sidecar's
    (finer) segments, so the window is always "the paragraph the citation points into".
    """
    from ..quotematch import passages_from_transcript

    passages = passages_from_transcript(note) or index.passages
    inf = float("inf")
    for i in _covering(note, passages, cited):
        p = passages[i]
        if p.covers(cited):
            hi = (p.end if p.end is not None else inf) - 0.001
            before = passages[i - 1].start if i > 0 else p.start
            after = passages[i + 1] if i + 1 < len(passages) else None
            after_hi = (after.end if after is not None and after.end is not None else inf) - 0.001 if after else hi
            return p.start, hi, before, after_hi
    return cited, cited, cited, cited


def _covering(note: Note, passages: list, cited: int) -> Iterable[int]:
    """Indexes of ``passages`` to try, in order, for the first one covering ``cited``.

    When the starts strictly increase (the usual transcript), only one passage can cover a
    time: found by bisection. Otherwise every passage, in order.
    """
    cached = note.__dict__.get("_nc502_starts")
    if cached is None or cached[0] is not passages:
        starts = [p.start for p in passages]
        increasing = all(a < b for a, b in zip(starts, starts[1:]))
        cached = (passages, starts if increasing else None)
        note.__dict__["_nc502_starts"] = cached
    starts = cached[1]
    if starts is None:
        return range(len(passages))
    i = bisect.bisect_right(starts, cited) - 1
    return (i,) if i >= 0 else ()


@rule("NC502", "quote-not-at-cited-time", severity="error",
      summary="a quote is in the transcript, but not at the time it cites (reports where it is)")
def quote_not_at_cited_time(note: Note, ctx) -> Iterator[Finding]:
    """
    What it finds:
        A quote whose words are all in the transcript, but outside the stretch its time
        link points to: for a highlight, from the cited time to the end of its clip;
        elsewhere, the transcript paragraph that covers the cited time (a quote may run
        on into a neighbouring paragraph). The message says where the words are. The
        time is the link's label when valid, else its ``t=`` (a label/``t=`` mismatch
        is NC301's finding). A quote without a time link, or one that is not verbatim
        (NC501's finding), is not checked here.

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
    """
    from ..times import render_label

    for cq in _checked_quotes(note, ctx):
        match = cq.match
        if cq.cited is None or not match.verbatim or not match.sentences:
            continue
        index = cq.index
        link = cq.cited_link
        cited_text = link.label.strip() if link is not None and _valid_label(link) else render_label(cq.cited)
        clip_end = _clip_end(cq.highlight, cq.cited, ctx.config.clip_lead_seconds)
        if clip_end is not None:
            lo, hi = float(cq.cited), clip_end
            rest_lo, rest_hi = lo, hi
            outside = f"after the clip ends ({render_label(int(clip_end))})"
        else:
            lo, hi, rest_lo, rest_hi = _paragraph_window(note, index, cq.cited)
            outside = None
        first = match.sentences[0]
        p = index.passages[first.passage]
        at = link.label_start if link is not None else _note_offset(cq, first.start)
        at_end = at + len(link.label) if link is not None else None
        if not p.overlaps(lo, hi):
            yield Finding(at, f"quote is at {_time(index, first.passage)}, cited {cited_text}", end=at_end)
            continue
        for s in match.sentences[1:]:
            last = s.last_passage if s.last_passage is not None else s.passage
            for i in dict.fromkeys((s.passage, last)):
                q = index.passages[i]
                if not q.overlaps(rest_lo, rest_hi):
                    where = outside if outside is not None and q.start > hi else f"cited {cited_text}"
                    yield Finding(_note_offset(cq, s.start),
                                  f"part of the quote (\"{_excerpt(s.text)}\") is at {_time(index, i)}, {where}",
                                  end=_note_offset(cq, s.end))
                    break
            else:
                continue
            break


def _valid_label(link: YouTubeLink) -> bool:
    from ..times import parse_label

    return parse_label(link.label) is not None
