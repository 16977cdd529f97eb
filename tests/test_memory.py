"""The translation memory: hits skip the model, nothing stale is ever served, and the
SQLite file is safe for concurrent readers and one writer (threads and processes)."""

import multiprocessing
import sqlite3
import threading

import pytest

from vnsum import Glossary, Translator
from vnsum.glossary import Entry
from vnsum.memory import Remembered, TranslationMemory, TranslationMemoryError, normalize

from fakes import CopyBackend

KEY = ("model-a", "vi-en", "gloss-1")


class Upper(CopyBackend):
    """Another "model": same shape of output, different words."""

    name = "upper"

    def transform(self, sentence: str) -> str:
        return sentence.upper()


def test_store_then_lookup_hits_misses_and_normalised_keys(tmp_path):
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.store(*KEY, [("Bộ Công an họp.", Remembered("The MPS met.", (("Bộ Công an", "MPS", "org", "applied"),)))])
    found = tm.lookup(*KEY, ["Bộ  Công an họp. ", "Câu khác."])
    assert list(found) == ["Bộ  Công an họp. "]  # whitespace is normalised, the sentence kept as asked
    assert found["Bộ  Công an họp. "] == Remembered("The MPS met.", (("Bộ Công an", "MPS", "org", "applied"),))
    assert normalize("Bo\u0302\u0323 x") == normalize("Bộ x")  # NFD and NFC are one key
    assert tm.lookup("model-b", "vi-en", "gloss-1", ["Bộ Công an họp."]) == {}
    assert tm.lookup("model-a", "en-vi", "gloss-1", ["Bộ Công an họp."]) == {}
    assert tm.lookup("model-a", "vi-en", "gloss-2", ["Bộ Công an họp."]) == {}
    assert len(tm) == 1


def test_many_sentences_in_one_lookup(tmp_path):
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.store(*KEY, [(f"câu {i}", Remembered(f"s{i}")) for i in range(2500)])
    found = tm.lookup(*KEY, [f"câu {i}" for i in range(0, 3000, 7)])
    assert {k: v.target for k, v in found.items()} == {f"câu {i}": f"s{i}" for i in range(0, 2500, 7)}


def test_translator_hits_skip_the_model_and_are_counted(tmp_path, article):
    backend = CopyBackend()
    first = Translator(backend=backend, memory=tmp_path / "tm.sqlite")
    cold = first.translate_document(article)
    sent = len(backend.calls[0])
    assert (first.stats.hits, first.stats.misses) == (0, sent)
    backend.calls.clear()
    second = Translator(backend=backend, memory=tmp_path / "tm.sqlite")
    warm = second.translate_document(article)
    assert backend.calls == []  # every sentence came from the memory
    assert (second.stats.hits, second.stats.misses) == (sent, 0)
    assert warm.text == cold.text and warm.segments == cold.segments and warm.terms == cold.terms


def test_partial_hits_send_only_new_sentences(tmp_path):
    backend = CopyBackend()
    tr = Translator(backend=backend, memory=tmp_path / "tm.sqlite", glossary=None)
    tr.translate("Câu một. Câu hai.")
    backend.calls.clear()
    assert tr.translate("Câu hai. Câu ba.") == "Câu hai. Câu ba."
    assert backend.calls == [["Câu ba."]]
    assert (tr.stats.hits, tr.stats.misses) == (1, 3)


def test_a_changed_model_never_gets_old_entries(tmp_path):
    path = tmp_path / "tm.sqlite"
    assert Translator(backend=CopyBackend(), memory=path).translate("Buổi lễ bắt đầu.") == "Buổi lễ bắt đầu."
    other = Translator(backend=Upper(), memory=path)
    assert other.translate("Buổi lễ bắt đầu.") == "BUỔI LỄ BẮT ĐẦU."
    assert (other.stats.hits, other.stats.misses) == (0, 1)


def test_a_changed_glossary_never_gets_old_entries(tmp_path):
    path = tmp_path / "tm.sqlite"
    old = Glossary([Entry("Bộ Công an", "Ministry of Public Security", "org")], name="g")
    new = Glossary([Entry("Bộ Công an", "MPS", "org")], name="g")  # same name, other content
    assert Translator(backend=CopyBackend(), glossary=old, memory=path).translate("Bộ Công an họp.") == \
        "The Ministry of Public Security họp."
    tr = Translator(backend=CopyBackend(), glossary=new, memory=path)
    result = tr.translate_document("Bộ Công an họp.")
    assert result.text == "The MPS họp." and [t.target for t in result.terms] == ["MPS"]
    assert tr.stats.hits == 0
    assert Translator(backend=CopyBackend(), glossary=None, memory=path).translate("Bộ Công an họp.") == \
        "Bộ Công an họp."


def test_term_report_of_a_hit_is_the_stored_one(tmp_path):
    path = tmp_path / "tm.sqlite"
    cold = Translator(backend=CopyBackend(), memory=path).translate_document("Đại tướng Tô Lâm dự họp.")
    warm = Translator(backend=CopyBackend(), memory=path).translate_document("Đại tướng Tô Lâm dự họp.")
    assert [(t.source, t.target, t.kind, t.status) for t in warm.terms] == [
        ("Đại tướng", "General", "rank", "applied"), ("Tô Lâm", "To Lam", "person", "applied")]
    assert warm.terms == cold.terms


