"""Voice presets as files: schema, validation, round trip, migration, morph, and the commands."""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import numpy as np
import pytest

import vocalsynth as vs
from conftest import SR, hnr_db, praat_sound, steady_vowel
from vocalsynth import _core, presets
from vocalsynth.presets import Preset, PresetError

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vocalsynth", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_published_schema_is_current_and_validates_every_shipped_preset():
    published = json.loads((ROOT / presets.SCHEMA_PATH_IN_REPO).read_text())
    assert published == presets.json_schema(), "schema is stale: run python3 tools/update_docs.py"
    validator = jsonschema.Draft202012Validator(published)
    names = presets.builtin_names()
    assert names == vs.archetype_names()
    for name in names:
        data = json.loads((presets.PRESET_DIR / f"{name}.json").read_text())
        assert list(validator.iter_errors(data)) == [], name


def test_cpp_builtins_are_generated_from_the_preset_files():
    check = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_archetypes.py"), "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    for name in presets.builtin_names():
        from_file = presets.builtin(name)
        in_engine = {k: presets.float32_value(v) for k, v in vs.archetype(name).to_dict().items()}
        assert in_engine == from_file.params, name
        # What the game engine's components speak with when given only an archetype's name: the
        # file's speech voice, and its parameters under each emotion as the Python tools apply them.
        speech = {k: presets.float32_value(v) for k, v in _core.archetype_speech(name).items()}
        assert speech == {k: presets.float32_value(v) for k, v in from_file.speech.items()}, name
        for emotion in presets.EMOTIONS:
            engine = _core.archetype(name, emotion).to_dict()
            tools = from_file.voice_params(emotion).to_dict()
            assert engine == tools, f"{name} / {emotion}"
    zombie = _core.archetype("zombie", "rage")
    assert zombie.roughness == pytest.approx(0.85) and _core.archetype("zombie").roughness == pytest.approx(0.6)


def test_round_trip_file_engine_file_loses_nothing(tmp_path):
    odd = Preset(name="odd", archetype="ghoul", params={"roughness": 0.123456789, "formant_shift_hz": -199.99,
                                                         "heartbeat_bpm": 77.7, "hum_hz": 20.000001},
                 speech={"base_pitch_hz": 111.1}, emotions={"rage": {"roughness": 0.97}}, seed=123456, notes="odd values")
    for preset in [odd] + [presets.builtin(n) for n in presets.builtin_names()]:
        path = preset.save(tmp_path / f"{preset.name}.json")
        text = path.read_text()
        loaded = presets.load(path)
        engine = loaded.voice_params()                                  # file -> engine (float32)
        back = Preset(name=loaded.name, archetype=loaded.archetype, params=engine.to_dict(), speech=loaded.speech,
                      emotions=loaded.emotions, seed=loaded.seed, description=loaded.description, notes=loaded.notes)
        assert back.dumps() == text, preset.name                        # engine -> file: identical


def test_every_validation_error_is_reported_with_its_field(tmp_path):
    bad = {"format": "vocalsynth-preset", "version": 1, "name": "bad one", "archetype": "dragon", "colour": "red",
           "params": {"roughness": 1.5, "formant_shift_hz": -900, "wobble": 1, "jiter": 0.2},
           "speech": {"rate": 5}, "emotions": {"joy": {}}, "seed": -1}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(PresetError) as info:
        presets.load(path)
    text = str(info.value)
    expected = [
        "bad.json: 9 problems",
        "(top level): unknown field 'colour'",
        "archetype: 'dragon' is not one of human, vampire, zombie",
        "emotions: unknown field 'joy'; known: fear, menace, neutral, rage, sorrow, whisper",
        "name: 'bad one' is not a usable name: it names a file, so use only letters, digits, '_', '.' and '-', "
        "1 to 64",
        "params: unknown fields 'jiter' (did you mean 'jitter'?), 'wobble'; known:",  # a near miss is named
        "params.formant_shift_hz: -900 is out of range: allowed -200 to 200 Hz",
        "params.roughness: 1.5 is out of range: allowed 0 to 1",
        "seed: -1 is out of range: allowed 0 to 4294967295",
        "speech.rate: 5 is out of range: allowed 0.5 to 2 x",
    ]
    for piece in expected:
        assert piece in text, f"missing {piece!r} in:\n{text}"


