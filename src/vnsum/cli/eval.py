"""``vnsum eval translation|terms|summary|speed|confidence``: scores comparable with published ones.

Every command prints JSON by default (one object, each score with its signature) and a
table with ``-f text``. The metrics live in :mod:`vnsum.metrics`; this is the thin
layer that reads files, runs the model and prints.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError, UsageError
from .options import add_glossary_options, add_model_options, glossary_from, translator_from
from .table import table as _table

OUTPUT_FORMATS = ("json", "text")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="measure translation, terminology, summary quality and speed")
    esub = p.add_subparsers(dest="eval_command", required=True)
    for name, (build, run, help_text) in SUBCOMMANDS.items():
        c = esub.add_parser(name, help=help_text, description=help_text)
        build(c)
        c.add_argument("-f", "--format", default="json", choices=OUTPUT_FORMATS, help="json (default) or a text table")
        c.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
        c.set_defaults(run=run)


def _direction(p: argparse.ArgumentParser) -> None:
    p.add_argument("-s", "--source", default="vi", choices=["vi", "en"])
    p.add_argument("-t", "--target", default="en", choices=["vi", "en"])


def _check_direction(args: argparse.Namespace) -> None:
    if args.source == args.target:
        raise UsageError(f"source and target are both {args.source!r}")


def _translator(args: argparse.Namespace):
    """The Translator the options describe, without a translation memory unless ``--tm`` names
    one: an evaluation measures the model, and test sentences should not fill a user's memory."""
    if args.tm is None:
        args.no_tm = True
    return translator_from(args)


def _emit(args: argparse.Namespace, report: dict, text: Callable[[dict], str]) -> int:
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(text(report))
    return 0


# --- translation -----------------------------------------------------------------------

def _build_translation(p: argparse.ArgumentParser) -> None:
    data = p.add_mutually_exclusive_group()
    data.add_argument("--src", help="source file, one sentence per line (not needed to score an existing --hyp)")
    data.add_argument("--test-set", help="a sacrebleu test set name (downloaded by sacrebleu: needs internet)")
    p.add_argument("--ref", nargs="+", default=[], help="reference file(s), line-aligned with --src")
    p.add_argument("--data-format", default="auto", choices=["auto", "plain", "iwslt"],
                   help="iwslt: HTML-escaped, tokenized files, unescaped and detokenized first (auto detects it)")
    p.add_argument("--hyp", help="score this output file instead of translating with a model")
    p.add_argument("--compare-hyp", metavar="FILE",
                   help="baseline output to compare with by paired bootstrap resampling")
    p.add_argument("-o", "--output", help="write the translations made here to this file")
    p.add_argument("--bootstrap-samples", type=int, default=1000)
    _direction(p)
    add_glossary_options(p)
    add_model_options(p)


