"""The server's parts without a server: the gate, limits, uploads, highlighting, downloads."""

from __future__ import annotations

import asyncio
import io
import re
import threading
import time

import pytest

from vnsum import Translator
from vnsum.enforce import TermHit
from vnsum.errors import GlossaryError, InputError, ModelNotFoundError, UsageError
from vnsum.pipeline import ArticleResult, Pipeline
from vnsum.web import Limits, ServerConfig
from vnsum.web.downloads import Downloads, file_stem, word_file
from vnsum.web.errors import RequestTimeout, RequestTooLarge, ServerBusy, public, status_for
from vnsum.web.gate import Gate
from vnsum.web.service import Service, model_name
from vnsum.translator import Segment, Translation
from vnsum.progress import decoded, reporting
from vnsum.summarize import Summary
from vnsum.web.ui import ProgressBar, _shown, side_by_side_html, terms_html, translation_html
from vnsum.web.uploads import inside, read_upload

from fakes import CopyBackend


def blocked(release: threading.Event, value):
    def job():
        release.wait(10)
        return value
    return job


def test_gate_refuses_when_every_place_is_taken_and_recovers():
    gate, release = Gate(workers=1, waiting=1, timeout_s=10), threading.Event()
    running, waiting = gate.submit(blocked(release, 1)), gate.submit(blocked(release, 2))
    with pytest.raises(ServerBusy, match="2 requests are running or waiting"):
        gate.submit(blocked(release, 3))
    release.set()
    assert (running.result(5), waiting.result(5)) == (1, 2)
    assert gate.run(lambda: 4) == 4 and gate.pending == 0
    gate.close()


def test_gate_deadline_cancels_waiting_work_and_frees_its_place():
    gate, release = Gate(workers=1, waiting=2, timeout_s=0.2), threading.Event()
    gate.submit(blocked(release, 1))
    with pytest.raises(RequestTimeout, match="limit of 0.2 s and was waiting; it was cancelled"):
        gate.run(lambda: "never")
    assert gate.pending == 1  # only the running job holds a place
    with pytest.raises(RequestTimeout, match="still running"):
        asyncio.run(Gate(workers=1, waiting=0, timeout_s=0.1).arun(blocked(release, 2)))
    release.set()
    deadline = time.monotonic() + 5
    while gate.pending and time.monotonic() < deadline:
        time.sleep(0.01)
    assert gate.pending == 0
    assert asyncio.run(gate.arun(lambda: "async")) == "async"
    gate.close()


@pytest.mark.parametrize("exc, status", [
    (UsageError("x"), 400), (GlossaryError("x"), 400), (InputError("x"), 400), (RequestTooLarge("x"), 413),
    (ServerBusy("x"), 429), (ModelNotFoundError("x"), 503), (RequestTimeout("x"), 503)])
def test_http_status_of_errors(exc, status):
    assert status_for(exc) == status


@pytest.fixture
def service():
    limits = Limits(max_chars=100, max_batch=3)
    return Service(ServerConfig(model="m", limits=limits), {"m": Translator(backend=CopyBackend(), glossary=None)})


def test_requests_are_checked_before_they_queue(service):
    with pytest.raises(RequestTooLarge, match="4 texts in one request; this server takes at most 3"):
        service.translation_job(["a"] * 4, "vi", "en")
    with pytest.raises(RequestTooLarge, match="101 characters"):
        service.translation_job(["x" * 101], "vi", "en")
    with pytest.raises(UsageError, match="unknown glossary '../../etc/passwd'"):
        service.article_job("Tin\nBài.", "vi", glossary="../../etc/passwd")
    with pytest.raises(UsageError, match="unsupported direction"):
        service.translation_job(["a"], "vi", "fr")
    assert service.gate.pending == 0 and service.translators["m"].backend("vi", "en").calls == []


def test_glossary_translators_share_the_loaded_backend(service):
    backend = service.translators["m"].backend("vi", "en")
    done = service.translation_job(["Bộ Công an họp."], "vi", "en")()
    assert done[0].text == "The Ministry of Public Security họp." and [t.status for t in done[0].terms] == ["applied"]
    assert service.translation_job(["Bộ Công an họp."], "vi", "en", glossary="none")()[0].terms == []
    assert len(backend.calls) == 2  # one backend, whichever glossary


