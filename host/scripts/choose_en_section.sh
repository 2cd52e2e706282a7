#!/bin/bash
# Sixth session: the English-section candidates of docs/results/test_en.md, each fitted and
# then measured on the seen English sets (dev, results half, first fresh set). Outputs in
# CALIB_OUT (default build/calib). About 40 min on 2 cores. CORPUS_OUT (default build/corpus) holds the
# synthesised corpora; every one must exist before any fitting starts.
set -euo pipefail
cd "$(dirname "$0")/../.."
source host/scripts/calib_steps.sh

require_corpora cal-en cal-zh cal2-en cal2-zh dev-en dev-zh en zh test-en

CAL="--audio-corpus $C/cal-en/corpus.jsonl --audio-corpus $C/cal-zh/corpus.jsonl --audio-corpus $C/cal2-en/corpus.jsonl --audio-corpus $C/cal2-zh/corpus.jsonl"
DEV="--audio-corpus $C/dev-en/corpus.jsonl --audio-corpus $C/dev-zh/corpus.jsonl"
RES="--audio-corpus $C/en/corpus.jsonl --audio-corpus $C/zh/corpus.jsonl"
T1="--audio-corpus $C/test-en/corpus.jsonl"

fit en320_t075 $CAL --target-fpr 0.075
fit en320_t10 $CAL --target-fpr 0.10
for s in dev-en en test-en; do ev en320_t075 $s; ev en320_t10 $s; done
fit pool_no_t1 $CAL $DEV $RES --target-fpr 0.05
ev pool_no_t1 test-en
fit pool_no_res $CAL $DEV $T1 --target-fpr 0.05
ev pool_no_res en
fit pool_no_dev $CAL $RES $T1 --target-fpr 0.05
ev pool_no_dev dev-en
echo done
