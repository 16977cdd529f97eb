"""Term success rate: matching rules (case, partial words, nested terms, variants), the
three WMT modes on fake backends, consistency, and the project's own term test sets."""

import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from fakes import CopyBackend
from vnsum import Glossary, Translator
from vnsum.errors import InputError
from vnsum.glossary import KINDS
from vnsum.metrics.bootstrap import bootstrap_ci
from vnsum.metrics.terms import (TermRow, TermSuccessRate, random_glossary, read_plain, read_sentences,
                                 read_termset, requirements)
from vnsum.text import match_key

TERMSETS = Path(__file__).parents[1] / "eval" / "termset"
HEADER = "id\tdoc\tsource\tterms\n"


@pytest.fixture(scope="module")
def gov():
    return Glossary.load("vn-gov")


def row(source, terms=(), doc="d", rid="1"):
    return TermRow(rid, doc, source, tuple(terms))


def tsr(gov, rows, outputs, src="vi", tgt="en"):
    return TermSuccessRate(gov, src, tgt, samples=50).score(rows, outputs)


# --- matching rules -------------------------------------------------------------------------

CASES = [
    # (source, terms, output, hits)
    ("Bộ Công an họp.", [("Bộ Công an", "Ministry of Public Security")],
     "The ministry of public security met.", 1),  # case-insensitive
    ("Bộ Công an họp.", [("Bộ Công an", "Ministry of Public Security")],
     "The Ministry  of\nPublic Security met.", 1),  # any run of spaces between words
    ("Bộ Công an họp.", [("Bộ Công an", "Ministry of Public Security")],
     "The Ministry of Public Securityx met.", 0),  # whole words only
    ("Học sinh ở Huế.", [("Huế", "Hue")], "Pupils admired the hues of autumn.", 0),  # not inside "hues"
    ("Học sinh ở Huế.", [("Huế", "Hue")], "Pupils in Hue.", 1),
    # a hit nested in a longer glossary rendering is not a hit
    ("Bộ trưởng phát biểu.", [("Bộ trưởng", "Minister")], "The Prime Minister spoke.", 0),
    ("Bộ trưởng phát biểu.", [("Bộ trưởng", "Minister")], "The Minister spoke.", 1),
    # two terms cannot share one span: "Minister of Public Security" is not "Ministry of Public Security"
    ("Bộ trưởng Bộ Công an thăm Bộ Công an.",
     [("Bộ trưởng Bộ Công an", "Minister of Public Security"), ("Bộ Công an", "Ministry of Public Security")],
     "The Minister of Public Security visited.", 1),
    ("Bộ trưởng Bộ Công an thăm Bộ Công an.",
     [("Bộ trưởng Bộ Công an", "Minister of Public Security"), ("Bộ Công an", "Ministry of Public Security")],
     "The Minister of Public Security visited the Ministry of Public Security.", 2),
    # a term that occurs twice needs two hits
    ("Quốc hội họp tại Nhà Quốc hội.", [("Quốc hội", "National Assembly"), ("Quốc hội", "National Assembly")],
     "The National Assembly met in its House.", 1),
    # variants the glossary accepts, and the same variant in any case
    ("Hội nghị tại Hà Nội.", [("Hà Nội", "Ha Noi")], "A meeting in HANOI.", 1),
    ("Thượng tướng dự họp.", [("Thượng tướng", "Senior Lieutenant General")], "A Colonel General attended.", 1),
    ("Thượng tướng dự họp.", [("Thượng tướng", "Senior Lieutenant General")], "A General attended.", 0),
    # possessive and sentence-initial capital
    ("Bộ Công an họp.", [("Bộ Công an", "Ministry of Public Security")], "Ministry of Public Security's plan.", 1),
]


@pytest.mark.parametrize("source, terms, output, hits", CASES)
def test_matching_rules_vi_en(gov, source, terms, output, hits):
    result = tsr(gov, [row(source, terms)], [output])
    assert (result.hits, result.total) == (hits, len(terms))


@pytest.mark.parametrize("output, hits", [
    ("Lãnh đạo Bộ Công an dự họp.", 1),
    (unicodedata.normalize("NFD", "Lãnh đạo Bộ Công an dự họp."), 1),  # decomposed diacritics
    ("Lãnh đạo bộ công an dự họp.", 1),
    ("Lãnh đạo Bộ Công án dự họp.", 0),  # a different tone is a different word
])
def test_matching_rules_en_vi_keep_diacritics_significant(gov, output, hits):
    result = tsr(gov, [row("The Ministry of Public Security met.", [("Ministry of Public Security", "Bộ Công an")])],
                 [output], "en", "vi")
    assert result.hits == hits