def run_translation(args: argparse.Namespace) -> int:
    from ..metrics.translation import (corpus_scores, load_test_set, looks_tokenized, paired_bootstrap,
                                       sacrebleu_test_set, translate_lines)

    _check_direction(args)
    if not (args.src or args.test_set or (args.hyp and args.ref)):
        raise UsageError("give --src FILE --ref FILE (translate and score), --hyp FILE --ref FILE (score an "
                         "existing output: BLEU, chrF and TER need no source) or --test-set NAME")
    if (args.src or args.hyp) and not args.test_set and not args.ref:
        raise UsageError("--src and --hyp need --ref FILE (one or more reference files)")
    if args.test_set and args.ref:
        raise UsageError("--test-set brings its own references: drop --ref")
    test = (sacrebleu_test_set(args.test_set, args.source, args.target) if args.test_set
            else load_test_set(args.src, args.ref, args.source, args.target, args.data_format))
    report: dict = {"test_set": test.name, "sentences": test.size, "direction": f"{args.source}-{args.target}",
                    "data_format": test.data_format, "notes": list(test.notes)}
    if args.hyp:
        hyps = _output(args.hyp, args.target, test.size, report)
        report["system"] = {"hyp": args.hyp}
    else:
        translator = _translator(args)
        translations = translate_lines(translator, test.sources, args.source, args.target, progress=not args.quiet)
        hyps = [t.text for t in translations]
        glossary = translator.glossary
        report["system"] = {"model": translations[0].model if translations else args.model,
                            "glossary": f"{glossary.name}@{glossary.sha}" if glossary else None,
                            "term_counts": dict(sum((Counter(t.term_counts) for t in translations), Counter())),
                            "output_counts": dict(sum((Counter(t.output_counts) for t in translations), Counter()))}
        if args.output:
            Path(args.output).write_text("".join(h + "\n" for h in hyps), encoding="utf-8")
    if looks_tokenized(hyps):
        report["notes"].append("the hypotheses look tokenized; sacrebleu expects detokenized text")
    report["scores"] = [s.to_dict() for s in corpus_scores(hyps, test.references, args.target)]
    if args.compare_hyp:
        baseline = _output(args.compare_hyp, args.target, test.size, report)
        report["comparison"] = {"baseline": args.compare_hyp, "test": "paired bootstrap resampling",
                                "results": [c.to_dict() for c in paired_bootstrap(
                                    baseline, hyps, test.references, args.target, samples=args.bootstrap_samples)]}
        if baseline == hyps:
            report["notes"].append("the two outputs are identical: there is no difference to test, whatever "
                                   "p-value sacrebleu prints")
    return _emit(args, report, _translation_text)


def _output(path: str, lang: str, expected: int, report: dict) -> list[str]:
    """A system output file, converted like its test set when it is in the IWSLT convention."""
    from ..metrics.translation import read_output

    lines, fmt = read_output(path, lang)
    if len(lines) != expected:
        raise InputError(f"{path} has {len(lines)} lines but the test set has {expected}: outputs must be line-aligned")
    if fmt != "plain":
        report["notes"].append(f"{path} was HTML-unescaped and Moses-detokenized before scoring")
    return lines


def _translation_text(report: dict) -> str:
    lines = [f"{report['test_set']} ({report['sentences']} sentences, {report['direction']}, "
             f"{report['data_format']})"]
    lines += [f"note: {n}" for n in report["notes"]]
    lines.append(_table(["metric", "score", "signature"],
                        [[s["name"], f"{s['score']:.2f}", s["signature"]] for s in report["scores"]]))
    if "comparison" in report:
        lines.append(f"\npaired bootstrap against {report['comparison']['baseline']}:")
        lines.append(_table(["metric", "baseline", "system", "delta", "p"],
                            [[c["metric"], c["baseline"], c["system"], f"{c['delta']:+.2f}", c["p_value"]]
                             for c in report["comparison"]["results"]]))
    return "\n".join(lines)


# --- terms -----------------------------------------------------------------------------

def _build_terms(p: argparse.ArgumentParser) -> None:
    p.add_argument("--src", required=True,
                   help="term test set (.tsv: id, doc, source, terms) or a plain source file (terms from the glossary)")
    p.add_argument("--hyp", help="score this output file (one line per sentence) instead of translating")
    p.add_argument("--modes", default="none,glossary,random",
                   help="comma-separated WMT terminology modes: none, glossary, random (default all three)")
    p.add_argument("--seed", type=int, default=12345, help="seed of the random glossary and the bootstrap")
    _direction(p)
    add_glossary_options(p)
    add_model_options(p)


