// Stand-in (see CoreMinimal.h): UDataAsset / UPrimaryDataAsset as in Engine/Classes/Engine/DataAsset.h.
#pragma once

#include "CoreMinimal.h"

class UDataAsset : public UObject {
 public:
  using Super = UDataAsset;
};

class UPrimaryDataAsset : public UDataAsset {
 public:
  using Super = UPrimaryDataAsset;
};
