"""Seed-001 degree-of-correlation weights on a tiny corpus, exact numbers."""
import pytest

from scamguard.keywords import KeywordModel, candidates

EN = [("buy gift cards now", "en", True), ("gift cards please", "en", True), ("buy milk now", "en", False)]


def test_english_weights_are_scam_minus_benign_document_frequency_in_percent():
    m = KeywordModel.fit(EN, {"min_df": 1, "en_ngrams": [1, 2]})
    w = m.weights["en"]
    assert w["gift"] == pytest.approx(100.0)
    assert w["gift cards"] == pytest.approx(100.0)
    assert w["buy gift"] == pytest.approx(50.0)
    assert w["please"] == pytest.approx(50.0)
    assert "buy" not in w and "now" not in w  # 50 - 100 < 0: more typical of benign text
    assert m.score("Gift cards, please!", "en") == pytest.approx(100 + 100 + 100 + 50 + 50)


def test_min_df_and_top_k_limit_the_list():
    m = KeywordModel.fit(EN, {"min_df": 2, "en_ngrams": [1, 2]})
    assert set(m.weights["en"]) == {"gift", "cards", "gift cards"}
    m = KeywordModel.fit(EN, {"min_df": 1, "top_k": 2, "en_ngrams": [1]})
    assert list(m.weights["en"]) == ["cards", "gift"]  # ties broken alphabetically


def test_mandarin_uses_character_ngrams_within_chinese_runs():
    assert candidates("转账，安全", "zh", [2]) == {"转账", "安全"}
    docs = [("请转账到安全账户", "zh", True), ("安全账户很安全", "zh", True), ("注意安全", "zh", False)]
    m = KeywordModel.fit(docs, {"min_df": 2, "zh_ngrams": [2]})
    # 安全 is in every document (100 - 100 = 0, dropped); 账户 and 全账 are in both scam texts
    assert m.weights["zh"] == {"全账": pytest.approx(100.0), "账户": pytest.approx(100.0)}
    assert m.hits("把钱转进安全账户", "zh") == [("全账", 100.0), ("账户", 100.0)]
    assert m.score("你好", "zh") == 0.0
    assert m.score("gift", "fr") == 0.0  # no list for that language


def test_function_words_alone_are_not_keywords():
    assert candidates("so you need to pay", "en", [1, 2]) == {"need", "pay", "you need", "need to", "to pay"}
    assert candidates("我们不要", "zh", [2]) == {"们不", "不要"}  # 我们 is only function characters
