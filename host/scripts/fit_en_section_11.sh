#!/bin/bash
# Eleventh session: the English section refitted, by the recipe chosen by leave one set out over
# fresh sets 1-11 (docs/results/test_en.md, "Twelfth and thirteenth fresh sets: protocol"), on
# every seen English call. WITH_CAL3=1 adds the third calibration round. The library is
# phrase_library/ as committed. The result, $OUT/en_all11.json, is the packaged calibration.
# About 30 min on 2 cores (ASR cached).
set -euo pipefail
cd "$(dirname "$0")/../.."
source host/scripts/calib_steps.sh

SEEN=(cal-en cal-zh cal2-en cal2-zh dev-en en test-en test2-en test3-en test4-en test5-en
      test6-en test7-en test8-en test9-en test10-en test11-en ${WITH_CAL3:+cal3-en})
require_corpora "${SEEN[@]}"
fit en_all11 $(for s in "${SEEN[@]}"; do printf -- '--audio-corpus %s ' "$C/$s/corpus.jsonl"; done) \
  --target-fpr 0.05 --base docs/results/configs/pre11.json
echo "done: $OUT/en_all11.json"
