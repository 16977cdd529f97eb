"""``--model auto`` on a connected machine: the first use downloads opus-mt, safely.

End to end against a model hub on 127.0.0.1 (tests/fakehub.py) that serves a tiny
generated Marian model as Helsinki-NLP/opus-mt-*: the download and its progress, an
interrupted download continued, an unreachable hub or an offline setting falling back
to the bundled model, a corrupted file, a full disk, two processes at once, and the
server's /health while it downloads. The bundled model is the checkout's vnsum-mini.
"""

from __future__ import annotations

import errno
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from fakehub import FakeHub, connect, refused_endpoint, silent_endpoint
from tinymodels import make_marian
from vnsum.fetch import has_weights
from vnsum.hub import locate

VI_EN = "Helsinki-NLP/opus-mt-vi-en"
LOCATE = "from vnsum.hub import locate; print(locate('auto', 'vi', 'en')[0].path)"


@pytest.fixture(scope="module")
def opus_repo(tmp_path_factory) -> Path:
    """The files of the fake Helsinki-NLP/opus-mt-* repositories."""
    return make_marian(tmp_path_factory.mktemp("hub") / "opus-mt")


@pytest.fixture
def hub(opus_repo):
    served = FakeHub({VI_EN: opus_repo, "Helsinki-NLP/opus-mt-en-vi": opus_repo})
    yield served
    served.close()


@pytest.fixture
def models(monkeypatch, tmp_path) -> Path:
    """An empty models folder ($VNSUM_MODELS): only the checkout's bundled model is here."""
    monkeypatch.setenv("VNSUM_MODELS", str(tmp_path / "models"))
    return tmp_path / "models"


@pytest.fixture
def connected(monkeypatch, hub, models) -> Path:
    connect(monkeypatch, hub.url)
    return models


def _auto_lines(stderr: str) -> list[str]:
    """What ``auto`` said on stderr (the CTranslate2 conversion may add a line of its own)."""
    return [line for line in stderr.splitlines() if line.startswith("vnsum: model auto")]


def _partial(models: Path) -> list[Path]:
    return list((models / "opus-mt").glob(".vi-en.*.partial"))


def test_first_use_downloads_opus_mt_with_a_progress_bar_then_translates_with_it(connected, hub, opus_repo):
    run = lambda: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "vnsum.cli", "translate", "-", "--no-glossary", "--beam-size", "1", "--no-tm"],
        input="Bộ Công an tổ chức hội nghị.\n", capture_output=True, text=True, timeout=300)
    first = run()
    assert first.returncode == 0, first.stderr
    target = connected / "opus-mt" / "vi-en"
    size = sum(f.stat().st_size for f in opus_repo.iterdir())
    lines = _auto_lines(first.stderr)
    assert len(lines) == 1 and lines[0].startswith(
        f"vnsum: model auto -> opus-mt vi->en: downloading {VI_EN} (Apache-2.0, {size / 1e3:.1f} kB) into {target}, "
        "once; set VNSUM_OFFLINE=1 to keep to the bundled vnsum-mini"), first.stderr
    assert f"{VI_EN}: 100%" in first.stderr  # the bar, on stderr
    assert has_weights(target)
    assert sorted(p.name for p in target.iterdir()) == sorted(p.name for p in opus_repo.iterdir())
    assert not _partial(connected)
    assert all(hub.gets(p.name) for p in opus_repo.iterdir())
    downloads = len(hub.requests)

    second = run()
    assert second.returncode == 0, second.stderr
    assert _auto_lines(second.stderr) == [f"vnsum: model auto -> opus-mt ({target}, vi->en)"]
    assert len(hub.requests) == downloads  # found on disk: the hub is not asked again


