"""Streaming evaluation of the on-chip spotter with the device's own code path.

Every scene is rendered through a channel (clean / telephone / speakerphone, each scene once per
channel) with noise, turned into features by the firmware's C log-mel, and run through the C
model inside sg_kws (sliding-window mean, threshold, cooldown) via ctypes. A hit counts as a
detection when it names a keyword that ended within [-0.1 s, +1.2 s] of the hit (each keyword
matched once); every other hit, wrong-keyword hits included, is a false accept.

    python -m model_export.kws.evaluate tune   # grid on the validation scenes (voices unseen in training)
    python -m model_export.kws.evaluate eval   # held-out voices -> build/kws/eval.json
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys

import numpy as np

from . import features, synth
from .features import dsp

CHANNELS = ["clean", "telephone", "speakerphone"]
EVAL_SETS = ("eval_pos", "eval_inline", "eval_neg", "eval_lib", "eval_inline_other", "eval_neg_other")
WORK = synth.ROOT / "build" / "kws"


def _run_one(args):
    """One scene through each channel and the device path: features (C log-mel), the C model in
    sg_kws with its compiled-in window/cutoff/cooldown -> hits, plus every inference's posteriors."""
    audio, spans, seed, n_kw = args
    rng = np.random.default_rng(seed)
    out = []
    for ch in CHANNELS:
        f, _, _ = features.scene_features(audio, spans, rng, ch)
        hits, post = dsp.kws_stream(f, n_keywords=n_kw)
        sp = [(k, s * 1000 // synth.SR, e * 1000 // synth.SR) for k, s, e in spans]
        out.append({"spans": sp, "channel": ch, "seconds": audio.size / synth.SR, "hits": hits,
                    "post": post, "n_inf": f.shape[0] // features.STRIDE_FRAMES})
    return out


def run(name: str, idx=None, seed: int = 11, procs: int = 3):
    """Every scene x channel of a set, in parallel processes (each loads its own libsgcore)."""
    from multiprocessing import Pool
    n_kw = len(json.loads((synth.ROOT / "model_export" / "artifacts" / "kws_manifest.json").read_text())["labels"]) - 1
    audio, spans, _ = features.load(name)
    idx = range(len(audio)) if idx is None else idx
    with Pool(procs) as pool:
        res = pool.map(_run_one, [(audio[i], spans[i], seed * 100003 + int(i), n_kw) for i in idx], chunksize=2)
    return [r for scene in res for r in scene]


def match(hits, spans):
    """(detected span indices, false accepts) for one stream."""
    used, fa = set(), 0
    for kid, _, t in hits:
        j = next((j for j, (k, s, e) in enumerate(spans) if j not in used and k == kid and e - 100 <= t <= e + 1200), None)
        if j is None:
            fa += 1
        else:
            used.add(j)
    return used, fa


def score(streams, hits_of=lambda r: r["hits"]):
    """Counts per channel: keywords, detected, false accepts, seconds; over all channels also
    per keyword id: [detected, said]."""
    res = {ch: {"keywords": 0, "detected": 0, "false_accepts": 0, "seconds": 0.0} for ch in CHANNELS}
    per_kw: dict[int, list[int]] = {}
    for r in streams:
        found, fa = match(hits_of(r), r["spans"])
        c = res[r["channel"]]
        c["keywords"] += len(r["spans"])
        c["seconds"] += r["seconds"]
        c["detected"] += len(found)
        c["false_accepts"] += fa
        for j, (k, _, _) in enumerate(r["spans"]):
            per_kw.setdefault(int(k), [0, 0])
            per_kw[int(k)][0] += j in found
            per_kw[int(k)][1] += 1
    tot = {k: sum(c[k] for c in res.values()) for k in ("keywords", "detected", "false_accepts", "seconds")}
    tot["per_keyword"] = {str(k): per_kw[k] for k in sorted(per_kw)}
    res["all"] = tot
    for c in res.values():
        c["recall"] = c["detected"] / c["keywords"] if c["keywords"] else None
        c["fa_per_hour"] = c["false_accepts"] / (c["seconds"] / 3600) if c["seconds"] else None
        c["hours"] = c["seconds"] / 3600
    return res


# Cutoffs tried: coarse below 240, every value above (a confident model's operating points
# sit in the last few steps of the 0..255 posterior scale).
THRESHOLDS = list(range(64, 240, 8)) + list(range(240, 256))


# Candidates are compared by their mean validation recall over these FA/h budgets (fixed in the
# fourteenth session, before the models it compares were trained): one budget alone sits on the
# coarse top of the posterior scale and ranked models within noise of each other.
COMPARE_BUDGETS = tuple(range(3, 11))


def recall_within(grid: list[dict], budget: float, part: str | None = None) -> float:
    """Best validation recall among the grid's settings with FA/h <= budget (0 when none is)."""
    rows = [g[part] if part else g for g in grid]
    return max((r["recall"] for r in rows if r["fa_per_hour"] <= budget), default=0.0)


def tune(max_fa_per_hour: float) -> dict:
    """Grid over window and cutoff on the validation scenes: the training set's scenes of unseen
    espeak-ng variants, plus the other engines' validation speaker (val_other) when it has been
    synthesised. The network runs once per stream; sg_kws's own smoothing/cooldown code replays
    its posteriors for each setting."""
    parts = {"espeak": run("train", list(np.load(WORK / "val_scenes.npy")), seed=5)}
    if (features.DATA / "val_other.npz").exists():
        parts["other"] = run("val_other", seed=6)
    val = [r for streams in parts.values() for r in streams]
    best, grid = None, []
    for window in (1, 2, 3, 4, 5):
        for thr in THRESHOLDS:
            replayed = {id(v): dsp.kws_replay(v["post"], v["n_inf"], window, thr, 1500) for v in val}
            r = score(val, lambda v: replayed[id(v)])["all"]
            grid.append({"window": window, "threshold": thr, "recall": r["recall"], "fa_per_hour": r["fa_per_hour"]})
            for part, streams in parts.items():
                pr = score(streams, lambda v: replayed[id(v)])["all"]
                grid[-1][part] = {"recall": pr["recall"], "fa_per_hour": pr["fa_per_hour"]}
            if r["fa_per_hour"] <= max_fa_per_hour and (best is None or r["recall"] > best["recall"]):
                best = grid[-1]
    best = best or min(grid, key=lambda g: (g["fa_per_hour"], -g["recall"]))
    compare = {part: float(np.mean([recall_within(grid, b, part) for b in COMPARE_BUDGETS])) for part in parts}
    compare["all"] = float(np.mean([recall_within(grid, b) for b in COMPARE_BUDGETS]))
    return {"rule": f"max validation recall with FA/h <= {max_fa_per_hour}", "chosen": best,
            "validation_hours": sum(v["seconds"] for v in val) / 3600,
            "validation_parts": {p: sum(v["seconds"] for v in s) / 3600 for p, s in parts.items()},
            "mean_recall_over_budgets": compare, "budgets": list(COMPARE_BUDGETS), "grid": grid}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["tune", "eval"])
    # Half the 10 FA/h target. It was 4.0 until the fourteenth session: the saturated
    # 0-255 scale leaves few operating points near the top, and the wider model had none
    # between 2.1 and 4.8 FA/h, so a 4.0 budget measured the grid's gaps, not the model.
    ap.add_argument("--max-fa", type=float, default=5.0, help="FA/h budget on validation (tune)")
    a = ap.parse_args(argv)
    if a.mode == "tune":
        t = tune(a.max_fa)
        c = t["chosen"]
        print(json.dumps(c), "mean recall over budgets", t["budgets"],
              json.dumps(t["mean_recall_over_budgets"]), file=sys.stderr)
        (WORK / "tuning.json").write_text(json.dumps(t, indent=1))
        return subprocess.call([sys.executable, "-m", "model_export.kws.export_c", "--threshold", str(c["threshold"]),
                                "--window", str(c["window"]), "--cooldown-ms", "1500",
                                "--tuning", json.dumps({k: t[k] for k in ("rule", "chosen", "validation_hours", "validation_parts",
                                                                            "mean_recall_over_budgets", "budgets")})])
    out = {"model": json.loads((synth.ROOT / "model_export" / "artifacts" / "kws_manifest.json").read_text())["version"]}
    for name in EVAL_SETS:
        if not (features.DATA / f"{name}.npz").exists() and name.endswith("_other"):
            continue  # data directories made before the other engines' voices lack these sets
        out[name] = score(run(name))
        print(name, json.dumps(out[name]["all"]), file=sys.stderr)
    (WORK / "eval.json").write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
