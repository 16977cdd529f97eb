"""Training configurations: one TOML file in ``models/`` says everything a run needs.

Sections map to the dataclasses below, one per concern. Unknown keys and wrong types
are errors that name the file and the key, because a typo in a training config
otherwise costs a whole run. Relative data paths are read from the current directory;
``~`` is the user's home (back-translations live in ``~/.cache/vnsum/bt/``).
A config may start from another with ``extends = "other.toml"`` (beside it) and change
only some keys: a continuation run then cannot drift from the recipe it continues.
"""

from __future__ import annotations

import dataclasses
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..glossary import LANGS


@dataclass(frozen=True)
class Corpus:
    """Line-aligned ``src``/``tgt`` files, or one ``tsv`` file (source column first).

    ``synthetic`` names the language of a machine-made side (back-translations from
    ``vnsum backtranslate``): such a corpus trains only the direction from that side,
    its sources tagged (data.py), unless ``synthetic_targets`` also trains towards it
    (forward translation).
    """

    src: Path | None = None
    tgt: Path | None = None
    tsv: Path | None = None
    synthetic: str | None = None
    synthetic_targets: bool = False

    def __post_init__(self) -> None:
        if self.synthetic is not None:
            _choice("synthetic", self.synthetic, LANGS)
        if self.synthetic_targets and self.synthetic is None:
            raise UsageError("synthetic_targets needs synthetic = the language of the machine-made side")
        pair = self.src is not None and self.tgt is not None
        if pair == (self.tsv is not None) or (not pair and (self.src or self.tgt)):
            raise UsageError("a corpus is either src and tgt files or one tsv file: "
                             f"got src={self.src}, tgt={self.tgt}, tsv={self.tsv}")


@dataclass(frozen=True)
class DataConfig:
    src_lang: str = "vi"
    tgt_lang: str = "en"
    directions: str = "both"  # "both" (one model, target tags) or "forward" (src_lang -> tgt_lang)
    train: tuple[Corpus, ...] = ()
    valid: Corpus | None = None
    glossary: str | None = None  # bundled name or TSV path; its pairs are mixed in
    glossary_repeat: int = 1  # how many times each glossary pair is added
    placeholder_share: float = 0.0  # share of maskable examples that also get a placeholder copy
    max_tokens: int = 128  # longer training examples (source or target) are left out
    valid_max: int = 2000  # validation examples used per evaluation (first N)
    survival_max: int = 300  # held-out masked sentences translated to measure placeholder survival

    def __post_init__(self) -> None:
        _choice("directions", self.directions, ("both", "forward"))
        _choice("src_lang", self.src_lang, LANGS)
        _choice("tgt_lang", self.tgt_lang, LANGS)
        if self.src_lang == self.tgt_lang:
            raise UsageError(f"src_lang and tgt_lang are both {self.src_lang!r}")


@dataclass(frozen=True)
class VocabConfig:
    """Joint SentencePiece vocabulary for a model trained from scratch."""

    size: int = 8000
    model_type: str = "unigram"
    character_coverage: float = 1.0
    sample_sentences: int = 1_000_000
    placeholders: int = 32  # ZZ0 … ZZ31 become single tokens
    synthetic_tag: bool = False  # a piece for tags.SYNTHETIC, to train on tagged back-translations


@dataclass(frozen=True)
class ModelConfig:
    """A Marian transformer from scratch, or ``init_from`` a Hugging Face seq2seq folder."""

    init_from: str | None = None
    architecture: str = "pegasus"  # "pegasus" (pre-norm) or "marian" (post-norm, as OPUS-MT): see model.py
    d_model: int = 512
    encoder_layers: int = 6
    decoder_layers: int = 6
    attention_heads: int = 8
    ffn_dim: int = 2048
    dropout: float = 0.1
    attention_dropout: float = 0.0
    max_positions: int = 512
    attention: str = "sdpa"  # "sdpa" or "eager" (slower, a reference when GPU kernels are in doubt)
    cudnn_sdpa: bool = False  # cuDNN's attention kernel on GPU; off by default (see models/vnsum-mini.md)

    def __post_init__(self) -> None:
        _choice("attention", self.attention, ("sdpa", "eager"))
        _choice("architecture", self.architecture, ("pegasus", "marian"))


@dataclass(frozen=True)
class BatchConfig:
    tokens: int = 8000  # padded source + target tokens per batch
    eval_tokens: int = 16000


@dataclass(frozen=True)
class OptimConfig:
    lr: float = 7e-4
    betas: tuple[float, float] = (0.9, 0.98)
    weight_decay: float = 0.0
    clip_norm: float = 1.0
    label_smoothing: float = 0.1
    warmup_steps: int = 4000
    schedule: str = "inverse_sqrt"  # a key of schedule.SCHEDULES

    def __post_init__(self) -> None:
        from .schedule import SCHEDULES

        _choice("schedule", self.schedule, tuple(SCHEDULES))


