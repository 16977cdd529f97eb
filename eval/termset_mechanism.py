"""Term success rate of the enforcement mechanism alone, with no model at all.

The backend here copies its input: placeholders always come back, and nothing is
translated. So the glossary mode shows what masking + restoring delivers when a model
copies placeholders perfectly (it should be 100%), the no-glossary mode shows what
survives untranslated (names written with diacritics are accepted), and the random
glossary shows the score falls to chance when the glossary's content is wrong. It is a
check of the pipeline and of the metric, not a translation-quality number.

    .venv/bin/python eval/termset_mechanism.py            # both term test sets, a table
    .venv/bin/python eval/termset_mechanism.py -f json
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from vnsum import Glossary, Translator
from vnsum.metrics.terms import TermSuccessRate, random_glossary, read_termset

HERE = Path(__file__).parent
TERMSETS = {"vi-en": HERE / "termset" / "vi-en.tsv", "en-vi": HERE / "termset" / "en-vi.tsv"}


class CopyBackend:
    """A stand-in model that returns every input unchanged (one token per word)."""

    name = "copy (no model)"
    max_input_tokens = 512
    memory_key = "copy"
    placeholders = True
    usage = None

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def generate(self, sentences: Sequence[str], src: str, tgt: str, decoding=None, renderings=None) -> list[str]:
        return list(sentences)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-g", "--glossary", default="vn-gov")
    p.add_argument("-f", "--format", default="text", choices=["text", "json"])
    args = p.parse_args()
    glossary = Glossary.load(args.glossary)
    report = []
    for direction, path in TERMSETS.items():
        src, tgt = direction.split("-")
        rows = read_termset(path)
        scorer = TermSuccessRate(glossary, src, tgt)
        for mode, used in (("none", None), ("glossary", glossary), ("random", random_glossary(glossary, tgt))):
            outputs = Translator(glossary=used, backend=CopyBackend()).translate([r.source for r in rows], src, tgt)
            report.append({"direction": direction, **scorer.score(rows, outputs, mode, used).to_dict()})
    if args.format == "json":
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    print(f"{'direction':<10} {'mode':<9} {'TSR [95% CI]':<20} {'hits':>9} {'consistency':>12}")
    for r in report:
        ci = f"{r['tsr']:.1f} [{r['ci95'][0]:.1f}, {r['ci95'][1]:.1f}]"
        print(f"{r['direction']:<10} {r['mode']:<9} {ci:<20} {r['hits']:>4}/{r['total']:<4} "
              f"{r['consistent']:>5}/{r['repeated']:<6}")
    print(report[0]["signature"])


if __name__ == "__main__":
    main()
