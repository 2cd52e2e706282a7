#!/bin/bash
# Sixth session: the English-section candidates of docs/results/test_en.md, each fitted and
# then measured on the seen English sets (dev, results half, first fresh set). Outputs in
# CALIB_OUT (default build/calib). About 40 min on 2 cores. CORPUS_OUT (default build/corpus) holds the
# synthesised corpora; every one must exist before any fitting starts.
set -euo pipefail
cd "$(dirname "$0")/../.."
SG=.venv/bin/scamguard
C=${CORPUS_OUT:-build/corpus}
OUT=${CALIB_OUT:-build/calib}

# corpus dir -> the command that synthesises it (docs/corpus/README.md)
declare -A MAKE_IT=(
  [cal-en]="scamguard corpus synth docs/corpus/calib_calls.jsonl --out $C/cal-en --lang en --engine piper --seed 2 --snr-db 20 --channel phone"
  [cal-zh]="scamguard corpus synth docs/corpus/calib_calls.jsonl --out $C/cal-zh --lang zh --seed 2 --snr-db 20 --channel phone"
  [cal2-en]="scamguard corpus synth docs/corpus/calib_calls_2.jsonl --out $C/cal2-en --lang en --engine piper --seed 2 --snr-db 20 --channel phone"
  [cal2-zh]="scamguard corpus synth docs/corpus/calib_calls_2.jsonl --out $C/cal2-zh --lang zh --seed 2 --snr-db 20 --channel phone"
  [dev-en]="make eval-dev"
  [dev-zh]="make eval-dev"
  [en]="make corpus-en"
  [zh]="make corpus-zh"
  [test-en]="make eval-test-en"
)
missing=0
for d in "${!MAKE_IT[@]}"; do
  if [[ ! -f $C/$d/corpus.jsonl ]]; then
    echo "choose_en_section: $C/$d/corpus.jsonl is missing; make it with: ${MAKE_IT[$d]}" >&2
    missing=1
  fi
done
[[ $missing == 0 ]] || exit 2
mkdir -p "$OUT"

CAL="--audio-corpus $C/cal-en/corpus.jsonl --audio-corpus $C/cal-zh/corpus.jsonl --audio-corpus $C/cal2-en/corpus.jsonl --audio-corpus $C/cal2-zh/corpus.jsonl"
DEV="--audio-corpus $C/dev-en/corpus.jsonl --audio-corpus $C/dev-zh/corpus.jsonl"
RES="--audio-corpus $C/en/corpus.jsonl --audio-corpus $C/zh/corpus.jsonl"
T1="--audio-corpus $C/test-en/corpus.jsonl"

# Run a step with its output in a log; on failure show the end of that log, not just a code.
step() {
  local log=$1; shift
  if ! "$@" > "$log" 2>&1; then
    echo "choose_en_section: failed: $*" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
}
fit() {
  local out=$1; shift
  step "$OUT/$out.log" $SG calibrate "$@" --probe --for-lang en --out "$OUT/$out.json"
  grep "default:" "$OUT/$out.log" | tail -1
}
ev() {
  local cfg=$1 set=$2
  step "$OUT/$cfg.$set.log" $SG eval "$C/$set/corpus.jsonl" --mode audio --strategies default \
    --config "$OUT/$cfg.json" --json "$OUT/$cfg.$set.json" --md "$OUT/$cfg.$set.md"
  grep "^| default" "$OUT/$cfg.$set.md" | head -1 | sed "s/^/$cfg $set /"
}

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
