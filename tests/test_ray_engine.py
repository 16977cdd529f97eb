"""``vnsum translate --engine ray``: the same outputs as the local engine, from a pool of
Ray actors (generated model: the outputs are noise, compared byte for byte)."""

import io
import json

import pytest

from vnsum.cli import main
from vnsum.cli.batch import MANIFEST_NAME
from vnsum.engines.jobs import GROUP_DOCS
from vnsum.memory import TranslationMemory


def _manifest(folder):
    return [json.loads(line) for line in (folder / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()]


def _inbox(tmp_path, article):
    """Documents that share no sentence: a random model's output depends on the other
    sentences of its batch (they set the length cap it always runs to), so a sentence
    served from the memory, translated in another document, could differ."""
    inbox = tmp_path / "in"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "a.vi.txt").write_text(article, encoding="utf-8")
    (inbox / "b.vi.txt").write_text("Thứ trưởng Bộ Công an họp.\n\nĐại tướng Tô Lâm dự họp. Đà Nẵng.\n",
                                    encoding="utf-8")
    (inbox / "sub" / "c.vi.txt").write_text("Công an tỉnh Hà Nam báo cáo.\n", encoding="utf-8")
    (inbox / "sub" / "d.vi.md").write_text("# Hội nghị trực tuyến\n\nBan Dân vận Trung ương họp.\n", encoding="utf-8")
    (inbox / "empty.txt").write_text(" \n", encoding="utf-8")
    (inbox / "en.txt").write_text("The Ministry of Public Security met in Hanoi on Monday. Officers from every "
                                       "province attended the meeting, which reviewed the year.\n", encoding="utf-8")
    (inbox / "many").mkdir()
    for i in range(GROUP_DOCS + 6):  # more documents than one group holds: both actors get work
        (inbox / "many" / f"tin-{i:03d}.vi.txt").write_text(f"Tin số {i} của Công an tỉnh.\n", encoding="utf-8")
    return inbox


@pytest.mark.slow
def test_two_local_ray_workers_write_what_the_local_engine_writes(with_models, tmp_path, article, capsys,
                                                                   monkeypatch):
    pytest.importorskip("ray.data")
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    inbox = _inbox(tmp_path, article)
    common = [str(inbox), "--format", "json", "--greedy", "-q"]
    assert main(["translate", *common, "-o", str(tmp_path / "local"), "--no-tm"]) == 1
    local_err = capsys.readouterr().err
    code = main(["translate", *common, "-o", str(tmp_path / "ray"), "--engine", "ray", "--concurrency", "2",
                 "--tm", str(tmp_path / "tm.sqlite")])
    ray_err = capsys.readouterr().err
    assert code == 1
    total = GROUP_DOCS + 12
    assert "empty.txt: the document is empty" in ray_err and f"{total - 1} of {total} documents done, 1 failed" in ray_err
    assert "empty.txt: the document is empty" in local_err
    assert "too few words to be sure of its language" in ray_err  # the workers' reading notices reach the user...
    notices = {r["input"]: r["notices"] for r in _manifest(tmp_path / "local")}
    assert {r["input"]: r["notices"] for r in _manifest(tmp_path / "ray")} == notices  # ...and the manifest
    assert any(notices.values())

    def outputs(folder):  # the documents, not the run's manifest (it has timings)
        return sorted(p.relative_to(folder) for p in folder.rglob("*.json"))

    local, remote = outputs(tmp_path / "local"), outputs(tmp_path / "ray")
    assert remote == local and len(local) == total - 1
    assert {str(p) for p in local} >= {"a.en.json", "sub/d.en.json"}
    for name in local:
        assert (tmp_path / "ray" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name
    assert json.loads((tmp_path / "ray" / "en.json").read_text(encoding="utf-8"))["tgt"] == "vi"  # -s auto, per file
    data = json.loads((tmp_path / "ray" / "b.en.json").read_text(encoding="utf-8"))
    assert data["file"] == str(inbox / "b.vi.txt") and data["terms"]
    sentences = sum(len(json.loads((tmp_path / "ray" / n).read_text(encoding="utf-8"))["segments"]) for n in local)
    assert 0 < len(TranslationMemory(tmp_path / "tm.sqlite")) <= sentences  # the workers filled the memory

    # --resume on Ray sends only what is not done: here the document that was empty.
    (inbox / "empty.txt").write_text("Bộ Công an họp báo.\n", encoding="utf-8")
    before = len(_manifest(tmp_path / "ray"))
    assert main(["translate", str(inbox), "--format", "json", "--greedy", "-o", str(tmp_path / "ray"),
                 "--engine", "ray", "--concurrency", "2", "--no-tm", "--resume"]) == 0
    assert f"({total - 1} skipped: already done)" in capsys.readouterr().err
    again = _manifest(tmp_path / "ray")[before:]
    assert [(r["input"], r["status"]) for r in again] == [(str((inbox / "empty.txt").resolve()), "ok")]


def test_ray_engine_takes_files_not_stdin(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("Bộ Công an họp.\n".encode())))
    assert main(["translate", "--engine", "ray", "--no-tm", "-q"]) == 2
    assert "not standard input" in capsys.readouterr().err


def test_ray_options_need_the_ray_engine(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Một.", encoding="utf-8")
    assert main(["translate", str(tmp_path / "a.txt"), "--concurrency", "2", "--no-tm"]) == 2
    assert "need --engine ray" in capsys.readouterr().err


@pytest.mark.slow
def test_ray_workers_on_an_llm_server_add_up_its_usage(tmp_path, capsys, monkeypatch):
    """Each actor counts what it asked the server; the run's report is their sum."""
    pytest.importorskip("ray.data")
    from llmserver import FakeLLM

    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    inbox = tmp_path / "in"
    inbox.mkdir()
    for i in range(GROUP_DOCS + 4):  # two groups: both actors ask the server
        (inbox / f"tin-{i:03d}.vi.txt").write_text(f"Bộ Công an họp lần {i}. Đại tướng Tô Lâm dự.\n", encoding="utf-8")
    with FakeLLM() as server:
        code = main(["translate", str(inbox), "-o", str(tmp_path / "out"), "--format", "json", "--no-tm",
                     "--engine", "ray", "--concurrency", "2", "--model", "openai:fake-llm", "--api-base", server.url])
        requests = len(server.requests)
    err = capsys.readouterr().err
    assert code == 0, err
    assert requests >= 2
    assert f"vnsum: LLM server openai:fake-llm: {requests} requests (0 retried" in err
    data = json.loads((tmp_path / "out" / "tin-000.en.json").read_text(encoding="utf-8"))
    assert data["text"] == "The Ministry of Public Security họp lần 0. General To Lam dự.\n"
    assert list(data["term_counts"]) == ["applied"]  # every term verified in the answer, none missed
