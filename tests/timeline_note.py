"""A note shaped like the real ones the timeline rules judge: a full (dense) transcript.

Real transcripts run at 2-3 words a second, start several paragraphs at one time
(``**Dana:** [7:21] Mhm.`` then ``**Tomás:** [7:21] ...``), open with a teaser that is said
again later, and hold quotes deep inside paragraphs minutes long. Highlights start the
thumbnail and clip a few seconds before the quote while the attribution cites the
quote's own paragraph. ``note()`` builds that note, deterministically, with each
highlight's values as parameters so tests can move one of them.
"""

from __future__ import annotations

import random

VID = "Tl0x7fQk2Zc"
URL = f"https://www.youtube.com/watch?v={VID}"
DURATION = 1800

_FILLER = [
    "We went back to the same plots every spring and wrote down what we saw.",
    "Some years the rain came early and some years it did not come at all.",
    "The farmers around us were curious, but they were also careful with their money.",
    "It took a long time before anybody trusted the numbers we were collecting.",
    "You learn to be patient when every experiment lasts a whole season.",
    "There were weeks when nothing happened and weeks when everything happened at once.",
    "We had one tractor, two students and a very old truck that broke down often.",
    "People ask me whether it was worth it, and I always say it depends on the year.",
    "The neighbours still laugh about the summer the irrigation pipe burst.",
    "Most of the work is boring, and the boring part is where the answers are.",
]

TEASER = "If you lose the soil, you lose everything that grows on it."
MHM_QUOTE = "The roots were twice as deep in the plots we never ploughed. Nobody believed us at first."
DEEP_QUOTE = ("Water does not care about your business plan. It goes where the soil lets it go. "
              "Our job was to make the soil let it stay.")
START_QUOTE = "Cover crops cost money for three years and then they pay you back for twenty."
LATER = "We should have measured the wind as well, but nobody thought of it."  # said at 7:40
SURPRISE_QUOTE = "A spoonful of good soil holds more living things than there are people on Earth."


def _filler(rng: random.Random, words: int) -> str:
    out: list[str] = []
    n = 0
    while n < words:
        s = rng.choice(_FILLER)
        out.append(s)
        n += len(s.split())
    return " ".join(out)


def label(seconds: int) -> str:
    m, s = divmod(seconds, 60)
    return f"{m}:{s:02d}" if m < 60 else f"{m // 60}:{m % 60:02d}:{s:02d}"


def link(seconds: int, shown: str | None = None) -> str:
    return f"[{shown or label(seconds)}]({URL}&t={seconds}s)"


def transcript(rng: random.Random | None = None) -> list[tuple[int, str, str]]:
    """(start, speaker, text) paragraphs: full speech, ~2.5 words a second."""
    rng = rng or random.Random(7)
    paras: list[tuple[int, str, str]] = []

    def add(start: int, speaker: str, text: str) -> None:
        paras.append((start, speaker, text))

    add(0, "Tomás", TEASER + " " + _filler(rng, 40))  # cold open: said again at 8:35
    add(20, "Dana", "Welcome to Field Notes. " + _filler(rng, 45))
    add(40, "Tomás", _filler(rng, 1000))  # 0:40 to 7:21 (401 s)
    add(441, "Dana", "Mhm.")
    add(441, "Tomás", MHM_QUOTE + " " + _filler(rng, 30))  # 7:21 to 7:40, with "Mhm." at the same start
    add(460, "Dana", LATER + " " + _filler(rng, 115))  # 7:40 to 8:35
    add(515, "Tomás", TEASER + " " + _filler(rng, 200))  # 8:35 to 10:00
    # 10:00 to 14:00: 600 words, the quote at word 300 (about 12:00)
    add(600, "Tomás", _filler(rng, 290) + " " + DEEP_QUOTE + " " + _filler(rng, 280))
    add(840, "Dana", _filler(rng, 60))  # 14:00 to 14:25
    add(865, "Tomás", START_QUOTE + " " + _filler(rng, 150))  # 14:25 to 15:25
    add(925, "Dana", _filler(rng, 600))  # 15:25 to 19:25
    add(1165, "Tomás", SURPRISE_QUOTE + " " + _filler(rng, 100))  # 19:25 to 20:10
    add(1210, "Dana", _filler(rng, 1400))  # 20:10 to 29:50
    add(1790, "Dana", "Thank you for coming on.")
    return paras


