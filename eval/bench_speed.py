#!/usr/bin/env python
"""How fast each inference engine runs real-size models, and what the pipeline costs.

The models have the real architectures and random weights (no download is needed and
none is possible here): opus-mt's Marian (6+6 layers, d_model 512, 8 heads, FFN 2048)
and T5 v1.1-base as EnViT5 uses it (12+12 layers, d_model 768, gated-GELU FFN 2048),
both over a 53,000-piece SentencePiece vocabulary trained at run time from the corpus
files given with --spm-corpus. Random weights never choose their end token on purpose,
so every output is forced to exactly --length tokens (end token suppressed until the
budget, then stopped): each engine does the same work and tokens/s is exact.

Four measurements; the first three in one run by default:

1. engines: hf float32, ct2 float32 and ct2 int8 (--device cuda: hf float16, ct2
   float16 and int8_float16), greedy and beam 4, each in its own process (its peak
   memory is its own), through vnsum's backends (tokenization, length sorting,
   batching and decoding included); speed ratios against hf.
2. pipeline: news articles through the local engine of ``vnsum translate FOLDER``
   (reading, grouping, segmentation, glossary matching, masking, clause cutting,
   restoring, the fallback, the translation memory lookup and store) against the raw
   backend decoding exactly the batches the pipeline sent, on the same model (ct2 int8
   or int8_float16, opus-mt architecture, greedy and beam 4).
3. memory: the same local engine over documents in which 30% of the sentences repeat,
   with the memory and without: repeats of an earlier run (the memory starts with that
   run's entries) and repeats of earlier documents in the same batch (it starts empty).
4. article (``--parts article``): one real article through a real model, pass by pass,
   against the raw decode of its sentences; the cold start, the checks, the scores, the
   web server's first result and peak memory (eval/profile_article.py).

Numbers depend on the machine (printed with them): compare them as ratios.

Example (from the repository root; the data folder is read by path, never copied):

    .venv/bin/python eval/bench_speed.py \\
        --sentences ../shared/data/flores200-devtest/vie_Latn.devtest \\
        --articles ../shared/data/vims-dev/data \\
        --spm-corpus ../shared/data/train-vi-en/train.vi ../shared/data/train-vi-en/train.en
    .venv/bin/python eval/bench_speed.py --parts article \
        --article ../shared/examples/mps-dan-van-2022.vi.txt --model vnsum-mini
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from multiprocessing import get_context
from pathlib import Path

from vnsum.documents import Source
from vnsum.engines.jobs import JobSpec
from vnsum.engines.local import LocalEngine

VOCAB = 53_000
ARCHS = ("opus-mt", "envit5")
# Per device: the transformers baseline first, then CTranslate2 at full and reduced precision.
ENGINES = {
    "cpu": (("hf", "float32"), ("ct2", "float32"), ("ct2", "int8")),
    "cuda": (("hf", "float16"), ("ct2", "float16"), ("ct2", "int8_float16")),
}
BEAMS = (1, 4)
SEED = 20260120
# Parts 2 and 3: greedy (the fast mode: the model's share of the time is smallest, so the
# pipeline's own cost shows most) and the default beam; documents of a press release's
# length; 30% of the sentences repeated.
PIPELINE_BEAMS = (1, 4)
PER_DOC = 24
REPEATED = 0.3


# --------------------------------------------------------------------------- models

# Special-token ids of each family's SentencePiece model. Marian (opus-mt) has no <pad>
# piece: vocab.json appends it as the last id, which the CTranslate2 converter expects.
LAYOUTS = {
    "marian": {"eos_id": 0, "unk_id": 1, "pad_id": -1, "bos_id": -1, "vocab_size": VOCAB - 1},
    "t5": {"pad_id": 0, "eos_id": 1, "unk_id": 2, "bos_id": -1, "vocab_size": VOCAB},
}


def build_tokenizer(work: Path, corpus: list[Path], layout: str) -> Path:
    """A SentencePiece BPE model giving a 53,000-token vocabulary, cached by its inputs."""
    import sentencepiece as spm

    key = hashlib.sha256("".join(f"{p.resolve()}:{p.stat().st_size}" for p in corpus).encode()).hexdigest()[:12]
    model = work / f"spm-{layout}-{VOCAB}-{key}.model"
    if not model.is_file():
        work.mkdir(parents=True, exist_ok=True)
        spm.SentencePieceTrainer.train(
            input=",".join(str(p) for p in corpus), model_prefix=str(model.with_suffix("")), model_type="bpe",
            character_coverage=1.0, num_threads=2, minloglevel=2, **LAYOUTS[layout])
    return model


def build_marian(folder: Path, spm_model: Path) -> Path:
    """opus-mt's architecture: MarianMTModel with source.spm/target.spm/vocab.json."""
    import torch
    from transformers import MarianConfig, MarianMTModel

    from vnsum.train.vocab import marian_tokenizer

    if (folder / "model.safetensors").is_file():
        return folder
    vocab = marian_tokenizer(folder, spm_model).get_vocab()
    torch.manual_seed(SEED)
    config = MarianConfig(
        vocab_size=len(vocab), d_model=512, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8,
        decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048, activation_function="swish",
        max_position_embeddings=512, pad_token_id=vocab["<pad>"], eos_token_id=0,
        decoder_start_token_id=vocab["<pad>"],
        forced_eos_token_id=None, scale_embedding=True, share_encoder_decoder_embeddings=True)
    MarianMTModel(config).save_pretrained(folder)
    return folder


