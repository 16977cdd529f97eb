"""A joint SentencePiece vocabulary for both languages, saved the way OPUS-MT models are.

One vocabulary serves source and target, so the encoder and decoder share embeddings
and placeholders and names can be copied token for token. Target-language tags and
the enforcer's placeholders are single tokens. The folder gets ``source.spm`` and
``target.spm`` (the same model), ``vocab.json`` (SentencePiece ids, then ``<pad>``)
and the MarianTokenizer config, so it loads with ``AutoTokenizer`` like any Marian model.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Sequence
from pathlib import Path

from ..enforce import PLACEHOLDER
from .config import VocabConfig
from .tags import SYNTHETIC, TAGS

SPM_FILES = ("source.spm", "target.spm", "vocab.json")


def special_symbols(config: VocabConfig, tags: bool) -> list[str]:
    """Pieces that must stay whole: target tags (when used), the synthetic-source tag
    (when asked for) and ``ZZ0``…"""
    return [*(TAGS.values() if tags else ()), *([SYNTHETIC] if config.synthetic_tag else ()),
            *(PLACEHOLDER.format(i) for i in range(config.placeholders))]


def train_vocab(texts: Sequence[str], folder: Path, config: VocabConfig, *, tags: bool, seed: int):
    """Train the SentencePiece model on ``texts`` and write a MarianTokenizer into ``folder``."""
    import sentencepiece as spm

    folder.mkdir(parents=True, exist_ok=True)
    sample = list(texts)
    if len(sample) > config.sample_sentences:
        sample = random.Random(seed).sample(sample, config.sample_sentences)
    prefix = folder / "spm-joint"
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sample), model_prefix=str(prefix), vocab_size=config.size,
        model_type=config.model_type, character_coverage=config.character_coverage,
        user_defined_symbols=special_symbols(config, tags), unk_id=1, eos_id=0, bos_id=-1, pad_id=-1,
        hard_vocab_limit=False, num_threads=os.cpu_count() or 1, minloglevel=2)
    tokenizer = marian_tokenizer(folder, prefix.with_suffix(".model"))
    prefix.with_suffix(".model").unlink()
    prefix.with_suffix(".vocab").unlink()
    return tokenizer


def marian_tokenizer(folder: Path, spm_model: Path):
    """Lay out a MarianTokenizer as OPUS-MT ships one (source.spm, target.spm, vocab.json
    with ``<pad>`` last) from one joint SentencePiece model, save it and return it."""
    import sentencepiece as spm
    from transformers import MarianTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    for name in ("source.spm", "target.spm"):
        shutil.copy(spm_model, folder / name)
    sp = spm.SentencePieceProcessor(model_file=str(spm_model))
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer(str(folder / "source.spm"), str(folder / "target.spm"), str(folder / "vocab.json"))
    tokenizer.save_pretrained(folder)
    return tokenizer
