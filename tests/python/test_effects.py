"""Each effect of the archetype chain measured on the output, with stated tolerances."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.signal as ss

import vocalsynth as vs
from conftest import SR, f0_track, formant_bandwidths, formants, hnr_db, jitter_shimmer, level_db_at, steady_vowel


def test_human_is_transparent(phrase):
    out = vs.process(phrase, SR, "human")
    residual = np.sum((out - phrase) ** 2) / np.sum(phrase ** 2)
    assert 10 * np.log10(residual + 1e-30) < -60.0


def _vibrato_band_std(t, f, lo=3.0, hi=10.0):
    m = (t > 0.5) & (t < 3.5)
    d = f[m] - f[m].mean()
    spec = np.fft.rfft(d)
    fr = np.fft.rfftfreq(len(d), t[1] - t[0])
    spec[(fr < lo) | (fr > hi)] = 0
    return float(np.std(np.fft.irfft(spec, len(d)))), float(f[m].mean())


def test_pitch_stabilizer_removes_vibrato():
    x = vs.render_anchor(SR, 4.0, f0_hz=140, vibrato_depth=0.03, vibrato_rate_hz=5.5, vowels="a",
                         declination=0.0, syllable_dips=False, seed=3)
    before, mean_before = _vibrato_band_std(*f0_track(x))
    after, mean_after = _vibrato_band_std(*f0_track(vs.process(x, SR, "human", overrides={"pitch_stabilize": 1.0})))
    assert before > 2.5  # the input really has +-3% vibrato (4.2 Hz peak)
    assert after < 0.4 * before, f"vibrato-band F0 std {before:.2f} -> {after:.2f} Hz"
    assert abs(mean_after - mean_before) / mean_before < 0.015  # the pitch itself is kept


@pytest.mark.parametrize("param, freq_ratio", [("subharmonic_octave", 0.5), ("subharmonic_fifth", 1 / 3)])
def test_subharmonics_add_energy_below_f0(param, freq_ratio):
    x = steady_vowel("a", f0=150.0)
    plain = vs.process(x, SR, "human")
    sub = vs.process(x, SR, "human", overrides={param: 0.5})
    f0 = 150.0
    rel_plain = level_db_at(plain, f0 * freq_ratio) - level_db_at(plain, f0)
    rel_sub = level_db_at(sub, f0 * freq_ratio) - level_db_at(sub, f0)
    assert rel_plain < -60.0
    assert rel_sub > -25.0, f"{param}: component at {f0 * freq_ratio:.0f} Hz only {rel_sub:.1f} dB re F0"


def test_zombie_raises_jitter_and_shimmer(phrase):
    jit_in, shim_in = jitter_shimmer(phrase)
    jit_out, shim_out = jitter_shimmer(vs.process(phrase, SR, "zombie"))
    assert jit_out > 3.0 * jit_in, f"jitter {jit_in:.2f}% -> {jit_out:.2f}%"
    assert shim_out > 2.5 * shim_in, f"shimmer {shim_in:.2f}% -> {shim_out:.2f}%"


@pytest.mark.parametrize("scale", [1.2, 0.85])
def test_formant_scale_moves_formants_by_the_ratio(scale):
    x = steady_vowel("a")
    before = formants(x)
    after = formants(vs.process(x, SR, "human", overrides={"formant_scale": scale}))
    ratios = after / before
    assert np.all(np.abs(ratios - scale) < 0.07 * scale), f"asked x{scale}, measured {np.round(ratios, 3)}"


def test_tract_length_scales_formants_inversely():
    x = steady_vowel("a")
    ratios = formants(vs.process(x, SR, "human", overrides={"tract_length_cm": 20.0})) / formants(x)
    assert np.all(np.abs(ratios - 17.5 / 20.0) < 0.05), np.round(ratios, 3)


def test_formant_shift_adds_hertz():
    x = steady_vowel("a")
    moved = formants(vs.process(x, SR, "human", overrides={"formant_shift_hz": 150.0})) - formants(x)
    assert np.all((moved > 90.0) & (moved < 210.0)), f"F1-F3 moved by {np.round(moved)} Hz, asked +150"


def test_bandwidth_scale_widens_formants():
    x = steady_vowel("a")
    narrow = formant_bandwidths(vs.process(x, SR, "human", overrides={"formant_scale": 1.0001}))
    wide = formant_bandwidths(vs.process(x, SR, "human", overrides={"bandwidth_scale": 2.5}))
    assert np.all(wide > 1.5 * narrow), f"bandwidths {np.round(narrow)} -> {np.round(wide)} Hz"


@pytest.mark.parametrize("param, value", [("roughness", 0.8), ("breathiness", 0.8), ("whisper", 0.6)])
def test_source_noise_and_roughness_lower_hnr(param, value):
    x = steady_vowel("a")
    plain = hnr_db(x)
    noisy = hnr_db(vs.process(x, SR, "human", overrides={param: value}))
    assert noisy < plain - 6.0, f"{param}: HNR {plain:.1f} -> {noisy:.1f} dB"


def test_proximity_scales_the_effects(phrase):
    far = vs.process(phrase, SR, "zombie", proximity=0.0)
    close = vs.process(phrase, SR, "zombie", proximity=1.0)
    jit_far, shim_far = jitter_shimmer(far)
    jit_close, shim_close = jitter_shimmer(close)
    assert jit_close > 1.5 * jit_far and shim_close > 1.5 * shim_far


def test_environment_trades_jitter_for_shimmer(phrase):
    overrides = {"jitter": 0.5, "shimmer": 0.5}
    jit_dry, shim_dry = jitter_shimmer(vs.process(phrase, SR, "human", overrides=overrides, environment=0.0))
    jit_wet, shim_wet = jitter_shimmer(vs.process(phrase, SR, "human", overrides=overrides, environment=1.0))
    assert jit_dry > jit_wet and shim_wet > shim_dry


def test_corporeal_noise_lands_on_onsets(phrase):
    plain = vs.process(phrase, SR, "human", overrides={"tension": 0.999})
    popped = vs.process(phrase, SR, "human", overrides={"tension": 0.999, "wet_pops": 1.0, "clicks": 1.0})
    added = popped - plain
    assert 10 * np.log10(np.sum(added ** 2) / np.sum(plain ** 2)) > -40.0
    # The added energy sits near the syllable onsets (every 0.6 s), not spread evenly.
    frame = SR // 100
    energy = np.array([np.sum(added[i:i + frame] ** 2) for i in range(0, len(added) - frame, frame)])
    onsets = [int(round(t * 100)) for t in (0.6, 1.2, 1.8, 2.4)]
    near = sum(energy[max(0, o - 8):o + 12].sum() for o in onsets)
    assert near > 0.5 * energy.sum()


def test_heartbeat_layer_beats_at_its_rate():
    silence = np.zeros(SR * 6, dtype=np.float32)
    out = vs.process(silence, SR, "human", overrides={"heartbeat": 1.0, "heartbeat_bpm": 72.0})
    env = np.abs(ss.hilbert(out))
    env = ss.resample_poly(env, 1, 480)  # 100 Hz envelope
    env = env - env.mean()
    ac = np.correlate(env, env, mode="full")[len(env) - 1:]
    lag = np.argmax(ac[50:200]) + 50  # search 0.5-2 s
    assert abs(lag / 100.0 - 60.0 / 72.0) < 0.03


def _ltas_bands(y):
    """Long-term spectrum in third-octave bands 31.5 Hz - 6.4 kHz, dB re the loudest band."""
    edges = 31.5 * 2 ** (np.arange(0, 24) / 3)
    f, p = ss.welch(y, SR, nperseg=16384)
    bands = np.array([10 * np.log10(np.mean(p[(f >= lo) & (f < hi)]) + 1e-20) for lo, hi in zip(edges[:-1], edges[1:])])
    return bands - bands.max()


def test_archetypes_are_measurably_distinct(phrase):
    """Stated distance: RMS difference of third-octave long-term spectra (dB). Every archetype
    is >= 6 dB from Human and every pair >= 3 dB apart."""
    bands = {name: _ltas_bands(vs.process(phrase, SR, name)) for name in vs.archetype_names()}
    distance = lambda a, b: float(np.sqrt(np.mean((bands[a] - bands[b]) ** 2)))  # noqa: E731
    for name in bands:
        if name != "human":
            assert distance("human", name) >= 6.0, name
    for a, b in itertools.combinations(bands, 2):
        assert distance(a, b) >= 3.0, f"{a} vs {b}: {distance(a, b):.1f} dB"
