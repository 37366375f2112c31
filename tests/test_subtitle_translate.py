"""Translating a subtitle file with the real Firefox en->pt model: the output has
the input's cue grid (issue 12, "What happens today" items 1, 2 and 8)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import srt

from transkit.ingest.subtitle_cues import read_cue_grid

FIXTURES = Path(__file__).parent / "fixtures" / "subtitles"


@pytest.fixture
def translate(tmp_path, test_models_dir, monkeypatch):
    from typer.testing import CliRunner

    from transkit.cli.app import app

    monkeypatch.setenv("TRANSKIT_MODELS_DIR", str(test_models_dir / "installed"))
    monkeypatch.setenv("TRANSKIT_MEMORY", str(tmp_path / "tm.sqlite"))

    def run(name: str, *args: str, command: str = "translate") -> Path:
        source = tmp_path / name
        shutil.copy(FIXTURES / name, source)
        out = tmp_path / "out"
        result = CliRunner().invoke(app, [command, str(source), "--to", "pt", "-o", str(out), *args])
        assert result.exit_code == 0, result.output
        return out

    return run


def _times(path: Path) -> list[tuple[str, int, int]]:
    return [(c.ident, c.start_ms, c.end_ms) for c in read_cue_grid(path).cues]


def _portuguese(text: str) -> bool:
    return bool(re.search(r"\b(não|que|para|uma|nós|está|estão|você|o|a)\b", text))


@pytest.mark.model
def test_drift_keeps_three_cues_and_their_times(translate):
    out = translate("drift.en.srt")
    written = out / "pt" / "drift.pt.srt"  # not drift.en.pt.srt
    cues = list(srt.parse(written.read_text(encoding="utf-8")))
    assert [(c.index, c.start.total_seconds(), c.end.total_seconds()) for c in cues] == [
        (1, 0.0, 2.0), (2, 2.0, 20.0), (3, 20.0, 22.0)
    ]
    assert all(c.content.strip() for c in cues) and _portuguese(" ".join(c.content for c in cues))
    # "hello" is spoken in the last cue: its translation is there, not 9 s early
    assert re.search(r"\bol[áa]\b", cues[2].content, re.IGNORECASE), cues
    # the English track is the input itself
    assert (out / "en" / "drift.en.srt").read_bytes() == (FIXTURES / "drift.en.srt").read_bytes()
    assert (out / "drift.project.json").is_file()
    assert _times(out / "pt" / "drift.pt.vtt") == [("1", 0, 2000), ("2", 2000, 20000), ("3", 20000, 22000)]


@pytest.mark.model
def test_styled_srt_keeps_every_cue_time_tag_and_dash(translate):
    out = translate("styled.en.srt")
    source, target = FIXTURES / "styled.en.srt", out / "pt" / "styled.pt.srt"
    assert _times(target) == _times(source) and len(_times(target)) == 7  # 7 in, 7 out
    cues = read_cue_grid(target).cues
    assert cues[0].raw.startswith("{\\an8}<i>") and cues[0].raw.endswith("</i>")
    assert "<b>" in cues[1].raw and "</b>" in cues[1].raw
    assert cues[2].raw == "hidden" and cues[2].start_ms == cues[2].end_ms == 6000  # zero-length cue kept as it was
    assert (cues[3].start_ms, cues[3].end_ms) == (7000, 67000)  # a 60 s cue is not cut
    assert cues[3].raw.startswith('<font color="#ffff00">') and cues[3].raw.endswith("</font>")
    dialogue = cues[4].raw.split("\n")
    assert len(dialogue) == 2 and all(line.startswith("- ") and len(line) > 3 for line in dialogue), dialogue
    assert "<sub>" in cues[5].raw and "\u2060" not in target.read_text(encoding="utf-8")  # unknown tags untouched
    assert all(c.text.strip() for c in cues)
    assert _portuguese(" ".join(c.text for c in cues))
    assert (out / "en" / "styled.en.srt").read_bytes() == source.read_bytes()


@pytest.mark.model
def test_vtt_keeps_header_blocks_settings_ids_and_both_voices(translate):
    out = translate("voices.en.vtt")
    source, target = FIXTURES / "voices.en.vtt", out / "pt" / "voices.pt.vtt"
    text = target.read_text(encoding="utf-8")
    assert _times(target) == _times(source)
    head = source.read_text(encoding="utf-8").split("\nintro\n")[0]
    assert text.startswith(head)  # header, STYLE, REGION and NOTE as they were
    assert "\n\nNOTE second note\n\n" in text
    cues = read_cue_grid(target).cues
    assert [c.ident for c in cues] == ["intro", "thanks", "", ""]
    assert [c.settings for c in cues] == [c.settings for c in read_cue_grid(source).cues]
    assert cues[0].raw.startswith("<c.yellow>") and cues[0].raw.endswith("</c>")
    two = cues[1].raw.split("\n")
    assert two[0].startswith("<v Ben>") and two[1].startswith("<v Anna>") and all(len(line) > 8 for line in two)
    assert "<v" not in cues[2].raw  # no made-up voice
    assert cues[3].raw.startswith("<v.loud Ben>")
    assert (out / "en" / "voices.en.vtt").read_bytes() == source.read_bytes()


@pytest.mark.model
def test_ass_keeps_styles_comments_positions_and_karaoke(translate):
    out = translate("karaoke.en.ass", "-f", "ass,srt", command="run")
    source = (FIXTURES / "karaoke.en.ass").read_text(encoding="utf-8").split("\n")
    target = (out / "pt" / "karaoke.pt.ass").read_text(encoding="utf-8").split("\n")
    assert len(target) == len(source)
    changed = [(a, b) for a, b in zip(source, target) if a != b]
    assert [a.split(",")[:9] for a, _ in changed] == [b.split(",")[:9] for _, b in changed]  # times, styles, names
    assert all(a.startswith("Dialogue:") for a, _ in changed) and len(changed) == 3
    assert "{\\pos(640,80)}" in changed[0][1] and changed[1][1].count("{\\k") == 4
    assert "Comment: 0,0:00:04.00,0:00:05.00,Default,,0,0,0,,a note for the translator" in target
    assert len(list(srt.parse((out / "pt" / "karaoke.pt.srt").read_text(encoding="utf-8")))) == 3


@pytest.mark.model
def test_relayout_stays_inside_each_sentence_span_and_leaves_the_source_alone(translate):
    out = translate("drift.en.srt", "--relayout")
    cues = list(srt.parse((out / "pt" / "drift.pt.srt").read_text(encoding="utf-8")))
    assert cues[0].start.total_seconds() >= 0 and cues[-1].end.total_seconds() <= 22.0
    assert (out / "en" / "drift.en.srt").read_bytes() == (FIXTURES / "drift.en.srt").read_bytes()


@pytest.mark.model
def test_export_from_the_project_file_gives_the_same_subtitles(translate, tmp_path):
    from typer.testing import CliRunner

    from transkit.cli.app import app

    out = translate("voices.en.vtt")
    again = tmp_path / "again"
    result = CliRunner().invoke(app, ["export", str(out / "voices.project.json"), "-o", str(again), "-f", "srt,vtt"])
    assert result.exit_code == 0, result.output
    for name in ("pt/voices.pt.vtt", "en/voices.en.vtt", "pt/voices.pt.srt"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
    relaid = tmp_path / "relaid"
    result = CliRunner().invoke(app, ["export", str(out / "voices.project.json"), "-o", str(relaid), "--relayout"])
    assert result.exit_code == 0, result.output
    assert (relaid / "en" / "voices.en.vtt").read_bytes() == (out / "en" / "voices.en.vtt").read_bytes()
    relaid_text = (relaid / "pt" / "voices.pt.vtt").read_text(encoding="utf-8")
    assert "REGION" not in relaid_text and "region:top" not in relaid_text  # laid out afresh
