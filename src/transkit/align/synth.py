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
import os
from dataclasses import dataclass, field
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
    espeak-ng said nothing for it). ``words[i]``: (first, end) sample of each word
    of sentence ``i`` (its text split on white space), from espeak-ng's word
    events; empty when they are not available (see ``speak_with_words``)."""

    samples: "np.ndarray"
    spans: list[tuple[int, int]]
    sample_rate: int = ESPEAK_RATE
    words: list[list[tuple[int, int]]] = field(default_factory=list)


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
    ssml, owners = _ssml(sentences)
    spoken = speak_with_words(ssml, voice)
    samples, events = spoken if spoken is not None else (speak(ssml, voice, ssml=True), None)
    ranges = _split_at_separators(samples, len(sentences))
    # per sentence: the samples it is in, its [first, end) there, its word events
    # as (character in the sentence, sample) or None
    sources: list[tuple["np.ndarray", int, int, list[tuple[int, int]] | None]] = []
    if ranges is not None:
        for i, (a, b) in enumerate(ranges):
            mine = None if events is None else [(owners[p][1], at) for p, at in events if owners.get(p, (-1, 0))[0] == i]
            sources.append((samples, a, b, mine))
    else:  # one call per sentence
        for sentence in sentences:
            one, one_owners = _ssml([sentence])
            spoken = speak_with_words(one, voice)
            if spoken is None:
                alone, mine = speak(sentence, voice), None
            else:
                alone, found = spoken
                mine = [(one_owners[p][1], at) for p, at in found if p in one_owners]
            a, b = _trim_range(alone, 0, alone.size)
            sources.append((alone, a, b, mine))
    pause = np.zeros(int(ESPEAK_RATE * pause_ms / 1000), np.int16)
    out: list[np.ndarray] = []
    spans: list[tuple[int, int]] = []
    words: list[list[tuple[int, int]]] = []
    position = 0
    for i, (source, a, b, mine) in enumerate(sources):
        if i:
            out.append(pause)
            position += pause.size
        piece = source[a:b]
        out.append(piece)
        spans.append((position, position + piece.size))
        words.append([] if mine is None else _word_spans(sentences[i], mine, source, a, b, position))
        position += piece.size
    if any(not w for w, text in zip(words, sentences) if text.split()):
        words = [[] for _ in sentences]  # all or nothing: the caller falls back per text
    return Synthesis(np.concatenate(out), spans, words=words)


def _ssml(sentences: Sequence[str]) -> tuple[str, dict[int, tuple[int, int]]]:
    """The SSML espeak-ng is given for a batch, and for each of its character
    positions the (sentence, character) of the text it came from."""
    parts = ["<speak>"]
    owners: dict[int, tuple[int, int]] = {}
    position = len(parts[0])
    for i, sentence in enumerate(sentences):
        if i:
            separator = f'<break time="{SEPARATOR_MS}ms"/>'
            parts.append(separator)
            position += len(separator)
        for c, ch in enumerate(sentence):
            escaped = escape(ch)
            for k in range(len(escaped)):
                owners[position + k] = (i, c)
            parts.append(escaped)
            position += len(escaped)
    parts.append("</speak>")
    return "".join(parts), owners


def _word_spans(
    text: str, events: list[tuple[int, int]], samples: "np.ndarray", first: int, end: int, offset: int
) -> list[tuple[int, int]]:
    """(first, end) sample of each white-space word of ``text`` in the output track:
    a word starts at its first word event (a number read as several words gives
    several), ends where the next starts or, before a pause, where the sound stops.
    A word espeak-ng says nothing for (a dash) gets no time of its own."""
    import re

    import numpy as np

    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    starts: list[int | None] = [None] * len(tokens)
    for char, at in events:
        k = next((k for k, (a, b) in enumerate(tokens) if a <= char < b), None)
        if k is not None and starts[k] is None:
            starts[k] = min(max(at, first), end)
    if not any(s is not None for s in starts):
        return []
    starts[0] = first if starts[0] is not None else None
    timed = [k for k, at in enumerate(starts) if at is not None]
    spans: list[tuple[int, int]] = []
    previous_end = first
    for k in range(len(tokens)):
        at = starts[k]
        if at is None:  # said nothing: no time of its own
            spans.append((previous_end, previous_end))
            continue
        at = max(at, spans[-1][0] if spans else first)
        later = [starts[j] for j in timed if j > k]
        stop = max(at, later[0]) if later else end
        loud = np.flatnonzero(samples[at:stop])
        word_end = at + int(loud[-1]) + 1 if loud.size else at
        spans.append((at, word_end))
        previous_end = word_end
    return [(offset + a - first, offset + b - first) for a, b in spans]


def _zero_runs(samples: "np.ndarray", min_length: int) -> list[tuple[int, int]]:
    import numpy as np

    zero = np.zeros(samples.size + 2, dtype=np.int8)
    zero[1:-1] = samples == 0
    edges = np.diff(zero)
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    keep = (ends - starts) >= min_length
    return list(zip(starts[keep].tolist(), ends[keep].tolist()))


def _split_at_separators(samples: "np.ndarray", count: int) -> "list[tuple[int, int]] | None":
    """Cut at the ``count - 1`` separator breaks: each sentence's [first, end) sample
    without leading and trailing silence; None unless they are found exactly."""
    min_length = ESPEAK_RATE * _SEPARATOR_MIN_MS // 1000
    separators = [
        (a, b) for a, b in _zero_runs(samples, min_length) if 0 < a and b < samples.size
    ]
    if len(separators) != count - 1:
        return None
    if any(b - a > 2 * min_length for a, b in separators):  # two breaks in one: an empty sentence
        return None
    bounds = [0] + [x for pair in separators for x in pair] + [samples.size]
    ranges = [_trim_range(samples, bounds[2 * i], bounds[2 * i + 1]) for i in range(count)]
    if any(b <= a for a, b in ranges):
        return None
    return ranges


def _trim_range(samples: "np.ndarray", first: int, end: int) -> tuple[int, int]:
    """[first, end) without its leading and trailing silence (empty if all silent)."""
    import numpy as np

    loud = np.flatnonzero(samples[first:end])
    if loud.size == 0:
        return first, first
    return first + int(loud[0]), first + int(loud[-1]) + 1


# ---------------------------------------------------------------- word events

# libespeak-ng's API (speak_lib.h): synchronous synthesis through a callback that
# receives the samples and events, among them one per word with its character
# position in the input and its sample position in the output. A freshly
# initialised library makes exactly the samples the program makes from the same
# text and voice; after one synthesis it keeps state that changes the next one
# slightly. So every call runs in a forked child that loads the library afresh
# (a few milliseconds), and the results do not depend on what was spoken before.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8, _SSML, _PHONEMES = 0x1, 0x10, 0x100
_RATE, _PITCH = 1, 3
_EVENT_WORD, _EVENT_END_OF_LIST = 1, 0


def _synthesize_in_child(ssml: bytes, voice: Voice) -> tuple[bytes, list[tuple[int, int]]] | None:
    """In the forked child: samples (int16 bytes) and word events, or None."""
    import ctypes
    import ctypes.util

    class Event(ctypes.Structure):
        _fields_ = [
            ("type", ctypes.c_int),
            ("unique_identifier", ctypes.c_uint),
            ("text_position", ctypes.c_int),
            ("length", ctypes.c_int),
            ("audio_position", ctypes.c_int),
            ("sample", ctypes.c_int),
            ("user_data", ctypes.c_void_p),
            ("id", ctypes.c_void_p),
        ]

    callback_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(Event))
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1")
    except OSError:
        return None
    if lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, None, 0) != ESPEAK_RATE:
        return None
    chunks: list[bytes] = []
    events: list[tuple[int, int]] = []

    def receive(wav, count, event_list):
        if count > 0:
            chunks.append(ctypes.string_at(wav, count * 2))
        i = 0
        while event_list[i].type != _EVENT_END_OF_LIST:
            if event_list[i].type == _EVENT_WORD:
                events.append((event_list[i].text_position - 1, event_list[i].sample))
            i += 1
        return 0

    callback = callback_type(receive)
    lib.espeak_SetSynthCallback(callback)
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    if lib.espeak_SetVoiceByName(voice.name.encode()) != 0:
        return None
    lib.espeak_SetParameter(_RATE, voice.speed, 0)
    lib.espeak_SetParameter(_PITCH, voice.pitch, 0)
    lib.espeak_Synth.argtypes = [
        ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
        ctypes.c_void_p, ctypes.c_void_p,
    ]  # fmt: skip
    flags = _CHARS_UTF8 | _SSML | _PHONEMES
    if lib.espeak_Synth(ssml, len(ssml) + 1, 0, _POS_CHARACTER, 0, flags, None, None) != 0:
        return None
    lib.espeak_Synchronize()
    return b"".join(chunks), events


def speak_with_words(ssml: str, voice: Voice) -> "tuple[np.ndarray, list[tuple[int, int]]] | None":
    """espeak-ng's audio for the SSML text and its word events as (0-based character
    position in ``ssml``, sample); None if libespeak-ng cannot be used this way (the
    caller runs the program instead and goes without word times)."""
    import pickle

    import numpy as np

    if not hasattr(os, "fork") or os.environ.get("TRANSKIT_ESPEAK_LIBRARY") == "0":
        return None
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: synthesise, send the result, leave at once
        code = 1
        try:
            os.close(read_end)
            data = memoryview(pickle.dumps(_synthesize_in_child(ssml.encode("utf-8"), voice)))
            while data:  # into the pipe to the parent (not a file)
                data = data[os.write(write_end, data):]
            os.close(write_end)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as handle:
        data = handle.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None
    result = pickle.loads(data)
    if result is None:
        return None
    samples, events = result
    return np.frombuffer(samples, dtype="<i2"), events
