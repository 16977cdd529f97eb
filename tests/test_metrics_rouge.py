"""ROUGE for Vietnamese: the tokenizer, hand-computed scores, rouge-score's own numbers,
several references, bootstrap intervals, and the summarization test-set readers."""

import random

import pytest
from rouge_score import rouge_scorer, tokenize as rs_tokenize

from vnsum.errors import InputError
from vnsum.metrics.bootstrap import bootstrap_ci
from vnsum.metrics.rouge import Rouge, lcs_length, rouge_l, rouge_n, tokenize
from vnsum.metrics.summaries import article_body, clean_reference, read_cases, score_summarizers

TYPES = ("rouge1", "rouge2", "rougeL")


class _OurTokenizer:
    """Our tokenizer in rouge-score's shape, to compare the formulas on equal tokens."""

    def tokenize(self, text):
        return tokenize(text)


def test_tokenizer_keeps_vietnamese_syllables_whole():
    assert tokenize("Bộ Công an tổ chức hội nghị, năm 2025.") == [
        "bộ", "công", "an", "tổ", "chức", "hội", "nghị", "năm", "2025"]
    assert tokenize("Bo\u0302\u0323 Công an") == ["bộ", "công", "an"]  # NFD input
    assert tokenize("Hoà bình") == tokenize("hòa bình")  # old and new tone-mark position
    assert tokenize("công_an") == ["công", "an"]  # word-segmented input stays syllable-level


def test_rouge_score_default_tokenizer_drops_vietnamese_letters_and_ours_does_not():
    assert rs_tokenize.tokenize("Bộ Công an tổ chức", None) == ["b", "c", "ng", "an", "t", "ch", "c"]
    # "hỏi" (ask) and "hội" (association) are different words; rouge-score sees both as "h i".
    default = rouge_scorer.RougeScorer(["rouge1"]).score("hội nghị", "hỏi nghĩ")["rouge1"].fmeasure
    ours = Rouge().sentence_score("hỏi nghĩ", ["hội nghị"])["rouge1"].f1
    assert default == 1.0
    assert ours == 0.0


# (hypothesis, reference, rouge-1 P/R/F, rouge-2 P/R/F, rouge-L P/R/F), computed by hand.
HAND = [
    ("the cat was found under the bed", "the cat was under the bed",
     (6 / 7, 1, 12 / 13), (4 / 6, 4 / 5, 8 / 11), (6 / 7, 1, 12 / 13)),
    # overlap bộ, công, an: 3 of 4 hypothesis syllables, 3 of 7 reference syllables
    ("Bộ Công an họp", "Bộ Công an tổ chức hội nghị",
     (3 / 4, 3 / 7, 6 / 11), (2 / 3, 2 / 6, 4 / 9), (3 / 4, 3 / 7, 6 / 11)),
    # clipped counts: "an" twice in the hypothesis, once in the reference
    ("an an ninh", "an ninh", (2 / 3, 1, 4 / 5), (1 / 2, 1, 2 / 3), (2 / 3, 1, 4 / 5)),
    ("", "Bộ Công an", (0, 0, 0), (0, 0, 0), (0, 0, 0)),
]


@pytest.mark.parametrize("hyp, ref, r1, r2, rl", HAND)
def test_hand_computed_scores(hyp, ref, r1, r2, rl):
    got = Rouge().sentence_score(hyp, [ref])
    for name, expected in zip(TYPES, (r1, r2, rl)):
        s = got[name]
        assert (s.precision, s.recall, s.f1) == pytest.approx(expected, abs=1e-9), name


def _random_text(rng, words, n):
    return " ".join(rng.choice(words) for _ in range(n))


@pytest.mark.parametrize("seed", range(5))
def test_same_numbers_as_rouge_score_on_english_and_with_our_tokenizer_on_vietnamese(seed):
    rng = random.Random(seed)
    english = "the minister said police will hold a meeting in the city on monday".split()
    vietnamese = "bộ công an tổ chức hội nghị tại hà nội thứ trưởng phát biểu chỉ đạo".split()
    for words, scorer in ((english, rouge_scorer.RougeScorer(list(TYPES))),
                          (vietnamese, rouge_scorer.RougeScorer(list(TYPES), tokenizer=_OurTokenizer()))):
        hyp, ref = _random_text(rng, words, rng.randint(3, 30)), _random_text(rng, words, rng.randint(3, 30))
        theirs = scorer.score(ref, hyp)
        ours = Rouge().sentence_score(hyp, [ref])
        for name in TYPES:
            t, o = theirs[name], ours[name]
            assert (o.precision, o.recall, o.f1) == pytest.approx((t.precision, t.recall, t.fmeasure), abs=1e-12)


def _lcs_table(a, b):
    row = [0] * (len(b) + 1)
    for x in a:
        prev, row = row, [0]
        for j, y in enumerate(b, 1):
            row.append(prev[j - 1] + 1 if x == y else max(prev[j], row[j - 1]))
    return row[-1]


@pytest.mark.parametrize("seed", range(20))
def test_bit_parallel_lcs_equals_the_textbook_table(seed):
    rng = random.Random(seed)
    a = [rng.choice("abcde") for _ in range(rng.randint(0, 80))]
    b = [rng.choice("abcde") for _ in range(rng.randint(0, 80))]
    assert lcs_length(a, b) == _lcs_table(a, b)


def test_rouge_functions_on_token_lists():
    assert rouge_n(["a", "b", "c"], ["a", "b", "c"], 2).f1 == 1.0
    assert rouge_l(["a", "x", "b"], ["a", "b"]).recall == 1.0
    assert lcs_length([], ["a"]) == 0


