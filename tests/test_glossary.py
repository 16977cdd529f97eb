import unicodedata

import pytest

from vnsum import Glossary
from vnsum.errors import GlossaryError
from vnsum.glossary import KINDS, Entry, check

HEADER = "vi\ten\tkind\tvariants\tsource\n"


@pytest.fixture(scope="module")
def gov():
    return Glossary.load("vn-gov")


def found(g, text, src="vi", tgt="en"):
    return [(m.text, m.target) for m in g.find(text, src, tgt)]


def test_bundled_glossary_is_large_clean_and_covers_every_kind(gov):
    assert len(gov.entries) >= 80
    assert {e.kind for e in gov.entries} == set(KINDS)
    assert all(e.source for e in gov.entries)
    assert [p for p in check("vn-gov") if p.level == "error"] == []


def test_longest_match_wins_and_composed_titles(gov):
    assert found(gov, "Bộ trưởng Bộ Công an phát biểu") == [("Bộ trưởng Bộ Công an", "Minister of Public Security")]
    assert found(gov, "Đại tướng Tô Lâm dự họp") == [("Đại tướng", "General"), ("Tô Lâm", "To Lam")]


def test_case_insensitive_but_diacritics_significant(gov):
    assert found(gov, "lãnh đạo bộ công an") == [("bộ công an", "Ministry of Public Security")]
    assert found(gov, "lãnh đạo bộ công án") == []


def test_old_and_new_tone_placement_match(gov):
    assert found(gov, "Uỷ viên Bộ Chính trị") == [("Uỷ viên Bộ Chính trị", "Politburo member")]
    assert found(gov, "Ủy viên Bộ Chính trị") == [("Ủy viên Bộ Chính trị", "Politburo member")]


def test_whole_words_only():
    g = Glossary([Entry("Công an", "police", "org"), Entry("an ninh", "security", "term")])
    assert found(g, "Công an tỉnh") == [("Công an", "police")]
    assert found(g, "Côngan") == []
    assert found(g, "bảo đảm an ninhh") == []


def test_personal_names_after_titles_and_address_words(gov):
    text = "Thượng tướng Trần Quốc Tỏ, Ủy viên Trung ương Đảng; đồng chí Bùi Thị Minh Hoài, Bí thư Trung ương Đảng"
    pairs = found(gov, text)
    assert ("Trần Quốc Tỏ", "Tran Quoc To") in pairs
    assert ("Bùi Thị Minh Hoài", "Bui Thi Minh Hoai") in pairs
    assert ("Bí thư Trung ương Đảng", "Secretary of the Party Central Committee") in pairs


def test_names_recognised_by_family_name_and_title_words_not_taken_as_names(gov):
    pairs = found(gov, "Sau đó Lê Quốc Hùng cho biết, Bí thư Tỉnh ủy đã chỉ đạo.")
    assert ("Lê Quốc Hùng", "Le Quoc Hung") in pairs
    assert not any(target.startswith("Bi ") for _, target in pairs)


def test_reverse_direction_uses_the_same_file(gov):
    pairs = found(gov, "General To Lam, Minister of Public Security, met the Politburo.", "en", "vi")
    assert pairs == [("General", "Đại tướng"), ("To Lam", "Tô Lâm"),
                     ("Minister of Public Security", "Bộ trưởng Bộ Công an"), ("Politburo", "Bộ Chính trị")]


def test_nfd_input_is_matched(gov):
    nfd = unicodedata.normalize("NFD", "Bộ Công an")
    assert [t for _, t in found(gov, nfd)] == ["Ministry of Public Security"]


def write(tmp_path, body, name="g.tsv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes((HEADER + body).encode(encoding))
    return path


def test_check_reports_every_problem_with_line_numbers(tmp_path):
    nfd = unicodedata.normalize("NFD", "Bộ Y tế")
    path = write(tmp_path, (
        "Bộ Công an\tMinistry of Public Security\torg\t\tTT03\n"      # 2 ok
        "bộ công an\tMinistry of Public Security\torg\t\tdup\n"       # 3 duplicate
        "Bộ Công an\tPolice Ministry\torg\t\tconflict\n"              # 4 conflict
        "Bộ trưởng Bộ Công an\tMinister of Public Security\ttitle\t\tx\n"  # 5 (nests line 2)
        "Cục\tDepartment\tunit\t\tx\n"                                # 6 bad kind
        "only one column\n"                                           # 7 bad columns
        f"{nfd}\tMinistry of Health\torg\t\tx\n"                      # 8 not NFC
    ))
    problems = {(p.line, p.level) for p in check(path)}
    assert {(3, "warning"), (4, "error"), (2, "info"), (6, "error"), (7, "error"), (8, "warning")} <= problems
    with pytest.raises(GlossaryError, match=r"g.tsv:4: conflict"):
        Glossary.load(path)


def test_bad_header_bom_crlf_and_encoding(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("source\ttarget\nBộ Công an\tMPS\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="header must be"):
        Glossary.load(bad)
    bom = tmp_path / "bom.tsv"
    bom.write_bytes(b"\xef\xbb\xbf" + (HEADER + "Bộ Công an\tMinistry of Public Security\torg\t\tx\r\n")
                    .replace("\n", "\r\n").encode())
    assert [e.en for e in Glossary.load(bom).entries] == ["Ministry of Public Security"]
    latin = write(tmp_path, "Công an\tpolice\torg\t\tx\n", "cp.tsv", "cp1258")
    with pytest.raises(GlossaryError, match="not UTF-8"):
        Glossary.load(latin)


def test_unknown_glossary_name_lists_bundled_ones():
    with pytest.raises(GlossaryError, match="vn-gov"):
        Glossary.load("no-such-glossary")


def test_english_one_word_terms_need_their_capital(gov):
    assert found(gov, "In general, the head of the office spoke.", "en", "vi") == []
    assert found(gov, "General To Lam spoke.", "en", "vi")[0] == ("General", "Đại tướng")


def test_english_variants_are_found_and_shared_renderings_all_accepted(gov):
    assert found(gov, "They met in Hanoi.", "en", "vi") == [("Hanoi", "Hà Nội")]
    director = gov.find("The Director spoke.", "en", "vi")[0]
    assert {"Cục trưởng", "Vụ trưởng"} <= set(director.accepted)


def test_organisation_after_a_title_is_not_a_name(gov):
    pairs = found(gov, "Cục trưởng Cục Quản lý xuất nhập cảnh Nguyễn Văn Bình phát biểu.")
    assert pairs == [("Cục trưởng", "Director"), ("Cục Quản lý xuất nhập cảnh", "Immigration Department"),
                     ("Nguyễn Văn Bình", "Nguyen Van Binh")]