def run_terms(args: argparse.Namespace) -> int:
    from ..metrics.terms import MODES, TermSuccessRate, random_glossary, read_sentences
    from ..metrics.translation import read_lines, translate_lines

    _check_direction(args)
    if args.no_glossary:
        raise UsageError("eval terms scores against a glossary: give -g GLOSSARY (default vn-gov)")
    reference = glossary_from(args)
    rows = read_sentences(args.src)
    scorer = TermSuccessRate(reference, args.source, args.target, seed=args.seed)
    report: dict = {"test_set": args.src, "sentences": len(rows), "direction": f"{args.source}-{args.target}",
                    "glossary": f"{reference.name}@{reference.sha}"}
    if args.hyp:
        outputs = read_lines(args.hyp)
        report["system"] = {"hyp": args.hyp}
        report["modes"] = [scorer.score(rows, outputs, "hyp").to_dict()]
        return _emit(args, report, _terms_text)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES]
    if unknown or not modes:
        raise UsageError(f"unknown mode(s) {', '.join(unknown) or '(none)'}: use {', '.join(MODES)}")
    glossaries = {"none": None, "glossary": reference, "random": random_glossary(reference, args.target, args.seed)}
    loaded = _translator(args)
    sources = [r.source for r in rows]
    report["system"] = {"model": loaded.backend(args.source, args.target).name}  # loaded once, shared by every mode
    report["modes"] = []
    for mode in modes:
        translator = loaded.with_glossary(glossaries[mode])
        translations = translate_lines(translator, sources, args.source, args.target, progress=not args.quiet)
        report["modes"].append(scorer.score(rows, [t.text for t in translations], mode, glossaries[mode]).to_dict()
                               | _paths(translations))
    return _emit(args, report, _terms_text)


def _paths(translations) -> dict:
    """How the enforcer got each term (applied / repaired / missed) and how many outputs
    were degenerate: which path of :mod:`vnsum.enforce` and :mod:`vnsum.degenerate` ran."""
    return {"term_counts": dict(sum((Counter(t.term_counts) for t in translations), Counter())),
            "output_counts": dict(sum((Counter(t.output_counts) for t in translations), Counter()))}


def _terms_text(report: dict) -> str:
    rows = []
    for m in report["modes"]:
        ci = f" [{m['ci95'][0]:.1f}, {m['ci95'][1]:.1f}]" if m["ci95"] else ""
        tsr = f"{m['tsr']:.1f}{ci}" if m["tsr"] is not None else None
        consistency = f"{m['consistency']:.1f} ({m['consistent']}/{m['repeated']})" if m["repeated"] else None
        rows.append([m["mode"], tsr, f"{m['hits']}/{m['total']}", consistency])
    lines = [f"{report['test_set']} ({report['sentences']} sentences, {report['direction']}, "
             f"glossary {report['glossary']})", _table(["mode", "TSR", "hits", "consistency"], rows)]
    kinds = sorted({k for m in report["modes"] for k in m["by_kind"]})
    lines.append("\nby kind (hits/total):")
    lines.append(_table(["kind", *[m["mode"] for m in report["modes"]]],
                        [[k, *[_ratio(m["by_kind"].get(k)) for m in report["modes"]]] for k in kinds]))
    for m in report["modes"]:
        if m["misses"]:
            lines.append(f"\nmost missed ({m['mode']}):")
            lines.append(_table(["target", "kind", "missed"],
                                [[x["target"], x["kind"], f"{x['missed']}/{x['total']}"] for x in m["misses"][:10]]))
    lines.append(f"\n{report['modes'][0]['signature']}")
    return "\n".join(lines)


def _ratio(counts: dict | None) -> str | None:
    return None if counts is None else f"{counts['hits']}/{counts['total']}"


# --- summary ---------------------------------------------------------------------------

def _build_summary(p: argparse.ArgumentParser) -> None:
    p.add_argument("--docs", required=True, help="ViMs data/ folder, or a folder of documents")
    p.add_argument("--refs", required=True, help="ViMs summary/ folder, or reference summaries with the same names")
    p.add_argument("--layout", default="auto", choices=["auto", "vims", "pairs"])
    p.add_argument("--summarizer", default="extractive")
    p.add_argument("--baseline", default="lead", help="summarizer compared against (default lead: Lead-N)")
    length = p.add_mutually_exclusive_group()
    length.add_argument("--sentences", type=int, default=3)
    length.add_argument("--words", type=int)
    p.add_argument("--lang", default="vi", choices=["vi", "en"])
    p.add_argument("--part", default="all", choices=["all", "tune", "report"],
                   help="score only the tune or the report part of the documents (a fixed split by id hash), "
                        "so settings chosen on one are reported on the other")
    p.add_argument("--tune-share", type=float, default=0.3, help="share of the documents in the tune part (0.3)")


