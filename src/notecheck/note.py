"""The Note model: one linear parse of a note into elements that carry source offsets.

Every offset is a character offset into ``Note.text`` (the decoded file, BOM included).
Parsing never raises: a file that cannot be decoded, or whose front matter is missing
or broken, still yields a ``Note`` whose ``problems`` say why.

Why a line scanner and not mistune: notes are regular (ATX headings, fenced blocks,
block quotes, one-line links) and a full mistune parse runs at ~3 MB/s, 300x slower
than reading the file; the scanner keeps the same elements at hundreds of MB/s. A
test cross-checks the scanner's headings and code blocks against mistune's AST.
"""

from __future__ import annotations

import bisect
import os
import re
from array import array
from dataclasses import dataclass, field, fields
from functools import cached_property
from itertools import accumulate, islice
from typing import Any
from urllib.parse import urlsplit

from . import frontmatter_yaml
from .frontmatter_yaml import FrontMatter
from .diagnostic import _fast_builder
from .times import _TIMEISH_RE, looks_like_label, parse_label, parse_t

BOM = "\ufeff"

# ---------------------------------------------------------------------------- elements


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    title: str  # text after the #'s, closing #'s and blanks removed
    start: int  # line start
    end: int  # line end (before the newline)
    title_start: int


@dataclass(frozen=True, slots=True)
class CodeBlock:
    start: int  # opening fence line start
    end: int  # end of the closing fence line (or of the text, when unclosed)
    info: str
    content_start: int
    content_end: int
    closed: bool


@dataclass(slots=True)
class Section:
    """An H2 section: its heading and everything up to the next H1/H2."""

    heading: Heading
    start: int
    end: int
    subsections: list[Heading] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.heading.title

    @property
    def key(self) -> str:
        return section_key(self.heading.title)


@dataclass(frozen=True, slots=True)
class YouTubeLink:
    """A Markdown link ``[label](url)`` to YouTube, or a thumbnail ``[![alt](img)](url)``."""

    start: int
    end: int
    label: str
    label_start: int
    url: str
    url_start: int
    video_id: str | None
    id_start: int | None  # offset of the id inside the url
    t_text: str | None  # raw t= value ("565s", "565", "9m25s")
    t_start: int | None
    image_url: str | None = None  # thumbnails only
    image_url_start: int | None = None
    image_id: str | None = None
    image_id_start: int | None = None
    # computed on first use and kept: rules ask for these many times per link
    _timestamp: bool | None = field(default=None, init=False, compare=False, repr=False)
    _time_source: tuple[int | None, int, int] | None = field(default=None, init=False, compare=False, repr=False)

    @property
    def is_thumbnail(self) -> bool:
        return self.image_url is not None

    @property
    def is_timestamp(self) -> bool:
        """A timestamp link is a non-thumbnail link whose label is shaped like a time."""
        ts = self._timestamp
        if ts is None:
            ts = self.image_url is None and looks_like_label(self.label)
            object.__setattr__(self, "_timestamp", ts)
        return ts

    @property
    def seconds(self) -> int | None:
        """The link's time (SPEC §2): from its label when valid, else from ``t=``; None if neither."""
        return self.time_source[0]

    @property
    def time_source(self) -> tuple[int | None, int, int]:
        """(seconds, start, end) of the text the link's time is read from: the label, else the t= value."""
        source = self._time_source
        if source is None:
            source = self._find_time_source()
            object.__setattr__(self, "_time_source", source)
        return source

    def _find_time_source(self) -> tuple[int | None, int, int]:
        if self.image_url is None:
            label = parse_label(self.label)
            if label is not None:
                return label.seconds, self.label_start, self.label_start + len(self.label)
        t = parse_t(self.t_text)
        if t is not None and self.t_start is not None:
            return t, self.t_start, self.t_start + len(self.t_text or "")
        return None, self.start, self.end


@dataclass(frozen=True, slots=True)
class ClipCommand:
    """The text of a fenced block in a highlight that holds a clip command."""

    block: CodeBlock
    text: str  # the block content (without fences)

    @property
    def start(self) -> int:
        return self.block.content_start


@dataclass(frozen=True, slots=True)
class QuoteLine:
    start: int  # offset of the text (after "> ")
    text: str


@dataclass(slots=True)
class Attribution:
    start: int  # line start
    end: int
    speaker: str | None  # None for "> — [t](...)"
    speaker_start: int | None
    link: YouTubeLink | None


@dataclass(slots=True)
class Quote:
    """A block quote in Highlights or Surprising Quotes, with its attribution line."""

    start: int
    end: int
    lines: list[QuoteLine]
    attribution: Attribution | None
    section: str  # section key: "highlights" / "surprising quotes" / ...

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)


