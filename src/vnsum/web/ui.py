"""The page: paste or upload an article, get the translation, both summaries and the terms.

Every event has an ``api_name``, so what the page does can be scripted with
``gradio_client``. Model work goes through the service's gate, shared with the REST
API; the handlers only check input, wait for their turn and lay out the result.
"""

from __future__ import annotations

import functools
import html
import re
import time
from collections.abc import Callable, Iterable

import gradio as gr
from gradio.utils import get_upload_folder

from ..enforce import APPLIED, MISSED, REPAIRED, TermHit
from ..errors import UsageError, VnsumError
from ..glossary import check
from ..language import language_notice
from ..pipeline import ArticleResult
from ..report import term_table
from ..summarize import Summary
from .downloads import Downloads
from .errors import RequestTooLarge
from .examples import EXAMPLES
from .service import Service
from .uploads import DOCUMENT_SUFFIXES, GLOSSARY_SUFFIXES, check_size, inside, read_upload

DIRECTIONS = {"Vietnamese → English": "vi", "English → Vietnamese": "en"}
UPLOADED = "my uploaded glossary"
STATUS_COLOURS = {"applied": "#b7e4c7", "repaired": "#ffd58a"}
TERM_HEADERS = ["Source", "Rendering", "Kind", "Status", "Count"]
CSS = """#no-model {border-left: 4px solid #d9480f; padding-left: .8rem}
#glossary-report {font-size: .9em}"""


def theme() -> gr.themes.Base:
    """Gradio's default look with local fonts: offices offline must not wait for a font server."""
    return gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])


def highlight(text: str, terms: Iterable[TermHit]) -> list[tuple[str, str | None]]:
    """``text`` cut into (piece, status) spans: glossary renderings labelled applied/repaired."""
    status: dict[str, str] = {}
    for t in terms:
        if t.status != MISSED and status.get(t.target.lower()) != REPAIRED:
            status[t.target.lower()] = t.status
    if not status:
        return [(text, None)]
    phrases = sorted(status, key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(p)}(?!\w)" for p in phrases), re.IGNORECASE)
    spans, pos = [], 0
    for m in pattern.finditer(text):
        spans += [(text[pos:m.start()], None), (m.group(), status.get(m.group().lower(), APPLIED))]
        pos = m.end()
    return [s for s in [*spans, (text[pos:], None)] if s[0]]


def timings(result: ArticleResult, wall_s: float) -> str:
    """What was done, how long it took, and with which model, glossary and summarizer."""
    counts = ", ".join(f"{n} {status}" for status, n in sorted(result.translation.term_counts.items())) or "none"
    t = result.timings
    return (f"**{len(result.translation.segments)} sentences** translated in {t.get('translate_s', 0):.2f} s, "
            f"summarized in {t.get('summarize_s', 0):.2f} s ({wall_s:.2f} s in all, waiting included) · "
            f"glossary terms: {counts}  \nmodel `{result.models.get('translation')}` · glossary "
            f"`{result.models.get('glossary')}` · summarizer `{result.models.get('summarizer')}`")


def shown_summary(summary: Summary) -> str:
    """The summary, or why there is none (a very short article has no sentence to pick)."""
    return summary.text if summary.sentences else f"({'; '.join(summary.notes) or 'no summary'})"