def get_summarizer(name: str):
    """The summarizer registered under ``name`` (imported late: summaries are optional here)."""
    from ..summarize import get_summarizer as lookup

    return lookup(name)


def run_summary(args: argparse.Namespace) -> int:
    from ..metrics.rouge import Rouge
    from ..metrics.summaries import read_cases, score_summarizers, split_cases

    if not 0 < args.tune_share < 1:
        raise UsageError("--tune-share must be between 0 and 1")
    layout, cases = read_cases(args.docs, args.refs, args.layout)
    cases = split_cases(cases, args.part, args.tune_share)
    if not cases:
        raise UsageError(f"the {args.part} part is empty: change --tune-share")
    names = list(dict.fromkeys([args.summarizer, args.baseline]))
    systems = {name: get_summarizer(name) for name in names}
    sentences = None if args.words else args.sentences
    scores = score_summarizers(cases, systems, lang=args.lang, sentences=sentences, words=args.words,
                               baseline=args.baseline if len(names) > 1 else None)
    rouge = Rouge()
    report = {"docs": args.docs, "refs": args.refs, "layout": layout, "documents": len(cases),
              "part": args.part if args.part == "all" else f"{args.part} (tune share {args.tune_share})",
              "references": sum(len(c.references) for c in cases),
              "length": {"words": args.words} if args.words else {"sentences": args.sentences},
              "baseline": args.baseline, "systems": [s.to_dict() for s in scores],
              "signature": rouge.get_signature()}
    return _emit(args, report, _summary_text)


def _summary_text(report: dict) -> str:
    kinds = ("rouge1", "rouge2", "rougeL")
    rows = []
    for s in report["systems"]:
        rows.append([s["name"], *[f"{s[k]['f1']:.2f} [{s[k]['ci95'][0]:.2f}, {s[k]['ci95'][1]:.2f}]" for k in kinds]])
        if "delta_vs_baseline" in s:
            d = s["delta_vs_baseline"]
            rows.append([f"  - {report['baseline']}",
                         *[f"{d[k]['f1']:+.2f} [{d[k]['ci95'][0]:+.2f}, {d[k]['ci95'][1]:+.2f}]" for k in kinds]])
    head = (f"{report['docs']} ({report['layout']}, {report['part']} part, {report['documents']} documents, "
            f"{report['references']} references, {' '.join(f'{v} {k}' for k, v in report['length'].items())} each)")
    return "\n".join([head, _table(["system", "ROUGE-1 F1", "ROUGE-2 F1", "ROUGE-L F1"], rows), report["signature"]])


# --- confidence ------------------------------------------------------------------------

def _build_confidence(p: argparse.ArgumentParser) -> None:
    p.add_argument("--src", required=True, help="source file, one sentence per line")
    p.add_argument("--ref", required=True, help="reference file, line-aligned with --src")
    p.add_argument("--data-format", default="auto", choices=["auto", "plain", "iwslt"])
    p.add_argument("--fit", action="store_true",
                   help="fit the thresholds on these lines and store them with the model (confidence.json)")
    _direction(p)
    add_glossary_options(p)
    add_model_options(p)


