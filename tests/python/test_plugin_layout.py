"""The repository is a UE5 plugin folder: descriptor, modules and the engine-free core."""
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGINE_HEADER = re.compile(r'#\s*include\s*[<"](CoreMinimal\.h|Modules/|UObject/|Engine/|Components/|Sound/|AudioMixer|Kismet/|GameFramework/)')


def test_descriptor_lists_modules_that_exist():
    descriptor = json.loads((ROOT / "VocalSynthesis.uplugin").read_text())
    assert descriptor["FileVersion"] == 3
    names = [m["Name"] for m in descriptor["Modules"]]
    assert "VocalSynthesisCore" in names
    for module in descriptor["Modules"]:
        folder = ROOT / "Source" / module["Name"]
        build_cs = folder / f"{module['Name']}.Build.cs"
        assert build_cs.is_file(), f"{build_cs} missing"
        assert f"class {module['Name']} : ModuleRules" in build_cs.read_text()
        assert module["Type"] in {"Runtime", "Editor", "RuntimeNoCommandlet", "UncookedOnly"}


def test_core_has_no_engine_header():
    core = ROOT / "Source" / "VocalSynthesisCore"
    offenders = [str(p.relative_to(ROOT)) for sub in ("Public", "Private") for p in (core / sub).rglob("*")
                 if p.suffix in {".h", ".hpp", ".cpp"} and ENGINE_HEADER.search(p.read_text())]
    assert offenders == []
    # The module boilerplate is the only engine-facing file, and CMake never compiles it.
    assert ENGINE_HEADER.search((core / "UnrealModule" / "VocalSynthesisCoreModule.cpp").read_text())
    assert "UnrealModule" not in (ROOT / "CMakeLists.txt").read_text()


def test_core_build_cs_disables_exceptions_and_rtti():
    text = (ROOT / "Source" / "VocalSynthesisCore" / "VocalSynthesisCore.Build.cs").read_text()
    assert "bEnableExceptions = false" in text and "bUseRTTI = false" in text


def test_core_build_cs_asks_for_precise_floating_point():
    # UBT defaults to /fp:fast on MSVC; the core's same-bits guarantees need precise semantics.
    text = (ROOT / "Source" / "VocalSynthesisCore" / "VocalSynthesisCore.Build.cs").read_text()
    assert "FPSemantics = FPSemanticsMode.Precise;" in text


def test_runtime_module_is_thin_glue_over_the_core():
    module = ROOT / "Source" / "VocalSynthesis"
    build = (module / "VocalSynthesis.Build.cs").read_text()
    for dependency in ("VocalSynthesisCore", "AudioMixer", "Engine"):
        assert f'"{dependency}"' in build
    assert "en_us.vslex" in build  # the lexicon is staged into cooked builds
    # No core source is copied into the glue: the core compiles unchanged as its own module.
    core_names = {p.name for p in (ROOT / "Source" / "VocalSynthesisCore").rglob("*.cpp")}
    assert not core_names & {p.name for p in module.rglob("*.cpp")}
    for header in (module / "Public").glob("*.h"):
        text = header.read_text()
        includes = re.findall(r'#include "([^"]+)"', text)
        if "UCLASS(" in text or "USTRUCT(" in text or "UENUM(" in text:
            assert includes[-1] == header.stem + ".generated.h", f"{header.name}: .generated.h must be the last include"
            assert text.count("GENERATED_BODY()") == text.count("UCLASS(") + text.count("USTRUCT(")
        for inc in includes:
            if inc.startswith("Vocal") and not inc.endswith(".generated.h"):
                assert (module / "Public" / inc).is_file(), f"{header.name} includes missing {inc}"
    component = (module / "Public" / "VocalSynthesisComponent.h").read_text()
    for api in ("int32 Speak(", "void SetArchetype(", "void MorphPresets(", "void SetIntensity(", "bool PlayAnchor(",
                "FOnVocalViseme OnViseme", "FOnVocalWord OnWord", "virtual int32 OnGenerateAudio(",
                "void StopSpeaking(", "bool IsSpeaking(", "FOnVocalLineStopped OnLineStopped", "bool bIndividualVoice",
                "float VoiceVariation"):
        assert api in component
    assert "public USynthComponent" in component


