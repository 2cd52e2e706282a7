#!/bin/bash
# Tenth session: the English section refitted on every seen English call up to fresh set 9
# (docs/results/test_en.md, "Tenth and eleventh fresh sets: protocol"); $OUT/en_all10.json was
# the packaged calibration until the eleventh session.
exec "$(dirname "$0")/fit_en_section_seen.sh" 9 en_all10 pre10
