"""times.py: labels, t= values, clip bounds and -o tags parse what SPEC §2 allows, and round-trip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notecheck.times import (
    HMS,
    MINUTES,
    describe,
    looks_like_label,
    parse_clip_bound,
    parse_label,
    parse_t,
    parse_tag,
    render_clip_bound,
    render_label,
    render_t,
    render_tag,
)

seconds = st.integers(min_value=0, max_value=30 * 3600)
styles = st.sampled_from([HMS, MINUTES])


# ----------------------------------------------------------------------------- labels


@pytest.mark.parametrize(
    ("text", "secs", "style", "leading_zero"),
    [
        ("9:25", 565, MINUTES, False),
        ("0:34", 34, MINUTES, False),
        ("00:34", 34, MINUTES, True),
        ("09:25", 565, MINUTES, True),
        ("59:59", 3599, MINUTES, False),
        ("60:00", 3600, MINUTES, False),
        ("71:39", 4299, MINUTES, False),
        ("104:00", 6240, MINUTES, False),
        ("1:44:00", 6240, HMS, False),
        ("01:44:00", 6240, HMS, True),
        ("0:09:25", 565, HMS, False),
        ("2:26:08", 8768, HMS, False),
    ],
)
def test_parse_label_valid(text, secs, style, leading_zero):
    label = parse_label(text)
    assert label is not None
    assert (label.seconds, label.style, label.leading_zero) == (secs, style, leading_zero)


@pytest.mark.parametrize("text", ["9:5", "9:65", "1:2:3", "1:60:00", "1:00:60", "1:02:03:04", "", "9", ":25", "9:25s", "٩:٢٥"])
def test_parse_label_rejects_malformed(text):
    assert parse_label(text) is None


def test_zero_hour_and_past_hour():
    assert parse_label("0:09:25").zero_hour
    assert not parse_label("1:09:25").zero_hour
    assert parse_label("60:00").past_hour and not parse_label("59:59").past_hour


@pytest.mark.parametrize("text", ["9:5", "9:65", "1:2:3", "9:25", "1:44:00", " 9:25 "])
def test_looks_like_label_accepts_timeish(text):
    assert looks_like_label(text)


@pytest.mark.parametrize("text", ["Clip", "Part 2", "1.5", "9-25", "Watch the talk", "2024", "a9:25"])
def test_looks_like_label_rejects_other_text(text):
    assert not looks_like_label(text)


@pytest.mark.parametrize(
    ("secs", "style", "text"),
    [(0, HMS, "0:00"), (565, HMS, "9:25"), (3599, HMS, "59:59"), (3600, HMS, "1:00:00"), (6240, HMS, "1:44:00"),
     (6240, MINUTES, "104:00"), (565, MINUTES, "9:25"), (8768, HMS, "2:26:08")],
)
def test_render_label(secs, style, text):
    assert render_label(secs, style) == text


@given(seconds, styles)
def test_label_render_parse_identity(secs, style):
    text = render_label(secs, style)
    label = parse_label(text)
    assert label is not None and label.seconds == secs
    assert not label.leading_zero and not label.zero_hour
    # canonical: re-rendering the parsed label in its own style gives the same text
    assert render_label(label.seconds, label.style if label.past_hour else style) == text


@given(st.from_regex(r"[0-9]{1,3}:[0-5][0-9](:[0-5][0-9])?", fullmatch=True))
def test_label_parse_render_identity_on_canonical_text(text):
    label = parse_label(text)
    assert label is not None
    canonical = not label.leading_zero and not label.zero_hour
    assert (render_label(label.seconds, label.style) == text) == canonical


# ----------------------------------------------------------------------------- t= values


@pytest.mark.parametrize(
    ("text", "secs"),
    [("565s", 565), ("565", 565), ("9m25s", 565), ("1h44m", 6240), ("1h2m3s", 3723), ("0s", 0), ("9m", 540), ("1h", 3600)],
)
def test_parse_t(text, secs):
    assert parse_t(text) == secs


@pytest.mark.parametrize("text", ["", None, "s", "abc", "1h30", "9m25", "565.5", "-5", "5S", "٥٦٥"])
def test_parse_t_rejects(text):
    assert parse_t(text) is None


@given(seconds, st.sampled_from([None, "565s", "565", "9m25s", "1h44m"]))
def test_t_render_parse_identity(secs, like):
    text = render_t(secs, like)
    assert parse_t(text) == secs


def test_render_t_keeps_the_form():
    assert render_t(5100, "4500s") == "5100s"
    assert render_t(5100, "4500") == "5100"
    assert render_t(5100, "1h15m") == "1h25m"
    assert render_t(565, "1h15m") == "9m25s"


# ----------------------------------------------------------------------------- clip bounds


@pytest.mark.parametrize(
    ("text", "secs"),
    [("565", 565.0), ("9:25", 565.0), ("09:25", 565.0), ("104:00", 6240.0), ("1:44:00", 6240.0),
     ("00:09:25", 565.0), ("9:25.5", 565.5), ("90", 90.0), ("9:5", 545.0)],
)
def test_parse_clip_bound(text, secs):
    assert parse_clip_bound(text) == secs


@pytest.mark.parametrize("text", ["", "9:65", "1:60:00", "9:123", "abc", "9:25:", "-5", "inf"])
def test_parse_clip_bound_rejects(text):
    assert parse_clip_bound(text) is None


@given(st.integers(min_value=0, max_value=30 * 3600 * 1000), styles)
def test_clip_bound_render_parse_identity(millis, style):
    secs = millis / 1000
    assert parse_clip_bound(render_clip_bound(secs, style)) == pytest.approx(secs, abs=1e-9)


def test_render_clip_bound_fractions():
    assert render_clip_bound(565.5) == "9:25.5"
    assert render_clip_bound(6240, MINUTES) == "104:00"
    assert render_clip_bound(6240, HMS) == "1:44:00"
    assert render_clip_bound(59.9996) == "1:00"  # rounds to the millisecond, never "0:591"


# ----------------------------------------------------------------------------- -o tags


@given(st.integers(min_value=0, max_value=30 * 3600))
def test_tag_render_parse_identity(secs):
    assert parse_tag(render_tag(secs)) == secs


def test_tags():
    assert render_tag(6240) == "104m00s"
    assert render_tag(565.9) == "9m25s"
    assert parse_tag("104m00s") == 6240
    assert parse_tag("9m60s") is None
    assert parse_tag("9m5s") is None


def test_describe():
    assert describe(5100) == "1:25:00 (5100 s)"
    assert describe(565.5) == "9:25.5 (565.5 s)"
