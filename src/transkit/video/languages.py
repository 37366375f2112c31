"""ISO 639-1 codes (as transkit names languages) to the ISO 639-2 tags and titles
subtitle tracks carry.

ffmpeg's Matroska and MP4 muxers both take ISO 639-2 *bibliographic* codes
("ger", "fre", "chi"; the MP4 muxer converts them to its packed form itself), so
that is the one code kept here.
"""

from __future__ import annotations

# code: (ISO 639-2/B, track title)
LANGUAGES: dict[str, tuple[str, str]] = {
    "ar": ("ara", "Arabic"),
    "bg": ("bul", "Bulgarian"),
    "ca": ("cat", "Catalan"),
    "cs": ("cze", "Czech"),
    "da": ("dan", "Danish"),
    "de": ("ger", "German"),
    "el": ("gre", "Greek"),
    "en": ("eng", "English"),
    "es": ("spa", "Spanish"),
    "et": ("est", "Estonian"),
    "fa": ("per", "Persian"),
    "fi": ("fin", "Finnish"),
    "fr": ("fre", "French"),
    "he": ("heb", "Hebrew"),
    "hi": ("hin", "Hindi"),
    "hr": ("hrv", "Croatian"),
    "hu": ("hun", "Hungarian"),
    "id": ("ind", "Indonesian"),
    "is": ("ice", "Icelandic"),
    "it": ("ita", "Italian"),
    "ja": ("jpn", "Japanese"),
    "ko": ("kor", "Korean"),
    "lt": ("lit", "Lithuanian"),
    "lv": ("lav", "Latvian"),
    "nb": ("nob", "Norwegian Bokmål"),
    "nl": ("dut", "Dutch"),
    "nn": ("nno", "Norwegian Nynorsk"),
    "pl": ("pol", "Polish"),
    "pt": ("por", "Portuguese"),
    "ro": ("rum", "Romanian"),
    "ru": ("rus", "Russian"),
    "sk": ("slo", "Slovak"),
    "sl": ("slv", "Slovenian"),
    "sq": ("alb", "Albanian"),
    "sr": ("srp", "Serbian"),
    "sv": ("swe", "Swedish"),
    "th": ("tha", "Thai"),
    "tr": ("tur", "Turkish"),
    "uk": ("ukr", "Ukrainian"),
    "vi": ("vie", "Vietnamese"),
    "zh": ("chi", "Chinese"),
}


def track_language(code: str) -> str:
    """The ISO 639-2/B tag for ``code`` ("pt" -> "por", "pt-BR" -> "por"); "und"
    (undetermined) for a language not in the table."""
    base = code.lower().replace("_", "-").split("-")[0]
    if len(base) == 3 and base.isalpha():
        return base
    return LANGUAGES.get(base, ("und", ""))[0]


def track_title(code: str) -> str:
    """A human title for the track ("Portuguese", or "pt-BR" itself when unknown;
    a regional variant keeps its region: "Portuguese (BR)")."""
    base, _, region = code.replace("_", "-").partition("-")
    name = LANGUAGES.get(base.lower(), ("", ""))[1]
    if not name:
        return code
    return f"{name} ({region.upper()})" if region else name
