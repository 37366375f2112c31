"""Accuracy of sentence starts found by ``transkit align``, beside aeneas, on audio
whose true sentence starts are known.

Test audio: every sentence of the transcript is spoken by flite (a different
engine from the espeak-ng voice the aligner uses), one flite voice per speaker at
different speeds, each clip trimmed to its speech, joined with random pauses of
0.15-2 s (seeded), a few seconds of non-speech at the head and the tail, white
noise at 20 dB SNR over the whole track, and the result encoded as MP3. The true
start of a sentence is where its trimmed clip was placed.

With ``--human`` the clips are real read speech with exact transcripts instead:
five LibriVox utterances (public domain) and five of a second speaker, from
Debian's ``pocketsphinx-testdata`` (BSD-2), each used twice; everything else is
the same, except the true start: these recordings carry their own room noise and
breaths, which reach the trim threshold up to 0.3 s before the first word, so the
true start is the first word's onset found by pocketsphinx forced alignment on the
clean clip (Debian ``pocketsphinx`` + ``pocketsphinx-en-us``; stored beside the
clip start in ``truth-v2.json``).

Both aligners run as separate processes on the same MP3, one after the other;
time is the process's wall-clock time (decoding, synthesis, alignment), memory its
peak resident set. aeneas lives in its own virtual environment
(``benchmarks/setup_aeneas.sh``) and is only ever run as a program.

    .venv/bin/python benchmarks/align_accuracy.py [--source source/interview.md]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench-align"
AENEAS_PYTHON = ROOT / ".cache" / "aeneas-venv" / "bin" / "python"
RATE = 16_000

# (flite voice, duration stretch): >1 is slower. One per speaker, in transcript order.
FLITE_VOICES = (("slt", 0.90), ("rms", 1.15), ("awb", 1.0), ("kal16", 1.05))

AENEAS_RUNTIME = "tts=espeak-ng|ffmpeg_sample_rate=22050"
AENEAS_CONFIGS = {
    "aeneas default": "task_language=eng|is_text_type=plain|os_task_file_format=json",
    "aeneas nonspeech REMOVE": (
        "task_language=eng|is_text_type=plain|os_task_file_format=json"
        "|task_adjust_boundary_nonspeech_min=0.300|task_adjust_boundary_nonspeech_string=REMOVE"
    ),
}


# ---------------------------------------------------------------- test audio


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        if w.getnchannels() > 1:
            data = data.reshape(-1, w.getnchannels()).mean(axis=1).astype(np.int16)
        return data, w.getframerate()


def to_rate(samples: np.ndarray, rate: int) -> np.ndarray:
    if rate == RATE:
        return samples
    out = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "-",
         "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-"],
        input=samples.astype("<i2").tobytes(), capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(out, dtype="<i2")


def trim_to_speech(samples: np.ndarray, rate: int = RATE, below_peak_db: float = 40.0) -> np.ndarray:
    """Cut leading and trailing silence: keep from the first to the last 5 ms frame
    whose RMS is within ``below_peak_db`` of the loudest frame."""
    frame = rate // 200
    n = samples.size // frame
    if n == 0:
        return samples
    rms = np.sqrt((samples[: n * frame].astype(np.float64).reshape(n, frame) ** 2).mean(axis=1) + 1e-9)
    loud = np.flatnonzero(20 * np.log10(rms / rms.max()) > -below_peak_db)
    return samples[loud[0] * frame: (loud[-1] + 1) * frame]


def flite_clip(text: str, voice: str, stretch: float) -> np.ndarray:
    key = hashlib.sha256(f"{voice}|{stretch}|{text}".encode()).hexdigest()[:20]
    path = CACHE / "flite" / f"{key}.wav"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part.wav")
        subprocess.run(
            ["flite", "-voice", voice, "--setf", f"duration_stretch={stretch}", "-t", text, "-o", str(tmp)],
            check=True, capture_output=True,
        )  # fmt: skip
        tmp.replace(path)
    samples, rate = read_wav(path)
    return to_rate(samples, rate)


def assemble(
    clips: list[np.ndarray],
    *,
    seed: int,
    snr_db: float = 20.0,
    head_s: float = 3.0,
    tail_s: float = 3.0,
    pause_s: tuple[float, float] = (0.15, 2.0),
) -> tuple[np.ndarray, list[int]]:
    """Join clips with random pauses, add head/tail non-speech and noise; true starts in ms."""
    rng = np.random.default_rng(seed)
    pauses = rng.uniform(pause_s[0], pause_s[1], size=max(0, len(clips) - 1))
    parts, starts = [np.zeros(int(head_s * RATE), np.float64)], []
    position = parts[0].size
    for i, clip in enumerate(clips):
        if i:
            gap = np.zeros(int(pauses[i - 1] * RATE), np.float64)
            parts.append(gap)
            position += gap.size
        starts.append(round(position * 1000 / RATE))
        parts.append(clip.astype(np.float64))
        position += clip.size
    parts.append(np.zeros(int(tail_s * RATE), np.float64))
    track = np.concatenate(parts)
    speech_power = np.mean(np.concatenate([c.astype(np.float64) for c in clips]) ** 2)
    noise = rng.normal(0.0, np.sqrt(speech_power / 10 ** (snr_db / 10)), size=track.size)
    mixed = track + noise
    peak = np.abs(mixed).max()
    if peak > 32000:
        mixed *= 32000 / peak
    return mixed.astype(np.int16), starts


def encode_mp3(samples: np.ndarray, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part.mp3")
    subprocess.run(
        ["ffmpeg", "-nostdin", "-y", "-loglevel", "error", "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "-",
         "-codec:a", "libmp3lame", "-b:a", "64k", str(tmp)],
        input=samples.astype("<i2").tobytes(), check=True,
    )  # fmt: skip
    tmp.replace(path)


def interview_sentences(source: Path) -> tuple[list[str], list[str]]:
    """(sentence texts, speaker ids) of the transcript, as transkit segments them."""
    from transkit.ingest import load_transcript
    from transkit.segment import segment_transcript

    segments = segment_transcript(load_transcript(source))
    return [s.text for s in segments], [s.speaker for s in segments]


def build_flite_case(source: Path, seed: int, snr_db: float) -> dict:
    texts, speakers = interview_sentences(source)
    order = list(dict.fromkeys(speakers))
    voice_of = {spk: FLITE_VOICES[i % len(FLITE_VOICES)] for i, spk in enumerate(order)}
    key = hashlib.sha256(json.dumps([texts, speakers, seed, snr_db, list(voice_of.items())]).encode()).hexdigest()[:16]
    folder = CACHE / f"flite-{key}"
    truth_path = folder / "truth.json"
    if not truth_path.exists():
        print(f"building test audio with flite ({len(texts)} sentences)...", file=sys.stderr)
        clips = [trim_to_speech(flite_clip(t, *voice_of[s])) for t, s in zip(texts, speakers)]
        samples, starts = assemble(clips, seed=seed, snr_db=snr_db)
        encode_mp3(samples, folder / "test.mp3")
        truth = {"texts": texts, "speakers": speakers, "starts_ms": starts, "duration_ms": samples.size * 1000 // RATE,
                 "voices": {k: list(v) for k, v in voice_of.items()}, "seed": seed, "snr_db": snr_db}
        (folder / "truth.json").write_text(json.dumps(truth, indent=1))
    return {"audio": folder / "test.mp3", "truth": json.loads(truth_path.read_text()), "truth_path": truth_path}


HUMAN_DATA = Path("/usr/share/pocketsphinx/test/data")  # Debian package pocketsphinx-testdata (BSD-2)


def _human_utterances() -> dict[str, list[tuple[Path, str]]]:
    """Real read speech with exact transcripts: five LibriVox utterances (public domain,
    one reader of "Sense and Sensibility") and five utterances of a second speaker
    naming playing cards, as shipped for pocketsphinx's own tests."""
    import re

    out: dict[str, list[tuple[Path, str]]] = {}
    for speaker, folder, listing in (("LV", "librivox", "transcription"), ("CD", "cards", "cards.transcription")):
        for line in (HUMAN_DATA / folder / listing).read_text().splitlines():
            found = re.match(r"<s>(.*)</s>\s*\((.+)\)", line.strip())
            if found:
                words = " ".join(found.group(1).split())
                text = words[0].upper() + words[1:] + "."
                out.setdefault(speaker, []).append((HUMAN_DATA / folder / f"{found.group(2)}.wav", text))
    return out