def build_t5(folder: Path, spm_model: Path) -> Path:
    """EnViT5's architecture: T5 v1.1 base (gated-GELU, untied output layer)."""
    import shutil

    import torch
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer

    if (folder / "model.safetensors").is_file():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(spm_model, folder / "spiece.model")
    tokenizer = T5Tokenizer.from_pretrained(folder, extra_ids=0)
    tokenizer.save_pretrained(folder)
    torch.manual_seed(SEED)
    config = T5Config(vocab_size=len(tokenizer), d_model=768, d_ff=2048, d_kv=64, num_layers=12,
                      num_decoder_layers=12, num_heads=12, feed_forward_proj="gated-gelu",
                      tie_word_embeddings=False, decoder_start_token_id=0, pad_token_id=0, eos_token_id=1)
    T5ForConditionalGeneration(config).save_pretrained(folder)
    return folder


# arch -> (builder, vnsum family, SentencePiece layout)
BUILDERS = {"opus-mt": (build_marian, "marian", "marian"), "envit5": (build_t5, "t5-prefix", "t5")}


# --------------------------------------------------------------------------- measuring

@dataclass
class Run:
    """One engine configuration over the benchmark sentences."""

    arch: str
    engine: str
    precision: str
    beam: int
    sentences: int
    target_tokens: int
    seconds: float
    load_seconds: float
    rss_before_load_mb: float
    peak_rss_mb: float

    @property
    def sentences_per_s(self) -> float:
        return self.sentences / self.seconds

    @property
    def tokens_per_s(self) -> float:
        return self.target_tokens / self.seconds


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def load_backend(folder: Path, family: str, engine: str, precision: str, beam: int, length: int | None,
                 batch_size: int, threads: int, device: str):
    """A vnsum backend; with ``length``, every output is exactly that many tokens long;
    ``threads`` > 0 caps its CPU threads (0: the engine's default, every core)."""
    options = {"family": family, "device": device, "dtype": precision, "beam_size": beam,
               "batch_size": batch_size, "max_new_tokens": length, "name": folder.name}
    if engine == "hf":
        import torch

        from vnsum.backends.hf import TransformersBackend

        if threads:
            torch.set_num_threads(threads)
        backend = TransformersBackend(folder, **options)
        if length:
            backend.model.generation_config.min_new_tokens = length
    else:
        from vnsum.backends.ct2 import CTranslate2Backend

        backend = CTranslate2Backend(folder, threads=threads, **options)
        if length:
            backend.options["min_decoding_length"] = length
    return backend


def run_engine(arch: str, folder: str, engine: str, precision: str, beam: int, sentences: list[str],
               length: int, batch_size: int, threads: int, device: str) -> Run:
    """Child process: load, warm up, then time ``generate`` over every sentence."""
    rss = peak_rss_mb()
    start = time.perf_counter()
    backend = load_backend(Path(folder), BUILDERS[arch][1], engine, precision, beam, length, batch_size, threads,
                           device)
    load = time.perf_counter() - start
    backend.generate(sentences[:4], "vi", "en")
    start = time.perf_counter()
    backend.generate(sentences, "vi", "en")
    seconds = time.perf_counter() - start
    return Run(arch, engine, precision, beam, len(sentences), len(sentences) * length, seconds, load, rss,
               peak_rss_mb())


