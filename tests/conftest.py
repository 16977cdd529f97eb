"""Shared fixtures: generated tiny models, fake backends, an article in this genre."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakes import CopyBackend
from tinymodels import make_marian, make_nllb, make_t5

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _offline(monkeypatch, tmp_path_factory, tmp_path):
    """No test may reach the network, a user's real Hugging Face cache, or a translation
    memory another test filled (each test gets its own ``VNSUM_CACHE``)."""
    monkeypatch.setenv("VNSUM_CACHE", str(tmp_path / "vnsum-cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path_factory.getbasetemp() / "hf-cache"))
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_CACHE",
                        str(tmp_path_factory.getbasetemp() / "hf-cache"), raising=False)


@pytest.fixture(scope="session")
def model_root(tmp_path_factory) -> Path:
    """A models/ folder holding generated stand-ins for every preset, laid out as pulled."""
    root = tmp_path_factory.mktemp("models")
    make_marian(root / "opus-mt" / "vi-en")
    make_marian(root / "opus-mt" / "en-vi")
    make_t5(root / "envit5")
    make_nllb(root / "nllb-600m")
    make_t5(root / "vit5")  # a summarizer preset: T5 with plain-text input
    return root


@pytest.fixture
def with_models(monkeypatch, model_root) -> Path:
    monkeypatch.setenv("VNSUM_MODELS", str(model_root))
    return model_root


@pytest.fixture
def article() -> str:
    return (DATA / "article.vi.txt").read_text(encoding="utf-8")


@pytest.fixture
def copy_translator():
    from vnsum import Translator

    return Translator(backend=CopyBackend())