@dataclass(slots=True)
class Highlight:
    """One ``###`` block under Highlights."""

    heading: Heading
    start: int
    end: int
    thumbnail: YouTubeLink | None = None
    clips: list[ClipCommand] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    @property
    def clip(self) -> ClipCommand | None:
        return self.clips[0] if self.clips else None

    @property
    def attribution_link(self) -> YouTubeLink | None:
        for quote in self.quotes:
            if quote.attribution is not None and quote.attribution.link is not None:
                return quote.attribution.link
        return None


@dataclass(frozen=True, slots=True)
class TranscriptParagraph:
    start: int
    end: int
    link: YouTubeLink
    speaker: str | None
    text: str
    text_start: int


@dataclass(frozen=True, slots=True)
class Suppression:
    start: int  # offset of the comment
    end: int
    codes: tuple[str, ...]  # empty = every code
    file_level: bool
    target_line: int | None  # 1-based line it silences (None for file level)


@dataclass(frozen=True, slots=True)
class Problem:
    """A reason the note could not be (fully) parsed: feeds NC001-NC003."""

    kind: str  # "decode", "binary", "no-front-matter", "front-matter"
    offset: int
    message: str


# ---------------------------------------------------------------------------- helpers


# what the parser builds by the thousand per MB
_new_link = _fast_builder(YouTubeLink)
_new_paragraph = _fast_builder(TranscriptParagraph)
_new_quote_line = _fast_builder(QuoteLine)

# each field's member descriptor, in field order: how the C module sets a new object's slots
_LINK_SLOTS = tuple(YouTubeLink.__dict__[f.name] for f in fields(YouTubeLink))
_PARAGRAPH_SLOTS = tuple(TranscriptParagraph.__dict__[f.name] for f in fields(TranscriptParagraph))
_HEADING_SLOTS = tuple(Heading.__dict__[f.name] for f in fields(Heading))
_BLOCK_SLOTS = tuple(CodeBlock.__dict__[f.name] for f in fields(CodeBlock))
_QUOTE_KINDS = tuple(x for cls in (Quote, QuoteLine, Attribution)
                     for x in (cls, tuple(cls.__dict__[f.name] for f in fields(cls))))

try:  # the C twins of _scan_lines_py, _scan_links_py, _quotes_py and _transcript_py's loop (tests/test_speedups_parse.py)
    if os.environ.get("NOTECHECK_PURE_PYTHON"):  # to compare the two, or to rule the C out
        raise ImportError("NOTECHECK_PURE_PYTHON is set")
    from ._speedups import quotes_in as _c_quotes_in
    from ._speedups import scan_lines as _c_scan_lines
    from ._speedups import scan_links as _c_scan_links
    from ._speedups import transcript_paragraphs as _c_transcript_paragraphs
except ImportError:  # not compiled (no C compiler at install): pure Python
    _c_scan_lines = _c_scan_links = _c_transcript_paragraphs = _c_quotes_in = None


def section_key(title: str) -> str:
    """Normalized section name: case-folded, blanks collapsed, ``Full Transcript`` = ``transcript``."""
    key = " ".join(title.replace("*", "").split()).casefold().rstrip(":")
    if key == "full transcript":
        return "transcript"
    return key


_FENCE_RE = re.compile(r"( {0,3})(`{3,}|~{3,})([^\n]*)")
_HEADING_OPEN_RE = re.compile(r" {0,3}(#{1,6})(?:[ \t]|\r?$)")


def _match_heading(line: str) -> tuple[int, str, int] | None:
    """(level, title, title offset in line) of an ATX heading line, or None.

    The same result as the regex `` {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*\r?$``
    (title: group 2 stripped; offset: where group 2 starts, else the line's end), in
    linear time: that regex is quadratic in a long run of blanks inside a heading.
    """
    m = _HEADING_OPEN_RE.match(line)
    if m is None:
        return None
    after = m.end(1)
    if line[after:after + 1] not in (" ", "\t"):
        return len(m.group(1)), "", len(line)
    content_start = len(line) - len(line[after:].lstrip(" \t"))
    content = line[content_start:]
    # drop the longest tail of the form ([ \t]+#+)?[ \t]*\r?
    end = len(content) - 1 if content.endswith("\r") else len(content)
    end = len(content[:end].rstrip(" \t"))
    hashes = end
    while hashes > 0 and content[hashes - 1] == "#":
        hashes -= 1
    if hashes < end and hashes > 0 and content[hashes - 1] in " \t":
        end = len(content[:hashes].rstrip(" \t"))
    return len(m.group(1)), content[:end].strip(), content_start


