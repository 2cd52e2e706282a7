"""`scamguard corpus merge`: held-out sets measured together keep every call and recording."""
import json
from pathlib import Path

from click.testing import CliRunner

from scamguard.cli import main
from scamguard.evaluation.corpus import load_corpus


def call(cid, label="scam", audio=None):
    c = {"id": cid, "label": label, "lang": "en", "fraud_type": "romance" if label == "scam" else None,
         "turns": [{"speaker": "caller", "text": "hello"}]}
    if audio is not None:
        c["audio"] = audio
    return c


def synthesised(folder: Path, calls) -> Path:
    (folder / "audio").mkdir(parents=True)
    for c in calls:
        if c.get("audio"):
            (folder / c["audio"]).write_bytes(b"RIFF")
    p = folder / "corpus.jsonl"
    p.write_text("".join(json.dumps(c) + "\n" for c in calls), encoding="utf-8")
    return p


def test_merge_keeps_order_and_rewrites_audio_relative_to_the_output(tmp_path):
    a = synthesised(tmp_path / "a", [call("a-1", audio="audio/a-1.wav"), call("a-2", "benign", audio="audio/a-2.wav")])
    b = synthesised(tmp_path / "b", [call("b-1", audio="audio/b-1.wav")])
    out = tmp_path / "ab" / "corpus.jsonl"
    r = CliRunner().invoke(main, ["corpus", "merge", str(a), str(b), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "wrote 3 calls from 2 corpora" in r.output
    merged = load_corpus(out)
    assert [c["id"] for c in merged] == ["a-1", "a-2", "b-1"]
    assert [c["audio"] for c in merged] == ["../a/audio/a-1.wav", "../a/audio/a-2.wav", "../b/audio/b-1.wav"]
    assert all((out.parent / c["audio"]).is_file() for c in merged)


def test_merge_refuses_a_call_id_in_two_sources(tmp_path):
    a = synthesised(tmp_path / "a", [call("x-1")])
    b = synthesised(tmp_path / "b", [call("x-2"), call("x-1")])
    out = tmp_path / "ab.jsonl"
    r = CliRunner().invoke(main, ["corpus", "merge", str(a), str(b), "-o", str(out)])
    assert r.exit_code != 0
    assert f"call id 'x-1' is also in {a}" in r.output
    assert not out.exists()


def test_merge_refuses_a_missing_recording(tmp_path):
    a = synthesised(tmp_path / "a", [call("a-1", audio="audio/a-1.wav")])
    (tmp_path / "a" / "audio" / "a-1.wav").unlink()
    out = tmp_path / "m.jsonl"
    r = CliRunner().invoke(main, ["corpus", "merge", str(a), "-o", str(out)])
    assert r.exit_code != 0
    assert "call a-1: recording" in r.output and "does not exist" in r.output
    assert not out.exists()


def test_merge_reports_a_malformed_source_by_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(call("ok")) + "\n{not json\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["corpus", "merge", str(bad), "-o", str(tmp_path / "m.jsonl")])
    assert r.exit_code != 0
    assert f"{bad}:2: invalid JSON" in r.output
