"""Record the feature windows for the C-vs-LiteRT parity test (model_export/artifacts/parity.npz).

Windows come from held-out-voice scenes through all three channels: half are windows that hold
a keyword, half are plain speech/silence, so every softmax class and the saturated ends of the
int8 ranges are exercised. The expected outputs are what ai-edge-litert's reference kernels
compute on kws.tflite; the file also records that the C model agreed when the set was made.
    python -m model_export.kws.parity_set [--n 48]
"""
from __future__ import annotations

import argparse

import numpy as np

from . import evaluate, features, synth
from .features import dsp

ART = synth.ROOT / "model_export" / "artifacts"


def litert(tflite_path, windows: np.ndarray) -> np.ndarray:
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    it = Interpreter(model_path=str(tflite_path),
                     experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    i, o = it.get_input_details()[0], it.get_output_details()[0]
    out = []
    for w in windows:
        it.set_tensor(i["index"], w.reshape(i["shape"]).astype(np.int8))
        it.invoke()
        out.append(it.get_tensor(o["index"]).reshape(-1).copy())
    return np.stack(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=48)
    a = ap.parse_args(argv)
    rng = np.random.default_rng(3)
    audio, spans_all, _ = features.load("eval_pos")
    rendered = [features.scene_features(audio[i], spans_all[i], rng, ch)[:2] for i in range(8) for ch in evaluate.CHANNELS]
    pos, neg = [], []
    for f, spans in rendered:
        for k, s, e in spans:  # spans in frames: windows ending a few frames after the keyword
            end = min(e + 5, f.shape[0] - 1)
            if end >= features.FRAMES - 1:
                pos.append(f[end - features.FRAMES + 1:end + 1])
        for end in rng.integers(features.FRAMES - 1, f.shape[0], 4):
            neg.append(f[end - features.FRAMES + 1:end + 1])
    pick = lambda xs, n: [xs[i] for i in rng.choice(len(xs), min(n, len(xs)), replace=False)]
    x = np.stack(pick(pos, a.n // 2) + pick(neg, a.n - a.n // 2)).astype(np.int8)
    expected = litert(ART / "kws.tflite", x)
    c = np.stack([dsp.model_run_window(w, expected.shape[1]) for w in x])
    mismatches = int(np.sum(np.any(c != expected, axis=1)))
    np.savez_compressed(ART / "parity.npz", x=x, expected=expected)
    print(f"parity set: {len(x)} windows, classes argmax {np.bincount(expected.argmax(1))}, C mismatches {mismatches}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
