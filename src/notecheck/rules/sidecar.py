"""NC6xx: check a note against the sidecar transcript it was written from (``<video_id>.json``).

Every rule here is silent when the note has no sidecar (``ctx.sidecar is None``), when
the sidecar could not be used (NC604 then says why, once), or when ``--no-sidecar`` is
given. Which sidecar segment holds a quote is decided by the shared quote matcher
(``notecheck.quotematch``), the same one NC501/NC502 use, reached through
``_locate_quote`` below.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Iterator

from ..diagnostic import UNSAFE, Edit, Finding, Fix
from ..times import parse_label, render_label, render_t
from . import WARNING, rule

# --------------------------------------------------------------------------- helpers


def _usable(sidecar) -> bool:
    return sidecar is not None and sidecar.error is None and bool(sidecar.segments)


def _link_seconds(link) -> int | None:
    """A link's time: its label when valid, else its t= (SPEC §2, one defect one finding)."""
    from ..quotematch import link_seconds

    return link_seconds(link)


def _label_style(note, config) -> str:
    """How this note writes times from one hour on: "hms" (1:05:00) or "minutes" (65:00)."""
    style = getattr(config, "label_style", "auto")
    if style in ("hms", "minutes"):
        return style
    counts = {"hms": 0, "minutes": 0}
    for link in note.timestamp_links:
        label = parse_label(link.label)
        if label is not None and label.seconds >= 3600:
            counts[label.style] += 1
    return "minutes" if counts["minutes"] > counts["hms"] else "hms"


def _render(seconds: float | None, style: str) -> str:
    return "?" if seconds is None else render_label(int(seconds), style)


def _label_span(link) -> tuple[int, int]:
    return link.label_start, link.label_start + len(link.label)


# Speaker names: compared after removing "(quoted by X)" notes, accents, case and punctuation.
_PAREN_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NON_WORD_RE = re.compile(r"[^\w]+")
_NAME_SPLIT_RE = re.compile(r"\s*(?:,|&|\+|/|\band\b)\s*", re.I)
# Labels a diarizer gives when it does not know who speaks: they cannot contradict a name.
_GENERIC_SPEAKER_RE = re.compile(
    r"(?:speaker|spk|voice|person|unknown|unidentified|narrator|host|guest|interviewer|interviewee)"
    r"(?: ?(?:\d+|[a-z]))?"
)


def normalize_name(name: str) -> str:
    """``"Andrej  Karpathy (quoted by Dwarkesh)"`` -> ``"andrej karpathy"``; accents folded."""
    name = _PAREN_RE.sub(" ", name)
    name = unicodedata.normalize("NFKD", name)
    name = "".join(ch for ch in name if not unicodedata.combining(ch))
    return " ".join(_NON_WORD_RE.sub(" ", name.casefold()).replace("_", " ").split())


def attributed_names(speaker: str) -> list[str]:
    """The people an attribution names: ``"A and B"`` -> ``["a", "b"]`` (normalized)."""
    names = _NAME_SPLIT_RE.split(_PAREN_RE.sub(" ", speaker))
    return [n for n in (normalize_name(part) for part in names) if n]


def _is_generic(name: str) -> bool:
    return _GENERIC_SPEAKER_RE.fullmatch(name) is not None


def same_person(a: str, b: str) -> bool:
    """Normalized names of one person: equal, or one's words a subset of the other's (``Karpathy``)."""
    if a == b:
        return True
    ta, tb = set(a.split()), set(b.split())
    return bool(ta) and bool(tb) and (ta <= tb or tb <= ta)


# --------------------------------------------------------------------------- quotes vs segments


def _quote_matches(note, ctx) -> dict[int, tuple[object, list]]:
    """Adapter to the shared matcher: id(quote) -> (QuoteMatch, passages) over the sidecar's segments.

    NC501/NC502 (rules/quotes.py) locate every quote once per note and cache it; we read
    that (``quotes._checked_quotes``) so a quote is matched once for NC5xx and NC6xx
    together, and fall back to ``quotematch.locate`` if that helper ever goes away.
    """
    cached = note.__dict__.get("_sidecar_quote_matches")
    if cached is not None and cached[0] == id(ctx.sidecar):
        return cached[1]
    from .. import quotematch
    from . import quotes

    out: dict[int, tuple[object, list]] = {}
    checked = getattr(quotes, "_checked_quotes", None)
    try:
        for cq in checked(note, ctx) if checked is not None else ():
            out[id(cq.quote)] = (cq.match, cq.index.passages)
    except AttributeError:  # pragma: no cover - only if quotes.py changes its internals
        out, checked = {}, None
    if checked is None:  # pragma: no cover
        index = quotematch.index_for(note, ctx.sidecar)
        for quote in note.quotes:
            if quote.lines and quote.attribution is not None:
                near = _link_seconds(quote.attribution.link)
                out[id(quote)] = (quotematch.locate(quote.text, index, near=near), index.passages)
    note.__dict__["_sidecar_quote_matches"] = (id(ctx.sidecar), out)
    return out