def test_broken_json_names_file_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "vocalsynth-preset",\n "version": 1,,}')
    with pytest.raises(PresetError, match=r"broken.json: line 2 column 15: not valid JSON"):
        presets.load(path)


def test_old_version_is_migrated_and_sounds_the_same(tmp_path):
    old = {"name": "old_zombie", "archetype": "zombie", "formant": {"shift_hz": -40, "scale": 0.95, "bandwidth": 2.0},
           "breath": 0.2, "roughness": 0.6, "irregularity": 0.6, "wet": 0.5, "tension": 0.4, "pressure": 0.6}
    (tmp_path / "old.json").write_text(json.dumps(old))
    migrated = presets.load(tmp_path / "old.json")
    new = Preset.from_archetype("zombie", name="old_zombie", formant_shift_hz=-40, formant_scale=0.95,
                                bandwidth_scale=2.0, breathiness=0.2, roughness=0.6, jitter=0.6, shimmer=0.6,
                                pulse_dropout=0.3, wet_pops=0.5, tension=0.4, pressure=0.6)
    assert migrated.params == new.params
    x = steady_vowel("a", seconds=1.0)
    np.testing.assert_array_equal(vs.process(x, SR, migrated), vs.process(x, SR, new))
    (tmp_path / "old_bad.json").write_text(json.dumps({"archetype": "zombie", "sparkle": 1}))
    with pytest.raises(PresetError, match="sparkle: unknown field in a version-0 preset"):
        presets.load(tmp_path / "old_bad.json")
    # The current layout without its header (hand-written) is read as the current version, and
    # validate says so; with a bad value it names the field as for any current preset.
    headerless = {"name": "mine", "archetype": "zombie", "params": {"tension": 0.9}}
    (tmp_path / "headerless.json").write_text(json.dumps(headerless))
    assert presets.load(tmp_path / "headerless.json").params == Preset.from_archetype("zombie", name="mine", tension=0.9).params
    checked = subprocess.run([sys.executable, "-m", "vocalsynth", "preset", "validate", str(tmp_path / "headerless.json")],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and 'no "format"/"version": read as the current layout' in checked.stdout
    (tmp_path / "headerless.json").write_text(json.dumps({**headerless, "params": {"tension": 9}}))
    with pytest.raises(PresetError, match="params.tension: 9 is out of range"):
        presets.load(tmp_path / "headerless.json")
    (tmp_path / "future.json").write_text(json.dumps({"format": "vocalsynth-preset", "version": 7, "name": "x", "archetype": "human"}))
    with pytest.raises(PresetError, match="version: 7 was written by a newer vocalsynth"):
        presets.load(tmp_path / "future.json")


def test_morph_endpoints_are_bit_exact(tmp_path):
    a, b = presets.builtin("werewolf"), presets.builtin("wraith")
    assert presets.morph(a, b, 0.0).params == a.params and presets.morph(a, b, 0.0).speech == a.speech
    assert presets.morph(a, b, 1.0).params == b.params and presets.morph(a, b, 1.0).speech == b.speech
    result = run("preset", "morph", "werewolf", "wraith", "--amount", "1", "--out", "m1.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    x = steady_vowel("o", seconds=1.0)
    np.testing.assert_array_equal(vs.process(x, SR, presets.load(tmp_path / "m1.json")), vs.process(x, SR, b))
    half = presets.morph(a, b, 0.3)
    assert half.params["whisper"] == pytest.approx(0.3 * b.params["whisper"] + 0.7 * a.params["whisper"], rel=1e-6)
    # An existing file (a designer's preset, maybe one of the two morphed) is kept unless --force,
    # as `preset new` does; morph used to overwrite it without a word.
    before = (tmp_path / "m1.json").read_bytes()
    again = run("preset", "morph", "m1.json", "werewolf", "--amount", "0.5", "--out", "m1.json", cwd=tmp_path)
    assert again.returncode == 2 and "m1.json exists; use --force to overwrite" in again.stderr
    assert (tmp_path / "m1.json").read_bytes() == before
    forced = run("preset", "morph", "m1.json", "werewolf", "--amount", "0.5", "--out", "m1.json", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert presets.load(tmp_path / "m1.json").params == presets.morph(b, a, 0.5).params


def test_preset_new_with_more_roughness_lowers_hnr(tmp_path):
    assert run("preset", "new", "rough", "--from", "human", "--set", "roughness=0.9", cwd=tmp_path).returncode == 0
    assert run("preset", "new", "rough", "--from", "human", cwd=tmp_path).returncode == 2  # exists: refused
    rough = presets.load(tmp_path / "rough.json")
    assert rough.params["roughness"] == 0.9 and rough.archetype == "human"
    x = steady_vowel("a")
    assert hnr_db(vs.process(x, SR, rough)) < hnr_db(vs.process(x, SR, "human")) - 6.0


def test_preset_new_sets_the_speech_voice_as_speech_names(tmp_path):
    """A designer could not set a preset's speech voice from the command line ("unknown parameter
    'base_pitch_hz'"); speech.NAME sets it, a name only speech has may go bare. Heard on the F0."""
    made = run("preset", "new", "deep", "--from", "golem", "--set", "speech.base_pitch_hz=52",
               "--set", "rate=0.9", "--set", "roughness=0.6", "-o", "deep.json", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    deep = presets.load(tmp_path / "deep.json")
    golem = presets.builtin("golem")
    assert deep.speech == {**golem.speech, "base_pitch_hz": 52.0, "rate": pytest.approx(0.9)}
    assert deep.params == {**golem.params, "roughness": pytest.approx(0.6)}
    # tract_length_cm and breathiness are chain parameters too: bare, they stay the chain's.
    both = run("preset", "new", "t", "--from", "golem", "--set", "tract_length_cm=20", "--set",
               "speech.tract_length_cm=24", cwd=tmp_path)
    assert both.returncode == 0, both.stderr
    tract = presets.load(tmp_path / "t.json")
    assert tract.params["tract_length_cm"] == 20.0 and tract.speech["tract_length_cm"] == 24.0

    def median_f0(preset) -> float:
        f0 = praat_sound(vs.synthesize("Who goes there", preset, archetype_chain=False).audio).to_pitch(0.01, 40, 400)
        return float(np.median(f0.selected_array["frequency"][f0.selected_array["frequency"] > 0]))
    assert median_f0(deep) == pytest.approx(median_f0(golem) * 52.0 / 70.0, rel=0.08)
    for setting, message in (("speech.base_pitch_hz=9", "speech setting 'base_pitch_hz' = 9 is out of range: "
                                                        "allowed 50 to 400 Hz"),
                             ("speech.pitch=100", "unknown speech setting 'pitch'; known speech settings: "
                                                  "base_pitch_hz, tract_length_cm, breathiness, rate")):
        bad = run("preset", "new", "bad", "--from", "golem", "--set", setting, cwd=tmp_path)
        assert bad.returncode == 2 and message in bad.stderr, bad.stderr
        assert not (tmp_path / "bad.json").exists()


def test_validate_command_reports_all_errors_and_exit_code(tmp_path):
    presets.builtin("lich").save(tmp_path / "good.json")
    (tmp_path / "bad.json").write_text(json.dumps({"format": "vocalsynth-preset", "version": 1, "name": "b",
                                                   "archetype": "lich", "params": {"hum": 3, "jitter": -1}}))
    ok = run("preset", "validate", "good.json", cwd=tmp_path)
    assert ok.returncode == 0 and "good.json: ok" in ok.stdout
    bad = run("preset", "validate", "good.json", "bad.json", cwd=tmp_path)
    assert bad.returncode == 1
    assert "params.hum: 3 is out of range: allowed 0 to 1" in bad.stderr
    assert "params.jitter: -1 is out of range: allowed 0 to 1" in bad.stderr
    assert "1 of 2 preset(s) invalid" in bad.stderr


def test_a_voice_made_from_an_archetype_speaks_in_its_voice(tmp_path):
    """from_archetype, and a file that leaves its speech settings out, take the archetype's speech
    voice (the one its game component speaks in), emotions and seed, not a human's."""
    made = Preset.from_archetype("banshee", name="wailer", whisper=0.5)
    assert made.speech == presets.builtin("banshee").speech and made.speech["base_pitch_hz"] == 230.0
    assert Preset.from_archetype("zombie").emotions == presets.builtin("zombie").emotions
    (tmp_path / "bare.json").write_text(json.dumps({"format": "vocalsynth-preset", "version": 1, "name": "bare",
                                                    "archetype": "golem", "speech": {"rate": 1.2}}))
    bare = presets.load(tmp_path / "bare.json")
    assert bare.speech == {**presets.builtin("golem").speech, "rate": pytest.approx(1.2)}
    # Heard: the golem's 70 Hz, not 120.
    f0 = praat_sound(vs.synthesize("Who goes there", bare, archetype_chain=False).audio).to_pitch(0.01, 50, 400)
    voiced = f0.selected_array["frequency"][f0.selected_array["frequency"] > 0]
    assert 55.0 < np.median(voiced) < 90.0


def test_show_and_diff_commands(tmp_path):
    shown = run("preset", "show", "vampire", cwd=tmp_path)
    assert shown.returncode == 0
    assert "formant_shift_hz" in shown.stdout and "-50" in shown.stdout and "-200 .. 200" in shown.stdout
    presets.Preset.from_archetype("vampire", name="v2", whisper=0.5).save(tmp_path / "v2.json")
    diff = run("preset", "diff", "vampire", "v2.json", cwd=tmp_path)
    assert diff.returncode == 1 and "params.whisper" in diff.stdout and "0.1 -> 0.5" in diff.stdout
    assert run("preset", "diff", "vampire", "vampire", cwd=tmp_path).returncode == 0


def test_bake_accepts_a_preset_wherever_it_accepts_an_archetype(tmp_path):
    p = presets.Preset.from_archetype("ghoul", name="ghoul_seeded", roughness=0.7)
    p.seed = 42
    p.save(tmp_path / "g.json")
    for flag in ("--preset", "--archetype"):
        out = tmp_path / flag.strip("-")
        result = run("bake", flag, "g.json", "--out", str(out), "--anchor", "vowels", "--seconds", "1", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        import soundfile as sf
        audio, rate = sf.read(out / "ghoul_seeded.wav", dtype="float32")
        anchor = vs.render_anchor(48000, 1.0, f0_hz=118.0, vibrato_depth=0.012, vibrato_rate_hz=5.2, jitter=0.004,
                                  shimmer=0.03, vowels="aeiou", peak_level=0.5, seed=7)
        expected = vs.process(anchor, 48000, presets.load(tmp_path / "g.json"), seed=42)
        assert np.max(np.abs(audio - expected)) < 2e-7  # 24-bit quantisation only
    bad = run("bake", "--preset", "missing.json", "--out", "x", cwd=tmp_path)
    assert bad.returncode == 2 and "missing.json: file not found" in bad.stderr


LOUDNESS_LINES = ["Who goes there? Stay away from the river.", "The gate is closed until dawn.",
                  "Bring me the head of the wolf!", "I will not ask you again."]


def _lufs(audio: np.ndarray) -> float:
    import pyloudnorm
    return pyloudnorm.Meter(SR).integrated_loudness(np.asarray(audio, dtype=np.float64))


def _renders(preset: Preset) -> dict[str, np.ndarray]:
    """The two ways a game uses a preset: a recorded line through the chain (the built-in
    anchor stands in for it) and a line its own speaker says."""
    return {"anchor": vs.process(vs.render_anchor(SR), SR, preset.voice_params()),
            "speech": np.concatenate([vs.speak(line, voice=preset) for line in LOUDNESS_LINES])}


def test_archetypes_are_loudness_matched_to_human_and_stay_off_the_limiter():
    # Swapping an NPC's archetype must not move its level: Banshee was 4-5 LU louder than Human
    # and spent two thirds of its speech in the limiter (13 dB of gain reduction at its peaks),
    # Zombie 4-6 LU quieter. Each preset's output_gain_db now matches Human within 1 LU (EBU
    # R128), and the limiter only catches peaks: the same render 18 dB lower (unlimited), brought
    # back up, is at most 0.5 LU louder.
    reference = {source: _lufs(audio) for source, audio in _renders(presets.builtin("human")).items()}
    for name in vs.archetype_names():
        preset = presets.builtin(name)
        quiet = copy.deepcopy(preset)
        quiet.params["output_gain_db"] = preset.params["output_gain_db"] - 18.0
        unlimited = _renders(quiet)
        for source, audio in _renders(preset).items():
            loudness = _lufs(audio)
            assert abs(loudness - reference[source]) <= 1.0, (name, source, loudness, reference[source])
            squeezed = _lufs(unlimited[source] * np.float32(10 ** (18 / 20))) - loudness
            assert squeezed <= 0.5, (name, source, f"the limiter takes {squeezed:.2f} LU")
