"""Where a note's quotes are in the transcript, and each highlight's timeline (SPEC §2).

Shared by the quote rules (NC501/NC502), the clip rules (NC403/NC409) and the sidecar
rules (NC601/NC602): every quote is located once per note (``checked_quotes``), and every
highlight's four times are gathered and judged once (``timelines``).

A highlight cites one moment through four values: the thumbnail link's ``t=`` (T), the
clip range [S, E], the attribution time (A) and, when its quote is placed in the
transcript by a verbatim sentence, where the words are. The verdicts:

* T must equal S or A (without a clip: A), else NC409 at T;
* placed: A lies in the paragraph (or sidecar segment) holding the first verbatim
  sentence, else NC502 at A; the clip holds the words: not starting after them (the
  quote is cut off) nor more than ``clip-lead-seconds`` before them, else NC403 at S; each
  verbatim sentence starting before E, else NC502 at that sentence;
* not placed: S <= A < E, with S at most ``clip-lead-seconds`` before A: NC403 at S, and
  an A at or after E is NC409 at A alone;
* one defect, one finding: a clip that follows a misplaced attribution (the highlight
  moved as a whole) is NC502's alone, an end that a wrong clip start explains is NC403's.

Word times inside a long paragraph are estimates (``quotematch.TimeEstimate``): a finding
is made only when the words are outside the clip for every time the estimate allows.

``Timeline.rebuild`` computes the timeline the transcript asks for (the attribution at
the start of the passage holding the quote, the thumbnail, clip and ``-o`` tag moved with
whatever they cited, the clip's length kept or stretched to hold the last sentence) and
returns it as one unsafe Fix, or None when the result would not be clean.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .diagnostic import UNSAFE, Edit, Fix
from .note import Highlight, Note, Quote, YouTubeLink
from .quotematch import (QuoteIndex, QuoteMatch, SentenceMatch, TimeEstimate, index_for, link_seconds, locate,
                         passages_from_transcript, sidecar_usable, window_passages)
from .times import note_label_style, render_bound_like, render_label, render_t, render_tag

_OPENING_QUOTE = ("\"", "\u201c", "\u201e", "'", "\u2018", "\u00ab")
# a closing quotation mark, then (on the same line) an attribution holding a link
_INLINE_ATTRIBUTION_RE = re.compile(r"^.*([\"\u201d])[ \t]*(?:--|\u2014|\u2013|-|\()[^\"\u201c\u201d]*\]\(https?://")


# --------------------------------------------------------------------------- quotes


@dataclass
class CheckedQuote:
    """A quote of someone's words, located in the transcript."""

    quote: Quote
    lines: list[tuple[int, str]]  # (offset in the note, text) of the spoken words, line by line
    match: QuoteMatch
    index: QuoteIndex
    cited: int | None  # seconds (label when valid, else t=)
    cited_link: YouTubeLink | None
    highlight: Highlight | None
    placed_as: tuple | None = None  # (how, Placement): ``place``'s answer, kept

    def note_offset(self, pos: int) -> int:
        """Offset in the note of position ``pos`` of the quote text (its lines joined by blanks)."""
        at = 0
        for start, text in self.lines:
            if pos <= at + len(text):
                return start + max(0, pos - at)
            at += len(text) + 1
        start, text = self.lines[-1]
        return start + len(text)


def checked_quotes(note: Note, ctx) -> list[CheckedQuote]:
    """Every quote of the note, located in the transcript once (shared by NC5xx, NC4xx and NC6xx)."""
    clean = getattr(ctx.config, "quote_match", "clean") != "strict"
    key = (id(ctx.sidecar), clean)
    cached = note.__dict__.get("_checked_quotes")
    if cached is not None and cached[0] == key:
        return cached[1]
    out: list[CheckedQuote] = []
    if note.quotes:
        index = index_for(note, ctx.sidecar, clean)
        if index.passages:
            owner = {id(q): hl for hl in note.highlights for q in hl.quotes}
            for quote in note.quotes:
                if not is_speech(quote):
                    continue
                highlight = owner.get(id(quote))
                lines, inline = spoken_lines(note, quote)
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


def quote_view(note: Note, located: CheckedQuote) -> Note:
    """A view of ``note`` holding one quote, located as ``located`` says, and the highlight it is in.

    The rules run on the view judge that quote (and its highlight's timeline) as they would in
    the note, and nothing else: NC501's repair compares their findings on the quote as it is and
    as repaired, without re-parsing. Everything else is shared with ``note``."""
    # copy.copy(note), made directly (Note keeps all it has in its __dict__; copy.copy goes
    # through __reduce_ex__): its own __dict__, so the fields and caches set below are the view's alone
    view = object.__new__(type(note))
    view.__dict__.update(note.__dict__)
    view.quotes = [located.quote]
    view.highlights = [hl for hl in note.highlights if any(q is located.quote for q in hl.quotes)]
    view.__dict__.pop("_timelines", None)
    view.__dict__["_checked_quotes"] = (note.__dict__["_checked_quotes"][0], [located])
    return view


