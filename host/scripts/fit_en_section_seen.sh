#!/bin/bash
# The English section refitted by the packaged recipe (probe, target FPR 5 %, 3 s) on every seen
# English call: the calibration rounds, the dev calls, the results half and fresh sets 1..LAST
# (docs/results/test_en.md). WITH_CAL3=1 adds the third calibration round. The library is
# phrase_library/ as committed. Writes $OUT/NAME.json on top of docs/results/configs/BASE.json.
# About 30 min on 2 cores (ASR cached).
# Usage: fit_en_section_seen.sh LAST NAME BASE   (e.g. 11 en_all11 pre11)
set -euo pipefail
cd "$(dirname "$0")/../.."
source host/scripts/calib_steps.sh

if [[ $# != 3 || ! $1 =~ ^[0-9]+$ || $1 -lt 1 ]]; then
  echo "usage: $0 LAST NAME BASE   (fresh sets 1..LAST, output \$OUT/NAME.json, base docs/results/configs/BASE.json)" >&2
  exit 2
fi
last=$1 name=$2 base=docs/results/configs/$3.json
[[ -f $base ]] || { echo "$WHO: no base calibration $base" >&2; exit 2; }

SEEN=(cal-en cal-zh cal2-en cal2-zh dev-en en test-en)
for ((i = 2; i <= last; i++)); do SEEN+=("test$i-en"); done
[[ -n ${WITH_CAL3:-} ]] && SEEN+=(cal3-en)
require_corpora "${SEEN[@]}"
fit "$name" $(for s in "${SEEN[@]}"; do printf -- '--audio-corpus %s ' "$C/$s/corpus.jsonl"; done) \
  --target-fpr 0.05 --base "$base"
echo "done: $OUT/$name.json"
