"""The Translator's document handling, with a fake backend so every check is exact."""

import re

import pytest

from vnsum import Translator
from vnsum.enforce import PLACEHOLDER_PATTERN
from vnsum.passes import CLAUSE_CODES
from vnsum.errors import UsageError
from vnsum.segment import split_document

from fakes import CopyBackend, DropPlaceholders


def test_str_in_str_out_list_in_list_out(copy_translator):
    assert isinstance(copy_translator.translate("Xin chào."), str)
    out = copy_translator.translate(["Một.", "Hai.", "Ba."])
    assert out == ["Một.", "Hai.", "Ba."]


def test_document_shape_is_kept(copy_translator, article):
    result = copy_translator.translate_document(article)
    assert result.text.count("\n") == article.count("\n")
    assert [line == "" for line in result.text.split("\n")] == [line == "" for line in article.split("\n")]
    assert "Toàn cảnh conference." in result.text.splitlines()  # the caption, "Hội nghị" a genre term
    assert result.text.splitlines()[-1] == "Hong Dung"  # byline rendered as a name, not translated
    assert result.text.splitlines()[3] == "Lượt xem: 2741"  # site chrome: kept, no segment
    # title, date, 2 + 2 sentences, caption, 3 sentences, byline
    assert len(result.segments) == 11
    assert all(seg.target for seg in result.segments)


def test_sentences_batched_once_and_deduplicated(article):
    backend = CopyBackend()
    Translator(backend=backend).translate_documents([article, article])
    assert len(backend.calls) == 1
    assert len(backend.calls[0]) == len(set(backend.calls[0]))


def test_numbers_only_lines_are_copied_not_translated(article):
    backend = CopyBackend()
    Translator(backend=backend).translate_document(article)
    assert "15/12/2025" not in backend.calls[0]


def test_long_document_never_loses_a_sentence():
    sentences = [f"Câu số {i} nói về công tác bảo đảm an ninh, trật tự tại địa phương." for i in range(300)]
    monster = " ".join(f"từ{i}" for i in range(3000)) + "."  # 3,000 words, no punctuation inside
    text = " ".join(sentences[:150]) + "\n\n" + monster + "\n" + " ".join(sentences[150:])
    backend = CopyBackend(max_input_tokens=64)
    result = Translator(backend=backend, glossary=None).translate_document(text)
    # the 19,890-character monster is cut into sentences of at most MAX_SENTENCE_CHARS
    assert len(result.segments) == 300 + len(split_document(monster).sentences)
    assert result.text.count("Câu số") == 300
    assert result.text.split("\n")[2] == monster
    pieces = [p for p in backend.calls[0] if p.startswith("từ")]
    assert len(pieces) >= 3000 // 64  # the monster went to the model in pieces, each under the limit


def test_input_is_normalised_to_nfc(copy_translator):
    import unicodedata

    out = copy_translator.translate(unicodedata.normalize("NFD", "Buổi lễ được tổ chức."))
    assert out == "Buổi lễ được tổ chức." and unicodedata.is_normalized("NFC", out)


@pytest.mark.parametrize("src, tgt", [("vi", "vi"), ("vi", "fr"), ("de", "en")])
def test_unsupported_directions(copy_translator, src, tgt):
    with pytest.raises(UsageError, match="unsupported direction"):
        copy_translator.translate("x", src=src, tgt=tgt)


def test_translator_is_safe_to_share_between_threads(article):
    from concurrent.futures import ThreadPoolExecutor

    tr = Translator(backend=CopyBackend())
    expected = tr.translate(article)
    with ThreadPoolExecutor(4) as pool:
        assert set(pool.map(lambda _: tr.translate(article), range(8))) == {expected}


class KeepsTwoCodes(CopyBackend):
    """A weak model: copies its input but drops every placeholder after the first two."""

    name = "keeps-two"

    def transform(self, sentence: str) -> str:
        codes = iter(range(10**6))
        return PLACEHOLDER_PATTERN.sub(lambda m: m.group() if next(codes) < 2 else "", sentence)


def test_a_long_list_of_titles_lost_twice_is_translated_in_clauses():
    """The seed article's failure: a model that drops the last codes of a long list loses
    them again when they are unmasked; in clauses of two codes each it keeps them all."""
    backend = KeepsTwoCodes()
    text = ("Dự buổi lễ có Đại tướng Tô Lâm, Bộ trưởng Bộ Công an; đồng chí Bùi Thị Minh Hoài, "
            "Trưởng Ban Dân vận Trung ương.")
    result = Translator(backend=backend, glossary="vn-gov").translate_document(text)
    assert result.term_counts == {"applied": 2, "repaired": 3}  # the three codes after the first two came back
    assert result.text == ("Dự buổi lễ có General To Lam, Minister of Public Security; đồng chí Bui Thi Minh Hoai, "
                           "Head of the Party Central Committee's Commission for Mass Mobilisation.")
    first, second, clauses = backend.calls
    assert len(first) == len(second) == 1 and len(clauses) > 1
    assert all(len(PLACEHOLDER_PATTERN.findall(piece)) <= CLAUSE_CODES for piece in clauses)


class DropsCodeBeforeWords(CopyBackend):
    """Drops a placeholder followed by a word (a title before the verb, as vnsum-mini
    does), and writes a stop of its own after a name."""

    name = "drops-before-words"

    def transform(self, sentence: str) -> str:
        return re.sub(r"(ZZ0),", r"\1,,", re.sub(PLACEHOLDER_PATTERN.pattern + r"(?=\s+\w)", "", sentence))


