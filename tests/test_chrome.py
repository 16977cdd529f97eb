"""Site chrome (issue 25): counters, menus, share buttons and related-article lists are
found by the detector the summarizer uses and kept as written in a translation (or
dropped with --strip-chrome), never sent to the model as prose."""

import json

import pytest

from fakes import CopyBackend
from vnsum import Translator
from vnsum.chrome import chrome_lines, drop_chrome, is_chrome
from vnsum.cli import main
from vnsum.segment import split_document
from vnsum.summarize.candidates import candidates, headline

BODY = ("Ngày 15/12/2025, tại Hà Nội, Bộ Công an tổ chức hội nghị tổng kết công tác phòng, chống tội phạm "
        "năm 2025 với sự tham dự của lãnh đạo các đơn vị.\n"
        "Năm qua, lực lượng Công an đã triệt phá nhiều đường dây tội phạm lớn, góp phần giữ vững an ninh trật "
        "tự trên cả nước.\n")
CHROME_TOP = "Trang chủ > Tin tức - Sự kiện\nTìm kiếm\n"
CHROME_MIDDLE = "Lượt xem: 3518\nChia sẻ: Facebook Zalo Twitter\n"
RELATED = ("\nTin liên quan\nCông an Hà Nội ra quân bảo đảm an ninh dịp Tết\n\n"
           "Công an tỉnh Quảng Ninh tổng kết năm 2025 (14/12/2025)\n\nLiên kết website\n")
PAGE = CHROME_TOP + "Bộ Công an tổng kết công tác năm 2025\n" + CHROME_MIDDLE + BODY + RELATED


class Shouting(CopyBackend):
    """Translates by upper-casing: whatever reached the model is visible in the output."""

    def transform(self, sentence: str) -> str:
        return sentence.upper()


@pytest.mark.parametrize("line", [
    "Lượt xem: 3518", "Tìm kiếm", "Tin tức - Sự kiện", "Liên kết website", "Tin liên quan",
    "Tìm kiếm / Tin tức - Sự kiện / Liên kết website", "Trang chủ » Tin tức", "Chia sẻ: Facebook Zalo",
    "Facebook  Twitter  Email", "Views: 1,204", "Related news:",
])
def test_chrome_lines_are_recognised(line):
    assert is_chrome(line)


@pytest.mark.parametrize("line", [
    "Bộ Công an công bố tin tức về vụ án.", "Hà Nội", "Thông báo", "Tin tức mới về giao thông",
    "Sự kiện nổi bật năm 2025 của ngành Công an", "Lượt xem hội chợ tăng mạnh", "",
])
def test_prose_is_not_chrome(line):
    assert not is_chrome(line)


def test_related_articles_are_chrome_up_to_the_first_prose():
    lines = ["Tin liên quan", "Tiêu đề một", "", "Tiêu đề hai (14/12/2025)", "Đây là một câu văn bình thường."]
    assert chrome_lines(lines) == {0, 1, 3}


def test_chrome_is_kept_as_written_and_never_reaches_the_model():
    backend = Shouting()
    result = Translator(backend=backend, glossary=None).translate_document(PAGE, "vi", "en")
    sent = " ".join(s for call in backend.calls for s in call)
    for line in (CHROME_TOP + CHROME_MIDDLE + RELATED).splitlines():
        if line:
            assert line + "\n" in result.text and line not in sent
    assert BODY.upper() in result.text and result.text.count("\n") == PAGE.count("\n")
    assert "BỘ CÔNG AN TỔNG KẾT CÔNG TÁC NĂM 2025\n" in result.text  # the headline is translated


def test_strip_chrome_drops_it_from_source_and_translation():
    result = Translator(backend=CopyBackend(), glossary=None, strip_chrome=True).translate_document(PAGE)
    assert result.source == drop_chrome(PAGE) and result.text == result.source
    assert "Lượt xem" not in result.text and "Tin liên quan" not in result.text and BODY in result.text


def test_the_summarizer_skips_what_translation_keeps():
    doc = split_document(PAGE, "vi")
    chrome = [line.raw for line in doc.lines if line.kind == "chrome"]
    assert "Lượt xem: 3518" in chrome and "Liên kết website" in chrome
    assert all(not is_chrome(c.text) for c in candidates(doc))
    assert headline(PAGE) == "Bộ Công an tổng kết công tác năm 2025"


def test_cli_strip_chrome(tmp_path, capsys, monkeypatch):
    real_init = Translator.__init__
    monkeypatch.setattr(Translator, "__init__",
                        lambda self, *a, **kw: real_init(self, *a, **{**kw, "backend": CopyBackend()}))
    page = tmp_path / "page.vi.txt"
    page.write_text(PAGE, encoding="utf-8")
    assert main(["translate", str(page), "--format", "json", "--no-glossary", "--no-tm", "-q"]) == 0
    assert json.loads(capsys.readouterr().out)["text"] == PAGE
    assert main(["translate", str(page), "--strip-chrome", "--no-glossary", "--no-tm", "-q"]) == 0
    assert capsys.readouterr().out == drop_chrome(PAGE)
