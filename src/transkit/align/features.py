"""Speech features with numpy: MFCCs and band energy per 10 ms frame, and speech /
non-speech detection from that energy.

``FeatureExtractor`` is fed PCM blocks one after another (from ``audio.iter_pcm``),
so features of a long recording are computed without holding its samples.
Frame ``i`` covers samples ``[i*hop, i*hop + window)``; its time is the window
centre, ``i*hop_ms + window_ms/2``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

SAMPLE_RATE = 16_000
HOP_MS = 10
WINDOW_MS = 25
N_FFT = 512
N_MELS = 40
N_CEPS = 13
F_MIN = 100.0
F_MAX = 7600.0
PRE_EMPHASIS = 0.97
ENERGY_FLOOR = 1e-7  # about -70 dB for full-scale int16 audio scaled to [-1, 1]


@dataclass
class Features:
    """``log_mel``: (frames, N_MELS) float32, natural log of mel band power."""

    log_mel: "np.ndarray"
    hop_ms: int = HOP_MS
    window_ms: int = WINDOW_MS

    @property
    def frames(self) -> int:
        return int(self.log_mel.shape[0])

    def time_ms(self, frame: "int | float | np.ndarray") -> "int | float | np.ndarray":
        return frame * self.hop_ms + self.window_ms / 2

    def frame_at(self, ms: float) -> int:
        return int(round((ms - self.window_ms / 2) / self.hop_ms))


def _mel(hz: "np.ndarray | float") -> "np.ndarray | float":
    import numpy as np

    return 2595.0 * np.log10(1.0 + np.asarray(hz) / 700.0)


def _mel_filterbank(sample_rate: int, n_fft: int, n_mels: int, f_min: float, f_max: float) -> "np.ndarray":
    import numpy as np

    mel_points = np.linspace(_mel(f_min), _mel(f_max), n_mels + 2)
    hz_points = 700.0 * (10.0 ** (mel_points / 2595.0) - 1.0)
    bins = np.fft.rfftfreq(n_fft, 1.0 / sample_rate)
    bank = np.zeros((n_mels, bins.size), dtype=np.float64)
    for m in range(n_mels):
        left, centre, right = hz_points[m], hz_points[m + 1], hz_points[m + 2]
        rising = (bins - left) / (centre - left)
        falling = (right - bins) / (right - centre)
        bank[m] = np.clip(np.minimum(rising, falling), 0.0, None)
    return bank.astype(np.float32)


def _dct_matrix(n_in: int, n_out: int) -> "np.ndarray":
    import numpy as np

    n = np.arange(n_in)
    k = np.arange(n_out)[:, None]
    basis = np.cos(np.pi * k * (2 * n + 1) / (2 * n_in)) * np.sqrt(2.0 / n_in)
    basis[0] /= np.sqrt(2.0)
    return basis.T.astype(np.float32)  # (n_in, n_out)


class FeatureExtractor:
    """Streaming MFCC + energy: ``feed`` int16 or float blocks, then ``finish``."""

    def __init__(self, sample_rate: int = SAMPLE_RATE) -> None:
        import numpy as np

        self.sample_rate = sample_rate
        # At rates other than 16 kHz (espeak-ng's 22,050 Hz) the hop is rounded to
        # whole samples; for synthetic speech its frames are only an index space.
        self.hop = round(sample_rate * HOP_MS / 1000)
        self.window = round(sample_rate * WINDOW_MS / 1000)
        self.n_fft = 1 << (self.window - 1).bit_length()
        self._taper = np.hamming(self.window).astype(np.float32)
        # Power is scaled to a 16 kHz, 512-point analysis so levels compare across rates.
        gain = (N_FFT / self.n_fft) * (400 / self.window)
        self._bank = (_mel_filterbank(sample_rate, self.n_fft, N_MELS, F_MIN, F_MAX).T * gain).astype(np.float32)
        self._pending = np.zeros(0, dtype=np.float32)
        self._last_sample = 0.0
        self._log_mel: list[np.ndarray] = []

    def feed(self, block: "np.ndarray") -> None:
        import numpy as np

        x = block.astype(np.float32)
        if block.dtype == np.int16:
            x /= 32768.0
        if x.size == 0:
            return
        emphasised = np.empty_like(x)
        emphasised[0] = x[0] - PRE_EMPHASIS * self._last_sample
        emphasised[1:] = x[1:] - PRE_EMPHASIS * x[:-1]
        self._last_sample = float(x[-1])
        samples = np.concatenate([self._pending, emphasised]) if self._pending.size else emphasised
        count = 0 if samples.size < self.window else 1 + (samples.size - self.window) // self.hop
        if count:
            self._frames(samples, count)
        self._pending = samples[count * self.hop:].copy()

    def _frames(self, samples: "np.ndarray", count: int) -> None:
        import numpy as np
        from numpy.lib.stride_tricks import as_strided

        step = samples.strides[0]
        # Process in slices so the spectrum buffer stays a few MB whatever the block size.
        for first in range(0, count, 4096):
            n = min(4096, count - first)
            view = as_strided(samples[first * self.hop:], shape=(n, self.window), strides=(self.hop * step, step))
            # float64 is the faster of numpy's FFT paths here
            spectrum = np.fft.rfft((view * self._taper).astype(np.float64), n=self.n_fft)
            power = (spectrum.real**2 + spectrum.imag**2).astype(np.float32)
            mel = power @ self._bank
            self._log_mel.append(np.log(np.maximum(mel, ENERGY_FLOOR)).astype(np.float32))

    def finish(self) -> Features:
        import numpy as np

        log_mel = np.concatenate(self._log_mel) if self._log_mel else np.zeros((0, N_MELS), np.float32)
        return Features(log_mel=log_mel)


def compute_features(samples: "np.ndarray", sample_rate: int = SAMPLE_RATE) -> Features:
    extractor = FeatureExtractor(sample_rate)
    extractor.feed(samples)
    return extractor.finish()


NOISE_PERCENTILE = 10
FLOOR_ABOVE_NOISE = 1.0  # natural-log units (about 4.3 dB) above the band's noise level
LOUD_PERCENTILE = 97
SPEECH_ACTIVITY = 0.15  # mean log-power above the floor that counts as speech


def noise_floor(log_mel: "np.ndarray") -> "np.ndarray":
    """Per mel band, the log power below which a frame is background: a little above
    the band's quietest tenth. Steady noise (hum, hiss, room tone) stays below it."""
    import numpy as np

    if log_mel.shape[0] == 0:
        return np.full(N_MELS, np.log(ENERGY_FLOOR), np.float32)
    return (np.percentile(log_mel, NOISE_PERCENTILE, axis=0) + FLOOR_ABOVE_NOISE).astype(np.float32)


