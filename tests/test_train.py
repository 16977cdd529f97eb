"""`vnsum train` on a CPU with a tiny config: sentences written for these tests, seconds per run.

The tiny model memorises a few dozen pairs; nothing here reads its output as a
translation. What is checked is the machinery: loss falls, the model reads its source
(swapped sources cost it), the saved folder loads through the normal Translator with
its target tags, a run resumes exactly, and the placeholder convention is taught and
measured.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fakes import CopyBackend, DropPlaceholders, InventPlaceholder, MangleCase
from vnsum import Translator
from vnsum.cli import main
from vnsum.errors import InputError, UsageError
from vnsum.glossary import Glossary
from vnsum.train import Corpus, SourceIgnoredError, TrainConfig, train
from vnsum.train.batching import Encoded, marian_ids, token_batches
from vnsum.train.data import Example, Pair, directional, read_corpus
from vnsum.train.evaluate import check_attention_kernel, swap_within_language, trained_backend
from vnsum.train.placeholders import masked, survival
from vnsum.train.schedule import SCHEDULES
from vnsum.backends.adapters import TargetTagAdapter

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "models" / "tiny-test.toml"

PAIRS = [
    ("Bộ Công an tổ chức hội nghị tổng kết công tác năm 2025.",
     "The Ministry of Public Security held a conference to review its work in 2025."),
    ("Hội nghị diễn ra tại Hà Nội.", "The conference took place in Ha Noi."),
    ("Bộ trưởng phát biểu chỉ đạo hội nghị.", "The Minister delivered a speech directing the conference."),
    ("Thứ trưởng Bộ Công an dự lễ ký kết.", "The Deputy Minister of Public Security attended the signing ceremony."),
    ("Bộ Y tế triển khai kế hoạch mới.", "The Ministry of Health launched a new plan."),
    ("Bộ Tài chính công bố số liệu quý 3.", "The Ministry of Finance announced figures for the third quarter."),
    ("Lực lượng công an bắt giữ 12 đối tượng.", "Police forces arrested 12 suspects."),
    ("Vụ việc xảy ra vào ngày 14 tháng 4.", "The incident happened on 14 April."),
    ("Thủ tướng yêu cầu các bộ khẩn trương thực hiện.", "The Prime Minister asked the ministries to act urgently."),
    ("Đoàn công tác đã làm việc với tỉnh Nghệ An.", "The delegation worked with Nghe An province."),
    ("Chương trình phối hợp giai đoạn 2026 – 2030 được ký kết.",
     "The coordination programme for 2026 – 2030 was signed."),
    ("Bộ Ngoại giao tiếp đoàn đại biểu ASEAN.", "The Ministry of Foreign Affairs received the ASEAN delegation."),
    ("Cơ quan điều tra đã khởi tố vụ án.", "The investigation agency has prosecuted the case."),
    ("Người dân được hướng dẫn làm thủ tục trực tuyến.", "People were guided to complete procedures online."),
    ("Tai nạn giao thông giảm 8% so với năm trước.", "Traffic accidents fell by 8% compared with the previous year."),
    ("Bộ Quốc phòng và Bộ Công an phối hợp chặt chẽ.",
     "The Ministry of National Defence and the Ministry of Public Security cooperate closely."),
    ("Hội nghị thông qua nghị quyết về an ninh mạng.", "The conference adopted a resolution on cybersecurity."),
    ("Các đại biểu thảo luận về phòng, chống tội phạm.", "The delegates discussed crime prevention."),
    ("Bộ Tư pháp lấy ý kiến về dự thảo luật.", "The Ministry of Justice sought comments on the draft law."),
    ("Năm 2024, toàn ngành đạt nhiều kết quả quan trọng.", "In 2024, the whole sector achieved many important results."),
    ("Phó Thủ tướng kiểm tra công tác phòng chống lũ.", "The Deputy Prime Minister inspected flood prevention work."),
    ("Tổng cộng 350 cán bộ tham gia tập huấn.", "A total of 350 officers took part in the training."),
    ("Lễ khai mạc được tổ chức trang trọng.", "The opening ceremony was held solemnly."),
    ("Cảnh sát giao thông tăng cường tuần tra.", "Traffic police stepped up patrols."),
    ("Tỉnh đã hỗ trợ 500 hộ dân bị ảnh hưởng.", "The province supported 500 affected households."),
    ("Hội nghị kết thúc vào chiều cùng ngày.", "The conference ended in the afternoon of the same day."),
    ("Công an thành phố triệt phá đường dây ma túy.", "City police dismantled a drug ring."),
    ("Bộ trưởng Bộ Công an trao bằng khen cho 20 tập thể.",
     "The Minister of Public Security presented certificates of merit to 20 collectives."),
]
GLOSSARY = """vi\ten\tkind\tvariants\tsource
Bộ Công an\tMinistry of Public Security\torg\tMPS\ttest
Bộ Y tế\tMinistry of Health\torg\t\ttest
Bộ Tài chính\tMinistry of Finance\torg\t\ttest
Bộ trưởng\tMinister\ttitle\t\ttest
"""


def _write(folder: Path, name: str, pairs) -> tuple[Path, Path]:
    src, tgt = folder / f"{name}.vi", folder / f"{name}.en"
    src.write_text("".join(v + "\n" for v, _ in pairs), encoding="utf-8")
    tgt.write_text("".join(e + "\n" for _, e in pairs), encoding="utf-8")
    return src, tgt


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    """A tiny model trains fastest on one thread (and the test machine's cores are shared)."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("corpus")
    train_src, train_tgt = _write(folder, "train", PAIRS)
    valid_src, valid_tgt = _write(folder, "valid", PAIRS[::4])  # seen sentences: memorised, so the gap is wide
    glossary = folder / "glossary.tsv"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    return {"train_src": train_src, "train_tgt": train_tgt, "valid_src": valid_src, "valid_tgt": valid_tgt,
            "glossary": glossary, "folder": folder}


def tiny(corpus, **run) -> TrainConfig:
    config = TrainConfig.load(TINY).replace(
        "data", train=(Corpus(corpus["train_src"], corpus["train_tgt"]),),
        valid=Corpus(corpus["valid_src"], corpus["valid_tgt"]), glossary=str(corpus["glossary"]))
    return config.replace("run", **run) if run else config


@pytest.fixture(scope="module")
def trained(corpus, tmp_path_factory):
    output = tmp_path_factory.mktemp("run") / "tiny"
    return output, train(tiny(corpus), output, device="cpu", progress=False)


def test_loss_goes_down_and_swapped_sources_cost_more(trained):
    _, result = trained
    first, last = result.history[0], result.history[-1]
    assert last["valid_loss"] < first["valid_loss"] - 0.5
    assert last["shuffled_source_loss"] > last["valid_loss"] + 0.3
    assert result.stopped == "max_steps" and result.steps == 100 and result.best_step == last["step"]


@pytest.mark.parametrize("engine", ["hf", "ct2"])
def test_checkpoint_reloads_through_the_normal_translator_with_target_tags(trained, engine, monkeypatch):
    # a model of 100 steps loops; the retry of such outputs has tests of its own
    monkeypatch.setattr("vnsum.passes.problem", lambda source, output: None)
    folder, _ = trained
    assert {"config.json", "source.spm", "target.spm", "vocab.json", "model.safetensors"} <= {
        p.name for p in folder.iterdir()}
    tr = Translator(model=str(folder), glossary=None, device="cpu", beam_size=1, dtype="float32", backend=engine)
    reference = trained_backend(folder, device="cpu", beam_size=1)
    vi, en = [v for v, _ in PAIRS[:6]], [e for _, e in PAIRS[:6]]
    assert tr.translate(vi, src="vi", tgt="en") == reference.generate(vi, "vi", "en")
    assert tr.translate(en, src="en", tgt="vi") == reference.generate(en, "en", "vi")
    assert isinstance(tr.backend("vi", "en").adapter, TargetTagAdapter)
    # The tag decides the output language: the same input answered both ways differs.
    assert reference.generate(vi, "vi", "en") != reference.generate(vi, "en", "vi")


def test_target_tag_is_one_token_before_the_source(trained):
    folder, _ = trained
    tok = trained_backend(folder, device="cpu").tokenizer
    ids = tok(TargetTagAdapter().source_text("Bộ Công an", "vi", "en")).input_ids
    assert ids[0] == tok.convert_tokens_to_ids(">>en<<") and ids[1:] == tok("Bộ Công an").input_ids


def test_placeholder_survival_is_measured_on_held_out_sentences(trained):
    _, result = trained
    kept = result.survival
    assert kept["sentences"] > 0 and kept["placeholders"] >= kept["sentences"]
    assert kept["rate"] == kept["copied_once"] / kept["placeholders"]


def test_resume_continues_exactly_where_the_run_stopped(corpus, tmp_path):
    import torch
    from safetensors.torch import load_file

    straight = train(tiny(corpus, max_steps=20, eval_every=10), tmp_path / "straight", device="cpu",
                     progress=False)
    train(tiny(corpus, max_steps=10, eval_every=10), tmp_path / "split", device="cpu", progress=False)
    resumed = train(tiny(corpus, max_steps=20, eval_every=10), tmp_path / "split", device="cpu",
                    resume=True, progress=False)
    assert resumed.steps == 20 and [h["step"] for h in resumed.history] == [10, 20]
    assert resumed.history == straight.history
    a, b = (load_file(tmp_path / run / "model.safetensors") for run in ("straight", "split"))
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_recent_weights_keep_the_last_few_and_average_tied_weights_once(tmp_path):
    import torch

    from vnsum.train.averaging import RecentWeights

    class Tied(torch.nn.Module):
        def __init__(self, value: float):
            super().__init__()
            self.embed = torch.nn.Parameter(torch.full((2, 3), value))
            self.head = self.embed  # tied, as the models' embeddings and output layer
            self.register_buffer("count", torch.tensor(int(value)))

    recent = RecentWeights(tmp_path, keep=3)
    for step, value in enumerate([10.0, 1.0, 2.0, 6.0], 1):
        recent.add(step * 50, Tied(value))
    assert recent.steps() == [100, 150, 200]
    mean = recent.mean()
    assert torch.equal(mean["embed"], torch.full((2, 3), 3.0)) and torch.equal(mean["head"], mean["embed"])
    assert int(mean["count"]) == 6  # an integer buffer is taken from the last, not averaged


def test_averaged_weights_are_exported_only_when_they_validate_better(corpus, tmp_path):
    import torch
    from safetensors.torch import load_file

    from vnsum.train.averaging import RecentWeights

    config = tiny(corpus, max_steps=60, eval_every=10).replace("export", average=3)
    result = train(config, tmp_path / "run", device="cpu", progress=False)
    averaged = result.averaged
    assert averaged["steps"] == [40, 50, 60]
    assert averaged["exported"] == (averaged["valid_loss"] < min(h["valid_loss"] for h in result.history))
    exported = load_file(tmp_path / "run" / "model.safetensors")
    mean = RecentWeights(tmp_path / "run" / "training" / "recent", 3).mean()
    assert all(torch.allclose(exported[k], mean[k]) for k in exported) == averaged["exported"]
    # the run's own state keeps the last step's weights, so --resume trains on from there
    last = torch.load(tmp_path / "run" / "training" / "recent" / "step-00000060.pt", weights_only=True)
    state = torch.load(tmp_path / "run" / "training" / "state.pt", weights_only=True)["model"]
    assert all(torch.equal(state[k], last[k]) for k in last)


def test_output_with_a_run_is_not_overwritten_and_resume_needs_one(corpus, trained, tmp_path):
    folder, _ = trained
    with pytest.raises(UsageError, match="--resume"):
        train(tiny(corpus), folder, device="cpu", progress=False)
    with pytest.raises(UsageError, match="nothing to resume"):
        train(tiny(corpus), tmp_path / "empty", device="cpu", resume=True, progress=False)


def test_training_stops_when_the_model_ignores_its_source(corpus, tmp_path):
    same = [(PAIRS[0][0], e) for _, e in PAIRS]  # every source alike: nothing to read in it
    src, tgt = _write(tmp_path, "same", same)
    config = tiny(corpus, max_steps=40, eval_every=20).replace(
        "data", train=(Corpus(src, tgt),), valid=Corpus(src, tgt), directions="forward", placeholder_share=0.0)
    config = config.replace("check", after_steps=20)
    with pytest.raises(SourceIgnoredError, match="ignoring its source"):
        train(config, tmp_path / "out", device="cpu", progress=False)


def test_fine_tuning_an_existing_marian_folder(corpus, tmp_path):
    from tinymodels import make_marian

    base = make_marian(tmp_path / "opus-like")
    config = tiny(corpus, max_steps=6, eval_every=3).replace("model", init_from=str(base))
    with pytest.raises(UsageError, match="target-language tags"):
        train(config, tmp_path / "both", device="cpu", progress=False)
    result = train(config.replace("data", directions="forward"), tmp_path / "ft", device="cpu", progress=False)
    assert result.steps == 6 and result.history[-1]["valid_loss"] < result.history[0]["valid_loss"]
    out = Translator(model=str(tmp_path / "ft"), glossary=None, device="cpu", beam_size=1).translate("Bộ Y tế.")
    assert isinstance(out, str)


@pytest.fixture
def glossary(corpus) -> Glossary:
    return Glossary.load(corpus["glossary"])


@pytest.mark.parametrize("source, target, src, tgt, masked_source, masked_target", [
    ("Bộ Công an bắt giữ 12 đối tượng.", "The Ministry of Public Security arrested 12 suspects.", "vi", "en",
     "ZZ0 bắt giữ ZZ1 đối tượng.", "The ZZ0 arrested ZZ1 suspects."),
    ("Năm 2025, Bộ Y tế và Bộ Công an ký kết.", "The Ministry of Public Security and the Ministry of Health "
     "signed in 2025.", "vi", "en", "Năm ZZ0, ZZ1 và ZZ2 ký kết.", "The ZZ2 and the ZZ1 signed in ZZ0."),
    ("The MPS met the Ministry of Health.", "Bộ Công an làm việc với Bộ Y tế.", "en", "vi",
     "The ZZ0 met the ZZ1.", "ZZ0 làm việc với ZZ1."),  # "MPS" is an English variant of Bộ Công an
    ("Bộ Công an họp.", "The ministry met.", "vi", "en", None, None),
])
def test_masked_copies_use_the_enforcers_placeholders(glossary, source, target, src, tgt, masked_source,
                                                      masked_target):
    got = masked(Example(source, target, src, tgt), glossary)
    if masked_source is None:
        assert got is None
    else:
        assert (got.source, got.target) == (masked_source, masked_target)


def test_variant_rendering_in_the_target_is_masked_too(glossary):
    got = masked(Example("Bộ Công an họp.", "The MPS met.", "vi", "en"), glossary)
    assert (got.source, got.target) == ("ZZ0 họp.", "The ZZ0 met.")


class _Duplicate(CopyBackend):
    def transform(self, sentence: str) -> str:
        return sentence + " ZZ0"


@pytest.mark.parametrize("backend, rate, intact", [
    (CopyBackend(), 1.0, 2), (MangleCase(), 1.0, 2), (DropPlaceholders(), 0.0, 0), (InventPlaceholder(), 1.0, 0),
    (_Duplicate(), 1 / 3, 0)])
def test_survival_counts_placeholders_copied_exactly_once(backend, rate, intact):
    examples = [Example("ZZ0 họp tại ZZ1.", "x", "vi", "en"), Example("ZZ0 met.", "x", "en", "vi")]
    got = survival(backend, examples)
    assert (got.sentences, got.placeholders, got.intact) == (2, 3, intact)
    assert got.rate == pytest.approx(rate)


def test_parallel_files_and_tsv_are_read_and_misalignment_is_named(tmp_path):
    src, tgt = _write(tmp_path, "a", PAIRS[:3])
    assert read_corpus(Corpus(src, tgt), ("vi", "en"))[0] == Pair(*PAIRS[0])
    tsv = tmp_path / "a.tsv"
    tsv.write_text("vi\ten\n" + "".join(f"{v}\t{e}\n" for v, e in PAIRS[:3]) + "\n", encoding="utf-8")
    assert read_corpus(Corpus(tsv=tsv), ("vi", "en")) == read_corpus(Corpus(src, tgt), ("vi", "en"))
    tgt.write_text("only one line\n", encoding="utf-8")
    with pytest.raises(InputError, match="a.vi has 3 lines but .*a.en has 1"):
        read_corpus(Corpus(src, tgt), ("vi", "en"))
    tsv.write_text("Bộ Công an\tMinistry of Public Security\nno tab here\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"a.tsv:2: expected a source and a target"):
        read_corpus(Corpus(tsv=tsv), ("vi", "en"))


def test_both_directions_give_two_examples_per_pair():
    config = TrainConfig.load(TINY).data
    assert directional([Pair("Xin chào.", "Hello.")], config) == [
        Example("Xin chào.", "Hello.", "vi", "en"), Example("Hello.", "Xin chào.", "en", "vi")]


def test_config_errors_name_the_file_and_the_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[model]\nd_modle = 64\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"bad.toml \[model\]: unknown key\(s\) d_modle"):
        TrainConfig.load(bad)
    bad.write_text("[optim]\nschedule = \"cosine\"\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"bad.toml \[optim\]: schedule = 'cosine' is not one of"):
        TrainConfig.load(bad)
    bad.write_text("[run]\nmax_steps = \"many\"\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"\[run\] max_steps: expected int"):
        TrainConfig.load(bad)


def test_a_config_that_extends_another_changes_only_its_own_keys(tmp_path):
    anneal = TrainConfig.load(ROOT / "models" / "vnsum-mini-cpu-anneal.toml")
    base = TrainConfig.load(ROOT / "models" / "vnsum-mini-cpu.toml")
    assert anneal.model.init_from == "models/vnsum-mini" and anneal.optim.schedule == "linear"
    assert anneal.data == base.data and anneal.model.d_model == base.model.d_model
    assert anneal.optim.label_smoothing == base.optim.label_smoothing and anneal.run.eval_every == base.run.eval_every
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"a.toml: extends b.toml in a loop|b.toml: extends a.toml in a loop"):
        TrainConfig.load(tmp_path / "a.toml")
    (tmp_path / "c.toml").write_text('extends = "missing.toml"\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"no training config at .*missing.toml"):
        TrainConfig.load(tmp_path / "c.toml")


def test_bundled_configs_load():
    mini = TrainConfig.load(ROOT / "models" / "vnsum-mini.toml")
    assert mini.data.directions == "both" and mini.export.dtype == "float16" and len(mini.data.train) == 2


def test_token_batches_respect_the_limit_and_cover_every_example():
    import random

    lengths = [3, 9, 4, 17, 5, 5, 12, 2, 30, 7]
    enc = Encoded([[1] * n for n in lengths], [[1] * (n + 1) for n in lengths], ["en"] * len(lengths))
    batches = token_batches(enc, 64, random.Random(0))
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for b in batches:
        assert len(b) == 1 or len(b) * (max(lengths[i] for i in b) + max(lengths[i] + 1 for i in b)) <= 64


def test_fast_marian_ids_equal_the_tokenizers_own(trained):
    folder, _ = trained
    tok = trained_backend(folder, device="cpu").tokenizer
    texts = [">>en<< " + v for v, _ in PAIRS] + [e for _, e in PAIRS] + ["Chữ lạ: ∮ ☃ <unk> ZZ0 ZZ12", ">>vi<< ZZ1"]
    assert marian_ids(tok, texts) == tok(texts)["input_ids"]


def test_swapped_sources_keep_the_target_language():
    langs = ["en", "vi", "en", "vi", "en", "vi", "en"]
    perm = swap_within_language(langs, seed=3)
    assert all(perm[i] != i and langs[perm[i]] == langs[i] for i in range(len(langs)))


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_schedules_warm_up_then_decay(name):
    factor = SCHEDULES[name](10, 100)
    assert factor(0) == pytest.approx(0.1) and factor(9) == pytest.approx(1.0)
    assert factor(50) < factor(20) < 1.0


def test_attention_kernel_matches_the_reference_on_cpu():
    assert check_attention_kernel("cpu", "fp32") < 1e-4


def test_cli_trains_and_prints_a_summary(corpus, tmp_path, capsys):
    out = tmp_path / "cli"
    code = main(["train", "--config", str(TINY), "--train-src", str(corpus["train_src"]),
                 "--train-tgt", str(corpus["train_tgt"]), "--valid-src", str(corpus["valid_src"]),
                 "--valid-tgt", str(corpus["valid_tgt"]), "--output", str(out), "--max-steps", "4", "-q"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["steps"] == 4 and (out / "training" / "report.json").is_file()
    assert main(["train", "--config", str(TINY), "--train-src", str(corpus["train_src"])]) == 2
    assert "--train-src and --train-tgt go together" in capsys.readouterr().err


@pytest.mark.slow
def test_device_script_runs_its_cpu_path_with_the_tiny_config(corpus, tmp_path):
    devdata = tmp_path / "devdata"
    devdata.mkdir()
    for stem, pairs in (("train", PAIRS), ("valid", PAIRS[::4]), ("flores", PAIRS[1::5])):
        _write(devdata, stem, pairs)
    out, script = tmp_path / "out", ROOT / "scripts" / "train_vnsum_mini_device.py"
    done = subprocess.run(
        [sys.executable, str(script), "run", "--config", str(TINY), "--devdata", str(devdata), "--out", str(out),
         "--work", str(tmp_path / "work"), "--device", "cpu", "--max-steps", "20"],
        capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["train"]["steps"] == 20 and set(metrics["flores_devtest_smoke"]) == {"vi-en", "en-vi"}
    assert metrics["parts"] and all((out / p).stat().st_size <= 15 * 2**20 for p in metrics["parts"])
    unpacked = subprocess.run([sys.executable, str(script), "unpack", str(out), "--into", str(tmp_path / "model")],
                              capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert unpacked.returncode == 0, unpacked.stderr
    assert (tmp_path / "model" / "config.json").is_file() and not (tmp_path / "model" / "training" / "state.pt").exists()


def test_saved_model_files_are_readable_like_any_other_file(trained):
    import os

    folder, _ = trained
    umask = os.umask(0)
    os.umask(umask)
    modes = {p.name: p.stat().st_mode & 0o777 for p in folder.iterdir() if p.is_file()}
    assert "model.safetensors" in modes
    assert set(modes.values()) == {0o666 & ~umask}


@pytest.mark.parametrize("engine", ["hf", "ct2"])
def test_into_english_no_piece_with_vietnamese_letters(trained, engine):
    """A two-way model's joint vocabulary: pieces with Vietnamese letters are suppressed
    into English (a small model unsure of a word would copy it), allowed into Vietnamese."""
    import re

    folder, _ = trained
    tr = Translator(model=str(folder), glossary=None, device="cpu", beam_size=2, backend=engine)
    backend = tr.backend("vi", "en")
    banned = backend.adapter.prepare(backend.tokenizer, "vi", "en")["suppress_tokens"]
    pieces = backend.tokenizer.convert_ids_to_tokens(banned)
    assert pieces and all(re.search(r"[À-ỹđĐ]", p) for p in pieces)
    assert backend.adapter.prepare(backend.tokenizer, "en", "vi") == {}
    # Vietnamese sources with the English tag, English ones too: never a Vietnamese letter out
    inputs = [v for v, _ in PAIRS[:8]] + [e for _, e in PAIRS[:8]]
    outputs = backend.generate(inputs, "vi", "en")
    assert not [o for o in outputs if re.search(r"[À-ỹđĐ]", o)]
    assert any(re.search(r"[À-ỹđĐ]", o) for o in backend.generate([e for _, e in PAIRS[:8]], "en", "vi"))