_LINK_RE = re.compile(
    # no "[" inside alt/url parts: each scan then stops at the next "[", which keeps
    # finditer linear on a line like "[![a](" * 100000 (else quadratic)
    r"\[!\[(?P<alt>[^\[\]\n]*)\]\((?P<img>[^)\s\[]+)\)\]\((?P<turl>[^)\s\[]+)\)"
    # Two shortcuts that change no match, only what it tells: group ts is set exactly when the
    # label is shaped like a time (times._TIMEISH_RE, unstripped), groups cv/ct exactly when the
    # url is in the canonical form (_CANONICAL_WATCH_RE below, its id and t=); the negative
    # lookahead ends that form where the general url part ends. Each is a regex call per link saved.
    rf"|\[(?P<label>(?P<ts>{_TIMEISH_RE.pattern})(?=\])|[^\[\]\n]*)\]\((?P<lt><)?"
    r"(?P<url>https?://(?:www\.)?youtube\.com/watch\?v=(?P<cv>[A-Za-z0-9_-]+)(?:&t=(?P<ct>[0-9]+s?))?(?![^)\s<>\[])"
    r"|(?i:https?://(?:[\w-]+\.)*(?:youtube\.com|youtu\.be))/[^)\s<>\[]*)(?(lt)>)(?:[ \t]+\"[^\"\n]*\")?\)"
)
_YT_HOST_RE = re.compile(r"(?:[\w-]+\.)*(?:youtube\.com|youtu\.be)$", re.I)
_VIDEO_ID_RE = re.compile(r"[A-Za-z0-9_-]{11}")
_IMAGE_ID_RE = re.compile(r"https?://(?:img\.youtube\.com|i\d?\.ytimg\.com)/(?:vi|vi_webp)/([^/\s)]+)/")
_ATTRIBUTION_RE = re.compile(r">[ \t]*(?:--|—|–|―|-)[ \t]*")
# No two adjacent blank-eating parts: the old "\s*(?:=\s*(...*?))?\s*-->" took minutes on a long run of blanks.
_SUPPRESS_RE = re.compile(r"<!--\s*notecheck:\s*(disable|disable-file|disable-next-line)\s*(?:=([A-Za-z0-9_,\s]*))?-->")
_BLANKS_RE = re.compile(r"\s*")
_BLANKS_TO_LINE_END_RE = re.compile(r"[^\S\n]*(?:\n|\Z)")
_FIRST_CHAR_RE = re.compile(r"\s*(\S?)")  # the first non-blank character of a line, "" when blank
# a bold speaker name: "**Ann:**", "**Ann**:" (only this form names a transcript paragraph's speaker)
_SPEAKER_PREFIX_RE = re.compile(r"\*\*(?P<a>[^*\n]+?):?\*\*:?[ \t]*")


# The form nearly every link takes: the general parse below gives the same result, 10x slower.
_CANONICAL_WATCH_RE = re.compile(r"https?://(?:www\.)?youtube\.com/watch\?v=([A-Za-z0-9_-]+)(?:&t=([0-9]+s?))?")


def _parse_youtube_url(url: str, url_start: int) -> tuple[str | None, int | None, str | None, int | None]:
    """Video id and t= value (with their offsets) of a YouTube URL; Nones where absent."""
    m = _CANONICAL_WATCH_RE.fullmatch(url)
    if m is not None:
        t_text = m.group(2)
        return (m.group(1), url_start + m.start(1), t_text,
                url_start + m.start(2) if t_text is not None else None)
    try:
        parts = urlsplit(url)
    except ValueError:
        return None, None, None, None
    host = parts.hostname or ""
    if not _YT_HOST_RE.match(host):
        return None, None, None, None
    vid = vid_start = t_text = t_start = None
    if host.endswith("youtu.be"):
        seg = parts.path.lstrip("/").split("/")[0]
        if seg:
            vid = seg
            vid_start = url_start + url.index(seg, url.lower().index("youtu.be"))
    else:
        path = parts.path
        for prefix in ("/shorts/", "/embed/", "/live/", "/v/"):
            if path.startswith(prefix):
                seg = path[len(prefix):].split("/")[0]
                if seg:
                    vid = seg
                    vid_start = url_start + url.index(seg, url.index(prefix))
    query_start = url.find("?")
    for m in re.finditer(r"(?:(?<=[?&#])|^)([A-Za-z_]+)=([^&#]*)", url[query_start + 1:] if query_start >= 0 else ""):
        name, value = m.group(1), m.group(2)
        offset = url_start + query_start + 1 + m.start(2)
        if name == "v" and vid is None:
            vid, vid_start = value, offset
        elif name in ("t", "start") and t_text is None:
            t_text, t_start = value, offset
    if t_text is None:
        frag = url.find("#t=")
        if frag >= 0:
            t_text = url[frag + 3:]
            t_start = url_start + frag + 3
    return vid, vid_start, t_text, t_start


_MANY_LINES = 1 << 16


