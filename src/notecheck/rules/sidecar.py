"""NC6xx: check a note against the sidecar transcript it was written from (``<video_id>.json``).

Every rule here is silent when the note has no sidecar (``ctx.sidecar is None``), when
the sidecar could not be used (NC604 then says why, once), or when ``--no-sidecar`` is
given. Which sidecar segment holds a quote is decided by the shared quote matcher
(``notecheck.quotematch``) through ``notecheck.timeline``, as for NC501/NC502: a quote is
placed by its first verbatim sentence.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Iterator

from ..diagnostic import UNSAFE, Finding, Fix
from ..quotematch import link_seconds as _link_seconds
from ..times import note_label_style, render_label
from . import WARNING, rule

# --------------------------------------------------------------------------- helpers


def _usable(sidecar) -> bool:
    return sidecar is not None and sidecar.error is None and bool(sidecar.segments)


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


@lru_cache(maxsize=4096)  # a note names a few people many times, and sidecars share their speakers
def normalize_name(name: str) -> str:
    """``"Andrej  Karpathy (quoted by Dwarkesh)"`` -> ``"andrej karpathy"``; accents folded."""
    name = _PAREN_RE.sub(" ", name)
    if not name.isascii():  # NFKD and the combining marks leave ASCII as it is
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


def _paragraph_seconds(note) -> list[int | None]:
    """The time of each transcript paragraph's link (``link_seconds``), worked out once per note."""
    paragraphs = note.transcript
    return note._cache("paragraph_seconds", paragraphs, lambda: [_link_seconds(para.link) for para in paragraphs])


# --------------------------------------------------------------------------- quotes vs segments


def _placed_quotes(note, ctx) -> Iterator[tuple[object, object, object]]:
    """(checked quote, placement, passages) of each quote a verbatim sentence places in the sidecar.

    A quote nothing of which is verbatim in the source is NC501's to report: the speaker
    and time rules say nothing of it (one defect, one finding).
    """
    from ..timeline import checked_quotes, place

    if not _usable(ctx.sidecar):
        return
    for cq in checked_quotes(note, ctx):
        if cq.quote.attribution is None:
            continue
        p = place(cq, note, True)
        if p is not None:
            yield cq, p, cq.index.passages


def _known_speakers(note, segments: list) -> set[str]:
    """The sidecar's named speakers (normalized, diarizer labels left out), worked out once per note:
    NC501's repair asks again on a view of the note for each quote it repairs (views share the cache)."""
    def named() -> set[str]:
        known = {normalize_name(who) for who in {s.speaker for s in segments} if who}
        return {k for k in known if k and not _is_generic(k)}

    return note._cache("sidecar_known_speakers", segments, named)


# --------------------------------------------------------------------------- rules


@rule("NC601", "sidecar-speaker-mismatch", severity=WARNING,
      summary="a quote's speaker differs from the sidecar segment's speaker (a warning: diarization is often wrong)")
