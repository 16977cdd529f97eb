"""Fixtures for the robustness suite: bad inputs, faults and load (issue 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch, tmp_path):
    """A translation memory of this test's own, so no result is served from another run."""
    monkeypatch.setenv("VNSUM_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="session")
def article_vi() -> str:
    return (DATA / "article.vi.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def article_en() -> str:
    return (DATA / "article.en.txt").read_text(encoding="utf-8")


@pytest.fixture
def copy_cli(monkeypatch):
    """Every Translator the CLI builds uses CopyBackend, so an output is its input with the
    glossary renderings put in: exact, and proof of what text reached the translator."""
    from fakes import CopyBackend
    from vnsum import Translator

    real_init = Translator.__init__
    monkeypatch.setattr(Translator, "__init__",
                        lambda self, *a, **kw: real_init(self, *a, **{**kw, "backend": CopyBackend()}))
