#!/usr/bin/env python3
"""ble_uuids.h: the bytes SG_BLE_UUID128_OF(SG_BLE_SHORT_<X>) gives NimBLE (least-significant
byte first) must equal uuid_<x> in firmware/params.toml [ble], the one definition the host
reads too. Prints the UUIDs."""
import re
import sys
import tomllib
import uuid
from pathlib import Path

PARAMS = Path(__file__).resolve().parents[3] / "params.toml"


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    base = re.search(r"#define SG_BLE_UUID128_BYTES\(lo, hi\)\s*\\\s*\n\s*(.+)", text).group(1)
    tokens = [t.strip() for t in base.split(",")]
    ble = tomllib.loads(PARAMS.read_text(encoding="utf-8"))["ble"]
    strs = {k[len("uuid_"):].upper(): v for k, v in ble.items() if k.startswith("uuid_")}
    shorts = dict(re.findall(r"#define SG_BLE_SHORT_(\w+)\s+(0x[0-9A-Fa-f]+)", text))
    errors = 0
    for name, short in shorts.items():
        s = int(short, 16)
        le = [int(t, 16) if t.startswith("0x") else {"(lo)": s & 0xFF, "(hi)": s >> 8}[t] for t in tokens]
        got = uuid.UUID(bytes=bytes(reversed(le)))
        want = uuid.UUID(strs[name])
        status = "ok" if got == want else "MISMATCH"
        errors += got != want
        print(f"check_uuids: {name.lower():8s} {want} {status}")
    if errors or len(shorts) != len(strs):
        sys.exit(1)


if __name__ == "__main__":
    main()
