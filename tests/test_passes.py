"""The ladder of passes (vnsum.passes): which pass tries which sentence, and what it costs."""

from __future__ import annotations

from vnsum import Translator
from vnsum.backends.base import Decoding
from vnsum.passes import PASSES, RETRY_DECODING

from fakes import CopyBackend, DropPlaceholders, Looping

TEXT = "Bộ Công an tổ chức hội nghị. Đại tướng Tô Lâm phát biểu."


def _by_name(translator: Translator) -> dict:
    return {r.name: r for r in translator.last_passes}


def test_a_clean_first_pass_leaves_every_retry_idle():
    backend = CopyBackend()
    translator = Translator(backend=backend, glossary="vn-gov")
    translator.translate_document(TEXT)
    reports = _by_name(translator)
    assert list(reports) == [p.name for p in PASSES]  # every pass, in the table's order
    assert (reports["first"].sentences, reports["first"].decoded, reports["first"].kept) == (2, 2, 2)
    assert all(r.sentences == r.decoded == r.kept == 0 for name, r in reports.items() if name != "first")
    assert len(backend.calls) == 1


def test_lost_placeholders_are_retried_by_the_terms_pass_and_kept():
    backend = DropPlaceholders(only={0})  # loses ZZ0 on the first call only
    translator = Translator(backend=backend, glossary="vn-gov")
    result = translator.translate_document("Bộ Công an tổ chức hội nghị.")
    reports = _by_name(translator)
    assert (reports["terms"].sentences, reports["terms"].kept) == (1, 1)
    assert result.term_counts == {"repaired": 1}


def test_a_backend_that_takes_renderings_skips_the_passes_that_cut_at_placeholders():
    backend = CopyBackend()
    backend.placeholders = False
    translator = Translator(backend=backend, glossary="vn-gov")
    translator.translate_document(TEXT)
    assert [r.name for r in translator.last_passes] == [p.name for p in PASSES if not p.placeholders_only]


def test_degenerate_outputs_are_decoded_again_and_counted_in_their_pass():
    backend = Looping()
    translator = Translator(backend=backend, glossary=None)
    translator.translate_document("Hội nghị diễn ra tại Hà Nội.")
    first = _by_name(translator)["first"]
    assert (first.sentences, first.decoded) == (1, 2)  # one piece, decoded twice
    assert backend.decodings[1] is not None  # the second decoding had the settings against repeats


class _Recording(DropPlaceholders):
    """Records the decoding settings of every call."""

    def generate(self, sentences, src, tgt, decoding=None, renderings=None):
        self.settings = [*getattr(self, "settings", []), decoding]
        return super().generate(sentences, src, tgt, decoding, renderings)


def test_retries_decode_with_fewer_beams_than_the_first_pass():
    backend = _Recording(only={0})
    Translator(backend=backend, glossary="vn-gov").translate_document("Bộ Công an tổ chức hội nghị.")
    assert backend.settings[0] is None  # the first pass: the backend's own beam
    assert backend.settings[1] == RETRY_DECODING and RETRY_DECODING.beam_size == 2


def test_a_beam_cap_never_raises_the_beam_nor_drops_the_models_own_settings():
    own = {"no_repeat_ngram_size": 4, "repetition_penalty": 1.2}
    assert Decoding.apply(Decoding(beam_size=2), 4, own) == (2, own)
    assert Decoding.apply(Decoding(beam_size=2), 1, own)[0] == 1  # a greedy backend stays greedy
    assert Decoding.apply(Decoding(no_repeat_ngram_size=3), 4, own) == (4, own | {"no_repeat_ngram_size": 3})
    assert Decoding.apply(None, 4, own) == (4, own)
