// MetaSound nodes over the engine-free core: the "Archetype Voice" node gives any audio in a
// MetaSound graph an archetype's voice. Only adapts pins to vocalsynth::PolledVoice.
using UnrealBuildTool;

public class VocalSynthesisMetaSound : ModuleRules
{
    public VocalSynthesisMetaSound(ReadOnlyTargetRules Target) : base(Target)
    {
        PCHUsage = PCHUsageMode.UseExplicitOrSharedPCHs;
        CppStandard = CppStandardVersion.Cpp20;
        PrivateDependencyModuleNames.AddRange(new string[] {
            "Core", "MetasoundGraphCore", "MetasoundFrontend", "VocalSynthesisCore" });
    }
}
