// A source effect that gives any playing sound an archetype's voice: put it in a Source Effect
// Chain on a dialogue SoundWave or SoundCue, and recorded lines (streamed, compressed, in cooked
// builds) are voiced in real time with no baking. The DSP is vocalsynth::InterleavedVoice (the
// core's chain; channels fold to mono and every channel carries the voice).
#pragma once

#include "CoreMinimal.h"
#include "Sound/SoundEffectSource.h"
#include "VocalSynthesisComponent.h"
#include "VocalVoicePreset.h"
#include "vocalsynth/interleaved_voice.h"

#include "SourceEffectVocalArchetype.generated.h"

USTRUCT(BlueprintType)
struct VOCALSYNTHESIS_API FSourceEffectVocalArchetypeSettings
{
	GENERATED_BODY()

	/** One of your voice-preset assets. When set, the sound takes its voice, its emotion overrides
	 *  and its seed (plus Seed) instead of Archetype's, as the voice component and a bake would. */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Voice")
	TObjectPtr<UVocalVoicePreset> VoicePreset = nullptr;

	/** A built-in archetype (`vocalsynth archetypes` lists them): human, vampire, zombie, ...
	 *  Used when VoicePreset is not set. */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Voice", meta = (GetOptions = "VocalSynthesis.VocalSynthesisLibrary.GetArchetypeNames"))
	FName Archetype = TEXT("zombie");

	/** The archetype's emotion overrides, as the component's Speak and the preset files have them. */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Voice")
	EVocalEmotion Emotion = EVocalEmotion::Neutral;

	/** 0 = far (a hint of the archetype) .. 1 = close (full effect). */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Intensity", meta = (ClampMin = "0.0", ClampMax = "1.0"))
	float Proximity = 1.0f;

	/** 0 = dry .. 1 = wet surroundings. */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Intensity", meta = (ClampMin = "0.0", ClampMax = "1.0"))
	float Environment = 0.5f;

	/** Level of detail: Mid and Far cost less (Far skips the formant stage). */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Voice")
	EVocalDetail Detail = EVocalDetail::Near;

	/** The voice's noise and incoherence draws; taken when the sound starts. */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "Voice")
	int32 Seed = 0;

	/** Game thread: reads VoicePreset (if set) for Emotion into the plain copy below. */
	void ResolveVoicePreset();

	// Not reflected (nor saved): VoicePreset's parameters for Emotion and its seed plus Seed, read
	// on the game thread (the preset's PostLoad, edits and SetSettings) so that the audio thread
	// never reads the asset. Plain data: the engine copies the settings on the audio thread.
	vocalsynth::VoiceParams ResolvedParams;
	uint32 ResolvedSeed = 0;
	bool bResolved = false;
};

class VOCALSYNTHESIS_API FSourceEffectVocalArchetype : public FSoundEffectSource
{
public:
	/** When the sound starts: prepares the chain (the only allocation). */
	virtual void Init(const FSoundEffectSourceInitData& InitData) override;
	/** Audio render thread: the new settings glide in (no allocation, no lock of ours). */
	virtual void OnPresetChanged() override;
	/** Audio render thread. */
	virtual void ProcessAudio(const FSoundEffectSourceInputData& InData, float* OutAudioBufferData) override;

private:
	void Apply(const FSourceEffectVocalArchetypeSettings& Settings, bool bImmediate);

	vocalsynth::InterleavedVoice Voice;
	bool bReady = false;
	bool bStarted = false;  // a buffer has been processed
};

UCLASS(ClassGroup = AudioSourceEffect, meta = (BlueprintSpawnableComponent))
class VOCALSYNTHESIS_API USourceEffectVocalArchetypePreset : public USoundEffectSourcePreset
{
	GENERATED_BODY()

public:
	EFFECT_PRESET_METHODS(SourceEffectVocalArchetype)

	virtual FColor GetPresetColor() const override { return FColor(120, 30, 50); }

	/** Changes the voice of every sound playing with this preset (they glide to it). */
	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis")
	void SetSettings(const FSourceEffectVocalArchetypeSettings& InSettings);

	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = SourceEffectPreset, meta = (ShowOnlyInnerProperties))
	FSourceEffectVocalArchetypeSettings Settings;

	virtual void PostLoad() override;
#if WITH_EDITOR
	virtual void PostEditChangeProperty(FPropertyChangedEvent& PropertyChangedEvent) override;
#endif
	/** Game thread: every loaded preset that uses `Edited` reads it again (playing sounds glide to
	 *  it). The voice-preset asset calls it after an edit or an import. */
	static void VoicePresetChanged(const UVocalVoicePreset* Edited);
};
