"""A seeded, reproducible corpus of video notes that look and cost like real ones, with ground truth.

Usage::

    python3 benchmarks/realcorpus.py --out DIR --notes 300 --seed 1 [--defect-rate 0.3] [--sidecar-rate 0.5]
    python3 benchmarks/score.py DIR          # notecheck's findings against DIR/manifest.json

Each note is written as its video was spoken: a timed stream of sidecar *segments* (a few
sentences each, one speaker) grouped into the note's transcript *paragraphs* (a paragraph's
time is its first segment's start). Spoken style: fillers (um, uh, you know, I mean),
repeated words ("I -- I", "the the"), compounds written one way in the transcript and
perhaps another in a quote (Deep Mind / DeepMind). Quotes are cut from that stream and
cited the way real notes cite them (see ``_timeline``); planted defects change a few of
them, and ``DIR/manifest.json`` says, per note, what was planted, where (line), and which
codes a linter following SPEC §2/§3 should report; plus every highlight and quote with its
shape and the correct-but-unusual features that must draw no finding.

Sizes follow an archive of 615 real notes: notes 42 KB median (320 KB max), transcripts 63
paragraphs median (762 max), ~45% of notes with a sidecar ``<video_id>.json`` of 181
segments median (944 max), ~10 quotes a note. The i-th note depends only on (seed, i).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from realcorpus_vocab import (  # noqa: E402  (a sibling module: benchmarks/ is not a package)
    ADDABLE, ADJECTIVES, LONG_ADJECTIVES, BACKCHANNELS, BOOKS, CHAPTER_NAMES, CONCEPTS, FIRST, GENERIC_NOUNS, GENERIC_PLURAL,
    GUEST_OPENERS, GUEST_TAILS, GUEST_TEMPLATES, HOST_TEMPLATES, INTRO, INVENTED_TEMPLATES, KEYPOINT_TEXTS,
    KEYPOINT_TITLES, LAST, MENTION_GROUPS, MENTION_TEXTS, MENTIONED, NOTE_LINES, NUMBERS, OUTRO, SLUG_WORDS,
    SPONSOR_LINES, SUMMARY_TEMPLATES, SYNONYMS, TIMES, TOPICS, VERBS,
)

GENERATOR_VERSION = 1
ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
NBSP = "\u00a0"  # keeps a compound ("Deep Mind") one token while a sentence is built
WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")

# codes a linter should report per planted defect kind (SPEC §2/§3), and codes it may
# also report without being wrong ("allowed": the SPEC leaves one-finding-or-two open)
DEFECTS: dict[str, tuple[list[str], list[str], str]] = {
    # kind: (expected codes, allowed codes, what was done)
    "highlight-moved": (["NC502"], ["NC403", "NC602"],
                        "thumbnail t=, clip range, -o tag and attribution all shifted by the same amount"),
    "attribution-wrong-paragraph": (["NC502"], ["NC602"], "the attribution cites another paragraph's start"),
    "thumbnail-off": (["NC409"], [], "thumbnail t= is neither the clip start nor the attribution"),
    "clip-starts-late": (["NC403"], ["NC502"], "the clip (and -o tag) starts after the quoted words"),
    "clip-lead-too-long": (["NC403"], [], "the clip (and -o tag) starts more than 60 s before the quoted words"),
    "clip-too-short": (["NC502"], ["NC403"], "the clip ends before the quote's last sentence starts"),
    "label-t-mismatch": (["NC301"], [], "a link's t= differs from its label"),
    "quote-edited": (["NC501"], [], "one word of a quote sentence changed, added or dropped"),
    "quote-paraphrased": (["NC501"], [], "a quote sentence paraphrased"),
    "quote-invented": (["NC501"], [], "a sentence nobody said added to a quote"),
    "wrong-speaker": (["NC601"], [], "the attribution names someone who did not say it (the sidecar is right)"),
    "invented-time": (["NC603"], [], "a transcript paragraph's time is no sidecar segment's start"),
    "attribution-not-segment-start": (["NC602"], ["NC502"],
                                      "cites the paragraph's start; the quote is in a later sidecar segment"),
    "attribution-off-segment": (["NC602"], [], "cites a few seconds after the start of the segment holding the quote"),
    "re-segmented": (["NC603"], ["NC602"], "the whole transcript re-segmented: paragraph times are no segment starts "
                                           "(one NC603 for the note)"),
}
DEFECT_WEIGHTS = {"highlight-moved": 3, "attribution-wrong-paragraph": 3, "thumbnail-off": 2, "clip-starts-late": 2,
                  "clip-lead-too-long": 2, "clip-too-short": 2, "label-t-mismatch": 2, "quote-edited": 3,
                  "quote-paraphrased": 3, "quote-invented": 2, "wrong-speaker": 2, "invented-time": 2,
                  "attribution-not-segment-start": 1, "attribution-off-segment": 1}
SIDECAR_ONLY = {"wrong-speaker", "invented-time", "attribution-not-segment-start", "attribution-off-segment"}
MAX_SIDECAR_SEGMENTS = 950


def words_of(text: str) -> list[str]:
    return WORD_RE.findall(text.replace("\u2019", "'").casefold())


def norm(text: str) -> str:
    return " ".join(words_of(text))


FILLER_RE = re.compile(r" (?:um|uh|er|you know|i mean)(?= )")
REPEAT_RE = re.compile(r" (\S+)(?= \1 )")


def clean_norm(text: str) -> str:
    """Words as SPEC §2 "Quotes" compares them: without fillers and repeated words."""
    out = " " + norm(text) + " "
    out = FILLER_RE.sub("", out)
    while True:
        shorter = REPEAT_RE.sub("", out)
        if shorter == out:
            return out.strip()
        out = shorter


# ---------------------------------------------------------------------------- times


def label(seconds: int, style: str) -> str:
    """A timestamp label: M:SS, and past an hour H:MM:SS ("hms") or minutes past 59 ("minutes")."""
    m, s = divmod(int(seconds), 60)
    if m >= 60 and style == "hms":
        h, m = divmod(m, 60)
        return f"{h}:{m:02d}:{s:02d}"
    return f"{m}:{s:02d}"


def clip_bound(seconds: int, style: str) -> str:
    if style == "seconds":
        return str(int(seconds))
    return label(seconds, style)


def tag(seconds: int) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m}m{s:02d}s"


def hms(seconds: int) -> str:
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


# ---------------------------------------------------------------------------- sentences


@dataclass
class Sent:
    """A spoken sentence: tokens ``[text, kind]``; kind "w" a word, "f" a filler, "g" a filler glued to the word before."""

    toks: list[list[str]]
    compound: list[str] | None = None  # [as spoken in the transcript, the other spelling]
    _raw: str | None = None
    _nwords: int | None = None

    def render(self, fillers: bool) -> str:
        out = ""
        for text, kind in self.toks:
            if kind != "w" and not fillers:
                continue
            if kind == "g":
                out += text
            else:
                out += (" " if out else "") + text
        out = out.replace(NBSP, " ")
        return out[:1].upper() + out[1:]

    def raw(self) -> str:
        if self._raw is None:
            self._raw = self.render(True)
        return self._raw

    def clean(self) -> str:
        return self.render(False)

    @property
    def has_filler(self) -> bool:
        return any(kind != "w" for _, kind in self.toks)

    @property
    def nwords(self) -> int:
        if self._nwords is None:
            self._nwords = len(words_of(self.raw()))
        return self._nwords


@dataclass
class Seg:
    start: float
    speaker: str
    sents: list[Sent]
    kind: str = "body"  # body / backchannel / teaser / intro / outro / question
    dur: float = 0.0
    para: int = -1
    _text: str | None = None

    @property
    def ts(self) -> int:
        return int(self.start)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = " ".join(s.raw() for s in self.sents)
        return self._text

    @property
    def nwords(self) -> int:
        return sum(s.nwords for s in self.sents)


@dataclass
class Para:
    segs: list[int]
    speaker: str | None  # None: written without a speaker prefix
    time: int = 0  # the note's label time
    line: int = 0  # where it is written


class Lexicon:
    """The words one note is spoken with: its topic, its speakers, its spellings of compounds."""

    def __init__(self, rng: random.Random, topic: str, speakers: list[str], channel: str):
        t = TOPICS[topic]
        self.topic = topic
        self.nouns = t["nouns"] + GENERIC_NOUNS[: rng.randint(6, len(GENERIC_NOUNS))]
        self.plural = t["plural"] + GENERIC_PLURAL[: rng.randint(3, len(GENERIC_PLURAL))]
        self.proper = list(t["proper"]) + list(t["orgs"])
        self.orgs = list(t["orgs"])
        self.field = t["field"]
        self.tags = t["tags"]
        # one spelling per compound in this transcript; quotes may use the other
        self.compounds = [pair if rng.random() < 0.5 else [pair[1], pair[0]] for pair in t["compounds"]]
        self.who = rng.sample(MENTIONED, 4)
        self.speakers = speakers
        self.channel = channel

    def fill(self, rng: random.Random, template: str) -> tuple[str, list[str] | None]:
        compound: list[str] | None = None
        used: dict[str, str] = {}

        def pick(slot: str) -> str:
            nonlocal compound
            base = slot.rstrip("0123456789")
            if base in ("N", "N2", "N3"):
                base = "N"
            if base in ("P", "P2"):
                base = "P"
            if base in ("A", "A2"):
                base = "A"
            for _ in range(6):
                if base == "N":
                    v = rng.choice(self.nouns)
                elif base == "P":
                    v = rng.choice(self.plural)
                elif base == "A":
                    v = rng.choice(ADJECTIVES)
                elif base == "AL":
                    v = rng.choice(LONG_ADJECTIVES)
                elif base == "O":
                    v = rng.choice(self.orgs)
                elif base in ("V", "V2"):
                    v = rng.choice(VERBS)[0]
                elif base == "VZ":
                    v = rng.choice(VERBS)[1]
                elif base == "VD":
                    v = rng.choice(VERBS)[2]
                elif base == "X":
                    v = rng.choice(self.proper)
                elif base == "C":
                    pair = rng.choice(self.compounds)
                    compound = pair
                    v = pair[0].replace(" ", NBSP)
                elif base == "NUM":
                    v = rng.choice(NUMBERS)
                elif base == "TIME":
                    v = rng.choice(TIMES)
                elif base == "WHO":
                    v = rng.choice(self.who)
                elif base == "F":
                    v = rng.choice(self.field)
                else:
                    raise KeyError(slot)
                if v not in used.values():
                    break
            used[slot] = v
            return v

        def slot(m: re.Match) -> str:
            name = m.group(1)
            if name.endswith("_cap"):
                value = pick(name[:-4])
                return value[:1].upper() + value[1:]
            return pick(name)

        text = re.sub(r"\{(\w+)\}", slot, template)
        text = re.sub(r"\b([Aa]) (?=[aeiouAEIOU])", r"\1n ", text)
        # proper names keep their spaces as one token (a filler never goes inside "Hugging Face")
        for name in self.proper + self.who:
            if " " in name and name in text:
                text = text.replace(name, name.replace(" ", NBSP))
        return text[:1].upper() + text[1:], compound


LOWER_OPENERS = {"So", "And", "But", "The", "We", "It", "It's", "That", "That's", "There", "There's", "What",
                 "If", "When", "My", "Most", "People", "You", "Here's", "This", "Our", "Every", "Once", "Nobody",
                 "A", "At", "In", "Yeah,", "Right,", "Well,", "Look,", "Honestly,", "Basically,", "Actually,",
                 "Everyone", "Our"}
REPEATABLE = {"I", "the", "we", "it's", "to", "a", "that", "and", "you", "it", "we're", "they"}


def add_disfluencies(rng: random.Random, words: list[str], rate: float) -> list[list[str]]:
    """Tokens of a sentence with fillers and repeated words put in, at about ``rate``."""
    toks: list[list[str]] = [[w, "w"] for w in words]
    if rng.random() < rate * 0.5:  # a repeated word: "I -- I think", "the the model"
        spots = [i for i, (w, _) in enumerate(toks[:-1]) if w in REPEATABLE or (i == 0 and w.lower() in REPEATABLE)]
        if spots:
            i = rng.choice(spots)
            w = toks[i][0]
            toks.insert(i, [w + " --" if rng.random() < 0.5 else w, "f"])
    if rng.random() < rate * 0.7:  # mid-sentence: "is, you know, basically"
        spots = [i for i in range(1, len(toks) - 2) if toks[i][1] == "w" and toks[i][0][-1:].isalpha()
                 and toks[i + 1][1] == "w"]
        if spots:
            i = rng.choice(spots)
            toks.insert(i + 1, [rng.choice([", you know,", ", um,", ", uh,", ", I mean,", " -- you know --"]), "g"])
    if rng.random() < rate * 0.5:  # at the start: "Um, so the ..."
        first = toks[0][0]
        if first in LOWER_OPENERS:
            toks[0][0] = first[:1].lower() + first[1:]
        toks.insert(0, [rng.choice(["Um,", "Uh,", "I mean,", "Um, you know,", "Er,"]), "f"])
    return toks


def guest_sentence(rng: random.Random, lex: Lexicon, rate: float) -> Sent:
    template = rng.choice(GUEST_TEMPLATES)
    if rng.random() < 0.2 and template.endswith("."):
        template = template[:-1] + rng.choice(GUEST_TAILS) + ("?" if "right" in template[-10:] else ".")
        template = template.replace("right?.", "right?")
    text, compound = lex.fill(rng, template)
    if rng.random() < 0.25 and not re.match(r"(And|But|So)\b", text):
        opener = rng.choice(GUEST_OPENERS)
        first = text.split(" ", 1)[0]
        text = opener + (text[:1].lower() + text[1:] if first in LOWER_OPENERS else text)
    return Sent(add_disfluencies(rng, text.split(" "), rate), compound)


def host_sentence(rng: random.Random, lex: Lexicon, rate: float) -> Sent:
    text, compound = lex.fill(rng, rng.choice(HOST_TEMPLATES))
    return Sent(add_disfluencies(rng, text.split(" "), rate * 0.6), compound)


def plain_sentence(text: str) -> Sent:
    return Sent([[w, "w"] for w in text.split(" ")])


# ---------------------------------------------------------------------------- the spoken video


@dataclass
class Profile:
    """How one note is written: everything drawn once per note."""

    topic: str
    interview: bool
    host: str
    guest: str
    others: list[str]
    channel: str
    target_paras: int
    prefixed: bool
    label_style: str  # hms / minutes (past an hour)
    clip_style: str  # hms / minutes / seconds
    duration_style: str
    link_style: str  # watch / watch-no-s / youtu.be / no-www
    mixed_links: bool
    slug_names: bool
    curly: bool
    dash: str
    details_after: float  # share of highlights with the clip command after the attribution
    crlf: bool
    final_newlines: int
    full_transcript: bool
    teaser: bool
    chapters: bool
    aside: bool
    filler_rate: float
    cite_segment_share: float  # without a sidecar: share of quotes citing a segment start inside a paragraph
    no_name_surprising: bool
    title_kind: str  # plain / show-suffix / quote-style
    surprising_first: bool
    extra_sections: list[str]


def pick_profile(rng: random.Random) -> Profile:
    topic = rng.choice(list(TOPICS))
    names = []
    while len(names) < 4:
        n = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if n not in names:
            names.append(n)
    interview = rng.random() < 0.8
    # paragraphs: log-normal, median 63, so 615 notes reach ~760 at most
    target = int(round(math.exp(rng.gauss(math.log(63), 0.75))))
    target = max(12, min(800, target))
    return Profile(
        topic=topic, interview=interview, host=names[0], guest=names[1], others=names[2:],
        channel=rng.choice(TOPICS[topic]["channels"]), target_paras=target,
        prefixed=interview and rng.random() < 0.6,
        label_style="minutes" if rng.random() < 0.25 else "hms",
        clip_style=rng.choices(["hms", "minutes", "seconds"], [0.6, 0.35, 0.05])[0],
        duration_style=rng.choice(["hms", "hms", "minutes"]),
        link_style=rng.choices(["watch", "watch-no-s", "youtu.be", "no-www"], [0.8, 0.08, 0.06, 0.06])[0],
        mixed_links=rng.random() < 0.1,
        slug_names=rng.random() < 0.15,
        curly=rng.random() < 0.2,
        dash=rng.choice(["--", "--", "—"]),
        details_after=0.0 if rng.random() < 0.85 else 0.7,
        crlf=rng.random() < 0.08,
        final_newlines=rng.choices([1, 0, 2], [0.9, 0.05, 0.05])[0],
        full_transcript=rng.random() < 0.15,
        teaser=interview and rng.random() < 0.3,
        chapters=rng.random() < 0.3,
        aside=rng.random() < 0.2,
        filler_rate=rng.choice([0.15, 0.25, 0.4, 0.55]),
        cite_segment_share=rng.choice([0.0, 0.0, 0.3]),
        no_name_surprising=rng.random() < 0.5,
        title_kind=rng.choices(["plain", "show-suffix", "quote-style"], [0.92, 0.04, 0.04])[0],
        surprising_first=rng.random() < 0.15,
        extra_sections=[s for s in ("Chapters", "Additional Resources", "Verdict") if rng.random() < 0.07],
    )


@dataclass
class Video:
    segs: list[Seg]
    paras: list[Para]
    duration: int
    teaser_end: float
    teaser_sources: list[tuple[int, int]]  # (seg, sentence) said again in the teaser

    # filled by index()
    seg_offsets: list[tuple[int, int]] = field(default_factory=list)  # (char, word) offset of each seg in its para
    para_text: list[str] = field(default_factory=list)
    para_words: list[int] = field(default_factory=list)
    next_para_time: list[int] = field(default_factory=list)
    next_seg_ts: list[int] = field(default_factory=list)
    stream: str = ""

    def index(self) -> None:
        self.seg_offsets = [(0, 0)] * len(self.segs)
        self.para_text, self.para_words = [], []
        for pi, p in enumerate(self.paras):
            char = word = 0
            parts = []
            for si in p.segs:
                seg = self.segs[si]
                seg.para = pi
                self.seg_offsets[si] = (char, word)
                parts.append(seg.text)
                char += len(seg.text) + 1
                word += seg.nwords
            self.para_text.append(" ".join(parts))
            self.para_words.append(word)
        times = [p.time for p in self.paras]
        self.next_para_time = []
        for i, t in enumerate(times):
            nxt = next((u for u in times[i + 1:] if u > t), self.duration)
            self.next_para_time.append(nxt)
        ts = [s.ts for s in self.segs]
        self.next_seg_ts = []
        j = 0
        for i, t in enumerate(ts):
            j = max(j, i + 1)
            while j < len(ts) and ts[j] <= t:
                j += 1
            self.next_seg_ts.append(ts[j] if j < len(ts) else self.duration)
        self.stream = " " + " ".join(norm(s.text) for s in self.segs) + " "
        self.clean_stream = " " + clean_norm(self.stream) + " "

    def count(self, text: str) -> int:
        words = norm(text)
        return self.stream.count(" " + words + " ") if words else 0

    def said(self, text: str) -> bool:
        """Are these words in the transcript, compared clean verbatim (fillers, repeats dropped on both sides)?"""
        words = clean_norm(text)
        return bool(words) and f" {words} " in self.clean_stream

    def sent_times(self, si: int, k: int) -> dict[str, float]:
        """When sentence k of segment si starts: truly, and as a linter estimates it (SPEC §2:
        by position between the paragraph's start and the next start), by words and by characters."""
        seg = self.segs[si]
        w_in_seg = sum(s.nwords for s in seg.sents[:k])
        c_in_seg = sum(len(s.raw()) + 1 for s in seg.sents[:k])
        true = seg.start + seg.dur * (w_in_seg / max(1, seg.nwords))
        p = self.paras[seg.para]
        pc, pw = self.seg_offsets[si]
        span_p = self.next_para_time[seg.para] - p.time
        span_s = self.next_seg_ts[si] - seg.ts
        return {
            "true": true,
            "para_words": p.time + span_p * (pw + w_in_seg) / max(1, self.para_words[seg.para]),
            "para_chars": p.time + span_p * (pc + c_in_seg) / max(1, len(self.para_text[seg.para])),
            "seg_words": seg.ts + span_s * w_in_seg / max(1, seg.nwords),
            "seg_chars": seg.ts + span_s * c_in_seg / max(1, len(seg.text)),
        }


def make_video(rng: random.Random, prof: Profile, lex: Lexicon) -> Video:
    segs: list[Seg] = []
    paras: list[Para] = []
    rates = {name: rng.uniform(2.3, 3.1) for name in [prof.host, prof.guest] + prof.others}
    clock = [0.0]

    def seg(speaker: str, sents: list[Sent], kind: str = "body") -> int:
        s = Seg(clock[0], speaker, sents, kind)
        s.dur = max(0.4, s.nwords / rates[speaker])
        segs.append(s)
        if kind == "backchannel":  # a quick "Mhm.": the next segment starts in the same second
            clock[0] = s.start + (math.floor(s.start) + 1 - s.start) / 2
            s.dur = clock[0] - s.start
        else:
            clock[0] = s.start + s.dur + rng.uniform(0.2, 1.2)
        return len(segs) - 1

    seen: dict[str, int] = {}

    def fresh(maker) -> Sent:
        for _ in range(8):
            s = maker(rng, lex, prof.filler_rate)
            key = norm(s.clean())
            if key not in seen:
                seen[key] = 1
                return s
        return s

    def body_seg(speaker: str) -> int:
        n = rng.choices([1, 2, 3], [0.3, 0.45, 0.25])[0]
        return seg(speaker, [fresh(guest_sentence) for _ in range(n)])

    def para(segs_: list[int], speaker: str | None) -> None:
        paras.append(Para(segs_, speaker if prof.prefixed else None))

    guest = prof.guest if prof.interview else prof.host
    # intro
    if prof.interview:
        a = seg(prof.host, [plain_sentence(INTRO[0].format(C=prof.channel)), plain_sentence(INTRO[1].format(G=prof.guest)),
                            fresh(host_sentence)], "intro")
        b = seg(prof.guest, [plain_sentence(INTRO[3]), fresh(guest_sentence)], "intro")
        if prof.prefixed:
            para([a], prof.host)
            para([b], prof.guest)
        else:
            para([a, b], None)
    else:
        para([seg(guest, [plain_sentence(f"Hi, I'm {guest}."), fresh(guest_sentence)], "intro")], guest)

    while len(paras) < prof.target_paras:
        pending: list[int] = []
        if prof.interview:
            if prof.prefixed and rng.random() < 0.1:  # the guest's "Yeah." at the second the host starts
                para([seg(prof.guest, [plain_sentence(rng.choice(BACKCHANNELS))], "backchannel")], prof.guest)
            q = [seg(prof.host, [fresh(host_sentence) for _ in range(rng.choice([1, 1, 2]))], "question")]
            if prof.prefixed or rng.random() < 0.5:
                para(q, prof.host)
            else:
                pending = q  # the question opens the answer's paragraph (as in the sample)
        n_answer = min(60, 1 + int(rng.expovariate(1 / 7)))
        done = 0
        while done < n_answer:
            if rng.random() < 0.1:
                size = rng.randint(8, 20)  # a long paragraph: several minutes of one voice
            else:
                size = rng.choices([1, 2, 3, 4, 5, 6], [0.06, 0.14, 0.24, 0.24, 0.18, 0.14])[0]
            size = min(size, n_answer - done) or 1
            body = [body_seg(guest) for _ in range(size)]
            para(pending + body, guest)
            pending = []
            done += size
            if prof.interview and prof.prefixed and done < n_answer and rng.random() < 0.15:
                para([seg(prof.host, [plain_sentence(rng.choice(BACKCHANNELS))], "backchannel")], prof.host)
                if rng.random() < 0.3:  # a run of three at one second
                    para([seg(prof.guest, [plain_sentence(rng.choice(BACKCHANNELS))], "backchannel")], prof.guest)
            if len(paras) >= prof.target_paras:
                break
    end = seg(prof.host, [plain_sentence(rng.choice(OUTRO))], "outro")
    para([end], prof.host)

    # a cold open: sentences said later, played first at 0:00
    teaser_sources: list[tuple[int, int]] = []
    teaser_end = 0.0
    if prof.teaser:
        later = [(si, k) for si, s in enumerate(segs) if s.kind == "body" and s.start > 240
                 for k, sent in enumerate(s.sents) if sent.nwords >= 8]
        if len(later) >= 6:
            teaser_sources = sorted(rng.sample(later, rng.randint(2, 3)))
            tsegs = []
            t = 0.0
            for si, k in teaser_sources:
                sent = segs[si].sents[k]
                s = Seg(t, guest, [sent], "teaser")
                s.dur = sent.nwords / rates[guest]
                tsegs.append(s)
                t += s.dur + 0.6
            teaser_end = float(math.ceil(t + 1.0))  # whole seconds: runs sharing a second stay together
            for s in segs:
                s.start += teaser_end
            shift = len(tsegs)
            segs[:0] = tsegs
            teaser_sources = [(si + shift, k) for si, k in teaser_sources]
            for p in paras:
                p.segs = [i + shift for i in p.segs]
            paras.insert(0, Para(list(range(shift)), guest if prof.prefixed else None))
    for p in paras:
        p.time = segs[p.segs[0]].ts
    last = segs[-1]
    duration = int(last.start + last.dur + rng.uniform(3, 40)) + 1
    return Video(segs, paras, duration, teaser_end, teaser_sources)


# ---------------------------------------------------------------------------- quotes and highlights


@dataclass
class QSent:
    ref: tuple[int, int] | None  # (seg, sentence); None for an invented sentence
    kind: str  # verbatim / cleaned / compound / edited / paraphrased / invented
    text: str


@dataclass
class Quote:
    where: str  # highlight / surprising
    sents: list[QSent]
    dialogue: bool = False
    multiline: bool = False
    skipped: bool = False
    ellipsis: bool = False
    spans_paragraphs: bool = False
    name: str | None = None  # the attribution's name (None: "> — [t](…)")
    speakers: list[str] = field(default_factory=list)
    A: int = 0  # attribution time (its label)
    A_t: int | None = None  # its t= when it differs from the label (a planted NC301)
    # highlights
    T: int = 0
    S: int = 0
    E: int = 0
    tag: int = 0
    shape: str = ""
    slug: str | None = None
    details_after: bool = False
    unusual: list[str] = field(default_factory=list)
    defect: dict | None = None
    sidecar_issue: dict | None = None
    # where the quote is (filled by _timeline)
    first: tuple[int, int] | None = None
    last: tuple[int, int] | None = None
    words_lo: float = 0.0
    words_hi: float = 0.0
    last_lo: float = 0.0
    last_hi: float = 0.0
    last_end: float = 0.0
    # rendered lines (filled by render)
    lines: dict[str, object] = field(default_factory=dict)

    @property
    def refs(self) -> list[tuple[int, int]]:
        return [s.ref for s in self.sents if s.ref is not None]

    @property
    def placed(self) -> bool:
        """Has a sentence a linter finds (verbatim or clean verbatim, SPEC §2 Quotes)."""
        return any(s.kind in ("verbatim", "cleaned", "compound") for s in self.sents)


def sentence_text(sent: Sent, kind: str, rng: random.Random) -> str:
    if kind == "verbatim":
        text = sent.raw()
        if " -- " in text and rng.random() < 0.3:
            text = text.replace(" -- ", " — ")  # typography never matters
        return text
    if kind == "cleaned":
        return sent.clean()
    if kind == "compound":
        base = sent.clean() if sent.has_filler else sent.raw()
        a, b = sent.compound or ["", ""]
        return base.replace(a, b, 1) if a in base else base
    raise ValueError(kind)


class Planner:
    """Chooses quotes from a video and cites them as real notes do."""

    def __init__(self, rng: random.Random, prof: Profile, video: Video, sidecar: bool, resegmented: bool):
        self.rng = rng
        self.prof = prof
        self.v = video
        self.sidecar = sidecar
        self.resegmented = resegmented
        self.used: set[int] = set()  # segments holding a quote's words (and their neighbours)
        self.teaser_refs = set(video.teaser_sources)
        self._unique: dict[tuple[int, int], bool] = {}

    # -- where ---------------------------------------------------------------------------
    def times(self, ref: tuple[int, int]) -> tuple[float, float, float]:
        t = self.v.sent_times(*ref)
        keys = ["true", "seg_words", "seg_chars", "para_words", "para_chars"]
        vals = [t[k] for k in keys]
        return min(vals), max(vals), t["true"]

    def sentence_ok(self, ref: tuple[int, int], first: bool) -> bool:
        seg = self.v.segs[ref[0]]
        sent = seg.sents[ref[1]]
        if seg.kind not in ("body", "question") or ref[0] in self.used:
            return False
        if sent.nwords < (7 if first else 5):
            return False
        unique = self._unique.get(ref)
        if unique is None:
            # said once (twice: in the cold open too); its words without the fillers nowhere
            # else either (not even inside a longer sentence), so a quote of it has one place
            allowed = 2 if ref in self.teaser_refs else 1
            raw, clean = norm(sent.raw()), norm(sent.clean())
            inside = f" {clean} " in f" {raw} "
            unique = self._unique[ref] = (self.v.count(sent.raw()) == allowed
                                          and self.v.count(sent.clean()) == (allowed if inside else 0))
        return unique

    def candidates(self) -> list[tuple[int, int]]:
        v = self.v
        lo = v.teaser_end + min(30, 0.05 * v.duration)
        hi = v.duration - min(240, 0.2 * v.duration)  # room for a clip after the words
        out = []
        for si, seg in enumerate(v.segs):
            if seg.kind != "body" or not (lo <= seg.start <= hi) or si in self.used:
                continue
            if self.resegmented and v.paras[seg.para].segs[0] != si:
                continue  # re-segmented: quotes cite the paragraph time, inside its first segment
            for k in range(len(seg.sents)):
                if self.sentence_ok((si, k), True):
                    out.append((si, k))
        return out

    def following(self, ref: tuple[int, int]) -> tuple[int, int] | None:
        """The sentence said after ``ref`` by the same voice (None at a change of speaker)."""
        si, k = ref
        seg = self.v.segs[si]
        if k + 1 < len(seg.sents):
            return si, k + 1
        if si + 1 >= len(self.v.segs):
            return None
        nxt = self.v.segs[si + 1]
        if nxt.speaker != seg.speaker or nxt.kind != "body":
            return None
        return si + 1, 0

    # -- building --------------------------------------------------------------------------
    def build(self, where: str, *, n: int | None = None, span_seconds: float | None = None,
              dialogue: bool = False, prefer_teaser: bool = False, prefer_shared: bool = False,
              near: float | None = None) -> Quote | None:
        """A quote starting at a sentence said near ``near`` (a share of the video, 0-1)."""
        rng, v = self.rng, self.v
        cands = self.candidates()
        if dialogue:
            cands = [r for r in cands if r[1] == 0 and r[0] > 0 and v.segs[r[0] - 1].kind == "question"
                     and (r[0] - 1) not in self.used]
        if prefer_teaser:
            t = [r for r in cands if r in self.teaser_refs]
            cands = t or cands
        if prefer_shared:
            s = [r for r in cands if r[1] == 0 and v.segs[r[0]].para > 0
                 and v.segs[r[0]].para and v.paras[v.segs[r[0]].para].segs[0] == r[0]
                 and v.paras[v.segs[r[0]].para - 1].time == v.paras[v.segs[r[0]].para].time]
            cands = s or cands
        if not cands:
            return None
        if near is not None:  # the few candidates nearest to that point of the video
            at = near * v.duration
            cands = sorted(cands, key=lambda r: (abs(v.segs[r[0]].start - at), r))[:6]
        best: Quote | None = None
        for attempt in range(12):
            first = rng.choice(cands)
            refs = [first]
            skipped = False
            if span_seconds is not None:  # a quote whose last sentence is well after its first
                t0 = self.times(first)[1]
                cur = first
                target = None
                while True:
                    cur = self.following(cur)
                    if cur is None:
                        break
                    lo, _, _ = self.times(cur)
                    if lo - t0 >= span_seconds and self.sentence_ok(cur, False):
                        target = cur
                        break
                    if lo - t0 > span_seconds + 60:
                        break
                if target is None:
                    continue
                second = self.following(first)
                if second is not None and second != target and rng.random() < 0.5 and self.sentence_ok(second, False):
                    refs.append(second)
                refs.append(target)
                skipped = True
            else:
                want = n or (rng.choices([2, 3, 4, 5], [0.25, 0.35, 0.25, 0.15])[0] if where == "highlight"
                             else rng.choices([1, 2, 3], [0.35, 0.4, 0.25])[0])
                cur = first
                while len(refs) < want:
                    nxt = self.following(cur)
                    if nxt is None:
                        break
                    if not self.sentence_ok(nxt, False):
                        break
                    if len(refs) >= 2 and not skipped and rng.random() < 0.08:
                        nxt2 = self.following(nxt)  # skip one sentence: quotes may
                        if nxt2 is not None and self.sentence_ok(nxt2, False):
                            nxt, skipped = nxt2, True
                    if v.segs[nxt[0]].para > v.segs[first[0]].para + 1:
                        break  # a quote runs on into the next paragraph at most (SPEC §3 NC502)
                    refs.append(nxt)
                    cur = nxt
            q = Quote(where, [])
            if dialogue:
                qseg = first[0] - 1
                qk = len(v.segs[qseg].sents) - 1
                qref = (qseg, qk)
                qsent = v.segs[qseg].sents[qk]
                if qsent.nwords < 5 or v.count(qsent.raw()) != 1 or v.count(qsent.clean()) != 1:
                    continue
                if v.segs[first[0]].para > v.segs[qseg].para + 1:
                    continue  # the answer in the question's paragraph or the next one
                refs = [qref] + [r for r in refs[:2] if v.segs[r[0]].para == v.segs[first[0]].para]
                q.dialogue = True
            q.skipped = skipped
            for ref in refs:
                sent = v.segs[ref[0]].sents[ref[1]]
                if sent.has_filler and rng.random() < 0.8:
                    kind = "cleaned"
                elif sent.compound and rng.random() < 0.5:
                    kind = "compound"
                else:
                    kind = "verbatim"
                q.sents.append(QSent(ref, kind, sentence_text(sent, kind, rng)))
            q.speakers = list(dict.fromkeys(v.segs[r[0]].speaker for r in refs))
            q.spans_paragraphs = len({v.segs[r[0]].para for r in refs}) > 1
            if skipped and not dialogue and rng.random() < 0.3:
                q.ellipsis = True
            if span_seconds is None and not dialogue and len(refs) < want and attempt < 11:
                if best is None or len(best.sents) < len(refs):
                    best = q  # shorter than wanted: keep it in case nothing longer is found
                continue
            return self._take(q)
        return self._take(best) if best is not None else None

    def _take(self, q: Quote) -> Quote:
        for r in q.refs:
            for si in (r[0] - 1, r[0], r[0] + 1):
                self.used.add(si)
        return q

    # -- citing -----------------------------------------------------------------------------
    def cite(self, q: Quote) -> None:
        """The attribution time and, for a highlight, thumbnail and clip: the ways real notes do it.

        A = the start of the paragraph holding the first sentence (with a sidecar: of its
        segment; without one, sometimes a segment start inside the paragraph). Highlights:
        "standard" T = S = A; "lead" (1 in 8) T = S a few seconds before A; "deep" (the words
        lie more than 40 s into a long paragraph) A = the paragraph start, S just before the
        words, T = S or A. The clip ends after the last sentence, 20-120 s long when it can.
        """
        rng, v = self.rng, self.v
        first = next((s.ref for s in q.sents if s.ref is not None), None)
        last = next((s.ref for s in reversed(q.sents) if s.ref is not None), None)
        assert first is not None and last is not None
        q.first, q.last = first, last
        q.words_lo, q.words_hi, _ = self.times(first)
        q.last_lo, q.last_hi, last_true = self.times(last)
        last_seg = v.segs[last[0]]
        q.last_end = last_true + v.segs[last[0]].sents[last[1]].nwords / max(0.1, last_seg.nwords / last_seg.dur)
        seg = v.segs[first[0]]
        p = v.paras[seg.para]
        if self.sidecar and not self.resegmented:
            q.A = seg.ts
        elif not self.sidecar and seg.ts != p.time and first[1] == 0 and rng.random() < self.prof.cite_segment_share:
            q.A = seg.ts
            q.unusual.append("cites-inside-paragraph")
        else:
            q.A = p.time
        if q.where != "highlight":
            return
        gap = q.words_hi - q.A
        if gap <= 40:
            room = int(55 - gap)
            if rng.random() < 1 / 8 and room >= 3 and q.A >= 3:
                lead = rng.randint(3, min(30, room, q.A))
                q.S = q.T = q.A - lead
                q.shape = "lead"
                q.unusual.append("lead-in-clip")
            else:
                q.S = q.T = q.A
                q.shape = "standard"
        else:
            q.S = int(math.floor(q.words_lo)) - rng.randint(2, 12)
            q.T = q.S if rng.random() < 0.5 else q.A
            q.shape = "deep"
            q.unusual.append("deep-in-paragraph" + ("-thumbnail-at-paragraph" if q.T == q.A else ""))
        q.E = self.clip_end(q)
        q.tag = q.S

    def clip_end(self, q: Quote) -> int:
        rng = self.rng
        e = max(q.S + rng.randint(20, 120), math.ceil(q.last_end) + rng.randint(3, 20), math.ceil(q.last_hi) + 20)
        e = min(e, q.S + 590, self.v.duration)
        return e


# ---------------------------------------------------------------------------- defects


def synonym_edit(rng: random.Random, text: str, n: int) -> str | None:
    """``text`` with ``n`` words swapped for synonyms (None if it has too few)."""
    toks = text.split(" ")
    spots = [i for i, t in enumerate(toks) if re.sub(r"\W", "", t).lower() in SYNONYMS]
    if len(spots) < n:
        return None
    for i in sorted(rng.sample(spots, n)):
        t = toks[i]
        core = re.sub(r"\W", "", t)
        new = SYNONYMS[core.lower()]
        if core[:1].isupper():
            new = new[:1].upper() + new[1:]
        toks[i] = t.replace(core, new, 1)
    return " ".join(toks)


VERB_FORMS = {form for forms in VERBS for form in forms}


def light_edit(rng: random.Random, text: str) -> tuple[str, str] | None:
    """One word changed, added or dropped."""
    how = rng.choice(["change", "add", "drop"])
    toks = text.split(" ")
    if how == "change":
        out = synonym_edit(rng, text, 1)
        if out is not None:
            return out, "changed"
        how = "add"
    if how == "add":  # "really" before an adjective, "just" or "really" before a verb
        adjectives = [i for i in range(1, len(toks)) if re.sub(r"\W", "", toks[i]).lower() in ADJECTIVES
                      and toks[i - 1].lower() in ("is", "was", "it's", "that's", "are", "so", "and", "be")]
        verbs = [i for i in range(1, len(toks)) if re.sub(r"\W", "", toks[i]).lower() in VERB_FORMS]
        if adjectives:
            toks.insert(rng.choice(adjectives), rng.choice(["really", "very", "truly"]))
            return " ".join(toks), "added"
        if verbs:
            toks.insert(rng.choice(verbs), rng.choice(ADDABLE))
            return " ".join(toks), "added"
        how = "drop"
    words = [i for i in range(1, len(toks) - 1) if toks[i].isalpha() and len(toks[i]) > 3
             and toks[i].lower() not in ("know", "mean") and toks[i - 1].lower() != toks[i].lower()]
    if not words:
        return None
    del toks[rng.choice(words)]
    return " ".join(toks), "dropped"


CONTRACTIONS = {"it's": "it is", "don't": "do not", "that's": "that is", "there's": "there is", "can't": "cannot",
                "we're": "we are", "doesn't": "does not", "I'd": "I would", "I've": "I have", "I'm": "I am",
                "Here's": "Here is", "What's": "What is"}
OPENER_RE = re.compile(r"^(So|And|But|Well,|Look,|Honestly,|Basically,|Actually,|Yeah, so|Right, and) ")


def paraphrase(rng: random.Random, text: str) -> str | None:
    """The sentence as a note writer retells it: synonyms, contractions spelled out, openers and tails dropped."""
    out = synonym_edit(rng, text, 2) or synonym_edit(rng, text, 1)
    if out is None:
        return None
    out = OPENER_RE.sub("", out)
    for short, long in CONTRACTIONS.items():
        out = re.sub(rf"\b{re.escape(short)}\b", long, out)
    if ", " in out and rng.random() < 0.5:  # drop what follows the last comma
        head, _tail = out.rsplit(", ", 1)
        if len(head.split()) >= 5:
            out = head + "."
    if rng.random() < 0.3:
        out = rng.choice(["In short, ", "Put simply, ", "Really, "]) + (out if out.startswith("I ") else
                                                                          out[:1].lower() + out[1:])
    out = out.strip()
    return out[:1].upper() + out[1:]


class Defects:
    """Plants defects into a note's plans, and records each in the manifest's terms."""

    def __init__(self, rng: random.Random, planner: Planner, lex: Lexicon):
        self.rng = rng
        self.pl = planner
        self.lex = lex
        self.v = planner.v
        self.records: list[dict] = []

    def record(self, kind: str, anchor: dict, params: dict) -> dict:
        codes, allowed, what = DEFECTS[kind]
        rec = {"kind": kind, "codes": list(codes), "allowed": list(allowed), "what": what,
               "params": params, "anchor": anchor}
        if not self.pl.sidecar:
            rec["allowed"] = [c for c in rec["allowed"] if not c.startswith("NC6")]
        self.records.append(rec)
        return rec

    def plant(self, kind: str, highlights: list[Quote], quotes: list[Quote], keypoints: list[dict]) -> bool:
        rng = self.rng
        free_h = [q for q in highlights if q.defect is None]
        free_q = [q for q in quotes if q.defect is None]
        rng.shuffle(free_h)
        rng.shuffle(free_q)
        if kind in SIDECAR_ONLY and not self.pl.sidecar:
            return False
        if kind == "highlight-moved":
            return any(self.moved(q) for q in free_h)
        if kind == "attribution-wrong-paragraph":
            targets = free_h + free_q if rng.random() < 0.5 else free_q + free_h
            return any(self.wrong_paragraph(q) for q in targets)
        if kind == "thumbnail-off":
            return any(self.thumbnail_off(q) for q in free_h)
        if kind == "clip-starts-late":
            return any(self.clip_late(q) for q in free_h if q.placed)
        if kind == "clip-lead-too-long":
            return any(self.clip_lead(q) for q in free_h if q.placed)
        if kind == "clip-too-short":
            return any(self.clip_short(q) for q in free_h if q.placed)
        if kind == "label-t-mismatch":
            return self.label_t(free_h + free_q, keypoints)
        if kind in ("quote-edited", "quote-paraphrased", "quote-invented"):
            targets = free_q + free_h if rng.random() < 0.5 else free_h + free_q
            return any(self.misquote(q, kind) for q in targets)
        if kind == "wrong-speaker":
            return any(self.wrong_speaker(q) for q in free_h + free_q)
        if kind == "invented-time":
            return self.invented_time(highlights + quotes, keypoints)
        if kind == "attribution-not-segment-start":
            return any(self.not_segment_start(q) for q in free_q + free_h)
        if kind == "attribution-off-segment":
            return any(self.off_segment(q) for q in free_q + free_h)
        raise KeyError(kind)

    # -- highlight timelines ----------------------------------------------------------------
    def moved(self, q: Quote) -> bool:
        v, rng = self.v, self.rng
        length = q.E - min(q.S, q.T, q.A)
        p = v.paras[v.segs[q.first[0]].para]
        lo_ok = v.teaser_end + 150
        for _ in range(10):
            delta = rng.choice([-1, 1]) * rng.randint(max(150, length + 120), 1800)
            new_lo = min(q.S, q.T, q.A) + delta
            new_hi = q.E + delta
            if new_lo < lo_ok or new_hi > v.duration - 5:
                continue
            if p.time - 30 <= q.A + delta <= v.next_para_time[v.segs[q.last[0]].para] + 30:
                continue
            before = {"T": q.T, "S": q.S, "E": q.E, "A": q.A}
            q.T, q.S, q.E, q.A, q.tag = q.T + delta, q.S + delta, q.E + delta, q.A + delta, q.tag + delta
            q.defect = self.record("highlight-moved", {"quote": q, "at": "attribution"},
                                   {"delta": delta, "before": before, "after": {"T": q.T, "S": q.S, "E": q.E, "A": q.A}})
            return True
        return False

    def wrong_paragraph(self, q: Quote) -> bool:
        v, rng = self.v, self.rng
        i = v.segs[q.first[0]].para
        j_last = v.segs[q.last[0]].para
        if q.where == "highlight":
            choices = [j for j in range(1, i - 1) if v.paras[j].time < min(q.S, q.T) - 30
                       and v.paras[j].time > v.teaser_end + 60 and v.paras[j].time != v.paras[i].time]
        else:
            choices = [j for j in range(1, len(v.paras) - 1) if (j <= i - 3 or j >= j_last + 3)
                       and abs(v.paras[j].time - q.A) >= 90 and v.paras[j].time > v.teaser_end + 60]
        choices = [j for j in choices if all(si not in self.pl.used for si in v.paras[j].segs)]
        if not choices:
            return False
        j = rng.choice(choices[-8:] if q.where == "highlight" else choices)
        before = q.A
        if q.where == "highlight" and q.T == q.A and q.T != q.S:
            q.T = v.paras[j].time  # a thumbnail that cited the attribution follows it
        q.A = v.paras[j].time
        q.defect = self.record("attribution-wrong-paragraph", {"quote": q, "at": "attribution"},
                               {"cited": q.A, "quote_at": before, "paragraphs_away": i - j})
        return True

    def thumbnail_off(self, q: Quote) -> bool:
        rng = self.rng
        for _ in range(6):
            t = q.S + rng.choice([-1, 1]) * rng.randint(5, 120)
            if t not in (q.S, q.A) and 0 <= t <= self.v.duration:
                before = q.T
                q.T = t
                q.defect = self.record("thumbnail-off", {"quote": q, "at": "thumbnail"},
                                       {"thumbnail": t, "clip_start": q.S, "attribution": q.A, "was": before})
                return True
        return False

    def _move_start(self, q: Quote, new: int) -> dict:
        before = {"T": q.T, "S": q.S, "E": q.E}
        if q.T == q.S and (q.T != q.A or self.rng.random() < 0.5):
            q.T = new
        q.S = q.tag = new
        return before

    def clip_late(self, q: Quote) -> bool:
        new = math.ceil(q.words_hi) + self.rng.randint(25, 60)
        if new >= self.v.duration - 30:
            return False
        before = self._move_start(q, new)
        if q.E < new + 15:
            q.E = min(self.v.duration, new + self.rng.randint(20, 60))
        q.defect = self.record("clip-starts-late", {"quote": q, "at": "clip"},
                               {"clip_start": new, "words_at": round(q.words_lo, 1), "before": before})
        return True

    def clip_lead(self, q: Quote) -> bool:
        new = math.floor(q.words_lo) - self.rng.randint(75, 200)
        if new < 0 or q.E - new > 590:
            return False
        before = self._move_start(q, new)
        q.defect = self.record("clip-lead-too-long", {"quote": q, "at": "clip"},
                               {"clip_start": new, "words_at": round(q.words_lo, 1), "lead": round(q.words_lo - new),
                                "before": before})
        return True

    def clip_short(self, q: Quote) -> bool:
        if q.last_lo - q.words_hi < 40 or len(q.refs) < 2:
            return False
        new_end = math.floor(q.last_lo) - self.rng.randint(15, 25)
        if new_end < max(q.S + 12, q.A + 5, math.ceil(q.words_hi) + 5):
            return False
        before = q.E
        q.E = new_end
        q.defect = self.record("clip-too-short", {"quote": q, "at": "clip"},
                               {"clip_end": new_end, "was": before, "last_sentence_at": round(q.last_lo, 1)})
        return True

    # -- links ------------------------------------------------------------------------------
    def label_t(self, quotes: list[Quote], keypoints: list[dict]) -> bool:
        rng = self.rng
        where = rng.choice(["attribution", "keypoint", "paragraph"])
        delta = rng.choice([60, -60, 600, -600, 3600, rng.randint(1, 30), -rng.randint(1, 30)])
        if where == "attribution" and quotes:
            q = quotes[0]
            t = q.A + delta
            if 0 <= t <= self.v.duration and t != q.A:
                q.A_t = t
                q.defect = self.record("label-t-mismatch", {"quote": q, "at": "attribution"},
                                       {"label": q.A, "t": t, "link": "attribution"})
                return True
        if where == "keypoint" and keypoints:
            kp = rng.choice(keypoints)
            t = kp["time"] + delta
            if 0 <= t <= self.v.duration and t != kp["time"] and "t" not in kp:
                kp["t"] = t
                kp["defect"] = self.record("label-t-mismatch", {"keypoint": kp}, {"label": kp["time"], "t": t,
                                                                                  "link": "key point"})
                return True
        paras = [p for p in self.v.paras[1:] if not hasattr(p, "t_override")]
        if not paras:
            return False
        p = rng.choice(paras)
        t = p.time + delta
        if not (0 <= t <= self.v.duration) or t == p.time:
            return False
        p.t_override = t  # type: ignore[attr-defined]
        p.defect = self.record("label-t-mismatch", {"para": p}, {"label": p.time, "t": t,  # type: ignore[attr-defined]
                                                                  "link": "transcript paragraph"})
        return True

    # -- words ------------------------------------------------------------------------------
    def misquote(self, q: Quote, kind: str) -> bool:
        rng = self.rng
        n = len(q.sents)
        if q.dialogue:
            return False
        # keep the quote placed by its first sentence; a one-sentence quote may lose it only
        # when its citation holds the attribution (standard or lead shape)
        if n == 1:
            if q.where == "highlight" and q.shape == "deep":
                return False
            idx = 0
        else:
            idx = rng.randrange(1, n)
        s = q.sents[idx]
        base = self.v.segs[s.ref[0]].sents[s.ref[1]].clean() if s.ref is not None else s.text
        if kind == "quote-edited":
            got = light_edit(rng, base)
            if got is None:
                return False
            text, how = got
            params = {"sentence": idx + 1, "edit": how, "transcript": base, "quote": text}
            new = QSent(s.ref, "edited", text)
        elif kind == "quote-paraphrased":
            text = paraphrase(rng, base)
            if text is None:
                return False
            params = {"sentence": idx + 1, "transcript": base, "quote": text}
            new = QSent(s.ref, "paraphrased", text)
        else:
            text, _c = self.lex.fill(rng, rng.choice(INVENTED_TEMPLATES))
            text = text.replace(NBSP, " ")
            idx = n if n > 1 or rng.random() < 0.5 else 0
            if n == 1 and q.where == "highlight" and q.shape == "deep":
                idx = n
            params = {"sentence": idx + 1, "quote": text}
            new = QSent(None, "invented", text)
        if self.v.count(text) != 0 or self.v.said(text):
            return False  # the change must make words nobody said, also without fillers and repeats
        if kind == "quote-invented":
            q.sents.insert(idx, new)
        else:
            q.sents[idx] = new
        q.defect = self.record(kind, {"quote": q, "at": ("sentence", params["sentence"])}, params)
        return True

    def wrong_speaker(self, q: Quote) -> bool:
        if q.name is None or q.dialogue or q.sidecar_issue is not None or not self.pl.sidecar_named:
            return False
        speaker = self.v.segs[q.first[0]].speaker
        others = [n for n in self.lex.speakers if n != speaker]
        if not others:
            return False
        before = q.name
        q.name = self.rng.choice(others)
        q.defect = self.record("wrong-speaker", {"quote": q, "at": "attribution"},
                               {"attributed": q.name, "spoken_by": before})
        return True

    def invented_time(self, all_quotes: list[Quote], keypoints: list[dict]) -> bool:
        v, rng = self.v, self.rng
        starts = {s.ts for s in v.segs}
        cited = {kp["time"] for kp in keypoints} | {q.A for q in all_quotes}
        quoted_paras = {v.segs[r[0]].para for q in all_quotes for r in q.refs}
        choices = []
        for i in range(2, len(v.paras) - 1):
            p, prev, nxt = v.paras[i], v.paras[i - 1], v.paras[i + 1]
            if i in quoted_paras or i - 1 in quoted_paras or p.time in cited or hasattr(p, "t_override"):
                continue
            if not (prev.time < p.time < nxt.time) or nxt.time - prev.time < 6:
                continue
            opts = [t for t in range(prev.time + 1, nxt.time) if t not in starts]
            if opts:
                choices.append((i, opts))
        if not choices:
            return False
        i, opts = rng.choice(choices)
        p = v.paras[i]
        new = rng.choice(opts)
        p.invented = new  # type: ignore[attr-defined]
        p.defect = self.record("invented-time", {"para": p}, {"time": new, "segment_start": p.time})  # type: ignore
        return True

    def not_segment_start(self, q: Quote) -> bool:
        v = self.v
        seg = v.segs[q.first[0]]
        p = v.paras[seg.para]
        if seg.ts == p.time or q.dialogue or q.words_hi - p.time > 40:
            return False
        if q.where == "highlight" and q.shape != "standard":
            return False
        before = q.A
        q.A = p.time
        if q.where == "highlight":
            q.T = q.S = q.tag = p.time
        q.defect = self.record("attribution-not-segment-start", {"quote": q, "at": "attribution"},
                               {"cited": p.time, "segment_start": before})
        return True

    def off_segment(self, q: Quote) -> bool:
        v = self.v
        seg = v.segs[q.first[0]]
        room = v.next_seg_ts[q.first[0]] - seg.ts
        if room < 3 or q.A != seg.ts:
            return False
        before = q.A
        q.A = seg.ts + self.rng.randint(1, min(4, room - 1))
        q.defect = self.record("attribution-off-segment", {"quote": q, "at": "attribution"},
                               {"cited": q.A, "segment_start": before})
        return True


# ---------------------------------------------------------------------------- self-check

MARGIN = 15  # SPEC §2: a word's time is a rough estimate; allow about 15 s before calling a quote cut off


def timeline_problems(q: Quote, v: Video, sidecar: bool, resegmented: bool) -> list[str]:
    """Why this highlight's times would not mean what the manifest says (empty: they do).

    Clean: SPEC §2 holds with room to spare. Planted: the defect is beyond every margin.
    """
    out = []
    kind = q.defect["kind"] if q.defect else None
    seg = v.segs[q.first[0]]
    p = v.paras[seg.para]
    if kind in (None, "quote-edited", "quote-paraphrased", "quote-invented", "wrong-speaker", "label-t-mismatch",
                "attribution-off-segment", "attribution-not-segment-start"):
        if q.T not in (q.S, q.A):
            out.append("thumbnail is neither clip start nor attribution")
        if not q.A < q.E:
            out.append("attribution not before clip end")
        if not 5 <= q.E - q.S <= 600 or q.E > v.duration:
            out.append("clip length")
        if q.placed:
            if kind is None and sidecar and not resegmented and q.A != seg.ts:
                out.append("attribution is not the segment start")
            if not p.time <= q.A < v.next_para_time[seg.para]:
                out.append("attribution outside the paragraph")
            if q.S > q.words_lo + 8:
                out.append(f"clip starts {q.S - q.words_lo:.0f} s after the words")
            if q.words_hi - q.S > 55:
                out.append(f"clip starts {q.words_hi - q.S:.0f} s before the words")
            if q.last_hi >= q.E - 3:
                out.append("last sentence not inside the clip")
        elif not (q.A - 55 <= q.S <= q.A):
            out.append("unplaced quote: clip does not hold the attribution")
    elif kind == "clip-starts-late" and q.S < q.words_hi + MARGIN + 5:
        out.append("clip-starts-late within the margin")
    elif kind == "clip-lead-too-long" and q.words_lo - q.S < 60 + MARGIN:
        out.append("clip-lead-too-long within the margin")
    elif kind == "clip-too-short" and q.last_lo < q.E + MARGIN - 5:
        out.append("clip-too-short within the margin")
    elif kind == "thumbnail-off" and q.T in (q.S, q.A):
        out.append("thumbnail-off is not off")
    return out


# ---------------------------------------------------------------------------- the note


def make_video_id(rng: random.Random) -> str:
    while True:
        vid = "".join(rng.choice(ID_CHARS) for _ in range(11))
        if sum(c.isalpha() and c not in "eE" for c in vid) >= 3:
            return vid


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class NoteOut:
    name: str  # relative path of the note
    text: bytes
    sidecar_name: str | None
    sidecar: bytes | None
    manifest: dict


class NoteWriter:
    def __init__(self, rng: random.Random, prof: Profile, vid: str):
        self.rng = rng
        self.prof = prof
        self.vid = vid
        self.lines: list[str] = []
        self.video: Video | None = None

    @property
    def speakers(self) -> dict[int, str]:
        assert self.video is not None
        return {i: s.speaker for i, s in enumerate(self.video.segs)}

    def next_ref(self, ref: tuple[int, int]) -> tuple[int, int] | None:
        assert self.video is not None
        si, k = ref
        if k + 1 < len(self.video.segs[si].sents):
            return si, k + 1
        return (si + 1, 0) if si + 1 < len(self.video.segs) else None

    def emit(self, text: str = "") -> int:
        self.lines.append(text)
        return len(self.lines)

    def url(self, t: int | None) -> str:
        style = self.prof.link_style
        if self.prof.mixed_links and self.rng.random() < 0.3:
            style = self.rng.choice(["watch", "watch-no-s", "youtu.be", "no-www"])
        if t is None:
            return f"https://www.youtube.com/watch?v={self.vid}"
        if style == "watch-no-s":
            return f"https://www.youtube.com/watch?v={self.vid}&t={t}"
        if style == "youtu.be":
            return f"https://youtu.be/{self.vid}?t={t}"
        if style == "no-www":
            return f"https://youtube.com/watch?v={self.vid}&t={t}s"
        return f"https://www.youtube.com/watch?v={self.vid}&t={t}s"

    def link(self, seconds: int, t: int | None = None) -> str:
        return f"[{label(seconds, self.prof.label_style)}]({self.url(seconds if t is None else t)})"


def _title(rng: random.Random, prof: Profile, lex: Lexicon, headline: str) -> tuple[str, str, str | None]:
    """(front matter title, H1, unusual kind or None)."""
    base = f"{prof.guest} — \"{headline}\"" if prof.interview else f"{headline[:1].upper()}{headline[1:]}"
    h1 = base.replace(" — ", " -- ") if rng.random() < 0.5 else base
    if prof.title_kind == "show-suffix":
        return f"{base} | {prof.channel} {rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", \
            h1, "title-show-suffix"
    if prof.title_kind == "quote-style" and '"' in base:
        return base.replace('"', "'"), h1, "title-quote-style"
    return base, h1, None


def make_note(seed: int, index: int, defect_rate: float, sidecar_rate: float, misquote_rate: float = 0.0) -> NoteOut:
    rng = random.Random(f"realcorpus:{seed}:{index}")
    prof = pick_profile(rng)
    speakers = [prof.host, prof.guest] if prof.interview else [prof.host]
    lex = Lexicon(rng, prof.topic, speakers, prof.channel)
    video = make_video(rng, prof, lex)
    defective = rng.random() < defect_rate
    sidecar = len(video.segs) <= MAX_SIDECAR_SEGMENTS and rng.random() < sidecar_rate
    resegmented = sidecar and defective and rng.random() < 0.07
    sidecar_generic = sidecar and rng.random() < 0.2
    if resegmented:  # paragraph times a few seconds into their first segment: no segment's start
        for p in video.paras:
            first = video.segs[p.segs[0]]
            room = int(first.dur)
            if room >= 3:
                p.time = first.ts + rng.randint(1, min(6, room - 2))
        for i in range(1, len(video.paras)):  # never back in time
            video.paras[i].time = max(video.paras[i].time, video.paras[i - 1].time)
    video.index()
    vid = make_video_id(rng)
    planner = Planner(rng, prof, video, sidecar, resegmented)
    planner.sidecar_named = sidecar and not sidecar_generic  # type: ignore[attr-defined]
    defects = Defects(rng, planner, lex)

    # plan the kinds of defects first: some need a quote built for them
    planned: list[str] = []
    if defective and not resegmented:  # a re-segmented note carries that one defect: others would blur with it
        n = rng.choices([1, 2, 3], [0.5, 0.3, 0.2])[0]
        kinds = [k for k in DEFECT_WEIGHTS if sidecar or k not in SIDECAR_ONLY]
        planned = rng.choices(kinds, [DEFECT_WEIGHTS[k] for k in kinds], k=n)
        planned = list(dict.fromkeys(planned))

    # highlights ------------------------------------------------------------------------------
    scale = min(1.0, len(video.paras) / 40)
    n_high = max(2, round(rng.choice([4, 5, 5, 6, 6, 7, 8]) * (0.5 + 0.5 * scale)))
    n_surp = max(1, round(rng.choice([3, 4, 4, 5, 5, 6]) * (0.5 + 0.5 * scale)))
    highlights: list[Quote] = []
    if "clip-too-short" in planned:
        q = planner.build("highlight", span_seconds=rng.randint(45, 80))
        if q is not None:
            highlights.append(q)
    todo = n_high - len(highlights)
    for i in range(todo):  # spread over the video, as real highlights are
        near = (i + rng.random()) / todo
        q = planner.build("highlight", prefer_teaser=(i == 0 and bool(video.teaser_sources)),
                          prefer_shared=(rng.random() < 0.3), dialogue=(rng.random() < 0.05 and prof.interview),
                          near=None if i == 0 and video.teaser_sources else near)
        if q is None:
            q = planner.build("highlight")
        if q is not None:
            highlights.append(q)
    highlights.sort(key=lambda q: rng.random())  # real notes order highlights by importance, not time
    surprising: list[Quote] = []
    for i in range(n_surp):
        q = planner.build("surprising", dialogue=(rng.random() < 0.15 and prof.interview),
                          prefer_teaser=(i == 0 and bool(video.teaser_sources) and rng.random() < 0.5),
                          near=(i + rng.random()) / n_surp)
        if q is None:
            q = planner.build("surprising")
        if q is not None:
            surprising.append(q)
    surprising.sort(key=lambda q: q.refs[0])
    for q in highlights + surprising:
        planner.cite(q)
        if q.dialogue:
            q.name = None if rng.random() < 0.5 else " and ".join(q.speakers)
            q.unusual.append("dialogue")
            if q.name:
                q.unusual.append("two-speaker")
        elif q.where == "surprising" and prof.no_name_surprising:
            q.name = None
        else:
            q.name = q.speakers[0] if rng.random() < 0.9 else q.speakers[0].split(" ")[-1]
        if q.name is None:
            q.unusual.append("no-name")
        if q.where == "highlight":
            q.details_after = rng.random() < prof.details_after
            if q.details_after:
                q.unusual.append("clip-command-after-quote")
            if prof.slug_names:
                q.slug = "-".join(rng.sample(SLUG_WORDS, rng.randint(2, 4)))
                q.unusual.append("slug-output-name")
        q.multiline = len(q.sents) >= 3 and not q.dialogue and rng.random() < 0.15
        for s in q.sents:
            if s.kind in ("cleaned", "compound"):
                q.unusual.append("fillers-removed" if s.kind == "cleaned" else "compound-spelling")
        if q.first in planner.teaser_refs:
            q.unusual.append("cold-open-repeat")
        seg = video.segs[q.first[0]]
        pi = seg.para
        if pi > 0 and video.paras[pi - 1].time == video.paras[pi].time and video.paras[pi].segs[0] == q.first[0]:
            q.unusual.append("shares-start-time")
        if q.spans_paragraphs:
            q.unusual.append("spans-two-paragraphs")
        if q.skipped:
            q.unusual.append("skips-a-sentence" + (" (ellipsis)" if q.ellipsis else ""))
        if q.multiline:
            q.unusual.append("multi-line")
        q.unusual = list(dict.fromkeys(q.unusual))

    # key points and mentions cite paragraph starts
    cite_paras = [p for i, p in enumerate(video.paras) if p.time > 0 and len(video.para_text[i]) > 60]
    n_kp = min(len(cite_paras), rng.randint(6, 18))
    keypoints = [{"time": p.time} for p in sorted(rng.sample(cite_paras, n_kp), key=lambda p: p.time)]
    for _ in range(rng.choice([0, 0, 1, 2])):  # mostly in time order, as in real notes
        i = rng.randrange(max(1, len(keypoints) - 1))
        keypoints[i:i + 2] = keypoints[i:i + 2][::-1]

    # planted defects (one per highlight or quote) ----------------------------------------
    fallbacks = [k for k in DEFECT_WEIGHTS if k != "clip-too-short"]
    rng.shuffle(fallbacks)
    for kind in planned:
        if kind == "clip-too-short":
            cands = [q for q in highlights if q.defect is None and q.placed]
            if any(defects.clip_short(q) for q in cands):
                continue
        elif defects.plant(kind, highlights, surprising, keypoints):
            continue
        for other in fallbacks:  # this note cannot take that kind: another one
            if other not in planned and defects.plant(other, highlights, surprising, keypoints):
                break
    # misquotes as real archives have them (about 3 NC501 a note in 615 real notes): a share of the
    # remaining quotes gets one sentence edited, paraphrased or invented (recorded as defects)
    if misquote_rate > 0 and not resegmented:
        for q in highlights + surprising:
            if q.defect is None and rng.random() < misquote_rate:
                kind = rng.choices(["quote-edited", "quote-paraphrased", "quote-invented"], [5, 3, 2])[0]
                defects.misquote(q, kind)
    problems = [(q.lines.get("heading"), pr) for q in highlights
                for pr in timeline_problems(q, video, sidecar, resegmented)]
    if problems:
        raise AssertionError(f"realcorpus seed {seed} note {index}: highlight times do not mean what the "
                             f"manifest says: {problems}")
    if resegmented:
        defects.record("re-segmented", {"transcript": True},
                       {"paragraphs_off": sum(1 for p in video.paras if p.time not in {s.ts for s in video.segs})})

    # sidecar labels: diarization swaps speakers on some segments (the note is right)
    sidecar_speakers = [s.speaker for s in video.segs]
    # (never on a quote whose note names the wrong speaker: the sidecar is the witness there)
    protected = {r[0] for q in highlights + surprising if q.defect and q.defect["kind"] == "wrong-speaker"
                 for r in q.refs}
    if sidecar and not sidecar_generic and prof.interview and rng.random() < 0.5:
        for i, s in enumerate(video.segs):
            if s.kind in ("body", "question") and rng.random() < 0.05 and i not in protected:
                sidecar_speakers[i] = prof.host if s.speaker == prof.guest else prof.guest
    sidecar_issues = []
    if sidecar and not sidecar_generic:
        for q in highlights + surprising:
            held = sorted({r[0] for r in q.refs})
            swapped = [si for si in held if sidecar_speakers[si] != video.segs[si].speaker]
            if swapped and q.name is not None:
                q.sidecar_issue = {"kind": "sidecar-speaker-wrong", "allowed": ["NC601"], "quote": q,
                                   "params": {"first_segment_swapped": q.first[0] in swapped,
                                              "sidecar_says": sidecar_speakers[swapped[0]],
                                              "spoken_by": video.segs[swapped[0]].speaker}}
                sidecar_issues.append(q.sidecar_issue)
                q.unusual.append("sidecar-speaker-label-wrong")

    # render --------------------------------------------------------------------------------
    w = NoteWriter(rng, prof, vid)
    w.video = video
    headline_q = next((q for q in highlights if not q.dialogue), highlights[0] if highlights else None)
    headline = _headline(rng, headline_q) if headline_q else "A conversation"
    title, h1, title_unusual = _title(rng, prof, lex, headline)
    note_unusual = [u for u in [title_unusual] if u]
    w.emit("---")
    w.emit(f"video_id: {vid}")
    w.emit(f"title: {json.dumps(title, ensure_ascii=False)}")
    w.emit(f"channel: {prof.channel}")
    w.emit(f"duration: {video.duration}")
    dstyle = prof.duration_style if video.duration >= 3600 else "minutes"
    w.emit(f"duration_formatted: \"{label(video.duration, dstyle)}\"")
    if rng.random() < 0.9:
        w.emit(f"view_count: {int(math.exp(rng.uniform(6, 15)))}")
    w.emit(f"upload_date: 20{rng.randint(15, 25):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
    w.emit(f"url: https://www.youtube.com/watch?v={vid}")
    if rng.random() < 0.9:
        w.emit(f"thumbnail: https://i.ytimg.com/vi_webp/{vid}/maxresdefault.webp")
    tags = rng.sample(lex.tags, rng.randint(2, len(lex.tags)))
    if rng.random() < 0.8:
        w.emit("tags:")
        for t in tags:
            w.emit(f"  - {t}")
    else:
        w.emit(f"tags: [{', '.join(tags)}]")
    w.emit("---")
    w.emit()
    w.emit(f"# {h1}")
    w.emit()
    sections: list[dict] = []

    def section(name: str) -> None:
        sections.append({"title": name, "line": w.emit(f"## {name}")})
        w.emit()

    section("Summary")
    gl = prof.guest.split(" ")[-1]
    for _ in range(rng.randint(2, 4)):
        sents = []
        for _ in range(rng.randint(2, 4)):
            text, _c = lex.fill(rng, rng.choice(SUMMARY_TEMPLATES).replace("{G}", prof.guest).replace("{GL}", gl)
                                .replace("{H}", prof.host).replace("{C}", prof.channel))
            sents.append(text.replace(NBSP, " ").replace("{C}", "").strip())
        w.emit(" ".join(sents))
        w.emit()

    section("Highlights")
    for q in highlights:
        _render_highlight(w, rng, prof, q)

    section("Key Points")
    for kp in keypoints:
        t_title, _c = lex.fill(rng, rng.choice(KEYPOINT_TITLES).replace("{N_cap}", "{N}").replace("{P_cap}", "{P}")
                               .replace("{NUM_cap}", "{NUM}"))
        text, _c = lex.fill(rng, rng.choice(KEYPOINT_TEXTS).replace("{GL}", gl).replace("{N_cap}", "{N}"))
        t_title, text = t_title.replace(NBSP, " "), text.replace(NBSP, " ")
        kp["line"] = w.emit(f"- **{t_title}** ({w.link(kp['time'], kp.get('t'))}) - {text}")
    w.emit()

    order = ["Mentions", "Surprising Quotes"] if not prof.surprising_first else ["Surprising Quotes", "Mentions"]
    if prof.surprising_first:
        note_unusual.append("surprising-quotes-before-mentions")
    if "Chapters" in prof.extra_sections:
        section("Chapters")
        for p in sorted(rng.sample(video.paras, min(len(video.paras), 6)), key=lambda p: p.time):
            w.emit(f"- {label(p.time, prof.label_style)} {rng.choice(CHAPTER_NAMES)}")
        w.emit()
        note_unusual.append("chapters-section")
    for name in order:
        if name == "Mentions":
            section("Mentions")
            for group in rng.sample(MENTION_GROUPS, rng.randint(2, 4)):
                w.emit(f"### {group}")
                pool = {"People": lex.who + [prof.guest, prof.host], "Companies": lex.proper,
                        "Products & Technologies": [c[0] for c in lex.compounds], "Books": BOOKS,
                        "Places": lex.proper, "Concepts": CONCEPTS}[group]
                for item in rng.sample(pool, min(len(pool), rng.randint(2, 6))):
                    p = rng.choice(cite_paras)
                    text, _c = lex.fill(rng, rng.choice(MENTION_TEXTS).replace("{GL}", gl))
                    w.emit(f"- **{item}** ({w.link(p.time)}) - {text.replace(NBSP, ' ')}")
                w.emit()
        elif surprising:
            section("Surprising Quotes")
            for q in surprising:
                _render_quote(w, prof, q)
                w.emit()
    if "Additional Resources" in prof.extra_sections:
        section("Additional Resources")
        w.emit(f"- [{prof.channel} on YouTube](https://www.youtube.com/@{slugify(prof.channel)})")
        w.emit()
    if "Verdict" in prof.extra_sections:
        section("Verdict")
        w.emit(f"Worth a listen for anyone interested in {rng.choice(lex.field)}.")
        w.emit()

    tname = "Full Transcript" if prof.full_transcript else "Transcript"
    if prof.full_transcript:
        note_unusual.append("full-transcript-title")
    section(tname)
    transcript_first = len(w.lines) + 1
    chapter_every = rng.randint(8, 16) if prof.chapters else 0
    chapter_names = rng.sample(CHAPTER_NAMES, len(CHAPTER_NAMES))
    chapter_count = 0
    aside_at = rng.sample(range(3, max(4, len(video.paras) - 1)), min(2, max(0, len(video.paras) - 4))) \
        if prof.aside else []
    for i, p in enumerate(video.paras):
        if chapter_every and i and i % chapter_every == 0 and not (i > 0 and video.paras[i - 1].time == p.time):
            name = chapter_names[chapter_count % len(chapter_names)]
            chapter_count += 1
            w.emit(f"### {name}" + (f" ({chapter_count // len(chapter_names) + 1})"
                                    if chapter_count > len(chapter_names) else ""))
            w.emit()
        if i in aside_at and not (i > 0 and video.paras[i - 1].time == p.time):
            w.emit(rng.choice(NOTE_LINES + SPONSOR_LINES))
            w.emit()
        shown = getattr(p, "invented", p.time)
        link = w.link(shown, getattr(p, "t_override", None))
        text = video.para_text[i]
        prefix = f"**{p.speaker}:** " if p.speaker else ""
        p.line = w.emit(f"{prefix}{link} {text}")
        if i + 1 < len(video.paras):
            w.emit()
    transcript_last = len(w.lines)
    if prof.chapters:
        note_unusual.append("chapter-headings-in-transcript")
    if prof.aside:
        note_unusual.append("note-or-sponsor-line-in-transcript")
    if video.teaser_sources:
        note_unusual.append("cold-open-teaser")
    if any(video.paras[i].time == video.paras[i - 1].time for i in range(1, len(video.paras))):
        note_unusual.append("paragraphs-sharing-a-start")
    if video.duration >= 3600 and prof.label_style == "minutes":
        note_unusual.append("labels-minutes-past-59")
    if prof.clip_style == "minutes" and video.duration >= 3600:
        note_unusual.append("clip-bounds-minutes-past-59")
    if prof.link_style != "watch" or prof.mixed_links:
        note_unusual.append(f"links-{prof.link_style}" + ("-mixed" if prof.mixed_links else ""))
    if prof.crlf:
        note_unusual.append("crlf")
    if prof.curly:
        note_unusual.append("curly-quotes")
    if prof.final_newlines != 1:
        note_unusual.append(f"{prof.final_newlines}-final-newlines")
    if sidecar_generic:
        note_unusual.append("sidecar-generic-speaker-labels")
    if sidecar and any(sidecar_speakers[i] != s.speaker for i, s in enumerate(video.segs)):
        note_unusual.append("sidecar-diarization-swaps")

    text = "\n".join(w.lines).rstrip("\n") + "\n" * prof.final_newlines
    if prof.crlf:
        text = text.replace("\n", "\r\n")
    folder = slugify(prof.channel)
    name = f"{folder}/{vid}.md"

    # sidecar --------------------------------------------------------------------------------
    sidecar_bytes = None
    sidecar_name = None
    if sidecar:
        generic = {}
        segments = []
        for i, s in enumerate(video.segs):
            who = sidecar_speakers[i]
            if sidecar_generic:
                who = generic.setdefault(who, f"SPEAKER_{len(generic):02d}")
            segments.append({"timestamp": hms(s.ts), "speaker": who, "text": s.text})
        doc = {"video_id": vid, "title": title, "duration": video.duration, "language": "en",
               "full_transcript": segments}
        sidecar_bytes = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        sidecar_name = f"{folder}/{vid}.json"

    # manifest -------------------------------------------------------------------------------
    total = len(w.lines)
    for rec in defects.records:
        rec["file"] = name
        anchor = rec.pop("anchor")
        if "quote" in anchor:
            q = anchor["quote"]
            lines = q.lines
            rec["lines"] = [lines["first"], lines["last"]]
            at = anchor["at"]
            if at == "attribution":
                rec["line"] = lines["attribution"]
            elif at == "thumbnail":
                rec["line"] = lines["thumbnail"]
            elif at == "clip":
                rec["line"] = lines["clip"]
            else:
                rec["line"] = lines["sentences"][at[1] - 1]
            rec["in"] = q.where
        elif "keypoint" in anchor:
            rec["line"] = anchor["keypoint"]["line"]
            rec["lines"] = [rec["line"], rec["line"]]
            rec["in"] = "key point"
        elif "para" in anchor:
            rec["line"] = anchor["para"].line
            rec["lines"] = [rec["line"], rec["line"]]
            rec["in"] = "transcript paragraph"
        else:
            rec["line"] = transcript_first - 2
            rec["lines"] = [1, total]
            rec["in"] = "note"
    issues = []
    for iss in sidecar_issues:
        q = iss["quote"]
        issues.append({"kind": iss["kind"], "line": q.lines["attribution"], "lines": [q.lines["first"], q.lines["last"]],
                       "allowed": iss["allowed"], "codes": [], "params": iss["params"], "in": q.where,
                       "what": "the sidecar's speaker label is wrong on a segment holding the quote; the note is right "
                               "(not a note defect; SPEC: NC601 may say so as a warning)"})

    def qinfo(q: Quote) -> dict:
        out = {"lines": [q.lines["first"], q.lines["last"]], "quote_lines": q.lines["quote"],
               "attribution_line": q.lines["attribution"], "A": q.A,
               "sentences": [s.kind for s in q.sents], "speaker": q.name,
               "word_for_word": [(" " + norm(s.text) + " ") in video.stream for s in q.sents],
               "quote_at": {"segment_start": video.segs[q.first[0]].ts,
                            "paragraph_start": video.paras[video.segs[q.first[0]].para].time,
                            "words": [round(q.words_lo, 1), round(q.words_hi, 1)],
                            "last_sentence": [round(q.last_lo, 1), round(q.last_hi, 1)]},
               "unusual": q.unusual, "defect": q.defect["kind"] if q.defect else None}
        if q.where == "highlight":
            out.update({"heading_line": q.lines["heading"], "thumbnail_line": q.lines["thumbnail"],
                        "clip_line": q.lines["clip"], "T": q.T, "S": q.S, "E": q.E, "shape": q.shape})
        return out

    manifest = {
        "video_id": vid, "sidecar": sidecar_name, "bytes": len(text.encode("utf-8")),
        "sidecar_bytes": len(sidecar_bytes) if sidecar_bytes else 0,
        "duration": video.duration, "paragraphs": len(video.paras), "segments": len(video.segs),
        "sections": sections, "h1": h1, "title": title,
        "transcript": {"line": transcript_first - 2, "paragraphs": len(video.paras),
                       "first_line": transcript_first, "last_line": transcript_last},
        "highlights": [qinfo(q) for q in highlights],
        "quotes": [qinfo(q) for q in surprising],
        "defects": defects.records,
        "sidecar_issues": issues,
        "unusual": note_unusual,
        # highlights and quotes without a planted defect but with features real notes have
        # and a linter may stumble on: each must draw no finding
        "unusual_items": [{"file": name, "in": q.where, "lines": [q.lines["first"], q.lines["last"]],
                           "line": q.lines["attribution"], "kinds": q.unusual}
                          for q in highlights + surprising if q.unusual and q.defect is None],
    }
    return NoteOut(name, text.encode("utf-8"), sidecar_name, sidecar_bytes, manifest)


FUNCTION_WORDS = {"the", "a", "an", "of", "to", "in", "and", "that", "is", "it", "we", "i", "for", "with", "on",
                  "at", "but", "so", "be", "are", "was", "our", "my", "your", "their", "this", "than", "more",
                  "most", "about", "you", "they", "when", "if", "what", "how", "why", "nobody", "whether", "can",
                  "could", "would", "will", "once", "me", "have", "has", "before", "after", "all"}


def _headline(rng: random.Random, q: Quote) -> str:
    """A highlight's title: the start of its quote, cut at a clause boundary."""
    text = next((s.text for s in q.sents if s.kind != "invented"), q.sents[0].text) if q.sents else "A conversation"
    text = re.sub(r"^(Um, you know, |Um, |Uh, |Er, |I mean, )", "", text)
    text = re.sub(r" -- you know --|, (you know|um|uh|I mean),", "", text)  # no filler in a title
    text = re.sub(r"\b(\w+(?:'\w+)?) (?:-- )?\1\b", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"^(So|And|But|Well|Look|Honestly|Basically|Actually|Yeah, so|Right, and),? ", "", text)
    text = text.replace('"', "'").rstrip(".?!")
    for sep in (": ", "; ", ", "):
        head = text.split(sep)[0]
        if 3 <= len(head.split(" ")) <= 10:
            text = head
            break
    words = text.split(" ")
    if len(words) > 10:
        words = words[:rng.randint(6, 10)]
    while len(words) > 3 and words[-1].lower().strip(",;:") in FUNCTION_WORDS:
        words.pop()
    text = " ".join(words).rstrip(",;:")
    return text[:1].upper() + text[1:]


def _quote_marks(prof: Profile) -> tuple[str, str]:
    return ("\u201c", "\u201d") if prof.curly else ('"', '"')


def _render_quote(w: NoteWriter, prof: Profile, q: Quote) -> None:
    """The quote's ``>`` lines and its attribution; records their line numbers in q.lines."""
    op, cl = _quote_marks(prof)
    sent_lines: list[int] = []
    quote_lines: list[int] = []
    if q.dialogue:
        groups: list[list[int]] = []
        last_speaker = None
        for i, s in enumerate(q.sents):
            who = w.speakers.get(s.ref[0]) if s.ref is not None else q.speakers[0]
            if who != last_speaker:
                groups.append([])
                last_speaker = who
            groups[-1].append(i)
    elif q.multiline:
        cut = max(1, len(q.sents) // 2)
        groups = [list(range(cut)), list(range(cut, len(q.sents)))]
    else:
        groups = [list(range(len(q.sents)))]
    first_line = None
    for gi, group in enumerate(groups):
        parts = []
        for i in group:
            s = q.sents[i]
            sep = " ... " if (q.ellipsis and i > 0 and q.sents[i - 1].ref and s.ref and
                              s.ref != w.next_ref(q.sents[i - 1].ref)) else " "
            parts.append((sep if parts else "") + s.text)
        body = "".join(parts)
        if q.dialogue or len(groups) == 1:
            line = f"> {op}{body}{cl}"
        elif gi == 0:
            line = f"> {op}{body}"
        elif gi == len(groups) - 1:
            line = f"> {body}{cl}"
        else:
            line = f"> {body}"
        n = w.emit(line)
        first_line = first_line or n
        quote_lines.append(n)
        sent_lines.extend([n] * len(group))
    who = f"{q.name}, " if q.name else ""
    n = w.emit(f"> {prof.dash} {who}{w.link(q.A, q.A_t)}")
    q.lines.update({"quote": quote_lines, "sentences": sent_lines, "attribution": n})
    q.lines.setdefault("first", first_line)
    q.lines["last"] = max(q.lines.get("last", 0) or 0, n)


def _render_highlight(w: NoteWriter, rng: random.Random, prof: Profile, q: Quote) -> None:
    style = rng.random()
    head = _headline(rng, q)
    if style < 0.75:
        heading = f"### \"{head}\""
    elif style < 0.9:
        heading = f"### {head}"
    else:
        heading = f"### \"{head}\" ({rng.choice(['a key moment', 'on ' + rng.choice(['the past', 'the future', 'risk'])])})"
    q.lines["first"] = w.emit(heading)
    q.lines["heading"] = q.lines["first"]
    w.emit()
    if rng.random() < 0.85:
        img = f"https://img.youtube.com/vi/{w.vid}/hqdefault.jpg"
    else:
        img = rng.choice([f"https://i.ytimg.com/vi/{w.vid}/maxresdefault.jpg",
                          f"https://i.ytimg.com/vi_webp/{w.vid}/sddefault.webp"])
    alt = "Clip" if rng.random() < 0.85 else head
    q.lines["thumbnail"] = w.emit(f"[![{alt}]({img})]({w.url(q.T)})")

    def details() -> None:
        w.emit("<details>")
        w.emit("<summary>Clip command</summary>")
        w.emit()
        w.emit("```bash")
        out = f"{q.slug}.mp4" if q.slug else f"{w.vid}-{tag(q.tag)}.mp4"
        q.lines["clip"] = w.emit(
            f"yt-dlp --download-sections \"*{clip_bound(q.S, prof.clip_style)}-{clip_bound(q.E, prof.clip_style)}\" "
            f"\"https://www.youtube.com/watch?v={w.vid}\" --force-keyframes-at-cuts --merge-output-format mp4 "
            f"-o \"{out}\"")
        w.emit("```")
        n = w.emit("</details>")
        q.lines["last"] = max(q.lines.get("last", 0) or 0, n)

    if not q.details_after:
        details()
        w.emit()
        _render_quote(w, prof, q)
    else:
        w.emit()
        _render_quote(w, prof, q)
        w.emit()
        details()
    w.emit()


# ---------------------------------------------------------------------------- corpus


def generate(out: Path, notes: int, seed: int, defect_rate: float = 0.3, sidecar_rate: float = 0.45,
             misquote_rate: float = 0.0) -> dict:
    """Write ``notes`` notes (and their sidecars) under ``out`` and ``out/manifest.json``; return the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict] = {}
    seen_ids: set[str] = set()
    for i in range(notes):
        note = make_note(seed, i, defect_rate, sidecar_rate, misquote_rate)
        if note.manifest["video_id"] in seen_ids:  # ~never: a second draw for this index
            note = make_note(seed, i + 1_000_000, defect_rate, sidecar_rate, misquote_rate)
        seen_ids.add(note.manifest["video_id"])
        path = out / note.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(note.text)
        if note.sidecar is not None and note.sidecar_name is not None:
            (out / note.sidecar_name).write_bytes(note.sidecar)
        files[note.name] = note.manifest
    manifest = {
        "generator": "benchmarks/realcorpus.py", "version": GENERATOR_VERSION, "seed": seed, "notes": notes,
        "defect_rate": defect_rate, "sidecar_rate": sidecar_rate, "misquote_rate": misquote_rate,
        "codes": {k: {"expected": v[0], "allowed": v[1], "what": v[2]} for k, v in DEFECTS.items()},
        "files": files,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def describe(manifest: dict) -> str:
    files = manifest["files"].values()
    sizes = sorted(f["bytes"] for f in files)
    paras = sorted(f["paragraphs"] for f in files)
    side = [f for f in files if f["sidecar"]]
    segs = sorted(f["segments"] for f in side)
    quotes = [len(f["highlights"]) + len(f["quotes"]) for f in files]
    kinds: dict[str, int] = {}
    for f in files:
        for q in f["highlights"] + f["quotes"]:
            for k in q["sentences"]:
                kinds[k] = kinds.get(k, 0) + 1
    n_sent = sum(kinds.values()) or 1
    exact = [x for f in files for q in f["highlights"] + f["quotes"] for x in q["word_for_word"]]
    defects: dict[str, int] = {}
    for f in files:
        for d in f["defects"]:
            defects[d["kind"]] = defects.get(d["kind"], 0) + 1
    shapes: dict[str, int] = {}
    for f in files:
        for h in f["highlights"]:
            shapes[h["shape"]] = shapes.get(h["shape"], 0) + 1
    clean = sum(1 for f in files if not f["defects"])
    lines = [
        f"{len(sizes)} notes, {sum(sizes) / 1e6:.1f} MB (median {statistics.median(sizes) / 1000:.0f} KB, "
        f"max {sizes[-1] / 1000:.0f} KB); transcript paragraphs median {statistics.median(paras):.0f}, max {paras[-1]}",
        f"sidecars: {len(side)} ({100 * len(side) / max(1, len(sizes)):.0f}%), "
        f"{sum(f['sidecar_bytes'] for f in side) / 1e6:.1f} MB; segments median "
        f"{statistics.median(segs) if segs else 0:.0f}, max {segs[-1] if segs else 0}",
        f"quotes: {sum(quotes) / max(1, len(quotes)):.1f} a note; sentences: "
        + ", ".join(f"{k} {v} ({100 * v / n_sent:.1f}%)" for k, v in sorted(kinds.items(), key=lambda x: -x[1]))
        + f"; not found word for word: {100 * (1 - sum(exact) / max(1, len(exact))):.0f}%",
        "highlight shapes: " + ", ".join(f"{k} {v}" for k, v in sorted(shapes.items(), key=lambda x: -x[1])),
        f"notes without planted defects: {clean}; planted: "
        + (", ".join(f"{k} {v}" for k, v in sorted(defects.items())) or "none"),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write a seeded corpus of real-like video notes, sidecars and a "
                                             "ground-truth manifest.json.")
    ap.add_argument("--out", required=True, type=Path, help="folder to write (created; files are overwritten)")
    ap.add_argument("--notes", type=int, default=300, help="how many notes (default 300)")
    ap.add_argument("--seed", type=int, default=1, help="the seed: same seed, same bytes (default 1)")
    ap.add_argument("--defect-rate", type=float, default=0.3,
                    help="share of notes with planted defects, 1-3 each (default 0.3; 0 = all clean)")
    ap.add_argument("--sidecar-rate", type=float, default=0.45,
                    help="chance a note has a sidecar (notes over 950 segments never do; default 0.45)")
    ap.add_argument("--misquote-rate", type=float, default=0.0,
                    help="share of the other quotes given one edited, paraphrased or invented sentence "
                         "(real archives: about 0.3; default 0)")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.notes < 0 or not all(0 <= r <= 1 for r in (args.defect_rate, args.sidecar_rate, args.misquote_rate)):
        ap.error("--notes must be >= 0, rates between 0 and 1")
    if args.out.exists() and any(args.out.iterdir()) and not (args.out / "manifest.json").is_file():
        ap.error(f"{args.out} is not empty and holds no manifest.json: refusing to write into it")
    manifest = generate(args.out, args.notes, args.seed, args.defect_rate, args.sidecar_rate, args.misquote_rate)
    if not args.quiet:
        print(f"wrote {args.out}/ (manifest.json beside the notes)")
        print(describe(manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
