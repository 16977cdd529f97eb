"""How fast the whole pipeline translates real articles, and on what machine.

Each article is translated by its own call, as ``vnsum translate FILE`` does, so
seconds per article is what a user waits for one document; sentences/s and target
tokens/s come from the same run. Loading the model and one warm-up sentence are timed
apart (first calls pay for lazy initialisation). Numbers depend on the machine, which
is printed with them; compare runs only on the same machine, as ratios.
"""

from __future__ import annotations

import os
import platform
import resource
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from time import perf_counter


@dataclass
class Machine:
    """Where a speed was measured."""

    cpu: str
    cores: int  # logical cores in the machine
    usable_cores: int  # cores this process may run on (affinity, containers)
    torch_threads: int
    device: str
    platform: str
    python: str


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe_machine(device: str) -> Machine:
    """The CPU, core counts, torch threads and accelerator in use."""
    import torch

    name = device
    if device.startswith("cuda") and torch.cuda.is_available():
        name = f"{device} ({torch.cuda.get_device_name(torch.device(device))})"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return Machine(_cpu_name(), os.cpu_count() or 1, usable, torch.get_num_threads(), name,
                   platform.platform(terse=True), platform.python_version())


def target_token_counter(backend) -> tuple[str, Callable[[str], int]]:
    """How to count output tokens: the model's target tokenizer when it has one, else words."""
    tokenizer = getattr(backend, "tokenizer", None)
    if tokenizer is not None:
        return "target-tokenizer", lambda text: len(tokenizer(text_target=text).input_ids)
    return "words", lambda text: len(text.split())


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (model, tokenizer and Python included)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


@dataclass
class SpeedResult:
    """One speed run: counts, time, rates, memory and the machine."""

    model: str
    engine: str  # the backend class: TransformersBackend, CTranslate2Backend…
    device: str
    batch_size: int
    beam_size: int
    glossary: str | None
    memory: str | None  # translation memory hits and misses, None when it was off
    articles: int
    sentences: int
    target_tokens: int
    token_counter: str
    seconds: float
    load_seconds: float
    peak_rss_mb: float
    peak_gpu_mb: float | None
    machine: Machine

    @property
    def sentences_per_s(self) -> float:
        return self.sentences / self.seconds if self.seconds else 0.0

    @property
    def tokens_per_s(self) -> float:
        return self.target_tokens / self.seconds if self.seconds else 0.0

    @property
    def s_per_article(self) -> float:
        return self.seconds / self.articles if self.articles else 0.0

    def to_dict(self) -> dict:
        rates = {"sentences_per_s": round(self.sentences_per_s, 2), "tokens_per_s": round(self.tokens_per_s, 1),
                 "s_per_article": round(self.s_per_article, 3)}
        return asdict(self) | rates


def measure(translator, articles: Sequence[str], src: str = "vi", tgt: str = "en") -> SpeedResult:
    """Translate every article once with ``translator`` and time it."""
    if not articles:
        raise ValueError("speed needs at least one article")
    start = perf_counter()
    backend = translator.backend(src, tgt)
    load = perf_counter() - start
    device = str(getattr(backend, "device", "cpu"))
    cuda = _cuda(device)
    first_line = next((line for line in articles[0].splitlines() if line.strip()), articles[0])
    translator.translate_document(first_line, src, tgt)  # warm-up, not timed
    if cuda:
        cuda.synchronize()
        cuda.reset_peak_memory_stats()
    counter_name, count = target_token_counter(backend)
    sentences = tokens = 0
    elapsed = 0.0
    for text in articles:
        start = perf_counter()
        result = translator.translate_document(text, src, tgt)
        if cuda:
            cuda.synchronize()
        elapsed += perf_counter() - start
        sentences += len(result.segments)
        tokens += sum(count(s.target) for s in result.segments)
    glossary = translator.glossary
    options = translator.options
    return SpeedResult(
        model=backend.name, engine=type(backend).__name__, device=device, batch_size=options["batch_size"],
        beam_size=options["beam_size"],
        glossary=f"{glossary.name}@{glossary.sha}" if glossary else None,
        memory=None if translator.memory is None else str(translator.stats), articles=len(articles),
        sentences=sentences, target_tokens=tokens, token_counter=counter_name, seconds=elapsed, load_seconds=load,
        peak_rss_mb=peak_rss_mb(), peak_gpu_mb=cuda.max_memory_allocated() / 2**20 if cuda else None,
        machine=describe_machine(device))


def _cuda(device: str):
    """``torch.cuda`` when ``device`` is a CUDA device, else None."""
    if not device.startswith("cuda"):
        return None
    import torch

    return torch.cuda
