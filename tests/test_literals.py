"""Dates and document numbers are found by rule, written the target's way and protected."""

import re

import pytest

from vnsum import Translator
from vnsum.literals import find_literals

from fakes import CopyBackend


def found(text, src="vi", tgt="en"):
    return [(m.text, m.target, m.entry.kind) for m in find_literals(text, src, tgt)]


@pytest.mark.parametrize("text, rendering", [
    ("Ngày 14/4/2022, tại Hà Nội", "14 April 2022"),
    ("ngày 05/01/2023 vừa qua", "5 January 2023"),
    ("ngày 14.4.2022", "14 April 2022"),
    ("ngày 14 tháng 4 năm 2022", "14 April 2022"),
    ("Ngày 2/9, nhân dân", "2 September"),
    ("trong tháng 4/2022", "April 2022"),
])
def test_vietnamese_dates_are_written_the_english_way(text, rendering):
    assert [(kind, target) for _, target, kind in found(text)] == [("date", rendering)]


@pytest.mark.parametrize("text, rendering", [
    ("On 15 April 2026, in Ha Noi", "15/4/2026"),
    ("On April 15, 2026, the Ministry", "15/4/2026"),
    ("on the 3rd of May 2021", "3/5/2021"),
    ("from 14 Sept. 2020", "14/9/2020"),
])
def test_english_dates_are_written_the_vietnamese_way(text, rendering):
    assert [(kind, target) for _, target, kind in found(text, "en", "vi")] == [("date", rendering)]


@pytest.mark.parametrize("text, kinds", [
    ("Nghị định số 38/2016 quy định", []),  # a decree's number, not a date: no "ngày" before it
    ("tỷ lệ 32/13/2020 không phải ngày", []),  # no month 13
    ("ngày 14/4/2022/QĐ-TTg", ["code"]),  # the start of a longer code: the code, not a date
    ("you may 2020 something", []),  # "may" without a day
])
def test_what_only_looks_like_a_date_is_not_one(text, kinds):
    assert [kind for *_, kind in found(text)] == kinds


@pytest.mark.parametrize("text, src, expected", [
    ("vận động hơn 2.000.000 người, đạt 98,5% kế hoạch", "vi", [("2.000.000", "2,000,000"), ("98,5", "98.5")]),
    ("seized 1,250 kg worth 3.5 billion dong", "en", [("1,250", "1.250"), ("3.5", "3,5")]),
    ("phiên bản 1.5 và 320 vụ, năm 2026", "vi", []),  # ambiguous or plain: left to the model
    ("sacreBLEU 2.6.0 and 10,000,00", "en", []),  # a version, a malformed number
])
def test_numbers_swap_their_marks_between_the_languages(text, src, expected):
    tgt = "en" if src == "vi" else "vi"
    assert [(written, target) for written, target, kind in found(text, src, tgt)] == expected


def test_document_numbers_are_copied_as_written():
    text = "the codes 38-CTr/BDVTW-BCA and 100/2019/NĐ-CP (amended)."
    assert found(text, "en", "vi") == [("38-CTr/BDVTW-BCA", "38-CTr/BDVTW-BCA", "code"),
                                       ("100/2019/NĐ-CP", "100/2019/NĐ-CP", "code")]
    assert found("COVID-19 and 14/4/2022") == [("14/4/2022", "14 April 2022", "date")]  # no slash, no capital


