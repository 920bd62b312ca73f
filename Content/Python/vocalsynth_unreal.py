"""The one module that touches `unreal`: menus and asset plumbing around vocalsynth.editor.

Type-checked in CI with mypy against the UE5 Python API stubs (mypy.ini), so a misspelt API fails
the build instead of the editor."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import cast

import unreal

MENU_OWNER = "VocalSynthesis"
PREVIEW_FOLDER = "/Game/VocalSynthesis/Previews"
LINES_FOLDER = "/Game/VocalSynthesis/Lines"


def _editor_logic():
    try:
        from vocalsynth import editor
    except ImportError:
        unreal.log_error("VocalSynthesis: the vocalsynth Python package is not installed in the editor's Python "
                         "(run the editor's python -m pip install <plugin folder>)")
        raise
    return editor


def _selected_presets() -> dict[str, str]:
    """{asset name: preset JSON} for the selected VocalVoicePreset assets."""
    out: dict[str, str] = {}
    for asset in unreal.EditorUtilityLibrary.get_selected_assets():
        if asset.get_class().get_name() == "VocalVoicePreset":
            out[asset.get_name()] = asset.call_method("ExportJson")
    return out


def _import_wavs(files: list[Path], destination: str) -> None:
    tasks: list[unreal.AssetImportTask] = []
    for file in files:
        task = unreal.AssetImportTask()
        task.set_editor_property("filename", str(file))
        task.set_editor_property("destination_path", destination)
        task.set_editor_property("replace_existing", True)
        task.set_editor_property("automated", True)
        task.set_editor_property("save", True)
        tasks.append(task)
    # The editor takes a Python list where the API says Array (the stub cannot express that).
    unreal.AssetToolsHelpers.get_asset_tools().import_asset_tasks(cast("unreal.Array[unreal.AssetImportTask]", tasks))


def bake_selected_presets() -> None:
    """Bakes a preview line for each selected voice preset into a SoundWave asset."""
    presets = _selected_presets()
    if not presets:
        unreal.log_warning("VocalSynthesis: select one or more VocalVoicePreset assets first")
        return
    out_dir = Path(unreal.Paths.project_saved_dir()) / "VocalSynthesis" / "Previews"
    with unreal.ScopedSlowTask(len(presets), "Baking voice previews") as task:
        task.make_dialog(True)
        files = list(_editor_logic().bake_previews(presets, out_dir).values())
        task.enter_progress_frame(len(presets))
    _import_wavs(files, PREVIEW_FOLDER)
    unreal.log(f"VocalSynthesis: baked {len(files)} preview(s) into {PREVIEW_FOLDER}")


def voice_line_sheet(csv_path: str) -> None:
    """Voices every row of a CSV dialogue sheet (npc, voice, text, emotion, intensity) into SoundWaves."""
    editor = _editor_logic()
    lines = editor.read_line_sheet(csv_path)
    # The editor copies each WAV into its asset on import; the rendered files are then removed.
    with tempfile.TemporaryDirectory(prefix="vocalsynth_lines_") as out_dir:
        files = editor.voice_lines(lines, Path(out_dir))
        _import_wavs(files, LINES_FOLDER)
    unreal.log(f"VocalSynthesis: voiced {len(files)} line(s) into {LINES_FOLDER}")


def fetch_dialogue(npc_id: str, archetype: str, prompt: str):
    """Asks the AI Core (VOCALSYNTH_DIALOGUE_URL) or the offline generator for a line (text,
    emotion, intensity, stage directions); logs it and returns it."""
    from vocalsynth.dialogue import DialogueClient, DialogueConfig, DialogueRequest

    result = DialogueClient(DialogueConfig.load(os.environ.get("VOCALSYNTH_DIALOGUE_CONFIG"))).line(
        DialogueRequest(npc_id=npc_id, archetype=archetype, player_line=prompt))
    if result.fallback_reason:
        unreal.log_warning(f"VocalSynthesis: {result.fallback_reason}")
    directions = "".join(f" *{d}*" for d in result.line.directions)
    unreal.log(f'{npc_id}:{directions} "{result.line.text}" [{result.line.emotion.tag} {result.line.emotion.intensity:.2f}]')
    return result.line


def _line_sheet_folder() -> Path:
    """Where designers keep CSV dialogue sheets: <Project>/VocalSynthesis/Lines/."""
    return Path(unreal.Paths.project_dir()) / "VocalSynthesis" / "Lines"


def voice_project_line_sheets() -> int:
    """Menu: voices every CSV sheet in <Project>/VocalSynthesis/Lines/ into SoundWaves."""
    sheets = _editor_logic().line_sheets(_line_sheet_folder())
    if not sheets:
        unreal.log_warning(f"VocalSynthesis: no CSV dialogue sheets in {_line_sheet_folder()} "
                           "(columns: npc, voice, text, emotion, intensity)")
        return 0
    for sheet in sheets:
        voice_line_sheet(str(sheet))
    return len(sheets)


def fetch_dialogue_for_selected_actors(prompt: str = "The player approaches. Greet them.") -> int:
    """Menu: asks the AI Core for a line for each selected actor that has a VocalSynthesisComponent
    and adds it to <Project>/VocalSynthesis/Lines/fetched.csv, ready for 'Voice Line Sheets'."""
    from vocalsynth.editor import LineSpec, fetched_line

    actors = unreal.get_editor_subsystem(unreal.EditorActorSubsystem)
    selected = actors.get_selected_level_actors() if actors is not None else []
    lines: list[LineSpec] = []
    for actor in selected:
        for component in actor.get_components_by_class(unreal.SynthComponent.static_class()):
            if component.get_class().get_name() != "VocalSynthesisComponent":
                continue
            archetype = str(component.get_editor_property("archetype"))
            npc = actor.get_actor_label()
            lines.append(fetched_line(npc, archetype, fetch_dialogue(npc, archetype, prompt)))
    if not lines:
        unreal.log_warning("VocalSynthesis: select actors that have a VocalSynthesisComponent first")
        return 0
    sheet = _editor_logic().append_lines(_line_sheet_folder() / "fetched.csv", lines)
    unreal.log(f"VocalSynthesis: {len(lines)} line(s) added to {sheet}")
    return len(lines)


def validate_all_presets() -> int:
    """Validates every VocalVoicePreset in the project; logs each problem; returns how many failed."""
    registry = unreal.AssetRegistryHelpers.get_asset_registry()
    presets: dict[str, str] = {}
    for data in registry.get_assets_by_path(unreal.Name("/Game"), recursive=True) or []:
        if str(data.asset_class_path.asset_name) == "VocalVoicePreset":
            asset = data.get_asset()
            presets[asset.get_name()] = asset.call_method("ExportJson")
    problems = _editor_logic().validate_presets(presets)
    for name, errors in problems.items():
        for error in errors:
            unreal.log_error(f"VocalSynthesis: {name}: {error}")
    unreal.log(f"VocalSynthesis: {len(presets) - len(problems)} of {len(presets)} preset(s) valid")
    return len(problems)


def register_menus() -> None:
    menus = unreal.ToolMenus.get()
    main = menus.find_menu(unreal.Name("LevelEditor.MainMenu"))
    if main is None:
        unreal.log_warning("VocalSynthesis: no main menu (running without the level editor?)")
        return
    sub = main.add_sub_menu(unreal.Name(MENU_OWNER), unreal.Name("VocalSynthesis"), unreal.Name("VocalSynthesis"),
                            unreal.Text("VocalSynthesis"), unreal.Text("NPC voices"))
    entries = [
        ("BakePreviews", "Bake Previews of Selected Presets", "vocalsynth_unreal.bake_selected_presets()"),
        ("VoiceLineSheets", "Voice Line Sheets (VocalSynthesis/Lines/*.csv)", "vocalsynth_unreal.voice_project_line_sheets()"),
        ("FetchDialogue", "Fetch Dialogue for Selected NPCs", "vocalsynth_unreal.fetch_dialogue_for_selected_actors()"),
        ("ValidatePresets", "Validate All Voice Presets", "vocalsynth_unreal.validate_all_presets()"),
    ]
    for name, label, command in entries:
        entry = unreal.ToolMenuEntry(name=unreal.Name(name), type=unreal.MultiBlockType.MENU_ENTRY)
        entry.set_label(unreal.Text(label))
        entry.set_string_command(unreal.ToolMenuStringCommandType.PYTHON, unreal.Name(""),
                                 f"import vocalsynth_unreal; {command}")
        sub.add_menu_entry(unreal.Name("VocalSynthesis"), entry)
    menus.refresh_all_widgets()
