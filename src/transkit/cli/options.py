"""Option parsing shared by several commands: speech rate, profiles, formats, languages.

Every option is checked here, before a command does any work: numbers against
``config.RANGES`` (the same ranges as transkit.toml), engine names, languages,
formats, profiles and the files options name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import RANGES, Config, out_of_range
from ..errors import UsageError
from ..profiles import get_profile
from .common import split_list

if TYPE_CHECKING:
    from ..segment import SpeechRate


def parse_languages(value: str | None, config: Config) -> tuple[str, ...]:
    """Language tags from --to (else [run] to), normalised: ``PT`` -> ``pt``, ``pt_br`` -> ``pt-BR``."""
    from ..langtags import EXAMPLES, normalise

    languages = []
    for code in split_list(value) if value else list(config.get("to", [])):
        try:
            languages.append(normalise(code))
        except ValueError:
            raise UsageError(f"not a language tag: {code!r}", hint=f"use BCP-47 tags such as {EXAMPLES}") from None
    return tuple(dict.fromkeys(languages))


def require_languages(languages: tuple[str, ...], command: str) -> tuple[str, ...]:
    if not languages:
        hint = "give --to, e.g. --to pt, or to = [\"pt\"] under [run] in transkit.toml"
        if command == "run":
            hint += "; for source-language subtitles alone use transkit segment"
        raise UsageError("no target language", hint=hint)
    return languages


def number(value: Any, option: str, key: str) -> Any:
    """``value`` (None: not given) if inside ``config.RANGES[key]``, else a usage error naming the range."""
    if value is None:
        return None
    problem = out_of_range(key, value)
    if problem:
        low, high, _ = RANGES[key]
        raise UsageError(f"{option} {problem}", hint=f"give {option} a value from {low:g} to {high:g}")
    return value


def engine_name(value: str | None, config: Config) -> str:
    """--engine, else [run] engine, else auto; an unknown name is refused before any work."""
    from ..translate.engines import ENGINES

    engine = value or config.get("engine", "auto")
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}", hint="use one of: " + ", ".join(ENGINES))
    return engine


def parse_formats(value: str | None, config: Config, default: tuple[str, ...]) -> tuple[str, ...]:
    from ..export import format_name

    formats = tuple(split_list(value)) if value else tuple(config.get("formats", default))
    # format_name raises UsageError naming the known formats
    return tuple(dict.fromkeys(format_name(fmt) for fmt in formats))


def translate_options(beam: int | None, config: Config):
    """``TranslateOptions`` from --beam, else [run] beam_size, else the defaults."""
    from dataclasses import replace

    from ..translate.base import TranslateOptions

    beam_size = number(beam, "--beam", "beam_size") if beam is not None else config.get("beam_size")
    return TranslateOptions() if beam_size is None else replace(TranslateOptions(), beam_size=int(beam_size))


def glossary_path(value: Path | None, config: Config) -> Path | None:
    """--glossary, else [run] glossary, else none; read now, so a missing or malformed
    glossary is reported before any work."""
    path = value or (Path(config.get("glossary")) if config.get("glossary") else None)
    if path is not None:
        from ..translate.glossary import load_glossary

        load_glossary(path)
    return path


def source_language(value: str | None, config: Config) -> str | None:
    """--from as a checked language code (None: the source says, or English)."""
    return parse_languages(value, config)[0] if value else None


ENCODING_HELP = "Text encoding of the input, e.g. cp1252, gbk, shift_jis (default: detected; UTF-8 first)."


def encoding_option() -> Any:
    """The ``--encoding`` option, the same on every command that reads user text."""
    import typer

    return typer.Option(None, "--encoding", help=ENCODING_HELP)


def text_encoding(value: str | None) -> str | None:
    """--encoding as Python's name for the codec (None: detect)."""
    if not value:
        return None
    import codecs

    try:
        return codecs.lookup(value).name
    except LookupError:
        raise UsageError(f"unknown encoding: {value!r}", hint="use a name such as utf-8, cp1252, cp1250, gbk, shift_jis") from None


def relayout(value: bool | None, config: Config) -> bool | None:
    """--relayout/--keep-cues, else [run] relayout, else None (keep a subtitle source's cues)."""
    return value if value is not None else config.get("relayout")


def speech_rate(wpm: int | None, rates: str | None, config: Config) -> "SpeechRate":
    """Build ``segment.SpeechRate`` from --wpm / --rate and the [speech_rate] config table."""
    from ..segment import SpeechRate, parse_rate_overrides

    table = dict(config.speech_rate)
    speakers = table.pop("speakers", {})
    base = SpeechRate()
    values: dict[str, Any] = {}
    if wpm is not None or "wpm" in table:
        values["wpm"] = number(wpm, "--wpm", "wpm") if wpm is not None else table["wpm"]
    overrides = parse_rate_overrides(rates) if rates else tuple(
        (str(k), float(v)) for k, v in speakers.items()
    )
    if overrides:
        values["speaker_wpm"] = overrides
    if not values:
        return base
    from dataclasses import replace

    try:
        return replace(base, **values)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"bad speech rate: {exc}") from exc


def profile_name(value: str | None) -> str | None:
    """A checked --profile (None: the default of each language)."""
    return get_profile(value).name if value else None


def profile_choices(config: Config) -> tuple[tuple[str, str], ...]:
    """The [profiles] table as (language, profile) pairs, each name checked.

    The --profile of a command is the source language's profile and goes into
    ``RunSettings.profile``; the pipeline applies it once the source's language is known."""
    return tuple((lang, get_profile(name).name) for lang, name in config.profiles.items())


def existing_audio(path: Path | None) -> Path | None:
    """--audio, checked to exist before any work (exit 7, like every audio failure)."""
    from ..errors import AudioError

    if path is not None and not path.is_file():
        raise AudioError("audio file not found", path=str(path), hint="check the path")
    return path


def existing_file(path: Path, what: str) -> Path:
    from ..errors import InputError

    if not path.exists():
        raise InputError(f"{what} not found", path=str(path), hint="check the path")
    return path
