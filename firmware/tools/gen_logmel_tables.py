#!/usr/bin/env python3
"""Generate the log-mel constant tables (window, FFT twiddles, mel weights) from params.toml.

Why: the board has no FPU and the features must be bit-identical everywhere, so every
floating-point computation happens here, once, and the C code only reads integers.
Usage: gen_logmel_tables.py [--check]   (--check exits 1 if the committed file is stale)
"""
from __future__ import annotations

import math
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "firmware" / "params.toml"
OUT = ROOT / "firmware" / "core" / "src" / "sg_logmel_tables.c"
BANNER = "GENERATED from firmware/params.toml by firmware/tools/gen_logmel_tables.py. Do not edit."
Q15 = 32768


def _mel(f: float) -> float:
    return 1127.0 * math.log1p(f / 700.0)


def tables(p: dict, sample_rate: int) -> dict[str, list[int]]:
    n_win, n_fft, n_mels = p["window_samples"], p["fft_size"], p["n_mels"]
    if n_fft & (n_fft - 1) or n_win > n_fft or n_mels > 127:
        raise SystemExit("logmel: fft_size must be a power of two >= window_samples, n_mels <= 127")
    # Periodic Hann, as tf.signal.hann_window(periodic=True) and the microfrontend use.
    window = [min(32767, round(Q15 * (0.5 - 0.5 * math.cos(2 * math.pi * n / n_win)))) for n in range(n_win)]
    cos_t = [min(32767, round(Q15 * math.cos(2 * math.pi * k / n_fft))) for k in range(n_fft // 2)]
    sin_t = [min(32767, round(Q15 * math.sin(2 * math.pi * k / n_fft))) for k in range(n_fft // 2)]
    lo, hi = _mel(p["lower_hz"]), _mel(p["upper_hz"])
    edges = [lo + (hi - lo) * i / (n_mels + 1) for i in range(n_mels + 2)]
    band, weight = [], []
    for k in range(n_fft // 2 + 1):
        m = _mel(k * sample_rate / n_fft)
        j = next((j for j in range(n_mels + 1) if edges[j] <= m < edges[j + 1]), None)
        if j is None:
            band.append(-1)
            weight.append(0)
            continue
        # Bin on the rising side of band j and the falling side of band j - 1.
        band.append(j)
        weight.append(round(Q15 * (m - edges[j]) / (edges[j + 1] - edges[j])))
    return {"window": window, "cos": cos_t, "sin": sin_t, "band": band, "weight": weight}


def _array(ctype: str, name: str, values: list[int]) -> list[str]:
    out = [f"const {ctype} {name}[{len(values)}] = {{"]
    for i in range(0, len(values), 12):
        out.append("    " + ", ".join(str(v) for v in values[i:i + 12]) + ",")
    out.append("};")
    return out


def render(params: dict) -> str:
    t = tables(params["logmel"], params["audio"]["sample_rate_hz"])
    lines = [f"/* {BANNER} */", '#include "sg_logmel_tables.h"', ""]
    lines += _array("int16_t", "sg_logmel_window_q15", t["window"]) + [""]
    lines += _array("int16_t", "sg_logmel_cos_q15", t["cos"]) + [""]
    lines += _array("int16_t", "sg_logmel_sin_q15", t["sin"]) + [""]
    lines.append("/* Per FFT bin: band j on whose rising side the bin lies (-1: outside every band),")
    lines.append(" * and that side's weight in Q15; band j - 1 gets 32768 - weight. */")
    lines += _array("int8_t", "sg_logmel_bin_band", t["band"]) + [""]
    lines += _array("uint16_t", "sg_logmel_bin_weight_q15", t["weight"])
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    params = tomllib.loads(SOURCE.read_text(encoding="utf-8"))
    text = render(params)
    current = OUT.read_text(encoding="utf-8") if OUT.exists() else None
    if current == text:
        return 0
    if "--check" in argv:
        print(f"stale: {OUT.relative_to(ROOT)} (run {Path(__file__).name})", file=sys.stderr)
        return 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
