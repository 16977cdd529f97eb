"""The omission checks (vnsum.omissions): what a translation left out, found by rule."""

from __future__ import annotations

import pytest

from vnsum import lexicon
from vnsum.omissions import left_out, missing_clauses, omissions

SOURCE = "Ngày 14/4/2022, đồng chí Bùi Thị Minh Hoài phát biểu tại Hà Nội trước 1.200 cán bộ và 2 triệu hội viên."
WHOLE = ("On 14 April 2022, comrade Bui Thi Minh Hoai spoke in Hanoi before 1,200 officers and 2 million "
         "members.")


def test_a_faithful_translation_has_no_flags_whatever_marks_its_numbers_use():
    assert omissions(SOURCE, WHOLE, "vi", "en") == []
    assert omissions(SOURCE, WHOLE.replace("2 million", "2,000,000").replace("14 April", "April 14,"),
                     "vi", "en") == []
    assert omissions("Tỷ lệ đạt 98,5% trong 3 năm.", "The rate reached 98.5% in three years.", "vi", "en") == []
    assert omissions("Đại hội lần thứ 13 của Đảng.", "The Party's XIII Congress.", "vi", "en") == []


@pytest.mark.parametrize(("output", "flag"), [
    (WHOLE.replace("1,200 ", ""), 'missing: "1.200"'),
    (WHOLE.replace("On 14 April 2022, ", ""), 'missing: "2022"'),
    (WHOLE.replace("comrade Bui Thi Minh Hoai ", ""), 'missing: name "Bùi Thị Minh Hoài"'),
    (WHOLE.replace("in Hanoi ", ""), None),  # a two-syllable place: no name check (Vũ Hán is Wuhan)
])
def test_each_thing_left_out_is_named(output, flag):
    flags = omissions(SOURCE, output, "vi", "en")
    assert (flag in flags) if flag else not [f for f in flags if "name" in f]


def test_english_to_vietnamese_names_months_and_quotes():
    source = 'General To Lam said on March 5: "Every officer must be a propagandist."'
    assert omissions(source, "Đại tướng Tô Lâm ngày 5/3 nói: “Mỗi cán bộ phải là một tuyên truyền viên.”",
                     "en", "vi") == []
    flags = omissions(source, "Đại tướng nói ngày 5 rằng mỗi cán bộ phải là tuyên truyền viên.", "en", "vi")
    assert 'missing: name "To Lam"' in flags and 'missing: "March"' in flags
    assert any(f.startswith("missing: quote") for f in flags)
    # an English word that is no Vietnamese syllable is no name: "Thai Prime Minister"
    assert omissions("The Thai Prime Minister came.", "Thủ tướng Thái Lan đến.", "en", "vi") == []


def test_a_clause_left_out_shows_in_the_length_and_an_empty_output_is_everything():
    source = ("Bộ Công an đã tổ chức hội nghị tổng kết công tác năm, đồng thời triển khai nhiệm vụ trọng tâm "
              "của lực lượng trong thời gian tới.")
    flags = omissions(source, "The Ministry of Public Security held a conference.", "vi", "en")
    assert flags[-1].startswith("short: 0.") and left_out(flags) == flags
    assert omissions(source, "", "vi", "en") == ["missing: everything"]
    assert left_out(["long: 2.10× the source's length", "missing: clause 2"]) == ["missing: clause 2"]


def test_hostile_numbers_are_text_not_a_crash():
    flags = omissions("Số " + "9" * 5000 + " và 12.", "Number and 12.", "vi", "en")
    assert not [f for f in flags if f.startswith('missing: "')] and flags[0].startswith("short: 0.00×")


def test_one_syllable_names_are_found_and_missed():
    assert omissions("Ông Đạt lưu ý, dự án đúng tiến độ.", "The project is on schedule, noted Dat.", "vi", "en") == []
    assert 'missing: name "Đạt"' in omissions("Ông Đạt lưu ý, dự án đúng tiến độ.", "The project is on schedule.",
                                               "vi", "en")


