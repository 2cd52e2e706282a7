"""Synthesise the spotter's audio sets into build/kws/data/*.npz (not committed).

  train     : training voices only; phrase-library sentences without keywords, keywords inserted;
              three scenes in four say each keyword inside its sentence (inline), the rest splice
              it in between pauses (a spotter trained on spliced keywords only found 6 % of the
              keywords said in connected speech)
  eval_pos  : held-out voices; the test corpus's benign call turns with keywords inserted
  eval_neg  : held-out voices; every benign English call of docs/corpus/calls.jsonl, no insertion
  eval_lib  : held-out voices; the benign phrase library (same text as training, unseen voices)
  eval_inline: as eval_pos, but each keyword said inside its sentence in one utterance
              (eval_pos and train splice a separately spoken keyword in between pauses)

    python -m model_export.kws.gen_data [--scenes 700] [--seed 1]
"""
from __future__ import annotations

import argparse
import json
from multiprocessing import Pool
from pathlib import Path

import numpy as np

from . import synth

OUT = synth.ROOT / "build" / "kws" / "data"


def keywords(lang: str = "en") -> list[str]:
    d = json.loads((synth.ROOT / "phrase_library" / "keywords.json").read_text(encoding="utf-8"))
    return d["languages"][lang]["on_chip"]


def _job(args):
    seed, sentences, kws, kw_prob, heldout, inline = args
    rng = np.random.default_rng(seed)
    s = synth.build_scene(rng, sentences, kws, kw_prob, heldout, inline=inline)
    return s.audio, s.spans, s.voice


def _save(name: str, jobs) -> None:
    with Pool(2) as pool:
        res = pool.map(_job, jobs, chunksize=4)
    audio = [(np.clip(a, -1, 1) * 32767).astype(np.int16) for a, _, _ in res]
    np.savez(OUT / f"{name}.npz", audio=np.array(audio, dtype=object), spans=np.array([s for _, s, _ in res], dtype=object),
             voice=np.array([v for _, _, v in res]), allow_pickle=True)
    hours = sum(a.size for a in audio) / synth.SR / 3600
    print(f"{name}: {len(audio)} scenes, {hours:.2f} h, {sum(len(s) for _, s, _ in res)} keywords")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenes", type=int, default=700)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--inline-share", type=float, default=0.75, help="share of training scenes said inline")
    ap.add_argument("--only", choices=["train", "eval_inline"], default=None,
                    help="synthesise just this set (each set takes minutes to tens of minutes)")
    a = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    kws = keywords()
    calls = synth.corpus_calls("en", "benign")
    turns = [t for c in calls for t in c if not any(k in t.lower() for k in kws)]
    if a.only in (None, "eval_inline"):
        inline_rng = np.random.default_rng(a.seed + 7)
        _save("eval_inline", [(a.seed * 100000 + 60000 + i, list(inline_rng.choice(turns, 5)), kws, 0.7, True, True)
                              for i in range(160)])
    rng = np.random.default_rng(a.seed)
    pool = synth.library_sentences("en", kws)
    said_inline = np.random.default_rng(a.seed + 3).random(a.scenes) < a.inline_share  # own stream: eval_pos unchanged
    train = [(a.seed * 100000 + i, list(rng.choice(pool, 6)), kws, 0.6, False, bool(said_inline[i])) for i in range(a.scenes)]
    if a.only in (None, "train"):
        _save("train", train)
    if a.only:
        return 0
    pos = [(a.seed * 100000 + 50000 + i, list(rng.choice(turns, 5)), kws, 0.7, True, False) for i in range(160)]
    _save("eval_pos", pos)
    # Each benign call three times, each time by a random held-out voice and variant.
    neg = [(a.seed * 100000 + 70000 + 10 * i + j, c, kws, 0.0, True, False) for i, c in enumerate(calls) for j in range(3)]
    _save("eval_neg", neg)
    lib = [json.loads(x)["text"] for x in (synth.ROOT / "phrase_library" / "en_benign.jsonl").open(encoding="utf-8") if x.strip()]
    libj = [(a.seed * 100000 + 90000 + i, lib[i:i + 6], kws, 0.0, True, False) for i in range(0, len(lib), 6)]
    _save("eval_lib", libj)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
