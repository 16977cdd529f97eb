"""Site chrome: the lines of a saved news page that belong to the site, not the article.

Pages copied from ministry and newspaper sites carry a view counter ("Lượt xem: 3518"),
menus and breadcrumbs ("Trang chủ > Tin tức - Sự kiện", "Tìm kiếm", "Liên kết
website"), share buttons ("Chia sẻ: Facebook Zalo") and a list of other articles under
"Tin liên quan". A model translates them as prose ("Lượt xem: 3518" became "Does:
3518") and a summary made of them is useless, so one detector serves both: the
segmenter marks these lines ``chrome`` (kept as they are in a translation, or dropped),
and the summarizer never picks them.

A line is chrome only when all of it is: every piece between separators is a known
label, so a sentence that mentions "tin tức" stays prose.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

COUNTER = re.compile(r"^(lượt xem|lượt đọc|views?|bình luận|comments?)\s*(?:[:：]\s*)?[\d.,]+$", re.IGNORECASE)
# Menu, breadcrumb and button labels, lower case. Words that also head real content
# ("Thông báo" is a document type, "Giới thiệu" a section) are left out on purpose.
LABELS = frozenset(label.strip() for label in """
trang chủ | tìm kiếm | tin tức | sự kiện | tin tức - sự kiện | liên kết website | liên kết | liên hệ
sơ đồ trang | sơ đồ site | đăng nhập | đăng ký | chia sẻ | chia sẻ bài viết | in bài | in bài viết | bản in
gửi email | gửi bài viết | gửi cho bạn bè | lưu bài viết | lên đầu trang | về đầu trang | quay lại | trở về
trở lại | xem thêm | xem tiếp | đọc tiếp | tin liên quan | bài liên quan | tin khác | các tin khác | tin đã đưa
tin cùng chuyên mục | tin mới | tin mới nhất | tin mới cập nhật | tin nổi bật | đọc nhiều | xem nhiều
ý kiến bạn đọc | bình luận | thư viện ảnh | video | văn bản | văn bản mới | tiêu điểm | chuyên mục
home | search | news | events | news - events | related news | related articles | other news | read more
most read | most viewed | share | print | back | back to top | top | contact | sitemap | log in | login
""".replace("\n", "|").split("|")) - {""}
# Share-button words: a line of nothing but these ("Facebook Zalo Twitter Email") is buttons.
SHARE_WORDS = frozenset("facebook zalo twitter x linkedin email e-mail print messenger telegram tweet".split())
# Headings after which a site lists other articles, one title a line.
RELATED = frozenset({"tin liên quan", "bài liên quan", "tin khác", "các tin khác", "tin cùng chuyên mục",
                     "tin đã đưa", "related news", "related articles", "other news"})
# What separates the pieces of a menu or breadcrumb line; tried only where a run of
# spaces starts ("(?<!\s)"), so a long run of spaces costs one pass, not its square.
_SEPARATORS = re.compile(r"(?<!\s)(?:\s*[|/»>›·•:]|\s+[-–—](?=\s))\s*")
_TERMINAL = tuple(".!?…")
# A title in a related-articles list is short and ends without a full stop.
_MAX_TITLE_WORDS = 30


def _label(piece: str) -> bool:
    words = piece.split()
    return piece in LABELS or bool(words) and all(w in SHARE_WORDS for w in words)


def is_chrome(line: str) -> bool:
    """True when the whole line is a counter or made of menu, breadcrumb and button labels."""
    body = line.strip().lower()
    if not body:
        return False
    if COUNTER.match(body) or body in LABELS:
        return True
    pieces = [p.strip() for p in _SEPARATORS.split(body)]
    return all(_label(p) for p in pieces if p) and any(pieces)


def _reads_as_title(line: str) -> bool:
    body = line.strip()
    return 0 < len(body.split()) <= _MAX_TITLE_WORDS and not body.endswith(_TERMINAL)


def chrome_lines(lines: Sequence[str]) -> set[int]:
    """Indices of the chrome among ``lines`` (without line endings): the chrome lines
    themselves, and the titles listed after a related-articles heading, up to the first
    line that does not read as a title (blank lines between titles included)."""
    found: set[int] = set()
    listing = False
    for i, line in enumerate(lines):
        if is_chrome(line):
            found.add(i)
            listing = line.strip().lower().rstrip(":") in RELATED
        elif listing and not line.strip():
            continue
        elif listing and _reads_as_title(line):
            found.add(i)
        else:
            listing = False
    return found


def drop_chrome(text: str) -> str:
    """``text`` without its chrome lines (``--strip-chrome``)."""
    lines = text.splitlines(keepends=True)
    dropped = chrome_lines([line.rstrip("\r\n") for line in lines])
    return "".join(line for i, line in enumerate(lines) if i not in dropped)