def test_old_and_new_tone_mark_positions_are_the_same_word(gov):
    rows = [row("A Politburo member spoke.", [("Politburo member", "Ủy viên Bộ Chính trị")])]
    assert tsr(gov, rows, ["Uỷ viên Bộ Chính trị phát biểu."], "en", "vi").hits == 1


def test_requirements_add_glossary_variants_and_every_row_sharing_the_source(gov):
    (hanoi,) = requirements([row("Tại Hà Nội.", [("Hà Nội", "Ha Noi")])], gov, "vi", "en")
    assert hanoi.accepted == ("Ha Noi", "Hanoi") and hanoi.kind == "place"
    (director,) = requirements([row("The Director spoke.", [("Director", "Vụ trưởng")])], gov, "en", "vi")
    assert director.accepted[0] == "Vụ trưởng" and "Cục trưởng" in director.accepted
    (unknown,) = requirements([row("Ông Ba đến.", [("Ba", "Ba")])], gov, "vi", "en")
    assert (unknown.kind, unknown.accepted) == ("?", ("Ba",))
    (name,) = requirements([row("Đại tá Trần Văn Sơn đến.", [("Trần Văn Sơn", "Tran Van Son")])], gov, "vi", "en")
    assert name.kind == "person" and "Trần Văn Sơn" in name.accepted


def test_unannotated_sentences_take_their_terms_from_the_glossary(gov, tmp_path):
    path = tmp_path / "src.vi.txt"
    path.write_text("Bộ Công an họp tại Hà Nội.\nKhông có thuật ngữ.\n", encoding="utf-8")
    rows = read_sentences(path)
    assert rows == read_plain(path) and not rows[0].annotated
    assert [(r.source, r.target) for r in requirements(rows, gov, "vi", "en")] == [
        ("Bộ Công an", "Ministry of Public Security"), ("Hà Nội", "Ha Noi")]
    result = TermSuccessRate(gov, "vi", "en").score(rows, ["The Ministry of Public Security met in Hanoi.", "None."])
    assert (result.hits, result.total) == (2, 2)
    assert "terms:glossary" in result.signature


# --- scores, consistency, misses ------------------------------------------------------------

def test_score_is_a_weighted_rate_over_sentences_with_consistency_and_misses(gov):
    rows = [row("Bộ Công an tại Hà Nội.", [("Bộ Công an", "Ministry of Public Security"), ("Hà Nội", "Ha Noi")],
                doc="a", rid="a1"),
            row("Hà Nội và Bộ Công an.", [("Hà Nội", "Ha Noi"), ("Bộ Công an", "Ministry of Public Security")],
                doc="a", rid="a2"),
            row("Đến Hà Nội.", [("Hà Nội", "Ha Noi")], doc="b", rid="b1"),
            row("Rời Hà Nội.", [("Hà Nội", "Ha Noi")], doc="b", rid="b2")]
    outputs = ["The Ministry of Public Security in Ha Noi.", "Hanoi and the ministry.", "To Ha Noi.", "From Ha Noi."]
    result = TermSuccessRate(gov, "vi", "en", samples=100).score(rows, outputs, "glossary", gov)
    assert (result.hits, result.total) == (5, 6)
    assert result.tsr == bootstrap_ci([100.0, 50.0, 100.0, 100.0], [2, 2, 1, 1], samples=100)
    assert result.tsr.mean == pytest.approx(100 * 5 / 6)
    # doc a: Ha Noi then Hanoi (inconsistent), the Ministry missed once; doc b: Ha Noi twice
    assert (result.consistent, result.repeated, result.consistency) == (1, 3, pytest.approx(100 / 3))
    (miss,) = result.misses
    assert (miss.target, miss.kind, miss.missed, miss.total, miss.sentences) == (
        "Ministry of Public Security", "org", 1, 2, ["a2"])
    assert result.by_kind == {"org": (1, 2), "place": (4, 4)}
    data = result.to_dict()
    assert data["glossary"] == f"vn-gov@{gov.sha}" and data["tsr"] == round(100 * 5 / 6, 2)
    with pytest.raises(ValueError):
        TermSuccessRate(gov, "vi", "en").score(rows, outputs[:2])


def test_signature_states_the_matching_rules(gov):
    sig = TermSuccessRate(gov, "vi", "en").get_signature()
    assert sig.startswith(f"TSR|glossary:vn-gov@{gov.sha}|dir:vi-en|terms:annotated|match:exact-word|"
                          "case:insensitive|nfc:yes|tone:folded|variants:yes|nested:longest|")


