"""The subtitle linter: each rule, severities, report shapes."""

from __future__ import annotations

import json

import pytest

from transkit.check import CPS_TOLERANCE, RULES, Violation, check_cues
from transkit.model import Cue
from transkit.profiles import cue_chars, cue_words, get_profile, reading_time_ms
from transkit.typography import NBSP

EN = get_profile("netflix-en")
RU = get_profile("netflix-ru")
BBC = get_profile("bbc")


def cue(start: int, end: int, *lines: str) -> Cue:
    return Cue(start, end, tuple(lines))


def good_track(n: int = 3) -> list[Cue]:
    return [cue(i * 3000, i * 3000 + 2500, f"Sentence number {i} is fine.") for i in range(n)]


def rules_of(report) -> list[tuple[str, str, int]]:
    return [(v.rule, v.severity, v.cue_index) for v in report.violations]


def test_a_good_track_has_no_violations():
    report = check_cues(good_track(), EN)
    assert report.violations == ()
    assert report.ok and report.cue_count == 3


def test_chars_per_line_counts_every_character():
    line = "x" * 43
    report = check_cues([cue(0, 5000, line)], EN)
    assert rules_of(report) == [("chars-per-line", "error", 1)]
    assert "43 chars > 42" in report.violations[0].message


def test_no_break_space_is_one_character():
    line = f"Россия{NBSP}— наш сосед, и мы много лет вместе."  # 42 characters
    assert len(line) == 42
    assert check_cues([cue(0, 5000, line)], RU).violations == ()
    assert [v.rule for v in check_cues([cue(0, 5000, line + "!")], RU).violations] == ["chars-per-line"]


def test_lines_per_cue():
    report = check_cues([cue(0, 5000, "one", "two", "three")], EN)
    assert rules_of(report) == [("lines-per-cue", "error", 1)]


def test_min_and_max_duration():
    report = check_cues([cue(0, 500, "Hi."), cue(1000, 8500, "Long enough to read.")], EN)
    assert rules_of(report) == [("min-duration", "error", 1), ("max-duration", "error", 2)]


def test_duration_exactly_at_the_limits_is_fine():
    report = check_cues([cue(0, 833, "Hi."), cue(1000, 8000, "Long enough to read.")], EN)
    assert report.violations == ()


def test_cps_a_little_over_is_a_warning_far_over_an_error():
    text = "x" * 40  # 40 chars: 2 s is exactly 20 CPS
    slightly = int(40 / (20 * (1 + CPS_TOLERANCE / 2)) * 1000)  # 5 % over
    far = int(40 / (20 * 1.3) * 1000)  # 30 % over
    report = check_cues([cue(0, 2000, text), cue(3000, 3000 + slightly, text), cue(6000, 6000 + far, text)], EN)
    assert rules_of(report) == [("cps", "warning", 2), ("cps", "error", 3)]


def test_cps_counts_a_line_break_as_one_space():
    assert cue_chars(("ab", "cd")) == len("ab cd")
    # 41 characters shown on two lines over 2 s: 20.5 CPS, just over 20
    report = check_cues([cue(0, 2000, "x" * 20, "y" * 20)], EN)
    assert [v.rule for v in report.violations] == ["cps"]
    assert report.violations[0].message == "20.5 chars/s > 20"


def test_words_per_second_for_the_bbc_profile():
    assert cue_words(("- Yes, no", "- maybe")) == 3
    report = check_cues([cue(0, 1500, "one two three four five six seven")], BBC)  # 4.7 words/s
    assert ("wps", "error", 1) in rules_of(report)


def test_gap_is_a_warning_and_overlap_an_error():
    report = check_cues(
        [cue(0, 1000, "First."), cue(1050, 2000, "Second."), cue(1900, 3000, "Third.")], EN
    )
    assert rules_of(report) == [("gap", "warning", 2), ("overlap", "error", 3)]
    assert "50 ms after cue 1 < 83 ms" in report.violations[0].message


def test_touching_cues_are_a_gap_warning():
    report = check_cues([cue(0, 1000, "First."), cue(1000, 2000, "Second.")], EN)
    assert rules_of(report) == [("gap", "warning", 2)]


def test_empty_cue():
    report = check_cues([cue(0, 1000), cue(2000, 3000, "  ")], EN)
    assert rules_of(report) == [("empty", "error", 1), ("empty", "error", 2)]


def test_bad_order_end_before_start_and_out_of_order():
    report = check_cues([cue(5000, 6000, "Later."), cue(1000, 2000, "Earlier."), cue(9000, 8000, "Backwards.")], EN)
    assert ("bad-order", "error", 2) in rules_of(report)
    assert ("bad-order", "error", 3) in rules_of(report)


def test_violation_format_names_the_cue_and_its_times():
    cues = good_track(11) + [cue(62300, 64000, "x" * 39 + " y")]
    cues[-1] = cue(62300, 64000, "x" * 20, "y" * 18)  # 39 chars in 1.7 s = 22.9 CPS
    report = check_cues(cues, EN)
    assert [v.format() for v in report.violations] == ["12 00:01:02,300 --> 00:01:04,000 cps: 22.9 chars/s > 20"]


