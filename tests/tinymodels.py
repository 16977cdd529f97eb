"""Tiny seq2seq models of the real families, generated on the fly for offline tests.

Each has a real SentencePiece model trained here and the same tokenizer class as the
real preset (MarianTokenizer, T5Tokenizer, NllbTokenizer), so it goes through exactly
the loading code a real model does. Their weights are random: what they output is
not a translation, and no test treats it as one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import sentencepiece as spm

CORPUS = """\
Bộ Công an tổ chức hội nghị tổng kết công tác năm 2025 tại Hà Nội.
Đại tướng Lương Tam Quang phát biểu chỉ đạo hội nghị.
Thứ trưởng Bộ Công an dự lễ ký kết chương trình phối hợp.
Ban Dân vận Trung ương và Bộ Công an ký kết chương trình phối hợp giai đoạn 2026 – 2030.
The Ministry of Public Security held a conference in Ha Noi on 20 January 2026.
General Luong Tam Quang chaired the meeting and delivered a speech.
The Deputy Minister attended the signing ceremony of the coordination programme.
ZZ0 ZZ1 ZZ2 ZZ3 ZZ4 ZZ5 ZZ6 ZZ7 ZZ8 ZZ9 0123456789 / - : ; , . “ ” ( )
abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ
"""


def _train(folder: Path, name: str, vocab_size: int, **ids) -> Path:
    corpus = folder / "corpus.txt"
    corpus.write_text(CORPUS * 20, encoding="utf-8")
    prefix = folder / name
    spm.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(prefix), vocab_size=vocab_size, character_coverage=1.0,
        hard_vocab_limit=False, minloglevel=2, **ids)
    corpus.unlink()
    (folder / f"{name}.vocab").unlink()
    return prefix.with_suffix(".model")


def _small(**extra) -> dict:
    return dict(d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
                decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32,
                max_position_embeddings=64, **extra)


def make_marian(folder: Path) -> Path:
    """A Marian model laid out like Helsinki-NLP/opus-mt-*: source.spm, target.spm, vocab.json."""
    from transformers import MarianConfig, MarianMTModel

    from vnsum.train.vocab import marian_tokenizer

    folder.mkdir(parents=True, exist_ok=True)
    model_file = _train(folder, "sp", 200, unk_id=1, eos_id=0, pad_id=-1, bos_id=-1)
    vocab = marian_tokenizer(folder, model_file).get_vocab()
    model_file.unlink()
    config = MarianConfig(vocab_size=len(vocab), pad_token_id=vocab["<pad>"], eos_token_id=0,
                          decoder_start_token_id=vocab["<pad>"], **_small())
    model = MarianMTModel(config)
    model.generation_config.bad_words_ids = [[vocab["<pad>"]]]  # as in Helsinki-NLP/opus-mt-*
    model.save_pretrained(folder)
    return folder


def make_t5(folder: Path) -> Path:
    """A T5 model like VietAI/envit5-translation: spiece.model, pad=0, eos=1, unk=2."""
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer

    folder.mkdir(parents=True, exist_ok=True)
    shutil.move(_train(folder, "sp", 200, pad_id=0, eos_id=1, unk_id=2, bos_id=-1), folder / "spiece.model")
    tok = T5Tokenizer.from_pretrained(folder, extra_ids=0)
    tok.save_pretrained(folder)
    config = T5Config(vocab_size=len(tok), d_model=16, d_ff=32, d_kv=8, num_layers=1, num_heads=2,
                      decoder_start_token_id=0, pad_token_id=0, eos_token_id=1)
    T5ForConditionalGeneration(config).save_pretrained(folder)
    return folder


def make_nllb(folder: Path) -> Path:
    """An NLLB (M2M100 architecture) model with NllbTokenizer and the two language codes."""
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    shutil.move(_train(folder, "sp", 200, bos_id=0, pad_id=1, eos_id=2, unk_id=3, model_type="bpe"),
                folder / "sentencepiece.bpe.model")
    tok = NllbTokenizer.from_pretrained(folder, additional_special_tokens=["eng_Latn", "vie_Latn"])
    tok.save_pretrained(folder)
    config = M2M100Config(vocab_size=len(tok), pad_token_id=1, bos_token_id=0, eos_token_id=2,
                          decoder_start_token_id=2, **_small())
    M2M100ForConditionalGeneration(config).save_pretrained(folder)
    return folder
