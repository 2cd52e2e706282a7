"""Pickle the calibration evidence of audio corpora in build/corpus/ (3 s, cached ASR).
Usage: python build_ev.py NAME...   (e.g. cal-en test8-en)"""
import os, pickle, sys, time
sys.path.insert(0, ".")
from common import EMB, EVIDENCE, LIB
from scamguard.audio_eval.calib_evidence import audio_calibration_evidence
from scamguard.evaluation.corpus import load_corpus

os.makedirs(EVIDENCE, exist_ok=True)
for name in sys.argv[1:]:
    p = f"../../../../build/corpus/{name}/corpus.jsonl"
    t = time.time()
    ev = audio_calibration_evidence(p, load_corpus(p), 3.0, EMB, LIB, 5,
                                    asr_cache="../../../../build/audio_eval/asr_cache.jsonl")
    pickle.dump(ev, open(f"{EVIDENCE}/{name}.pkl", "wb"))
    print(name, len(ev), round(time.time() - t, 1), flush=True)
