"""Voice QA measured on signals with known truth, archetype bands, and run-to-run regression."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import vocalsynth as vs
from vocalsynth import qa
from vocalsynth.presets import Preset

SR = 48000
LINE = "Good evening, traveller. Do you hear the bells?"


def test_f0_and_jitter_of_synthetic_vowels():
    steady = vs.render_anchor(SR, 2.0, f0_hz=150, vowels="a", declination=0.0, syllable_dips=False, seed=1)
    shaky = vs.render_anchor(SR, 2.0, f0_hz=150, vowels="a", declination=0.0, syllable_dips=False, jitter=0.02, seed=1)
    m_steady, m_shaky = qa.measure(steady, SR), qa.measure(shaky, SR)
    assert m_steady["f0_median_hz"] == pytest.approx(150, rel=0.02)
    # 2% period perturbation: Praat's cross-correlation point process reports ~1% local jitter on
    # this cascade-filtered vowel; the clean vowel measures ~0.005%.
    assert m_steady["jitter_local_pct"] < 0.5
    assert m_shaky["jitter_local_pct"] > 0.8 and m_shaky["jitter_local_pct"] > 10 * m_steady["jitter_local_pct"]


def test_formants_of_a_spoken_vowel():
    slow = Preset.from_archetype("human", name="slow")
    slow.speech["rate"] = 0.5
    m = qa.measure(vs.speak("{AA1}", slow), SR)
    assert m["f1_hz"] == pytest.approx(730, rel=0.12) and m["f2_hz"] == pytest.approx(1090, rel=0.12)


def test_clicks_loudness_peak_clipping_dc_silence():
    t = np.arange(SR * 2) / SR
    sine = (0.1 * np.sin(2 * np.pi * 997 * t)).astype(np.float32)  # BS.1770: full-scale sine = -3.01 LUFS
    m = qa.measure(sine, SR)
    assert m["lufs"] == pytest.approx(-23.0, abs=0.2)
    assert m["true_peak_dbtp"] == pytest.approx(-20.0, abs=0.1)
    assert m["clicks"] == 0 and m["clipped_samples"] == 0
    clicked = sine.copy()
    clicked[SR // 2:] += 0.2  # a step: one discontinuity
    assert qa.count_clicks(clicked, SR) == 1
    clipped = np.clip(sine * 20, -1, 1)
    assert qa.measure(clipped, SR)["clipped_samples"] > 1000
    half_silent = np.concatenate([sine[:SR], np.zeros(SR, np.float32)]) + 0.02
    m = qa.measure(half_silent, SR)
    assert m["dc_offset"] == pytest.approx(0.02, abs=1e-3)
    assert qa.measure(np.concatenate([sine[:SR], np.zeros(SR, np.float32)]), SR)["silence_ratio"] == pytest.approx(0.5, abs=0.02)


def test_every_preset_passes_its_own_bands_on_built_in_speech():
    for name in vs.archetype_names():
        score, results = qa.check_bands(qa.measure(vs.speak(LINE, name), SR), name)
        assert score == 1.0, [r.describe() for r in results if not r.passed]


def test_a_broken_preset_fails_its_band_with_a_clear_message():
    broken = Preset.from_archetype("human", name="broken_human", jitter=1.0, roughness=1.0, breathiness=1.0)
    score, results = qa.check_bands(qa.measure(vs.speak(LINE, broken), SR), "human")
    failed = [r for r in results if not r.passed]
    assert score < 0.9 and failed
    assert any(r.measure == "hnr_db" and "outside [15 .. ]" in r.describe() and r.off_by > 0 for r in failed)
    with pytest.raises(KeyError, match="no QA bands for archetype 'dragon'"):
        qa.check_bands({}, "dragon")


def test_intelligibility_uses_the_expected_text():
    lines = ["Stay away from the river.", "Bring me the head of the wolf.", "The king is dead."]
    items = [(vs.speak(text, "human", sample_rate=16000), 16000, text) for text in lines]
    assert np.mean(qa.intelligibility_scores(items)) >= 0.8
    wrong = [(items[0][0], 16000, "The king is dead.")] + items[1:]
    assert qa.intelligibility_scores(wrong)[0] < 0.5


def test_intelligibility_hears_a_huge_voice_with_its_size_undone():
    # The golem's formants sit at x0.59 (its speaker's 22 cm tract, then the chain's x0.8 and 19 cm):
    # the recognizer, which has no speaker adaptation, hears almost nothing; with the scale undone
    # (vocal-tract length normalisation, as a listener adapts) it follows the lines.
    from vocalsynth import emotions, intelligibility, presets

    golem = presets.builtin("golem")
    scale = intelligibility.voice_formant_scale(emotions.voice_params(golem, "neutral"), golem.speech["tract_length_cm"])
    assert scale == pytest.approx(0.8 * 17.5 / 19.0 * 17.5 / 22.0, rel=1e-6)
    assert intelligibility.voice_formant_scale(emotions.voice_params(golem, "neutral")) == pytest.approx(0.8 * 17.5 / 19.0, rel=1e-6)
    lines = ["Stay away from the river.", "Bring me the head of the wolf.", "The gate is closed until dawn.",
             "What do you want from me?"]
    items = [(vs.speak(text, golem, sample_rate=16000), 16000, text) for text in lines]
    raw = np.mean(qa.intelligibility_scores(items))
    normalized = np.mean(qa.intelligibility_scores(items, [scale] * len(items)))
    assert raw < 0.5 and normalized >= 0.7 and normalized > raw + 0.3, (raw, normalized)
    # Judged both ways, a line never scores below its hearing as is (the human voice's scale is 1).
    human = [(vs.speak(text, "human", sample_rate=16000), 16000, text) for text in lines]
    both, heard = qa.intelligibility_scores(human, [1.3] * len(human)), qa.intelligibility_scores(human)
    assert all(b >= h for b, h in zip(both, heard))
    with pytest.raises(ValueError, match="formant_scale 0.1"):
        intelligibility.recognize(None, items[0][0], 16000, 0.1)


def test_analyze_hears_an_archetypes_lines_as_a_listener_of_that_voice(tmp_path):
    lines = {"stay.wav": "Stay away from the river.", "gate.wav": "The gate is closed until dawn."}
    for name, text in lines.items():
        sf.write(tmp_path / name, vs.speak(text, "golem", sample_rate=16000), 16000)
    texts = {str(tmp_path / name): text for name, text in lines.items()}
    raw = qa.analyze_files(list(texts), texts=texts)
    judged = qa.analyze_files(list(texts), archetype="golem", texts=texts)
    assert max(r["intelligibility"] for r in raw) < 0.5
    assert min(r["intelligibility"] for r in judged) >= 0.7


def test_analyze_command_and_regression_between_runs(tmp_path):
    for name in ("human", "zombie"):
        sf.write(tmp_path / f"{name}.wav", vs.speak(LINE, name), SR)
    run = lambda *a: subprocess.run([sys.executable, "-m", "vocalsynth", *a], capture_output=True, text=True, timeout=300)  # noqa: E731
    first = run("analyze", str(tmp_path / "human.wav"), str(tmp_path / "zombie.wav"), "--json", str(tmp_path / "a.json"))
    assert first.returncode == 0, first.stderr
    rows = json.loads((tmp_path / "a.json").read_text())
    assert rows[1]["jitter_local_pct"] > rows[0]["jitter_local_pct"]
    # A folder is its WAV/FLAC/OGG files, by name (it was "not a regular file"); --texts may name them.
    (tmp_path / "texts.json").write_text(json.dumps({"zombie.wav": LINE}))
    whole = run("analyze", str(tmp_path), "--json", str(tmp_path / "folder.json"), "--texts", str(tmp_path / "texts.json"))
    assert whole.returncode == 0, whole.stderr
    by_folder = json.loads((tmp_path / "folder.json").read_text())
    assert [Path(r["file"]).name for r in by_folder] == ["human.wav", "zombie.wav"]
    assert by_folder[1]["jitter_local_pct"] == rows[1]["jitter_local_pct"]
    assert "intelligibility" in by_folder[1] and "intelligibility" not in by_folder[0]
    (tmp_path / "empty").mkdir()
    empty = run("analyze", str(tmp_path / "empty"))
    assert empty.returncode == 2 and "empty: no WAV/FLAC/OGG files in this folder" in empty.stderr
    gate = run("analyze", str(tmp_path / "zombie.wav"), "--archetype", "human")
    assert gate.returncode == 1 and "FAIL human:" in gate.stdout
    sf.write(tmp_path / "zombie.wav", vs.speak(LINE, "ghoul"), SR)  # a "new build" changed one line
    run("analyze", str(tmp_path / "human.wav"), str(tmp_path / "zombie.wav"), "--json", str(tmp_path / "b.json"))
    moved = run("analyze-compare", str(tmp_path / "a.json"), str(tmp_path / "b.json"))
    assert moved.returncode == 1
    assert "zombie.wav:" in moved.stdout and "human.wav:" not in moved.stdout
    same = run("analyze-compare", str(tmp_path / "a.json"), str(tmp_path / "a.json"))
    assert same.returncode == 0 and "no line moved" in same.stdout
    # What a build farm gets wrong: a WAV where the JSON goes, broken JSON, another JSON, a typo.
    (tmp_path / "broken.json").write_text('[{"file": "a.wav",}]')
    (tmp_path / "other.json").write_text('{"file": "a.wav"}')
    for args, message in (
            (["human.wav", "a.json"], "human.wav: not a text file (expected the JSON of `vocalsynth analyze --json`)"),
            (["broken.json", "a.json"], "broken.json: broken JSON at line 1, column 19"),
            (["a.json", "other.json"], "other.json: expected the JSON of `vocalsynth analyze --json` (a list of rows"),
            (["a.json", "gone.json"], "gone.json: file not found"),
            (["a.json", "b.json", "--tolerance", "jiter_local_pct=1"],
             "unknown measure 'jiter_local_pct' (did you mean 'jitter_local_pct'?)")):
        bad = run("analyze-compare", *[str(tmp_path / a) if a.endswith((".json", ".wav")) else a for a in args])
        assert bad.returncode == 2 and message in bad.stderr and "Traceback" not in bad.stderr, bad.stderr


def test_a_line_too_short_for_voice_measures_still_gets_the_rest(tmp_path):
    """A 50 ms bark is shorter than Praat's pitch and intensity analyses allow (it raised and
    stopped `analyze` and `report` for the whole batch): its voice measures are NaN, its level,
    peak, clicks and length are still measured, and the report is written."""
    bark = (0.5 * np.sin(2 * np.pi * 150 * np.arange(int(0.05 * SR)) / SR)).astype(np.float32)
    m = qa.measure(bark, SR)
    assert np.isnan(m["f0_median_hz"]) and np.isnan(m["jitter_local_pct"]) and np.isnan(m["hnr_db"])
    assert m["duration_s"] == pytest.approx(0.05) and m["true_peak_dbtp"] == pytest.approx(-6.0, abs=0.1)
    long_enough = qa.measure(np.tile(bark, 3), SR)  # 150 ms: measured
    assert long_enough["f0_median_hz"] == pytest.approx(150.0, rel=0.01)
    folder = tmp_path / "zombie"
    folder.mkdir()
    sf.write(folder / "bark.wav", bark, SR)
    sf.write(folder / "line.wav", vs.speak("Braaains.", "zombie"), SR)
    run = lambda *a: subprocess.run([sys.executable, "-m", "vocalsynth", *a], capture_output=True, text=True, timeout=300)  # noqa: E731
    analyzed = run("analyze", str(folder / "bark.wav"), str(folder / "line.wav"))
    assert analyzed.returncode == 0 and "bark.wav" in analyzed.stdout, analyzed.stderr
    reported = run("report", str(folder), "--out", str(tmp_path / "report.html"))
    assert reported.returncode == 0, reported.stderr
    assert "bark.wav" in (tmp_path / "report.html").read_text()


def test_an_unreadable_take_is_reported_and_the_rest_still_measured(tmp_path):
    """A corrupt WAV or one at 8 kHz in a batch stopped `analyze` and `report` for every file. Now
    each is listed with why, the others are measured, the JSON and the report are written, the
    exit status is 1, and analyze-compare names a line that became unreadable."""
    folder = tmp_path / "zombie"
    folder.mkdir()
    sf.write(folder / "line.wav", vs.speak("Braaains.", "zombie"), SR)
    sf.write(folder / "phone.wav", np.zeros(8000, np.float32), 8000)
    run = lambda *a: subprocess.run([sys.executable, "-m", "vocalsynth", *a], capture_output=True, text=True, timeout=300)  # noqa: E731
    good = run("analyze", str(folder / "line.wav"), "--json", str(tmp_path / "before.json"))
    assert good.returncode == 0, good.stderr
    (folder / "line.wav").write_bytes(b"RIFF\x10\x00\x00\x00WAVEjunk")  # the next build broke it
    sf.write(folder / "other.wav", vs.speak("Braaains.", "ghoul"), SR)
    files = [str(folder / n) for n in ("line.wav", "phone.wav", "other.wav")]
    analyzed = run("analyze", *files, "--json", str(tmp_path / "after.json"))
    assert analyzed.returncode == 1 and "2 of 3 file(s) could not be read" in analyzed.stderr, analyzed.stderr
    assert "line.wav: cannot decode audio" in analyzed.stdout and "phone.wav: unsupported sample rate 8000 Hz" in analyzed.stdout
    rows = json.loads((tmp_path / "after.json").read_text())
    assert [r["file"] for r in rows] == files
    assert "error" in rows[0] and "error" in rows[1] and rows[2]["f0_median_hz"] > 50
    moved = run("analyze-compare", str(tmp_path / "before.json"), str(tmp_path / "after.json"))
    assert moved.returncode == 1 and "line.wav: unreadable in the new run" in moved.stdout, moved.stdout
    reported = run("report", str(folder), "--out", str(tmp_path / "report.html"))
    assert reported.returncode == 1 and "unreadable: " in reported.stderr and "Traceback" not in reported.stderr
    page = (tmp_path / "report.html").read_text()
    assert "Unreadable (2)" in page and "other.wav" in page and "phone.wav: " in page
