"""Offline use of the streaming engine: whole signals in, latency-compensated signals out."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from . import _core
from .audio_io import MAX_INPUT_PEAK
from .hints import did_you_mean


SEED_MAX = 2**64 - 1  # the engine's seeds are 64-bit (a preset file's are 32-bit: schema/)


def seed_value(seed: object) -> int:
    """The seed as the engine takes it, or a ValueError saying what a seed may be."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) <= SEED_MAX:
        raise ValueError(f"seed must be a whole number from 0 to 2**64 - 1, got {seed!r}")
    return int(seed)


def mono_float32(audio: object, what: str = "input audio") -> np.ndarray:
    """A 1-D float32 copy (or view) of mono float audio. Integer PCM is refused rather than
    read as floats far beyond full scale (int16 32767 would be +90 dBFS)."""
    signal = np.asarray(audio)
    if signal.dtype.kind in "iu":
        full_scale = 2 ** (8 * signal.dtype.itemsize - 1)
        raise ValueError(f"{what} is {signal.dtype} PCM: pass float samples in [-1, 1] "
                         f"(e.g. audio.astype(np.float32) / {full_scale}, or soundfile.read(path, dtype='float32'))")
    if signal.dtype.kind != "f":
        raise ValueError(f"{what} has dtype {signal.dtype}: pass real float samples in [-1, 1]")
    if signal.ndim != 1:
        raise ValueError(f"expected mono audio (1-D array), got shape {signal.shape}")
    return signal.astype(np.float32, copy=False)


def resolve_params(
    archetype: str | _core.VoiceParams | object = "human",
    overrides: Mapping[str, float] | None = None,
) -> _core.VoiceParams:
    """Return the VoiceParams of an archetype name (or a copy of given params) with overrides.

    Unknown archetypes raise KeyError listing the known ones; unknown or out-of-range
    overrides raise KeyError/ValueError naming the parameter and its allowed range.
    """
    if isinstance(archetype, _core.VoiceParams):
        params = archetype.copy()
    elif hasattr(archetype, "voice_params"):  # a presets.Preset
        params = archetype.voice_params()
    elif isinstance(archetype, str):
        params = _core.archetype(archetype)
    elif isinstance(archetype, Mapping):
        raise TypeError("archetype is a dict: give parameter changes as overrides, e.g. "
                        f"overrides={dict(archetype)!r} with the archetype they change ('human')")
    else:
        raise TypeError(f"archetype must be an archetype name, a Preset or VoiceParams, got {type(archetype).__name__}")
    info = {p["name"]: p for p in _core.param_info()}
    for name, value in (overrides or {}).items():
        if name not in info:
            raise KeyError(f"unknown parameter '{name}'{did_you_mean(name, info)}; known parameters: {', '.join(info)}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"parameter '{name}' = {value!r} is not a number") from None
        setattr(params, name, number)
    return params


def morph(a: str | _core.VoiceParams | object, b: str | _core.VoiceParams | object, amount: float) -> _core.VoiceParams:
    """The linear morph between two voices (amount 0 = a, 1 = b), each an archetype name, a Preset
    or VoiceParams (the core's morph takes VoiceParams only)."""
    return _core.morph(resolve_params(a), resolve_params(b), amount)


def _rate_hz(sample_rate: object) -> float:
    """A sample rate given as a number (int, float or numpy scalar); a string or None is a mistake
    further up (a rate read from a file's text) that float() would hide."""
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, (int, float, np.integer, np.floating)):
        raise TypeError(f"sample_rate must be a number of Hz, got {type(sample_rate).__name__} {sample_rate!r}")
    return float(sample_rate)


