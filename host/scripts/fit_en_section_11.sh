#!/bin/bash
# Eleventh session: recipe R0, chosen by leave one set out over fresh sets 1-11
# (docs/results/test_en.md, "Twelfth and thirteenth fresh sets: protocol"), refitted on every
# seen English call up to fresh set 11; $OUT/en_all11.json is the packaged calibration.
exec "$(dirname "$0")/fit_en_section_seen.sh" 11 en_all11 pre11
