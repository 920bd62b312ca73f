// Stand-in (see MetasoundOperatorSettings.h): MetasoundAudioBuffer.h (MetasoundFrontend).
#pragma once

#include "MetasoundDataReference.h"
#include "MetasoundOperatorSettings.h"

namespace Metasound {
class FAudioBuffer {
 public:
  explicit FAudioBuffer(int32 InNumSamples);
  FAudioBuffer(const FOperatorSettings& InSettings);
  FAudioBuffer();
  const float* GetData() const;
  float* GetData();
  int32 Num() const;
  void Zero();
};

using FAudioBufferReadRef = TDataReadReference<FAudioBuffer>;
using FAudioBufferWriteRef = TDataWriteReference<FAudioBuffer>;
}  // namespace Metasound
