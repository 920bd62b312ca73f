// Stand-in (see CoreMinimal.h): UDeveloperSettings as in DeveloperSettings/Public/Engine/DeveloperSettings.h.
#pragma once

#include "CoreMinimal.h"

class UDeveloperSettings : public UObject {
 public:
  using Super = UDeveloperSettings;
  UDeveloperSettings();

 protected:
  FName CategoryName;
  FName SectionName;
};
