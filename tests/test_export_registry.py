"""The export registry: format names, file names, lazy loading; the pipeline's writing of exports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

import pytest

from export_sample import EN_TRACK, PROJECT, RU_TRACK, STEM, english_job, sample_job
from transkit.errors import InputError, UsageError
from transkit.export import (
    EXPORTERS,
    ExportJob,
    format_for_filename,
    format_name,
    get_exporter,
    output_name,
    shown_cues,
)
from transkit.model import Cue, Track
from transkit.projectfile import dumps_project, project_from_dict

DESIGNED_FORMATS = {"srt", "vtt", "ass", "bi.srt", "bi.ass", "json", "pdf", "html", "docx", "md", "tmx", "xliff"}


def test_registry_lists_every_designed_format():
    assert set(EXPORTERS) == DESIGNED_FORMATS


def test_unknown_format_is_a_usage_error_naming_the_known_ones():
    with pytest.raises(UsageError) as caught:
        get_exporter("sub")
    message = str(caught.value)
    assert "'sub'" in message
    for known in ("srt", "vtt", "ass", "bi.srt", "pdf", "xliff"):
        assert known in message


@pytest.mark.parametrize("spelling", ["vtt", "VTT", ".vtt", " webvtt "])
def test_format_spellings_reach_the_same_exporter(spelling):
    assert format_name(spelling) == "vtt"
    assert get_exporter(spelling) is get_exporter("vtt")


EXPECTED_NAMES = {
    "srt": "interview.pt.srt",
    "vtt": "interview.pt.vtt",
    "ass": "interview.pt.ass",
    "bi.srt": "interview.en-pt.srt",
    "bi.ass": "interview.en-pt.ass",
    "json": "interview.project.json",
    "pdf": "interview.en-pt.pdf",
    "html": "interview.en-pt.html",
    "docx": "interview.en-pt.docx",
    "md": "interview.en-pt.md",
    "tmx": "interview.en-pt.tmx",
    "xliff": "interview.en-pt.xlf",
}


@pytest.mark.parametrize("fmt", sorted(EXPECTED_NAMES))
def test_output_names(fmt):
    name = output_name("interview", "pt", "en", fmt)
    assert name == EXPECTED_NAMES[fmt]
    # A name can be read back to its format, so `--output x.en-pt.srt` works.
    assert format_for_filename(name) == fmt


def test_output_names_are_unique_per_language():
    names = [output_name("interview", "pt", "en", fmt) for fmt in EXPORTERS]
    assert len(set(names)) == len(names)


def test_bilingual_format_for_the_source_language_is_refused():
    with pytest.raises(UsageError, match="other than the source"):
        output_name("interview", "en", "en", "bi.srt")
    assert output_name("interview", "en", "en", "srt") == "interview.en.srt"


def test_format_for_filename_refuses_unknown_suffixes():
    with pytest.raises(UsageError, match="no output format"):
        format_for_filename("notes.txt")
    with pytest.raises(UsageError):
        format_for_filename("README")
    assert format_for_filename("out/edition.XLIFF") == "xliff"


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_exporter_class_agrees_with_its_registry_entry(fmt):
    entry = EXPORTERS[fmt]
    exporter = get_exporter(fmt)  # a lost module is a UsageError here: a failure, never a skip
    assert type(exporter).__name__ == entry.class_name
    assert exporter.name == fmt
    assert exporter.extension == entry.extension
    assert exporter.bilingual == entry.bilingual
    assert getattr(exporter, "language_in_name", True) == entry.language_in_name
    assert callable(exporter.render)


def test_importing_the_registry_loads_no_format_library():
    code = (
        "import sys, transkit.export as e\n"
        "before = sorted(m for m in sys.modules if m in ('srt', 'pysubs2', 'fpdf', 'docx') or m.startswith('transkit.export.'))\n"
        "e.get_exporter('vtt')\n"
        "after = sorted(m for m in sys.modules if m in ('srt', 'pysubs2', 'fpdf', 'docx') or m.startswith('transkit.export.'))\n"
        "print(before, after)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, after = result.stdout.strip().split("] [")
    assert before == "["
    assert "transkit.export.vtt" in after
    assert "pysubs2" not in after and "fpdf" not in after and "transkit.export.pdf" not in after


def test_export_writes_each_format_once_in_order(tmp_path):
    from transkit.pipeline import export_project

    result = export_project(PROJECT, STEM, tmp_path, ["ru"], ["vtt", "srt", "VTT", "bi.srt", "json"], save=False)
    (ru,) = result.languages
    paths = [tmp_path / "ru" / name for name in ("sample.ru.vtt", "sample.ru.srt", "sample.en-ru.srt", "sample.project.json")]
    assert list(ru.written) == [str(p) for p in paths] and ru.unchanged == ()
    job = ExportJob(PROJECT, "ru", _track(PROJECT, "ru"), _track(PROJECT, "en"))
    for path, fmt in zip(paths, ["vtt", "srt", "bi.srt", "json"]):
        assert path.read_bytes() == get_exporter(fmt).render(job)
    assert sorted(p.name for p in (tmp_path / "ru").iterdir()) == sorted(p.name for p in paths)  # no temp files left


def _track(project, language):
    from transkit.pipeline import build_track
    from transkit.profiles import default_profile_for

    return build_track(project, language, default_profile_for(language))


def test_export_leaves_unchanged_files_alone(tmp_path):
    from transkit.pipeline import export_project

    (first,) = export_project(PROJECT, STEM, tmp_path, ["ru"], ["srt"], flat=True).languages
    (srt_path,) = map(type(tmp_path), first.written)
    os.utime(srt_path, (1_000_000, 1_000_000))
    (again,) = export_project(PROJECT, STEM, tmp_path, ["ru"], ["srt"], flat=True).languages
    assert again.written == () and again.unchanged == (str(srt_path),)
    assert srt_path.stat().st_mtime == 1_000_000

    shorter = replace(PROJECT, segments=PROJECT.segments[:1])
    (changed,) = export_project(shorter, STEM, tmp_path, ["ru"], ["srt"], flat=True).languages
    assert changed.written == (str(srt_path),)
    assert srt_path.stat().st_mtime != 1_000_000
    assert srt_path.read_bytes() == get_exporter("srt").render(ExportJob(shorter, "ru", _track(shorter, "ru")))


def test_export_writes_nothing_when_a_format_is_unknown(tmp_path):
    from transkit.pipeline import export_project

    with pytest.raises(UsageError, match="unknown output format"):
        export_project(PROJECT, STEM, tmp_path, ["ru"], ["srt", "sbv"], save=True)
    assert list(tmp_path.iterdir()) == []


def test_json_export_is_the_project_file():
    data = get_exporter("json").render(sample_job())
    assert data == dumps_project(PROJECT).encode("utf-8")
    assert project_from_dict(json.loads(data)) == PROJECT
    # One file for all languages: the job's language does not change it.
    assert get_exporter("json").render(english_job()) == data


def test_job_speaker_names():
    job = sample_job()
    assert job.speaker_name("JS") == "Jens Stoltenberg"
    assert job.speaker_name("XX") == "XX"
    assert job.speaker_name("") == ""
    assert job.source_language == "en"


def test_option_lookup():
    job = ExportJob(PROJECT, "ru", RU_TRACK, EN_TRACK, options=(("vtt.line", "-2"), ("title", "x")))
    assert job.option("vtt.line") == "-2"
    assert job.option("missing", "default") == "default"


def test_shown_cues_drop_blank_cues_and_refuse_impossible_times():
    blank = Cue(100, 200, ("  ", ""))
    track = Track("en", (blank, *EN_TRACK.cues))
    assert shown_cues(track) == EN_TRACK.cues
    with pytest.raises(InputError, match="cue 2 of the en track"):
        shown_cues(Track("en", (EN_TRACK.cues[0], Cue(5000, 4000, ("backwards",)))))
