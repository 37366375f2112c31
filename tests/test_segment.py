"""transkit.segment: sentence spans, sentences of a transcript, timing without audio."""

from __future__ import annotations

import statistics
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SEED_DIR, SOURCE_DIR, shared_file
from transkit.errors import UsageError
from transkit.model import Metadata, Paragraph, Speaker, Transcript
from transkit.segment import (
    SpeechRate,
    clause_marks,
    estimate_timing,
    parse_rate_overrides,
    segment_transcript,
    sentences_of,
    split_sentences,
    spoken_ms,
    spoken_words,
)

SEED_NAME = "meduza-stoltenberg-interview-2022-04-07.txt"


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


# --- hard cases -------------------------------------------------------------------

HARD_CASES = [
    # abbreviations
    ("The U.S. and the U.K. agreed. Then Mr. Smith left.", ["The U.S. and the U.K. agreed.", "Then Mr. Smith left."]),
    ("Dr. Jones met Mr. Brown at St. Paul's. They talked.", ["Dr. Jones met Mr. Brown at St. Paul's.", "They talked."]),
    ("Use tools, e.g. hammers, i.e. heavy ones. Fine.", ["Use tools, e.g. hammers, i.e. heavy ones.", "Fine."]),
    ("He lives at No. 5 Main St. in town. Next one.", ["He lives at No. 5 Main St. in town.", "Next one."]),
    ("He was born in the U.S. He moved later.", ["He was born in the U.S.", "He moved later."]),
    ("I live in St. Petersburg. It is cold.", ["I live in St. Petersburg.", "It is cold."]),
    ("We met at 5 p.m. on Monday. Then we left.", ["We met at 5 p.m. on Monday.", "Then we left."]),
    # a plain "No." answer is a sentence
    ("No. That is wrong.", ["No.", "That is wrong."]),
    # decades, initials, numbers, dates
    ("The 1990s were hopeful. The 2000s were not.", ["The 1990s were hopeful.", "The 2000s were not."]),
    ("J. R. R. Tolkien wrote it. He was British.", ["J. R. R. Tolkien wrote it.", "He was British."]),
    (
        "It rose 3.5 percent, to 1,997 units on 7 April 2022. Good.",
        ["It rose 3.5 percent, to 1,997 units on 7 April 2022.", "Good."],
    ),
    ("On the contrary, 141 UN members voted. Fine.", ["On the contrary, 141 UN members voted.", "Fine."]),
    # quotes, straight and curly; a sentence may end inside the quote
    ('He said "stop the war." Then he left.', ['He said "stop the war."', "Then he left."]),
    ("He said “stop the war.” Then he left.", ["He said “stop the war.”", "Then he left."]),
    ("He said ‘stop the war.’ Then he left.", ["He said ‘stop the war.’", "Then he left."]),
    ("He asked ‘why?’ Then he left.", ["He asked ‘why?’", "Then he left."]),
    ("Or “special operation,” according to them.", ["Or “special operation,” according to them."]),
    ("The Allies’ decision holds. Ukraine’s too.", ["The Allies’ decision holds.", "Ukraine’s too."]),
    # dashes do not split
    ("There is no evidence — none at all. Whatsoever.", ["There is no evidence — none at all.", "Whatsoever."]),
    ("Borders —borders that we know— matter. Yes.", ["Borders —borders that we know— matter.", "Yes."]),
    # ellipses: a pause before a lowercase word, a sentence end before a capital
    ("It is... it is hard. Yes.", ["It is... it is hard.", "Yes."]),
    ("It is… it is hard. Yes.", ["It is… it is hard.", "Yes."]),
    ("It ended... Then it began.", ["It ended...", "Then it began."]),
    ("It ended… Then it began.", ["It ended…", "Then it began."]),
    # brackets, question and exclamation marks
    (
        "Ukraine wanted membership [in NATO], and then, of course, we agreed. We accepted.",
        ["Ukraine wanted membership [in NATO], and then, of course, we agreed.", "We accepted."],
    ),
    ("Is this true? Not at all! There is none. Whatsoever.", ["Is this true?", "Not at all!", "There is none.", "Whatsoever."]),
    ("Really?! Yes!!! Fine.", ["Really?!", "Yes!!!", "Fine."]),
    ("“Stop!” he said. “Now.” Then quiet.", ["“Stop!” he said.", "“Now.”", "Then quiet."]),
    # no final punctuation, line breaks inside a paragraph
    ("Ends without a full stop", ["Ends without a full stop"]),
    ("A line\nwrapped here. Another\r\none.", ["A line\nwrapped here.", "Another\r\none."]),
]