def _highlight(title: str, quote: str, t: int, clip: tuple[str, str], a: int, tag: str | None = None,
               a_shown: str | None = None) -> str:
    start, end = clip
    name = f"{VID}-{tag}.mp4" if tag else "soil-clip.mp4"
    return (f'### "{title}"\n\n'
            f"[![Clip](https://img.youtube.com/vi/{VID}/hqdefault.jpg)]({URL}&t={t}s)\n"
            "<details>\n<summary>Clip command</summary>\n\n```bash\n"
            f'yt-dlp --download-sections "*{start}-{end}" "{URL}" --force-keyframes-at-cuts '
            f'--merge-output-format mp4 -o "{name}"\n```\n</details>\n\n'
            f'> "{quote}"\n> -- Tomás Reyes, {link(a, a_shown)}\n')


# Each highlight as real notes write it (valid: no finding).
HIGHLIGHTS = {
    # the majority: thumbnail = clip start = attribution = the paragraph holding the quote
    "mhm": dict(title="Twice as deep", quote=MHM_QUOTE, t=441, clip=("7:21", "8:00"), a=441, tag="7m21s"),
    # thumbnail and clip 5 s early, the attribution at the quote's paragraph, inside the clip
    "teaser": dict(title="You lose everything", quote=TEASER, t=510, clip=("8:30", "9:20"), a=515, tag="8m30s"),
    # the quote deep inside a 4-minute paragraph: the clip near the words, the attribution at the paragraph
    "deep": dict(title="Water does not care", quote=DEEP_QUOTE, t=710, clip=("11:50", "12:40"), a=600,
                 tag="11m50s"),
    "start": dict(title="Cover crops pay back", quote=START_QUOTE, t=865, clip=("14:25", "15:10"), a=865,
                  tag="14m25s"),
}


def note(crlf: bool = False, highlights: dict | None = None, paragraphs: list | None = None,
         surprise_at: int = 1165, extra_quotes: str = "") -> str:
    hls = dict(HIGHLIGHTS)
    for key, changes in (highlights or {}).items():
        hls[key] = {**hls[key], **changes}
    paras = paragraphs if paragraphs is not None else transcript()
    body = [
        "---",
        f"video_id: {VID}",
        'title: "Tomás Reyes — Soil is slow"',
        "channel: Field Notes",
        f"duration: {DURATION}",
        'duration_formatted: "30:00"',
        "upload_date: 2025-05-01",
        f"url: {URL}",
        "---",
        "",
        "# Tomás Reyes -- Soil is slow",
        "",
        "## Summary",
        "",
        "Tomás Reyes on thirty years of field trials.",
        "",
        "## Highlights",
        "",
        "\n".join(_highlight(**h) for h in hls.values()),
        "## Key Points",
        "",
        f"- **Roots go deeper without ploughing** ({link(441)}) - twice as deep",
        "",
        "## Surprising Quotes",
        "",
        f'> "{SURPRISE_QUOTE}"\n> -- Tomás Reyes, {link(surprise_at)}\n',
        extra_quotes,
        "## Transcript",
        "",
    ]
    for start, speaker, text in paras:
        body.append(f"**{speaker}:** {link(start)} {text}")
        body.append("")
    text = "\n".join(body)
    return text.replace("\n", "\r\n") if crlf else text


def sidecar(paragraphs: list | None = None, speakers: dict | None = None) -> dict:
    """The sidecar these notes were written from: each paragraph split into ~10 s segments."""
    segments = []
    for start, speaker, text in (paragraphs if paragraphs is not None else transcript()):
        words = text.split()
        chunk = 25  # ~10 s of speech
        for i in range(0, len(words), chunk):
            t = start + int(i / 2.5)
            who = (speakers or {}).get(t, speaker)
            segments.append({"timestamp": f"{t // 3600:02d}:{t % 3600 // 60:02d}:{t % 60:02d}",
                             "speaker": {"Tomás": "Tomás Reyes", "Dana": "Dana Whitfield"}.get(who, who),
                             "text": " ".join(words[i:i + chunk])})
    return {"video_id": VID, "duration": DURATION, "full_transcript": segments}
