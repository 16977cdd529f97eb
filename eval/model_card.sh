#!/bin/sh
# Every number of a model card (models/vnsum-mini.md), for one model:
#   FLORES-200 devtest and VLSP 2020 news test, both directions: beam 4 with the glossary,
#   beam 4 without it, greedy with it (BLEU, chrF2++, TER with sacrebleu signatures);
#   term success on eval/termset with and without the glossary; speed on ViMs news articles.
#
#   eval/model_card.sh [MODEL] [DATA_DIR] [OUT_DIR]
#   eval/model_card.sh vnsum-mini ../shared/data out/card
#
# Writes one JSON report per run into OUT_DIR and prints a summary table at the end.
# The translation memory is off: every sentence is decoded.
set -eu
MODEL=${1:-vnsum-mini}
DATA=${2:-../shared/data}
OUT=${3:-out/card}
VNSUM=${VNSUM:-.venv/bin/vnsum}
mkdir -p "$OUT"

translate() {  # name src-file ref-file src tgt options...
  name=$1 srcfile=$2 reffile=$3 src=$4 tgt=$5
  shift 5
  "$VNSUM" eval translation --src "$srcfile" --ref "$reffile" -s "$src" -t "$tgt" --model "$MODEL" --no-tm -q \
    -o "$OUT/$name.txt" "$@" > "$OUT/$name.json"
}

for dir in "vi en" "en vi"; do
  set -- $dir
  src=$1 tgt=$2
  flores_lang() { [ "$1" = vi ] && echo vie_Latn || echo eng_Latn; }
  for set in flores vlsp; do
    if [ $set = flores ]; then
      s=$DATA/flores200-devtest/$(flores_lang $src).devtest r=$DATA/flores200-devtest/$(flores_lang $tgt).devtest
    else
      s=$DATA/vlsp20-news-tst/tst.$src r=$DATA/vlsp20-news-tst/tst.$tgt
    fi
    translate "$set.$src-$tgt.beam4" "$s" "$r" $src $tgt --beam-size 4
    translate "$set.$src-$tgt.beam4.no-glossary" "$s" "$r" $src $tgt --beam-size 4 --no-glossary
    translate "$set.$src-$tgt.greedy" "$s" "$r" $src $tgt --greedy
  done
  # modes none (no glossary), glossary (enforced) and random, in one run
  "$VNSUM" eval terms --src eval/termset/$src-$tgt.tsv -s $src -t $tgt --model "$MODEL" --no-tm -q > "$OUT/terms.$src-$tgt.json"
done
"$VNSUM" eval speed --src "$DATA/vims-dev/data/Cluster_001" "$DATA/vims-dev/data/Cluster_002" -s vi -t en \
  --model "$MODEL" --no-tm -q > "$OUT/speed.vi-en.json"

"${PYTHON:-.venv/bin/python}" - "$OUT" <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
for path in sorted(out.glob("*.json")):
    data = json.loads(path.read_text())
    if "scores" in data:
        s = {x["name"]: x["score"] for x in data["scores"]}
        print(f"{path.stem:<34} BLEU {s['BLEU']:6.2f}  chrF2++ {s['chrF2++']:6.2f}  "
              f"terms {data['system']['term_counts']}  outputs {data['system'].get('output_counts')}")
    else:
        print(f"{path.stem:<34} {json.dumps(data)[:300]}")
PY
