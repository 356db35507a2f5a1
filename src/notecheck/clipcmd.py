"""Parse a highlight's clip command into one yt-dlp call, with source offsets.

A clip command is meant to be pasted into a shell, so it is read the way a POSIX shell
would split it, but never run and never handed to a shell: ``shlex.split`` gives the
argv, and a small scanner that follows the same quoting rules gives every word's
source offsets (for findings and fixes on the range bounds, the URL id and the ``-o``
tag) and notices what a shell would do beyond splitting words: operators
(``;`` ``&&`` ``|`` ``>``), command substitution (`` ` `` ``$(``), expansions, and a
second command on another line. Those are *security* problems (NC411), the rest
*parse* problems (NC402).

The option table below lists every option of yt-dlp 2026.10.26 (generated from its
``yt_dlp.options.create_parser()``: names only); long options may be abbreviated to a
unique prefix, as yt-dlp's optparse allows.
"""

from __future__ import annotations

import math
import os
import re
import shlex
from dataclasses import dataclass, field
from typing import NamedTuple

from .note import _parse_youtube_url  # the note's own URL reader: one definition of a YouTube URL
from .times import parse_clip_bound

__all__ = ["Word", "Issue", "Bound", "ClipCall", "parse_clip_command", "YT_DLP_FLAGS", "YT_DLP_VALUED"]

# yt-dlp options that take no value ...
YT_DLP_FLAGS = frozenset("""
--S-force --abort-on-error --abort-on-unavailable-fragments --add-chapters --add-metadata --all-formats
--all-subs --allow-dynamic-mpd --allow-unplayable-formats --ap-list-mso --audio-multistreams
--bidi-workaround --break-on-existing --break-on-reject --break-per-input --call-home --check-all-formats
--check-formats --clean-info-json --clean-infojson --console-title --continue --dump-json --dump-pages
--dump-single-json --dump-user-agent --embed-chapters --embed-info-json --embed-metadata --embed-subs
--embed-thumbnail --enable-file-urls --extract-audio --extractor-descriptions --flat-playlist
--force-download-archive --force-generic-extractor --force-ipv4 --force-ipv6 --force-keyframes-at-cuts
--force-overwrites --force-write-archive --force-write-download-archive --format-sort-force
--format-sort-reset --geo-bypass --get-comments --get-description --get-duration --get-filename
--get-format --get-id --get-thumbnail --get-title --get-url --help --hls-prefer-ffmpeg --hls-prefer-native
--hls-split-discontinuity --hls-use-mpegts --id --ignore-config --ignore-dynamic-mpd --ignore-errors
--ignore-no-formats-error --include-ads --keep-fragments --keep-video --lazy-playlist
--legacy-server-connect --list-extractors --list-formats --list-formats-as-table --list-formats-old
--list-impersonate-targets --list-subs --list-thumbnails --live-from-start --load-pages --mark-watched
--mtime --netrc --newline --no-abort-on-error --no-abort-on-unavailable-fragments --no-add-chapters
--no-add-metadata --no-allow-dynamic-mpd --no-allow-unplayable-formats --no-audio-multistreams
--no-batch-file --no-break-match-filters --no-break-on-existing --no-break-per-input --no-cache-dir
--no-call-home --no-check-certificates --no-check-formats --no-clean-info-json --no-clean-infojson
--no-colors --no-colours --no-config --no-config-locations --no-continue --no-cookies
--no-cookies-from-browser --no-download --no-download-archive --no-embed-chapters --no-embed-info-json
--no-embed-metadata --no-embed-subs --no-embed-thumbnail --no-exec --no-exec-before-download
--no-flat-playlist --no-force-keyframes-at-cuts --no-force-overwrites --no-format-sort-force
--no-geo-bypass --no-get-comments --no-hls-split-discontinuity --no-hls-use-mpegts
--no-ignore-dynamic-mpd --no-ignore-errors --no-ignore-no-formats-error --no-include-ads
--no-js-runtimes --no-keep-fragments --no-keep-video --no-lazy-playlist --no-list-formats-as-table
--no-live-from-start --no-mark-watched --no-match-filters --no-mtime --no-overwrites --no-part
--no-playlist --no-playlist-reverse --no-plugin-dirs --no-post-overwrites --no-prefer-avconv
--no-prefer-ffmpeg --no-prefer-free-formats --no-progress --no-quiet --no-remote-components
--no-remove-chapters --no-resize-buffer --no-restrict-filenames --no-simulate
--no-skip-unavailable-fragments --no-split-chapters --no-split-tracks --no-sponskrub
--no-sponskrub-cut --no-sponskrub-force --no-sponsorblock --no-update --no-video-multistreams
--no-wait-for-video --no-warnings --no-windows-filenames --no-write-annotations --no-write-auto-subs
--no-write-automatic-subs --no-write-comments --no-write-description --no-write-info-json
--no-write-playlist-metafiles --no-write-srt --no-write-subs --no-write-thumbnail
--no-youtube-include-dash-manifest --no-youtube-include-hls-manifest --no-youtube-skip-dash-manifest
--no-youtube-skip-hls-manifest --part --playlist-random --playlist-reverse --post-overwrites
--prefer-avconv --prefer-ffmpeg --prefer-free-formats --prefer-insecure --prefer-unsecure --print-json
--print-traffic --progress --quiet --resize-buffer --restrict-filenames --rm-cache-dir --simulate
--skip-download --skip-unavailable-fragments --split-chapters --split-tracks --sponskrub --sponskrub-cut
--sponskrub-force --test --update --verbose --version --video-multistreams --windows-filenames
--write-all-thumbnails --write-annotations --write-auto-subs --write-automatic-subs --write-comments
--write-description --write-desktop-link --write-info-json --write-link --write-pages
--write-playlist-metafiles --write-srt --write-subs --write-thumbnail --write-url-link
--write-webloc-link --xattr --xattr-set-filesize --xattrs --yes-overwrites --yes-playlist
--youtube-include-dash-manifest --youtube-include-hls-manifest --youtube-print-sig-code
--youtube-skip-dash-manifest --youtube-skip-hls-manifest
-4 -6 -C -F -J -U -c -e -g -h -i -j -k -n -q -s -v -w -x
""".split())

