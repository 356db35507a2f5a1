"""NC1xx: the front matter: schema, duration rendering, ids in url/thumbnail, title vs H1."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterable

from ..diagnostic import Finding, Fix
from ..note import _IMAGE_ID_RE, Note, _parse_youtube_url
from ..times import duration_renderings, note_label_style, parse_label, render_label
from . import rule

_REQUIRED_RE = re.compile(r"^'(.+)' is a required property$")
_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "a boolean", list: "a list",
               dict: "a mapping", type(None): "empty (null)"}


def _type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _expected(types: Any) -> str:
    names = {"string": "a string", "integer": "an integer", "number": "a number", "array": "a list",
             "object": "a mapping", "boolean": "true or false", "null": "empty"}
    types = [types] if isinstance(types, str) else list(types)
    return " or ".join(names.get(t, t) for t in types)


def _schema_message(err: Any) -> tuple[str | None, str]:
    """(top-level key or None for the mapping itself, message) of a jsonschema error."""
    path = list(err.absolute_path)
    if not path:
        m = _REQUIRED_RE.match(err.message) if err.validator == "required" else None
        if m is not None:
            return None, f"front matter has no `{m.group(1)}` key (required by the note schema)"
        return None, f"front matter: {err.message}"
    key = str(path[0])
    name = key + "".join(f"[{p}]" for p in path[1:])
    value = err.instance
    kind = err.validator
    if kind == "type":
        got = _type_name(value)
        shown = "" if value is None or isinstance(value, (list, dict)) else f" {value!r}"
        return key, f"front matter `{name}` must be {_expected(err.validator_value)}, not {got}{shown}"
    if kind == "pattern":
        wanted = err.schema.get("description") or f"matching {err.validator_value!r}"
        return key, f"front matter `{name}` {value!r} is not {wanted}"
    if kind in ("minimum", "exclusiveMinimum"):
        op = ">" if kind == "exclusiveMinimum" else ">="
        return key, f"front matter `{name}` must be {op} {err.validator_value}, got {value!r}"
    if kind == "minLength":
        return key, f"front matter `{name}` is empty"
    return key, f"front matter `{name}`: {err.message}"


@rule("NC101", "front-matter-schema", summary="front matter violates schemas/note.schema.json (missing key, wrong type)")
def front_matter_schema(note: Note, ctx) -> Iterable[Finding]:
    """What it finds
    Front matter that does not satisfy `schemas/note.schema.json`: a required key
    missing (video_id, title, channel, duration, duration_formatted, upload_date,
    url), a value of the wrong type, or a value not of its form (an id that is not 11
    characters, a date that is not a date). One finding per violation, at the key's
    line; a missing key is reported at the opening `---`.

    Accepted as written: YAML dates, `upload_date: 20251017` unquoted (as yt-dlp
    writes it), unquoted `duration_formatted: 1:06:40`, keys the schema does not
    list, and null for the optional keys (view_count, thumbnail, tags).

    Why it matters
    The other rules check links, clips and headings against these values; a missing
    or mistyped value silences them, and other tools reading the notes break.

    Bad
    ---
    video_id: lXUZvyajci
    duration: "8768"
    ---

    Good
    ---
    video_id: lXUZvyajciY
    duration: 8768
    ---
    """
    fm = note.front_matter
    if fm is None or not fm.ok:
        return
    from ..schema import errors, to_instance

    for err in errors(to_instance(fm.data)):
        key, message = _schema_message(err)
        offset = fm.key_offsets.get(key, fm.start) if key is not None else fm.start
        yield Finding(offset, message)


def _value_edit(note: Note, key: str, old: str) -> tuple[int, int] | None:
    """Offsets of the string ``old`` inside the source of front matter value ``key``."""
    fm = note.front_matter
    span = fm.value_spans.get(key) if fm is not None else None
    if span is None:
        return None
    idx = note.text.find(old, span[0], span[1])
    return (idx, idx + len(old)) if idx >= 0 else None


def _meta_str(note: Note, key: str) -> str | None:
    from ..schema import property_valid

    meta = note.meta
    value = meta.get(key) if meta is not None else None
    # a value of the wrong form is NC101's finding, not this rule's
    return value if isinstance(value, str) and property_valid(key, value) else None


def _render_like(seconds: int, written: str, note_style: str) -> str:
    """``seconds`` rendered in the style of ``written`` where that style is accepted, else canonically.

    From one hour on: the written value's style when it was itself past an hour (``71:38``
    stays minutes past 59), else the style the note's labels use past an hour. Below an
    hour: ``0:09:26`` keeps its zero hour and ``09:26`` its leading zero; any other value
    (``1:32:20`` written for a 32-minute video) becomes canonical, ``32:20``.
    """
    label = parse_label(written)
    if seconds >= 3600:
        if label is not None and label.seconds >= 3600:
            return render_label(seconds, label.style)
        return render_label(seconds, note_style)
    minutes, secs = divmod(seconds, 60)
    if label is not None and label.zero_hour:  # written with a zero hour field: 0:09:26
        candidate = f"0:{minutes:02d}:{secs:02d}"
    elif label is not None and label.leading_zero and label.style == "minutes":  # 09:26 (not 0:01)
        candidate = f"{minutes:02d}:{secs:02d}"
    else:
        candidate = render_label(seconds)
    return candidate if candidate in duration_renderings(seconds) else render_label(seconds)


@rule("NC102", "duration-formatted-mismatch", summary="`duration_formatted` does not render `duration`", fix="safe")
def duration_formatted_mismatch(note: Note, ctx) -> Iterable[Finding]:
    """What it finds
    A `duration_formatted` whose time is not `duration` seconds. Every accepted style
    is fine (`2:26:08`, `146:08`, `9:05`, `09:05`); only the value is compared.

    Why it matters
    Readers see `duration_formatted`; the clip and link rules use `duration`. When
    they disagree one of them is wrong, and usually it is the rendering.

    Bad
    duration: 8768
    duration_formatted: "2:26:07"

    Good
    duration: 8768
    duration_formatted: "2:26:08"

    Fix
    Re-renders `duration` in the style the value was written in, keeping its quotes:
    `0:09:26` keeps its zero hour, `71:38` its minutes past 59; a value that was past an
    hour for a video shorter than one (`1:32:20` for 32 minutes) becomes `32:20`, and a
    duration past an hour written shorter takes the style of the note's labels.
    """
    duration = note.duration
    written = _meta_str(note, "duration_formatted")
    if duration is None or written is None or duration >= 10**12 or len(written) > 24:
        return  # 10**12 s is 31,000 years: no rendering to compare (and str() of a huge int raises)
    label = parse_label(written)
    if label is None or label.seconds == duration:
        return
    new = _render_like(duration, written, note_label_style(note, ctx.config))
    message = (f"`duration_formatted` {written!r} is {label.seconds} s, but `duration` is {duration} s "
               f"({render_label(duration)})")
    where = _value_edit(note, "duration_formatted", written)
    if where is None:
        yield Finding(note.front_matter.key_offsets["duration_formatted"], message)
        return
    yield Finding(where[0], message, end=where[1],
                  fix=Fix.replace(where[0], where[1], new, description=f"write {new!r}"))


def _id_finding(note: Note, key: str, value: str, vid: str | None, vid_start: int | None, what: str):
    video_id = note.video_id
    if video_id is None or vid is None or vid == video_id:
        return None
    message = f"`{key}` {what} {vid!r} differs from `video_id` {video_id!r}"
    if vid_start is None:
        return Finding(note.front_matter.key_offsets[key], message)
    end = vid_start + len(vid)
    return Finding(vid_start, message, end=end,
                   fix=Fix.replace(vid_start, end, video_id, description=f"write {video_id!r}"))


@rule("NC103", "url-video-id-mismatch", summary="`url`'s video id differs from `video_id`", fix="safe")
def url_video_id_mismatch(note: Note, ctx) -> Iterable[Finding]:
    """What it finds
    A front matter `url` whose video id (`watch?v=`, `youtu.be/`, `shorts/`) is not
    the note's `video_id`.

    Why it matters
    The url is how readers open the video; a note copied from another one often keeps
    the old url.

    Bad
    video_id: lXUZvyajciY
    url: https://www.youtube.com/watch?v=aBcD3fGh1jK

    Good
    video_id: lXUZvyajciY
    url: https://www.youtube.com/watch?v=lXUZvyajciY

    Fix
    Writes `video_id` in place of the url's id.
    """
    url = _meta_str(note, "url")
    if url is None or note.video_id is None:
        return
    where = _value_edit(note, "url", url)
    vid, vid_start, _, _ = _parse_youtube_url(url, where[0] if where else 0)
    finding = _id_finding(note, "url", url, vid, vid_start if where else None, "video id")
    if finding is not None:
        yield finding


@rule("NC104", "thumbnail-video-id-mismatch", summary="`thumbnail`'s video id differs from `video_id`", fix="safe")
def thumbnail_video_id_mismatch(note: Note, ctx) -> Iterable[Finding]:
    """What it finds
    A front matter `thumbnail` (`i.ytimg.com/vi/<id>/…`, `vi_webp`, `img.youtube.com`)
    whose video id is not the note's `video_id`.

    Why it matters
    The note shows another video's picture; usually a leftover of a copied note.

    Bad
    video_id: lXUZvyajciY
    thumbnail: https://i.ytimg.com/vi_webp/aBcD3fGh1jK/maxresdefault.webp

    Good
    video_id: lXUZvyajciY
    thumbnail: https://i.ytimg.com/vi_webp/lXUZvyajciY/maxresdefault.webp

    Fix
    Writes `video_id` in place of the thumbnail's id.
    """
    thumb = _meta_str(note, "thumbnail")
    if thumb is None or note.video_id is None:
        return
    m = _IMAGE_ID_RE.match(thumb)
    if m is None:
        return
    where = _value_edit(note, "thumbnail", thumb)
    finding = _id_finding(note, "thumbnail", thumb, m.group(1), where[0] + m.start(1) if where else None,
                          "video id")
    if finding is not None:
        yield finding


# every quotation mark and apostrophe alike: YAML quoting often forces " into ' (or back)
_QUOTES = str.maketrans({"“": "'", "”": "'", "„": "'", "‟": "'", "«": "'", "»": "'", "″": "'", '"': "'",
                         "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'"})
_DASH_RE = re.compile(r"\s*[-‐‑‒–—―−]+\s*")
_MD_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


def normalize_title(text: str) -> str:
    """A title as NC105 compares it: mojibake repaired, NFKC, quotes, dashes and blanks unified."""
    from ..mojibake import repair

    text = unicodedata.normalize("NFKC", repair(text))
    text = _MD_ESCAPE_RE.sub(r"\1", text).translate(_QUOTES)
    text = _DASH_RE.sub("-", text)
    return " ".join(text.split())


def _same_title(h1: str, title: str) -> bool:
    """Equal, or equal to the title without a trailing `` | <show or channel> …`` part."""
    if h1 == title:
        return True
    cut = title.rfind(" | ")
    while cut > 0:
        if title[:cut].rstrip() == h1:
            return True
        cut = title.rfind(" | ", 0, cut)
    return False


@rule("NC105", "h1-title-mismatch", summary="H1 differs from `title`")
def h1_title_mismatch(note: Note, ctx) -> Iterable[Finding]:
    """What it finds
    A note whose H1 is not its front matter `title`. They are compared after Unicode
    NFKC, collapsing blanks, treating `--`, `—`, `–` and `-` alike, every quotation mark
    and apostrophe alike (`"` and `'`: YAML quoting often forces one for the other), and
    repairing mojibake, so `# A -- "B"` matches `title: A — 'B'`. A title's trailing
    ` | <show or channel> …` part may be left out of the H1: `title: X | The Show
    2025-01-02` with `# X` is that show's convention.

    Why it matters
    The H1 is what readers see, the title what indexes and search use; when they
    differ one of them was edited and the other forgotten.

    Bad
    title: "Soil is the slowest technology"
    # Soil is the fastest technology

    Good
    title: "Soil is the slowest technology"
    # Soil is the slowest technology
    """
    title = _meta_str(note, "title")
    h1s = note.h1s
    if title is None or not h1s:
        return
    h1 = h1s[0]
    if h1.title != title and not _same_title(normalize_title(h1.title), normalize_title(title)):  # equal: same
        yield Finding(h1.title_start, f"H1 {h1.title!r} differs from the front matter title {title!r}",
                      end=h1.title_start + len(h1.title))
