// Stand-in (see CoreMinimal.h): FPaths as in Core/Public/Misc/Paths.h.
#pragma once

#include "CoreMinimal.h"

class FPaths {
 public:
  template <typename... Paths>
  static FString Combine(Paths&&... InPaths) {
    static_assert(sizeof...(InPaths) > 0, "FPaths::Combine needs a path");
    static_assert(((std::is_convertible_v<Paths, FString>)&&...), "FPaths::Combine takes strings");
    return FString();
  }
};
