"""Every code block of README.md, run as written: what a new user does in the first ten minutes.

Shell lines run in bash, one by one, in a scratch folder holding the files they name,
with the repository's ``.venv``, ``app.py``, ``examples/`` and ``glossary/`` linked in and
``VNSUM_MODELS`` pointing at the generated tiny models (their output is noise: only that
each command works is checked). ``make`` lines are dry runs (``make test`` would run this
suite again). The web server is started the way the README starts it, on the port
``GRADIO_SERVER_PORT`` names, and the curl and gradio_client blocks talk to it. Python
blocks run as written, in order, in one namespace. The training section's block has a
test of its own: it trains a model.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from test_train import PAIRS

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DEFAULT_URL = "http://127.0.0.1:7860"
TRAINING = "Training your own model"
LINKED = (".venv", "app.py", "examples", "glossary", "Makefile", "pyproject.toml")

pytestmark = pytest.mark.slow


def code_blocks(markdown: str) -> list[tuple[str, str, str]]:
    """(section heading, language, code) of every fenced block, in order."""
    blocks = []
    for section in re.split(r"^## ", markdown, flags=re.MULTILINE):
        heading = section.splitlines()[0] if section else ""
        blocks += [(heading, lang, code) for lang, code in
                   re.findall(r"^```(\w*)\n(.*?)^```", section, flags=re.MULTILINE | re.DOTALL)]
    return blocks


def readme_blocks(training: bool) -> list[tuple[str, str]]:
    return [(lang, code) for heading, lang, code in code_blocks(README.read_text(encoding="utf-8"))
            if (heading == TRAINING) == training]


def shell_lines(code: str) -> list[str]:
    """Commands of a shell block: continuations joined, comments dropped."""
    joined = code.replace("\\\n", " ")
    commands = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        if words:
            commands.append(line)
    return commands


def test_every_block_is_a_kind_this_test_runs():
    blocks = code_blocks(README.read_text(encoding="utf-8"))
    assert {lang for _, lang, _ in blocks} == {"sh", "python"}
    assert [lang for heading, lang, _ in blocks if heading == TRAINING] == ["sh"]


@pytest.fixture
def scratch(tmp_path, article, monkeypatch) -> Path:
    """A folder with every file the README's commands name, and the environment they run in."""
    for name in LINKED:
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "tiny-test.toml").symlink_to(ROOT / "models" / "tiny-test.toml")
    (tmp_path / "article.vi.txt").write_text(article, encoding="utf-8")
    english = (ROOT / "examples" / "mps-crime-prevention.en.txt").read_text(encoding="utf-8")
    (tmp_path / "news.en.txt").write_text(english, encoding="utf-8")
    (tmp_path / "archive").mkdir()
    for name in ("a.txt", "b.txt", "archive/bai-1.vi.txt", "archive/bai-2.vi.txt"):
        (tmp_path / name).write_text(article, encoding="utf-8")
    (tmp_path / "pairs.tsv").write_text("".join(f"{vi}\t{en}\n" for vi, en in PAIRS), encoding="utf-8")
    (tmp_path / "dev.vi").write_text("".join(vi + "\n" for vi, _ in PAIRS[::4]), encoding="utf-8")
    (tmp_path / "dev.en").write_text("".join(en + "\n" for _, en in PAIRS[::4]), encoding="utf-8")
    (tmp_path / "news.vi").write_text("".join(vi + "\n" for vi, _ in PAIRS[1::4]), encoding="utf-8")
    (tmp_path / "my-glossary.tsv").write_text(
        "vi\ten\tkind\tvariants\tsource\nQuảng Ninh\tQuang Ninh Province\tplace\t\tour style guide\n", encoding="utf-8")
    # The README's own models: the bundled one that a fresh clone has (no generated stand-ins),
    # and no hub to ask on this machine.
    monkeypatch.setenv("VNSUM_OFFLINE", "1")
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run_shell(command: str, cwd: Path, url: str) -> None:
    words = shlex.split(command, comments=True)
    if words[0] == "make":
        command = command.replace("make ", "make -n ", 1)
    command = command.replace(DEFAULT_URL, url)
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=cwd, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, f"{command}\nexit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(cwd: Path) -> tuple[subprocess.Popen, str]:
    """``.venv/bin/python app.py`` as the README starts it, on the port GRADIO_SERVER_PORT names."""
    port = free_port()
    server = subprocess.Popen([".venv/bin/python", "app.py"], cwd=cwd, env=os.environ | {"GRADIO_SERVER_PORT": str(port)},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return server, url
        except httpx.HTTPError:
            time.sleep(1)
    server.kill()
    raise AssertionError(f"the server did not start:\n{server.communicate()[0][-3000:]}")


def test_every_readme_block_runs_as_written(scratch):
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    server, url = start_server(scratch)
    namespace: dict = {}
    try:
        for lang, code in readme_blocks(training=False):
            if lang == "sh":
                for command in shell_lines(code):
                    run_shell(command, scratch, url)
            else:
                exec(compile(code.replace(DEFAULT_URL, url), "README.md", "exec"), namespace)  # noqa: S102
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert (scratch / "news.vi.txt").exists() and (scratch / "brief.md").exists()
    assert namespace["result"].summary_en.sentences and namespace["choice"] == "my uploaded glossary"


def test_the_training_block_runs_as_written(scratch):
    for _, code in readme_blocks(training=True):
        for command in shell_lines(code):
            run_shell(command, scratch, DEFAULT_URL)
    assert (scratch / "models" / "mine" / "config.json").exists()
