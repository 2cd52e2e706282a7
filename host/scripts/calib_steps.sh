# Sourced by the choose_en_section scripts: check the corpora, fit an English section, score a
# set with it, each step logged. CORPUS_OUT (default build/corpus) holds the synthesised
# corpora; outputs go to CALIB_OUT (default build/calib).
SG=.venv/bin/scamguard
C=${CORPUS_OUT:-build/corpus}
OUT=${CALIB_OUT:-build/calib}
WHO=$(basename "$0" .sh)

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
  [test2-en]="make eval-test2-en"
  [test3-en]="make eval-test3-en"
  [test4-en]="make eval-test45-en"
  [test5-en]="make eval-test45-en"
  [test6-en]="make eval-test67-en"
  [test7-en]="make eval-test67-en"
  [test8-en]="make eval-test89-en"
  [test9-en]="make eval-test89-en"
  [test10-en]="make eval-test1011-en"
  [test11-en]="make eval-test1011-en"
  [test12-en]="make eval-test1213-en"
  [test13-en]="make eval-test1213-en"
  [cal3-en]="scamguard corpus synth docs/corpus/calib_calls_3_en.jsonl --out $C/cal3-en --lang en --engine piper --seed 14 --snr-db 20 --channel phone"
)

# require_corpora DIR...: every corpus must exist before any fitting starts, so a missing one
# costs seconds, not an hour.
require_corpora() {
  local d missing=0
  for d in "$@"; do
    if [[ ! -f $C/$d/corpus.jsonl ]]; then
      echo "$WHO: $C/$d/corpus.jsonl is missing; make it with: ${MAKE_IT[$d]}" >&2
      missing=1
    fi
  done
  [[ $missing == 0 ]] || exit 2
  mkdir -p "$OUT"
}

# Run a step with its output in a log; on failure show the end of that log, not just a code.
step() {
  local log=$1; shift
  if ! "$@" > "$log" 2>&1; then
    echo "$WHO: failed: $*" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
}

# fit NAME CALIBRATE-ARGS...: an English section (with the probe) into $OUT/NAME.json
fit() {
  local out=$1; shift
  step "$OUT/$out.log" $SG calibrate "$@" --probe --for-lang en --out "$OUT/$out.json"
  grep "default:" "$OUT/$out.log" | tail -1
}

# ev NAME SET: score corpus SET with $OUT/NAME.json; prints the default strategy's row with
# its confusion counts (TP/FP/TN/FN)
ev() {
  local cfg=$1 set=$2
  step "$OUT/$cfg.$set.log" $SG eval "$C/$set/corpus.jsonl" --mode audio --strategies default \
    --config "$OUT/$cfg.json" --json "$OUT/$cfg.$set.json" --md "$OUT/$cfg.$set.md"
  grep "^| default" "$OUT/$cfg.$set.md" | tail -1 | sed "s/^/$cfg $set /"
}
