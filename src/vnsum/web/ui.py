"""The page: paste or upload an article, get the translation, both summaries and the terms.

Two columns: the article and its options on the left, the results on the right, where
the eye already is (on a narrow screen they stack and the page scrolls to the results
when a run starts). Every event has an ``api_name``, so what the page does can be
scripted with ``gradio_client``. Model work goes through the service's gate, shared
with the REST API; the handlers only check input, wait for their turn and lay out the
result.
"""

from __future__ import annotations

import contextvars
import functools
import html
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import gradio as gr
from gradio.utils import get_upload_folder

from .. import review, sidebyside, termmarks
from ..enforce import APPLIED, REPAIRED, TermHit
from ..errors import UsageError, VnsumError
from ..glossary import check
from ..language import AUTO, NAMES, detect, language_notice, other
from ..pipeline import ArticleResult
from ..progress import reporting
from ..report import term_table
from ..summarize import Summary
from ..summarize.base import DEFAULT_WORDS
from .downloads import Downloads, word_file
from .errors import RequestTooLarge, public
from .examples import EXAMPLES
from .isolation import Isolated
from .modelnotice import add_model_notice
from .service import Job, Service
from .uploads import DOCUMENT_SUFFIXES, GLOSSARY_SUFFIXES, check_size, inside, read_upload

AUTO_DETECT = "Auto-detect"
DIRECTIONS = {AUTO_DETECT: AUTO, "Vietnamese → English": "vi", "English → Vietnamese": "en"}
UPLOADED = "my uploaded glossary"
SHOWN_STATUSES = (APPLIED, REPAIRED)  # a missed term has no rendering in the translation to mark
TERM_HEADERS = ["Source", "Rendering", "Kind", "Status", "Count"]
TERM_CLASSES = ["source", "rendering", "kind", "status", "count"]
EMPTY_TRANSLATION = ('<h2>Translation</h2><p class="placeholder">The translation appears here, its glossary terms '
                     "highlighted.</p>")
EMPTY_SIDE_BY_SIDE = ('<h2>Side by side</h2><p class="placeholder">Each paragraph of the article next to its '
                      "translation.</p>")
EMPTY_TERMS = ('<h2>Glossary terms</h2><p class="placeholder">Every glossary term found, its rendering and what '
               "happened to it.</p>")
# The download buttons, by file suffix: the side-by-side brief and the Word file first
# (what a reader forwards), then the text formats.
DOWNLOADS = {"html": "Side by side .html", "docx": "Word .docx", "md": "Markdown .md", "json": "JSON"}
# Text breaks only between words (a token longer than the line, such as a URL, may
# wrap anywhere rather than overflow). Below 600 px the term table turns each row into
# two lines, "source → rendering" and "kind · status · ×count". Error toasts keep the
# line breaks of vnsum's messages. The run's progress is shown in one place only, the
# status line above the results, which holds no text while a run starts.
CSS = """#no-model {border-left: 4px solid #d9480f; padding-left: .8rem}
#glossary-report {font-size: .9em}
.result {line-height: 1.6; word-break: normal; overflow-wrap: break-word; hyphens: manual}
.result h2 {font-size: var(--block-label-text-size); font-weight: normal; color: var(--block-label-text-color);
  margin: 0 0 .5em}
.result .placeholder {color: var(--body-text-color-subdued)}
#run-status {min-height: 3.2rem}
#run-status p {margin: 0}
#run-status .direction {font-weight: 600}
#translation .view, #side-by-side .view {max-height: 32rem; overflow-y: auto}
#translation p {margin: 0 0 .7em}
#terms table {width: 100%; border-collapse: collapse; font-size: .92em}
#terms table, #terms tr, #terms th, #terms td {border: 0}
#terms th, #terms td {text-align: left; vertical-align: top; padding: .3em .5em;
  border-bottom: 1px solid var(--border-color-primary)}
#terms td.count {text-align: right}
@media (max-width: 600px) {
  #terms thead {display: none}
  #terms tr {display: block; padding: .4em 0; border-bottom: 1px solid var(--border-color-primary)}
  #terms td {display: inline; padding: 0; border: 0}
  #terms td.source::after {content: " → "}
  #terms td.rendering::after {content: ""; display: block}
  #terms td.kind, #terms td.status, #terms td.count {font-size: .9em; color: var(--body-text-color-subdued)}
  #terms td.status::before {content: " · "}
  #terms td.count::before {content: " · ×"}
}
[data-testid="toast-text"] {white-space: pre-line}
.result .model-line, .result .legend {margin: 0 0 .5em; font-size: .92em}
""" + "\n".join((termmarks.CSS, sidebyside.CSS, review.CSS))
# As a run starts: the messages of earlier runs are closed (an error fixed since must not
# stay on screen), and on a narrow screen, where the results are below the form, they
# are brought into view.
START_RUN = """() => {
  document.querySelectorAll("[data-testid=toast-close]").forEach(button => button.click());
  const results = document.getElementById("results");
  const top = results ? results.getBoundingClientRect().top : 0;
  if (top < 0 || top > window.innerHeight / 2) {
    results.scrollIntoView({behavior: "smooth", block: "start"});
  }
}"""
log = logging.getLogger(__name__)


