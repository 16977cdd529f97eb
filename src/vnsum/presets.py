"""Named models users can ask for by a short name. Facts: models/README.md."""

from __future__ import annotations

from dataclasses import dataclass

Direction = tuple[str, str]


@dataclass(frozen=True)
class Preset:
    """A named model: which hub repository serves each direction, and its family."""

    name: str
    family: str  # a key of backends.adapters.ADAPTERS
    repos: dict[Direction, str]
    size: str
    licence: str
    commercial_use: bool
    task: str = "translation"

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

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("opus-mt", "marian",
               {("vi", "en"): "Helsinki-NLP/opus-mt-vi-en", ("en", "vi"): "Helsinki-NLP/opus-mt-en-vi"},
               "~300 MB each", "Apache-2.0", True),
        Preset("envit5", "t5-prefix", dict.fromkeys(_BOTH, "VietAI/envit5-translation"),
               "~1.1 GB", "OpenRAIL (variant unstated)", True),
        Preset("nllb-600m", "nllb", dict.fromkeys(_BOTH, "facebook/nllb-200-distilled-600M"),
               "~2.5 GB", "CC-BY-NC 4.0", False),
        # Summarizers: the "direction" is the language to language.
        Preset("vit5", "t5", {("vi", "vi"): "VietAI/vit5-base-vietnews-summarization"},
               "~0.9 GB", "MIT", True, task="summarization"),
        Preset("mt5-xlsum", "t5", dict.fromkeys((("vi", "vi"), ("en", "en")), "csebuetnlp/mT5_multilingual_XLSum"),
               "~2.3 GB", "CC-BY-NC-SA 4.0", False, task="summarization"),
        Preset("distilbart", "bart", {("en", "en"): "sshleifer/distilbart-cnn-12-6"},
               "~1.2 GB", "Apache-2.0", True, task="summarization"),
    )
}

DEFAULT_MODEL = "opus-mt"
