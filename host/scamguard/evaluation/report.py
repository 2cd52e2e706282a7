"""Markdown tables in the paper's layouts (Table 2: strategies; Table 3: window sweep)."""
from __future__ import annotations

DESCRIPTIONS = {
    "A1": "whole transcript, post-call",
    "A2": "keywords (seed-001 weights), per segment",
    "A3": "segment cosine >= threshold",
    "A4": "3-of-5 vote, cosine >= 0.80 (paper literal)",
    "A4cal": "3-of-5 vote, calibrated cosine",
    "default": "ours: contrastive + logistic + leaky evidence",
}


def fmt(x, digits: int = 3) -> str:
    """A metric for a table: fixed decimals, or an en dash when absent."""
    return "–" if x is None else f"{x:.{digits}f}"


def strategies_table(metrics: dict, title: str | None = None) -> str:
    lines = [f"**{title}**", ""] if title else []
    lines += ["| strategy | method | precision | recall | F1 | FPR | AUC | mean time to alert (s) | seg. precision | seg. recall | TP/FP/TN/FN |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, m in metrics.items():
        c = m.get("counts", {})
        lines.append(f"| {name} | {DESCRIPTIONS.get(name, '')} | {fmt(m['precision'])} | {fmt(m['recall'])} | "
                     f"{fmt(m['f1'])} | {fmt(m['fpr'])} | {fmt(m.get('auc'))} | {fmt(m['mean_time_to_alert_s'], 1)} | "
                     f"{fmt(m['segment_precision'])} | {fmt(m['segment_recall'])} | "
                     f"{c.get('tp', '–')}/{c.get('fp', '–')}/{c.get('tn', '–')}/{c.get('fn', '–')} |")
    return "\n".join(lines) + "\n"


def sweep_table(sweep: list[dict], names: list[str]) -> str:
    """Table 3 layout: one row per (strategy, window): F1, FPR and latency."""
    lines = ["| strategy | window (s) | calls | F1 | FPR | recall | mean time to alert (s) |",
             "|---|---|---|---|---|---|---|"]
    for name in names:
        for row in sweep:
            m = row["strategies"].get(name)
            if m is None:
                continue
            lines.append(f"| {name} | {row['window_s']:g} | {row.get('calls', '–')} | {fmt(m['f1'])} | {fmt(m['fpr'])} | {fmt(m['recall'])} | "
                         f"{fmt(m['mean_time_to_alert_s'], 1)} |")
    return "\n".join(lines) + "\n"


def markdown_report(doc: dict) -> str:
    cfg = doc["config"]
    out = [f"# Text-mode evaluation: {cfg['corpus']}", "",
           f"- command: `{cfg['command']}`",
           f"- calls: {cfg['n_calls']} (split: {cfg['split']})",
           f"- window: {cfg['window_s']:g} s; speaking rate {cfg['speaking_rate']}",
           f"- embedder: {cfg['embedder']}; phrase library {cfg['phrase_library']}",
           f"- scamguard {cfg['scamguard_version']}, {cfg['date']}", "",
           strategies_table(doc["strategies"])]
    if "window_sweep" in doc:
        out += ["", "Window sweep", "", sweep_table(doc["window_sweep"], list(doc["strategies"]))]
    return "\n".join(out)