def test_glue_delegates_audio_to_engine_free_classes_and_includes_exist():
    module = ROOT / "Source" / "VocalSynthesis"
    core_public = ROOT / "Source" / "VocalSynthesisCore" / "Public"
    for source in list(module.rglob("*.cpp")) + list(module.rglob("*.h")):
        for inc in re.findall(r'#include "(vocalsynth/[^"]+)"', source.read_text()):
            assert (core_public / inc).is_file(), f"{source.name} includes missing core header {inc}"
    voice = (module / "Private" / "VocalSynthesisComponent.cpp").read_text()
    render = voice[voice.index("UVocalSynthesisComponent::OnGenerateAudio"):]
    render = render[:render.index("\n}\n")]
    # The audio thread runs the tested engine-free NpcVoice, reached through the tested RenderHandoff
    # (a restart at a new rate frees the old voice only once it is not rendering), never via Npc.
    assert "Voice = RenderNpc.acquire()" in render and "Voice->render(" in render and "RenderNpc.release();" in render
    assert "Npc->" not in render and "Npc.Get()" not in render
    component = (module / "Public" / "VocalSynthesisComponent.h").read_text()
    # Every line event names its line, the id Speak returns.
    assert "int32 Speak(const FString& Text" in component
    for delegate in ("FOnVocalWord, int32, LineId,", "FOnVocalViseme, int32, LineId,", "FOnVocalLineFinished, int32, LineId)",
                     "FOnVocalLineStopped, int32, LineId)"):
        assert delegate in component, delegate
    crowd = (module / "Public" / "VocalCrowdComponent.h").read_text()
    for api in ("FVocalCrowdVoice StartVoice(", "bool StopVoice(", "bool SetVoiceLocation(", "bool SetVoicePriority(",
                "FOnVocalCrowdVoiceFinished OnVoiceFinished", "public USynthComponent"):
        assert api in crowd
    crowd_cpp = (module / "Private" / "VocalCrowdComponent.cpp").read_text()
    render = crowd_cpp[crowd_cpp.index("UVocalCrowdComponent::OnGenerateAudio"):]
    render = render[:render.index("\n}\n")]
    assert "Crowd = RenderEngine.acquire()" in render and "Crowd->render(" in render
    assert render.count("RenderEngine.release();") == 2  # on both ways out
    assert "Engine->" not in render and "Engine.Get()" not in render
    # The source effect (any playing sound in an archetype's voice): the engine's naming rule for
    # EFFECT_PRESET_METHODS (F<Name>, F<Name>Settings, U<Name>Preset), and its audio thread runs
    # the tested engine-free InterleavedVoice.
    effect = (module / "Public" / "SourceEffectVocalArchetype.h").read_text()
    for api in ("struct VOCALSYNTHESIS_API FSourceEffectVocalArchetypeSettings",
                "class VOCALSYNTHESIS_API FSourceEffectVocalArchetype : public FSoundEffectSource",
                "class VOCALSYNTHESIS_API USourceEffectVocalArchetypePreset : public USoundEffectSourcePreset",
                "EFFECT_PRESET_METHODS(SourceEffectVocalArchetype)", "void SetSettings(", "vocalsynth::InterleavedVoice Voice"):
        assert api in effect
    # Every Archetype field offers the built-in names as a drop-down: GetOptions names a static
    # UFUNCTION as Module.Class (no U prefix).Function, and the function must exist.
    library = (module / "Public" / "VocalSynthesisLibrary.h").read_text()
    assert "class VOCALSYNTHESIS_API UVocalSynthesisLibrary : public UBlueprintFunctionLibrary" in library
    options = set()
    for header in (module / "Public").glob("*.h"):
        for match in re.finditer(r'GetOptions = "([^"]+)"\)\)\s*\n\s*FName (\w+)', header.read_text()):
            options.add((header.name, match.group(2)))
            module_name, cls, function = match.group(1).split(".")
            assert module_name == "VocalSynthesis" and cls == "VocalSynthesisLibrary", match.group(1)
            assert re.search(rf"UFUNCTION\([^)]*\)\s*\n\s*static TArray<FString> {function}\(\);", library), function
    assert {name for _, name in options} == {"Archetype"} and len(options) == 3, options
    # The glue casts EVocalEmotion to the core's speech::Emotion: the two must list the same
    # emotions in the same order (and the preset asset's JSON names with them).
    from vocalsynth import _core
    preset_h = (module / "Public" / "VocalVoicePreset.h").read_text()
    enum = re.search(r"enum class EVocalEmotion : uint8\s*\{([^}]*)\}", preset_h).group(1)
    assert [e.strip().lower() for e in enum.split(",") if e.strip()] == list(_core.emotion_names())
    preset_cpp = (module / "Private" / "VocalVoicePreset.cpp").read_text()
    json_names = re.search(r"GEmotionNames\[\] = \{([^}]*)\}", preset_cpp).group(1)
    assert re.findall(r'TEXT\("(\w+)"\)', json_names) == list(_core.emotion_names())
    effect_cpp = (module / "Private" / "SourceEffectVocalArchetype.cpp").read_text()
    process = effect_cpp[effect_cpp.index("FSourceEffectVocalArchetype::ProcessAudio"):]
    process = process[:process.index("\n}\n")]
    assert "Voice.process(InData.InputSourceEffectBufferPtr, OutAudioBufferData, InData.NumSamples)" in process
    assert "ToString()" not in effect_cpp[:effect_cpp.index("USourceEffectVocalArchetypePreset::SetSettings")], \
        "the audio thread resolves names in place (FName::ToString(TCHAR*)), never into an FString"
    # A custom voice-preset asset reaches the audio thread only as the plain copy the game thread
    # read into the settings (the preset's load, its edits, SetSettings, the asset's own edits).
    audio_side = effect_cpp[:effect_cpp.index("void FSourceEffectVocalArchetypeSettings::ResolveVoicePreset")]
    assert "VoicePreset" not in audio_side, "the audio thread must not read the asset"
    for game_thread in ("::SetSettings(", "::PostLoad()", "::PostEditChangeProperty(", "::VoicePresetChanged("):
        body = effect_cpp[effect_cpp.index("USourceEffectVocalArchetypePreset" + game_thread):]
        assert "ResolveVoicePreset()" in body[:body.index("\n}\n")], game_thread
    assert preset_cpp.count("USourceEffectVocalArchetypePreset::VoicePresetChanged(this)") == 2  # edit, import
    settings = (module / "Public" / "VocalSynthesisSettings.h").read_text()
    assert "public UDeveloperSettings" in settings and "Config = Game" in settings
    for field in ("NearDistanceMeters", "MidDistanceMeters", "CrowdBudgetMicroseconds"):
        assert field in settings
    assert '"DeveloperSettings"' in (module / "VocalSynthesis.Build.cs").read_text()


