"""The host's strict WAV reader: the one format, or a message naming what was found."""
import struct
import wave

import numpy as np
import pytest

from scamguard.audio.wav import WavFormatError, read_pcm16, write_pcm16


def _wav(path, rate=16000, channels=1, width=2, frames=b"\x01\x00" * 10):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(frames)
    return path


def test_round_trip(tmp_path):
    pcm = np.array([0, 1, -1, 32767, -32768], np.int16)
    write_pcm16(tmp_path / "a.wav", pcm)
    assert np.array_equal(read_pcm16(tmp_path / "a.wav"), pcm)


@pytest.mark.parametrize("kwargs, message", [
    ({"rate": 44100}, "sample rate 44100 Hz, expected 16000 Hz"),
    ({"channels": 2, "frames": b"\x00" * 40}, "2 channels, expected mono"),
    ({"width": 1}, "8-bit samples, expected 16-bit"),
])
def test_wrong_format_is_named(tmp_path, kwargs, message):
    with pytest.raises(WavFormatError, match=message):
        read_pcm16(_wav(tmp_path / "x.wav", **kwargs))


def test_truncated_data_chunk(tmp_path):
    path = _wav(tmp_path / "t.wav", frames=b"\x01\x00" * 1000)
    path.write_bytes(path.read_bytes()[:-500])
    with pytest.raises(WavFormatError, match="data chunk truncated"):
        read_pcm16(path)


def test_not_riff_and_float(tmp_path):
    (tmp_path / "n.wav").write_bytes(b"hello, not audio")
    with pytest.raises(WavFormatError, match="not a RIFF/WAVE file"):
        read_pcm16(tmp_path / "n.wav")
    fmt = struct.pack("<HHIIHH", 3, 1, 16000, 64000, 4, 32)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", 4) + b"\x00" * 4
    (tmp_path / "f.wav").write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    with pytest.raises(WavFormatError, match="audio format 3"):
        read_pcm16(tmp_path / "f.wav")