def process(
    audio: np.ndarray,
    sample_rate: int,
    archetype: str | _core.VoiceParams = "human",
    *,
    overrides: Mapping[str, float] | None = None,
    seed: int = 0,
    proximity: float = 0.5,
    environment: float = 0.5,
    block_size: int = 512,
    morph_to: str | _core.VoiceParams | object | None = None,
    morph_seconds: tuple[float, float] | None = None,
) -> np.ndarray:
    """Run a whole mono signal through a voice and return it aligned with the input.

    The engine's constant latency is compensated (the tail is flushed with silence and the
    lead trimmed), so output sample i corresponds to input sample i.

    With `morph_to` (a voice as `archetype` is given; `overrides` change only the first), the voice
    turns into that one: the linear morph of the two goes from 0 at `morph_seconds[0]` to 1 at
    `morph_seconds[1]` (default: over the whole signal), as a game glides `MorphPresets`. Before the
    span the output is the first voice's, bit for bit; after it, the second's.
    """
    signal = mono_float32(audio)
    if not np.all(np.isfinite(signal)):
        bad = int(np.count_nonzero(~np.isfinite(signal)))
        raise ValueError(f"input audio contains {bad} NaN/Inf samples; clean the source before processing")
    peak = float(np.max(np.abs(signal))) if signal.size else 0.0
    if peak > MAX_INPUT_PEAK:  # +48 dBFS: no recording is that hot; integer samples stored as floats are
        raise ValueError(f"input audio peaks at {peak:g} (+{20 * np.log10(peak):.0f} dBFS): integer PCM stored as floats? "
                         "Scale it to [-1, 1] first (e.g. audio / 32768 for 16-bit)")
    rate = _rate_hz(sample_rate)
    first = resolve_params(archetype, overrides)
    if morph_to is None and morph_seconds is not None:
        raise ValueError("morph_seconds is given without morph_to: name the voice to morph into")
    target = None if morph_to is None else resolve_params(morph_to)
    span = None if target is None else morph_span(morph_seconds, len(signal) / rate)
    voice = _core.Voice(rate, block_size, seed_value(seed))
    voice.set_params(first, immediate=True)
    voice.set_intensity(proximity, environment, immediate=True)
    latency = voice.latency_samples
    padded = np.concatenate([signal, np.zeros(latency, dtype=np.float32)])
    if target is None or span is None:
        return voice.process(padded)[latency:]
    # The amount is set every few ms at the stream's own times (so the result does not depend on
    # block_size); the engine's parameter smoothers glide between the steps. The times are the
    # output's: what is processed at input sample i is heard at i - latency once aligned.
    start, end = span
    step = max(1, round(rate * MORPH_STEP_SECONDS))
    out = np.empty_like(padded)
    amount = 0.0
    for begin in range(0, len(padded), step):
        t = (begin - latency) / rate
        now = 1.0 if t >= end else 0.0 if t <= start else (t - start) / (end - start)
        if now != amount:
            amount = now
            voice.set_params(_core.morph(first, target, amount))
        out[begin:begin + step] = voice.process(padded[begin:begin + step])
    return out[latency:]


MORPH_STEP_SECONDS = 0.005  # how often a morph's amount is set: smooth under the 30 ms smoothers
MORPH_MAX_SECONDS = 3600.0  # no line is longer; 1e308 s overflowed into the core as an infinity


def morph_span(span: object, seconds: float, what: str = "morph_seconds") -> tuple[float, float]:
    """(start, end) seconds of a morph, or a ValueError naming `what` and what a span may be.
    None is the whole signal, `seconds` long."""
    if span is None:
        return 0.0, seconds
    try:
        start, end = (float(v) for v in span)  # type: ignore[attr-defined]
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a start and an end in seconds, got {span!r}") from None
    if not (np.isfinite(start) and np.isfinite(end) and 0.0 <= start <= end <= MORPH_MAX_SECONDS):
        raise ValueError(f"{what} must be a start and an end in seconds with 0 <= start <= end <= {MORPH_MAX_SECONDS:g}, "
                         f"got {start:g} and {end:g}")
    return start, end


def parse_morph_time(text: str, what: str = "--morph-time") -> tuple[float, float]:
    """'START:END' seconds (a command line's or a sheet's) as a span, or a ValueError naming `what`."""
    start, sep, end = text.partition(":")
    try:
        numbers = (float(start), float(end)) if sep else None
    except ValueError:
        numbers = None
    if numbers is None:
        raise ValueError(f"{what} expects START:END in seconds (e.g. 1.5:3), got '{text}'")
    return morph_span(numbers, 0.0, what)