def test_a_download_killed_halfway_leaves_no_model_and_the_next_run_continues_it(connected, hub, opus_repo):
    weights = (opus_repo / "model.safetensors").read_bytes()
    hub.stall["model.safetensors"] = len(weights) // 2
    first = subprocess.Popen([sys.executable, "-c", LOCATE], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not any((p / "model.safetensors").is_file() and (p / "model.safetensors").stat().st_size
                  for p in _partial(connected)):
        assert time.monotonic() < deadline and first.poll() is None, first.communicate()
        time.sleep(0.1)
    first.kill()
    first.wait()
    target = connected / "opus-mt" / "vi-en"
    assert not target.exists()  # nothing that half-loads
    with pytest.raises(Exception, match="No weights for model 'opus-mt'"):
        locate("opus-mt", "vi", "en", download=False)
    [staging] = _partial(connected)
    kept = (staging / "model.safetensors").stat().st_size
    assert 0 < kept < len(weights)

    del hub.stall["model.safetensors"]
    second = subprocess.run([sys.executable, "-c", LOCATE], capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == str(target)
    assert hub.gets("model.safetensors")[-1].range == f"bytes={kept}-"  # continued, not started over
    assert (target / "model.safetensors").read_bytes() == weights and not _partial(connected)


def test_a_connection_that_breaks_mid_file_is_continued_in_the_same_run(connected, hub, opus_repo):
    size = (opus_repo / "model.safetensors").stat().st_size
    hub.drop_once["model.safetensors"] = size // 3
    assert locate("auto", "vi", "en")[1].name == "opus-mt"
    assert [r.range for r in hub.gets("model.safetensors")] == [None, f"bytes={size // 3}-"]
    assert (connected / "opus-mt" / "vi-en" / "model.safetensors").read_bytes() == \
        (opus_repo / "model.safetensors").read_bytes()


@pytest.mark.parametrize("kind", ["silent", "refused"])
def test_an_unreachable_hub_falls_back_to_the_bundled_model_within_3_seconds(monkeypatch, models, caplog, kind):
    if kind == "silent":
        endpoint, _listening = silent_endpoint()  # open until the test returns
    else:
        endpoint = refused_endpoint()
    connect(monkeypatch, endpoint)
    started = time.monotonic()
    with caplog.at_level("WARNING"):
        located, preset = locate("auto", "vi", "en")
    assert time.monotonic() - started < 3
    assert preset.name == "vnsum-mini" and has_weights(located.path)
    assert len(caplog.records) == 1, caplog.text
    assert "model auto -> vnsum-mini (bundled" in caplog.text and endpoint in caplog.text
    assert ("did not answer within 2 s" if kind == "silent" else "could not be reached") in caplog.text
    assert not (models / "opus-mt").exists()


def test_a_silent_hub_is_waited_for_once_per_process_and_per_endpoint(monkeypatch, models, hub, caplog):
    from vnsum.errors import DownloadError
    from vnsum.fetch import list_repo

    endpoint, _listening = silent_endpoint()  # open until the test returns
    connect(monkeypatch, endpoint)
    with pytest.raises(DownloadError, match="did not answer within 0.3 s"):
        list_repo(VI_EN, timeout=0.3)
    started = time.monotonic()
    with caplog.at_level("WARNING"):
        chosen = [locate("auto", src, tgt)[1].name for src, tgt in (("vi", "en"), ("en", "vi"))]
    waited = time.monotonic() - started
    assert chosen == ["vnsum-mini", "vnsum-mini"]
    assert 2 <= waited < 3  # a longer timeout than 0.3 s is tried once, then remembered for the other direction
    assert [r.getMessage().count(f"{endpoint} did not answer within 2 s") for r in caplog.records] == [1, 1]

    monkeypatch.setattr("huggingface_hub.constants.ENDPOINT", hub.url)  # another hub, in the same process
    assert locate("auto", "vi", "en")[1].name == "opus-mt"


@pytest.fixture(scope="module")
def pytorch_repo(opus_repo, tmp_path_factory) -> Path:
    """opus-mt as its main branch really is: ``pytorch_model.bin`` and no safetensors."""
    import shutil

    import torch
    from safetensors.torch import load_file

    folder = tmp_path_factory.mktemp("hub") / "opus-mt-bin"
    shutil.copytree(opus_repo, folder)
    torch.save(load_file(folder / "model.safetensors"), folder / "pytorch_model.bin")
    (folder / "model.safetensors").unlink()
    return folder


@pytest.mark.parametrize("spec, subdir", [("opus-mt", "opus-mt/vi-en"), (VI_EN, "Helsinki-NLP--opus-mt-vi-en")])
def test_a_model_named_explicitly_is_downloaded_the_same_safe_way_with_pytorch_weights_too(
        monkeypatch, models, pytorch_repo, caplog, spec, subdir):
    from vnsum import Translator

    hub = FakeHub({VI_EN: pytorch_repo})
    connect(monkeypatch, hub.url)
    try:
        with caplog.at_level("WARNING"):
            translator = Translator(spec, glossary=None, backend="hf", device="cpu", beam_size=1)
            assert translator.translate("Bộ Công an họp.", "vi", "en")
    finally:
        hub.close()
    target = models / subdir
    size = sum(f.stat().st_size for f in pytorch_repo.iterdir())
    assert [r.getMessage() for r in caplog.records] == [
        f"vnsum: model {spec} vi->en: downloading {VI_EN} ({size / 1e3:.1f} kB) into {target}, once"]
    assert sorted(p.name for p in target.iterdir()) == sorted(p.name for p in pytorch_repo.iterdir())
    assert not list(target.parent.glob(".*.partial"))
    assert locate(spec, "vi", "en", download=False)[0].path == target  # found here from now on


@pytest.mark.parametrize("setting", ["VNSUM_OFFLINE", "HF_HUB_OFFLINE"])
def test_offline_settings_never_ask_the_hub(monkeypatch, connected, hub, caplog, setting):
    monkeypatch.setenv(setting, "1")
    with caplog.at_level("WARNING"):
        assert locate("auto", "vi", "en")[1].name == "vnsum-mini"
    assert hub.requests == []
    assert len(caplog.records) == 1 and "vnsum models pull opus-mt" in caplog.text


def test_a_corrupted_file_is_never_installed_and_is_downloaded_again(connected, hub, caplog):
    hub.corrupt.add("model.safetensors")
    with caplog.at_level("WARNING"):
        assert locate("auto", "vi", "en")[1].name == "vnsum-mini"
    assert "model.safetensors of Helsinki-NLP/opus-mt-vi-en does not match the size and checksum" in caplog.text
    assert not (connected / "opus-mt" / "vi-en").exists()
    [staging] = _partial(connected)
    assert not (staging / "model.safetensors").exists() and (staging / "config.json").is_file()

    hub.corrupt.clear()
    assert locate("auto", "vi", "en")[1].name == "opus-mt"
    assert [r.range for r in hub.gets("model.safetensors")] == [None, None]
    assert len(hub.gets("config.json")) == 1  # the good files were kept


@pytest.mark.parametrize("when", ["before", "during"])
def test_a_full_disk_is_a_clear_message_and_the_bundled_model(monkeypatch, connected, caplog, when):
    import shutil
    from collections import namedtuple

    if when == "before":
        usage = namedtuple("usage", "total used free")
        monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 1000, 1000))
    else:
        def full(listing, file, path, advance):
            path.write_bytes(b"x" * 10)
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr("vnsum.fetch._download", full)
    with caplog.at_level("WARNING"):
        assert locate("auto", "vi", "en")[1].name == "vnsum-mini"
    message = caplog.records[-1].getMessage()
    expected = "not enough disk space" if when == "before" else "the disk filled up"
    assert expected in message and str(connected / "opus-mt") in message and "VNSUM_MODELS" in message
    assert not (connected / "opus-mt" / "vi-en").exists() and not _partial(connected)


