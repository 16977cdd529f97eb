"""Where the time of one article goes, pass by pass, and what the checks and scores cost:
the ``article`` part of ``eval/bench_speed.py``.

    python eval/bench_speed.py --parts article --article ../shared/examples/mps-dan-van-2022.vi.txt --model vnsum-mini

All in one run, on the machine it runs on (compare the ratios, not the seconds):

1. the command: ``vnsum translate`` of one short sentence and of the article, each in a
   fresh process, wall (what a user waits for; the first is the cold start), and which
   heavy packages the one-sentence process imported (after a first use has converted the
   model to CTranslate2, a one-time cost that imports torch);
2. the article through the Translator in this process (memory off, the model already
   loaded): each pass of :mod:`vnsum.passes` with its decoding time and the rest
   (cutting, restoring, checking), and what lies outside the passes (splitting, glossary
   matching, masking, assembling); against the raw decode of the article's sentences by
   the same backend and beam, once, with nothing around it;
3. the checks (:mod:`vnsum.omissions`): their own time, and the article with them
   switched off (so nothing is flagged and no omission retry runs) against with;
4. the scores: CTranslate2's ``translate_batch`` over the first pass's batch with and
   without ``return_scores`` (ct2 backends only);
5. the server: ``vnsum serve``'s app (which loads its model before it answers), then one
   sentence to ``POST /translate``, the service the page calls: how long the first
   result takes once the server is up;
6. peak memory (RSS) of this process.

Medians over ``--rounds``. ``--json`` also writes every number.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
import urllib.request

from vnsum import Translator, passes
from vnsum.segment import split_document

HEAVY = ("torch", "transformers", "gradio", "sacremoses", "ctranslate2", "sentencepiece")
ONE_SENTENCE = "Bộ Công an tổ chức hội nghị."
# Runs the CLI in a fresh interpreter and reports which heavy packages it imported.
_CHILD = """
import sys, time
started = time.perf_counter()
from vnsum.cli import main
code = main(sys.argv[1:])
print(f"PROFILE {time.perf_counter() - started:.3f} " + ",".join(m for m in HEAVY if m in sys.modules),
      file=sys.stderr)
