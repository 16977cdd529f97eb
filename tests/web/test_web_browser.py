"""The real page in headless Chromium (Debian's /usr/bin/chromium through Playwright).

No browser is downloaded: the tests skip when chromium or playwright is missing. They
run against the app served on 127.0.0.1 with the copy backend, so what the page shows
can be checked exactly.
"""

from __future__ import annotations

import re
import shutil
import time

import pytest

from vnsum import Translator, progress
from vnsum.web import ServerConfig
from vnsum.web.server import background, create_app

from chromium import CHROMIUM, launch
from fakes import CopyBackend

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason=f"{CHROMIUM} is not installed "
                                 "(apt-get install chromium)")]

TIMEOUT_MS = 30_000
expect.set_options(timeout=TIMEOUT_MS)  # a page still loading on a busy machine is slow, not broken
WIDTHS = (1280, 400)
# Words of the element (text nodes only) that the browser broke across two lines.
BROKEN_WORDS = """e => {
  const broken = [];
  const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}"""
# Visible elements that stick out of the viewport sideways, and the page's own overflow.
OVERFLOW = """() => {
  const out = [...document.querySelectorAll("body *")].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden"
      && (r.left < -1 || r.right > window.innerWidth + 1) && !e.closest("[data-testid=toast-body]");
  }).map(e => e.tagName + "#" + e.id + "." + e.className);
  return {elements: out.slice(0, 5), page: document.documentElement.scrollWidth - window.innerWidth};
}"""


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as pw:
        chromium = launch(pw)
        yield chromium
        chromium.close()


