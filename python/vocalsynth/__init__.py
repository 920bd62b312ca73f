"""VocalSynthesis: archetype voices for game NPCs.

The DSP lives in the C++ core (``vocalsynth._core``); this package adds offline helpers, audio
I/O and the ``vocalsynth`` command.
"""
from __future__ import annotations

from ._core import (
    Crowd,
    Voice,
    VoiceParams,
    archetype,
    archetype_description,
    archetype_names,
    engine_version,
    max_sample_rate,
    min_sample_rate,
    param_info,
    render_anchor,
)
from . import presets
from .engine import morph, process, resolve_params
from .presets import Preset, PresetError
from .speech import speak, synthesize, to_phonemes

__all__ = [
    "Crowd",
    "Voice",
    "VoiceParams",
    "archetype",
    "archetype_description",
    "archetype_names",
    "engine_version",
    "max_sample_rate",
    "min_sample_rate",
    "morph",
    "param_info",
    "Preset",
    "PresetError",
    "presets",
    "process",
    "render_anchor",
    "resolve_params",
    "speak",
    "synthesize",
    "to_phonemes",
]
__version__ = "0.9.6"
