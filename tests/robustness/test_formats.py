"""Web pages (the article, without scripts, menus or navigation) and Word files
(paragraphs kept, legacy .VnTime/VNI fonts converted), alone and in folder batches."""

import io

import pytest

from vnsum.cli import main
from vnsum.documents import collect, parse_document, read_document
from vnsum.encodings import encode_legacy
from vnsum.errors import InputError

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Bộ Công an - Tin tức</title>
<style>.menu { color: red }</style><script>var menuItems = ["Trang chủ"];</script></head>
<body>
<header class="site-header"><a href="/">Trang chủ</a> <nav><ul><li>Tin tức</li><li>Văn bản</li></ul></nav></header>
<div class="main-menu">Giới thiệu | Liên hệ</div>
<div class="breadcrumb">Trang chủ › An ninh</div>
<article>
  <header><h1>Bộ Công an tổ chức hội nghị</h1></header>
  <p class="date">15/12/2025</p>
  <p>Ngày 15/12/2025, tại   Hà Nội,
     Bộ Công an tổ chức <b>Hội nghị</b> sơ kết.</p>
  <figure><img src="a.jpg"><figcaption>Đại tướng Lương Tam Quang phát biểu.</figcaption></figure>
  <p>Dự Hội nghị có Thượng tướng Nguyễn Văn Long.<br>Hồng Dũng</p>
  <script>trackView();</script>
  <div class="related-news"><a href="/x">Tin liên quan: Công an Hà Nội</a></div>
  <div class="share-buttons">Chia sẻ Facebook</div>
