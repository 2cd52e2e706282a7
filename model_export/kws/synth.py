"""Synthetic speech for the spotter: English voices (espeak-ng, flite, festival), keyword scenes, augmentation.

A *scene* is a stretch of call audio: benign sentences, some with a keyword spoken inside
them, separated by pauses, in one voice, then passed through a channel (clean, telephone or
speakerphone) with noise and gain. The keyword's sample span is known exactly because the
pieces are synthesised separately and joined, so training windows and evaluation can be
labelled without forced alignment.

Voices are split once here into pools (POOLS): espeak-ng's TRAIN_* are the only espeak-ng voices
training ever sees, HELDOUT_* are used only by evaluation (base voice AND variant both unseen);
OTHER_VOICES splits the other engines' speakers into training, validation and held out.
"""
from __future__ import annotations

import functools
import io
import json
import math
import re
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.signal import butter, resample_poly, sosfilt

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "host"))
from scamguard import params as P  # noqa: E402  (generated from firmware/params.toml)

SR = P.AUDIO_SAMPLE_RATE_HZ
TRAIN_VOICES = ["en-us", "en-gb", "en-gb-scotland", "en-gb-x-gbclan", "en-029"]
# Every espeak-ng variant that is not held out and not a robot, whisper or effect voice: the
# spotter generalises to unseen voices only as far as the training voices vary (with the first
# 12 of these alone, validation recall was 0.46 and held-out inline recall 0.26).
TRAIN_VARIANTS = ["m1", "m2", "m3", "m4", "m5", "f1", "f2", "f3", "klatt", "klatt2", "croak", "Andy",
                  "adam", "Alex", "Alicia", "Andrea", "antonio", "aunty", "belinda", "benjamin", "boris",
                  "caleb", "david", "Denis", "Diogo", "ed", "edward", "Gene", "gustave", "Henrique", "Hugo",
                  "iven", "iven2", "Jacky", "john", "Lee", "linda", "marcelo", "Marco", "Mario", "max",
                  "Michael", "michel", "miguel", "Mike", "Nguyen", "pablo", "paul", "pedro", "quincy", "rob",
                  "robert", "steph", "steph2", "Storm", "Tweaky", "zac", "anika", "grandpa", "grandma",
                  "klatt3", "klatt5", "klatt6", "m8", "norbert", "sandro", "shelby", "travis", "victor"]
HELDOUT_VOICES = ["en-us-nyc", "en-gb-x-rp", "en-gb-x-gbcwmd"]
HELDOUT_VARIANTS = ["f4", "f5", "m6", "m7", "Annie", "klatt4"]
assert not set(TRAIN_VARIANTS) & set(HELDOUT_VARIANTS) and not set(TRAIN_VOICES) & set(HELDOUT_VOICES)

# Voices of other synthesisers (Debian's flite and festival), split by *speaker*: the same
# person recorded for two engines (kal; slt) stays on one side. espeak-ng's voices are all one
# formant synthesiser; these are recorded speech (diphones) and statistical voices (clustergen,
# HTS), which sound more like people and like piper's neural voice, where the espeak-trained
# spotter found nothing. Training: kal, awb, rms. Validation: ked. Held out: slt.
OTHER_VOICES = {
    "other_train": [("flite", "kal16"), ("flite", "awb"), ("flite", "rms"), ("festival", "kal_diphone")],
    "other_val": [("festival", "ked_diphone")],
    "other_heldout": [("flite", "slt"), ("festival", "cmu_us_slt_arctic_hts")],
}
POOLS = ("train", "heldout", *OTHER_VOICES)


@dataclass(frozen=True)
class Voice:
    name: str     # espeak-ng base voice, or the engine ("flite", "festival")
    variant: str  # espeak-ng variant, or the engine's speaker
    pitch: int    # espeak-ng -p, 0..99; other engines: a shift in cents
    speed: int    # espeak-ng -s, words per minute; other engines: percent of the natural rate

    @property
    def engine(self) -> str:
        return self.name if self.name in ("flite", "festival") else "espeak"

    def arg(self) -> str:
        return f"{self.name}+{self.variant}"

    def jitter(self, rng) -> "Voice":
        """The same voice a little higher or lower and faster or slower: a keyword said on its own."""
        if self.engine == "espeak":
            return Voice(self.name, self.variant, int(np.clip(self.pitch + rng.integers(-8, 9), 0, 99)),
                         int(np.clip(self.speed + rng.integers(-20, 26), 130, 230)))
        return Voice(self.name, self.variant, int(np.clip(self.pitch + rng.integers(-60, 61), -300, 300)),
                     int(np.clip(self.speed + rng.integers(-10, 14), 75, 135)))


