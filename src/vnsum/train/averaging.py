"""Checkpoint averaging: the mean of the weights of the last few evaluations.

Late in training the weights wander around a minimum; their mean sits nearer its
centre and usually beats each of them (Vaswani et al. 2017 averaged the last 5 to 20
checkpoints). The trainer keeps the weights of the last ``[export] average``
evaluations in ``training/recent/`` and, at the end of a run, exports their mean when
its validation loss beats the best single evaluation. The run's own state keeps the
last weights, so a resumed run trains on from where it was, not from the mean.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


class RecentWeights:
    """The weights (float32) of the last ``keep`` evaluations, one file each, oldest dropped."""

    def __init__(self, folder: Path, keep: int):
        self.folder, self.keep = folder, keep

    def files(self) -> list[Path]:
        return sorted(self.folder.glob("step-*.pt"))

    def steps(self) -> list[int]:
        return [int(path.stem.removeprefix("step-")) for path in self.files()]

    def add(self, step: int, model: Any) -> None:
        """Keep this evaluation's weights (written whole, then renamed: a kill never leaves half a file)."""
        import torch

        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"step-{step:08d}.pt"
        tmp = path.with_suffix(".tmp")
        torch.save({k: v.detach().to("cpu", torch.float32 if v.is_floating_point() else v.dtype)
                    for k, v in model.state_dict().items()}, tmp)
        tmp.replace(path)
        for old in self.files()[:-self.keep]:
            old.unlink()

    def mean(self) -> dict[str, Any]:
        """The element-wise mean of the kept weights (integer buffers taken from the last)."""
        import torch

        total: dict[str, Any] = {}
        files = self.files()
        for path in files:
            for key, value in torch.load(path, map_location="cpu", weights_only=True).items():
                if key in total and value.is_floating_point():
                    total[key] += value
                else:  # cloned: tied weights load as one shared tensor, which must not be added to twice
                    total[key] = value.clone()
        return {k: v / len(files) if v.is_floating_point() else v for k, v in total.items()}
