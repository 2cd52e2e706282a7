#!/usr/bin/env python3
"""Generate the C header and the Python module from firmware/params.toml.

Why: constants shared by the board and the host must never be copied by hand.
Usage: gen_params.py [--check]   (--check exits 1 if a committed file is stale)
"""
from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "firmware" / "params.toml"
C_OUT = ROOT / "firmware" / "core" / "include" / "sg_params.h"
PY_OUT = ROOT / "host" / "scamguard" / "params.py"
BANNER = "GENERATED from firmware/params.toml by firmware/tools/gen_params.py. Do not edit."


def _walk(table: dict, prefix: tuple[str, ...] = ()):
    """Yield (path, value) for scalars and (path, dict) for enum tables (all-caps keys)."""
    for key, value in table.items():
        path = prefix + (key,)
        if isinstance(value, dict):
            if value and all(k.isupper() for k in value):
                yield path, value
            else:
                yield from _walk(value, path)
        else:
            yield path, value


def _c_literal(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return f"({value})" if value < 0 else str(value)
    if isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return "{" + ", ".join(str(v) for v in value) + "}"  # an initialiser: `T x[] = NAME;`
    if isinstance(value, str) and value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'  # plain ASCII only (e.g. BLE UUIDs): no escaping rules to get wrong
    raise TypeError(f"unsupported constant type {type(value).__name__}")


def render_c(params: dict) -> str:
    lines = [f"/* {BANNER} */", "#ifndef SG_PARAMS_H", "#define SG_PARAMS_H", ""]
    for path, value in _walk(params):
        name = "SG_" + "_".join(p.upper() for p in path)
        if isinstance(value, dict):
            for member, code in value.items():
                lines.append(f"#define {name}_{member} {code}")
        else:
            lines.append(f"#define {name} {_c_literal(value)}")
    lines += ["", "#endif /* SG_PARAMS_H */", ""]
    return "\n".join(lines)


def render_py(params: dict) -> str:
    lines = [f'"""{BANNER}"""', "from enum import IntEnum", ""]
    for path, value in _walk(params):
        if isinstance(value, dict):
            cls = "".join(p.capitalize() for p in path)
            lines.append(f"\nclass {cls}(IntEnum):")
            for member, code in value.items():
                lines.append(f"    {member} = {code}")
            lines.append("")
        else:
            value = tuple(value) if isinstance(value, list) else value
            lines.append(f"{'_'.join(p.upper() for p in path)} = {value!r}")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    params = tomllib.loads(SOURCE.read_text(encoding="utf-8"))
    stale = []
    for out, text in ((C_OUT, render_c(params)), (PY_OUT, render_py(params))):
        current = out.read_text(encoding="utf-8") if out.exists() else None
        if current == text:
            continue
        if check:
            stale.append(out.relative_to(ROOT))
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            print(f"wrote {out.relative_to(ROOT)}")
    if stale:
        print("stale generated files (run `make gen`): " + ", ".join(map(str, stale)), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
