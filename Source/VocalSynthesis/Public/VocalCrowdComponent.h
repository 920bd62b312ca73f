// A crowd: one synth component renders hundreds to thousands of vocalising voices (a horde, a
// pack, a market) through the core's CrowdEngine, mixed to stereo around the listener. Each
// voice is a world location, an archetype or preset and a priority; the engine picks its level
// of detail (Near/Mid/Far from Project Settings > Plugins > VocalSynthesis), steals the least
// important voice when full and keeps to the CPU budget. Blueprint calls become commands in a
// lock-free queue: the audio thread never locks or allocates.
#pragma once

#include "Components/SynthComponent.h"
#include "CoreMinimal.h"
#include "VocalVoicePreset.h"

#include "vocalsynth/render_handoff.h"

#include "VocalCrowdComponent.generated.h"

namespace vocalsynth { class CrowdEngine; }

/** A voice of a crowd. Stale handles (ended or stolen voices) are ignored safely. */
USTRUCT(BlueprintType)
struct VOCALSYNTHESIS_API FVocalCrowdVoice
{
	GENERATED_BODY()

	UPROPERTY(BlueprintReadOnly, Category = "VocalSynthesis")
	int32 Slot = -1;

	UPROPERTY(BlueprintReadOnly, Category = "VocalSynthesis")
	int32 Generation = 0;
};

UENUM(BlueprintType)
enum class EVocalCrowdStyle : uint8
{
	Chatter,  // 3.5 syllables/s, any vowel
	Moan,     // slow, little articulation
	Growl     // short bursts, low intonation
};

DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FOnVocalCrowdVoiceFinished, FVocalCrowdVoice, Voice);

UCLASS(ClassGroup = (Audio), meta = (BlueprintSpawnableComponent))
class VOCALSYNTHESIS_API UVocalCrowdComponent : public USynthComponent
{
	GENERATED_BODY()

public:
	UVocalCrowdComponent(const FObjectInitializer& ObjectInitializer);
	virtual ~UVocalCrowdComponent() override;

	/** Starts a voice at a world location. Invalid (Slot -1) when the crowd is full of more important voices.
	 *  Preset wins over Archetype when set. Cluster groups Far voices that share one formant tract (one per archetype is typical). */
	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis|Crowd")
	FVocalCrowdVoice StartVoice(FName Archetype, UVocalVoicePreset* Preset, FVector WorldLocation, int32 Priority = 0,
		EVocalCrowdStyle Style = EVocalCrowdStyle::Chatter, float DurationSeconds = 0.0f, int32 Seed = 0, int32 Cluster = 0);

	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis|Crowd")
	bool StopVoice(FVocalCrowdVoice Voice);

	/** Moves a voice; its distance and direction to the listener are updated every tick. */
	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis|Crowd")
	bool SetVoiceLocation(FVocalCrowdVoice Voice, FVector WorldLocation);

	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis|Crowd")
	bool SetVoicePriority(FVocalCrowdVoice Voice, int32 Priority);

	/** Voices rendered in each tier in the last audio block. */
	UFUNCTION(BlueprintPure, Category = "VocalSynthesis|Crowd")
	void GetTierCounts(int32& Near, int32& Mid, int32& Far, int32& Culled) const;

	/** A voice with a duration ended (game thread). */
	UPROPERTY(BlueprintAssignable, Category = "VocalSynthesis|Crowd")
	FOnVocalCrowdVoiceFinished OnVoiceFinished;

protected:
	virtual bool Init(int32& SampleRate) override;
	virtual int32 OnGenerateAudio(float* OutAudio, int32 NumSamples) override;
	virtual void TickComponent(float DeltaTime, ELevelTick TickType, FActorComponentTickFunction* ThisTickFunction) override;

private:
	void PushPosition(const FVocalCrowdVoice& Voice, const FVector& WorldLocation, const FVector& ListenerLocation,
		const FRotator& ListenerRotation);

	/** Owned and driven by the game thread; the render callback reaches it through RenderEngine. */
	TUniquePtr<vocalsynth::CrowdEngine> Engine;
	/** What the render callback renders: a restart at a new device rate frees the old engine only
	 *  once it is not rendering. */
	vocalsynth::RenderHandoff<vocalsynth::CrowdEngine> RenderEngine;
	// Audio thread: planar scratch, sized in Init.
	TArray<float> Left;
	TArray<float> Right;
	// Game thread: where each live voice is, by slot.
	TMap<int32, TPair<FVocalCrowdVoice, FVector>> Live;
	int32 NearCount = 0, MidCount = 0, FarCount = 0, CulledCount = 0;
};
