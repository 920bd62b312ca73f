// Stand-in (see CoreMinimal.h): module registration as in Core/Public/Modules/ModuleManager.h.
#pragma once

#include "CoreMinimal.h"
#include "Modules/ModuleInterface.h"

class FDefaultModuleImpl : public IModuleInterface {};

// Like the engine's, a complete definition: used without a trailing semicolon.
#define IMPLEMENT_MODULE(ModuleImplClass, ModuleName) \
  extern "C" IModuleInterface* InitializeModule_##ModuleName() { return new ModuleImplClass(); }
