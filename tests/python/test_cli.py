"""The vocalsynth command as a designer or build farm uses it: real files, real exit codes."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import vocalsynth as vs
from vocalsynth import emotions
from vocalsynth.audio_io import AudioError, wav_data_shortfall, write_atomic


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vocalsynth", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_bake_all_writes_every_archetype(tmp_path):
    result = run("bake", "--all", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == sorted(f"{n}.wav" for n in vs.archetype_names())
    anchor = vs.synthesize("Good evening, traveller. Do you hear the bells?", "human", seed=7, archetype_chain=False).audio
    for name in vs.archetype_names():
        audio, rate = sf.read(tmp_path / f"{name}.wav", dtype="float32")
        assert rate == 48000 and audio.ndim == 1 and len(audio) == len(anchor) > 48000
        assert np.max(np.abs(audio)) <= 10 ** (-0.9 / 20), name  # limiter ceiling -1 dBTP (+24-bit rounding)
        assert 20 * np.log10(np.sqrt(np.mean(audio ** 2))) > -35.0, f"{name} is nearly silent"
    assert "baked 10 file(s)" in result.stdout


def test_lufs_normalises_bakes_and_lines_to_a_loudness_under_the_true_peak_ceiling(tmp_path):
    import pyloudnorm

    from vocalsynth.farm import true_peak

    def lufs(path: Path) -> float:
        audio, rate = sf.read(path)
        return pyloudnorm.Meter(rate).integrated_loudness(audio)

    result = run("bake", "-a", "zombie", "-a", "lich", "--lufs", "-24", "--out", str(tmp_path / "bake"))
    assert result.returncode == 0, result.stderr
    for name in ("zombie", "lich"):
        path = tmp_path / "bake" / f"{name}.wav"
        assert lufs(path) == pytest.approx(-24.0, abs=0.1), name
        assert f"{path}" in result.stdout and "-24.0 LUFS" in result.stdout
    quiet = run("say", "-a", "ghoul", "Fresh meat, fresh meat!", "--lufs", "-30", "-o", str(tmp_path / "quiet.wav"))
    loud = run("say", "-a", "ghoul", "Fresh meat, fresh meat!", "--lufs", "-18", "-o", str(tmp_path / "loud.wav"))
    assert quiet.returncode == loud.returncode == 0, quiet.stderr + loud.stderr
    assert lufs(tmp_path / "quiet.wav") == pytest.approx(-30.0, abs=0.1) and "-30.0 LUFS" in quiet.stdout
    # Louder than the ghoul's peaks allow: held at -1 dBTP, and the line says what it reaches.
    reached = lufs(tmp_path / "loud.wav")
    assert -30.0 < reached <= -18.0 + 0.1 and f"{reached:.1f} LUFS" in loud.stdout
    audio, _ = sf.read(tmp_path / "loud.wav", dtype="float32")
    assert 20 * np.log10(true_peak(audio)) <= -0.9
    if reached < -18.5:
        assert "held by the -1 dBTP ceiling" in loud.stdout
    # Too short to measure keeps its level and says so; a target out of range writes nothing.
    blip = 0.2 * np.sin(2 * np.pi * 150 * np.arange(14400) / 48000)  # 0.3 s
    sf.write(tmp_path / "blip.wav", blip, 48000)
    short = run("bake", "-a", "human", "--input", str(tmp_path / "blip.wav"), "--lufs", "-20", "-o", str(tmp_path / "s"))
    assert short.returncode == 0 and "too short to measure loudness" in short.stdout, short.stdout + short.stderr
    kept, _ = sf.read(tmp_path / "s" / "blip_human.wav")
    assert np.max(np.abs(kept)) == pytest.approx(0.2, rel=0.1)
    # dialogue too; its rate is checked before the backend is asked (it failed after the answer).
    line = run("dialogue", "--npc", "varga", "-a", "vampire", "--offline", "--lufs", "-24", "-o", str(tmp_path / "d.wav"))
    assert line.returncode == 0 and "-24.0 LUFS" in line.stdout, line.stdout + line.stderr
    assert lufs(tmp_path / "d.wav") == pytest.approx(-24.0, abs=0.1)
    low = run("dialogue", "--npc", "varga", "--backend", "http://127.0.0.1:9", "--sample-rate", "8000",
              "-o", str(tmp_path / "d8.wav"))
    assert low.returncode == 2 and "--sample-rate: unsupported sample rate 8000 Hz" in low.stderr, low.stderr
    assert "note:" not in low.stderr and not (tmp_path / "d8.wav").exists()
    bad = run("say", "Hi", "--lufs", "-2", "-o", str(tmp_path / "bad.wav"))
    assert bad.returncode != 0 and "--lufs: -2 is out of range: -40 to -5 LUFS" in bad.stderr
    assert not (tmp_path / "bad.wav").exists()


def test_bake_emotion_applies_to_archetype_names_as_to_preset_files(tmp_path):
    """`bake -a zombie --emotion rage` baked the plain zombie (only preset files took --emotion).
    Now both bake the chain every path speaks the emotion with (emotions.voice_params)."""
    anchor = vs.render_anchor(48000, 1.5, seed=3)
    sf.write(tmp_path / "line.wav", anchor, 48000, subtype="FLOAT")
    vs.Preset.from_archetype("zombie", name="zed").save(tmp_path / "zed.json")
    baked = {}
    for label, voice in (("name", ["-a", "zombie"]), ("file", ["-p", str(tmp_path / "zed.json")])):
        for emotion in ("neutral", "rage"):
            out = tmp_path / f"{label}-{emotion}"
            result = run("bake", *voice, "--emotion", emotion, "--seed", "0", "-i", str(tmp_path / "line.wav"),
                         "-o", str(out))
            assert result.returncode == 0, result.stderr
            (file,) = out.iterdir()
            baked[label, emotion] = sf.read(file, dtype="float32")[0]
    zombie = vs.presets.builtin("zombie")
    for emotion in ("neutral", "rage"):
        expected = vs.process(anchor, 48000, emotions.voice_params(zombie, emotion), seed=0)
        for label in ("name", "file"):
            assert np.max(np.abs(baked[label, emotion] - expected)) < 2.0 ** -22, (label, emotion)
    assert np.max(np.abs(baked["name", "rage"] - baked["name", "neutral"])) > 0.05


def test_bake_is_reproducible(tmp_path):
    for out in ("a", "b"):
        assert run("bake", "-a", "zombie", "-a", "swarm", "--out", str(tmp_path / out), "--text", "Stay back.").returncode == 0
    for name in ("zombie.wav", "swarm.wav"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize("fmt", ["flac", "ogg"])
def test_bake_input_file_in_other_formats(tmp_path, fmt):
    src = tmp_path / "line.wav"
    sf.write(src, vs.render_anchor(22050, 1.5, vowels="ou"), 22050)
    result = run("bake", "--archetype", "Werewolf", "--input", str(src), "--out", str(tmp_path / "out"), "--format", fmt,
                 "--set", "roughness=0.9")
    assert result.returncode == 0, result.stderr
    audio, rate = sf.read(tmp_path / "out" / f"line_werewolf.{fmt}")
    assert rate == 22050 and abs(len(audio) - 33075) <= 1


def test_stereo_input_is_mixed_down(tmp_path):
    src = tmp_path / "stereo.flac"
    mono = vs.render_anchor(44100, 1.0)
    sf.write(src, np.stack([mono, mono], axis=1), 44100)
    assert run("bake", "-a", "human", "-i", str(src), "-o", str(tmp_path)).returncode == 0
    out, _ = sf.read(tmp_path / "stereo_human.wav", dtype="float32")
    assert np.max(np.abs(out - mono)) < 1e-4  # human is transparent; 24-bit rounding only


def test_bake_takes_several_inputs_and_folders(tmp_path):
    """Each --input (a file, or every WAV/FLAC/OGG in a folder) bakes through each archetype; the
    second --input once replaced the first without a word."""
    lines = tmp_path / "lines"
    lines.mkdir()
    takes = {"greet": ("ae", 22050), "warn": ("ou", 44100), "flee": ("iu", 48000)}
    for stem, (vowels, rate) in takes.items():
        folder = lines if stem != "flee" else tmp_path
        sf.write(folder / f"{stem}.{'flac' if stem == 'warn' else 'wav'}", vs.render_anchor(rate, 0.8, vowels=vowels), rate)
    (lines / "notes.txt").write_text("not audio")
    result = run("bake", "-a", "human", "-a", "zombie", "-i", str(lines), "-i", str(tmp_path / "flee.wav"),
                 "-i", str(lines / "warn.flac"), "-o", str(tmp_path / "out"))  # warn.flac twice: baked once
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"{stem}_{voice}.wav" for stem in takes for voice in ("human", "zombie"))
    assert "baked 6 file(s), 4.8 s of audio" in result.stdout
    for stem, (vowels, rate) in takes.items():
        human, got_rate = sf.read(tmp_path / "out" / f"{stem}_human.wav", dtype="float32")
        assert got_rate == rate
        assert np.max(np.abs(human - vs.render_anchor(rate, 0.8, vowels=vowels))) < 1e-4  # its own take, transparent
        zombie, _ = sf.read(tmp_path / "out" / f"{stem}_zombie.wav", dtype="float32")
        assert len(zombie) == len(human) and np.max(np.abs(zombie - human)) > 0.05


def test_bake_inputs_are_all_checked_before_anything_is_written(tmp_path):
    good = tmp_path / "good.wav"
    sf.write(good, vs.render_anchor(48000, 0.5), 48000)
    bad = tmp_path / "sub" / "bad.wav"
    bad.parent.mkdir()
    bad.write_bytes(b"RIFF\x10\x00\x00\x00WAVEfmt garbage that is not audio")
    out = tmp_path / "out"
    result = run("bake", "-a", "zombie", "-i", str(good), "-i", str(bad.parent), "-o", str(out))
    assert result.returncode == 2 and "bad.wav: cannot decode audio" in result.stderr
    assert not out.exists()
    # Two takes named alike would overwrite each other's bakes.
    sf.write(bad, vs.render_anchor(48000, 0.5), 48000)
    (tmp_path / "sub" / "good.wav").write_bytes(good.read_bytes())
    result = run("bake", "-a", "zombie", "-i", str(good), "-i", str(bad.parent), "-o", str(out))
    assert result.returncode == 2 and "would both bake to good_ARCHETYPE" in result.stderr
    assert not out.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("bake", "-a", "zombie", "-i", str(empty), "-o", str(out))
    assert result.returncode == 2 and "empty: no WAV/FLAC/OGG files in this folder" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--input", "missing.wav"], "missing.wav: file not found"),
    (["--archetype", "dragon"], "unknown archetype 'dragon'; known archetypes: human, vampire, zombie"),
    (["--set", "roughness=7"], "'roughness' = 7 is out of range: allowed 0 to 1"),
    (["--set", "wobble=1"], "unknown parameter 'wobble'; known parameters:"),
    (["--set", "roughnes=0.5"], "unknown parameter 'roughnes' (did you mean 'roughness'?)"),
    (["--set", "roughness"], "--set expects NAME=VALUE"),
    (["--sample-rate", "8000"], "unsupported sample rate 8000 Hz; supported 16000-96000 Hz"),
    (["--seed", "-1"], "'-1' is not a seed: give a whole number from 0 to 4294967295"),
    (["--seed", "seven"], "'seven' is not a seed"),
    (["--morph-to", "wrath"], "--morph-to: no built-in preset 'wrath'; built-in presets: human, vampire"),
    (["--morph-to", "wolf.json"], "--morph-to: wolf.json: file not found"),
    (["--morph-time", "1:2"], "--morph-time needs --morph-to"),
    (["--morph-to", "werewolf", "--morph-time", "2"], "--morph-time expects START:END in seconds (e.g. 1.5:3), got '2'"),
    (["--morph-to", "werewolf", "--morph-time", "2:1"], "--morph-time must be a start and an end in seconds with "
                                                         "0 <= start <= end <= 3600, got 2 and 1"),
    (["--morph-to", "werewolf", "--morph-time", "1:nan"], "--morph-time must be a start and an end in seconds"),
])
def test_bad_input_is_a_clear_error_and_writes_nothing(tmp_path, args, message):
    out = tmp_path / "out"
    result = run("bake", *args, "--out", str(out), cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_bake_and_say_turn_one_voice_into_another_over_a_span(tmp_path):
    """--morph-to and --morph-time give what the API gives (to 24-bit rounding), in files named
    for both voices; a span past the line's end says how far the voice gets."""
    anchor = vs.render_anchor(48000, 3.0, seed=5)
    sf.write(tmp_path / "line.wav", anchor, 48000, subtype="FLOAT")
    result = run("bake", "-a", "human", "-a", "zombie", "-i", str(tmp_path / "line.wav"), "--morph-to", "werewolf",
                 "--morph-time", "0.5:2", "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["line_human_to_werewolf.wav", "line_zombie_to_werewolf.wav"]
    for name in ("human", "zombie"):
        baked, _ = sf.read(tmp_path / "out" / f"line_{name}_to_werewolf.wav", dtype="float32")
        expected = vs.process(anchor, 48000, name, morph_to="werewolf", morph_seconds=(0.5, 2.0))
        assert np.max(np.abs(baked - expected)) < 2.0 ** -22, name
        assert np.max(np.abs(baked - vs.process(anchor, 48000, name))) > 0.05, name  # the morph is heard
    line = "Run while you still can."
    result = run("say", line, "--morph-to", "werewolf", "--seed", "4", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "voice human into werewolf" in result.stdout
    said, _ = sf.read(tmp_path / "human_to_werewolf.wav", dtype="float32")
    assert np.max(np.abs(said - vs.synthesize(line, "human", seed=4, morph_to="werewolf").audio)) < 2.0 ** -22
    result = run("say", line, "--morph-to", "werewolf", "--morph-time", "1:9", "-o", "late.wav", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    seconds = len(sf.read(tmp_path / "late.wav")[0]) / 48000
    assert f"note: --morph-time ends at 9 s, after the line ({seconds:.2f} s): its end is " \
           f"{(seconds - 1) / 8:.0%} of the way there" in result.stderr


def test_a_float_wav_of_unscaled_integers_is_rejected_by_name(tmp_path):
    """A float WAV whose samples are int16 values (a converter that forgot to scale) was baked as a
    +86 dBFS signal slammed into the limiter; a hot but real float take (+12 dB) is still baked."""
    tone = np.sin(np.arange(24000) * 0.02).astype(np.float32)
    sf.write(tmp_path / "unscaled.wav", tone * 20000, 48000, subtype="FLOAT")
    result = run("bake", "-a", "zombie", "-i", str(tmp_path / "unscaled.wav"), "-o", str(tmp_path / "o"))
    assert result.returncode == 2
    assert ("unscaled.wav: its float samples peak at 20000 (+86 dBFS), not within [-1, 1]: integer PCM stored as "
            "floats? Re-export it with the samples scaled") in result.stderr
    assert not (tmp_path / "o").exists()
    sf.write(tmp_path / "hot.wav", tone * 4, 48000, subtype="FLOAT")
    assert run("bake", "-a", "zombie", "-i", str(tmp_path / "hot.wav"), "-o", str(tmp_path / "o")).returncode == 0
    assert np.max(np.abs(sf.read(tmp_path / "o" / "hot_zombie.wav")[0])) <= 10 ** (-0.9 / 20)


def test_corrupt_and_low_rate_files_are_rejected_by_name(tmp_path):
    corrupt = tmp_path / "corrupt.wav"
    corrupt.write_bytes(b"RIFF\x10\x00\x00\x00WAVEfmt garbage that is not audio")
    result = run("bake", "-a", "zombie", "-i", str(corrupt), "-o", str(tmp_path / "o"))
    assert result.returncode == 2 and "corrupt.wav: cannot decode audio" in result.stderr
    low = tmp_path / "phone.wav"
    sf.write(low, np.zeros(8000, np.float32), 8000)
    result = run("bake", "-a", "zombie", "-i", str(low), "-o", str(tmp_path / "o"))
    assert result.returncode == 2 and "phone.wav: unsupported sample rate 8000 Hz" in result.stderr
    nan = tmp_path / "nan.wav"
    data = np.zeros(16000, np.float32)
    data[5] = np.nan
    sf.write(nan, data, 16000, subtype="FLOAT")
    result = run("bake", "-a", "zombie", "-i", str(nan), "-o", str(tmp_path / "o"))
    assert result.returncode == 2 and "nan.wav: 1 samples are NaN" in result.stderr
    # A partial copy: libsndfile reads the half that is there without a word, and half a line was
    # baked. Its header's data size says how much is missing.
    whole = tmp_path / "whole.wav"
    sf.write(whole, (0.3 * np.sin(np.arange(48000) / 10)).astype(np.float32), 48000, subtype="PCM_16")
    half = tmp_path / "half.wav"
    half.write_bytes(whole.read_bytes()[:48044])
    result = run("bake", "-a", "zombie", "-i", str(half), "-o", str(tmp_path / "o"))
    assert result.returncode == 2 and ("half.wav: the file ends early: its header promises 1.00 s of audio, 0.50 s is "
                                       "there") in result.stderr, result.stderr
    assert run("bake", "-a", "zombie", "-i", str(whole), "-o", str(tmp_path / "o")).returncode == 0
    # Chunks after the data, a pad byte, or a streaming writer's unknown length (0xFFFFFFFF) are whole.
    streamed = bytearray(whole.read_bytes())
    streamed[40:44] = b"\xff\xff\xff\xff"
    (tmp_path / "streamed.wav").write_bytes(bytes(streamed))
    (tmp_path / "listed.wav").write_bytes(whole.read_bytes() + b"LIST\x04\x00\x00\x00INFO")
    assert [wav_data_shortfall(tmp_path / n) for n in ("whole.wav", "streamed.wav", "listed.wav")] == [None] * 3
    assert wav_data_shortfall(half) == (96000, 48000)
    assert not (tmp_path / "o" / "half_zombie.wav").exists()


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "line.wav"
    write_atomic(target, np.zeros(100, np.float32), 48000)
    before = target.read_bytes()

    def explode(path, *args, **kwargs):
        Path(path).write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr("vocalsynth.audio_io.sf.write", explode)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, np.ones(100, np.float32), 48000)
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["line.wav"]


def test_output_names_must_say_a_format_that_can_be_written(tmp_path):
    # The crowd and dialogue commands take the format from --out; a name that promises MP3, or
    # none, fails at once (before the render or the backend) and leaves nothing behind.
    crowd = run("crowd", "--voices", "4", "--seconds", "1", "--out", str(tmp_path / "horde.mp3"))
    assert crowd.returncode == 2 and "horde.mp3: unsupported output format ('.mp3')" in crowd.stderr
    line = run("dialogue", "--offline", "--npc", "guard", "--out", str(tmp_path / "guard"))
    assert line.returncode == 2 and "guard: unsupported output format (no suffix); end the name in one of .wav, .flac, .ogg" in line.stderr
    assert list(tmp_path.iterdir()) == []
    ok = run("crowd", "--voices", "4", "--seconds", "1", "--out", str(tmp_path / "horde.flac"))
    assert ok.returncode == 0, ok.stderr
    assert sf.info(str(tmp_path / "horde.flac")).format == "FLAC"


def test_a_dialogue_line_without_out_is_named_after_its_npc_inside_this_folder(tmp_path):
    """The default file was f"{npc}.wav": an id such as "../evil" (from a game's data or a backend)
    wrote outside the folder, and an empty id failed with "'.wav': unsupported output format"."""
    work = tmp_path / "work"
    work.mkdir()
    for npc, name in (("../evil", "_evil.wav"), ("guards/captain", "guards_captain.wav"), ("Varga", "Varga.wav")):
        result = run("dialogue", "--offline", "--npc", npc, cwd=work)
        assert result.returncode == 0, result.stderr
        assert f"-> {name}" in result.stdout
    assert sorted(p.name for p in work.iterdir()) == ["Varga.wav", "_evil.wav", "guards_captain.wav"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    empty = run("dialogue", "--offline", "--npc", " ", cwd=work)
    assert empty.returncode == 2 and "--npc: give the NPC's id" in empty.stderr


def test_ctrl_c_is_one_line_and_leaves_no_half_written_file(tmp_path):
    """Ctrl-C during a long render was a KeyboardInterrupt traceback; it is one line, exit 130
    (as shells report an interrupt), and the output is not there rather than half there."""
    import signal

    import psutil

    words = ("the quick brown fox jumps over the lazy dog and runs far away " * 300).strip()
    child = subprocess.Popen([sys.executable, "-m", "vocalsynth", "say", "-a", "zombie", "-o", "long.wav", words],
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process = psutil.Process(child.pid)
    while child.poll() is None and process.cpu_times().user < 3.0:  # past the imports: rendering
        time.sleep(0.05)
    assert child.poll() is None, "the render finished before it could be interrupted"
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 130, err
    assert err.strip() == "vocalsynth: interrupted; every file written so far is complete, none is half-written"
    assert list(tmp_path.iterdir()) == []


def test_a_file_in_the_way_or_a_refusing_file_system_is_a_clear_error(tmp_path):
    in_the_way = tmp_path / "previews"
    in_the_way.write_text("notes")
    for out in (in_the_way, in_the_way / "zombies"):
        result = run("bake", "-a", "zombie", "--text", "Stay back.", "--out", str(out))
        assert result.returncode == 2 and f"{in_the_way}: is a file, not a folder" in result.stderr, result.stderr
    assert in_the_way.read_text() == "notes" and sorted(p.name for p in tmp_path.iterdir()) == ["previews"]
    missing = run("report", str(tmp_path / "missing"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr, missing.stderr
    assert "missing: folder not found" in missing.stderr
    # A folder where a file should go named the temporary file ("/tmp/.x.tmp: Is a directory"); the
    # Python API still refuses one by name (the commands write their default name inside it).
    folder = tmp_path / "lines"
    folder.mkdir()
    with pytest.raises(AudioError, match=f"{folder}: is a folder; give a file name"):
        write_atomic(folder, np.zeros(480, np.float32), 48000, "wav")
    assert list(folder.iterdir()) == []
    # /proc takes no new folders, even from root: the OS's reason, the path, no traceback.
    refused = run("say", "-o", "/proc/vocalsynth-test/line.wav", "hello")
    assert refused.returncode == 1 and refused.stderr.startswith("vocalsynth: error: /proc/vocalsynth-test"), refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr


def test_an_out_that_names_a_folder_gets_the_default_file_name_inside_it(tmp_path):
    # As bake's --out is a folder: `-o lines/` (new, or an existing folder) is lines/<default name>,
    # not a WAV file called "lines" (say, dialogue, crowd, report) or "lines exists" (preset).
    existing = tmp_path / "existing"
    existing.mkdir()
    fresh = f"{tmp_path / 'fresh'}{os.sep}"
    baked = tmp_path / "baked"
    assert run("bake", "-a", "lich", "--text", "Kneel.", "--out", str(baked)).returncode == 0
    commands = {
        "say": (["say", "-a", "zombie", "Stay back."], "zombie.wav"),
        "dialogue": (["dialogue", "--offline", "--npc", "Old Mara", "-a", "lich", "--prompt", "Who goes there?"],
                     "Old_Mara.wav"),
        "crowd": (["crowd", "--voices", "3", "--seconds", "0.5"], "crowd.wav"),
        "preset new": (["preset", "new", "my_ghoul", "--from", "ghoul", "--set", "roughness=0.8"], "my_ghoul.json"),
        "preset morph": (["preset", "morph", "zombie", "lich", "--amount", "0.25"], "zombie-lich-0.25.json"),
        "report": (["report", str(baked)], "report.html"),
    }
    for command, (args, name) in commands.items():
        for folder in (str(existing), fresh):
            result = run(*args, "--out", folder)
            assert result.returncode == 0, f"{command} --out {folder}: {result.stderr}"
            written = Path(folder) / name
            assert written.is_file() and written.stat().st_size > 100, f"{command} --out {folder}: {sorted(os.listdir(folder))}"
            if name.endswith(".wav"):
                audio, rate = sf.read(written, dtype="float32")
                assert rate == 48000 and 20 * np.log10(np.sqrt(np.mean(audio ** 2))) > -60.0, command  # not silence
    assert sorted(p.name for p in existing.iterdir()) == sorted(name for _args, name in commands.values())
    assert not (tmp_path / "fresh").is_file()
    # A name without a suffix is still a file (say's default format is WAV), as before.
    plain = tmp_path / "plain"
    assert run("say", "-a", "zombie", "Stay back.", "-o", str(plain)).returncode == 0
    assert sf.info(str(plain)).format == "WAV"


def test_listing_commands():
    out = run("archetypes").stdout
    assert all(name in out for name in vs.archetype_names())
    params = run("params").stdout
    assert "formant_shift_hz" in params and "Hz" in params and "-200 .. 200" in params
