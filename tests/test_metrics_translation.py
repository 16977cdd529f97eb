"""BLEU, chrF++ and TER through sacrebleu: hand-computed values, sacrebleu's own numbers,
paired bootstrap, and the test-set readers (plain and IWSLT-style files)."""

import math
from pathlib import Path

import pytest
import sacrebleu
from sacrebleu.significance import PairedTest

from vnsum.errors import InputError, UsageError
from vnsum.metrics.translation import (corpus_scores, detect_format, load_test_set, looks_tokenized,
                                       paired_bootstrap, read_lines, read_output, sacrebleu_test_set)

SHARED = Path(__file__).parents[2] / "shared" / "data"

HYPS = ["The Ministry of Public Security held a conference in Ha Noi.",
        "General To Lam chaired the meeting.",
        "The police arrested twelve suspects on Monday."]
REFS = ["The Ministry of Public Security held a conference in Hanoi on Monday.",
        "General To Lam presided over the meeting.",
        "Police arrested 12 suspects on Monday."]


def scores(hyps, refs, tgt="en"):
    return {s.name: s for s in corpus_scores(hyps, refs, tgt)}


def test_bleu_by_hand():
    # precisions 5/6, 3/5, 2/4, 1/3; equal lengths, so no brevity penalty
    got = scores(["the cat sat on the mat"], [["the cat sat on a mat"]])["BLEU"]
    assert got.score == pytest.approx(100 * math.exp(sum(map(math.log, (5 / 6, 3 / 5, 2 / 4, 1 / 3))) / 4), abs=1e-9)


@pytest.mark.parametrize("hyp, ref, name, expected", [
    ("a b c d", "a b x d", "TER", 25.0),  # one substitution over four reference words
    ("a b c d", "a b c d", "TER", 0.0),
    ("a b c d", "a b c d", "chrF2++", 100.0),
    ("xyz", "abc", "chrF2++", 0.0),
    ("a b c d", "a b c d", "BLEU", 100.0),
])
def test_edge_values_by_hand(hyp, ref, name, expected):
    assert scores([hyp], [[ref]])[name].score == pytest.approx(expected)


def test_same_numbers_and_signatures_as_sacrebleu():
    got = scores(HYPS, [REFS])
    assert got["BLEU"].score == pytest.approx(sacrebleu.corpus_bleu(HYPS, [REFS]).score)
    assert got["chrF2++"].score == pytest.approx(sacrebleu.corpus_chrf(HYPS, [REFS], word_order=2).score)
    assert got["TER"].score == pytest.approx(sacrebleu.corpus_ter(HYPS, [REFS]).score)
    bleu = sacrebleu.BLEU(trg_lang="en")
    bleu.corpus_score(HYPS, [REFS])
    assert got["BLEU"].signature == str(bleu.get_signature())
    assert got["BLEU"].signature.startswith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:")
    assert "nw:2" in got["chrF2++"].signature
    assert got["BLEU"].detail.startswith("BLEU = ")
    two = scores(HYPS, [REFS, HYPS])["BLEU"]
    assert two.score == pytest.approx(sacrebleu.corpus_bleu(HYPS, [REFS, HYPS]).score)
    assert two.signature.startswith("nrefs:2|")


def test_vietnamese_targets_are_scored_on_unchanged_text():
    hyp, ref = ["Bộ Công an tổ chức hội nghị."], [["Bộ Công an tổ chức hội nghị tại Hà Nội."]]
    assert scores(hyp, ref, "vi")["BLEU"].score == pytest.approx(sacrebleu.corpus_bleu(hyp, ref).score)


def test_length_mismatch_is_an_error():
    with pytest.raises(InputError, match="3 hypotheses but 2 reference lines"):
        corpus_scores(HYPS, [REFS[:2]], "en")
    with pytest.raises(UsageError):
        corpus_scores(HYPS, [], "en")


def test_paired_bootstrap_is_sacrebleus():
    baseline = ["The ministry met.", "To Lam met.", "Police arrested people."]
    results = {c.metric: c for c in paired_bootstrap(baseline, HYPS, [REFS], "en", samples=200)}
    test = PairedTest([("baseline", baseline), ("system", HYPS)],
                      {"bleu": sacrebleu.BLEU(trg_lang="en")}, [REFS], test_type="bs", n_samples=200)
    signatures, theirs = test()
    assert set(results) == {"BLEU", "chrF2++", "TER"}
    bleu = results["BLEU"]
    assert (bleu.baseline, bleu.system) == pytest.approx((theirs["BLEU"][0].score, theirs["BLEU"][1].score))
    assert bleu.p_value == pytest.approx(theirs["BLEU"][1].p_value)
    assert bleu.signature == str(signatures["BLEU"]) and "bs:200" in bleu.signature
    assert bleu.system > bleu.baseline and bleu.to_dict()["delta"] > 0
    same = {c.metric: c for c in paired_bootstrap(HYPS, HYPS, [REFS], "en", samples=100)}
    assert same["BLEU"].system == same["BLEU"].baseline