def is_speech(quote: Quote) -> bool:
    """A quote of someone's words: it has an attribution, or opens with a quotation mark (not a '> Note:' aside)."""
    if not quote.lines:
        return False
    return quote.attribution is not None or quote.lines[0].text.lstrip().startswith(_OPENING_QUOTE)


def spoken_lines(note: Note, quote: Quote) -> tuple[list[tuple[int, str]], YouTubeLink | None]:
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


# --------------------------------------------------------------------------- where a quote is


@dataclass(frozen=True)
class Placement:
    """Where the transcript puts a quote, by its first verbatim sentence."""

    first: SentenceMatch  # the first verbatim sentence
    words: TimeEstimate  # when its first word is said
    window: tuple[float, float]  # [lo, hi): where the quote may be cited (its paragraph or segment)
    target: int  # the time to cite: the start of the passage (or sidecar segment) holding the words
    where: str  # that passage's time as the note writes it, for messages
    sentences: tuple[tuple[SentenceMatch, TimeEstimate], ...]  # every verbatim sentence, with its time


def place(cq: CheckedQuote, note: Note, sidecar_used: bool) -> Placement | None:
    """The quote's placement, or None when no verbatim sentence places it (SPEC §2); worked out
    once per quote (NC403/NC409/NC502/NC601/NC602 all ask)."""
    key = ("placement", sidecar_used)
    if cq.placed_as is not None and cq.placed_as[0] == key:
        return cq.placed_as[1]
    placement = _place(cq, note, sidecar_used)
    cq.placed_as = (key, placement)
    return placement


def _place(cq: CheckedQuote, note: Note, sidecar_used: bool) -> Placement | None:
    match = cq.match
    first = match.first_found
    if first is None or first.pos is None:
        return None
    index = cq.index
    words = index.time_at(first.pos)
    lo, hi = words.start, words.end
    where = _passage_label(index, first.passage)
    cited = cq.cited
    if sidecar_used and cited is not None and not lo <= cited < hi:
        # the attribution points into the note's own paragraphs: the one holding the words
        # (by its text, else by time), or the sidecar segment itself, are both right to cite
        para = _note_paragraph(note, cq, first, words.start)
        if para is not None:
            lo, hi = min(lo, para[0]), max(hi, para[1])
            where = para[2]
    if match.sentences[0] is not first:
        # sentences before the first verbatim one are not placed: the quote may begin a passage earlier
        lo = _previous_start(index, note, sidecar_used, lo)
    if cited is not None and not lo <= cited < hi and _said_where_cited(cq, note, sidecar_used, cited):
        return None  # a light edit of words said where it is cited: the verbatim ones are a repeat elsewhere
    sentences = tuple((s, index.time_at(s.pos)) for s in match.sentences if s.found and s.pos is not None)
    return Placement(first, words, (lo, hi), words.start, where, sentences)


# A sentence at least this alike to text said where the quote is cited confirms the citation.
CONFIRMING_SIMILARITY = 0.8


def _said_where_cited(cq: CheckedQuote, note: Note, sidecar_used: bool, cited: float) -> bool:
    """Is a sentence of the quote that is not verbatim a light edit of words said at the cited time?"""
    for s in cq.match.sentences:
        if s.found or s.pos is None or s.similarity < CONFIRMING_SIMILARITY:
            continue
        t = cq.index.time_at(s.pos)
        start, end = t.start, t.end
        if sidecar_used:
            para = _paragraph_covering(note, t.start)
            if para is not None:
                start, end = para.start, (para.end if para.end is not None else math.inf)
        if start <= cited < end:
            return True
    return False


def _passage_label(index: QuoteIndex, i: int | None) -> str:
    return index.passages[i].shown_label if i is not None else "?"


def _note_paragraph(note: Note, cq: CheckedQuote, first: SentenceMatch,
                    seconds: float) -> tuple[float, float, str] | None:
    """(start, end, label) of the note's transcript paragraph holding ``first``'s words (the
    occurrence nearest ``seconds``), else of the one covering ``seconds``; None without a transcript."""
    if not note.transcript:
        return None
    index = index_for(note, None, cq.index.clean)
    spans = index.find_spans(first.key)
    if spans:
        best = min(spans, key=lambda span: (abs(index.time_at(span[0]).start - seconds), span[0]))
        t = index.time_at(best[0])
        return t.start, t.end, _passage_label(index, index.passage_at(best[0]))
    para = _paragraph_covering(note, seconds)
    if para is None:
        return None
    return para.start, (para.end if para.end is not None else math.inf), para.shown_label