@dataclass(frozen=True)
class RunConfig:
    max_steps: int = 100_000
    time_budget: float = 0.0  # seconds of training, 0 for none
    eval_every: int = 1000
    patience: int = 10  # evaluations without a better validation loss before stopping
    seed: int = 1
    precision: str = "auto"  # auto (bf16 autocast on GPU, fp32 on CPU), fp32 or bf16
    log_every: int = 20

    def __post_init__(self) -> None:
        _choice("precision", self.precision, ("auto", "fp32", "bf16"))


@dataclass(frozen=True)
class CheckConfig:
    """The built-in sanity check: does the model read its source at all?"""

    min_gap: float = 0.3  # nats per token by which shuffled-source loss must exceed true-source loss
    after_steps: int = 2000  # the step by which the gap must reach min_gap (it rises linearly until then)


@dataclass(frozen=True)
class ExportConfig:
    dtype: str = "float32"  # float32, float16 or bfloat16: the weights of the saved folder
    shard_mb: int = 0  # split the weights into files under this many MB (0: one file)
    average: int = 0  # export the mean of the last N evaluations' weights when it validates better (averaging.py)

    def __post_init__(self) -> None:
        _choice("dtype", self.dtype, ("float32", "float16", "bfloat16"))
        if self.average < 0:
            raise UsageError(f"average = {self.average}: give the number of evaluations to average (0 for none)")


@dataclass(frozen=True)
class TrainConfig:
    data: DataConfig = field(default_factory=DataConfig)
    vocab: VocabConfig = field(default_factory=VocabConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    batch: BatchConfig = field(default_factory=BatchConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    run: RunConfig = field(default_factory=RunConfig)
    check: CheckConfig = field(default_factory=CheckConfig)
    export: ExportConfig = field(default_factory=ExportConfig)

    @classmethod
    def load(cls, path: str | Path) -> TrainConfig:
        path = Path(path)
        table = _read_table(path)
        sections = {f.name: f for f in dataclasses.fields(cls)}
        unknown = set(table) - set(sections)
        if unknown:
            raise UsageError(f"{path}: unknown section(s) {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(sections)}")
        built = {name: _build(f.type, table.get(name, {}), f"{path} [{name}]") for name, f in sections.items()}
        return cls(**built)

    def replace(self, section: str, **changes) -> TrainConfig:
        """A copy with some keys of one section changed (command-line overrides)."""
        return dataclasses.replace(self, **{section: dataclasses.replace(getattr(self, section), **changes)})

    def model_signature(self) -> dict:
        """What must not change when a run is resumed: vocabulary, model and directions."""
        return {"vocab": dataclasses.asdict(self.vocab), "model": dataclasses.asdict(self.model),
                "directions": self.data.directions, "langs": [self.data.src_lang, self.data.tgt_lang]}


_SECTION_TYPES = {c.__name__: c for c in (DataConfig, VocabConfig, ModelConfig, BatchConfig, OptimConfig,
                                           RunConfig, CheckConfig, ExportConfig, Corpus)}


def _read_table(path: Path, seen: tuple[Path, ...] = ()) -> dict:
    """The TOML table of ``path``, merged over the config it ``extends`` (key by key)."""
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no training config at {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    base = table.pop("extends", None)
    if base is None:
        return table
    if not isinstance(base, str):
        raise UsageError(f"{path}: extends must be a file name, got {base!r}")
    base_path = (path.parent / base).resolve()
    if base_path in seen or base_path == path.resolve():
        raise UsageError(f"{path}: extends {base} in a loop")
    merged = _read_table(base_path, (*seen, path.resolve()))
    for name, section in table.items():
        if isinstance(section, dict) and isinstance(merged.get(name), dict):
            merged[name] = {**merged[name], **section}
        else:
            merged[name] = section
    return merged


def _build(type_name: str, table: dict, where: str):
    """Instantiate the dataclass named ``type_name`` from a TOML table, checking every key."""
    cls = _SECTION_TYPES[type_name]
    hints = typing.get_type_hints(cls)
    unknown = set(table) - set(hints)
    if unknown:
        raise UsageError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(hints)}")
    values = {key: _value(hints[key], value, f"{where} {key}") for key, value in table.items()}
    try:
        return cls(**values)
    except UsageError as exc:
        raise UsageError(f"{where}: {exc}") from None


def _choice(key: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise UsageError(f"{key} = {value!r} is not one of {', '.join(choices)}")


def _value(hint, value, where: str):
    """Convert one TOML value to the field's type, or say which key is wrong."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if value is None:
        return None
    if hint is Path or Path in args:
        return Path(value).expanduser()
    if typing.get_origin(hint) is tuple:
        inner = args[0]
        if dataclasses.is_dataclass(inner):
            return tuple(_build(inner.__name__, v, where) for v in value)
        return tuple(_value(inner, v, where) for v in value)
    if args and dataclasses.is_dataclass(args[0]):
        return _build(args[0].__name__, value, where)
    expected = args[0] if args else hint
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise UsageError(f"{where}: expected {expected.__name__}, got {value!r}")
    return value