def test_missing_weights_are_reported_at_start(tmp_path, monkeypatch):
    monkeypatch.setenv("VNSUM_MODELS", str(tmp_path))
    service = Service(ServerConfig(model="opus-mt"))
    service.start()
    assert "No weights for model 'opus-mt'" in service.startup_error
    assert "vnsum models pull opus-mt" in service.startup_error
    with pytest.raises(ModelNotFoundError):
        service.translation_job(["Câu."], "vi", "en")()


def _article(translation: Translation, title: str = "Title <b>", title_terms=()) -> ArticleResult:
    """A result around ``translation``, for the views (no summaries)."""
    return ArticleResult("vi", "en", "Tiêu đề", title, translation, Summary([], "vi", "none"),
                         Summary([], "en", "none"), list(title_terms))


def test_translation_is_paragraphs_with_terms_marked_inline():
    terms = [TermHit("Bộ Công an", "Ministry of Public Security", "org", "applied", 0),
             TermHit("Đại tá", "Senior Colonel", "rank", "repaired", 0)]
    segments = [Segment("Bộ Công an, Đại tá.", "The Ministry of Public Security, Senior Colonel.", 0),
                Segment("Thu Hà", "Thu Ha", 1)]
    result = Translation("The Ministry of Public Security, Senior Colonel.\nThu Ha", "", "vi", "en", "m (m)", None,
                         segments, terms)
    shown = translation_html(_article(result))
    assert shown.endswith('<div class="view"><p>Title &lt;b&gt;</p><p>The <mark class="applied" title="glossary '
                          'term: applied">Ministry of Public Security</mark>, <mark class="repaired" title="glossary '
                          'term: repaired">Senior Colonel</mark>.<br>Thu Ha</p></div>')
    assert '<p class="model-line">Translated by m (m).</p>' in shown and "0 of 2 sentences to check" in shown
    table = terms_html(terms + terms[:1])
    assert "<td class=\"source\">Bộ Công an</td><td class=\"rendering\">Ministry of Public Security</td>" in table
    assert '<td class="count">2</td>' in table and "No glossary term" in terms_html([])


def test_each_occurrence_is_marked_with_its_own_status_on_the_page():
    """Issue #23: 14 applied and 1 repaired are 14 green marks and 1 orange, as the table says."""
    terms = [TermHit("Bộ Công an", "Ministry of Public Security", "org", "applied", 0),
             TermHit("Bộ Công an", "Ministry of Public Security", "org", "repaired", 1),
             TermHit("Bộ Công an", "Ministry of Public Security", "org", "applied", 2)]
    segments = [Segment(f"Bộ Công an {n}.", f"Ministry of Public Security {n}.", 0) for n in range(3)]
    result = Translation(" ".join(s.target for s in segments), " ".join(s.source for s in segments), "vi", "en",
                         "m", None, segments, terms)
    title = [TermHit("Bộ Công an", "Ministry of Public Security", "org", "repaired", 0)]
    shown = translation_html(_article(result, "Ministry of Public Security", title))
    view = shown[shown.index('<div class="view">'):]
    assert re.findall(r'<mark class="(\w+)"', view) == ["repaired", "applied", "repaired", "applied"]
    side = side_by_side_html(_article(result, "Ministry of Public Security", title))
    # the title's rendering (its source "Tiêu đề" has no term), then the line's source and translation
    assert re.findall(r'<mark class="(\w+)"', side[side.index("<table"):]) == ["repaired"] + [
        "applied", "repaired", "applied"] * 2


def test_the_bar_moves_with_the_sentences_of_the_first_call_then_the_second_looks():
    shown = []
    bar = ProgressBar(lambda fraction, desc: shown.append((round(fraction, 2), desc)))
    with reporting(bar):
        for done, total in ((16, 40), (40, 40), (3, 5), (5, 5)):
            decoded(done, total)
    decoded(1, 1)  # outside the run: nobody listens
    assert shown == [(0.37, "Translating: 16 of 40 sentences"), (0.85, "Translating: 40 of 40 sentences"),
                     (0.91, "Second look at 5 sentences: 3 done"), (0.95, "Second look at 5 sentences: 5 done")]


