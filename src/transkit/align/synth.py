"""Text to speech with espeak-ng, run as a program (argument lists, never a shell).

Sentences are spoken in one espeak-ng call per batch, separated by an SSML break
much longer than any pause espeak-ng makes on its own. espeak-ng writes exact
zeros for silence, so the breaks are found again exactly and replaced by a short
pause; that gives the start and end of every sentence in the synthetic speech
without one process per sentence. If the breaks cannot be matched one to one
(a sentence with nothing to pronounce, odd markup), the batch is spoken again one
sentence per call.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence
from xml.sax.saxutils import escape

from ..errors import AudioError

if TYPE_CHECKING:
    import numpy as np

ESPEAK_RATE = 22_050
SEPARATOR_MS = 2_000
_SEPARATOR_MIN_MS = 1_700


@dataclass(frozen=True)
class Voice:
    """An espeak-ng voice: ``name`` as in ``espeak-ng --voices`` (variants as ``en-us+f3``),
    ``speed`` in words per minute, ``pitch`` 0-99."""

    name: str = "en-us"
    speed: int = 175
    pitch: int = 50


@dataclass
class Synthesis:
    """Synthetic speech at ``sample_rate`` (int16 mono) and where each sentence is:
    ``spans[i] = (first, last)`` sample of sentence ``i`` (``first == last`` when
    espeak-ng said nothing for it)."""

    samples: "np.ndarray"
    spans: list[tuple[int, int]]
    sample_rate: int = ESPEAK_RATE


def espeak_binary() -> str:
    found = shutil.which("espeak-ng")
    if not found:
        raise AudioError("espeak-ng is not installed", hint="install espeak-ng (scripts/setup.sh does it)")
    return found


def speak(text: str, voice: Voice = Voice(), *, ssml: bool = False) -> "np.ndarray":
    """espeak-ng's audio for ``text`` as int16 samples at 22,050 Hz."""

    command = [espeak_binary(), "-v", voice.name, "-s", str(voice.speed), "-p", str(voice.pitch), "-z", "--stdout"]
    if ssml:
        command.append("-m")
    command += ["--stdin"]
    result = subprocess.run(command, input=text.encode("utf-8"), capture_output=True, check=False)
    if result.returncode != 0:
        raise AudioError(
            f"espeak-ng failed: {result.stderr.decode('utf-8', 'replace').strip() or result.returncode}",
            hint=f"check that the voice {voice.name!r} exists (espeak-ng --voices)",
        )
    return _wav_samples(result.stdout)


def _wav_samples(data: bytes) -> "np.ndarray":
    """Samples of espeak-ng's streamed WAV (its header gives no real length: skip to 'data')."""
    import numpy as np

    at = data.find(b"data", 12)
    if data[:4] != b"RIFF" or at < 0:
        raise AudioError("espeak-ng wrote no audio")
    body = data[at + 8:]
    return np.frombuffer(body[: len(body) // 2 * 2], dtype="<i2")


def synthesize_sentences(sentences: Sequence[str], voice: Voice = Voice(), *, pause_ms: int = 150) -> Synthesis:
    """Speak ``sentences`` one after another with ``pause_ms`` of silence between them."""
    import numpy as np

    if not sentences:
        return Synthesis(np.zeros(0, np.int16), [])
    ssml = "<speak>" + f'<break time="{SEPARATOR_MS}ms"/>'.join(escape(s) for s in sentences) + "</speak>"
    samples = speak(ssml, voice, ssml=True)
    pieces = _split_at_separators(samples, len(sentences))
    if pieces is None:
        pieces = [_trim(speak(s, voice)) for s in sentences]
    pause = np.zeros(int(ESPEAK_RATE * pause_ms / 1000), np.int16)
    out: list[np.ndarray] = []
    spans: list[tuple[int, int]] = []
    position = 0
    for i, piece in enumerate(pieces):
        if i:
            out.append(pause)
            position += pause.size
        out.append(piece)
        spans.append((position, position + piece.size))
        position += piece.size
    return Synthesis(np.concatenate(out), spans)


def _zero_runs(samples: "np.ndarray", min_length: int) -> list[tuple[int, int]]:
    import numpy as np

    zero = np.zeros(samples.size + 2, dtype=np.int8)
    zero[1:-1] = samples == 0
    edges = np.diff(zero)
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    keep = (ends - starts) >= min_length
    return list(zip(starts[keep].tolist(), ends[keep].tolist()))


def _split_at_separators(samples: "np.ndarray", count: int) -> "list[np.ndarray] | None":
    """Cut at the ``count - 1`` separator breaks; None unless they are found exactly."""
    min_length = ESPEAK_RATE * _SEPARATOR_MIN_MS // 1000
    separators = [
        (a, b) for a, b in _zero_runs(samples, min_length) if 0 < a and b < samples.size
    ]
    if len(separators) != count - 1:
        return None
    if any(b - a > 2 * min_length for a, b in separators):  # two breaks in one: an empty sentence
        return None
    bounds = [0] + [x for pair in separators for x in pair] + [samples.size]
    pieces = [_trim(samples[bounds[2 * i]: bounds[2 * i + 1]]) for i in range(count)]
    if any(piece.size == 0 for piece in pieces):
        return None
    return pieces


def _trim(samples: "np.ndarray") -> "np.ndarray":
    import numpy as np

    loud = np.flatnonzero(samples)
    if loud.size == 0:
        return samples[:0]
    return samples[loud[0]: loud[-1] + 1]