def _located_quotes(note, ctx) -> Iterator[tuple[object, object, list]]:
    """Quotes whose every sentence is in the sidecar, with the match and the passages.

    A quote that is not verbatim in the source is NC501's to report: the speaker and
    time rules say nothing of it (one defect, one finding).
    """
    if not _usable(ctx.sidecar):
        return
    matches = _quote_matches(note, ctx)
    for quote in note.quotes:
        if quote.attribution is None or not quote.lines or id(quote) not in matches:
            continue
        match, passages = matches[id(quote)]
        if not match.sentences or not match.verbatim or match.passage is None:
            continue  # not in the source: NC501's
        yield quote, match, passages


def _quote_passages(match) -> list[int]:
    """Indexes of every segment that holds words of the quote, in order."""
    out: set[int] = set()
    for s in match.sentences:
        if s.passage is None:
            continue
        last = s.last_passage if s.last_passage is not None else s.passage
        out.update(range(s.passage, max(s.passage, last) + 1))
    return sorted(out)


def _nc5_reported_spans(note, ctx) -> list[tuple[int, int]]:
    """Adapter to NC501/NC502 (rules/quotes.py): where they report, whether enabled or not.

    "One defect, one finding": a quote NC501 says is not in the source, or NC502 says is
    not at its cited time, gets no NC601/NC602 as well. Asking those rules themselves
    (rather than copying their windows) keeps the two families in step.
    """
    cached = note.__dict__.get("_nc5_reported_spans")
    if cached is not None and cached[0] == id(ctx.sidecar):
        return cached[1]
    from . import quotes

    starts = sorted(f.start for check in (quotes.quote_not_in_transcript, quotes.quote_not_at_cited_time)
                    for f in check(note, ctx))
    note.__dict__["_nc5_reported_spans"] = (id(ctx.sidecar), starts)
    return starts


def _reported_by_nc5(note, ctx, quote) -> bool:
    """Does NC501 or NC502 report anything inside ``quote`` (its lines or its attribution)?"""
    import bisect

    starts = _nc5_reported_spans(note, ctx)
    i = bisect.bisect_left(starts, quote.start)
    return i < len(starts) and starts[i] <= quote.end


# --------------------------------------------------------------------------- rules


@rule("NC601", "sidecar-speaker-mismatch", summary="a quote's speaker differs from the sidecar segment's speaker")
def check_speaker(note, ctx) -> Iterable[Finding]:
    """
    What it finds: a quote attributed to someone other than the speaker of the sidecar
    segment(s) that hold its words. Names are compared after folding case, accents,
    blanks and punctuation, and without notes in parentheses (``Name (quoted by X)``);
    a single word of a name (``Karpathy``) matches the full name. ``A and B`` passes
    when both speak in the quoted segments. An attribution without a name, a quote
    that is not verbatim in the sidecar (NC501's), and sidecar speakers that are
    diarizer labels (``Speaker 1``, ``SPEAKER_00``) are not checked.

    Why it matters: the note puts words in someone's mouth. The sidecar transcript the
    note was written from says who spoke them.

    Bad (the sidecar segment at 1:14 is spoken by Tomás Reyes):

        > "Honeybees are livestock."
        > -- Dana Whitfield, [1:14](https://www.youtube.com/watch?v=Hs9kWq2TzLm&t=74s)

    Good:

        > "Honeybees are livestock."
        > -- Tomás Reyes, [1:14](https://www.youtube.com/watch?v=Hs9kWq2TzLm&t=74s)
    """
    sidecar = ctx.sidecar
    if not _usable(sidecar):
        return
    style = _label_style(note, ctx.config)
    known = {normalize_name(s.speaker) for s in sidecar.segments if s.speaker}
    known = {k for k in known if k and not _is_generic(k)}
    if not known:
        return  # the sidecar names nobody
    for quote, match, passages in _located_quotes(note, ctx):
        att = quote.attribution
        if att.speaker is None or att.speaker_start is None:
            continue
        names = [n for n in attributed_names(att.speaker) if not _is_generic(n)]
        if not names:
            continue
        held = _quote_passages(match)
        speakers: list[str] = []  # who speaks in the quoted segments, in order, as the sidecar writes them
        for i in held:
            who = passages[i].speaker
            if who and not _is_generic(normalize_name(who)) and who not in speakers:
                speakers.append(who)
        if not speakers:
            continue
        norm_speakers = [normalize_name(s) for s in speakers]
        at = _render(passages[held[0]].start if held else None, style)
        span = (att.speaker_start, att.speaker_start + len(att.speaker))
        matched = [n for n in names if any(same_person(n, s) for s in norm_speakers)]
        if not matched:
            said_by = " and ".join(speakers)
            yield Finding(span[0], f"quote attributed to {att.speaker!s}, but in the sidecar {sidecar.name} "
                                   f"the segment at {at} holding it is spoken by {said_by}", end=span[1])
            continue
        # "A and B": a named person who speaks elsewhere in the video but not in this quote
        for n in names:
            if n in matched:
                continue
            if any(same_person(n, k) for k in known):
                yield Finding(span[0], f"{att.speaker!s}: {n.title()} does not speak in this quote; in the sidecar "
                                       f"{sidecar.name} the segments holding it (from {at}) are spoken by "
                                       f"{' and '.join(speakers)}", end=span[1])
                break


