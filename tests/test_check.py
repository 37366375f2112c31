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
