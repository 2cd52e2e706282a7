"""Speaking-rate windowing, metrics, the embedding cache and the eval JSON contract."""
import json

import numpy as np
import pytest
from click.testing import CliRunner

from scamguard.evaluation.metrics import Confusion, strategy_metrics
from scamguard.evaluation.streaming import SpeakingRate, segment_call, tokenize
from scamguard.phrases import PhraseEntry, PhraseLibrary


class FakeEmbedder:
    """Deterministic bag-of-character-bigrams vectors (no model needed)."""

    model_id = "fake:bigrams"
    dim = 64

    def __init__(self):
        self.calls = 0

    def embed_queries(self, texts):
        self.calls += 1
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, t in enumerate(texts):
            out[i, 0] = 1.0  # shared component keeps cosines positive, like e5's
            for a, b in zip(t, t[1:]):
                out[i, 1 + (ord(a) * 31 + ord(b)) % (self.dim - 1)] += 1.0
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    embed_passages = embed_queries


ENTRIES = [
    PhraseEntry("t-s1", "en", "scam", "tech_support", ("remote_access",), "install the remote app now"),
    PhraseEntry("t-s2", "en", "scam", "bank_safe_account", ("safe_account",), "move money to a safe account"),
    PhraseEntry("t-s3", "zh", "scam", "bank_safe_account", ("safe_account",), "把钱转到安全账户"),
    PhraseEntry("t-b1", "en", "benign", None, (), "your parcel arrives tomorrow"),
    PhraseEntry("t-b2", "zh", "benign", None, (), "您的快递明天到"),
]

CALLS = [
    {"id": "c1", "label": "scam", "lang": "en", "fraud_type": "bank_safe_account",
     "turns": [{"speaker": "caller", "text": "Hello, this is your bank. Move money to a safe account now."},
               {"speaker": "callee", "text": "Which account?"},
               {"speaker": "caller", "text": "Install the remote app now and move money to a safe account."}]},
    {"id": "c2", "label": "benign", "lang": "en", "fraud_type": None,
     "turns": [{"speaker": "caller", "text": "Hi, your parcel arrives tomorrow."},
               {"speaker": "callee", "text": "Great, thanks."}]},
    {"id": "c3", "label": "scam", "lang": "zh", "fraud_type": "bank_safe_account",
     "turns": [{"speaker": "caller", "text": "您好，请马上把钱转到安全账户。"}, {"speaker": "callee", "text": "好的。"}]},
    {"id": "c4", "label": "benign", "lang": "zh", "fraud_type": None,
     "turns": [{"speaker": "caller", "text": "您好，您的快递明天到。"}, {"speaker": "callee", "text": "谢谢。"}]},
]


def fake_library():
    emb = FakeEmbedder()
    return emb, PhraseLibrary.build(ENTRIES, emb)


# ---------------------------------------------------------------------- windowing

def test_mandarin_characters_are_timed_at_the_speaking_rate():
    turns = [{"speaker": "caller", "text": "您好，这里是顺丰快递客服。"}, {"speaker": "callee", "text": "哦，真的吗？"}]
    segs = segment_call(turns, "zh", 2.0, SpeakingRate(4.5, 2.6, 0.4))
    # 11 characters at 4.5/s: 9 start before 2.0 s; the reply starts at 11/4.5 + 0.4 s
    assert [s.text for s in segs] == ["您好，这里是顺丰快递", "客服。 哦，真的吗？"]
    assert [(s.t_start_s, s.t_end_s) for s in segs] == [(0.0, 2.0), (2.0, pytest.approx(15 / 4.5 + 0.4))]


def test_english_words_and_silent_windows_are_skipped():
    turns = [{"speaker": "caller", "text": "one two three four five six"},
             {"speaker": "callee", "text": "seven"}]
    segs = segment_call(turns, "en", 1.0, SpeakingRate(4.5, 2.0, 2.5))
    # words at 0, .5, 1, 1.5, 2, 2.5 s; "seven" at 3 + 2.5 = 5.5 s; windows 3 and 4 are silence
    assert [(s.index, s.text, s.t_start_s, s.t_end_s) for s in segs] == [
        (0, "one two", 0.0, 1.0), (1, "three four", 1.0, 2.0), (2, "five six", 2.0, 3.0), (3, "seven", 5.0, 6.0)]


def test_tokenizer_keeps_latin_runs_and_punctuation_together():
    assert tokenize("请下载APP，验证码123。", "zh") == ["请", "下", "载", "APP，", "验", "证", "码", "123。"]
    with pytest.raises(ValueError):
        segment_call(CALLS[0]["turns"], "en", 0)


