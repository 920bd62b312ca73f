"""Crowd previews: a horde, a pack or a market rendered offline through the core's CrowdEngine.

The engine (``vocalsynth._core.Crowd``) is the same one the game runs: voices in SIMD lanes with
Near/Mid/Far levels of detail chosen from distance. This module scatters voices around a
listener (deterministically per seed), optionally walks them closer, and returns the stereo mix.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from . import _core, presets
from .engine import resolve_params

#: Vocalisation styles: syllables per second, pause probability, intonation, vowel spread.
STYLES: dict[str, dict[str, float]] = {
    "chatter": {"syllables_per_second": 3.5, "pause_probability": 0.2, "intonation": 0.3, "vowel_spread": 1.0},
    "moan": {"syllables_per_second": 0.7, "pause_probability": 0.3, "intonation": 0.15, "vowel_spread": 0.3},
    "growl": {"syllables_per_second": 1.5, "pause_probability": 0.1, "intonation": 0.1, "vowel_spread": 0.2},
}

BLOCK = 256


@dataclass
class CrowdScene:
    """What to render. Distances in metres, azimuth spread in degrees either side of centre."""

    voices: int = 100
    archetypes: Sequence[str] = ("zombie",)
    seconds: float = 8.0
    min_distance_m: float = 2.0
    max_distance_m: float = 60.0
    approach_mps: float = 0.0
    style: str = "chatter"
    sample_rate: int = 48000
    seed: int = 0
    budget_us: float = 0.0
    simd: str = "auto"
    lod: dict[str, float] = field(default_factory=dict)


@dataclass
class CrowdResult:
    audio: np.ndarray  # (samples, 2) float32
    sample_rate: int
    simd_path: str
    lane_width: int
    peak_tiers: dict[str, int]  # the most voices seen at once in each tier
    gain_db: float              # applied so the preview peaks at -1 dBFS at most


def _params_for(spec: str) -> _core.VoiceParams:
    if presets.is_preset_file(spec):  # the same rule as `vocalsynth bake --archetype NAME|FILE`
        return presets.load(spec).voice_params()
    return resolve_params(spec)


MAX_VOICES = 65536  # CrowdEngine::prepare's largest capacity (crowd_engine.h)
MAX_SECONDS = 600.0  # 10 minutes of stereo float at 96 kHz is ~460 MB in memory


def render_crowd(scene: CrowdScene) -> CrowdResult:
    """Render a crowd scene; raises ValueError/KeyError naming the bad field."""
    if not 1 <= scene.voices <= MAX_VOICES:
        raise ValueError(f"voices must lie in 1-{MAX_VOICES}, the crowd engine's largest pool (got {scene.voices})")
    if not 0 < scene.seconds <= MAX_SECONDS:
        raise ValueError(f"seconds must lie in (0, {MAX_SECONDS:g}] (got {scene.seconds:g}): a preview is rendered in "
                         "memory; the engine itself plays for as long as a game runs")
    if not 0 <= scene.budget_us < math.inf:
        raise ValueError(f"budget_us must be >= 0 microseconds per 256 samples, 0 for none (got {scene.budget_us:g})")
    if not 0 <= scene.min_distance_m <= scene.max_distance_m:
        raise ValueError(f"distance range must satisfy 0 <= min <= max (got {scene.min_distance_m}:{scene.max_distance_m})")
    if scene.style not in STYLES:
        raise KeyError(f"unknown style '{scene.style}'; known styles: {', '.join(STYLES)}")
    if not scene.archetypes:
        raise ValueError("at least one archetype or preset is needed")
    params = [_params_for(spec) for spec in scene.archetypes]  # validates every name before rendering

    crowd = _core.Crowd(float(scene.sample_rate), BLOCK, scene.voices, scene.simd)
    crowd.set_lod(budget_us=scene.budget_us, **scene.lod)
    rng = np.random.default_rng(scene.seed)
    distance = rng.uniform(scene.min_distance_m, scene.max_distance_m, scene.voices)
    azimuth = rng.uniform(-90.0, 90.0, scene.voices)
    style = STYLES[scene.style]
    handles = []
    for i in range(scene.voices):
        kind = i % len(params)
        handles.append(crowd.start(params[kind], distance_m=float(distance[i]), azimuth_deg=float(azimuth[i]),
                                   seed=scene.seed * 1_000_003 + i, cluster=kind % 16, **style))

    total = int(round(scene.seconds * scene.sample_rate))
    out = np.empty((2, total), dtype=np.float32)
    peak_tiers = {"near": 0, "mid": 0, "far": 0, "culled": 0}
    step_m = scene.approach_mps * 4 * BLOCK / scene.sample_rate
    for block, pos in enumerate(range(0, total, BLOCK)):
        if step_m and block % 4 == 0:  # walk toward the listener, stopping at arm's length
            distance = np.maximum(0.5, distance - step_m)
            for handle, d, az in zip(handles, distance, azimuth):
                crowd.move(handle, float(d), float(az))
        n = min(BLOCK, total - pos)
        out[:, pos:pos + n] = crowd.render(n)
        stats = crowd.stats
        for tier in peak_tiers:
            peak_tiers[tier] = max(peak_tiers[tier], int(stats[tier]))
    peak = float(np.max(np.abs(out))) if out.size else 0.0
    gain_db = 0.0
    ceiling = 10 ** (-1 / 20)
    if peak > ceiling:
        gain_db = 20 * np.log10(ceiling / peak)
        out *= np.float32(ceiling / peak)
    return CrowdResult(out.T.copy(), scene.sample_rate, crowd.simd_path, crowd.lane_width, peak_tiers, gain_db)