def test_two_processes_starting_at_once_download_once(connected, hub, opus_repo):
    hub.stall["model.safetensors"] = 0  # hold the first download until both have asked the hub
    both = [subprocess.Popen([sys.executable, "-c", LOCATE], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(2)]
    deadline = time.monotonic() + 120
    while sum(r.path.startswith("/api/models/") for r in hub.requests) < 2:
        assert time.monotonic() < deadline and all(p.poll() is None for p in both)
        time.sleep(0.1)
    time.sleep(1)  # the second reaches the lock
    hub.release.set()
    outputs = [p.communicate(timeout=120) for p in both]
    assert [p.returncode for p in both] == [0, 0], outputs
    target = str(connected / "opus-mt" / "vi-en")
    assert [out.strip() for out, _ in outputs] == [target, target]
    assert all(len(hub.gets(p.name)) == 1 for p in opus_repo.iterdir())
    assert sum("another process is downloading" in err for _, err in outputs) == 1


def test_the_server_answers_with_the_bundled_model_while_it_downloads_and_health_shows_it(connected, hub):
    from vnsum.web import ServerConfig
    from vnsum.web.server import background, create_app

    hub.stall["model.safetensors"] = 100
    app = create_app(ServerConfig(translator_options={"backend": "hf", "beam_size": 1}))
    try:
        with background(app) as url:
            deadline = time.monotonic() + 60
            while (health := httpx.get(url + "/health").json())["download"]["done_bytes"] < 100:
                assert time.monotonic() < deadline, health
                time.sleep(0.1)
            assert health["status"] == "ok" and health["default_model"] == "vnsum-mini"
            assert health["download"] | {"done_bytes": 0} == {
                "state": "downloading", "model": "opus-mt", "repo": VI_EN, "done_bytes": 0,
                "total_bytes": health["download"]["total_bytes"], "error": None}
            during = httpx.post(url + "/translate", json={"q": "Bộ Công an họp.", "source": "vi", "target": "en"})
            assert during.status_code == 200

            hub.release.set()
            while (health := httpx.get(url + "/health").json())["download"]["state"] == "downloading":
                assert time.monotonic() < deadline + 120, health
                time.sleep(0.2)
            assert health["download"]["state"] == "ready" and health["default_model"] == "opus-mt", health
            assert health["models"][0] == "opus-mt"
            after = httpx.post(url + "/translate", json={"q": "Bộ Công an họp.", "source": "en", "target": "vi"})
            assert after.status_code == 200
    finally:
        app.state.service.gate.close()
    assert has_weights(connected / "opus-mt" / "vi-en") and has_weights(connected / "opus-mt" / "en-vi")


def test_pull_writes_every_direction_the_same_safe_way(connected, hub, tmp_path):
    from vnsum.hub import pull

    folders = pull("opus-mt", tmp_path / "pulled")
    assert folders == [tmp_path / "pulled" / "opus-mt" / "vi-en", tmp_path / "pulled" / "opus-mt" / "en-vi"]
    assert all(has_weights(f) for f in folders) and not list((tmp_path / "pulled" / "opus-mt").glob("*.partial"))
    assert pull("opus-mt", tmp_path / "pulled") == folders and len(hub.gets("model.safetensors")) == 2


def test_pull_from_an_unreachable_hub_says_what_and_where(monkeypatch, tmp_path):
    from vnsum.errors import DownloadError
    from vnsum.hub import pull

    connect(monkeypatch, refused_endpoint())
    with pytest.raises(DownloadError, match="Could not download Helsinki-NLP/opus-mt-vi-en into .*could not be "
                                            "reached"):
        pull("opus-mt", tmp_path)


@pytest.mark.parametrize("damage", ["truncated", "header", "none"])
def test_a_safetensors_file_must_match_its_header(opus_repo, tmp_path, damage):
    from vnsum.fetch import _safetensors_readable

    data = (opus_repo / "model.safetensors").read_bytes()
    path = tmp_path / "model.safetensors"
    path.write_bytes({"truncated": data[:-5], "header": b"\xff" * 16 + data[16:], "none": data}[damage])
    assert _safetensors_readable(path) is (damage == "none")


@pytest.mark.parametrize("names, chosen", [
    (["config.json", "model.safetensors", "pytorch_model.bin", "tf_model.h5"], ["model.safetensors"]),
    (["config.json", "pytorch_model.bin", "tf_model.h5"], ["pytorch_model.bin"]),
    (["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "pytorch_model.bin"],
     ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]),
])
def test_safetensors_are_preferred_and_pytorch_weights_taken_when_alone(names, chosen):
    from vnsum.fetch import _weights

    assert _weights(names) == chosen