# --- reading test sets ----------------------------------------------------------------------

def test_plain_files_are_read_as_they_are(tmp_path):
    src, ref = tmp_path / "src.vie", tmp_path / "ref.eng"
    src.write_text("Câu một.\nCâu hai.\n", encoding="utf-8")
    ref.write_text("Sentence one.\nSentence two.\n", encoding="utf-8")
    test = load_test_set(src, [ref], "vi", "en")
    assert (test.sources, test.references, test.data_format, test.notes) == (
        ["Câu một.", "Câu hai."], [["Sentence one.", "Sentence two."]], "plain", [])
    ref.write_text("Only one.\n", encoding="utf-8")
    with pytest.raises(InputError, match="ref.eng has 1 lines but .*src.vie has 2"):
        load_test_set(src, [ref], "vi", "en")
    with pytest.raises(InputError, match="no such file"):
        read_lines(tmp_path / "missing.txt")
    with pytest.raises(UsageError):
        load_test_set(src, [ref], "vi", "en", data_format="xml")


def test_iwslt_style_files_are_unescaped_and_detokenized_on_purpose(tmp_path):
    src, ref = tmp_path / "tst.vi", tmp_path / "tst.en"
    src.write_text("Ông ấy nói &quot; xin chào &quot; .\nĐó là công việc cả đời của anh ấy .\n", encoding="utf-8")
    ref.write_text("He said &quot; hello &quot; .\nIt &apos;s his life &apos;s work , isn &apos;t it ?\n",
                   encoding="utf-8")
    assert detect_format(read_lines(ref)) == "iwslt"
    test = load_test_set(src, [ref], "vi", "en")
    assert test.data_format == "iwslt" and "HTML-unescaped" in test.notes[0]
    assert test.references == [['He said "hello".', "It's his life's work, isn't it?"]]
    assert test.sources[0] == 'Ông ấy nói "xin chào".'
    hyps = ['He said "hello".', "It's his life's work, isn't it?"]
    assert scores(hyps, test.references)["BLEU"].score == pytest.approx(100)
    raw = load_test_set(src, [ref], "vi", "en", data_format="plain")
    assert scores(hyps, raw.references)["BLEU"].score < 60  # what scoring the raw files would give


def test_system_outputs_in_the_iwslt_convention_are_converted_too(tmp_path):
    escaped = tmp_path / "sys.en"
    escaped.write_text("It &apos;s fine .\n", encoding="utf-8")
    assert read_output(escaped, "en") == (["It's fine."], "iwslt")
    plain = tmp_path / "plain.en"
    plain.write_text("It's fine & good.\n", encoding="utf-8")
    assert read_output(plain, "en") == (["It's fine & good."], "plain")


def test_tokenized_output_is_noticed():
    assert looks_tokenized(["Hello , world .", "It is , I think , fine ."])
    assert not looks_tokenized(["Hello, world.", "It is, I think, fine.", "Ha Noi, Viet Nam, 2025."])
    assert not looks_tokenized([])


def test_sacrebleu_test_set_names_are_checked_before_any_download():
    with pytest.raises(UsageError, match="knows no test set 'flores-nonexistent'"):
        sacrebleu_test_set("flores-nonexistent", "vi", "en")
    with pytest.raises(UsageError, match="has no vi-en pair"):
        sacrebleu_test_set("wmt20", "vi", "en")


@pytest.mark.skipif(not (SHARED / "iwslt15-tst2012").is_dir(), reason="shared IWSLT'15 data not on this machine")
def test_real_iwslt_files_lose_every_escape():
    folder = SHARED / "iwslt15-tst2012"
    test = load_test_set(folder / "tst2012.vi", [folder / "tst2012.en"], "vi", "en")
    assert test.data_format == "iwslt" and len(test.sources) == len(test.references[0]) == 1553
    assert not any("&apos;" in line or "&quot;" in line for line in test.sources + test.references[0])


@pytest.mark.skipif(not (SHARED / "flores200-devtest").is_dir(), reason="shared FLORES-200 data not on this machine")
def test_real_flores_files_are_plain_and_aligned():
    folder = SHARED / "flores200-devtest"
    test = load_test_set(folder / "vie_Latn.devtest", [folder / "eng_Latn.devtest"], "vi", "en")
    assert test.data_format == "plain" and len(test.sources) == 1012
    (bleu,) = corpus_scores(test.references[0], test.references, "en", metrics=("bleu",))
    assert bleu.score == pytest.approx(100)
