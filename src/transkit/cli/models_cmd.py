"""``transkit models``: list, find, install and remove translation models."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import is_interactive, report_errors

models_app = typer.Typer(
    rich_markup_mode=None,  # plain help: flags without a "<bool>" type column (typer's rich help shows one)
    name="models",
    help=(
        "Manage offline translation models (Argos packages, Firefox Translations models).\n\n"
        "Examples:\n\n"
        "  transkit models list\n\n"
        "  transkit models available --source en\n\n"
        "  transkit models install en ru\n\n"
        "  transkit models install --from translate-zh_en-1_9.argosmodel"
    ),
    no_args_is_help=True,
)

_MODELS_DIR_HELP = "Models folder (default: $TRANSKIT_MODELS_DIR or ~/.local/share/transkit/models)."
_INDEX_HELP = "Package index URL (default: $TRANSKIT_INDEX_URL, else the public Argos index)."
_REGISTRY_HELP = (
    "Firefox Translations model registry records URL (default: $TRANSKIT_FIREFOX_REGISTRY_URL, "
    "else Mozilla's Remote Settings collection translations-models-v2)."
)


def register(app: typer.Typer) -> None:
    app.add_typer(models_app, name="models")


def _size(num_bytes: int | None) -> str:
    return "?" if num_bytes is None else f"{num_bytes / 1e6:.0f} MB"


def _table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


@models_app.command("list")
@report_errors
def list_models(
    models_dir: Optional[Path] = typer.Option(None, "--models-dir", help=_MODELS_DIR_HELP),
) -> None:
    """List installed models: engine, language pair (and as BCP-47 tags), version, size and folder.

    Models Argos Translate installed itself are listed too (transkit uses them, read only).

    Examples:

      transkit models list

      transkit models list --models-dir ./models
    """
    from ..translate.engines import installed_models
    from ..translate.models import pair_tags, resolve_models_dir

    root = resolve_models_dir(models_dir)
    models = installed_models(root)
    if not models:
        typer.echo(f"no models installed in {root}")
        typer.echo("install one with: transkit models install en ru   (or --from FILE.argosmodel)")
        return
    rows = [("ENGINE", "PAIR", "TAGS", "VERSION", "SIZE", "FOLDER")]
    rows += [
        (m.engine, m.pair, pair_tags(m.engine, m.source, m.target), m.version or "-", _size(m.size_bytes), str(m.path))
        for m in models
    ]
    _table(rows)


@models_app.command("available")
@report_errors
def available_models(
    index_url: Optional[str] = typer.Option(None, "--index-url", help=_INDEX_HELP),
    registry_url: Optional[str] = typer.Option(None, "--registry-url", help=_REGISTRY_HELP),
    engine: Optional[str] = typer.Option(None, "--engine", "-e", help="Only this engine's models (argos or firefox)."),
    source: Optional[str] = typer.Option(None, "--source", "-s", help="Only packages from this language."),
    target: Optional[str] = typer.Option(None, "--target", "-t", help="Only packages into this language."),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds to wait for the network, 0.1 to 3600."),
) -> None:
    """List the models both catalogues offer: the Argos package index and the Firefox
    Translations model registry.

    Columns: engine, pair, the pair as BCP-47 tags, version, download size, whether a
    SHA-256 is published, the published FLORES-101 devtest BLEU and COMET of that
    engine's model for the pair (see src/transkit/data/model_quality.json; "-" when
    unknown), and the catalogue. A catalogue that cannot be read is named on stderr.

    Examples:

      transkit models available --source en

      transkit models available --engine firefox --registry-url http://127.0.0.1:8000/v1/buckets/main/collections/translations-models-v2/records

      transkit models available --index-url http://127.0.0.1:8000/index.json
    """
    from ..translate.models import figure, pair_tags, read_catalogues
    from .options import number

    _check_engine(engine)
    number(timeout, "--timeout", "timeout")
    found = read_catalogues(index_url=index_url, registry_url=registry_url, engine=engine, timeout=timeout)
    _warn_unread(found.errors)
    offers = [
        o for o in found.offers
        if source in (None, o.package.source) and target in (None, o.package.target)
    ]
    if not offers:
        typer.echo("the catalogues offer no matching models")
        return
    rows = [("ENGINE", "PAIR", "TAGS", "VERSION", "SIZE", "SHA256", "BLEU", "COMET", "CATALOGUE")]
    for o in offers:
        src, tgt = o.package.source, o.package.target
        fig = figure(o.engine, src, tgt, o.architecture)
        checked = o.catalogue == "firefox-registry" or bool(getattr(o.package, "sha256", None))
        rows.append((
            o.engine, f"{src}->{tgt}", pair_tags(o.engine, src, tgt), o.version or "-", _size(o.size),
            "yes" if checked else "no",
            f"{fig.bleu:g}" if fig and fig.bleu is not None else "-",
            f"{fig.comet:.3f}" if fig and fig.comet is not None else "-",
            o.catalogue,
        ))
    _table(rows)


@models_app.command("install")
@report_errors
def install_model(
    source: Optional[str] = typer.Argument(None, help="Source language code, e.g. en."),
    target: Optional[str] = typer.Argument(None, help="Target language code, e.g. ru."),
    engine: Optional[str] = typer.Option(
        None, "--engine", "-e",
        help="argos or firefox (default: the better of the two for the pair, by published figures)."),
    index_url: Optional[str] = typer.Option(None, "--index-url", help=_INDEX_HELP),
    registry_url: Optional[str] = typer.Option(None, "--registry-url", help=_REGISTRY_HELP),
    from_path: Optional[Path] = typer.Option(
        None, "--from", help="Install this .argosmodel/zip file or model folder instead of downloading."
    ),
    models_dir: Optional[Path] = typer.Option(None, "--models-dir", help=_MODELS_DIR_HELP),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds to wait for the network, 0.1 to 3600."),
) -> None:
    """Install a model from the catalogues (Argos index, Firefox registry), or from a local file or folder.

    Without --engine the better model for the pair is installed: the engine with the
    higher published FLORES-101 devtest COMET (else BLEU) for the pair, by the figures
    in src/transkit/data/model_quality.json; for a pair without figures, the Firefox
    model (faster). For en->ru that is the Firefox model (COMET 0.876 vs 0.848).
    Downloads are checked against the catalogue's sizes and SHA-256 before and after
    unpacking, unpacking is bounded, and nothing is kept on failure; an existing model
    of the same pair and engine is replaced.

    Examples:

      transkit models install en ru

      transkit models install en ru --engine argos

      transkit models install en pt --engine firefox --registry-url http://127.0.0.1:8000/v1/buckets/main/collections/translations-models-v2/records

      transkit models install --from translate-en_ru-1_9.argosmodel

      transkit models install en pt --from ./enpt-model-folder
    """
    from ..errors import UsageError
    from ..translate import models
    from .options import number

    number(timeout, "--timeout", "timeout")
    _check_engine(engine)
    if from_path is not None:
        if (source is None) != (target is None):
            raise UsageError("give both languages or neither", hint="e.g. transkit models install en pt --from DIR")
        model = models.install_from_file(from_path, models_dir=models_dir, source=source, target=target)
        reason = None
    else:
        if source is None or target is None:
            raise UsageError(
                "which model? give a language pair or --from",
                hint="e.g. transkit models install en ru, or transkit models install --from FILE.argosmodel",
            )
        with _download_bar(f"{source}->{target}") as on_progress:
            result = models.install_best(
                source, target, engine=engine, index_url=index_url, registry_url=registry_url,
                models_dir=models_dir, progress=on_progress, timeout=timeout,
            )
        _warn_unread(result.unreachable)
        model, reason = result.model, f"{result.reason} (from the {result.offer.catalogue})"
    tags = models.pair_tags(model.engine, model.source, model.target)
    typer.echo(f"installed {model.engine} {model.pair} {model.version} ({_size(model.size_bytes)}) in {model.path}")
    typer.echo(f"languages: {tags} (BCP-47)")
    if reason:
        typer.echo(f"why: {reason}")


def _check_engine(engine: str | None) -> None:
    from ..errors import UsageError
    from ..translate.models import ENGINES

    if engine is not None and engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}'", hint=f"choose one of: {', '.join(ENGINES)}")


def _warn_unread(errors: dict) -> None:
    for name, error in errors.items():
        typer.echo(f"transkit: warning: could not read the {name}: {error}", err=True)


@models_app.command("remove")
@report_errors
def remove_model(
    source: str = typer.Argument(..., help="Source language code."),
    target: str = typer.Argument(..., help="Target language code."),
    engine: Optional[str] = typer.Option(None, "--engine", "-e", help="Only this engine's model (argos or firefox)."),
    models_dir: Optional[Path] = typer.Option(None, "--models-dir", help=_MODELS_DIR_HELP),
) -> None:
    """Remove the installed model(s) for a language pair.

    Examples:

      transkit models remove en ru

      transkit models remove en pt --engine firefox
    """
    from ..translate.models import remove

    for model in remove(source, target, engine, models_dir):
        typer.echo(f"removed {model.engine} {model.pair} {model.version} from {model.path}")


class _download_bar:
    """A rich download bar on a terminal; one line when done otherwise (logs, CI)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = None
        self.task = None
        self.done = 0

    def __enter__(self):
        if is_interactive():
            from rich.console import Console
            from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

            self.bar = Progress(
                TextColumn(f"downloading {self.label}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                console=Console(stderr=True), transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("download", total=None)
        return self.update

    def update(self, done: int, total: int | None) -> None:
        self.done = done
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
        elif self.done:
            typer.echo(f"transkit: downloaded {self.label}: {_size(self.done)}", err=True)
