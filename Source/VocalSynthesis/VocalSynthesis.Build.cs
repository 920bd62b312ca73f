// UE glue over the engine-free core: the NPC voice component, the voice-preset data asset and
// their Blueprint API. Only adapts; all DSP lives in VocalSynthesisCore.
using System.IO;
using UnrealBuildTool;

public class VocalSynthesis : ModuleRules
{
    public VocalSynthesis(ReadOnlyTargetRules Target) : base(Target)
    {
        PCHUsage = PCHUsageMode.UseExplicitOrSharedPCHs;
        CppStandard = CppStandardVersion.Cpp20;
        PublicDependencyModuleNames.AddRange(new string[] { "Core", "CoreUObject", "Engine", "AudioMixer", "DeveloperSettings", "VocalSynthesisCore" });
        PrivateDependencyModuleNames.AddRange(new string[] { "Json", "Projects" });
        // The pronouncing dictionary ships with every cooked build (PC and consoles).
        RuntimeDependencies.Add(Path.Combine(PluginDirectory, "Resources", "Lexicon", "en_us.vslex"), StagedFileType.NonUFS);
    }
}