def dynamic_range(log_mel: "np.ndarray", floor: "np.ndarray") -> float:
    """How far loud frames rise above the floor, averaged over bands (natural log
    units). Steady noise or silence stays under 1; speech at 20 dB SNR is about 4."""
    import numpy as np

    if log_mel.shape[0] == 0:
        return 0.0
    return float((np.percentile(log_mel, LOUD_PERCENTILE, axis=0) - floor).mean())


MIN_DYNAMIC_RANGE = 1.5


def matched_floor(log_mel: "np.ndarray", like: "np.ndarray", like_floor: "np.ndarray") -> "np.ndarray":
    """A floor for clean (synthetic) speech that leaves each band the same range above
    the floor as the recording ``like`` has, so both look alike to the comparison:
    the synthetic's quiet detail the recording's noise hides is hidden too."""
    import numpy as np

    if log_mel.shape[0] == 0 or like.shape[0] == 0:
        return noise_floor(log_mel)
    loud = np.percentile(log_mel, LOUD_PERCENTILE, axis=0)
    like_loud = np.percentile(like, LOUD_PERCENTILE, axis=0)
    return (loud - np.maximum(like_loud - like_floor, 0.5)).astype(np.float32)


def activity(log_mel: "np.ndarray", floor: "np.ndarray") -> "np.ndarray":
    """Per frame: mean log power above the floor over the bands (0 for background)."""
    import numpy as np

    return np.maximum(log_mel - floor, 0.0).mean(axis=1)


