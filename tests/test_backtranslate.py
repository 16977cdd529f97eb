"""Back-translation (`vnsum backtranslate`) and training on its output (tagged back-translation).

A deterministic stand-in translates in the logic tests (alignment, rejected outputs,
resuming after a stop, refusing to mix models); the command itself runs end to end on
a generated tiny model, whose output is only counted, never read as a translation.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vnsum.cli import main
from vnsum.errors import UsageError
from vnsum.train import Corpus, TrainConfig
from vnsum.train import backtranslate as bt
from vnsum.train.data import Pair, corpus_examples, read_corpus
from vnsum.train.tags import SYNTHETIC
from vnsum.train.trainer import Trainer

ROOT = Path(__file__).resolve().parents[1]

SENTENCES = [
    "Bộ Công an tổ chức hội nghị tổng kết công tác năm 2025.",
    "Hội nghị diễn ra tại Hà Nội.",
    "",
    "Lực lượng công an bắt giữ 12 đối tượng.",
    "Bộ trưởng phát biểu chỉ đạo hội nghị.",
    "Vụ việc xảy ra vào ngày 14 tháng 4.",
    "Đoàn công tác đã làm việc với tỉnh Nghệ An.",
]


def fake(batch):
    """A stand-in model: reverses the words, and loops on the sentence about arrests."""
    return ["the the the the the the" if "bắt giữ" in s else " ".join(reversed(s.split())) for s in batch]


@pytest.fixture
def mono(tmp_path) -> Path:
    path = tmp_path / "news.vi"
    path.write_text("".join(s + "\n" for s in SENTENCES), encoding="utf-8")
    return path


def test_output_is_a_corpus_that_training_reads_with_degenerate_outputs_left_empty(mono, tmp_path):
    out = tmp_path / "news.tsv"
    result = bt.backtranslate(fake, "fake", mono, out, "vi", "en", progress=False)
    rows = out.read_text(encoding="utf-8").split("\n")[:-1]
    assert rows[0] == "vi\ten"
    expected = ["" if not s or "bắt giữ" in s else " ".join(reversed(s.split())) for s in SENTENCES]
    assert rows[1:] == [f"{s}\t{e}" for s, e in zip(SENTENCES, expected)]
    assert (result.total, result.done, result.translated, result.rejected) == (7, 7, 7, 1)
    pairs = read_corpus(Corpus(tsv=out, synthetic="en"), ("vi", "en"))
    assert pairs == [Pair(s, e) for s, e in zip(SENTENCES, expected) if e]


def test_a_back_translation_from_english_is_read_the_right_way_round(tmp_path):
    mono = tmp_path / "news.en"
    mono.write_text("The conference took place in Ha Noi.\n", encoding="utf-8")
    out = tmp_path / "news.tsv"
    bt.backtranslate(lambda b: ["Hội nghị diễn ra tại Hà Nội."], "fake", mono, out, "en", "vi", progress=False)
    assert read_corpus(Corpus(tsv=out, synthetic="vi"), ("vi", "en")) == [
        Pair("Hội nghị diễn ra tại Hà Nội.", "The conference took place in Ha Noi.")]


def test_a_stopped_run_continues_after_its_last_complete_line(mono, tmp_path, monkeypatch):
    monkeypatch.setattr(bt, "CHUNK", 2)
    out = tmp_path / "news.tsv"
    calls = []

    def stops_on_third_chunk(batch):
        calls.append(list(batch))
        if len(calls) == 3:
            raise KeyboardInterrupt
        return fake(batch)

    with pytest.raises(KeyboardInterrupt):
        bt.backtranslate(stops_on_third_chunk, "fake", mono, out, "vi", "en", progress=False)
    assert out.read_text(encoding="utf-8").count("\n") == 1 + 4
    with open(out, "a", encoding="utf-8") as f:  # a write cut off mid-line
        f.write("Vụ việc xảy ra\thalf a sent")
    calls.clear()
    result = bt.backtranslate(lambda b: calls.append(list(b)) or fake(b), "fake", mono, out, "vi", "en",
                              progress=False)
    assert [s for call in calls for s in call] == SENTENCES[4:]
    assert (result.resumed_from, result.translated, result.done) == (4, 3, 7)
    whole = tmp_path / "whole.tsv"
    bt.backtranslate(fake, "fake", mono, whole, "vi", "en", progress=False)
    assert out.read_bytes() == whole.read_bytes()


def test_a_continuation_with_another_model_is_refused(mono, tmp_path):
    out = tmp_path / "news.tsv"
    bt.backtranslate(fake, "model A", mono, out, "vi", "en", limit=3, progress=False)
    with pytest.raises(UsageError, match="model='model A'"):
        bt.backtranslate(fake, "model B", mono, out, "vi", "en", progress=False)
    foreign = tmp_path / "foreign.tsv"
    foreign.write_text("a line someone else wrote, no newline", encoding="utf-8")
    with pytest.raises(UsageError, match="not written by vnsum backtranslate"):
        bt.backtranslate(fake, "model A", mono, foreign, "vi", "en", progress=False)
    assert foreign.read_text(encoding="utf-8") == "a line someone else wrote, no newline"


def test_an_output_longer_than_the_input_is_refused(mono, tmp_path):
    out = tmp_path / "news.tsv"
    bt.backtranslate(fake, "fake", mono, out, "vi", "en", progress=False)
    with pytest.raises(UsageError, match="7 sentences, more than the 3"):
        bt.backtranslate(fake, "fake", mono, out, "vi", "en", limit=3, progress=False)


def test_command_runs_on_a_model_then_resumes_with_nothing_left(with_models, mono, tmp_path, capsys):
    out = tmp_path / "bt" / "news.tsv"
    argv = ["backtranslate", str(mono), "-o", str(out), "--model", "opus-mt", "--backend", "hf",
            "--beam-size", "1", "--limit", "5", "-q"]
    assert main(argv) == 0
    first = json.loads(capsys.readouterr().out)
    assert (first["total"], first["done"], first["translated"]) == (5, 5, 5)
    assert out.read_text(encoding="utf-8").count("\n") == 1 + 5
    assert main(argv) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["resumed_from"], again["translated"]) == (5, 0)


def test_command_errors_name_the_option(mono, tmp_path, capsys):
    assert main(["backtranslate", str(mono), "-o", str(tmp_path / "o.en"), "-s", "en", "-t", "en"]) == 2
    assert "both 'en'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:  # numbers are checked by argparse
        main(["backtranslate", str(mono), "-o", str(tmp_path / "o.en"), "--beam-size", "0"])
    assert exc.value.code == 2 and "argument --beam-size: must be at least 1, got 0" in capsys.readouterr().err


def test_a_missing_input_is_named(with_models, tmp_path, capsys):
    assert main(["backtranslate", str(tmp_path / "nope.vi"), "-o", str(tmp_path / "o.en"),
                 "--model", "opus-mt", "--backend", "hf", "-q"]) == 2
    assert "nope.vi: no such file" in capsys.readouterr().err


def test_a_synthetic_corpus_trains_only_out_of_its_machine_made_side_tagged():
    config = TrainConfig().data
    pairs = [Pair("Hội nghị diễn ra tại Hà Nội.", "The conference took place in Ha Noi.")]
    bt_only = corpus_examples(Corpus(Path("a"), Path("b"), synthetic="en"), pairs, config)
    assert [(e.src, e.tgt, e.source) for e in bt_only] == [("en", "vi", f"{SYNTHETIC} {pairs[0].tgt}")]
    both = corpus_examples(Corpus(Path("a"), Path("b"), synthetic="en", synthetic_targets=True), pairs, config)
    assert [(e.src, e.tgt, e.source) for e in both] == [("vi", "en", pairs[0].src),
                                                         ("en", "vi", f"{SYNTHETIC} {pairs[0].tgt}")]
    assert len(corpus_examples(Corpus(Path("a"), Path("b")), pairs, config)) == 2
    with pytest.raises(UsageError, match="synthetic_targets needs synthetic"):
        Corpus(Path("a"), Path("b"), synthetic_targets=True)


def _write(folder: Path, name: str, pairs) -> Corpus:
    src, tgt = folder / f"{name}.vi", folder / f"{name}.en"
    src.write_text("".join(v + "\n" for v, _ in pairs), encoding="utf-8")
    tgt.write_text("".join(e + "\n" for _, e in pairs), encoding="utf-8")
    return Corpus(src, tgt)


@pytest.mark.parametrize("tagged", [True, False])
def test_trainer_tags_back_translated_sources_with_one_piece_or_refuses(tmp_path, tagged):
    real = [(s, " ".join(reversed(s.split()))) for s in SENTENCES if s]
    corpus = _write(tmp_path, "real", real)
    synthetic = _write(tmp_path, "bt", real[:3])
    config = TrainConfig.load(ROOT / "models" / "tiny-test.toml").replace(
        "data", train=(corpus, Corpus(synthetic.src, synthetic.tgt, synthetic="en")), valid=corpus)
    config = config.replace("vocab", size=120, synthetic_tag=tagged)
    if not tagged:
        with pytest.raises(UsageError, match="synthetic_tag = true"):
            Trainer(config, tmp_path / "run", device="cpu", progress=False)
        return
    trainer = Trainer(config, tmp_path / "run", device="cpu", progress=False)
    sources = [trainer.tokenizer.convert_ids_to_tokens(list(ids)) for ids in trainer.train_set.source]
    tagged_sources = [tokens for tokens in sources if SYNTHETIC in tokens]
    # the tag is one piece right after the target tag (SentencePiece may put a lone "▁" between)
    assert len(tagged_sources) >= 3
    assert all(tokens[0] == ">>vi<<" and SYNTHETIC in tokens[1:3] for tokens in tagged_sources)


def test_the_vnsum_small_configs_add_back_translations_then_anneal_without_changing_the_model():
    base = TrainConfig.load(ROOT / "models" / "vnsum-small-cpu.toml")
    config = TrainConfig.load(ROOT / "models" / "vnsum-small-cpu-bt.toml")
    assert config.data.train[:-1] == base.data.train and config.model_signature() == base.model_signature()
    assert config.data.train[-1] == Corpus(tsv=Path.home() / ".cache/vnsum/bt/news.tsv", synthetic="en")
    assert base.vocab.synthetic_tag
    anneal = TrainConfig.load(ROOT / "models" / "vnsum-small-cpu-anneal.toml")
    assert anneal.data == config.data and anneal.model_signature() == base.model_signature()
    assert anneal.optim.schedule == "linear" and anneal.optim.lr == base.optim.lr
    later = TrainConfig.load(ROOT / "models" / "vnsum-small-cpu-continue.toml")
    assert later.data == config.data and later.model.init_from == "models/vnsum-small"
