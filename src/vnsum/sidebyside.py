"""An article and its translation side by side, line by line, as every HTML view shows it.

The HTML brief (``vnsum process --format html``) and the web page's side-by-side view
lay a result out the same way: the title, then each line of the source next to its
translation, glossary terms marked per occurrence in their own status's colour
(:mod:`vnsum.termmarks`) on both sides, and sentences to check underlined
(:mod:`vnsum.review`). A reader checks an official name against the sentence it came
from without hunting for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import review, termmarks
from .language import NAMES
from .pipeline import ArticleResult
from .termmarks import SOURCE, TARGET
from .translator import Translation

CSS = """table.side-by-side {width: 100%; border-collapse: collapse; table-layout: fixed}
table.side-by-side th, table.side-by-side td {vertical-align: top; text-align: left; padding: .4rem .6rem;
  border-bottom: 1px solid #ddd; overflow-wrap: break-word}
table.side-by-side thead th {font-weight: normal; color: #666; font-size: .9em}
table.side-by-side tbody th {font-weight: 600}
@media (max-width: 600px) {
  table.side-by-side thead {display: none}
  table.side-by-side tr {display: block; padding: .4rem 0; border-bottom: 1px solid #ddd}
  table.side-by-side th, table.side-by-side td {display: block; border: 0; padding: .1rem 0}
  table.side-by-side td:first-child, table.side-by-side tbody th:first-child {color: #666; font-size: .92em}
}"""


@dataclass(frozen=True)
class Row:
    """One line of the article: its source and its translation, as HTML."""

    source: str
    target: str


def rows(translation: Translation) -> list[Row]:
    """Every non-blank line of the source next to its translation, terms marked by the
    hits of their own sentence, sentences to check underlined."""
    hits = termmarks.by_sentence(translation.terms)
    by_line: dict[int, list[int]] = {}
    for i, segment in enumerate(translation.segments):
        by_line.setdefault(segment.line, []).append(i)

    def mark(side: str):
        return lambda piece, n: termmarks.marked(piece, hits.get(n, []), side)

    out = []
    for line, (source, target) in enumerate(zip(translation.source.splitlines(), translation.text.splitlines())):
        if not (source.strip() or target.strip()):
            continue
        indices = by_line.get(line, [])
        segments, first = [translation.segments[i] for i in indices], indices[0] if indices else 0
        source_html = "".join(mark(SOURCE)(piece, None if n is None else first + n)
                              for piece, n in review.spans(source, segments, SOURCE))
        out.append(Row(source_html, review.marked_html(target, segments, mark(TARGET), first)))
    return out


def title_row(result: ArticleResult) -> Row:
    """The title and its translation, their terms marked by the title's own hits."""
    return Row(termmarks.marked(result.title, result.title_terms, SOURCE),
               termmarks.marked(result.title_translation, result.title_terms, TARGET))


def table(result: ArticleResult) -> str:
    """The side-by-side table: language names, the title, then the lines."""
    src, tgt = result.src, result.tgt
    title = title_row(result)
    body = "\n".join(f"<tr><td lang='{src}'>{row.source}</td><td lang='{tgt}'>{row.target}</td></tr>"
                     for row in rows(result.translation))
    return (f"<table class='side-by-side'><thead><tr><th>{NAMES[src]}</th><th>{NAMES[tgt]}</th></tr></thead>"
            f"<tbody><tr><th lang='{src}'>{title.source}</th><th lang='{tgt}'>{title.target}</th></tr>\n"
            f"{body}\n</tbody></table>")
