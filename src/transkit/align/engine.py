"""The alignment itself, on features: synthetic speech for the texts, pause
compression, windowed DTW, per-text recording spans and their match quality, and
the choice of an espeak-ng voice per speaker.

Everything here works on 10 ms frames; ``__init__`` turns frames into milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:
    import numpy as np

    from .features import Features

PAUSE_FRAMES = 15  # pauses are cut down to 150 ms in both tracks before DTW
POOL = 4  # DTW runs on 40 ms frames (four 10 ms frames averaged)
SYNTH_PAUSE_MS = 150
# Cost per synthetic frame of leaving the recording at its end (text the recording
# does not reach), relative to the distance between unrelated frames: above what
# correct matches cost (about 0.5), below what wrong ones do.
SKIP_COST = 0.7
BATCH_CHARS = 2500


@dataclass
class Recording:
    """The recording's features and what is derived from them once."""

    features: "Features"
    floor: "np.ndarray"
    mask: "np.ndarray"
    duration_ms: int


@dataclass
class SpeechTrack:
    """Synthetic speech features and each text's [first, end) frame in them;
    ``words[i]``: [first, end) frame of each word of text ``i`` (empty when espeak-ng
    gave no word events)."""

    features: "Features"
    spans: list[tuple[int, int]]
    words: list[list[tuple[int, int]]] = field(default_factory=list)


@dataclass
class Placement:
    """Where each text was found in the recording, in recording frames, and how well
    it matched: ``cost`` is the mean frame distance along the path divided by the
    distance between unrelated frames (about 1 for no match); ``stretch`` the
    recording duration over the expected one (1 = as expected)."""

    starts: list[int]
    ends: list[int]
    cost: list[float]
    stretch: list[float]
    irregular: list[float]  # share of the span's steps that are not one frame ahead
    words: list[list[tuple[int, int]]] = field(default_factory=list)  # [first, end) recording frame per word


