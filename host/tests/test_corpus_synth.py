"""`scamguard corpus synth` on a 2-call fixture with espeak-ng: files, round trip, manifest."""
import hashlib
import json

import pytest

from scamguard.audio.wav import read_pcm16
from scamguard.evaluation.corpus import load_corpus
from scamguard.synth.espeak import espeak_available

pytestmark = pytest.mark.skipif(not espeak_available(), reason="espeak-ng not installed (make setup)")

CALLS = [
    {"id": "t-scam", "label": "scam", "lang": "en", "fraud_type": "tech_support",
     "turns": [{"speaker": "caller", "text": "Your computer has a virus."},
               {"speaker": "callee", "text": "Oh no, what do I do?"}], "notes": "fixture"},
    {"id": "t-benign", "label": "benign", "lang": "en", "fraud_type": None,
     "turns": [{"speaker": "caller", "text": "Your parcel arrives tomorrow."},
               {"speaker": "callee", "text": "Thank you."}]},
]


def _synth(tmp_path, out_name, seed=0, channel="phone", extra=(), calls=CALLS):
    from click.testing import CliRunner

    from scamguard.cli import main

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(c) + "\n" for c in calls), encoding="utf-8")
    out = tmp_path / out_name
    res = CliRunner().invoke(main, ["corpus", "synth", str(src), "--out", str(out), "--seed", str(seed),
                                    "--channel", channel, "--snr-db", "15", *extra])
    assert res.exit_code == 0, res.output
    return out


def test_synth_round_trip(tmp_path):
    out = _synth(tmp_path, "a")
    calls = load_corpus(out / "corpus.jsonl")  # the evaluator's own loader accepts it
    assert [c["id"] for c in calls] == ["t-scam", "t-benign"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["options"]["snr_db"] == 15.0 and manifest["options"]["seed"] == 0
    assert "eSpeak" in manifest["engines"]["en"]
    for call, entry, src in zip(calls, manifest["calls"], CALLS):
        assert call["turns"] == src["turns"] and call["label"] == src["label"]
        pcm = read_pcm16(out / call["audio"])  # 16 kHz mono int16 or it raises
        assert entry["wav_sha256"] == hashlib.sha256((out / call["audio"]).read_bytes()).hexdigest()
        assert abs(entry["duration_s"] - len(pcm) / 16000) < 1e-3
        assert set(entry["voices"]) == {"caller", "callee"} and entry["voices"]["caller"] != entry["voices"]["callee"]
        assert entry["channel"]["snr_db"] == 15.0
        times = call["turn_times"]
        assert len(times) == len(call["turns"])
        assert all(s < e for s, e in times) and all(times[i][1] < times[i + 1][0] for i in range(len(times) - 1))
        assert times[-1][1] <= len(pcm) / 16000
    assert manifest["corpus_sha256"] == hashlib.sha256((out / "corpus.jsonl").read_bytes()).hexdigest()


def test_synth_is_seeded(tmp_path):
    a = json.loads((_synth(tmp_path, "a", seed=7) / "manifest.json").read_text())
    b = json.loads((_synth(tmp_path, "b", seed=7) / "manifest.json").read_text())
    c = json.loads((_synth(tmp_path, "c", seed=8) / "manifest.json").read_text())
    assert [e["wav_sha256"] for e in a["calls"]] == [e["wav_sha256"] for e in b["calls"]]
    assert [e["wav_sha256"] for e in a["calls"]] != [e["wav_sha256"] for e in c["calls"]]


def test_synth_limit_takes_a_balanced_subset(tmp_path):
    # scams first in the file, as in docs/corpus: the first two calls would both be scams
    calls = [dict(CALLS[0], id="t-scam-2"), CALLS[0], CALLS[1], dict(CALLS[1], id="t-benign-2")]
    out = _synth(tmp_path, "lim", extra=["--limit", "2"], calls=calls)
    assert sorted(c["label"] for c in load_corpus(out / "corpus.jsonl")) == ["benign", "scam"]


@pytest.mark.parametrize("bad", ["0", "-3", "two"])
def test_synth_limit_rejects_garbage(tmp_path, bad):
    from click.testing import CliRunner

    from scamguard.cli import main

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(c) + "\n" for c in CALLS), encoding="utf-8")
    res = CliRunner().invoke(main, ["corpus", "synth", str(src), "--out", str(tmp_path / "o"), "--limit", bad])
    assert res.exit_code == 2 and "--limit" in res.output
    assert not (tmp_path / "o").exists()


