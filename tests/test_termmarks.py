"""Glossary terms marked per occurrence (issue #23), and the side-by-side rows every HTML view shares."""

from __future__ import annotations

import re

import pytest

from vnsum import sidebyside
from vnsum.enforce import TermHit
from vnsum.review import spans as sentence_spans
from vnsum.termmarks import marked, phrase_spans, spans
from vnsum.translator import Segment, Translation

MPS = ("Bộ Công an", "Ministry of Public Security", "org")


def hit(status: str, sentence: int = 0, term=MPS) -> TermHit:
    return TermHit(*term, status, sentence)


@pytest.mark.parametrize("hits, side, text, expected", [
    # each occurrence takes the status of its own hit, in order, in any case
    ([hit("applied"), hit("repaired")], "target", "Ministry of Public Security and ministry of public security.",
     [("Ministry of Public Security", "applied"), (" and ", None), ("ministry of public security", "repaired"),
      (".", None)]),
    # a missed term's rendering is not in the target: only the source side marks it
    ([hit("missed"), hit("applied")], "target", "Ministry of Public Security.",
     [("Ministry of Public Security", "applied"), (".", None)]),
    ([hit("missed"), hit("applied")], "source", "Bộ Công an, Bộ Công an.",
     [("Bộ Công an", "missed"), (", ", None), ("Bộ Công an", "applied"), (".", None)]),
    # written once more than it has hits (the model's own): its last hit's status
    ([hit("repaired")], "target", "Ministry of Public Security, Ministry of Public Security",
     [("Ministry of Public Security", "repaired"), (", ", None), ("Ministry of Public Security", "repaired")]),
    # whole words only, longest first
    ([hit("applied", term=("Đại tá", "Colonel", "rank")),
      hit("repaired", term=("Thượng tá", "Senior Colonel", "rank"))],
     "target", "Senior Colonel and Colonels.", [("Senior Colonel", "repaired"), (" and Colonels.", None)]),
    ([], "target", "No terms.", [("No terms.", None)]),
])
def test_spans_mark_each_occurrence_with_its_own_status(hits, side, text, expected):
    assert spans(text, hits, side) == expected


def test_marked_escapes_text_and_names_the_status():
    assert marked("<Ministry of Public Security>", [hit("repaired")]) == (
        '&lt;<mark class="repaired" title="glossary term: repaired">Ministry of Public Security</mark>&gt;')


def test_a_summary_marks_phrases_without_a_status():
    assert phrase_spans("The Ministry of Public Security met.", ["Ministry of Public Security", " "]) == [
        ("The ", None), ("Ministry of Public Security", "term"), (" met.", None)]


def test_sentences_are_found_in_order_on_either_side():
    segments = [Segment("Một.", "One.", 0), Segment("Hai.", "Two.", 0), Segment("Lạc.", "Lost", 0)]
    assert sentence_spans(" One. Two.", segments) == [(" ", None), ("One.", 0), (" ", None), ("Two.", 1)]
    assert sentence_spans("Một. Hai.", segments, "source") == [("Một.", 0), (" ", None), ("Hai.", 1)]


def test_side_by_side_rows_pair_lines_and_mark_each_sentence_with_its_own_hits():
    """The HTML brief's and the page's rows: 14 applied and 1 repaired stay 14 and 1."""
    segments = [Segment("Bộ Công an họp.", "Ministry of Public Security met.", 0),
                Segment("Bộ Công an nói.", "Ministry of Public Security spoke.", 2, level="check",
                        confidence=-1.0)]
    translation = Translation("Ministry of Public Security met.\n\nMinistry of Public Security spoke.",
                              "Bộ Công an họp.\n\nBộ Công an nói.", "vi", "en", "m", None, segments,
                              [hit("applied", 0), hit("repaired", 1)])
    rows = sidebyside.rows(translation)
    assert len(rows) == 2  # the blank line between them is no row
    assert [re.findall(r'class="(\w+)"', row.source) for row in rows] == [["applied"], ["repaired"]]
    assert rows[1].target.startswith('<span class="level-check" title="check: the model was unsure of this sentence">'
                                     '<mark class="repaired"')
