"""Leave one set out over fresh sets 1-7: the English section with and without the kwb
feature (apply ../kwb_feature.patch for `kwb`; `base` runs on either tree).
Usage: python cv.py TARGET_FPR base|kwb"""
import sys
sys.path.insert(0, ".")
import scamguard.calibrate as C
from common import leave_one_set_out

HELD = ["test-en", "test2-en", "test3-en", "test4-en", "test5-en", "test6-en", "test7-en"]

if __name__ == "__main__":
    target, variant = float(sys.argv[1]), sys.argv[2]
    if variant == "base":  # calibrate() fits every feature in FEATURES: leave kwb out
        C.FEATURES = tuple(f for f in C.FEATURES if f != "kwb")
    leave_one_set_out(HELD, target, variant)
