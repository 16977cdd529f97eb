"""Marian folders read without transformers (vnsum.backends.marian_spm): the same tokens as
transformers' MarianTokenizer, and a CTranslate2 run that never imports torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ctranslate2")

from transformers import AutoTokenizer  # noqa: E402

from vnsum.backends.marian_spm import MarianPieces, read_marian  # noqa: E402

from tinymodels import make_marian, make_t5  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [">>en<< Bộ Công an tổ chức hội nghị ZZ0, ZZ1.", ">>vi<< The Ministry of Public Security met.",
         "  Xin   chào  ", "", ">>en<<", "a </s> b <unk> c <pad>", "Tô Lâm — “trích dẫn” 1.200 ₫ 😀\u00a0x",
         "ZZ12 ZZ0ZZ1", "unknownsymbolsẞ€"]


@pytest.fixture(scope="module", params=["generated", "vnsum-mini"])
def marian_folder(request, tmp_path_factory) -> Path:
    if request.param == "generated":
        return make_marian(tmp_path_factory.mktemp("marian"))
    return ROOT / "models" / "vnsum-mini"


def test_tokens_and_decoding_are_transformers_own(marian_folder):
    theirs, ours = AutoTokenizer.from_pretrained(marian_folder), MarianPieces(marian_folder)
    assert ours(TEXTS).input_ids == theirs(TEXTS).input_ids
    assert ours(text_target=TEXTS).input_ids == theirs(text_target=TEXTS).input_ids
    for text in TEXTS:
        ids = theirs(text).input_ids
        assert ours.convert_ids_to_tokens(ids) == theirs.convert_ids_to_tokens(ids)
        assert ours.decode(ids) == theirs.decode(ids)
        assert ours.decode(ids, skip_special_tokens=True) == theirs.decode(ids, skip_special_tokens=True)
    assert ours.get_vocab() == theirs.get_vocab() and ours.pad_token == theirs.pad_token


def test_other_folders_are_left_to_transformers(tmp_path):
    assert read_marian(make_t5(tmp_path / "t5")) is None
    folder = make_marian(tmp_path / "marian")
    (folder / "generation_config.json").unlink()  # derived by transformers from config.json
    assert read_marian(folder) is None


def test_a_ct2_run_of_the_bundled_model_imports_neither_torch_nor_transformers(tmp_path):
    """The cold start of `vnsum translate` is mostly these imports (eval/README.md §8)."""
    env = {**os.environ, "VNSUM_OFFLINE": "1", "OMP_NUM_THREADS": "1", "VNSUM_CACHE": str(tmp_path)}
    command = [sys.executable, "-c", "import sys, json\nfrom vnsum.cli import main\n"
               "code = main(['translate', '-', '--no-tm', '-s', 'vi', '-t', 'en', '--model', 'vnsum-mini', '-q'])\n"
               "print(json.dumps([m for m in ('torch', 'transformers') if m in sys.modules]), file=sys.stderr)\n"
               "sys.exit(code)"]
    for _ in range(2):  # the first may convert the model (that needs transformers), once
        run = subprocess.run(command, input="Bộ Công an tổ chức hội nghị.", capture_output=True, text=True,
                             env=env, cwd=ROOT, timeout=300)
        assert run.returncode == 0, run.stderr
    assert "Ministry of Public Security" in run.stdout
    assert json.loads(run.stderr.strip().splitlines()[-1]) == []