class Recorder:
    """A backend wrapper that keeps every batch the pipeline sends, to replay it raw."""

    def __init__(self, inner):
        self.inner, self.calls, self.seconds = inner, [], 0.0
        self.name, self.max_input_tokens = inner.name, inner.max_input_tokens

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def generate(self, sentences, src, tgt):
        self.calls.append(list(sentences))
        start = time.perf_counter()
        try:
            return self.inner.generate(sentences, src, tgt)
        finally:
            self.seconds += time.perf_counter() - start


def _term_counts(result, document, fmt: str, label: str, notices: tuple[str, ...]) -> str:
    """The benchmark's "rendering": what happened to the document's terms."""
    return json.dumps(result.term_counts)


def translate_files(backend, paths: list[Path], memory: Path | None) -> tuple[float, LocalEngine, list]:
    """What ``vnsum translate FOLDER`` does, short of writing the outputs: read the files,
    group them, translate each group in one call (through ``memory`` if given)."""
    engine = LocalEngine(JobSpec({"backend": backend, "memory": memory}, "vi", "en", "text", _term_counts))
    start = time.perf_counter()
    outcomes = list(engine.results(Source(p, Path(p.name)) for p in paths))
    seconds = time.perf_counter() - start
    if engine.translator.memory is not None:
        engine.translator.memory.close()
    failed = [f"{o.source.label}: {o.error}" for o in outcomes if o.error]
    if failed:
        raise SystemExit("benchmark documents failed: " + "; ".join(failed))
    return seconds, engine, outcomes


def _remove(database: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)


def run_pipeline(folder: str, articles: list[Path], scenarios: dict[str, list[list[Path]]], beam: int,
                 length: int, batch_size: int, threads: int, device: str, work: str, rounds: int) -> dict:
    """Child process: (a) the pipeline against the raw backend on the same batches;
    (b) each memory scenario with the memory and without (medians of ``rounds``).

    A scenario is (documents translated before, untimed, into the memory; the timed
    documents): with an earlier run, the memory starts with what it translated; with
    none, it starts empty and fills as the timed run goes.
    """
    engine, precision = ENGINES[device][-1]
    backend = load_backend(Path(folder), "marian", engine, precision, beam, length, batch_size, threads, device)
    recorder = Recorder(backend)
    translate_files(recorder, articles[:1], None)  # warm-up: model, glossary, names
    tm = Path(work) / f"bench-tm-{os.getpid()}.sqlite"
    pipeline_s, raw_s, inside_s = [], [], []
    for _ in range(rounds):
        recorder.calls.clear()
        recorder.seconds = 0.0
        seconds, _, outcomes = translate_files(recorder, articles, tm)
        _remove(tm)
        pipeline_s.append(seconds)
        inside_s.append(recorder.seconds)
        start = time.perf_counter()
        for call in recorder.calls:
            backend.generate(call, "vi", "en")
        raw_s.append(time.perf_counter() - start)
    statuses: dict[str, int] = {}
    for outcome in outcomes:
        for key, n in json.loads(outcome.output).items():
            statuses[key] = statuses.get(key, 0) + n
    result = {
        "engine": f"{engine} {precision}", "pipeline_s": statistics.median(pipeline_s),
        "raw_s": statistics.median(raw_s), "pipeline_rounds": pipeline_s, "raw_rounds": raw_s,
        "inside_model_rounds": inside_s,
        "outside_model_share": statistics.median((p - i) / p for p, i in zip(pipeline_s, inside_s)),
        "documents": len(articles), "segments": sum(o.sentences for o in outcomes),
        "model_inputs": sum(len(c) for c in recorder.calls), "model_calls": len(recorder.calls), "terms": statuses,
        "memory": {},
    }
    for name, (before, timed) in scenarios.items():
        seed = Path(work) / f"bench-tm-{os.getpid()}-{name}.sqlite"
        if before:
            translate_files(backend, before, seed)  # the earlier run: fills the memory, untimed
        no_tm_s, tm_s = [], []
        for _ in range(rounds):
            no_tm_s.append(translate_files(backend, timed, None)[0])
            if seed.exists():
                shutil.copyfile(seed, tm)  # closed, so the whole database is in the main file
            seconds, with_tm, _ = translate_files(backend, timed, tm)
            tm_s.append(seconds)
            _remove(tm)
        _remove(seed)
        result["memory"][name] = {
            "documents": len(timed), "no_tm_s": statistics.median(no_tm_s), "tm_s": statistics.median(tm_s),
            "no_tm_rounds": no_tm_s, "tm_rounds": tm_s, "hits": with_tm.stats.hits, "misses": with_tm.stats.misses}
    return result


