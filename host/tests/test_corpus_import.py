"""TeleAntiFraud importer on a tiny fixture written for this test (not taken from the dataset)."""
import json

import pytest
from click.testing import CliRunner

from scamguard.corpus_import import ImportError_, import_file
from scamguard.evaluation.corpus import load_corpus

VOCAB = {"types": [
    {"slug": "bank_safe_account", "teleantifraud": ["银行诈骗"]},
    {"slug": "investment", "teleantifraud": ["投资诈骗"]},
    {"slug": "romance", "teleantifraud": []},
], "tactics": []}


def line(tts_id, left, right, fraud_type="银行诈骗", **extra):
    return json.dumps({"tts_id": tts_id, "left": left, "right": right, "fraud_type": fraud_type,
                       "user_age": 70, **extra}, ensure_ascii=False)


@pytest.fixture
def vocab(tmp_path):
    p = tmp_path / "fraud_types.json"
    p.write_text(json.dumps(VOCAB, ensure_ascii=False), encoding="utf-8")
    return p


def test_fraud_file_converts_turns_labels_and_slugs(tmp_path, vocab):
    src = tmp_path / "fraud.jsonl"
    src.write_text("\n".join([
        line("x1", ["我是银行的。", "请转账。"], ["什么事？"]),
        line("x2", ["有个投资机会。"], ["不用了。"], fraud_type="投资诈骗"),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    rep = import_file(src, "fraud", out, vocab)
    assert rep.calls == 2 and rep.fraud_types == {"bank_safe_account": 1, "investment": 1}
    calls = load_corpus(out)  # the output passes the corpus validator
    assert calls[0] == {"id": "teleantifraud:fraud:x1", "label": "scam", "lang": "zh", "fraud_type": "bank_safe_account",
                        "turns": [{"speaker": "caller", "text": "我是银行的。"}, {"speaker": "callee", "text": "什么事？"},
                                  {"speaker": "caller", "text": "请转账。"}]}


def test_normal_file_ignores_leftover_fraud_type(tmp_path, vocab):
    src = tmp_path / "normal.jsonl"
    src.write_text(line("x1", ["您好，要点餐吗？"], ["要一份面。"], fraud_type="订餐服务") + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    import_file(src, "normal", out, vocab)
    call = load_corpus(out)[0]
    assert call["label"] == "benign" and call["fraud_type"] is None and call["id"] == "teleantifraud:normal:x1"


@pytest.mark.parametrize("bad, message", [
    ("{not json", "invalid JSON"),
    (line("x9", ["a"], ["b", "c", "d"]), "do not alternate"),
    (line("x9", ["a"], ["b"], fraud_type="星际诈骗"), "no slug"),
    (json.dumps({"left": ["a"], "right": []}), "tts_id"),
    (line("x9", "not a list", []), "'left' must be a list"),
])
def test_malformed_lines_stop_with_file_and_line(tmp_path, vocab, bad, message):
    src = tmp_path / "f.jsonl"
    src.write_text(line("ok", ["a"], ["b"]) + "\n\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(ImportError_, match=message) as exc:
        import_file(src, "fraud", tmp_path / "o.jsonl", vocab)
    assert f"{src}:3:" in str(exc.value)
    assert not (tmp_path / "o.jsonl").exists()  # nothing half-written


def test_duplicate_ids_are_errors(tmp_path, vocab):
    src = tmp_path / "f.jsonl"
    src.write_text(line("d", ["a"], ["b"]) + "\n" + line("d", ["c"], []) + "\n", encoding="utf-8")
    with pytest.raises(ImportError_, match="duplicate"):
        import_file(src, "fraud", tmp_path / "o.jsonl", vocab)


def test_cli_reports_counts(tmp_path, vocab):
    from scamguard.cli import main

    src = tmp_path / "f.jsonl"
    src.write_text(line("a", ["x"], ["y"]) + "\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    res = CliRunner().invoke(main, ["corpus", "import-teleantifraud", str(src), "--label", "fraud", "-o", str(out),
                                    "--fraud-types", str(vocab)])
    assert res.exit_code == 0, res.output
    assert "wrote 1 calls" in res.output and "bank_safe_account: 1" in res.output
