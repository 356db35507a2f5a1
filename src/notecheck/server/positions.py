"""Character offsets <-> LSP positions (line, character in the negotiated encoding).

notecheck works on offsets into the note's text (Python ``str`` indices: code points).
The Language Server Protocol counts a position as (line, character), where lines end at
``\\r\\n``, ``\\n`` or ``\\r`` (nothing else: not U+2028, not form feed) and a character
is a UTF-16 code unit unless client and server agreed on ``utf-8`` or ``utf-32``. An
emoji is one code point, two UTF-16 units and four UTF-8 bytes; a CJK character is one
code point and one UTF-16 unit; a BOM that the editor kept in the text is one character
like any other. This module is the only place that converts between the two.
"""

from __future__ import annotations

import bisect
import re

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


def units(text: str, encoding: str = UTF16) -> int:
    """How many code units of ``encoding`` the string takes."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class LineIndex:
    """Line starts of one text, for converting offsets to LSP positions and back."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in _LINE_BREAK_RE.finditer(text)]

    def line_end(self, line: int) -> int:
        """Offset of the end of ``line``'s content (before its line break)."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1] - 1
            if end > self.starts[line] and self.text[end] == "\n" and self.text[end - 1] == "\r":
                end -= 1
            return end
        return len(self.text)

    def position(self, offset: int, encoding: str = UTF16) -> tuple[int, int]:
        """(line, character), both 0-based, of a character offset (clamped to the text).

        An offset inside a ``\\r\\n`` pair is taken as the end of that line."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        offset = min(offset, self.line_end(line))
        return line, units(self.text[start:offset], encoding)

    def offset(self, line: int, character: int, encoding: str = UTF16) -> int:
        """The character offset of an LSP position; past a line's end means its end, past
        the last line the end of the text, inside a surrogate pair or UTF-8 sequence the
        character it belongs to."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.line_end(line)
        if character <= 0:
            return start
        segment = self.text[start:end]
        if encoding == UTF32 or segment.isascii():
            return start + min(character, len(segment))
        count = 0
        for i, ch in enumerate(segment):
            count += units(ch, encoding)
            if count > character:
                return start + i
            if count == character:
                return start + i + 1
        return end
