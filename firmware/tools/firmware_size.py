#!/usr/bin/env python3
"""Cross-compile every firmware/core/src/*.c for RV32IMC and Xtensa and report sizes.

Why: the ESP32-C3 budget is checked on every change, not discovered on the board. Each
module is compiled on its own with -Os -Wall -Wextra -Werror; the size tool gives .text,
.data and .bss per module. A tiny translation unit that places one sg_app_t statically
makes the application state count as RAM, as it will on the board.
Budgets (issues 5 and 6): the core, models excluded, flash = text + data <= 64 KB and static
RAM = data + bss <= 48 KB; the keyword model (sg_kws_model*.c: graph runner, its activation
arena, and the weight arrays in sg_kws_model_data*.c) has its own: weights <= 64 KB,
working memory <= 32 KB. Exit 1 if any is exceeded.

Usage: firmware_size.py [--out build/firmware-check] [--markdown FILE]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "firmware" / "core" / "src"
INC = ROOT / "firmware" / "core" / "include"
FLASH_LIMIT = 64 * 1024
RAM_LIMIT = 48 * 1024
MODEL_WEIGHTS_LIMIT = 64 * 1024
MODEL_RAM_LIMIT = 32 * 1024
COMMON = ["-std=c99", "-Os", "-Wall", "-Wextra", "-Werror", "-ffunction-sections", "-fdata-sections", f"-I{INC}"]
TOOLCHAINS = {
    "rv32imc": (["riscv64-unknown-elf-gcc", "-march=rv32imc", "-mabi=ilp32", "-misa-spec=2.2",
                 "--specs=picolibc.specs"], "riscv64-unknown-elf-size"),
    "xtensa-lx106": (["xtensa-lx106-elf-gcc"], "xtensa-lx106-elf-size"),
}
APP_TU = '#include "sg_app_impl.h"\nstatic sg_app_t app;\nvoid *sg_size_app_anchor(void) { return &app; }\n'


def sources(out: Path) -> list[Path]:
    files = sorted(SRC.glob("*.c"))
    if (INC / "sg_app_impl.h").exists():
        tu = out / "static_app.c"
        tu.write_text(APP_TU, encoding="utf-8")
        files.append(tu)
    return files


def compile_and_size(isa: str, files: list[Path], out: Path) -> list[tuple[str, int, int, int]]:
    cc, size = TOOLCHAINS[isa]
    rows = []
    for src in files:
        obj = out / isa / (src.stem + ".o")
        obj.parent.mkdir(parents=True, exist_ok=True)
        cmd = cc + COMMON + ["-c", str(src), "-o", str(obj)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode:
            sys.stderr.write(f"{isa}: compiling {src.name} failed:\n{proc.stderr}")
            raise SystemExit(1)
        # Berkeley format: text data bss dec hex filename
        line = subprocess.run([size, str(obj)], capture_output=True, text=True, check=True).stdout.splitlines()[1]
        text, data, bss = (int(v) for v in line.split()[:3])
        rows.append((src.stem, text, data, bss))
    return rows


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "build" / "firmware-check"))
    ap.add_argument("--markdown", help="write the tables as markdown to this file")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    files = sources(out)
    failed = False
    md = []
    for isa in TOOLCHAINS:
        rows = compile_and_size(isa, files, out)
        model = [r for r in rows if r[0].startswith("sg_kws_model")]
        weights = [r for r in model if r[0].startswith("sg_kws_model_data")]
        rows = [r for r in rows if r not in model]
        t = sum(r[1] for r in rows)
        d = sum(r[2] for r in rows)
        b = sum(r[3] for r in rows)
        flash, ram = t + d, d + b
        m_weights = sum(r[1] + r[2] for r in weights)
        m_ram = sum(r[2] + r[3] for r in model if r not in weights)
        print(f"\n== {isa} ({len(rows)} objects, -Os) ==")
        print(f"{'module':<22}{'text':>8}{'data':>8}{'bss':>8}")
        md += [f"### {isa}", "", "| module | .text | .data | .bss |", "|---|---:|---:|---:|"]
        for name, tx, da, bs in rows:
            print(f"{name:<22}{tx:>8}{da:>8}{bs:>8}")
            md.append(f"| {name} | {tx} | {da} | {bs} |")
        print(f"{'total':<22}{t:>8}{d:>8}{b:>8}")
        verdict_f = "ok" if flash <= FLASH_LIMIT else "OVER"
        verdict_r = "ok" if ram <= RAM_LIMIT else "OVER"
        print(f"flash (text+data) {flash} B / {FLASH_LIMIT} B {verdict_f}; "
              f"static RAM (data+bss) {ram} B / {RAM_LIMIT} B {verdict_r}")
        md += [f"| **total** | **{t}** | **{d}** | **{b}** |", "",
               f"flash (text+data) **{flash} B** of {FLASH_LIMIT} B; static RAM (data+bss) **{ram} B** of {RAM_LIMIT} B.", ""]
        failed |= flash > FLASH_LIMIT or ram > RAM_LIMIT
        if model:
            print(f"keyword model: " + ", ".join(f"{n} {tx}/{da}/{bs}" for n, tx, da, bs in model))
            ok_w, ok_r = m_weights <= MODEL_WEIGHTS_LIMIT, m_ram <= MODEL_RAM_LIMIT
            print(f"keyword model weights {m_weights} B / {MODEL_WEIGHTS_LIMIT} B {'ok' if ok_w else 'OVER'}; "
                  f"working memory {m_ram} B / {MODEL_RAM_LIMIT} B {'ok' if ok_r else 'OVER'}")
            md += [f"Keyword model (own budget): weights **{m_weights} B** of {MODEL_WEIGHTS_LIMIT} B; "
                   f"working memory **{m_ram} B** of {MODEL_RAM_LIMIT} B.", ""]
            failed |= not (ok_w and ok_r)
    if args.markdown:
        Path(args.markdown).write_text("\n".join(md), encoding="utf-8")
    if failed:
        print("firmware-check: over budget", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
