"""`scamguard calibrate --audio-corpus`: recorded calls reach calibration through the board
segmenter and the ASR, and a corpus without audio is refused with a clear message."""
import json

import numpy as np
import pytest
from click.testing import CliRunner

from scamguard.asr import Transcript
from scamguard.audio.wav import write_pcm16
from scamguard.audio_eval.segmentation import library_path
from scamguard.strategies.config import load_config

needs_lib = pytest.mark.skipif(not library_path().exists(), reason="libsgcore.so not built (make core-so)")
WINDOW_SAMPLES = 2 * 16000


class FakeAsr:
    """Returns the sentence whose marker starts the cut: each 2 s window of a test recording
    begins with a distinct sample value, so the fake knows which call and window it hears."""
    texts: dict[int, str] = {}
    calls = 0

    def __init__(self, *a, **k):
        pass

    def transcribe(self, pcm, language=None):
        FakeAsr.calls += 1
        return Transcript(FakeAsr.texts.get(int(pcm[0]), ""), language or "en", 0.01)


def _recorded_corpus(tmp_path, calls):
    rng = np.random.default_rng(0)
    lines = []
    for ci, call in enumerate(calls):
        turns = [t["text"] for t in call["turns"]]
        pcm = (rng.standard_normal(len(turns) * WINDOW_SAMPLES) * 3000).astype(np.int16)
        for k, text in enumerate(turns):
            marker = 20000 + 100 * ci + k
            pcm[k * WINDOW_SAMPLES] = marker
            FakeAsr.texts[marker] = text
        write_pcm16(tmp_path / f"{call['id']}.wav", pcm)
        lines.append(json.dumps({**call, "audio": f"{call['id']}.wav"}, ensure_ascii=False))
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@needs_lib
def test_audio_corpus_is_calibrated_through_segmenter_and_asr(tmp_path, monkeypatch, fake_engine):
    import scamguard.asr
    from scamguard.cli import main
    from test_evaluation import CALLS

    emb, lib = fake_engine
    monkeypatch.setattr(scamguard.asr, "Asr", FakeAsr)
    corpus = _recorded_corpus(tmp_path, CALLS)
    out, cache = tmp_path / "cal.json", tmp_path / "asr.jsonl"
    args = ["calibrate", "--audio-corpus", str(corpus), "--window", "2", "--target-fpr", "0.0",
            "--asr-cache", str(cache), "--out", str(out)]
    FakeAsr.calls = 0
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    n_windows = sum(len(c["turns"]) for c in CALLS)
    assert FakeAsr.calls == n_windows  # every 2 s cut of every recording, once
    cfg = load_config(out)
    prov = cfg["provenance"]
    assert prov["corpus"] is None and prov["n_calls"] == 4 and prov["n_scam"] == 2
    assert prov["audio_corpora"][0]["n_calls"] == 4 and prov["audio_corpora"][0]["asr_model"] == "base"
    assert prov["command"].count("--audio-corpus") == 1
    assert cfg["strategies"]["default"]["fit"]["recall"] == 1.0  # the scam transcripts are the library's words
    # A second run reads every transcript from the cache: the ASR is not called again.
    FakeAsr.calls = 0
    assert CliRunner().invoke(main, args).exit_code == 0
    assert FakeAsr.calls == 0


def test_audio_corpus_without_audio_and_missing_corpus_are_clear_errors(tmp_path, fake_engine):
    from scamguard.cli import main
    from test_evaluation import CALLS

    if not library_path().exists():
        pytest.skip("libsgcore.so not built (make core-so)")
    emb, lib = fake_engine
    text_only = tmp_path / "text.jsonl"
    text_only.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in CALLS), encoding="utf-8")
    res = CliRunner().invoke(main, ["calibrate", "--audio-corpus", str(text_only), "--out", str(tmp_path / "c.json")])
    assert res.exit_code != 0 and "no 'audio' field" in res.output and "corpus synth" in res.output
    res = CliRunner().invoke(main, ["calibrate", "--out", str(tmp_path / "c.json")])
    assert res.exit_code != 0 and "give a CORPUS" in res.output
    assert not (tmp_path / "c.json").exists()


@needs_lib
@pytest.mark.parametrize("damage, message", [
    ("missing", "No such file"),
    ("rate", "sample rate 8000 Hz, expected 16000 Hz"),
    ("truncated", "truncated"),
])
def test_unusable_recordings_are_clear_errors(tmp_path, monkeypatch, fake_engine, damage, message):
    import scamguard.asr
    from scamguard.cli import main
    from test_evaluation import CALLS

    emb, lib = fake_engine
    monkeypatch.setattr(scamguard.asr, "Asr", FakeAsr)
    corpus = _recorded_corpus(tmp_path, CALLS)
    wav = tmp_path / f"{CALLS[1]['id']}.wav"
    if damage == "missing":
        wav.unlink()
    elif damage == "rate":
        write_pcm16(wav, np.zeros(16000, np.int16), rate=8000)
    else:
        wav.write_bytes(wav.read_bytes()[:-1000])
    out = tmp_path / "cal.json"
    res = CliRunner().invoke(main, ["calibrate", "--audio-corpus", str(corpus), "--window", "2",
                                    "--asr-cache", str(tmp_path / "asr.jsonl"), "--out", str(out)])
    assert res.exit_code != 0 and message in res.output and str(corpus) in res.output, res.output
    assert not out.exists()  # nothing half-written