def speak_texts(
    texts: Sequence[str],
    voices: Sequence[str],
    speed: int,
    progress: Callable[[float], None] | None = None,
    cache: dict | None = None,
    groups: Sequence[str] | None = None,
) -> SpeechTrack:
    """Synthesise ``texts`` (``voices[i]`` for text ``i``) into one feature track, in
    batches of consecutive texts of one group (speaker; default: voice) so memory
    stays small whatever the length. Batches found in ``cache`` (filled by an earlier
    call) are not spoken again."""
    import numpy as np

    from .features import FeatureExtractor, Features
    from .synth import ESPEAK_RATE, Voice, synthesize_sentences

    # Features straight from espeak-ng's 22,050 Hz output: no resampling needed.
    pause = np.zeros(ESPEAK_RATE * SYNTH_PAUSE_MS // 1000, np.int16)
    cache = {} if cache is None else cache
    parts = []
    spans: list[tuple[int, int]] = []
    words: list[list[tuple[int, int]]] = []
    offset = 0
    batches = _batches(texts, groups if groups is not None else voices, BATCH_CHARS)
    for number, batch in enumerate(batches):
        key = (tuple(texts[i] for i in batch), voices[batch[0]], speed)
        if key not in cache:
            synthesis = synthesize_sentences(list(key[0]), Voice(key[1], speed), pause_ms=SYNTH_PAUSE_MS)
            extractor = FeatureExtractor(ESPEAK_RATE)
            extractor.feed(pause)  # every batch starts with a pause: the one between batches
            extractor.feed(synthesis.samples)
            features = extractor.finish()
            hop, centre = extractor.hop, extractor.window // 2 - pause.size

            def frame(sample: int) -> int:
                return max(0, (sample - centre + hop // 2) // hop)

            local = [(frame(a), frame(b)) for a, b in synthesis.spans]
            local_words = [[(frame(a), frame(b)) for a, b in text_words] for text_words in synthesis.words]
            cache[key] = (features.log_mel, local, local_words)
        log_mel, local, local_words = cache[key]
        parts.append(log_mel)
        spans.extend((offset + a, offset + b) for a, b in local)
        words.extend([(offset + a, offset + b) for a, b in text_words] for text_words in local_words)
        offset += log_mel.shape[0]
        if progress:
            progress((number + 1) / len(batches))
    log_mel = np.concatenate(parts) if parts else np.zeros((0, 40), np.float32)
    return SpeechTrack(Features(log_mel=log_mel), spans, words)


def _batches(texts: Sequence[str], groups: Sequence[str], max_chars: int) -> list[list[int]]:
    """Consecutive texts of one group, at most ``max_chars`` a batch (unless one text is longer)."""
    out: list[list[int]] = [[]]
    size = 0
    for i, text in enumerate(texts):
        if out[-1] and (size + len(text) > max_chars or groups[i] != groups[out[-1][0]]):
            out.append([])
            size = 0
        out[-1].append(i)
        size += len(text)
    return [b for b in out if b]


def _pool(x: "np.ndarray", factor: int) -> "np.ndarray":
    import numpy as np

    n = x.shape[0] // factor * factor
    pooled = x[:n].reshape(-1, factor, x.shape[1]).mean(axis=1)
    if n < x.shape[0]:
        pooled = np.concatenate([pooled, x[n:].mean(axis=0, keepdims=True)])
    return pooled


def recording_features(recording: Recording) -> "np.ndarray":
    from .features import match_features

    return match_features(recording.features.log_mel, recording.floor, recording.mask)


def place_texts(
    track: SpeechTrack,
    recording: Recording,
    real: "np.ndarray",
    *,
    head_frames: int,
    pool: int = POOL,
    share: float = 1.0,
    progress: Callable[[float], None] | None = None,
) -> Placement:
    """Find each text of ``track`` in the recording. ``real`` is
    ``recording_features(recording)`` (computed once by the caller); ``share`` is
    the fraction of the recording's text that ``track`` speaks."""
    import numpy as np

    from .dtw import align_windows
    from .features import activity, compress_pauses, match_features, matched_floor, speech_mask

    syn = track.features
    syn_floor = matched_floor(syn.log_mel, recording.features.log_mel, recording.floor)
    syn_mask = speech_mask(activity(syn.log_mel, syn_floor))
    a = match_features(syn.log_mel, syn_floor, syn_mask)
    kept_syn = compress_pauses(syn_mask, PAUSE_FRAMES)
    kept_real = compress_pauses(recording.mask, PAUSE_FRAMES)
    a, b = a[kept_syn], real[kept_real]
    spans = []
    for first, end in track.spans:
        f = int(np.searchsorted(kept_syn, first))
        spans.append((f, max(f + 1, int(np.searchsorted(kept_syn, end)))))
    a4, b4 = _pool(a, pool), _pool(b, pool)
    # recording frames per synthetic frame; ``share``: the part of the whole text
    # that ``track`` holds (a prefix is matched against the whole recording)
    ratio = float(np.clip(b4.shape[0] * share / max(1, a4.shape[0]), 0.5, 2.0))
    per_second = 1000 // (syn.hop_ms * pool)
    null = _null_distance(a4, b4)
    path = align_windows(
        a4,
        b4,
        ratio=ratio,
        radius=10 * per_second,
        window=60 * per_second,
        keep=40 * per_second,
        head=max(1, min(b4.shape[0], head_frames // pool)),
        skip_cost=SKIP_COST * null,
        progress=(lambda done, total: progress(done / total)) if progress else None,
    )
    rows = path.column.shape[0]
    m = b.shape[0]
    # speech onsets in the compressed recording (a kept pause edge then speech)
    kept_mask = recording.mask[kept_real]
    onsets = np.flatnonzero(kept_mask & ~np.concatenate([[False], kept_mask[:-1]]))
    starts, ends, costs, stretches, irregular = [], [], [], [], []
    word_frames: list[list[tuple[int, int]]] = []
    steps = np.diff(path.column, prepend=path.column[:1])
    pooled_end = b4.shape[0]

    def through_path(frame: int) -> int:
        """A synthetic frame's recording frame (uncompressed) through the warping path."""
        f = int(np.searchsorted(kept_syn, frame))
        row = min(rows - 1, f // pool)
        column = min(int(path.column[row]), pooled_end - 1)
        return int(kept_real[min(m - 1, column * pool + (f - row * pool))])

    for number, (first, end) in enumerate(spans):
        r0 = min(rows - 1, first // pool)
        r1 = min(rows - 1, max(first, end - 1) // pool)
        if path.column[r0] >= pooled_end:  # the text goes on after the recording ends
            word_frames.append([])
            starts.append(recording.features.frames)
            ends.append(recording.features.frames)
            costs.append(SKIP_COST)
            stretches.append(0.0)
            irregular.append(1.0)
            continue
        path.column[r0: r1 + 1] = np.minimum(path.column[r0: r1 + 1], pooled_end - 1)
        start = min(m - 1, int(path.column[r0]) * pool + (first - r0 * pool))
        start = _onset_near(onsets, start)
        stop = max(start, min(m - 1, int(path.column[r1]) * pool + pool - 1))
        # back to uncompressed recording frames
        starts.append(int(kept_real[start]))
        ends.append(int(kept_real[stop]) + 1)
        costs.append(float(path.cost[r0: r1 + 1].mean()) / null)
        stretches.append((stop + 1 - start) / max(1.0, (end - first) * ratio))
        irregular.append(float((steps[r0 + 1: r1 + 1] != 1).mean()) if r1 > r0 else 1.0)
        text_words = track.words[number] if number < len(track.words) else []
        word_frames.append([(through_path(a), max(through_path(a), through_path(max(a, b - 1)) + 1)) for a, b in text_words])
    return Placement(starts, ends, costs, stretches, irregular, word_frames)


# How far (in compressed 10 ms frames) a text's start may move to a speech onset.
ONSET_BEFORE = 15
ONSET_AFTER = 40


def _onset_near(onsets: "np.ndarray", frame: int) -> int:
    """A text's start moved to the nearest speech onset of the compressed recording
    within ONSET_BEFORE frames before or ONSET_AFTER frames after it: every text of
    the synthetic track begins on an onset (after a pause), and in compressed frames
    a pause is short, so an onset across a long pause counts as near."""
    import numpy as np

    if onsets.size == 0:
        return frame
    i = int(np.searchsorted(onsets, frame))
    best, distance = frame, None
    for j in (i - 1, i):
        if 0 <= j < onsets.size:
            d = int(onsets[j]) - frame
            if -ONSET_BEFORE <= d <= ONSET_AFTER and (distance is None or abs(d) < distance):
                best, distance = int(onsets[j]), abs(d)
    return best


def _null_distance(a: "np.ndarray", b: "np.ndarray") -> float:
    """Typical distance between unrelated frames of the two tracks."""
    import numpy as np

    rng = np.random.default_rng(0)
    ia = rng.integers(0, a.shape[0], 4000)
    ib = rng.integers(0, b.shape[0], 4000)
    return max(1e-6, float(np.linalg.norm(a[ia] - b[ib], axis=1).mean()))


def speaker_pitch(audio_path: str, recording: Recording, spans: Sequence[tuple[int, int]]) -> float | None:
    """Median pitch (Hz) of the recording over the given frame spans."""
    import numpy as np

    from .audio import SAMPLE_RATE, iter_pcm
    from .features import median_pitch

    hop = recording.features.hop_ms
    spans = [(a, b) for a, b in spans if b > a]
    if not spans:
        return None
    # one decoding pass over the stretch that holds all the spans, then cut them out
    first_ms = min(a for a, _ in spans) * hop
    last_ms = max(b for _, b in spans) * hop
    blocks = list(iter_pcm(audio_path, start_ms=first_ms, duration_ms=last_ms - first_ms))
    if not blocks:
        return None
    pcm = np.concatenate(blocks)
    per_ms = SAMPLE_RATE // 1000
    pieces = [pcm[(a * hop - first_ms) * per_ms: (b * hop - first_ms) * per_ms] for a, b in spans]
    return median_pitch(np.concatenate(pieces), SAMPLE_RATE)


_PITCH_SAMPLE = "This is how my voice sounds when I read a sentence out loud, slowly and clearly."
_voice_pitch_cache: dict[tuple[str, int], float | None] = {}


def voice_pitch(voice: str, speed: int) -> float | None:
    """Median pitch (Hz) of an espeak-ng voice."""
    from .audio import SAMPLE_RATE, resample
    from .features import median_pitch
    from .synth import ESPEAK_RATE, Voice, speak

    key = (voice, speed)
    if key not in _voice_pitch_cache:
        pcm = resample(speak(_PITCH_SAMPLE, Voice(voice, speed)), ESPEAK_RATE, SAMPLE_RATE)
        _voice_pitch_cache[key] = median_pitch(pcm, SAMPLE_RATE)
    return _voice_pitch_cache[key]
