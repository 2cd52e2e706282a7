"""The keyword spotter's inline scenes: a keyword said inside its sentence, and where it lies."""
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")

from model_export.kws import synth  # noqa: E402

VOICE = synth.Voice("en-us", "m3", 50, 160)


def test_inline_span_lies_inside_one_utterance_and_fits_the_keyword():
    whole, start, end = synth.speak_inline("please send the", "deposit", "before five today", VOICE)
    alone = synth.speak("deposit", VOICE).size
    assert 0 < start < end < whole.size
    # the span is the keyword's own length, give or take the phrase-final stretch of the prefix
    assert 0.5 * alone < end - start < 1.5 * alone


def test_inline_keyword_at_the_start_or_end_of_the_sentence():
    whole, start, end = synth.speak_inline("", "bitcoin", "is the only way", VOICE)
    assert start == 0 and 0 < end < whole.size
    whole, start, end = synth.speak_inline("buy some", "bitcoin", "", VOICE)
    assert end == whole.size and 0 < start < end


def test_inline_scene_spans_point_at_keywords_and_splice_scenes_stay_as_they_were():
    kws = ["deposit", "wallet"]
    sentences = ["we can talk about it tomorrow morning", "my sister called me yesterday evening"]
    scene = synth.build_scene(np.random.default_rng(3), sentences, kws, 1.0, "train", voice=VOICE, inline=True)
    assert len(scene.spans) == 2
    for kid, s, e in scene.spans:
        assert kid in (0, 1) and 0 <= s < e <= scene.audio.size
    spliced = synth.build_scene(np.random.default_rng(3), sentences, kws, 1.0, "train", voice=VOICE)
    again = synth.build_scene(np.random.default_rng(3), sentences, kws, 1.0, "train", voice=VOICE)
    assert np.array_equal(spliced.audio, again.audio) and spliced.spans == again.spans


def test_lookalike_words_are_hard_negatives_without_spans():
    from model_export.kws import gen_data
    words = gen_data.lookalikes(gen_data.keywords())
    assert "office" in words and not any(synth._contains_keyword(w, gen_data.keywords()) for w in words)
    rng = np.random.default_rng(4)
    assert synth.with_lookalike(rng, "call me back", ["office"]).split().count("office") == 1
    sentences = ["we can talk about it tomorrow morning", "my sister called me yesterday evening"]
    plain = synth.build_scene(np.random.default_rng(3), sentences, ["deposit"], 0.0, "train", voice=VOICE)
    look = synth.build_scene(np.random.default_rng(3), sentences, ["deposit"], 0.0, "train", voice=VOICE,
                             lookalikes=["opposite"], lookalike_prob=1.0)
    assert plain.spans == [] and look.spans == []
    assert look.audio.size > plain.audio.size  # each sentence said one word longer


def test_a_lookalike_list_that_contains_a_keyword_is_refused(monkeypatch):
    from model_export.kws import gen_data
    monkeypatch.setitem(gen_data.LOOKALIKES, "wallet", ["wallets"])
    with pytest.raises(ValueError, match="contain a keyword"):
        gen_data.lookalikes(["wallet"])


@pytest.mark.parametrize("scenes", ["0", "50001"])
def test_gen_data_refuses_a_scene_count_that_would_reach_the_held_out_seeds(scenes, capsys):
    from model_export.kws import gen_data
    with pytest.raises(SystemExit) as exc:
        gen_data.main(["--scenes", scenes, "--only", "train"])
    assert exc.value.code == 2 and "--scenes must be between 1 and 50000" in capsys.readouterr().err


def test_speak_keeps_espeaks_duration():
    # A wrong resampling ratio (160/441 until the fifteenth session) plays espeak-ng's 22.05 kHz
    # speech twice as fast and an octave high; compare with espeak-ng's own WAV.
    import subprocess
    text = "please send the deposit before five today"
    wav = subprocess.run(["espeak-ng", "-v", VOICE.arg(), "-p", str(VOICE.pitch), "-s", str(VOICE.speed), "--stdout", text],
                         check=True, capture_output=True).stdout
    rate = int.from_bytes(wav[24:28], "little")
    raw = np.frombuffer(wav[44:], dtype="<i2").astype(np.float32) / 32768.0
    voiced = np.flatnonzero(np.abs(raw) > 1e-3)
    said = synth.speak(text, VOICE)
    assert said.size / synth.SR == pytest.approx((voiced[-1] - voiced[0] + 1) / rate, abs=0.02)
