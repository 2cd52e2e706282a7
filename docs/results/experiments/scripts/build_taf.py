"""Pickle TAF calib-half evidence at 3 s (analysis only)."""
import pickle, sys, time
sys.path.insert(0, ".")
from common import EMB, EVIDENCE, LIB
from scamguard.evaluation.corpus import load_corpus, select
from scamguard.evaluation.runner import build_evidence
from scamguard.evaluation.streaming import SpeakingRate
from scamguard.evaluation.embed_cache import EmbeddingCache
calls = load_corpus("/tmp/sg/taf_dev.jsonl")
part = sys.argv[1]
sel = select(calls, part, 4)
cache = EmbeddingCache(EMB, "/tmp/sg/emb3.npz")
t = time.time()
ev = build_evidence(sel, 3.0, SpeakingRate(), cache, LIB, 5, transcripts=(part == "calib"))
cache.save()
pickle.dump(ev, open(f"{EVIDENCE}/taf_{part}.pkl", "wb"))
print(part, len(ev), sum(len(e.segments) for e in ev), round(time.time() - t, 1), flush=True)