def in_child(fn, *args):
    """Run ``fn`` in a fresh process, so each configuration's memory peak is its own."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


# --------------------------------------------------------------------------- inputs

def read_sentences(path: Path, n: int, max_words: int) -> list[str]:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    picked = [line for line in lines if line and len(line.split()) <= max_words]
    if len(picked) < n:
        raise SystemExit(f"{path}: only {len(picked)} sentences of at most {max_words} words; need {n}")
    return picked[:n]


def article_paths(folder: Path, n: int) -> list[Path]:
    """The first ``n`` articles (``*.txt``, sorted, recursively) of a folder."""
    paths = sorted(folder.rglob("*.txt"))[:n]
    if len(paths) < n:
        raise SystemExit(f"{folder}: only {len(paths)} .txt articles; need {n}")
    return paths


def read_articles(folder: Path, n: int) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in article_paths(folder, n)]


def sentences_of(articles: list[str]) -> list[str]:
    """Every sentence of the articles, as vnsum splits them (at most once each)."""
    from vnsum.segment import split_document

    found = [s for a in articles for line in split_document(a, "vi").lines for s in line.sentences
             if sum(ch.isalpha() for ch in s) > 10]
    return list(dict.fromkeys(found))


def repeating_documents(fresh: list[str], n_docs: int, share: float, seen: list[str] | None = None,
                        seed: int = SEED) -> list[str]:
    """``n_docs`` documents of ``PER_DOC`` sentences in which ``share`` of all sentences
    repeat one already translated: of ``seen`` (an earlier run) when given, else of an
    earlier document of the same batch (the first document is then all new). The
    repeats take evenly spread slots; the other slots take ``fresh`` sentences in order.
    One sentence per line, so each is split back exactly as it was given.
    """
    rng = random.Random(seed)
    slots = [(d, k) for d in range(0 if seen else 1, n_docs) for k in range(PER_DOC)]
    chosen = set(rng.sample(slots, round(share * n_docs * PER_DOC)))
    new = iter(fresh)
    used: list[str] = []
    docs = []
    for d in range(n_docs):
        doc = [rng.choice(seen or used) if (d, k) in chosen else next(new) for k in range(PER_DOC)]
        used.extend(doc)
        docs.append("\n".join(doc) + "\n")
    return docs


def write_documents(folder: Path, docs: list[str]) -> list[Path]:
    """The documents as files, read back the way ``vnsum translate FOLDER`` reads them."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, doc in enumerate(docs):
        path = folder / f"doc-{i:03d}.vi.txt"
        path.write_text(doc, encoding="utf-8")
        paths.append(path)
    return paths


def memory_scenarios(articles: Path, n_docs: int, work: Path) -> dict[str, tuple[list[Path], list[Path]]]:
    """The two ways sentences repeat in an archive, as (translated before, timed) files:

    - ``earlier run``: 30% of the batch's sentences were translated by an earlier run
      (boilerplate, titles seen last week); the memory starts with that run's entries.
    - ``same batch``: 30% repeat sentences of earlier documents of the same batch; the
      memory starts empty.
    """
    per_run = n_docs * PER_DOC
    pool = sentences_of(read_articles(articles, n_docs * 8))
    need = per_run + 2 * round((1 - REPEATED) * per_run)
    if len(pool) < need:
        raise SystemExit(f"{articles}: only {len(pool)} distinct sentences in {n_docs * 8} articles; need {need}")
    earlier = pool[:per_run]
    rest = pool[per_run:]
    docs = {
        "earlier run": (["\n".join(earlier[i:i + PER_DOC]) + "\n" for i in range(0, per_run, PER_DOC)],
                        repeating_documents(rest, n_docs, REPEATED, seen=earlier)),
        "same batch": ([], repeating_documents(rest[::-1], n_docs, REPEATED)),
    }
    return {name: (write_documents(work / "tm-docs" / name.replace(" ", "-") / "before", before),
                   write_documents(work / "tm-docs" / name.replace(" ", "-") / "timed", timed))
            for name, (before, timed) in docs.items()}


# --------------------------------------------------------------------------- report