def theme() -> gr.themes.Base:
    """Gradio's default look with local fonts: offices offline must not wait for a font server."""
    return gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"])


def translation_html(result: ArticleResult) -> str:
    """The model line, then the title and text as paragraphs: each glossary rendering
    marked inline with the status of its own occurrence, sentences to check underlined
    in their level's colour (flags on hover), and the list of those sentences with why.

    Marks are inline, so a term stays on its line with the punctuation after it, and
    the browser wraps the text only between words.
    """
    translation = result.translation
    hits = termmarks.by_sentence(translation.terms)
    body = review.marked_html(translation.text.strip(), translation.segments,
                              lambda piece, n: termmarks.marked(piece, hits.get(n, [])))
    title = termmarks.marked(result.title_translation, result.title_terms)
    marked = re.sub(r"\n[ \t]*\n\s*", "</p><p>", f"{title}\n\n{body}")
    return (f"<h2>Translation · glossary terms {termmarks.legend(SHOWN_STATUSES)}</h2>"
            f"{review.model_line(translation)}{review.legend(translation)}"
            f'<div class="view"><p>{marked.replace(chr(10), "<br>")}</p></div>{review.check_list(translation)}')


def side_by_side_html(result: ArticleResult) -> str:
    """The article and its translation paragraph by paragraph, as the HTML brief lays them out."""
    return (f"<h2>Side by side · glossary terms {termmarks.legend(SHOWN_STATUSES)}</h2>"
            f'<div class="view">{sidebyside.table(result)}</div>')


def direction_html(src: str, detected: bool, confidence: float | None = None) -> str:
    """The direction the article was translated in, and whether it was detected."""
    names = f"{NAMES[src]} → {NAMES[other(src)]}"
    if not detected:
        return f'<p class="direction">{names}</p>'
    unsure = (f" (only {confidence:.0f}/100 sure: choose the direction if this is wrong)"
              if confidence is not None and confidence < 50 else "")
    return f'<p class="direction">Detected: {names}{unsure}</p>'


@dataclass
class ProgressBar:
    """The model calls of one run shown as one bar: the first call (every sentence of
    the article) fills most of it, sentence by sentence; the calls after it (sentences
    decoded again, shortened summary sentences) the rest. ``show`` is the request's
    ``gr.Progress``, called in the request's own context from the model's thread."""

    show: Callable[..., object]
    calls: int = 0
    finished: bool = False  # the current call has reported its last input

    def __call__(self, done: int, total: int) -> None:
        if self.finished:
            self.calls += 1
        self.finished = done >= total
        if self.calls == 0:
            self.show(0.05 + 0.8 * done / total, desc=f"Translating: {done} of {total} sentences")
        else:
            self.show(0.85 + 0.1 * done / total, desc=f"Second look at {total} sentences: {done} done")

    def watching(self, job: Job) -> Job:
        """``job``, reporting to this bar wherever it runs."""
        def watched():
            with reporting(self):
                return job()
        return watched


def terms_html(terms: Iterable[TermHit]) -> str:
    """The term report as a table: source, rendering, kind, status and count, most frequent first."""
    rows = "".join(
        "<tr>" + "".join(f'<td class="{cls}">{_term_cell(cls, value)}</td>' for cls, value in zip(TERM_CLASSES, row))
        + "</tr>" for row in term_table(terms))
    if not rows:
        return '<h2>Glossary terms</h2><p class="placeholder">No glossary term in this article.</p>'
    head = "".join(f"<th>{h}</th>" for h in TERM_HEADERS)
    return f"<h2>Glossary terms</h2><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _term_cell(cls: str, value: str | int) -> str:
    text = html.escape(str(value))
    return f'<mark class="{value}">{text}</mark>' if cls == "status" else text


