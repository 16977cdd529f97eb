"""Article results as a reader sees them: a Markdown brief, JSON, or a side-by-side HTML page."""

from __future__ import annotations

import html
import json
from collections import Counter
from collections.abc import Callable, Iterable

from . import review, sidebyside, termmarks
from .enforce import APPLIED, MISSED, REPAIRED, TermHit
from .pipeline import ArticleResult

_LANG_NAMES = {"vi": "Vietnamese", "en": "English"}


def term_table(terms: Iterable[TermHit]) -> list[tuple[str, str, str, str, int]]:
    """(source, rendering, kind, status, count) rows, most frequent first."""
    counts = Counter((t.source, t.target, t.kind, t.status) for t in terms)
    return [(*key, n) for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def _titles(result: ArticleResult) -> dict[str, str]:
    return {result.src: result.title, result.tgt: result.title_translation}


def to_markdown(result: ArticleResult) -> str:
    """A readable brief: title, English summary, Vietnamese summary, translation, terms."""
    titles = _titles(result)
    out = [f"# {titles['en']}", "", f"*Vietnamese title:* {titles['vi']}", ""]
    out += ["## Summary (English)", "", result.summary_en.text or "_(no summary)_", ""]
    out += ["## Tóm tắt (tiếng Việt)", "", result.summary_vi.text or "_(không có tóm tắt)_", ""]
    translation = result.translation
    note = f" — {translation.model_note}" if translation.model_note else ""
    out += [f"## Full translation ({_LANG_NAMES[result.src]} → {_LANG_NAMES[result.tgt]})", "",
            f"*Translated by {translation.model}{note}. {translation.to_check} of {len(translation.segments)} "
            "sentences to check, marked [CHECK] or [DOUBTFUL].*", "", translation.marked().strip(), ""]
    rows = term_table(result.terms)
    out += ["## Glossary terms", ""]
    if rows:
        out += ["| Source | Rendering | Kind | Status | Count |", "|---|---|---|---|---|"]
        out += [f"| {_md_cell(s)} | {_md_cell(t)} | {k} | {st} | {n} |" for s, t, k, st, n in rows]
    else:
        out.append("_No glossary terms in this article._")
    notes = result.summary_vi.notes + result.summary_en.notes
    out += ["", "---", f"Model: {result.models.get('translation')} · glossary: {result.models.get('glossary')} · "
            f"summarizer: {result.models.get('summarizer')}"] + [f"Note: {n}" for n in notes]
    return "\n".join(out) + "\n"


def to_json(result: ArticleResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _summary_html(text: str, phrases: Iterable[str]) -> str:
    """A summary with the glossary's phrases marked: its sentences are picked, shortened or
    written anew, so an occurrence there has no status of its own."""
    return termmarks.to_html(termmarks.phrase_spans(text, phrases))


_STYLE = """body{font-family:system-ui,sans-serif;max-width:80rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{vertical-align:top;padding:.4rem .6rem;border-bottom:1px solid #ddd}
th{text-align:left;background:#f4f4f4}.summary{background:#f7f9fc;padding:.8rem}
""" + "\n".join((termmarks.CSS, sidebyside.CSS, review.CSS))


def to_html(result: ArticleResult) -> str:
    """Side-by-side source/translation view, each glossary term occurrence marked with its own status."""
    titles = _titles(result)
    src, tgt = result.src, result.tgt
    translation = result.translation
    phrases = {src: [t.source for t in result.terms],
               tgt: [t.target for t in result.terms if t.status != MISSED]}
    terms = "\n".join(f"<tr><td>{html.escape(s)}</td><td>{html.escape(t)}</td><td>{k}</td>"
                      f"<td><mark class='{st}'>{st}</mark></td><td>{n}</td></tr>"
                      for s, t, k, st, n in term_table(result.terms))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(titles['en'])}</title><style>{_STYLE}</style></head>
<body>
<h1>{html.escape(titles['en'])}</h1>
<section class="summary">
<h2>Summary (English)</h2><p lang="en">{_summary_html(result.summary_en.text, phrases['en'])}</p>
<h2>Tóm tắt (tiếng Việt)</h2><p lang="vi">{_summary_html(result.summary_vi.text, phrases['vi'])}</p>
</section>
<h2>{_LANG_NAMES[src]} / {_LANG_NAMES[tgt]}</h2>
{review.model_line(translation)}
{review.legend(translation)}
<p class="legend">Glossary terms: {termmarks.legend((APPLIED, REPAIRED, MISSED))}</p>
{sidebyside.table(result)}
{review.check_list(translation)}
<h2>Glossary terms</h2>
<table><tr><th>Source</th><th>Rendering</th><th>Kind</th><th>Status</th><th>Count</th></tr>
{terms}
</table>
</body></html>
"""


RENDERERS: dict[str, Callable[[ArticleResult], str]] = {"md": to_markdown, "json": to_json, "html": to_html}