# ---------------------------------------------------------------------- metrics

def test_confusion_metrics_on_a_hand_made_case():
    cm = Confusion()
    for truth, pred in [(1, 1), (1, 1), (1, 1), (1, 0), (0, 1), (0, 0), (0, 0), (0, 0), (0, 0), (0, 0)]:
        cm.add(bool(truth), bool(pred))
    assert (cm.tp, cm.fp, cm.tn, cm.fn) == (3, 1, 5, 1)
    assert cm.precision == pytest.approx(0.75) and cm.recall == pytest.approx(0.75)
    assert cm.f1 == pytest.approx(0.75) and cm.fpr == pytest.approx(1 / 6)


def test_strategy_metrics_time_to_alert_and_segments():
    recs = [
        {"label": "scam", "alerted": {"X": True}, "time_to_alert_s": {"X": 10.0}, "seg_alerts": {"X": [False, True]}},
        {"label": "scam", "alerted": {"X": True}, "time_to_alert_s": {"X": 20.0}, "seg_alerts": {"X": [True]}},
        {"label": "scam", "alerted": {"X": False}, "time_to_alert_s": {"X": None}, "seg_alerts": {"X": [False]}},
        {"label": "benign", "alerted": {"X": True}, "time_to_alert_s": {"X": 3.0}, "seg_alerts": {"X": [True, False]}},
        {"label": "benign", "alerted": {"X": False}, "time_to_alert_s": {"X": None}, "seg_alerts": {"X": [False]}},
    ]
    m = strategy_metrics(recs, "X")
    assert m["precision"] == 0.6667 and m["recall"] == 0.6667  # rounded to 4 places in the JSON
    assert m["fpr"] == 0.5 and m["mean_time_to_alert_s"] == 15.0  # benign alert times are not averaged
    assert m["segment_precision"] == 0.6667 and m["segment_recall"] == 0.5
    assert strategy_metrics(recs, "X", segment_level=False)["segment_recall"] is None


def test_embedding_cache_embeds_each_text_once(tmp_path):
    from scamguard.evaluation.embed_cache import EmbeddingCache

    emb = FakeEmbedder()
    cache = EmbeddingCache(emb, tmp_path / "c.npz")
    a = cache.get(["x y", "z", "x y"])
    assert cache.embedded == 2 and np.allclose(a[0], a[2])
    cache.save()
    again = EmbeddingCache(FakeEmbedder(), tmp_path / "c.npz")
    assert np.allclose(again.get(["z"]), a[1], atol=1e-3) and again.embedded == 0


# ---------------------------------------------------------------------- CLI contract

def write_corpus(path):
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in CALLS), encoding="utf-8")
    return path


def test_eval_json_has_the_contract_keys(tmp_path, fake_engine):
    from scamguard.cli import main

    corpus = write_corpus(tmp_path / "calls.jsonl")
    out, md = tmp_path / "r.json", tmp_path / "r.md"
    res = CliRunner().invoke(main, ["eval", str(corpus), "--mode", "text", "--json", str(out), "--md", str(md),
                                    "--window", "2", "--sweep-windows"])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert {"calls", "default_strategy", "strategies", "config"} <= set(doc)
    assert doc["default_strategy"] == "default"
    assert set(doc["strategies"]) == {"A1", "A2", "A3", "A4", "A4cal", "default"}
    for m in doc["strategies"].values():
        assert {"precision", "recall", "f1", "fpr", "mean_time_to_alert_s", "segment_precision",
                "segment_recall"} <= set(m)
    call = doc["calls"][0]
    assert {"id", "label", "lang", "fraud_type", "alerted", "time_to_alert_s"} <= set(call)
    assert set(call["alerted"]) == set(doc["strategies"])
    assert [r["window_s"] for r in doc["window_sweep"]] == [2.0, 3.0, 5.0]
    assert doc["config"]["window_s"] == 2.0 and doc["config"]["n_calls"] == 4
    assert "| A4 |" in md.read_text()


def test_eval_rejects_unknown_strategy_and_bad_corpus(tmp_path, fake_engine):
    from scamguard.cli import main

    corpus = write_corpus(tmp_path / "calls.jsonl")
    res = CliRunner().invoke(main, ["eval", str(corpus), "--strategies", "A1,B7"])
    assert res.exit_code != 0 and "B7" in res.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(CALLS[0]) + "\n" + json.dumps({**CALLS[1], "label": "maybe"}) + "\n")
    res = CliRunner().invoke(main, ["eval", str(bad)])
    assert res.exit_code != 0 and "bad.jsonl:2" in res.output
