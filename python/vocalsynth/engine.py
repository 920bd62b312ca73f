"""Offline use of the streaming engine: whole signals in, latency-compensated signals out."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from . import _core
from .hints import did_you_mean


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
    else:
        params = _core.archetype(str(archetype))
    info = {p["name"]: p for p in _core.param_info()}
    for name, value in (overrides or {}).items():
        if name not in info:
            raise KeyError(f"unknown parameter '{name}'{did_you_mean(name, info)}; known parameters: {', '.join(info)}")
        setattr(params, name, float(value))
    return params


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
) -> np.ndarray:
    """Run a whole mono signal through a voice and return it aligned with the input.

    The engine's constant latency is compensated (the tail is flushed with silence and the
    lead trimmed), so output sample i corresponds to input sample i.
    """
    signal = np.asarray(audio, dtype=np.float32)
    if signal.ndim != 1:
        raise ValueError(f"expected mono audio (1-D array), got shape {signal.shape}")
    if not np.all(np.isfinite(signal)):
        bad = int(np.count_nonzero(~np.isfinite(signal)))
        raise ValueError(f"input audio contains {bad} NaN/Inf samples; clean the source before processing")
    voice = _core.Voice(float(sample_rate), block_size, seed)
    voice.set_params(resolve_params(archetype, overrides), immediate=True)
    voice.set_intensity(proximity, environment, immediate=True)
    latency = voice.latency_samples
    padded = np.concatenate([signal, np.zeros(latency, dtype=np.float32)])
    out = voice.process(padded)
    return out[latency:]
