// Stand-in (see CoreMinimal.h): source effects as in Engine/Classes/Sound/SoundEffectSource.h and
// SoundEffectPreset.h (UE 5): the effect instance the audio render thread runs on a playing
// sound, its preset asset, and the two macros a user effect is written with.
#pragma once

#include "CoreMinimal.h"

class USoundEffectPreset;

struct FSoundEffectSourceInitData {
  float SampleRate = 0.0f;
  int32 NumSourceChannels = 0;
  double AudioClock = 0.0;
  uint32 AudioDeviceId = 0;
};

struct FSoundEffectSourceInputData {
  float CurrentVolume = 0.0f;
  float CurrentPitch = 0.0f;
  double AudioClock = 0.0;
  float CurrentPlayFraction = 0.0f;
  float* InputSourceEffectBufferPtr = nullptr;
  int32 NumSamples = 0;  ///< interleaved: frames x channels
};

class FSoundEffectBase {
 public:
  virtual ~FSoundEffectBase() = default;
  /// Audio render thread, before the next ProcessAudio, when the preset's settings changed.
  virtual void OnPresetChanged() {}

 protected:
  USoundEffectPreset* Preset = nullptr;  // the engine's is a TWeakObjectPtr
};

class FSoundEffectSource : public FSoundEffectBase {
 public:
  /// Called when the sound starts, before audio processing begins.
  virtual void Init(const FSoundEffectSourceInitData& InInitData) = 0;
  /// Audio render thread.
  virtual void ProcessAudio(const FSoundEffectSourceInputData& InData, float* OutAudioBufferData) = 0;
};

class USoundEffectPreset : public UObject {
 public:
  using Super = USoundEffectPreset;
  virtual FColor GetPresetColor() const { return FColor(200, 100, 100); }
  virtual FSoundEffectBase* CreateNewEffect() const = 0;
  /// Copies Settings to SettingsCopy (EFFECT_PRESET_METHODS defines it): on the first instance
  /// (AddEffectInstance) and after an edit.
  virtual void Init() = 0;
  /// Hands the preset to every playing instance (their OnPresetChanged follows).
  void Update();
#if WITH_EDITOR
  /// The engine's: Init(); OnInit(); Update() (WITH_EDITORONLY_DATA before UE 5.1).
  void PostEditChangeProperty(FPropertyChangedEvent& PropertyChangedEvent) override;
#endif
};

class USoundEffectSourcePreset : public USoundEffectPreset {
 public:
  using Super = USoundEffectSourcePreset;
};

// The engine's macros also declare asset actions, the settings struct's reflection and the
// critical section guarding SettingsCopy; the stand-in keeps what user code calls.
#define EFFECT_PRESET_METHODS(EFFECT_NAME)                                                  \
  virtual FSoundEffectBase* CreateNewEffect() const override { return new F##EFFECT_NAME; } \
  virtual void Init() override { SettingsCopy = Settings; }                                 \
  void UpdateSettings(const F##EFFECT_NAME##Settings& InSettings) { SettingsCopy = InSettings; Update(); } \
  F##EFFECT_NAME##Settings GetSettings() { return SettingsCopy; }                          \
  F##EFFECT_NAME##Settings SettingsCopy;

#define GET_EFFECT_SETTINGS(EFFECT_NAME)                                                    \
  U##EFFECT_NAME##Preset* _Preset = static_cast<U##EFFECT_NAME##Preset*>(Preset);          \
  F##EFFECT_NAME##Settings Settings = _Preset != nullptr ? _Preset->GetSettings() : F##EFFECT_NAME##Settings();