def print_engines(runs: list[Run]) -> None:
    print("\n## 1. Engines (fixed output length; vnsum backends; each run in its own process)\n")
    print("| model | beam | engine | sentences/s | target tokens/s | × hf | peak RSS MB (before load) |")
    print("|---|---|---|---|---|---|---|")
    for run in runs:
        base = next(r for r in runs if r.arch == run.arch and r.beam == run.beam and r.engine == "hf")
        print(f"| {run.arch} | {run.beam} | {run.engine} {run.precision} | {run.sentences_per_s:.2f} | "
              f"{run.tokens_per_s:.0f} | {run.tokens_per_s / base.tokens_per_s:.2f}× | "
              f"{run.peak_rss_mb:.0f} ({run.rss_before_load_mb:.0f}) |")
    for arch in sorted({r.arch for r in runs}):
        for beam in BEAMS:
            same = [r for r in runs if r.arch == arch and r.beam == beam]
            base, fastest = same[0], same[-1]  # ENGINES order: hf first, reduced-precision ct2 last
            ratio = fastest.tokens_per_s / base.tokens_per_s
            target = " (target ≥ 3×: " + ("met" if ratio >= 3 else "NOT met") + ")" if beam == 4 else ""
            print(f"- {arch}, beam {beam}: ct2 {fastest.precision} is {ratio:.2f}× hf {base.precision}{target}")


