"""NC0xx: the file itself: encoding, the front matter block, mojibake."""

from __future__ import annotations

from typing import Iterable

from ..diagnostic import Finding, Fix
from ..note import Note
from . import rule


def _problems(note: Note, *kinds: str):
    return [p for p in note.problems if p.kind in kinds]


@rule("NC001", "not-utf8", summary="file is not valid UTF-8 (or unreadable, binary, or larger than max-file-size)")
def not_utf8(note: Note, ctx) -> Iterable[Finding]:
    """What it finds
    A note whose bytes are not valid UTF-8, or that looks binary (NUL bytes). The runner
    reports a file it cannot read under this code too, and one larger than `max-file-size`
    (default 16 MiB), which it does not read.

    Why it matters
    Every other rule reads the decoded text; a note in another encoding (often cp1252
    from an old editor) shows garbled characters everywhere else and cannot be checked.

    Bad
    A file saved as cp1252: the byte 0x97 where UTF-8 has `—`.

    Good
    The same note saved as UTF-8 (a BOM is allowed).
    """
    for problem in _problems(note, "decode", "binary"):
        message = problem.message
        raw = note.raw
        if problem.kind == "decode" and raw is not None and problem.offset < len(raw):
            line = raw.count(b"\n", 0, problem.offset) + 1
            column = problem.offset - (raw.rfind(b"\n", 0, problem.offset) + 1) + 1
            message = f"{message} (line {line}, byte column {column}); save the file as UTF-8"
        # an undecodable note keeps its bytes: the offset is a byte offset (Note.position)
        yield Finding(problem.offset if problem.kind == "decode" else 0, message)


@rule("NC002", "no-front-matter", summary="no front matter block")
def no_front_matter(note: Note, ctx) -> Iterable[Finding]:
    """What it finds
    A note that does not start with a `---` line opening a YAML front matter block.

    Why it matters
    The front matter holds the video id, duration and title that the link, clip and
    heading rules check against; without it those rules stay silent.

    Bad
    # Andrej Karpathy -- "We're summoning ghosts"
    ## Summary

    Good
    ---
    video_id: lXUZvyajciY
    title: "Andrej Karpathy -- \\"We're summoning ghosts\\""
    ...
    ---
    # Andrej Karpathy -- "We're summoning ghosts"
    """
    for problem in _problems(note, "no-front-matter"):
        yield Finding(problem.offset, problem.message)


@rule("NC003", "invalid-front-matter", summary="front matter is not valid YAML (or not a mapping)")
def invalid_front_matter(note: Note, ctx) -> Iterable[Finding]:
    """What it finds
    A front matter block that is not closed, is not valid YAML, is not a mapping of
    keys, repeats a key, or uses YAML anchors/aliases (refused: they can expand
    without bound).

    Why it matters
    A broken block means no video id, duration or title: the rules that need them stay
    silent until it is repaired, and other tools (static site generators) fail on it.

    Bad
    ---
    title: "Soil is slow
    duration: 4000
    ---

    Good
    ---
    title: "Soil is slow"
    duration: 4000
    ---
    """
    for problem in _problems(note, "front-matter"):
        yield Finding(problem.offset, problem.message)


@rule("NC004", "mojibake", summary="mojibake: UTF-8 text decoded as cp1252/latin-1", fix="safe")
def mojibake(note: Note, ctx) -> Iterable[Finding]:
    """What it finds
    Text that was UTF-8, was decoded as cp1252 or latin-1 somewhere on its way, and
    was saved again: `â€”` for `—`, `â€™` for `’`, `Ã©` for `é`, anywhere in the file,
    front matter included. Legitimate accented letters, CJK and emoji are not
    mojibake; a candidate is confirmed by ftfy's heuristics on its line before it is
    reported, so `„Straße“`, `“CAFÉ”` or Portuguese `NÃO` stay silent.

    Why it matters
    The garbled text is shown to readers and breaks the comparison of the title with
    the H1 and of quotes with the transcript.

    Bad
    title: "Andrej Karpathy â€” \\"We're summoning ghosts\\""

    Good
    title: "Andrej Karpathy — \\"We're summoning ghosts\\""

    Fix
    Each garbled run is replaced by the text it stands for (safe: the repair is the
    exact inverse of the wrong decoding).
    """
    from .. import mojibake as mj

    for run in mj.find(note.text, note.raw):  # raw: the bytes the text was decoded from (or None)
        yield Finding(
            run.start,
            f"mojibake {run.text!r}: UTF-8 text decoded as cp1252/latin-1; it should read {run.repair!r}",
            end=run.end,
            fix=Fix.replace(run.start, run.end, run.repair, description=f"replace {run.text!r} with {run.repair!r}"),
        )
