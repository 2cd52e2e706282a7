"""`make bench`: host real-time factor and the latency from the end of a segment to its
verdict frame, broken into queueing, ASR, embedding, voting and framing.

A producer thread releases each board segment (cut by the firmware's segmenter through
libsgcore) when its audio has ended in real time (``--speed`` > 1 compresses the clock);
one worker, as in the daemon, runs the Engine on it and encodes the VERDICT frame. The
same segments are then transcribed by a plain faster-whisper model in the same process,
so the latency can be quoted as a ratio to plain ASR: on a loaded or slower machine both
grow together, and the ratio is what the pipeline adds.

Audio: the packaged demo calls, synthesised with espeak-ng through the telephone channel
(seed 0, 20 dB SNR), so the bench needs nothing outside the repository.
"""
from __future__ import annotations

import argparse
import json
import queue
import statistics
import threading
import time
from pathlib import Path

import numpy as np


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))] if xs else float("nan")


def demo_audio(n_calls: int, seed: int = 0) -> list[tuple[str, np.ndarray]]:
    from importlib import resources

    from ..synth.corpus_synth import SynthOptions, synth_call
    from ..synth.engines import EspeakEngine

    lines = (resources.files("scamguard") / "data" / "demo_calls.jsonl").read_text(encoding="utf-8").splitlines()
    calls = [json.loads(x) for x in lines if x.strip()]
    calls = [c for c in calls if c.get("lang") == "en"][:n_calls]
    eng = EspeakEngine()
    return [(c["id"], synth_call(c, eng, SynthOptions(seed=seed)).pcm) for c in calls]


def run(n_calls: int, window_s: float, speed: float, asr_model: str) -> dict:
    from faster_whisper import WhisperModel

    from ..engine import Engine
    from ..protocol import messages as M
    from ..params import ProtocolLevel
    from .segmentation import segment_pcm

    eng = Engine.from_options(asr_model=asr_model, language="en", strategy="default")
    plain = WhisperModel(eng.asr.model_path, device="cpu", compute_type="int8", cpu_threads=2, num_workers=1,
                         local_files_only=True)
    audio = demo_audio(n_calls)
    eng.embedder.embed_queries(["warm up"])
    eng.asr.transcribe(np.zeros(16000, np.int16))
    rows: list[dict] = []
    total_audio = sum(len(p) for _, p in audio) / 16000
    t_proc = 0.0
    for call_id, pcm in audio:
        cuts = segment_pcm(pcm, "fixed", window_s)
        q: queue.Queue = queue.Queue()
        call = eng.new_call()
        t0 = time.perf_counter()

        def produce():
            for cut in cuts:  # the segment exists once its last sample has been "spoken"
                delay = t0 + cut.t_end_s / speed - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                q.put((cut, time.perf_counter()))
            q.put(None)

        th = threading.Thread(target=produce, daemon=True)
        th.start()
        seq = 0
        while (item := q.get()) is not None:
            cut, released = item
            start = time.perf_counter()
            v = eng.process_audio(call, pcm[cut.start_sample:cut.end_sample], cut.t_start_s, cut.t_end_s)
            t_frame = time.perf_counter()
            level = {"safe": ProtocolLevel.SAFE, "suspicious": ProtocolLevel.SUSPICIOUS, "scam": ProtocolLevel.SCAM}[v.level]
            frame = M.encode_message(M.Verdict(cut.seg_id & 0xFFFF, int(level), int(round(v.score * 1000)), v.reason), seq)
            seq += 1
            done = time.perf_counter()
            t_proc += done - start
            rows.append({"call": call_id, "seg": cut.seg_id, "audio_s": cut.t_end_s - cut.t_start_s,
                         "queue_s": start - released, "asr_s": v.timings["asr_s"], "embed_s": v.timings["embed_s"],
                         "vote_s": v.timings["score_s"], "frame_s": done - t_frame, "frame_bytes": len(frame),
                         "latency_s": done - released, "level": v.level, "pcm": (cut.start_sample, cut.end_sample)})
        th.join()
    # plain faster-whisper on exactly the same segments, same settings, same process
    pcms = {cid: p for cid, p in audio}
    for r in rows:
        a, b = r.pop("pcm")
        x = pcms[r["call"]][a:b].astype(np.float32) / 32768.0
        t = time.perf_counter()
        segs, _ = plain.transcribe(x, language="en", beam_size=1, condition_on_previous_text=False,
                                   vad_filter=False, without_timestamps=True)
        "".join(s.text for s in segs)
        r["plain_asr_s"] = time.perf_counter() - t
    lat = [r["latency_s"] for r in rows]
    plain_t = [r["plain_asr_s"] for r in rows]
    ratio = [r["latency_s"] / r["plain_asr_s"] for r in rows if r["plain_asr_s"] > 0]
    summary = {
        "calls": len(audio), "segments": len(rows), "window_s": window_s, "speed": speed, "audio_s": round(total_audio, 1),
        "rtf": round(t_proc / total_audio, 4),
        "plain_asr_rtf": round(sum(plain_t) / sum(r["audio_s"] for r in rows), 4),
        **{f"{k}_p50": round(statistics.median(r[k] for r in rows), 4)
           for k in ("queue_s", "asr_s", "embed_s", "vote_s", "frame_s", "latency_s", "plain_asr_s")},
        "latency_p95": round(_pct(lat, 0.95), 4),
        "latency_over_plain_asr_p50": round(statistics.median(ratio), 3),
        "latency_over_plain_asr_p95": round(_pct(ratio, 0.95), 3),
    }
    return {"summary": summary, "segments": rows}


def markdown(doc: dict) -> str:
    s = doc["summary"]
    return "\n".join([
        "# Host bench (audio path): real-time factor and latency to the verdict frame", "",
        f"{s['calls']} demo calls ({s['audio_s']} s of audio), {s['segments']} segments of {s['window_s']:g} s "
        f"from the firmware segmenter, released at {s['speed']:g}x real time. Command: `make bench`.", "",
        "| measure | p50 (s) |", "|---|---|",
        *[f"| {k[:-4]} | {s[k]:.3f} |" for k in ("queue_s_p50", "asr_s_p50", "embed_s_p50", "vote_s_p50", "frame_s_p50",
                                                  "latency_s_p50", "plain_asr_s_p50")],
        "", f"- latency segment end → verdict frame: p50 {s['latency_s_p50']:.3f} s, p95 {s['latency_p95']:.3f} s",
        f"- **ratio to plain faster-whisper on the same segment, same run: p50 {s['latency_over_plain_asr_p50']:.2f}, "
        f"p95 {s['latency_over_plain_asr_p95']:.2f}**",
        f"- host real-time factor (processing / audio): {s['rtf']:.3f}; plain ASR alone: {s['plain_asr_rtf']:.3f}", ""])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=2)
    ap.add_argument("--window", type=float, default=5.0)
    ap.add_argument("--speed", type=float, default=1.0, help="release segments this many times faster than real time")
    ap.add_argument("--asr-model", default="base")
    ap.add_argument("--json", default=None)
    ap.add_argument("--md", default=None)
    a = ap.parse_args(argv)
    doc = run(a.calls, a.window, a.speed, a.asr_model)
    text = markdown(doc)
    print(text)
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    if a.md:
        Path(a.md).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
