#!/usr/bin/env python3
"""Seed the fuzz corpus from the golden vectors, so libFuzzer starts from valid frames and
payloads instead of having to discover COBS framing and the CRC by itself.

Each seed's first byte selects the fuzz target's mode: 0x00 = wire stream, 0x01 = payload.
Usage: fuzz_seeds.py OUT_DIR
"""
from __future__ import annotations

import sys
from pathlib import Path

VECTORS = Path(__file__).resolve().parents[1] / "test" / "vectors"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for line in (VECTORS / "frames.hex").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split()
        payload, wire = bytes.fromhex(fields[2]) if fields[2] != "-" else b"", bytes.fromhex(fields[3])
        (out / f"frame{n:03d}").write_bytes(b"\x00" + wire)
        (out / f"payload{n:03d}").write_bytes(b"\x01" + payload)
        n += 1
    for line in (VECTORS / "stream.hex").read_text().splitlines():
        if line.startswith("stream "):
            (out / f"stream{n:03d}").write_bytes(b"\x00" + bytes.fromhex(line.split()[1]))
            n += 1
    print(f"{n} seed groups in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
