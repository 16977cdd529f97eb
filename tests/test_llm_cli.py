"""``vnsum translate`` and ``vnsum process`` with ``--model openai:NAME`` against a real local
HTTP server with scripted answers (tests/llmserver.py): outputs, the usage report, a server
that crashes mid-batch, errors that name the URL and the model, a key that never leaks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vnsum.cli import main

from llmserver import FakeLLM

KEY = "sk-never-in-any-output-42"
DOCS = {"a.vi.txt": "Bộ Công an tổ chức hội nghị.\n\nĐại tướng Tô Lâm phát biểu. Buổi lễ kết thúc.\n",
        "b.vi.txt": "Hà Nội, ngày 15/12/2025.\nBộ Công an làm việc. Bộ trưởng Bộ Công an trả lời.\n"}


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("VNSUM_API_KEY", KEY)
    with FakeLLM() as fake:
        yield fake


def translate(server_url: str, *args: str) -> int:
    return main(["translate", *args, "--model", "openai:fake-llm", "--api-base", server_url, "--llm-window", "2",
                 "--llm-concurrency", "1", "--llm-retries", "1", "--llm-timeout", "5"])


def test_folder_to_json_with_the_usage_report(server, inbox, tmp_path, capsys):
    out = tmp_path / "out"
    assert translate(server.url, str(inbox), "-o", str(out), "--format", "json") == 0
    err = capsys.readouterr().err
    data = json.loads((out / "a.en.json").read_text(encoding="utf-8"))
    assert data["text"] == ("The Ministry of Public Security tổ chức hội nghị.\n\n"
                            "General To Lam phát biểu. Buổi lễ kết thúc.\n")
    assert data["term_counts"] == {"applied": 3} and data["model"] == f"openai:fake-llm ({server.url})"
    assert f"vnsum: LLM server openai:fake-llm: {len(server.requests)} requests (0 retried" in err
    assert all(h["Authorization"] == f"Bearer {KEY}" for h in server.headers)
    written = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file())
    assert KEY not in written + err and "vnsum-manifest.jsonl" in {p.name for p in out.iterdir()}


def test_a_crash_mid_batch_fails_the_documents_and_resume_finishes_them(server, inbox, tmp_path, capsys):
    out = tmp_path / "out"
    server.faults = ["", "crash"]  # the second request kills the server
    assert translate(server.url, str(inbox), "-o", str(out), "-q") == 1
    err = capsys.readouterr().err
    assert f"the LLM server at {server.url} (model fake-llm) failed 2 times" in err
    assert "0 of 2 documents done, 2 failed" in err and "Traceback" not in err and KEY not in err
    with FakeLLM() as restarted:  # the server comes back (on another port here)
        assert translate(restarted.url, str(inbox), "-o", str(out), "-q", "--resume") == 0
    assert (out / "b.en.txt").read_text(encoding="utf-8").endswith("\nThe Ministry of Public Security làm việc. Minister of Public Security trả lời.\n")


def test_dropped_connections_are_retried_and_counted(server, inbox, capsys):
    server.faults = ["drop"]
    assert translate(server.url, str(inbox / "a.vi.txt")) == 0
    out, err = capsys.readouterr()
    assert out.startswith("The Ministry of Public Security") and "(1 retried" in err


def test_server_down_and_unknown_model_name_url_and_model(server, inbox, capsys):
    assert main(["translate", str(inbox / "a.vi.txt"), "--model", "openai:qwen", "--api-base", server.url]) == 1
    assert f"the LLM server at {server.url} (model qwen): the server has no model 'qwen'; it serves fake-llm" \
        in capsys.readouterr().err
    url = server.url
    server.crash()
    assert translate(url, str(inbox / "a.vi.txt")) == 1
    err = capsys.readouterr().err
    assert f"cannot reach the LLM server at {url} (model fake-llm)" in err and "Traceback" not in err


def test_no_server_address_is_a_usage_error(inbox, capsys, monkeypatch):
    monkeypatch.delenv("VNSUM_API_BASE", raising=False)
    assert main(["translate", str(inbox / "a.vi.txt"), "--model", "openai:fake-llm"]) == 2
    assert "--api-base URL or VNSUM_API_BASE" in capsys.readouterr().err


def test_process_translates_through_the_server(server, inbox, capsys):
    code = main(["process", str(inbox / "a.vi.txt"), "--format", "json", "--model", "openai:fake-llm",
                 "--api-base", server.url, "--summary-sentences", "1"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["title_translation"] == "The Ministry of Public Security tổ chức hội nghị."


def test_eval_terms_modes_reach_the_server(server, capsys):
    """One server model for every mode: the renderings listed are each mode's glossary."""
    termset = Path(__file__).resolve().parents[1] / "eval" / "termset" / "vi-en.tsv"
    assert main(["eval", "terms", "--src", str(termset), "--model", "openai:fake-llm",
                 "--api-base", server.url, "-q"]) == 0
    modes = {m["mode"]: m["tsr"] for m in json.loads(capsys.readouterr().out)["modes"]}
    assert modes["glossary"] == 100.0 and modes["none"] < 20 and modes["random"] < 20
