"""NC3xx: timestamp links. Every label, ``t=`` value and link id must agree with the others.

A *timestamp link* is a Markdown link to YouTube whose label is shaped like a time
(``[9:25](…&t=565s)``, or a malformed ``[9:5](…)``); links with other labels (a talk
in "Additional Resources") are not, and these rules leave them alone. A highlight's
thumbnail link counts for NC302/NC303 (it carries the highlight's ``t=``).

One defect, one finding (SPEC §2): a link's time is its label when the label is valid,
else its ``t=``; so a wrong ``t=`` is NC301 and nothing else, and a malformed label is
NC304 and nothing else.
"""

from __future__ import annotations

from itertools import compress, repeat
from operator import attrgetter, indexOf, is_, le
from typing import Iterable, Iterator

from ..diagnostic import Finding, Fix
from ..note import Note, YouTubeLink
from ..times import HMS, Label, describe, note_label_style, parse_label, parse_t, render_label, render_t
from . import rule


def timestamp_links(note: Note) -> list[YouTubeLink]:
    return note.timestamp_links


def checked_links(note: Note) -> Iterator[YouTubeLink]:
    """Timestamp links, then the highlight thumbnails (links into the video without a label)."""
    yield from note.timestamp_links
    for hl in note.highlights:
        if hl.thumbnail is not None:
            yield hl.thumbnail


_seconds_of = attrgetter("seconds")


def _labels(note: Note) -> list[Label | None]:
    """``parse_label`` of each timestamp link's label (None: malformed), once per note for NC301/NC303/NC304/NC306."""
    links = note.timestamp_links
    return note._cache("labels", links, lambda: [parse_label(link.label) for link in links])


def _style_name(style: str) -> str:
    return "H:MM:SS" if style == HMS else "minutes past 59 (MM:SS)"


