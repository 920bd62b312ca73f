// The NPC voice: a synth component whose audio-thread render runs the core's speech synthesizer
// (or anchor audio) through the archetype chain. Blueprint setters never touch DSP state: they
// write to the core's lock-free parameter pipeline or hand prepared data across fixed-capacity
// single-producer/single-consumer queues, so the audio thread never locks or allocates.
#pragma once

#include "Components/SynthComponent.h"
#include "Containers/CircularQueue.h"
#include "CoreMinimal.h"
#include "VocalVoicePreset.h"

#include "VocalSynthesisComponent.generated.h"

namespace vocalsynth { class Voice; }
namespace vocalsynth::speech { class Synthesizer; struct Utterance; }

/** Level of detail of a voice: Near = full chain, Mid = without the additive layers, Far = also
 *  without the formant stage (see vocalsynth::VoiceDetail). */
UENUM(BlueprintType)
enum class EVocalDetail : uint8
{
	Near,
	Mid,
	Far
};

DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(FOnVocalWord, int32, WordIndex, const FString&, Word);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FOnVocalViseme, FName, Viseme);
DECLARE_DYNAMIC_MULTICAST_DELEGATE(FOnVocalLineFinished);

UCLASS(ClassGroup = (Audio), meta = (BlueprintSpawnableComponent))
class VOCALSYNTHESIS_API UVocalSynthesisComponent : public USynthComponent
{
	GENERATED_BODY()

public:
	UVocalSynthesisComponent(const FObjectInitializer& ObjectInitializer);
	virtual ~UVocalSynthesisComponent() override;

	/** The voice; when empty, Archetype's built-in preset is used. */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "VocalSynthesis")
	TObjectPtr<UVocalVoicePreset> VoicePreset;

	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "VocalSynthesis")
	FName Archetype = TEXT("human");

	/** 0 = far (effects x0.3), 0.5 = as designed, 1 = close (x1.5). */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "VocalSynthesis", meta = (ClampMin = "0", ClampMax = "1"))
	float Proximity = 0.5f;

	/** 0 = dry (jitter, clicks), 1 = wet (shimmer, pops). */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "VocalSynthesis", meta = (ClampMin = "0", ClampMax = "1"))
	float Environment = 0.5f;

	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis")
	void SetArchetype(FName InArchetype);

	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis")
	void SetVoicePreset(UVocalVoicePreset* InPreset);

	/** Linear morph between two presets (0 = A, 1 = B), smoothed on the audio thread. */
	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis")
	void MorphPresets(UVocalVoicePreset* A, UVocalVoicePreset* B, float Amount);

	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis")
	void SetIntensity(float InProximity, float InEnvironment);

	/** Pick Near/Mid/Far every tick from the distance to the listener, with the distances in
	 *  Project Settings > Plugins > VocalSynthesis. */
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "VocalSynthesis|Level of Detail")
	bool bAutomaticDetail = true;

	/** Sets the level of detail by hand (and turns automatic detail off). Changes cross-fade. */
	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis|Level of Detail")
	void SetDetail(EVocalDetail InDetail);

	UFUNCTION(BlueprintPure, Category = "VocalSynthesis|Level of Detail")
	EVocalDetail GetDetail() const { return Detail; }

	/** Speaks a line with the built-in synthesizer in this voice. False (and a log line) on bad text. */
	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis")
	bool Speak(const FString& Text, EVocalEmotion Emotion = EVocalEmotion::Neutral);

	/** Plays mono anchor audio (e.g. a recorded line) through the archetype chain. */
	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis")
	bool PlayAnchor(const TArray<float>& MonoSamples, int32 SampleRate);

	/** A word starts (game thread). */
	UPROPERTY(BlueprintAssignable, Category = "VocalSynthesis")
	FOnVocalWord OnWord;

	/** The mouth shape changes (game thread); names from the 15-viseme set (sil PP FF TH DD kk CH SS nn RR aa E I O U). */
	UPROPERTY(BlueprintAssignable, Category = "VocalSynthesis")
	FOnVocalViseme OnViseme;

	UPROPERTY(BlueprintAssignable, Category = "VocalSynthesis")
	FOnVocalLineFinished OnLineFinished;

protected:
	virtual bool Init(int32& SampleRate) override;
	virtual int32 OnGenerateAudio(float* OutAudio, int32 NumSamples) override;
	virtual void TickComponent(float DeltaTime, ELevelTick TickType, FActorComponentTickFunction* ThisTickFunction) override;

private:
	struct FAnchor
	{
		TArray<float> Samples;
		int32 Position = 0;
	};
	struct FLine
	{
		TUniquePtr<vocalsynth::speech::Utterance> Utterance;
	};
	struct FEvent
	{
		uint8 Type;   // 0 word, 1 viseme, 2 line finished
		int32 Index;
	};

	void PushParams(EVocalEmotion Emotion);
	void UpdateDetailFromListener();
	EVocalDetail Detail = EVocalDetail::Near;
	void DrainReturnedItems();

	TUniquePtr<vocalsynth::Voice> Voice;
	TUniquePtr<vocalsynth::speech::Synthesizer> Synth;
	int32 DeviceSampleRate = 48000;

	// Game thread -> audio thread (prepared data), audio thread -> game thread (to free, and events).
	TCircularQueue<FLine*> PendingLines{16};
	TCircularQueue<FLine*> FinishedLines{16};
	TCircularQueue<FAnchor*> PendingAnchors{8};
	TCircularQueue<FAnchor*> FinishedAnchors{8};
	TCircularQueue<FEvent> Events{1024};

	// Audio thread only.
	FLine* CurrentLine = nullptr;
	FAnchor* CurrentAnchor = nullptr;
	/** Events wait here until the block that carries their sound (after the chain's latency) is rendered. */
	struct FDelayedEvent
	{
		FEvent Event;
		int64 DueSample;
	};
	static constexpr int32 DelayCapacity = 512;
	FDelayedEvent Delayed[DelayCapacity];
	int32 DelayedHead = 0;
	int32 DelayedCount = 0;
	int64 RenderClock = 0;  // samples rendered since Init
	int64 LineStartClock = 0;
	void DelayEvent(const FEvent& Event, int64 DueSample);
	void ReleaseDueEvents(int64 UpToSample);
	// Game thread only: words of lines in flight, by line order.
	TArray<TArray<FString>> WordsInFlight;
};
