"""The training loop: data in, a Hugging Face model folder out, resumable at any evaluation.

The output folder is a normal model folder (the best weights on validation loss so
far, tokenizer files, config), loadable by ``Translator(model=folder)``. Beside the
weights, ``training/`` holds what a resumed run needs (``state.pt``: last weights,
optimizer, schedule, data position, random state), one JSON line per evaluation
(``log.jsonl``) and the final ``report.json``.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..backends.adapters import LangCodeAdapter
from ..backends.hf import pick_device
from ..errors import UsageError
from ..glossary import Glossary
from .averaging import RecentWeights
from .batching import collate, encode, token_batches, within
from .config import TrainConfig
from .data import corpus_examples, directional, glossary_pairs, read_corpus
from .evaluate import (
    ValidLoss,
    autocast,
    batch_loss,
    check_attention_kernel,
    check_source_used,
    swap_within_language,
    trained_backend,
    validation_loss,
)
from .model import build_model, load_pretrained, save, set_attention, zero_padding_embedding
from .placeholders import Survival, masked, survival, with_masked_copies
from .schedule import SCHEDULES
from ..backends.adapters import ADAPTERS, family_for
from .tags import SYNTHETIC, has_tags
from .vocab import SPM_FILES, train_vocab

STATE_DIR = "training"


@dataclass
class TrainResult:
    """What a run did and reached; also written to ``training/report.json``."""

    output: str
    steps: int
    epochs: float
    stopped: str  # max_steps, time_budget or early_stop
    best_step: int
    best_loss: float
    train_examples: int
    dropped_long: int
    tokens_per_second: float
    setup_seconds: float  # reading data, vocabulary, model: before the first step
    train_seconds: float  # steps and evaluations
    history: list[dict] = field(default_factory=list)
    survival: dict | None = None
    averaged: dict | None = None  # the mean of the last evaluations' weights: steps, loss, exported or not

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class _Progress:
    """Everything about the run's position that a resume must restore."""

    step: int = 0
    epoch: int = 0
    position: int = 0  # batches of the current epoch already done
    epochs: float = 0.0  # epochs done, fractions included
    best_loss: float = float("inf")
    best_step: int = 0
    stale: int = 0  # evaluations since the last improvement
    history: list[dict] = field(default_factory=list)


