#!/usr/bin/env python3
"""Train the bundled vnsum-mini model on a lent GPU, in one call, and bring it back.

Three steps, two machines:

1. Here (needs ../shared/data and the project's .venv, for sacremoses):
       .venv/bin/python scripts/train_vnsum_mini_device.py prepare
   copies the training, validation and FLORES files into ``.devdata/`` (git-ignored by
   its own .gitignore; ~19 MB, under the 64 MB that may travel).
2. On the GPU machine (carry ``.devdata``; nothing else is needed there):
       PYTHONPATH=src PYTHONUNBUFFERED=1 python3 scripts/train_vnsum_mini_device.py run \\
           --config models/vnsum-mini.toml --out "$OUT" --device cuda
   trains within the config's time budget, scores FLORES-200 devtest both ways as a
   smoke check, and writes to $OUT: the model folder as a tar split into parts under
   15 MiB (``vnsum-mini.tar.part-aa``…), ``metrics.json`` and ``train.log``.
3. Here again:
       .venv/bin/python scripts/train_vnsum_mini_device.py unpack FOLDER_WITH_PARTS
   puts the model into ``models/vnsum-mini/``. The model card's official numbers come
   from ``vnsum eval translation`` run here afterwards, not from the smoke check.

The ``run`` step is tested on CPU with ``models/tiny-test.toml`` (tests/test_train.py).
"""

from __future__ import annotations

import argparse
import html
import io
import json
import platform
import shutil
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PART_BYTES = 15 * 2**20
NAME = "vnsum-mini"
# .devdata/<name> <- ../shared/data/<path>; "detok": undo the Stanford tokenization of IWSLT.
SOURCES = {
    "train.vi": ("train-vi-en/train.vi", False), "train.en": ("train-vi-en/train.en", False),
    "phomt.vi": ("phomt-test/test.vi", False), "phomt.en": ("phomt-test/test.en", False),
    "valid.vi": ("iwslt15-tst2012/tst2012.vi", True), "valid.en": ("iwslt15-tst2012/tst2012.en", True),
    "flores.vi": ("flores200-devtest/vie_Latn.devtest", False),
    "flores.en": ("flores200-devtest/eng_Latn.devtest", False),
}


def prepare(args: argparse.Namespace) -> int:
    """Copy what the device needs into the git-ignored ``--devdata`` folder."""
    from sacremoses import MosesDetokenizer

    devdata = Path(args.devdata)
    devdata.mkdir(parents=True, exist_ok=True)
    (devdata / ".gitignore").write_text("*\n", encoding="utf-8")
    for name, (relative, detok) in SOURCES.items():
        source = Path(args.shared) / relative
        if not source.is_file():
            print(f"missing {source}", file=sys.stderr)
            return 1
        if detok:
            moses = MosesDetokenizer(lang=name.rsplit(".", 1)[1])
            lines = source.read_text(encoding="utf-8").splitlines()
            text = "".join(moses.detokenize(html.unescape(line).split()) + "\n" for line in lines)
            (devdata / name).write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(source, devdata / name)
    total = sum(p.stat().st_size for p in devdata.iterdir())
    shown = devdata.resolve().relative_to(ROOT) if devdata.resolve().is_relative_to(ROOT) else devdata
    print(f"{devdata}: {len(SOURCES)} files, {total / 2**20:.1f} MiB; carry it as '{shown}'")
    return 0


def _config(args: argparse.Namespace):
    """The config, its data pointed at ``--devdata`` and its limits set from the command line."""
    from vnsum.train import Corpus, TrainConfig

    devdata = Path(args.devdata)
    config = TrainConfig.load(args.config)
    train = tuple(Corpus(devdata / f"{stem}.vi", devdata / f"{stem}.en") for stem in ("train", "phomt")
                  if (devdata / f"{stem}.vi").is_file())
    config = config.replace("data", train=train, valid=Corpus(devdata / "valid.vi", devdata / "valid.en"))
    if args.max_steps:
        config = config.replace("run", max_steps=args.max_steps)
    if args.time_budget:
        config = config.replace("run", time_budget=args.time_budget)
    if args.smoke_lines:
        config = config.replace("data", survival_max=args.smoke_lines)
    return config


def _environment(device: str) -> dict:
    import torch
    import transformers

    env = {"python": platform.python_version(), "torch": torch.__version__,
           "transformers": transformers.__version__, "device": device}
    if device.startswith("cuda"):
        env["gpu"] = torch.cuda.get_device_name(0)
    return env


