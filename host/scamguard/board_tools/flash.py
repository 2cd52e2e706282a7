"""Flash a PlatformIO build onto a board through esptool, with errors a maker can act on.

The images and offsets are those of docs/hardware.md: bootloader (0x1000 on the ESP32,
0x0 on the S3 and C3), partition table 0x8000, application 0x10000. The chip each
environment targets comes from platformio.ini (its `board`, following `extends`), so a new
environment needs no change here.
"""
from __future__ import annotations

import configparser
import errno
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import serial

ROOT = Path(__file__).resolve().parents[3]
BOARD_CHIPS = {"esp32dev": "esp32", "esp32-s3-devkitc-1": "esp32s3", "esp32-c3-devkitm-1": "esp32c3"}
BOOTLOADER_OFFSET = {"esp32": 0x1000, "esp32s3": 0x0, "esp32c3": 0x0}
PARTITIONS_OFFSET = 0x8000
APP_OFFSET = 0x10000
IMAGES = ("bootloader.bin", "partitions.bin", "firmware.bin")


class FlashError(RuntimeError):
    pass


def env_chip(env: str, ini: Path = ROOT / "platformio.ini") -> str:
    """esptool's chip name for a PlatformIO environment."""
    cp = configparser.ConfigParser(inline_comment_prefixes=(";",), interpolation=None)
    cp.read(ini)
    section, seen = f"env:{env}", set()
    while section not in seen:
        seen.add(section)
        if not cp.has_section(section):
            known = sorted(s[4:] for s in cp.sections() if s.startswith("env:"))
            raise FlashError(f"unknown environment {env!r}; platformio.ini has {', '.join(known)}")
        if cp.has_option(section, "board") and cp.get(section, "board") in BOARD_CHIPS:
            return BOARD_CHIPS[cp.get(section, "board")]
        if not cp.has_option(section, "extends"):
            break
        section = cp.get(section, "extends").strip()
    raise FlashError(f"environment {env!r} names no known board ({', '.join(BOARD_CHIPS)})")


@dataclass(frozen=True)
class FlashPlan:
    env: str
    chip: str
    images: tuple[tuple[int, Path], ...]

    def esptool_args(self, port: str, baud: int, write_cmd: str) -> list[str]:
        args = ["--chip", self.chip, "--port", port, "--baud", str(baud), write_cmd]
        for offset, path in self.images:
            args += [hex(offset), str(path)]
        return args


def plan(env: str, build_root: Path = ROOT / ".pio" / "build", ini: Path = ROOT / "platformio.ini") -> FlashPlan:
    chip = env_chip(env, ini)
    build = build_root / env
    missing = [name for name in IMAGES if not (build / name).is_file()]
    if missing:
        raise FlashError(f"no complete build for {env} in {build} (missing {', '.join(missing)}): "
                         f"run `pio run -e {env}` first")
    offsets = (BOOTLOADER_OFFSET[chip], PARTITIONS_OFFSET, APP_OFFSET)
    return FlashPlan(env, chip, tuple((off, build / name) for off, name in zip(offsets, IMAGES)))


def check_port_free(port: str) -> None:
    """Fails clearly when the port is absent or another program holds it. esptool would
    otherwise report a sync timeout that sends people looking at the wrong thing."""
    try:
        serial.Serial(port, exclusive=True).close()
    except serial.SerialException as exc:
        text = str(exc)
        if isinstance(exc.__context__, FileNotFoundError) or "No such file" in text:
            raise FlashError(f"{port} does not exist: is the board plugged in? (ls /dev/ttyUSB* /dev/ttyACM*)") from exc
        if isinstance(exc.__context__, PermissionError) or "Permission denied" in text:
            raise FlashError(f"no permission to open {port}: add yourself to the 'dialout' group") from exc
        busy = (isinstance(exc.__context__, OSError) and exc.__context__.errno in (errno.EBUSY, errno.EAGAIN)) \
            or "exclusively lock" in text or "busy" in text.lower()
        if busy:
            raise FlashError(f"{port} is busy: another program holds it (a serial monitor, host-daemon, "
                             "the HIL suite?); close it and try again") from exc
        raise FlashError(f"cannot open {port}: {text}") from exc


def normalise_chip(name: str) -> str:
    """esptool's CHIP_NAME ("ESP32-S3") -> its --chip spelling ("esp32s3")."""
    return name.lower().replace("-", "").replace("_", "")


def detect_chip(port: str, baud: int) -> str:
    from esptool.cmds import detect_chip as esptool_detect

    try:
        loader = esptool_detect(port, baud)
    except Exception as exc:  # esptool raises its own FatalError types, differing by version
        raise FlashError(f"no ESP chip answered on {port}: {exc} (hold BOOT, press RESET, release BOOT, retry)") from exc
    try:
        return normalise_chip(loader.CHIP_NAME)
    finally:
        loader._port.close()


def esptool_write_cmd() -> str:
    import esptool

    return "write-flash" if int(esptool.__version__.split(".")[0]) >= 5 else "write_flash"


def run_esptool(args: list[str]) -> int:
    return subprocess.call([sys.executable, "-m", "esptool", *args])


def flash_env(port: str, env: str, baud: int = 921600, echo: Callable[[str], None] = print,
              detect: Callable[[str, int], str] = detect_chip, run: Callable[[list[str]], int] = run_esptool,
              build_root: Path = ROOT / ".pio" / "build", ini: Path = ROOT / "platformio.ini") -> FlashPlan:
    p = plan(env, build_root, ini)
    check_port_free(port)
    found = detect(port, baud)
    if found != p.chip:
        raise FlashError(f"{port} has an {found} but environment {env} is built for {p.chip}: pick the "
                         f"environment for this board (--env), or the port of the right board")
    echo(f"flashing {env} ({p.chip}) on {port}: " + ", ".join(f"{path.name}@{off:#x}" for off, path in p.images))
    rc = run(p.esptool_args(port, baud, esptool_write_cmd()))
    if rc:
        raise FlashError(f"esptool failed with exit status {rc} (see its output above)")
    return p
