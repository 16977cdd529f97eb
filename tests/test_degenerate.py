"""Degenerate outputs (loops, runaway length, empty) are detected, retried and reported."""

import pytest

from vnsum import Translator
from vnsum.degenerate import RETRY, collapse, problem

from fakes import Looping


@pytest.mark.parametrize("source, output, reason", [
    ("Bộ Công an họp.", "The the the the ministry met.", "repetition"),
    ("Bộ Công an họp.", "The ministry of the ministry of the ministry of the ministry met.", "repetition"),
    ("Bộ Công an họp.", "", "empty"),
    ("Bộ Công an họp.", " … ", "empty"),
    ("Cuộc họp kéo dài đến chiều nay.", "The meeting " + "went on and then " * 5, "repetition"),
    ("Họp.", "A meeting was held " + "somewhere in a city far away, " + "near a river bank today. " * 2
     + "Officials attended it, with many guests from other provinces.", "too long"),
])
def test_degenerate_outputs_are_named(source, output, reason):
    assert problem(source, output) == reason


@pytest.mark.parametrize("source, output", [
    ("Bộ Công an họp.", "The Ministry of Public Security met."),
    ("Rất rất vui.", "Very very happy."),  # a doubled word is language, not a loop
    ("1, 2, 3, 3, 3.", "1, 2, 3, 3, 3."),  # numbers repeated as in the source
    ("Ha ha ha ha!", "Ha ha ha ha!"),  # the source repeats itself just as much
    ("", ""),
])
def test_plausible_outputs_pass(source, output):
    assert problem(source, output) is None


def test_collapse_cuts_loops_to_one_copy():
    assert collapse("The meeting the meeting the meeting ended.") == "The meeting ended."
    assert collapse("the the the the") == "the"
    assert collapse("Very very happy.") == "Very very happy."


def test_degenerate_output_is_retried_and_flagged():
    backend = Looping()
    result = Translator(backend=backend, glossary=None).translate_document("Hội nghị diễn ra.\nKết thúc.")
    assert backend.decodings == [None, RETRY]
    assert result.text == "Hội nghị diễn ra.\nKết thúc."
    assert [s.flags for s in result.segments] == [["retried"], ["retried"]]
    assert result.output_counts == {"retried": 2}
    assert result.to_dict()["output_counts"] == {"retried": 2}


def test_output_degenerate_twice_is_cut_and_reported():
    result = Translator(backend=Looping(always=True), glossary=None).translate_document("Hội nghị diễn ra.")
    assert result.text == "Hội nghị diễn ra. the"
    assert result.output_counts == {"degenerate": 1}


def test_empty_output_for_a_real_sentence_is_reported():
    result = Translator(backend=Looping(always=True, empty=True), glossary=None).translate_document("Hội nghị.")
    assert result.segments[0].flags[0] == "degenerate"


def test_glossary_terms_survive_a_retry():
    result = Translator(backend=Looping()).translate_document("Bộ Công an họp.")
    assert result.text == "The Ministry of Public Security họp."
    assert [t.status for t in result.terms] == ["applied"]
