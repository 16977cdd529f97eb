"""The CTranslate2 backend against the transformers backend, on generated models of
every family (their output is noise: these tests compare engines, never wording).

What is genuinely comparable: with float32 weights and greedy search both engines
compute the same network on the same tokens, so they must pick the same token at every
step and give identical documents — segmentation, placeholders, restored terms and
their statuses included. That holds only when both also stop at the same length: a
random model never emits its end token and always runs to the length cap, which
transformers computes per batch of ``batch_size`` sentences and CTranslate2 per call,
so ``batch_size`` is set above the sentence count. Random outputs are loops, which the
translator would decode again against repeats; the engines apply ``no_repeat_ngram_size``
with small differences, so the document comparison turns that retry off and
:func:`test_both_engines_honour_the_retry_settings` checks the settings themselves. The models are generated with a
fixed seed so near-ties between two tokens (where float rounding could legitimately
pick either) are the same on every run. In int8 the weights differ, so only what does
not depend on the weights is compared: segmentation, term matching and layout.
"""

import json
import logging
from dataclasses import replace
from pathlib import Path

import pytest

ctranslate2 = pytest.importorskip("ctranslate2")

from vnsum import Translator  # noqa: E402
from vnsum.backends.ct2 import ConversionError, CTranslate2Backend  # noqa: E402
from vnsum.backends.hf import TransformersBackend  # noqa: E402
from vnsum.cli import main  # noqa: E402

from tinymodels import make_marian, make_nllb, make_t5  # noqa: E402

DATA = Path(__file__).parent / "data"
EXACT = {"device": "cpu", "dtype": "float32", "beam_size": 1, "batch_size": 64}


@pytest.fixture(scope="module")
def seeded_models(tmp_path_factory) -> Path:
    """A models/ folder like ``model_root``, with weights drawn from a fixed seed."""
    import torch

    torch.manual_seed(20260120)
    root = tmp_path_factory.mktemp("seeded-models")
    make_marian(root / "opus-mt" / "vi-en")
    make_marian(root / "opus-mt" / "en-vi")
    make_t5(root / "envit5")
    make_nllb(root / "nllb-600m")
    return root


@pytest.fixture
def seeded(monkeypatch, seeded_models) -> Path:
    monkeypatch.setenv("VNSUM_MODELS", str(seeded_models))
    return seeded_models


# Short documents with glossary terms and names: random models decode to the length cap,
# so the test's cost grows with the square of the sentence length.
DOCUMENTS = {
    "vi": "Bộ Công an họp tại Hà Nội.\n\nĐại tướng Lương Tam Quang phát biểu. Thứ trưởng Bộ Công an dự.\n",
    "en": "The Ministry of Public Security met in Ha Noi.\n\nGeneral Luong Tam Quang spoke. Hà Nội.\n",
}


