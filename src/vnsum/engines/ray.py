"""Scale-out: the same translation pipeline as a Ray Data job.

Groups of documents (the local engine's groups, :mod:`vnsum.engines.jobs`) become
rows of a Ray dataset; ``map_batches`` hands them to a pool of actors, each holding one
Translator (one model, loaded once: ``concurrency`` actors, one GPU each when the
cluster has GPUs, else an equal share of the CPUs). Each actor reads its documents by
path and returns one row per document (output or error, reading notices, timing),
streamed back in input order, so the caller writes and records them exactly as it does
the local engine's (same names, same formats, same per-document failures). Without ``address`` a local Ray is started (no dashboard,
a small object store); ``address`` connects to an existing cluster, whose nodes must
see the input files and the models at the same paths (a shared file system).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from ..backends.base import Usage
from ..backends.remote import is_remote
from ..documents import Source
from ..errors import UsageError, VnsumError
from ..memory import MemoryStats
from .jobs import JobSpec, Outcome, groups
from .local import LocalEngine

# Rows carry text, never tensors: a small object store is plenty on a local Ray.
LOCAL_OBJECT_STORE_BYTES = 128 * 2**20
# Environment the workers need to find models and stay offline exactly like the driver.
_FORWARDED_ENV = ("VNSUM_", "HF_", "TRANSFORMERS_")


class RayJobError(VnsumError):
    """The Ray job itself failed (an actor died, the cluster went away)."""


class TranslateActor:
    """A Ray actor: one Translator, reused for every group of documents it is given.

    Each input row is one group (the same groups the local engine makes); each output
    row is one document's :class:`Outcome` plus the memory hits and misses, and what an
    LLM server was asked (``usage_requests``…, zero for a local model), since the
    previous row.
    """

    def __init__(self, spec: JobSpec, threads: int):
        self.local = LocalEngine(replace(spec, options={**spec.options, "threads": threads}))
        self.local.start()  # load now: a broken model fails the pool at start

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        rows: list[dict] = []
        stats = self.local.stats
        hits, misses, used = stats.hits, stats.misses, self._used()
        for paths, relatives in zip(batch["paths"], batch["relatives"]):
            sources = [Source(Path(p), Path(r)) for p, r in zip(paths, relatives)]
            for outcome in self.local.group(sources):
                now = self._used()
                row = asdict(outcome) | {"label": outcome.source.label, "notices": list(outcome.source.notices),
                                         "hits": stats.hits - hits, "misses": stats.misses - misses} | {
                                         f"usage_{name}": now[name] - used[name] for name in Usage.COUNTS}
                hits, misses, used = stats.hits, stats.misses, now
                del row["source"]
                rows.append(row)
        return {name: [row[name] for row in rows] for name in rows[0]} if rows else {}

    def _used(self) -> dict[str, int]:
        usage = self.local.usage
        return usage.to_dict() if usage is not None else dict.fromkeys(Usage.COUNTS, 0)


class RayEngine:
    """Translate documents on Ray; ``results`` yields their outcomes in the order given."""

    def __init__(self, spec: JobSpec, *, address: str | None = None, concurrency: int | None = None):
        if concurrency is not None and concurrency < 1:
            raise UsageError("--concurrency must be at least 1")
        self.spec = spec
        self.address = address
        self.concurrency = concurrency
        self.stats = MemoryStats()
        # An LLM server's usage, counted in each actor and summed here from the rows.
        self.usage = Usage() if is_remote(spec.options["model"]) else None
        self._rows: Iterator[dict] = iter(())
        self._started_ray = False

    def start(self) -> None:
        """Check that Ray Data is installed; the pool starts with the first documents."""
        try:
            import ray.data  # noqa: F401
        except ImportError:
            raise UsageError("--engine ray needs Ray Data: pip install 'vnsum[ray]'") from None

    def results(self, sources: Iterable[Source]) -> Iterator[Outcome]:
        """Outcomes in input order; if the job itself fails, the documents it did not
        finish fail with its reason (the finished ones stay finished)."""
        sources = list(sources)
        if any(s.path is None for s in sources):
            raise UsageError("--engine ray translates files and folders, not standard input")
        if not sources:
            return
        pending = iter(sources)
        try:
            self._launch(sources)
            for row in self._rows:
                source = next(pending)
                if row["label"] != source.label:
                    raise RayJobError(f"results out of order: {row['label']} came for {source.label}")
                self.stats.hits, self.stats.misses = self.stats.hits + row["hits"], self.stats.misses + row["misses"]
                if self.usage is not None:
                    self.usage.add(**{name: int(row[f"usage_{name}"]) for name in Usage.COUNTS})
                yield Outcome(replace(source, notices=tuple(row["notices"])), row["sha"], row["output"],
                              int(row["sentences"]), row["error"], float(row["seconds"]), int(row["to_check"]))
        except VnsumError as exc:
            failed = str(exc)
        except Exception as exc:  # noqa: BLE001 - Ray wraps worker failures in many types
            text = str(exc).strip()
            failed = f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}"
        else:
            failed = "the Ray job returned no result"
        for source in pending:
            yield Outcome(source, error=f"not translated: {failed}")

    def _launch(self, sources: list[Source]) -> None:
        import ray
        import ray.data

        self._started_ray = _connect(self.address)
        size, remote = _actor_resources(self.spec.options["device"], self.concurrency)
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        rows = [{"paths": [str(s.path) for s in group], "relatives": [str(s.relative) for s in group]}
                for group in groups(sources)]
        # A block per group, so the groups spread over the pool; no more actors than groups.
        dataset = ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(
            TranslateActor, batch_size=1, compute=ray.data.ActorPoolStrategy(size=min(size, len(rows))),
            fn_constructor_kwargs={"spec": self.spec, "threads": remote["threads"]},
            num_cpus=remote["num_cpus"], num_gpus=remote["num_gpus"])
        self._rows = iter(dataset.iter_rows())

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
