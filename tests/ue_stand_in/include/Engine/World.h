// Stand-in (see CoreMinimal.h): UWorld as in Engine/Classes/Engine/World.h.
#pragma once

#include "CoreMinimal.h"

class APlayerController;

class UWorld : public UObject {
 public:
  APlayerController* GetFirstPlayerController() const;
};
