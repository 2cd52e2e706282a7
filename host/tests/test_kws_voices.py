"""The keyword spotter's voice pools: who may train, validate or test, and the flite voice path."""
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from model_export.kws import synth  # noqa: E402

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