def test_weights_replaced_in_place_are_a_new_model(tmp_path):
    from vnsum.memory import folder_digest

    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text("{}", encoding="utf-8")
    (folder / "model.safetensors").write_bytes(b"a" * 10)
    before = folder_digest(folder)
    (folder / "model.safetensors").write_bytes(b"b" * 11)
    assert folder_digest(folder) != before


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "tm.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(TranslationMemoryError, match=f"{bad}.*--no-tm"):
        TranslationMemory(bad)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "tm.sqlite"
    TranslationMemory(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version=99")
    with pytest.raises(TranslationMemoryError, match="schema version 99"):
        TranslationMemory(path)


def test_file_is_in_wal_mode(tmp_path):
    TranslationMemory(tmp_path / "tm.sqlite")
    with sqlite3.connect(tmp_path / "tm.sqlite") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_concurrent_reader_threads_and_one_writer(tmp_path):
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.store(*KEY, [("gốc", Remembered("root"))])
    errors: list[BaseException] = []
    done = threading.Event()

    def read():
        try:
            while not done.is_set():
                assert tm.lookup(*KEY, ["gốc"])["gốc"].target == "root"
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for r in readers:
        r.start()
    for batch in range(20):
        tm.store(*KEY, [(f"câu {batch}-{i}", Remembered(f"s{batch}-{i}")) for i in range(50)])
    done.set()
    for r in readers:
        r.join()
    assert errors == []
    assert len(tm) == 1 + 20 * 50


def _write_process(path, start):
    tm = TranslationMemory(path)
    for batch in range(10):
        tm.store(*KEY, [(f"p{start}-{batch}-{i}", Remembered("x")) for i in range(20)])


def _read_process(path, rounds, queue):
    tm = TranslationMemory(path)
    seen = [len(tm.lookup(*KEY, ["gốc"])) for _ in range(rounds)]
    queue.put(seen)


def test_processes_read_while_another_writes(tmp_path):
    path = tmp_path / "tm.sqlite"
    TranslationMemory(path).store(*KEY, [("gốc", Remembered("root"))])
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    writer = ctx.Process(target=_write_process, args=(path, 0))
    readers = [ctx.Process(target=_read_process, args=(path, 200, queue)) for _ in range(2)]
    for p in (writer, *readers):
        p.start()
    results = [queue.get(timeout=60) for _ in readers]
    for p in (writer, *readers):
        p.join(timeout=60)
    assert writer.exitcode == 0 and all(r.exitcode == 0 for r in readers)
    assert all(seen == [1] * 200 for seen in results)  # every read saw the committed entry
    assert len(TranslationMemory(path)) == 1 + 10 * 20


def test_a_memory_travels_to_other_processes_as_its_path(tmp_path):
    import pickle

    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.store(*KEY, [("gốc", Remembered("root"))])
    copy = pickle.loads(pickle.dumps(tm))
    assert copy.path == tm.path and copy.lookup(*KEY, ["gốc"])["gốc"].target == "root"


def test_cli_memory_is_on_by_default_and_reported(with_models, tmp_path, monkeypatch, capsys):
    from vnsum.cli import main

    monkeypatch.setenv("VNSUM_CACHE", str(tmp_path / "cache"))
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.vi.txt").write_text("Bộ Công an họp. Hà Nội.\n", encoding="utf-8")
    (inbox / "b.vi.txt").write_text("Bộ Công an họp.\n", encoding="utf-8")
    args = ["translate", str(inbox), "-o", str(tmp_path / "out"), "--greedy"]
    assert main(args) == 0
    assert f"translation memory {tmp_path / 'cache' / 'tm.sqlite'}: 1 hits, 2 misses" in capsys.readouterr().err
    assert main(args) == 0
    assert "3 hits, 0 misses (100% served from memory)" in capsys.readouterr().err
    assert main([*args, "--no-tm"]) == 0
    assert "translation memory" not in capsys.readouterr().err
    assert main([*args, "--tm", str(tmp_path / "other.sqlite"), "-q"]) == 0
    assert len(TranslationMemory(tmp_path / "other.sqlite")) == 2


def test_a_remembered_sentence_keeps_its_degenerate_flag(tmp_path):
    """A sentence whose first output looped is flagged again when served from memory."""
    from fakes import Looping

    first = Translator(backend=Looping(), glossary=None, memory=tmp_path / "tm.sqlite")
    assert [s.flags for s in first.translate_document("Bộ Công an họp.").segments] == [["retried"]]
    again = Translator(backend=Looping(), glossary=None, memory=tmp_path / "tm.sqlite")
    result = again.translate_document("Bộ Công an họp.")
    assert again.stats.hits == 1 and again.backend("vi", "en").calls == []
    assert [s.flags for s in result.segments] == [["retried"]] and result.output_counts == {"retried": 1}


def test_a_version_1_file_is_upgraded_and_keeps_its_entries(tmp_path):
    path = tmp_path / "tm.sqlite"
    with sqlite3.connect(path) as conn:  # the layout vnsum wrote before the flag column
        conn.execute("CREATE TABLE tm (model TEXT NOT NULL, direction TEXT NOT NULL, glossary TEXT NOT NULL, "
                     "source TEXT NOT NULL, target TEXT NOT NULL, terms TEXT NOT NULL, "
                     "PRIMARY KEY (model, direction, glossary, source)) WITHOUT ROWID")
        conn.execute("INSERT INTO tm VALUES (?, ?, ?, ?, ?, ?)", (*KEY, "Bộ Công an họp.", "The MPS met.", "[]"))
        conn.execute("PRAGMA user_version=1")
    tm = TranslationMemory(path)
    assert tm.lookup(*KEY, ["Bộ Công an họp."]) == {"Bộ Công an họp.": Remembered("The MPS met.")}
    tm.store(*KEY, [("Câu mới.", Remembered("New.", (), ("degenerate",), -0.5))])
    assert tm.lookup(*KEY, ["Câu mới."])["Câu mới."] == Remembered("New.", (), ("degenerate",), -0.5)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