@rule("NC602", "sidecar-time-mismatch", fix="unsafe",
      summary="a quote's cited time is not the start of the sidecar segment that holds it")
def check_quote_time(note, ctx) -> Iterable[Finding]:
    """
    What it finds: a quote whose attribution link cites a time other than the start of
    the sidecar segment holding the quote's first sentence. The message gives the
    segment's start. A quote cited outside the place it is at (NC502) or not verbatim
    in the sidecar (NC501) is left to those rules.

    Why it matters: the sidecar's segment starts are the only times the video is known
    to say these words; a time a few seconds off starts the viewer mid-sentence, and a
    time copied from a neighbouring line points at someone else speaking.

    Bad (the segment holding "Honeybees are livestock." starts at 1:14):

        > "Honeybees are livestock."
        > -- Tomás Reyes, [1:16](https://www.youtube.com/watch?v=Hs9kWq2TzLm&t=76s)

    Good:

        > "Honeybees are livestock."
        > -- Tomás Reyes, [1:14](https://www.youtube.com/watch?v=Hs9kWq2TzLm&t=74s)

    Fix (unsafe, with ``--unsafe-fixes``): sets the link's label (in the note's label
    style) and its ``t=`` (in the link's own form: ``74s``, ``74`` or ``1m14s``) to the
    segment start. In a highlight, whatever cited the same time moves with it: the
    thumbnail's ``t=``, the clip command's start and its ``-o`` time tag (the clip end
    stays), so NC409/NC403/NC407 stay satisfied. Unsafe because the matcher chose the
    segment: read the result.
    """
    sidecar = ctx.sidecar
    if not _usable(sidecar):
        return
    style = _label_style(note, ctx.config)
    for quote, match, passages in _located_quotes(note, ctx):
        link = quote.attribution.link
        if link is None:
            continue
        cited = _link_seconds(link)
        if cited is None:
            continue
        segment = passages[match.passage]
        right = int(segment.start)
        if right == cited:
            continue
        if _reported_by_nc5(note, ctx, quote):
            continue  # NC502 already says the quote is elsewhere than cited
        new_label = render_label(right, style)
        edits = [Edit(*_label_span(link), new_label)]
        if link.t_start is not None and link.t_text:
            edits.append(Edit(link.t_start, link.t_start + len(link.t_text), render_t(right, like=link.t_text)))
        edits.extend(_highlight_edits(note, quote, cited, right))
        edits.sort(key=lambda e: e.start)
        who = f" ({segment.speaker})" if segment.speaker else ""
        fix = Fix(tuple(edits), UNSAFE, f"cite {new_label}, the start of the sidecar segment")
        start, end = _label_span(link)
        yield Finding(start, f"cited {link.label} is not the start of the sidecar segment holding this quote: "
                             f"in {sidecar.name} it starts at {new_label}{who}", end=end, fix=fix)


_CLIP_START_RE = re.compile(r"--download-sections\s+[\"']?\*(?P<start>[0-9:.]+)-")
_CLIP_TAG_RE = re.compile(r"-(?P<tag>\d+m\d{2}s)\.\w+\b")