# ... and options that take one.
YT_DLP_VALUED = frozenset("""
--add-headers --age-limit --alias --ap-mso --ap-password --ap-username --audio-format --audio-quality
--autonumber-size --autonumber-start --batch-file --break-match-filters --buffer-size --cache-dir
--client-certificate --client-certificate-key --client-certificate-password --cn-verification-proxy
--color --compat-options --concat-playlist --concurrent-fragments --config-locations --convert-sub
--convert-subs --convert-subtitles --convert-thumbnails --cookies --cookies-from-browser --date
--dateafter --datebefore --default-search --download-archive --download-sections --downloader
--downloader-args --encoding --exec --exec-before-download --external-downloader
--external-downloader-args --extractor-args --extractor-retries --ffmpeg-location
--file-access-retries --fixup --format --format-sort --fragment-retries --geo-bypass-country
--geo-bypass-ip-block --geo-verification-proxy --http-chunk-size --ies --impersonate --js-runtimes
--limit-rate --load-info-json --match-filters --match-title --max-downloads --max-filesize
--max-sleep-interval --max-views --merge-output-format --metadata-from-title --min-filesize
--min-sleep-interval --min-views --netrc-cmd --netrc-location --output --output-na-placeholder
--parse-metadata --password --paths --playlist-end --playlist-items --playlist-start --plugin-dirs
--postprocessor-args --ppa --preset-alias --print --print-to-file --progress-delta --progress-template
--proxy --rate-limit --recode-video --referer --reject-title --remote-components --remove-chapters
--remux-video --replace-in-metadata --retries --retry-sleep --skip-playlist-after-errors
--sleep-interval --sleep-requests --sleep-subtitles --socket-timeout --source-address --sponskrub-args
--sponskrub-location --sponsorblock-api --sponsorblock-chapter-title --sponsorblock-mark
--sponsorblock-remove --srt-langs --sub-format --sub-langs --throttled-rate --trim-file-names
--trim-filenames --twofactor --update-to --use-extractors --use-postprocessor --user-agent --username
--video-password --wait-for-video --xff
-2 -I -N -O -P -R -S -a -f -o -p -r -t -u
""".split())

