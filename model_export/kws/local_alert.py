"""Does the board raise its local alert on whole calls when the host is out of reach?

Plays every English call of the synthesised corpora (piper's neural voice, telephone channel:
`make corpus-en`, `make eval-dev`) into the simulator with no host (`--wait-host 0`), so the
board is in local keyword mode throughout, and counts the calls that reach the local alert
(params.toml: local_alert_hits keyword hits within local_alert_window_ms) and the keyword hits.
The voice is one the spotter never heard in training (espeak-ng voices only).

    python -m model_export.kws.local_alert [--sim build/sim/scamguard-sim] -> build/kws/local_alert.json
"""
from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

from . import synth

CORPORA = {"results corpus (calls.jsonl)": "build/corpus/en/corpus.jsonl",
           "dev calls (dev_calls.jsonl)": "build/corpus/dev-en/corpus.jsonl"}


def run_call(sim: Path, wav: Path) -> tuple[int, bool]:
    out = subprocess.run([str(sim), "--wav", str(wav), "--wait-host", "0", "--speed", "0", "--tail-ms", "300"],
                         capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    return sum(line.startswith("KWS ") for line in lines), any("to=local-alert" in line for line in lines)


def measure(sim: Path, corpus: Path) -> dict:
    keywords = json.loads((synth.ROOT / "phrase_library" / "keywords.json").read_text(encoding="utf-8"))["languages"]["en"]["on_chip"]
    res = {label: {"calls": 0, "local_alerts": 0, "keyword_hits": 0, "keywords_in_script": 0, "seconds": 0.0}
           for label in ("scam", "benign")}
    for line in corpus.open(encoding="utf-8"):
        call = json.loads(line)
        if call["lang"] != "en":
            continue
        wav = corpus.parent / call["audio"]
        hits, alerted = run_call(sim, wav)
        r = res[call["label"]]
        r["calls"] += 1
        r["local_alerts"] += alerted
        r["keyword_hits"] += hits
        text = " ".join(t["text"] for t in call["turns"]).lower()
        r["keywords_in_script"] += sum(text.count(k) for k in keywords)
        r["seconds"] += (wav.stat().st_size - 44) / 2 / synth.SR
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sim", default=str(synth.ROOT / "build" / "sim" / "scamguard-sim"))
    a = ap.parse_args(argv)
    out = {}
    for name, rel in CORPORA.items():
        path = synth.ROOT / rel
        if not path.exists():
            print(f"{name}: {rel} not synthesised, skipped")
            continue
        out[name] = measure(Path(a.sim), path)
        for label, r in out[name].items():
            print(f"{name} {label}: {r['local_alerts']}/{r['calls']} calls with a local alert, "
                  f"{r['keyword_hits']} keyword hits ({r['keywords_in_script']} keywords in the scripts) in {r['seconds'] / 60:.1f} min")
    (synth.ROOT / "build" / "kws" / "local_alert.json").write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
