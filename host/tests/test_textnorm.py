import pytest

from scamguard.textnorm import detect_lang, match_key, normalize, to_simplified


def test_traditional_to_simplified():
    assert to_simplified("您的帳戶涉嫌洗錢") == "您的账户涉嫌洗钱"
    assert normalize("請立即轉帳到安全賬戶") == "请立即转账到安全账户"


def test_full_width_digits_and_letters():
    assert normalize("驗證碼是１２３４５６") == "验证码是123456"
    assert normalize("ＡＢＣ　ｄｅｆ") == "ABC def"


def test_punctuation_and_spaces():
    assert normalize("你好，我是客服。") == "你好,我是客服."
    assert normalize("“Hello”…  world") == '"Hello"... world'
    # spaces Whisper puts between Chinese characters are not word breaks
    assert normalize("请 配合 调查") == "请配合调查"
    assert normalize("call 请 配合") == "call 请配合"


def test_match_key_ignores_case_punctuation_and_script():
    assert match_key("Move your savings, NOW!") == match_key("move your savings now")
    assert match_key("轉帳。") == match_key("转账")
    assert match_key("转账") != match_key("转帐单")


def test_detect_lang():
    assert detect_lang("你的账户有风险 please") == "zh"
    assert detect_lang("please call the bank 你") == "en"
    assert detect_lang("") == "en"


def test_rejects_non_text():
    with pytest.raises(TypeError):
        normalize(b"bytes")
