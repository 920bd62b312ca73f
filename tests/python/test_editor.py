"""Editor tooling without the engine: the plain-Python logic runs for real, and the one module
that touches `unreal` is type-checked against the UE5 Python API stubs."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import vocalsynth as vs
from vocalsynth import editor, emotions, presets

ROOT = Path(__file__).resolve().parents[2]


def _mypy(files: list[str]) -> subprocess.CompletedProcess:
    prepared = subprocess.run([sys.executable, str(ROOT / "tools" / "prepare_unreal_stub.py")], capture_output=True, text=True)
    assert prepared.returncode == 0, prepared.stderr
    return subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "mypy.ini"), *files],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)


def test_editor_scripts_type_check_against_the_ue5_api():
    result = _mypy(["Content/Python"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_misspelt_ue_api_fails_the_check(tmp_path):
    broken = (ROOT / "Content" / "Python" / "vocalsynth_unreal.py").read_text()
    broken = broken.replace("menus.find_menu(", "menus.find_menus(").replace("get_selected_assets()", "get_selected_asset()")
    folder = ROOT / "build" / "mypy-negative"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "vocalsynth_unreal_broken.py").write_text(broken)
    result = _mypy([str(folder / "vocalsynth_unreal_broken.py")])
    assert result.returncode != 0
    assert '"ToolMenus" has no attribute "find_menus"' in result.stdout
    assert 'has no attribute "get_selected_asset"' in result.stdout


def test_bake_previews_from_preset_json(tmp_path):
    good = presets.builtin("wraith").dumps()
    files = editor.bake_previews({"NPC Wraith 01": good}, tmp_path, text="Turn back.")
    audio, rate = sf.read(files["NPC Wraith 01"])
    assert files["NPC Wraith 01"].name == "VS_Preview_NPC_Wraith_01.wav" and rate == 48000 and len(audio) > 10000
    bad = json.loads(good)
    bad["params"]["whisper"] = 4
    with pytest.raises(presets.PresetError, match="asset Broken: params.whisper: 4 is out of range"):
        editor.bake_previews({"Broken": json.dumps(bad), "Fine": good}, tmp_path / "none")
    assert not (tmp_path / "none").exists()  # nothing written when any preset is invalid


def test_line_sheet_is_voiced_row_by_row(tmp_path):
    sheet = tmp_path / "lines.csv"
    sheet.write_text("npc,voice,text,emotion,intensity\nvarga,vampire,Good evening.,menace,0.8\nwolf,werewolf,Run!,angry,1\n")
    lines = editor.read_line_sheet(sheet)
    assert [(l.npc, l.emotion) for l in lines] == [("varga", "menace"), ("wolf", "rage")]
    files = editor.voice_lines(lines, tmp_path / "out")
    assert [f.name for f in files] == ["VS_varga_000.wav", "VS_wolf_001.wav"]
    sheet.write_text("npc,voice,text,emotion\nvarga,vampire,Hello,glee\n")
    with pytest.raises(ValueError, match="lines.csv: row 2: unknown emotion 'glee'"):
        editor.read_line_sheet(sheet)
    sheet.write_text("npc,text\nvarga,Hello\n")
    with pytest.raises(ValueError, match="missing column"):
        editor.read_line_sheet(sheet)


def test_line_sheet_voices_are_checked_and_preset_paths_start_at_the_sheet(tmp_path, monkeypatch):
    # A sheet in <Project>/VocalSynthesis/Lines names a preset beside it; the editor runs elsewhere.
    folder = tmp_path / "Lines"
    (folder / "voices").mkdir(parents=True)
    presets.Preset.from_archetype("vampire", name="varga").save(folder / "voices" / "varga.json")
    sheet = folder / "lines.csv"
    sheet.write_text("npc,voice,text\nvarga,voices/varga.json,Good evening.\n")
    monkeypatch.chdir(tmp_path)
    (line,) = editor.read_line_sheet(sheet)
    assert editor.voice_lines([line], tmp_path / "out")[0].is_file()
    assert editor.read_line_sheet(sheet)[0].voice == "voices/varga.json"  # the sheet's own text is kept
    for row, problem in (("varga,dragon,Hello.", "row 2: no built-in preset 'dragon'"),
                         ("varga,voices/missing.json,Hello.", r"row 2: .*missing\.json.*file not found"),
                         ("varga,vampire,Hello.,rage,5", "row 2: intensity 5 is outside 0-1")):
        sheet.write_text("npc,voice,text,emotion,intensity\n" + row + "\n")
        with pytest.raises(ValueError, match=problem):
            editor.read_line_sheet(sheet)
    # Every bad row at once (it stopped at the first), an empty npc among them; and a sheet saved
    # in another encoding is named as such.
    sheet.write_text("npc,voice,text,emotion,intensity\nguard,zombie,Halt!,rage,2\n,vampire,Hello.,,\n"
                     "ok,human,Fine.,,\nx,dragon,Hi.,,\n")
    with pytest.raises(ValueError) as info:
        editor.read_line_sheet(sheet)
    said = str(info.value).splitlines()
    assert said[:3] == [f"{sheet}: 3 bad rows:", "  - row 2: intensity 2 is outside 0-1", "  - row 3: npc is empty"]
    assert len(said) == 4 and said[3].startswith("  - row 5: no built-in preset 'dragon'")
    sheet.write_bytes("npc,voice,text\nvarga,vampire,Caf\u00e9.\n".encode("latin-1"))
    with pytest.raises(ValueError, match="lines.csv: not UTF-8 text; save the sheet as CSV UTF-8"):
        editor.read_line_sheet(sheet)


def test_a_sheet_row_can_turn_its_voice_into_another(tmp_path):
    """morph_to and morph_time: the row is voiced as the API's transformation (with the sheet's
    emotion at its intensity on both chains); bad morphs are named with their rows."""
    sheet = tmp_path / "lines.csv"
    sheet.write_text("npc,voice,text,emotion,intensity,morph_to,morph_time\n"
                     "hunter,human,It's happening again!,fear,0.5,werewolf,0.3:1.2\nhunter,human,Plain.,,,,\n")
    turned, plain = editor.read_line_sheet(sheet)
    assert (turned.morph_to, turned.morph_time, plain.morph_to) == ("werewolf", "0.3:1.2", "")
    (file,) = editor.voice_lines([turned], tmp_path / "out")
    audio, rate = sf.read(file, dtype="float32")
    human, wolf = presets.builtin("human"), presets.builtin("werewolf")
    # The pitch glides with the morph; both chains are the voices' under fear at the sheet's 0.5.
    glided = vs.synthesize("It's happening again!", human, "fear", archetype_chain=False, morph_to=wolf,
                           morph_seconds=(0.3, 1.2)).audio
    into = vs._core.with_speaker_tract(emotions.voice_params(wolf, "fear", 0.5), human.speech["tract_length_cm"],
                                       wolf.speech["tract_length_cm"])
    expected = vs.process(glided, 48000, emotions.voice_params(human, "fear", 0.5), seed=human.seed, morph_to=into,
                          morph_seconds=(0.3, 1.2))
    assert rate == 48000 and np.max(np.abs(audio - expected)) < 2.0 ** -22
    bare = vs.synthesize("It's happening again!", human, "fear", archetype_chain=False).audio
    unmorphed = vs.process(bare, 48000, emotions.voice_params(human, "fear", 0.5), seed=human.seed)
    assert np.max(np.abs(audio - unmorphed)) > 0.05
    # Written back with its morph (a fetched sheet keeps the columns).
    editor.append_lines(tmp_path / "copy.csv", [turned, plain])
    assert [(l.morph_to, l.morph_time) for l in editor.read_line_sheet(tmp_path / "copy.csv")] == [
        ("werewolf", "0.3:1.2"), ("", "")]
    sheet.write_text("npc,voice,text,morph_to,morph_time\na,human,Hi.,wereworf,\nb,human,Hi.,,1:2\n"
                     "c,human,Hi.,werewolf,2:1\nd,human,Hi.,werewolf,soon\n")
    with pytest.raises(ValueError) as info:
        editor.read_line_sheet(sheet)
    assert str(info.value).splitlines()[1:] == [
        "  - row 2: morph_to: no built-in preset 'wereworf'; built-in presets: human, vampire, zombie, werewolf, "
        "wraith, ghoul, lich, banshee, golem, swarm",
        "  - row 3: morph_time needs morph_to: the voice the line turns into",
        "  - row 4: morph_time must be a start and an end in seconds with 0 <= start <= end <= 3600, got 2 and 1",
        "  - row 5: morph_time expects START:END in seconds (e.g. 1.5:3), got 'soon'"]


def test_validate_presets_lists_problems_per_asset():
    good = presets.builtin("golem").dumps()
    bad = json.loads(good)
    bad["params"]["hum_hz"] = 5
    bad["speech"]["rate"] = 9
    problems = editor.validate_presets({"Golem": good, "BadGolem": json.dumps(bad), "NotJson": "{"})
    assert set(problems) == {"BadGolem", "NotJson"}
    assert any("params.hum_hz: 5 is out of range: allowed 20 to 80 Hz" in p for p in problems["BadGolem"])
    assert any("speech.rate: 9 is out of range" in p for p in problems["BadGolem"])


def test_fetched_lines_are_appended_to_a_sheet_atomically(tmp_path):
    sheet = tmp_path / "Lines" / "fetched.csv"
    assert editor.line_sheets(tmp_path / "Lines") == []
    editor.append_lines(sheet, [editor.LineSpec("varga", "vampire", 'He said "welcome", then left.')])
    editor.append_lines(sheet, [editor.LineSpec("wolf", "werewolf", "Run!", "rage", 0.9)])
    lines = editor.read_line_sheet(sheet)
    assert [(l.npc, l.voice, l.text, l.emotion, l.intensity) for l in lines] == [
        ("varga", "vampire", 'He said "welcome", then left.', "neutral", 1.0),
        ("wolf", "werewolf", "Run!", "rage", 0.9)]
    assert editor.line_sheets(tmp_path / "Lines") == [sheet]
    assert [p.name for p in sheet.parent.iterdir()] == ["fetched.csv"], "no temporary file is left behind"
    # A broken sheet is reported, not overwritten.
    sheet.write_text("npc,text\nvarga,Hello\n")
    with pytest.raises(ValueError, match="missing column"):
        editor.append_lines(sheet, [editor.LineSpec("x", "zombie", "Brains.")])
    assert sheet.read_text() == "npc,text\nvarga,Hello\n"


def test_a_sheet_row_without_an_emotion_takes_its_stage_directions(tmp_path):
    sheet = tmp_path / "lines.csv"
    sheet.write_text("npc,voice,text,emotion\nvarga,vampire,*sobs* She is gone.,\nvarga,vampire,*sobs* Out!,rage\n")
    assert [l.emotion for l in editor.read_line_sheet(sheet)] == ["sorrow", "rage"]


def test_a_fetched_line_keeps_its_emotion_on_the_sheet(tmp_path):
    from vocalsynth.dialogue.client import parse_tagged_line

    line = parse_tagged_line("[angry 0.8] *snarls* Get out of my chapel!", "varga", "x")
    sheet = editor.append_lines(tmp_path / "fetched.csv", [editor.fetched_line("varga", "vampire", line)])
    (row,) = editor.read_line_sheet(sheet)
    assert (row.npc, row.voice, row.text, row.emotion, row.intensity) == ("varga", "vampire", "Get out of my chapel!", "rage", 0.8)
