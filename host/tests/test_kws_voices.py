"""The keyword spotter's voice pools: who may train, validate or test, and the flite voice path."""
import io
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from model_export.kws import synth  # noqa: E402

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
needs_flite = pytest.mark.skipif(shutil.which("flite") is None or shutil.which("sox") is None,
                                 reason="flite or sox is not installed (make setup installs both)")


def test_other_engine_pools_share_no_speaker():
    # kal16 (flite) and kal_diphone (festival) are one man, slt and the HTS slt one woman:
    # a split by voice name alone would let a speaker cross from training to testing.
    speaker = {"kal16": "kal", "kal_diphone": "kal", "ked_diphone": "ked", "cmu_us_slt_arctic_hts": "slt"}
    who = {pool: {speaker.get(s, s) for _, s in voices} for pool, voices in synth.OTHER_VOICES.items()}
    assert who == {"other_train": {"kal", "awb", "rms"}, "other_val": {"ked"}, "other_heldout": {"slt"}}


def test_random_voice_draws_from_its_pool_only():
    rng = np.random.default_rng(0)
    for pool, voices in synth.OTHER_VOICES.items():
        for _ in range(30):
            v = synth.random_voice(rng, pool)
            assert (v.name, v.variant) in voices and v.engine == v.name
            assert -200 <= v.pitch <= 200 and 85 <= v.speed <= 120
    for _ in range(30):
        v = synth.random_voice(rng, "heldout")
        assert v.engine == "espeak" and v.name in synth.HELDOUT_VOICES and v.variant in synth.HELDOUT_VARIANTS
    with pytest.raises(ValueError, match="unknown voice pool"):
        synth.random_voice(rng, "everyone")


def test_jitter_keeps_the_speaker_and_stays_in_range():
    rng = np.random.default_rng(1)
    for v in (synth.Voice("en-us", "m3", 97, 225), synth.Voice("flite", "awb", 290, 130)):
        for _ in range(50):
            j = v.jitter(rng)
            assert (j.name, j.variant) == (v.name, v.variant)
            if v.engine == "espeak":
                assert 0 <= j.pitch <= 99 and 130 <= j.speed <= 230 and abs(j.pitch - v.pitch) <= 8
            else:
                assert -300 <= j.pitch <= 300 and 75 <= j.speed <= 135 and abs(j.pitch - v.pitch) <= 60


def _f0(x: np.ndarray) -> float:
    """Median pitch of the voiced 50 ms frames, by autocorrelation (60-400 Hz)."""
    n, lo, hi, f = 800, synth.SR // 400, synth.SR // 60, []
    for i in range(0, x.size - n, n // 2):
        s = x[i:i + n] - x[i:i + n].mean()
        if s.std() < 0.02:
            continue
        ac = np.correlate(s, s, "full")[n - 1:]
        if ac[lo:hi].max() > 0.3 * ac[0]:
            f.append(synth.SR / (lo + int(np.argmax(ac[lo:hi]))))
    return float(np.median(f))


@needs_flite
def test_flite_voice_follows_its_rate_and_pitch():
    text = "please move the money into the new wallet today"
    plain = synth.speak(text, synth.Voice("flite", "awb", 0, 100))
    faster = synth.speak(text, synth.Voice("flite", "awb", 0, 125))
    higher = synth.speak(text, synth.Voice("flite", "awb", 300, 100))
    assert 1.0 < plain.size / synth.SR < 5.0 and np.abs(plain).max() <= 1.0
    assert faster.size / plain.size == pytest.approx(100 / 125, abs=0.06)
    assert higher.size / plain.size == pytest.approx(1.0, abs=0.03)  # a pitch shift keeps the timing
    assert _f0(higher) / _f0(plain) == pytest.approx(2 ** (300 / 1200), rel=0.08)


@needs_flite
def test_flite_voice_is_the_same_on_every_run():
    # sox dithers at random unless told not to (-D); the data sets must be reproducible.
    v = synth.Voice("flite", "rms", 120, 95)
    assert np.array_equal(synth.speak("hello there my friend", v), synth.speak("hello there my friend", v))


@needs_flite
def test_unknown_flite_voice_is_refused_not_replaced():
    # flite itself falls back to its default voice, exit status 0, for a name it does not have.
    with pytest.raises(synth.SynthError, match="flite has no voice 'nosuch'"):
        synth.speak("hello", synth.Voice("flite", "nosuch", 0, 100))


@pytest.mark.skipif(shutil.which("text2wave") is None, reason="festival is not installed (make kws-data installs it)")
def test_unknown_festival_voice_is_an_error():
    with pytest.raises(synth.SynthError, match="festival wrote no audio for voice 'nosuch'"):
        synth.speak("hello", synth.Voice("festival", "nosuch", 0, 100))


def test_missing_engine_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(synth.SynthError, match="espeak-ng is not installed .*make kws-data"):
        synth.speak("hello", synth.Voice("en-us", "m3", 50, 160))


@needs_espeak
def test_every_espeak_voice_and_variant_exists():
    # espeak-ng, like flite, says an unknown variant in its default voice without a word.
    listing = subprocess.run(["espeak-ng", "--voices=variant"], capture_output=True, text=True, check=True).stdout
    files = {line.split()[4] for line in listing.splitlines()[1:] if line.strip()}
    assert {f"!v/{v}" for v in synth.TRAIN_VARIANTS + synth.HELDOUT_VARIANTS} <= files
    languages = subprocess.run(["espeak-ng", "--voices=en"], capture_output=True, text=True, check=True).stdout
    names = {line.split()[1] for line in languages.splitlines()[1:] if line.strip()}
    assert set(synth.TRAIN_VOICES + synth.HELDOUT_VOICES) <= names


def _wav(samples: np.ndarray, rate: int, channels: int = 1) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())
    return buf.getvalue()


def test_engine_wav_is_resampled_from_its_own_rate():
    tone = (8000 * np.sin(2 * np.pi * 440 * np.arange(22050) / 22050)).astype(np.int16)  # 1 s at 22.05 kHz
    out = synth._pcm16_to_sr(_wav(tone, 22050), "test")
    assert out.size == synth.SR  # still 1 s: the fifteenth session's bug made it 0.5 s
    peak = np.argmax(np.abs(np.fft.rfft(out))) * synth.SR / out.size
    assert peak == pytest.approx(440, abs=2)


def test_engine_output_that_is_not_mono_16_bit_wav_is_refused():
    with pytest.raises(synth.SynthError, match="test did not write a WAV"):
        synth._pcm16_to_sr(b"Error: voice not found\n", "test")
    with pytest.raises(synth.SynthError, match="2 channel"):
        synth._pcm16_to_sr(_wav(np.zeros(200, np.int16), 22050, channels=2), "test")


def test_missing_data_set_names_the_command_that_makes_it(monkeypatch, tmp_path):
    from model_export.kws import features
    monkeypatch.setattr(features, "DATA", tmp_path)
    with pytest.raises(FileNotFoundError, match="make kws-data.*--only val_other"):
        features.load("val_other")
