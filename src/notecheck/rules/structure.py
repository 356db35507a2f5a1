"""NC2xx: the note's headings: required sections, their order, duplicates, empty ones, the H1."""

from __future__ import annotations

import re
from typing import Iterable

from ..diagnostic import Finding
from ..note import Note, Section, section_key
from . import WARNING, rule

# Canonical order. Mentions and Surprising Quotes share a rank: SPEC §1 lists Surprising
# Quotes before Mentions as valid input.
RANK = {"summary": 0, "highlights": 1, "key points": 2, "mentions": 3, "surprising quotes": 3, "transcript": 4}

_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.S)  # unclosed: to the end (linear, not quadratic)
_HEADING_LINE_RE = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")


def _readable(note: Note) -> bool:
    """False for a file NC001 reports: its (empty) text has no structure to judge."""
    return not any(p.kind in ("decode", "binary") for p in note.problems)


def _keyed_sections(note: Note) -> list[tuple[str, Section]]:
    """(key, section) of each section, once per note: ``Section.key`` normalizes the title at each
    call, and NC201-NC203 asked ~60 times a note."""
    sections = note.sections
    return note._cache("keyed_sections", sections, lambda: [(sec.key, sec) for sec in sections])


def _known_sections(note: Note) -> list[tuple[str, Section]]:
    """(key, section) of each known section's (``RANK``) first occurrence, in document order (later
    ones are NC203's); once per note (NC201 and NC202 ask)."""
    def first_known() -> list[tuple[str, Section]]:
        seen: set[str] = set()
        out = []
        for key, sec in keyed:
            if key not in seen:
                seen.add(key)
                if key in RANK:
                    out.append((key, sec))
        return out

    keyed = _keyed_sections(note)
    return note._cache("known_sections", keyed, first_known)


@rule("NC201", "missing-section", summary="a required section is missing")
def missing_section(note: Note, ctx) -> Iterable[Finding]:
    """What it finds
    A required `##` section that the note does not have. Required by default:
    Summary, Highlights, Key Points, Transcript (`required-sections` in the config
    changes the list). `## Full Transcript` counts as Transcript; case and blanks
    do not matter. Reported where the section belongs.

    Why it matters
    Readers and tools expect every note to have the same parts; a missing Transcript
    also means quotes cannot be checked against it.

    Bad
    # Title
    ## Summary
    ...
    ## Transcript

    Good
    # Title
    ## Summary
    ## Highlights
    ## Key Points
    ## Transcript
    """
    if not _readable(note):
        return
    present = {key for key, _ in _keyed_sections(note)}
    known = _known_sections(note)
    h1s = note.h1s
    fallback = h1s[0].start if h1s else note.body_start
    for name in ctx.config.required_sections:
        key = section_key(name)
        if key in present:
            continue
        offset, where = fallback, ""
        rank = RANK.get(key)
        if rank is not None and known:
            after = [s for k, s in known if RANK[k] > rank]
            if after:
                offset, where = after[0].heading.start, f" (expected before '## {after[0].title}')"
            else:
                last = known[-1][1]
                offset, where = last.heading.start, f" (expected after '## {last.title}')"
        yield Finding(offset, f"required section '## {name}' is missing{where}")


def _longest_ordered(ranks: list[int]) -> set[int]:
    """Indices of a longest non-decreasing subsequence of ``ranks`` (the earliest one on ties)."""
    n = len(ranks)
    length = [1] * n
    prev = [-1] * n
    for i in range(n):
        for j in range(i):
            if ranks[j] <= ranks[i] and length[j] + 1 > length[i]:
                length[i], prev[i] = length[j] + 1, j
    if not n:
        return set()
    best = max(range(n), key=lambda i: (length[i], -i))
    keep = set()
    while best >= 0:
        keep.add(best)
        best = prev[best]
    return keep


@rule("NC202", "section-order", severity=WARNING, summary="known sections out of the canonical order")
def section_order(note: Note, ctx) -> Iterable[Finding]:
    """What it finds
    Known sections out of the canonical order Summary, Highlights, Key Points,
    Mentions / Surprising Quotes (either first), Transcript. Other sections
    (Chapters, Prompt, Verdict, ...) may stand anywhere. Only the sections that must
    move are reported: the fewest that leave the rest in order.

    Why it matters
    Readers find their way in a note by its fixed layout; tools that render notes
    side by side assume it.

    Bad
    ## Summary
    ## Key Points
    ## Highlights
    ## Transcript

    Good
    ## Summary
    ## Highlights
    ## Key Points
    ## Transcript
    """
    known = [s for _, s in _known_sections(note)]
    ranks = [RANK[k] for k, _ in _known_sections(note)]
    keep = _longest_ordered(ranks)
    for i, sec in enumerate(known):
        if i in keep:
            continue
        before = [known[j] for j in sorted(keep) if j < i and ranks[j] > ranks[i]]
        if before:
            message = f"section '## {sec.title}' should come before '## {before[0].title}'"
        else:
            after = [known[j] for j in sorted(keep) if j > i and ranks[j] < ranks[i]]
            target = after[-1].title if after else "the sections before it"
            message = f"section '## {sec.title}' should come after '## {target}'"
        yield Finding(sec.heading.start, message + " (order: Summary, Highlights, Key Points, Mentions, "
                      "Surprising Quotes, Transcript)")


