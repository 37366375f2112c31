"""Forced alignment of a transcript's segments to a recording of it.

The text is spoken with espeak-ng (a voice per speaker, chosen by pitch from a
quick alignment of the beginning), both the synthetic speech and the recording are
reduced to 10 ms speech features with long pauses cut out, and dynamic time
warping on 40 ms frames, window by window (linear in length), maps one onto the
other (``engine``, ``dtw``). Starts are then put on speech onsets and ends near
the end of speech (``snap``). Segments whose match is poor are re-timed from
speech/non-speech detection and the speech-rate estimate between good
neighbours ("fallback"); text that is not in the recording at all is reported
as "unaligned" rather than stretched over the audio.

Everything heavy (numpy, pydub, subprocesses) happens inside the functions.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, Callable, Sequence

from ..model import Segment, Transcript
from .types import AlignmentReport, AlignmentResult, AlignOptions, Placed, SpanNote

if TYPE_CHECKING:
    from .engine import Recording

Progress = Callable[[int, int], None]

__all__ = ["AlignOptions", "AlignmentResult", "AlignmentReport", "SpanNote", "align_transcript"]


# ---------------------------------------------------------------- the steps


def _read_recording(audio_path: str, progress: Callable[[float], None]) -> "Recording":
    from .audio import SAMPLE_RATE, iter_pcm, probe_audio
    from .engine import Recording
    from .features import MIN_DYNAMIC_RANGE, FeatureExtractor, activity, dynamic_range, noise_floor, speech_mask

    info = probe_audio(audio_path)
    expected = info.duration_ms or 0
    extractor = FeatureExtractor(SAMPLE_RATE)
    samples = 0
    for block in iter_pcm(audio_path, block_seconds=20.0):
        extractor.feed(block)
        samples += block.size
        if expected:
            progress(min(1.0, samples * 1000 / SAMPLE_RATE / expected))
    features = extractor.finish()
    floor = noise_floor(features.log_mel)
    mask = speech_mask(activity(features.log_mel, floor))
    if dynamic_range(features.log_mel, floor) < MIN_DYNAMIC_RANGE:
        mask[:] = False  # steady noise or silence throughout: nothing rises above it
    return Recording(features, floor, mask, samples * 1000 // SAMPLE_RATE)


def _speakable(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _voices_by_pitch(speakers, placement, audio_path, recording, options: AlignOptions) -> dict[str, str]:
    """For each speaker without a voice of the user's choosing: the candidate voice
    whose pitch is nearest to the speaker's, measured over a few of the speaker's
    well-matched sentences. A synthetic voice in the speaker's register matches the
    recording's spectra much better (a low voice against a high one costs accuracy)."""
    import math

    from .engine import speaker_pitch, voice_pitch

    chosen = dict(options.voices)
    candidates = tuple(dict.fromkeys((options.voice,) + tuple(options.voice_candidates)))
    if len(candidates) < 2:
        return chosen
    pitches = {v: p for v in candidates if (p := voice_pitch(v, options.speed))}
    for speaker in dict.fromkeys(speakers):
        if speaker in chosen:
            continue
        # the speaker's best-matched sentences (a voice far from the speaker's matches
        # poorly everywhere, so these are the best clue to where the speaker is)
        picks = [i for i, s in enumerate(speakers) if s == speaker]
        picks = sorted(picks, key=lambda i: _mismatch(placement.cost[i], placement.irregular[i]))[:4]
        pitch = speaker_pitch(audio_path, recording, [(placement.starts[i], placement.ends[i]) for i in picks])
        if pitch and pitches:
            chosen[speaker] = min(pitches, key=lambda v: abs(math.log(pitches[v] / pitch)))
    return chosen


def _mismatch(cost: float, irregular: float) -> float:
    """1.0 for a typical correct match; grows as the speech matches the text worse
    (higher frame distance, a more contorted warping path)."""
    return 0.5 * cost / TYPICAL_COST + 0.5 * irregular / TYPICAL_IRREGULAR


PREFIX_POOL = 4  # the voice-finding pass runs on 40 ms frames
PREFIX_CHARS = 3000  # about three minutes of speech


def _prefix_end(texts: Sequence[str], speakers: Sequence[str]) -> int:
    """How many texts the voice-finding pass aligns: about three minutes of speech and
    at least four sentences of every speaker who appears early enough."""
    need = {s: 4 for s in speakers}
    size = 0
    for end, (text, speaker) in enumerate(zip(texts, speakers), 1):
        size += len(text)
        need[speaker] = max(0, need[speaker] - 1)
        if size >= PREFIX_CHARS and (not any(need.values()) or size >= 4 * PREFIX_CHARS):
            return end
    return len(texts)