# Real options that make a clip command do more than cut a clip: run programs, load
# code or config from elsewhere, send credentials, update yt-dlp.
_BEYOND_CLIP = {
    "--exec": "runs a shell command after the download",
    "--exec-before-download": "runs a shell command before the download",
    "--netrc-cmd": "runs a shell command to get credentials",
    "--downloader": "hands the download to an external program",
    "--external-downloader": "hands the download to an external program",
    "--downloader-args": "passes arguments to an external program",
    "--external-downloader-args": "passes arguments to an external program",
    "--postprocessor-args": "passes arguments to post-processing programs",
    "--ppa": "passes arguments to post-processing programs",
    "--use-postprocessor": "loads a post-processor plugin",
    "--plugin-dirs": "loads plugin code",
    "--config-locations": "loads options from another file",
    "--batch-file": "reads more URLs from a file",
    "-a": "reads more URLs from a file",
    "--username": "sends credentials",
    "--password": "sends credentials",
    "-u": "sends credentials",
    "-p": "sends credentials",
    "--netrc": "reads credentials",
    "--netrc-location": "reads credentials",
    "--update": "updates yt-dlp itself",
    "-U": "updates yt-dlp itself",
    "--update-to": "updates yt-dlp itself",
}
_LONG = sorted(o for o in YT_DLP_FLAGS | YT_DLP_VALUED if o.startswith("--"))
_PROGRAMS = ("yt-dlp", "yt-dlp.exe")
_OPERATORS = ";&|<>()"
_NAME_START = re.compile(r"[A-Za-z_{(0-9#?@*!$-]")
_TAG_RE = re.compile(r"(?<![A-Za-z0-9])([0-9]+)m([0-9]{1,2})s(?=\.[A-Za-z0-9]{1,5}$|$)")
_BARE_ID_RE = re.compile(r"[A-Za-z0-9_-]{11}")
# Runs the scanner copies as they are: outside quotes, and inside double quotes.
_PLAIN_RUN = re.compile(r"[^\\ \t\r\n#'\"`$;&|<>()]+")
_DQUOTED_RUN = re.compile(r'[^"\\`$]+')
# A command segment holding none of these reads the same with shlex as with the scanner.
_SHLEX_MAY_DIFFER = re.compile(r"[\\#;&|<>()]").search


# Word, Issue and Bound are NamedTuples (immutable records, like the frozen dataclasses they
# were): ~1 ms less to import than dataclasses.
class Word(NamedTuple):
    """One shell word after quote removal, and where each of its characters came from."""

    text: str
    start: int  # source offset of the word's first raw character (a quote, maybe)
    end: int  # source offset just after its last raw character
    # source offset of each character of ``text`` (a range when they run without a gap: no
    # int object a character to build); None if unknown
    offsets: tuple[int, ...] | range | None

    def span(self, i: int, j: int) -> tuple[int, int] | None:
        """Source span of ``text[i:j]`` when it is written literally and contiguously, else None."""
        if self.offsets is None or not 0 <= i < j <= len(self.text):
            return None
        offs = self.offsets[i:j]
        if offs[-1] - offs[0] != j - i - 1:
            return None  # an escape or a quote sits inside: no exact span
        return offs[0], offs[-1] + 1

    def at(self, i: int) -> int:
        """Best source offset for character ``i`` (the word start when unknown)."""
        if self.offsets is not None and 0 <= i < len(self.offsets):
            return self.offsets[i]
        return self.start


# Word(text, start, end, offsets), built by the C tuple constructor without NamedTuple's Python
# __new__: 110 ns instead of 240 (the scanner makes ~10 words a command)
def _new_word(text: str, start: int, end: int, offsets: tuple[int, ...] | range | None, _new=tuple.__new__) -> Word:
    return _new(Word, (text, start, end, offsets))


class Issue(NamedTuple):
    offset: int
    message: str


class Bound(NamedTuple):
    """A range bound of ``--download-sections``: its text, seconds (inf for ``inf``) and source span."""

    text: str
    seconds: float
    start: int
    end: int

    @property
    def infinite(self) -> bool:
        return math.isinf(self.seconds)


@dataclass
class ClipCall:
    """What a clip command says, as far as it could be read."""

    argv: list[Word] = field(default_factory=list)
    parse_issues: list[Issue] = field(default_factory=list)  # NC402
    security_issues: list[Issue] = field(default_factory=list)  # NC411
    url: Word | None = None
    video_id: str | None = None
    id_start: int | None = None  # source offset of the id, when written literally
    id_end: int | None = None
    section: Word | None = None
    start: Bound | None = None
    end: Bound | None = None
    output: Word | None = None
    tag_seconds: int | None = None  # the -o name's time tag, when it has one
    tag_text: str | None = None
    tag_start: int | None = None  # source span of the tag, when written literally
    tag_end: int | None = None

    @property
    def ok(self) -> bool:
        """Parsed into one range and one URL (security issues aside)."""
        return not self.parse_issues and self.start is not None and self.end is not None


