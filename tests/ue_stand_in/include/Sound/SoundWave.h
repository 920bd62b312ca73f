// Stand-in (see CoreMinimal.h): USoundWave as in Engine/Classes/Sound/SoundWave.h.
#pragma once

#include "CoreMinimal.h"

class USoundWave : public UObject {
 public:
  using Super = USoundWave;
#if WITH_EDITOR
  bool GetImportedSoundWaveData(TArray<uint8>& OutRawPCMData, uint32& OutSampleRate, uint16& OutNumChannels) const;
#endif
  int32 NumChannels = 0;
};
