"""The spotter's scoring rules (evaluate.match/score), window labels and training-only speed perturbation."""
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from model_export.kws import evaluate, features  # noqa: E402


def stream(hits, spans, channel="clean", seconds=3600.0):
    return {"hits": hits, "spans": spans, "channel": channel, "seconds": seconds}


def test_a_hit_counts_once_for_its_own_keyword_within_the_window_after_its_end():
    spans = [(0, 1000, 1500), (1, 4000, 4600)]
    found, fa = evaluate.match([(0, 250, 1450), (0, 250, 1600), (1, 250, 5900)], spans)
    # the second hit on keyword 0 finds its span already used; 5900 ms is 1.3 s after the end
    assert found == {0} and fa == 2
    found, fa = evaluate.match([(1, 250, 2000)], spans)  # wrong keyword at the right time
    assert found == set() and fa == 1


def test_score_counts_each_keyword_over_all_channels():
    streams = [stream([(0, 255, 1600)], [(0, 1000, 1500), (1, 3000, 3500)]),
               stream([(1, 255, 3600), (1, 255, 9000)], [(1, 3000, 3500)], channel="telephone")]
    res = evaluate.score(streams)
    assert res["all"]["per_keyword"] == {"0": [1, 1], "1": [1, 2]}
    assert res["all"]["keywords"] == 3 and res["all"]["detected"] == 2 and res["all"]["false_accepts"] == 1
    assert res["telephone"]["recall"] == 1.0 and res["telephone"]["fa_per_hour"] == 1.0


def test_speed_perturbation_moves_spans_with_the_audio():
    rng = np.random.default_rng(1)
    audio = np.zeros(16000, np.float32)
    audio[4000:8000] = 1.0
    for _ in range(5):
        out, spans = features.perturb_speed(audio, [(2, 4000, 8000)], rng)
        factor = audio.size / out.size
        assert features.SPEED_RANGE[0] - 0.01 <= factor <= features.SPEED_RANGE[1] + 0.01
        (k, s, e), = spans
        loud = np.flatnonzero(out > 0.5)
        assert k == 2 and abs(s - loud[0]) <= 3 and abs(e - loud[-1]) <= 3


def test_default_split_is_a_random_tenth_and_variant_split_keeps_voices_apart():
    voices = [f"en-us+{v}" for v in ("m1", "m2", "f1", "f2", "klatt")] * 20
    val, train = features.split_scenes(voices, 7)
    assert len(val) == 10 and sorted(val + train) == list(range(100))
    assert features.split_scenes(voices, 7) == (val, train)  # the same seed, the same split
    val, train = features.split_scenes(voices, 7, val_variants=2)
    held = {voices[i].split("+")[1] for i in val}
    assert len(held) == 2 and len(val) == 40 and sorted(val + train) == list(range(100))
    assert not held & {voices[i].split("+")[1] for i in train}


def test_variant_split_refuses_to_leave_no_training_voice():
    with pytest.raises(ValueError, match="no training voice"):
        features.split_scenes(["en-us+m1", "en-gb+m2"], 7, val_variants=2)
    with pytest.raises(ValueError, match="0 or more"):
        features.split_scenes(["en-us+m1", "en-gb+m2"], 7, val_variants=-1)



def labelled_ends(spans, cover=1.0, frames=300):
    """{window end frame: label} over every end position; dropped windows are absent."""
    feats = np.zeros((frames, 40), np.int8)
    feats[:, 0], feats[:, 1] = np.arange(frames) // 100, np.arange(frames) % 100  # frame number
    xs, ys = features.windows(feats, spans, 1, 1, None, cover)
    return {int(x[-1, 0]) * 100 + int(x[-1, 1]): y for x, y in zip(xs, ys)}


def test_window_labels_whole_keyword_part_of_it_or_dropped():
    n = features.FRAMES
    # keyword 2 on frames 100..124 (25 frames); the window ending at frame e starts at e - n + 1
    whole = labelled_ends([(2, 100, 124)])
    assert {e for e, y in whole.items() if y == 3} == set(range(124, 100 + n))
    assert 123 not in whole and 112 not in whole  # 24 and 13 of 25 frames: dropped
    assert whole[111] == 0 and whole[100 + n + 12] == 0  # 12 frames, either side: negatives
    assert len(whole) == 300 - n + 1 - 2 * 12  # 13..24 frames on either side are dropped
    part = labelled_ends([(2, 100, 124)], cover=0.8)  # 20 of 25 frames make a positive
    assert {e for e, y in part.items() if y == 3} == set(range(119, 100 + n + 5))
    assert 118 not in part and part[111] == 0 and len(part) == 300 - n + 1 - 2 * 7