def test_summary_counts_per_rule_in_rule_order():
    report = check_cues(
        [cue(0, 500, "x" * 50), cue(520, 1000, "a", "b", "c"), cue(900, 2000, "ok")], EN
    )
    summary = report.summary()
    assert list(summary) == [r for r in RULES if r in summary]
    assert summary["chars-per-line"] == {"error": 1, "warning": 0}
    assert summary["gap"] == {"error": 0, "warning": 1}
    assert summary["overlap"] == {"error": 1, "warning": 0}
    assert len(report.errors) == sum(c["error"] for c in summary.values())
    assert len(report.warnings) == sum(c["warning"] for c in summary.values())


def test_to_dict_is_json_ready():
    report = check_cues([cue(0, 500, "Hi.")], EN, path="x.srt")
    data = json.loads(json.dumps(report.to_dict()))
    assert data["path"] == "x.srt" and data["profile"] == "netflix-en"
    assert data["errors"] == 1 and data["warnings"] == 0
    assert data["violations"][0] == {
        "rule": "min-duration",
        "severity": "error",
        "cue": 1,
        "start_ms": 0,
        "end_ms": 500,
        "start": "00:00:00,000",
        "end": "00:00:00,500",
        "message": "500 ms < 833 ms",
    }


@pytest.mark.parametrize("profile", [EN, RU, BBC])
def test_reading_time_is_what_the_check_accepts(profile):
    """A cue given exactly ``reading_time_ms`` passes cps, wps and min-duration."""
    for text in ("No.", "A short line.", "A longer line of text for the reader,", "x" * 36):
        lines = (text, "and a second line of it")
        need = reading_time_ms(cue_chars(lines), cue_words(lines), profile)
        assert check_cues([Cue(0, need, lines)], profile).violations == ()
        assert check_cues([Cue(0, need - 20, lines)], profile).violations != ()


def test_violation_is_a_plain_value():
    v = Violation("gap", "warning", 3, 1000, 2000, "10 ms")
    assert v.to_dict()["cue"] == 3


# --- reading files for the check -------------------------------------------------

from pathlib import Path  # noqa: E402

from transkit.check import (  # noqa: E402
    at_centiseconds,
    bilingual_languages,
    check_path,
    language_in_name,
    read_cues_for_check,
    split_bilingual_srt,
    subtitle_files_in,
)
from transkit.errors import InputError  # noqa: E402
from transkit.profiles import default_profile_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "translations"

ASS_TEXT = """[Script Info]
ScriptType: v4.00+
PlayResX: 1920
PlayResY: 1080

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,54,&H00FFFFFF,&H000000FF,&H00000000,&H80000000,0,0,0,0,100,100,0,0,1,3,1,2,120,120,60,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:05.00,0:00:07.50,Default,,0,0,0,,{\\an8}Second, {\\i1}in time{\\i0} order
Comment: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,a note for the typesetter
Dialogue: 0,0:00:01.00,0:00:03.00,Default,,0,0,0,,First line\\Nsecond line
"""


def test_ass_events_are_read_in_time_order_without_tags_or_comments(tmp_path):
    path = tmp_path / "x.ass"
    path.write_text(ASS_TEXT, encoding="utf-8")
    cues = read_cues_for_check(path)
    assert [(c.start_ms, c.end_ms, c.lines) for c in cues] == [
        (1000, 3000, ("First line", "second line")),
        (5000, 7500, ("Second, in time order",)),
    ]


def test_ass_lines_are_measured_without_override_tags(tmp_path):
    # 42 characters shown; with the tags counted it would be far over the limit
    text = ASS_TEXT.replace("{\\an8}Second, {\\i1}in time{\\i0} order", "{\\an8\\fad(200,200)}" + "x" * 42)
    path = tmp_path / "x.en.ass"
    path.write_text(text, encoding="utf-8")
    (report,) = check_path(path, default_profile_for)
    assert report.cue_count == 2 and report.profile == "netflix-en"
    assert "chars-per-line" not in report.summary()


def test_a_srt_that_is_really_ass_is_read_as_ass(tmp_path):
    path = tmp_path / "x.srt"
    path.write_text(ASS_TEXT, encoding="utf-8")
    assert len(read_cues_for_check(path)) == 2


