"""Untrusted files: hostile model packages, hostile text in HTML, XML bombs, shells.

- model packages (``transkit models install --from``) whose entries climb out with
  ``..``, are absolute, are symlinks (or write through a symlink), or are special
  files are refused, and nothing appears outside the models folder;
- a downloaded package is checked against the index's sha256 and a silent server
  times out (both against a server on 127.0.0.1);
- every piece of project text that reaches the HTML edition is escaped: no
  element, attribute or link can be injected (a fixed hostile set and hypothesis);
- an XLIFF with an XML bomb, an external entity or an external DTD is refused
  without expanding it or touching the network;
- no subprocess anywhere in ``src/`` runs through a shell.
"""

from __future__ import annotations

import ast
import functools
import html.parser
import io
import os
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from transkit.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "transkit"
sys.path.insert(0, str(Path(__file__).resolve().parent))
runner = CliRunner()


# --------------------------------------------------------------------------- model packages


def _package(entries: list[tuple[str, bytes, int]]) -> bytes:
    """A zip with (name, data, unix mode) entries, next to a valid-looking Argos package."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("translate-en_xx-1_0/metadata.json", '{"from_code": "en", "to_code": "xx"}')
        archive.writestr("translate-en_xx-1_0/model/model.bin", b"\0" * 64)
        archive.writestr("translate-en_xx-1_0/sentencepiece.model", b"spm")
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name)
            info.external_attr = mode << 16
            archive.writestr(info, data)
    return buffer.getvalue()


FILE, LINK, FIFO = 0o100644, 0o120777, 0o010644


def _hostile_cases(outside: Path) -> dict[str, list[tuple[str, bytes, int]]]:
    target = outside / "pwned.txt"
    return {
        "dot-dot": [("translate-en_xx-1_0/../../../outside/pwned.txt", b"x", FILE)],
        "dot-dot at the start": [("../outside/pwned.txt", b"x", FILE)],
        "backslash dot-dot": [("..\\..\\outside\\pwned.txt", b"x", FILE)],
        "absolute": [(str(target), b"x", FILE)],
        "drive letter": [("C:/outside/pwned.txt", b"x", FILE)],
        "symlink out": [("translate-en_xx-1_0/model/link", str(outside).encode(), LINK)],
        "write through symlink": [
            ("translate-en_xx-1_0/link", str(outside).encode(), LINK),
            ("translate-en_xx-1_0/link/pwned.txt", b"x", FILE),
        ],
        "symlink to a secret": [("translate-en_xx-1_0/sentencepiece2.model", b"/etc/shadow", LINK)],
        "fifo": [("translate-en_xx-1_0/pipe", b"", FIFO)],
    }


@pytest.mark.parametrize(
    "case",
    ["dot-dot", "dot-dot at the start", "backslash dot-dot", "absolute", "drive letter", "symlink out",
     "write through symlink", "symlink to a secret", "fifo"],
)
def test_hostile_model_package_is_refused(tmp_path, case):
    outside = tmp_path / "outside"
    outside.mkdir()
    models = tmp_path / "home" / "models"
    try:
        data = _package(_hostile_cases(outside)[case])
    except ValueError:
        pytest.skip("zipfile cannot even write this entry")  # pragma: no cover
    package = tmp_path / "evil.argosmodel"
    package.write_bytes(data)
    before = {p for p in tmp_path.rglob("*")}
    result = runner.invoke(app, ["models", "install", "--from", str(package), "--models-dir", str(models)])
    assert result.exit_code == 4, result.output
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("transkit: error:") and "evil.argosmodel" in line and "unsafe" in line, line
    created = {p for p in tmp_path.rglob("*")} - before
    stray = [p for p in created if models not in p.parents and p != models and p not in models.parents]
    assert not stray, f"written outside the models folder: {stray}"
    assert not list(outside.iterdir())
    assert not [p for p in models.rglob("*") if p.is_symlink() or (p.is_file() and not p.name.startswith("."))]


def test_hostile_entries_refused_before_anything_is_unpacked(tmp_path):
    """A bad entry at the end of the archive: the good entries before it are not left behind either."""
    from transkit.errors import ModelError
    from transkit.translate.archive import extract_zip

    package = tmp_path / "late.zip"
    package.write_bytes(_package([("../late.txt", b"x", FILE)]))
    dest = tmp_path / "dest"
    dest.mkdir()
    with pytest.raises(ModelError):
        extract_zip(package, dest)
    assert list(dest.iterdir()) == []
    assert not (tmp_path / "late.txt").exists()


def test_folder_package_with_a_symlink_out_is_not_followed(tmp_path, test_models_dir):
    """Installing from a folder copies files, never a link to something outside the folder."""
    import shutil

    folder = tmp_path / "pkg"
    shutil.copytree(test_models_dir / "installed" / "firefox" / "en-pt", folder)
    secret = tmp_path / "secret.txt"
    secret.write_text("private key material")
    os.symlink(secret, folder / "README.md")
    models = tmp_path / "models"
    result = runner.invoke(app, ["models", "install", "--from", str(folder), "--models-dir", str(models)])
    installed = list(models.rglob("*"))
    assert not [p for p in installed if p.is_symlink()], installed
    assert not any(p.is_file() and p.read_bytes() == secret.read_bytes() for p in installed), (
        "the target of a symlink inside the package folder was copied into the models folder"
    )
    assert result.exit_code in (0, 4), result.output


def test_download_checksum_and_timeout(tmp_path):
    from local_index import HANG, LocalIndex, index_entry

    package = _package([])
    with LocalIndex() as index:
        index.routes["/good.argosmodel"] = package
        index.routes["/slow.argosmodel"] = HANG
        url = index.serve_index(
            [
                index_entry("en", "xx", "/good.argosmodel", sha256="0" * 64),
                index_entry("en", "yy", "/slow.argosmodel"),
            ]
        )
        models = tmp_path / "models"
        tampered = runner.invoke(app, ["models", "install", "en", "xx", "--index-url", url, "--models-dir", str(models)])
        assert tampered.exit_code == 4 and "checksum" in tampered.stderr, tampered.output
        silent = runner.invoke(
            app, ["models", "install", "en", "yy", "--index-url", url, "--models-dir", str(models), "--timeout", "1"]
        )
        # the server holds the request 30 s then drops it: "no answer within 1 s" means our timeout fired
        assert silent.exit_code == 6 and "no answer within 1 s" in silent.stderr, silent.output
    installed = [p for p in models.rglob("*") if p.is_file()] if models.exists() else []
    assert installed == [], installed


# --------------------------------------------------------------------------- HTML escaping

HOSTILE = (
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "</span></p></div><iframe src=//evil>",
    "javascript:alert(1)",
    "<!-- comment --> & &amp; &lt;b&gt;",
    "' onmouseover='alert(1)",
    "<style>body{display:none}</style>",
    "]]><![CDATA[ x",
    "\u202eevil\u202c \x00\x1b[31m",
)



class _Inspector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)

    def handle_comment(self, data):
        raise AssertionError(f"a comment reached the HTML: {data!r}")


def _project(texts: list[str]):
    from transkit.model import (
        LanguageResult,
        Metadata,
        Paragraph,
        Project,
        Segment,
        Speaker,
        Transcript,
        Translation,
    )

    a, b, c, d, e, f = (texts * 6)[:6]
    meta = Metadata(title=a, language="en", publisher=b, url=c, date=d, extra=(("subtitle", e), ("credit", f)))
    speakers = (Speaker("KM", a, b), Speaker("JS", c, d))
    paragraphs = [Paragraph(0, "note", e)]
    segments, translations = [], []
    for i, text in enumerate(texts):
        paragraphs.append(Paragraph(i + 1, "speech", f"{text} {text}", "KM" if i % 2 else "JS"))
        for j in range(2):
            sid = len(segments)
            start = sid * 2000
            segments.append(Segment(sid, i + 1, "KM" if i % 2 else "JS", text, start, start + 1500, j * (len(text) + 1), j * (len(text) + 1) + len(text)))
            translations.append(Translation(sid, f"{text} (pt)"))
    transcript = Transcript(meta, speakers, tuple(paragraphs))
    result = LanguageResult("pt", "firefox", c, translations=tuple(translations))
    return Project(transcript, tuple(segments), (result,))


def _render_html(texts: list[str], audio: str = "") -> str:
    from bilingual_project import export_job

    from transkit.export import get_exporter

    options = {"audio": audio} if audio else None
    return get_exporter("html").render(export_job(_project(texts), "pt", options)).decode("utf-8")


def _inspect(document: str) -> _Inspector:
    inspector = _Inspector()
    inspector.feed(document)
    inspector.close()
    return inspector


@functools.cache
def _plain_tags() -> frozenset[str]:
    """The elements the exporter itself writes, for harmless text with an audio player and links."""
    document = _render_html(["Plain words.", "https://example.org/", "More words."], audio="interview.mp3")
    return frozenset(tag for tag, _ in _inspect(document).tags)


def _assert_inert(document: str, texts: list[str]) -> None:
    from transkit.export.html import SCRIPT

    inspector = _inspect(document)
    tags = {tag for tag, _ in inspector.tags}
    allowed = _plain_tags()
    assert tags <= allowed, f"injected elements: {tags - allowed}"
    assert [tag for tag, _ in inspector.tags].count("script") == 1
    assert "".join(inspector.scripts).strip() == SCRIPT.strip()
    for tag, attrs in inspector.tags:
        for name, value in attrs:
            assert not name.startswith("on"), f"event handler attribute on <{tag}>: {name}={value!r}"
            if name in ("href", "src") and value:
                assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), value
    shown = " ".join(" ".join(inspector.text).split())
    from transkit.export.parallel import clean

    for text in texts:
        visible = clean(text)
        if visible:
            assert visible in shown, f"text lost or mangled: {visible!r}"


def test_html_escapes_hostile_text_everywhere():
    texts = list(HOSTILE)
    _assert_inert(_render_html(texts, audio='x.mp3" onplay="alert(1)'), texts)
    _assert_inert(_render_html(texts, audio="javascript:alert(1)"), texts)


@settings(max_examples=int(os.environ.get("TRANSKIT_FUZZ_EXAMPLES", "1000")) // 5, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.lists(
        # any text a reader can produce (lone surrogates cannot come out of any reader)
        st.text(
            st.sampled_from('<>&"\'=/ ;:!-[]aZ\u00a0\u2028\x00\x1b') | st.characters(blacklist_categories=("Cs",)),
            min_size=1,
            max_size=40,
        )
        .filter(lambda t: t.strip()),
        min_size=1,
        max_size=4,
    ),
    audio=st.text(max_size=30),
)
def test_html_escapes_any_text(texts, audio):
    _assert_inert(_render_html(texts, audio=audio), texts)


# --------------------------------------------------------------------------- XML bombs in XLIFF

XLIFF_HEAD = '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="en" target-language="pt" datatype="plaintext" original="x"><body>'
XLIFF_TAIL = "</body></file></xliff>"

BOMBS = {
    "billion laughs": '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "\n".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "\n]>\n"
    + XLIFF_HEAD
    + '<trans-unit id="0"><source>a</source><target>&lol9;</target></trans-unit>'
    + XLIFF_TAIL,
    "quadratic blowup": '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "' + "A" * 50_000 + '">]>\n'
    + XLIFF_HEAD
    + '<trans-unit id="0"><source>a</source><target>' + "&a;" * 5_000 + "</target></trans-unit>"
    + XLIFF_TAIL,
    "external entity": '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    + XLIFF_HEAD
    + '<trans-unit id="0"><source>a</source><target>&secret;</target></trans-unit>'
    + XLIFF_TAIL,
    "parameter entity": '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n'
    + XLIFF_HEAD
    + XLIFF_TAIL,
}


@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_xml_bomb_in_xliff_is_refused(tmp_path, bomb):
    from transkit.errors import InputError
    from transkit.export.xliff import import_xliff

    path = tmp_path / "edits.xlf"
    path.write_text(BOMBS[bomb], encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_xliff(path)
    # refused on seeing the declaration (the parser's EntitiesForbidden), so nothing was expanded
    assert "entities" in str(caught.value) and "EntitiesForbidden" in str(caught.value)
    assert caught.value.path == str(path)
    assert "root:" not in str(caught.value)


def test_external_dtd_is_not_fetched(tmp_path):
    from local_index import LocalIndex

    from transkit.errors import InputError
    from transkit.export.xliff import import_xliff

    with LocalIndex() as server:
        server.routes["/evil.dtd"] = b'<!ENTITY x "pwned">'
        path = tmp_path / "edits.xlf"
        path.write_text(
            f'<?xml version="1.0"?>\n<!DOCTYPE xliff SYSTEM "{server.url("/evil.dtd")}">\n'
            + XLIFF_HEAD + '<trans-unit id="0"><source>a</source><target>&x;</target></trans-unit>' + XLIFF_TAIL,
            encoding="utf-8",
        )
        with pytest.raises(InputError):
            import_xliff(path)
        assert server.requests == [], "the parser fetched an external DTD"


def test_xml_bomb_through_the_cli(tmp_path):
    """``transkit import-edits`` with a billion-laughs XLIFF: exit 3, one line, no expansion."""
    from transkit.pipeline import prepare_project
    from transkit.projectfile import save_project

    project = tmp_path / "interview.project.json"
    save_project(prepare_project(ROOT / "source" / "interview.md"), project)
    bomb = tmp_path / "bomb.xlf"
    bomb.write_text(BOMBS["billion laughs"], encoding="utf-8")
    result = runner.invoke(app, ["import-edits", str(bomb), "--project", str(project), "--to", "pt"])
    assert result.exit_code in (2, 3), result.output
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("transkit: error:") and "Traceback" not in result.output, result.output


# --------------------------------------------------------------------------- no shell


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Name):
        return node.id
    return ""


SHELL_FUNCTIONS = {
    "os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput", "commands.getoutput",
    "os.execl", "os.execlp", "os.spawnl", "os.spawnlp", "pty.spawn",
}


def test_no_subprocess_through_a_shell():
    sources = sorted(SRC.rglob("*.py"))
    assert len(sources) > 20
    found = []
    for path in sources:
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text, filename=str(path))
        for call in _calls(tree):
            name = _dotted(call.func)
            where = f"{path.relative_to(ROOT)}:{call.lineno}"
            if name in SHELL_FUNCTIONS or name.split(".")[-1] in ("system", "popen") and name.startswith("os"):
                found.append(f"{where}: {name}()")
            for keyword in call.keywords:
                if keyword.arg == "shell" and not (isinstance(keyword.value, ast.Constant) and keyword.value.value is False):
                    found.append(f"{where}: shell={ast.unparse(keyword.value)}")
            if name.startswith("subprocess.") and call.args and isinstance(call.args[0], (ast.Constant, ast.JoinedStr)):
                found.append(f"{where}: {name}() with a command string instead of a list")
        for needle in ("shell=True", "os.system(", "os.popen("):
            if needle in text:
                found.append(f"{path.relative_to(ROOT)}: contains {needle!r}")
    assert not found, "\n".join(found)


def test_the_shell_check_catches_what_it_should(tmp_path):
    """The check above is not vacuous: it flags each pattern in a sample."""
    sample = "import os, subprocess\nsubprocess.run('ls', shell=True)\nos.system('ls')\nsubprocess.call(f'rm {x}')\n"
    tree = ast.parse(sample)
    names = [_dotted(c.func) for c in _calls(tree)]
    assert "os.system" in names and any(k.arg == "shell" for c in _calls(tree) for k in c.keywords)
    assert isinstance(list(_calls(tree))[-1].args[0], ast.JoinedStr)
