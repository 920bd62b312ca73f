// Stand-in (see CoreMinimal.h): IModuleInterface as in Core/Public/Modules/ModuleInterface.h.
#pragma once

class IModuleInterface {
 public:
  virtual ~IModuleInterface() {}
  virtual void StartupModule() {}
  virtual void ShutdownModule() {}
};