@pytest.mark.parametrize(("text", "expected"), HARD_CASES, ids=[c[0][:40] for c in HARD_CASES])
def test_hard_cases(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("text", ["", " ", "\n\n", "\t \u00a0 \u3000"])
def test_blank_text_has_no_sentences(text):
    assert split_sentences(text) == []


@pytest.mark.parametrize("marker", ["∯", "♨", "&ᓰ&", "☝", "✂"])
def test_text_pysbd_uses_internally_is_not_lost(marker):
    # pysbd uses these characters as placeholders and drops text around them.
    text = f"It costs {marker}5 here. Fine. Done."
    assert sentences(text) == [f"It costs {marker}5 here.", "Fine.", "Done."]


def test_surrounding_whitespace_is_not_part_of_a_span():
    text = "  \n First one.   Second one.\t\n"
    assert split_sentences(text) == [(4, 14), (17, 28)]


# --- offsets property ----------------------------------------------------------------

ATOMS = [
    "NATO", "war", "the", "Russia", "and", "Mr.", "Dr.", "U.S.", "e.g.", "i.e.", "No.", "St.", "5", "3.5",
    "1,997", "1990s", "J.", "“", "”", "‘", "’", "'", '"', "—", "–", "-", "…", "...", "?", "!", ".", ",",
    ";", ":", "[in", "NATO]", "(left)", "∯", "♨", "a.", "b)", "1.", "?!", "Ukraine’s",
]
SEPARATORS = ["", " ", " ", " ", "  ", "\n", "\t", "\u00a0", "\r\n"]

word_text = st.lists(st.tuples(st.sampled_from(ATOMS), st.sampled_from(SEPARATORS)), max_size=40).map(
    lambda parts: "".join(atom + sep for atom, sep in parts)
)


def assert_spans_tile(text: str, spans: list[tuple[int, int]]) -> None:
    covered: set[int] = set()
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text), spans
        piece = text[start:end]
        assert piece == piece.strip(), piece
        covered.update(range(start, end))
        previous_end = end
    assert {i for i, ch in enumerate(text) if not ch.isspace()} <= covered