# ------------------------------------------------------------------------- the scanner


@dataclass
class _Command:
    words: list[Word] = field(default_factory=list)
    start: int = 0
    after_operator: bool = False  # separated from the previous command by ; && | ...


# The usual clip command: one line of plain, '…' and "…" words, nothing the shell would
# act on (no escape, expansion, comment or operator) and every quote closed. Possessive
# quantifiers: a word splits one way only, so a near miss fails in linear time.
_SIMPLE_WORD = r"""(?:[^ \t\r\n'"\\#`$;&|<>()]++|'[^'#`$]*+'|"[^"\\#`$]*+")++"""
_SIMPLE_COMMAND = re.compile(rf"[ \t\r\n]*+(?:{_SIMPLE_WORD}(?:[ \t\r]++{_SIMPLE_WORD})*+)?+[ \t\r\n]*+")
# A word of one piece ('…', "…" or plain: groups 1, 2, 3, its characters as written), else any word.
_SIMPLE_WORDS = re.compile(rf"""'([^'#`$]*+)'(?![^ \t\r\n])|"([^"\\#`$]*+)"(?![^ \t\r\n])"""
                           rf"""|([^ \t\r\n'"\\#`$;&|<>()]++)(?![^ \t\r\n])|{_SIMPLE_WORD}""")
_QUOTED_PIECE = re.compile(r"""'([^']*)'|"([^"]*)"|[^'"]+""")


def _scan(text: str, base: int) -> tuple[list[_Command], list[Issue], list[Issue]]:
    """Split ``text`` into commands of words (with offsets + ``base``); parse and security issues."""
    if _SIMPLE_COMMAND.fullmatch(text) is not None:
        return _scan_simple(text, base), [], []
    return _scan_shell(text, base)


def _scan_simple(text: str, base: int) -> list[_Command]:
    """``_scan`` of a command ``_SIMPLE_COMMAND`` matches: its words, by ``_speedups.scan_simple``
    when built (one pass in C: ~4x faster), else by ``_scan_simple_py``; tests hold the two equal."""
    words = _c_scan_simple(text, base, Word) if _c_scan_simple is not None else None
    if words is None:
        words = _scan_simple_py(text, base)
    return [_Command(words, words[0].start)] if words else []


def _scan_simple_py(text: str, base: int) -> list[Word]:
    """The words of a command ``_SIMPLE_COMMAND`` matches, in one regex pass (the reference of
    ``_speedups.scan_simple``).

    Faster than the character scanner (a regex match a word instead of a few Python steps
    a quote); a test checks both read such commands alike.
    """
    words = []
    for m in _SIMPLE_WORDS.finditer(text):
        start, end = m.span()
        piece = m.lastindex
        if piece is not None:  # one piece: its characters as written, in one run
            i, j = m.span(piece)
            words.append(_new_word(m.group(piece), start + base, end + base, range(i + base, j + base)))
            continue
        chars: list[str] = []
        offs: list[int] = []
        for piece in _QUOTED_PIECE.finditer(text, start, end):
            i, j = piece.span(1) if piece.group(1) is not None else piece.span(2) if piece.group(2) is not None else piece.span()
            chars.append(text[i:j])
            offs.extend(range(i + base, j + base))
        words.append(_new_word("".join(chars), start + base, end + base, tuple(offs)))
    return words


try:  # the C twin of _scan_simple_py
    if os.environ.get("NOTECHECK_PURE_PYTHON"):  # to compare the two, or to rule the C out
        raise ImportError("NOTECHECK_PURE_PYTHON is set")
    from ._speedups import scan_simple as _c_scan_simple
except ImportError:  # not compiled: pure Python
    _c_scan_simple = None


