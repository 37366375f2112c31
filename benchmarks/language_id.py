"""Language identification on short lines: which library, and how accurate.

Data: the human translations of the Debian packages installed on this machine
(GNU gettext catalogues, /usr/share/locale/LANG/LC_MESSAGES/*.mo; each package's
own licence, mostly GPL). Only messages that read like a sentence are kept: three
to twenty words, letters, no format codes (%s, {0}), no options (--x), no markup.
These are short lines like subtitle cues. A "file" is 25 such lines of one language
joined, like a short subtitle file's text.

Compared: lingua-language-detector (low-accuracy and high-accuracy mode, with the
languages transkit identifies, ``transkit.ingest.language.CANDIDATES``, or all 75),
and langid.py (97 languages, normalised probabilities; not a transkit dependency:
``pip install langid`` to include it). Printed: accuracy per language for single lines and for
files, load time and peak memory of each detector (in a fresh process each).

Second data set, real subtitle files from other projects' test suites (pinned
sdists, sha256-checked, fetched once into .cache/bench-data/): pysrt 1.1.2's
French film subtitles (tests/static/utf-8.srt, 1,332 cues), webvtt-py 0.6.0's
Spanish Netflix sample (netflix_chicas_del_cable.vtt, 865 cues) and the English
files of both (bom-utf-8.srt, capability_tester.srt, cue_tags.vtt, youtube_dl.vtt,
non_padded_timestamps.vtt). Each cue's text is one "line" (labelled with its
file's language: credits and names count as errors), each file one "file".

    PYTHONPATH=src .venv/bin/python benchmarks/language_id.py [--lines 150]
"""

from __future__ import annotations

import argparse
import gettext
import json
import random
import re
import subprocess
import sys
from pathlib import Path

LOCALE = Path("/usr/share/locale")
LANGUAGES = ("da", "sv", "fr", "es", "de", "ru", "pt", "it", "pl", "cs", "nl", "fi", "uk", "tr", "el", "hu", "ro", "zh_CN", "ja")
_CODE = re.compile(r"%|\{|\}|--|<|>|\\|_|/|=|\[|\]|\$|@|\t|\n")
FILE_LINES = 25


def sentences(language: str, limit: int, seed: int = 7) -> list[str]:
    found: dict[str, None] = {}
    for mo in sorted((LOCALE / language / "LC_MESSAGES").glob("*.mo")):
        try:
            with open(mo, "rb") as handle:
                catalog = gettext.GNUTranslations(handle)._catalog  # noqa: SLF001 - the messages
        except (OSError, UnicodeDecodeError, Exception):
            continue
        for key, value in catalog.items():
            msgid = key[0] if isinstance(key, tuple) else key
            if not msgid or not isinstance(value, str) or value == msgid or _CODE.search(value):
                continue
            words = value.split()
            if not 3 <= len(words) <= 20 or sum(ch.isalpha() for ch in value) < len(value) * 0.6:
                continue
            found[value.strip()] = None
    lines = sorted(found)
    random.Random(seed).shuffle(lines)
    return lines[:limit]


WORKER = r"""
import json, resource, sys, time
spec, data = json.loads(sys.stdin.read())
t = time.perf_counter()
if spec.startswith("lingua"):
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
    if spec.endswith("-subset"):
        langs = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in data["subset"]]
        builder = LanguageDetectorBuilder.from_languages(*langs)
    else:
        builder = LanguageDetectorBuilder.from_all_languages()
    if spec.startswith("lingua-low"):
        builder = builder.with_low_accuracy_mode()
    detector = builder.with_preloaded_language_models().build()
    def detect(text):
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else ""
else:
    from langid.langid import LanguageIdentifier, model
    ident = LanguageIdentifier.from_modelstring(model, norm_probs=True)
    def detect(text):
        return ident.classify(text)[0]
load = time.perf_counter() - t
t = time.perf_counter()
out = {lang: [detect(x) for x in items] for lang, items in data["items"].items()}
per_item = (time.perf_counter() - t) / max(1, sum(len(v) for v in data["items"].values()))
print(json.dumps({"load": load, "per_item": per_item, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "out": out}))
"""


