"""BLEU, chrF++ and TER through sacrebleu, on the standard line-aligned test sets.

Scores are sacrebleu's own, each with its signature, on detokenized text, so they
compare with published sacreBLEU numbers (FLORES-200, NTREX, Tatoeba). IWSLT'15 en-vi
ships Stanford-tokenized, HTML-escaped text (``life &apos;s work``); scored as it is,
the escapes and the split punctuation change every n-gram, so such files are unescaped
and detokenized first (``--data-format iwslt``, detected automatically) and the result
says so. Published IWSLT'15 numbers are tokenized BLEU and are not comparable either
way: say which one you report.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, MissingInputError, UsageError

_ESCAPED = re.compile(r"&(?:apos|quot|amp|lt|gt|#\d+|#x[0-9a-fA-F]+);")
_SPLIT_PUNCT = re.compile(r"\w [,.?!:;](?: |$)")  # "word , word ."


def _metrics() -> dict[str, Callable]:
    from sacrebleu.metrics import BLEU, CHRF, TER

    return {
        "bleu": lambda tgt: BLEU(trg_lang=tgt),
        "chrf++": lambda tgt: CHRF(word_order=2),
        "ter": lambda tgt: TER(),
    }


METRIC_NAMES = ("bleu", "chrf++", "ter")


def _detokenize(lines: list[str], lang: str) -> list[str]:
    from sacremoses import MosesDetokenizer

    detok = MosesDetokenizer(lang=lang)
    return [detok.detokenize(html.unescape(line).split(), unescape=False) for line in lines]


# How each on-disk convention becomes plain detokenized text.
DATA_FORMATS: dict[str, Callable[[list[str], str], list[str]]] = {
    "plain": lambda lines, lang: lines,
    "iwslt": _detokenize,
}


def detect_format(lines: Sequence[str]) -> str:
    """``iwslt`` when the text carries HTML escapes (``&apos;``, ``&quot;``), else ``plain``."""
    return "iwslt" if any(_ESCAPED.search(line) for line in lines) else "plain"


def looks_tokenized(lines: Sequence[str]) -> bool:
    """True when most lines have punctuation split off by spaces ("word , word .")."""
    sample = [line for line in lines[:500] if line.strip()]
    return bool(sample) and sum(bool(_SPLIT_PUNCT.search(line)) for line in sample) > 0.5 * len(sample)


def read_lines(path: str | Path) -> list[str]:
    """Lines of a UTF-8 file without their line endings (a final newline adds no line)."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise MissingInputError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not valid UTF-8 (byte offset {exc.start})") from None


def read_output(path: str | Path, lang: str) -> tuple[list[str], str]:
    """A system's output file and its detected format; escaped, tokenized outputs (as
    IWSLT-era systems wrote them) are converted the same way as such test sets."""
    lines = read_lines(path)
    fmt = detect_format(lines)
    return DATA_FORMATS[fmt](lines, lang), fmt