sys.exit(code)
"""


def command(model: str, text: str, src: str, tgt: str, rounds: int) -> dict:
    """Wall seconds of ``vnsum translate -`` (memory off), each run in a new process, and
    which heavy packages it imported."""
    walls, inside, imported = [], [], ""
    for _ in range(rounds):
        started = time.perf_counter()
        run = subprocess.run([sys.executable, "-c", _CHILD.replace("HEAVY", repr(HEAVY)), "translate", "-",
                              "--no-tm", "-s", src, "-t", tgt, "--model", model, "-q"],
                             input=text, capture_output=True, text=True, check=True)
        walls.append(time.perf_counter() - started)
        line = next(x for x in run.stderr.splitlines() if x.startswith("PROFILE "))
        inside.append(float(line.split()[1]))
        imported = line.split()[2] if len(line.split()) > 2 else ""
    return {"wall_s": statistics.median(walls), "in_main_s": statistics.median(inside),
            "imported": imported.split(",") if imported else []}


def _sentences(text: str, src: str) -> list[str]:
    return [s for line in split_document(text, src).lines for s in line.sentences]


def article(translator: Translator, text: str, src: str, tgt: str, rounds: int) -> dict:
    """Median time of the article through the Translator, per pass and outside them."""
    runs = []
    for _ in range(rounds):
        started = time.perf_counter()
        result = translator.translate_document(text, src, tgt)
        total = time.perf_counter() - started
        runs.append((total, translator.last_passes, result))
    total, reports, result = sorted(runs, key=lambda r: r[0])[len(runs) // 2]
    in_passes = sum(r.seconds for r in reports)
    return {"total_s": total, "outside_passes_s": total - in_passes,
            "decoding_s": sum(r.decoding for r in reports),
            "passes": [r.__dict__ for r in reports], "segments": len(result.segments),
            "to_check": result.to_check}


def raw_decode(translator: Translator, text: str, src: str, tgt: str, rounds: int) -> dict:
    backend = translator.backend(src, tgt)
    sentences = _sentences(text, src)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        backend.generate(sentences, src, tgt)
        times.append(time.perf_counter() - started)
    return {"sentences": len(sentences), "seconds": statistics.median(times)}


def checks(translator: Translator, text: str, src: str, tgt: str, rounds: int) -> dict:
    """Seconds inside the omission checks, and the article without them against with."""
    real = passes.omissions
    spent = [0.0]

    def timed(*args):
        started = time.perf_counter()
        try:
            return real(*args)
        finally:
            spent[0] += time.perf_counter() - started

    try:
        passes.omissions = timed
        with_checks = article(translator, text, src, tgt, rounds)
        in_checks = spent[0] / rounds
        passes.omissions = lambda *args: []
        without = article(translator, text, src, tgt, rounds)
    finally:
        passes.omissions = real
    return {"in_checks_s": in_checks, "with_s": with_checks["total_s"], "without_s": without["total_s"],
            "ratio": with_checks["total_s"] / without["total_s"]}


class _Spy:
    """Wraps a ctranslate2.Translator to keep the arguments of its first translate_batch."""

    def __init__(self, inner):
        self.inner, self.call = inner, None

    def translate_batch(self, *args, **kwargs):
        self.call = self.call or (args, kwargs)
        return self.inner.translate_batch(*args, **kwargs)


def scores(translator: Translator, text: str, src: str, tgt: str, rounds: int) -> dict | None:
    """translate_batch with and without return_scores, on the batch the backend sends."""
    backend = translator.backend(src, tgt)
    if not hasattr(backend, "translator"):
        return None
    spy = _Spy(backend.translator)
    backend.translator = spy
    try:
        backend.generate(_sentences(text, src), src, tgt)
    finally:
        backend.translator = spy.inner
    args, kwargs = spy.call
    timing = {}
    for flag in (False, True):
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            spy.inner.translate_batch(*args, **(kwargs | {"return_scores": flag}))
            times.append(time.perf_counter() - started)
        timing[flag] = statistics.median(times)
    return {"without_s": timing[False], "with_s": timing[True], "ratio": timing[True] / timing[False]}


def server(model: str, src: str, tgt: str) -> dict:
    """Seconds to start the app (model loaded) and to answer the first and second request."""
    from vnsum.web.config import ServerConfig
    from vnsum.web.server import background, create_app

    started = time.perf_counter()
    app = create_app(ServerConfig(model=model, translator_options={"memory": None}))
    timing = {"start_s": time.perf_counter() - started}
    with background(app) as url:
        for name in ("first_result_s", "second_result_s"):
            request = urllib.request.Request(
                f"{url}/translate", data=json.dumps({"q": ONE_SENTENCE, "source": src, "target": tgt}).encode(),
                headers={"Content-Type": "application/json"})
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as answer:
                json.load(answer)
            timing[name] = time.perf_counter() - started
    return timing


def profile(model: str, text: str, src: str, tgt: str, rounds: int) -> dict:
    """Every measurement of the module docstring, in that order, as one dict."""
    # A first use converts the model to CTranslate2 once (importing torch and transformers):
    # done here first, so the cold start is what every later start of the command costs.
    Translator(model).backend(src, tgt)
    report = {"cold_start": command(model, ONE_SENTENCE, src, tgt, rounds),
              "command_article": command(model, text, src, tgt, rounds)}
    started = time.perf_counter()
    translator = Translator(model)
    translator.backend(src, tgt)
    report["load_s"] = time.perf_counter() - started
    translator.translate_document(text, src, tgt)  # warm-up: first-call allocations
    report["article"] = article(translator, text, src, tgt, rounds)
    report["raw_decode"] = raw_decode(translator, text, src, tgt, rounds)
    report["article_over_raw"] = report["article"]["total_s"] / report["raw_decode"]["seconds"]
    report["checks"] = checks(translator, text, src, tgt, rounds)
    report["scores"] = scores(translator, text, src, tgt, rounds)
    report["server"] = server(model, src, tgt)
    report["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report["model"] = translator.backend(src, tgt).name
    return report


def table(r: dict) -> str:
    """The report as the lines eval/README.md §8 quotes."""
    a = r["article"]
    lines = [f"model: {r['model']}; peak RSS {r['peak_rss_mb']:.0f} MB",
             f"cold start, one sentence: {r['cold_start']['wall_s']:.2f} s wall "
             f"({r['cold_start']['in_main_s']:.2f} s in main), imported: "
             f"{', '.join(r['cold_start']['imported']) or 'none of ' + ', '.join(HEAVY)}",
             f"the article through vnsum translate: {r['command_article']['wall_s']:.2f} s wall",
             f"model load (in process): {r['load_s']:.2f} s",
             f"article: {a['total_s']:.2f} s for {a['segments']} segments ({a['to_check']} to check); "
             f"raw decode of its {r['raw_decode']['sentences']} sentences {r['raw_decode']['seconds']:.2f} s: "
             f"{r['article_over_raw']:.2f}x",
             "", "| pass | sentences | pieces | decoded | kept | seconds | of which decoding |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {p['name']} | {p['sentences']} | {p['pieces']} | {p['decoded']} | {p['kept']} | "
              f"{p['seconds']:.2f} | {p['decoding']:.2f} |" for p in a["passes"]]
    lines += [f"| outside the passes | | | | | {a['outside_passes_s']:.2f} | |", "",
              f"checks: {r['checks']['in_checks_s']:.3f} s inside them; article with {r['checks']['with_s']:.2f} s, "
              f"without {r['checks']['without_s']:.2f} s: {r['checks']['ratio']:.3f}x"]
    lines.append(f"server: up in {r['server']['start_s']:.2f} s (model loaded); first /translate of one "
                 f"sentence {r['server']['first_result_s']:.2f} s, second {r['server']['second_result_s']:.2f} s")
    if r["scores"]:
        lines.append(f"scores: translate_batch with {r['scores']['with_s']:.2f} s, without "
                     f"{r['scores']['without_s']:.2f} s: {r['scores']['ratio']:.3f}x")
    return "\n".join(lines)

