#!/bin/bash
# Sixth session: the English-section candidates of docs/results/test_en.md, each fitted and
# then measured on the seen English sets (dev, results half, first fresh set). Outputs in
# build/calib/. Needs the synthesised corpora (make corpus-en, corpus-zh, eval-dev,
# eval-test-en, and the calibration sets as in docs/corpus/README.md). About 40 min.
set -e
cd "$(dirname "$0")/../.."
mkdir -p build/calib
SG=.venv/bin/scamguard
C=build/corpus
CAL="--audio-corpus $C/cal-en/corpus.jsonl --audio-corpus $C/cal-zh/corpus.jsonl --audio-corpus $C/cal2-en/corpus.jsonl --audio-corpus $C/cal2-zh/corpus.jsonl"
DEV="--audio-corpus $C/dev-en/corpus.jsonl --audio-corpus $C/dev-zh/corpus.jsonl"
RES="--audio-corpus $C/en/corpus.jsonl --audio-corpus $C/zh/corpus.jsonl"
T1="--audio-corpus $C/test-en/corpus.jsonl"
fit() { out=$1; shift; $SG calibrate "$@" --probe --for-lang en --out build/calib/$out.json > build/calib/$out.log 2>&1; grep "default:" build/calib/$out.log | tail -1; }
ev() { cfg=$1; set=$2; $SG eval $C/$set/corpus.jsonl --mode audio --strategies default --config build/calib/$cfg.json --json build/calib/$cfg.$set.json --md build/calib/$cfg.$set.md > /dev/null 2>&1; grep "^| default" build/calib/$cfg.$set.md | head -1 | sed "s/^/$cfg $set /"; }
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
