"""What a model in training is measured by: loss, the source check, decoding.

The source check is the one that matters most. A decoder is a language model of the
target; if it learns to ignore the encoder it still reaches a decent loss while
answering every input with the same sentence. So every evaluation computes the
validation loss twice: with the true sources, and with each source swapped for
another of the same target language (the target tag stays right, so the tag alone
cannot explain a gap). A model that reads its source does much worse on the swapped
ones; when the two losses meet, training stops and says why.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..backends.hf import TransformersBackend
from ..errors import VnsumError
from .batching import Encoded, collate


class SourceIgnoredError(VnsumError):
    """The model's loss no longer depends on its source: it has become a language model."""


class KernelError(VnsumError):
    """An attention kernel on this device disagrees with the reference computation."""


@dataclass(frozen=True)
class ValidLoss:
    """Mean validation loss per target token (nats), with true and with swapped sources."""

    true: float
    shuffled: float
    tokens: int

    @property
    def gap(self) -> float:
        return self.shuffled - self.true


def autocast(device: str, precision: str):
    """bf16 autocast on GPU (``auto``) or when asked (``bf16``); fp32 otherwise."""
    import torch

    kind = "cuda" if device.startswith("cuda") else "cpu"
    if precision == "bf16" or (precision == "auto" and kind == "cuda"):
        return torch.autocast(kind, dtype=torch.bfloat16)
    return contextlib.nullcontext()


def batch_loss(model: Any, batch: dict, smoothing: float, precision) -> tuple[Any, int]:
    """Summed token cross-entropy of a batch (label-smoothed if asked) and its token count."""
    import torch

    labels = batch["labels"]
    with precision:
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                       decoder_input_ids=batch["decoder_input_ids"]).logits
    loss = torch.nn.functional.cross_entropy(logits.float().flatten(0, 1), labels.flatten(), ignore_index=-100,
                                             label_smoothing=smoothing, reduction="sum")
    return loss, batch["target_tokens"]


def swap_within_language(tgt_langs: Sequence[str], seed: int) -> list[int]:
    """For each example, another example with the same target language (a fixed derangement)."""
    rng = random.Random(seed)
    perm = list(range(len(tgt_langs)))
    for lang in set(tgt_langs):
        members = [i for i, t in enumerate(tgt_langs) if t == lang]
        shuffled = members[:]
        rng.shuffle(shuffled)
        for k, i in enumerate(shuffled):
            perm[i] = shuffled[(k + 1) % len(shuffled)]
    return perm


def validation_loss(model: Any, encoded: Encoded, batches: list[list[int]], swap: list[int], *,
                    pad_id: int, start_id: int, device: str, precision: str) -> ValidLoss:
    """Loss with the true sources and with every source replaced by ``encoded.source[swap[i]]``."""
    import torch

    was_training = model.training
    model.eval()
    totals = {"true": 0.0, "shuffled": 0.0}
    tokens = 0
    with torch.no_grad():
        for idx in batches:
            for name, sources in (("true", None), ("shuffled", [encoded.source[swap[i]] for i in idx])):
                batch = collate(encoded, idx, pad_id, start_id, device, sources)
                loss, n = batch_loss(model, batch, 0.0, autocast(device, precision))
                totals[name] += float(loss)
            tokens += n
    model.train(was_training)
    return ValidLoss(totals["true"] / max(tokens, 1), totals["shuffled"] / max(tokens, 1), tokens)


def required_gap(step: int, min_gap: float, after_steps: int) -> float:
    """The source gap a healthy run has by ``step``: none in the first quarter of
    ``after_steps``, then rising linearly to ``min_gap`` at ``after_steps``.

    Checked at every evaluation, so a collapse (gap 0.000: the encoder's output the same
    for every sentence) stops a CPU run within minutes, not after an hour, while a model
    that is just beginning to read its source (gap +0.07 at step 250, +0.13 at 500 and
    +0.33 at 750 for vnsum-mini, whose check reaches 0.3 at step 1,500) goes on.
    """
    start = after_steps / 4
    return min_gap * min(1.0, max(0.0, (step - start) / max(after_steps - start, 1)))


def check_source_used(valid: ValidLoss, step: int, min_gap: float, after_steps: int) -> None:
    """Stop the run if swapped sources cost the model less than :func:`required_gap`."""
    needed = required_gap(step, min_gap, after_steps)
    if needed > 0 and valid.gap < needed:
        raise SourceIgnoredError(
            f"step {step}: validation loss is {valid.true:.3f} with the true sources and {valid.shuffled:.3f} "
            f"with swapped ones (gap {valid.gap:.3f} < {needed:.3f} needed by now): the model is ignoring its source and has "
            "become a language model of the target. Training stopped. Things to try: [model] attention = "
            "\"eager\" (or keep cudnn_sdpa = false on GPU), a lower [optim] lr or longer warmup_steps, "
            "and check that the source and target files are aligned line by line.")


def check_attention_kernel(device: str, precision: str, tolerance: float = 0.05) -> float:
    """Compare masked scaled-dot-product attention (and its gradients) with an fp32 reference.

    Runs the kernel PyTorch picks on this device for padded batches, as the encoder and
    the cross-attention use it; returns the largest relative error, raises above ``tolerance``.
    """
    import torch

    gen = torch.Generator().manual_seed(0)
    shape = (4, 8, 29, 64)
    q, k, v = (torch.randn(shape, generator=gen) for _ in range(3))
    lengths = torch.tensor([29, 17, 5, 23])
    mask = (torch.arange(29)[None, :] < lengths[:, None])[:, None, None, :].expand(4, 1, 29, 29)
    grad_out = torch.randn(shape, generator=gen)

    def run(tensors, kernel):
        leaves = [t.detach().clone().requires_grad_(True) for t in tensors]
        out = kernel(*leaves)
        (out.float() * grad_out.to(out.device)).sum().backward()
        return [out.detach().float().cpu(), *(t.grad.float().cpu() for t in leaves)]

    def reference(q, k, v):
        scores = (q @ k.transpose(-1, -2)) / q.shape[-1] ** 0.5
        return scores.masked_fill(~mask, float("-inf")).softmax(-1) @ v

    def device_kernel(q, k, v):
        with autocast(device, precision):
            return torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask.to(device))

    expected = run((q, k, v), reference)
    got = run([t.to(device) for t in (q, k, v)], device_kernel)
    error = max(float((g - e).abs().max() / e.abs().max()) for g, e in zip(got, expected))
    if error > tolerance:
        raise KernelError(
            f"masked attention on {device} ({precision}) differs from the fp32 reference by {error:.3f} "
            f"(relative, tolerance {tolerance}). Set [model] attention = \"eager\" in the config.")
    return error


def trained_backend(folder: str | Path, *, device: str = "auto", beam_size: int = 4,
                    batch_size: int = 32) -> TransformersBackend:
    """A backend for a model folder; its vocabulary's target tags pick the tag adapter."""
    return TransformersBackend(folder, device=device, beam_size=beam_size, batch_size=batch_size)
