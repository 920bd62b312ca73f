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