def _article(src: str) -> str:
    # the tiny models have 64 positions: long sentences are cut into clauses, as in real use
    return (DATA / f"article.{src}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("preset", ["opus-mt", "envit5", "nllb-600m"])
@pytest.mark.parametrize("src, tgt", [("vi", "en"), ("en", "vi")])
def test_float32_greedy_documents_are_identical(seeded, monkeypatch, preset, src, tgt):
    monkeypatch.setattr("vnsum.passes.problem", lambda source, output: None)
    hf = Translator(preset, backend="hf", **EXACT)
    ct2 = Translator(preset, backend="ct2", **EXACT)
    assert isinstance(ct2.backend(src, tgt), CTranslate2Backend)
    assert isinstance(hf.backend(src, tgt), TransformersBackend)
    a = hf.translate_document(DOCUMENTS[src], src, tgt)
    b = ct2.translate_document(DOCUMENTS[src], src, tgt)
    assert b.text == a.text
    # the same outputs and flags; the scores agree to a few percent (float32 kernels differ), so a
    # score next to a threshold may land on either side: levels are not compared
    assert ([replace(s, confidence=None, level="") for s in b.segments]
            == [replace(s, confidence=None, level="") for s in a.segments])
    assert [s.confidence for s in b.segments] == pytest.approx([s.confidence for s in a.segments], rel=0.05)
    assert b.terms == a.terms
    assert a.terms  # the glossary was exercised, statuses and all


def test_int8_keeps_segmentation_term_matching_and_layout(seeded):
    a = Translator("opus-mt", backend="hf", device="cpu", beam_size=1).translate_document(_article("vi"))
    b = Translator("opus-mt", backend="ct2", device="cpu", beam_size=1).translate_document(_article("vi"))
    assert "[ct2 int8]" in b.model
    assert [s.source for s in b.segments] == [s.source for s in a.segments]
    assert [s.line for s in b.segments] == [s.line for s in a.segments]
    assert [(t.source, t.target, t.sentence) for t in b.terms] == [(t.source, t.target, t.sentence) for t in a.terms]
    assert b.text.count("\n") == a.text.count("\n")


class Spy:
    """Wraps a ctranslate2.Translator and records the arguments of each call."""

    def __init__(self, inner):
        self.inner, self.calls = inner, []

    def translate_batch(self, source, target_prefix=None, **kw):
        self.calls.append((source, target_prefix, kw))
        return self.inner.translate_batch(source, target_prefix, **kw)


@pytest.mark.parametrize("preset, src, tgt, source_start, prefix", [
    ("opus-mt", "vi", "en", "Bộ Công an", None),
    ("envit5", "vi", "en", "vi: Bộ Công an", None),  # the T5 prefix is in the input text
    ("envit5", "en", "vi", "en: Bộ Công an", None),
    ("nllb-600m", "vi", "en", "vie_Latn Bộ Công an", ["eng_Latn"]),  # NLLB: target language as target prefix
    ("nllb-600m", "en", "vi", "eng_Latn Bộ Công an", ["vie_Latn"]),
])
def test_family_inputs_and_token_batching(seeded, preset, src, tgt, source_start, prefix):
    backend = Translator(preset, backend="ct2", device="cpu", beam_size=3, batch_size=8).backend(src, tgt)
    spy = backend.translator = Spy(backend.translator)
    out = backend.generate(["Bộ Công an họp.", "Hà Nội."], src, tgt)
    assert len(out) == 2 and all(isinstance(o, str) for o in out)
    (source, target_prefix, kw), = spy.calls
    assert "".join(source[0]).replace("\u2581", " ").lstrip().startswith(source_start)
    assert target_prefix == (None if prefix is None else [prefix, prefix])
    assert kw["batch_type"] == "tokens" and kw["max_batch_size"] == 8 * 64 and kw["beam_size"] == 3


def test_greedy_fast_mode_is_beam_one(seeded, tmp_path, capsys):
    src = tmp_path / "a.vi.txt"
    src.write_text("Bộ Công an họp.\n", encoding="utf-8")
    assert main(["translate", str(src), "--backend", "ct2", "--greedy", "--format", "json", "--no-tm"]) == 0
    assert "[ct2 int8]" in json.loads(capsys.readouterr().out)["model"]
    tr = Translator("opus-mt", backend="ct2", beam_size=1)
    assert tr.backend("vi", "en").beam_size == 1


def test_converted_once_into_models_then_reused(seeded):
    first = Translator("opus-mt", backend="ct2", device="cpu").backend("vi", "en")
    assert first.path == seeded / "opus-mt-vi-en-ct2-int8"
    weights = first.path / "model.bin"
    mtime = weights.stat().st_mtime_ns
    Translator("opus-mt", backend="ct2", device="cpu").backend("vi", "en")
    assert weights.stat().st_mtime_ns == mtime
    assert not [p for p in seeded.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_replaced_weights_are_converted_again(tmp_path, model_root):
    import shutil

    folder = tmp_path / "my-model"
    shutil.copytree(model_root / "opus-mt" / "vi-en", folder)
    first = Translator(str(folder), backend="ct2", device="cpu").backend("vi", "en")
    assert first.path.parent == tmp_path / "vnsum-cache" / "ct2"  # into the cache, not beside the user's folder
    stamp = (first.path / "vnsum-source.json").read_text(encoding="utf-8")
    make_marian(folder)  # new weights in place
    second = Translator(str(folder), backend="ct2", device="cpu").backend("vi", "en")
    assert (second.path / "vnsum-source.json").read_text(encoding="utf-8") != stamp


def test_auto_picks_ct2_when_installed(with_models, caplog):
    with caplog.at_level(logging.INFO, logger="vnsum.translator"):
        backend = Translator("opus-mt", device="cpu").backend("vi", "en")
    assert isinstance(backend, CTranslate2Backend) and backend.compute_type == "int8"
    assert "backend auto -> ct2" in caplog.text


def test_auto_falls_back_to_hf_when_conversion_fails(with_models, monkeypatch, caplog):
    def broken(source, target, compute_type):
        raise ConversionError(f"could not convert {source} to CTranslate2 ({compute_type}): unsupported")

    monkeypatch.setattr("vnsum.backends.ct2.convert", broken)
    with caplog.at_level(logging.WARNING, logger="vnsum.translator"):
        backend = Translator("opus-mt", device="cpu").backend("vi", "en")
    assert isinstance(backend, TransformersBackend)
    assert "backend auto -> hf: could not convert" in caplog.text
    with pytest.raises(ConversionError, match="unsupported"):
        Translator("opus-mt", backend="ct2", device="cpu").backend("vi", "en")


def test_auto_without_the_package_is_hf(with_models, monkeypatch, caplog):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "ctranslate2" else real(name, *a))
    with caplog.at_level(logging.INFO, logger="vnsum.translator"):
        backend = Translator("opus-mt", device="cpu").backend("vi", "en")
    assert isinstance(backend, TransformersBackend)
    assert "ctranslate2 package is not installed" in caplog.text


def test_compute_type_the_device_lacks_is_explained(with_models):
    if "int8_float16" in ctranslate2.get_supported_compute_types("cpu"):
        pytest.skip("this CPU build computes in int8_float16")
    with pytest.raises(ConversionError, match="cannot compute in int8_float16 on cpu.*supported: .*int8"):
        Translator("opus-mt", backend="ct2", device="cpu", dtype="int8_float16").backend("vi", "en")


def test_unknown_backend_name(with_models):
    from vnsum.errors import UsageError

    with pytest.raises(UsageError, match="unknown backend 'fast'.*auto, hf, ct2"):
        Translator("opus-mt", backend="fast")


@pytest.mark.parametrize("backend", ["hf", "ct2"])
def test_both_engines_honour_the_retry_settings(seeded, backend):
    """A random model loops; with no bigram allowed twice, no pair of tokens repeats."""
    from vnsum.backends import Decoding

    engine = Translator("opus-mt", backend=backend, **EXACT).backend("vi", "en")
    sentence = "Bộ Công an họp tại Hà Nội."
    free = engine.generate([sentence], "vi", "en")[0]
    held = engine.generate([sentence], "vi", "en", decoding=Decoding(no_repeat_ngram_size=2))[0]
    tokens = engine.tokenizer.tokenize(held)
    pairs = list(zip(tokens, tokens[1:]))
    assert free != held
    assert len(pairs) == len(set(pairs)) and pairs