def run_confidence(args: argparse.Namespace) -> int:
    from ..confidence import save
    from ..hub import locate
    from ..metrics.confidence import fit, line_chrf, line_view, report
    from ..metrics.translation import load_test_set, translate_lines

    _check_direction(args)
    test = load_test_set(args.src, [args.ref], args.source, args.target, args.data_format)
    translator = _translator(args)
    translations = translate_lines(translator, test.sources, args.source, args.target, progress=not args.quiet)
    refs = test.references[0]
    thresholds = translator.thresholds(args.source, args.target)
    out: dict = {"test_set": test.name, "direction": f"{args.source}-{args.target}",
                 "model": translations[0].model if translations else args.model}
    if args.fit:
        views = [line_view(t, thresholds)[0] for t in translations]
        chrf = [c for v, c in zip(views, line_chrf([t.text for t in translations], refs)) if v is not None]
        where = Path(args.src)
        thresholds = fit([v for v in views if v is not None], chrf, f"{where.parent.name}/{where.name} ({len(chrf)} lines)")
        folder = locate(args.model, args.source, args.target, download=False)[0].path
        out["stored"] = str(save(folder, {f"{args.source}-{args.target}": thresholds}))
    out |= report(translations, refs, thresholds).to_dict()
    return _emit(args, out, _confidence_text)


def _confidence_text(r: dict) -> str:
    t = r["thresholds"]
    head = (f"{r['test_set']} ({r['lines']} lines, {r['direction']}, {r['model']}): AUROC {r['auroc']} for "
            f"chrF++ < {r['bad_chrf']:.0f} ({r['bad']} lines); thresholds check < {t['check']}, doubtful < "
            f"{t['doubtful']} ({t['fitted_on']})" + (f"; stored in {r['stored']}" if "stored" in r else ""))
    rows = [[level, s["lines"], f"{s['share']:.1%}", s["mean_chrf"]] for level, s in r["levels"].items()]
    return "\n".join([head, _table(["level", "lines", "share", "mean chrF++"], rows),
                      f"levels in order: {'yes' if r['in_order'] else 'NO'}"])


# --- speed -----------------------------------------------------------------------------

def _build_speed(p: argparse.ArgumentParser) -> None:
    p.add_argument("--src", nargs="+", required=True, metavar="FILE|DIR",
                   help="articles: each file is one article (folders: their .txt/.md files)")
    _direction(p)
    add_glossary_options(p)
    add_model_options(p)


def run_speed(args: argparse.Namespace) -> int:
    from ..documents import collect, read_text
    from ..metrics.speed import measure

    _check_direction(args)
    articles = [read_text(source) for source in collect(args.src)]
    if not articles:
        raise UsageError("no .txt or .md articles found in " + ", ".join(args.src))
    result = measure(_translator(args), articles, args.source, args.target)
    return _emit(args, result.to_dict(), _speed_text)


def _speed_text(r: dict) -> str:
    m = r["machine"]
    gpu = f", peak GPU {r['peak_gpu_mb']:.0f} MiB" if r["peak_gpu_mb"] is not None else ""
    return "\n".join([
        f"model {r['model']} ({r['engine']}) on {r['device']}, batch {r['batch_size']}, beam {r['beam_size']}, "
        f"glossary {r['glossary']}, translation memory: {r['memory'] or 'off'}",
        _table(["articles", "sentences", "sentences/s", "target tokens/s", "s/article", "peak RSS MiB"],
               [[r["articles"], r["sentences"], r["sentences_per_s"], r["tokens_per_s"], r["s_per_article"],
                 f"{r['peak_rss_mb']:.0f}"]]) + gpu,
        f"tokens counted with: {r['token_counter']}; model load {r['load_seconds']:.2f} s (not in the rates)",
        f"machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), torch threads {m['torch_threads']}, "
        f"device {m['device']}, {m['platform']}, Python {m['python']}",
    ])


SUBCOMMANDS = {
    "translation": (_build_translation, run_translation, "BLEU, chrF++ and TER (sacrebleu) on a line-aligned test set"),
    "terms": (_build_terms, run_terms, "term success rate in the WMT terminology modes, and consistency"),
    "summary": (_build_summary, run_summary, "ROUGE-1/2/L F1 of a summarizer and Lead-N (ViMs or pairs)"),
    "confidence": (_build_confidence, run_confidence,
                   "how well the confidence levels find the sentences to check (AUROC, chrF++ per level); "
                   "--fit stores thresholds with the model"),
    "speed": (_build_speed, run_speed, "sentences/s, target tokens/s, s/article and peak memory of a model"),
}
