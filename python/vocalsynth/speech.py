"""Built-in speech: any line in any voice, with no recording and no network.

Text -> phones (CMU lexicon, letter-to-sound fallback, explicit {ARPAbet}) -> prosody (durations,
F0 contour, emotion) -> formant synthesizer (C++) -> the voice's archetype chain.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import _core, emotions, presets
from .engine import morph_span, process, seed_value

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
               seed: int | None = None, archetype_chain: bool = True, variation: float = 0.0,
               intensity: float = 1.0, morph_to: str | presets.Preset | None = None,
               morph_seconds: tuple[float, float] | None = None) -> Speech:
    """Speak a line: the built-in synthesizer in the voice's speech settings (an individual of it
    with `variation` > 0, drawn from the seed), then (by default) through the voice's archetype
    chain, latency-compensated, so timings stay exact.

    The line may carry stage directions (*sighs*, [laughs]), **emphasis**, SSML (<break
    time="1s"/>, <emphasis>, <prosody rate="slow" pitch="+2st">, <sub alias="...">), HTML or
    UMG rich-text styles and a chat model's Markdown: they shape how it is said, none is read.

    With `morph_to` the speaker turns into that voice over `morph_seconds` (default: the whole
    line), a transformation: the pitch glides to the other speaker's (evenly in semitones), the
    formants move to where its longer or shorter tract puts them, and the archetype chain morphs
    into its chain. The words keep the first voice's timing.

    The chain is the voice's under the emotion (emotions.voice_params): its preset's overrides, then
    what the emotion does to any voice at `intensity` (0-1; the game's table, `_core.with_emotion`)."""
    preset = _preset(voice)
    seed = seed_value(preset.seed if seed is None else seed)
    u = utterance(text, preset, emotion, variation=variation, seed=seed)
    target = None if morph_to is None else _preset(morph_to)
    span = None if target is None else morph_span(morph_seconds, u.total_ms / 1000.0)
    if target is not None and span is not None:
        # Ratios of the two presets' speakers, so an individual (variation) stays itself.
        ratio = target.speech["base_pitch_hz"] / preset.speech["base_pitch_hz"]
        u = _core.glide_pitch(u, ratio, span[0] * 1000.0, span[1] * 1000.0)
    elif morph_seconds is not None:
        raise ValueError("morph_seconds is given without morph_to: name the voice to morph into")
    audio, starts = _core.synthesize(u, float(sample_rate), seed)
    if archetype_chain:
        chain = emotions.voice_params(preset, emotion, intensity)
        if target is None:
            audio = process(audio, sample_rate, chain, seed=seed)
        else:
            # Formants where the other speaker's tract puts them, on the first speaker's line.
            into = _core.with_speaker_tract(emotions.voice_params(target, emotion, intensity),
                                            preset.speech["tract_length_cm"], target.speech["tract_length_cm"])
            audio = process(audio, sample_rate, chain, seed=seed, morph_to=into, morph_seconds=span)
    phones = [Timing(p[0], starts[i] / sample_rate, (starts[i + 1] - starts[i]) / sample_rate) for i, p in enumerate(u.phones)]
    words = [Timing(w, starts[first] / sample_rate, (starts[first + count] - starts[first]) / sample_rate)
             for w, first, count, _ in u.words]
    return Speech(audio=audio, sample_rate=sample_rate, words=words, phones=phones)


def speak(text: str, voice: str | presets.Preset = "human", emotion: str = "neutral", *, sample_rate: int = 48000,
          seed: int | None = None) -> np.ndarray:
    """Speak a line in a voice (archetype name, preset file or Preset): float32 mono audio."""
    return synthesize(text, voice, emotion, sample_rate=sample_rate, seed=seed).audio
