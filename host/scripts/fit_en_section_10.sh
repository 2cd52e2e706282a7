#!/bin/bash
# Tenth session: the English section refitted, by the packaged recipe, on every seen English
# call (docs/results/test_en.md, "Tenth and eleventh fresh sets: protocol"). The result,
# $OUT/en_all10.json, is the packaged calibration. About 30 min on 2 cores (ASR cached).
set -euo pipefail
cd "$(dirname "$0")/../.."
source host/scripts/calib_steps.sh

SEEN=(cal-en cal-zh cal2-en cal2-zh dev-en en test-en test2-en test3-en test4-en test5-en
      test6-en test7-en test8-en test9-en ${WITH_CAL3:+cal3-en})
require_corpora "${SEEN[@]}"
fit en_all10 $(for s in "${SEEN[@]}"; do printf -- '--audio-corpus %s ' "$C/$s/corpus.jsonl"; done) \
  --target-fpr 0.05 --base docs/results/configs/pre10.json
echo "done: $OUT/en_all10.json"
