"""Markdown for audio mode: Table 2 (strategies) and Table 3 (windows), in the paper's
layouts, plus ASR error and the latency breakdown. Reuses the text mode's table writer."""
from __future__ import annotations

from ..evaluation.report import DESCRIPTIONS, fmt as _f, strategies_table


def table2(metrics: dict) -> str:
    lines = ["| strategy | method | precision | recall | F1 | FPR | AUC | time to alert from call start (s) | "
             "latency after deciding segment, mean / p95 (s) | ASR / embed / search / vote (s) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name, m in metrics.items():
        p = m.get("alert_latency_parts_s") or {}
        parts = " / ".join(_f(p.get(k), 3) for k in ("asr_s", "embed_s", "search_s", "vote_s")) if p else "–"
        lines.append(f"| {name} | {DESCRIPTIONS.get(name, '')} | {_f(m['precision'])} | {_f(m['recall'])} | "
                     f"{_f(m['f1'])} | {_f(m['fpr'])} | {_f(m.get('auc'))} | {_f(m['mean_time_to_alert_s'], 1)} | "
                     f"{_f(m.get('mean_alert_latency_s'), 2)} / {_f(m.get('p95_alert_latency_s'), 2)} | {parts} |")
    return "\n".join(lines) + "\n"


def table3(sweep: list[dict], names: list[str]) -> str:
    lines = ["| strategy | window (s) | calls | F1 | FPR | recall | time to alert (s) | latency after deciding segment (s) |",
             "|---|---|---|---|---|---|---|---|"]
    for name in names:
        for row in sweep:
            m = row["strategies"].get(name)
            if m is None:
                continue
            lines.append(f"| {name} | {row['window_s']:g} | {row.get('calls', '–')} | {_f(m['f1'])} | {_f(m['fpr'])} | "
                         f"{_f(m['recall'])} | {_f(m['mean_time_to_alert_s'], 1)} | "
                         f"{_f(m.get('mean_alert_latency_s'), 2)} |")
    return "\n".join(lines) + "\n"


def markdown_report(doc: dict, plots: list[str] | None = None) -> str:
    cfg = doc["config"]
    asr = cfg["asr"]
    err = cfg.get("asr_error") or {}
    err_txt = ", ".join(f"{lang}: {k.upper()} {v:.3f} ({e['calls']} calls)"
                        for lang, e in err.items() for k, v in e.items() if k in ("wer", "cer")) or "–"
    out = [f"# Audio-mode evaluation: {cfg['corpus']}", "",
           f"- command: `{cfg['command']}`",
           f"- calls: {cfg['n_calls']}; window {cfg['window_s']:g} s; segmenter {cfg['segmenter']}",
           f"- ASR: {asr}; language: {cfg['asr_language']}; error against the script: {err_txt}",
           f"- embedder: {cfg['embedder']}; phrase library {cfg['phrase_library']}",
           f"- latency: {cfg['latency']}",
           f"- scamguard {cfg['scamguard_version']}, {cfg['date']}", "",
           "## Table 2: strategies (paper 004 layout, audio mode)", "", table2(doc["strategies"]),
           "Segment-level and confusion counts:", "", strategies_table(doc["strategies"])]
    if "window_sweep" in doc:
        out += ["## Table 3: window length (F1 against latency)", "",
                f"Windows other than {cfg['window_s']:g} s ran on {cfg.get('sweep_calls') or 'all'} calls "
                "(balanced subset, see config.sweep_calls).", "",
                table3(doc["window_sweep"], list(doc["strategies"]))]
    if plots:
        out += ["## Plots", ""] + [f"![{p}]({p})" for p in plots]
    return "\n".join(out) + "\n"