def _line_starts(text: str, chunk: int = 1 << 16) -> list[int] | array:
    """Offsets of the line starts of ``text`` (after each ``\n``).

    A note's few thousand lines: a list (the quickest to build and to bisect). Past
    ``_MANY_LINES``: an array('q') built at C speed a chunk at a time, 8 bytes a line (a list
    holds an int object per line: 50 MB of newlines made one of 2 GB)."""
    first = [0]
    find = text.find
    i = find("\n")
    for _ in range(_MANY_LINES):
        if i < 0:
            return first
        first.append(i + 1)
        i = find("\n", i + 1)
    starts = array("q", first)
    pos, n = first[-1], len(text)
    one_more = (1).__add__
    while pos < n:
        end = text.rfind("\n", pos, min(n, pos + chunk))
        if end < 0:  # no newline in this chunk: a long line, up to the next newline
            end = text.find("\n", pos + chunk)
            if end < 0:
                break
        # each line's length + 1, summed from pos: the starts of the lines after pos
        lengths = map(one_more, map(len, text[pos:end].split("\n")))
        starts.extend(islice(accumulate(lengths, initial=pos), 1, None))
        pos = end + 1
    return starts


# ---------------------------------------------------------------------------- the model


@dataclass
class Note:
    text: str
    path: str | None = None
    problems: list[Problem] = field(default_factory=list)
    front_matter: FrontMatter | None = None
    body_start: int = 0
    headings: list[Heading] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    links: list[YouTubeLink] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    transcript: list[TranscriptParagraph] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    encoding: str = "utf-8"
    raw: bytes | None = None  # the original bytes, when read from bytes

    # -- positions ------------------------------------------------------------------
    @cached_property
    def line_starts(self) -> list[int] | array:
        """The offset where each line starts (a list; an array of 8 bytes a line past 65,536 lines)."""
        return _line_starts(self.text)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; the BOM is not a column.

        In a file that could not be decoded (empty text, raw bytes kept) offsets are byte
        offsets, so NC001 points at the bad byte's line (column in bytes)."""
        if not self.text and self.raw:
            raw = self.raw
            offset = max(0, min(offset, len(raw)))
            return raw.count(b"\n", 0, offset) + 1, offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.line_starts, offset) - 1
        col = offset - self.line_starts[line] + 1
        if line == 0 and self.text.startswith(BOM) and offset > 0:
            col -= 1
        return line + 1, col

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line ending."""
        starts = self.line_starts
        if line < 1 or line > len(starts):
            return ""
        start = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r").lstrip(BOM) if line == 1 else self.text[start:end].rstrip("\r")

    @property
    def newline(self) -> str:
        """The note's dominant line ending."""
        crlf = self.text.count("\r\n")
        return "\r\n" if crlf and crlf * 2 >= self.text.count("\n") else "\n"

    # -- front matter values, trusted only when well-typed -----------------------------
    @property
    def meta(self) -> dict[str, Any] | None:
        fm = self.front_matter
        return fm.data if fm is not None and fm.ok else None

    def _meta_value(self, key: str, kind: type) -> Any:
        meta = self.meta
        if meta is None:
            return None
        value = meta.get(key)
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            return None
        if kind is not int and not isinstance(value, kind):
            return None
        return value

    @property
    def video_id(self) -> str | None:
        value = self._meta_value("video_id", str)
        return value if value is not None and _VIDEO_ID_RE.fullmatch(value) else None

    @property
    def duration(self) -> int | None:
        value = self._meta_value("duration", int)
        return value if value is not None and value > 0 else None

    @property
    def title(self) -> str | None:
        return self._meta_value("title", str)

    # -- lookups ------------------------------------------------------------------------
    @property
    def h1s(self) -> list[Heading]:
        return [h for h in self.headings if h.level == 1]

    def section(self, key: str) -> Section | None:
        for sec in self.sections:
            if sec.key == key:
                return sec
        return None

    def in_code(self, offset: int) -> bool:
        blocks = self.code_blocks
        starts = self._cache("code_starts", blocks, lambda: [b.start for b in blocks])
        i = bisect.bisect_right(starts, offset) - 1
        return i >= 0 and blocks[i].start <= offset < blocks[i].end

    @property
    def timestamp_links(self) -> list[YouTubeLink]:
        links = self.links
        return self._cache("timestamp_links", links, lambda: [link for link in links if link.is_timestamp])

    def _cache(self, name: str, source: list, compute):
        """A value derived from the list ``source``, recomputed only when that list changes."""
        cache = self.__dict__.setdefault("_derived", {})
        hit = cache.get(name)
        if hit is not None and hit[0] is source and hit[1] == len(source):
            return hit[2]
        value = compute()
        cache[name] = (source, len(source), value)
        return value


# ---------------------------------------------------------------------------- parsing


def decode(data: bytes) -> tuple[str | None, Problem | None]:
    """Decode note bytes as UTF-8 (BOM kept as U+FEFF); a Problem for binary or bad bytes."""
    if b"\x00" in data[:8192]:
        return None, Problem("binary", 0, "file looks binary (contains NUL bytes), not a Markdown note")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, Problem("decode", exc.start, f"file is not valid UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start}")


def parse_bytes(data: bytes, path: str | None = None) -> Note:
    """Decode and parse; an undecodable file yields a Note with only a ``decode`` problem."""
    text, problem = decode(data)
    if text is None:
        note = Note(text="", path=path, raw=data)
        note.problems.append(problem)  # type: ignore[arg-type]
        return note
    note = parse(text, path=path)
    note.raw = data
    return note


