"""Subtitle in, subtitle out: the faithful reader, sentences over cues, and the
distribution of a translation back over the cues (no model needed here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from transkit.distribute import ELLIPSIS, distribute_words, kept_cues, kept_track
from transkit.export.kept import KeptCues, render_kept
from transkit.ingest.grid_sentences import transcript_from_grid
from transkit.ingest.subtitle_cues import parse_srt_grid, parse_vtt_grid, read_cue_grid, subtitle_kind
from transkit.linebreak import words_of
from transkit.pipeline import prepare_project, source_stem
from transkit.profiles import get_profile
from transkit.projectfile import dumps_project, project_from_dict, project_to_dict

FIXTURES = Path(__file__).parent / "fixtures" / "subtitles"
NETFLIX = get_profile("netflix")


# --------------------------------------------------------------------------- distribution


SENTENCE = "Então nós esperamos e esperamos, e então ele finalmente disse olá a todos nós."


@pytest.mark.parametrize("shares", [[12, 10, 44], [1, 1], [30, 30, 30, 30], [5, 60], [60, 5]])
def test_distribution_keeps_every_word_in_order_and_fills_every_piece(shares):
    pieces = distribute_words(SENTENCE, shares, "pt")
    assert len(pieces) == len(shares)
    assert all(piece.strip() for piece in pieces)
    assert words_of(" ".join(pieces)) == words_of(SENTENCE)


def test_distribution_follows_the_source_share():
    short_first = distribute_words(SENTENCE, [10, 90], "pt")
    long_first = distribute_words(SENTENCE, [90, 10], "pt")
    assert len(short_first[0]) < len(short_first[1])
    assert len(long_first[0]) > len(long_first[1])
    # about a third each when the source had three equal cues
    thirds = distribute_words(SENTENCE, [20, 20, 20], "pt")
    assert all(abs(len(piece) - len(SENTENCE) / 3) < 12 for piece in thirds), thirds


def test_distribution_prefers_a_break_after_punctuation():
    text = "Ninguém sabia, mas o trem nunca chegou à estação naquela noite fria."
    first, second = distribute_words(text, [17, 50], "pt")
    assert first == "Ninguém sabia,"  # the comma is a cheaper break than any word nearer the share


def test_distribution_keeps_pieces_inside_the_room_of_their_cue():
    text = "uma duas três quatro cinco seis sete oito nove dez onze doze treze catorze"
    balanced = distribute_words(text, [50, 50], "pt")
    squeezed = distribute_words(text, [50, 50], "pt", capacities=[15, 200])
    assert len(squeezed[0]) <= 15 < len(balanced[0])


def test_fewer_words_than_cues_leaves_no_cue_empty():
    pieces = distribute_words("Sim.", [10, 10, 10], "pt")
    assert pieces.count("Sim.") == 1 and all(p for p in pieces)
    assert pieces.count(ELLIPSIS) == 2
    assert distribute_words("", [4], "pt") == [ELLIPSIS]


# --------------------------------------------------------------------------- reading


def test_srt_reader_keeps_ids_times_hidden_cues_and_markup():
    grid = read_cue_grid(FIXTURES / "styled.en.srt")
    assert grid.format == "srt" and len(grid.cues) == 7
    assert [c.ident for c in grid.cues] == [str(n) for n in range(1, 8)]
    assert (grid.cues[2].start_ms, grid.cues[2].end_ms, grid.cues[2].text) == (6000, 6000, "hidden")
    assert (grid.cues[3].start_ms, grid.cues[3].end_ms) == (7000, 67000)
    first = grid.cues[0]
    assert first.text == "The station is closed tonight."
    assert [(m.at, m.tag) for m in first.marks] == [(0, "{\\an8}"), (0, "<i>"), (30, "</i>")]
    assert first.raw == "{\\an8}<i>The station is closed tonight.</i>"
    # an unknown tag is markup kept verbatim, not text
    assert grid.cues[5].text == "The river is rising fast." and "<sub>" in [m.tag for m in grid.cues[5].marks]
    dialogue = grid.cues[4]
    assert [(p.lead, dialogue.text[p.start : p.end]) for p in dialogue.parts] == [
        ("- ", "Are you coming with us?"),
        ("- ", "No, I am staying here."),
    ]


def test_vtt_reader_keeps_header_blocks_settings_ids_and_voices():
    grid = read_cue_grid(FIXTURES / "voices.en.vtt")
    assert grid.header.startswith("WEBVTT - a rich file\nKind: captions")
    assert [b.split()[0] for b in grid.cues[0].before] == ["STYLE", "REGION", "NOTE"]
    assert grid.cues[3].before == ("NOTE second note",)
    assert [c.ident for c in grid.cues] == ["intro", "thanks", "", ""]
    assert grid.cues[0].settings == "line:0 position:20% align:start size:60%"
    assert grid.cues[1].settings == "region:top"
    voices = grid.cues[1]
    assert [(p.speaker, voices.text[p.start : p.end]) for p in voices.parts] == [
        ("Ben", "Thank you, Anna."),
        ("Anna", "You're welcome."),
    ]
    assert grid.cues[2].text == "The weather will be & remain cold tomorrow."
    assert grid.cues[3].parts[0].speaker == "Ben"


@pytest.mark.parametrize(
    "name, kind", [("a.SRT", "srt"), ("a.Vtt", "vtt"), ("a.webvtt", "vtt"), ("a.SSA", "ass"), ("a.ass", "ass"), ("a.md", None)]
)
def test_subtitle_kinds_in_any_case(name, kind):
    assert subtitle_kind(name) == kind


def test_webvtt_and_upper_case_suffixes_are_read_as_subtitles(tmp_path):
    for name in ("clip.webvtt", "CLIP.VTT"):
        path = tmp_path / name
        path.write_bytes((FIXTURES / "voices.en.vtt").read_bytes())
        project = prepare_project(path)
        assert project.subtitles is not None and len(project.subtitles.cues) == 4
    upper = tmp_path / "STYLED.SRT"
    upper.write_bytes((FIXTURES / "styled.en.srt").read_bytes())
    assert len(prepare_project(upper).subtitles.cues) == 7


def test_ass_reader_takes_dialogue_events_and_keeps_overrides():
    grid = read_cue_grid(FIXTURES / "karaoke.en.ass")
    assert grid.format == "ass" and [c.ident for c in grid.cues] == ["0", "2", "3"]  # event 1 is a comment
    assert grid.cues[0].text == "The museum opens at noon."
    assert grid.cues[1].text == "We will sing together tonight."
    assert [m.tag for m in grid.cues[1].marks] == ["{\\k40}", "{\\k50}", "{\\k60}", "{\\k40}"]
    assert grid.cues[2].text == "The children are\nwaiting outside."


# --------------------------------------------------------------------------- sentences over cues


def test_a_sentence_over_three_cues_takes_its_time_from_them():
    grid = read_cue_grid(FIXTURES / "drift.en.srt")
    _, segments, grid = transcript_from_grid(grid, "drift.en.srt")
    assert [s.text for s in segments] == ["So we waited and waited and then he finally said hello to all of us."]
    assert (segments[0].start_ms, segments[0].end_ms) == (0, 22000)  # not interpolated
    assert [(p.cue, p.start, p.end) for p in grid.pieces] == [(0, 0, 12), (1, 0, 10), (2, 0, 44)]


def test_dialogue_lines_and_voices_are_sentences_of_their_own():
    _, segments, _ = transcript_from_grid(read_cue_grid(FIXTURES / "styled.en.srt"))
    texts = [s.text for s in segments]
    assert "Are you coming with us?" in texts and "No, I am staying here." in texts
    assert "hidden" not in " ".join(texts)  # a zero-length cue is never shown: kept, not translated
    _, segments, _ = transcript_from_grid(read_cue_grid(FIXTURES / "voices.en.vtt"))
    assert [(s.speaker, s.text) for s in segments[1:3]] == [("Ben", "Thank you, Anna."), ("Anna", "You're welcome.")]


def _translated(path: Path, texts: dict[int, str], fmt: str) -> tuple[str, object]:
    grid = read_cue_grid(path)
    _, segments, grid = transcript_from_grid(grid, path.name)
    outs = kept_cues(grid, segments, texts, "pt", NETFLIX)
    return render_kept(KeptCues(grid, outs, "pt"), fmt).decode(), kept_track(grid, outs, "pt")


def test_a_tag_around_one_sentence_of_a_cue_goes_to_that_sentence(tmp_path):
    path = tmp_path / "two.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:04,000\n<i>Stop.</i> Now go home.\n\n2\n00:00:05,000 --> 00:00:06,000\nA <b>bold</b> word.\n")
    text, _ = _translated(path, {0: "Pare.", 1: "Agora vá para casa.", 2: "Uma palavra ousada."}, "srt")
    assert "<i>Pare.</i> Agora vá para casa." in text
    # a tag around a word inside a sentence cannot be placed: it wraps the whole cue
    assert "<b>Uma palavra ousada.</b>" in text


def test_source_language_is_written_as_the_input(tmp_path):
    for name in ("styled.en.srt", "voices.en.vtt", "karaoke.en.ass"):
        grid = read_cue_grid(FIXTURES / name)
        _, segments, grid = transcript_from_grid(grid)
        outs = kept_cues(grid, segments, None, "en", NETFLIX)
        written = render_kept(KeptCues(grid, outs, "en"), grid.format)
        assert written == (FIXTURES / name).read_bytes(), name


def test_vtt_output_invents_no_voice_and_srt_to_vtt_keeps_common_tags():
    texts = {i: f"frase {i}." for i in range(20)}
    vtt, _ = _translated(FIXTURES / "voices.en.vtt", texts, "vtt")
    assert vtt.count("<v ") == 2 and "<v.loud Ben>" in vtt
    converted, track = _translated(FIXTURES / "styled.en.srt", texts, "vtt")
    assert converted.startswith("WEBVTT\n") and "<i>" in converted and "<font" not in converted
    assert "line:0" in converted.split("\n\n")[1]  # {\an8} becomes a top line
    assert len(track.cues) == 7


# --------------------------------------------------------------------------- project file and names


def test_the_project_file_keeps_the_grid_and_older_files_still_load():
    project = prepare_project(FIXTURES / "voices.en.vtt")
    data = project_to_dict(project)
    again = project_from_dict(data)
    assert again == project and again.subtitles.cues[0].settings.startswith("line:0")
    assert dumps_project(again) == dumps_project(project)
    older = {k: v for k, v in data.items() if k != "subtitles"}
    assert project_from_dict(older).subtitles is None
    interview = prepare_project(Path(__file__).parent.parent / "source" / "interview.md")
    assert "subtitles" not in project_to_dict(interview)


@pytest.mark.parametrize(
    "name, stem",
    [
        ("clip.en.srt", "clip"),
        ("clip.pt-BR.vtt", "clip"),
        ("clip.srt", "clip"),
        ("clip.project.json", "clip"),
        ("interview.md", "interview"),
        ("en.srt", "en"),
        ("season.1.srt", "season.1"),
    ],
)
def test_a_trailing_language_code_is_replaced_not_repeated(name, stem):
    assert source_stem(Path(name)) == stem


def test_lenient_srt_without_numbers_gets_its_place_number(tmp_path):
    path = tmp_path / "loose.srt"
    path.write_text("00:00:01,000 --> 00:00:02,000\nOne.\n\n00:00:03.000 --> 00:00:04,000\nTwo.\n")
    grid = parse_srt_grid(path.read_text(), str(path))
    assert [c.ident for c in grid.cues] == ["", ""]
    text, _ = _translated(path, {0: "Um.", 1: "Dois."}, "srt")
    assert text == "1\n00:00:01,000 --> 00:00:02,000\nUm.\n\n2\n00:00:03,000 --> 00:00:04,000\nDois.\n"
    assert parse_vtt_grid("WEBVTT\n\n00:01.000 --> 00:02.000\nx\n").cues[0].start_ms == 1000


def test_a_tag_around_a_clause_goes_to_the_same_clause_of_the_translation(tmp_path):
    path = tmp_path / "clause.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:04,000\n<i>Wait,</i> where are you going?\n")
    text, _ = _translated(path, {0: "Espere, aonde você vai?"}, "srt")
    assert "<i>Espere,</i> aonde você vai?" in text
    # a translation with another number of clauses: the tag wraps the whole cue
    text, _ = _translated(path, {0: "Aonde você vai?"}, "srt")
    assert "<i>Aonde você vai?</i>" in text
    path.write_text("1\n00:00:01,000 --> 00:00:04,000\nWait, <i>where are you going?</i>\n")
    text, _ = _translated(path, {0: "Espere, aonde você vai?"}, "srt")
    assert "Espere, <i>aonde você vai?</i>" in text


def test_cues_shown_at_the_same_time_are_separate_texts(tmp_path):
    path = tmp_path / "signs.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:03,000\n{\\an8}This text should be at the top\n\n"
        "2\n00:00:01,000 --> 00:00:03,000\n{\\an2}this one at the bottom\n"
    )
    _, segments, _ = transcript_from_grid(read_cue_grid(path))
    assert [s.text for s in segments] == ["This text should be at the top", "this one at the bottom"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d["subtitles"]["pieces"][0].update(cue=99),
        lambda d: d["subtitles"]["pieces"][0].update(end=10**6),
        lambda d: d["subtitles"]["cues"][0]["marks"][0].update(at=-1),
        lambda d: d["subtitles"]["cues"][0].update(start_ms="soon"),
        lambda d: d["subtitles"].update(format="sub"),
    ],
)
def test_a_damaged_grid_in_a_project_file_is_a_clear_input_error(damage):
    from transkit.errors import InputError

    data = project_to_dict(prepare_project(FIXTURES / "voices.en.vtt"))
    damage(data)
    with pytest.raises(InputError, match="malformed project file"):
        project_from_dict(data, "x.project.json")


def test_relayout_in_the_config_file(tmp_path):
    from transkit.cli.options import relayout
    from transkit.config import load_config
    from transkit.errors import UsageError

    config = tmp_path / "transkit.toml"
    config.write_text("[run]\nrelayout = true\n")
    assert relayout(None, load_config(config)) is True
    assert relayout(False, load_config(config)) is False  # --keep-cues wins
    config.write_text('[run]\nrelayout = "yes"\n')
    with pytest.raises(UsageError, match="relayout must be true or false"):
        load_config(config)


def test_a_ruby_annotation_is_markup_not_text(tmp_path):
    path = tmp_path / "ruby.vtt"
    path.write_text("WEBVTT\n\n00:01.000 --> 00:03.000\n<ruby>Tokyo<rt>toh-kyoh</rt></ruby> is big.\n")
    grid = read_cue_grid(path)
    assert grid.cues[0].text == "Tokyo is big." and "<rt>toh-kyoh</rt>" in [m.tag for m in grid.cues[0].marks]
    text, _ = _translated(path, {0: "Tóquio é grande."}, "vtt")
    assert "<ruby>Tóquio é grande.<rt>toh-kyoh</rt></ruby>" in text


def test_a_language_without_spaces_is_cut_between_characters():
    text = "我们等了又等，然后他终于向我们所有人问好。"
    pieces = distribute_words(text, [12, 10, 44], "zh")
    assert len(pieces) == 3 and ELLIPSIS not in pieces and "".join(pieces) == text
    assert pieces[1].endswith("，") or pieces[0].endswith("，")  # the cut after the comma is the cheap one
    assert distribute_words("NATO 是一个防御联盟。", [5, 5], "zh")[0].startswith("NATO")
