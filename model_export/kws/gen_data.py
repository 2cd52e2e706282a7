"""Synthesise the spotter's audio sets into build/kws/data/*.npz (not committed).

  train     : training voices only; phrase-library sentences without keywords, keywords inserted;
              three scenes in four say each keyword inside its sentence (inline), the rest splice
              it in between pauses (a spotter trained on spliced keywords only found 6 % of the
              keywords said in connected speech); sentences without a keyword sometimes say a
              look-alike word instead (LOOKALIKES: "office" for "officer"), as hard negatives
  eval_pos  : held-out voices; the test corpus's benign call turns with keywords inserted
  eval_neg  : held-out voices; every benign English call of docs/corpus/calls.jsonl, no insertion
  eval_lib  : held-out voices; the benign phrase library (same text as training, unseen voices)
  eval_inline: as eval_pos, but each keyword said inside its sentence in one utterance
              (eval_pos and train splice a separately spoken keyword in between pauses)
  train_other, val_other: as train, said by the other engines' training / validation speakers
              (synth.OTHER_VOICES: flite and festival); train.py trains on the first and
              validates on the second with the unseen espeak-ng variants
  eval_inline_other, eval_neg_other: as eval_inline / eval_neg (each call twice), said by the
              other engines' held-out speaker

    python -m model_export.kws.gen_data [--scenes 3000] [--other-scenes 1200] [--seed 1] [--only SET ...]
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


# Words that share sounds with an on-chip keyword, said in training sentences as hard negatives:
# the spotter must learn where "officer" ends and "office" begins, not just that /of/ is near.
LOOKALIKES = {
    "deposit": ["position", "opposite", "composite", "depot", "positive", "the post"],
    "release": ["relief", "realise", "please", "police", "lease", "relays"],
    "officer": ["office", "offer", "official", "offset", "awfully", "offers"],
    "wallet": ["wall", "walnut", "ballot", "valid", "wallpaper", "what a lot"],
    "bitcoin": ["bitter", "a bit", "coin", "bitten", "biscuit", "big coin"],
    "withdraw": ["with", "draw", "drawer", "withhold", "without", "with straw"],
}


def lookalikes(kws: list[str]) -> list[str]:
    """Look-alike words of these keywords; none may contain a keyword (it would be a positive)."""
    words = [w for k in kws for w in LOOKALIKES.get(k, [])]
    bad = [w for w in words if synth._contains_keyword(w, kws)]
    if bad:
        raise ValueError(f"look-alike words contain a keyword: {bad}")
    return words


def _job(args):
    seed, sentences, kws, kw_prob, pool, inline, *rest = args
    look, look_prob = rest or (None, 0.0)  # only training jobs carry look-alike words
    rng = np.random.default_rng(seed)
    s = synth.build_scene(rng, sentences, kws, kw_prob, pool, inline=inline, lookalikes=look, lookalike_prob=look_prob)
    return s.audio, s.spans, s.voice


def _save(name: str, jobs) -> None:
    with Pool(2) as pool:
        res = pool.map(_job, jobs, chunksize=4)
    audio = [(np.clip(a, -1, 1) * 32767).astype(np.int16) for a, _, _ in res]
    np.savez(OUT / f"{name}.npz", audio=np.array(audio, dtype=object), spans=np.array([s for _, s, _ in res], dtype=object),
             voice=np.array([v for _, _, v in res]), allow_pickle=True)
    hours = sum(a.size for a in audio) / synth.SR / 3600
    print(f"{name}: {len(audio)} scenes, {hours:.2f} h, {sum(len(s) for _, s, _ in res)} keywords")


SETS = ("eval_inline", "train", "eval_pos", "eval_neg", "eval_lib",
        "train_other", "val_other", "eval_inline_other", "eval_neg_other")


def jobs_of(name: str, a, kws: list[str]) -> list[tuple]:
    """The scene jobs of one set. Each set draws its sentences from its own random stream, so
    no set changes when another one's size or recipe does."""
    calls = synth.corpus_calls("en", "benign")
    turns = [t for c in calls for t in c if not any(k in t.lower() for k in kws)]
    if name in ("eval_inline", "eval_inline_other"):
        other = name.endswith("_other")
        rng = np.random.default_rng(a.seed + (17 if other else 7))
        pool, base = ("other_heldout", 160000) if other else ("heldout", 60000)
        return [(a.seed * 100000 + base + i, list(rng.choice(turns, 5)), kws, 0.7, pool, True) for i in range(160)]
    if name in ("train", "train_other", "val_other"):
        # The other engines' sets are drawn like the espeak-ng training set, from streams of
        # their own (seeds offset by 11 and 13), so the espeak-ng set stays exactly as it was.
        n, off, pool = {"train": (a.scenes, 0, "train"), "train_other": (a.other_scenes, 11, "other_train"),
                        "val_other": (a.other_val_scenes, 13, "other_val")}[name]
        rng = np.random.default_rng(a.seed + off * 1000)
        sentences = synth.library_sentences("en", kws)
        said_inline = np.random.default_rng(a.seed + 3 + off * 1000).random(n) < a.inline_share
        look = lookalikes(kws)
        base = {"train": 0, "train_other": 10 ** 8, "val_other": 2 * 10 ** 8}[name]
        return [(base + a.seed * 100000 + i, list(rng.choice(sentences, 6)), kws, 0.6, pool, bool(said_inline[i]), look,
                 a.lookalike_prob) for i in range(n)]
    if name == "eval_pos":
        rng = np.random.default_rng(a.seed + 5)
        return [(a.seed * 100000 + 50000 + i, list(rng.choice(turns, 5)), kws, 0.7, "heldout", False) for i in range(160)]
    if name == "eval_neg":  # each benign call three times, each time by a random held-out voice and variant
        return [(a.seed * 100000 + 70000 + 10 * i + j, c, kws, 0.0, "heldout", False) for i, c in enumerate(calls) for j in range(3)]
    if name == "eval_neg_other":  # each benign call twice, by the held-out speaker of the other engines
        return [(a.seed * 100000 + 170000 + 10 * i + j, c, kws, 0.0, "other_heldout", False) for i, c in enumerate(calls) for j in range(2)]
    lib = [json.loads(x)["text"] for x in (synth.ROOT / "phrase_library" / "en_benign.jsonl").open(encoding="utf-8") if x.strip()]
    return [(a.seed * 100000 + 90000 + i, lib[i:i + 6], kws, 0.0, "heldout", False) for i in range(0, len(lib), 6)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenes", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--other-scenes", type=int, default=1200, help="training scenes of the other engines' voices")
    ap.add_argument("--other-val-scenes", type=int, default=150, help="validation scenes of the other engines' voices")
    ap.add_argument("--inline-share", type=float, default=0.75, help="share of training scenes said inline")
    ap.add_argument("--lookalike-prob", type=float, default=0.3,
                    help="chance that a training sentence without a keyword says a look-alike word")
    ap.add_argument("--only", choices=SETS, action="append", default=None,
                    help="synthesise just this set (repeatable; each set takes minutes to tens of minutes)")
    a = ap.parse_args(argv)
    if not 0 < a.scenes <= 50000:  # scene i is seeded seed*100000 + i, below the held-out sets' seeds
        ap.error("--scenes must be between 1 and 50000")
    if not (0 <= a.other_scenes <= 50000 and 0 <= a.other_val_scenes <= 50000):
        ap.error("--other-scenes and --other-val-scenes must be between 0 and 50000")
    OUT.mkdir(parents=True, exist_ok=True)
    kws = keywords()
    for name in a.only or SETS:
        _save(name, jobs_of(name, a, kws))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
