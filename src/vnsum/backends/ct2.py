"""The CTranslate2 backend: the same models, converted once, decoded several times faster.

The Hugging Face folder is converted into ``<store>-ct2-<compute_type>/`` on first use
(int8 on CPU, int8_float16 on CUDA unless a dtype is asked for) and reused afterwards;
a stamp of the source files is kept with it, so replaced weights are converted again.
Tokenization, the family adapters and the output length rule are the transformers
backend's, so both engines see the same tokens and, in float32 with greedy search,
produce the same outputs. A Marian folder is read with sentencepiece alone
(:mod:`.marian_spm`), so a run that finds its conversion in place never imports
transformers or torch. CTranslate2 has no constrained decoding, which vnsum never
needs: terminology is enforced before and after the model.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import progress
from ..errors import ModelLoadError, UsageError
from ..memory import folder_digest
from .adapters import ADAPTERS, PlainAdapter, family_for
from .base import Decoding, Limits, LocalModel, Scored
from .marian_spm import read_marian

log = logging.getLogger(__name__)

# The compute type used when none is asked for: int8 weights are ~4x smaller and the
# fastest on CPU; on GPU int8 weights with float16 activations.
AUTO_COMPUTE_TYPES = {"cpu": "int8", "cuda": "int8_float16"}
_STAMP = "vnsum-source.json"
# Tokens per batch for each sentence of the translator's ``batch_size`` (16 -> 1024).
TOKENS_PER_SENTENCE = 64


class ConversionError(ModelLoadError):
    """The model cannot be served by CTranslate2 (conversion failed, or the compute type
    is not available on this device); ``--backend auto`` then falls back to transformers."""


def pick_device(device: str) -> tuple[str, int]:
    """``auto`` -> ``cuda`` when CTranslate2 sees a GPU, else ``cpu``; ``cuda:1`` -> index 1."""
    import ctranslate2

    gpus = ctranslate2.get_cuda_device_count()
    if device == "auto":
        return ("cuda" if gpus else "cpu"), 0
    kind, _, index = device.partition(":")
    if kind == "cuda" and not gpus:
        raise UsageError(f"--device {device} was asked for, but CTranslate2 sees no CUDA GPU on this machine.")
    if kind not in ("cpu", "cuda"):
        raise UsageError(f"unknown device {device!r}: use auto, cpu or cuda")
    return kind, int(index or 0)


def pick_compute_type(dtype: str, device: str) -> str:
    """The CTranslate2 compute type for a vnsum ``dtype`` on ``device``."""
    import ctranslate2

    compute_type = AUTO_COMPUTE_TYPES[device] if dtype == "auto" else dtype
    supported = ctranslate2.get_supported_compute_types(device)
    if compute_type not in supported:
        raise ConversionError(f"CTranslate2 cannot compute in {compute_type} on {device} here "
                              f"(supported: {', '.join(sorted(supported))})")
    return compute_type


def convert(source: Path, target: Path, compute_type: str) -> Path:
    """Convert the Hugging Face folder ``source`` into ``target`` unless it is already there.

    The conversion is written to a temporary folder next to ``target`` and renamed into
    place, so an interrupted run or a second process converting at the same time never
    leaves a half-written model that looks finished.
    """
    import ctranslate2

    stamp = {"source": str(source.resolve()), "files": folder_digest(source), "quantization": compute_type,
             "ctranslate2": ctranslate2.__version__}
    if _stamp_of(target) == stamp:
        return target
    from ctranslate2.converters import TransformersConverter  # imports transformers and torch: only to convert

    log.warning("vnsum: converting %s to CTranslate2 %s in %s (once)", source, compute_type, target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    except OSError as exc:
        raise ConversionError(f"cannot write the CTranslate2 model next to {target}: {exc}") from None
    try:
        TransformersConverter(str(source), low_cpu_mem_usage=True).convert(
            str(tmp), quantization=compute_type, force=True)
        (tmp / _STAMP).write_text(json.dumps(stamp, indent=1), encoding="utf-8")
        if target.exists() and _stamp_of(target) != stamp:
            shutil.rmtree(target)  # an older conversion of replaced weights
        try:
            os.rename(tmp, target)
        except OSError:
            if _stamp_of(target) != stamp:  # not another process finishing first: a real failure
                raise
    except Exception as exc:  # noqa: BLE001 - the converter raises many types for unsupported models
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise ConversionError(
            f"could not convert {source} to CTranslate2 ({compute_type}): {type(exc).__name__}: {first}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _stamp_of(folder: Path) -> dict | None:
    try:
        return json.loads((folder / _STAMP).read_text(encoding="utf-8")) if (folder / "model.bin").is_file() else None
    except (OSError, ValueError):
        return None


class CTranslate2Backend(LocalModel):
    """A seq2seq model converted once to CTranslate2 and decoded with ``translate_batch``.

    ``store`` is the path prefix of the converted folder (``models/opus-mt-vi-en`` gives
    ``models/opus-mt-vi-en-ct2-int8``); by default it sits next to the source folder.
    Batches are built by tokens (``batch_size`` sentences of ~64 tokens), sorted by
    length by CTranslate2 itself; ``beam_size=1`` is greedy search.
    """

    def __init__(self, path: str | Path, *, family: str | None = None, device: str = "auto",
                 dtype: str = "auto", beam_size: int = 4, batch_size: int = 16,
                 max_input_tokens: int = 512, max_new_tokens: int | None = None, name: str | None = None,
                 store: Path | None = None, threads: int = 0):
        try:
            import ctranslate2
        except ImportError:
            raise UsageError("--backend ct2 needs the ctranslate2 package: pip install 'vnsum[fast]'") from None
        path = Path(path)
        self.device, index = pick_device(device)
        self.compute_type = pick_compute_type(dtype, self.device)
        self.beam_size = beam_size
        self.batch_tokens = batch_size * TOKENS_PER_SENTENCE
        self.name = f"{name or path} [ct2 {self.compute_type}]"
        try:
            config, self.tokenizer, generation = read_marian(path) or _read_with_transformers(path)
        except Exception as exc:  # noqa: BLE001 - transformers raises many types for a bad folder
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise ModelLoadError(f"Could not load the tokenizer or config in {path}: "
                                 f"{type(exc).__name__}: {first}") from None
        self.path = convert(path, Path(f"{store or path}-ct2-{self.compute_type}"), self.compute_type)
        self.translator = ctranslate2.Translator(
            str(self.path), device=self.device, device_index=index, compute_type=self.compute_type,
            intra_threads=threads)
        self.adapter: PlainAdapter = ADAPTERS[family or family_for(config.model_type, self.tokenizer.get_vocab())]
        self.limits = Limits.of(config, max_input_tokens, max_new_tokens)
        self.max_input_tokens = self.limits.input_tokens
        # Passed to translate_batch as they are: the model's own settings, open to overrides.
        self.options = {"min_decoding_length": 0, **_decoding_options(generation, self.tokenizer)}
        # transformers forces EOS as the last of max_new_tokens; here that slot is left unused.
        self._reserved = 1 if generation.forced_eos_token_id is not None else 0
        self.memory_key = self._memory_key(path, self.compute_type, beam_size)
        log.info("loaded %s from %s on %s", self.name, self.path, self.device)

    def generate(self, sentences: Sequence[str], src: str, tgt: str, decoding: Decoding | None = None,
                 renderings: Sequence[Mapping[str, str]] | None = None) -> list[str]:
        """Translate in batches by tokens (glossary terms arrive as placeholders:
        ``renderings`` are not needed)."""
        if not sentences:
            return []
        beams, options = Decoding.apply(decoding, self.beam_size, self.options)
        extra = self.adapter.prepare(self.tokenizer, src, tgt)
        texts = [self.adapter.source_text(s, src, tgt) for s in sentences]
        tokens = [self.tokenizer.convert_ids_to_tokens(ids) for ids in self.tokenizer(texts).input_ids]
        forced = extra.get("forced_bos_token_id")
        prefix = [self.tokenizer.convert_ids_to_tokens(forced)] if forced is not None else None
        if extra.get("suppress_tokens"):  # transformers' name; CTranslate2 takes sequences
            options = options | {"suppress_sequences": [
                *options.get("suppress_sequences", ()),
                *([t] for t in self.tokenizer.convert_ids_to_tokens(extra["suppress_tokens"]))]}
        budget = self.limits.output_budget(max(len(t) for t in tokens))
        results: list[Any] = [None] * len(tokens)
        done_inputs = 0
        for idx in self._steps(tokens):
            done = self.translator.translate_batch(
                [tokens[i] for i in idx], [prefix] * len(idx) if prefix else None, max_batch_size=self.batch_tokens,
                batch_type="tokens", beam_size=beams, max_input_length=0,
                max_decoding_length=budget - self._reserved, return_scores=True, **options)
            for i, r in zip(idx, done):
                results[i] = r
            done_inputs += len(idx)
            progress.decoded(done_inputs, len(tokens))
        # CTranslate2 divides the scores by the output length to the model's length_penalty
        # (1 unless its generation config says otherwise), greedy and beam search alike: the
        # scale of transformers' sequences_scores.
        return [Scored(self.adapter.target_text(self.tokenizer.decode(
            self.tokenizer.convert_tokens_to_ids(r.hypotheses[0]), skip_special_tokens=True), tgt), r.scores[0])
            for r in results]

    def _steps(self, tokens: list[list[str]]) -> list[list[int]]:
        """The inputs' indices in one call, or, while a reader watches the progress
        (:mod:`vnsum.progress`), longest first in calls of about one token batch each
        (CTranslate2 sorts by length within a call: the batches stay as alike)."""
        if not progress.watched():
            return [list(range(len(tokens)))]
        order = sorted(range(len(tokens)), key=lambda i: len(tokens[i]), reverse=True)
        size = max(1, self.batch_tokens // TOKENS_PER_SENTENCE)
        return [order[start:start + size] for start in range(0, len(order), size)]


def _read_with_transformers(path: Path) -> tuple[Any, Any, Any]:
    """(config, tokenizer, generation config) of any folder transformers can read."""
    from transformers import AutoConfig, AutoTokenizer

    config = AutoConfig.from_pretrained(path)
    return config, AutoTokenizer.from_pretrained(path), _generation_config(config, path)


def _generation_config(config, path: Path):
    """The model's generation defaults, as transformers' ``generate`` would read them."""
    from transformers import GenerationConfig

    try:
        return GenerationConfig.from_pretrained(path)
    except OSError:  # no generation_config.json: derived from config.json
        return GenerationConfig.from_model_config(config)


def _decoding_options(generation, tokenizer) -> dict[str, Any]:
    """The model's own decoding settings that CTranslate2 can apply the same way."""
    options: dict[str, Any] = {
        "length_penalty": generation.length_penalty if generation.length_penalty is not None else 1.0,
        "repetition_penalty": generation.repetition_penalty or 1.0,
        "no_repeat_ngram_size": generation.no_repeat_ngram_size or 0,
    }
    # opus-mt bans <pad>, which the converter leaves out of CTranslate2's vocabulary (it
    # can never be emitted there): a sequence naming it would be refused, so it is dropped.
    sequences = [tokenizer.convert_ids_to_tokens(ids) for ids in generation.bad_words_ids or ()]
    sequences = [seq for seq in sequences if tokenizer.pad_token not in seq]
    if sequences:
        options["suppress_sequences"] = sequences
    return options
