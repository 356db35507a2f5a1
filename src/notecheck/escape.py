"""Text that reaches a terminal, a log or a report: control characters shown, never acted on.

A note's text (an H1, a quote, a mojibake sample) and a file's name reach the user in
messages, source excerpts and paths. Printed raw, some characters are commands, not text:

* C0 controls U+0000-U+001F: ESC opens colour, cursor and OSC sequences (blink, a window
  title, a hyperlink, on some terminals a clipboard write); a lone CR returns to the line
  start and overprints it; BS, BEL, LF, VT and FF move the cursor or break the line;
* DEL U+007F and the C1 controls U+0080-U+009F (U+009B is a one-character CSI, U+009D an
  OSC, on terminals that honour 8-bit controls);
* the bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), which
  make a terminal or a web view display characters in another order than they are
  ("Trojan Source");
* lone surrogates U+D800-U+DFFF: the bytes of a file name that is not UTF-8, as Python
  reads it (``os.fsdecode``: byte 0xff is U+DCFF); they cannot be written as UTF-8 at all.

``for_terminal`` shows each of them as a visible escape, as Python's ``repr`` does:
``\\x1b`` for ESC, ``\\x0d`` for CR, ``\\xff`` for the byte 0xff of a file name,
``\\u202e`` for a bidi control. A tab is left alone (it only moves to the next tab stop).

Machine formats keep the exact text in their own escaping (``json_dumps``: a JSON
``\\u`` escape, so the decoded value is the same string; ``uri_path``: percent-encoded
bytes); JUnit XML, which cannot hold a C0 control or a lone surrogate even as a character
reference, uses ``for_xml``.
"""

from __future__ import annotations

import json
import os
import re
from json.encoder import encode_basestring  # json.dumps's own (its C version when built)
from functools import cache
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~5 ms) on a cached run
if TYPE_CHECKING:
    from typing import Any, Callable
from urllib.parse import quote

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"


def _compiled_on_first_use(pattern: str) -> Callable[[], re.Pattern[str]]:
    # a class of characters past U+00FF takes ~0.3 ms to compile: each is paid by the runs that use it
    return cache(lambda: re.compile(pattern))