def _flores(folder: Path, devdata: Path, device: str, limit: int | None) -> dict:
    """BLEU/chrF on FLORES-200 devtest both ways (the first ``limit`` lines), no glossary,
    beam 4: a smoke check."""
    import sacrebleu
    from vnsum import Translator
    from vnsum.train.evaluate import trained_backend

    if not (devdata / "flores.vi").is_file():
        return {}
    backend = trained_backend(folder, device=device, beam_size=4, batch_size=64)
    translator = Translator(backend=backend, glossary=None)
    lines = {lang: (devdata / f"flores.{lang}").read_text(encoding="utf-8").splitlines()[:limit]
             for lang in ("vi", "en")}
    scores = {}
    for src, tgt in (("vi", "en"), ("en", "vi")):
        started = time.monotonic()
        hyps = translator.translate(lines[src], src=src, tgt=tgt)
        seconds = time.monotonic() - started
        scores[f"{src}-{tgt}"] = {
            "bleu": round(sacrebleu.corpus_bleu(hyps, [lines[tgt]]).score, 2),
            "chrf": round(sacrebleu.corpus_chrf(hyps, [lines[tgt]]).score, 2),
            "sentences": len(hyps), "sentences_per_second": round(len(hyps) / seconds, 1),
            "first_outputs": hyps[:3]}  # to see at a glance whether outputs depend on the input
    return scores


def _pack(folder: Path, out: Path) -> list[str]:
    """The model folder (without the resume state) as a tar split into parts under 15 MiB."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name != "state.pt":
                tar.add(path, arcname=str(path.relative_to(folder)))
    data = buffer.getvalue()
    names = []
    for i in range(0, len(data), PART_BYTES):
        name = f"{NAME}.tar.part-{chr(97 + i // PART_BYTES // 26)}{chr(97 + i // PART_BYTES % 26)}"
        (out / name).write_bytes(data[i:i + PART_BYTES])
        names.append(name)
    return names


def run(args: argparse.Namespace) -> int:
    """Train, pack, smoke-check; metrics.json is rewritten after each step, so whatever
    ends the call early (the command's time limit), what was done is in ``--out``."""
    config = _config(args)
    from vnsum.errors import VnsumError
    from vnsum.train import train

    out, work = Path(args.out), Path(args.work)
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(work, ignore_errors=True)
    metrics: dict = {"environment": _environment(args.device), "config": str(args.config)}
    started = time.monotonic()

    def record() -> None:
        metrics["wall_seconds"] = round(time.monotonic() - started, 1)
        log = work / "training" / "log.jsonl"
        if log.is_file():
            shutil.copyfile(log, out / "train.log")
        (out / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")

    try:
        metrics["train"] = train(config, work, device=args.device, progress=False).to_dict()
        metrics["parts"] = _pack(work, out)
        record()
        metrics["flores_devtest_smoke"] = _flores(work, Path(args.devdata), args.device, args.smoke_lines)
        code = 0
    except VnsumError as exc:
        metrics["error"] = f"{type(exc).__name__}: {exc}"
        code = 1
    record()
    print(json.dumps({k: v for k, v in metrics.items() if k != "train"}, ensure_ascii=False, indent=2))
    return code


def unpack(args: argparse.Namespace) -> int:
    """Join the parts brought back from the device into the model folder."""
    parts = sorted(Path(args.parts).glob(f"{NAME}.tar.part-*"))
    if not parts:
        print(f"no {NAME}.tar.part-* in {args.parts}", file=sys.stderr)
        return 1
    into = Path(args.into)
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(b"".join(p.read_bytes() for p in parts))) as tar:
        tar.extractall(into, filter="data")
    print(f"unpacked {len(parts)} part(s) into {into}")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="step", required=True)
    pre = sub.add_parser("prepare", help="copy the data the device needs into --devdata (here)")
    pre.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    pre.add_argument("--devdata", default=str(ROOT / ".devdata"))
    pre.set_defaults(func=prepare)
    r = sub.add_parser("run", help="train, smoke-check and pack into --out (on the GPU machine)")
    r.add_argument("--config", default=str(ROOT / "models" / f"{NAME}.toml"))
    r.add_argument("--devdata", default=str(ROOT / ".devdata"))
    r.add_argument("--out", required=True, help="folder whose files come back ($OUT)")
    r.add_argument("--work", default=f"/tmp/{NAME}", help="where the run writes its model and resume state")
    r.add_argument("--device", default="cuda")
    r.add_argument("--max-steps", type=int)
    r.add_argument("--time-budget", type=float)
    r.add_argument("--smoke-lines", type=int,
                   help="CPU dry runs: score only N FLORES lines and N held-out placeholder sentences")
    r.set_defaults(func=run)
    u = sub.add_parser("unpack", help="join the parts brought back into models/vnsum-mini/ (here)")
    u.add_argument("parts", help="folder with vnsum-mini.tar.part-*")
    u.add_argument("--into", default=str(ROOT / "models" / NAME))
    u.set_defaults(func=unpack)
    args = p.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
