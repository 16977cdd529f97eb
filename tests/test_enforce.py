"""Glossary enforcement through fake backends: every branch of restore and fallback."""

from vnsum import Glossary, Translator
from vnsum.glossary import Entry

import pytest

from fakes import CopyBackend, DropPlaceholders, InventPlaceholder, MangleCase, RepeatPlaceholder

SENTENCE = "Đại tướng Lương Tam Quang làm việc với Ban Dân vận Trung ương."


def statuses(result):
    return [(t.source, t.target, t.status) for t in result.terms]


def test_placeholders_restored_to_glossary_renderings():
    backend = CopyBackend()
    result = Translator(backend=backend).translate_document(SENTENCE)
    assert backend.calls == [["ZZ0 ZZ1 làm việc với ZZ2."]]
    assert result.text == ("General Luong Tam Quang làm việc với "
                           "Party Central Committee's Commission for Mass Mobilisation.")
    assert [s for *_, s in statuses(result)] == ["applied"] * 3


def test_lowercase_rendering_capitalised_at_sentence_start():
    tr = Translator(backend=CopyBackend())
    assert tr.translate("Công an tỉnh triển khai.").startswith("Provincial police")
    assert tr.translate("Công an tỉnh Hà Nam triển khai.").startswith("The Ha Nam Provincial Police")
    assert "the provincial police" in tr.translate("Gặp the Công an tỉnh.")


def test_mangled_placeholders_are_still_recognised():
    result = Translator(backend=MangleCase()).translate_document(SENTENCE)
    assert result.text.startswith("General Luong Tam Quang")
    assert {t.status for t in result.terms} == {"applied"}


def test_lost_placeholder_falls_back_and_rewrites_variant_to_preferred():
    backend = DropPlaceholders(rewrites={"Ban Dân vận Trung ương": "the Central Mass Mobilisation Commission",
                                         "Đại tướng": "General"})
    result = Translator(backend=backend).translate_document(SENTENCE)
    # second call is the unmasked sentence
    assert backend.calls[1] == [SENTENCE]
    assert "Party Central Committee's Commission for Mass Mobilisation" in result.text
    assert "Central Mass Mobilisation Commission" not in result.text
    assert statuses(result) == [
        ("Đại tướng", "General", "repaired"),
        ("Lương Tam Quang", "Luong Tam Quang", "repaired"),  # the model kept the accented name
        ("Ban Dân vận Trung ương", "Party Central Committee's Commission for Mass Mobilisation", "repaired"),
    ]
    assert "Luong Tam Quang" in result.text and "Lương" not in result.text


def test_term_the_fallback_does_not_render_is_reported_missed():
    result = Translator(backend=DropPlaceholders()).translate_document("Đại biểu đến từ Bộ Công an.")
    assert statuses(result) == [("Bộ Công an", "Ministry of Public Security", "missed")]
    assert result.term_counts == {"missed": 1}


def test_invented_placeholder_is_dropped_and_the_real_one_applied():
    result = Translator(backend=InventPlaceholder()).translate_document("Bộ Công an họp.")
    assert result.text == "The Ministry of Public Security họp."
    assert [t.status for t in result.terms] == ["applied"]


def test_one_lost_placeholder_does_not_spoil_the_others():
    backend = DropPlaceholders(only={1}, rewrites={"Lương Tam Quang": "Luong Tam Quang"})
    result = Translator(backend=backend).translate_document(SENTENCE)
    # the second call masks the two terms that came back and leaves the lost one as text
    assert backend.calls[1] == ["ZZ0 Lương Tam Quang làm việc với ZZ1."]
    assert [s for *_, s in statuses(result)] == ["applied", "repaired", "applied"]
    assert result.text == ("General Luong Tam Quang làm việc với "
                           "Party Central Committee's Commission for Mass Mobilisation.")


def test_partial_result_kept_when_the_second_try_is_worse():
    backend = DropPlaceholders(only={1}, second_time="nothing left")
    result = Translator(backend=backend).translate_document(SENTENCE)
    assert [s for *_, s in statuses(result)] == ["applied", "missed", "applied"]
    assert result.text.startswith("General làm việc với Party Central Committee's")


def test_repeated_placeholder_is_put_back_once():
    result = Translator(backend=RepeatPlaceholder()).translate_document("Bộ Công an họp.")
    assert result.text == "The Ministry of Public Security họp."
    assert [t.status for t in result.terms] == ["applied"]


@pytest.mark.parametrize("code", ["ZZ0", "zz 0", "Z Z 0", "ZZ12"])
def test_literal_codes_in_the_source_survive(code):
    backend = CopyBackend()
    result = Translator(backend=backend).translate_document(f"Bộ Công an thu giữ lô hàng mã {code} tại cảng.")
    assert result.text == f"The Ministry of Public Security thu giữ lô hàng mã {code} tại cảng."
    assert [(t.source, t.status) for t in result.terms] == [("Bộ Công an", "applied")]
    assert backend.calls == [["ZZ0 thu giữ lô hàng mã ZZ1 tại cảng."]]


def test_literal_code_survives_when_a_term_is_lost():
    backend = DropPlaceholders(only={0}, rewrites={"Bộ Công an": "the Ministry of Public Security"})
    result = Translator(backend=backend).translate_document("Bộ Công an thu giữ lô hàng ZZ0.")
    assert result.text.endswith("lô hàng ZZ0.") and "Ministry of Public Security" in result.text
    assert [t.status for t in result.terms] == ["repaired"]


def test_repeated_term_needs_one_hit_per_occurrence():
    g = Glossary([Entry("Bộ Công an", "Ministry of Public Security", "org")])
    backend = DropPlaceholders(rewrites={"Bộ Công an và Bộ Công an": "Ministry of Public Security and police"})
    result = Translator(backend=backend, glossary=g).translate_document("Bộ Công an và Bộ Công an.")
    assert [t.status for t in result.terms] == ["repaired", "missed"]


def test_no_glossary_sends_the_text_unmasked():
    backend = CopyBackend()
    result = Translator(backend=backend, glossary=None).translate_document("Bộ Công an họp.")
    assert backend.calls == [["Bộ Công an họp."]] and result.terms == [] and result.glossary is None


def test_en_to_vi_uses_the_reversed_glossary():
    out = Translator(backend=CopyBackend()).translate(
        "General To Lam, Minister of Public Security, chaired it.", src="en", tgt="vi")
    assert out == "Đại tướng Tô Lâm, Bộ trưởng Bộ Công an, chaired it."


def test_a_placeholder_with_thousands_of_digits_is_text_not_a_crash():
    """``int`` refuses strings of over 4,300 digits; "ZZ" and 5,000 digits from a model is
    not a placeholder (it raised ValueError): it stays text, and the term counts as lost."""

    class Digits(CopyBackend):
        def transform(self, sentence: str) -> str:
            return "ZZ" + "9" * 5_000 + " họp."

    result = Translator(backend=Digits(), glossary=Glossary([Entry("Bộ Công an", "Ministry of Public Security", "org")])
                        ).translate_document("Bộ Công an họp.")
    assert [t.source for t in result.terms] == ["Bộ Công an"] and "ZZ" + "9" * 5_000 in result.text