def _shown(fn: Callable) -> Callable:
    """Show a VnsumError on the page as its own message (gr.Error renders HTML: escape it)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except VnsumError as exc:
            raise gr.Error(html.escape(str(exc)).replace("\n", "<br>"), duration=None,
                           print_exception=False) from None
    return wrapper


def build(service: Service) -> gr.Blocks:
    """The gr.Blocks page over ``service``."""
    limits = service.limits
    downloads = Downloads()

    @_shown
    def read_file(path: str | None, direction: str) -> tuple[str, str]:
        """Text of an uploaded .txt, .md, .html or .docx file, for the article box."""
        if not path:
            raise UsageError("Choose a file to upload.")
        text, notices = read_upload(inside(path, get_upload_folder()), limits.max_upload_bytes,
                                    lang=DIRECTIONS[direction])
        if len(text) > limits.max_chars:
            raise RequestTooLarge(f"The file's text has {len(text):,} characters; this page takes at most "
                             f"{limits.max_chars:,}. Split it, or use `vnsum process` on the command line.")
        return text, "  \n".join(f"Note: {n}." for n in notices)

    @_shown
    def check_glossary(path: str | None) -> tuple[str, str]:
        """Validate an uploaded glossary: problems with line numbers; use it if it has no errors."""
        if not path:
            raise UsageError("Choose a glossary file to upload.")
        file = inside(path, get_upload_folder())
        check_size(file, limits.max_upload_bytes)
        problems = check(file)
        errors = [p for p in problems if p.level == "error"]
        listed = "\n".join(f"- {html.escape(str(p), quote=False)}" for p in problems[:30])
        if errors:
            return service.default_glossary, (f"**{file.name} was not loaded: {len(errors)} error(s).** "
                                              f"Fix them and upload it again.\n\n{listed}")
        entries = len(service.uploaded_glossary(file).entries)
        return UPLOADED, f"**{file.name}: {entries} entries loaded** for this session.\n\n{listed}"

    @_shown
    def process(text: str, direction: str, glossary: str, glossary_file: str | None, model: str,
                sentences: float, progress=gr.Progress()):
        """Translate the article, summarize it in both languages, and report every term."""
        start = time.perf_counter()
        if glossary == UPLOADED:
            if not glossary_file:
                raise UsageError("Upload a glossary file first, or choose another glossary.")
            glossary = service.uploaded_glossary(inside(glossary_file, get_upload_folder()))
        job = service.article_job(text, DIRECTIONS[direction], sentences=int(sentences), glossary=glossary,
                                  model=model)
        progress(0.05, desc=f"Translating {len(text):,} characters (waiting for the model if it is busy)")
        result = service.gate.run(job)
        progress(0.95, desc="Preparing the downloads")
        markdown, data = downloads.write(result)
        body = f"{result.title_translation}\n\n{result.translation.text.strip()}"
        notice = language_notice(text, result.src)
        report = (f"**Note:** {notice}.\n\n" if notice else "") + timings(result, time.perf_counter() - start)
        return (highlight(body, result.terms), shown_summary(result.summary_vi), shown_summary(result.summary_en),
                [list(row) for row in term_table(result.terms)], report, str(markdown), str(data))

    with gr.Blocks(title="vnsum: Vietnamese ↔ English news translation", analytics_enabled=False,
                   delete_cache=(1800, 3600)) as page:
        gr.Markdown("# vnsum\nTranslate Vietnamese government and police news into English (or English "
                    "into Vietnamese) with official names kept exactly as the glossary says, and summarize it.")
        if service.startup_error:
            gr.Markdown("### No model weights on this machine\nThe page cannot translate until they are "
                        f"installed. What vnsum found and how to fix it:\n\n```\n{service.startup_error}\n```",
                        elem_id="no-model")
        with gr.Row():
            with gr.Column(scale=3):
                text = gr.Textbox(label="Article", lines=12, max_lines=30, elem_id="article",
                                  info=f"Title on the first line. Up to {limits.max_chars:,} characters.",
                                  placeholder="Dán bài viết vào đây… / Paste an article here…")
                upload = gr.File(label="…or upload a file (" + ", ".join(DOCUMENT_SUFFIXES) + ")",
                                 file_types=list(DOCUMENT_SUFFIXES),
                                 type="filepath", height=130, elem_id="upload")
                upload_notice = gr.Markdown()
            with gr.Column(scale=2):
                direction = gr.Radio(list(DIRECTIONS), value=next(iter(DIRECTIONS)), label="Direction")
                glossary = gr.Dropdown([*service.glossary_names, UPLOADED], value=service.default_glossary,
                                       label="Glossary")
                glossary_file = gr.File(label="Your glossary for this session (TSV: vi, en, kind, variants, "
                                              "source)", file_types=list(GLOSSARY_SUFFIXES), type="filepath",
                                        height=130, elem_id="glossary-file")
                glossary_report = gr.Markdown(elem_id="glossary-report")
                model = gr.Dropdown(list(service.translators), value=service.default_model, label="Model")
                sentences = gr.Slider(1, min(10, limits.max_sentences), value=3, step=1,
                                      label="Summary length (sentences)")
                run = gr.Button("Translate and summarize", variant="primary", elem_id="run")
        labels = {src: label for label, src in DIRECTIONS.items()}
        gr.Examples([[article, labels[src]] for article, src in EXAMPLES], inputs=[text, direction],
                    label="Examples (click one, then Translate)", api_name="load_example")
        translation = gr.HighlightedText(label="Translation — glossary terms highlighted", color_map=STATUS_COLOURS,
                                         show_legend=True, elem_id="translation")
        with gr.Row():
            summary_vi = gr.Textbox(label="Tóm tắt (tiếng Việt)", lines=4, elem_id="summary-vi")
            summary_en = gr.Textbox(label="Summary (English)", lines=4, elem_id="summary-en")
        terms = gr.Dataframe(headers=TERM_HEADERS, label="Glossary terms", interactive=False, elem_id="terms")
        timing = gr.Markdown(elem_id="timings")
        with gr.Row():
            markdown_file = gr.DownloadButton("Download Markdown", elem_id="download-md")
            json_file = gr.DownloadButton("Download JSON", elem_id="download-json")

        upload.upload(read_file, [upload, direction], [text, upload_notice], api_name="read_file")
        glossary_file.upload(check_glossary, glossary_file, [glossary, glossary_report], api_name="check_glossary")
        glossary_file.clear(lambda: (service.default_glossary, ""), None, [glossary, glossary_report],
                            api_name="clear_glossary", api_visibility="private")
        run.click(process, [text, direction, glossary, glossary_file, model, sentences],
                  [translation, summary_vi, summary_en, terms, timing, markdown_file, json_file],
                  api_name="process", concurrency_id="model", concurrency_limit=limits.workers)
    page.queue(default_concurrency_limit=limits.workers, max_size=limits.max_waiting)
    return page