@pytest.mark.parametrize("src, text, written, rendering", [
    ("vi", "Thực hiện Nghị định số 100/2019/NĐ-CP ngày 30/12/2019 của Chính phủ.",
     "Nghị định số 100/2019/NĐ-CP ngày 30/12/2019", "Decree No. 100/2019/NĐ-CP dated 30 December 2019"),
    ("vi", "Ký Chương trình phối hợp số 38-CTr/BDVTW-BCA ngày 15 tháng 6 năm 2016.",
     "Chương trình phối hợp số 38-CTr/BDVTW-BCA ngày 15 tháng 6 năm 2016",
     "Coordination Programme No. 38-CTr/BDVTW-BCA dated 15 June 2016"),
    ("vi", "theo Thông tư liên tịch 03/2009/TT-BNG,", "Thông tư liên tịch 03/2009/TT-BNG", "Joint Circular No. 03/2009/TT-BNG"),
    ("vi", "văn bản số 12/BC-CAT ngày hôm qua", "số 12/BC-CAT", "No. 12/BC-CAT"),  # no date after "ngày"
    ("vi", "mã 38-CTr/BDVTW-BCA.", "38-CTr/BDVTW-BCA", "38-CTr/BDVTW-BCA"),
    ("en", "Under Decree No. 100/2019/ND-CP dated 30 December 2019, fines rose.",
     "Decree No. 100/2019/ND-CP dated 30 December 2019", "Nghị định số 100/2019/ND-CP ngày 30/12/2019"),
    ("en", "under decree 5/NĐ-CP of April 3, 2020", "decree 5/NĐ-CP of April 3, 2020", "Nghị định số 5/NĐ-CP ngày 3/4/2020"),
    ("en", "Resolution No. 57-NQ/TW of the Politburo", "Resolution No. 57-NQ/TW", "Nghị quyết số 57-NQ/TW"),
])
def test_a_document_reference_is_written_as_official_translations_write_it(src, text, written, rendering):
    # Left to the models, "Nghị định 100/2019/NĐ-CP ngày 30/12/2019" became "the
    # 100/2019/NĐ-CP Day 30 December 2019" and "dated 30 December 2019" "ngày 30/12/2019
    # tháng 3"; "ngày" after a number is "dated", and back.
    assert found(text, src, "en" if src == "vi" else "vi") == [(written, rendering, "code")]


def test_a_document_reference_takes_the_place_of_the_glossary_term_it_holds():
    # "Nghị quyết" alone is a glossary term ("Resolution"); the reference holds it.
    result = Translator(backend=CopyBackend()).translate_document(
        "Nghị quyết số 36-NQ/TW được ban hành.")
    assert result.text.startswith("Resolution No. 36-NQ/TW ")
    assert [(t.kind, t.source) for t in result.terms] == [("code", "Nghị quyết số 36-NQ/TW")]


def test_other_ways_of_writing_the_date_count_as_right():
    (match,) = find_literals("ngày 14/4/2022", "vi", "en")
    assert match.accepted == ("14 April 2022", "April 14, 2022", "14/4/2022", "14/04/2022")
    (match,) = find_literals("on April 14, 2022", "en", "vi")
    assert match.accepted == ("14/4/2022", "14/04/2022", "14 tháng 4 năm 2022")
    assert (match.entry.vi, match.entry.en) == ("14/4/2022", "April 14, 2022")


class GarblesNumbers(CopyBackend):
    """Copies its input but garbles every number of four digits or more, as vnsum-mini
    turned "14/4/2022" into "14/202"."""

    name = "garbles"

    def transform(self, sentence: str) -> str:
        return re.sub(r"\d{4,}", lambda m: m.group()[:3], sentence)


def test_the_translator_protects_dates_and_codes_and_reports_them():
    backend = GarblesNumbers()
    result = Translator(backend=backend).translate_document(
        "Ngày 14/4/2022, Bộ Công an ký Chương trình số 38-CTr/BDVTW-BCA.")
    assert result.text == "Ngày 14 April 2022, the Ministry of Public Security ký Programme No. 38-CTr/BDVTW-BCA."
    assert [(t.kind, t.status) for t in result.terms] == [("date", "applied"), ("org", "applied"),
                                                          ("code", "applied")]
    assert backend.calls == [["Ngày ZZ0, ZZ1 ký ZZ2."]]
    plain = Translator(backend=GarblesNumbers(), glossary=None).translate("Ngày 14/4/2022 trời mưa.")
    assert plain == "Ngày 14/4/202 trời mưa."  # --no-glossary: the model's own output, as it is


def test_a_full_date_in_vietnamese_follows_ngay_whatever_word_the_model_chose():
    class ReadsAYear(CopyBackend):
        def transform(self, sentence):
            return sentence.replace("On ZZ0", "Vào năm ZZ0")

    result = Translator(backend=ReadsAYear()).translate_document("On 15 April 2026, it rained.", "en", "vi")
    assert result.text == "Vào ngày 15/4/2026, it rained."
    assert Translator(backend=ReadsAYear()).translate("In 2026, it rained.", "en", "vi") == "In 2026, it rained."


def test_a_model_that_writes_the_date_its_own_way_is_repaired_to_the_house_style():
    class WritesMonthFirst(CopyBackend):
        def transform(self, sentence):
            return sentence.replace("ZZ0", "April 14, 2022") if "ZZ0" in sentence else sentence

    result = Translator(backend=WritesMonthFirst()).translate_document("Ngày 14/4/2022 trời mưa.")
    assert result.text == "Ngày 14 April 2022 trời mưa." and result.term_counts == {"repaired": 1}