def _page(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


def open_terms(page) -> None:
    """Unfold the term table (folded under the downloads)."""
    page.locator("#terms-fold").get_by_text("Glossary terms").first.click()


@pytest.fixture
def page(browser):
    context, page = _page(browser, 1280)
    yield page
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_results_where_the_eye_is_readable_and_inside_the_page(browser, copy_live, width):
    from vnsum.web.downloads import file_stem
    from vnsum.web.examples import EXAMPLES

    context, page = _page(browser, width)
    page.goto(copy_live.url)
    downloads = [page.locator(f"#download-{suffix}") for suffix in ("html", "docx", "md", "json")]
    for button in downloads:
        expect(button).to_be_disabled()
    label, icon = (page.locator(f"#upload [data-testid={name}]").bounding_box()
                   for name in ("block-label", "upload-icon"))
    assert label["y"] + label["height"] <= icon["y"], "the upload box's icon hides behind its label"
    title = EXAMPLES[0][0].splitlines()[0]
    page.get_by_text(title[:30]).first.click()
    expect(page.locator("#article textarea")).to_have_value(re.compile("Quảng Ninh"))
    page.locator("#run").click()
    expect(page.locator("#timings")).to_contain_text("applied")
    page.wait_for_timeout(1_000)  # the smooth scroll
    top = page.locator("#translation").evaluate("e => e.getBoundingClientRect().top")
    assert -2 <= top < 900 / 2, "the results are not where the user looks"
    translation = page.locator("#translation")
    expect(translation.locator("mark.applied").first).to_be_visible()
    views = page.locator("#views")
    views.get_by_role("tab", name="Plain text").click()
    expect(page.locator("#translation-text textarea")).to_have_value(re.compile("^Quang Ninh Provincial Police"))
    views.get_by_role("tab", name="Translation").click()
    open_terms(page)
    assert translation.evaluate(BROKEN_WORDS) == [] and page.locator("#terms").evaluate(BROKEN_WORDS) == []
    assert "tuần tra" in translation.inner_text() and " ," not in translation.inner_text()
    assert page.evaluate(OVERFLOW) == {"elements": [], "page": 0}
    for button, suffix in zip(downloads, (".en.html", ".en.docx", ".en.md", ".en.json")):
        expect(button).to_be_enabled()
        with page.expect_download() as download:
            button.click()
        assert download.value.suggested_filename == file_stem(title) + suffix
    context.close()


class Paced(CopyBackend):
    """Copies two sentences at a time, a quarter of a second each, reporting its progress
    as the real backends do; it writes one placeholder as a model would write the term
    itself, so that occurrence is repaired and the others applied."""

    def generate(self, sentences, src, tgt, decoding=None, renderings=None):
        self.calls.append(list(sentences))
        for done in range(2, len(sentences) + 2, 2):
            time.sleep(0.25)
            progress.decoded(min(done, len(sentences)), len(sentences))
        return [self.transform(s) for s in sentences]

    def transform(self, sentence: str) -> str:
        return sentence.replace("ZZ0 khen", "ministry of public security khen")


PACED_ARTICLE = ("Bộ Công an họp\n\nBộ Công an tổ chức hội nghị. Đại tướng phát biểu tại Bộ Công an. Hội nghị đánh "
                 "giá kết quả năm 2025. Các đơn vị báo cáo. Lãnh đạo các cục phát biểu.\n\nBộ Công an khen thưởng "
                 "12 đơn vị. Hội nghị bế mạc.\n")
# Visible progress bars and their texts (Gradio's status trackers), with their boxes.
PROGRESS = """() => [...document.querySelectorAll(".progress-level-inner, .progress-bar")]
  .filter(e => e.getBoundingClientRect().height > 0 && getComputedStyle(e).visibility !== "hidden")
  .map(e => ({cls: e.className.split(" ")[0], text: e.textContent.trim()}))"""


@pytest.fixture(scope="module")
def paced_server():
    app = create_app(ServerConfig(model="paced"), {"paced": Translator(backend=Paced(), glossary=None)})
    with background(app) as url:
        yield url
    app.state.service.gate.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_one_progress_bar_then_side_by_side_downloads_above_folded_terms_and_no_stale_error(
        browser, paced_server, tmp_path, width):
    """Issue #25 as a user found it, and #23: an error from an empty article goes away with
    the next run; while it runs, one bar moves with the sentences; then the direction
    detected is above the results, a side-by-side view is a tab away, the downloads come
    before the term table, which is folded, and each term occurrence has its own colour."""
    context, page = _page(browser, width)
    page.goto(paced_server)
    page.locator("#run").click()
    toast = page.get_by_text("the article is empty")
    expect(toast.first).to_be_visible()
    page.locator("#article textarea").fill(PACED_ARTICLE)
    page.locator("#run").click()
    expect(toast).to_have_count(0)
    seen = []
    for _ in range(40):
        shown = page.evaluate(PROGRESS)
        if any(re.match(r"Translating: [1-9]\d* of \d+ sentences", p["text"]) for p in shown):
            seen.append(shown)
        if len(seen) >= 2:
            break
        page.wait_for_timeout(100)
    assert seen, "no progress shown while the sentences were translated"
    for shown in seen:  # one bar and one text, in the status line above the results
        assert sorted(p["cls"] for p in shown) == ["progress-bar", "progress-level-inner"], shown
    assert page.locator("#run-status .progress-level-inner").count() == 1
    page.screenshot(path=str(tmp_path / f"progress-{width}.png"))
    status = page.locator("#run-status")
    expect(status).to_have_text("Detected: Vietnamese → English", timeout=60_000)
    expect(page.get_by_text("the article is empty")).to_have_count(0)

    ministry = page.locator("#translation .view mark", has_text="Ministry of Public Security")
    assert [m.get_attribute("class") for m in ministry.all()] == ["applied"] * 3 + ["repaired"]  # title, then body
    page.locator("#views").get_by_role("tab", name="Side by side").click()
    table = page.locator("#side-by-side table.side-by-side")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(3)  # the title and two paragraphs
    expect(table.locator("tbody tr").nth(1).locator("td").first).to_contain_text("Bộ Công an tổ chức hội nghị.")
    expect(table.locator("tbody tr").nth(1).locator("td").last).to_contain_text(
        "Ministry of Public Security tổ chức hội nghị.")
    ministry = table.locator("tbody tr").nth(2).locator("mark", has_text=re.compile("Bộ Công an|Ministry"))
    assert [m.get_attribute("class") for m in ministry.all()] == ["repaired"] * 2  # in the source and translation
    downloads, fold = page.locator("#downloads"), page.locator("#terms-fold")
    expect(page.locator("#download-html")).to_be_enabled()
    assert downloads.bounding_box()["y"] < fold.bounding_box()["y"]
    assert not page.locator("#terms table").is_visible()
    page.screenshot(path=str(tmp_path / f"side-by-side-{width}.png"), full_page=True)
    height = page.evaluate("document.documentElement.scrollHeight")
    open_terms(page)
    expect(page.locator("#terms table")).to_be_visible()
    expect(page.locator("#terms")).to_contain_text("repaired")
    assert table.evaluate(BROKEN_WORDS) == [] and page.evaluate(OVERFLOW) == {"elements": [], "page": 0}
    page.screenshot(path=str(tmp_path / f"terms-open-{width}.png"), full_page=True)
    print(f"\n{width} px: page {height} px tall with the terms folded; screenshots in {tmp_path}")
    context.close()


def test_translate_an_article(page, copy_live, article):
    page.goto(copy_live.url)
    page.locator("#article textarea").fill(article)
    page.locator("#run").click()
    expect(page.locator("#translation")).to_contain_text("Ministry of Public Security")
    expect(page.locator("#summary-en textarea")).to_have_value(re.compile("Ministry of Public Security"))
    expect(page.locator("#summary-vi textarea")).to_have_value(re.compile("Bộ Công an"))
    expect(page.locator("#timings")).to_contain_text("sentences translated")
    open_terms(page)
    terms = page.locator("#terms")
    expect(terms).to_contain_text("Ban Dân vận Trung ương")
    expect(terms).to_contain_text("Party Central Committee's Commission for Mass Mobilisation")
    expect(terms).to_contain_text("applied")
    expect(page.locator("#timings")).to_contain_text("sentences translated")
    # Title and body in one batch; the summary sentences shortened (to about 60 words) are new text, in a second.
    first, *rest = copy_live.backend.calls
    assert len(rest) <= 1 and not set(first) & {s for call in rest for s in call}


def test_bad_glossary_shows_its_errors_with_line_numbers(page, copy_live, tmp_path):
    bad = tmp_path / "mine.tsv"
    bad.write_text("vi\ten\tkind\tvariants\tsource\nHạ Long\tHa Long\tplace\t\t\nQuảng Ninh\n", encoding="utf-8")
    page.goto(copy_live.url)
    page.get_by_text("Your own glossary").click()
    page.locator("#glossary-file input[type=file]").set_input_files(str(bad))
    report = page.locator("#glossary-report")
    expect(report).to_contain_text("mine.tsv was not loaded: 1 error(s)")
    expect(report).to_contain_text("line 3: error: expected 3 to 5 tab-separated columns, found 1")


def test_uploaded_word_file_fills_the_article(page, copy_live, tmp_path):
    import docx

    word = docx.Document()
    word.add_paragraph("Bộ Công an họp báo")
    word.add_paragraph("Chiều 20/01/2026, Bộ Công an tổ chức họp báo.")
    word.save(tmp_path / "bai.docx")
    page.goto(copy_live.url)
    page.locator("#upload input[type=file]").set_input_files(str(tmp_path / "bai.docx"))
    expect(page.locator("#article textarea")).to_have_value(
        "Bộ Công an họp báo\nChiều 20/01/2026, Bộ Công an tổ chức họp báo.\n")


def test_an_uploaded_word_file_comes_back_in_its_layout_unless_its_text_was_edited(page, copy_live, tmp_path):
    """The Word download of a translated .docx keeps its heading style and bold run, and
    takes its sentences from the run's own translation (the model is not asked twice); once
    the article box is edited, the download is a new Word file of the edited text."""
    import docx

    word = docx.Document()
    word.add_heading("Bộ Công an họp báo", level=1)
    body = word.add_paragraph("Chiều 20/01/2026, ")
    body.add_run("Bộ Công an").bold = True
    body.add_run(" tổ chức họp báo.")
    word.save(tmp_path / "bai.docx")

    def downloaded(shown: str) -> docx.document.Document:
        page.locator("#run").click()
        expect(page.locator("#translation")).to_contain_text(shown)  # this run's result, not the last one's
        expect(page.locator("#download-docx")).to_be_enabled()
        with page.expect_download() as download:
            page.locator("#download-docx").click()
        return docx.Document(download.value.path())

    page.goto(copy_live.url)
    page.locator("#upload input[type=file]").set_input_files(str(tmp_path / "bai.docx"))
    expect(page.locator("#article textarea")).to_have_value(re.compile("tổ chức họp báo"))
    kept = downloaded("tổ chức press conference.")
    assert [(p.style.name, p.text) for p in kept.paragraphs] == [
        ("Heading 1", "Ministry of Public Security press conference"),
        ("Normal", "Chiều 20 January 2026, the Ministry of Public Security tổ chức press conference.")]
    assert [r.text for r in kept.paragraphs[1].runs if r.bold] == ["Ministry of Public Security"]
    model_calls = [s for call in copy_live.backend.calls for s in call]
    assert len(model_calls) == len(set(model_calls)), "a sentence went to the model twice"

    page.locator("#article textarea").fill("Bộ Công an họp báo\nBộ Công an tổ chức họp báo lần hai.\n")
    edited = downloaded("lần hai")
    assert not any(r.bold for p in edited.paragraphs for r in p.runs)
    assert edited.paragraphs[-1].text == "The Ministry of Public Security tổ chức press conference lần hai."


def test_input_over_the_limit_gets_a_message(page, copy_live):
    page.goto(copy_live.url)
    page.locator("#article textarea").fill("Tin.\n" + "x" * 5_000)
    page.locator("#run").click()
    expect(page.get_by_text("5,005 characters in one request; this server takes at most 5,000")).to_be_visible()
    assert copy_live.backend.calls == []


def test_page_without_model_weights_says_how_to_get_them(page, monkeypatch, tmp_path):
    monkeypatch.setenv("VNSUM_MODELS", str(tmp_path))
    app = create_app(ServerConfig(model="opus-mt"))
    with background(app) as url:
        page.goto(url)
        banner = page.locator("#no-model")
        expect(banner).to_contain_text("The model cannot translate")
        expect(banner).to_contain_text("vnsum models pull opus-mt")
        assert str(tmp_path) not in page.content()
        page.locator("#article textarea").fill("Tin\nBộ Công an họp.")
        page.locator("#run").click()
        expect(page.get_by_text("No weights for model 'opus-mt'").last).to_be_visible()
    app.state.service.gate.close()


def test_an_llm_server_translates_and_summarizes_on_the_page(page, tmp_path):
    """`vnsum serve --model openai:NAME --summarizer openai:NAME`: the same page, the same
    term report; a summary that says what the article does not is flagged where the
    results are read."""
    from vnsum.backends.openai import LLMOptions

    from llmserver import FakeLLM

    with FakeLLM() as fake:
        fake.summary = "Bộ Công an tổ chức hội nghị với 500 đại biểu."
        app = create_app(ServerConfig(model="openai:fake-llm", summarizer="openai:fake-llm",
                                      translator_options={"llm": LLMOptions(api_base=fake.url)}))
        with background(app) as url:
            page.goto(url)
            page.locator("#article textarea").fill("Hội nghị của Bộ Công an\nNgày 20/12/2025, Bộ Công an tổ "
                                                   "chức hội nghị. Đại tướng Lương Tam Quang phát biểu.")
            page.locator("#run").click()
            expect(page.locator("#translation")).to_contain_text("Ministry of Public Security")
            expect(page.locator("#summary-vi textarea")).to_have_value(fake.summary)
            expect(page.locator("#timings")).to_contain_text("sentences")
            open_terms(page)
            expect(page.locator("#terms")).to_contain_text("General")
            timings = page.locator("#timings")
            expect(timings).to_contain_text("Check before use: the Vietnamese summary says what the article "
                                            "does not: 500.")
            expect(timings).to_contain_text("model openai:fake-llm")
            page.screenshot(path=str(tmp_path / "llm-1280.png"), full_page=True)
        app.state.service.gate.close()
    assert any("Text to translate" in r["messages"][-1]["content"] for r in fake.requests)


def test_while_opus_mt_downloads_the_page_says_which_model_translates_and_switches_when_ready(
        browser, monkeypatch, tmp_path):
    """`vnsum serve` with --model auto on a connected machine (a fake hub on 127.0.0.1):
    above the results, where the eye is at 1280 px and where a run scrolls to at 400 px,
    the page says the demonstration model answers while opus-mt downloads, how far it
    is, and then that opus-mt answers; a run after that uses opus-mt."""
    from fakehub import FakeHub, connect
    from tinymodels import make_marian

    repo = make_marian(tmp_path / "hub" / "opus-mt")
    hub = FakeHub({"Helsinki-NLP/opus-mt-vi-en": repo, "Helsinki-NLP/opus-mt-en-vi": repo})
    hub.stall["model.safetensors"] = 100
    monkeypatch.setenv("VNSUM_MODELS", str(tmp_path / "models"))
    connect(monkeypatch, hub.url)
    app = create_app(ServerConfig(translator_options={"backend": "hf", "beam_size": 1}))
    try:
        with background(app) as url:
            opened = {width: _page(browser, width) for width in WIDTHS}  # width -> (context, page)
            for width, (_context, page) in opened.items():
                page.goto(url)
                notice = page.locator("#model-status")
                expect(notice).to_contain_text("Translating with vnsum-mini, the small bundled demonstration "
                                               "model, while opus-mt downloads.")
                expect(notice).to_contain_text(re.compile(
                    r"Downloading opus-mt-vi-en: [\d.]+ kB of [\d.]+ kB \(\d+%\)\. The page switches to opus-mt when "
                    r"it is ready\."))
                if width == 400:  # below the form: a run brings the results, the notice first, into view
                    page.locator("#article textarea").fill("Tin\nBộ Công an họp.")
                    page.locator("#run").click()
                    expect(page.locator("#timings")).to_contain_text("model vnsum-mini", timeout=120_000)
                    page.wait_for_timeout(1_000)  # the smooth scroll
                page.screenshot(path=str(tmp_path / f"downloading-{width}.png"))
                box, results = notice.bounding_box(), page.locator("#translation").bounding_box()
                assert -2 <= box["y"] and box["y"] + box["height"] <= results["y"] < 900, (width, box, results)
                assert notice.evaluate(BROKEN_WORDS) == [] and page.evaluate(OVERFLOW) == {"elements": [], "page": 0}

            hub.release.set()
            for width, (_context, page) in opened.items():
                notice = page.locator("#model-status")
                expect(notice).to_contain_text("Translating with opus-mt, downloaded on first use; it replaced the "
                                               "demonstration model vnsum-mini.", timeout=180_000)
                page.screenshot(path=str(tmp_path / f"ready-{width}.png"))
                assert notice.evaluate(BROKEN_WORDS) == [] and page.evaluate(OVERFLOW) == {"elements": [], "page": 0}
            page = opened[1280][1]
            page.locator("#article textarea").fill("Tin\nBộ Công an họp.")
            page.locator("#run").click()
            expect(page.locator("#timings")).to_contain_text("model opus-mt", timeout=120_000)
            for context, _ in opened.values():
                context.close()
    finally:
        app.state.service.gate.close()
        hub.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_bundled_model_says_what_it_is_and_which_sentences_to_check(browser, tmp_path, width):
    from pathlib import Path

    article = (Path(__file__).parents[2] / "examples" / "bo-cong-an-hoi-nghi.vi.txt").read_text(encoding="utf-8")
    app = create_app(ServerConfig(model="vnsum-mini"))
    context, page = _page(browser, width)
    try:
        with background(app) as url:
            page.goto(url)
            page.locator("#article textarea").fill(article)
            page.locator("#run").click()
            translation = page.locator("#translation")
            expect(translation.locator(".model-line")).to_contain_text(re.compile(
                r"^Translated by vnsum-mini \(vnsum-mini\).* — demonstration model: check every sentence\.$"),
                timeout=180_000)
            legend = translation.locator(".legend")
            expect(legend).to_contain_text(re.compile(r"^\d+ of \d+ sentences to check · underlined: check doubtful"))
            checked, total = map(int, re.findall(r"\d+", legend.inner_text())[:2])
            underlined = translation.locator(".view span[class^=level-]")
            assert 0 < checked <= total and underlined.count() >= 1
            assert underlined.first.get_attribute("title").startswith(("check: ", "doubtful: "))
            listed = translation.locator("ol.to-check li")
            assert listed.count() == checked
            expect(listed.first).to_be_visible()
            assert translation.evaluate(BROKEN_WORDS) == []
            assert page.evaluate(OVERFLOW) == {"elements": [], "page": 0}
            translation.screenshot(path=str(tmp_path / f"to-check-{width}.png"))
    finally:
        context.close()
        app.state.service.gate.close()