def test_sentences_to_check_are_underlined_with_why_and_listed():
    segments = [Segment("Câu một.", "Sentence one.", 0, -0.2, "ok"),
                Segment("Câu hai có 1.200 người.", "Sentence two <people>.", 0, -1.5, "doubtful",
                        ['missing: "1.200"']),
                Segment("Câu ba.", "Sentence one.", 0, -0.8, "check")]
    result = Translation("Sentence one. Sentence two <people>. Sentence one.", "", "vi", "en", "vnsum-mini (x)",
                         None, segments, model_note="demonstration model: check every sentence")
    shown = translation_html(_article(result, "T"))
    # each sentence found in order: the third is the second "Sentence one.", not the first
    assert ('<p>Sentence one. <span class="level-doubtful" title="doubtful: missing: &quot;1.200&quot;">Sentence '
            'two &lt;people&gt;.</span> <span class="level-check" title="check: the model was unsure of this '
            'sentence">Sentence one.</span></p>') in shown
    assert "2 of 3 sentences to check" in shown and "<strong>demonstration model: check every sentence</strong>" in shown
    listed = shown[shown.index('<ol class="to-check">'):]
    assert listed.count("<li>") == 2 and "sentence 2: “Sentence two &lt;people&gt;.”" in listed
    assert "— missing: &quot;1.200&quot;" in listed and "sentence 3:" in listed


def test_visitors_see_model_names_not_server_paths(tmp_path):
    folder = tmp_path / "srv" / "models" / "vnsum-mini"
    folder.mkdir(parents=True)
    assert [model_name(str(folder)), model_name(f"{folder}/"), model_name("opus-mt"),
            model_name("Helsinki-NLP/opus-mt-vi-en")] == ["vnsum-mini", "vnsum-mini", "opus-mt",
                                                          "Helsinki-NLP/opus-mt-vi-en"]
    message = (f"No weights for model 'x'.\n  1. {folder}/vi-en  (project folder): not there\n"
               f"then copy {folder} to C:\\models\\x, or 14/4/2022 TP.HCM/Hà Nội https://huggingface.co/x.")
    assert public(message) == ("No weights for model 'x'.\n  1. …/vi-en  (project folder): not there\n"
                               "then copy …/vnsum-mini to …/x, or 14/4/2022 TP.HCM/Hà Nội https://huggingface.co/x.")


def test_download_names_come_from_the_title():
    assert file_stem("Công an tỉnh Quảng Ninh ra quân bảo đảm an ninh, trật tự dịp Tết Nguyên đán") == (
        "cong-an-tinh-quang-ninh-ra-quan-bao-dam-an-ninh-trat-tu-dip")
    assert file_stem("Đại hội ../../etc") == "dai-hoi-etc" and file_stem("…") == "vnsum-article"


