"""Does the board raise its local alert when the host is out of reach?

Two measurements, both through the simulator with no host (`--wait-host 0`), so the board stays
in local keyword mode and raises its local alert at ALERT_LOCAL_ALERT_HITS keyword hits within
ALERT_LOCAL_ALERT_WINDOW_MS (firmware/params.toml):
- **whole calls**: every English call of the synthesised corpora (piper's neural voice, telephone
  channel: `make corpus-en`, `make eval-dev`); the spotter never heard that voice;
- **a scripted scam** (SCRIPT below, our own words) that says the on-chip keywords twelve times
  in about 23 s, rendered by four held-out espeak-ng voices through each channel of synth.augment.

    python -m model_export.kws.local_alert [--sim build/sim/scamguard-sim] -> build/kws/local_alert.json
"""
from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from . import synth
from .features import dsp  # noqa: F401  (puts host/ on sys.path for scamguard)
from scamguard.audio.wav import read_pcm16, write_pcm16  # noqa: E402

CORPORA = {"results corpus (calls.jsonl)": "build/corpus/en/corpus.jsonl",
           "dev calls (dev_calls.jsonl)": "build/corpus/dev-en/corpus.jsonl"}
SCRIPT = [
    "Good morning, this is officer Daniel Grant from the fraud unit at your bank.",
    "We have seen someone trying to withdraw money from your account this morning.",
    "To protect it you need to withdraw your savings today and keep them safe.",
    "I will send you a wallet address, and you will buy bitcoin at the machine in the shop.",
    "Then put the bitcoin into that wallet, it is a secure holding account for you.",
    "Once the investigation is over we will release the funds back into your account.",
    "Please do not tell the branch staff, the officer in charge has asked for discretion.",
    "You will need to make the first deposit before four o'clock this afternoon.",
    "After the deposit is confirmed I will release the hold on your card.",
]
SCRIPT_VOICES = [("en-us-nyc", "m6"), ("en-gb-x-rp", "f4"), ("en-gb-x-gbcwmd", "m7"), ("en-us-nyc", "Annie")]
CHANNELS = ("clean", "telephone", "speakerphone")


def run_sim(sim: Path, wav: Path) -> tuple[int, bool]:
    """(keyword hits, local alert raised?) for one recording played with no host."""
    out = subprocess.run([str(sim), "--wav", str(wav), "--wait-host", "0", "--speed", "0", "--tail-ms", "300"],
                         capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    return sum(line.startswith("KWS ") for line in lines), any("to=local-alert" in line for line in lines)


def measure_calls(sim: Path, corpus: Path, keywords: list[str]) -> dict:
    res = {label: {"calls": 0, "local_alerts": 0, "keyword_hits": 0, "keywords_in_script": 0, "seconds": 0.0}
           for label in ("scam", "benign")}
    for line in corpus.open(encoding="utf-8"):
        call = json.loads(line)
        if call["lang"] != "en":
            continue
        wav = corpus.parent / call["audio"]
        hits, alerted = run_sim(sim, wav)
        r = res[call["label"]]
        r["calls"] += 1
        r["local_alerts"] += alerted
        r["keyword_hits"] += hits
        text = " ".join(t["text"] for t in call["turns"]).lower()
        r["keywords_in_script"] += sum(text.count(k) for k in keywords)
        r["seconds"] += read_pcm16(wav).size / synth.SR
    return res


def measure_script(sim: Path) -> list[dict]:
    """Each held-out voice through each channel; seeded, so every run renders the same audio."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "script.wav"
        for vi, (name, variant) in enumerate(SCRIPT_VOICES):
            for ch in CHANNELS:
                rng = np.random.default_rng(3 + vi)
                v = synth.Voice(name, variant, 50, 160)
                parts = []
                for sentence in SCRIPT:
                    parts += [synth.speak(sentence, v), np.zeros(int(rng.uniform(0.3, 0.8) * synth.SR), np.float32)]
                pcm = synth.augment(synth.Scene(np.concatenate(parts)), rng, channel=ch)
                write_pcm16(wav, pcm)
                hits, alerted = run_sim(sim, wav)
                out.append({"voice": v.arg(), "channel": ch, "seconds": round(pcm.size / synth.SR, 1),
                            "keyword_hits": hits, "local_alert": alerted})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sim", default=str(synth.ROOT / "build" / "sim" / "scamguard-sim"))
    a = ap.parse_args(argv)
    sim = Path(a.sim)
    keywords = json.loads((synth.ROOT / "phrase_library" / "keywords.json").read_text(encoding="utf-8"))["languages"]["en"]["on_chip"]
    text = " ".join(SCRIPT).lower()
    out: dict = {"calls": {}, "script": measure_script(sim), "script_keywords": sum(text.count(k) for k in keywords)}
    n_alert = sum(r["local_alert"] for r in out["script"])
    print(f"scripted scam: local alert in {n_alert} of {len(out['script'])} renderings, hits per rendering "
          f"{[r['keyword_hits'] for r in out['script']]}")
    for name, rel in CORPORA.items():
        path = synth.ROOT / rel
        if not path.exists():
            print(f"{name}: {rel} not synthesised, skipped")
            continue
        out["calls"][name] = measure_calls(sim, path, keywords)
        for label, r in out["calls"][name].items():
            print(f"{name} {label}: {r['local_alerts']}/{r['calls']} calls with a local alert, {r['keyword_hits']} "
                  f"keyword hits ({r['keywords_in_script']} keywords in the scripts) in {r['seconds'] / 60:.1f} min")
    (synth.ROOT / "build" / "kws" / "local_alert.json").write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
