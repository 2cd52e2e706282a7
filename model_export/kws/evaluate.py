"""Streaming evaluation of the on-chip spotter with the device's own code path.

Every scene is rendered through a channel (clean / telephone / speakerphone, each scene once per
channel) with noise, turned into features by the firmware's C log-mel, and run through the C
model inside sg_kws (sliding-window mean, threshold, cooldown) via ctypes. A hit counts as a
detection when it names a keyword that ended within [-0.1 s, +1.2 s] of the hit (each keyword
matched once); every other hit, wrong-keyword hits included, is a false accept.

    python -m model_export.kws.evaluate tune   # grid on the validation scenes (training voices)
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
WORK = synth.ROOT / "build" / "kws"


def _render_one(args):
    audio, spans, seed = args
    rng = np.random.default_rng(seed)
    out = []
    for ch in CHANNELS:
        f, _, _ = features.scene_features(audio, spans, rng, ch)
        sp = [(k, s * 1000 // synth.SR, e * 1000 // synth.SR) for k, s, e in spans]
        out.append((f, sp, ch, audio.size / synth.SR))
    return out


def render(name: str, idx=None, seed: int = 11, procs: int = 3):
    """[(features, spans in ms, channel, seconds)] for every scene x channel."""
    from multiprocessing import Pool
    audio, spans, _ = features.load(name)
    idx = range(len(audio)) if idx is None else idx
    with Pool(procs) as pool:
        res = pool.map(_render_one, [(audio[i], spans[i], seed * 100003 + int(i)) for i in idx], chunksize=4)
    return [r for scene in res for r in scene]


def match(hits, spans):
    """(detected, false accepts) for one stream."""
    used, det, fa = set(), 0, 0
    for kid, _, t in hits:
        j = next((j for j, (k, s, e) in enumerate(spans) if j not in used and k == kid and e - 100 <= t <= e + 1200), None)
        if j is None:
            fa += 1
        else:
            used.add(j)
            det += 1
    return det, fa


def score(rendered, hits_of):
    """Counts per channel: keywords, detected, false accepts, seconds; hits_of(i, features)."""
    res = {ch: {"keywords": 0, "detected": 0, "false_accepts": 0, "seconds": 0.0} for ch in CHANNELS}
    for i, (f, spans, ch, secs) in enumerate(rendered):
        det, fa = match(hits_of(i, f), spans)
        r = res[ch]
        r["keywords"] += len(spans)
        r["seconds"] += secs
        r["detected"] += det
        r["false_accepts"] += fa
    tot = {k: sum(r[k] for r in res.values()) for k in ("keywords", "detected", "false_accepts", "seconds")}
    res["all"] = tot
    for r in res.values():
        r["recall"] = r["detected"] / r["keywords"] if r["keywords"] else None
        r["fa_per_hour"] = r["false_accepts"] / (r["seconds"] / 3600) if r["seconds"] else None
        r["hours"] = r["seconds"] / 3600
    return res


def device_hits(i, f):
    """The full device path with the model's compiled-in window/cutoff/cooldown."""
    return dsp.kws_stream(f)[0]


def tune(max_fa_per_hour: float) -> dict:
    """Grid over window and cutoff on validation scenes (training voices). The network runs once
    per stream; sg_kws's own smoothing/cooldown code replays its posteriors for each setting."""
    val = render("train", list(np.load(WORK / "val_scenes.npy")), seed=5)
    n_kw = len(json.loads((synth.ROOT / "model_export" / "artifacts" / "kws_manifest.json").read_text())["labels"]) - 1
    posts = []
    for f, *_ in val:
        _, post = dsp.kws_stream(f, n_keywords=n_kw)
        posts.append((post, f.shape[0] // features.STRIDE_FRAMES))
    best, grid = None, []
    for window in (1, 2, 3, 4, 5):
        for thr in range(64, 256, 8):
            r = score(val, lambda i, f: dsp.kws_replay(posts[i][0], posts[i][1], window, thr, 1500))["all"]
            grid.append({"window": window, "threshold": thr, "recall": r["recall"], "fa_per_hour": r["fa_per_hour"]})
            if r["fa_per_hour"] <= max_fa_per_hour and (best is None or r["recall"] > best["recall"]):
                best = grid[-1]
    best = best or min(grid, key=lambda g: (g["fa_per_hour"], -g["recall"]))
    return {"rule": f"max validation recall with FA/h <= {max_fa_per_hour}", "chosen": best,
            "validation_hours": sum(v[3] for v in val) / 3600, "grid": grid}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["tune", "eval"])
    ap.add_argument("--max-fa", type=float, default=4.0, help="FA/h budget on validation (tune)")
    a = ap.parse_args(argv)
    if a.mode == "tune":
        t = tune(a.max_fa)
        c = t["chosen"]
        print(json.dumps(c), file=sys.stderr)
        (WORK / "tuning.json").write_text(json.dumps(t, indent=1))
        return subprocess.call([sys.executable, "-m", "model_export.kws.export_c", "--threshold", str(c["threshold"]),
                                "--window", str(c["window"]), "--cooldown-ms", "1500",
                                "--tuning", json.dumps({k: t[k] for k in ("rule", "chosen", "validation_hours")})])
    out = {"model": json.loads((synth.ROOT / "model_export" / "artifacts" / "kws_manifest.json").read_text())["version"]}
    for name in ("eval_pos", "eval_neg", "eval_lib"):
        out[name] = score(render(name), device_hits)
        print(name, json.dumps(out[name]["all"]), file=sys.stderr)
    (WORK / "eval.json").write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
