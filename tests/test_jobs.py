"""Documents are translated in groups: one model call per group, the same groups on every
engine, and a document that breaks its group's call fails alone."""

from pathlib import Path

import pytest

from fakes import CopyBackend
from vnsum import Translator
from vnsum.cli import main
from vnsum.documents import Source
from vnsum.engines.jobs import GROUP_BYTES, GROUP_DOCS, Rendered, each, groups, outcomes, run_group


def _source(folder: Path, name: str, text: str) -> Source:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return Source(path, Path(name))


def test_groups_are_cut_by_file_size_and_count(tmp_path):
    small = [_source(tmp_path, f"s{i}.txt", "Tin.\n") for i in range(GROUP_DOCS + 1)]
    assert [len(g) for g in groups(small)] == [GROUP_DOCS, 1]
    big = _source(tmp_path, "big.txt", "x" * (GROUP_BYTES + 1))
    half = _source(tmp_path, "half.txt", "x" * (GROUP_BYTES // 2))
    found = list(groups([small[0], big, half, half, half, small[1]]))
    assert [[s.name for s in g] for g in found] == [["s0.txt"], ["big.txt"], ["half.txt", "half.txt"],
                                                   ["half.txt", "s1.txt"]]
    stdin = Source(None, Path("stdin.txt"))
    assert [len(g) for g in groups([small[0], stdin, small[1]])] == [1, 1, 1]
    assert list(groups([])) == []


class Counting(CopyBackend):
    """Copies, but a sentence with BOOM in it breaks the whole call it is part of."""

    def generate(self, sentences, src, tgt, decoding=None, renderings=None):
        self.calls.append(list(sentences))
        if any("BOOM" in s for s in sentences):
            raise RuntimeError("the model fell over")
        return [self.transform(s) for s in sentences]


@pytest.fixture
def counting(monkeypatch):
    backend = Counting()
    real_init = Translator.__init__
    monkeypatch.setattr(Translator, "__init__", lambda self, *a, **kw: real_init(self, *a, **{**kw, "backend": backend}))
    return backend


def test_a_folder_is_translated_in_one_model_call_per_group(tmp_path, counting):
    inbox = tmp_path / "in"
    inbox.mkdir()
    for i in range(10):
        (inbox / f"tin-{i}.vi.txt").write_text(f"Công an tỉnh họp lần {i}. Hà Nội.\n", encoding="utf-8")
    assert main(["translate", str(inbox), "-o", str(tmp_path / "out"), "-q", "--no-tm", "--no-glossary"]) == 0
    assert len(counting.calls) == 1  # ten documents, one batch of their 11 distinct sentences
    assert sorted(counting.calls[0]) == sorted({f"Công an tỉnh họp lần {i}." for i in range(10)} | {"Hà Nội."})
    for i in range(10):
        assert (tmp_path / "out" / f"tin-{i}.en.txt").read_text(encoding="utf-8") == \
            f"Công an tỉnh họp lần {i}. Hà Nội.\n"


def test_a_document_that_breaks_its_group_fails_alone(tmp_path, counting, capsys):
    inbox = tmp_path / "in"
    inbox.mkdir()
    for name in ("a", "b", "c"):
        (inbox / f"{name}.vi.txt").write_text(f"Văn bản {name}.\n", encoding="utf-8")
    (inbox / "bad.vi.txt").write_text("Câu này làm hỏng BOOM.\n", encoding="utf-8")
    (inbox / "empty.vi.txt").write_text("\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["translate", str(inbox), "-o", str(out), "-q", "--no-tm", "--no-glossary"]) == 1
    # the group (a, b, bad, c) fails; its halves are tried, then the failing half's halves
    assert [len(call) for call in counting.calls] == [4, 2, 2, 1, 1]
    assert sorted(p.name for p in out.glob("*.txt")) == ["a.en.txt", "b.en.txt", "c.en.txt"]
    err = capsys.readouterr().err
    assert f"failed: {inbox / 'bad.vi.txt'}: RuntimeError: the model fell over" in err
    assert f"failed: {inbox / 'empty.vi.txt'}: the document is empty" in err  # the path once
    assert "3 of 5 documents done, 2 failed" in err


def test_run_group_keeps_order_notices_and_splits_time(tmp_path):
    sources = [_source(tmp_path, "a.txt", "Một câu.\n"), _source(tmp_path, "bad.txt", ""),
               _source(tmp_path, "b.txt", "Hai câu dài hơn nhiều. Và thêm nữa.\n\x07")]
    seen = []

    def handle(documents, group):
        seen.append([s.name for s in group])
        return [Rendered(d.text.upper(), i, to_check=i) for i, d in enumerate(documents)]

    found = run_group(sources, handle, lang="vi")
    assert seen == [["a.txt", "b.txt"]]
    assert [o.source.name for o in found] == ["a.txt", "bad.txt", "b.txt"]
    assert [o.output for o in found] == ["MỘT CÂU.\n", None, "HAI CÂU DÀI HƠN NHIỀU. VÀ THÊM NỮA.\n"]
    assert found[1].error == f"{tmp_path / 'bad.txt'}: the document is empty" and found[1].sha
    assert found[2].source.notices == ("removed 1 control character(s)",)
    assert all(o.seconds >= 0 for o in found) and found[0].sentences == 0 and found[2].sentences == 1
    assert found[2].to_check == 1


def test_outcomes_with_one_document_per_group_call_the_handler_per_document(tmp_path):
    sources = [_source(tmp_path, f"{i}.txt", f"Tin {i}.\n") for i in range(3)]
    calls = []

    def handle(text, source):
        calls.append(source.name)
        return Rendered(text, 1)

    assert [o.output for o in outcomes(sources, each(handle), max_docs=1)] == ["Tin 0.\n", "Tin 1.\n", "Tin 2.\n"]
    assert calls == ["0.txt", "1.txt", "2.txt"]
