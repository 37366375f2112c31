"""Text encodings: BOMs, UTF-8 first, then charset-normalizer; --encoding forces one.

Real sentences in each language are encoded with Python's codecs, as a paragraph
of text and as a short subtitle file (three cues, mostly timestamps). A wrong
reading may happen only with a notice (``confident`` False), never silently.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from transkit.cli.app import app
from transkit.errors import InputError, UsageError
from transkit.fsio import decode_bytes, decode_text

SENTENCES = {
    "fr": "Le café était délicieux, mais l'addition était très élevée. Où est la gare, s'il vous plaît ? "
    "Nous sommes arrivés à l'hôtel à huit heures.",
    "de": "Über den Wolken muss die Freiheit wohl grenzenlos sein. Die Straße ist nass, und wir müssen zu Fuß gehen.",
    "es": "¿Dónde está la estación? Mañana por la mañana iremos al campo con mis niños pequeños.",
    "cs": "Děkuji vám za pozornost. Zítra pojedeme do Brna a vrátíme se v pátek večer. Můj bratr tam bydlí už pět let.",
    "pl": "Dzień dobry, nazywam się Anna i mieszkam w Krakowie. Jutro pojedziemy nad morze, jeśli pogoda będzie ładna.",
    "zh": "我们今天去公园散步，天气非常好。他终于向我们大家问好了。明天早上我们坐火车去北京。",
    "ru": "Мы ждали и ждали, а потом он наконец поздоровался со всеми нами.",
    "uk": "Ми чекали і чекали, а потім він нарешті привітався з усіма нами.",
    "el": "Περιμέναμε και περιμέναμε, και μετά επιτέλους μας χαιρέτησε όλους.",
    "tr": "Bekledik ve bekledik, sonra nihayet hepimize merhaba dedi. Güzel bir şişe şarap içtik.",
    "ja": "私たちは待って待って、そしてついに彼は皆に挨拶しました。今日はとても暑いですね。",
}

# Detected exactly, with or without a notice.
DETECTED = [
    ("fr", "cp1252"), ("fr", "iso8859_15"), ("fr", "latin_1"), ("de", "cp1252"), ("de", "latin_1"),
    ("es", "cp1252"), ("cs", "cp1250"), ("pl", "cp1250"), ("zh", "gb2312"), ("zh", "gbk"), ("zh", "gb18030"),
    ("ru", "cp1251"), ("uk", "cp1251"), ("el", "cp1253"), ("el", "iso8859_7"), ("tr", "cp1254"), ("tr", "iso8859_9"),
]
# Short texts whose bytes read equally cleanly in a sibling code page: the sibling may
# win (Windows-1250 over ISO-8859-2, Windows-1251 over KOI8-R, Korean over Japanese),
# but only with a notice; --encoding reads them right.
AMBIGUOUS = [("cs", "iso8859_2"), ("pl", "iso8859_2"), ("ru", "koi8_r"), ("ru", "iso8859_5"), ("ja", "shift_jis"), ("ja", "euc_jp")]


def as_paragraph(text: str) -> str:
    return text + "\n"


def as_short_subtitles(text: str) -> str:
    """Three cues, CRLF, the words shared out: the file is mostly timestamps."""
    words = text.split() if " " in text else list(text)
    third = len(words) // 3
    joiner = " " if " " in text else ""
    parts = [joiner.join(words[:third]), joiner.join(words[third : 2 * third]), joiner.join(words[2 * third :])]
    times = ("00:00:00,000 --> 00:00:02,000", "00:00:02,000 --> 00:00:20,000", "00:00:20,000 --> 00:00:22,000")
    return "".join(f"{n}\r\n{t}\r\n{p}\r\n\r\n" for n, (t, p) in enumerate(zip(times, parts), 1))


SHAPES = [as_paragraph, as_short_subtitles]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("language, encoding", DETECTED)
def test_legacy_encodings_are_detected(language, encoding, shape):
    text = shape(SENTENCES[language])
    decoded = decode_bytes(text.encode(encoding), "x.txt")
    assert decoded.text == text.replace("\r\n", "\n"), f"read as {decoded.encoding}"


@pytest.mark.parametrize("shape", SHAPES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("language, encoding", AMBIGUOUS + DETECTED)
def test_a_wrong_reading_is_never_silent(language, encoding, shape):
    text = shape(SENTENCES[language])
    data = text.encode(encoding)
    decoded = decode_bytes(data, "x.txt")
    if decoded.text != text.replace("\r\n", "\n"):
        assert not decoded.confident, f"{encoding} silently read as {decoded.encoding}"
    assert decode_bytes(data, "x.txt", encoding=encoding).text == text.replace("\r\n", "\n")


def test_a_short_legacy_file_says_its_encoding_is_a_guess():
    decoded = decode_bytes(as_short_subtitles(SENTENCES["fr"]).encode("cp1252"))
    assert decoded.encoding == "cp1252" and not decoded.confident


POLISH = (
    "Szkoda, że nie zdążyliśmy na pociąg. Żona poszła z dziećmi do parku, gdzie bawiły się w piasku. "
    "Powiedział mi, że przyjdzie później, ale nie przyszedł. Źródło tej wiadomości jest nieznane."
)


def test_a_longer_legacy_file_is_read_with_confidence():
    text = "\n\n".join([SENTENCES["pl"], POLISH] * 3)
    decoded = decode_bytes(text.encode("cp1250"))
    assert decoded.text == text and decoded.encoding == "cp1250" and decoded.confident


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-le", "utf-32-be", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_unicode_with_and_without_bom(encoding):
    text = "1\n00:00:00,000 --> 00:00:02,000\nCafé crème, 我们, Мы ждали\n"
    assert decode_bytes(text.encode(encoding)).text == text


def test_utf8_is_read_as_before():
    text = "Line one — “quoted” ‘x’ …\r\nline two\rline three\n"
    decoded = decode_bytes(text.encode("utf-8"))
    assert decoded == decode_bytes(text.encode("utf-8"), encoding="utf-8")
    assert decoded.text == "Line one — “quoted” ‘x’ …\nline two\nline three\n"
    assert decoded.encoding == "utf-8" and decoded.confident
    assert decode_text(text.encode("utf-8")) == decoded.text


def test_binary_data_is_refused():
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"\x00\x01\x02binary\x00\xff\xfe\x00", "blob.srt")
    with pytest.raises(InputError, match="binary"):
        decode_bytes(bytes(range(256)) * 4, "blob.srt")


def test_a_forced_encoding_that_does_not_fit_names_the_file():
    with pytest.raises(InputError) as err:
        decode_bytes(SENTENCES["fr"].encode("cp1252"), "fr.txt", encoding="utf-8")
    assert "fr.txt" in str(err.value) and "--encoding" in str(err.value)


def test_an_unknown_encoding_is_a_usage_error():
    with pytest.raises(UsageError):
        decode_bytes(b"abc", "x.txt", encoding="no-such-codec")


runner = CliRunner()


def test_cli_says_which_encoding_it_guessed_and_encoding_forces_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("fr.srt").write_bytes(as_short_subtitles(SENTENCES["fr"]).encode("cp1252"))
    guessed = runner.invoke(app, ["segment", "fr.srt", "-o", "a"])
    assert guessed.exit_code == 0, guessed.output
    assert "fr.srt: text encoding guessed as cp1252" in guessed.stderr
    assert "était délicieux" in Path("a/fr.fr.srt").read_text(encoding="utf-8")
    forced = runner.invoke(app, ["segment", "fr.srt", "--encoding", "cp1252", "-o", "b"])
    assert forced.exit_code == 0, forced.output
    assert "guessed" not in forced.stderr
    assert Path("b/fr.fr.srt").read_bytes() == Path("a/fr.fr.srt").read_bytes()
    wrong = runner.invoke(app, ["segment", "fr.srt", "--encoding", "utf-8", "-o", "c"])
    assert wrong.exit_code == 3 and "fr.srt" in wrong.stderr and "--encoding" in wrong.stderr


@pytest.mark.parametrize("command", ["run", "translate", "segment", "check", "import"])
def test_every_command_that_reads_user_text_takes_encoding(command):
    result = runner.invoke(app, [command, "--help"])
    assert "--encoding" in result.output


def test_text_no_encoding_reads_cleanly_is_refused_with_the_file_and_encoding_hint():
    with pytest.raises(InputError) as err:
        decode_bytes(bytes(range(0x80, 0x100)) + b" text\n", "odd.srt")
    assert "odd.srt" in str(err.value) and "--encoding" in str(err.value)