def test_synth_resume_renders_only_new_or_edited_calls(tmp_path):
    out = _synth(tmp_path, "a", calls=CALLS[:1])
    first = json.loads((out / "manifest.json").read_text())
    wav = out / "audio" / "t-scam.wav"
    before = wav.stat().st_mtime_ns
    out = _synth(tmp_path, "a", calls=CALLS, extra=["--resume"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert [e["id"] for e in manifest["calls"]] == ["t-scam", "t-benign"]
    assert manifest["calls"][0] == first["calls"][0] and wav.stat().st_mtime_ns == before  # kept, not re-rendered
    fresh = json.loads((_synth(tmp_path, "b", calls=CALLS) / "manifest.json").read_text())
    assert [e["wav_sha256"] for e in manifest["calls"]] == [e["wav_sha256"] for e in fresh["calls"]]

    edited = [dict(CALLS[0], turns=[{"speaker": "caller", "text": "Your router has a virus."}]), CALLS[1]]
    out = _synth(tmp_path, "a", calls=edited, extra=["--resume"])
    rows = load_corpus(out / "corpus.jsonl")
    assert rows[0]["turns"] == edited[0]["turns"]  # the edited call was rendered again
    assert json.loads((out / "manifest.json").read_text())["calls"][0]["wav_sha256"] != first["calls"][0]["wav_sha256"]


def test_synth_resume_ignores_a_run_with_other_options_or_a_changed_wav(tmp_path):
    out = _synth(tmp_path, "a", seed=1)
    wav = out / "audio" / "t-benign.wav"
    before = wav.stat().st_mtime_ns
    _synth(tmp_path, "a", seed=2, extra=["--resume"])  # another seed: everything is rendered again
    assert wav.stat().st_mtime_ns != before
    wav.write_bytes(wav.read_bytes()[:-200])  # damaged after the run: its checksum no longer matches
    out = _synth(tmp_path, "a", seed=2, extra=["--resume"])
    entry = json.loads((out / "manifest.json").read_text())["calls"][1]
    assert entry["wav_sha256"] == hashlib.sha256(wav.read_bytes()).hexdigest()
    assert read_pcm16(wav).size / 16000 == pytest.approx(entry["duration_s"], abs=1e-3)


@pytest.mark.parametrize("garbage", ['{"calls": 5, "engines": {}}', "[1, 2]", "{not json", '{"calls": [], "engines": 3}'])
def test_synth_resume_renders_everything_when_the_manifest_is_garbage(tmp_path, garbage):
    from click.testing import CliRunner

    from scamguard.cli import main

    out = _synth(tmp_path, "a")
    (out / "manifest.json").write_text(garbage, encoding="utf-8")
    src = tmp_path / "in.jsonl"
    res = CliRunner().invoke(main, ["corpus", "synth", str(src), "--out", str(out), "--seed", "0",
                                    "--snr-db", "15", "--resume"])
    assert res.exit_code == 0, res.output
    assert "--resume: nothing kept:" in res.stderr and "kept from the previous run" not in res.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert [e["id"] for e in manifest["calls"]] == ["t-scam", "t-benign"]  # rebuilt whole


def test_synth_resume_refuses_to_mix_engine_versions(tmp_path):
    out = _synth(tmp_path, "a", calls=CALLS[:1])
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["engines"]["en"] = "eSpeak NG 0.1 (an older build)"
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    from click.testing import CliRunner

    from scamguard.cli import main

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(c) + "\n" for c in CALLS), encoding="utf-8")
    res = CliRunner().invoke(main, ["corpus", "synth", str(src), "--out", str(out), "--seed", "0",
                                    "--snr-db", "15", "--resume"])
    assert res.exit_code != 0 and "made with eSpeak NG 0.1 (an older build)" in res.output
    assert not (out / "audio" / "t-benign.wav").exists()  # refused before any audio was written
