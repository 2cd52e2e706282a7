"""build/kws/eval.json + the manifest -> docs/results/kws.md (figures only from measurements).
    python -m model_export.kws.report
"""
from __future__ import annotations

import json

from . import synth
from .features import dsp  # noqa: F401  (puts host/ on sys.path for scamguard)
from scamguard import params as P  # noqa: E402

CHS = ["clean", "telephone", "speakerphone", "all"]


def _row(name: str, r: dict) -> str:
    rec = "–" if r["recall"] is None else f"{r['recall']:.3f} ({r['detected']}/{r['keywords']})"
    return f"| {name} | {r['hours']:.2f} | {rec} | {r['false_accepts']} | {r['fa_per_hour']:.1f} |"


def per_keyword_table(ev: dict, labels: list[str]) -> str:
    """Recall of each keyword, spliced in and said inline (evaluate.score's per_keyword counts)."""
    lines = ["| keyword | spliced in | said inside the sentence |", "|---|---|---|"]
    for k, word in enumerate(labels):
        cells = []
        for name in ("eval_pos", "eval_inline"):
            det, said = ev[name]["all"].get("per_keyword", {}).get(str(k), (0, 0))
            cells.append(f"{det / said:.3f} ({det}/{said})" if said else "–")
        lines.append(f"| {word} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def _local_alert_table(path) -> str:
    """make kws-local-alert's figures, or a line saying how to produce them."""
    if not path.exists():
        return "Not measured: run `make kws-local-alert` (and `make corpus-en` for the whole calls)."
    d = json.loads(path.read_text())
    sc = d["script"]
    lines = [f"Scripted scam (`local_alert.SCRIPT`, {d['script_keywords']} keywords in about 23 s), {len(sc)} renderings: local "
             f"alert in **{sum(r['local_alert'] for r in sc)}**; keyword hits per rendering "
             f"{', '.join(str(r['keyword_hits']) for r in sc)}.", "",
             "| calls | label | calls with a local alert | keyword hits | keywords in the scripts | minutes |",
             "|---|---|---|---|---|---|"]
    for name, by_label in d["calls"].items():
        for label, r in by_label.items():
            lines.append(f"| {name} | {label} | {r['local_alerts']}/{r['calls']} | {r['keyword_hits']} | "
                         f"{r['keywords_in_script']} | {r['seconds'] / 60:.1f} |")
    if not d["calls"]:
        lines.append("| (no synthesised corpus: run `make corpus-en`) | | | | | |")
    return "\n".join(lines)


def main() -> int:
    ev = json.loads((synth.ROOT / "build" / "kws" / "eval.json").read_text())
    man = json.loads((synth.ROOT / "model_export" / "artifacts" / "kws_manifest.json").read_text())
    st = man["streaming"]
    lines = [f"| set / channel | hours | recall | false accepts | FA per hour |", "|---|---|---|---|---|"]
    titles = {"eval_pos": "keywords in benign corpus turns", "eval_neg": "benign corpus calls (no keywords)",
              "eval_lib": "benign phrase library",
              "eval_inline": "keywords said inside benign corpus turns, one utterance",
              "eval_inline_other": "flite/festival held-out speaker: keywords said inside turns",
              "eval_neg_other": "flite/festival held-out speaker: benign corpus calls"}
    order = ("eval_pos", "eval_inline", "eval_neg", "eval_lib", "eval_inline_other", "eval_neg_other")
    sets = [name for name in order if name in ev]  # the *_other sets exist from the fifteenth session on
    for name in sets:
        for ch in CHS:
            lines.append(_row(f"{titles[name]} / {ch}", ev[name][ch]))
    negs = [name for name in ("eval_neg", "eval_lib", "eval_neg_other") if name in ev]
    neg_h = sum(ev[name]["all"]["hours"] for name in negs)
    neg_fa = sum(ev[name]["all"]["false_accepts"] for name in negs)
    table = "\n".join(lines)
    recall = ev["eval_pos"]["all"]["recall"]
    recall_inline = ev["eval_inline"]["all"]["recall"]
    recall_other = ev["eval_inline_other"]["all"]["recall"] if "eval_inline_other" in ev else None
    fa = neg_fa / neg_h if neg_h else float("nan")
    worst = min(r for r in (recall, recall_inline, recall_other) if r is not None)
    verdict = "met" if worst >= 0.90 and fa <= 10 else "NOT met"
    other = ("not measured (no `eval_inline_other` set)" if recall_other is None else f"**{recall_other:.3f}**")
    local_table = _local_alert_table(synth.ROOT / "build" / "kws" / "local_alert.json")
    rule = f"{P.ALERT_LOCAL_ALERT_HITS} keyword hits within {P.ALERT_LOCAL_ALERT_WINDOW_MS / 1000:g} s"
    out = synth.ROOT / "docs" / "results" / "kws.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    body = (synth.ROOT / "model_export" / "kws" / "report_template.md").read_text()
    out.write_text(body.format(train_voices=", ".join(synth.TRAIN_VOICES), n_train_variants=len(synth.TRAIN_VARIANTS),
                               heldout_voices=", ".join(synth.HELDOUT_VOICES),
                               other_split="; ".join(f"{pool.split('_')[1].replace('heldout', 'held out')}: " + ", ".join(f"{e} {v}" for e, v in voices)
                                                     for pool, voices in synth.OTHER_VOICES.items()),
                               heldout_variants=", ".join(synth.HELDOUT_VARIANTS), version=man["version"], labels=", ".join(man["labels"][1:]), table=table,
                               window=st["sliding_window_size"], stride_ms=man["features"]["stride_frames"] * 20,
                               threshold=st["probability_cutoff"],
                               cooldown=st["cooldown_ms"], tuning=json.dumps(st.get("tuning", {}).get("chosen")),
                               recall=recall, recall_inline=recall_inline, recall_other=other,
                               per_keyword=per_keyword_table(ev, man["labels"][1:]), fa=fa, verdict=verdict,
                               neg_hours=neg_h, local_alert=local_table, alert_rule=rule, sizes=json.dumps(man["sizes"]), training=json.dumps(
                                   {k: man["training"][k] for k in ("tensorflow", "epochs", "widths", "copies", "speed_perturb", "val_variants", "pos_cover", "other_voices",
                                                                   "train_windows", "train_scenes", "val_scenes") if k in man["training"]})))
    print("wrote", out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
