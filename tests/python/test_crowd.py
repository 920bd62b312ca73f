"""Crowds from Python: the CrowdEngine binding and `vocalsynth crowd`, measured on the output."""
from __future__ import annotations

import subprocess
import sys
import threading
import time

import numpy as np
import pytest
import soundfile as sf

import vocalsynth as vs
from vocalsynth import _core
from vocalsynth.crowd import CrowdScene, render_crowd

from conftest import jitter_shimmer

SR = 48000


def solo(archetype: str, distance: float, azimuth: float = 0.0, seconds: float = 2.0, **style) -> np.ndarray:
    crowd = _core.Crowd(SR, 256, 4)
    crowd.start(vs.archetype(archetype), distance_m=distance, azimuth_deg=azimuth, seed=5, **style)
    return crowd.render(int(SR * seconds))


def db(x: np.ndarray) -> float:
    return 20 * np.log10(np.sqrt(np.mean(np.square(x, dtype=np.float64))) + 1e-30)


def test_render_is_stereo_float32_finite_and_deterministic():
    def scene():
        crowd = _core.Crowd(SR, 256, 64)
        for i in range(50):
            crowd.start(vs.archetype(["zombie", "ghoul"][i % 2]), distance_m=1 + i, seed=i, cluster=i % 2)
        return crowd.render(SR)
    a, b = scene(), scene()
    assert a.shape == (2, SR) and a.dtype == np.float32
    assert np.all(np.isfinite(a)) and np.max(np.abs(a)) > 0.01
    assert np.array_equal(a, b), "same seeds must give the same bits"

    # A voice may be given as the Voice takes it: an archetype's name or a Preset, the same bits.
    def named_scene(voice):
        crowd = _core.Crowd(SR, 256, 8)
        crowd.start(voice, distance_m=2, seed=7)
        return crowd.render(SR // 4)
    reference = named_scene(vs.archetype("ghoul"))
    assert np.array_equal(named_scene("ghoul"), reference)
    assert np.array_equal(named_scene(vs.Preset.from_archetype("ghoul")), reference)
    with pytest.raises(TypeError, match="start takes an archetype name, a preset file, a Preset or VoiceParams, got dict"):
        named_scene({"roughness": 0.5})


def test_distance_attenuates_and_azimuth_pans():
    near = solo("zombie", 2.0, pause_probability=0.0)
    far = solo("zombie", 60.0, pause_probability=0.0)
    # Inverse-distance law: 20 log10(60 / 2) = 29.5 dB (Far goes through its cluster's tract).
    assert db(near[0]) - db(far[0]) == pytest.approx(29.5, abs=4.0)
    left = solo("zombie", 3.0, azimuth=-90.0)
    assert db(left[0]) - db(left[1]) > 40.0


def test_tiers_follow_distance_and_the_budget_culls_least_important():
    crowd = _core.Crowd(SR, 256, 32)
    voices = [crowd.start(vs.archetype("werewolf"), distance_m=d, priority=i, seed=i)
              for i, d in enumerate([2.0, 15.0, 60.0, 60.0])]
    crowd.render(SR // 10)
    assert [crowd.tier(v) for v in voices] == ["near", "mid", "far", "far"]
    crowd.set_lod(budget_us=1e-3)  # nothing fits: every voice fades out, most important last
    crowd.render(SR // 10)
    assert crowd.stats["culled"] == 4
    assert crowd.stats["estimated_us"] <= 1e-3


def test_zombie_crowd_voice_is_rougher_than_human():
    # One Near voice each, on a steady vowel: Praat's jitter and shimmer rise for Zombie.
    steady = dict(pause_probability=0.0, vowel_spread=0.0, intonation=0.0, syllables_per_second=0.3)
    human = solo("human", 2.0, seconds=3.0, **steady)[0]
    zombie = solo("zombie", 2.0, seconds=3.0, **steady)[0]
    jh, sh = jitter_shimmer(human[SR // 2:])
    jz, sz = jitter_shimmer(zombie[SR // 2:])
    assert jz > 1.5 * jh, (jh, jz)
    assert sz > sh, (sh, sz)


def test_game_thread_calls_while_rendering_on_another_thread():
    crowd = _core.Crowd(SR, 256, 64)
    handles = [crowd.start(vs.archetype("ghoul"), distance_m=10, seed=i) for i in range(32)]
    blocks: list[np.ndarray] = []
    done = threading.Event()

    def audio():
        while not done.is_set():
            blocks.append(crowd.render(256))  # releases the GIL

    t = threading.Thread(target=audio)
    t.start()
    while len(blocks) < 10:  # the audio thread is running before the game thread starts
        pass
    start_blocks = len(blocks)
    step = 0
    # At least 3000 game-thread calls, and until 50 more blocks were rendered meanwhile.
    while (step < 3000 or len(blocks) < start_blocks + 50) and step < 5_000_000:
        if step % 100 == 0:
            time.sleep(0)  # let the audio thread take the GIL between its renders
        h = handles[step % len(handles)]
        crowd.move(h, float(step % 70), float(step % 180 - 90))
        if step % 50 == 0:
            crowd.stop(h)
            handles[step % len(handles)] = crowd.start(vs.archetype("zombie"), distance_m=5, seed=step)
        step += 1
    rendered_during = len(blocks) - start_blocks
    done.set()
    t.join()
    out = np.concatenate(blocks, axis=1)
    assert np.all(np.isfinite(out)) and rendered_during >= 50 and step >= 3000
    assert 0 < crowd.playing <= 64


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="sample rate"):
        _core.Crowd(8000, 256, 16)
    with pytest.raises(ValueError, match="simd path 'quantum'"):
        _core.Crowd(SR, 256, 16, "quantum")
    with pytest.raises(KeyError, match="known archetypes"):
        render_crowd(CrowdScene(voices=3, archetypes=["orc"], seconds=0.1))
    with pytest.raises(KeyError, match="known styles"):
        render_crowd(CrowdScene(voices=3, style="opera", seconds=0.1))
    with pytest.raises(ValueError, match="voices must lie in 1-65536, the crowd engine's largest pool"):
        render_crowd(CrowdScene(voices=100000, seconds=0.1))
    # An hour-long preview was a numpy MemoryError traceback; a negative budget quietly meant none.
    with pytest.raises(ValueError, match=r"seconds must lie in \(0, 600\] \(got 1e\+09\)"):
        render_crowd(CrowdScene(voices=3, seconds=1e9))
    for budget in (-5.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="budget_us must be >= 0 microseconds per 256 samples"):
            render_crowd(CrowdScene(voices=3, seconds=0.1, budget_us=budget))


def test_crowd_command_writes_a_stereo_preview(tmp_path):
    out = tmp_path / "horde.wav"
    r = subprocess.run([sys.executable, "-m", "vocalsynth", "crowd", "--voices", "120", "--archetype", "zombie",
                        "--archetype", "ghoul", "--seconds", "1.5", "--approach", "4", "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    audio, rate = sf.read(out, dtype="float32")
    assert rate == SR and audio.shape == (int(1.5 * SR), 2)
    assert 1e-3 < np.max(np.abs(audio)) <= 10 ** (-1 / 20) + 1e-4
    assert "near" in r.stdout and "simd" in r.stdout
    bad = subprocess.run([sys.executable, "-m", "vocalsynth", "crowd", "--archetype", "orc", "--out",
                          str(tmp_path / "x.wav")], capture_output=True, text=True)
    assert bad.returncode == 2 and "known archetypes" in bad.stderr
    assert not (tmp_path / "x.wav").exists() and list(tmp_path.iterdir()) == [out]