def _paragraph_covering(note: Note, seconds: float):
    for p in passages_from_transcript(note):
        if p.covers(seconds):
            return p
    return None


def _previous_start(index: QuoteIndex, note: Note, sidecar_used: bool, lo: float) -> float:
    """The distinct start before ``lo`` among the passages the window is made of."""
    earlier = [p.start for p in window_passages(note, index, sidecar_used) if p.start < lo]
    return max(earlier) if earlier else lo


# --------------------------------------------------------------------------- a highlight


@dataclass(frozen=True)
class TimeRef:
    """One time of a highlight as written: its seconds and the source it is read from."""

    seconds: int
    start: int  # span of the text the time is read from (label, or t= value)
    end: int
    shown: str  # as written: "1:07:30" or "t=4050s"
    link: YouTubeLink


def _time_ref(link: YouTubeLink | None, duration: int | None) -> TimeRef | None:
    if link is None:
        return None
    seconds, start, end = link.time_source
    if seconds is None or (duration is not None and seconds > duration):
        return None  # no time, or NC303's
    shown = link.label.strip() if start == link.label_start and not link.is_thumbnail else f"t={link.t_text}"
    return TimeRef(seconds, start, end, shown, link)


@dataclass
class Timeline:
    """One highlight's times and what is wrong with them (see the module docstring)."""

    highlight: Highlight
    thumbnail: TimeRef | None = None  # T
    attribution: TimeRef | None = None  # A
    calls: list = field(default_factory=list)  # its clip commands (clipcmd.ClipCall)
    quote: CheckedQuote | None = None
    placement: Placement | None = None
    lead: float = 60.0
    duration: int | None = None
    # verdicts
    thumbnail_off: bool = False  # NC409 at T
    misplaced: bool = False  # NC502 at the attribution
    after_end: bool = False  # NC409 at A
    start_off: dict[int, str] = field(default_factory=dict)  # id(call) -> "cut" / "early": NC403
    past_end: SentenceMatch | None = None  # NC502 at a sentence said after the clip's end
    fix: Fix | None = None

    # -- values ----------------------------------------------------------------------
    @property
    def call(self):
        """The clip command the timeline is made of: the first with a start and an end."""
        return next((c for c in self.calls if c.start is not None and c.end is not None
                     and not c.start.infinite), None)

    @property
    def reference(self) -> float | None:
        """The highlight's own time a clip start is judged against: the attribution's, else the thumbnail's."""
        ref = self.attribution if self.attribution is not None else self.thumbnail
        return ref.seconds if ref is not None else None

    @property
    def start(self) -> float | None:
        call = self.call
        return call.start.seconds if call is not None else None

    @property
    def end(self) -> float | None:
        """The clip's end when it is after its start (``inf`` counts to ``duration``)."""
        call = self.call
        if call is None:
            return None
        end = call.end.seconds
        if math.isinf(end):
            end = float(self.duration) if self.duration is not None else math.inf
        return end if end > call.start.seconds else None

    # -- judgements on any values (also used to check a rebuilt timeline) ---------------
    def clip_start_verdict(self, s: float, a: float | None) -> str | None:
        """"cut" when a clip starting at ``s`` starts after the quoted moment, "early" when more than
        ``lead`` before it; None when it holds it."""
        p = self.placement
        if p is not None:
            if s > p.words.hi or s >= p.words.end:  # the words are said before the next passage starts
                return "cut"
            if s < p.words.lo - self.lead:
                return "early"
            return None
        if a is None:
            return None
        if s > a:
            return "cut"
        if s < a - self.lead:
            return "early"
        return None

    def sentence_past(self, e: float | None) -> SentenceMatch | None:
        """The first verbatim sentence that starts at or after ``e`` for every time its estimate allows."""
        if e is None or self.placement is None:
            return None
        for s, t in self.placement.sentences:
            if t.lo >= e:
                return s
        return None

    def in_window(self, a: float) -> bool:
        p = self.placement
        return p is None or p.window[0] <= a < p.window[1]

    def thumbnail_fits(self, t: float, s: float | None, a: float | None) -> bool:
        """The thumbnail starts where the clip does, or cites the attribution's moment."""
        return (s is not None and abs(t - s) < 1) or (a is not None and t == a)