def _scan_shell(text: str, base: int) -> tuple[list[_Command], list[Issue], list[Issue]]:
    """``_scan`` of any command, a character at a time with a POSIX shell's quoting rules."""
    commands: list[_Command] = [_Command()]
    parse_issues: list[Issue] = []
    security: list[Issue] = []
    chars: list[str] = []
    offs: list[int] = []
    word_start: int | None = None
    skip_next_word = False  # the target of a redirection is not an argument
    n = len(text)
    i = 0

    def add(ch: str, at: int) -> None:
        nonlocal word_start
        if word_start is None:
            word_start = at
        chars.append(ch)
        offs.append(at + base)

    def add_run(i: int, j: int) -> None:
        """``add`` each character of ``text[i:j]`` (i < j), in one go."""
        nonlocal word_start
        if word_start is None:
            word_start = i
        chars.append(text[i:j])
        offs.extend(range(i + base, j + base))

    plain_run = _PLAIN_RUN.match
    dquoted_run = _DQUOTED_RUN.match

    def end_word(at: int) -> None:
        nonlocal word_start, skip_next_word
        if word_start is None:
            return
        word = _new_word("".join(chars), word_start + base, at + base, tuple(offs))
        if skip_next_word:
            skip_next_word = False
        else:
            cmd = commands[-1]
            if not cmd.words:
                cmd.start = word.start
            cmd.words.append(word)
        chars.clear()
        offs.clear()
        word_start = None

    def new_command(after_operator: bool) -> None:
        if commands[-1].words:
            commands.append(_Command(after_operator=after_operator))
        elif after_operator:
            commands[-1].after_operator = True

    open_backquote = [False]

    def backquote(at: int) -> None:
        if not open_backquote[0]:  # report the opening one, not its closing partner
            security.append(Issue(at + base, "backquote `` ` `` runs another command"))
        open_backquote[0] = not open_backquote[0]

    def expansion(at: int) -> None:
        nxt = text[at + 1:at + 2]
        if nxt == "(":
            security.append(Issue(at + base, "command substitution `$(` runs another command"))
        elif nxt and _NAME_START.match(nxt):
            security.append(Issue(at + base, f"shell expansion `${nxt}` makes the command depend on the shell"))

    while i < n:
        run = plain_run(text, i)
        if run is not None:
            add_run(i, run.end())
            i = run.end()
            continue
        c = text[i]
        if c == "\\":
            if text.startswith("\n", i + 1):
                i += 2  # line continuation
                continue
            if text.startswith("\r\n", i + 1):
                i += 3
                continue
            if i + 1 < n:
                if word_start is None:
                    word_start = i
                add(text[i + 1], i + 1)
                i += 2
            else:
                i += 1
            continue
        if c in " \t\r":
            end_word(i)
            i += 1
            continue
        if c == "\n":
            end_word(i)
            new_command(False)
            i += 1
            continue
        if c == "#" and word_start is None:
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
            continue
        if c == "'":
            close = text.find("'", i + 1)
            if word_start is None:
                word_start = i
            if close < 0:
                parse_issues.append(Issue(i + base, "unclosed single quote"))
                if i + 1 < n:
                    add_run(i + 1, n)
                i = n
                continue
            if i + 1 < close:
                add_run(i + 1, close)
            i = close + 1
            continue
        if c == '"':
            if word_start is None:
                word_start = i
            k = i + 1
            closed = False
            while k < n:
                run = dquoted_run(text, k)
                if run is not None:
                    add_run(k, run.end())
                    k = run.end()
                    continue
                d = text[k]
                if d == '"':
                    closed = True
                    break
                if d == "\\" and k + 1 < n and text[k + 1] in '$`"\\\n':
                    if text[k + 1] != "\n":
                        add(text[k + 1], k + 1)
                    k += 2
                    continue
                if d == "`":
                    backquote(k)
                elif d == "$":
                    expansion(k)
                add(d, k)
                k += 1
            if not closed:
                parse_issues.append(Issue(i + base, "unclosed double quote"))
                i = n
                continue
            i = k + 1
            continue
        if c == "`":
            backquote(i)
            add(c, i)
            i += 1
            continue
        if c == "$":
            expansion(i)
            add(c, i)
            i += 1
            continue
        if c in _OPERATORS:
            end_word(i)
            op = c
            if text[i:i + 2] in ("&&", "||", ">>", "<<", ";;", "|&", "&>"):
                op = text[i:i + 2]
            if op in ("<", ">", ">>", "<<", "&>"):
                what = "redirects input" if op.startswith("<") else "redirects output to a file"
                security.append(Issue(i + base, f"shell metacharacter `{op}` {what}"))
                skip_next_word = True
            elif op in ("(", ")"):
                security.append(Issue(i + base, f"shell metacharacter `{op}` opens a subshell"))
            else:
                meaning = {
                    "&": "runs the command in the background (quote URLs that hold `&`)",
                    "|": "pipes the output into another command",
                    "|&": "pipes the output into another command",
                }.get(op, "chains another command")
                security.append(Issue(i + base, f"shell metacharacter `{op}` {meaning}"))
                new_command(True)
            i += len(op)
            continue
        add(c, i)
        i += 1
    end_word(n)
    return [cmd for cmd in commands if cmd.words], parse_issues, security