def test_codes_lost_in_every_clause_are_cut_off_the_words_after_them():
    """The seed article's second sentence: titles after a name, lost in every piece
    where words follow them, come back when the sentence is cut after every code; a
    piece that is a lone title is its own translation and never reaches the model."""
    backend = DropsCodeBeforeWords()
    text = "Dự có đồng chí Bùi Thị Minh Hoài, Bí thư Trung ương Đảng, Trưởng Ban Dân vận Trung ương đồng chủ trì."
    result = Translator(backend=backend, glossary="vn-gov").translate_document(text)
    assert result.text == ("Dự có đồng chí Bui Thi Minh Hoai, Secretary of the Party Central Committee, Head of "
                           "the Party Central Committee's Commission for Mass Mobilisation đồng chủ trì.")
    assert result.term_counts == {"applied": 2, "repaired": 1}  # one comma after the name, too
    # "ZZ1, " and "ZZ2 " are copied, and "Dự có đồng chí ZZ0," was decoded by the pass
    # before (clauses of two codes): only the new piece reaches the model
    assert backend.calls[-1] == ["đồng chủ trì."]
    assert "Dự có đồng chí ZZ0," in backend.calls[-2]


class WritesSentences(DropsCodeBeforeWords):
    """Also writes every input as a sentence of its own: capital first, full stop last."""

    def transform(self, sentence: str) -> str:
        out = super().transform(sentence)
        return out[:1].upper() + out[1:] + ("" if out.endswith(".") else ".")


def test_pieces_read_as_parts_of_one_sentence():
    backend = WritesSentences()
    text = "Dự có đồng chí Bùi Thị Minh Hoài, Trưởng Ban Dân vận Trung ương và các đại biểu."
    result = Translator(backend=backend, glossary="vn-gov").translate_document(text)
    assert backend.calls[-1] == ["Dự có đồng chí ZZ0,", "và các đại biểu."]
    assert result.text == ("Dự có đồng chí Bui Thi Minh Hoai, Head of the Party Central Committee's "
                           "Commission for Mass Mobilisation và các đại biểu.")


def test_clauses_are_not_kept_when_they_gain_no_term():
    """Clause by clause reads worse: with nothing gained, the whole-sentence result stays."""
    backend = DropPlaceholders()  # drops every code, whole or in clauses
    source = "Hôm nay Bộ Công an họp."
    result = Translator(backend=backend, glossary="vn-gov").translate_document(source)
    assert backend.calls[2] == ["Hôm nay ZZ0", "họp."]  # the pieces were tried...
    assert result.text == source and result.term_counts == {"missed": 1}  # ...and not kept


def test_each_sentence_gets_the_models_confidence_and_a_level():
    from fakes import Scoring

    backend = Scoring(scores={"hai": -0.9, "ba": -1.6})
    result = Translator(backend=backend, glossary=None).translate_document("Câu một.\nCâu hai.\nCâu ba.")
    assert [(s.confidence, s.level) for s in result.segments] == [(-0.1, "ok"), (-0.9, "check"), (-1.6, "doubtful")]
    assert result.to_check == 2 and result.level_counts == {"ok": 1, "check": 1, "doubtful": 1}
    assert result.marked() == "Câu một.\nCâu hai. [CHECK]\nCâu ba. [DOUBTFUL]"
    data = result.to_dict()
    assert data["segments"][1] == {"source": "Câu hai.", "target": "Câu hai.", "line": 1, "confidence": -0.9,
                                   "level": "check", "flags": []}
    assert data["to_check"] == 2 and "document" not in data


def test_a_sentence_made_only_of_glossary_names_is_written_by_rule_and_ok():
    from fakes import Scoring

    backend = Scoring()
    text = "Đại tướng Tô Lâm, Bộ trưởng Bộ Công an chủ trì Hội nghị.\nBộ Công an họp."
    result = Translator(backend=backend).translate_document(text)
    by_rule, modelled = result.segments
    assert by_rule.target == "General To Lam, Minister of Public Security chaired the conference."
    assert (by_rule.confidence, by_rule.level) == (None, "ok")  # no model score, and none needed
    assert (modelled.confidence, modelled.level) == (-0.1, "ok")


def test_a_sentence_made_only_of_names_stays_ok_when_the_memory_serves_it(tmp_path):
    from fakes import Scoring

    text = "Đại tướng Tô Lâm, Bộ trưởng Bộ Công an chủ trì Hội nghị."
    for _ in range(2):  # the second run is served from the translation memory
        result = Translator(backend=Scoring(), memory=tmp_path / "tm.sqlite").translate_document(text)
        assert [s.level for s in result.segments] == ["ok"]
    assert result.to_check == 0

def test_a_sentence_that_left_a_clause_out_is_translated_in_clauses_once():
    from fakes import Scoring

    source = ("Năm 2025, lực lượng Công an đã tiếp nhận 1.200 tin báo về tội phạm, "
              "đồng thời giải quyết phần lớn các vụ việc phức tạp.")
    backend = Scoring(drops={"1.200": "1.200 "})  # loses the number while the sentence is whole
    result = Translator(backend=backend, glossary=None).translate_document(source)
    assert len(backend.calls) == 2 and len(backend.calls[1]) == 2  # the retry: one call, the sentence in clauses
    assert "1.200" in result.text and result.segments[0].flags == []
    # a model that drops it in clauses too: the sentence keeps its first output, flagged with what is missing
    stubborn = Scoring(drops={"1.200": "1.200 "}, longer_than=0)
    flagged = Translator(backend=stubborn, glossary=None).translate_document(source).segments[0]
    assert len(stubborn.calls) == 2 and "1.200" not in flagged.target
    assert flagged.flags == ['missing: "1.200"'] and flagged.level == "check" and flagged.confidence == -0.1
