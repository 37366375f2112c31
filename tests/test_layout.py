"""Cue layout: sentences over their own time spans, split, broken into lines, timed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transkit.check import check_cues
from transkit.layout import LEAD_IN_MS, layout_track, split_sentence
from transkit.linebreak import words_of
from transkit.model import Segment
from transkit.profiles import cue_chars, get_profile

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "ru_first_answers.json"
EN = get_profile("netflix-en")
RU = get_profile("netflix-ru")


def seg(id: int, text: str, start: int, end: int, speaker: str = "JS") -> Segment:
    return Segment(id=id, paragraph=0, speaker=speaker, text=text, start_ms=start, end_ms=end)


def timed(sentences: list[tuple[str, str]], wpm: float = 150, pause: int = 300, turn_pause: int = 800) -> list[Segment]:
    """Segments at a plain speaking rate: (speaker, sentence) pairs one after another."""
    segments, t, previous = [], 0, None
    for i, (speaker, text) in enumerate(sentences):
        if previous is not None:
            t += turn_pause if speaker != previous else pause
        duration = round(len(text.split()) * 60000 / wpm)
        segments.append(seg(i, text, t, t + duration, speaker))
        t += duration
        previous = speaker
    return segments


def words_without_dashes(lines) -> list[str]:
    return [w for line in lines for w in words_of(re.sub(r"^- ", "", line))]


def assert_well_formed(track, profile):
    report = check_cues(track.cues, profile)
    assert report.errors == (), [v.format() for v in report.errors]
    for previous, cue in zip(track.cues, track.cues[1:]):
        assert cue.start_ms - previous.end_ms >= profile.min_gap_ms
    for cue in track.cues:
        assert len(cue.speakers) == len(cue.lines)
        assert cue.segment_ids


# --- splitting one sentence ---------------------------------------------------------

LONG = (
    "We have respected Ukraine, their decisions both when they have aspired for membership and in the "
    "periods they did not aspire for membership, because NATO’s enlargement has always happened as a "
    "result of free, independent democratic choices by democratic nations."
)


def test_long_sentence_is_split_into_cues_that_fit():
    track = layout_track([seg(0, LONG, 0, 17000)], "en", EN)
    assert len(track.cues) >= 3
    for cue in track.cues:
        assert len(cue.lines) <= 2
        assert all(len(line) <= 42 for line in cue.lines)
        assert cue.segment_ids == (0,)
    assert words_without_dashes(l for c in track.cues for l in c.lines) == words_of(LONG)
    assert_well_formed(track, EN)


def test_split_points_follow_punctuation_and_conjunctions():
    pieces = split_sentence(words_of(LONG), "en", EN, 17000)
    ends = [piece[-1] for piece in pieces[:-1]]
    starts = [piece[0] for piece in pieces[1:]]
    good = sum(1 for e, s in zip(ends, starts) if e.endswith(",") or s in {"and", "because", "when", "but"})
    assert good >= len(ends) - 1


def test_cue_times_are_proportional_to_characters():
    track = layout_track([seg(0, LONG, 0, 17000)], "en", EN)
    rates = [cue_chars(c.lines) / c.duration_ms for c in track.cues]
    assert max(rates) / min(rates) < 1.25


def test_a_slow_long_sentence_is_split_for_the_maximum_duration():
    text = "This sentence is spoken very slowly with long pauses."
    track = layout_track([seg(0, text, 0, 16000)], "en", EN)
    assert len(track.cues) >= 3
    assert all(c.duration_ms <= EN.max_duration_ms for c in track.cues)
    assert words_without_dashes(l for c in track.cues for l in c.lines) == words_of(text)


@pytest.mark.parametrize("text", ["Yes.", "Well, yes.", "Whatsoever."])
def test_a_few_words_spoken_very_slowly_stay_within_the_maximum_duration(text):
    track = layout_track([seg(0, text, 0, 30000)], "en", EN)
    assert check_cues(track.cues, EN).errors == ()
    assert words_without_dashes(l for c in track.cues for l in c.lines) == words_of(text)


def test_short_sentence_is_one_line():
    track = layout_track([seg(0, "Absolutely wrong.", 0, 1200)], "en", EN)
    assert [c.lines for c in track.cues] == [("Absolutely wrong.",)]


# --- timing ------------------------------------------------------------------------

def test_fast_sentence_extends_into_the_following_silence():
    text = "Ukraine is an independent nation that makes its own decisions."  # 62 chars
    segments = [seg(0, text, 0, 2000), seg(1, "Next.", 6000, 7000)]
    track = layout_track(segments, "en", EN)
    first = track.cues[0]
    assert first.end_ms > 2000
    assert cue_chars(first.lines) / (first.duration_ms / 1000) <= EN.max_cps
    assert first.end_ms <= 6000 - EN.min_gap_ms


def test_no_extension_beyond_what_reading_needs():
    segments = [seg(0, "No.", 0, 900), seg(1, "Next sentence here.", 10000, 11500)]
    track = layout_track(segments, "en", EN)
    assert track.cues[0].end_ms == 900


def test_short_cue_reaches_the_minimum_duration_when_there_is_silence():
    segments = [seg(0, "I do.", 1000, 1400), seg(1, "Next sentence here.", 5000, 6500)]
    track = layout_track(segments, "en", EN)
    assert track.cues[0].duration_ms >= EN.min_duration_ms
    assert track.cues[0].start_ms == 1000


def test_touching_sentences_keep_the_minimum_gap():
    segments = [seg(0, "The first sentence is here.", 0, 2000), seg(1, "The second one follows.", 2000, 4000)]
    track = layout_track(segments, "en", EN)
    assert track.cues[1].start_ms - track.cues[0].end_ms >= EN.min_gap_ms
    assert track.cues[1].start_ms == 2000


def test_no_cue_starts_before_zero():
    track = layout_track([seg(0, "A long first sentence that needs more time.", 0, 800), seg(1, "Next.", 900, 2000)], "en", EN)
    assert all(c.start_ms >= 0 for c in track.cues)


def test_cue_may_start_a_little_early_but_not_more():
    # 80 characters in 2 s after a long silence: it may start up to LEAD_IN_MS early.
    text = "We established a council, so gradually we even improved the relationship there."
    segments = [seg(0, "Before.", 0, 1000), seg(1, text, 5000, 7000), seg(2, "After.", 7100, 8000)]
    track = layout_track(segments, "en", EN)
    cues = [c for c in track.cues if c.segment_ids == (1,)]
    assert cues[0].start_ms >= 5000 - LEAD_IN_MS


def test_impossible_timing_is_left_for_the_check_to_flag():
    text = "A very long sentence that nobody could ever read in the half second it is shown for."
    segments = [seg(0, "Before it.", 0, 1000), seg(1, text, 1100, 1600), seg(2, "After it.", 1700, 3000)]
    track = layout_track(segments, "en", EN)
    report = check_cues(track.cues, EN)
    assert {v.rule for v in report.errors} & {"cps", "min-duration"}
    assert words_without_dashes(l for c in track.cues for l in c.lines) == words_of(
        "Before it. " + text + " After it."
    )


# --- short sentences sharing a cue --------------------------------------------------

def test_short_sentences_of_one_speaker_share_a_cue_when_alone_they_cannot_be_read():
    segments = [
        seg(0, "Not at all.", 0, 700),
        seg(1, "There is no comparison.", 800, 2100),
        seg(2, "Whatsoever.", 2200, 2900),
        seg(3, "What we did in Yugoslavia was to stop atrocities.", 3000, 6000),
    ]
    track = layout_track(segments, "en", EN)
    merged = [c for c in track.cues if len(c.segment_ids) > 1]
    assert merged, [c.lines for c in track.cues]
    assert merged[0].segment_ids[:2] == (0, 1)
    for cue in merged:
        assert set(cue.speakers) == {"JS"}
        assert not any(line.startswith("- ") for line in cue.lines)
    assert_well_formed(track, EN)


def test_speaker_change_inside_a_cue_uses_dialogue_dashes():
    segments = [
        seg(0, "Is this true?", 1000, 1800, "KM"),
        seg(1, "Not at all.", 1800, 2500, "JS"),
        seg(2, "There is no comparison whatsoever between the two.", 2600, 5500, "JS"),
    ]
    track = layout_track(segments, "en", EN)
    dialogue = track.cues[0]
    assert dialogue.lines == ("- Is this true?", "- Not at all.")
    assert dialogue.speakers == ("KM", "JS")
    assert dialogue.segment_ids == (0, 1)
    assert_well_formed(track, EN)


def test_cues_never_mix_speakers_without_dashes(interview_track):
    for cue in interview_track.cues:
        if len(set(cue.speakers)) > 1:
            assert all(line.startswith("- ") for line in cue.lines)


def test_sentences_with_room_are_not_merged():
    segments = [seg(0, "Not at all.", 0, 1000), seg(1, "There is no comparison.", 1500, 3000)]
    track = layout_track(segments, "en", EN)
    assert [c.segment_ids for c in track.cues] == [(0,), (1,)]


# --- translations and typography ------------------------------------------------------

def test_translated_texts_replace_the_english_and_missing_ones_get_no_cue():
    segments = [seg(0, "No.", 0, 1500), seg(1, "Yes.", 2000, 3500)]
    track = layout_track(segments, "ru", RU, texts={0: 'Он сказал "нет"...'})
    assert [c.lines for c in track.cues] == [("Он сказал «нет»…",)]
    assert track.language == "ru"


def test_layout_is_deterministic():
    segments = timed([("JS", LONG), ("KM", "Is this true?"), ("JS", "Not at all.")])
    assert layout_track(segments, "en", EN) == layout_track(segments, "en", EN)


def test_segments_out_of_order_are_laid_out_in_time_order():
    segments = [seg(1, "Second sentence.", 3000, 4500), seg(0, "First sentence.", 0, 1500)]
    track = layout_track(segments, "en", EN)
    assert [c.segment_ids for c in track.cues] == [(0,), (1,)]


# --- the real interview ----------------------------------------------------------------

@pytest.fixture(scope="module")
def interview():
    from transkit.ingest import load_transcript
    from transkit.segment import segment_transcript

    transcript = load_transcript(ROOT / "source" / "interview.md")
    return transcript, segment_transcript(transcript)


@pytest.fixture(scope="module")
def interview_track(interview):
    _, segments = interview
    return layout_track(segments, "en", EN)


def _plain_words(text: str) -> list[str]:
    # English typography turns ' and " into curly marks; compare the words themselves.
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return text.split()


def test_interview_has_zero_check_errors_with_netflix_en(interview_track):
    report = check_cues(interview_track.cues, EN)
    assert report.errors == (), [v.format() for v in report.errors]
    assert len(interview_track.cues) > 150


def test_interview_cue_words_are_the_spoken_words_in_order(interview, interview_track):
    transcript, _ = interview
    spoken = [w for p in transcript.spoken for w in _plain_words(p.text)]
    shown = [w for c in interview_track.cues for line in c.lines for w in _plain_words(re.sub(r"^- ", "", line))]
    assert shown == spoken


def test_interview_words_never_cross_a_sentence_boundary(interview, interview_track):
    """The cues of each sentence (or of sentences sharing one cue) show exactly its words."""
    _, segments = interview
    by_id = {s.id: s for s in segments}
    groups: list[tuple[tuple[int, ...], list[str]]] = []
    for cue in interview_track.cues:
        words = [w for line in cue.lines for w in _plain_words(re.sub(r"^- ", "", line))]
        if groups and groups[-1][0] == cue.segment_ids:
            groups[-1][1].extend(words)
        else:
            groups.append((cue.segment_ids, words))
    for ids, words in groups:
        assert words == [w for i in ids for w in _plain_words(by_id[i].text)], ids
    shown_ids = [i for ids, _ in groups for i in ids]
    assert shown_ids == sorted(by_id)


def test_interview_lines_never_end_with_an_article(interview_track):
    ends = [line.split()[-1].lower() for c in interview_track.cues for line in c.lines]
    assert not {"a", "an", "the"} & set(ends)


def test_interview_cues_stay_near_their_speech(interview, interview_track):
    _, segments = interview
    by_id = {s.id: s for s in segments}
    for cue in interview_track.cues:
        first = by_id[cue.segment_ids[0]]
        assert cue.start_ms >= first.start_ms - LEAD_IN_MS


# --- Russian: the fixture through layout and typography ---------------------------------

RU_ONE_LETTER = {"в", "к", "с", "у", "о", "и", "а", "я"}
RU_PARTICLES = {"ли", "же", "бы"}


def _fixture_rows() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))["segments"]


def _ru_segments_real(interview) -> list[Segment]:
    _, segments = interview
    rows = _fixture_rows()
    chosen = list(segments[: len(rows)])
    assert [s.text for s in chosen] == [r["en"] for r in rows], "fixture no longer matches source/interview.md"
    return chosen


def _ru_segments_by_rate() -> list[Segment]:
    return timed([(r["speaker"], r["en"]) for r in _fixture_rows()])


@pytest.fixture(params=["real-timing", "plain-rate"])
def russian_track(request, interview):
    segments = _ru_segments_real(interview) if request.param == "real-timing" else _ru_segments_by_rate()
    texts = {s.id: row["ru"] for s, row in zip(segments, _fixture_rows())}
    return layout_track(segments, "ru", RU, texts=texts)


def test_russian_fixture_has_zero_check_errors(russian_track):
    report = check_cues(russian_track.cues, RU)
    assert report.errors == (), [v.format() for v in report.errors]
    assert len(report.warnings) <= 2


def test_russian_one_letter_words_never_end_a_line(russian_track):
    for cue in russian_track.cues:
        for line in cue.lines:
            last = line.split()[-1]
            assert not (last.lower() in RU_ONE_LETTER), (cue.lines,)


def test_russian_particles_never_start_a_line(russian_track):
    for cue in russian_track.cues:
        for line in cue.lines:
            first = line.split()[0].strip(",.").lower()
            assert first not in RU_PARTICLES, cue.lines


def test_russian_typography_is_applied(russian_track):
    text = "\n".join(line for c in russian_track.cues for line in c.lines)
    assert "«Основополагающий" in text and "«использует»" in text and "«использовали»" in text
    assert "\u2026" in text and "..." not in text
    assert '"' not in text and "'" not in text
    assert " - " not in text and "--" not in text
    assert "\u00a0\u2014 " in text


def test_russian_words_are_all_shown_in_order(russian_track):
    from transkit.typography import apply_typography

    expected = [w for row in _fixture_rows() for w in words_of(apply_typography(row["ru"], "ru"))]
    shown = [w for c in russian_track.cues for line in c.lines for w in words_of(re.sub(r"^- ", "", line))]
    assert shown == expected


# --- properties over random timings ------------------------------------------------------

_SENTENCES = [
    "No.",
    "Absolutely wrong.",
    "Not at all.",
    "Is this true?",
    "NATO is a defensive alliance ready to protect and defend our allies.",
    LONG,
    "Freedom is better than oppression, and democracy is better than autocracy.",
    "I do.",
    "Russia is the biggest land power in Europe.",
]


@st.composite
def random_segments(draw):
    count = draw(st.integers(1, 8))
    segments, t = [], draw(st.integers(0, 3000))
    for i in range(count):
        text = draw(st.sampled_from(_SENTENCES))
        duration = draw(st.integers(max(300, len(text) * 40), 20000))  # speech at most 25 chars/s
        segments.append(seg(i, text, t, t + duration, draw(st.sampled_from(["KM", "JS"]))))
        t += duration + draw(st.integers(0, 3000))
    return segments


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_segments(), st.sampled_from([EN, RU, get_profile("bbc")]))
def test_layout_invariants_hold_for_any_speakable_timing(segments, profile):
    track = layout_track(segments, "en", profile)
    shown = [w for c in track.cues for line in c.lines for w in words_of(re.sub(r"^- ", "", line))]
    assert shown == [w for s in segments for w in words_of(s.text)]
    for cue in track.cues:
        assert 0 <= cue.start_ms < cue.end_ms
        assert cue.duration_ms <= profile.max_duration_ms
        assert 1 <= len(cue.lines) <= profile.max_lines
        assert all(len(line) <= profile.max_chars_per_line for line in cue.lines)
        assert len(cue.speakers) == len(cue.lines)
    for previous, cue in zip(track.cues, track.cues[1:]):
        assert cue.start_ms - previous.end_ms >= profile.min_gap_ms
