"""``transkit mux``: subtitle tracks inside the video (MKV, MP4) and burned in.

The argument builders are unit-tested; the rest runs real ffmpeg on a three-second
test video (lavfi testsrc + sine) and a tiny two-language project, and reads the
results back with ffprobe and ffmpeg: tracks, languages, titles, the default flag,
each track extracted and compared cue by cue with the subtitle file, and a frame
of the burned video against the same frame of the original.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import require_tool
from transkit.cli.app import app
from transkit.model import LanguageResult, Metadata, Paragraph, Project, Segment, Speaker, Transcript, Translation
from transkit.video.languages import track_language, track_title
from transkit.video.mux import SubtitleTrack, burn_args, mux_args, progress_ms

runner = CliRunner()
SIZE = (320, 240)

# ---------------------------------------------------------------- argument lists


def _value_after(args: list[str], key: str) -> list[str]:
    return [args[i + 1] for i, a in enumerate(args[:-1]) if a == key]


def test_mux_args_tag_every_track_and_make_the_first_default(tmp_path):
    tracks = [SubtitleTrack(tmp_path / "a.srt", "ru"), SubtitleTrack(tmp_path / "b.srt", "pt")]
    args = mux_args("ffmpeg", tmp_path / "v.mp4", tracks, tmp_path / "out.mkv", "mkv")
    assert _value_after(args, "-i") == [str(tmp_path / "v.mp4"), str(tracks[0].path), str(tracks[1].path)]
    assert _value_after(args, "-map") == ["0:V", "0:a?", "1:0", "2:0"]
    assert _value_after(args, "-c") == ["copy"]  # nothing re-encoded
    assert _value_after(args, "-metadata:s:s:0") == ["language=rus", "title=Russian"]
    assert _value_after(args, "-metadata:s:s:1") == ["language=por", "title=Portuguese"]
    assert _value_after(args, "-disposition:s:0") == ["default"]
    assert _value_after(args, "-disposition:s:1") == ["0"]
    assert _value_after(args, "-c:s:0") == ["srt"]
    assert args[-3:] == ["-f", "matroska", str(tmp_path / "out.mkv")]


def test_mp4_gets_mov_text_and_handler_names(tmp_path):
    tracks = [SubtitleTrack(tmp_path / "a.ass", "de")]
    args = mux_args("ffmpeg", tmp_path / "v.mkv", tracks, tmp_path / "out.mp4", "mp4")
    assert _value_after(args, "-c:s:0") == ["mov_text"]
    assert _value_after(args, "-metadata:s:s:0") == ["language=ger", "handler_name=German"]
    ass = mux_args("ffmpeg", tmp_path / "v.mkv", tracks, tmp_path / "out.mkv", "mkv")
    assert _value_after(ass, "-c:s:0") == ["ass"]


def test_language_tags_and_titles():
    assert [track_language(c) for c in ("pt", "ru", "en", "de", "zh", "pt-BR", "xx")] == [
        "por", "rus", "eng", "ger", "chi", "por", "und",
    ]  # fmt: skip
    assert track_title("pt-BR") == "Portuguese (BR)"
    assert track_title("xx") == "xx"


def test_burn_args_reencode_and_report_progress(tmp_path):
    args = burn_args("ffmpeg", tmp_path / "v.mp4", "burn.ass", "fonts", tmp_path / "o.mp4")
    assert _value_after(args, "-vf") == ["ass=burn.ass:fontsdir=fonts"]
    assert _value_after(args, "-c:v") == ["libx264"]
    assert _value_after(args, "-c:a") == ["copy"]
    assert _value_after(args, "-progress") == ["pipe:1"]
    with pytest.raises(ValueError):
        burn_args("ffmpeg", tmp_path / "v.mp4", "/tmp/it's.ass", "fonts", tmp_path / "o.mp4")


def test_progress_lines():
    assert progress_ms("out_time_us=1500000\n") == 1500
    assert progress_ms("out_time_us=N/A") is None
    assert progress_ms("frame=12") is None


# ---------------------------------------------------------------- real ffmpeg


def _run(*args: str) -> bytes:
    return subprocess.run(list(args), check=True, capture_output=True).stdout


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    require_tool("ffmpeg")
    require_tool("ffprobe")
    folder = tmp_path_factory.mktemp("mux")
    video = folder / "clip.mp4"
    _run(
        "ffmpeg", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc=size={SIZE[0]}x{SIZE[1]}:rate=10:duration=3",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=3",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(video),
    )  # fmt: skip
    project = _tiny_project()
    from transkit.projectfile import save_project

    project_path = folder / "clip.project.json"
    save_project(project, project_path)
    # the subtitle files of the same project, as `transkit export` writes them
    from transkit.pipeline import export_project

    export_project(project, "clip", folder / "subs", ["pt", "en"], ["srt", "ass"])
    return folder, video, project_path


def _tiny_project() -> Project:
    texts = [
        ("Hello there, and welcome.", "Olá, e bem-vindos."),
        ("Today we talk about subtitles in video files.", "Hoje falamos de legendas em ficheiros de vídeo."),
    ]
    times = [(200, 1300), (1500, 2900)]
    segments, translations = [], []
    offset = 0
    for n, ((en, pt), (start, end)) in enumerate(zip(texts, times)):
        segments.append(Segment(n, 0, "KM", en, start, end, offset, offset + len(en), timing="aligned", confidence=0.9))
        translations.append(Translation(n, pt, "human"))
        offset += len(en) + 1
    paragraph = Paragraph(0, "speech", " ".join(t[0] for t in texts), "KM", line=1)
    transcript = Transcript(Metadata("Mux test", "en"), (Speaker("KM", "Kirill Martynov"),), (paragraph,))
    return Project(transcript, tuple(segments), (LanguageResult("pt", "human", "test", "1", tuple(translations)),))


def _probe(path: Path) -> list[dict]:
    out = _run("ffprobe", "-v", "error", "-show_streams", "-of", "json", str(path))
    return json.loads(out)["streams"]


def _extract(path: Path, n: int, fmt: str) -> str:
    return _run("ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(path), "-map", f"0:s:{n}", "-f", fmt, "-").decode()


def _cues(srt_text: str, tmp: Path) -> list[tuple[int, int, tuple[str, ...]]]:
    from transkit.ingest.subtitles import read_subtitle_file

    path = tmp / "read.srt"
    path.write_text(srt_text, encoding="utf-8")
    return [(c.start_ms, c.end_ms, c.lines) for c in read_subtitle_file(path)]


def _dialogue(ass_text: str) -> list[str]:
    return [line for line in ass_text.splitlines() if line.startswith("Dialogue:")]


@pytest.fixture(scope="module")
def muxed(media):
    folder, video, project_path = media
    out = folder / "out"
    result = runner.invoke(app, ["mux", str(video), str(project_path), "--to", "pt,en", "-o", str(out), "--burn", "pt"])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.ffmpeg
def test_tracks_languages_titles_and_default(muxed, media):
    for name, codec, title_key in (("clip.subtitles.mkv", "subrip", "title"), ("clip.subtitles.mp4", "mov_text", "handler_name")):
        streams = _probe(muxed / name)
        assert [s["codec_type"] for s in streams] == ["video", "audio", "subtitle", "subtitle"], name
        subs = streams[2:]
        assert [s["codec_name"] for s in subs] == [codec, codec]
        assert [s["tags"]["language"] for s in subs] == ["por", "eng"]
        assert [s["tags"][title_key] for s in subs] == ["Portuguese", "English"]
        assert [s["disposition"]["default"] for s in subs] == [1, 0]
        # picture and sound copied, not re-encoded
        original = _probe(media[1])
        assert [s["codec_name"] for s in streams[:2]] == [s["codec_name"] for s in original]


@pytest.mark.ffmpeg
def test_each_track_extracted_back_holds_the_cues_of_its_file(muxed, media, tmp_path):
    folder = media[0]
    for n, language in enumerate(("pt", "en")):
        expected = _cues((folder / "subs" / language / f"clip.{language}.srt").read_text(encoding="utf-8"), tmp_path)
        assert expected
        for name in ("clip.subtitles.mkv", "clip.subtitles.mp4"):
            # times as a player shows them: from the first picture (Matroska moves the
            # picture by the AAC encoder delay, 23 ms here, and the subtitles with it)
            shift = round(float(_probe(muxed / name)[0]["start_time"]) * 1000)
            got = [(a - shift, b - shift, lines) for a, b, lines in _cues(_extract(muxed / name, n, "srt"), tmp_path)]
            assert got == expected, (name, language)


@pytest.mark.ffmpeg
def test_ass_tracks_keep_their_dialogue_lines(media, tmp_path):
    folder, video, project_path = media
    result = runner.invoke(app, ["mux", str(video), str(project_path), "--to", "en", "-o", str(tmp_path), "--mkv-subs", "ass"])
    assert result.exit_code == 0, result.output
    streams = _probe(tmp_path / "clip.subtitles.mkv")
    assert [s["codec_name"] for s in streams if s["codec_type"] == "subtitle"] == ["ass"]
    expected = _dialogue((folder / "subs" / "en" / "clip.en.ass").read_text(encoding="utf-8"))
    got = _dialogue(_extract(tmp_path / "clip.subtitles.mkv", 0, "ass"))
    shift = round(float(streams[0]["start_time"]) * 1000)  # see the SRT test
    assert expected and len(got) == len(expected)
    for line, want in zip(got, expected):
        head, rest = line.split(",", 3)[:3], line.split(",", 3)[3]
        want_head, want_rest = want.split(",", 3)[:3], want.split(",", 3)[3]
        assert rest == want_rest  # style, speaker, text with its line break
        for t, w in zip(head[1:], want_head[1:]):
            assert abs(_ass_ms(t) - shift - _ass_ms(w)) <= 10  # ASS times are in centiseconds


def _ass_ms(value: str) -> int:
    h, m, s = value.split(":")
    return round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000)


def _gray_frame(path: Path, at: float) -> np.ndarray:
    raw = _run(
        "ffmpeg", "-nostdin", "-loglevel", "error", "-ss", str(at), "-i", str(path),
        "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-",
    )  # fmt: skip
    return np.frombuffer(raw, dtype=np.uint8).reshape(SIZE[1], SIZE[0]).astype(np.int16)


@pytest.mark.ffmpeg
def test_burned_video_shows_the_subtitle_at_the_bottom_only_while_it_is_on(muxed, media):
    burned = muxed / "clip.pt.burned.mp4"
    assert [s["codec_type"] for s in _probe(burned)] == ["video", "audio"]
    bottom, top = slice(SIZE[1] * 3 // 4, SIZE[1]), slice(0, SIZE[1] // 2)
    during = np.abs(_gray_frame(burned, 2.0) - _gray_frame(media[1], 2.0))
    # the cue "Hoje falamos de legendas..." is on at 2.0 s: text in the bottom quarter
    assert during[bottom].mean() > 4 * max(1.0, during[top].mean()), (during[bottom].mean(), during[top].mean())
    assert (during[bottom] > 80).sum() > 200  # strokes of white text and black outline
    # between the cues (1.3-1.5 s) nothing is drawn: only re-encoding noise
    between = np.abs(_gray_frame(burned, 1.4) - _gray_frame(media[1], 1.4))
    assert (between[bottom] > 80).sum() < 20


@pytest.mark.ffmpeg
def test_outputs_are_byte_reproducible(muxed, media, tmp_path):
    folder, video, project_path = media
    result = runner.invoke(app, ["mux", str(video), str(project_path), "--to", "pt,en", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("clip.subtitles.mkv", "clip.subtitles.mp4"):
        assert (tmp_path / name).read_bytes() == (muxed / name).read_bytes(), name


@pytest.mark.ffmpeg
def test_the_project_folder_is_found_and_is_the_default_output(media, tmp_path):
    folder, video, project_path = media
    local = tmp_path / "translations"
    local.mkdir()
    (local / project_path.name).write_bytes(project_path.read_bytes())
    result = runner.invoke(app, ["mux", str(video), str(local), "--to", "en"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in local.iterdir()) == ["clip.project.json", "clip.subtitles.mkv", "clip.subtitles.mp4"]


@pytest.mark.ffmpeg
def test_bad_inputs_end_in_one_line_naming_the_file(media, tmp_path):
    folder, video, project_path = media
    missing = tmp_path / "nope.mp4"
    result = runner.invoke(app, ["mux", str(missing), str(project_path), "-o", str(tmp_path)])
    assert result.exit_code == 3 and str(missing) in result.output and "not found" in result.output
    audio_only = tmp_path / "sound.m4a"
    _run("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "sine=duration=1", str(audio_only))
    result = runner.invoke(app, ["mux", str(audio_only), str(project_path), "-o", str(tmp_path)])
    assert result.exit_code == 3 and str(audio_only) in result.output and "no picture" in result.output
    result = runner.invoke(app, ["mux", str(video), str(project_path), "--to", "ru", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "'ru'" in result.output
    assert not list(tmp_path.glob("clip.*"))


@pytest.mark.ffmpeg
def test_ffmpeg_failure_is_an_output_error_and_leaves_no_partial_file(media, tmp_path):
    folder, video, project_path = media
    # an FFV1 picture fits Matroska but not MP4: the MP4 mux fails in ffmpeg
    ffv1 = tmp_path / "lossless.mkv"
    _run(
        "ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=64x48:rate=5:duration=1",
        "-c:v", "ffv1", str(ffv1),
    )  # fmt: skip
    out = tmp_path / "out"
    result = runner.invoke(app, ["mux", str(ffv1), str(project_path), "--to", "en", "-o", str(out)])
    assert result.exit_code == 5, result.output
    assert str(out / "lossless.subtitles.mp4") in result.output and "ffmpeg failed" in result.output
    assert len(result.output.strip().splitlines()[-1]) > 0
    assert sorted(p.name for p in out.iterdir()) == ["lossless.subtitles.mkv"]  # complete; no .part left