def random_voice(rng: np.random.Generator, pool: str) -> Voice:
    """A voice of one pool (POOLS): "train" / "heldout" are espeak-ng's, the others OTHER_VOICES."""
    if pool in OTHER_VOICES:
        engine, speaker = OTHER_VOICES[pool][int(rng.integers(len(OTHER_VOICES[pool])))]
        return Voice(engine, speaker, int(rng.integers(-200, 201)), int(rng.integers(85, 121)))
    if pool not in ("train", "heldout"):
        raise ValueError(f"unknown voice pool {pool!r}; one of {POOLS}")
    names, variants = (HELDOUT_VOICES, HELDOUT_VARIANTS) if pool == "heldout" else (TRAIN_VOICES, TRAIN_VARIANTS)
    return Voice(str(rng.choice(names)), str(rng.choice(variants)), int(rng.integers(25, 76)),
                 int(rng.integers(140, 201)))


def _trim(pcm: np.ndarray) -> np.ndarray:
    nz = np.flatnonzero(np.abs(pcm) > 1e-3)  # the engines' leading/trailing silence
    return pcm[nz[0]:nz[-1] + 1] if nz.size else pcm[:0]


class SynthError(RuntimeError):
    """A speech engine is missing, refused a voice, or wrote something that is not speech."""


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, check=True, capture_output=True, **kw)
    except FileNotFoundError:
        raise SynthError(f"{cmd[0]} is not installed (`make kws-data` installs the spotter's speech engines)") from None
    except subprocess.CalledProcessError as e:
        err = e.stderr.decode(errors="replace").strip()[:300]
        raise SynthError(f"{cmd[0]} failed with exit status {e.returncode}: {err}") from None


@functools.lru_cache(maxsize=None)
def _flite_voices() -> frozenset[str]:
    """flite falls back to its default voice, silently, for a name it does not have."""
    listing = _run(["flite", "-lv"]).stdout.decode()
    return frozenset(listing.split(":", 1)[-1].split())


