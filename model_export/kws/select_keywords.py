"""Choose the spotter's keywords with seed paper 001's "degree of correlation".

corr(w) = Ff(w) - Fn(w): the share (percent) of scam documents that contain w minus the share
of benign documents that contain it. As in the paper, the program ranks and a person filters:
the fully automatic ranking (scamguard.keywords) is dominated by function words ("and", "so",
"我们") that a spotter cannot use, so the ranking runs over a hand-written candidate list of
content phrases (our own words, not taken from any dataset) and keeps the best per language.

Documents: the phrase library (one entry = one document) and, for Mandarin, optionally the
TeleAntiFraud dev dialogues (one call = one document) when /work/shared is present. Only the
computed weights are written, never that text.

    python -m model_export.kws.select_keywords [--dev DIR] [--out phrase_library/keywords.json]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Candidate phrases: vocabulary of the fraud types in phrase_library/fraud_types.json.
CANDIDATES = {
    "en": ["gift card", "safe account", "secure account", "holding account", "verification code",
           "one-time code", "remote access", "screen", "bitcoin", "crypto", "wallet", "wire transfer",
           "transfer", "bank account", "account number", "card number", "social security",
           "arrest", "warrant", "police", "officer", "investigation", "prize", "lottery",
           "processing fee", "fee", "deposit", "refund", "investment", "download", "app", "link",
           "customs", "password", "pin", "withdraw", "don't tell", "security team", "frozen",
           "suspended", "legal action", "tax", "release", "funds", "urgent", "right now",
           "within the hour", "read me", "read it back", "insurance", "loan", "credit"],
    "zh": ["安全账户", "验证码", "转账", "汇款", "银行卡", "卡号", "身份证", "征信", "保证金", "手续费",
           "解冻", "冻结", "公安局", "警察", "通缉", "洗钱", "逮捕", "法院", "下载", "链接", "屏幕共享",
           "共享屏幕", "贷款", "额度", "刷单", "返利", "投资", "理财", "中奖", "退款", "客服", "快递",
           "密码", "不要告诉", "保密", "提现", "到账", "平台", "资金", "配合调查", "涉嫌", "医保",
           "社保", "注销", "百分之", "收益", "充值", "会员", "远程"],
}
N_KEEP = {"en": 16, "zh": 16}
# The on-chip model has at most SG_KWS_MAX_KEYWORDS (8) outputs and a 1 s window, so it spots
# a few of the kept keywords: the highest-weighted ones with two or more syllables (one-syllable
# words such as "fee" or "link" are too short to separate from ordinary speech), that fit the
# window at a slow speaking rate ("investigation", "card number" take about 1 s) and are not
# everyday phrases ("right now", "read me") that benign calls are full of. Hand-picked.
ON_CHIP = {"en": ["deposit", "release", "officer", "wallet", "bitcoin", "withdraw"],
           "zh": ["身份证", "银行卡", "转账", "冻结", "中奖", "验证码"]}


def _has(text: str, phrase: str, lang: str) -> bool:
    if lang == "zh":
        return phrase in text
    return re.search(r"(?<![a-z])" + re.escape(phrase) + r"s?(?![a-z])", text) is not None


def _norm(text: str, lang: str) -> str:
    return text if lang == "zh" else text.lower().replace("\u2019", "'").replace("-", " ").replace("one time", "one-time")


def doc_freq(docs: list[str], lang: str) -> dict[str, float]:
    docs = [_norm(d, lang) for d in docs]
    n = max(len(docs), 1)
    return {w: 100.0 * sum(_has(d, _norm(w, lang), lang) for d in docs) / n for w in CANDIDATES[lang]}


def library_docs(lang: str, label: str) -> list[str]:
    path = ROOT / "phrase_library" / f"{lang}_{label}.jsonl"
    return [json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()]


def dev_docs(dev: Path, name: str) -> list[str]:
    out = []
    for line in (dev / name).open(encoding="utf-8"):
        if line.strip():
            d = json.loads(line)
            out.append(" ".join(list(d.get("left", [])) + list(d.get("right", []))))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", type=Path, default=Path("/work/shared/data/teleantifraud-dev"))
    ap.add_argument("--out", type=Path, default=ROOT / "phrase_library" / "keywords.json")
    args = ap.parse_args(argv)
    result = {"method": "seed 001 degree of correlation: corr = DF_scam% - DF_benign% (document frequency, percent)",
              "command": "python -m model_export.kws.select_keywords" + (" --dev " + str(args.dev) if args.dev.is_dir() else ""),
              "languages": {}}
    for lang in ("en", "zh"):
        sources = {"phrase_library": (library_docs(lang, "scam"), library_docs(lang, "benign"))}
        if lang == "zh" and args.dev.is_dir():
            sources["teleantifraud_dev"] = (dev_docs(args.dev, "fraud_dialogues-dev.jsonl"),
                                            dev_docs(args.dev, "normal_dialogues-dev.jsonl"))
        per_src = {}
        for src, (scam, benign) in sources.items():
            ff, fn = doc_freq(scam, lang), doc_freq(benign, lang)
            per_src[src] = {w: (ff[w], fn[w]) for w in CANDIDATES[lang]}
        rows = []
        for w in CANDIDATES[lang]:
            # Weight = mean corr over the sources, so a large corpus does not drown the library.
            corrs = [per_src[s][w][0] - per_src[s][w][1] for s in per_src]
            row = {"keyword": w, "weight": round(sum(corrs) / len(corrs), 2)}
            for s in per_src:
                row[s] = {"scam_df_pct": round(per_src[s][w][0], 2), "benign_df_pct": round(per_src[s][w][1], 2)}
            rows.append(row)
        rows.sort(key=lambda r: (-r["weight"], r["keyword"]))
        kept = [r for r in rows if r["weight"] > 0][: N_KEEP[lang]]
        result["languages"][lang] = {"sources": {s: len(sources[s][0]) + len(sources[s][1]) for s in sources},
                                     "keywords": kept,
                                     "on_chip": [w for w in ON_CHIP[lang] if w in {r["keyword"] for r in kept}],
                                     "rejected": [r["keyword"] for r in rows if r not in kept]}
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for lang, d in result["languages"].items():
        print(lang, ", ".join(f"{r['keyword']}={r['weight']}" for r in d["keywords"]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