def _highlight_edits(note, quote, old: int, new: int) -> list[Edit]:
    """Move the rest of a highlight that cited the same time: thumbnail t=, clip start, -o tag.

    Without this the fixed attribution would disagree with its own highlight (NC409,
    NC403), and the fixer would rightly undo the fix.
    """
    from ..times import parse_clip_bound, parse_t, parse_tag, render_tag

    hl = next((h for h in note.highlights if any(q is quote for q in h.quotes)), None)
    if hl is None:
        return []
    edits: list[Edit] = []
    thumb = hl.thumbnail
    if thumb is not None and thumb.t_start is not None and thumb.t_text and parse_t(thumb.t_text) == old:
        edits.append(Edit(thumb.t_start, thumb.t_start + len(thumb.t_text), render_t(new, like=thumb.t_text)))
    clip = hl.clip
    m = _CLIP_START_RE.search(clip.text) if clip is not None else None
    if m is not None and parse_clip_bound(m.group("start")) == old:
        base = clip.start
        edits.append(Edit(base + m.start("start"), base + m.end("start"), _render_bound_like(new, m.group("start"))))
        for t in _CLIP_TAG_RE.finditer(clip.text):
            if parse_tag(t.group("tag")) == old:
                edits.append(Edit(base + t.start("tag"), base + t.end("tag"), render_tag(new)))
    return edits


def _render_bound_like(seconds: int, like: str) -> str:
    """``seconds`` as a clip bound in the form of ``like``: ``SS``, ``M:SS``, ``H:MM:SS``, zero padding kept."""
    fields = like.split(".")[0].split(":")
    if len(fields) == 1:
        return str(seconds)
    first = fields[0]
    width = len(first) if len(first) > 1 and first.startswith("0") else 1
    if len(fields) == 2:
        minutes, secs = divmod(seconds, 60)
        return f"{minutes:0{width}d}:{secs:02d}"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:0{width}d}:{minutes:02d}:{secs:02d}"


@rule("NC603", "sidecar-invented-time",
      summary="a transcript paragraph's time is not a segment start in the sidecar")
def check_transcript_times(note, ctx) -> Iterable[Finding]:
    """
    What it finds: a paragraph of the Transcript section whose timestamp is not the start
    of any segment of the sidecar transcript. The message names the nearest segment starts.

    Why it matters: the transcript is meant to be the source, cut into paragraphs at
    segment starts. A time that no segment has was invented or mistyped, and every
    link to it lands mid-sentence ("never invent timestamps").

    Bad (the sidecar has segments at 1:05 and 1:14, none at 1:10):

        [1:10](https://www.youtube.com/watch?v=Hs9kWq2TzLm&t=70s) Let's start with the thing everyone asks about.

    Good:

        [1:05](https://www.youtube.com/watch?v=Hs9kWq2TzLm&t=65s) Let's start with the thing everyone asks about.
    """
    sidecar = ctx.sidecar
    if not _usable(sidecar) or not note.transcript:
        return
    starts = sidecar.start_set
    style = _label_style(note, ctx.config)
    for para in note.transcript:
        seconds = _link_seconds(para.link)
        if seconds is None or seconds in starts:
            continue
        before, after = sidecar.nearest_starts(seconds)
        near = " and ".join(_render(s, style) for s in (before, after) if s is not None)
        start, end = _label_span(para.link)
        yield Finding(start, f"transcript time {para.link.label} is not a segment start in the sidecar "
                             f"{sidecar.name}; the nearest segments start at {near}", end=end)


@rule("NC604", "sidecar-duration-mismatch",
      summary="front matter duration differs from the sidecar's by more than 2 s (or the sidecar is unusable)")
def check_duration(note, ctx) -> Iterable[Finding]:
    """
    What it finds: front matter ``duration`` more than 2 seconds away from the sidecar's
    ``duration``. Also, as a warning, a sidecar that exists but cannot be used (not
    valid JSON, no ``full_transcript`` list, a segment without a ``timestamp``, or the
    transcript of another video): one warning per note, and NC601-NC604 skip it.

    Why it matters: the duration bounds every timestamp check (NC303, NC405); the
    sidecar was made from the video itself. A broken sidecar silently disables the
    sidecar checks, so it is reported rather than ignored.

    Bad (the sidecar says "duration": 2178):

        duration: 2718
        duration_formatted: "45:18"

    Good:

        duration: 2178
        duration_formatted: "36:18"
    """
    sidecar = ctx.sidecar
    if sidecar is None:
        return
    if sidecar.error is not None:
        # NC604 is the rule about the sidecar as a whole, so it carries the one warning
        yield Finding(0, f"{sidecar.error}; sidecar checks NC601-NC604 skipped for this note", severity=WARNING)
        return
    duration = note.duration
    if duration is None or sidecar.duration is None:
        return  # no (valid) duration to compare: NC101 or nothing to say
    if abs(duration - sidecar.duration) <= 2:
        return
    fm = note.front_matter
    start, end = fm.value_spans.get("duration", (fm.key_offsets.get("duration", fm.start), None))
    theirs = sidecar.duration
    theirs_text = f"{theirs:g}"
    yield Finding(start, f"duration {duration} s ({render_label(duration)}) differs from the sidecar "
                         f"{sidecar.name}: {theirs_text} s ({render_label(int(theirs))})", end=end)
