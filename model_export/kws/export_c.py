"""kws.tflite -> firmware/core/src/sg_kws_model_data.c + model_export/artifacts/kws_manifest.json.

Reads the flatbuffer with TensorFlow's generated schema (training environment) and writes the
graph as a constant layer table for sg_kws_model.c. The requantisation multipliers/shifts and
the softmax exp table are computed here, the way TFLite's kernels compute them at Prepare time:
    multiplier = double(input_scale) * double(weight_scale[c]) / double(output_scale),
    frexp -> Q31 mantissa rounded half away from zero, exponent as the shift;
    softmax table[255 - d] = expf(float(-input_scale * beta) * d) with the C library's expf.
    python -m model_export.kws.export_c [--threshold N --window N --cooldown-ms N]
"""
from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import hashlib
import json
import math
import struct
import tomllib

import numpy as np
from tensorflow.lite.python import schema_py_generated as S

from . import features, synth

ART = synth.ROOT / "model_export" / "artifacts"
C_OUT = synth.ROOT / "firmware" / "core" / "src" / "sg_kws_model_data.c"
OPS = {S.BuiltinOperator.CONV_2D: "SG_KWS_OP_CONV2D", S.BuiltinOperator.DEPTHWISE_CONV_2D: "SG_KWS_OP_DWCONV2D",
       S.BuiltinOperator.AVERAGE_POOL_2D: "SG_KWS_OP_AVGPOOL", S.BuiltinOperator.MAX_POOL_2D: "SG_KWS_OP_MAXPOOL",
       S.BuiltinOperator.FULLY_CONNECTED: "SG_KWS_OP_FC", S.BuiltinOperator.SOFTMAX: "SG_KWS_OP_SOFTMAX"}
_libm = ctypes.CDLL(ctypes.util.find_library("m"))
_libm.expf.argtypes, _libm.expf.restype = [ctypes.c_float], ctypes.c_float


def quantize_multiplier(m: float) -> tuple[int, int]:
    if m == 0.0:
        return 0, 0
    q, shift = math.frexp(m)
    q_fixed = math.floor(q * (1 << 31) + 0.5)  # q > 0: half away from zero
    if q_fixed == 1 << 31:
        q_fixed //= 2
        shift += 1
    if shift < -31:
        return 0, 0
    if shift > 30:
        return (1 << 31) - 1, 30
    return q_fixed, shift


def f32(x) -> float:
    return float(np.float32(x))


def act_range(fused: int, scale: float, zp: int) -> tuple[int, int]:
    if fused == S.ActivationFunctionType.NONE:
        return -128, 127
    if fused == S.ActivationFunctionType.RELU:
        return max(-128, zp), 127
    if fused == S.ActivationFunctionType.RELU6:
        return max(-128, zp), min(127, zp + int(np.round(np.float32(6.0) / np.float32(scale))))
    raise ValueError(f"unsupported fused activation {fused}")


def same_pad(n_in: int, k: int, stride: int, padding: int) -> tuple[int, int]:
    """(output size, leading pad) as TFLite computes them for SAME (0) / VALID (1)."""
    if padding == S.Padding.SAME:
        out = (n_in + stride - 1) // stride
        return out, max((out - 1) * stride + k - n_in, 0) // 2
    return (n_in - k + stride) // stride, 0


def carr(ctype: str, name: str, vals, per_line: int = 24) -> str:
    vals = list(vals)
    rows = [", ".join(str(v) for v in vals[i:i + per_line]) for i in range(0, len(vals), per_line)]
    return f"static const {ctype} {name}[{len(vals)}] = {{\n    " + ",\n    ".join(rows) + "\n};\n"


def hexf(x: float) -> str:
    return float(np.float32(x)).hex() + "f" if x != 0 else "0.0f"


