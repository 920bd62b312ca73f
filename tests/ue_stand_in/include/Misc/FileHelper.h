// Stand-in (see CoreMinimal.h): FFileHelper as in Core/Public/Misc/FileHelper.h.
#pragma once

#include "CoreMinimal.h"

struct FFileHelper {
  static bool LoadFileToArray(TArray<uint8>& Result, const TCHAR* Filename, uint32 Flags = 0);
};
