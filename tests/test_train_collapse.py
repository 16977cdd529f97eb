"""The bundled model's real shape must learn to read its source on real language.

The post-norm Marian configuration collapsed on real data: its encoder gave the same
vector at every position and for every sentence (standard deviation 3e-7), and the
decoder became a language model of the target. A copy task is too easy to show that,
so this trains the shape of ``models/vnsum-mini-cpu.toml`` (its [model] section as it
is) for a few hundred steps on news sentences written for these tests, and fails if the
encoder collapses or the validation loss does not depend on the source.

The glossary is left out: the real run mixes it in at under 1% of its data, but against
these 40 pairs the bundled glossary (276 entries since issue 23) is most of the data, and
240 steps then learn it instead (gap 0.04 to 0.08 on the news sentences, measured). The
real runs' gaps, glossary included, are in the model cards.
"""

from pathlib import Path

import pytest

from vnsum.train import Corpus, TrainConfig, train

ROOT = Path(__file__).resolve().parents[1]
PAIRS = Path(__file__).parent / "data" / "news-pairs.tsv"

pytestmark = pytest.mark.slow


def spread(model, tokenizer, sentences: list[str]) -> tuple[float, float]:
    """Encoder outputs: mean std across positions, and the distance between sentences'
    mean vectors relative to their size (both ~0 for a collapsed encoder)."""
    import torch

    means, within = [], []
    with torch.inference_mode():
        for text in sentences:
            ids = tokenizer(text, return_tensors="pt")
            hidden = model.get_encoder()(**ids).last_hidden_state[0]
            within.append(float(hidden.std(dim=0).mean()))
            means.append(hidden.mean(dim=0))
    between = float((means[0] - means[1]).norm() / means[0].norm().clamp_min(1e-9))
    return sum(within) / len(within), between


def test_real_shape_reads_its_source(tmp_path):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    real = TrainConfig.load(ROOT / "models" / "vnsum-mini-cpu.toml")
    valid_src, valid_tgt = tmp_path / "valid.vi", tmp_path / "valid.en"
    lines = PAIRS.read_text(encoding="utf-8").splitlines()[::5]  # seen sentences: their loss must depend on the source
    valid_src.write_text("".join(line.split("\t")[0] + "\n" for line in lines), encoding="utf-8")
    valid_tgt.write_text("".join(line.split("\t")[1] + "\n" for line in lines), encoding="utf-8")
    config = (real.replace("data", train=(Corpus(tsv=PAIRS),), valid=Corpus(src=valid_src, tgt=valid_tgt),
                           glossary=None, valid_max=200, survival_max=0)
              .replace("vocab", size=700, sample_sentences=10_000, placeholders=8)
              .replace("batch", tokens=1500, eval_tokens=4000)
              .replace("optim", warmup_steps=60)
              .replace("run", max_steps=240, eval_every=80, time_budget=0.0, log_every=40)
              .replace("check", min_gap=0.0))  # the gap is asserted below, at the end

    result = train(config, tmp_path / "out", device="cpu", progress=False)

    gaps = [h["gap"] for h in result.history]  # a collapsed encoder gives 0.000 at every evaluation
    assert gaps[-1] > 0.2 and gaps[-1] > gaps[0], f"validation loss hardly depends on the source: gaps {gaps}"
    model = AutoModelForSeq2SeqLM.from_pretrained(tmp_path / "out").float().eval()
    tokenizer = AutoTokenizer.from_pretrained(tmp_path / "out")
    within, between = spread(model, tokenizer, [">>en<< Bộ Y tế tổ chức hội nghị tổng kết công tác năm.",
                                                ">>vi<< Thousands of volunteers took part in cleaning the beach."])
    assert within > 0.1 and between > 0.05, f"encoder collapsed: std across positions {within}, between {between}"
