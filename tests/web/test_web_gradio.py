"""The page's Gradio API through gradio_client, and what uploads may and may not reach."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from vnsum.web.downloads import file_stem
from vnsum.web.ui import UPLOADED

VI_EN = "Vietnamese → English"
HEADER = "vi\ten\tkind\tvariants\tsource\n"


@pytest.fixture(scope="module")
def client(copy_server):
    return Client(copy_server.url, verbose=False)


def process(client, text, glossary="vn-gov", glossary_file=None, direction=VI_EN, words=60, alone=False):
    return client.predict(text, direction, glossary, glossary_file, "test-model", words, alone, api_name="/process")


def test_every_action_is_a_named_endpoint(client):
    named = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert {"/process", "/read_file", "/check_glossary"} <= set(named)
    assert [p["label"] for p in named["/process"]["parameters"]] == [
        "Article", "Direction", "Glossary",
        "Your glossary for this session (TSV: vi, en, kind, variants, source; or just vi and en, tab- or "
        "comma-separated)", "Model", "Summary length (words)", "Use my glossary alone (without vn-gov)"]


def test_process(client, copy_server, article):
    copy_server.backend.calls.clear()
    direction, shown, side, plain, summary_vi, summary_en, terms, timing, brief, word, markdown, data = process(
        client, article)
    assert direction == '<p class="direction">Vietnamese → English</p>'
    assert '<mark class="applied" title="glossary term: applied">Ministry of Public Security</mark>' in shown
    assert ("<th lang='vi'><mark class=\"applied\" title=\"glossary term: applied\">Bộ Công an</mark>" in side
            and "<td lang='en'>" in side)
    assert plain.startswith("Ministry of Public Security") and "<" not in plain
    assert "Ministry of Public Security" in summary_en and "Bộ Công an" in summary_vi
    assert ('<td class="source">Ban Dân vận Trung ương</td><td class="rendering">Party Central Committee&#x27;s '
            'Commission for Mass Mobilisation</td><td class="kind">org</td>') in terms
    assert "sentences** translated" in timing and "glossary `vn-gov`" in timing and "Note:" not in timing
    assert "model `test-model`" in timing
    assert Path(markdown).name == f"{file_stem(article.splitlines()[0])}.en.md"
    assert "## Summary (English)" in Path(markdown).read_text(encoding="utf-8")
    assert json.loads(Path(data).read_text(encoding="utf-8"))["title"] == article.splitlines()[0]
    assert Path(brief).name.endswith(".en.html") and "side-by-side" in Path(brief).read_text(encoding="utf-8")
    assert Path(word).name.endswith(".en.docx") and Path(word).read_bytes().startswith(b"PK")
    # Title and body in one batch; the summary sentences shortened (to about 60 words) are new text, in a second.
    first, *rest = copy_server.backend.calls
    assert len(rest) <= 1 and not set(first) & {s for call in rest for s in call}


def test_an_article_too_short_to_summarize_says_so(client):
    _, _, _, _, summary_vi, summary_en, *_ = process(client, "Bộ Công an họp\nBộ Công an họp tại Hà Nội.")
    assert summary_vi == summary_en == "(no sentence fit for a summary)"


def test_text_in_the_other_language_gets_a_note(client):
    english = "Ministry of Public Security\n" + "The ministry held a conference on security work in the capital. " * 4
    *_, timing, _, _, _, _ = process(client, english)
    assert timing.startswith("**Note:** this does not look like Vietnamese")


@pytest.mark.parametrize("text, shown", [
    ("Bộ Công an họp\nBộ Công an tổ chức hội nghị tổng kết công tác năm 2025 tại Hà Nội với các đơn vị trực "
     "thuộc và công an các tỉnh.", "Detected: Vietnamese → English"),
    ("Ministry of Public Security\n" + "The ministry held a conference on security work in the capital. " * 4,
     "Detected: English → Vietnamese"),
    ("Tin\nHà Nội.", "Detected: Vietnamese → English (only 12/100 sure: choose the direction if this is wrong)")])
def test_auto_detect_translates_from_the_language_found_and_says_which(client, text, shown):
    direction, *_, timing, _, _, _, _ = process(client, text, direction="Auto-detect")
    assert direction == f'<p class="direction">{shown}</p>' and "Note:" not in timing


def test_input_over_the_limit_gets_a_clear_message(client):
    with pytest.raises(AppError, match="5,001 characters in one request; this server takes at most 5,000"):
        process(client, "x" * 5_001)


def test_bad_glossary_is_reported_with_line_numbers(client, tmp_path):
    bad = tmp_path / "mine.tsv"
    bad.write_text(HEADER + "Quảng Ninh\tQuang Ninh Province\tplace\t\t\n"
                   "Hạ Long\tHa Long\n" + "Bộ Y tế\tMinistry of Health\tministry\t\t\n", encoding="utf-8")
    choice, report = client.predict(handle_file(str(bad)), api_name="/check_glossary")
    assert choice == "vn-gov"
    assert "mine.tsv was not loaded: 2 error(s)" in report
    assert "line 3: error: expected 3 to 5 tab-separated columns, found 2" in report
    assert "line 4: error: kind 'ministry' is not one of" in report


def test_uploaded_glossary_is_used_for_the_session(client, tmp_path):
    mine = tmp_path / "mine.tsv"
    mine.write_text(HEADER + "Quảng Ninh\tQuang Ninh Province\tplace\t\tour style guide\n", encoding="utf-8")
    choice, report = client.predict(handle_file(str(mine)), api_name="/check_glossary")
    assert choice == UPLOADED and "1 entries loaded" in report
    _, shown, *_ = process(client, "Tin Quảng Ninh\nCông an Quảng Ninh họp.\n", UPLOADED, handle_file(str(mine)))
    assert '<mark class="applied" title="glossary term: applied">Quang Ninh Province</mark>' in shown


def test_an_uploaded_two_column_glossary_adds_to_the_default_unless_used_alone(client, tmp_path):
    mine = tmp_path / "mine.tsv"
    mine.write_text("hội nghị\tconference\n", encoding="utf-8")
    choice, report = client.predict(handle_file(str(mine)), api_name="/check_glossary")
    assert choice == UPLOADED and "1 entries loaded" in report
    text = "Tin\nBộ Công an tổ chức hội nghị.\n"
    _, stacked, *_ = process(client, text, UPLOADED, handle_file(str(mine)))
    assert ">conference</mark>" in stacked and ">Ministry of Public Security</mark>" in stacked
    _, alone, *_ = process(client, text, UPLOADED, handle_file(str(mine)), alone=True)
    assert ">conference</mark>" in alone and ">Ministry of Public Security</mark>" not in alone


def test_read_uploaded_documents(client, tmp_path):
    import docx

    word = docx.Document()
    for line in ("Bộ Công an họp", "", "Hội nghị diễn ra tại Hà Nội."):
        word.add_paragraph(line)
    word.save(tmp_path / "bai.docx")
    text, notice = client.predict(handle_file(str(tmp_path / "bai.docx")), VI_EN, api_name="/read_file")
    assert text == "Bộ Công an họp\n\nHội nghị diễn ra tại Hà Nội.\n" and notice == ""
    (tmp_path / "bai.html").write_text("<html><head><script>alert(1)</script></head><body><nav>Trang chủ</nav>"
                                       "<h1>Bộ Công an họp</h1><p>Hội nghị <b>diễn ra</b> tại Hà Nội.</p></body>"
                                       "</html>", encoding="utf-8")
    text, _ = client.predict(handle_file(str(tmp_path / "bai.html")), VI_EN, api_name="/read_file")
    assert text.split() == "Bộ Công an họp Hội nghị diễn ra tại Hà Nội.".split()
    (tmp_path / "bai.txt").write_bytes("Bộ Công an họp\nHội nghị diễn ra tại Hà Nội.\n".encode("utf-16"))
    text, notice = client.predict(handle_file(str(tmp_path / "bai.txt")), VI_EN, api_name="/read_file")
    assert text.startswith("Bộ Công an họp\n") and "UTF-16" in notice
    (tmp_path / "bai.pdf").write_bytes(b"%PDF-1.4")
    with pytest.raises(AppError, match=r"Invalid file type.*\.txt', '\.md', '\.html', '\.htm', '\.docx'"):
        client.predict(handle_file(str(tmp_path / "bai.pdf")), VI_EN, api_name="/read_file")


@pytest.mark.parametrize("size, refused_by", [(230_000, "File size exceeded maximum allowed size of 204800 bytes"),
                                               (300_000, "larger than this server's limit of 270,336 bytes")])
def test_too_big_upload_is_refused(copy_server, size, refused_by):
    r = httpx.post(copy_server.url + "/gradio_api/upload", files={"files": ("big.txt", b"x" * size)}, timeout=30)
    assert r.status_code == 413 and refused_by in r.text


@pytest.mark.parametrize("endpoint, data", [
    ("check_glossary", lambda f: [f]),
    ("read_file", lambda f: [f, VI_EN]),
    ("process", lambda f: ["Tin\nBài.", VI_EN, UPLOADED, f, "test-model", 2]),
])
def test_a_request_cannot_name_a_file_on_the_server(copy_server, tmp_path, endpoint, data):
    secret = tmp_path / "secret.txt"
    secret.write_text("vi\ten\tkind\nSECRET\tSECRET\tterm\n", encoding="utf-8")
    relative = "../" * 12 + str(secret).lstrip("/")
    for path in ("../../etc/passwd", "/etc/passwd", str(secret), relative):
        payload = {"data": data({"path": path, "meta": {"_type": "gradio.FileData"}})}
        r = httpx.post(f"{copy_server.url}/gradio_api/call/{endpoint}", json=payload, timeout=30)
        stream = httpx.get(f"{copy_server.url}/gradio_api/call/{endpoint}/{r.json()['event_id']}", timeout=30).text
        assert "event: error" in stream, path
        assert "SECRET" not in stream and "root:" not in stream