def test_several_references_take_the_best_one_per_type():
    rouge = Rouge()
    best = rouge.sentence_score("công an xã", ["công an xã", "hội nghị"])
    assert best == rouge.sentence_score("công an xã", ["hội nghị", "công an xã"])
    assert best["rouge1"].f1 == 1.0
    with pytest.raises(ValueError):
        rouge.sentence_score("x", [])


def test_corpus_score_is_the_mean_of_documents_in_percent_with_an_interval():
    rouge = Rouge(samples=200)
    hyps = ["Bộ Công an họp", "an an ninh", "công an"]
    refs = [["Bộ Công an tổ chức hội nghị"], ["an ninh"], ["công an"]]
    result = rouge.corpus_score(hyps, refs)["rouge1"]
    assert result.f1.mean == pytest.approx(100 * (6 / 11 + 4 / 5 + 1) / 3)
    assert result.f1.low <= result.f1.mean <= result.f1.high
    assert result.name == "ROUGE-1"
    assert result.signature.startswith("ROUGE|tok:vi-syllable|case:lc|nfc:yes|tone:folded")
    assert "multiref:max" in result.signature and "bs:200" in result.signature
    with pytest.raises(ValueError):
        rouge.corpus_score(hyps, refs[:2])


def test_bootstrap_interval_is_deterministic_and_brackets_the_mean():
    values = [0.0, 1.0] * 50
    a, b = bootstrap_ci(values), bootstrap_ci(values)
    assert a == b
    assert a.low < a.mean == 0.5 < a.high
    assert bootstrap_ci([3.0, 3.0, 3.0]).low == bootstrap_ci([3.0]).high == 3.0
    with pytest.raises(ValueError):
        bootstrap_ci([])


# --- summarization test sets -------------------------------------------------------------

def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_vims_layout_drops_titles_and_mdswriter_headers(tmp_path):
    docs, refs = tmp_path / "data", tmp_path / "summary"
    _write(docs / "Cluster_001" / "2.txt", "Tiêu đề hai\nCâu của bài hai.\n\n")
    _write(docs / "Cluster_001" / "10.txt", "Tiêu đề mười\nCâu của bài mười.\n")
    _write(docs / "Cluster_001" / "1.txt", "Tiêu đề một\nCâu một của bài một. Câu hai.\nĐoạn hai.\n")
    _write(refs / "Cluster_001" / "3.txt", "Cluster_001\n\n=Einleitung=\nTóm tắt thứ nhất.\n=Content=\nCòn nữa.\n")
    _write(refs / "Cluster_001" / "7.txt", "Cluster_001\n=Einleitung=\n \n")  # only junk: not a reference
    _write(refs / "Cluster_001" / "9.txt", "Cluster_001\n=Einleitung=\nTóm tắt thứ hai.\n")
    layout, cases = read_cases(docs, refs)
    assert layout == "vims"
    (case,) = cases
    assert case.id == "Cluster_001"
    assert case.text == "Câu một của bài một. Câu hai.\nĐoạn hai.\n\nCâu của bài hai.\n\nCâu của bài mười."
    assert case.references == ["Tóm tắt thứ nhất.\nCòn nữa.", "Tóm tắt thứ hai."]
    assert article_body("Tiêu đề\nThân bài.") == "Thân bài."
    assert clean_reference("Cluster_12\n=g4=\nA = B là đúng.") == "A = B là đúng."


def test_plain_pairs_layout_and_missing_references(tmp_path):
    docs, refs = tmp_path / "docs", tmp_path / "refs"
    _write(docs / "a.txt", "Văn bản A.")
    _write(refs / "a.txt", "Tóm tắt A.")
    layout, cases = read_cases(docs, refs)
    assert layout == "pairs" and [(c.id, c.references) for c in cases] == [("a", ["Tóm tắt A."])]
    _write(docs / "b.txt", "Văn bản B.")
    with pytest.raises(InputError, match=r"no reference for 1 document\(s\): b.txt"):
        read_cases(docs, refs)
    with pytest.raises(InputError, match="not a folder"):
        read_cases(tmp_path / "nowhere", refs)


class _FakeSummary:
    def __init__(self, sentences):
        self.sentences = sentences
        self.text = " ".join(sentences)


class _FirstWords:
    """A summarizer of the agreed shape: the first ``k`` words of the text."""

    def __init__(self, k):
        self.k = k

    def summarize(self, text, lang="vi", sentences=3, words=None, title=None):
        return _FakeSummary([" ".join(text.split()[:self.k])])


def test_systems_are_scored_on_the_same_cases_with_a_paired_delta(tmp_path):
    docs, refs = tmp_path / "docs", tmp_path / "refs"
    for i in range(6):
        # the first line is the title; summaries are made of the body
        _write(docs / f"{i}.txt", f"Họp lần {i}\nBộ Công an họp lần {i} tại Hà Nội. Sau đó mọi người ra về.")
        _write(refs / f"{i}.txt", f"Bộ Công an họp lần {i} tại Hà Nội.")
    _, cases = read_cases(docs, refs)
    scores = score_summarizers(cases, {"good": _FirstWords(9), "short": _FirstWords(2)}, baseline="short",
                               rouge=Rouge(samples=100))
    good, short = scores
    assert good.rouge["rouge1"].f1.mean == 100.0
    assert good.delta["rouge1"].mean == pytest.approx(100.0 - short.rouge["rouge1"].f1.mean)
    assert good.delta["rouge1"].low > 0
    assert short.delta == {}
    assert set(good.to_dict()) == {"name", *TYPES, "delta_vs_baseline"}