def timings(result: ArticleResult, wall_s: float, model: str) -> str:
    """What was done, how long it took, and with which model, glossary and summarizer."""
    counts = ", ".join(f"{n} {status}" for status, n in sorted(result.translation.term_counts.items())) or "none"
    t = result.timings
    return (f"**{len(result.translation.segments)} sentences** translated in {t.get('translate_s', 0):.2f} s, "
            f"summarized in {t.get('summarize_s', 0):.2f} s ({wall_s:.2f} s in all, waiting included) · "
            f"glossary terms: {counts}  \nmodel `{model}` · glossary "
            f"`{result.models.get('glossary')}` · summarizer `{result.models.get('summarizer')}`")


def unsupported_notes(result: ArticleResult) -> str:
    """A warning per summary that states names, numbers or dates the article does not
    contain (an LLM's summary is checked: :mod:`vnsum.summarize.facts`)."""
    return "".join(
        f"**Check before use:** the {language} summary says what the article does not: "
        f"{html.escape(', '.join(summary.unsupported))}.\n\n"
        for language, summary in (("Vietnamese", result.summary_vi), ("English", result.summary_en))
        if summary.unsupported)


def shown_summary(summary: Summary) -> str:
    """The summary, or why there is none (a very short article has no sentence to pick)."""
    return summary.text if summary.sentences else f"({'; '.join(summary.notes) or 'no summary'})"


def kept_layout(uploaded: dict | None, text: str) -> Path | None:
    """The uploaded .docx whose layout the Word download keeps: only while the article box
    holds its text unchanged (an edited text is the user's own: it gets a new Word file),
    and while the upload folder still has it."""
    if not uploaded or uploaded["text"] != text:
        return None
    path = Path(uploaded["path"])
    return path if path.is_file() and path.suffix.lower() == ".docx" else None


def _shown(fn: Callable) -> Callable:
    """Show a VnsumError as its own message, in plain text without server paths or secrets,
    and any other error as an internal one, as the REST API does.

    The page is mounted with ``show_error=False``, so Gradio's own errors (a request
    naming a file that was not uploaded) reach visitors without their server paths; only
    these messages are shown. gradio_client callers get the text as it is; the page's
    toast keeps its line breaks with CSS (pre-line) and sanitizes it, so no HTML is
    written into it here.
    """
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except VnsumError as exc:
            log.info("page request refused: %s", exc)
            raise gr.Error(public(str(exc)), duration=None, print_exception=False) from None
        except Exception as exc:  # noqa: BLE001 - shown as the REST API shows it, logged in full
            log.exception("page request failed")
            raise gr.Error(public(f"Internal error ({type(exc).__name__}): {exc}"), duration=None,
                           print_exception=False) from None
    return wrapper


