"""``vnsum eval …`` end to end: JSON and text output, files in and out, usage errors.

Model-backed runs use the generated tiny models: their output is noise, so these tests
check structure and plumbing, never a score's value (scores are tested in test_metrics_*).
"""

import json
from pathlib import Path

import pytest

from vnsum.cli import main
from vnsum.metrics.translation import corpus_scores

SHARED = Path(__file__).parents[2] / "shared" / "data"
TERMSET = ("id\tdoc\tsource\tterms\n"
           "1\td1\tBộ Công an họp tại Hà Nội.\tBộ Công an=Ministry of Public Security; Hà Nội=Ha Noi\n"
           "2\td1\tĐại tướng Tô Lâm phát biểu.\tĐại tướng=General; Tô Lâm=To Lam\n"
           "3\td1\tBộ Công an kết thúc hội nghị.\tBộ Công an=Ministry of Public Security\n")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run_json(capsys, *argv) -> dict:
    assert main(["eval", *argv]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def files(tmp_path):
    src = write(tmp_path / "src.vi", "Bộ Công an họp tại Hà Nội.\nĐại tướng Tô Lâm phát biểu.\n")
    ref = write(tmp_path / "ref.en", "The Ministry of Public Security met in Ha Noi.\nGeneral To Lam spoke.\n")
    hyp = write(tmp_path / "hyp.en", "The Ministry of Public Security met in Hanoi.\nGeneral To Lam spoke.\n")
    base = write(tmp_path / "base.en", "The ministry met.\nTo Lam spoke.\n")
    return src, ref, hyp, base


def test_translation_scores_an_existing_output(capsys, files):
    src, ref, hyp, base = files
    report = run_json(capsys, "translation", "--src", str(src), "--ref", str(ref), "--hyp", str(hyp))
    expected = corpus_scores(hyp.read_text(encoding="utf-8").splitlines(),
                             [ref.read_text(encoding="utf-8").splitlines()], "en")
    assert report["scores"] == [s.to_dict() for s in expected]
    assert (report["sentences"], report["direction"], report["data_format"]) == (2, "vi-en", "plain")
    assert report["system"] == {"hyp": str(hyp)}


def test_scoring_an_existing_output_needs_no_source(capsys, files):
    src, ref, hyp, _ = files
    with_source = run_json(capsys, "translation", "--src", str(src), "--ref", str(ref), "--hyp", str(hyp))
    without = run_json(capsys, "translation", "--ref", str(ref), "--hyp", str(hyp))
    assert without["scores"] == with_source["scores"] and without["sentences"] == 2
    assert without["test_set"] == ref.name
    assert main(["eval", "translation", "--hyp", str(hyp)]) == 2
    assert "--hyp FILE --ref FILE (score an existing output" in capsys.readouterr().err


def test_a_misaligned_output_file_is_named(capsys, files, tmp_path):
    src, ref, _, _ = files
    short = write(tmp_path / "short.en", "One line only.\n")
    assert main(["eval", "translation", "--src", str(src), "--ref", str(ref), "--hyp", str(short)]) == 1
    assert f"{short} has 1 lines but the test set has 2" in capsys.readouterr().err


def test_translation_comparison_and_text_table(capsys, files):
    src, ref, hyp, base = files
    assert main(["eval", "translation", "--src", str(src), "--ref", str(ref), "--hyp", str(hyp),
                 "--compare-hyp", str(base), "--bootstrap-samples", "50", "-f", "text"]) == 0
    out = capsys.readouterr().out
    assert "BLEU" in out and "nrefs:1|case:mixed|eff:no|tok:13a" in out
    assert f"paired bootstrap against {base}" in out
    report = run_json(capsys, "translation", "--src", str(src), "--ref", str(ref), "--hyp", str(hyp),
                      "--compare-hyp", str(base), "--bootstrap-samples", "50")
    assert [c["metric"] for c in report["comparison"]["results"]] == ["BLEU", "chrF2++", "TER"]
    assert all(c["delta"] > 0 for c in report["comparison"]["results"][:2])
    assert report["notes"] == []
    same = run_json(capsys, "translation", "--src", str(src), "--ref", str(ref), "--hyp", str(hyp),
                    "--compare-hyp", str(hyp), "--bootstrap-samples", "50")
    assert "the two outputs are identical" in same["notes"][0]


def test_translation_with_a_model_writes_its_output(capsys, monkeypatch, with_models, files, tmp_path):
    src, ref, _, _ = files
    out = tmp_path / "out.en"
    monkeypatch.setenv("VNSUM_CACHE", str(tmp_path / "cache"))
    report = run_json(capsys, "translation", "--src", str(src), "--ref", str(ref), "-o", str(out),
                      "--beam-size", "1", "-q")
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    assert report["system"]["model"].startswith("opus-mt") and report["system"]["glossary"].startswith("vn-gov@")
    assert sum(report["system"]["term_counts"].values()) == 4
    # a random model's outputs are loops: the report counts those decoded again or kept cut
    assert set(report["system"]["output_counts"]) <= {"retried", "degenerate"}
    assert sum(report["system"]["output_counts"].values()) <= 2
    assert {s["name"] for s in report["scores"]} == {"BLEU", "chrF2++", "TER"}
    assert not (tmp_path / "cache").exists()  # test sentences stay out of the translation memory


@pytest.mark.parametrize("argv, message", [
    (["translation", "--src", "SRC"], "--src and --hyp need --ref"),
    (["translation", "--src", "SRC", "--ref", "REF", "-s", "en", "-t", "en"], "source and target are both"),
    (["translation", "--test-set", "wmt20", "--ref", "REF"], "--test-set brings its own references"),
    (["terms", "--src", "SRC", "--no-glossary"], "scores against a glossary"),
    (["terms", "--src", "TSV", "--modes", "none,oracle"], "unknown mode(s) oracle"),
])
def test_usage_errors_exit_2(capsys, files, tmp_path, argv, message):
    src, ref, _, _ = files
    tsv = write(tmp_path / "t.tsv", TERMSET)
    argv = [{"SRC": str(src), "REF": str(ref), "TSV": str(tsv)}.get(a, a) for a in argv]
    assert main(["eval", *argv]) == 2
    assert message in capsys.readouterr().err


def test_terms_scores_an_existing_output(capsys, tmp_path):
    tsv = write(tmp_path / "t.tsv", TERMSET)
    hyp = write(tmp_path / "hyp.en", "The Ministry of Public Security met in Hanoi.\nGeneral To Lam spoke.\n"
                                     "The ministry ended the conference.\n")
    report = run_json(capsys, "terms", "--src", str(tsv), "--hyp", str(hyp))
    (mode,) = report["modes"]
    assert (mode["mode"], mode["hits"], mode["total"]) == ("hyp", 4, 5)
    assert mode["misses"][0]["target"] == "Ministry of Public Security" and mode["misses"][0]["sentences"] == ["3"]
    assert (mode["consistent"], mode["repeated"]) == (0, 1)
    assert mode["signature"].startswith("TSR|glossary:vn-gov@")


def test_terms_runs_every_mode_with_one_loaded_model(capsys, with_models, tmp_path):
    tsv = write(tmp_path / "t.tsv", TERMSET)
    report = run_json(capsys, "terms", "--src", str(tsv), "--beam-size", "1", "-q")
    assert [m["mode"] for m in report["modes"]] == ["none", "glossary", "random"]
    assert [m["glossary"] for m in report["modes"]][0] is None
    assert report["modes"][1]["glossary"].startswith("vn-gov@")
    assert report["modes"][2]["glossary"].startswith("vn-gov-random-seed12345@")
    assert {m["total"] for m in report["modes"]} == {5}
    # which enforcement path each term took: none without a glossary, each match with one
    assert report["modes"][0]["term_counts"] == {}
    assert sum(report["modes"][1]["term_counts"].values()) >= 5
    assert set(report["modes"][1]["term_counts"]) <= {"applied", "repaired", "missed"}
    assert main(["eval", "terms", "--src", str(tsv), "--modes", "glossary", "--beam-size", "1", "-q",
                 "-f", "text"]) == 0
    out = capsys.readouterr().out
    assert "by kind (hits/total)" in out and "TSR|glossary:vn-gov@" in out


class _Summary:
    def __init__(self, text):
        self.sentences, self.text = [text], text


class _FirstWords:
    def __init__(self, k):
        self.k = k

    def summarize(self, text, lang="vi", sentences=3, words=None, title=None):
        assert title and title not in text  # the pairs layout hands the first line over as the headline
        return _Summary(" ".join(text.split()[:words or self.k]))


def test_summary_on_plain_pairs(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr("vnsum.cli.eval.get_summarizer", {"extractive": _FirstWords(9), "lead": _FirstWords(3)}.get)
    for i in range(4):
        write(tmp_path / "docs" / f"{i}.txt", f"Tiêu đề {i}\nBộ Công an họp lần {i} tại Hà Nội. Sau đó mọi người ra về.")
        write(tmp_path / "refs" / f"{i}.txt", f"Bộ Công an họp lần {i} tại Hà Nội.")
    argv = ["summary", "--docs", str(tmp_path / "docs"), "--refs", str(tmp_path / "refs")]
    report = run_json(capsys, *argv)
    assert (report["layout"], report["documents"], report["references"]) == ("pairs", 4, 4)
    extractive, lead = report["systems"]
    assert extractive["name"] == "extractive" and lead["name"] == "lead"
    assert extractive["rouge1"]["f1"] == 100.0 and extractive["delta_vs_baseline"]["rouge1"]["f1"] > 0
    assert report["signature"].startswith("ROUGE|tok:vi-syllable")
    assert run_json(capsys, *argv, "--words", "2")["length"] == {"words": 2}
    tune, rest = (run_json(capsys, *argv, "--part", part, "--tune-share", "0.5") for part in ("tune", "report"))
    assert tune["documents"] + rest["documents"] == 4 and tune["part"].startswith("tune")
    assert main(["eval", *argv, "-f", "text"]) == 0
    assert "ROUGE-1 F1" in capsys.readouterr().out


def test_speed_reports_rates_memory_and_machine(capsys, with_models, tmp_path):
    write(tmp_path / "a.txt", "Bộ Công an tổ chức hội nghị.\n\nĐại tướng Tô Lâm phát biểu.\n")
    write(tmp_path / "b.txt", "Hội nghị kết thúc tại Hà Nội.\n")
    report = run_json(capsys, "speed", "--src", str(tmp_path), "--beam-size", "1", "--batch-size", "4",
                      "--device", "cpu")
    assert (report["articles"], report["sentences"]) == (2, 3)
    assert report["sentences_per_s"] > 0 and report["tokens_per_s"] > 0 and report["s_per_article"] > 0
    assert report["token_counter"] == "target-tokenizer" and report["target_tokens"] > 0
    assert (report["batch_size"], report["beam_size"], report["device"]) == (4, 1, "cpu")
    assert report["peak_rss_mb"] > 0 and report["peak_gpu_mb"] is None
    assert report["memory"] is None and report["engine"].endswith("Backend")
    assert report["machine"]["cores"] >= report["machine"]["usable_cores"] >= 1
    assert main(["eval", "speed", "--src", str(tmp_path / "b.txt"), "--beam-size", "1", "-f", "text"]) == 0
    assert "machine:" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "vims-dev").is_dir(), reason="shared ViMs data not on this machine")
def test_real_vims_evaluation(capsys):
    report = run_json(capsys, "summary", "--docs", str(SHARED / "vims-dev" / "data"),
                      "--refs", str(SHARED / "vims-dev" / "summary"))
    assert (report["layout"], report["documents"]) == ("vims", 200)
    assert report["references"] >= 2 * report["documents"]
    for system in report["systems"]:
        for kind in ("rouge1", "rouge2", "rougeL"):
            low, high = system[kind]["ci95"]
            assert low <= system[kind]["f1"] <= high
