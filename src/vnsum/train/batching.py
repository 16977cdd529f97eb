"""Token ids and batches: examples encoded once, grouped by length, padded per batch.

Batches are bounded by tokens, not sentences (padded source plus target tokens), so a
batch of short sentences holds many and a batch of long ones few, and sorting by length
keeps padding small. The order of batches is shuffled per epoch from (seed, epoch), so
a resumed run sees exactly the batches an uninterrupted one would.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .data import Example


@dataclass
class Encoded:
    """Token ids of examples (special tokens included) and each example's target language."""

    source: list[list[int]]
    target: list[list[int]]
    tgt: list[str]

    def __len__(self) -> int:
        return len(self.source)

    def subset(self, keep: Sequence[int]) -> Encoded:
        return Encoded([self.source[i] for i in keep], [self.target[i] for i in keep], [self.tgt[i] for i in keep])


def encode(examples: Sequence[Example], tokenizer: Any, adapter: Any) -> Encoded:
    """Tokenize sources (through the model's adapter, as at inference) and targets."""
    sources = [adapter.source_text(e.source, e.src, e.tgt) for e in examples]
    targets = [e.target for e in examples]
    if not examples:
        return Encoded([], [], [])
    if type(tokenizer).__name__ == "MarianTokenizer" and not tokenizer.separate_vocabs:
        return Encoded(marian_ids(tokenizer, sources), marian_ids(tokenizer, targets), [e.tgt for e in examples])
    return Encoded(list(tokenizer(sources)["input_ids"]), list(tokenizer(text_target=targets)["input_ids"]),
                   [e.tgt for e in examples])


def marian_ids(tokenizer: Any, texts: Sequence[str]) -> list[list[int]]:
    """What a shared-vocabulary MarianTokenizer gives, with SentencePiece run once, threaded.

    MarianTokenizer encodes one text at a time in Python, minutes for a corpus; this does
    what it does (a leading ``>>xx<<`` tag kept as one token, SentencePiece pieces looked
    up in vocab.json, ``</s>`` appended). Texts that spell out a special token such as
    ``<unk>`` go through the tokenizer itself, which treats those specially.
    """
    import os

    sp, encoder = tokenizer.spm_source, tokenizer.encoder
    unk = encoder[str(tokenizer.unk_token)]
    to_vocab = [encoder.get(sp.id_to_piece(i), unk) for i in range(sp.get_piece_size())]
    same = to_vocab == list(range(len(to_vocab)))  # vocab.json in SentencePiece order (vocab.py)
    split = [tokenizer.remove_language_code(t) for t in texts]
    pieces = sp.encode([body for _, body in split], out_type=int, num_threads=os.cpu_count() or 1)
    ids = [[encoder.get(c, unk) for c in code] + (ps if same else [to_vocab[p] for p in ps]) + [tokenizer.eos_token_id]
           for (code, _), ps in zip(split, pieces)]
    special = tuple(tokenizer.added_tokens_encoder)
    for i, text in enumerate(texts):
        if any(s in text for s in special):
            ids[i] = tokenizer(text)["input_ids"]
    return ids


def within(encoded: Encoded, max_tokens: int) -> tuple[Encoded, int]:
    """The examples whose source and target fit ``max_tokens``, and how many did not."""
    keep = [i for i in range(len(encoded)) if max(len(encoded.source[i]), len(encoded.target[i])) <= max_tokens]
    return encoded.subset(keep), len(encoded) - len(keep)


def token_batches(encoded: Encoded, max_tokens: int, rng: random.Random | None = None) -> list[list[int]]:
    """Indices grouped into batches of at most ``max_tokens`` padded tokens.

    With ``rng``, equal lengths are ordered at random and the batches shuffled (training);
    without, the order is fixed (evaluation).
    """
    noise = (lambda: rng.random()) if rng else (lambda: 0.0)
    order = sorted(range(len(encoded)),
                   key=lambda i: (len(encoded.source[i]) + len(encoded.target[i]), noise()))
    batches: list[list[int]] = []
    batch: list[int] = []
    width_src = width_tgt = 0
    for i in order:
        src, tgt = max(width_src, len(encoded.source[i])), max(width_tgt, len(encoded.target[i]))
        if batch and (len(batch) + 1) * (src + tgt) > max_tokens:
            batches.append(batch)
            batch = []
            src, tgt = len(encoded.source[i]), len(encoded.target[i])
        batch.append(i)
        width_src, width_tgt = src, tgt
    if batch:
        batches.append(batch)
    if rng:
        rng.shuffle(batches)
    return batches


def collate(encoded: Encoded, indices: Sequence[int], pad_id: int, start_id: int, device: str,
            sources: Sequence[list[int]] | None = None) -> dict[str, Any]:
    """Padded tensors for one batch (and its target token count, known without a GPU sync);
    ``sources`` replaces the batch's own sources if given."""
    import torch

    src = list(sources) if sources is not None else [encoded.source[i] for i in indices]
    tgt = [encoded.target[i] for i in indices]

    def pad(rows: list[list[int]], value: int) -> torch.Tensor:
        width = max(map(len, rows))
        return torch.tensor([r + [value] * (width - len(r)) for r in rows], dtype=torch.long)

    input_ids = pad(src, pad_id)
    return {
        "input_ids": input_ids.to(device),
        "attention_mask": (input_ids != pad_id).long().to(device),
        "decoder_input_ids": pad([[start_id] + t[:-1] for t in tgt], pad_id).to(device),
        "labels": pad(tgt, -100).to(device),
        "target_tokens": sum(map(len, tgt)),
    }