def test_random_glossary_keeps_terms_and_moves_renderings_within_each_kind(gov):
    shuffled = random_glossary(gov, "en", seed=1)
    assert random_glossary(gov, "en", seed=1).entries == shuffled.entries
    assert shuffled.sha != gov.sha and shuffled.name == "vn-gov-random-seed1"
    assert [(e.vi, e.kind) for e in shuffled.entries] == [(e.vi, e.kind) for e in gov.entries]
    for kind in KINDS:
        before = Counter(e.en for e in gov.entries if e.kind == kind)
        assert Counter(e.en for e in shuffled.entries if e.kind == kind) == before
    moved = sum(a.en != b.en for a, b in zip(gov.entries, shuffled.entries))
    assert moved > 0.9 * len(gov.entries)  # only renderings shared by several rows can stay
    reversed_ = random_glossary(gov, "vi", seed=1)
    assert [e.en for e in reversed_.entries] == [e.en for e in gov.entries]


@pytest.mark.parametrize("path, src, tgt", [("vi-en.tsv", "vi", "en"), ("en-vi.tsv", "en", "vi")])
def test_three_modes_with_a_backend_that_copies_placeholders(gov, path, src, tgt):
    """With a perfect copier the glossary mode renders every term; no glossary and a
    random one fall far below: the score measures the glossary, not the mechanism."""
    rows = read_termset(TERMSETS / path)
    scorer = TermSuccessRate(gov, src, tgt, samples=50)
    scores = {}
    for mode, glossary in (("none", None), ("glossary", gov), ("random", random_glossary(gov, tgt))):
        outputs = Translator(glossary=glossary, backend=CopyBackend()).translate([r.source for r in rows], src, tgt)
        scores[mode] = scorer.score(rows, outputs, mode, glossary)
    assert scores["glossary"].hits == scores["glossary"].total
    assert scores["glossary"].consistent == scores["glossary"].repeated > 0
    assert scores["none"].tsr.high < 20 and scores["random"].tsr.high < 20


# --- the term test sets ---------------------------------------------------------------------

def test_termset_reader_reports_file_and_line(tmp_path):
    bad = {
        "x\ty\n": "header must be",
        HEADER + "1\td\tBộ Công an.\n": "expected 4 tab-separated columns",
        HEADER + "1\td\tBộ Công an.\tBộ Tư pháp=Ministry of Justice\n": "does not occur in the sentence",
        HEADER + "1\td\tBộ Công an.\tBộ Công an\n": "must be written 'source term=rendering'",
        HEADER + "1\td\tA.\t\n1\td\tB.\t\n": "duplicate ids: 1",
        "# only a comment\n": "no test sentences",
    }
    for i, (text, message) in enumerate(bad.items()):
        path = tmp_path / f"bad{i}.tsv"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match=message) as info:
            read_termset(path)
        assert str(path) in str(info.value)
    good = tmp_path / "good.tsv"
    good.write_text("# comment\n" + HEADER + "r1\td1\tBộ Công an họp.\tBộ Công an=Ministry of Public Security\n",
                    encoding="utf-8")
    assert read_termset(good) == [TermRow("r1", "d1", "Bộ Công an họp.",
                                          (("Bộ Công an", "Ministry of Public Security"),), True, 3)]


@pytest.mark.parametrize("path, src, tgt", [("vi-en.tsv", "vi", "en"), ("en-vi.tsv", "en", "vi")])
def test_termsets_are_large_cover_every_kind_and_repeat_terms_within_documents(gov, path, src, tgt):
    rows = read_termset(TERMSETS / path)
    assert len(rows) >= 150
    reqs = requirements(rows, gov, src, tgt)
    assert {r.kind for r in reqs} == set(KINDS)
    assert all(r.terms for r in rows)
    assert len({r.doc for r in rows}) >= 30
    repeated = Counter((rows[r.row].doc, match_key(r.target)) for r in reqs)
    assert sum(n > 1 for n in repeated.values()) >= 30


def _termset_cases():
    for path, src, tgt in (("vi-en.tsv", "vi", "en"), ("en-vi.tsv", "en", "vi")):
        for r in read_termset(TERMSETS / path):
            yield pytest.param(r, src, tgt, id=r.id)


@pytest.mark.parametrize("r, src, tgt", _termset_cases())
def test_annotations_agree_with_the_glossary(gov, r, src, tgt):
    """The glossary finds exactly the annotated terms, and accepts each annotated rendering."""
    found = gov.find(r.source, src, tgt)
    assert [match_key(m.text) for m in found] == [match_key(t) for t, _ in r.terms]
    for m, (_, target) in zip(found, r.terms):
        rows_sharing = {match_key(a) for e in gov.entries if match_key(e.side(src)) == match_key(m.text)
                        for a in e.accepted(tgt)}
        assert match_key(target) in {match_key(a) for a in m.accepted} | rows_sharing
