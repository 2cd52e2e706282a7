#!/usr/bin/env python3
"""ble_uuids.h: each SG_BLE_UUID_<X>_STR must equal the bytes SG_BLE_UUID128_OF(SG_BLE_SHORT_<X>)
gives NimBLE (least-significant byte first). Prints the UUIDs for the host side."""
import re
import sys
import uuid


def main():
    text = open(sys.argv[1], encoding="utf-8").read()
    base = re.search(r"#define SG_BLE_UUID128_BYTES\(lo, hi\)\s*\\\s*\n\s*(.+)", text).group(1)
    tokens = [t.strip() for t in base.split(",")]
    strs = dict(re.findall(r'#define SG_BLE_UUID_(\w+)_STR\s+"([0-9a-f-]+)"', text))
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
