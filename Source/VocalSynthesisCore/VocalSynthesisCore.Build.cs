// The engine-independent DSP core compiled as its own UE module. The very same Public/ and
// Private/ files are built by the root CMakeLists.txt; nothing here is a copy.
using UnrealBuildTool;

public class VocalSynthesisCore : ModuleRules
{
    public VocalSynthesisCore(ReadOnlyTargetRules Target) : base(Target)
    {
        PCHUsage = PCHUsageMode.NoPCHs;          // the core has no engine precompiled header
        bUseUnity = false;
        bEnableExceptions = false;               // the core is written without exceptions
        bUseRTTI = false;
        CppStandard = CppStandardVersion.Cpp20;
        PublicIncludePaths.Add(System.IO.Path.Combine(ModuleDirectory, "Public"));
        PublicDefinitions.Add("VOCALSYNTH_UNREAL=1");
        // Core is needed only by UnrealModule/VocalSynthesisCoreModule.cpp (IMPLEMENT_MODULE).
        PrivateDependencyModuleNames.Add("Core");
    }
}
