"""Make a spoken version of the interview, offline, to show alignment end to end.

Every sentence of the transcript is spoken by espeak-ng, the interviewer and the
interviewee in two clearly different voices, with natural pauses: short ones
between sentences, longer ones between paragraphs and at a change of speaker
(seeded, so the result is the same on every run and machine with the same
espeak-ng and ffmpeg). Writes the recording and, beside it, the true start time
of every sentence:

    .venv/bin/python scripts/make_demo_audio.py                    # .cache/demo/interview.mp3
    .venv/bin/python scripts/make_demo_audio.py --video            # also .cache/demo/interview.mp4
    transkit align source/interview.md .cache/demo/interview.mp3 -o translations/en/

The aligner speaks the text with espeak-ng too, so this shows the pipeline, not its
accuracy; benchmarks/align_accuracy.py measures that with a different engine.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATE = 22_050  # espeak-ng's own rate

# speaker order in the transcript -> (espeak-ng voice, words per minute, pitch 0-99)
VOICES = (("en-gb-x-rp+m3", 165, 38), ("en-us+f4", 150, 62))
PAUSE_SENTENCE_S = (0.25, 0.7)
PAUSE_PARAGRAPH_S = (0.7, 1.2)
PAUSE_TURN_S = (1.0, 1.8)
HEAD_S, TAIL_S = 1.5, 2.0


def build(source: Path, seed: int = 2022):
    """(int16 samples at 22,050 Hz, [(segment id, speaker, start ms, text)])."""
    import numpy as np

    from transkit.align.synth import Voice, synthesize_sentences
    from transkit.ingest import load_transcript
    from transkit.segment import segment_transcript

    transcript = load_transcript(source)
    segments = segment_transcript(transcript)
    order = list(dict.fromkeys([s.id for s in transcript.speakers] + [seg.speaker for seg in segments]))
    voice_of = {speaker: Voice(*VOICES[i % len(VOICES)]) for i, speaker in enumerate(order)}
    rng = random.Random(seed)
    pieces = [np.zeros(int(HEAD_S * RATE), np.int16)]
    position = pieces[0].size
    truth = []
    previous = None
    # one espeak-ng call per paragraph
    paragraphs: dict[int, list] = {}
    for seg in segments:
        paragraphs.setdefault(seg.paragraph, []).append(seg)
    for number in sorted(paragraphs):
        group = paragraphs[number]
        spoken = synthesize_sentences([s.text for s in group], voice_of[group[0].speaker], pause_ms=0)
        for seg, (first, last) in zip(group, spoken.spans):
            if previous is not None:
                if seg.speaker != previous.speaker:
                    low, high = PAUSE_TURN_S
                elif seg.paragraph != previous.paragraph:
                    low, high = PAUSE_PARAGRAPH_S
                else:
                    low, high = PAUSE_SENTENCE_S
                gap = np.zeros(int(rng.uniform(low, high) * RATE), np.int16)
                pieces.append(gap)
                position += gap.size
            truth.append((seg.id, seg.speaker, round(position * 1000 / RATE), seg.text))
            clip = spoken.samples[first:last]
            pieces.append(clip)
            position += clip.size
            previous = seg
    pieces.append(np.zeros(int(TAIL_S * RATE), np.int16))
    return np.concatenate(pieces), truth, {k: f"{v.name} {v.speed} wpm pitch {v.pitch}" for k, v in voice_of.items()}


def encode(samples, target: Path, video: bool) -> None:
    """MP3 (or MP4 with a still frame) through ffmpeg, with no varying metadata."""
    tmp = target.with_name(f".{target.name}.part{target.suffix}")
    command = ["ffmpeg", "-nostdin", "-y", "-loglevel", "error",
               "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "-"]  # fmt: skip
    if video:
        command += ["-f", "lavfi", "-i", "color=c=0x1d3557:s=640x360:r=2", "-shortest",
                    "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-b:a", "96k"]  # fmt: skip
    else:
        command += ["-c:a", "libmp3lame", "-b:a", "64k"]
    command += ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact", str(tmp)]
    subprocess.run(command, input=samples.astype("<i2").tobytes(), check=True)
    tmp.replace(target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=ROOT / "source" / "interview.md")
    parser.add_argument("--out", type=Path, default=ROOT / ".cache" / "demo")
    parser.add_argument("--video", action="store_true", help="also write a small MP4 with a still picture")
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()

    from transkit.errors import TranskitError
    from transkit.fsio import atomic_write_text

    try:
        samples, truth, voices = build(args.source, args.seed)
    except TranskitError as exc:
        print(f"make_demo_audio: {exc}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.source.stem
    encode(samples, args.out / f"{stem}.mp3", video=False)
    if args.video:
        encode(samples, args.out / f"{stem}.mp4", video=True)
    report = {
        "source": args.source.name,
        "voices": voices,
        "seed": args.seed,
        "duration_ms": round(samples.size * 1000 / RATE),
        "sentences": [{"segment": i, "speaker": s, "start_ms": t, "text": x} for i, s, t, x in truth],
    }
    atomic_write_text(args.out / f"{stem}.truth.json", json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    print(f"wrote {args.out / (stem + '.mp3')} ({report['duration_ms'] / 60000:.1f} min, {len(truth)} sentences)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