def check_speaker(note, ctx) -> Iterable[Finding]:
    """
    What it finds: a quote attributed to someone other than the speaker of the sidecar
    segment that holds its first verbatim sentence. A warning: sidecar speaker labels
    come from diarization, which often puts words in the wrong mouth, and the note is
    then the one that is right; read the transcript before changing anything. Names are
    compared after folding case, accents, blanks and punctuation, and without notes in
    parentheses (Name (quoted by X)); a single word of a name (Karpathy) matches the full
    name. "A and B" passes when both speak in the quoted segments. An attribution without
    a name, a quote with no verbatim sentence in the sidecar (NC501's), and sidecar
    speakers that are diarizer labels (Speaker 1, SPEAKER_00) are not checked.

    Why it matters: the note may put words in someone's mouth. The sidecar transcript the
    note was written from says who spoke them, when its diarization is right.

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
    style = known = None  # both computed at the first quote that needs them (most notes: none)
    for cq, p, passages in _placed_quotes(note, ctx):
        att = cq.quote.attribution
        if att.speaker is None or att.speaker_start is None:
            continue
        if known is None:
            known = _known_speakers(note, sidecar.segments)
        if not known:
            return  # the sidecar names nobody
        names = [n for n in attributed_names(att.speaker) if not _is_generic(n)]
        if not names:
            continue
        first = passages[p.first.passage]
        if not first.speaker:
            continue
        first_name = normalize_name(first.speaker)
        if _is_generic(first_name):
            continue
        # who speaks in the segments holding the verbatim sentences, the first sentence's speaker first
        speakers: list[str] = [first.speaker]
        for s, _t in p.sentences:
            for i in range(s.passage, max(s.passage, s.last_passage or s.passage) + 1):
                who = passages[i].speaker
                if who and not _is_generic(normalize_name(who)) and who not in speakers:
                    speakers.append(who)
        norm_speakers = [normalize_name(x) for x in speakers]
        span = (att.speaker_start, att.speaker_start + len(att.speaker))
        if not any(same_person(n, first_name) for n in names):
            style = style or note_label_style(note, ctx.config)
            at = render_label(int(first.start), style)
            yield Finding(span[0], f"quote attributed to {att.speaker!s}, but in the sidecar {sidecar.name} the "
                                   f"segment at {at} holding it is spoken by {first.speaker} (diarization may be "
                                   f"wrong: check the recording)", end=span[1])
            continue
        # "A and B": a named person who speaks elsewhere in the video but not in this quote
        for n in names:
            if any(same_person(n, x) for x in norm_speakers):
                continue
            if any(same_person(n, k) for k in known):
                style = style or note_label_style(note, ctx.config)
                at = render_label(int(first.start), style)
                yield Finding(span[0], f"{att.speaker!s}: {n.title()} does not speak in this quote; in the sidecar "
                                       f"{sidecar.name} the segments holding it (from {at}) are spoken by "
                                       f"{' and '.join(speakers)}", end=span[1])
                break


@rule("NC602", "sidecar-time-mismatch", fix="unsafe",
      summary="a quote's cited time is not the start of the sidecar segment that holds it")
def check_quote_time(note, ctx) -> Iterable[Finding]:
    """
    What it finds: a quote whose attribution cites a time other than the start of the
    sidecar segment holding the quote's first sentence (verbatim). The message gives the
    segment's start. A quote cited outside the paragraph its words are in is NC502's
    finding; one whose first sentence is not verbatim in the sidecar is left alone, and so
    is one citing a transcript paragraph whose own time is no segment start (NC603's
    finding: after its fix, this one follows).

    Why it matters: the sidecar's segment starts are the only times the video is known
    to say these words; a time a few seconds off starts the viewer mid-sentence, and a
    time copied from a neighbouring line points at someone else speaking.

    Bad (the segment holding "Honeybees are livestock." starts at 1:14):

        > "Honeybees are livestock."
        > -- Tomás Reyes, [1:16](https://www.youtube.com/watch?v=Hs9kWq2TzLm&t=76s)

    Good:

        > "Honeybees are livestock."
        > -- Tomás Reyes, [1:14](https://www.youtube.com/watch?v=Hs9kWq2TzLm&t=74s)

    Fix (unsafe, with --unsafe-fixes): sets the link's label (in the note's label style)
    and its t= (in the link's own form: 74s, 74 or 1m14s) to the segment start. In a
    highlight, whatever cited the same time moves with it: the thumbnail's t=, the clip
    and its -o time tag (the clip keeps its length), so NC409/NC403/NC407 stay satisfied.
    Offered only when the moved highlight comes out clean. Unsafe because the matcher
    chose the segment: read the result.
    """
    from ..timeline import citation_edits, timelines

    sidecar = ctx.sidecar
    if not _usable(sidecar):
        return
    by_quote = None
    invented = None
    for cq, p, passages in _placed_quotes(note, ctx):
        link = cq.quote.attribution.link
        if link is None or not cq.match.sentences[0].found:
            continue
        cited = _link_seconds(link)
        if cited is None or cited == p.target:
            continue
        if invented is None:  # worked out for the first quote cited off its segment start (most notes: none)
            # a citation of a transcript paragraph whose own time is no segment start repeats NC603's defect
            invented = set(_paragraph_seconds(note)) - sidecar.start_set
            by_quote = {id(tl.quote): tl for tl in timelines(note, ctx) if tl.quote is not None}
        if cited in invented:
            continue
        if not p.window[0] <= cited < p.window[1]:
            continue  # NC502: the quote is elsewhere than cited
        tl = by_quote.get(id(cq))
        if tl is not None:
            if tl.attribution is None or tl.attribution.link is not link:
                continue
            fix = tl.fix
        else:
            style = note_label_style(note, ctx.config)
            fix = Fix(tuple(citation_edits(link, p.target, style)), UNSAFE,
                      f"cite {render_label(p.target, style)}, the start of the sidecar segment")
        segment = passages[p.first.passage]
        who = f" ({segment.speaker})" if segment.speaker else ""
        start, end = _label_span(link)
        style = note_label_style(note, ctx.config)
        yield Finding(start, f"cited {link.label} is not the start of the sidecar segment holding this quote: "
                             f"in {sidecar.name} it starts at {render_label(p.target, style)}{who}", end=end, fix=fix)


# When more than this share of a note's timed paragraphs are not segment starts, the
# transcript was re-segmented as a whole: one finding for the note, not one per paragraph.
RESEGMENTED_SHARE = 0.5


@rule("NC603", "sidecar-invented-time", fix="unsafe",
      summary="a transcript paragraph's time is not a segment start in the sidecar")
def check_transcript_times(note, ctx) -> Iterable[Finding]:
    """
    What it finds: a paragraph of the Transcript section whose timestamp is not the start
    of any segment of the sidecar transcript. The message names the nearest segment
    starts. When most of the note's paragraphs (more than half) are off, the transcript
    was re-segmented as a whole: one finding, at the Transcript heading, says how many.

    Why it matters: the transcript is meant to be the source, cut into paragraphs at
    segment starts. A time that no segment has was invented or mistyped, and every
    link to it lands mid-sentence ("never invent timestamps").

    Bad (the sidecar has segments at 1:05 and 1:14, none at 1:10):

        [1:10](https://www.youtube.com/watch?v=Hs9kWq2TzLm&t=70s) Let's start with the thing everyone asks about.

    Good:

        [1:05](https://www.youtube.com/watch?v=Hs9kWq2TzLm&t=65s) Let's start with the thing everyone asks about.

    Fix (unsafe, with --unsafe-fixes): the paragraph takes the start of the sidecar
    segment whose words begin it (found by its first words, nearest its time); a
    paragraph whose first words are not in the sidecar is left alone.
    """
    sidecar = ctx.sidecar
    if not _usable(sidecar) or not note.transcript:
        return
    starts = sidecar.start_set
    seconds = _paragraph_seconds(note)
    if starts.issuperset(seconds):  # every paragraph at a segment start: nothing to say (a None: read on)
        return
    timed = [(para, sec) for para, sec in zip(note.transcript, seconds) if sec is not None]
    off = [(para, sec) for para, sec in timed if sec not in starts]
    if not off:
        return
    style = note_label_style(note, ctx.config)
    fixes = [_paragraph_fix(note, ctx, para, sec, style) for para, sec in off]
    if len(off) > RESEGMENTED_SHARE * len(timed) and len(off) > 1:
        sec = note.section("transcript")
        edits = tuple(e for f in fixes if f is not None for e in f.edits)
        fix = Fix(edits, UNSAFE, "give each paragraph the start of the segment whose words begin it") if edits else None
        yield Finding(sec.heading.title_start, f"{len(off)} of {len(timed)} transcript times are not segment starts "
                                              f"in the sidecar {sidecar.name}: the transcript was re-segmented "
                                              f"(first: {off[0][0].link.label})", end=sec.heading.end, fix=fix)
        return
    for (para, seconds), fix in zip(off, fixes):
        before, after = sidecar.nearest_starts(seconds)
        near = " and ".join(_render(x, style) for x in (before, after) if x is not None)
        start, end = _label_span(para.link)
        yield Finding(start, f"transcript time {para.link.label} is not a segment start in the sidecar "
                             f"{sidecar.name}; the nearest segments start at {near}", end=end, fix=fix)


# the first words of a paragraph that identify where it begins in the sidecar
PARAGRAPH_HEAD_WORDS = 8


def _paragraph_fix(note, ctx, para, seconds: int, style: str) -> Fix | None:
    """Cite the start of the sidecar segment whose words begin ``para``, found by its first words."""
    from ..quotematch import index_for, tokens
    from ..timeline import citation_edits

    clean = getattr(ctx.config, "quote_match", "clean") != "strict"
    index = index_for(note, ctx.sidecar, clean)
    head = [w for w, _, _ in tokens(para.text, clean)][:PARAGRAPH_HEAD_WORDS]
    if len(head) < 3:
        return None  # too few words to tell where the paragraph begins
    spans = index.find_spans(" ".join(head))
    if not spans:
        return None
    best = min(spans, key=lambda sp: (abs(index.passages[index.passage_at(sp[0])].start - seconds), sp[0]))
    right = int(index.passages[index.passage_at(best[0])].start)
    if right == seconds:
        return None
    return Fix(tuple(citation_edits(para.link, right, style)), UNSAFE,
               f"write {render_label(right, style)}, the start of the segment whose words begin the paragraph")


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
