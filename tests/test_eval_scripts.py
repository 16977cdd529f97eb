"""The mechanism scripts of eval/ run against the current Translator and give the numbers
eval/README.md records (they use stand-in models, so the numbers are exact)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(script: str, *args: str) -> str:
    proc = subprocess.run([sys.executable, str(ROOT / "eval" / script), *args], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_termset_mechanism_gives_full_success_only_with_the_glossary():
    report = {(r["direction"], r["mode"]): r for r in json.loads(run("termset_mechanism.py", "-f", "json"))}
    assert [report[d, "glossary"]["tsr"] for d in ("vi-en", "en-vi")] == [100.0, 100.0]
    assert report["vi-en", "none"]["tsr"] < 20 and report["en-vi", "random"]["tsr"] < 5


@pytest.mark.slow
def test_llm_mechanism_table_rows():
    rows = [line.split(" | ") for line in run("llm_mechanism.py").splitlines() if line.startswith("| follows")]
    terms = int(rows[0][-3])  # as many as the glossary finds in the script's article
    # every term right, applied or repaired (a sentence made only of names is never sent to the model,
    # so its terms stay applied even where the scripted model drops codes), none missed
    counts = [(int(row[-3]), int(row[-2]), row[-1]) for row in rows]
    assert terms > 0 and all(a + r == terms and missed == "0 |" for a, r, missed in counts), rows


def test_glossary_bench_finds_the_same_terms_with_a_glossary_ten_times_larger(tmp_path):
    out = tmp_path / "bench.json"
    table = run("bench_glossary.py", "--sizes", "1", "2", "--rounds", "1", "--json", str(out))
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["same_matches"] and report["terms_found"] >= 10
    assert report["entries"]["10x"] == 10 * report["entries"]["1x"]
    assert [row["copies"] for row in report["match"]["10x"]] == [1, 2] and "| 2 |" in table


def test_glossary_bench_says_which_text_it_cannot_read(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "eval" / "bench_glossary.py"), "--text", str(tmp_path / "no")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "cannot read --text" in proc.stderr and "Traceback" not in proc.stderr
