// Stand-in (see CoreMinimal.h): IPluginManager as in Projects/Public/Interfaces/IPluginManager.h.
#pragma once

#include "CoreMinimal.h"

class IPlugin {
 public:
  virtual ~IPlugin() = default;
  virtual const FString& GetName() const = 0;
  virtual FString GetBaseDir() const = 0;
};

class IPluginManager {
 public:
  virtual ~IPluginManager() = default;
  static IPluginManager& Get();
  virtual TSharedPtr<IPlugin> FindPlugin(const FString& Name) = 0;
};