def run(spec: str, items: dict[str, list[str]], subset: list[str]) -> dict:
    payload = json.dumps([spec, {"items": items, "subset": subset}])
    done = subprocess.run([sys.executable, "-c", WORKER], input=payload, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


CACHE = Path(__file__).resolve().parents[1] / ".cache" / "bench-data"
PEER_SDISTS = {
    "pysrt": ("pysrt==1.1.2", "pysrt-1.1.2.tar.gz", "b4f844ba33e4e7743e9db746492f3a193dc0bc112b153914698e7c1cdeb9b0b9"),
    "webvtt-py": ("webvtt-py==0.6.0", "webvtt_py-0.6.0.tar.gz", "2f4ba359ab7e6bac98aa086fa7fc0ba1320ca7495f7d67f565baceac37f40aff"),
}
PEER_FILES = [
    ("pysrt", "pysrt-1.1.2/tests/static/utf-8.srt", "fr"),
    ("webvtt-py", "webvtt_py-0.6.0/tests/samples/netflix_chicas_del_cable.vtt", "es"),
    ("pysrt", "pysrt-1.1.2/tests/static/bom-utf-8.srt", "en"),
    ("pysrt", "pysrt-1.1.2/tests/static/capability_tester.srt", "en"),
    ("webvtt-py", "webvtt_py-0.6.0/tests/samples/cue_tags.vtt", "en"),
    ("webvtt-py", "webvtt_py-0.6.0/tests/samples/youtube_dl.vtt", "en"),
    ("webvtt-py", "webvtt_py-0.6.0/tests/samples/non_padded_timestamps.vtt", "en"),
]


def peer_cues() -> dict[str, list[list[str]]]:
    """language -> one list of cue texts per file."""
    import hashlib
    import tarfile

    from transkit.fsio import decode_bytes
    from transkit.ingest.subtitles import parse_srt, parse_vtt

    found: dict[str, list[list[str]]] = {}
    for project, member, language in PEER_FILES:
        requirement, filename, sha256 = PEER_SDISTS[project]
        archive = CACHE / filename
        if not archive.exists():
            CACHE.mkdir(parents=True, exist_ok=True)
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary=:all:", "-q",
                            "-d", str(CACHE), requirement], check=True)
        if hashlib.sha256(archive.read_bytes()).hexdigest() != sha256:
            raise SystemExit(f"{filename}: not the pinned sha256")
        with tarfile.open(archive) as tar:
            text = decode_bytes(tar.extractfile(member).read()).text  # type: ignore[union-attr]
        parse = parse_vtt if member.endswith(".vtt") else parse_srt
        lines = [" ".join(cue.lines) for cue in parse(text, member) if " ".join(cue.lines).strip()]
        found.setdefault(language, []).append(lines)
    return found


def peers(spec: str, subset: list[str]) -> None:
    files = peer_cues()
    lines = {lang: [line for f in fs for line in f] for lang, fs in files.items()}
    whole = {lang: [" ".join(f) for f in fs] for lang, fs in files.items()}
    got_lines, got_files = run(spec, lines, subset)["out"], run(spec, whole, subset)["out"]
    row = []
    for lang in lines:
        ok = sum(g == lang for g in got_lines[lang])
        fok = sum(g == lang for g in got_files[lang])
        row.append(f"{lang} {ok}/{len(lines[lang])} lines ({100 * ok / len(lines[lang]):.0f}%), {fok}/{len(whole[lang])} files")
    print(f"\npeer subtitle files, {spec}: " + "; ".join(row))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=150, help="lines per language")
    parser.add_argument("--detectors", default="lingua-low,lingua-low-subset,lingua-high-subset,langid")
    parser.add_argument("--peers-only", action="store_true", help="only the peer subtitle files, with transkit's detector")
    args = parser.parse_args()
    if args.peers_only:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        from transkit.ingest.language import CANDIDATES

        peers("lingua-low-subset", sorted(set(CANDIDATES)))
        return
    data = {lang: sentences(lang, args.lines) for lang in LANGUAGES}
    data = {lang: lines for lang, lines in data.items() if len(lines) >= FILE_LINES}
    code = {lang: lang.split("_")[0] for lang in data}
    files = {lang: [" ".join(lines[i : i + FILE_LINES]) for i in range(0, len(lines) - FILE_LINES + 1, FILE_LINES)] for lang, lines in data.items()}
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from transkit.ingest.language import CANDIDATES

    subset = sorted(set(CANDIDATES))
    print(f"data: {sum(map(len, data.values()))} lines, {sum(map(len, files.values()))} files of {FILE_LINES} lines, {len(data)} languages")
    print("per language: " + ", ".join(f"{lang} {len(lines)}" for lang, lines in data.items()))
    for spec in args.detectors.split(","):
        try:
            lines_result = run(spec, data, subset)
            files_result = run(spec, files, subset)
        except subprocess.CalledProcessError as exc:
            print(f"\n{spec}: could not run ({exc.stderr.strip().splitlines()[-1]}); pip install langid to compare")
            continue
        print(f"\n{spec}: load {lines_result['load']:.2f} s, peak memory {lines_result['rss']} MB, "
              f"{lines_result['per_item'] * 1000:.2f} ms per line")
        total_ok = total = file_ok = file_total = 0
        row = []
        for lang in data:
            ok = sum(got == code[lang] for got in lines_result["out"][lang])
            fok = sum(got == code[lang] for got in files_result["out"][lang])
            total_ok, total = total_ok + ok, total + len(data[lang])
            file_ok, file_total = file_ok + fok, file_total + len(files[lang])
            row.append(f"{code[lang]} {100 * ok / len(data[lang]):.0f}%/{100 * fok / len(files[lang]):.0f}%")
        print("  lines/files: " + ", ".join(row))
        print(f"  overall: lines {100 * total_ok / total:.1f}% ({total_ok}/{total}), files {100 * file_ok / file_total:.1f}% ({file_ok}/{file_total})")
        peers(spec, subset)


if __name__ == "__main__":
    main()