def test_metasound_node_module_runs_the_tested_polled_voice():
    descriptor = json.loads((ROOT / "VocalSynthesis.uplugin").read_text())
    assert {"Name": "VocalSynthesisMetaSound", "Type": "Runtime", "LoadingPhase": "Default"} in descriptor["Modules"]
    assert {"Name": "Metasound", "Enabled": True} in descriptor["Plugins"]  # not optional: the module links it
    module = ROOT / "Source" / "VocalSynthesisMetaSound"
    build = (module / "VocalSynthesisMetaSound.Build.cs").read_text()
    for dependency in ("MetasoundGraphCore", "MetasoundFrontend", "VocalSynthesisCore"):
        assert f'"{dependency}"' in build
    startup = (module / "Private" / "VocalSynthesisMetaSoundModule.cpp").read_text()
    assert "RegisterPendingNodes();" in startup and "IMPLEMENT_MODULE(FVocalSynthesisMetaSoundModule, VocalSynthesisMetaSound)" in startup
    node = (module / "Private" / "MetasoundVocalArchetypeNode.cpp").read_text()
    assert "METASOUND_REGISTER_NODE(FArchetypeVoiceNode)" in node
    # The audio thread runs the engine-free PolledVoice (tests/cpp/test_polled_voice.cpp) and
    # reads its name pins in place: nothing in Execute builds a string.
    execute = node[node.index("void Execute()"):]
    execute = execute[:execute.index("\n\t}\n")]
    assert "Voice.process(Controls, In, Out, Frames);" in execute
    for allocating in ("FString(", "ToString", "TCHAR_TO_UTF8", "Printf", "UE_LOG"):
        assert allocating not in execute, allocating
    # The pins' tooltips name exactly the core's archetypes and emotions, in its order.
    import vocalsynth
    from vocalsynth import _core
    tooltip = re.search(r'METASOUND_PARAM\(InputArchetype, "Archetype", "A built-in archetype: ([^(]*) \(', node).group(1)
    assert [name.strip() for name in tooltip.split(",")] == list(vocalsynth.archetype_names())
    tooltip = re.search(r'METASOUND_PARAM\(InputEmotion, "Emotion", "([^:]*):', node).group(1)
    assert re.findall(r"\w+", tooltip.replace(" or ", ", ")) == list(_core.emotion_names())
