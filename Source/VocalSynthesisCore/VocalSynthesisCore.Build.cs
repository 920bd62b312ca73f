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
        // UBT's default floating-point model is /fp:fast under MSVC. Built that way the chain's
        // output depends on the host's block size and differs from the other platforms' bits
        // (the CMake option VOCALSYNTH_CORE_FAST_MATH shows it), so the core asks for precise
        // semantics: /fp:precise under MSVC, no FP contraction under Clang, like the CMake build.
        FPSemantics = FPSemanticsMode.Precise;
        PublicIncludePaths.Add(System.IO.Path.Combine(ModuleDirectory, "Public"));
        PublicDefinitions.Add("VOCALSYNTH_UNREAL=1");
        // Core is needed only by UnrealModule/VocalSynthesisCoreModule.cpp (IMPLEMENT_MODULE).
        PrivateDependencyModuleNames.Add("Core");
    }
}
