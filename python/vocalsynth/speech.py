"""Built-in speech: any line in any voice, with no recording and no network.

Text -> phones (CMU lexicon, letter-to-sound fallback, explicit {ARPAbet}) -> prosody (durations,
F0 contour, emotion) -> formant synthesizer (C++) -> the voice's archetype chain.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import _core, presets
from .engine import process, seed_value

LEXICON_PATH = Path(__file__).resolve().parent / "data" / "en_us.vslex"
EMOTIONS = tuple(_core.emotion_names())


@lru_cache(maxsize=1)
def lexicon() -> _core.Lexicon:
    if not LEXICON_PATH.is_file():
        raise FileNotFoundError(f"{LEXICON_PATH}: the pronouncing dictionary is missing; reinstall vocalsynth (pip install .)")
    lex = _core.Lexicon()
    lex.load(LEXICON_PATH.read_bytes())
    return lex


def _preset(voice: str | presets.Preset) -> presets.Preset:
    return voice if isinstance(voice, presets.Preset) else presets.from_spec(voice)


def utterance(text: str, voice: str | presets.Preset = "human", emotion: str = "neutral", *,
              variation: float = 0.0, seed: int = 0) -> _core.Utterance:
    """Text -> phones with durations and F0 for a voice's speaker settings (varied as the game
    engine component varies an individual NPC: `variation` 0-1, drawn from `seed`)."""
    if isinstance(text, (bytes, bytearray)):
        raise TypeError("text is bytes: decode it first (e.g. text.decode('utf-8'))")
    if not isinstance(text, str) and text is not None:
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if text is None or not text.strip():
        raise ValueError("text is empty: give the line to speak")
    if emotion not in EMOTIONS:
        raise ValueError(f"unknown emotion '{emotion}'; known emotions: {', '.join(EMOTIONS)}")
    s = _preset(voice).speech
    if variation:
        s = _core.vary_speaker(s, seed_value(seed), variation)
    u = _core.build_utterance(text, lexicon(), s["base_pitch_hz"], s["tract_length_cm"], s["breathiness"], s["rate"], emotion)
    if not u.words:
        raise ValueError(f"text has no speakable words (only punctuation, symbols or *stage directions*): {text[:60]!r}")
    return u


def to_phonemes(text: str) -> list[tuple[str, list[str]]]:
    """[(word, [ARPAbet phones])] for a line, as the synthesizer will say it."""
    u = utterance(text)
    phones = u.phones
    return [(w, [phones[i][0] for i in range(first, first + count)]) for w, first, count, _ in u.words]


@dataclass
class Timing:
    label: str          # word text or ARPAbet phone
    start_time: float   # seconds
    duration: float     # seconds


@dataclass
class Speech:
    audio: np.ndarray
    sample_rate: int
    words: list[Timing]
    phones: list[Timing]


def synthesize(text: str, voice: str | presets.Preset = "human", emotion: str = "neutral", *, sample_rate: int = 48000,
               seed: int | None = None, archetype_chain: bool = True, variation: float = 0.0) -> Speech:
    """Speak a line: the built-in synthesizer in the voice's speech settings (an individual of it
    with `variation` > 0, drawn from the seed), then (by default) through the voice's archetype
    chain, latency-compensated, so timings stay exact.

    The line may carry stage directions (*sighs*, [laughs]), **emphasis**, SSML (<break
    time="1s"/>, <emphasis>, <prosody rate="slow" pitch="+2st">, <sub alias="...">), HTML or
    UMG rich-text styles and a chat model's Markdown: they shape how it is said, none is read."""
    preset = _preset(voice)
    seed = seed_value(preset.seed if seed is None else seed)
    u = utterance(text, preset, emotion, variation=variation, seed=seed)
    audio, starts = _core.synthesize(u, float(sample_rate), seed)
    if archetype_chain:
        audio = process(audio, sample_rate, preset.voice_params(emotion), seed=seed)
    phones = [Timing(p[0], starts[i] / sample_rate, (starts[i + 1] - starts[i]) / sample_rate) for i, p in enumerate(u.phones)]
    words = [Timing(w, starts[first] / sample_rate, (starts[first + count] - starts[first]) / sample_rate)
             for w, first, count, _ in u.words]
    return Speech(audio=audio, sample_rate=sample_rate, words=words, phones=phones)


def speak(text: str, voice: str | presets.Preset = "human", emotion: str = "neutral", *, sample_rate: int = 48000,
          seed: int | None = None) -> np.ndarray:
    """Speak a line in a voice (archetype name, preset file or Preset): float32 mono audio."""
    return synthesize(text, voice, emotion, sample_rate=sample_rate, seed=seed).audio
