"""The omission checks (src/vnsum/omissions.py) measured on references, no model needed.

    python eval/omission_check.py fit-length ../shared/data/train-vi-en/train.vi ../shared/data/train-vi-en/train.en
        prints the length-ratio range per direction (the percentiles of LENGTH_RATIO)
    python eval/omission_check.py fit-lexicon --pair VI EN [--pair VI EN ...] -o models/lexicon.tsv.gz
        fits the lexicon of the clause check (src/vnsum/lexicon.py) on training pairs
    python eval/omission_check.py deletions --pair ../shared/data/vlsp20-news-dev/dev.vi ../shared/data/vlsp20-news-dev/dev.en \
        --pair ../shared/data/iwslt15-tst2012/tst2012.vi ../shared/data/iwslt15-tst2012/tst2012.en
        deletes a number, a name, a quoted span or a clause from correct translations (one
        deletion per copy, each where the sentence has one) and reports the share flagged,
        per kind and direction, and the share of untouched references flagged (counting the
flags that say something is missing: a reference longer than usual is no omission)

A deletion is only made where what is deleted is also in the source (a number the
source has, a name of the source, a quote when the source quotes), so each is an
omission the checks are meant to catch; a clause is a stretch between two commas or
semicolons of at least a quarter of the sentence. Tokenized, HTML-escaped sets (IWSLT) are
made plain first, as `vnsum eval translation` does.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from vnsum import lexicon
from vnsum.metrics.translation import DATA_FORMATS, detect_format
from vnsum.omissions import MIN_RATIO_CHARS, _QUOTE, _names, _numbers, _fold, left_out, omissions


def _lines(path: str) -> list[str]:
    return Path(path).read_text(encoding="utf-8").splitlines()


def fit_length(vi_path: str, en_path: str, low: float, high: float) -> dict:
    vi, en = _lines(vi_path), _lines(en_path)
    out = {}
    for name, (src, tgt) in {"vi-en": (vi, en), "en-vi": (en, vi)}.items():
        ratios = sorted(len(t) / len(s) for s, t in zip(src, tgt) if len(s) >= MIN_RATIO_CHARS and t.strip())
        out[name] = {"pairs": len(ratios), **{f"p{q:g}": round(ratios[min(len(ratios) - 1, int(len(ratios) * q / 100))], 2)
                                              for q in (low, 50, high)}}
    return out


def _deletions(source: str, target: str, src: str, tgt: str) -> dict[str, str]:
    """One damaged copy of ``target`` per kind that can be made, by kind."""
    made = {}
    source_values = set().union(*(v for _, v in _numbers(source, src)))
    numbers = [m for m in re.finditer(r"(?<![\d.,])\d+(?:[.,]\d+)*", target)
               if any(v & source_values for _, v in _numbers(m.group(), tgt))]
    if numbers:
        m = numbers[len(numbers) // 2]
        made["number"] = target[:m.start()] + target[m.end():]
    for name in _names(source, src):
        folded = _fold(name)
        for m in re.finditer(r"[A-ZÀ-Ỹ][\w]*(?: [A-ZÀ-Ỹ][\w]*)+", target):
            if _fold(m.group()) == folded:
                made["name"] = target[:m.start()] + target[m.end():]
                break
        if "name" in made:
            break
    quotes = list(_QUOTE.finditer(target))
    if quotes and _QUOTE.search(source):
        m = quotes[0]
        made["quote"] = target[:m.start()] + target[m.end():]
    cuts = [0, *(m.end() for m in re.finditer(r"[,;]\s", target)), len(target)]
    clauses = [(a, b) for a, b in zip(cuts, cuts[1:]) if b - a >= len(target) / 4 and (a, b) != (0, len(target))]
    if clauses and len(target) >= MIN_RATIO_CHARS:
        a, b = clauses[-1]
        made["clause"] = (target[:a] + target[b:]).rstrip(" ,;") + ("." if b == len(target) else "")
    return {kind: " ".join(text.split()) for kind, text in made.items()}


def deletions(pairs: list[tuple[str, str]]) -> dict:
    report = {}
    for vi_path, en_path in pairs:
        vi, en = _lines(vi_path), _lines(en_path)
        convert = DATA_FORMATS[detect_format(vi + en)]  # IWSLT's escaped, tokenized text made plain
        vi, en = convert(vi, "vi"), convert(en, "en")
        for src, tgt, sources, targets in (("vi", "en", vi, en), ("en", "vi", en, vi)):
            counts: dict[str, list[int]] = {}
            for source, target in zip(sources, targets):
                if not source.strip() or not target.strip():
                    continue
                counts.setdefault("untouched", []).append(bool(left_out(omissions(source, target, src, tgt))))
                for kind, damaged in _deletions(source, target, src, tgt).items():
                    counts.setdefault(kind, []).append(bool(left_out(omissions(source, damaged, src, tgt))))
            deleted = [f for kind, flags in counts.items() if kind != "untouched" for f in flags]
            report[f"{Path(vi_path).parent.name} {src}-{tgt}"] = {
                **{kind: {"n": len(flags), "flagged": round(sum(flags) / len(flags), 3)} for kind, flags in counts.items()},
                "all deletions": {"n": len(deleted), "flagged": round(sum(deleted) / max(len(deleted), 1), 3)}}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    fit = sub.add_parser("fit-length")
    fit.add_argument("vi")
    fit.add_argument("en")
    fit.add_argument("--low", type=float, default=0.5)
    fit.add_argument("--high", type=float, default=99.5)
    dele = sub.add_parser("deletions")
    dele.add_argument("--pair", nargs=2, action="append", required=True, metavar=("VI", "EN"))
    lex = sub.add_parser("fit-lexicon")
    lex.add_argument("--pair", nargs=2, action="append", required=True, metavar=("VI", "EN"))
    lex.add_argument("-o", "--output", default=str(lexicon.lexicon_path()))
    args = parser.parse_args()
    if args.command == "fit-lexicon":
        pairs = [p for vi, en in args.pair for p in zip(_lines(vi), _lines(en), strict=True)]
        fitted = lexicon.fit(pairs)
        fitted.save(args.output)
        result = {"pairs": len(pairs), "output": args.output,
                  "words": {src: len(table) for src, table in fitted.translations.items()}}
    elif args.command == "fit-length":
        result = fit_length(args.vi, args.en, args.low, args.high)
    else:
        result = deletions(args.pair)
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
