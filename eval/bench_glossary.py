#!/usr/bin/env python
"""How the glossary scales: ``glossary check`` on the whole file, and the matcher over
longer texts and a glossary ``--times`` as large.

    .venv/bin/python eval/bench_glossary.py                      # vn-gov, 10x, the bundled example
    .venv/bin/python eval/bench_glossary.py --text ../shared/examples/mps-dan-van-2022.vi.txt --json out.json

The larger glossary is vn-gov with every row (rules included) copied ``--times - 1`` more
times under a suffix no text holds ("Bộ Công an Kha 3" / "Ministry of Public Security
Kha 3"): each copy shares its whole prefix with a real name, the worst case for a token
trie, and none can match, so both glossaries must find exactly the same terms (checked).
Texts are the article repeated 1, 2, 4 and 8 times (``--sizes``).

Reported, as ratios (the seconds depend on the machine): the check's seconds for each
glossary; the matcher's seconds per 1,000 characters at each size (flat means linear in
the text), the largest size's over the smallest's, and the larger glossary's over the
smaller's at each size (near 1 means the matcher does not grow with the glossary). Medians
over ``--rounds``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from vnsum.glossary import Glossary, check, resolve_glossary

DEFAULT_TEXT = Path(__file__).resolve().parent.parent / "examples" / "bo-cong-an-hoi-nghi.vi.txt"


def grown(path: Path, times: int, out: Path) -> Path:
    """``path`` with each row copied ``times - 1`` more times under a suffix no text holds."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#") or line.startswith("vi\t")]
    rows = [line.split("\t") for line in lines if line and line not in header]
    copies = [[f"{row[0]} Kha {k}", f"{row[1]} Kha {k}", *row[2:3], "", *row[4:5]]
              for k in range(1, times) for row in rows]
    out.write_text("\n".join([*header, *("\t".join(r) for r in [*rows, *copies])]) + "\n", encoding="utf-8")
    return out


def _median(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench(glossary: Path, times: int, text: str, sizes: list[int], rounds: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        big = grown(glossary, times, Path(tmp) / f"{glossary.stem}-x{times}.tsv")
        paths = {"1x": glossary, f"{times}x": big}
        report: dict = {"glossary": str(glossary), "times": times, "check_s": {}, "entries": {}, "match": {}}
        loaded = {}
        for label, path in paths.items():
            report["check_s"][label] = _median(lambda: check(path), rounds)
            loaded[label] = Glossary.load(path)
            report["entries"][label] = len(loaded[label].entries) + len(loaded[label].rules)
        found = {}
        for label, g in loaded.items():
            rows = []
            for n in sizes:
                body = "\n".join([text] * n)
                g.find(body, "vi", "en")  # the trie is built on first use: not a match's cost
                seconds = _median(lambda: g.find(body, "vi", "en"), rounds)
                rows.append({"copies": n, "chars": len(body), "seconds": seconds,
                             "s_per_1000_chars": seconds / len(body) * 1000})
            report["match"][label] = rows
            found[label] = [(m.start, m.end, m.target) for m in g.find(text, "vi", "en")]
    small, large = report["match"].values()
    report["same_matches"] = len(set(map(tuple, found.values()))) == 1
    report["terms_found"] = len(found["1x"])
    report["longest_over_shortest"] = {label: rows[-1]["s_per_1000_chars"] / rows[0]["s_per_1000_chars"]
                                       for label, rows in report["match"].items()}
    report["large_over_small"] = [b["seconds"] / a["seconds"] for a, b in zip(small, large)]
    return report


def table(r: dict) -> str:
    labels = list(r["check_s"])
    out = [f"glossary {r['glossary']}: {r['entries'][labels[0]]} rows; {labels[1]}: {r['entries'][labels[1]]} rows",
           "glossary check: " + "; ".join(f"{label} {r['check_s'][label]:.3f} s" for label in labels),
           f"terms found in the text: {r['terms_found']}, the same with both glossaries: {r['same_matches']}", "",
           "| copies of the text | characters | " + " | ".join(f"{label} s / 1,000 chars" for label in labels)
           + f" | {labels[1]} / {labels[0]} |", "|---" * (3 + len(labels)) + "|"]
    for i, row in enumerate(r["match"][labels[0]]):
        cells = [f"{r['match'][label][i]['s_per_1000_chars']:.4f}" for label in labels]
        out.append(f"| {row['copies']} | {row['chars']:,} | " + " | ".join(cells)
                   + f" | {r['large_over_small'][i]:.2f}x |")
    out.append("")
    out.append("per character, longest text over shortest: "
               + "; ".join(f"{label} {v:.2f}x" for label, v in r["longest_over_shortest"].items()))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--glossary", default="vn-gov", help="bundled name or TSV path (default vn-gov)")
    parser.add_argument("--times", type=int, default=10, help="the larger glossary's size, in copies (default 10)")
    parser.add_argument("--text", type=Path, default=DEFAULT_TEXT, help="a Vietnamese article (default: the example)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 2, 4, 8], help="copies of the text")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write every number here")
    args = parser.parse_args(argv)
    if args.times < 2 or args.rounds < 1 or min(args.sizes) < 1:
        parser.error("--times must be at least 2, --rounds and --sizes at least 1")
    try:
        text = args.text.read_text(encoding="utf-8")
    except OSError as exc:
        parser.error(f"cannot read --text {args.text}: {exc.strerror}")
    report = bench(resolve_glossary(args.glossary), args.times, text, sorted(args.sizes), args.rounds)
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