def parse(text: str, path: str | None = None) -> Note:
    """Parse a decoded note. Never raises on any input."""
    note = Note(text=text, path=path)
    start = 1 if text.startswith(BOM) else 0
    fm = frontmatter_yaml.find_block(text, start)
    if fm is None:
        note.problems.append(Problem("no-front-matter", start, "no front matter block: a note starts with a '---' line"))
        note.body_start = start
    else:
        frontmatter_yaml.load(text, fm)
        note.front_matter = fm
        if not fm.ok:
            note.problems.append(Problem("front-matter", fm.error_offset or fm.start, fm.error or "front matter is broken"))
        note.body_start = fm.end
    _scan_body(note)
    return note


# Only a line whose first non-blank character is one of # ` ~ < can open or close a
# heading, fence or comment: the scanner jumps from one such line to the next.
_LINE_OF_INTEREST_RE = re.compile(r"\n[^\S\n]*[#`~<]")
_STARTS_OF_INTEREST_RE = re.compile(r"[^\S\n]*[#`~<]")


def _next_line_of_interest(text: str, pos: int) -> int:
    """Start of the first line at or after the line start ``pos`` that may matter; -1 if none."""
    if pos == 0 or text[pos - 1] != "\n":  # the first body line (after a BOM or front matter)
        if _STARTS_OF_INTEREST_RE.match(text, pos):
            return pos
        nl = text.find("\n", pos)
        if nl < 0:
            return -1
        pos = nl + 1
    m = _LINE_OF_INTEREST_RE.search(text, pos - 1)
    return -1 if m is None else m.start() + 1


def _scan_body(note: Note) -> None:
    if _c_scan_lines is not None:  # the same elements, the lines read in C (~8x faster)
        note.headings, note.code_blocks = _c_scan_lines(note.text, note.body_start, Heading, _HEADING_SLOTS,
                                                        CodeBlock, _BLOCK_SLOTS)
    else:
        note.headings, note.code_blocks = _scan_lines_py(note.text, note.body_start)
    _build_sections(note)
    _scan_links(note)
    _scan_suppressions(note)
    _build_highlights_and_quotes(note)
    _build_transcript(note)


def _scan_lines_py(text: str, pos: int) -> tuple[list[Heading], list[CodeBlock]]:
    """The ATX headings and the fenced code blocks of ``text[pos:]``. The reference for ``_speedups.scan_lines``."""
    n = len(text)
    headings: list[Heading] = []
    blocks: list[CodeBlock] = []
    fence: tuple[str, int, int, str, int] | None = None  # (marker, indent, start, info, content_start)
    while pos <= n:
        pos = _next_line_of_interest(text, pos) if pos < n else -1
        if pos < 0:
            break
        nl = text.find("\n", pos)
        line_end = n if nl < 0 else nl
        next_pos = n + 1 if nl < 0 else nl + 1
        line = text[pos:line_end]
        if line.endswith("\r"):
            line = line[:-1]
        if fence is not None:
            marker = fence[0]
            stripped = line.strip()
            if stripped.startswith(marker[0] * len(marker)) and set(stripped) <= {marker[0]} and len(stripped) >= len(marker):
                blocks.append(CodeBlock(fence[2], line_end, fence[3], fence[4], pos, True))
                fence = None
        elif line[:4].lstrip(" ")[:1] in ("`", "~") and (m := _FENCE_RE.match(line)) is not None and not (
            m.group(2)[0] == "`" and "`" in m.group(3)
        ):
            fence = (m.group(2), len(m.group(1)), pos, m.group(3).strip(), min(next_pos, n))
        elif line.lstrip(" ")[:1] == "#" and (h := _match_heading(line)) is not None:
            headings.append(Heading(h[0], h[1], pos, line_end, pos + h[2]))
        elif line.lstrip().startswith("<!--") and "-->" not in line:
            # an HTML comment: nothing inside it counts, up to the line that closes it
            close = text.find("-->", next_pos)
            if close < 0:
                break
            nl = text.find("\n", close)
            next_pos = n + 1 if nl < 0 else nl + 1
        pos = next_pos
    if fence is not None:  # never closed: the block runs to the end of the note
        blocks.append(CodeBlock(fence[2], n, fence[3], fence[4], n, False))
    return headings, blocks


def _build_sections(note: Note) -> None:
    end = len(note.text)
    sections: list[Section] = []
    for h in note.headings:
        if h.level <= 2:
            if sections:
                sections[-1].end = h.start
            # an H1 closes the current section without opening one
            if h.level == 2:
                sections.append(Section(h, h.start, end))
        elif sections and sections[-1].end == end:
            sections[-1].subsections.append(h)
    note.sections = sections


