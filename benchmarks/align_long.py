"""Long recordings: time and peak memory of ``transkit align`` as the recording grows.

The flite test interview of ``benchmarks/align_accuracy.py`` (about 22 minutes,
built there first) is repeated 1, 4 and 8 times (8x is about 3 hours), with its
transcript repeated to match; each size is aligned in a fresh process. Printed
per size: audio length, wall time, x real time, peak RSS, start errors, and the
growth of time and memory against 1x (linear growth: time ratio close to the
length ratio, memory well under it).

    .venv/bin/python benchmarks/align_long.py [--repeats 1,4,8]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import align_accuracy as bench  # noqa: E402


def repeated_case(case: dict, times: int, folder: Path) -> tuple[Path, Path, dict]:
    truth = case["truth"]
    audio = folder / f"x{times}.mp3"
    # Decode once to PCM, loop the PCM, encode once: every copy then starts exactly one
    # decoded length on. (Looping the MP3 itself does not: ffmpeg drops the decoder
    # delay, 529 samples, only at the very start, so copy k came 33 ms x k late and
    # the ground truth drifted by 0.23 s over 8 copies.)
    pcm = folder / f"x{times}.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-i", str(case["audio"]),
                    "-ac", "1", "-ar", str(bench.RATE), "-c:a", "pcm_s16le", str(pcm)], check=True)  # fmt: skip
    subprocess.run(["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-stream_loop", str(times - 1),
                    "-i", str(pcm), "-c:a", "libmp3lame", "-b:a", "64k", str(audio)], check=True)  # fmt: skip
    pcm.unlink()
    from transkit.align.audio import audio_duration_ms

    one = audio_duration_ms(case["audio"])
    data = {
        "texts": truth["texts"] * times,
        "speakers": truth["speakers"] * times,
        "starts_ms": [s + k * one for k in range(times) for s in truth["starts_ms"]],
        "duration_ms": audio_duration_ms(audio),
    }
    truth_path = folder / f"x{times}.json"
    truth_path.write_text(json.dumps(data))
    return audio, truth_path, data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=bench.ROOT / "source" / "interview.md")
    parser.add_argument("--repeats", default="1,4,8")
    args = parser.parse_args()
    sizes = [int(x) for x in args.repeats.split(",")]
    case = bench.build_flite_case(args.source, 7, 20.0)
    print(f"machine: 2 cores, load average {bench.load_average()}")
    head = f"{'size':>5} {'audio min':>9} {'time s':>8} {'xRT':>7} {'RSS MB':>7} {'median ms':>9} {'p95 ms':>7} {'<=100ms':>8} {'load':>16}"
    print(head)
    print("-" * len(head))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for times in sizes:
            audio, truth_path, data = repeated_case(case, times, Path(tmp))
            load = bench.load_average()
            row = bench.run_transkit(audio, truth_path)
            e = bench.errors_of(row["starts"], data["starts_ms"])
            minutes = data["duration_ms"] / 60000
            rows.append((times, minutes, row["wall"], row["rss"]))
            print(
                f"{times:>4}x {minutes:9.1f} {row['wall']:8.1f} {row['wall'] / (minutes * 60):7.4f} {row['rss']:7.0f} "
                f"{e['median']:9.0f} {e['p95']:7.0f} {e['within100']:8.1%} {load:>16}",
                flush=True,
            )
            audio.unlink()
    base = rows[0]
    for times, minutes, wall, rss in rows[1:]:
        print(
            f"{times}x vs {base[0]}x: length x{minutes / base[1]:.2f}, time x{wall / base[2]:.2f}, "
            f"peak RSS x{rss / base[3]:.2f} ({rss:.0f} MB; target under 1,500 MB for 2 hours)"
        )


if __name__ == "__main__":
    main()
