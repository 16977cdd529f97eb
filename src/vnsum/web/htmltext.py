"""Translating HTML the way LibreTranslate's ``format: html`` does: text in, tags kept.

The text nodes of every document in a request are translated together in one batched
call; markup, attributes, scripts and styles come back unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bs4 import BeautifulSoup, NavigableString

from ..translator import Translation

_UNTRANSLATED = ("script", "style", "code", "pre", "textarea")

TranslateMany = Callable[[list[str]], list[Translation]]


def _translatable(node) -> bool:
    return (type(node) is NavigableString and any(ch.isalpha() for ch in node)
            and node.parent is not None and node.parent.name not in _UNTRANSLATED)


def translate_html(documents: Sequence[str], translate: TranslateMany) -> list[tuple[str, list[Translation]]]:
    """Each document with its text nodes translated, and the Translation of each node."""
    soups = [BeautifulSoup(d, "html.parser") for d in documents]
    nodes = [(d, node) for d, soup in enumerate(soups) for node in soup.find_all(string=True) if _translatable(node)]
    results = translate([str(node).strip() for _, node in nodes]) if nodes else []
    per_doc: list[list[Translation]] = [[] for _ in soups]
    for (d, node), result in zip(nodes, results, strict=True):
        text = str(node)
        lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        node.replace_with(NavigableString(lead + result.text.strip() + trail))
        per_doc[d].append(result)
    return [(str(soup), per_doc[d]) for d, soup in enumerate(soups)]