def timelines(note: Note, ctx) -> list[Timeline]:
    """Every highlight's judged timeline, computed once per note (five rules read them)."""
    lead = ctx.config.clip_lead_seconds
    key = (id(ctx.sidecar), lead, getattr(ctx.config, "quote_match", "clean"), ctx.config.clip_seconds,
           getattr(ctx.config, "label_style", "auto"))
    cached = note.__dict__.get("_timelines")
    if cached is not None and cached[0] == key and cached[1] is note.highlights:
        return cached[2]
    from .rules.clips import clip_calls

    quotes = {id(cq.quote): cq for cq in checked_quotes(note, ctx)}
    sidecar_used = sidecar_usable(ctx.sidecar)
    out = []
    for hl in note.highlights:
        tl = Timeline(hl, _time_ref(hl.thumbnail, note.duration), _time_ref(hl.attribution_link, note.duration),
                      clip_calls(note, hl), lead=lead, duration=note.duration)
        tl.quote = _highlight_quote(hl, quotes)
        if tl.quote is not None:
            tl.placement = place(tl.quote, note, sidecar_used)
        _judge(tl)
        tl.fix = _rebuild(tl, note, ctx) if tl.placement is not None and _anything_wrong(tl, ctx) else None
        out.append(tl)
    note.__dict__["_timelines"] = (key, note.highlights, out)
    return out


def _highlight_quote(hl: Highlight, quotes: dict[int, CheckedQuote]) -> CheckedQuote | None:
    """The quote the highlight's attribution belongs to (else its first quote of speech)."""
    located = [quotes[id(q)] for q in hl.quotes if id(q) in quotes]
    for cq in located:
        if cq.quote.attribution is not None and cq.quote.attribution.link is not None:
            return cq
    return located[0] if located else None


def _judge(tl: Timeline) -> None:
    t, a, s, e = tl.thumbnail, tl.attribution, tl.start, tl.end
    placed = tl.placement is not None
    if placed and a is not None:
        tl.misplaced = not tl.in_window(a.seconds)
    # the clip would hold the words moved by as much as the misplaced attribution: moved as a whole
    followed = tl.misplaced and s is not None and \
        tl.clip_start_verdict(s + tl.placement.target - a.seconds, None) is None
    for call in tl.calls:
        if call.start is None or call.start.infinite:
            continue
        if not placed and a is not None and e is not None and a.seconds >= e:
            continue  # the attribution after the end is NC409's alone
        verdict = tl.clip_start_verdict(call.start.seconds, tl.reference)
        if verdict is not None and not (followed and call is tl.call):
            tl.start_off[id(call)] = verdict
    clip_wrong = tl.call is not None and id(tl.call) in tl.start_off
    if placed and not clip_wrong and not followed:
        tl.past_end = tl.sentence_past(e)
    if a is not None and e is not None and a.seconds >= e:
        tl.after_end = not tl.misplaced and not clip_wrong
    if t is not None and (tl.call is not None or a is not None):
        fits = tl.thumbnail_fits(t.seconds, s, a.seconds if a is not None else None)
        # while the attribution is NC502's, a thumbnail citing the words' passage is right
        tl.thumbnail_off = not fits and not (tl.misplaced and tl.in_window(t.seconds))


def _anything_wrong(tl: Timeline, ctx) -> bool:
    return bool(tl.thumbnail_off or tl.misplaced or tl.after_end or tl.start_off or tl.past_end
                or _sidecar_time_off(tl, ctx))


def _sidecar_time_off(tl: Timeline, ctx) -> bool:
    """NC602's condition for a highlight: the attribution is not the start of the segment holding the quote."""
    p, a = tl.placement, tl.attribution
    if p is None or a is None or not sidecar_usable(ctx.sidecar) or tl.quote is None:
        return False
    return tl.quote.match.sentences[0].found and a.seconds != p.target


# --------------------------------------------------------------------------- the rebuilt timeline


