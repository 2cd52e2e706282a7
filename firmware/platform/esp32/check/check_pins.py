#!/usr/bin/env python3
"""platformio.ini's -DSG_PIN_* flags must equal Kconfig.projbuild's per-target defaults.

The pins are written in two places on purpose (build flags are what a PlatformIO user edits,
Kconfig is what a plain ESP-IDF build and menuconfig use); this check keeps them equal.
Usage: check_pins.py platformio.ini Kconfig.projbuild
"""
import configparser
import re
import sys

ENV_TARGET = {
    "esp32dev": "IDF_TARGET_ESP32",
    "esp32-s3-devkitc-1": "IDF_TARGET_ESP32S3",
    "esp32-c3-devkitm-1": "IDF_TARGET_ESP32C3",
}


def kconfig_defaults(path):
    """{symbol: [(value, condition-or-None), ...]} for `int` configs."""
    out, sym = {}, None
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\s*config\s+(SG_\w+)\s*$", line)
        if m:
            sym = m.group(1)
            out[sym] = []
            continue
        m = re.match(r"\s*default\s+(-?\d+)(?:\s+if\s+(\w+))?\s*$", line)
        if m and sym:
            out[sym].append((int(m.group(1)), m.group(2)))
    return out


def kconfig_value(defaults, sym, target):
    for value, cond in defaults.get(sym, []):
        if cond is None or cond == target:
            return value
    return None


def main():
    ini, kconfig = sys.argv[1], sys.argv[2]
    cp = configparser.ConfigParser(interpolation=None)
    cp.read(ini, encoding="utf-8")
    defaults = kconfig_defaults(kconfig)
    errors = 0
    for env, target in ENV_TARGET.items():
        section = f"env:{env}"
        if section not in cp:
            print(f"check_pins: [{section}] missing from {ini}")
            errors += 1
            continue
        flags = dict(re.findall(r"-D(SG_PIN_\w+)=(-?\d+)", cp[section].get("build_flags", "")))
        for sym in sorted(s for s in defaults if s.startswith("SG_PIN_")):
            want = kconfig_value(defaults, sym, target)
            got = flags.get(sym)
            if got is None or int(got) != want:
                print(f"check_pins: {env}: {sym} platformio.ini={got} Kconfig={want}")
                errors += 1
    if errors:
        sys.exit(1)
    print(f"check_pins: platformio.ini and Kconfig.projbuild agree for {len(ENV_TARGET)} boards")


if __name__ == "__main__":
    main()