@rule("NC203", "duplicate-section", summary="a section appears twice")
def duplicate_section(note: Note, ctx) -> Iterable[Finding]:
    """What it finds
    A `##` section whose name (case and blanks ignored; `Full Transcript` =
    `Transcript`) already appeared above. Reported at each repeat.

    Why it matters
    Rules and readers take the first one; the content of the second is easily
    missed or was pasted twice.

    Bad
    ## Key Points
    - ...
    ## Key Points
    - ...

    Good
    ## Key Points
    - ...
    - ...
    """
    first: dict[str, Section] = {}
    for key, sec in _keyed_sections(note):
        if key in first:
            line, _ = note.position(first[key].heading.start)
            yield Finding(sec.heading.start, f"section '## {sec.title}' appears twice (first at line {line})")
        else:
            first[key] = sec


def _lines_have_content(body: str) -> bool:
    """Does a line of ``body``, without its HTML comments, hold something other than a heading?"""
    body = _COMMENT_RE.sub("", body)
    return any(line.strip() and not _HEADING_LINE_RE.match(line) for line in body.splitlines())


# a section's first lines usually settle it: read those before the whole section
_HEAD_CHARS = 1024


def _has_content(text: str, start: int, end: int) -> bool:
    """``_lines_have_content(text[start:end])``, from the section's first lines when they tell.

    Lines of a head that ends at a line break and holds no ``<!--`` are lines of the whole
    body as they are (no comment reaches into them), so content there is content in the
    body; only when the head has none is the whole body read.
    """
    cut = text.find("\n", min(start + _HEAD_CHARS, end), end) + 1
    if cut > 0 and text.find("<!--", start, cut) < 0:
        # the head's first character that is not blank space, when not a "#", holds content: its line has
        # it (str.strip and \S agree on blank space) and is no heading (a heading line is up to 3 blanks
        # and a "#"); found by one regex search, without cutting the head into lines
        m = _NOT_BLANK_RE.search(text, start, cut)
        if m is not None and m.group() != "#" or _lines_have_content(text[start:cut]):
            return True
    return _lines_have_content(text[start:end])


_NOT_BLANK_RE = re.compile(r"\S")


@rule("NC204", "empty-section", summary="a section is empty")
def empty_section(note: Note, ctx) -> Iterable[Finding]:
    """What it finds
    A `##` section with nothing in it: only blank lines, HTML comments, or
    sub-headings that themselves have nothing under them.

    Why it matters
    An empty section promises content that is not there, usually a generation step
    that failed or a paste that was lost.

    Bad
    ## Key Points

    ## Transcript

    Good
    ## Key Points

    - **Measure first** ([25:10](https://www.youtube.com/watch?v=aBcD3fGh1jK&t=1510s)) - ...
    """
    text = note.text
    for sec in note.sections:
        if _has_content(text, sec.heading.end, sec.end):
            continue
        detail = " (its sub-headings have nothing under them)" if sec.subsections else ""
        yield Finding(sec.heading.start, f"section '## {sec.title}' is empty{detail}")


@rule("NC205", "h1-count", summary="no H1, or more than one")
def h1_count(note: Note, ctx) -> Iterable[Finding]:
    """What it finds
    A note without a `# <title>` heading, or with more than one `#` heading (each
    extra one is reported). Headings inside code blocks do not count.

    Why it matters
    The H1 is the note's visible title; a second H1 is usually a section written with
    one `#` too few, which also hides that section from the section rules.

    Bad
    # Soil is the slowest technology
    # Summary

    Good
    # Soil is the slowest technology
    ## Summary
    """
    if not _readable(note):
        return
    h1s = note.h1s
    if not h1s:
        yield Finding(note.body_start, "note has no H1 ('# <title>') heading")
        return
    for h in h1s[1:]:
        line, _ = note.position(h1s[0].start)
        yield Finding(h.start, f"more than one H1: '# {h.title}' (the title H1 is at line {line}); "
                      "sections are '##'")
