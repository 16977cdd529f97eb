"""The speed benchmark's inputs and its memory measurement path (eval/bench_speed.py),
on a copy backend: the documents repeat what they should, and the timed path is the
local engine of ``vnsum translate`` with its memory."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))

import bench_speed  # noqa: E402
from fakes import CopyBackend  # noqa: E402


def _sentences(prefix, n):
    return [f"{prefix} câu thứ {i} về hội nghị của Bộ Công an." for i in range(n)]


def test_same_batch_documents_repeat_earlier_documents_only():
    per = bench_speed.PER_DOC
    docs = [d.splitlines() for d in bench_speed.repeating_documents(_sentences("Mới", 200), 4, 0.3)]
    assert [len(d) for d in docs] == [per] * 4
    assert len(set(docs[0])) == per  # the first document is all new
    flat = [s for d in docs for s in d]
    assert len(flat) - len(set(flat)) == round(0.3 * 4 * per)
    for i, doc in enumerate(docs):
        earlier = {s for d in docs[:i] for s in d}
        assert all(s in earlier or s.startswith("Mới") for s in doc)


def test_earlier_run_documents_repeat_what_was_translated_before():
    seen = _sentences("Cũ", 50)
    docs = [d.splitlines() for d in bench_speed.repeating_documents(_sentences("Mới", 200), 4, 0.3, seen=seen)]
    flat = [s for d in docs for s in d]
    assert sum(s in seen for s in flat) == round(0.3 * len(flat))
    assert len({s for s in flat if s.startswith("Mới")}) == len(flat) - round(0.3 * len(flat))


def test_translate_files_goes_through_the_engine_and_its_memory(tmp_path):
    before = bench_speed.write_documents(tmp_path / "before", ["\n".join(_sentences("Cũ", 24)) + "\n"])
    timed = bench_speed.write_documents(tmp_path / "timed", bench_speed.repeating_documents(
        _sentences("Mới", 100), 2, 0.25, seen=_sentences("Cũ", 24)))
    tm = tmp_path / "tm.sqlite"
    backend = CopyBackend()
    bench_speed.translate_files(backend, before, tm)
    _, engine, outcomes = bench_speed.translate_files(backend, timed, tm)
    assert len(outcomes) == 2 and all(o.error is None for o in outcomes)
    assert (engine.stats.hits, engine.stats.misses) == (12, 36)  # 25% of 48 came from the earlier run
    assert len(backend.calls[-1]) == 36  # one call for the group, the memory's hits left out
    bench_speed._remove(tm)
    assert not list(tmp_path.glob("tm.sqlite*"))


@pytest.mark.slow
def test_article_part_profiles_every_pass_against_the_raw_decode(tmp_path, capsys):
    """Part 4 on the bundled model: every number the README's §8 table quotes is there."""
    source = tmp_path / "a.vi.txt"
    source.write_text("Bộ Công an tổ chức hội nghị tại Hà Nội.\n\nĐại tướng Tô Lâm phát biểu chỉ đạo.\n",
                      encoding="utf-8")
    out = tmp_path / "report.json"
    assert bench_speed.main(["--parts", "article", "--article", str(source), "--model", "vnsum-mini",
                             "--rounds", "1", "--json", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))["article"]
    names = [p["name"] for p in report["article"]["passes"]]
    assert names[0] == "first" and report["article"]["passes"][0]["sentences"] == 2
    assert report["raw_decode"]["sentences"] == 2 and report["article_over_raw"] > 0
    assert not {"torch", "transformers", "gradio"} & set(report["cold_start"]["imported"])
    assert report["server"]["first_result_s"] > 0 and report["peak_rss_mb"] > 0
    assert "| first | 2 |" in capsys.readouterr().out


def test_article_part_needs_an_article(capsys):
    with pytest.raises(SystemExit):
        bench_speed.main(["--parts", "article"])
    assert "--parts article needs --article FILE" in capsys.readouterr().err