def speech_mask(
    active: "np.ndarray",
    *,
    threshold: float = SPEECH_ACTIVITY,
    min_silence_frames: int = 8,
    min_speech_frames: int = 4,
) -> "np.ndarray":
    """Boolean per frame: speech. Silences shorter than ``min_silence_frames`` are
    filled, speech bursts shorter than ``min_speech_frames`` dropped (clicks)."""
    mask = active > threshold
    mask = _fill_short_runs(mask, False, min_silence_frames)
    return _fill_short_runs(mask, True, min_speech_frames)


def match_features(log_mel: "np.ndarray", floor: "np.ndarray", mask: "np.ndarray", energy_weight: float = 3.0) -> "np.ndarray":
    """What alignment compares: cepstra (c1-c12) of the spectrum above the floor,
    normalised over speech frames and scaled by how speech-like the frame is, plus
    that speech-likeness. Pauses (digital silence in synthetic speech, room noise in
    a recording) both come out as zeros."""
    import numpy as np

    above = np.maximum(log_mel - floor, 0.0)
    ceps = above @ _dct_matrix(N_MELS, N_CEPS)[:, 1:]
    active = above.mean(axis=1)
    speech = mask if mask.sum() > 10 else np.ones(mask.size, bool)
    mean = ceps[speech].mean(axis=0) if speech.any() else np.zeros(ceps.shape[1], np.float32)
    std = ceps[speech].std(axis=0) + 1e-3 if speech.any() else np.ones(ceps.shape[1], np.float32)
    typical = float(np.median(active[speech])) if speech.any() else 1.0
    weight = np.clip(active / max(typical, 1e-3), 0.0, 1.0)[:, None]
    return np.hstack([(ceps - mean) / std * weight, energy_weight * weight]).astype(np.float32)


def runs(mask: "np.ndarray", value: bool = True) -> "np.ndarray":
    """(k, 2) array of [start, end) frame ranges where ``mask == value``."""
    import numpy as np

    padded = np.zeros(mask.size + 2, dtype=np.int8)
    padded[1:-1] = mask == value
    edges = np.diff(padded)
    return np.stack([np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)], axis=1)


def _fill_short_runs(mask: "np.ndarray", value: bool, shorter_than: int) -> "np.ndarray":
    out = mask.copy()
    for start, end in runs(mask, value):
        # runs of `value` inside the recording (not at its edges) that are too short flip
        if end - start < shorter_than and (value or (start > 0 and end < mask.size)):
            out[start:end] = not value
    return out


def compress_pauses(mask: "np.ndarray", keep_frames: int) -> "np.ndarray":
    """Indices of the frames to keep so that no non-speech run is longer than
    ``keep_frames``: the edges of each long pause stay, its middle goes."""
    import numpy as np

    keep = np.ones(mask.size, dtype=bool)
    head = keep_frames // 2
    for start, end in runs(mask, False):
        if end - start > keep_frames:
            keep[start + head: end - (keep_frames - head)] = False
    return np.flatnonzero(keep)


def median_pitch(samples: "np.ndarray", sample_rate: int = SAMPLE_RATE) -> float | None:
    """Median fundamental frequency (Hz) of the voiced 40 ms frames, by normalised
    autocorrelation over 60-400 Hz; None if nothing is clearly voiced."""
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view

    x = samples.astype(np.float64)
    size, hop = sample_rate * 40 // 1000, sample_rate * 10 // 1000
    if x.size < size:
        return None
    frames = sliding_window_view(x, size)[::hop]
    frames = frames - frames.mean(axis=1, keepdims=True)
    spectrum = np.fft.rfft(frames * np.hanning(size), n=2 * size)
    corr = np.fft.irfft(np.abs(spectrum) ** 2)[:, :size]
    energy = corr[:, 0]
    loud = energy > np.percentile(energy, 50) * 0.5
    low, high = sample_rate // 400, sample_rate // 60
    lags = corr[:, low:high] / np.maximum(energy[:, None], 1e-9)
    best = lags.argmax(axis=1)
    voiced = loud & (lags[np.arange(lags.shape[0]), best] > 0.5)
    if voiced.sum() < 10:
        return None
    return float(np.median(sample_rate / (best[voiced] + low)))
