// Stand-in (see CoreMinimal.h): UBlueprintFunctionLibrary as in Engine/Classes/Kismet/BlueprintFunctionLibrary.h.
#pragma once

#include "CoreMinimal.h"

class UBlueprintFunctionLibrary : public UObject {
 public:
  using Super = UBlueprintFunctionLibrary;
};