@pytest.mark.parametrize(
    "name, content",
    [
        ("notes.srt", "Just some text.\nAnd more text.\n"),
        ("notes.vtt", "Just some text.\n"),
        ("transcript.srt", (ROOT / "source" / "interview.md").read_text(encoding="utf-8")),
        ("comment.srt", "<!-- a page -->\n<p>no times</p>\n"),
    ],
)
def test_a_file_without_cue_times_is_not_a_subtitle_file(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_cues_for_check(path)
    assert "not a subtitle file" in str(caught.value) and caught.value.line == 1
    assert str(caught.value).startswith(f"{path}:1: ")


def test_the_decision_is_by_structure_not_by_encoding(tmp_path):
    """The same cues in UTF-16 are a subtitle file; their text with the times cut out is not."""
    srt_text = (COMMITTED / "en" / "interview.en.srt").read_text(encoding="utf-8")
    good = tmp_path / "a.srt"
    good.write_bytes(srt_text.encode("utf-16"))
    assert len(read_cues_for_check(good)) == 302
    bad = tmp_path / "b.srt"
    bad.write_bytes("\n".join(l for l in srt_text.splitlines() if "-->" not in l).encode("utf-16"))
    with pytest.raises(InputError, match="not a subtitle file"):
        read_cues_for_check(bad)


def test_a_webvtt_header_alone_is_a_subtitle_file_with_no_cues(tmp_path):
    path = tmp_path / "x.vtt"
    path.write_text("WEBVTT\n", encoding="utf-8")
    assert read_cues_for_check(path) == ()


def test_unreadable_times_still_name_their_line(tmp_path):
    path = tmp_path / "bad.srt"
    path.write_text("1\n00:00:01,000 --> soon\nHi\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_cues_for_check(path)
    assert caught.value.line == 2 and "cannot read the cue times" in caught.value.message


def test_folders_list_subtitles_in_any_case_and_say_what_they_skip(tmp_path):
    for name in ("a.SRT", "b.vtt", "c.WebVTT", "sub/d.ass", "sub/e.Ssa", "notes.txt", "sub/f.md", ".git/x.srt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found, skipped = subtitle_files_in(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.SRT", "b.vtt", "c.WebVTT", "sub/d.ass", "sub/e.Ssa"]
    assert [(Path(s.path).name, s.reason) for s in skipped] == [
        ("notes.txt", "not a subtitle file name (.txt)"),
        ("f.md", "not a subtitle file name (.md)"),
    ]


def test_language_and_pair_in_names():
    assert language_in_name(Path("interview.ru.srt")) == "ru"
    assert language_in_name(Path("interview.srt")) is None
    assert language_in_name(Path("interview.en-pt.srt")) is None
    assert bilingual_languages(Path("interview.en-pt.srt")) == ("en", "pt")
    assert bilingual_languages(Path("interview.EN-PT.ass")) == ("en", "pt")
    assert bilingual_languages(Path("interview.pt.srt")) is None


def test_transkit_bilingual_srt_splits_into_the_two_tracks_it_was_made_of():
    source, target = split_bilingual_srt(COMMITTED / "pt" / "interview.en-pt.srt")
    plain_target = read_cues_for_check(COMMITTED / "pt" / "interview.pt.srt")
    plain_source = read_cues_for_check(COMMITTED / "en" / "interview.en.srt")
    assert target == plain_target  # the target track gives the timing, line for line
    # every source line appears, in order, grouped under the target cues
    assert [line for cue in source for line in cue.lines] == [line for cue in plain_source for line in cue.lines]


def test_transkit_bilingual_srt_passes_per_language():
    reports = check_path(COMMITTED / "pt" / "interview.en-pt.srt", default_profile_for)
    assert [(r.track, r.profile) for r in reports] == [("en (italics)", "netflix-en"), ("pt", "netflix")]
    assert all(r.ok for r in reports), [v.format() for r in reports for v in r.errors]
    assert "line length only" in reports[0].note
    # read as one language, the same file fails: the languages' lines are stacked
    stacked = check_cues(read_cues_for_check(COMMITTED / "pt" / "interview.en-pt.srt"), get_profile("netflix"))
    assert len(stacked.errors) > 100


def test_bilingual_source_lines_still_have_their_line_length_checked(tmp_path):
    path = tmp_path / "x.en-pt.srt"
    path.write_text("1\n00:00:00,000 --> 00:00:03,000\n<i>" + "x" * 45 + "</i>\nOlá a todos.\n", encoding="utf-8")
    source, target = check_path(path, default_profile_for)
    assert [(v.rule, v.cue_index) for v in source.violations] == [("chars-per-line", 1)]
    assert target.violations == ()


def test_bilingual_ass_checks_each_track_with_its_own_timing():
    reports = check_path(COMMITTED / "pt" / "interview.en-pt.ass", default_profile_for)
    assert [(r.track, r.cue_count) for r in reports] == [("en", 302), ("pt", 300)]
    assert all(not r.violations for r in reports), [v.format() for r in reports for v in r.violations]


def test_ass_limits_are_met_to_the_centisecond():
    profile = at_centiseconds(EN)
    assert (profile.min_gap_ms, profile.min_duration_ms, profile.max_duration_ms) == (80, 830, 7010)
    # transkit's ASS holds the same cues as its SRT, times rounded to centiseconds: same verdict
    (ass,) = check_path(COMMITTED / "pt" / "interview.pt.ass", default_profile_for)
    (srt_report,) = check_path(COMMITTED / "pt" / "interview.pt.srt", default_profile_for)
    assert ass.cue_count == srt_report.cue_count == 300
    assert ass.violations == srt_report.violations == ()
