"""Vietnamese personal names, which English-language press writes without diacritics.

A name is recognised when it follows a title, rank or form of address ("Đại tướng Tô
Lâm", "đồng chí Bùi Thị Minh Hoài") or when it starts with one of the common family
names ("Lê Quốc Hùng"). Provinces that begin with a family name ("Cao Bằng") are caught
too, which is harmless: place names follow the same convention ("Cao Bang").
"""

from __future__ import annotations

import re

from .text import match_key, strip_diacritics

# The common family names; together they cover the vast majority of Vietnamese people.
SURNAMES = frozenset(match_key(s) for s in """
Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Triệu Lương Tô
Đinh Trịnh Đào Mai Cao Lâm Hà Chu Tạ Thái Vương Đoàn Kiều Tăng Lại Quách Khổng Âu Đàm
Thân Châu Nông Lò Lưu Tống Giang Kim Khúc Mạc Doãn Hứa Từ Văn Nghiêm Phùng Lục Ông Quan
""".split())

# Forms of address that precede a name but are not glossary titles.
ADDRESS_WORDS = frozenset(match_key(s) for s in ("đồng chí", "các đồng chí", "ông", "bà", "anh", "chị"))

# Words that open the name of a body, not of a person ("Cục trưởng Cục Quản lý…").
ORGANISATION_WORDS = frozenset(match_key(s) for s in """
Bộ Cục Vụ Ban Sở Phòng Viện Học Trường Ủy Uỷ Công Tổng Trung Hội Đảng Tỉnh Thành Quận Huyện Xã
Phường Thị Đội Đoàn Chi Văn Tòa Toà Ngân Tập Liên Nhà Quỹ Báo Đài Kho Cảnh Lực Quân Hải Mặt
""".split())

# One capitalised syllable: a capital letter, then lower-case letters only.
_CAPITALISED = re.compile(r"[^\W\d_a-zđ][^\W\d_A-ZĐ]{0,6}")
_WORD = re.compile(r"\S+")


def name_run(text: str, start: int, *, after_title: bool) -> int:
    """Return the end offset of a personal name starting at ``start``, or ``start``.

    A name is 2-5 capitalised syllables; without a preceding title the first must be a
    family name. One syllable is never enough: "Bí thư" must not become a name.
    """
    pos, words = start, []
    while len(words) < 5:
        m = _CAPITALISED.match(text, pos)
        if not m or _glued(text, m.end()):
            break
        words.append(m)
        gap = re.match(r" (?=\S)", text[m.end():m.end() + 2])
        if not gap:
            break
        pos = m.end() + 1
    if not words or match_key(words[0].group()) in ORGANISATION_WORDS:
        return start
    if len(words) < 2 or (not after_title and match_key(words[0].group()) not in SURNAMES):
        return start
    return words[-1].end()


def _glued(text: str, end: int) -> bool:
    """Whether the syllable ending at ``end`` runs on into more than a name ("TP.HCM",
    "Bà Rịa-Vũng Tàu", "Quang's"). A full stop that ends the sentence does not: the last
    syllable of "… đồng chí Nguyễn Văn Thể." belongs to the name."""
    after = text[end:end + 2]
    return bool(after) and (after[0].isalnum() or after[0] in "-'" or (after[0] == "." and after[1:].isalnum()))


def render_name(name: str) -> str:
    """English rendering of a Vietnamese name: same order, no diacritics."""
    return strip_diacritics(name)


def looks_like_byline(line: str) -> bool:
    """True for a short line that is only a name, as the author line of an article."""
    words = _WORD.findall(line)
    return 2 <= len(words) <= 4 and all(_CAPITALISED.fullmatch(w) for w in words)