def print_pipeline(by_beam: dict[int, dict]) -> None:
    first = next(iter(by_beam.values()))
    print(f"\n## 2. Whole pipeline vs raw backend (opus-mt architecture, {first['engine']}, medians of "
          f"{len(first['pipeline_rounds'])} rounds)\n")
    print("| beam | articles | sentences | model inputs (calls) | terms | pipeline s | raw replay s | pipeline / raw "
          "| time outside generate |")
    print("|---|---|---|---|---|---|---|---|---|")
    for beam, p in by_beam.items():
        print(f"| {beam} | {p['documents']} | {p['segments']} | {p['model_inputs']} ({p['model_calls']}) | "
              f"{p['terms']} | {p['pipeline_s']:.2f} | {p['raw_s']:.2f} | {p['pipeline_s'] / p['raw_s']:.3f}× | "
              f"{100 * p['outside_model_share']:.1f}% |")
    for beam, p in by_beam.items():
        ratio = p["pipeline_s"] / p["raw_s"]
        print(f"- beam {beam}: overhead {100 * (ratio - 1):+.1f}% against the raw replay, "
              f"{100 * p['outside_model_share']:.1f}% outside the model within the same runs "
              f"(target ≤ +10%: {'met' if ratio <= 1.10 else 'NOT met'})")
    print(f"\n## 3. Translation memory: {REPEATED:.0%} of the sentences repeat, documents of {PER_DOC} sentences "
          "translated as `vnsum translate FOLDER` does\n")
    print("| scenario | beam | documents | without memory s | with memory s | hits | misses | speedup |")
    print("|---|---|---|---|---|---|---|---|")
    for beam, p in by_beam.items():
        for name, m in p["memory"].items():
            print(f"| {name} | {beam} | {m['documents']} | {m['no_tm_s']:.2f} | {m['tm_s']:.2f} | {m['hits']} | "
                  f"{m['misses']} | {m['no_tm_s'] / m['tm_s']:.2f}× |")
    for beam, p in by_beam.items():
        for name, m in p["memory"].items():
            speedup = m["no_tm_s"] / m["tm_s"]
            rounds = [a / b for a, b in zip(m["no_tm_rounds"], m["tm_rounds"])]
            print(f"- {name}, beam {beam}: {speedup:.2f}×, rounds {min(rounds):.2f}–{max(rounds):.2f}× "
                  f"(target ≥ 1.3×: {'met' if speedup >= 1.3 else 'NOT met'})")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sentences", type=Path, help="Vietnamese sentences, one per line (part 1)")
    p.add_argument("--articles", type=Path, help="a folder of Vietnamese news articles, *.txt (parts 2 and 3)")
    p.add_argument("--spm-corpus", type=Path, nargs="+",
                   help="text files to train the 53k SentencePiece vocabulary on (parts 1-3)")
    p.add_argument("--article", type=Path, help="one article to profile with a real model (part 4)")
    p.add_argument("--model", default="vnsum-mini", help="the model of part 4 (default vnsum-mini)")
    p.add_argument("-s", "--source", default="vi", help="the article's language (part 4)")
    p.add_argument("-t", "--target", default="en")
    p.add_argument("--work", type=Path, default=Path("/tmp/vnsum-bench"),
                   help="generated tokenizer, models and conversions (reused between runs)")
    p.add_argument("-n", type=int, default=24, help="sentences per engine run (default 24)")
    p.add_argument("--length", type=int, default=32, help="output tokens per sentence (default 32)")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--threads", type=int, default=0, help="CPU threads per engine (default 0: every core)")
    p.add_argument("--device", default="cpu", choices=list(ENGINES),
                   help="cpu: hf float32, ct2 float32, ct2 int8; cuda: hf float16, ct2 float16, ct2 int8_float16")
    p.add_argument("--archs", nargs="+", default=list(ARCHS), choices=ARCHS)
    p.add_argument("--docs", type=int, default=8, help="articles (part 2) and documents of 24 sentences (part 3)")
    p.add_argument("--rounds", type=int, default=3, help="repetitions of parts 2 and 3 (medians)")
    p.add_argument("--json", type=Path, help="also write every number here")
    p.add_argument("--parts", nargs="+", default=["engines", "pipeline"], choices=["engines", "pipeline", "article"],
                   help="engines (part 1), pipeline (parts 2 and 3), article (part 4); default engines pipeline")
    args = p.parse_args(argv)
    if args.docs < 2:
        p.error("--docs must be at least 2 (repeats come from earlier documents)")
    if "article" in args.parts and args.article is None:
        p.error("--parts article needs --article FILE")
    missing = [flag for flag in ("sentences", "articles", "spm_corpus") if getattr(args, flag) is None]
    if set(args.parts) - {"article"} and missing:
        p.error("--parts engines and pipeline need " + ", ".join("--" + m.replace("_", "-") for m in missing))
    article = None
    if "article" in args.parts:
        from profile_article import profile, table

        article = profile(args.model, args.article.read_text(encoding="utf-8"), args.source, args.target, args.rounds)
        print(table(article))
        if set(args.parts) == {"article"}:
            if args.json:
                args.json.write_text(json.dumps({"article": article}, indent=1), encoding="utf-8")
            return 0

    from vnsum.metrics.speed import describe_machine

    sentences = read_sentences(args.sentences, args.n, max_words=40)
    folders = {arch: str(BUILDERS[arch][0](args.work / arch, build_tokenizer(args.work, args.spm_corpus,
                                                                             BUILDERS[arch][2])))
               for arch in args.archs}
    machine = describe_machine("cpu")
    print(f"# bench_speed: {machine.cpu}, {machine.usable_cores} usable cores, {machine.platform}, "
          f"Python {machine.python}; load average at start {os.getloadavg()[0]:.1f}")
    print(f"{args.n} sentences from {args.sentences.name}, {args.length} output tokens each, batch size "
          f"{args.batch_size}, threads {args.threads or 'engine default'}; vocabulary {VOCAB} (SentencePiece BPE trained on "
          f"{', '.join(p.name for p in args.spm_corpus)})")
    runs = []
    for arch in args.archs if "engines" in args.parts else ():
        for beam in BEAMS:
            for engine, precision in ENGINES[args.device]:
                run = in_child(run_engine, arch, folders[arch], engine, precision, beam, sentences[:args.n],
                               args.length, args.batch_size, args.threads, args.device)
                print(f"  {arch} beam {beam} {engine} {precision}: {run.sentences_per_s:.2f} sentences/s",
                      file=sys.stderr)
                runs.append(run)
    if runs:
        print_engines(runs)
    pipeline = None
    if "opus-mt" in args.archs and "pipeline" in args.parts:
        articles = article_paths(args.articles, args.docs)
        scenarios = memory_scenarios(args.articles, args.docs, args.work)
        pipeline = {beam: in_child(run_pipeline, folders["opus-mt"], articles, scenarios, beam, args.length,
                                   args.batch_size, args.threads, args.device, str(args.work), args.rounds)
                    for beam in PIPELINE_BEAMS}
        print_pipeline(pipeline)
    load = os.getloadavg()[0]
    busy = f" (above {machine.usable_cores} cores: other processes shared the CPU)" if load > machine.usable_cores else ""
    print(f"\nload average at the end: {load:.1f}{busy}")
    if args.json:
        args.json.write_text(json.dumps({"machine": asdict(machine), "args": {k: str(v) for k, v in vars(args).items()},
                                         "engines": [asdict(r) for r in runs], "pipeline": pipeline,
                                         "article": article}, indent=1),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