class Trainer:
    """Prepares data, tokenizer and model for a config, then :meth:`run` trains."""

    def __init__(self, config: TrainConfig, output: str | Path, *, device: str = "auto",
                 resume: bool = False, progress: bool = True):
        import torch

        self.started = time.monotonic()
        self.config, self.output, self.progress_bar = config, Path(output), progress
        self.device = pick_device(device)
        self.state_path = self.output / STATE_DIR / "state.pt"
        self.recent = RecentWeights(self.output / STATE_DIR / "recent", config.export.average)
        self._check_output(resume)
        torch.manual_seed(config.run.seed)
        data = config.data
        if not data.train:
            raise UsageError("no training data: give --train-src/--train-tgt or --train-tsv, "
                             "or [[data.train]] in the config")
        if data.valid is None:
            raise UsageError("no validation data: give --valid-src/--valid-tgt, or [data.valid] in the config")
        langs = (data.src_lang, data.tgt_lang)
        corpora = [(corpus, read_corpus(corpus, langs)) for corpus in data.train]
        pairs = [p for _, corpus_pairs in corpora for p in corpus_pairs]
        glossary = Glossary.load(data.glossary) if data.glossary else None
        examples = with_masked_copies([ex for corpus, corpus_pairs in corpora
                                       for ex in corpus_examples(corpus, corpus_pairs, data)],
                                      glossary, data.placeholder_share, config.run.seed)
        if glossary:
            examples += directional(glossary_pairs(glossary, data), data)
        valid_pairs = read_corpus(data.valid, langs)
        per_direction = 2 if data.directions == "both" else 1
        valid_examples = directional(valid_pairs[:max(data.valid_max // per_direction, 1)], data)
        self.held_out = [m for ex in directional(valid_pairs, data) if (m := masked(ex, glossary))][:data.survival_max]

        self.model, self.tokenizer = self._model_and_tokenizer(pairs + (glossary_pairs(glossary, data)
                                                                        if glossary else []))
        if any(corpus.synthetic for corpus in data.train) and SYNTHETIC not in self.tokenizer.get_vocab():
            raise UsageError(f"a corpus is marked synthetic, but the vocabulary has no {SYNTHETIC} piece to tag "
                             "its sources: train the vocabulary with [vocab] synthetic_tag = true")
        self.adapter = ADAPTERS[family_for(self.model.config.model_type, self.tokenizer.get_vocab())]
        if isinstance(self.adapter, LangCodeAdapter):
            raise UsageError(f"fine-tuning {config.model.init_from} is not supported: models that take "
                             "language codes (NLLB, M2M100) need per-language target tokens")
        self.train_set, self.dropped = within(encode(examples, self.tokenizer, self.adapter), data.max_tokens)
        positions = getattr(self.model.config, "max_position_embeddings", None) or config.model.max_positions
        self.valid_set, _ = within(encode(valid_examples, self.tokenizer, self.adapter), positions)
        if not len(self.train_set) or not len(self.valid_set):
            raise UsageError(f"no examples left within {data.max_tokens} tokens (training) or "
                             f"{positions} (validation)")
        self.valid_batches = token_batches(self.valid_set, config.batch.eval_tokens)
        self.swap = swap_within_language(self.valid_set.tgt, config.run.seed)
        self.pad_id = self.model.config.pad_token_id
        self.start_id = self.model.config.decoder_start_token_id

        set_attention(self.model, config.model.attention, config.model.cudnn_sdpa, self.device)
        self.model.to(self.device).train()
        optim = config.optim
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=optim.lr, betas=optim.betas,
                                           weight_decay=optim.weight_decay)
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(
            self.optimizer, SCHEDULES[optim.schedule](optim.warmup_steps, config.run.max_steps))
        self.state = _Progress()
        if resume:
            self._load_state()

    def _check_output(self, resume: bool) -> None:
        if resume and not self.state_path.is_file():
            raise UsageError(f"nothing to resume in {self.output}: no {STATE_DIR}/state.pt there")
        if not resume and (self.state_path.is_file() or (self.output / "config.json").is_file()):
            raise UsageError(f"{self.output} already holds a model or a training run: pass --resume to "
                             "continue it, or choose another --output")

    def _model_and_tokenizer(self, pairs) -> tuple[Any, Any]:
        """Fine-tune ``init_from``, or build a Marian model with a (new or resumed) joint vocabulary."""
        from transformers import MarianTokenizer

        config = self.config
        tags = config.data.directions == "both"
        if config.model.init_from:
            model, tokenizer = load_pretrained(config.model.init_from)
            if tags and not has_tags(tokenizer.get_vocab()):
                raise UsageError(f"directions = \"both\" needs target-language tags, which "
                                 f"{config.model.init_from} does not have: fine-tune one direction "
                                 "(directions = \"forward\") or train from scratch")
            return model, tokenizer
        if all((self.output / f).is_file() for f in SPM_FILES) and self.state_path.is_file():
            tokenizer = MarianTokenizer.from_pretrained(self.output)
        else:
            texts = [t for p in pairs for t in (p.src, p.tgt)]
            tokenizer = train_vocab(texts, self.output, config.vocab, tags=tags, seed=config.run.seed)
        return build_model(config.model, tokenizer, seed=config.run.seed), tokenizer

    def _epoch_batches(self, epoch: int) -> list[list[int]]:
        import random

        return token_batches(self.train_set, self.config.batch.tokens,
                             random.Random(self.config.run.seed * 1_000_003 + epoch))

    def run(self) -> TrainResult:
        """Train until max_steps, the time budget or early stopping; return what was reached."""
        from tqdm import tqdm

        if self.config.model.attention == "sdpa" and self.device.startswith("cuda"):
            check_attention_kernel(self.device, self.config.run.precision)
        started = time.monotonic()
        self.setup_seconds = started - self.started
        with tqdm(total=self.config.run.max_steps, initial=self.state.step, unit="step", file=sys.stderr,
                  disable=not self.progress_bar, dynamic_ncols=True) as bar:
            stopped, tokens = self._loop(bar, started)
        seconds = time.monotonic() - started
        return self._finish(stopped, tokens / max(seconds, 1e-9), seconds)

    def _loop(self, bar, started: float) -> tuple[str, int]:
        """The steps themselves; returns why they stopped and how many real tokens they read."""
        import torch

        run, optim, st = self.config.run, self.config.optim, self.state
        precision = autocast(self.device, run.precision)
        tokens, running, running_tokens = 0, torch.zeros((), device=self.device), 0
        batches = self._epoch_batches(st.epoch)
        while st.step < run.max_steps:
            if st.position >= len(batches):
                st.epoch, st.position = st.epoch + 1, 0
                batches = self._epoch_batches(st.epoch)
            idx = batches[st.position]
            st.position += 1
            st.epochs = st.epoch + st.position / len(batches)
            loss, n = batch_loss(self.model, collate(self.train_set, idx, self.pad_id, self.start_id, self.device),
                                 optim.label_smoothing, precision)
            (loss / n).backward()
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), optim.clip_norm)
            self.optimizer.step()
            zero_padding_embedding(self.model)
            self.scheduler.step()
            self.optimizer.zero_grad(set_to_none=True)
            st.step += 1
            running += loss.detach()
            running_tokens += n
            tokens += sum(len(self.train_set.source[i]) + len(self.train_set.target[i]) for i in idx)
            if st.step % run.log_every == 0:
                bar.set_postfix(loss=f"{float(running) / max(running_tokens, 1):.3f}",
                                tok_s=f"{tokens / (time.monotonic() - started):.0f}",
                                lr=f"{self.scheduler.get_last_lr()[0]:.2e}", refresh=False)
                running, running_tokens = torch.zeros((), device=self.device), 0
            bar.update(1)
            out_of_time = bool(run.time_budget) and time.monotonic() - started >= run.time_budget
            if (st.step % run.eval_every == 0 or st.step == run.max_steps or out_of_time) and self._evaluate(bar):
                return "early_stop", tokens
            if out_of_time:
                return "time_budget", tokens
        return "max_steps", tokens

    def _evaluate(self, bar) -> bool:
        """Validate, keep the best weights, save the state, apply the source check; True to stop early."""
        st, cfg = self.state, self.config
        valid = validation_loss(self.model, self.valid_set, self.valid_batches, self.swap, pad_id=self.pad_id,
                                start_id=self.start_id, device=self.device, precision=cfg.run.precision)
        better = valid.true < st.best_loss
        if better:
            st.best_loss, st.best_step, st.stale = valid.true, st.step, 0
            save(self.model, self.tokenizer, self.output, cfg.export)
        else:
            st.stale += 1
        if cfg.export.average > 1:
            self.recent.add(st.step, self.model)
        record = {"step": st.step, "epochs": round(st.epochs, 3), "valid_loss": round(valid.true, 4),
                  "shuffled_source_loss": round(valid.shuffled, 4), "gap": round(valid.gap, 4), "best": better}
        st.history.append(record)
        bar.write(_describe(st.step, valid, better), file=sys.stderr)
        self._save_state()
        with open(self.output / STATE_DIR / "log.jsonl", "a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\n")
        check_source_used(valid, st.step, cfg.check.min_gap, cfg.check.after_steps)
        return st.stale >= cfg.run.patience

    def _finish(self, stopped: str, tokens_per_second: float, seconds: float) -> TrainResult:
        """Export averaged weights if they validate better, measure placeholder survival with
        the exported weights and write the report."""
        averaged = self._average() if len(self.recent.steps()) > 1 else None
        kept: Survival | None = None
        if self.held_out:
            kept = survival(trained_backend(self.output, device=self.device, beam_size=1), self.held_out)
        st = self.state
        result = TrainResult(
            output=str(self.output), steps=st.step, epochs=round(st.epochs, 3), stopped=stopped,
            best_step=st.best_step, best_loss=round(st.best_loss, 4), train_examples=len(self.train_set),
            dropped_long=self.dropped, tokens_per_second=round(tokens_per_second, 1),
            setup_seconds=round(self.setup_seconds, 1), train_seconds=round(seconds, 1), history=st.history,
            survival=kept.to_dict() if kept else None, averaged=averaged)
        (self.output / STATE_DIR / "report.json").write_text(json.dumps(result.to_dict(), indent=2), encoding="utf-8")
        return result

    def _average(self) -> dict:
        """Validate the mean of the recent weights; export it when it beats the best so far.

        The model gets its own weights back afterwards, so the saved run state (and a
        resumed run) continues from the last step, not from the mean.
        """
        st, cfg = self.state, self.config
        last = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
        self.model.load_state_dict(self.recent.mean())
        valid = validation_loss(self.model, self.valid_set, self.valid_batches, self.swap, pad_id=self.pad_id,
                                start_id=self.start_id, device=self.device, precision=cfg.run.precision)
        exported = valid.true < st.best_loss
        if exported:
            save(self.model, self.tokenizer, self.output, cfg.export)
            st.best_loss = valid.true
        self.model.load_state_dict(last)
        self._save_state()
        return {"steps": self.recent.steps(), "valid_loss": round(valid.true, 4), "exported": exported}

    def _save_state(self) -> None:
        import torch

        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        rng = {"cpu": torch.get_rng_state()}
        if self.device.startswith("cuda"):
            rng["cuda"] = torch.cuda.get_rng_state_all()
        tmp = self.state_path.with_suffix(".tmp")
        torch.save({"model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(),
                    "scheduler": self.scheduler.state_dict(), "progress": asdict(self.state), "rng": rng,
                    "signature": self.config.model_signature()}, tmp)
        tmp.replace(self.state_path)

    def _load_state(self) -> None:
        import torch

        saved = torch.load(self.state_path, map_location=self.device, weights_only=True)
        if saved["signature"] != self.config.model_signature():
            raise UsageError(f"{self.state_path} was trained with another vocabulary, model or directions "
                             "than this config describes; resume with the same [vocab], [model] and [data] "
                             "directions")
        self.model.load_state_dict(saved["model"])
        self.optimizer.load_state_dict(saved["optimizer"])
        self.scheduler.load_state_dict(saved["scheduler"])
        self.state = _Progress(**saved["progress"])
        torch.set_rng_state(saved["rng"]["cpu"])
        if "cuda" in saved["rng"] and self.device.startswith("cuda"):
            torch.cuda.set_rng_state_all(saved["rng"]["cuda"])


def _describe(step: int, valid: ValidLoss, better: bool) -> str:
    return (f"step {step}: valid loss {valid.true:.3f}, with swapped sources {valid.shuffled:.3f} "
            f"(gap {valid.gap:+.3f}){'  best' if better else ''}")


def train(config: TrainConfig, output: str | Path, *, device: str = "auto", resume: bool = False,
          progress: bool = True) -> TrainResult:
    """Train (or fine-tune) a model as ``config`` says and save it in ``output``."""
    return Trainer(config, output, device=device, resume=resume, progress=progress).run()