# everything a terminal may act on, and what cannot be encoded (see the module docstring)
_terminal_unsafe = _compiled_on_first_use(f"[\x00-\x08\x0a-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")
# what json.dumps leaves raw (it escapes C0 itself): DEL, C1, bidi controls, lone surrogates
_json_raw_unsafe = _compiled_on_first_use(f"[\x7f-\x9f{_BIDI}\ud800-\udfff]")
# what XML 1.0 cannot hold, not even as &#...; (tab, LF and CR it can)
_not_xml = _compiled_on_first_use("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _visible(m: re.Match) -> str:
    code = ord(m.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a non-UTF-8 file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def for_terminal(text: str) -> str:
    """``text`` with every control character a terminal acts on shown as ``\\xNN`` / ``\\uNNNN``."""
    if _terminal_unsafe().search(text) is None:
        return text
    return _terminal_unsafe().sub(_visible, text)


def excerpt_for_terminal(text: str, column: int) -> tuple[str, int]:
    """A source excerpt escaped as ``for_terminal`` does, and the 1-based column that still
    points at the same character (an escape takes more than one column)."""
    if _terminal_unsafe().search(text) is None:
        return text, column
    head = for_terminal(text[:max(0, column - 1)])
    return head + for_terminal(text[max(0, column - 1):]), len(head) + 1


def for_xml(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold shown as ``\\xNN`` / ``\\uNNNN``; the rest exact."""
    if _not_xml().search(text) is None:
        return text
    return _not_xml().sub(_visible, text)


def _json_escape(m: re.Match) -> str:
    return f"\\u{ord(m.group()):04x}"


class NotPlain(Exception):
    """A value the fast JSON writers leave to json.dumps (a float, a subclass, a container)."""




# how json.dumps(ensure_ascii=False) writes a value of each of these exact types
_PLAIN: dict[type, Callable[[Any], str]] = {
    str: encode_basestring, int: int.__repr__, bool: {True: "true", False: "false"}.__getitem__,
    type(None): lambda _: "null",
}


def _indented(obj: Any, indent: str, newline: str) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=len(indent))`` for dicts and lists (tuples)
    of str, int, bool and None with str keys, else raises NotPlain; ``newline``: ``\\n`` and
    the current indentation. Faster (a report of 1,800 findings: 22 -> 13 ms): json's own
    indented writer is in Python, a generator a level; here a join a level and the C string
    encoder."""
    inner = newline + indent
    plain = _PLAIN.get
    parts = []
    if type(obj) is dict:
        if not obj:
            return "{}"
        for k, v in obj.items():
            if type(k) is not str:
                raise NotPlain
            write = plain(type(v))
            parts.append(encode_basestring(k) + ": " + (write(v) if write is not None else _indented(v, indent, inner)))
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if type(obj) is list or type(obj) is tuple:
        if not obj:
            return "[]"
        for v in obj:
            write = plain(type(v))
            parts.append(write(v) if write is not None else _indented(v, indent, inner))
        return "[" + inner + ("," + inner).join(parts) + newline + "]"
    raise NotPlain


def json_dumps(obj: Any, **kwargs: Any) -> str:
    """``json.dumps(obj, ensure_ascii=False, **kwargs)``, valid UTF-8 and safe on a terminal.

    Control, bidi and lone surrogate characters are written as JSON ``\\u`` escapes, so every
    string decodes to exactly the value it had: a path with the byte 0xff holds ``\\udcff``,
    which ``os.fsencode`` turns back into that byte (Python's surrogateescape convention).
    These characters can only occur inside JSON strings, so the rewrite cannot touch syntax.
    """
    text = None
    if kwargs.keys() == {"indent"} and type(kwargs["indent"]) is int:
        try:
            text = _indented(obj, " " * kwargs["indent"], "\n")
        except NotPlain:
            pass  # a float, a non-str key, a subclass: json.dumps writes it
    if text is None:
        text = json.dumps(obj, ensure_ascii=False, **kwargs)
    return json_escape_raw(text)


def json_escape_raw(text: str) -> str:
    """JSON text (``json.dumps(..., ensure_ascii=False)``'s) with DEL, C1, bidi controls and lone
    surrogates written as ``\\u`` escapes: they can only stand inside its strings. Applied to
    several JSON texts joined, it gives what it gives each alone (it rewrites single characters)."""
    if _json_raw_unsafe().search(text) is None:
        return text
    return _json_raw_unsafe().sub(_json_escape, text)


def plain_json(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)`` for a str, int, bool or None (before
    ``json_escape_raw``); raises NotPlain for any other type."""
    write = _PLAIN.get(type(value))
    if write is None:
        raise NotPlain
    return write(value)


def uri_path(path: str) -> str:
    """A path percent-encoded for a URI, from its bytes: the byte 0xff of a non-UTF-8 name is ``%FF``."""
    return quote(os.fsencode(path))


def diff_path(path: str) -> str:
    """A file name for a ``---``/``+++`` diff header: as it is, or C-quoted as git quotes it
    (``"bad\\377.md"``, octal bytes; GNU patch and ``git apply`` read it) when it holds a
    character ``for_terminal`` would escape (or starts with a double quote)."""
    if _terminal_unsafe().search(path) is None and not path.startswith('"'):
        return path
    out = []
    for ch in path:
        if ch in '"\\':
            out.append("\\" + ch)
        elif _terminal_unsafe().match(ch) is None:
            out.append(ch)
        else:
            try:
                data = ch.encode("utf-8", "surrogateescape")
            except UnicodeEncodeError:  # a surrogate that is not an escaped byte
                data = ch.encode("utf-8", "surrogatepass")
            out.extend(f"\\{b:03o}" for b in data)
    return '"' + "".join(out) + '"'