def test_uploads_are_read_only_from_their_folder(tmp_path):
    root = tmp_path / "uploads"
    (root / "abc").mkdir(parents=True)
    (root / "abc" / "bai.txt").write_text("Tin\nBài.\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert read_upload(inside(root / "abc" / "bai.txt", root), 1000) == ("Tin\nBài.\n", ())
    for path in (root / "abc" / ".." / ".." / "secret.txt", root / "link.txt", "/etc/passwd",
                 root / "../../../../etc/passwd"):
        with pytest.raises(InputError, match="not an uploaded file"):
            inside(path, root)


@pytest.mark.parametrize("name, data, error", [
    ("bai.pdf", b"%PDF", r"\.pdf cannot be read here; upload one of \.txt, \.md, \.html, \.htm, \.docx"),
    ("bai.txt", bytes(range(256)), "^bai.txt: looks like a binary file"),
    ("bai.txt", b" \n ", "^bai.txt: the document is empty"),
    ("bai.docx", b"not a zip", "^bai.docx: not a valid Word .docx file"),
    ("bai.html", b"<script>x()</script>", "no article text found"),
])
def test_unreadable_uploads(tmp_path, name, data, error):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(InputError, match=error):
        read_upload(tmp_path / name, 1000)


def test_upload_over_the_size_limit(tmp_path):
    (tmp_path / "bai.txt").write_text("x" * 2_000_000, encoding="utf-8")
    with pytest.raises(RequestTooLarge, match="bai.txt is 2.0 MB; this server accepts files up to 1.0 MB"):
        read_upload(tmp_path / "bai.txt", 1_000_000)


def test_downloads_keep_only_the_latest(article):
    result = Pipeline(Translator(backend=CopyBackend())).process(article)
    downloads = Downloads(keep=2)
    written = [downloads.write(result) for _ in range(3)]
    assert [files["md"].exists() for files in written] == [False, True, True]
    stem = file_stem(article.splitlines()[0])
    assert {suffix: path.name for suffix, path in written[-1].items()} == {
        "md": f"{stem}.en.md", "json": f"{stem}.en.json", "html": f"{stem}.en.html"}
    assert written[-1]["md"].parent.parent == downloads.root
    assert "<table class='side-by-side'>" in written[-1]["html"].read_text(encoding="utf-8")


def test_downloads_write_files_made_elsewhere_beside_the_others(article):
    result = Pipeline(Translator(backend=CopyBackend())).process(article)
    downloads = Downloads()
    files = downloads.write(result, {"docx": b"PK\x03\x04"})
    assert files["docx"].read_bytes() == b"PK\x03\x04" and files["docx"].parent == files["md"].parent


def test_the_word_download_is_the_translated_title_then_its_paragraphs(article):
    import docx

    result = Pipeline(Translator(backend=CopyBackend())).process(article)
    word = docx.Document(io.BytesIO(word_file(result)))
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[0] == result.title_translation and word.paragraphs[0].style.name == "Heading 1"
    assert paragraphs[1:] == [line.strip() for line in result.translation.text.splitlines() if line.strip()]


def test_limits_must_be_positive():
    with pytest.raises(UsageError, match="timeout_s=0, workers=0"):
        Limits(workers=0, timeout_s=0)
    assert Limits(max_waiting=0).max_waiting == 0


def test_page_errors_are_plain_text_without_server_paths():
    import gradio as gr

    @_shown
    def refuse():
        raise UsageError("No weights for model 'opus-mt'.\nLooked in /srv/models/opus-mt <here>")

    with pytest.raises(gr.Error) as raised:
        refuse()
    assert raised.value.message == "No weights for model 'opus-mt'.\nLooked in …/opus-mt <here>"


def test_serve_takes_gradio_server_name_and_port_and_flags_win(monkeypatch):
    from vnsum.cli import parser

    monkeypatch.setenv("GRADIO_SERVER_NAME", "0.0.0.0")
    monkeypatch.setenv("GRADIO_SERVER_PORT", "8080")
    args = parser().parse_args(["serve"])
    assert (args.host, args.port) == ("0.0.0.0", 8080)
    args = parser().parse_args(["serve", "--host", "127.0.0.1", "--port", "9000"])
    assert (args.host, args.port) == ("127.0.0.1", 9000)


def test_a_busy_port_is_refused_before_any_model_loads(monkeypatch, capsys):
    import socket

    from vnsum.cli import main
    from vnsum.web import server
    from vnsum.web.server import addresses

    monkeypatch.setattr(server, "create_app", lambda *a, **k: pytest.fail("the model was loaded first"))
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    assert f"port {port} on 127.0.0.1 is already in use" in capsys.readouterr().err
    assert addresses("0.0.0.0", 7860) == ["http://127.0.0.1:7860/", f"http://{socket.gethostname()}:7860/"]
    assert addresses("::1", 80) == ["http://[::1]:80/"]


def test_a_server_without_a_usable_model_warns_at_start(monkeypatch, tmp_path, capsys):
    import uvicorn

    from vnsum.cli import main

    monkeypatch.setenv("VNSUM_MODELS", str(tmp_path))
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)
    assert main(["serve", "--port", "0", "--host", "0.0.0.0", "--model", "opus-mt"]) == 0
    out = capsys.readouterr()
    assert "vnsum: warning: model opus-mt cannot translate" in out.err and "/health answers 503" in out.err
    assert re.search(r"page on http://127\.0\.0\.1:[1-9]\d*/ or http://", out.out)
