"""The omission checks (vnsum.omissions): what a translation left out, found by rule."""

from __future__ import annotations

import pytest

from vnsum.omissions import left_out, omissions

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
    assert flags and flags[0].startswith("short: 0.") and left_out(flags) == flags
    assert omissions(source, "", "vi", "en") == ["missing: everything"]
    assert left_out(["long: 2.10× the source's length", "missing: clause 2"]) == ["missing: clause 2"]


def test_hostile_numbers_are_text_not_a_crash():
    flags = omissions("Số " + "9" * 5000 + " và 12.", "Number and 12.", "vi", "en")
    assert not [f for f in flags if f.startswith('missing: "')] and flags[0].startswith("short: 0.00×")
