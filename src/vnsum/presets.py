"""Named models users can ask for by a short name. Facts: models/README.md."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Direction = tuple[str, str]


@dataclass(frozen=True)
class Preset:
    """A named model: which hub repository serves each direction, and its family.

    A ``bundled`` preset ships in the repository's ``models/`` (its "repos" name that
    folder) and is never downloaded. ``flores`` holds published FLORES-200 devtest BLEU
    per direction, by which ``--model auto`` ranks the presets present on a machine.
    ``auto_download`` marks the presets ``--model auto`` may download on first use:
    only those whose licence plainly allows any use, commercial included. ``note`` is the
    model's class from its card, for readers of its output (empty for a strong model).
    """

    name: str
    family: str  # a key of backends.adapters.ADAPTERS
    repos: dict[Direction, str]
    size: str
    licence: str
    commercial_use: bool
    task: str = "translation"
    bundled: bool = False
    flores: dict[Direction, float] = field(default_factory=dict)
    auto_download: bool = False
    note: str = ""  # what a reader of its output must know (shown above every result)

    def repo(self, src: str, tgt: str) -> str:
        return self.repos[(src, tgt)]

    @property
    def shared(self) -> bool:
        """True when one set of weights serves every direction."""
        return len(set(self.repos.values())) == 1

    def local_subdir(self, src: str, tgt: str) -> str:
        """Folder under ``models/`` for this direction: ``opus-mt/vi-en`` or ``envit5``."""
        return self.name if self.shared else f"{self.name}/{src}-{tgt}"


_BOTH = (("vi", "en"), ("en", "vi"))
DEMONSTRATION = "demonstration model: check every sentence"

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("opus-mt", "marian",
               {("vi", "en"): "Helsinki-NLP/opus-mt-vi-en", ("en", "vi"): "Helsinki-NLP/opus-mt-en-vi"},
               "~300 MB each", "Apache-2.0", True, flores={("vi", "en"): 25.3, ("en", "vi"): 33.0},
               auto_download=True),
        Preset("envit5", "t5-prefix", dict.fromkeys(_BOTH, "VietAI/envit5-translation"),
               "~1.1 GB", "OpenRAIL (variant unstated)", True, flores={("en", "vi"): 40.5}),
        Preset("nllb-600m", "nllb", dict.fromkeys(_BOTH, "facebook/nllb-200-distilled-600M"),
               "~2.5 GB", "CC-BY-NC 4.0", False, flores={("vi", "en"): 33.4, ("en", "vi"): 37.0}),
        # Trained by this project on two CPU cores; FLORES BLEU measured with beam 4 and the
        # glossary on, as their cards say. What --model auto falls back to: the better of
        # the two whose weights are here (by BUNDLED_MARGIN). vnsum-small: seven CPU sessions, level
        # with vnsum-mini (below it vi->en, 0.05 above it en->vi: a tie).
        Preset("vnsum-mini", "marian-tags", dict.fromkeys(_BOTH, "vnsum-mini"), "~16 MB",
               "research and demonstration only (its training data)", False, bundled=True,
               flores={("vi", "en"): 15.28, ("en", "vi"): 22.20}, note=DEMONSTRATION),
        Preset("vnsum-small", "marian-tags", dict.fromkeys(_BOTH, "vnsum-small"), "~39 MB",
               "research and demonstration only (its training data)", False, bundled=True,
               flores={("vi", "en"): 15.23, ("en", "vi"): 22.25}, note=DEMONSTRATION),
        # Summarizers: the "direction" is the language to language.
        Preset("vit5", "t5", {("vi", "vi"): "VietAI/vit5-base-vietnews-summarization"},
               "~0.9 GB", "MIT", True, task="summarization"),
        Preset("mt5-xlsum", "t5", dict.fromkeys((("vi", "vi"), ("en", "en")), "csebuetnlp/mT5_multilingual_XLSum"),
               "~2.3 GB", "CC-BY-NC-SA 4.0", False, task="summarization"),
        Preset("distilbart", "bart", {("en", "en"): "sshleifer/distilbart-cnn-12-6"},
               "~1.2 GB", "Apache-2.0", True, task="summarization"),
    )
}

AUTO = "auto"
DEFAULT_MODEL = AUTO
BUNDLED = "vnsum-mini"


def auto_candidates(src: str, tgt: str) -> list[Preset]:
    """Presets ``--model auto`` may choose for src->tgt, best first, the bundled ones last.

    Ranked by FLORES BLEU, published or (bundled models) measured by this project; a
    preset with no score for the direction comes after those with one. A non-commercial
    licence is never chosen silently: such a model runs only when named.
    """
    usable = [p for p in PRESETS.values() if p.task == "translation" and (src, tgt) in p.repos]

    def score(preset: Preset) -> float:
        return preset.flores.get((src, tgt), 0.0)

    def best_first(presets):
        return sorted(presets, key=score, reverse=True)

    return (best_first(p for p in usable if p.commercial_use and not p.bundled)
            + _bundled_first([p for p in usable if p.bundled], score))


# How much higher a bundled model's measured FLORES BLEU must be to run before the
# bundled model listed before it (the smaller, faster one): a smaller difference is within
# the noise of the 1,012 sentences of FLORES-200 devtest, and no reason to run slower.
BUNDLED_MARGIN = 0.5


def _bundled_first(presets: list[Preset], score: Callable[[Preset], float]) -> list[Preset]:
    """The bundled presets, the one auto runs first: the first listed unless another scores
    at least :data:`BUNDLED_MARGIN` higher."""
    best = presets[0] if presets else None
    for preset in presets[1:]:
        if score(preset) >= score(best) + BUNDLED_MARGIN:
            best = preset
    return [best, *(p for p in presets if p is not best)] if best else []