@rule("NC301", "label-t-mismatch", summary="a link's label and its t= disagree", fix="safe")
def label_t_mismatch(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        A timestamp link whose label and ``t=`` value name different times, whose ``t=``
        is not a time (``t=abc``, ``t=1h30``), or that has no ``t=`` at all while its label
        is not ``0:00``. Reported at the ``t=`` value (at the URL when there is none).

    Why it matters:
        Readers click the label and land somewhere else. The label is the human-facing
        truth (SPEC §2): it is what the note's author read off the video.

    Bad:
        [1:25:00](https://www.youtube.com/watch?v=lXUZvyajciY&t=4500s)

    Good:
        [1:25:00](https://www.youtube.com/watch?v=lXUZvyajciY&t=5100s)

    Fix:
        Rewrites ``t=`` from the label, keeping its form (``5100s``, ``5100`` or
        ``1h25m``); adds ``&t=…s`` (``?t=…s``) to a link without one.
    """
    for link, label in zip(note.timestamp_links, _labels(note)):
        if label is None:
            continue  # NC304
        if link.t_text == f"{label.seconds}s" and link.t_start is not None:
            continue  # the usual t=, agreeing (what parse_t below would find, without parsing)
        if link.t_text is None or link.t_start is None:
            if label.seconds == 0:
                continue
            fix = None
            if "#" not in link.url:
                sep = "&" if "?" in link.url else "?"
                end = link.url_start + len(link.url)
                fix = Fix.replace(end, end, f"{sep}t={label.seconds}s", description="add t= from the label")
            yield Finding(link.url_start, f"label {link.label.strip()} is {label.seconds} s but the link has no t=: it opens at 0:00",
                          end=link.url_start + len(link.url), fix=fix)
            continue
        t = parse_t(link.t_text)
        if t == label.seconds:
            continue
        end = link.t_start + len(link.t_text)
        fix = Fix.replace(link.t_start, end, render_t(label.seconds, like=link.t_text if t is not None else None),
                          description="rewrite t= from the label")
        if t is None:
            message = f"t={link.t_text} is not a time; label {link.label.strip()} is {label.seconds} s"
        else:
            message = f"label {link.label.strip()} is {label.seconds} s but t={link.t_text} is {render_label(t)}"
        yield Finding(link.t_start, message, end=end, fix=fix)


@rule("NC302", "link-video-id", summary="a link's video id differs from video_id", fix="safe")
def link_video_id(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        A timestamp link (or a highlight's thumbnail link) into another video than the
        note's ``video_id``. Links with other labels (a related talk in "Additional
        Resources") may point anywhere and are not checked.

    Why it matters:
        A timestamp is a moment of *this* video; a link into another one is a copy-paste
        slip from another note.

    Bad:
        video_id: lXUZvyajciY
        [9:25](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=565s)

    Good:
        [9:25](https://www.youtube.com/watch?v=lXUZvyajciY&t=565s)

    Fix:
        Replaces the id in the URL with ``video_id``.
    """
    video_id = note.video_id
    if video_id is None:
        return  # NC002/NC003/NC101 speak of the front matter
    for link in checked_links(note):
        if link.video_id == video_id:
            continue
        if link.video_id is None or link.id_start is None:
            yield Finding(link.url_start, f"link {link.url} names no video; video_id is {video_id}",
                          end=link.url_start + len(link.url))
            continue
        end = link.id_start + len(link.video_id)
        yield Finding(link.id_start, f"link video id {link.video_id} differs from video_id {video_id}", end=end,
                      fix=Fix.replace(link.id_start, end, video_id, description="use the note's video_id"))


@rule("NC303", "time-past-duration", summary="a timestamp lies past duration")
def time_past_duration(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        A timestamp link (or a highlight thumbnail) whose time lies after the end of the
        video (front matter ``duration``). The time is the label when valid, else ``t=``;
        the finding stands on that text. Silent when ``duration`` is missing or broken.

    Why it matters:
        The moment does not exist: a typo in the hour or minutes (``2:44:00`` for
        ``1:44:00``), or a link copied from another note.

    Bad:
        duration: 4000
        [1:25:00](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=5100s)

    Good:
        [1:05:00](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=3900s)
    """
    duration = note.duration
    if duration is None:
        return
    # a link with a valid label has its label's time: when every label is valid and none is
    # past the duration, only the thumbnails are left to look at
    labels = _labels(note)
    if any(map(is_, labels, repeat(None))) or max(map(_seconds_of, labels), default=0) > duration:
        links = checked_links(note)
    else:
        links = (hl.thumbnail for hl in note.highlights if hl.thumbnail is not None)
    for link in links:
        seconds, start, end = link.time_source
        if seconds is not None and seconds > duration:
            shown = link.label.strip() if start == link.label_start and not link.is_thumbnail else f"t={link.t_text}"
            yield Finding(start, f"{shown} ({seconds} s) is past the video's duration {describe(duration)}", end=end)


@rule("NC304", "malformed-label", summary="a label is malformed (9:5, 9:65, 1:2:3)", fix="safe")
def malformed_label(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        A link label shaped like a time that is not a valid one: one-digit or
        out-of-range fields (``9:5``, ``9:65``, ``1:2:3``), or four fields.

    Why it matters:
        A reader cannot tell which moment is meant, and no other rule can compare it.

    Bad:
        [9:5](https://www.youtube.com/watch?v=lXUZvyajciY&t=565s)

    Good:
        [9:25](https://www.youtube.com/watch?v=lXUZvyajciY&t=565s)

    Fix:
        Re-renders the label from a valid ``t=`` in the note's style; without a valid
        ``t=`` there is nothing to rebuild it from and the finding stays.
    """
    style = None
    for link in compress(note.timestamp_links, map(is_, _labels(note), repeat(None))):  # the malformed labels
        t = parse_t(link.t_text)
        fix = None
        end = link.label_start + len(link.label)
        if t is not None:
            style = style or note_label_style(note, ctx.config)
            fix = Fix.replace(link.label_start, end, render_label(t, style), description="re-render the label from t=")
            hint = f"; t={link.t_text} is {render_label(t, style)}"
        else:
            hint = ""
        yield Finding(link.label_start, f"label {link.label} is not a valid time (M:SS or H:MM:SS: each field after the "
                      f"first is two digits below 60){hint}", end=end, fix=fix)


_link_of = attrgetter("link")


def _paragraph_labels(note: Note) -> list[Label | None]:
    """The parsed label (``_labels``, parsed once for NC301 already) of each transcript paragraph's
    link; None for a link that is no timestamp link."""
    links, labels, paragraphs = note.timestamp_links, _labels(note), note.transcript
    if paragraphs:
        # the paragraphs' links are usually one run of the timestamp links: found by the first one's
        # place and checked one by one (by identity), at C speed, without a dict of every link
        first = paragraphs[0].link
        try:
            k = indexOf(map(is_, links, repeat(first)), True)
        except ValueError:
            k = -1
        m = len(paragraphs)
        if k >= 0 and k + m <= len(links) and all(map(is_, map(_link_of, paragraphs), links[k:k + m])):
            return labels[k:k + m]
    label_of = dict(zip(map(id, links), labels))
    return [label_of.get(id(para.link)) for para in paragraphs]


@rule("NC305", "transcript-order", summary="transcript paragraphs are not in increasing time order")
def transcript_order(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        A transcript paragraph whose time is before the paragraph above it: the first
        paragraph of each step back in time, at its label. Equal times are fine; a
        time past ``duration`` is NC303's and is skipped.

    Why it matters:
        A transcript is read top to bottom as the video plays; a step back is a pasted
        or mistyped paragraph, and NC5xx/NC6xx search the transcript by time.

    Bad:
        [10:04](…&t=604s) I do feel Sutton has …
        [9:25](…&t=565s) We're building ghosts …

    Good:
        [9:25](…&t=565s) We're building ghosts …
        [10:04](…&t=604s) I do feel Sutton has …
    """
    duration = note.duration
    # the usual transcript: every label valid (a link's time is then its label's) and never stepping back
    labels = _paragraph_labels(note)
    if not any(map(is_, labels, repeat(None))):
        ordered = [sec for sec in map(_seconds_of, labels) if duration is None or sec <= duration]
        if all(map(le, ordered, ordered[1:])):
            return
    previous: tuple[int, str] | None = None
    for para in note.transcript:
        seconds, start, end = para.link.time_source
        if seconds is None or (duration is not None and seconds > duration):
            continue  # no time, or NC303's: it takes no part in the order
        shown = para.link.label.strip() if start == para.link.label_start else f"t={para.link.t_text}"
        if previous is not None and seconds < previous[0]:
            yield Finding(start, f"transcript goes back in time: {shown} ({seconds} s) comes after {previous[1]} "
                          f"({previous[0]} s)", end=end)
        previous = (seconds, shown)


@rule("NC306", "label-style", summary="a label is valid but not in the note's style", fix="safe")
def label_style(note: Note, ctx) -> Iterable[Finding]:
    """
    What it finds:
        A valid label that is not canonical: a leading zero (``09:25``, ``01:44:00``), a
        ``0:`` hour (``0:09:25``), or, past an hour, the other style than the note's.
        With ``label-style = "auto"`` (default) both ``1:44:00`` and ``104:00`` are fine,
        but not both in one note: the note's style is the one most of its labels of an
        hour or more use (a tie: ``H:MM:SS``). ``label-style = "hms"`` or ``"minutes"``
        forces one. Clip range bounds (``*104:00-105:10``) are not labels: both styles
        are fine there.

    Why it matters:
        One way to write a time makes a note easy to scan and to search.

    Bad:
        [09:25](…&t=565s)    [1:05:00](…&t=3900s) … [104:00](…&t=6240s)

    Good:
        [9:25](…&t=565s)     [1:05:00](…&t=3900s) … [1:44:00](…&t=6240s)

    Fix:
        Rewrites the label canonically in the note's style.
    """
    style = None
    for link, label in zip(note.timestamp_links, _labels(note)):
        if label is None or not (label.style == HMS or label.leading_zero or label.seconds >= 3600):
            continue  # nothing below can apply: no 0: hour (needs HMS), no leading zero, not past an hour
        if label.zero_hour:
            why = "has a 0: hour"
        elif label.leading_zero:
            why = "has a leading zero"
        elif label.past_hour:
            style = style or note_label_style(note, ctx.config)
            if label.style == style:
                continue
            why = f"is not in this note's style, {_style_name(style)}"
        else:
            continue
        style = style or note_label_style(note, ctx.config)
        good = render_label(label.seconds, style)
        if good == link.label:
            continue
        end = link.label_start + len(link.label)
        yield Finding(link.label_start, f"label {link.label} {why}; write {good}", end=end,
                      fix=Fix.replace(link.label_start, end, good, description="write the label canonically"))
