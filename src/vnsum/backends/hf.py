"""The Hugging Face transformers backend: any seq2seq model with ``generate``."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

from .. import progress
from ..errors import ModelLoadError, UsageError
from .adapters import ADAPTERS, PlainAdapter, family_for
from .base import Decoding, Limits, LocalModel, Scored

DTYPES = ("auto", "float32", "float16", "bfloat16")


def pick_device(device: str) -> str:
    """Resolve ``auto`` to ``cuda`` when a GPU is visible, else ``cpu``."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise UsageError(f"--device {device} was asked for, but PyTorch sees no CUDA GPU on this machine.")
    if device != "cpu" and not device.startswith("cuda"):
        raise UsageError(f"unknown device {device!r}: use auto, cpu or cuda")
    return device


def pick_dtype(dtype: str, device: str):
    """float32 on CPU; on GPU bf16 where the card supports it, else fp16."""
    import torch

    if dtype not in DTYPES:
        raise UsageError(f"unknown dtype {dtype!r}: use one of {', '.join(DTYPES)}")
    if dtype == "auto":
        if device == "cpu":
            return torch.float32
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return getattr(torch, dtype)


class TransformersBackend(LocalModel):
    """A seq2seq model loaded once with ``AutoModelForSeq2SeqLM`` and reused."""

    def __init__(self, path: str | Path, *, family: str | None = None, device: str = "auto",
                 dtype: str = "auto", beam_size: int = 4, batch_size: int = 16,
                 max_input_tokens: int = 512, max_new_tokens: int | None = None, name: str | None = None):
        import torch
        from transformers import AutoConfig, AutoModelForSeq2SeqLM, AutoTokenizer

        self.name = name or str(path)
        self.device = pick_device(device)
        self.beam_size = beam_size
        self.batch_size = batch_size
        try:
            config = AutoConfig.from_pretrained(path)
            self.tokenizer = AutoTokenizer.from_pretrained(path)
            self.model = AutoModelForSeq2SeqLM.from_pretrained(
                path, dtype=pick_dtype(dtype, self.device)).to(self.device).eval()
        except Exception as exc:  # noqa: BLE001 - transformers raises many types for a bad folder
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            files = ", ".join(sorted(p.name for p in Path(path).iterdir())) if Path(path).is_dir() else "none"
            raise ModelLoadError(
                f"Could not load the model in {path}: {type(exc).__name__}: {first}\n"
                f"Files there: {files}. A complete folder has config.json, the weights and the "
                "tokenizer files (e.g. source.spm/target.spm/vocab.json for Marian)."
            ) from None
        self.adapter: PlainAdapter = ADAPTERS[family or family_for(config.model_type, self.tokenizer.get_vocab())]
        self.limits = Limits.of(config, max_input_tokens, max_new_tokens)
        self.max_input_tokens = self.limits.input_tokens
        self._torch = torch
        self.memory_key = self._memory_key(Path(path), str(self.model.dtype).removeprefix("torch."), beam_size)
        logging.getLogger(__name__).info("loaded %s on %s", self.name, self.device)

    def generate(self, sentences: Sequence[str], src: str, tgt: str, decoding: Decoding | None = None,
                 renderings: Sequence[Mapping[str, str]] | None = None) -> list[str]:
        """Translate in length-sorted batches (less padding) and return in input order
        (glossary terms arrive as placeholders: ``renderings`` are not needed)."""
        beams, extra = Decoding.apply(decoding, self.beam_size, self.adapter.prepare(self.tokenizer, src, tgt))
        texts = [self.adapter.source_text(s, src, tgt) for s in sentences]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        outputs: list[str] = [""] * len(texts)
        for b in range(0, len(order), self.batch_size):
            idx = order[b:b + self.batch_size]
            batch = self.tokenizer([texts[i] for i in idx], return_tensors="pt", padding=True,
                                   truncation=False).to(self.device)
            budget = self.limits.output_budget(batch["input_ids"].shape[1])
            with self._torch.inference_mode():
                generated = self.model.generate(
                    **batch, num_beams=beams, max_new_tokens=budget, output_scores=True, output_logits=True,
                    return_dict_in_generate=True, **extra)
            decoded = self.tokenizer.batch_decode(generated.sequences, skip_special_tokens=True)
            for i, text, score in zip(idx, decoded, self._scores(generated)):
                outputs[i] = Scored(self.adapter.target_text(text, tgt), score)
            progress.decoded(b + len(idx), len(order))
        return outputs

    def _scores(self, generated) -> list[float]:
        """Length-normalised log-probabilities: beam search's own ``sequences_scores``; for
        greedy search the mean log-probability of the chosen tokens under the raw logits
        (what follows the first end token left out), as CTranslate2 scores them."""
        if getattr(generated, "sequences_scores", None) is not None:
            return generated.sequences_scores.tolist()
        logits = self._torch.stack(generated.logits, dim=1).float()
        chosen = generated.sequences[:, -logits.shape[1]:]
        steps = logits.log_softmax(-1).gather(-1, chosen.unsqueeze(-1)).squeeze(-1)
        eos = self.model.generation_config.eos_token_id
        is_end = self._torch.isin(chosen, self._torch.tensor(eos if isinstance(eos, list) else [eos]))
        ended = is_end.int().cumsum(dim=1)
        real = (ended == 0) | ((ended == 1) & is_end)  # up to the first end token (padding is a token too)
        return ((steps * real).sum(dim=1) / real.sum(dim=1).clamp(min=1)).tolist()