def build(service: Service) -> gr.Blocks:
    """The gr.Blocks page over ``service``."""
    limits = service.limits
    downloads = Downloads()
    reader = Isolated(limits.timeout_s)  # uploads are parsed in a process killed at the deadline

    @_shown
    def read_file(path: str | None, direction: str) -> tuple[str, str, dict | None]:
        """Text of an uploaded .txt, .md, .html or .docx file, for the article box; for a
        .docx also the file and its text, so the run can give its Word file its layout."""
        if not path:
            raise UsageError("Choose a file to upload.")
        file = inside(path, get_upload_folder())
        # In line with translations: reading a hostile file must not hold other users.
        lang = DIRECTIONS[direction]  # checked against the text, unless the text itself is to say
        text, notices = service.gate.run(lambda: reader.run(read_upload, file, limits.max_upload_bytes,
                                                            None if lang == AUTO else lang))
        if len(text) > limits.max_chars:
            raise RequestTooLarge(f"The file's text has {len(text):,} characters; this page takes at most "
                             f"{limits.max_chars:,}. Split it, or use `vnsum process` on the command line.")
        notes = "  \n".join(f"Note: {html.escape(n)}." for n in notices)  # font names come from the file
        return text, notes, ({"path": str(file), "text": text} if file.suffix.lower() == ".docx" else None)

    @_shown
    def check_glossary(path: str | None) -> tuple[str, str]:
        """Validate an uploaded glossary: problems with line numbers; use it if it has no errors."""
        if not path:
            raise UsageError("Choose a glossary file to upload.")
        file = inside(path, get_upload_folder())
        check_size(file, limits.max_upload_bytes)

        def checked() -> tuple[list, int | None]:
            problems = reader.run(check, file)  # loading it below parses the same way: as fast as this was
            if any(p.level == "error" for p in problems):
                return problems, None
            return problems, len(service.uploaded_glossary(file, alone=True).entries)

        problems, entries = service.gate.run(checked)
        name = html.escape(file.name)
        listed = "\n".join(f"- {html.escape(str(p), quote=False)}" for p in problems[:30])
        if entries is None:
            errors = sum(p.level == "error" for p in problems)
            return service.default_glossary, (f"**{name} was not loaded: {errors} error(s).** "
                                              f"Fix them and upload it again.\n\n{listed}")
        return UPLOADED, f"**{name}: {entries} entries loaded** for this session.\n\n{listed}"

    @_shown
    def process(text: str, direction: str, glossary: str, glossary_file: str | None, model: str,
                words: float, alone: bool = False, uploaded: dict | None = None, progress=gr.Progress()):
        """Translate the article, summarize it in both languages, and report every term.

        With "Auto-detect" the article's language is detected (:func:`vnsum.language.detect`)
        and the direction shown above the results. The bar moves with the sentences the
        model has translated (:mod:`vnsum.progress`).
        """
        start = time.perf_counter()
        if glossary == UPLOADED:
            if not glossary_file:
                raise UsageError("Upload a glossary file first, or choose another glossary.")
            file = inside(glossary_file, get_upload_folder())
            glossary = service.gate.run(lambda: service.uploaded_glossary(file, alone))
        src, confidence = DIRECTIONS[direction], None
        if src == AUTO:
            service.check_chars(len(text))  # before reading a text too long anyway
            src, confidence = detect(text)
        options = {"words": int(words), "glossary": glossary, "model": model}
        word = kept_layout(uploaded, text)
        job = (service.article_docx_job(text, src, word, **options) if word
               else service.article_job(text, src, **options))
        progress(0.02, desc=f"Waiting for the model ({len(text):,} characters)")
        context = contextvars.copy_context()  # gr.Progress reads the request from it
        bar = ProgressBar(lambda *args, **kwargs: context.run(progress, *args, **kwargs))
        if word:
            result, docx = service.gate.run(bar.watching(job))
        else:
            result, docx = service.gate.run(bar.watching(job)), None
        progress(0.97, desc="Preparing the downloads")
        files = downloads.write(result, {"docx": docx or word_file(result)})
        notice = language_notice(text, result.src) if confidence is None else None
        report = (f"**Note:** {notice}.\n\n" if notice else "") + unsupported_notes(result) \
            + timings(result, time.perf_counter() - start, model)
        body = f"{result.title_translation}\n\n{result.translation.text.strip()}"
        return (direction_html(result.src, confidence is not None, confidence), translation_html(result),
                side_by_side_html(result), body, shown_summary(result.summary_vi), shown_summary(result.summary_en),
                terms_html(result.terms), report, *(str(files[suffix]) for suffix in DOWNLOADS))

    with gr.Blocks(title="vnsum: Vietnamese ↔ English news translation", analytics_enabled=False,
                   delete_cache=(int(limits.upload_keep_s // 2), int(limits.upload_keep_s))) as page:
        gr.Markdown("# vnsum\nTranslate Vietnamese government and police news into English (or English "
                    "into Vietnamese) with official names kept exactly as the glossary says, and summarize it.")
        if service.startup_error:
            gr.Markdown("### The model cannot translate\nThe page cannot translate until this is fixed. "
                        f"What vnsum found and how to fix it:\n\n```\n{service.startup_error}\n```",
                        elem_id="no-model")
        with gr.Row(equal_height=False):
            with gr.Column(scale=1, min_width=340, elem_id="input"):
                text = gr.Textbox(label="Article", lines=10, max_lines=24, elem_id="article",
                                  info=f"Title on the first line. Up to {limits.max_chars:,} characters.",
                                  placeholder="Dán bài viết vào đây… / Paste an article here…")
                uploaded = gr.State(None)  # the uploaded .docx and its text, for a Word file in its layout
                upload = gr.File(label="…or upload a file (" + ", ".join(DOCUMENT_SUFFIXES) + ")",
                                 file_types=list(DOCUMENT_SUFFIXES),
                                 type="filepath", height=150, elem_id="upload")
                upload_notice = gr.Markdown()
                direction = gr.Radio(list(DIRECTIONS), value=next(iter(DIRECTIONS)), label="Direction")
                with gr.Row():
                    model = gr.Dropdown(list(service.translators), value=service.default_model, label="Model",
                                        min_width=150)
                    glossary = gr.Dropdown([*service.glossary_names, UPLOADED], value=service.default_glossary,
                                           label="Glossary", min_width=150)
                words = gr.Slider(20, min(300, limits.max_sentences * 60), value=DEFAULT_WORDS, step=10,
                                  label="Summary length (words)")
                run = gr.Button("Translate and summarize", variant="primary", elem_id="run")
                with gr.Accordion("Your own glossary", open=False):
                    glossary_file = gr.File(label="Your glossary for this session (TSV: vi, en, kind, variants, "
                                                  "source; or just vi and en, tab- or comma-separated)",
                                            file_types=list(GLOSSARY_SUFFIXES), type="filepath",
                                            height=110, elem_id="glossary-file")
                    alone = gr.Checkbox(False, label=f"Use my glossary alone (without {service.default_glossary})",
                                        info="Off: your terms are added on top, and win where both glossaries "
                                             "have a term.", elem_id="glossary-alone")
                    glossary_report = gr.Markdown(elem_id="glossary-report")
                labels = {src: label for label, src in DIRECTIONS.items()}
                gr.Examples([[article, labels[src]] for article, src in EXAMPLES], inputs=[text, direction],
                            label="Examples (click one, then Translate)", api_name="load_example")
            with gr.Column(scale=1, min_width=340, elem_id="results"):
                if service.download:
                    add_model_notice(page, service, model)
                status = gr.HTML("", elem_id="run-status", elem_classes="result", padding=False)
                with gr.Tabs(elem_id="views"):
                    with gr.Tab("Translation", elem_id="tab-translation"):
                        translation = gr.HTML(EMPTY_TRANSLATION, label="Translation", show_label=False,
                                              container=True, elem_id="translation", elem_classes="result")
                    with gr.Tab("Side by side", elem_id="tab-side-by-side"):
                        side = gr.HTML(EMPTY_SIDE_BY_SIDE, label="Side by side", show_label=False, container=True,
                                       elem_id="side-by-side", elem_classes="result")
                    with gr.Tab("Plain text", elem_id="tab-plain"):
                        plain = gr.Textbox(label="Translation as plain text", lines=6, max_lines=20,
                                           interactive=False, buttons=["copy"], elem_id="translation-text")
                summary_en = gr.Textbox(label="Summary (English)", lines=3, interactive=False, buttons=["copy"],
                                        elem_id="summary-en")
                summary_vi = gr.Textbox(label="Tóm tắt (tiếng Việt)", lines=3, interactive=False,
                                        buttons=["copy"], elem_id="summary-vi")
                with gr.Row(elem_id="downloads"):
                    buttons = [gr.DownloadButton(label, interactive=False, size="sm", min_width=100,
                                                 elem_id=f"download-{suffix}") for suffix, label in DOWNLOADS.items()]
                timing = gr.Markdown(elem_id="timings")
                with gr.Accordion("Glossary terms: what happened to each", open=False, elem_id="terms-fold"):
                    terms = gr.HTML(EMPTY_TERMS, label="Glossary terms", show_label=False, container=True,
                                    elem_id="terms", elem_classes="result")

        upload.upload(read_file, [upload, direction], [text, upload_notice, uploaded], api_name="read_file")
        glossary_file.upload(check_glossary, glossary_file, [glossary, glossary_report], api_name="check_glossary")
        glossary_file.clear(lambda: (service.default_glossary, ""), None, [glossary, glossary_report],
                            api_name="clear_glossary", api_visibility="private")
        run.click(None, js=START_RUN, queue=False)
        # One progress bar, on the status line above the results (not one per output box,
        # over their placeholders).
        done = run.click(process, [text, direction, glossary, glossary_file, model, words, alone, uploaded],
                         [status, translation, side, plain, summary_vi, summary_en, terms, timing, *buttons],
                         api_name="process", concurrency_id="model", concurrency_limit=limits.workers,
                         show_progress="full", show_progress_on=status)
        # A separate step, so API callers get plain file paths from /process.
        done.success(lambda: (gr.DownloadButton(interactive=True),) * len(buttons), None, buttons,
                     queue=False, api_visibility="private")
    page.queue(default_concurrency_limit=limits.workers, max_size=limits.max_waiting)
    return page
