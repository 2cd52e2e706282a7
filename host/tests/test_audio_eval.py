"""Audio evaluation pieces: the C segmenter binding, subsets, ASR error rates."""
import numpy as np
import pytest

from scamguard.audio_eval.asr_error import error_rates
from scamguard.audio_eval.evaluate import balanced_subset
from scamguard.audio_eval.segmentation import SegmentationError, library_path, segment_pcm

needs_lib = pytest.mark.skipif(not library_path().exists(), reason="libsgcore.so not built (make core-so)")


def _bursts(total_s=12.0, bursts=((2.0, 4.0),), seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(int(total_s * 16000)) * 20  # quiet background
    for a, b in bursts:
        i, j = int(a * 16000), int(b * 16000)
        x[i:j] += rng.standard_normal(j - i) * 4000  # loud, broadband: "speech" to an energy VAD
    return np.clip(x, -32768, 32767).astype(np.int16)


@needs_lib
def test_fixed_windows_tile_the_recording():
    pcm = _bursts(12.01)
    cuts = segment_pcm(pcm, "fixed", 5.0)
    n = len(pcm) // 320 * 320  # the board only sees whole 20 ms frames
    assert [(c.start_sample, c.end_sample) for c in cuts] == [(0, 80000), (80000, 160000), (160000, n)]
    assert [c.seg_id for c in cuts] == [0, 1, 2] or [c.seg_id for c in cuts] == [1, 2, 3]
    assert cuts[0].speech_ms > 1000 and cuts[2].speech_ms == 0  # the burst is in the first window
    cuts2 = segment_pcm(pcm, "fixed", 2.0)
    assert [c.end_sample - c.start_sample for c in cuts2[:-1]] == [32000] * 5


@needs_lib
def test_vad_cut_finds_the_burst():
    cuts = segment_pcm(_bursts(12.0, ((2.0, 4.0), (8.0, 9.0))), "vad", 5.0)
    assert len(cuts) == 2
    (a, b) = cuts
    assert 1.0 <= a.t_start_s <= 2.0 and 4.0 <= a.t_end_s <= 5.5
    assert 7.0 <= b.t_start_s <= 8.0 and 9.0 <= b.t_end_s <= 10.5
    assert all(c.flags & 8 for c in cuts)  # SEGFLAG_VAD_CUT


@needs_lib
def test_bad_config_is_refused():
    with pytest.raises(SegmentationError):
        segment_pcm(np.zeros(16000, np.int16), "fixed", 0.5)  # below the 1 s minimum
    with pytest.raises(SegmentationError):
        segment_pcm(np.zeros(16000, np.int16), "sliding", 5.0)


def test_balanced_subset_is_balanced_and_stable():
    calls = [{"id": f"{lab}-{i}", "lang": "en", "label": lab} for lab in ("scam", "benign") for i in range(10)]
    sub = balanced_subset(calls, 6)
    assert len(sub) == 6 and sum(c["label"] == "scam" for c in sub) == 3
    assert sub == balanced_subset(list(reversed(calls)), 6)[::-1] or {c["id"] for c in sub} == {
        c["id"] for c in balanced_subset(list(reversed(calls)), 6)}
    assert balanced_subset(calls, None) == calls


def test_error_rates():
    r = error_rates([("en", "Hello, world!", "hello world"), ("en", "one two three four", "one two four"),
                     ("zh", "你好世界", "你好世")])
    assert r["en"]["wer"] == pytest.approx(1 / 6, abs=1e-4)
    assert r["zh"]["cer"] == pytest.approx(0.25, abs=1e-4)