def _scan_links(note: Note) -> None:
    if _c_scan_links is not None:  # the same list, the canonical links built in C (~3x faster)
        blocks = note.code_blocks
        note.links = _c_scan_links(note.text, note.body_start, [b.start for b in blocks], [b.end for b in blocks],
                                   YouTubeLink, _LINK_SLOTS, _link_match)
    else:
        _scan_links_py(note)


def _scan_links_py(note: Note) -> None:
    """The YouTube links of the note's body, in order, those inside a code block left out.

    The reference for ``_speedups.scan_links``."""
    text = note.text
    links: list[YouTubeLink] = []
    append = links.append
    # matches come in text order: walk the (sorted, disjoint) code blocks alongside
    blocks = note.code_blocks
    next_block = 0
    skip_from = blocks[0].start if blocks else len(text) + 1  # the next block's start
    for m in _LINK_RE.finditer(text, note.body_start):
        start = m.start()
        if start >= skip_from:
            while next_block < len(blocks) and blocks[next_block].end <= start:
                next_block += 1
            skip_from = blocks[next_block].start if next_block < len(blocks) else len(text) + 1
            if skip_from <= start:
                continue  # inside that block
        link = _link_of(m)
        if link is not None:
            append(link)
    note.links = links


def _link_match(text: str, start: int) -> tuple[int, YouTubeLink | None] | None:
    """The end of ``_LINK_RE``'s match at ``start`` and its link (None for an image link elsewhere); None
    when there is no match there. What ``_speedups.scan_links`` asks of Python where it cannot decide."""
    m = _LINK_RE.match(text, start)
    return None if m is None else (m.end(), _link_of(m))


def _link_of(m: re.Match) -> YouTubeLink | None:
    """The link of a ``_LINK_RE`` match; None for an image link that is no YouTube thumbnail."""
    start, end = m.span()
    new = _new_link
    # the groups' offsets follow from the lengths of the groups before them (quicker than
    # m.regs, a tuple per group): "[![" alt "](" img ")](" turl, or "[" label "](" "<"? url
    alt, img, turl, label, ts, lt, url, vid, t_text = m.groups()
    if turl is not None:
        img_start = start + 3 + len(alt) + 2
        url_start = img_start + len(img) + 3
        vid, vid_start, t_text, t_start = _parse_youtube_url(turl, url_start)
        if vid is None and t_text is None:
            return None  # an image link to somewhere else
        im = _IMAGE_ID_RE.match(img)
        return new(start, end, alt, start + 3, turl, url_start, vid, vid_start, t_text, t_start,
                   img, img_start, im.group(1) if im else None, img_start + im.start(1) if im else None)
    url_start = start + 1 + len(label) + (2 if lt is None else 3)
    if vid is not None:  # the canonical form (see _LINK_RE), which ends "v=" vid ("&t=" t_text)?
        url_end = url_start + len(url)
        t_start = None if t_text is None else url_end - len(t_text)
        vid_start = (url_end if t_start is None else t_start - 3) - len(vid)
    else:
        vid, vid_start, t_text, t_start = _parse_youtube_url(url, url_start)
    return new(start, end, label, start + 1, url, url_start, vid, vid_start, t_text, t_start,
               None, None, None, None, True if ts is not None else None)  # a time-shaped label: is_timestamp known


def _scan_suppressions(note: Note) -> None:
    text = note.text
    if "notecheck:" not in text:
        return
    out: list[Suppression] = []
    prev_line = 0
    for m in _SUPPRESS_RE.finditer(text):
        line, _ = note.position(m.start())
        first_on_line, prev_line = line != prev_line, line
        if note.in_code(m.start()):
            continue
        codes = tuple(c.strip().upper() for c in (m.group(2) or "").split(",") if c.strip())
        kind = m.group(1)
        if kind == "disable-file":
            out.append(Suppression(m.start(), m.end(), codes, True, None))
        else:
            # a comment alone on its line silences the next line; at a line's end, its own.
            # Alone: the first comment on its line, blanks before it and after it (looked at
            # without copying the line: thousands of comments may share one long line)
            alone = False
            if first_on_line and _BLANKS_TO_LINE_END_RE.match(text, m.end()) is not None:
                before = text[note.line_starts[line - 1]:m.start()]
                alone = not (before.lstrip(BOM) if line == 1 else before).strip()
            out.append(Suppression(m.start(), m.end(), codes, False, line + 1 if alone else line))
    note.suppressions = out


def _links_in(note: Note, start: int, end: int) -> list[YouTubeLink]:
    links = note.links
    starts = note._cache("link_starts", links, lambda: [link.start for link in links])
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end)
    return links[lo:hi]


_QUOTE_LINE_RE = re.compile(r"^>[^\n]*", re.MULTILINE)
_LINK_ONLY_RE = re.compile(r">[ \t]*\[[^\]\n]*\]\(")


