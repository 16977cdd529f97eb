"""What the page says about its model while ``--model auto`` downloads a better one.

A server started with ``--model auto`` on a connected machine answers with the small
bundled model while opus-mt downloads in the background (:class:`~vnsum.hub.AutoDownload`).
Whoever reads a translation meanwhile must know it came from a demonstration model, how
far the better one is and that the page switches by itself, so the notice sits above
the results and a timer keeps it current until the download ends.
"""

from __future__ import annotations

import html

import gradio as gr

from ..fetch import human_size
from ..presets import BUNDLED
from .service import Service

BUSY = ("waiting", "downloading")
REFRESH_S = 1.0
# A coloured bar by state, as the page's other notices have (scoped to the notice by Gradio).
CSS = """.notice {border-left: 4px solid #1c7ed6; padding: .2rem .8rem; line-height: 1.5}
.notice p {margin: 0}
.notice .repo {white-space: nowrap}
.notice.ready {border-left-color: #2b8a3e}
.notice.failed {border-left-color: #d9480f}"""


def notice_html(status: dict | None, running: str) -> str:
    """The notice for a download ``status`` (:meth:`Service.download_status`), ``running``
    being the model that answers now; "" when there is nothing to say (no download, an
    offline server, or a better model already here)."""
    if status is None or status["state"] not in (*BUSY, "ready", "failed"):
        return ""
    model = html.escape(status["model"] or "a better model")
    bundled = f"<strong>Translating with {html.escape(running)}, the small bundled demonstration model,</strong>"
    if status["state"] == "ready":
        return _box("ready", f"<strong>Translating with {html.escape(running)}</strong>, downloaded on first use; "
                             f"it replaced the demonstration model {BUNDLED}.")
    if status["state"] == "failed":
        return _box("failed", f"{bundled} because {model} could not be downloaded: "
                              f"{html.escape(status['error'] or 'unknown error')}. The server tries again when "
                              "it restarts.")
    done, total = status["done_bytes"], status["total_bytes"]
    part = html.escape((status["repo"] or "").rpartition("/")[2])  # opus-mt-vi-en: which direction
    how_far = (f'Downloading <span class="repo">{part}:</span> {human_size(done)} of {human_size(total)} '
               f"({done / total:.0%})." if total else f"Asking the model hub for {model}…")
    return _box("downloading", f"{bundled} while {model} downloads.</p><p>{how_far} The page switches to "
                               f"{model} when it is ready.")


def _box(state: str, inner: str) -> str:
    return f'<div class="notice {state}" role="status"><p>{inner}</p></div>'


def add_model_notice(page: gr.Blocks, service: Service, choice: gr.Dropdown) -> None:
    """Place the notice here, filled when the page loads and refreshed while the download
    runs; when it ends, the model ``choice`` switches to the server's new default."""
    notice = gr.HTML(visible=False, css_template=CSS, elem_id="model-status")
    timer = gr.Timer(REFRESH_S, active=False)

    def current(switch: bool):
        status = service.download_status()
        busy = status is not None and status["state"] in BUSY
        text = notice_html(status, service.default_model)
        chosen = gr.Dropdown(list(service.translators), value=service.default_model) if switch or not busy \
            else gr.skip()
        return gr.HTML(text, visible=bool(text)), chosen, gr.Timer(active=busy)

    outputs = [notice, choice, timer]
    page.load(lambda: current(True), None, outputs, queue=False, show_progress="hidden",
              api_visibility="private")
    timer.tick(lambda: current(False), None, outputs, queue=False, show_progress="hidden",
               api_visibility="private")
