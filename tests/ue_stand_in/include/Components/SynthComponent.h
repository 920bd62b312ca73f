// Stand-in (see CoreMinimal.h): USynthComponent as in AudioMixer/Classes/Components/SynthComponent.h.
#pragma once

#include "CoreMinimal.h"

class USynthComponent : public USceneComponent {
 public:
  using Super = USynthComponent;
  explicit USynthComponent(const FObjectInitializer& ObjectInitializer);
  void Start();
  void Stop();
  bool IsPlaying() const;
  uint8 bAllowSpatialization : 1;

 protected:
  virtual void OnBeginGenerate() {}
  virtual void OnEndGenerate() {}
  virtual bool Init(int32& SampleRate) { return SampleRate > 0; }
  virtual int32 OnGenerateAudio(float* OutAudio, int32 NumSamples) = 0;
  int32 NumChannels = 1;
};
