"""The better model for a language pair across both catalogues: read the Argos index and
the Firefox registry, let ``ranking`` choose the engine (or take ``--engine``), install."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ...errors import ModelError, NetworkError, UsageError
from .catalog import InstalledModel
from .index import DEFAULT_TIMEOUT_S, ENGINES, DownloadProgress, available
from .install import install_from_index
from .ranking import choose
from .registry import available_firefox
from .registry_install import install_from_registry

_BOTH_HINT = (
    "check the network connection and the catalogue URLs (--index-url or $TRANSKIT_INDEX_URL, --registry-url or "
    "$TRANSKIT_FIREFOX_REGISTRY_URL); without a network, install a file or folder with `transkit models install --from`"
)


@dataclass(frozen=True)
class Offer:
    """One catalogue's offer of a pair: an Argos-index package or a registry model."""

    engine: str
    catalogue: str  # "argos-index" or "firefox-registry"
    version: str
    size: int | None
    architecture: str | None
    package: object


@dataclass(frozen=True)
class Catalogues:
    """What every catalogue offers, and which could not be read (catalogue -> error)."""

    offers: tuple[Offer, ...]
    errors: dict


def read_catalogues(
    *,
    index_url: str | None = None,
    registry_url: str | None = None,
    engine: str | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> Catalogues:
    """Read the Argos index and the Firefox registry (only what ``engine`` needs).

    A catalogue that cannot be reached is recorded in ``errors``; when every one
    needed fails, the ``NetworkError`` is raised (naming each)."""
    offers: list[Offer] = []
    errors: dict[str, NetworkError] = {}
    try:
        for package in available(index_url, timeout=timeout):
            if engine in (None, package.engine):
                offers.append(Offer(package.engine, "argos-index", package.version, package.size, None, package))
    except NetworkError as exc:
        errors["argos-index"] = exc
    if engine in (None, "firefox"):
        try:
            for model in available_firefox(registry_url, timeout=timeout):
                offers.append(Offer("firefox", "firefox-registry", model.version, model.size, model.architecture, model))
        except NetworkError as exc:
            errors["firefox-registry"] = exc
    if not offers and errors and (len(errors) == 2 or engine == "argos"):
        raise _unreachable(errors)
    return Catalogues(tuple(offers), errors)


def _unreachable(errors: dict) -> NetworkError:
    if len(errors) == 1:
        return next(iter(errors.values()))
    text = "; ".join(f"{name} {err.path}: {err.message}" for name, err in errors.items())
    return NetworkError(f"no model catalogue can be read: {text}", hint=_BOTH_HINT)


@dataclass(frozen=True)
class InstallResult:
    model: InstalledModel
    offer: Offer
    reason: str
    unreachable: dict


def install_best(
    source: str,
    target: str,
    *,
    engine: str | None = None,
    index_url: str | None = None,
    registry_url: str | None = None,
    models_dir: str | os.PathLike[str] | None = None,
    progress: DownloadProgress | None = None,
    timeout: float = DEFAULT_TIMEOUT_S,
) -> InstallResult:
    """Install the better model for the pair from the catalogues (``ranking.choose``), or
    ``engine``'s. A Firefox model comes from the registry when it offers the pair, else
    from the Argos-style index (a zip of a model folder)."""
    if engine is not None and engine not in ENGINES:
        raise UsageError(f"unknown engine '{engine}'", hint=f"choose one of: {', '.join(ENGINES)}")
    found = read_catalogues(index_url=index_url, registry_url=registry_url, engine=engine, timeout=timeout)
    offers = [o for o in found.offers if (o.package.source, o.package.target) == (source, target)]  # type: ignore[attr-defined]
    offers = [o for o in offers if o.catalogue == "firefox-registry" or o.package.links]  # type: ignore[attr-defined]
    if not offers:
        pairs = sorted({f"{o.engine} {o.package.source}->{o.package.target}" for o in found.offers})  # type: ignore[attr-defined]
        which = f"{engine} " if engine else ""
        missing = "" if not found.errors else " (not read: " + ", ".join(found.errors) + ")"
        raise ModelError(
            f"no catalogue offers a {which}model for {source}->{target}{missing}",
            hint=f"offered: {', '.join(pairs) if pairs else 'none'}; see `transkit models available`",
        )
    engines: dict[str, str | None] = {}
    for offer in offers:
        if offer.engine not in engines or offer.catalogue == "firefox-registry":
            engines[offer.engine] = offer.architecture
    if engine is not None:
        chosen, reason = engine, f"--engine {engine}"
    else:
        choice = choose(source, target, engines)
        chosen, reason = choice.engine, choice.reason
    candidates = sorted((o for o in offers if o.engine == chosen), key=lambda o: o.catalogue != "firefox-registry")
    offer = candidates[0]
    if offer.catalogue == "firefox-registry":
        model = install_from_registry(source, target, registry_url=registry_url, models_dir=models_dir,
                                      progress=progress, timeout=timeout, offer=offer.package)  # type: ignore[arg-type]
    else:
        model = install_from_index(source, target, engine=chosen, index_url=index_url, models_dir=models_dir,
                                   progress=progress, timeout=timeout)
    return InstallResult(model, offer, reason, dict(found.errors))