# ---------------------------------------------------------------------- the yt-dlp call


def _resolve_long(name: str) -> str | None:
    """A long option by exact name or unique prefix (as yt-dlp's optparse resolves it)."""
    if name in YT_DLP_FLAGS or name in YT_DLP_VALUED:
        return name
    matches = [o for o in _LONG if o.startswith(name)]
    return matches[0] if len(matches) == 1 else None


_RANGE_RE = re.compile(r"\s*([^-\s]*)\s*-\s*([^-\s]*)\s*")


def _parse_range(word: Word, call: ClipCall) -> None:
    value = word.text
    if not value.startswith("*"):
        call.parse_issues.append(Issue(word.at(0), f"--download-sections {value!r} is a chapter name, not a time range \"*START-END\""))
        return
    body = value[1:]
    if "," in body:
        call.parse_issues.append(Issue(word.at(0), f"--download-sections {value!r} holds several ranges; a clip is one \"*START-END\""))
        return
    m = _RANGE_RE.fullmatch(body)
    if m is None:
        call.parse_issues.append(Issue(word.at(0), f"--download-sections {value!r} is not of the form \"*START-END\""))
        return
    bounds: list[Bound] = []
    for group in (1, 2):
        text = m.group(group)
        i = 1 + m.start(group)
        if text in ("inf", "infinite") and group == 2:
            seconds: float | None = math.inf
        elif text == "":
            seconds = 0.0 if group == 1 else math.inf
        else:
            seconds = parse_clip_bound(text)
        if seconds is None:
            call.parse_issues.append(Issue(word.at(i), f"clip range bound {text!r} is not a time (SS, M:SS, H:MM:SS)"))
            return
        span = word.span(i, i + len(text)) if text else None
        start, end = span if span is not None else (word.at(i), word.at(i))
        bounds.append(Bound(text, seconds, start, end))
    call.start, call.end = bounds


def _parse_url(word: Word, call: ClipCall) -> None:
    call.url = word
    if _BARE_ID_RE.fullmatch(word.text):
        vid, at = word.text, 0
    else:
        vid, vid_at, _t, _ts = _parse_youtube_url(word.text, 0)
        if vid is None or vid_at is None:
            call.parse_issues.append(Issue(word.at(0), f"{word.text!r} is not a YouTube video URL"))
            return
        at = vid_at
    call.video_id = vid
    span = word.span(at, at + len(vid))
    if span is not None:
        call.id_start, call.id_end = span
    else:
        call.id_start = word.at(at)


def _parse_output(word: Word, call: ClipCall) -> None:
    call.output = word
    name = word.text
    slash = max(name.rfind("/"), name.rfind("\\"))
    m = _TAG_RE.search(name, slash + 1)
    if m is None or int(m.group(2)) >= 60:
        return  # a slug name: fine
    call.tag_seconds = int(m.group(1)) * 60 + int(m.group(2))
    call.tag_text = m.group(0)
    span = word.span(m.start(), m.end())
    if span is not None:
        call.tag_start, call.tag_end = span
    else:
        call.tag_start = word.at(m.start())


def _shlex_argv(text: str, base: int, command: _Command) -> list[Word]:
    """The command's argv as ``shlex.split`` reads it, offsets taken from the scanner where both agree."""
    segment_start = command.words[0].start
    segment_end = command.words[-1].end
    segment = text[segment_start - base:segment_end - base]
    if _SHLEX_MAY_DIFFER(segment) is None:
        # No escape, comment or operator: plain words and quotes, which the scanner and
        # shlex read alike (checked against shlex on random commands), so skip shlex.
        return command.words
    try:
        argv = shlex.split(re.sub(r"\\\r?\n", "", segment))
    except ValueError:
        return command.words
    if argv == [w.text for w in command.words]:
        return command.words
    # The scanner and shlex disagree (an exotic escape): trust shlex, give up exact offsets.
    return [Word(a, segment_start, segment_end, None) for a in argv]