@pytest.mark.parametrize(("source", "output", "src", "tgt"), [
    # footnote marks glued to a word are no numbers to carry; codes in capitals are
    ("It will be prohibited1 to sell elephants(2) to zoos.", "Sẽ cấm bán voi cho các vườn thú.", "en", "vi"),
    ("The firm paid VND2 billion.", "Công ty đã trả 2 tỷ đồng.", "en", "vi"),
    # clock times and abbreviated year ranges, as each language writes them
    ("The train leaves at 9.40 a.m. in the 2019–20 season.", "Tàu rời ga lúc 9 giờ 40 trong mùa 2019-2020.",
     "en", "vi"),
    ("Khoảng 9h30, tàu SE12 chạy.", "At about 9.30 a.m., the SE12 train ran.", "vi", "en"),
])
def test_numbers_as_each_language_writes_them(source, output, src, tgt):
    assert [f for f in omissions(source, output, src, tgt) if f.startswith('missing: "')] == []


def test_the_minutes_of_a_clock_time_are_checked():
    assert 'missing: "30"' in omissions("Khoảng 9h30, tàu chạy.", "At about 9 a.m., the train ran.", "vi", "en")


def test_a_number_with_a_thousands_comma_before_am_is_read_not_raised():
    # a weak model's "1,200 a.m." (seen on vlsp20-news-tst) once raised InvalidOperation
    assert omissions("Có 1.200 người dự.", "There were 1,200 a.m. people.", "vi", "en") == []


# A short clause dropped: the output's length is within what translations run, so only
# the lexicon (which source words have a translation in the output) finds it.
CLAUSES = ("Bộ Công an đã tổ chức hội nghị tổng kết công tác năm 2024 tại Hà Nội, "
           "các đại biểu đã thảo luận kế hoạch phòng chống tội phạm ma túy.")
ALL_CLAUSES = ("The Ministry of Public Security held a conference to review its work in 2024 in Hanoi, "
               "the delegates discussed a plan to prevent and combat drug crime.")
FIRST_CLAUSE = "The Ministry of Public Security held a conference to review its work in 2024 in Hanoi."


@pytest.mark.skipif(lexicon.bundled() is None, reason="models/lexicon.tsv.gz is not in this checkout")
def test_the_shipped_lexicon_finds_a_short_clause_left_out():
    assert omissions(CLAUSES, ALL_CLAUSES, "vi", "en") == []
    flags = omissions(CLAUSES, FIRST_CLAUSE, "vi", "en")
    assert flags == ["missing: clause các đại biểu đã thảo luận kế hoạch…"]
    assert omissions(ALL_CLAUSES, "Bộ Công an đã tổ chức hội nghị tổng kết công tác năm 2024 tại Hà Nội.",
                     "en", "vi")[0].startswith("missing: clause the delegates discussed")


def _toy_pairs() -> list[tuple[str, str]]:
    """Pairs written here: every two of twelve words, in both orders, so a word shares a
    pair only with its translation often enough to count."""
    words = [("sông", "river"), ("núi", "mountain"), ("mưa", "rain"), ("gió", "wind"), ("cây", "tree"),
             ("đá", "stone"), ("biển", "sea"), ("mây", "cloud"), ("trăng", "moon"), ("đèn", "lamp"),
             ("cửa", "door"), ("sách", "book")]
    return [(f"{vi} {vi2}", f"{en} {en2}") for vi, en in words for vi2, en2 in words if vi != vi2]


def test_a_fitted_lexicon_pairs_words_and_survives_a_round_trip(tmp_path):
    fitted = lexicon.fit(_toy_pairs(), max_share=0.5)
    assert fitted.translations["vi"]["sông"][0] == "river"
    assert fitted.translations["en"]["mountain"][0] == "núi"
    path = tmp_path / "lexicon.tsv.gz"
    fitted.save(path)
    assert lexicon.Lexicon.load(path) == fitted
    assert fitted.coverage("núi sông đèn", "the river and the lamp", "vi") == (3, 2)
    assert fitted.coverage("river mountains", "sông", "en") == (2, 1)  # "mountains" is stemmed


def test_without_the_lexicon_file_no_clause_is_guessed(monkeypatch):
    monkeypatch.setattr(lexicon, "bundled", lambda: None)
    assert missing_clauses(CLAUSES, FIRST_CLAUSE, "vi", "en") == []
