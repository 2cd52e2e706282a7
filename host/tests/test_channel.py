"""Telephone channel: band limit, μ-law accuracy, SNR of the added noise."""
import numpy as np
import pytest

from scamguard.synth import channel as ch


def _spectrum_share_above(x: np.ndarray, hz: float, rate: int = 16000) -> float:
    p = np.abs(np.fft.rfft(x)) ** 2
    f = np.fft.rfftfreq(len(x), 1 / rate)
    return float(p[f > hz].sum() / p.sum())


def test_phone_line_removes_energy_above_4khz():
    x = np.random.default_rng(1).standard_normal(32000).astype(np.float32) * 0.1
    assert _spectrum_share_above(x, 4000) > 0.4  # white noise: half its energy is up there
    y = ch.phone_line(x)
    assert len(y) == len(x)
    assert _spectrum_share_above(y, 4000) < 1e-3  # 30 dB down: what is left is the resampler's transition band
    # and the 300-3400 Hz band passes
    p = np.abs(np.fft.rfft(y)) ** 2
    f = np.fft.rfftfreq(len(y), 1 / 16000)
    assert p[(f > 300) & (f < 3400)].sum() / p.sum() > 0.95


def test_mulaw_round_trip_error_bound():
    x = np.concatenate([np.linspace(-1, 1, 20001), np.random.default_rng(2).uniform(-0.01, 0.01, 5000)])
    codes = ch.mulaw_encode(x)
    assert codes.dtype == np.uint8
    err = np.abs(ch.mulaw_decode(codes) - x)
    assert np.all(err <= ch.mulaw_error_bound(x))
    # companding: small signals keep small absolute errors (finer steps near zero)
    small = np.abs(x) < 0.01
    assert err[small].max() < 5e-4


@pytest.mark.parametrize("snr_db", [5.0, 20.0, 35.0])
def test_added_noise_hits_target_snr(snr_db):
    rng = np.random.default_rng(3)
    t = np.arange(48000) / 16000
    speech = (0.2 * np.sin(2 * np.pi * 220 * t) * (np.sin(2 * np.pi * 0.5 * t) > 0)).astype(np.float32)
    mix, noise = ch.add_noise(speech, rng, snr_db)
    assert np.allclose(mix - noise, speech, atol=1e-6)
    measured = 10 * np.log10(ch.active_power(speech) / np.mean(noise.astype(np.float64) ** 2))
    assert abs(measured - snr_db) < 0.5


def test_call_channel_output_format():
    rng = np.random.default_rng(4)
    far = (rng.standard_normal(16000) * 3000).astype(np.int16)
    near = np.zeros(16000, np.int16)
    near[8000:] = (rng.standard_normal(8000) * 3000).astype(np.int16)
    out = ch.apply_call_channel(far, near, ch.draw_params(rng, 20.0), rng)
    assert out.dtype == np.int16 and len(out) == 16000
    with pytest.raises(ValueError):
        ch.apply_call_channel(far, near[:100], ch.ChannelParams(), rng)
