"""Shared signals and measurements for the Python tests (praat-parselmouth for voice measures)."""
from __future__ import annotations


import numpy as np
import parselmouth
import pytest
from parselmouth.praat import call

import vocalsynth as vs
from vocalsynth.localhost import free_port  # noqa: F401  (re-exported for the tests)

SR = 48000


@pytest.fixture(scope="session")
def phrase() -> np.ndarray:
    """The bake command's built-in anchor: a vowel phrase with natural vibrato, jitter, shimmer."""
    return vs.render_anchor(SR, 3.0, f0_hz=118.0, vibrato_depth=0.012, vibrato_rate_hz=5.2, jitter=0.004,
                            shimmer=0.03, vowels="aeiou", seed=7)


def steady_vowel(vowel: str = "a", f0: float = 120.0, seconds: float = 2.0, **kw) -> np.ndarray:
    return vs.render_anchor(SR, seconds, f0_hz=f0, vowels=vowel, declination=0.0, syllable_dips=False, seed=2, **kw)


def praat_sound(y: np.ndarray, sr: int = SR) -> parselmouth.Sound:
    return parselmouth.Sound(np.asarray(y, dtype=np.float64), sr)


def f0_track(y: np.ndarray, step: float = 0.005) -> tuple[np.ndarray, np.ndarray]:
    pitch = praat_sound(y).to_pitch(step, 60, 500)
    return pitch.xs(), pitch.selected_array["frequency"]


def jitter_shimmer(y: np.ndarray) -> tuple[float, float]:
    """Praat local jitter and local shimmer, in percent."""
    s = praat_sound(y)
    pp = call(s, "To PointProcess (periodic, cc)", 60, 500)
    jitter = call(pp, "Get jitter (local)", 0, 0, 0.0001, 0.02, 1.3)
    shimmer = call([s, pp], "Get shimmer (local)", 0, 0, 0.0001, 0.02, 1.3, 1.6)
    return 100.0 * jitter, 100.0 * shimmer


def hnr_db(y: np.ndarray) -> float:
    return call(praat_sound(y).to_harmonicity_cc(0.01, 60, 0.1, 1.0), "Get mean", 0, 0)


def formants(y: np.ndarray, start: float = 0.3, end: float = 1.7) -> np.ndarray:
    """Median F1-F3 (Hz) by Burg LPC. Four formants up to 5 kHz: with five, Burg invents a
    spurious one on the steep tilt of a synthetic vowel (see shared/TOOLS.md)."""
    f = praat_sound(y).to_formant_burg(0.01, 4, 5000, 0.025, 50)
    t = np.arange(start, end, 0.01)
    return np.array([np.nanmedian([f.get_value_at_time(i, tt) for tt in t]) for i in (1, 2, 3)])


def third_octave_db(y: np.ndarray, sr: int = SR) -> np.ndarray:
    """Power (dB) of one stretch of signal in third-octave bands from 100 Hz to ~10 kHz (Hann window)."""
    power = np.abs(np.fft.rfft(y * np.hanning(len(y)))) ** 2
    f = np.fft.rfftfreq(len(y), 1.0 / sr)
    edges = 100.0 * 2 ** (np.arange(0, 21) / 3)
    return np.array([10 * np.log10(power[(f >= lo) & (f < hi)].sum() + 1e-20) for lo, hi in zip(edges[:-1], edges[1:])])


def formant_bandwidths(y: np.ndarray, start: float = 0.3, end: float = 1.7) -> np.ndarray:
    f = praat_sound(y).to_formant_burg(0.01, 4, 5000, 0.025, 50)
    t = np.arange(start, end, 0.01)
    return np.array([np.nanmedian([f.get_bandwidth_at_time(i, tt) for tt in t]) for i in (1, 2)])


def level_db_at(y: np.ndarray, freq: float, start: int = SR // 2, length: int = SR) -> float:
    """Spectral peak level (dB) within +-3 Hz of freq over a 1 s Hann-windowed segment."""
    seg = np.asarray(y[start:start + length], dtype=np.float64)
    spec = np.abs(np.fft.rfft(seg * np.hanning(len(seg))))
    fr = np.fft.rfftfreq(len(seg), 1.0 / SR)
    sel = (fr > freq - 3.0) & (fr < freq + 3.0)
    return float(20.0 * np.log10(spec[sel].max() + 1e-12))


