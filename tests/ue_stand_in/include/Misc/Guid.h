// Stand-in (see CoreMinimal.h): Core/Public/Misc/Guid.h.
#pragma once

struct FGuid {
  uint32 A = 0, B = 0, C = 0, D = 0;
};
