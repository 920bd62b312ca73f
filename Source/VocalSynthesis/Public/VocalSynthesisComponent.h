// The NPC voice: a synth component over the core's engine-free vocalsynth::NpcVoice, which renders
// the built-in speech synthesizer (or anchor audio) through the archetype chain on the audio
// thread. Blueprint setters never touch DSP state: they write to the core's lock-free parameter
// pipeline or hand prepared lines and clips across fixed-capacity lock-free queues, so the audio
// thread never locks or allocates. Word/viseme events arrive when their sound is heard.
#pragma once

#include "Components/SynthComponent.h"
#include "CoreMinimal.h"
#include "VocalVoicePreset.h"
#include "vocalsynth/render_handoff.h"

#include "VocalSynthesisComponent.generated.h"

namespace vocalsynth { class NpcVoice; }
class USoundWave;

/** Level of detail of a voice: Near = full chain, Mid = without the additive layers, Far = also
 *  without the formant stage (see vocalsynth::VoiceDetail). */
UENUM(BlueprintType)
enum class EVocalDetail : uint8
{
	Near,
	Mid,
	Far
};

// Every event names its line (Speak's return value), so a dialogue system that queues lines knows
// which one a word, a mouth shape or an end belongs to.
DECLARE_DYNAMIC_MULTICAST_DELEGATE_ThreeParams(FOnVocalWord, int32, LineId, int32, WordIndex, const FString&, Word);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(FOnVocalViseme, int32, LineId, FName, Viseme);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FOnVocalLineFinished, int32, LineId);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FOnVocalLineStopped, int32, LineId);

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

	/** A built-in archetype (a drop-down in the editor). */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "VocalSynthesis", meta = (GetOptions = "VocalSynthesis.VocalSynthesisLibrary.GetArchetypeNames"))
	FName Archetype = TEXT("human");

	/** Each NPC its own individual of the voice: a seed from the component's path (stable from run
	 *  to run for a placed NPC) mixed into the preset's, so two NPCs sharing a voice neither speak
	 *  in unison nor share their noise. Off: the preset's own seed, as the Python previews use it.
	 *  Taken when the component starts. */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "VocalSynthesis")
	bool bIndividualVoice = true;

	/** How far an individual's pitch (up to +-4 semitones), vocal-tract length and pace (+-8%)
	 *  stray from the voice's speech settings, drawn from its seed (with bIndividualVoice). */
	UPROPERTY(EditAnywhere, BlueprintReadOnly, Category = "VocalSynthesis", meta = (ClampMin = "0", ClampMax = "1"))
	float VoiceVariation = 0.5f;

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

	/** Speaks a line with the built-in synthesizer in this voice, after the lines already queued,
	 *  or (bInterrupt) at once: what is playing fades out first, as with StopSpeaking. Returns the
	 *  line's id (> 0), which its OnWord, OnViseme and OnLineFinished / OnLineStopped carry; 0 (and a
	 *  log line) on bad text or a full queue. */
	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis")
	int32 Speak(const FString& Text, EVocalEmotion Emotion = EVocalEmotion::Neutral, bool bInterrupt = false);

	/** Speaks a line during which this voice turns into Target (a transformation: a man's voice
	 *  dropping into the wolf's): between StartSeconds and EndSeconds of the line (EndSeconds <= 0:
	 *  its end) the pitch glides to Target's speaker, the formants to its tract, and the archetype
	 *  chain morphs into Target's, at times fixed by the line, not by the frame rate. The voice stays
	 *  Target's afterwards, until a new voice or preset is set. Returns as Speak does; 0 without a Target. */
	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis")
	int32 SpeakTransforming(const FString& Text, UVocalVoicePreset* Target, float StartSeconds = 0.0f, float EndSeconds = 0.0f,
		EVocalEmotion Emotion = EVocalEmotion::Neutral, bool bInterrupt = false);

	/** Plays mono anchor audio (e.g. a recorded line) through the archetype chain. */
	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis")
	bool PlayAnchor(const TArray<float>& MonoSamples, int32 SampleRate);

	/** Plays a SoundWave asset through the archetype chain (downmixed to mono). Reads the wave's
	 *  imported PCM, which the editor keeps (PIE, editor tools); in cooked builds use PlayAnchor. */
	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis")
	bool PlaySoundWave(USoundWave* Wave);

	/** Stops speaking: the line playing (and any anchor clip) fades out over FadeSeconds (1 ms to
	 *  1 s; no click), and lines and clips queued before this call are dropped. Each of those lines
	 *  fires OnLineStopped instead of OnLineFinished, and the mouth closes (viseme "sil"). */
	UFUNCTION(BlueprintCallable, Category = "VocalSynthesis")
	void StopSpeaking(float FadeSeconds = 0.05f);

	/** True from Speak() until the line's OnLineFinished or OnLineStopped has fired. */
	UFUNCTION(BlueprintPure, Category = "VocalSynthesis")
	bool IsSpeaking() const;

	/** A word starts (game thread). */
	UPROPERTY(BlueprintAssignable, Category = "VocalSynthesis")
	FOnVocalWord OnWord;

	/** The mouth shape changes (game thread); names from the 15-viseme set (sil PP FF TH DD kk CH SS nn RR aa E I O U). */
	UPROPERTY(BlueprintAssignable, Category = "VocalSynthesis")
	FOnVocalViseme OnViseme;

	UPROPERTY(BlueprintAssignable, Category = "VocalSynthesis")
	FOnVocalLineFinished OnLineFinished;

	/** A line was cut short (or dropped unheard) by StopSpeaking (game thread). */
	UPROPERTY(BlueprintAssignable, Category = "VocalSynthesis")
	FOnVocalLineStopped OnLineStopped;

protected:
	virtual bool Init(int32& SampleRate) override;
	virtual int32 OnGenerateAudio(float* OutAudio, int32 NumSamples) override;
	virtual void TickComponent(float DeltaTime, ELevelTick TickType, FActorComponentTickFunction* ThisTickFunction) override;

private:
	/** The voice's chain parameters under an emotion (preset asset, else the built-in archetype); false for an unknown archetype. */
	bool ParamsFor(EVocalEmotion Emotion, vocalsynth::VoiceParams& Out) const;
	void PushParams(EVocalEmotion Emotion);
	/** Speak and SpeakTransforming: builds the line on the game thread and queues it. */
	int32 QueueLine(const FString& Text, EVocalEmotion Emotion, bool bInterrupt, UVocalVoicePreset* Target, float StartSeconds,
		float EndSeconds);
	/** The voice's seed: the preset's (or built-in archetype's), mixed with the path if individual. */
	uint64 VoiceSeed() const;
	/** VoiceSeed() as the component started: the chain's seed, and the one its speech varies by. */
	uint64 StartedSeed = 0;
	void UpdateDetailFromListener();
	EVocalDetail Detail = EVocalDetail::Near;

	/** The whole audio-thread path (engine-free, tested with CMake): lines, clips, chain, events.
	 *  Owned and driven by the game thread; the render callback reaches it through RenderNpc. */
	TUniquePtr<vocalsynth::NpcVoice> Npc;
	/** What the render callback renders: a restart at a new device rate replaces the voice while
	 *  the old one may still be rendering, and frees it only once it is not. */
	vocalsynth::RenderHandoff<vocalsynth::NpcVoice> RenderNpc;
	int32 DeviceSampleRate = 48000;
	/** Game thread: the words of each line in flight, by line id (for OnWord's text). */
	TMap<uint32, TArray<FString>> WordsByLine;
};
