#!/bin/sh
# FLORES-200 devtest with a real model, both directions: the pipeline without the
# glossary, the pipeline with it, and their paired bootstrap comparison.
#
#   eval/run_flores.sh [MODEL] [FLORES_DIR] [OUT_DIR]
#   eval/run_flores.sh opus-mt ../shared/data/flores200-devtest out/eval
#
# Needs the model's weights (`vnsum models pull MODEL` on a connected machine). Writes
# the translations (*.txt) and the JSON reports into OUT_DIR; eval/README.md says how
# to read them next to the published scores.
set -eu
MODEL=${1:-opus-mt}
FLORES=${2:-../shared/data/flores200-devtest}
OUT=${3:-out/eval}
VNSUM=${VNSUM:-.venv/bin/vnsum}
mkdir -p "$OUT"

for pair in "vi vie_Latn en eng_Latn" "en eng_Latn vi vie_Latn"; do
  set -- $pair
  src=$1 srcfile=$FLORES/$2.devtest tgt=$3 reffile=$FLORES/$4.devtest
  run="$OUT/flores.$MODEL.$src-$tgt"
  "$VNSUM" eval translation --src "$srcfile" --ref "$reffile" -s "$src" -t "$tgt" --model "$MODEL" \
    --no-glossary -o "$run.no-glossary.txt" > "$run.no-glossary.json"
  "$VNSUM" eval translation --src "$srcfile" --ref "$reffile" -s "$src" -t "$tgt" --model "$MODEL" \
    -o "$run.glossary.txt" > "$run.glossary.json"
  "$VNSUM" eval translation --src "$srcfile" --ref "$reffile" -s "$src" -t "$tgt" \
    --hyp "$run.glossary.txt" --compare-hyp "$run.no-glossary.txt" -f text | tee "$run.compare.txt"
done
