"""`scamguard flash` without hardware: the plan (images, offsets per chip) and every error
path, with esptool replaced by fakes."""
import os
import pty

import pytest
import serial

from scamguard.board_tools import flash as F

INI = """
[env]
platform = espressif32
[env:esp32dev]
board = esp32dev ; WROOM-32U
[env:esp32dev-test]
extends = env:esp32dev
[env:esp32-s3-devkitc-1]
board = esp32-s3-devkitc-1
[env:esp32-c3-devkitm-1]
board = esp32-c3-devkitm-1
"""


@pytest.fixture
def tree(tmp_path):
    ini = tmp_path / "platformio.ini"
    ini.write_text(INI)
    root = tmp_path / "build"
    for env in ("esp32dev", "esp32dev-test", "esp32-s3-devkitc-1"):
        (root / env).mkdir(parents=True)
        for name in F.IMAGES:
            (root / env / name).write_bytes(b"\xe9" + name.encode())
    return ini, root


@pytest.fixture
def free_port():
    master, slave = pty.openpty()
    yield os.ttyname(slave)
    os.close(master)
    os.close(slave)


def test_env_chip_follows_extends():
    assert F.env_chip("esp32dev") == "esp32"
    assert F.env_chip("esp32dev-test") == "esp32"
    assert F.env_chip("esp32-s3-devkitc-1") == "esp32s3"
    assert F.env_chip("esp32-c3-devkitm-1") == "esp32c3"


@pytest.mark.parametrize("env,boot", [("esp32dev-test", 0x1000), ("esp32-s3-devkitc-1", 0x0)])
def test_offsets_per_chip_and_esptool_command(tree, free_port, env, boot):
    ini, root = tree
    calls = []
    chip = F.env_chip(env, ini)
    p = F.flash_env(free_port, env, 460800, echo=lambda s: None, detect=lambda port, baud: chip,
                    run=lambda args: calls.append(args) or 0, build_root=root, ini=ini)
    assert [off for off, _ in p.images] == [boot, 0x8000, 0x10000]
    args = calls[0]
    assert args[:6] == ["--chip", chip, "--port", free_port, "--baud", "460800"]
    assert args[6] in ("write-flash", "write_flash")
    assert args[7:] == [hex(boot), str(root / env / "bootloader.bin"), "0x8000", str(root / env / "partitions.bin"),
                        "0x10000", str(root / env / "firmware.bin")]


def test_missing_build_names_the_pio_command(tree, free_port):
    ini, root = tree
    (root / "esp32dev" / "partitions.bin").unlink()
    with pytest.raises(F.FlashError, match=r"missing partitions\.bin.*`pio run -e esp32dev`"):
        F.flash_env(free_port, "esp32dev", detect=lambda *a: "esp32", run=lambda a: 0, build_root=root, ini=ini)
    with pytest.raises(F.FlashError, match=r"`pio run -e esp32-c3-devkitm-1`"):
        F.flash_env(free_port, "esp32-c3-devkitm-1", build_root=root, ini=ini)


def test_wrong_chip_is_refused_before_writing(tree, free_port):
    ini, root = tree
    calls = []
    with pytest.raises(F.FlashError, match=r"has an esp32s3 but environment esp32dev is built for esp32"):
        F.flash_env(free_port, "esp32dev", detect=lambda *a: "esp32s3", run=calls.append, build_root=root, ini=ini)
    assert calls == []


def test_busy_port(tree, free_port):
    ini, root = tree
    holder = serial.Serial(free_port, exclusive=True)  # as host-daemon holds a board's port
    try:
        with pytest.raises(F.FlashError, match="is busy: another program holds it"):
            F.flash_env(free_port, "esp32dev", detect=lambda *a: "esp32", run=lambda a: 0, build_root=root, ini=ini)
    finally:
        holder.close()


def test_absent_port(tree):
    ini, root = tree
    with pytest.raises(F.FlashError, match="does not exist: is the board plugged in"):
        F.flash_env("/dev/ttyUSB-nope", "esp32dev", build_root=root, ini=ini)


def test_esptool_failure_is_reported(tree, free_port):
    ini, root = tree
    with pytest.raises(F.FlashError, match="esptool failed with exit status 2"):
        F.flash_env(free_port, "esp32dev", echo=lambda s: None, detect=lambda *a: "esp32", run=lambda a: 2,
                    build_root=root, ini=ini)


def test_unknown_env_lists_the_known_ones():
    with pytest.raises(F.FlashError, match="unknown environment 'esp8266'.*esp32dev-test"):
        F.env_chip("esp8266")


def test_chip_names_from_esptool():
    assert F.normalise_chip("ESP32-S3") == "esp32s3" and F.normalise_chip("ESP32") == "esp32"
    assert F.normalise_chip("ESP32-C3") == "esp32c3"


def test_cli_exit_status_and_message(tmp_path):
    from click.testing import CliRunner

    from scamguard.cli import main

    r = CliRunner().invoke(main, ["flash", "--port", "/dev/ttyUSB-nope", "--env", "esp8266"])
    assert r.exit_code == 2 and "unknown environment" in r.output