def _pcm16_to_sr(wav: bytes, source: str) -> np.ndarray:
    """A mono 16-bit WAV (any rate; the length fields may be unset, as when espeak-ng pipes it)
    as float32 at SR."""
    try:
        with wave.open(io.BytesIO(wav)) as w:
            rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
            frames = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as e:
        raise SynthError(f"{source} did not write a WAV: {e}") from None
    if channels != 1 or width != 2 or rate <= 0:
        raise SynthError(f"{source} wrote {channels} channel(s) of {8 * width}-bit audio at {rate} Hz, "
                         "expected mono 16-bit")
    pcm = np.frombuffer(frames[:len(frames) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
    g = math.gcd(SR, rate)
    return resample_poly(pcm, SR // g, rate // g).astype(np.float32)


def speak(text: str, v: Voice) -> np.ndarray:
    """Speech at 16 kHz, float32 in [-1, 1], leading and trailing silence trimmed. Raises
    SynthError when the engine is missing or refuses the voice."""
    if v.engine != "espeak":
        return _trim(_speak_other(text, v))
    wav = _run(["espeak-ng", "-v", v.arg(), "-p", str(v.pitch), "-s", str(v.speed), "--stdout", text]).stdout
    # Until the fifteenth session the resampling ratio here was a constant 160/441, which takes
    # espeak-ng's 22 050 Hz to 8 kHz, not 16 kHz: every espeak-ng scene was played twice as fast
    # and an octave high, in training and in evaluation alike. The rate now comes from the header.
    return _trim(_pcm16_to_sr(wav, "espeak-ng"))


def _speak_other(text: str, v: Voice) -> np.ndarray:
    """flite or festival into a temporary WAV, then sox: pitch shift (formants move with it, a
    bigger or smaller speaker) and resampling to 16 kHz, out as raw int16."""
    stretch = f"{100 / v.speed:.3f}"  # the engines stretch durations; speed is a rate
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "say.wav"
        if v.name == "flite":
            if v.variant not in _flite_voices():
                raise SynthError(f"flite has no voice {v.variant!r} (it has {', '.join(sorted(_flite_voices()))})")
            _run(["flite", "-voice", v.variant, "--setf", f"duration_stretch={stretch}", "-o", str(wav), "-t", text])
        else:
            done = _run(["text2wave", "-eval", f"(voice_{v.variant})", "-eval", f"(Parameter.set 'Duration_Stretch {stretch})",
                         "-o", str(wav)], input=text.encode())
            if not wav.exists():  # festival reports an unknown voice on stderr and still exits 0
                raise SynthError(f"festival wrote no audio for voice {v.variant!r}: "
                                 f"{done.stderr.decode(errors='replace').strip()[:300]}")
        effects = (["pitch", str(v.pitch)] if v.pitch else []) + ["rate", str(SR)]
        # -D: sox dithers by default, randomly, and the same scene would differ on every run.
        raw = _run(["sox", "-G", "-D", str(wav), "-t", "raw", "-e", "signed", "-b", "16", "-c", "1", "-", *effects]).stdout
    return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0


# ------------------------------------------------------------------ text pools
def _contains_keyword(text: str, keywords: list[str]) -> bool:
    t = text.lower()
    return any(k in t for k in keywords)  # substring: "withdrawal" also sounds like "withdraw"


def library_sentences(lang: str, keywords: list[str]) -> list[str]:
    """Training negatives: every phrase-library sentence (scam and benign) without a keyword."""
    out = []
    for label in ("benign", "scam"):
        for line in (ROOT / "phrase_library" / f"{lang}_{label}.jsonl").open(encoding="utf-8"):
            if line.strip():
                t = json.loads(line)["text"]
                if not _contains_keyword(t, keywords):
                    out.append(t)
    return out


def corpus_calls(lang: str, label: str) -> list[list[str]]:
    """Evaluation speech: the project's test corpus calls (never used for training)."""
    path = ROOT / "docs" / "corpus" / "calls.jsonl"
    calls = []
    if path.exists():
        for line in path.open(encoding="utf-8"):
            d = json.loads(line)
            if d["lang"] == lang and d["label"] == label:
                calls.append([t["text"] for t in d["turns"]])
    return calls


# ------------------------------------------------------------------ scenes
@dataclass
class Scene:
    audio: np.ndarray                     # float32, 16 kHz
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # (keyword id, start, end) samples
    voice: str = ""
    channel: str = "clean"


def _silence(rng, lo: float, hi: float) -> np.ndarray:
    return np.zeros(int(rng.uniform(lo, hi) * SR), np.float32)


def speak_inline(prefix: str, keyword: str, suffix: str, v: Voice) -> tuple[np.ndarray, int, int]:
    """One utterance with the keyword said inside it, as people say keywords, and the keyword's
    estimated span: it starts where the prefix said alone ends and ends where prefix + keyword
    said alone ends. Said alone, the last word is stretched a little (phrase-final), so the
    span is approximate, by tens of milliseconds."""
    whole = speak(" ".join(x for x in (prefix, keyword, suffix) if x), v)
    start = speak(prefix, v).size if prefix else 0
    end = speak(f"{prefix} {keyword}".strip(), v).size
    start, end = min(start, whole.size), min(end, whole.size)
    return whole, start, max(end, start + 1)


def with_lookalike(rng, sentence: str, lookalikes: list[str]) -> str:
    """The sentence with one look-alike word said inside it, at a random word boundary."""
    words = sentence.split()
    cut = int(rng.integers(0, len(words) + 1))
    return " ".join(words[:cut] + [str(rng.choice(lookalikes))] + words[cut:])


def build_scene(rng, sentences: list[str], keywords: list[str], kw_prob: float, pool: str,
                voice: Voice | None = None, inline: bool = False, lookalikes: list[str] | None = None,
                lookalike_prob: float = 0.0) -> Scene:
    """Sentences in one voice; with probability kw_prob a keyword is spoken inside a sentence
    (split at a random word boundary) or on its own. ``inline=False`` speaks the keyword
    separately and splices it in between pauses (how the model was trained); ``inline=True``
    says the sentence in one utterance with the keyword in it (see speak_inline). A sentence
    that gets no keyword gets, with probability lookalike_prob, a word that sounds like one
    (``lookalikes``, see LOOKALIKES) and no span: a hard negative."""
    v = voice or random_voice(rng, pool)
    parts, spans, pos = [_silence(rng, 0.2, 0.6)], [], 0
    pos = parts[0].size
    for s in sentences:
        pieces = [s]
        kid = -1
        if rng.random() < kw_prob:
            kid = int(rng.integers(len(keywords)))
            words = s.split()
            cut = int(rng.integers(0, len(words) + 1))
            pieces = [" ".join(words[:cut]), None, " ".join(words[cut:])]
            if inline:
                a, k0, k1 = speak_inline(pieces[0], keywords[kid], pieces[2], v)
                spans.append((kid, pos + k0, pos + k1))
                pieces = []
                gap = _silence(rng, 0.02, 0.15)
                parts += [a, gap]
                pos += a.size + gap.size
        elif lookalikes and lookalike_prob > 0 and rng.random() < lookalike_prob:
            pieces = [with_lookalike(rng, s, lookalikes)]
        for p in pieces:
            if p is None:
                a = speak(keywords[kid], v.jitter(rng))
                spans.append((kid, pos, pos + a.size))
            elif p.strip():
                a = speak(p, v)
            else:
                continue
            gap = _silence(rng, 0.02, 0.15)
            parts += [a, gap]
            pos += a.size + gap.size
        gap = _silence(rng, 0.15, 0.9)
        parts.append(gap)
        pos += gap.size
    return Scene(np.concatenate(parts), spans, v.arg())


# ------------------------------------------------------------------ augmentation
def telephone(x: np.ndarray) -> np.ndarray:
    """Narrowband phone line: 300-3400 Hz, 8 kHz, G.711 mu-law round trip, back to 16 kHz."""
    sos = butter(4, [300, 3400], btype="bandpass", fs=SR, output="sos")
    y = resample_poly(sosfilt(sos, x), 1, 2)
    y = np.clip(y, -1, 1)
    mu = 255.0
    code = np.round(np.sign(y) * np.log1p(mu * np.abs(y)) / np.log1p(mu) * 127) / 127  # 8-bit companding
    y = np.sign(code) * np.expm1(np.abs(code) * np.log1p(mu)) / mu
    return resample_poly(y, 2, 1).astype(np.float32)


def speakerphone(x: np.ndarray, rng) -> np.ndarray:
    """A phone's small loudspeaker heard through the air: band-limited, thin bass, short room echo."""
    sos = butter(2, [400, 5000], btype="bandpass", fs=SR, output="sos")
    y = sosfilt(sos, x)
    ir = np.zeros(int(0.05 * SR), np.float32)
    ir[0] = 1.0
    for _ in range(6):
        ir[int(rng.integers(40, ir.size))] += float(rng.uniform(0.05, 0.3))
    return np.convolve(y, ir)[: x.size].astype(np.float32)


def pink_noise(n: int, rng) -> np.ndarray:
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(spec.size)
    spec[1:] /= np.sqrt(f[1:])
    y = np.fft.irfft(spec, n)
    return (y / (np.std(y) + 1e-9)).astype(np.float32)


def augment(scene: Scene, rng, channel: str | None = None) -> np.ndarray:
    """Channel, noise (white/pink, SNR 5-40 dB) and gain; returns int16 as the I2S front end gives."""
    x = scene.audio
    ch = channel or str(rng.choice(["clean", "telephone", "speakerphone"], p=[0.3, 0.4, 0.3]))
    if ch == "telephone":
        x = telephone(x)
    elif ch == "speakerphone":
        x = speakerphone(x, rng)
    scene.channel = ch
    x = x / (np.max(np.abs(x)) + 1e-9)
    speech_rms = np.sqrt(np.mean(x[np.abs(x) > 0.01] ** 2)) if np.any(np.abs(x) > 0.01) else 0.1
    snr_db = rng.uniform(5, 40)
    noise = pink_noise(x.size, rng) if rng.random() < 0.6 else rng.standard_normal(x.size).astype(np.float32)
    x = x + noise * speech_rms * 10 ** (-snr_db / 20)
    gain = 10 ** (rng.uniform(-30, -3) / 20)  # quiet far-field to near full scale
    x = x / (np.max(np.abs(x)) + 1e-9) * gain
    return np.clip(np.round(x * 32767), -32768, 32767).astype(np.int16)
