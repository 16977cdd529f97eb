"""The model being trained: a fresh Marian transformer or an existing seq2seq folder.

From scratch, weights get fairseq-style initialisation (Xavier-uniform linear layers,
N(0, d^-1/2) embeddings scaled by sqrt(d)): transformers' default N(0, 0.02) leaves the
cross-attention weak at the start, and a decoder that can ignore its source may learn
to (see the sanity check in :mod:`vnsum.train.checks`).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from ..errors import ModelLoadError, UsageError
from .config import ExportConfig, ModelConfig
from .tags import TAGS


def _config_classes(architecture: str):
    """The transformers config and model classes of an architecture name of ``[model]``.

    ``marian`` is OPUS-MT's post-norm transformer. ``pegasus`` is the same transformer
    with pre-norm layers and a final layer norm (the Pegasus family in transformers,
    sinusoidal positions, converted by CTranslate2 like Marian). Trained from scratch on
    a few CPU hours, the post-norm encoder collapsed (every position the same vector,
    the decoder a language model); pre-norm keeps a residual path that no layer can
    shrink, and opened the source gap at once (models/vnsum-mini.md has the numbers).
    """
    from transformers import MarianConfig, MarianMTModel, PegasusConfig, PegasusForConditionalGeneration

    return {"marian": (MarianConfig, MarianMTModel, {}),
            # What CTranslate2's converter reads to pick pre-norm without a layer-norm
            # on the embeddings; original Pegasus checkpoints carry the same keys.
            "pegasus": (PegasusConfig, PegasusForConditionalGeneration,
                        {"normalize_before": True, "normalize_embedding": False})}[architecture]


def build_model(config: ModelConfig, tokenizer: Any, *, seed: int):
    """A new seq2seq transformer sized by ``config`` for ``tokenizer``'s vocabulary."""
    import torch
    from transformers import GenerationConfig

    vocab = tokenizer.get_vocab()
    pad, eos = tokenizer.pad_token_id, tokenizer.eos_token_id
    config_class, model_class, extra = _config_classes(config.architecture)
    model_config = config_class(
        vocab_size=len(vocab), d_model=config.d_model, encoder_layers=config.encoder_layers,
        decoder_layers=config.decoder_layers, encoder_attention_heads=config.attention_heads,
        decoder_attention_heads=config.attention_heads, encoder_ffn_dim=config.ffn_dim,
        decoder_ffn_dim=config.ffn_dim, dropout=config.dropout, attention_dropout=config.attention_dropout,
        activation_function="swish", max_position_embeddings=config.max_positions, scale_embedding=True,
        pad_token_id=pad, eos_token_id=eos, forced_eos_token_id=eos, decoder_start_token_id=pad,
        tie_word_embeddings=True, **extra)
    torch.manual_seed(seed)
    model = model_class(model_config)
    xavier_init(model)
    # Never generate a language tag: tags belong to the source. <pad> is not listed: its
    # logit stays zero (zero_padding_embedding), and CTranslate2 drops it from Marian
    # vocabularies, where a banned token it does not know is an error.
    banned = [[vocab[t]] for t in TAGS.values() if t in vocab] or None
    model.generation_config = GenerationConfig(
        decoder_start_token_id=pad, pad_token_id=pad, eos_token_id=eos, forced_eos_token_id=eos,
        bad_words_ids=banned, num_beams=4)
    return model


def xavier_init(model: Any) -> None:
    """Fairseq's initialisation for a transformer trained from scratch (sinusoids kept).

    Linear layers first, embeddings after: the output projection is tied to the token
    embeddings, and initialising it as a linear layer would leave the tokens at
    Xavier's scale (std 0.016 for d=256 and 8k tokens) instead of d^-1/2, too weak
    beside the sinusoidal positions once scaled by sqrt(d).
    """
    import torch
    from torch import nn

    d_model = model.config.d_model
    output = model.get_output_embeddings()
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.Linear) and module is not output:
                nn.init.xavier_uniform_(module.weight)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
        for module in model.modules():
            if isinstance(module, nn.Embedding) and "Sinusoidal" not in type(module).__name__:
                nn.init.normal_(module.weight, mean=0.0, std=d_model ** -0.5)
        model.final_logits_bias.zero_()
    model.tie_weights()
    zero_padding_embedding(model)


def zero_padding_embedding(model: Any) -> None:
    """Keep the ``<pad>`` row of a Marian model's embeddings at zero.

    Marian starts the decoder from ``<pad>``, which Marian itself and CTranslate2's
    conversion (``start_from_zero_embedding``) treat as a zero vector; with tied output
    embeddings the row would otherwise drift during training, and the same weights would
    decode differently in transformers and CTranslate2.
    """
    import torch

    if model.config.model_type in ("marian", "pegasus"):
        with torch.no_grad():
            model.get_input_embeddings().weight[model.config.pad_token_id].zero_()


def load_pretrained(path: str | Path):
    """Model and tokenizer of an existing Hugging Face seq2seq folder, to fine-tune."""
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    path = Path(path).expanduser()
    if not path.is_dir():
        raise UsageError(f"[model] init_from = {str(path)!r}: no such folder (give a local model folder)")
    try:
        model = AutoModelForSeq2SeqLM.from_pretrained(path)
        tokenizer = AutoTokenizer.from_pretrained(path)
    except Exception as exc:  # noqa: BLE001 - transformers raises many types for a bad folder
        raise ModelLoadError(f"Could not load {path} to fine-tune: {type(exc).__name__}: {exc}") from None
    # Shipped folders hold float16 weights, which newer transformers load as such; the
    # optimizer needs float32 master weights (mixed precision is autocast's job).
    return model.float(), tokenizer


def set_attention(model: Any, attention: str, cudnn_sdpa: bool, device: str) -> None:
    """Choose the attention kernels; cuDNN's SDPA stays off on GPU unless asked for.

    A from-scratch run on an H200 learned to ignore its source while the same code
    learned on CPU; cuDNN's masked attention kernel was the suspect. Turning it off
    leaves PyTorch's flash/memory-efficient kernels; ``attention = "eager"`` avoids
    SDPA entirely and is the reference to compare against.
    """
    import torch

    model.set_attn_implementation(attention)
    if device.startswith("cuda"):
        torch.backends.cuda.enable_cudnn_sdp(cudnn_sdpa)


def save(model: Any, tokenizer: Any, folder: Path, export: ExportConfig) -> None:
    """Write a normal Hugging Face folder, weights in ``export.dtype`` and shards if asked."""
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("model*.safetensors"), *folder.glob("model.safetensors.index.json")]:
        old.unlink()
    dtype = getattr(torch, export.dtype)
    converted: dict[int, Any] = {}  # by storage, so tied embeddings stay one tensor and are written once
    state = {k: converted.setdefault(v.data_ptr(), v.detach().to("cpu", dtype))
             for k, v in model.state_dict().items()}
    shard = f"{export.shard_mb}MB" if export.shard_mb else "100GB"
    model.save_pretrained(folder, state_dict=state, max_shard_size=shard)
    config = copy.deepcopy(model.config)  # the saved weights' dtype, not the live model's
    config.dtype = dtype
    config.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    readable(folder)


def readable(folder: Path) -> None:
    """Give the folder's files the permissions the umask allows, like any other tool.

    safetensors writes its files 0600; a model folder is shared with colleagues, a web
    server and the repository, which must all be able to read it.
    """
    import os

    umask = os.umask(0)
    os.umask(umask)
    for path in folder.iterdir():
        if path.is_file():
            path.chmod(0o666 & ~umask)
