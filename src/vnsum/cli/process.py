"""``vnsum process`` (translation + both summaries) and ``vnsum summarize`` (summaries alone)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from ..engines.jobs import Rendered, each, outcomes
from ..language import AUTO, NAMES, fixed_direction
from ..pipeline import OTHER_SUMMARY_MODES, Pipeline
from ..report import RENDERERS
from ..summarize import SUMMARIZERS, get_summarizer
from ..summarize.candidates import headline
from .arguments import POSITIVE
from .batch import add_batch_options, run_batch
from .options import add_glossary_options, add_llm_options, add_model_options, llm_options, translator_from

PROCESS_FORMATS = {"md": ".md", "json": ".json", "html": ".html"}
SUMMARY_FORMATS = {"text": ".txt", "json": ".json"}


def _add_summary_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--summarizer", default="extractive",
                   help=f"{', '.join(SUMMARIZERS)}, a summarization model (vit5, mt5-xlsum, distilbart, "
                        "a Hugging Face id or folder), or openai:NAME (a model on an OpenAI-compatible server: "
                        "see --api-base); default extractive")
    length = p.add_mutually_exclusive_group()
    length.add_argument("--summary-sentences", "--sentences", type=POSITIVE, dest="sentences", metavar="N",
                        help="this many whole sentences (default: about 60 words, shortened sentences)")
    length.add_argument("--summary-words", "--words", type=POSITIVE, dest="words", metavar="N")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("process", help="translate an article and summarize it in both languages")
    add_batch_options(p, PROCESS_FORMATS, "md")
    p.add_argument("-s", "--source", default=AUTO, choices=[AUTO, *NAMES],
                   help="the articles' language, translated into the other (default auto: each article's own, "
                        "detected)")
    _add_summary_options(p)
    p.add_argument("--other-summary", default="aligned", choices=OTHER_SUMMARY_MODES,
                   help="the summary in the target language: translations of the chosen sentences "
                        "(aligned, default), a translation of the summary, or a summary of the translation")
    add_glossary_options(p)
    add_model_options(p)
    p.set_defaults(run=run_process)

    s = sub.add_parser("summarize", help="summaries alone, no translation")
    add_batch_options(s, SUMMARY_FORMATS, "text")
    s.add_argument("-l", "--lang", "-s", "--source", dest="source", default="vi", choices=["vi", "en"])
    _add_summary_options(s)
    s.add_argument("--device", default="auto")
    add_llm_options(s, translation=False)
    s.set_defaults(run=run_summarize)


def _summarizer(args: argparse.Namespace):
    """Built-in summarizers take no model options; a model gets the device, a served one the server's."""
    options = {} if args.summarizer in SUMMARIZERS else {"device": args.device, "llm": llm_options(args)}
    return get_summarizer(args.summarizer, **options)


def run_process(args: argparse.Namespace) -> int:
    pipeline = Pipeline(translator_from(args), _summarizer(args), other_summary=args.other_summary)
    render = RENDERERS[args.format]

    def handle(text, source):
        result = pipeline.process(text, source.lang, sentences=args.sentences, words=args.words)
        return Rendered(render(result), len(result.translation.segments), result.translation.to_check)

    code = run_batch(args, lambda sources: outcomes(sources, each(handle), lang=args.source, max_docs=1),
                     formats=PROCESS_FORMATS, streamable=None, tgt=None,
                     prepare=lambda: _load(pipeline.translator, fixed_direction(args.source, None)))
    _report_usage(args, *pipeline.translator.loaded(), pipeline.summarizer)
    return code


def run_summarize(args: argparse.Namespace) -> int:
    summarizer = _summarizer(args)

    def handle(text, source):
        summary = summarizer.summarize(text, args.source, sentences=args.sentences, words=args.words,
                                       title=headline(text))
        if summary.unsupported:
            print(f"vnsum: notice: {source.label}: the summary says what the article does not: "
                  f"{', '.join(summary.unsupported)}", file=sys.stderr)
        if args.format == "text":
            return Rendered(summary.text + "\n", len(summary.sentences))
        data = {"file": source.label, "lang": summary.lang, "method": summary.method, "text": summary.text,
                "sentences": summary.sentences, "indices": summary.indices, "notes": summary.notes,
                "unsupported": summary.unsupported,
                "cuts": [[asdict(cut) for cut in cuts] for cuts in summary.cuts]}
        return Rendered(json.dumps(data, ensure_ascii=False, indent=2) + "\n", len(summary.sentences))

    code = run_batch(args, lambda sources: outcomes(sources, each(handle), lang=args.source, max_docs=1),
                     formats=SUMMARY_FORMATS, streamable=None, tgt=args.source)
    _report_usage(args, summarizer)
    return code


def _load(translator, pair: tuple[str, str] | None) -> None:
    """Load the model of a known direction before the first article (see LocalEngine.start)."""
    if pair:
        translator.backend(*pair)


def _report_usage(args: argparse.Namespace, *models) -> None:
    """A line per model on an LLM server (those with ``usage``): its requests, retries and tokens."""
    for model in models:
        if model.usage is not None and not args.quiet:
            print(f"vnsum: LLM server {model.name}: {model.usage}", file=sys.stderr)