@settings(max_examples=300, deadline=None)
@given(word_text)
def test_spans_cover_every_non_space_character_in_order(text):
    assert_spans_tile(text, split_sentences(text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_is_split_without_loss(text):
    assert_spans_tile(text, split_sentences(text))


# --- the interview ----------------------------------------------------------------

# Openings of the interviewer's paragraphs in the seed; every other spoken
# paragraph is Jens Stoltenberg's.
INTERVIEWER_OPENINGS = (
    "Has NATO ever wanted", "What was the best time", "Russian state propaganda often says",
    "I believe the Russian authorities have", "What actions is the Alliance", "There is a popular video",
    "Are small European countries", "And so no comments", "How strong is collective security",
    "What are the long-term consequences", "Should we prepare ourselves", "Do you think Ukraine is getting",
    "Russian propaganda and officials insist", "Russian authorities pretend", "If we can imagine we reach",
    "Did the Alliance ever consider", "Do all Allies agree", "This question is really important",
    "Do you have some special words",
)


def transcript_from_seed() -> Transcript:
    """The interview built straight from the raw seed: the editor's note as a note,
    the question/answer paragraphs as speech, captions and page furniture left out."""
    seed = shared_file(SEED_DIR, SEED_NAME)
    blocks = [b.strip() for b in seed.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    note = next(b for b in blocks if b.startswith("Please note."))
    first = next(i for i, b in enumerate(blocks) if b.startswith(INTERVIEWER_OPENINGS[0]))
    last = next(i for i, b in enumerate(blocks) if b.startswith("Follow Meduza"))
    paragraphs = [Paragraph(index=0, kind="note", text=note)]
    for block in blocks[first:last]:
        if "\n" in block:  # a photo caption with its credit line
            continue
        speaker = "KM" if block.startswith(INTERVIEWER_OPENINGS) else "JS"
        paragraphs.append(Paragraph(index=len(paragraphs), kind="speech", text=block, speaker=speaker))
    return Transcript(
        meta=Metadata(title="If President Putin wants less NATO on his borders", publisher="Meduza"),
        speakers=(Speaker("KM", "Kirill Martynov"), Speaker("JS", "Jens Stoltenberg")),
        paragraphs=tuple(paragraphs),
        source_path=str(seed),
    )


def load_interview() -> Transcript:
    """The structured ``source/interview.md`` once the importer has written it, else the seed."""
    path = SOURCE_DIR / "interview.md"
    if path.exists():
        from transkit.ingest import load_transcript

        return load_transcript(path)
    return transcript_from_seed()


@pytest.fixture(scope="module")
def interview() -> Transcript:
    return load_interview()


@pytest.fixture(scope="module", params=["seed", "source"])
def any_interview(request) -> Transcript:
    if request.param == "seed":
        return transcript_from_seed()
    path = SOURCE_DIR / "interview.md"
    if not path.exists():
        pytest.skip("source/interview.md is not written yet")
    from transkit.ingest import load_transcript

    return load_transcript(path)


def test_seed_transcript_is_built_as_expected():
    transcript = transcript_from_seed()
    speakers = [p.speaker for p in transcript.spoken]
    assert speakers.count("KM") == len(INTERVIEWER_OPENINGS)
    assert speakers[0] == "KM" and speakers[-1] == "JS"


def test_sentences_point_into_their_paragraphs(any_interview):
    result = sentences_of(any_interview)
    by_index = {p.index: p for p in any_interview.paragraphs}
    assert [s.id for s in result] == list(range(len(result)))
    for sentence in result:
        paragraph = by_index[sentence.paragraph]
        assert paragraph.kind == "speech"
        assert sentence.speaker == paragraph.speaker
        assert sentence.text == paragraph.text[sentence.start : sentence.end]


def test_sentences_keep_every_spoken_word_in_order(any_interview):
    result = sentences_of(any_interview)
    spoken_words_in_source = [w for p in any_interview.spoken for w in p.text.split()]
    words_in_sentences = [w for s in result for w in s.text.split()]
    assert words_in_sentences == spoken_words_in_source
    assert [s.paragraph for s in result] == sorted(s.paragraph for s in result)


def test_notes_are_not_sentences(any_interview):
    notes = [p for p in any_interview.paragraphs if p.kind == "note"]
    assert notes, "the interview has an editor's note"
    note_indexes = {p.index for p in notes}
    assert not any(s.paragraph in note_indexes for s in sentences_of(any_interview))


def test_interview_sentences_look_like_sentences(any_interview):
    for sentence in sentences_of(any_interview):
        assert sentence.text[0].isupper() or sentence.text[0] in "“‘\"'[(", sentence.text
        assert sentence.text.rstrip("”’\"')]")[-1] in ".?!…", sentence.text


def test_interview_hard_spots(interview):
    texts = [s.text for s in sentences_of(interview)]
    # three short sentences in a row
    i = texts.index("Not at all.")
    assert texts[i + 1 : i + 3] == ["There is no comparison.", "Whatsoever."]
    # a bracketed insertion, a decade and a curly-quoted word stay inside their sentences
    assert "For some years Ukraine wanted membership [in NATO], and then, of course, we agreed." in texts
    assert any(t.startswith("The first years after the end of the Cold War, the 1990s, there was") for t in texts)
    assert any(t.endswith("but never “used” Ukraine.") for t in texts)
    # a question ending in a curly quote is followed by its own sentence
    assert "Or “special operation,” according to official Russian censorship." in texts


# --- timing -------------------------------------------------------------------------


def make_transcript(*paragraphs: tuple[str, str]) -> Transcript:
    return Transcript(
        meta=Metadata(title="t"),
        speakers=(Speaker("A", "Ann"), Speaker("B", "Bob")),
        paragraphs=tuple(
            Paragraph(index=i, kind="speech", text=text, speaker=speaker) for i, (speaker, text) in enumerate(paragraphs)
        ),
    )


def test_timing_is_ordered_with_pauses(interview):
    rate = SpeechRate()
    segments = segment_transcript(interview, rate)
    assert segments
    assert segments[0].start_ms == rate.lead_in_ms
    for seg in segments:
        assert isinstance(seg.start_ms, int) and isinstance(seg.end_ms, int)
        assert seg.end_ms > seg.start_ms
        assert seg.timing == "estimated"
    for before, after in zip(segments, segments[1:]):
        gap = after.start_ms - before.end_ms
        assert gap >= rate.sentence_pause_ms
        if after.speaker != before.speaker:
            assert gap >= rate.turn_pause_ms
        elif after.paragraph != before.paragraph:
            assert gap >= rate.paragraph_pause_ms


def test_segments_carry_their_sentences(interview):
    sentences = sentences_of(interview)
    segments = estimate_timing(interview, sentences)
    assert [(s.id, s.paragraph, s.speaker, s.text, s.start, s.end) for s in sentences] == [
        (g.id, g.paragraph, g.speaker, g.text, g.char_start, g.char_end) for g in segments
    ]


def test_interview_lasts_like_a_real_interview(interview):
    segments = segment_transcript(interview)
    minutes = segments[-1].end_ms / 60_000
    assert 20 <= minutes <= 25
    # and the overall pace, pauses included, is a plausible speaking rate
    words = sum(len(p.text.split()) for p in interview.spoken)
    assert 110 <= words / minutes <= 160


def test_duration_is_proportional_to_spoken_length():
    transcript = make_transcript(("A", "One two three four. One two three four five six seven eight."))
    short, long = segment_transcript(transcript, SpeechRate(clause_pause_ms=0))
    assert abs(long.duration_ms - 2 * short.duration_ms) <= 1
    assert short.duration_ms == round(4 * 60_000 / SpeechRate().wpm)


def test_clause_marks_lengthen_a_sentence():
    plain = make_transcript(("A", "We agreed and then we left and then we came back."))
    pauses = make_transcript(("A", "We agreed, and then we left — and then we came back."))
    rate = SpeechRate(clause_pause_ms=200)
    (a,) = segment_transcript(plain, rate)
    (b,) = segment_transcript(pauses, rate)
    assert b.duration_ms - a.duration_ms == 2 * 200


def test_speaker_rate_override_changes_only_that_speaker():
    transcript = make_transcript(("A", "Why is that so? Tell me."), ("B", "Because it is. That is all."))
    base = segment_transcript(transcript)
    faster_b = segment_transcript(transcript, SpeechRate(speaker_wpm=(("B", SpeechRate().wpm * 2),)))
    for old, new in zip(base, faster_b):
        if old.speaker == "A":
            assert new.duration_ms == old.duration_ms
        else:
            assert abs(new.duration_ms - old.duration_ms / 2) <= 1
    assert faster_b[-1].end_ms < base[-1].end_ms


def test_pause_settings_are_used():
    transcript = make_transcript(("A", "One. Two."), ("A", "Three."), ("B", "Four."))
    rate = SpeechRate(sentence_pause_ms=111, paragraph_pause_ms=222, turn_pause_ms=333, lead_in_ms=5000)
    segments = segment_transcript(transcript, rate)
    gaps = [b.start_ms - a.end_ms for a, b in zip(segments, segments[1:])]
    assert gaps == [111, 222, 333]
    assert segments[0].start_ms == 5000


def test_largest_pause_applies_when_pauses_are_unusual():
    transcript = make_transcript(("A", "One."), ("B", "Two."))
    segments = segment_transcript(transcript, SpeechRate(sentence_pause_ms=900, turn_pause_ms=100))
    assert segments[1].start_ms - segments[0].end_ms == 900


def test_empty_transcripts_give_no_segments():
    assert segment_transcript(make_transcript()) == ()
    assert segment_transcript(make_transcript(("A", "  \n "))) == ()
    notes_only = Transcript(Metadata("t"), (), (Paragraph(0, "note", "An editor's note."),))
    assert sentences_of(notes_only) == ()
    assert segment_transcript(notes_only) == ()


def test_a_sentence_without_words_still_takes_time():
    (seg,) = segment_transcript(make_transcript(("A", "…")))
    assert seg.duration_ms == round(60_000 / SpeechRate().wpm)


def test_rate_for_unknown_speaker_is_refused():
    transcript = make_transcript(("A", "Hello there."))
    with pytest.raises(UsageError, match="'C'"):
        segment_transcript(transcript, SpeechRate(speaker_wpm=(("C", 150.0),)))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("We agreed.", 2),
        ("Ukraine’s right to self-defense.", 5),  # hyphen parts are words; the apostrophe is not a break
        ("The Helsinki Final Act of 1975.", 8),  # nineteen seventy-five
        ("In 2014.", 4),
        ("For 70 years.", 3),
        ("It was 3.5 percent.", 6),  # three point five
        ("The U.S. agreed.", 3),
        ("— …", 1),  # at least one word
    ],
)
def test_spoken_words(text, words):
    assert spoken_words(text) == words


@pytest.mark.parametrize(
    ("text", "marks"),
    [
        ("No, NATO is a defensive alliance.", 1),
        ("Issues — energy, environment, but also borders.", 3),
        ("He sold 1,997 units at 3:30 today.", 0),  # separators inside numbers are not pauses
        ("It ended...", 0),  # final punctuation is the sentence pause, not a clause pause
        ("Well… maybe; maybe not.", 2),
    ],
)
def test_clause_marks(text, marks):
    assert clause_marks(text) == marks


def test_spoken_ms_uses_the_speaker_rate():
    rate = SpeechRate(wpm=120, speaker_wpm=(("B", 240.0),), clause_pause_ms=0)
    assert spoken_ms("one two three four", "A", rate) == 2000
    assert spoken_ms("one two three four", "B", rate) == 1000


# --- speech-rate options --------------------------------------------------------------


def test_parse_rate_overrides():
    assert parse_rate_overrides("KM=170,JS=150") == (("KM", 170.0), ("JS", 150.0))
    assert parse_rate_overrides(" KM = 172.5 , ") == (("KM", 172.5),)
    assert parse_rate_overrides("") == ()


@pytest.mark.parametrize(
    "text", ["KM", "KM=", "=170", "KM=fast", "KM=0", "KM=-150", "KM=10000", "KM=nan", "KM=170,KM=150", "K M=170"]
)
def test_bad_rate_overrides_are_usage_errors(text):
    with pytest.raises(UsageError):
        parse_rate_overrides(text)


@pytest.mark.parametrize(
    "change",
    [
        {"wpm": 0},
        {"wpm": float("inf")},
        {"wpm": "fast"},
        {"sentence_pause_ms": -1},
        {"turn_pause_ms": 1.5},
        {"lead_in_ms": True},
        {"speaker_wpm": (("KM",),)},
    ],
)
def test_bad_speech_rates_are_usage_errors(change):
    with pytest.raises(UsageError):
        replace(SpeechRate(), **change)


def test_speech_rate_as_pairs_records_every_setting():
    pairs = dict(SpeechRate(speaker_wpm=(("KM", 170.0),)).as_pairs())
    assert pairs["method"] == "estimated"
    assert pairs["wpm.KM"] == "170"
    assert pairs["turn_pause_ms"] == str(SpeechRate().turn_pause_ms)


def test_segmenting_is_deterministic(interview):
    assert segment_transcript(interview) == segment_transcript(interview)


def test_interview_sentence_lengths_are_subtitle_sized(interview):
    # A sanity check on the split as a whole: no run-on "sentence" swallowed a paragraph.
    lengths = [len(s.text.split()) for s in sentences_of(interview)]
    assert statistics.median(lengths) < 25
    assert max(lengths) < 80


def test_seed_file_is_present():
    assert "defensive alliance" in shared_file(SEED_DIR, SEED_NAME).read_text(encoding="utf-8")