@dataclass
class TestSet:
    """Sources and one or more reference streams, line-aligned and detokenized."""

    name: str
    sources: list[str]
    references: list[list[str]]  # one list per reference file, each as long as sources
    data_format: str = "plain"
    notes: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Sentences in the set (sources may be absent when an existing output is scored)."""
        return len(self.references[0]) if self.references else len(self.sources)


def load_test_set(src: str | Path | None, refs: Sequence[str | Path], src_lang: str, tgt_lang: str,
                  data_format: str = "auto") -> TestSet:
    """Read a source file and its reference files (FLORES-200, NTREX, Tatoeba, IWSLT...).

    Without a source file, the references alone: BLEU, chrF and TER of an existing
    output (another engine's, say) need no source.
    """
    if data_format != "auto" and data_format not in DATA_FORMATS:
        raise UsageError(f"unknown data format {data_format!r}: use auto, {', '.join(DATA_FORMATS)}")
    if src is None and not refs:
        raise UsageError("a test set needs a source file or reference files")
    sources = read_lines(src) if src is not None else []
    raw_refs = [read_lines(r) for r in refs]
    first, size = (src, len(sources)) if src is not None else (refs[0], len(raw_refs[0]))
    for path, lines in zip(refs, raw_refs):
        if len(lines) != size:
            raise InputError(f"{path} has {len(lines)} lines but {first} has {size}: "
                             "test files must be line-aligned")
    fmt = data_format if data_format != "auto" else detect_format(sources + [x for r in raw_refs for x in r])
    notes = []
    if fmt == "iwslt":
        notes.append("source and references were HTML-unescaped and Moses-detokenized before scoring")
    convert = DATA_FORMATS[fmt]
    return TestSet(Path(first).name, convert(sources, src_lang), [convert(r, tgt_lang) for r in raw_refs], fmt,
                   notes)


def sacrebleu_test_set(name: str, src_lang: str, tgt_lang: str) -> TestSet:
    """A test set by sacrebleu's name (``wmt20``...), downloaded by sacrebleu: needs internet."""
    from sacrebleu.utils import DATASETS, get_langpairs_for_testset

    pair = f"{src_lang}-{tgt_lang}"
    if name not in DATASETS:
        raise UsageError(f"sacrebleu knows no test set {name!r} (see `sacrebleu --list`)")
    if pair not in get_langpairs_for_testset(name):
        raise UsageError(f"sacrebleu's {name} has no {pair} pair; give --src and --ref files instead")
    try:
        dataset = DATASETS[name]
        src_file, ref_files = dataset.get_source_file(pair), dataset.get_reference_files(pair)
    except (OSError, SystemExit) as exc:  # sacrebleu exits on some download failures
        raise InputError(f"could not download sacrebleu test set {name} ({pair}): {exc}; "
                         "this needs internet access, or give --src and --ref files") from None
    test = load_test_set(src_file, ref_files, src_lang, tgt_lang, "plain")
    test.name = f"sacrebleu:{name}"
    return test


@dataclass
class MetricScore:
    """A corpus score as sacrebleu computes it, with sacrebleu's signature."""

    name: str
    score: float
    signature: str
    detail: str  # sacrebleu's one-line rendering, e.g. "BLEU = 27.31 58.2/33.0/…"

    def to_dict(self) -> dict:
        return {"name": self.name, "score": round(self.score, 2), "signature": self.signature,
                "detail": self.detail}


def corpus_scores(hyps: Sequence[str], refs: Sequence[Sequence[str]], tgt: str,
                  metrics: Sequence[str] = METRIC_NAMES) -> list[MetricScore]:
    """BLEU, chrF++ and TER of ``hyps`` against one or more reference streams."""
    _check_lengths(hyps, refs)
    out = []
    for name in metrics:
        metric = _metrics()[name](tgt)
        result = metric.corpus_score(list(hyps), [list(r) for r in refs])
        out.append(MetricScore(result.name, result.score, str(metric.get_signature()), str(result)))
    return out


@dataclass
class Comparison:
    """Paired bootstrap resampling of one metric: system against baseline."""

    metric: str
    baseline: float
    system: float
    baseline_mean: tuple[float, float]  # bootstrap mean and 95% half-width, as sacrebleu prints
    system_mean: tuple[float, float]
    p_value: float
    signature: str

    def to_dict(self) -> dict:
        return {"metric": self.metric, "baseline": round(self.baseline, 2), "system": round(self.system, 2),
                "delta": round(self.system - self.baseline, 2),
                "baseline_mean": _mean(self.baseline_mean), "system_mean": _mean(self.system_mean),
                "p_value": round(self.p_value, 4), "signature": self.signature}


def _mean(bootstrap: tuple[float, float]) -> dict:
    return {"mean": round(bootstrap[0], 2), "ci95_half": round(bootstrap[1], 2)}


def paired_bootstrap(baseline: Sequence[str], system: Sequence[str], refs: Sequence[Sequence[str]], tgt: str,
                     metrics: Sequence[str] = METRIC_NAMES, samples: int = 1000) -> list[Comparison]:
    """sacrebleu's paired bootstrap resampling (``--paired-bs``) of two systems' outputs.

    The p-value is the probability that the system's difference from the baseline is
    due to chance on this test set; the seed is sacrebleu's (``SACREBLEU_SEED``).
    """
    from sacrebleu.significance import PairedTest

    _check_lengths(baseline, refs)
    _check_lengths(system, refs)
    built = {name: _metrics()[name](tgt) for name in metrics}
    test = PairedTest([("baseline", list(baseline)), ("system", list(system))], built,
                      [list(r) for r in refs], test_type="bs", n_samples=samples)
    signatures, scores = test()
    out = []
    for metric_name, (base, sys_result) in ((k, v) for k, v in scores.items() if k != "System"):
        out.append(Comparison(metric_name, float(base.score), float(sys_result.score),
                              (float(base.mean), float(base.ci)), (float(sys_result.mean), float(sys_result.ci)),
                              float(sys_result.p_value), str(signatures[metric_name])))
    return out


def _check_lengths(hyps: Sequence[str], refs: Sequence[Sequence[str]]) -> None:
    if not refs:
        raise UsageError("at least one reference is needed")
    for r in refs:
        if len(r) != len(hyps):
            raise InputError(f"{len(hyps)} hypotheses but {len(r)} reference lines: outputs must be line-aligned")


def translate_lines(translator, lines: Sequence[str], src: str, tgt: str, *, chunk: int = 64,
                    progress: bool = True) -> list:
    """Translate each line as its own document, batched, with a progress bar on stderr.

    Returns the :class:`~vnsum.translator.Translation` of every line, in order.
    """
    from tqdm import tqdm

    out = []
    with tqdm(total=len(lines), unit="sent", file=sys.stderr, disable=not progress, dynamic_ncols=True) as bar:
        for start in range(0, len(lines), chunk):
            batch = list(lines[start:start + chunk])
            out.extend(translator.translate_documents(batch, src, tgt))
            bar.update(len(batch))
    return out
