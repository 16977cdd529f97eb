"""Scale-out: the same translation pipeline as a Ray Data job.

Documents become rows of a Ray dataset; ``map_batches`` hands them to a pool of actors,
each holding one Translator (one model, loaded once: ``concurrency`` actors, one GPU
each when the cluster has GPUs, else an equal share of the CPUs). Each actor reads its
documents by path and returns the rendered output, which streams back in input order,
so the caller writes it exactly as the local engine does (same names, same formats,
same per-document failures). Without ``address`` a local Ray is started (no dashboard,
a small object store); ``address`` connects to an existing cluster, whose nodes must
see the input files and the models at the same paths (a shared file system).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..documents import Source, read_source
from ..errors import UsageError, VnsumError
from ..memory import MemoryStats
from ..translator import Translation, Translator

# Documents per actor call: small, so work spreads over the pool and results stream back.
DOCS_PER_BATCH = 4
# Rows carry text, never tensors: a small object store is plenty on a local Ray.
LOCAL_OBJECT_STORE_BYTES = 128 * 2**20
# Environment the workers need to find models and stay offline exactly like the driver.
_FORWARDED_ENV = ("VNSUM_", "HF_", "TRANSFORMERS_")
_FIELDS = ("label", "output", "sentences", "error", "hits", "misses")

Render = Callable[[Translation, str, str], str]  # (result, format, label) -> output text


class RayJobError(VnsumError):
    """The Ray job itself failed (an actor died, the cluster went away)."""


class DocumentError(VnsumError):
    """One document failed on a worker; the message is the worker's."""


@dataclass(frozen=True)
class JobSpec:
    """What every actor needs to build its Translator and render results."""

    options: dict[str, Any]  # Translator keyword arguments
    src: str
    tgt: str
    fmt: str
    render: Render


class TranslateActor:
    """A Ray actor: one Translator, reused for every batch of documents it is given."""

    def __init__(self, spec: JobSpec, threads: int):
        self.spec = spec
        self.translator = Translator(**spec.options, threads=threads)
        self.translator.backend(spec.src, spec.tgt)  # load now: a broken model fails the pool at start

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        out: dict[str, list] = {name: [] for name in _FIELDS}
        stats = self.translator.stats
        for label, path, relative in zip(batch["label"], batch["path"], batch["relative"]):
            hits, misses = stats.hits, stats.misses
            output, sentences, error = "", 0, ""
            try:
                text = read_source(Source(Path(path), Path(relative))).text
                result = self.translator.translate_document(text, self.spec.src, self.spec.tgt)
                output, sentences = self.spec.render(result, self.spec.fmt, label), len(result.segments)
            except VnsumError as exc:
                error = str(exc)
            except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
                error = f"{type(exc).__name__}: {exc}"
            for name, value in zip(_FIELDS, (label, output, sentences, error,
                                             stats.hits - hits, stats.misses - misses)):
                out[name].append(value)
        return out


class RayEngine:
    """Translate documents on Ray; ``result(source)`` returns them in the order given to ``start``."""

    def __init__(self, spec: JobSpec, *, address: str | None = None, concurrency: int | None = None):
        self.spec = spec
        self.address = address
        self.concurrency = concurrency
        self.stats = MemoryStats()
        self._rows: Iterator[dict] = iter(())
        self._failed: str | None = None
        self._started_ray = False

    def start(self, sources: list[Source]) -> None:
        """Connect to Ray and launch the job; results are pulled as ``result`` asks for them."""
        if any(s.path is None for s in sources):
            raise UsageError("--engine ray translates files and folders, not standard input")
        if self.concurrency is not None and self.concurrency < 1:
            raise UsageError("--concurrency must be at least 1")
        try:
            import ray
            import ray.data
        except ImportError:
            raise UsageError("--engine ray needs Ray Data: pip install 'vnsum[ray]'") from None
        self._started_ray = _connect(self.address)
        size, remote = _actor_resources(self.spec.options["device"], self.concurrency)
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        rows = [{"label": s.label, "path": str(s.path), "relative": str(s.relative)} for s in sources]
        dataset = ray.data.from_items(rows).map_batches(
            TranslateActor, batch_size=DOCS_PER_BATCH, compute=ray.data.ActorPoolStrategy(size=size),
            fn_constructor_kwargs={"spec": self.spec, "threads": remote["threads"]},
            num_cpus=remote["num_cpus"], num_gpus=remote["num_gpus"])
        self._rows = iter(dataset.iter_rows())

    def result(self, source: Source) -> tuple[str, int]:
        """(output, sentence count) of ``source``; raises the worker's error for a failed one.

        Rows arrive in input order; rows of documents the caller skipped (it could not
        read them either) are passed over.
        """
        if self._failed:
            raise RayJobError(f"not translated: the Ray job failed earlier: {self._failed}")
        try:
            for row in self._rows:
                self.stats.hits += int(row["hits"])
                self.stats.misses += int(row["misses"])
                if row["label"] == source.label:
                    if row["error"]:
                        raise DocumentError(row["error"])
                    return row["output"], int(row["sentences"])
        except VnsumError:
            raise
        except Exception as exc:  # noqa: BLE001 - Ray wraps worker failures in many types
            text = str(exc).strip()
            self._failed = f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}"
            raise RayJobError(self._failed) from None
        raise RayJobError(f"the Ray job returned no result for {source.label}")

    def close(self) -> None:
        """Disconnect, and stop the local Ray this engine started."""
        close = getattr(self._rows, "close", None)
        if close:
            close()  # stop the job before Ray goes away
        if self._started_ray:
            import ray

            ray.shutdown()
            self._started_ray = False


def _connect(address: str | None) -> bool:
    """Start a local Ray, or join ``address``; False when this process is already connected."""
    import ray

    if ray.is_initialized():
        return False
    env = {k: v for k, v in os.environ.items() if k.startswith(_FORWARDED_ENV)}
    local = {} if address else {"object_store_memory": LOCAL_OBJECT_STORE_BYTES}
    ray.init(address=address, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR,
             runtime_env={"env_vars": env}, **local)
    logging.getLogger("ray.data").setLevel(logging.ERROR)  # our own progress bar and summary say it
    return True


def _actor_resources(device: str, concurrency: int | None) -> tuple[int, dict[str, Any]]:
    """Pool size and per-actor resources: a GPU each when there are GPUs, else a CPU share."""
    import ray

    cluster = ray.cluster_resources()
    gpus, cpus = int(cluster.get("GPU", 0)), int(cluster.get("CPU", 1))
    if device.startswith("cuda") and not gpus:
        raise UsageError(f"--device {device} was asked for, but the Ray cluster has no GPU")
    if gpus and device != "cpu":
        size = concurrency or gpus
        return size, {"num_gpus": 1, "num_cpus": 1, "threads": 0}
    size = concurrency or max(1, cpus // 2)
    share = max(1, cpus // size)
    return size, {"num_gpus": 0, "num_cpus": share, "threads": share}