def export(tfl: bytes, labels, threshold: int, window: int, cooldown_ms: int, version: str):
    m = S.ModelT.InitFromObj(S.Model.GetRootAsModel(tfl, 0))
    g = m.subgraphs[0]
    T = g.tensors

    def q(ti):
        qp = T[ti].quantization
        return [f32(s) for s in qp.scale], [int(z) for z in qp.zeroPoint]

    def data(ti, dtype):
        return np.frombuffer(bytes(m.buffers[T[ti].buffer].data), dtype=dtype)

    def shape(ti):
        s = list(T[ti].shape)
        s = s[1:] if len(s) == 4 else [1, 1, s[-1]]
        return tuple(int(v) for v in s)

    src, layers, arena, n_weight_bytes = [], [], 0, 0
    in_t = g.inputs[0]
    s_in, z_in = q(in_t)
    if T[in_t].type != S.TensorType.INT8 or s_in != [1.0] or z_in != [0]:
        raise SystemExit(f"model input must be int8 with scale 1, zero point 0 (the raw features), got {s_in} {z_in}")
    if list(T[in_t].shape) != [1, features.FRAMES, 40, 1]:
        raise SystemExit(f"unexpected input shape {list(T[in_t].shape)}")
    ops = [op for op in g.operators]
    for i, op in enumerate(ops):
        oc = m.operatorCodes[op.opcodeIndex]
        code = max(oc.builtinCode, oc.deprecatedBuiltinCode)
        if code == S.BuiltinOperator.RESHAPE:
            continue  # NHWC flatten: the bytes do not move
        if code not in OPS:
            raise SystemExit(f"operator {code} has no int8 kernel on the board")
        x, y = op.inputs[0], op.outputs[0]
        (sx, zx), (sy, zy) = q(x), q(y)
        ish, osh = shape(x), shape(y)
        if y != g.outputs[0]:
            arena = max(arena, int(np.prod(osh)))
        opt = op.builtinOptions
        L = {"op": OPS[code], "in": ish, "out": osh, "win": [0, 0, 1, 1, 0, 0], "zp": (zx[0], zy[0]),
             "act": (-128, 127), "w": "NULL", "b": "NULL", "rq": "{NULL, NULL, 0, 0}", "sm": "{NULL, 0.0f, 0}"}
        if code in (S.BuiltinOperator.CONV_2D, S.BuiltinOperator.DEPTHWISE_CONV_2D, S.BuiltinOperator.FULLY_CONNECTED):
            w_t, b_t = op.inputs[1], op.inputs[2] if len(op.inputs) > 2 else -1
            sw, zw = q(w_t)
            if any(zw):
                raise SystemExit("weights must be symmetric (zero point 0)")
            w = data(w_t, np.int8)
            wshape = list(T[w_t].shape)
            src.append(carr("int8_t", f"w{i}", w))
            n_weight_bytes += w.size
            L["w"] = f"w{i}"
            if b_t >= 0:
                b = data(b_t, "<i4")
                src.append(carr("int32_t", f"b{i}", b, 12))
                n_weight_bytes += 4 * b.size
                L["b"] = f"b{i}"
            mults = [quantize_multiplier(sx[0] * s / sy[0]) for s in sw]
            src.append(carr("int32_t", f"m{i}", [mm for mm, _ in mults], 8))
            src.append(carr("int8_t", f"s{i}", [ss for _, ss in mults]))
            n_weight_bytes += 5 * len(mults)
            # Rounding as LiteRT's reference kernels do it, measured per operator: FC rounds once.
            single = int(code == S.BuiltinOperator.FULLY_CONNECTED)
            L["rq"] = f"{{m{i}, s{i}, {len(mults)}, {single}}}"
            L["act"] = act_range(opt.fusedActivationFunction, sy[0], zy[0])
            if code != S.BuiltinOperator.FULLY_CONNECTED:
                if getattr(opt, "dilationHFactor", 1) != 1 or getattr(opt, "dilationWFactor", 1) != 1:
                    raise SystemExit("dilated convolution not supported")
                kh, kw = wshape[1], wshape[2]
                oh, pt = same_pad(ish[0], kh, opt.strideH, opt.padding)
                ow, pl = same_pad(ish[1], kw, opt.strideW, opt.padding)
                assert (oh, ow) == osh[:2], (oh, ow, osh)
                L["win"] = [kh, kw, opt.strideH, opt.strideW, pt, pl]
        elif code in (S.BuiltinOperator.AVERAGE_POOL_2D, S.BuiltinOperator.MAX_POOL_2D):
            if (sx, zx) != (sy, zy):
                raise SystemExit("int8 pooling needs equal input/output quantisation")
            kh, kw = opt.filterHeight, opt.filterWidth
            oh, pt = same_pad(ish[0], kh, opt.strideH, opt.padding)
            ow, pl = same_pad(ish[1], kw, opt.strideW, opt.padding)
            assert (oh, ow) == osh[:2]
            L["win"] = [kh, kw, opt.strideH, opt.strideW, pt, pl]
            L["act"] = act_range(opt.fusedActivationFunction, sy[0], zy[0])
        elif code == S.BuiltinOperator.SOFTMAX:
            if abs(sy[0] - 1 / 256) > 0 or zy[0] != -128:
                raise SystemExit("softmax output must be scale 1/256, zero point -128")
            scale = np.float32(-sx[0]) * np.float32(opt.beta)
            table = [0.0] * 256
            for d in range(256):
                table[255 - d] = _libm.expf(float(np.float32(scale * np.float32(d))))
            src.append(f"static const float t{i}[256] = {{\n    " +
                       ",\n    ".join(", ".join(hexf(v) for v in table[r:r + 8]) for r in range(0, 256, 8)) + "\n};\n")
            n_weight_bytes += 1024
            L["sm"] = f"{{t{i}, {hexf(sy[0])}, {zy[0]}}}"
        layers.append(L)
    rows = []
    for L in layers:
        w = L["win"]
        rows.append(f"    {{{L['op']}, {{{L['in'][0]}, {L['in'][1]}, {L['in'][2]}}}, {{{L['out'][0]}, {L['out'][1]}, {L['out'][2]}}},\n"
                    f"     {{{w[0]}, {w[1]}, {w[2]}, {w[3]}, {w[4]}, {w[5]}, {L['zp'][0]}, {L['zp'][1]}, {L['act'][0]}, {L['act'][1]}}},\n"
                    f"     {L['w']}, {L['b']}, {L['rq']}, {L['sm']}}}")
    n_classes = layers[-1]["out"][2]
    assert n_classes == len(labels), (n_classes, labels)
    text = ("/* GENERATED by model_export/kws/export_c.py from model_export/artifacts/kws.tflite. Do not edit:\n"
            " * run `make kws-train` (or `make kws-export`). Model " + version + ". */\n"
            '#include <stddef.h>\n#include "sg_kws_model.h"\n\n' + "\n".join(src) +
            f"\nstatic const sg_kws_layer_t layers[{len(layers)}] = {{\n" + ",\n".join(rows) + "\n};\n\n" +
            "static const char *const labels[] = {" + ", ".join(json.dumps(s, ensure_ascii=False) for s in labels) + "};\n\n" +
            f"const sg_kws_graph_t sg_kws_graph = {{{features.FRAMES}, 40, {features.STRIDE_FRAMES}, {n_classes}, {window}, "
            f"{threshold}, {cooldown_ms}, {len(layers)}, {arena}, layers, labels, \"{version}\"}};\n")
    return text, {"weight_bytes": n_weight_bytes, "arena_bytes": arena, "layers": len(layers)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    old = json.loads((ART / "kws_manifest.json").read_text()) if (ART / "kws_manifest.json").exists() else {}
    st = old.get("streaming", {})
    ap.add_argument("--threshold", type=int, default=st.get("probability_cutoff", 200))
    ap.add_argument("--window", type=int, default=st.get("sliding_window_size", 3))
    ap.add_argument("--cooldown-ms", type=int, default=st.get("cooldown_ms", 1500))
    ap.add_argument("--tuning", type=str, default=None, help="JSON with how the thresholds were chosen")
    a = ap.parse_args(argv)
    tfl = (ART / "kws.tflite").read_bytes()
    sha = hashlib.sha256(tfl).hexdigest()
    info = json.loads((synth.ROOT / "build" / "kws" / "train_info.json").read_text()) if (synth.ROOT / "build" / "kws" / "train_info.json").exists() else old.get("training", {})
    labels = info.get("labels") or old["labels"]
    version = f"en-{sha[:12]}"
    text, sizes = export(tfl, labels, a.threshold, a.window, a.cooldown_ms, version)
    C_OUT.write_text(text)
    params = tomllib.loads((synth.ROOT / "firmware" / "params.toml").read_text())["logmel"]
    manifest = {
        "type": "scamguard-kws", "version": version, "language": "en", "sha256": sha, "labels": labels,
        "features": {"source": "firmware/core/src/sg_logmel.c (int8)", "sample_rate_hz": 16000, **params,
                     "window_frames": features.FRAMES, "stride_frames": features.STRIDE_FRAMES},
        "input": {"dtype": "int8", "shape": [1, features.FRAMES, 40, 1], "scale": 1.0, "zero_point": 0},
        "output": {"dtype": "int8", "scale": 1 / 256, "zero_point": -128, "posterior": "int8 + 128, classes 1..n"},
        "streaming": {"sliding_window_size": a.window, "probability_cutoff": a.threshold, "cooldown_ms": a.cooldown_ms,
                      "tuning": json.loads(a.tuning) if a.tuning else st.get("tuning")},
        "sizes": {**sizes, "tflite_bytes": len(tfl)},
        "training": info,
        "c_data": str(C_OUT.relative_to(synth.ROOT)),
    }
    (ART / "kws_manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(manifest["sizes"]), manifest["streaming"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