def _quotes_in(note: Note, start: int, end: int, section: str) -> list[Quote]:
    """Block-quote groups in text[start:end], each split into quote lines and attribution."""
    if _c_quotes_in is not None:  # the same quotes, found and built in C (~3x faster)
        links, blocks = note.links, note.code_blocks
        return _c_quotes_in(note.text, start, end, section, links,
                            note._cache("link_starts", links, lambda: [link.start for link in links]),
                            note._cache("code_starts", blocks, lambda: [b.start for b in blocks]),
                            note._cache("code_ends", blocks, lambda: [b.end for b in blocks]), _QUOTE_KINDS)
    return _quotes_py(note, start, end, section)


def _quotes_py(note: Note, start: int, end: int, section: str) -> list[Quote]:
    """``_quotes_in``'s answer in Python: the reference for ``_speedups.quotes_in``."""
    text = note.text
    quotes: list[Quote] = []
    group: list[tuple[int, int, str]] = []
    # in_code asked only when a code block overlaps text[start:end] (the blocks are sorted and
    # disjoint: the last one to start before ``end`` is the only one that may reach past ``start``)
    blocks = note.code_blocks
    block_starts = note._cache("code_starts", blocks, lambda: [b.start for b in blocks])
    before_end = bisect.bisect_left(block_starts, end)
    in_code = note.in_code if before_end and blocks[before_end - 1].end > start else None

    def flush() -> None:
        if not group:
            return
        lines: list[QuoteLine] = []
        attribution: Attribution | None = None
        for lstart, lend, line in group:
            if in_code is not None and in_code(lstart):
                continue
            am = _ATTRIBUTION_RE.match(line)
            if am is not None and (line[am.end():am.end() + 1] not in ("-",) ) and not line[am.end():].startswith('"'):
                rest_start = lstart + am.end()
                attribution = _attribution(note, rest_start, lend)
            elif _LINK_ONLY_RE.match(line) is not None and _links_in(note, lstart, lend):
                attribution = _attribution(note, lstart + line.index("["), lend)
            else:
                body = line[1:]
                offset = lstart + 1
                if body.startswith(" "):
                    body, offset = body[1:], offset + 1
                if body.strip():
                    lines.append(QuoteLine(offset, body.rstrip()))
        if lines or attribution is not None:
            quotes.append(Quote(group[0][0], group[-1][1], lines, attribution, section))
        group.clear()

    # only the ">" lines matter: a run of them on consecutive lines is one group
    prev_end = -2
    for m in _QUOTE_LINE_RE.finditer(text, start, end):
        lstart, lend = m.span()
        if lstart != prev_end + 1:
            flush()
        line = m.group()
        group.append((lstart, lend, line[:-1] if line.endswith("\r") else line))
        prev_end = lend
    flush()
    # an attribution written as its own block quote after a blank line belongs to the quote before
    merged: list[Quote] = []
    for q in quotes:
        if merged and not q.lines and q.attribution is not None and merged[-1].attribution is None:
            merged[-1].attribution = q.attribution
            merged[-1].end = q.end
        else:
            merged.append(q)
    return merged


def _attribution(note: Note, start: int, end: int) -> Attribution:
    text = note.text
    links = [link for link in _links_in(note, start, end) if link.is_timestamp or link.t_text is not None]
    link = links[0] if links else None
    speaker_end = link.start if link is not None else end
    speaker = text[start:speaker_end].strip().rstrip(",;:").strip()
    if text[start:speaker_end].rstrip().endswith("("):
        speaker = speaker.rstrip("(").strip().rstrip(",").strip()
    line_start = text.rfind("\n", 0, start) + 1
    if speaker:
        lead = len(text[start:speaker_end]) - len(text[start:speaker_end].lstrip())
        return Attribution(line_start, end, speaker, start + lead, link)
    return Attribution(line_start, end, None, None, link)


def _build_highlights_and_quotes(note: Note) -> None:
    quotes: list[Quote] = []
    blocks = note.code_blocks
    block_starts = note._cache("code_starts", blocks, lambda: [b.start for b in blocks])
    for sec in note.sections:
        key = sec.key
        if key == "highlights":
            subs = [h for h in sec.subsections if h.level == 3]
            for i, h in enumerate(subs):
                end = subs[i + 1].start if i + 1 < len(subs) else sec.end
                hl = Highlight(h, h.start, end)
                for link in _links_in(note, h.start, end):
                    if link.is_thumbnail:
                        hl.thumbnail = link
                        break
                first, past = bisect.bisect_left(block_starts, h.start), bisect.bisect_left(block_starts, end)
                for block in blocks[first:past]:  # the blocks with h.start <= start < end
                    hl.code_blocks.append(block)
                    content = note.text[block.content_start:block.content_end]
                    if "yt-dlp" in content or "youtube-dl" in content or block.info in ("bash", "sh", "shell", "console", ""):
                        hl.clips.append(ClipCommand(block, content))
                hl.quotes = _quotes_in(note, h.start, end, key)
                quotes.extend(hl.quotes)
                note.highlights.append(hl)
        elif "quote" in key:
            quotes.extend(_quotes_in(note, sec.start, sec.end, key))
    note.quotes = quotes


