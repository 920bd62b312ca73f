// Stand-in (see CoreMinimal.h): APlayerController as in Engine/Classes/GameFramework/PlayerController.h.
#pragma once

#include "CoreMinimal.h"

class APlayerController : public UObject {
 public:
  virtual void GetPlayerViewPoint(FVector& Location, FRotator& Rotation) const;
};
