"""Which engine's model to install for a language pair: published figures kept as data.

The figures (``transkit/data/model_quality.json``) are FLORES-101 devtest BLEU and
COMET per pair and engine from mozilla/firefox-translations-models'
``evaluation/bleu-results.json`` and ``comet-results.json`` (the commit is named in
the file). The rule, also written in the data file:

1. compare on COMET; when either engine lacks COMET, on BLEU; the higher wins;
2. the Firefox figure is the one of the architecture the registry record names
   (tiny, base-memory, base); when it names none, or one not evaluated, the best
   evaluated Firefox architecture;
3. no figure for one of the engines, or a tie: Firefox, for its speed (as engine
   ``auto`` prefers it once installed).

For en->ru the base Firefox model leads: COMET 0.876 vs Argos 0.848, BLEU 31.2 vs 27.6.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

FALLBACK_ENGINE = "firefox"


@dataclass(frozen=True)
class Figure:
    engine: str
    bleu: float | None
    comet: float | None
    architecture: str | None = None

    def label(self) -> str:
        parts = []
        if self.bleu is not None:
            parts.append(f"BLEU {self.bleu:g}")
        if self.comet is not None:
            parts.append(f"COMET {self.comet:.3f}")
        what = f"{self.engine}" + (f" ({self.architecture})" if self.architecture else "")
        return f"{what} " + ", ".join(parts)


@functools.lru_cache(maxsize=1)
def quality_data() -> dict:
    text = resources.files("transkit").joinpath("data/model_quality.json").read_text(encoding="utf-8")
    return json.loads(text)


def figure(engine: str, source: str, target: str, architecture: str | None = None) -> Figure | None:
    """The published figure for ``engine``'s model of the pair, or None when none is known."""
    entry = quality_data()["pairs"].get(f"{source}-{target}", {}).get(engine)
    if not entry:
        return None
    if engine == "argos":
        return Figure("argos", entry.get("bleu"), entry.get("comet"))
    if architecture in entry:
        chosen = architecture
    else:  # the best evaluated architecture
        chosen = max(entry, key=lambda arch: (entry[arch].get("comet") or 0.0, entry[arch].get("bleu") or 0.0))
    return Figure("firefox", entry[chosen].get("bleu"), entry[chosen].get("comet"), chosen)


@dataclass(frozen=True)
class Choice:
    engine: str
    reason: str


def choose(source: str, target: str, engines: dict[str, str | None]) -> Choice:
    """The engine to install among ``engines`` (engine -> the architecture its offer names, or None)."""
    if not engines:
        raise ValueError("no engine offers the pair")
    if len(engines) == 1:
        (only,) = engines
        return Choice(only, f"only {only} offers {source}->{target}")
    figures = {engine: figure(engine, source, target, arch) for engine, arch in engines.items()}
    argos, firefox = figures.get("argos"), figures.get("firefox")
    if argos is None or firefox is None:
        return Choice(FALLBACK_ENGINE, f"no published figures for both engines on {source}->{target}: "
                                       f"{FALLBACK_ENGINE}, the faster engine")
    if argos.comet is not None and firefox.comet is not None:
        a, f = argos.comet, firefox.comet
    else:
        a, f = argos.bleu or 0.0, firefox.bleu or 0.0
    winner = "argos" if a > f else "firefox"
    return Choice(winner, f"FLORES-101 devtest: {firefox.label()} vs {argos.label()}")