PS_MODEL = Path("/usr/share/pocketsphinx/model/en-us")  # Debian pocketsphinx-en-us


def word_onset_ms(clip: np.ndarray, text: str) -> int | None:
    """Where the first word starts in ``clip`` (16 kHz), by forced alignment with
    pocketsphinx (an HMM recogniser trained on real speech, independent of both
    aligners under test) restricted to a grammar of exactly ``text``. None if
    pocketsphinx is missing or finds no words."""
    import re

    binary = shutil.which("pocketsphinx_continuous")
    if not binary or not (PS_MODEL / "en-us").is_dir():
        return None
    words = re.sub(r"[^a-z' ]", " ", text.lower()).split()
    pad = RATE * 3 // 10
    with tempfile.TemporaryDirectory() as tmp:
        wav_path, grammar = Path(tmp) / "clip.wav", Path(tmp) / "g.jsgf"
        with wave.open(str(wav_path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            # a short pause before the clip lets the recogniser's silence model take
            # whatever precedes the first word (it needs a few frames of it)
            w.writeframes(np.concatenate([np.zeros(pad, np.int16), clip.astype("<i2")]).tobytes())
        grammar.write_text(f"#JSGF V1.0;\ngrammar g;\npublic <s> = {' '.join(words)};\n")
        done = subprocess.run(
            [binary, "-infile", str(wav_path), "-jsgf", str(grammar), "-time", "yes",
             "-dither", "yes", "-seed", "1",
             "-hmm", str(PS_MODEL / "en-us"), "-dict", str(PS_MODEL / "cmudict-en-us.dict")],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    for line in done.stdout.splitlines():
        parts = line.split()  # word, start s, end s, posterior (after the hypothesis line)
        if len(parts) == 4 and parts[0].split("(")[0] in words and re.fullmatch(r"[\d.]+", parts[1]):
            return max(0, round(float(parts[1]) * 1000) - pad * 1000 // RATE)
    return None


def word_times_ms(clip: np.ndarray, text: str) -> list[tuple[int, int]] | None:
    """(start, end) ms of every word of ``text`` in ``clip`` (16 kHz), by pocketsphinx
    forced alignment as in ``word_onset_ms``; None unless every word is found."""
    import re

    binary = shutil.which("pocketsphinx_continuous")
    if not binary or not (PS_MODEL / "en-us").is_dir():
        return None
    words = re.sub(r"[^a-z' ]", " ", text.lower()).split()
    pad = RATE * 3 // 10
    with tempfile.TemporaryDirectory() as tmp:
        wav_path, grammar = Path(tmp) / "clip.wav", Path(tmp) / "g.jsgf"
        with wave.open(str(wav_path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(np.concatenate([np.zeros(pad, np.int16), clip.astype("<i2")]).tobytes())
        grammar.write_text(f"#JSGF V1.0;\ngrammar g;\npublic <s> = {' '.join(words)};\n")
        done = subprocess.run(
            [binary, "-infile", str(wav_path), "-jsgf", str(grammar), "-time", "yes",
             "-dither", "yes", "-seed", "1",
             "-hmm", str(PS_MODEL / "en-us"), "-dict", str(PS_MODEL / "cmudict-en-us.dict")],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    found = []
    shift = pad * 1000 // RATE
    for line in done.stdout.splitlines():
        parts = line.split()
        if len(parts) == 4 and re.fullmatch(r"[\d.]+", parts[1]) and parts[0].split("(")[0] in words:
            found.append((max(0, round(float(parts[1]) * 1000) - shift), max(0, round(float(parts[2]) * 1000) - shift)))
    return found if len(found) == len(words) else None


INNER_PAUSE_S = (0.15, 0.45)  # between the utterances that make one sentence


def build_words_case(seed: int, snr_db: float, rounds: int = 8) -> dict:
    """Long sentences made of two or three real utterances of one speaker joined with
    short pauses, the utterance texts joined with commas: the layout splits such a
    sentence into cues, and where a cue starts on an utterance's first word its true
    time is known (the clip's placement + the first word's onset). Every word's time
    is also taken from pocketsphinx on the clean clip (a second, independent truth
    for boundaries that do not fall on a joint)."""
    utterances = _human_utterances()
    if len(utterances) < 2:
        raise SystemExit(f"real speech not found in {HUMAN_DATA}: apt-get install pocketsphinx-testdata")
    rng = np.random.default_rng(seed)
    sentences: list[tuple[str, list[tuple[Path, str]]]] = []
    for round_ in range(rounds):
        for speaker in ("LV", "CD"):
            pool = [utterances[speaker][i] for i in rng.permutation(len(utterances[speaker]))]
            while pool:
                size = 3 if len(pool) in (3, 5) or (len(pool) > 3 and rng.random() < 0.5) else 2
                size = min(size, len(pool))
                sentences.append((speaker, pool[:size]))
                pool = pool[size:]
    folder = CACHE / f"words-{seed}-{snr_db:g}-{rounds}"
    truth_path = folder / "truth-words-v1.json"
    if not truth_path.exists():
        clips_of = {}
        for _, parts in sentences:
            for path, text in parts:
                if path not in clips_of:
                    clip = trim_to_speech(to_rate(*read_wav(path)), below_peak_db=35.0)
                    times = word_times_ms(clip, text)
                    if times is None:
                        raise SystemExit(f"pocketsphinx could not time {path}: apt-get install pocketsphinx pocketsphinx-en-us")
                    clips_of[path] = (clip, times)
        # one "clip" per sentence: its utterances joined with short pauses
        sentence_clips, inner = [], []
        for _, parts in sentences:
            pieces, joints, position = [], [], 0
            for k, (path, _) in enumerate(parts):
                if k:
                    pause = np.zeros(int(rng.uniform(*INNER_PAUSE_S) * RATE), np.int16)
                    pieces.append(pause)
                    position += pause.size
                joints.append(round(position * 1000 / RATE))
                pieces.append(clips_of[path][0])
                position += clips_of[path][0].size
            sentence_clips.append(np.concatenate(pieces))
            inner.append(joints)
        samples, placed = assemble(sentence_clips, seed=seed, snr_db=snr_db, pause_s=(0.6, 1.5))
        encode_mp3(samples, folder / "test.mp3")
        texts, speakers, word_truth, joints_truth, starts = [], [], [], [], []
        for (speaker, parts), at, joints in zip(sentences, placed, inner):
            words, joint_words = [], []
            for (path, text), joint in zip(parts, joints):
                joint_words.append(len(words))
                words += [(at + joint + a, at + joint + b) for a, b in clips_of[path][1]]
            said = [t.rstrip(".") if k + 1 < len(parts) else t for k, (_, t) in enumerate(parts)]
            texts.append(", ".join([said[0]] + [t[0].lower() + t[1:] for t in said[1:]]))
            speakers.append(speaker)
            word_truth.append(words)
            joints_truth.append(joint_words)
            starts.append(words[0][0])
        truth = {"texts": texts, "speakers": speakers, "starts_ms": starts, "words_ms": word_truth,
                 "joint_words": joints_truth, "duration_ms": samples.size * 1000 // RATE, "seed": seed}
        folder.mkdir(parents=True, exist_ok=True)
        truth_path.write_text(json.dumps(truth, indent=1))
    return {"audio": folder / "test.mp3", "truth": json.loads(truth_path.read_text()), "truth_path": truth_path}


def build_human_case(seed: int, snr_db: float) -> dict:
    """Two real speakers taking turns (each utterance used twice, in two orders)."""
    utterances = _human_utterances()
    if len(utterances) < 2:
        raise SystemExit(f"real speech not found in {HUMAN_DATA}: apt-get install pocketsphinx-testdata")
    rng = np.random.default_rng(seed)
    a, b = utterances["LV"], utterances["CD"]
    order = []
    for round_ in range(2):
        ia, ib = rng.permutation(len(a)), rng.permutation(len(b))
        for x, y in zip(ia, ib):
            order += [("LV", *a[x]), ("CD", *b[y])]
    folder = CACHE / f"human-{seed}-{snr_db:g}"
    truth_path = folder / "truth-v2.json"
    if not truth_path.exists():
        clips = [trim_to_speech(to_rate(*read_wav(path)), below_peak_db=35.0) for _, path, _ in order]
        samples, placed = assemble(clips, seed=seed, snr_db=snr_db)
        encode_mp3(samples, folder / "test.mp3")
        # The recordings' own room noise and breaths reach the -35 dB trim threshold up
        # to 0.3 s before the first word: the true start is the first word's onset.
        onsets = [word_onset_ms(clip, text) for clip, (_, _, text) in zip(clips, order)]
        if any(o is None for o in onsets):
            raise SystemExit("pocketsphinx could not time the utterances: apt-get install pocketsphinx pocketsphinx-en-us")
        truth = {"texts": [t for _, _, t in order], "speakers": [s for s, _, _ in order],
                 "starts_ms": [p + o for p, o in zip(placed, onsets)], "clip_starts_ms": placed,
                 "duration_ms": samples.size * 1000 // RATE, "files": [p.name for _, p, _ in order], "seed": seed}
        truth_path.write_text(json.dumps(truth, indent=1))
    return {"audio": folder / "test.mp3", "truth": json.loads(truth_path.read_text()), "truth_path": truth_path}


# ---------------------------------------------------------------- running the aligners


def _high_water_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


LAST_CPU = [0.0]  # CPU seconds of the last program run_measured ran


def run_measured(command: list[str], **kwargs) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run a program; return (wall seconds, peak RSS in MB, completed process).

    Peak RSS is the program's own high-water mark (VmHWM, read every 20 ms until
    it exits): getrusage's ru_maxrss would also count the benchmark process's own
    memory, which a forked child carries until it execs."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        clock = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, **kwargs)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _high_water_kb(process.pid))
            time.sleep(0.02)
        wall = time.perf_counter() - clock
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # the program's CPU time with everything it ran (ffmpeg, espeak-ng), user + system
        LAST_CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(command, process.returncode, out.read().decode(), err.read().decode())
    return wall, peak / 1024.0, done


TRANSKIT_CHILD = r"""
import json, sys
from transkit.align import align_transcript
from transkit.model import Metadata, Segment, Transcript
data = json.load(open(sys.argv[1]))
segments = [Segment(id=i, paragraph=0, speaker=s, text=t, start_ms=0, end_ms=max(500, 60 * len(t)))
            for i, (t, s) in enumerate(zip(data["texts"], data["speakers"]))]
result = align_transcript(Transcript(Metadata("bench"), (), ()), segments, sys.argv[2])
print(json.dumps({"starts": [s.start_ms for s in result.segments], "timing": [s.timing for s in result.segments],
                  "ends": [s.end_ms for s in result.segments], "words": [s.words for s in result.segments],
                  "confidence": [s.confidence for s in result.segments], "report": result.report.lines(),
                  "steps": result.step_seconds}))
"""


def run_transkit(audio: Path, truth_path: Path) -> dict:
    wall, rss, done = run_measured([sys.executable, "-c", TRANSKIT_CHILD, str(truth_path), str(audio)])
    if done.returncode != 0:
        raise SystemExit(f"transkit failed:\n{done.stderr}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return {"starts": out["starts"], "wall": wall, "cpu": LAST_CPU[0], "rss": rss, "extra": out}


def run_aeneas(audio: Path, texts: list[str], config: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        text_file = Path(tmp) / "text.txt"
        text_file.write_text("\n".join(" ".join(t.split()) for t in texts) + "\n", encoding="utf-8")
        out_file = Path(tmp) / "map.json"
        command = [str(AENEAS_PYTHON), "-m", "aeneas.tools.execute_task", str(audio), str(text_file), config,
                   str(out_file), f"-r={AENEAS_RUNTIME}"]  # fmt: skip
        wall, rss, done = run_measured(command, cwd=tmp)
        cpu = LAST_CPU[0]
        if done.returncode != 0:
            raise SystemExit(f"aeneas failed:\n{done.stdout}\n{done.stderr}")
        fragments = json.loads(out_file.read_text())["fragments"]
    # REMOVE drops the non-speech fragments it inserted; the text fragments keep their ids
    starts = [round(float(f["begin"]) * 1000) for f in fragments if f.get("lines")]
    return {"starts": starts, "wall": wall, "cpu": cpu, "rss": rss}


def errors_of(found: list[int], truth: list[int]) -> dict:
    if len(found) != len(truth):
        raise SystemExit(f"{len(found)} starts found for {len(truth)} sentences")
    e = np.abs(np.asarray(found) - np.asarray(truth))
    return {
        "mean": float(e.mean()), "median": float(np.median(e)), "p95": float(np.percentile(e, 95)),
        "within100": float((e <= 100).mean()), "within250": float((e <= 250).mean()), "max": float(e.max()),
    }  # fmt: skip


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def print_table(title: str, duration_ms: int, rows: dict[str, dict]) -> None:
    print(f"\n{title}  (audio {duration_ms / 60000:.1f} min; load average before: {rows.pop('_load', '?')})")
    head = f"{'aligner':26} {'mean':>7} {'median':>7} {'p95':>7} {'max':>7} {'<=100ms':>8} {'<=250ms':>8} {'wall s':>7} {'CPU s':>7} {'xRT':>7} {'RSS MB':>7}"
    print(head)
    print("-" * len(head))
    for name, row in rows.items():
        e = row["errors"]
        print(
            f"{name:26} {e['mean']:7.0f} {e['median']:7.0f} {e['p95']:7.0f} {e['max']:7.0f} "
            f"{e['within100']:8.1%} {e['within250']:8.1%} {row['wall']:7.2f} {row.get('cpu', 0.0):7.2f} "
            f"{row['wall'] * 1000 / duration_ms:7.4f} {row['rss']:7.0f}"
        )
    aeneas = {k: v for k, v in rows.items() if k.startswith("aeneas")}
    if "transkit" in rows and aeneas:
        best_name = min(aeneas, key=lambda k: (aeneas[k]["errors"]["median"], aeneas[k]["errors"]["p95"]))
        best, ours = aeneas[best_name], rows["transkit"]
        print(
            f"transkit / {best_name}: median {ours['errors']['median'] / max(best['errors']['median'], 1):.2f}, "
            f"p95 {ours['errors']['p95'] / max(best['errors']['p95'], 1):.2f}, time {ours['wall'] / best['wall']:.2f}, "
            f"CPU {ours.get('cpu', 0.0) / max(best.get('cpu', 0.0), 1e-9):.2f}, "
            f"RSS {ours['rss'] / best['rss']:.2f}  (targets: <= 0.50, <= 0.50, <= 1.50)"
        )


def run_case(title: str, audio: Path, truth: dict, truth_path: Path, *, with_aeneas: bool) -> dict:
    rows: dict[str, dict] = {"_load": load_average()}
    ours = run_transkit(audio, truth_path)
    rows["transkit"] = {**ours, "errors": errors_of(ours["starts"], truth["starts_ms"])}
    if with_aeneas:
        for name, config in AENEAS_CONFIGS.items():
            row = run_aeneas(audio, truth["texts"], config)
            rows[name] = {**row, "errors": errors_of(row["starts"], truth["starts_ms"])}
    extra = ours["extra"]
    print_table(title, truth["duration_ms"], rows)
    print(f"transkit steps (s): {', '.join(f'{k} {v:.2f}' for k, v in extra['steps'].items())}")
    print("transkit report: " + "\n  ".join(extra["report"][:8]))
    return rows


def cue_first_words(track, segments) -> list[tuple[int, int, int]]:
    """(cue start ms, sentence index, index of the cue's first word in the sentence)
    for every cue, in order (cues of one sentence take its words one after another)."""
    position = {seg.id: 0 for seg in segments}
    index_of = {seg.id: i for i, seg in enumerate(segments)}
    out = []
    for cue in track.cues:
        (seg_id,) = cue.segment_ids
        out.append((cue.start_ms, index_of[seg_id], position[seg_id]))
        position[seg_id] += sum(len(line.split()) for line in cue.lines)
    return out


def word_layout_errors(extra: dict, truth: dict, profile_name: str = "netflix-en") -> dict:
    """Lay the aligned sentences out twice - cue boundaries in proportion to the
    text (as without word times) and at the aligned word times - and measure cue
    starts against the truth."""
    from dataclasses import replace

    from transkit.layout import layout_track
    from transkit.model import Segment
    from transkit.profiles import get_profile

    profile = get_profile(profile_name)
    timed = [
        Segment(i, i, s, t, a, b, timing=k, words=tuple(tuple(w) for w in words))
        for i, (t, s, a, b, k, words) in enumerate(zip(
            truth["texts"], truth["speakers"], extra["starts"], extra["ends"], extra["timing"], extra["words"]))
    ]  # fmt: skip
    shown = [seg for seg in timed if seg.timing != "unaligned"]
    out = {}
    for name, segments in (("proportional", [replace(seg, words=()) for seg in shown]), ("word times", shown)):
        track = layout_track(segments, "en", profile, typography=False)
        joints, inner, first = [], [], []
        agree = total = 0
        for start, sentence, word in cue_first_words(track, segments):
            true = truth["words_ms"][sentence][word][0]
            if word == 0:
                first.append(start - true)
                continue
            total += 1
            inner.append(start - true)
            if word in truth["joint_words"][sentence]:
                agree += 1
                joints.append(start - true)
        out[name] = {"inner": inner, "joints": joints, "first": first, "agree": agree, "total": total}
    return out


def _stats(values: list[int]) -> str:
    if not values:
        return "n=0"
    e = np.abs(np.asarray(values, dtype=float))
    bias = float(np.median(values))
    return f"n={e.size:3d}  median {np.median(e):5.0f}  p95 {np.percentile(e, 95):5.0f}  max {e.max():5.0f}  (median signed {bias:+.0f})"


def run_words_case(audio: Path, truth: dict, truth_path: Path, *, with_aeneas: bool) -> None:
    rows: dict[str, dict] = {"_load": load_average()}
    ours = run_transkit(audio, truth_path)
    rows["transkit"] = {**ours, "errors": errors_of(ours["starts"], truth["starts_ms"])}
    if with_aeneas:
        for name, config in AENEAS_CONFIGS.items():
            row = run_aeneas(audio, truth["texts"], config)
            rows[name] = {**row, "errors": errors_of(row["starts"], truth["starts_ms"])}
    print_table("Real speech, sentences of 2-3 utterances (sentence starts)", truth["duration_ms"], rows)
    result = word_layout_errors(ours["extra"], truth)
    print("\ncue starts, ms (same alignment, same audio; truth: utterance joints / pocketsphinx word onsets)")
    for name, r in result.items():
        print(f"  {name:13} inside sentences, at joints    {_stats(r['joints'])}")
        print(f"  {'':13} inside sentences, all          {_stats(r['inner'])}")
        print(f"  {'':13} first cue of a sentence        {_stats(r['first'])}")
        print(f"  {'':13} boundaries inside sentences that fall on a pause (joint): {r['agree']}/{r['total']}")
    every = [
        a - w[0]
        for found, true, kind in zip(ours["extra"]["words"], truth["words_ms"], ours["extra"]["timing"])
        if kind == "aligned" and len(found) == len(true)
        for (a, _), w in zip(found, true)
    ]
    print(f"  every word's start (aligned sentences)        {_stats(every)}")
    print(f"transkit steps (s): {', '.join(f'{k} {v:.2f}' for k, v in ours['extra']['steps'].items())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=ROOT / "source" / "interview.md")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--snr", type=float, default=20.0)
    parser.add_argument("--no-aeneas", action="store_true", help="only run transkit")
    parser.add_argument("--human", action="store_true", help="real human speech (Debian pocketsphinx-testdata) instead of flite")
    parser.add_argument("--words", action="store_true",
                        help="real speech in long sentences: cue starts inside sentences, proportional vs word times")
    parser.add_argument("--rounds", type=int, default=8, help="--words: how many times every utterance is used")
    args = parser.parse_args()
    with_aeneas = not args.no_aeneas
    if with_aeneas and not AENEAS_PYTHON.exists():
        raise SystemExit("aeneas is not set up: run benchmarks/setup_aeneas.sh (or pass --no-aeneas)")
    for tool in ("ffmpeg", "flite", "espeak-ng"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is not installed")
    print(f"machine: {os.cpu_count()} cores, load average {load_average()}")
    if args.words:
        case = build_words_case(args.seed, args.snr, args.rounds)
        run_words_case(case["audio"], case["truth"], case["truth_path"], with_aeneas=with_aeneas)
    elif args.human:
        case = build_human_case(args.seed, args.snr)
        run_case(
            f"Real human speech (LibriVox + CMU test utterances), {args.snr:.0f} dB SNR, MP3",
            case["audio"], case["truth"], case["truth_path"], with_aeneas=with_aeneas,
        )  # fmt: skip
    else:
        case = build_flite_case(args.source, args.seed, args.snr)
        run_case(
            f"Interview spoken by flite, {args.snr:.0f} dB SNR, MP3",
            case["audio"], case["truth"], case["truth_path"], with_aeneas=with_aeneas,
        )  # fmt: skip


if __name__ == "__main__":
    main()