def _overall_mismatch(placement) -> float:
    """Median mismatch over all texts: how well the recording matches the text as a whole."""
    values = sorted(_mismatch(c, i) for c, i in zip(placement.cost, placement.irregular))
    return values[len(values) // 2] if values else 2.0


def _speaker_scale(placement, speakers: Sequence[str]) -> dict[str, float]:
    """Per speaker, how much worse than typical the speaker's sentences match as a
    whole (median mismatch, 1.0 to MAX_SPEAKER_SCALE). A real voice, microphone or
    room unlike the synthetic voice raises every sentence's mismatch alike; dividing
    it out keeps that speaker's sentences from all dropping to the fallback, while a
    wrong transcript (mismatch far above the cap) still scores low."""
    by: dict[str, list[float]] = {}
    for c, i, speaker in zip(placement.cost, placement.irregular, speakers):
        by.setdefault(speaker, []).append(_mismatch(c, i))
    out = {}
    for speaker, values in by.items():
        values.sort()
        out[speaker] = min(MAX_SPEAKER_SCALE, max(1.0, values[len(values) // 2])) if len(values) >= 3 else 1.0
    return out


MAX_SPEAKER_SCALE = 1.2


def _confidence(cost: float, stretch: float, irregular: float, scale: float = 1.0) -> tuple[float, str]:
    """Confidence in [0, 1] from the match and the duration, and why it is low."""
    import math

    mismatch = _mismatch(cost, irregular) / scale
    match = min(1.0, max(0.0, 1.0 - (mismatch - 1.0) / 0.4))
    fit = max(0.0, 1.0 - abs(math.log(max(stretch, 1e-3))) / math.log(4.0))
    confidence = round(min(match, 0.4 + 0.6 * fit), 3)
    reason = ""
    if stretch < 0.25:
        reason = "squeezed into almost no time: probably not spoken"
    elif match < 0.5:
        reason = f"the speech does not match the text well (mismatch {mismatch:.2f}, 1.00 is typical)"
    elif fit < 0.3:
        reason = f"takes {stretch:.1f}x the expected time"
    return confidence, reason


# Typical of correct matches (measured with benchmarks/align_accuracy.py): the mean
# frame distance over that between unrelated frames, and the share of irregular steps.
TYPICAL_COST = 0.52
TYPICAL_IRREGULAR = 0.52


# ---------------------------------------------------------------- main entry


def align_transcript(
    transcript: Transcript,
    segments: Sequence[Segment],
    audio_path: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    options: AlignOptions = AlignOptions(),
) -> AlignmentResult:
    """Time ``segments`` (from ``transkit.segment``) to the speech in ``audio_path``.

    Returns re-timed segments (``timing`` = "aligned", "fallback" or "unaligned",
    ``confidence`` in [0, 1]), a report of what could not be aligned well and why,
    and the recording's duration. Raises ``AudioError`` if the file cannot be read.
    """
    import time

    from .engine import place_texts, recording_features, speak_texts
    from .snap import SpeechMap

    del transcript  # segments carry everything needed; kept for the stage interface
    segments = tuple(segments)
    audio_path = str(audio_path)
    timings: dict[str, float] = {}
    steps = 1000

    def report(start: float, share: float) -> Callable[[float], None]:
        def inner(fraction: float) -> None:
            if progress:
                progress(int(steps * (start + share * min(1.0, fraction))), steps)

        return inner

    clock = time.perf_counter()
    recording = _read_recording(audio_path, report(0.0, 0.3))
    timings["decode"] = time.perf_counter() - clock
    real_features = recording.features
    speech = SpeechMap.from_mask(recording.mask, real_features.hop_ms, real_features.window_ms, recording.duration_ms)

    spoken = [i for i, s in enumerate(segments) if _speakable(s.text)]
    finish = lambda placed, messages=(): _finish(  # noqa: E731
        segments, placed, speech, recording.duration_ms, audio_path, options, messages, timings, progress
    )
    if not segments:
        return finish({})
    if speech.speech_ms() < 300:
        return finish({}, ("no speech found in the recording",))
    if not spoken:
        return finish({}, ("the segments have no text to pronounce",))

    clock = time.perf_counter()
    real = recording_features(recording)
    texts = [segments[i].text for i in spoken]
    speakers = [segments[i].speaker for i in spoken]
    head_frames = int(options.head_search_s * 1000 / real_features.hop_ms)
    given = dict(options.voices)
    voices = [given.get(s, options.voice) for s in speakers]
    cache: dict = {}
    candidates = set(options.voice_candidates) - {options.voice}
    if candidates and any(s not in given for s in speakers):
        # A quick rough alignment of the beginning tells where each speaker talks;
        # their pitch there picks the voice (see _voices_by_pitch).
        end = _prefix_end(texts, speakers)
        prefix_track = speak_texts(texts[:end], voices[:end], options.speed, None, cache, speakers[:end])
        # a short stretch of text pins its start less well than the whole: here the
        # text may start at most 30 s after the first sound
        first_sound = int(recording.mask.argmax())
        prefix = place_texts(
            prefix_track,
            recording,
            real,
            head_frames=min(head_frames, first_sound + 3000),
            pool=PREFIX_POOL,
            share=sum(map(len, texts[:end])) / max(1, sum(map(len, texts))),
        )
        better = _voices_by_pitch(speakers[:end], prefix, audio_path, recording, options)
        voices = [better.get(s, v) for s, v in zip(speakers, voices)]
        timings["voices"] = time.perf_counter() - clock
        report(0.35, 0)(0)
    track = speak_texts(texts, voices, options.speed, report(0.35, 0.25), cache, speakers)
    del cache
    timings["synthesis"] = time.perf_counter() - clock - timings.get("voices", 0.0)
    clock = time.perf_counter()
    placement = place_texts(track, recording, real, head_frames=head_frames, progress=report(0.6, 0.35))
    timings["alignment"] = time.perf_counter() - clock
    del track

    placed: dict[int, Placed] = {}
    scales = _speaker_scale(placement, speakers)
    for k, index in enumerate(spoken):
        start_ms = int(real_features.time_ms(placement.starts[k]))
        end_ms = max(start_ms + 1, int(real_features.time_ms(placement.ends[k])))
        confidence, reason = _confidence(
            placement.cost[k], placement.stretch[k], placement.irregular[k], scales[speakers[k]]
        )
        words = tuple(
            (int(real_features.time_ms(a)), int(real_features.time_ms(b))) for a, b in placement.words[k]
        ) if k < len(placement.words) else ()
        placed[index] = Placed(
            min(start_ms, recording.duration_ms),
            min(end_ms, recording.duration_ms),
            confidence,
            reason,
            placement.stretch[k],
            words if len(words) == len(segments[index].text.split()) else (),
        )
    used = sorted(set(voices))
    messages = [f"espeak-ng voice{'s' if len(used) > 1 else ''}: {', '.join(used)}"]
    overall = _overall_mismatch(placement)
    if overall > 1.25:  # real speech: about 1.17; a wrong transcript: 1.3 and more
        messages.append(
            f"the recording matches the text poorly overall (median mismatch {overall:.2f}, 1.00 is typical): "
            "is it the right recording for this transcript?"
        )
    return finish(placed, tuple(messages))


def _words_within(words: Sequence[tuple[int, int]], start: int, end: int) -> tuple[tuple[int, int], ...]:
    """Word times kept inside the segment's final span, in order, the first word
    starting with the segment (its start was snapped to the speech onset)."""
    out: list[tuple[int, int]] = []
    at = start
    for number, (a, b) in enumerate(words):
        a = start if number == 0 else min(max(a, at), end)
        b = min(max(b, a), end)
        out.append((a, b))
        at = a
    # a word ends before the next begins (the path maps ends and starts apart)
    return tuple((a, min(b, out[k + 1][0]) if k + 1 < len(out) else b) for k, (a, b) in enumerate(out))


def _finish(segments, placed, speech, duration_ms, audio_path, options, messages, timings, progress) -> AlignmentResult:
    from .fallback import retime

    new_segments, notes, more = retime(segments, placed, speech, duration_ms, options)
    new_segments = [
        replace(s, words=_words_within(placed[i].words, s.start_ms, s.end_ms))
        if s.timing == "aligned" and i in placed and placed[i].words else s
        for i, s in enumerate(new_segments)
    ]
    if progress:
        progress(1000, 1000)
    counts = {kind: sum(1 for s in new_segments if s.timing == kind) for kind in ("aligned", "fallback", "unaligned")}
    confidences = [s.confidence or 0.0 for s in new_segments]
    report = AlignmentReport(
        audio_path=audio_path,
        audio_duration_ms=duration_ms,
        speech_ms=speech.speech_ms(),
        aligned=counts["aligned"],
        fallback=counts["fallback"],
        unaligned=counts["unaligned"],
        mean_confidence=round(sum(confidences) / len(confidences), 3) if confidences else 0.0,
        notes=tuple(notes),
        messages=tuple(messages) + tuple(more),
    )
    return AlignmentResult(tuple(new_segments), report, duration_ms, timings)