</article>
<aside>Tin đọc nhiều</aside>
<footer>Bản quyền © Bộ Công an</footer>
</body></html>
"""
ARTICLE = ("Bộ Công an tổ chức hội nghị\n\n15/12/2025\n\nNgày 15/12/2025, tại Hà Nội, Bộ Công an tổ chức Hội nghị "
           "sơ kết.\n\nĐại tướng Lương Tam Quang phát biểu.\n\nDự Hội nghị có Thượng tướng Nguyễn Văn Long."
           "\n\nHồng Dũng\n")


def test_html_page_gives_its_article_without_furniture():
    doc = parse_document(PAGE.encode(), "bai.html")
    assert doc.text == ARTICLE and doc.notices == ()


def test_html_without_article_element_takes_the_paragraph_block():
    page = ("<html><body><div id='menu'>Trang chủ | Tin tức</div><div class='content'><h1>Tiêu đề</h1>"
            "<div class='box'><p>Đoạn một khá dài về hội nghị.</p><p>Đoạn hai.</p></div></div>"
            "<div class='footer-links'><p>Liên hệ</p></div></body></html>")
    doc = parse_document(page.encode(), "bai.htm")
    assert doc.text == "Tiêu đề\n\nĐoạn một khá dài về hội nghị.\n\nĐoạn hai.\n"
    assert doc.notices == ("no <article> element: took the block with the most paragraphs",)


def test_html_charset_and_legacy_encodings():
    page = "<html><head><meta charset='windows-1258'></head><body><article><p>{}</p></article></body></html>"
    from .test_encodings import cp1258

    text = "Đại tướng Tô Lâm dự họp."
    assert parse_document(cp1258(page.format(text)), "a.html").text == text + "\n"
    legacy = page.replace("windows-1258", "iso-8859-1").format(text).encode("latin-1", errors="ignore")
    legacy = legacy.replace(text.encode("latin-1", errors="ignore"), encode_legacy(text, "TCVN3"))
    doc = parse_document(legacy, "a.html")
    assert doc.text == text + "\n" and "converted from TCVN3" in doc.notices[0]


def test_html_without_text_is_refused():
    with pytest.raises(InputError, match="no article text found"):
        parse_document(b"<html><body><script>x()</script><nav>Menu</nav></body></html>", "a.html")


def _docx(build) -> bytes:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_tables_and_empty_lines_are_kept():
    def build(d):
        d.add_heading("Bộ Công an tổ chức hội nghị", level=1)
        d.add_paragraph("Đoạn một.")
        d.add_paragraph("")
        p = d.add_paragraph("Đoạn hai, ")
        p.add_run("in đậm").bold = True
        p.add_run(" và tiếp.")
        table = d.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Họ tên", "Chức vụ"
        merged = table.cell(1, 0).merge(table.cell(1, 1))
        merged.text = "Tô Lâm"
        d.add_paragraph("Hồng Dũng")

    doc = parse_document(_docx(build), "bai.docx")
    assert doc.text == ("Bộ Công an tổ chức hội nghị\nĐoạn một.\n\nĐoạn hai, in đậm và tiếp.\nHọ tên\nChức vụ\n"
                        "Tô Lâm\nHồng Dũng\n")
    assert doc.notices == ()


def test_docx_runs_in_vntime_and_vni_fonts_are_converted():
    def build(d):
        p = d.add_paragraph()
        p.add_run("Unicode: ")
        p.add_run(encode_legacy("Bộ Công an họp", "TCVN3").decode("cp1252")).font.name = ".VnTime"
        p = d.add_paragraph()
        p.add_run(encode_legacy("thông báo", "TCVN3").decode("cp1252")).font.name = ".VnTimeH"
        p = d.add_paragraph()
        p.add_run(encode_legacy("Việt Nam", "VNI").decode("cp1252")).font.name = "VNI-Times"

    doc = parse_document(_docx(build), "cu.docx")
    assert doc.text == "Unicode: Bộ Công an họp\nTHÔNG BÁO\nViệt Nam\n"
    assert set(doc.notices) == {
        "converted 1 run(s) in the .VnTimeH font from TCVN3 to Unicode (check names and capitals)",
        "converted 1 run(s) in the .VnTime font from TCVN3 to Unicode (check names and capitals)",
        "converted 1 run(s) in the VNI-Times font from VNI to Unicode (check names and capitals)",
    }


def test_docx_default_font_in_styles_is_honoured(article_vi):
    def build(d):
        d.styles["Normal"].font.name = ".VnTime"
        for line in article_vi.splitlines()[:3]:
            d.add_paragraph(encode_legacy(line, "TCVN3").decode("cp1252"))

    assert parse_document(_docx(build), "cu.docx").text == "\n".join(article_vi.splitlines()[:3]) + "\n"


@pytest.mark.parametrize("name, data, message", [
    ("hong.docx", b"PK\x03\x04 not really a zip", "not a valid Word .docx file"),
    ("hong.docx", b"plain text", "not a valid Word .docx file"),
    ("cu.doc", b"\xd0\xcf\x11\xe0", "old Word .doc files cannot be read: save it as .docx"),
    ("scan.pdf", b"%PDF-1.4", "PDF files cannot be read"),
    ("renamed.txt", b"PK\x03\x04\x14\x00", "a ZIP archive (if it is a Word document, give it the .docx"),
])
def test_unreadable_formats_are_refused_with_what_to_do(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(InputError, match="^" + str(tmp_path / name).replace("\\", "\\\\")) as err:
        read_document(tmp_path / name)
    assert message in str(err.value)


def test_folder_batch_reads_html_and_docx_into_text_files(tmp_path, copy_cli, capsys):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "trang.vi.html").write_text(PAGE, encoding="utf-8")
    (inbox / "cu.HTM").write_text(PAGE, encoding="utf-8")
    (inbox / "van-ban.vi.docx").write_bytes(_docx(lambda d: d.add_paragraph("Bộ Công an họp.")))
    (inbox / "note.pdf").write_bytes(b"%PDF-1.4")
    assert [s.relative.name for s in collect([str(inbox)])] == ["cu.HTM", "trang.vi.html", "van-ban.vi.docx"]
    assert main(["translate", str(inbox), "-o", str(tmp_path / "out"), "-q"]) == 0
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".txt") == ["cu.txt", "trang.en.txt", "van-ban.en.txt"]
    assert (out / "van-ban.en.txt").read_text(encoding="utf-8") == "The Ministry of Public Security họp.\n"
    assert (out / "trang.en.txt").read_text(encoding="utf-8").count("\n") == ARTICLE.count("\n")


def test_two_inputs_for_one_output_name_are_refused(tmp_path, capsys):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.vi.txt").write_text("Một.", encoding="utf-8")
    (inbox / "a.vi.html").write_text("<p>Hai.</p>", encoding="utf-8")
    assert main(["translate", str(inbox), "-o", str(tmp_path / "out")]) == 2
    assert "would both be written to" in capsys.readouterr().err


def test_a_page_nested_thousands_deep_is_read():
    page = "<html><body><article>" + "<div>" * 5000 + "<p>Bộ Công an họp.</p>" + "</div>" * 5000 + "</article>"
    assert parse_document(page.encode(), "deep.html").text == "Bộ Công an họp.\n"


def test_a_missing_optional_package_is_named(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "bs4", None)
    with pytest.raises(InputError, match=r"^a.html: reading this format needs the beautifulsoup4 package"):
        parse_document(b"<p>x</p>", "a.html")
