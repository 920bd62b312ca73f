// Unreal module boilerplate for the core. This is the only file of the module that includes an
// engine header; it lives outside Public/ and Private/ so CMake never compiles it.
#include "Modules/ModuleManager.h"

IMPLEMENT_MODULE(FDefaultModuleImpl, VocalSynthesisCore)
