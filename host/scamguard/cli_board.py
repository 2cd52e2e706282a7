"""`scamguard flash` and `scamguard monitor`: a board on the bench (board_tools/)."""
from __future__ import annotations

import sys
import threading

import click


@click.command("flash")
@click.option("--port", required=True, help="Serial port of the board, e.g. /dev/ttyUSB0.")
@click.option("--env", default="esp32dev", show_default=True,
              help="PlatformIO environment whose build to write (esp32dev-test for the HIL suite).")
@click.option("--baud", default=921600, show_default=True)
def flash_command(port: str, env: str, baud: int) -> None:
    """Write bootloader, partition table and app of .pio/build/ENV with esptool."""
    from .board_tools.flash import FlashError, flash_env

    try:
        flash_env(port, env, baud, echo=click.echo)
    except FlashError as exc:
        click.echo(f"scamguard flash: error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"flashed {env}; watch it boot with: scamguard monitor --port {port}")


@click.command("monitor")
@click.option("--port", required=True, help="Serial port or pyserial URL (socket://, rfc2217://).")
@click.option("--baud", default=921600, show_default=True)
@click.option("--handshake", is_flag=True, help="Say HELLO and heartbeat, so the board's link comes up.")
@click.option("--audio", "show_audio", is_flag=True, help="Also print AUDIO frames (50 per second).")
def monitor_command(port: str, baud: int, handshake: bool, show_audio: bool) -> None:
    """Print the board's console lines and decoded protocol frames, one per line (Ctrl-C ends)."""
    import serial

    from .board_tools.monitor import run_monitor

    try:
        ser = serial.serial_for_url(port, baudrate=baud, timeout=0.05, exclusive=True)
    except (serial.SerialException, OSError, ValueError) as exc:
        click.echo(f"scamguard monitor: error: cannot open {port}: {exc}", err=True)
        sys.exit(2)
    try:
        link = run_monitor(ser, click.echo, threading.Event(), handshake, show_audio)
    finally:
        ser.close()
    click.echo(f"decoder: {link.stats()}", err=True)


commands = [flash_command, monitor_command]