# A transcript paragraph: a run of lines whose first non-blank character is there and is
# neither "#" nor ">" (a blank line, a heading or a block quote ends it). Group 1: its first
# non-blank character. One match per paragraph instead of Python work per line.
_PARAGRAPH_RE = re.compile(r"^[^\S\n]*([^\s#>])[^\n]*(?:\n[^\S\n]*[^\s#>][^\n]*)*", re.MULTILINE)
# after a paragraph's link: blanks, then an optional "-" or "—" and blanks ("[t](...) - text")
_BODY_LEAD_RE = re.compile(r"[ \t]*(?:[-—][ \t]*)?")


def _transcript_paragraph_spans(note: Note, sec: Section) -> list[tuple[int, int]]:
    """(first non-blank offset, end) of each paragraph of the transcript section ``sec``."""
    text = note.text
    end = sec.end
    spans: list[tuple[int, int]] = []
    if not _code_in(note, sec):
        for m in _PARAGRAPH_RE.finditer(text, sec.heading.end + 1, end):
            para_end = m.end()
            spans.append((m.start(1), para_end - 1 if text[para_end - 1] == "\r" else para_end))
        return spans
    return _paragraph_spans_by_line(note, sec)


def _code_in(note: Note, sec: Section) -> bool:
    """Does a code block overlap the section ``sec`` after its heading line?"""
    end, heading_end = sec.end, sec.heading.end
    return any(b.start < end and b.end > heading_end for b in note.code_blocks)


def _paragraph_spans_by_line(note: Note, sec: Section) -> list[tuple[int, int]]:
    """The same spans as ``_PARAGRAPH_RE`` finds, line by line; a line inside code ends a paragraph too."""
    text = note.text
    end = sec.end
    spans: list[tuple[int, int]] = []
    first_char = _FIRST_CHAR_RE.match
    para_start: int | None = None
    para_end = 0
    lstart = sec.heading.end + 1
    while lstart < end:
        nl = text.find("\n", lstart, end)
        lend = end if nl < 0 else nl
        if first_char(text, lstart, lend).group(1) in ("", "#", ">") or note.in_code(lstart):  # type: ignore[union-attr]
            if para_start is not None:
                spans.append((_BLANKS_RE.match(text, para_start, para_end).end(), para_end))  # type: ignore[union-attr]
            para_start = None
        else:
            if para_start is None:
                para_start = lstart
            para_end = lend - 1 if text[lend - 1] == "\r" else lend
        lstart = lend + 1
    if para_start is not None:
        spans.append((_BLANKS_RE.match(text, para_start, para_end).end(), para_end))  # type: ignore[union-attr]
    return spans


def _build_transcript(note: Note) -> None:
    sec = note.section("transcript")
    if sec is None:
        return
    link_at = {link.start: link for link in _links_in(note, sec.start, sec.end)}
    if _c_transcript_paragraphs is not None and not _code_in(note, sec):
        # the same paragraphs, found and built in one pass in C (~2.5x faster); None: Python answers
        text = note.text
        paragraphs = _c_transcript_paragraphs(text, sec.heading.end + 1, sec.end, link_at, TranscriptParagraph,
                                              _PARAGRAPH_SLOTS, "\r" in text)
        if paragraphs is not None:
            note.transcript = paragraphs
            return
    note.transcript = _transcript_py(note, sec, link_at)


def _transcript_py(note: Note, sec: Section, link_at: dict[int, YouTubeLink]) -> list[TranscriptParagraph]:
    """The transcript's paragraphs that open with a timestamp link (``link_at``: the section's links by
    start), after a bold speaker name or before one. The reference for ``_speedups.transcript_paragraphs``."""
    text = note.text
    paragraphs: list[TranscriptParagraph] = []
    speaker_prefix = _SPEAKER_PREFIX_RE.match
    body_lead = _BODY_LEAD_RE.match
    starts_with = text.startswith
    has_cr = "\r" in text
    new = _new_paragraph
    for p, para_end in _transcript_paragraph_spans(note, sec):
        speaker = None
        link = link_at.get(p)
        if link is None:
            sm = speaker_prefix(text, p, para_end) if starts_with("**", p) else None
            if sm is not None and sm.group("a").strip():
                link = link_at.get(sm.end())
                if link is not None:
                    speaker = sm.group("a").strip()
        if link is not None and link.is_timestamp:
            body_start = body_lead(text, link.end, para_end).end()  # type: ignore[union-attr]
            if speaker is None and starts_with("**", body_start):
                sm2 = speaker_prefix(text, body_start, para_end)
                if sm2 is not None:
                    speaker = sm2.group("a").strip()
                    body_start = sm2.end()
            body = text[body_start:para_end]
            paragraphs.append(new(p, para_end, link, speaker, body.replace("\r", "") if has_cr else body, body_start))
    return paragraphs
