"""Coverage of the genre: the share of annotated official names the glossary finds with
the right English, by kind.

No model is involved: this measures the glossary (its rows, rules and the name
detector), which decides what any model is told. A mention counts as *right* when the
glossary matches exactly its words and accepts the annotated English (the preferred
rendering or a variant); *wrong* when it matches those words with another rendering;
*partial* when a match only overlaps them; *missed* otherwise. Matches that overlap no
annotation are listed as *unannotated*, to read for precision ("hòa bình", peace, must
not become the province Hòa Bình).

    .venv/bin/python eval/coverage.py                   # eval/coverage/mentions.tsv, vn-gov, a table
    .venv/bin/python eval/coverage.py -g vn-gov -g mine.tsv -f json
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from vnsum import __version__
from vnsum.glossary import KINDS, TermMatch
from vnsum.stacking import load_stack
from vnsum.text import match_key

HERE = Path(__file__).parent
MENTIONS = HERE / "coverage" / "mentions.tsv"
OUTCOMES = ("right", "wrong", "partial", "missed")


@dataclass(frozen=True)
class Mention:
    """One annotated official name: where it is in its sentence and the English it needs."""

    sentence_id: str
    kind: str
    text: str
    expected: str
    start: int
    end: int


@dataclass(frozen=True)
class Outcome:
    mention: Mention
    status: str
    got: str  # the glossary's rendering of the matched span ("" when missed)


def read_mentions(path: Path) -> list[tuple[str, str, list[Mention]]]:
    """(id, sentence, mentions) per line; mentions are listed in the order they occur, so
    one is looked for after the one before it ("Chính phủ" inside "Thủ tướng Chính phủ"
    first, then on its own)."""
    out = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#") or line.startswith("id\t"):
            continue
        sid, sentence, annotated = line.split("\t")
        mentions, cursor = [], 0
        for item in annotated.split("; "):
            kind, text, expected = item.split("|")
            if kind not in KINDS:
                raise ValueError(f"{path}:{lineno}: kind {kind!r} is not one of {', '.join(KINDS)}")
            start = sentence.find(text, cursor)
            if start < 0:
                raise ValueError(f"{path}:{lineno}: {text!r} is not in the sentence after the mention before it")
            cursor = start + len(text)
            mentions.append(Mention(sid, kind, text, expected, start, start + len(text)))
        out.append((sid, sentence, mentions))
    return out


def judge(mention: Mention, matches: list[TermMatch]) -> Outcome:
    """What the glossary did with one mention."""
    same = next((m for m in matches if (m.start, m.end) == (mention.start, mention.end)), None)
    if same is not None:
        right = match_key(mention.expected) in {match_key(a) for a in same.accepted}
        return Outcome(mention, "right" if right else "wrong", same.target)
    overlap = next((m for m in matches if m.start < mention.end and mention.start < m.end), None)
    return Outcome(mention, "partial", overlap.target) if overlap else Outcome(mention, "missed", "")


def evaluate(path: Path, specs: list[str]) -> dict:
    glossary = load_stack(specs).glossary
    outcomes: list[Outcome] = []
    unannotated: list[dict] = []
    for sid, sentence, mentions in read_mentions(path):
        matches = glossary.find(sentence, "vi", "en")
        outcomes.extend(judge(m, matches) for m in mentions)
        unannotated.extend({"id": sid, "text": m.text, "got": m.target} for m in matches
                           if not any(m.start < x.end and x.start < m.end for x in mentions))
    by_kind = {}
    for kind in KINDS:
        counts = Counter(o.status for o in outcomes if o.mention.kind == kind)
        total = sum(counts.values())
        if total:
            by_kind[kind] = {"total": total, **{s: counts[s] for s in OUTCOMES},
                             "share_right": round(100 * counts["right"] / total, 1)}
    right = sum(o.status == "right" for o in outcomes)
    return {
        "signature": f"COV|glossary:{glossary.name}@{glossary.sha}|dir:vi-en|match:exact-span|"
                     f"rendering:accepted|case:insensitive|version:{__version__}",
        "mentions": len(outcomes), "sentences": len({o.mention.sentence_id for o in outcomes}),
        "share_right": round(100 * right / len(outcomes), 1), "by_kind": by_kind,
        "not_right": [asdict(o.mention) | {"status": o.status, "got": o.got} for o in outcomes if o.status != "right"],
        "unannotated": unannotated,
    }


def _text(report: dict) -> str:
    lines = [report["signature"], f"{report['mentions']} mentions in {report['sentences']} sentences: "
             f"{report['share_right']}% right", "",
             f"{'kind':<7} {'total':>5} {'right':>5} {'wrong':>5} {'partial':>7} {'missed':>6} {'% right':>7}"]
    for kind, k in report["by_kind"].items():
        lines.append(f"{kind:<7} {k['total']:>5} {k['right']:>5} {k['wrong']:>5} {k['partial']:>7} "
                     f"{k['missed']:>6} {k['share_right']:>7}")
    lines += ["", "Not right:"]
    lines += [f"  {o['sentence_id']} {o['kind']} {o['status']}: {o['text']!r} -> {o['got']!r} "
              f"(expected {o['expected']!r})" for o in report["not_right"]]
    lines += ["", "Unannotated matches (read for precision):"]
    lines += [f"  {u['id']}: {u['text']!r} -> {u['got']!r}" for u in report["unannotated"]]
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mentions", type=Path, default=MENTIONS)
    p.add_argument("-g", "--glossary", action="append", help="repeat to stack (default vn-gov)")
    p.add_argument("-f", "--format", default="text", choices=["text", "json"])
    args = p.parse_args()
    report = evaluate(args.mentions, args.glossary or ["vn-gov"])
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.format == "json" else _text(report))


if __name__ == "__main__":
    main()