def _rebuild(tl: Timeline, note: Note, ctx) -> Fix | None:
    """The timeline the transcript asks for, as one unsafe Fix; None when there is none to offer.

    Clean by construction: the attribution is kept when it points into the words' passage
    (and, with a sidecar, starts its segment), else it cites that passage's start; the clip
    start is kept when it holds the words and did not cite the moved attribution, else it
    takes the first of (its old place moved with the attribution, the attribution, the
    passage's start) that holds them; the clip keeps its length, ends with the video at
    the latest and is stretched to the last sentence; the thumbnail goes with whichever of
    the clip start and the attribution it was, else with the clip start.
    """
    p = tl.placement
    assert p is not None
    t, a, call = tl.thumbnail, tl.attribution, tl.call
    move_citation = tl.misplaced or tl.after_end or _sidecar_time_off(tl, ctx)
    a_new = p.target if a is not None and move_citation else (a.seconds if a is not None else None)
    delta = a_new - a.seconds if a is not None else 0
    s_new = e_new = None
    if call is not None:
        s_old, e_old = call.start.seconds, tl.end
        s_new, e_new = s_old, e_old
        followed_citation = delta and abs(s_old - a.seconds) < 1
        if followed_citation or tl.clip_start_verdict(s_old, a_new) is not None:
            candidates = ([s_old + delta] if delta else []) + ([a_new] if a_new is not None else []) + [p.target]
            s_new = next((c for c in candidates if c >= 0 and tl.clip_start_verdict(c, a_new) is None), None)
            if s_new is None:
                return None  # no known time near the words: report only
            if e_old is not None:
                e_new = s_new + (e_old - s_old)
                if tl.duration is not None:
                    e_new = min(e_new, float(tl.duration))  # a moved clip ends with the video at the latest
        if e_new is not None:
            e_new = _stretch_end(tl, s_new, e_new, ctx)
            if e_new is None or e_new <= s_new:
                return None
    t_new = None
    if t is not None:
        if call is not None and abs(t.seconds - call.start.seconds) < 1:
            t_new = s_new
        elif a is not None and t.seconds == a.seconds:
            t_new = a_new
        else:
            t_new = s_new if s_new is not None else a_new
    edits = _edits(note, ctx, tl, t_new, s_new, e_new, a_new)
    if not edits:
        return None
    return Fix(tuple(sorted(edits, key=lambda e: e.start)), UNSAFE,
               "move the highlight to where the transcript has its words")


def _stretch_end(tl: Timeline, s: float, e: float, ctx) -> float | None:
    """``e``, or later when a verbatim sentence would start after it (up to clip-seconds and the
    video's end); None when no end can hold it."""
    if tl.sentence_past(e) is None:
        return e
    latest = s + ctx.config.clip_seconds[1]
    if tl.duration is not None:
        latest = min(latest, float(tl.duration))
    needed = max(t.hi if not math.isinf(t.hi) else t.lo + 1 for _, t in tl.placement.sentences)
    new_e = float(math.ceil(min(needed, latest)))
    if new_e <= e or tl.sentence_past(new_e) is not None:
        return None
    return new_e


def _edits(note: Note, ctx, tl: Timeline, t_new, s_new, e_new, a_new) -> list[Edit]:
    style = note_label_style(note, ctx.config)
    edits: list[Edit] = []
    a = tl.attribution
    if a is not None and a_new is not None and a_new != a.seconds:
        edits.extend(citation_edits(a.link, int(a_new), style))
    t = tl.thumbnail
    if t is not None and t_new is not None and int(t_new) != t.seconds:
        link = t.link
        if link.t_start is not None and link.t_text:
            edits.append(Edit(link.t_start, link.t_start + len(link.t_text), render_t(int(t_new), like=link.t_text)))
    call = tl.call
    if call is not None and s_new is not None:
        if s_new != call.start.seconds:
            edits.append(Edit(call.start.start, call.start.end, render_bound_like(s_new, call.start.text)))
            if call.tag_seconds is not None and call.tag_start is not None and call.tag_end is not None \
                    and call.tag_seconds == int(call.start.seconds):
                edits.append(Edit(call.tag_start, call.tag_end, render_tag(s_new)))
        if e_new is not None and not call.end.infinite and e_new != call.end.seconds:
            edits.append(Edit(call.end.start, call.end.end, render_bound_like(e_new, call.end.text)))
    return edits


def citation_edits(link: YouTubeLink, seconds: int, style: str) -> list[Edit]:
    """Edits that make a timestamp link cite ``seconds``: its label (in the note's style) and its ``t=``."""
    edits = [Edit(link.label_start, link.label_start + len(link.label), render_label(seconds, style))]
    if link.t_start is not None and link.t_text:
        edits.append(Edit(link.t_start, link.t_start + len(link.t_text), render_t(seconds, like=link.t_text)))
    return edits


def quote_fix(cq: CheckedQuote, placement: Placement, note: Note, ctx) -> Fix | None:
    """A quote outside Highlights cited at the wrong time: cite the start of the passage holding it."""
    link = cq.cited_link
    if link is None or link.is_thumbnail:
        return None
    style = note_label_style(note, ctx.config)
    return Fix(tuple(citation_edits(link, placement.target, style)), UNSAFE,
               f"cite {render_label(placement.target, style)}, where the transcript has the words")

