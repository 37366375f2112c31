"""Where the time of ``transkit run source/interview.md --to pt`` goes.

    .venv/bin/python benchmarks/bench_run.py [--models DIR] [--formats LIST] [--repeat N]

1. The user's command, end to end, as a subprocess (default formats unless
   ``--formats``), with the real Firefox en->pt model. The model files are read
   once first, so they are in the page cache for every run ("warm model cache");
   what differs is the translation memory:
   - cold memory: a fresh memory and output folder, the engine translates all 169 sentences;
   - warm memory: the same memory, a fresh output folder, so every file is laid
     out, rendered and written again but nothing is translated;
   - no-change re-run: the same memory and folder (files compared, none rewritten).
   Wall time per run, and the stages the run reports in ``--summary-json``
   (``stage_seconds``); the rest is interpreter start-up, imports and the summary.
   Target: the warm run under 10 s.
2. The ``export+check`` stage split up in this process, on the project the cold
   run saved: the layout per language, every exporter per language (the first
   render in the process, which pays for imports and fonts, and the best of
   ``--repeat`` more), and the subtitle check. Also ingest+segment and a
   memory-only translate, to set against the run's other stages.

The machine's load average is printed before and after: the timings on a shared
machine move with it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INTERVIEW = ROOT / "source" / "interview.md"
DEFAULT_MODELS = ROOT / ".cache" / "test-models" / "installed"
TARGET_WARM_S = 10.0
CLI = "import sys; from transkit.cli.app import main; sys.argv[0] = 'transkit'; main()"


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def warm_page_cache(models: Path) -> int:
    """Read every model file once; returns the bytes read."""
    total = 0
    for path in sorted(models.rglob("*")):
        if path.is_file():
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    total += len(chunk)
    return total


def cli_run(work: Path, env: dict[str, str], out: str, formats: str | None, summary: str) -> tuple[float, dict]:
    args = [sys.executable, "-c", CLI, "run", str(INTERVIEW), "--to", "pt", "--out", out, "--summary-json", summary]
    if formats:
        args += ["--formats", formats]
    start = time.perf_counter()
    done = subprocess.run(args, cwd=work, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"transkit run failed:\n{done.stderr[-3000:]}")
    (result,) = json.loads((work / summary).read_text(encoding="utf-8"))
    return wall, result


def best_of(repeat: int, func, *args) -> tuple[float, float]:
    """(first call, best of ``repeat`` further calls) in seconds."""
    start = time.perf_counter()
    func(*args)
    first = time.perf_counter() - start
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func(*args)
        best = min(best, time.perf_counter() - start)
    return first, best


def end_to_end(work: Path, env: dict[str, str], formats: str | None) -> Path:
    runs = [
        ("cold memory", "cold", "cold.json"),
        ("warm memory", "warm", "warm.json"),
        ("no-change re-run", "warm", "again.json"),
    ]
    stage_names: list[str] = []
    rows = []
    for label, out, summary in runs:
        wall, result = cli_run(work, env, out, formats, summary)
        stages = dict(result["stage_seconds"])
        stage_names += [name for name in stages if name not in stage_names]
        translated = sum(lang["translated"] for lang in result["languages"])
        rows.append((label, wall, stages, translated, len(result["files_written"]), len(result["files_unchanged"])))

    head = f"{'run':<18}{'wall s':>8}" + "".join(f"{name + ' s':>16}" for name in stage_names)
    print(head + f"{'other s':>9}{'translated':>11}{'written':>8}{'unchanged':>10}")
    for label, wall, stages, translated, written, unchanged in rows:
        cells = "".join(f"{stages.get(name, 0.0):>16.2f}" for name in stage_names)
        other = wall - sum(stages.values())
        print(f"{label:<18}{wall:>8.2f}{cells}{other:>9.2f}{translated:>11}{written:>8}{unchanged:>10}")
    cold, warm = rows[0][1], rows[1][1]
    print(f"\nwarm/cold wall time: {warm / cold:.2f}; warm run under {TARGET_WARM_S:g} s: {'yes' if warm < TARGET_WARM_S else 'NO'}")
    return work / "cold" / "interview.project.json"


def in_process(project_file: Path, work: Path, env: dict[str, str], formats: list[str], repeat: int) -> None:
    os.environ.update(env)  # the memory and models of the runs above
    from transkit.export import ExportJob, format_name, get_exporter, output_name
    from transkit.pipeline import RunSettings, build_track, check_outputs, prepare_project, translate_project  # noqa
    from transkit.profiles import default_profile_for
    from transkit.projectfile import load_project

    project = load_project(project_file)
    source_language = project.transcript.meta.language
    languages = [source_language, *(lang.language for lang in project.languages)]

    rows: list[tuple[str, str, float, float]] = []
    first, best = best_of(repeat, prepare_project, INTERVIEW)
    rows.append(("ingest+segment", source_language, first, best))
    bare = prepare_project(INTERVIEW)
    settings = RunSettings(languages=("pt",), memory_path=Path(env["TRANSKIT_MEMORY"]))
    first, best = best_of(repeat, translate_project, bare, ["pt"], settings)
    rows.append(("translate from memory [1]", "pt", first, best))

    tracks = {}
    for language in languages:
        profile = default_profile_for(language)
        first, best = best_of(repeat, build_track, project, language, profile)
        rows.append(("layout", language, first, best))
        tracks[language] = build_track(project, language, profile)
    export_rows = []
    for fmt in (format_name(f) for f in formats):
        exporter = get_exporter(fmt)
        for language in languages:
            is_source = language == source_language
            if exporter.bilingual and is_source:
                continue
            job = ExportJob(project, language, tracks[language], None if is_source else tracks[source_language])
            first, best = best_of(repeat, exporter.render, job)
            export_rows.append((f"export {fmt}", language, first, best))
    rows += export_rows
    for language in languages:
        checked = [work / "cold" / language / output_name("interview", language, source_language, f) for f in ("srt", "vtt")]
        checked = [p for p in checked if p.is_file()]
        if checked:
            first, best = best_of(repeat, check_outputs, checked, default_profile_for(language))
            rows.append(("check srt+vtt", language, first, best))

    print(f"{'step':<28}{'lang':<6}{'first s':>9}{'best s':>9}")
    for step, language, first, best in rows:
        print(f"{step:<28}{language:<6}{first:>9.3f}{best:>9.3f}")
    layout = sum(best for step, _l, _f, best in rows if step == "layout")
    exports = sum(best for _s, _l, _f, best in export_rows)
    exports_first = sum(first for _s, _l, first, _b in export_rows)
    checks = sum(best for step, _l, _f, best in rows if step.startswith("check"))
    print(
        f"\nexport+check in parts (best): layout {layout:.2f} s + exporters {exports:.2f} s "
        f"(first renders {exports_first:.2f} s) + check {checks:.2f} s"
    )
    print("[1] every sentence from the memory; opening and closing the engine included (the CLI keeps it\n"
          "    open for a batch and closes it after the run's stages, so its translate stage is shorter)")
    slowest = sorted(rows, key=lambda row: -row[3])[:3]
    print("slowest steps: " + ", ".join(f"{s} [{l}] {b:.2f} s" for s, l, _f, b in slowest))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, default=DEFAULT_MODELS, help="models folder with firefox en-pt")
    parser.add_argument("--formats", help="comma-separated formats (default: transkit run's defaults)")
    parser.add_argument("--repeat", type=int, default=2, help="timed repeats per in-process step, after the first")
    args = parser.parse_args()
    if not (args.models / "firefox").is_dir():
        sys.exit(f"no Firefox models in {args.models} (run scripts/fetch_test_models.py)")
    try:
        from transkit.runs import DEFAULT_FORMATS
    except ImportError:  # the code before transkit.runs existed, for comparisons
        from transkit.pipeline import DEFAULT_FORMATS

    formats = args.formats.split(",") if args.formats else list(DEFAULT_FORMATS)
    print(f"load average before: {load()}  ({os.cpu_count()} cores)")
    print(f"formats: {','.join(formats)}{'' if args.formats else ' (the defaults)'}")
    print(f"model files read into the page cache: {warm_page_cache(args.models) / 2**20:.0f} MiB\n")
    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "TRANSKIT_MODELS_DIR": str(args.models),
            "TRANSKIT_MEMORY": str(work / "memory.sqlite"),
            "XDG_DATA_HOME": str(work / "data"),
            "XDG_CACHE_HOME": str(work / "cache"),
        }
        project_file = end_to_end(work, env, args.formats)
        print(f"load average: {load()}\n")
        in_process(project_file, work, env, formats, args.repeat)
    print(f"\nload average after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