def parse_clip_command(text: str, base: int = 0) -> ClipCall:
    """Read a clip command (the content of its fenced block; ``base`` = its offset in the note)."""
    call = ClipCall()
    commands, parse_issues, security = _scan(text, base)
    call.parse_issues.extend(parse_issues)
    call.security_issues.extend(security)
    if not commands:
        call.parse_issues.append(Issue(base, "the clip command is empty"))
        return call
    for extra in commands[1:]:
        if not extra.after_operator:  # an operator between them is already reported
            first = extra.words[0]
            call.security_issues.append(Issue(first.start, f"a second command `{first.text}`: a clip command is one yt-dlp call"))
    if parse_issues:
        return call
    command = commands[0]
    argv = _shlex_argv(text, base, command)
    if len(argv) > 1 and argv[0].text == "$":
        argv = argv[1:]  # a console prompt: "$ yt-dlp ..."
    call.argv = argv
    program = argv[0]
    if program.text.replace("\\", "/").rsplit("/", 1)[-1] not in _PROGRAMS:
        call.security_issues.append(Issue(program.start, f"the clip command runs `{program.text}`, not yt-dlp"))
        return call
    positional: list[Word] = []
    sections: list[Word] = []
    outputs: list[Word] = []
    i = 1
    only_positional = False
    while i < len(argv):
        word = argv[i]
        arg = word.text
        i += 1
        if only_positional or not arg.startswith("-") or arg == "-":
            positional.append(word)
            continue
        if arg == "--":
            only_positional = True
            continue
        value: Word | None = None
        if arg.startswith("--"):
            name, eq, inline = arg.partition("=")
            option = _resolve_long(name)
            if option is None:
                call.security_issues.append(Issue(word.start, f"`{name}` is not a yt-dlp option"))
                continue
            takes_value = option in YT_DLP_VALUED
            if eq and not takes_value:
                call.parse_issues.append(Issue(word.start, f"option {option} takes no value"))
                continue
            if eq:
                cut = len(name) + 1
                offsets = word.offsets[cut:] if word.offsets is not None else None
                value = Word(inline, word.at(cut), word.end, offsets)
        else:
            # a short option, maybe a cluster (-qo NAME) or with its value attached (-oNAME)
            option = None
            takes_value = False
            for k in range(1, len(arg)):
                short = "-" + arg[k]
                if short in YT_DLP_VALUED:
                    option, takes_value = short, True
                    if k + 1 < len(arg):
                        offsets = word.offsets[k + 1:] if word.offsets is not None else None
                        value = Word(arg[k + 1:], word.at(k + 1), word.end, offsets)
                    break
                if short not in YT_DLP_FLAGS:
                    option = None
                    call.security_issues.append(Issue(word.at(k) if k > 1 else word.start, f"`{short}` is not a yt-dlp option"))
                    break
                option = short
                if short in _BEYOND_CLIP:
                    call.security_issues.append(Issue(word.at(k) if k > 1 else word.start, f"option {short} {_BEYOND_CLIP[short]}"))
            if option is None:
                continue
        if option in _BEYOND_CLIP and (option.startswith("--") or takes_value):
            call.security_issues.append(Issue(word.start, f"option {option} {_BEYOND_CLIP[option]}"))
        if takes_value and value is None:
            if i >= len(argv):
                call.parse_issues.append(Issue(word.start, f"option {option} needs a value"))
                break
            value = argv[i]
            i += 1
        if option == "--download-sections":
            sections.append(value)  # type: ignore[arg-type]
        elif option in ("-o", "--output"):
            outputs.append(value)  # type: ignore[arg-type]
    if not sections:
        call.parse_issues.append(Issue(program.start, "no --download-sections \"*START-END\": the command downloads the whole video"))
    elif len(sections) > 1:
        call.parse_issues.append(Issue(sections[1].start, "more than one --download-sections: a clip is one range"))
    else:
        call.section = sections[0]
        _parse_range(sections[0], call)
    if not positional:
        call.parse_issues.append(Issue(program.start, "no video URL"))
    elif len(positional) > 1:
        call.parse_issues.append(Issue(positional[1].start, f"{len(positional)} URLs: a clip command downloads one video"))
    else:
        _parse_url(positional[0], call)
    if outputs:
        _parse_output(outputs[-1], call)
    return call
