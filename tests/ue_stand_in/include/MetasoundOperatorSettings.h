// Stand-in (see CoreMinimal.h) for the MetaSound API the plugin's node uses, following the
// UE 5.3-5.5 headers of Plugins/Runtime/Metasound/Source/MetasoundGraphCore: MetasoundOperatorSettings.h.
#pragma once

#include "CoreMinimal.h"

namespace Metasound {
using FSampleRate = int32;

class FOperatorSettings {
 public:
  FOperatorSettings(FSampleRate InSampleRate, float InTargetBlockRate);
  float GetSampleRate() const;
  int32 GetNumFramesPerBlock() const;
};

struct FMetasoundEnvironment {};
}  // namespace Metasound
