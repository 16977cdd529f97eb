"""The main job on a fresh machine: the bundled vnsum-mini translates through the console
script, in both directions, with the glossary's renderings in place.

These run the real bundled weights (models/vnsum-mini/, committed), so they read the
output as a translation: English words for a Vietnamese article, Vietnamese for an
English one. What a small model gets wrong in wording is not tested; what the glossary
guarantees is.
"""

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "models" / "vnsum-mini"

pytestmark = pytest.mark.slow


def vnsum(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """The console script with only the bundled model on the machine (no presets, no network)."""
    env = {**os.environ, "VNSUM_MODELS": str(tmp_path / "models"), "HF_HUB_OFFLINE": "1",
           "VNSUM_CACHE": str(tmp_path / "cache")}
    return subprocess.run([str(Path(sys.executable).with_name("vnsum")), *args], capture_output=True, text=True,
                          env=env, timeout=600, cwd=ROOT)


def vietnamese_words(text: str) -> list[str]:
    """Words with Vietnamese letters (tone marks, ă â ê ô ơ ư đ)."""
    return [w for w in re.findall(r"\w+", text)
            if "đ" in w.lower() or any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", w))]


def test_the_bundled_model_is_in_the_repository():
    assert (BUNDLED / "config.json").is_file() and (BUNDLED / "model.safetensors").is_file(), \
        "models/vnsum-mini/ is missing: it is committed with the repository (models/vnsum-mini.md)"
    assert sum(p.stat().st_size for p in BUNDLED.iterdir()) < 30 * 2**20


@pytest.mark.parametrize("backend", ["ct2", "hf"])
def test_example_article_vi_to_en(tmp_path, backend):
    source = ROOT / "examples" / "bo-cong-an-hoi-nghi.vi.txt"
    out = tmp_path / "out.json"
    proc = vnsum("translate", str(source), "--format", "json", "-o", str(out), "--backend", backend,
                 tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "model auto -> vnsum-mini" in proc.stderr and "vnsum models pull opus-mt" in proc.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    text = result["text"]
    assert len(text.splitlines()) == len(source.read_text(encoding="utf-8").splitlines())
    assert "Lượt xem: 1204" in text.splitlines()  # site chrome is kept as written, never translated as prose
    assert not vietnamese_words(text.replace("Lượt xem: 1204", "")), text
    for rendering in ("Ministry of Public Security", "General Luong Tam Quang", "Ha Noi",
                      "Senior Lieutenant General Nguyen Van Long", "Ministry of National Defence",
                      "Ho Chi Minh City", "On 20 January 2026"):
        assert rendering in text, (rendering, text)
    assert result["term_counts"].get("applied", 0) >= 10
    # every sentence says how far to trust it, from the bundled model's own scores and thresholds
    levels = [segment["level"] for segment in result["segments"]]
    assert set(levels) <= {"ok", "check", "doubtful"} and result["to_check"] == sum(lv != "ok" for lv in levels)
    assert result["model_note"] == "demonstration model: check every sentence"
    # every sentence the model translated has its score; the dateline and a sentence made only of
    # glossary names are written by rule: no score, level ok
    by_rule = {"20/01/2026", "Đại tướng Lương Tam Quang, Ủy viên Bộ Chính trị, Bộ trưởng Bộ Công an chủ trì Hội nghị."}
    assert all(isinstance(s["confidence"], float) for s in result["segments"]
               if s["source"] not in by_rule and s["target"] != s["source"] and any(ch.isalpha() for ch in s["source"]))
    assert [(s["confidence"], s["level"]) for s in result["segments"] if s["source"] in by_rule] == [(None, "ok")] * 2
    assert "20 January 2026" in text.splitlines()  # the dateline follows the body's date style
    assert f"vnsum: {result['to_check']} of {len(levels)} sentences to check" in proc.stderr
    lead = {i for i, segment in enumerate(result["segments"]) if segment["line"] == 4}  # the first paragraph
    assert [t for t in result["terms"] if t["sentence"] in lead and t["status"] == "missed"] == []


def test_example_article_en_to_vi(tmp_path):
    source = ROOT / "examples" / "mps-crime-prevention.en.txt"
    proc = vnsum("translate", "-s", "en", "-t", "vi", str(source), tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    words = re.findall(r"\w+", text)
    assert len(vietnamese_words(text)) > len(words) / 3, text  # Vietnamese, not English left as it was
    # English writes names without diacritics, so only the glossary's own entries can be
    # given theirs back ("Luong Tam Quang" stays as written)
    for rendering in ("Bộ Công an", "Đại tướng", "Thượng tướng", "Thứ trưởng Bộ Công an", "Bộ Quốc phòng",
                      "Hà Nội", "Thành phố Hồ Chí Minh", "15/4/2026"):
        assert rendering in text, (rendering, text)


def test_mark_puts_a_marker_after_each_sentence_to_check(tmp_path):
    source = ROOT / "examples" / "bo-cong-an-hoi-nghi.vi.txt"
    plain = vnsum("translate", str(source), tmp_path=tmp_path)
    marked = vnsum("translate", "--mark", str(source), tmp_path=tmp_path)
    assert plain.returncode == marked.returncode == 0, marked.stderr
    markers = re.findall(r" \[(?:CHECK|DOUBTFUL)(?:: [^\]]*)?\]", marked.stdout)
    checked = int(re.search(r"vnsum: (\d+) of \d+ sentences to check", marked.stderr).group(1))
    assert 0 < len(markers) == checked
    assert re.sub(r" \[(?:CHECK|DOUBTFUL)(?:: [^\]]*)?\]", "", marked.stdout) == plain.stdout  # markers only
    assert "[CHECK" not in plain.stdout and "[DOUBTFUL" not in plain.stdout
    wrong = vnsum("translate", "--mark", "--format", "json", str(source), tmp_path=tmp_path)
    assert wrong.returncode == 2 and "--mark marks text output" in wrong.stderr
